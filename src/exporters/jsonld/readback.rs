//! The fidelity audit of JSON-LD: it promises each page's name and description, and each
//! question's answer (the abstract and the "En bref" summary), not the whole body.

use crate::exporter::MemorySink;
use crate::fidelity::{count, markup_text, ReadBack};
use crate::model::{Block, Corpus, PageKind};

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

pub fn read_back(files: &MemorySink) -> anyhow::Result<ReadBack> {
    let mut rb = ReadBack::default();
    for (_, bytes) in files.files.iter().filter(|(n, _)| n.starts_with("pages/") && n.ends_with(".jsonld")) {
        let text = crate::fidelity::json_strings_of(bytes)?;
        let counts = rb.counts.get_or_insert_with(Default::default);
        counts.pages += 1;
        counts.links += count(&text, "<a href=");
        rb.text.push_str(&markup_text(&text));
        rb.text.push('\n');
    }
    Ok(rb)
}

