//! One file of the book compressed on its own, ready to be copied into the archive as it is.
//!
//! The `zip` crate starts a new compressor for every entry it writes (see `crate::deflate`
//! for why that costs). Here the bytes are deflated by the thread's reused compressor and
//! framed as a one-entry zip archive, which the `zip` crate then reads and copies into the
//! book (`copy_into`): the book itself is still written, and checked, by `zip`.

use anyhow::Context;
use std::io::Cursor;

pub struct Entry(Vec<u8>);

/// Deflate level of the book's files. Level 3 makes a 10,000-page book 1.5 % larger than
/// zip's default level 6 (25.3 MB against 25.0 MB) and takes a fifth less time to write.
const LEVEL: u32 = 3;

impl Entry {
    /// `bytes` deflated under `name` at `LEVEL`, as a one-entry zip archive.
    pub fn deflate(name: &str, bytes: &[u8]) -> anyhow::Result<Entry> {
        let data = crate::deflate::deflate(bytes, flate2::Compression::new(LEVEL), false)?;
        one_entry_archive(name, &data, crc32fast::hash(bytes), bytes.len()).map(Entry)
    }

    pub fn compressed_len(&self) -> usize {
        self.0.len()
    }

    /// Appends the entry to `writer`, compressed bytes as they are, dated `time`.
    pub fn copy_into(&self, writer: &mut zip::ZipWriter<Cursor<Vec<u8>>>, time: zip::DateTime) -> anyhow::Result<()> {
        let mut archive = zip::ZipArchive::new(Cursor::new(self.0.as_slice()))?;
        let file = archive.by_index_raw(0)?;
        writer.raw_copy_file_touch(file, time, Some(0o644))?;
        Ok(())
    }
}

/// APPNOTE 4.3: a local header, the data, a central directory of one header, its end record.
/// The dates are left at zero: `copy_into` stamps the build time.
fn one_entry_archive(name: &str, data: &[u8], crc: u32, size: usize) -> anyhow::Result<Vec<u8>> {
    let too_big = || anyhow::anyhow!("zip entry {name} over 4 GB");
    let name_len = u16::try_from(name.len()).context("entry name too long")?;
    let compressed = u32::try_from(data.len()).map_err(|_| too_big())?;
    let size = u32::try_from(size).map_err(|_| too_big())?;
    // Bit 11: the name is UTF-8.
    let flags: u16 = if name.is_ascii() { 0 } else { 1 << 11 };
    let mut out = Vec::with_capacity(data.len() + 2 * name.len() + 98);
    // What both headers say of the file, from "version needed" to the name's length.
    let describe = |out: &mut Vec<u8>| {
        const VERSION_NEEDED: u16 = 20;
        const DEFLATED: u16 = 8;
        for v in [VERSION_NEEDED, flags, DEFLATED, 0, 0] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, compressed, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
    };
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    describe(&mut out);
    out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    let directory_at = u32::try_from(out.len()).map_err(|_| too_big())?;
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&0x0314u16.to_le_bytes()); // made by Unix (3), version 2.0
    describe(&mut out);
    // Extra field and comment lengths, disk number, internal attributes.
    for v in [0u16, 0, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [0o100_644u32 << 16, 0] {
        // External attributes (a regular file, rw-r--r--), offset of the local header.
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(name.as_bytes());
    let directory_len = u32::try_from(out.len()).map_err(|_| too_big())? - directory_at;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    // This disk, the directory's disk, entries here, entries in all.
    for v in [0u16, 0, 1, 1] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&directory_len.to_le_bytes());
    out.extend_from_slice(&directory_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn an_entry_reads_back_as_its_bytes_through_the_zip_crate() {
        let text = "<p>Été : « FranceConnect » </p>\n".repeat(500);
        for name in ["OEBPS/chapitre.xhtml", "OEBPS/images/schéma.png"] {
            let entry = Entry::deflate(name, text.as_bytes()).expect("deflate");
            assert!(entry.compressed_len() < text.len() / 4, "compressed");
            let mut archive = zip::ZipArchive::new(Cursor::new(entry.0.as_slice())).expect("archive");
            let mut file = archive.by_index(0).expect("entry");
            assert_eq!((file.name(), file.compression()), (name, zip::CompressionMethod::Deflated));
            let mut back = String::new();
            // Reading to the end checks the CRC.
            file.read_to_string(&mut back).expect("inflate");
            assert_eq!(back, text);
        }
    }
}
