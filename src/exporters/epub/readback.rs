//! Reading the finished book back, for the fidelity audit: chapter text, links, pictures.

use crate::exporter::MemorySink;
use crate::fidelity::{count, markup_text, Counts, ReadBack};
use anyhow::Context;
use rayon::prelude::*;
use std::io::Read;

/// Documents of the book that are not chapters.
const FRONT_MATTER: [&str; 3] = ["OEBPS/title.xhtml", "OEBPS/contents.xhtml", "OEBPS/nav.xhtml"];

pub fn read_back(files: &MemorySink) -> anyhow::Result<Option<ReadBack>> {
    let Some((_, bytes)) = files.files.iter().find(|(name, _)| name.ends_with(".epub")) else { return Ok(None) };
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).context("reopening the EPUB")?;
    // Each thread inflates entries through its own handle on the archive (a clone shares the
    // central directory).
    let parts: anyhow::Result<Vec<_>> = (0..archive.len())
        .into_par_iter()
        .map_init(|| archive.clone(), read_entry)
        .filter_map(Result::transpose)
        .collect();
    Ok(Some(ReadBack::join(parts?)))
}

/// The text of a chapter or drawn picture, and a chapter's counts; `None` for other entries.
fn read_entry(archive: &mut zip::ZipArchive<std::io::Cursor<&Vec<u8>>>, i: usize) -> anyhow::Result<Option<(String, Option<Counts>)>> {
    let mut entry = archive.by_index(i)?;
    let name = entry.name().to_string();
    let is_chapter = name.ends_with(".xhtml") && !FRONT_MATTER.contains(&name.as_str());
    if !is_chapter && !name.ends_with(".svg") {
        return Ok(None);
    }
    let mut xhtml = String::new();
    entry.read_to_string(&mut xhtml).with_context(|| format!("reading {name}"))?;
    let mut text = markup_text(&xhtml);
    text.push('\n');
    Ok(Some((text, is_chapter.then(|| tally(&xhtml)))))
}

fn tally(xhtml: &str) -> Counts {
    let diagrams = count(xhtml, "src=\"images/diagram-");
    Counts { pages: 1, links: count(xhtml, "<a href="), images: count(xhtml, "<img ") - diagrams, diagrams }
}
