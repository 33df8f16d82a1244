//! One file of the book compressed on its own, ready to be copied into the archive as it is.
//!
//! The `zip` crate starts a new compressor for every entry it writes, and zlib-rs zeroes about
//! 300 KB of tables to set one up: for a thousand short chapters that was more instructions
//! than compressing them (callgrind). Here each thread keeps one compressor and resets it
//! between files; the deflated bytes are framed as a one-entry zip archive, which the `zip`
//! crate then reads and copies into the book (`copy_into`), so the book itself is still
//! written, and checked, by `zip`.

use anyhow::Context;
use flate2::{Compress, Compression, FlushCompress, Status};
use std::cell::RefCell;
use std::io::Cursor;

thread_local! {
    /// Raw deflate at zip's default level, as `zip` itself compresses the book's entries.
    static COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::default(), false));
}

pub struct Entry(Vec<u8>);

impl Entry {
    /// `bytes` deflated under `name`, as a one-entry zip archive.
    pub fn deflate(name: &str, bytes: &[u8]) -> anyhow::Result<Entry> {
        let data = COMPRESSOR.with(|c| deflate_raw(&mut c.borrow_mut(), bytes))?;
        let crc = crc32fast::hash(bytes);
        one_entry_archive(name, &data, crc, bytes.len()).map(Entry)
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

fn deflate_raw(compress: &mut Compress, input: &[u8]) -> anyhow::Result<Vec<u8>> {
    compress.reset();
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    loop {
        let consumed = usize::try_from(compress.total_in())?;
        match compress.compress_vec(&input[consumed..], &mut out, FlushCompress::Finish)? {
            Status::StreamEnd => return Ok(out),
            Status::Ok | Status::BufError => out.reserve(out.capacity().max(4096)),
        }
    }
}

/// APPNOTE 4.3: a local header, the data, a central directory of one header, its end record.
/// The dates are left at zero: `copy_into` stamps the build time.
fn one_entry_archive(name: &str, data: &[u8], crc: u32, size: usize) -> anyhow::Result<Vec<u8>> {
    const DEFLATED: u16 = 8;
    const VERSION: u16 = 20;
    let name_len = u16::try_from(name.len()).context("entry name too long")?;
    let compressed = u32::try_from(data.len()).context("entry over 4 GB")?;
    let size = u32::try_from(size).context("entry over 4 GB")?;
    // Bit 11: the name is UTF-8.
    let flags: u16 = if name.is_ascii() { 0 } else { 1 << 11 };
    let mut out = Vec::with_capacity(data.len() + 2 * name.len() + 98);
    let put16 = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
    let put32 = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    put32(&mut out, 0x0403_4b50);
    for v in [VERSION, flags, DEFLATED, 0, 0] {
        put16(&mut out, v);
    }
    for v in [crc, compressed, size] {
        put32(&mut out, v);
    }
    put16(&mut out, name_len);
    put16(&mut out, 0);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    let directory_at = u32::try_from(out.len()).context("entry over 4 GB")?;
    put32(&mut out, 0x0201_4b50);
    // Made by Unix (3), version 2.0.
    for v in [0x0314, VERSION, flags, DEFLATED, 0, 0] {
        put16(&mut out, v);
    }
    for v in [crc, compressed, size] {
        put32(&mut out, v);
    }
    for v in [name_len, 0, 0, 0, 0] {
        put16(&mut out, v);
    }
    put32(&mut out, 0o100_644 << 16);
    put32(&mut out, 0);
    out.extend_from_slice(name.as_bytes());
    let directory_len = u32::try_from(out.len()).context("entry over 4 GB")? - directory_at;
    put32(&mut out, 0x0605_4b50);
    for v in [0, 0, 1, 1] {
        put16(&mut out, v);
    }
    put32(&mut out, directory_len);
    put32(&mut out, directory_at);
    put16(&mut out, 0);
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

    #[test]
    fn an_entry_does_not_depend_on_what_the_thread_compressed_before() {
        let text = "Le fournisseur de service redirige l'usager vers FranceConnect.".repeat(40);
        let fresh = std::thread::spawn({
            let text = text.clone();
            move || Entry::deflate("a.xhtml", text.as_bytes()).expect("deflate").0
        })
        .join()
        .expect("thread");
        let _ = Entry::deflate("b.xhtml", "Un tout autre contenu, plus long que le premier. ".repeat(900).as_bytes()).expect("deflate");
        assert_eq!(Entry::deflate("a.xhtml", text.as_bytes()).expect("deflate").0, fresh);
    }
}
