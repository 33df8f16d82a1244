//! Deflate for the EPUB's entries and the PDF's streams, thousands of each: libdeflate, with
//! one compressor per thread and level.
//!
//! Every input here is whole in memory, so nothing needs a streaming compressor, and
//! libdeflate compresses a whole buffer in one call, faster than zlib-rs for barely larger
//! output (BENCHMARKS.md). A compressor holds no state between calls,
//! and setting one up costs more than compressing a short chapter, so each thread keeps its
//! own.

use anyhow::Context;
use libdeflater::{CompressionLvl, Compressor};
use std::cell::RefCell;

/// How hard the compressor looks for repeats: libdeflate's levels, 1 (fastest) to 12.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level(u8);

impl Level {
    /// The fastest level: for text that is written once and read rarely (EPUB entries), and
    /// for raw pixels, which gain little from the slower levels.
    pub const FAST: Level = Level(1);
    /// libdeflate's default, for what is compressed once and kept small (PDF page content).
    pub const DEFAULT: Level = Level(6);
}

/// The container around the deflate data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// Raw deflate, as in a zip entry.
    Raw,
    /// A zlib stream (header and Adler-32), as PDF's FlateDecode reads.
    Zlib,
}

/// A thread's compressors and the buffer they write into, reused from call to call.
struct Workspace {
    compressors: Vec<(Level, Compressor)>,
    /// Sized for the largest input so far; each result is copied out at its own length.
    scratch: Vec<u8>,
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = const { RefCell::new(Workspace { compressors: Vec::new(), scratch: Vec::new() }) };
}

/// `input` deflated at `level`, in `framing`.
pub fn deflate(input: &[u8], level: Level, framing: Framing) -> anyhow::Result<Vec<u8>> {
    WORKSPACE.with(|cell| {
        let Workspace { compressors, scratch } = &mut *cell.borrow_mut();
        let compressor = compressor_for(compressors, level)?;
        let bound = match framing {
            Framing::Raw => compressor.deflate_compress_bound(input.len()),
            Framing::Zlib => compressor.zlib_compress_bound(input.len()),
        };
        if scratch.len() < bound {
            scratch.resize(bound, 0);
        }
        let written = match framing {
            Framing::Raw => compressor.deflate_compress(input, scratch),
            Framing::Zlib => compressor.zlib_compress(input, scratch),
        }
        // The buffer is sized by libdeflate's own bound, so this is libdeflate failing.
        .with_context(|| format!("deflating {} bytes", input.len()))?;
        Ok(scratch[..written].to_vec())
    })
}

fn compressor_for(compressors: &mut Vec<(Level, Compressor)>, level: Level) -> anyhow::Result<&mut Compressor> {
    let at = match compressors.iter().position(|(l, _)| *l == level) {
        Some(at) => at,
        None => {
            let setting = CompressionLvl::new(i32::from(level.0))
                .map_err(|e| anyhow::anyhow!("deflate level {}: {e:?}", level.0))?;
            compressors.push((level, Compressor::new(setting)));
            compressors.len() - 1
        }
    };
    Ok(&mut compressors[at].1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(bytes: &[u8], framing: Framing) -> String {
        let mut out = String::new();
        match framing {
            Framing::Zlib => flate2::read::ZlibDecoder::new(bytes).read_to_string(&mut out),
            Framing::Raw => flate2::read::DeflateDecoder::new(bytes).read_to_string(&mut out),
        }
        .expect("inflate");
        out
    }

    #[test]
    fn both_framings_inflate_back_to_their_input_at_every_level_used() {
        let text = "Le fournisseur de service redirige l'usager vers FranceConnect. ".repeat(300);
        for level in [Level::FAST, Level::DEFAULT] {
            for framing in [Framing::Raw, Framing::Zlib] {
                let packed = deflate(text.as_bytes(), level, framing).expect("deflate");
                assert!(packed.len() < text.len() / 4);
                assert_eq!(inflate(&packed, framing), text);
            }
        }
    }

    #[test]
    fn an_empty_input_inflates_back_to_nothing() {
        for framing in [Framing::Raw, Framing::Zlib] {
            assert_eq!(inflate(&deflate(b"", Level::FAST, framing).expect("deflate"), framing), "");
        }
    }

    #[test]
    fn an_output_does_not_depend_on_what_the_thread_compressed_before() {
        let text = "Le fournisseur de service redirige l'usager vers FranceConnect.".repeat(40);
        let fresh = std::thread::spawn({
            let text = text.clone();
            move || deflate(text.as_bytes(), Level::FAST, Framing::Raw).expect("deflate")
        })
        .join()
        .expect("thread");
        let _ = deflate(
            "Un tout autre contenu, plus long que le premier. ".repeat(900).as_bytes(),
            Level::FAST,
            Framing::Raw,
        )
        .expect("deflate");
        assert_eq!(deflate(text.as_bytes(), Level::FAST, Framing::Raw).expect("deflate"), fresh);
    }
}
