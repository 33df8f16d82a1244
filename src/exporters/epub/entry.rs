//! The book's zip archive (APPNOTE 6.3), written here from files compressed beforehand.
//!
//! The `zip` crate's writer starts a new compressor for every entry (see `crate::deflate` for
//! why that costs), and it can take an entry compressed elsewhere only as a file of another
//! archive, parsed back. Here every file is deflated by its thread's reused compressor, in
//! parallel, and the archive is streamed to the sink in order: no copy of the book is held
//! in memory. The `zip` crate still reads epub-builder's archive, and every book in the
//! tests and the fidelity audit.

use anyhow::{bail, Context};
use std::io::Write;

/// One file of the book, compressed or stored, with what its headers say of it.
pub struct Entry {
    name: String,
    deflated: bool,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

/// Deflate level of the book's files: libdeflate's fastest, much faster than higher levels
/// for a book barely larger (BENCHMARKS.md).
const LEVEL: crate::deflate::Level = crate::deflate::Level::FAST;

impl Entry {
    /// `bytes` deflated at `LEVEL`, to be stored under `name`.
    pub fn deflate(name: String, bytes: &[u8]) -> anyhow::Result<Entry> {
        let data = crate::deflate::deflate(bytes, LEVEL, crate::deflate::Framing::Raw)?;
        Entry::new(name, true, crc32fast::hash(bytes), bytes.len(), data)
    }

    /// `bytes` as they are: OCF requires the `mimetype` file stored.
    pub fn stored(name: String, bytes: Vec<u8>) -> anyhow::Result<Entry> {
        Entry::new(name, false, crc32fast::hash(&bytes), bytes.len(), bytes)
    }

    fn new(name: String, deflated: bool, crc: u32, size: usize, data: Vec<u8>) -> anyhow::Result<Entry> {
        let too_big = || format!("{name} is over 4 GB, more than a zip entry can hold");
        let size = u32::try_from(size).with_context(too_big)?;
        u32::try_from(data.len()).with_context(too_big)?;
        u16::try_from(name.len()).with_context(|| format!("the file name {name} is too long for a zip entry"))?;
        Ok(Entry { name, deflated, crc, size, data })
    }

    /// What the local header and the central directory both say, from "version needed"
    /// to the name's length.
    fn describe(&self, time: zip::DateTime, out: &mut Vec<u8>) {
        const VERSION_NEEDED: u16 = 20;
        // Bit 11: the name is UTF-8.
        let flags: u16 = if self.name.is_ascii() { 0 } else { 1 << 11 };
        let method: u16 = if self.deflated { 8 } else { 0 };
        for v in [VERSION_NEEDED, flags, method, time.timepart(), time.datepart()] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        // Both fit: `new` checked them.
        let compressed = self.data.len() as u32;
        for v in [self.crc, compressed, self.size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(self.name.len() as u16).to_le_bytes());
    }
}

/// A zip archive being written to `out`: each entry as it is added, the central directory
/// at the end. More than 65,535 entries take the Zip64 end records.
pub struct Archive<W: Write> {
    out: W,
    time: zip::DateTime,
    /// Bytes written so far: where the next local header starts.
    offset: u64,
    directory: Vec<u8>,
    entries: u64,
}

impl<W: Write> Archive<W> {
    /// Every entry is dated `time`.
    pub fn new(out: W, time: zip::DateTime) -> Self {
        Archive { out, time, offset: 0, directory: Vec::new(), entries: 0 }
    }

    pub fn add(&mut self, entry: &Entry) -> anyhow::Result<()> {
        let Ok(at) = u32::try_from(self.offset) else {
            bail!("the book is over 4 GB, more than this zip writer supports")
        };
        let mut header = Vec::with_capacity(30 + entry.name.len());
        header.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        entry.describe(self.time, &mut header);
        header.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        header.extend_from_slice(entry.name.as_bytes());
        self.emit(&header)?;
        self.emit(&entry.data)?;

        let d = &mut self.directory;
        d.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        d.extend_from_slice(&0x0314u16.to_le_bytes()); // made by Unix (3), version 2.0
        entry.describe(self.time, d);
        // Extra field and comment lengths, disk number, internal attributes.
        for v in [0u16, 0, 0, 0] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        // External attributes (a regular file, rw-r--r--), offset of the local header.
        for v in [0o100_644u32 << 16, at] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(entry.name.as_bytes());
        self.entries += 1;
        Ok(())
    }

    /// Writes the central directory and the end records; returns the writer, flushed.
    pub fn finish(mut self) -> anyhow::Result<W> {
        let directory_at = self.offset;
        let directory = std::mem::take(&mut self.directory);
        self.emit(&directory)?;
        let directory_len = directory.len() as u64;
        let mut end = Vec::with_capacity(98);
        let count = match u16::try_from(self.entries) {
            Ok(count) => count,
            Err(_) => {
                self.zip64_end_records(&mut end, directory_at, directory_len);
                u16::MAX
            }
        };
        let (Ok(directory_len), Ok(directory_at)) = (u32::try_from(directory_len), u32::try_from(directory_at)) else {
            bail!("the book is over 4 GB, more than this zip writer supports")
        };
        end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        // This disk, the directory's disk, entries here, entries in all.
        for v in [0u16, 0, count, count] {
            end.extend_from_slice(&v.to_le_bytes());
        }
        end.extend_from_slice(&directory_len.to_le_bytes());
        end.extend_from_slice(&directory_at.to_le_bytes());
        end.extend_from_slice(&0u16.to_le_bytes()); // comment length
        self.emit(&end)?;
        self.out.flush().context("writing the book")?;
        Ok(self.out)
    }

    /// The Zip64 end of central directory record and its locator (APPNOTE 4.3.14–15).
    fn zip64_end_records(&self, end: &mut Vec<u8>, directory_at: u64, directory_len: u64) {
        let record_at = directory_at + directory_len;
        end.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
        end.extend_from_slice(&44u64.to_le_bytes()); // size of the rest of the record
        end.extend_from_slice(&0x032du16.to_le_bytes()); // made by Unix (3), version 4.5
        end.extend_from_slice(&45u16.to_le_bytes()); // version needed: Zip64
        end.extend_from_slice(&[0; 8]); // this disk, the directory's disk
        for v in [self.entries, self.entries, directory_len, directory_at] {
            end.extend_from_slice(&v.to_le_bytes());
        }
        end.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
        end.extend_from_slice(&0u32.to_le_bytes()); // the record's disk
        end.extend_from_slice(&record_at.to_le_bytes());
        end.extend_from_slice(&1u32.to_le_bytes()); // disks in all
    }

    fn emit(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.out.write_all(bytes).context("writing the book")?;
        self.offset += bytes.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    fn time() -> zip::DateTime {
        zip::DateTime::from_date_and_time(2026, 12, 2, 9, 30, 4).expect("date")
    }

    fn archive_of(entries: &[Entry]) -> Vec<u8> {
        let mut archive = Archive::new(Vec::new(), time());
        for entry in entries {
            archive.add(entry).expect("add");
        }
        archive.finish().expect("finish")
    }

    #[test]
    fn entries_read_back_through_the_zip_crate_in_order_with_their_dates() {
        let text = "<p>Été : « FranceConnect » </p>\n".repeat(500);
        let entries = [
            Entry::stored("mimetype".into(), b"application/epub+zip".to_vec()).expect("stored"),
            Entry::deflate("OEBPS/chapitre.xhtml".into(), text.as_bytes()).expect("deflate"),
            Entry::deflate("OEBPS/images/schéma.svg".into(), text.as_bytes()).expect("deflate"),
        ];
        let bytes = archive_of(&entries);
        assert_eq!(&bytes[30..38], b"mimetype", "the first local header names mimetype, with no extra field");
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("archive");
        let names: Vec<String> =
            (0..archive.len()).map(|i| archive.name_for_index(i).expect("name").to_string()).collect();
        assert_eq!(names, ["mimetype", "OEBPS/chapitre.xhtml", "OEBPS/images/schéma.svg"]);
        let mut mimetype = archive.by_index(0).expect("mimetype");
        assert_eq!(mimetype.compression(), zip::CompressionMethod::Stored);
        let mut back = String::new();
        mimetype.read_to_string(&mut back).expect("read");
        assert_eq!(back, "application/epub+zip");
        drop(mimetype);
        for i in 1..3 {
            let mut file = archive.by_index(i).expect("entry");
            assert_eq!(file.compression(), zip::CompressionMethod::Deflated);
            assert!(file.compressed_size() < text.len() as u64 / 4, "compressed");
            assert_eq!(file.last_modified(), Some(time()));
            assert_eq!(file.unix_mode(), Some(0o100_644));
            let mut back = String::new();
            // Reading to the end checks the CRC.
            file.read_to_string(&mut back).expect("inflate");
            assert_eq!(back, text);
        }
    }

    #[test]
    fn more_than_65535_entries_take_the_zip64_end_records() {
        let entries: Vec<Entry> =
            (0..70_000).map(|i| Entry::stored(format!("f{i}"), vec![b'x']).expect("entry")).collect();
        let bytes = archive_of(&entries);
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a Zip64 archive");
        assert_eq!(archive.len(), 70_000);
        let mut last = String::new();
        archive.by_name("f69999").expect("last entry").read_to_string(&mut last).expect("read");
        assert_eq!(last, "x");
    }
}
