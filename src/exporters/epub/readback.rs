//! Reading the finished book back, for the fidelity audit: chapter text, links, pictures.

use crate::exporter::Outputs;
use crate::fidelity::{count, markup_text, Counts, ReadBack};
use crate::random_access::PositionedReader;
use anyhow::Context;
use rayon::prelude::*;
use std::io::Read;

/// Documents of the book that are not chapters.
const FRONT_MATTER: [&str; 3] = ["OEBPS/title.xhtml", "OEBPS/contents.xhtml", "OEBPS/nav.xhtml"];

pub fn read_back(files: &dyn Outputs) -> anyhow::Result<Option<ReadBack>> {
    let books: Vec<&str> = files.paths().into_iter().filter(|name| name.ends_with(".epub")).collect();
    if books.is_empty() {
        return Ok(None);
    }
    let mut read = Vec::with_capacity(books.len());
    for name in books {
        // Read where it lies: the book need not sit whole in memory beside the other read-backs.
        let book = files.random_access(name)?;
        let archive = zip::ZipArchive::new(book.reader()).with_context(|| format!("reopening {name}"))?;
        // Each thread inflates entries through its own handle on the archive (a clone shares the
        // central directory).
        let entries = (0..archive.len()).into_par_iter().map_init(|| archive.clone(), read_entry);
        read.push(Ok(ReadBack::gather_texts(entries)?));
    }
    ReadBack::gather(read.into_par_iter()).map(Some)
}

/// The text of a chapter or drawn picture, and a chapter's counts; `None` for other entries.
fn read_entry(
    archive: &mut zip::ZipArchive<PositionedReader>,
    i: usize,
) -> anyhow::Result<Option<(String, Option<Counts>)>> {
    let mut entry = archive.by_index(i)?;
    let name = entry.name().to_string();
    let is_chapter = name.ends_with(".xhtml") && !FRONT_MATTER.contains(&name.as_str());
    if !is_chapter && !name.ends_with(".svg") {
        return Ok(None);
    }
    let mut xhtml = String::new();
    entry.read_to_string(&mut xhtml).with_context(|| format!("reading {name}"))?;
    Ok(Some((markup_text(&xhtml), is_chapter.then(|| tally(&xhtml)))))
}

fn tally(xhtml: &str) -> Counts {
    let diagrams = count(xhtml, "src=\"images/diagram-");
    Counts { pages: 1, links: count(xhtml, "<a href="), images: count(xhtml, "<img ") - diagrams, diagrams }
}
