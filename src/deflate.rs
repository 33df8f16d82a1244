//! Deflate with one compressor per thread and setting, reset between inputs.
//!
//! Setting a compressor up makes zlib-rs zero about 300 KB of tables: more work than
//! compressing a short chapter or a page's content stream. The EPUB entries and the PDF
//! streams, thousands of each, all come through here instead of starting one apiece.

use anyhow::Context;
use flate2::{Compress, Compression, FlushCompress, Status};
use std::cell::RefCell;

thread_local! {
    /// (level, zlib header) → this thread's compressor for that setting.
    static COMPRESSORS: RefCell<Vec<((u32, bool), Compress)>> = const { RefCell::new(Vec::new()) };
}

/// `input` deflated at `level`: a zlib stream when `zlib_header` (PDF's FlateDecode), raw
/// deflate otherwise (zip entries).
pub fn deflate(input: &[u8], level: Compression, zlib_header: bool) -> anyhow::Result<Vec<u8>> {
    let setting = (level.level(), zlib_header);
    COMPRESSORS.with(|cell| {
        let mut compressors = cell.borrow_mut();
        let at = match compressors.iter().position(|(s, _)| *s == setting) {
            Some(at) => at,
            None => {
                compressors.push((setting, Compress::new(level, zlib_header)));
                compressors.len() - 1
            }
        };
        finish(&mut compressors[at].1, input).context("deflating")
    })
}

fn finish(compress: &mut Compress, input: &[u8]) -> anyhow::Result<Vec<u8>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(bytes: &[u8], zlib_header: bool) -> String {
        let mut out = String::new();
        if zlib_header {
            flate2::read::ZlibDecoder::new(bytes).read_to_string(&mut out).expect("zlib");
        } else {
            flate2::read::DeflateDecoder::new(bytes).read_to_string(&mut out).expect("deflate");
        }
        out
    }

    #[test]
    fn both_framings_inflate_back_to_their_input_at_every_level_used() {
        let text = "Le fournisseur de service redirige l'usager vers FranceConnect. ".repeat(300);
        for level in [Compression::fast(), Compression::new(3), Compression::default()] {
            for zlib_header in [true, false] {
                let packed = deflate(text.as_bytes(), level, zlib_header).expect("deflate");
                assert!(packed.len() < text.len() / 4);
                assert_eq!(inflate(&packed, zlib_header), text);
            }
        }
    }

    #[test]
    fn an_output_does_not_depend_on_what_the_thread_compressed_before() {
        let text = "Le fournisseur de service redirige l'usager vers FranceConnect.".repeat(40);
        let fresh = std::thread::spawn({
            let text = text.clone();
            move || deflate(text.as_bytes(), Compression::default(), false).expect("deflate")
        })
        .join()
        .expect("thread");
        let _ = deflate("Un tout autre contenu, plus long que le premier. ".repeat(900).as_bytes(), Compression::default(), false).expect("deflate");
        assert_eq!(deflate(text.as_bytes(), Compression::default(), false).expect("deflate"), fresh);
    }
}
