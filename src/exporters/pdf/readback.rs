//! Reading the guides back for the fidelity audit, through poppler's `pdftotext` when it is
//! installed (the PDF's fonts are subset with glyph-index encodings, which need a real text
//! extractor). Line-end hyphens are joined, as a reader would, and so are code lines the
//! guide wrapped with its `↩` marker. A long guide is read as page ranges, by several
//! `pdftotext -f/-l` runs side by side.

use crate::exporter::Outputs;
use crate::fidelity::ReadBack;
use rayon::prelude::*;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Fewer pages than this per run and starting `pdftotext` again costs more than it saves.
const MIN_PAGES_PER_RUN: usize = 64;

pub fn read_back(files: &dyn Outputs) -> anyhow::Result<Option<ReadBack>> {
    let mut read = ReadBack::default();
    for name in files.paths().into_iter().filter(|n| n.ends_with(".pdf")) {
        let guide = GuideFile::of(files, name)?;
        match read_guide(guide.path()) {
            Some(words) => read = read.merge(words),
            // Without poppler there is nothing trustworthy to read the PDF with: not audited.
            None => return Ok(None),
        }
    }
    Ok(Some(read))
}

/// A guide on disk for poppler to read: where the sink wrote it, or a temporary copy.
struct GuideFile {
    path: PathBuf,
    temporary: bool,
}

impl GuideFile {
    fn of(files: &dyn Outputs, name: &str) -> anyhow::Result<GuideFile> {
        if let Some(path) = files.disk_path(name) {
            return Ok(GuideFile { path, temporary: false });
        }
        let file_name = name.replace('/', "_");
        let path = std::env::temp_dir().join(format!("folio-audit-{}-{file_name}", std::process::id()));
        std::fs::write(&path, files.read(name)?)?;
        Ok(GuideFile { path, temporary: true })
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for GuideFile {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The words of one guide, its page ranges read in parallel; `None` without poppler.
fn read_guide(path: &Path) -> Option<ReadBack> {
    let runs = rayon::current_num_threads() * 2;
    let ranges = match page_count(path) {
        Some(pages) => page_ranges(pages, runs),
        // Without `pdfinfo`, one run over the whole guide.
        None => vec![None],
    };
    // Every range ends with its last page's form feed, so no hyphen or wrap marker is joined
    // across two ranges: their words are those of the whole text.
    let parts: Option<Vec<ReadBack>> = ranges
        .into_par_iter()
        .map(|range| pdftotext(path, range).map(|text| ReadBack::of_text(&join_wrapped_lines(&text), None)))
        .collect();
    Some(parts?.into_iter().fold(ReadBack::default(), ReadBack::merge))
}

/// The text of `range` of the guide's pages (all of them for `None`).
fn pdftotext(path: &Path, range: Option<RangeInclusive<usize>>) -> Option<String> {
    let mut command = Command::new("pdftotext");
    command.args(["-enc", "UTF-8"]);
    if let Some(range) = range {
        command.args(["-f", &range.start().to_string(), "-l", &range.end().to_string()]);
    }
    match command.arg(path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => None,
    }
}

/// The number of pages of a PDF, as poppler's `pdfinfo` reads it.
fn page_count(path: &Path) -> Option<usize> {
    let out = Command::new("pdfinfo").arg(path).output().ok().filter(|o| o.status.success())?;
    let info = String::from_utf8_lossy(&out.stdout);
    info.lines().find_map(|l| l.strip_prefix("Pages:")?.trim().parse().ok())
}

/// `pages` (numbered from 1) cut into at most `runs` consecutive ranges of nearly equal
/// length, none shorter than `MIN_PAGES_PER_RUN` unless it is the only one.
fn page_ranges(pages: usize, runs: usize) -> Vec<Option<RangeInclusive<usize>>> {
    let runs = runs.min(pages / MIN_PAGES_PER_RUN).max(1);
    let (base, longer) = (pages / runs, pages % runs);
    let mut first = 1;
    (0..runs)
        .map(|i| {
            let len = base + usize::from(i < longer);
            let range = first..=first + len - 1;
            first += len;
            Some(range)
        })
        .collect()
}

/// `inté-\ngration` → `intégration`; `eyJzdWIi↩\nOiI3` → `eyJzdWIiOiI3`.
fn join_wrapped_lines(text: &str) -> String {
    let marker = format!("{}\n", super::text::WRAP_MARKER);
    text.replace("-\n", "").replace(&marker, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_words_and_wrapped_code_lines_are_joined() {
        assert_eq!(super::join_wrapped_lines("inté-\ngration eyJzd↩\nWIi"), "intégration eyJzdWIi");
    }

    #[test]
    fn page_ranges_cover_every_page_once_in_order() {
        let ranges: Vec<RangeInclusive<usize>> = page_ranges(1000, 4).into_iter().flatten().collect();
        assert_eq!(ranges, [1..=250, 251..=500, 501..=750, 751..=1000]);
        let uneven: Vec<RangeInclusive<usize>> = page_ranges(203, 3).into_iter().flatten().collect();
        assert_eq!(uneven, [1..=68, 69..=136, 137..=203]);
    }

    #[test]
    fn a_short_guide_is_read_in_one_run() {
        assert_eq!(page_ranges(95, 4), [Some(1..=95)]);
    }
}
