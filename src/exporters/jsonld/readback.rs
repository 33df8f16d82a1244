//! The fidelity audit of JSON-LD: it promises each page's name and description, and each
//! question's answer (the abstract and the "En bref" summary), not the whole body.

use crate::exporter::Outputs;
use crate::fidelity::{count, markup_text, Counts, ReadBack};
use crate::model::{Block, Corpus, PageKind};
use rayon::prelude::*;

pub fn promised_text(corpus: &Corpus) -> String {
    let mut out = String::new();
    for page in &corpus.pages {
        out.push_str(&page.title);
        out.push('\n');
        out.extend(page.summary.as_deref());
        out.push('\n');
        if page.kind == PageKind::Question {
            for block in &page.blocks {
                if let Block::Callout(c) = block {
                    if c.is_summary() {
                        out.push_str(&crate::text::blocks_plain_text(&c.blocks));
                        out.push('\n');
                    }
                }
            }
        }
    }
    out
}

pub fn read_back(files: &dyn Outputs) -> anyhow::Result<ReadBack> {
    let pages: Vec<&str> =
        files.paths().into_iter().filter(|n| n.starts_with("pages/") && n.ends_with(".jsonld")).collect();
    ReadBack::gather_texts(pages.par_iter().map(|path| {
        let strings = crate::json_strings::json_strings_of(&files.read(path)?)?;
        let counts = Counts { pages: 1, links: count(&strings, "<a href="), ..Counts::default() };
        Ok(Some((markup_text(&strings), Some(counts))))
    }))
}
