//! Reading the finished book back, for the fidelity audit: chapter text, links, pictures.

use crate::exporter::MemorySink;
use crate::fidelity::{count, markup_text, Counts, ReadBack};
use anyhow::Context;
use std::io::Read;

/// Documents of the book that are not chapters.
const FRONT_MATTER: [&str; 3] = ["OEBPS/title.xhtml", "OEBPS/contents.xhtml", "OEBPS/nav.xhtml"];

pub fn read_back(files: &MemorySink) -> anyhow::Result<Option<ReadBack>> {
    let Some((_, bytes)) = files.files.iter().find(|(name, _)| name.ends_with(".epub")) else { return Ok(None) };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).context("reopening the EPUB")?;
    let mut rb = ReadBack::default();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name().to_string();
        let is_chapter = name.ends_with(".xhtml") && !FRONT_MATTER.contains(&name.as_str());
        if !is_chapter && !name.ends_with(".svg") {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).with_context(|| format!("reading {name}"))?;
        rb.text.push_str(&markup_text(&text));
        rb.text.push('\n');
        if is_chapter {
            tally(&text, rb.counts.get_or_insert_with(Counts::default));
        }
    }
    Ok(Some(rb))
}

fn tally(xhtml: &str, counts: &mut Counts) {
    counts.pages += 1;
    counts.links += count(xhtml, "<a href=");
    let diagrams = count(xhtml, "src=\"images/diagram-");
    counts.diagrams += diagrams;
    counts.images += count(xhtml, "<img ") - diagrams;
}
