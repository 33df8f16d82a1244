//! The navigation tree of the book (nav document and NCX): sections > pages > h2 headings,
//! in the order of the spine.

use super::plan::BookPlan;
use crate::model::{Block, Corpus, Page, Section};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Where one chapter sits in the navigation tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterToc {
    /// Sections without a landing page that open just before this chapter, outermost
    /// first, with their level: their entries point at this chapter.
    pub wrappers: Vec<(String, i32)>,
    pub level: i32,
    pub title: String,
    /// `(href, title)` of the chapter's h2 headings.
    pub headings: Vec<(String, String)>,
}

/// The navigation entry of every chapter, by page key.
pub fn toc_entries(corpus: &Corpus, plan: &BookPlan) -> BTreeMap<String, ChapterToc> {
    // Finding a page's headings is per page, so it runs in parallel; placing pages in the
    // tree follows the sections.
    let headings: Vec<Vec<(String, String)>> = corpus.pages.par_iter().map(|page| h2_headings(page, plan)).collect();
    let pages: BTreeMap<&str, Chapter> =
        corpus.pages.iter().zip(headings).map(|(p, h)| (p.key.as_str(), (p, h))).collect();
    let mut out = BTreeMap::new();
    let mut pending = Vec::new();
    for section in &corpus.sections {
        walk_section(section, 1, &pages, &mut pending, &mut out);
    }
    for (page, headings) in pages.values() {
        if !out.contains_key(&page.key) {
            out.insert(page.key.clone(), entry(page, headings, &super::plan::display_title(page), 1, Vec::new()));
        }
    }
    out
}

/// A page and its `h2` headings.
type Chapter<'a> = (&'a Page, Vec<(String, String)>);

fn walk_section(
    section: &Section,
    depth: i32,
    pages: &BTreeMap<&str, Chapter>,
    pending: &mut Vec<(String, i32)>,
    out: &mut BTreeMap<String, ChapterToc>,
) {
    let mark = pending.len();
    match section.index.as_deref().and_then(|k| pages.get(k)) {
        Some((page, headings)) => {
            out.insert(page.key.clone(), entry(page, headings, &section.title, depth, std::mem::take(pending)));
        }
        None => pending.push((section.title.clone(), depth)),
    }
    for key in section.groups.iter().flat_map(|g| &g.pages) {
        if let Some((page, headings)) = pages.get(key.as_str()) {
            let title = super::plan::display_title(page);
            out.insert(page.key.clone(), entry(page, headings, &title, depth + 1, std::mem::take(pending)));
        }
    }
    for child in &section.children {
        walk_section(child, depth + 1, pages, pending, out);
    }
    // A section with no page at all has nothing to point at.
    pending.truncate(mark);
}

fn entry(
    page: &Page,
    headings: &[(String, String)],
    title: &str,
    level: i32,
    wrappers: Vec<(String, i32)>,
) -> ChapterToc {
    // A landing page often opens with a heading that repeats its title: listed once.
    let same =
        |t: &str| t.trim().eq_ignore_ascii_case(title.trim()) || t.trim().eq_ignore_ascii_case(page.title.trim());
    let headings = headings.iter().filter(|(_, t)| !same(t)).cloned().collect();
    ChapterToc { wrappers, level, title: title.to_string(), headings }
}

/// The headings a chapter shows as `h2` (`#` and `##` in the source), with their links.
pub fn h2_headings(page: &Page, plan: &BookPlan) -> Vec<(String, String)> {
    let Some(file) = plan.file(&page.key) else { return Vec::new() };
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    crate::walk::visit_blocks(&page.blocks, &mut |block| {
        let (level, id, title) = match block {
            Block::Heading(h) => (h.level, h.attr.id.as_deref(), crate::text::plain_text(&h.content)),
            Block::Section(s) => (s.level, s.attr.id.as_deref(), crate::text::plain_text(&s.title)),
            Block::Paragraph(_)
            | Block::List(_)
            | Block::BlockQuote(_)
            | Block::Code(_)
            | Block::Diagram(_)
            | Block::Table(_)
            | Block::Figure(_)
            | Block::Callout(_)
            | Block::QuoteFigure(_)
            | Block::Card(_)
            | Block::PageList(_)
            | Block::SeeAlsoList(_)
            | Block::ThematicBreak(_)
            | Block::Raw(_) => return,
        };
        let Some(model_id) = id.filter(|_| level <= 2) else { return };
        if let Some(xhtml_id) = plan.id(&page.key, model_id).filter(|_| seen.insert(model_id.to_string())) {
            if !title.trim().is_empty() {
                found.push((format!("{file}#{xhtml_id}"), title.trim().to_string()));
            }
        }
    });
    found
}

/// How deep the navigation tree goes, for the NCX's `dtb:depth`.
pub fn depth(entries: &BTreeMap<String, ChapterToc>) -> i32 {
    entries.values().map(|e| if e.headings.is_empty() { e.level } else { e.level + 1 }).max().unwrap_or(1)
}
