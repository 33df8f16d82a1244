//! A written file read at any offset by several threads at once, without holding it whole.
//!
//! The fidelity audit reopens the EPUB and inflates its entries on every thread. Read from its
//! file with positioned reads (`pread`), each thread's cursor costs a position, and the
//! kernel's page cache holds the bytes instead of the process.

use std::borrow::Cow;
use std::io::{self, Read, Seek, SeekFrom};

/// The bytes of a written file: in memory (a memory sink's), or in a file on disk.
pub enum RandomAccess<'a> {
    Bytes(Cow<'a, [u8]>),
    File { file: std::fs::File, len: u64 },
}

impl RandomAccess<'_> {
    fn len(&self) -> u64 {
        match self {
            RandomAccess::Bytes(bytes) => bytes.len() as u64,
            RandomAccess::File { len, .. } => *len,
        }
    }

    /// A cursor at the start; clones of it move independently.
    pub fn reader(&self) -> PositionedReader<'_> {
        PositionedReader { source: self, pos: 0 }
    }

    /// Reads at `offset` into `buf`, returning how many bytes were read (0 at the end).
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        match self {
            RandomAccess::Bytes(bytes) => {
                let start = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
                let n = buf.len().min(bytes.len() - start);
                buf[..n].copy_from_slice(&bytes[start..start + n]);
                Ok(n)
            }
            RandomAccess::File { file, .. } => file_read_at(file, buf, offset),
        }
    }
}

#[cfg(unix)]
fn file_read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn file_read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(not(any(unix, windows)))]
fn file_read_at(_file: &std::fs::File, _buf: &mut [u8], _offset: u64) -> io::Result<usize> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "positioned reads need a Unix or Windows file"))
}

/// A `Read + Seek` cursor over a `RandomAccess`: cloning it shares the source, not the position,
/// so that every thread can hold its own (the zip reader clones its reader with the archive).
#[derive(Clone)]
pub struct PositionedReader<'a> {
    source: &'a RandomAccess<'a>,
    pos: u64,
}

impl Read for PositionedReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.source.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for PositionedReader<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(delta) => self.source.len().checked_add_signed(delta),
            SeekFrom::Current(delta) => self.pos.checked_add_signed(delta),
        };
        self.pos =
            target.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start of the file"))?;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all_from(reader: &mut PositionedReader, offset: u64) -> Vec<u8> {
        reader.seek(SeekFrom::Start(offset)).expect("seek");
        let mut out = Vec::new();
        reader.read_to_end(&mut out).expect("read");
        out
    }

    #[test]
    fn clones_of_a_cursor_keep_their_own_positions() {
        let source = RandomAccess::Bytes(Cow::Borrowed(b"0123456789"));
        let mut first = source.reader();
        let mut second = first.clone();
        assert_eq!(read_all_from(&mut first, 7), b"789");
        assert_eq!(read_all_from(&mut second, 2), b"23456789");
    }

    #[test]
    fn a_file_reads_the_same_as_its_bytes_from_any_offset_and_seek_from_either_end() {
        let mut tmp = tempfile::tempfile().expect("temp file");
        tmp.write_all(b"abcdefgh").expect("write");
        let source = RandomAccess::File { file: tmp, len: 8 };
        let mut reader = source.reader();
        assert_eq!(read_all_from(&mut reader, 3), b"defgh");
        assert_eq!(reader.seek(SeekFrom::End(-2)).expect("seek"), 6);
        assert_eq!(reader.seek(SeekFrom::Current(-1)).expect("seek"), 5);
        let mut two = [0; 2];
        reader.read_exact(&mut two).expect("read");
        assert_eq!(&two, b"fg");
        assert!(reader.seek(SeekFrom::Current(-100)).is_err(), "no position before the start");
        assert_eq!(read_all_from(&mut reader, 100), b"", "past the end reads nothing");
    }
}
