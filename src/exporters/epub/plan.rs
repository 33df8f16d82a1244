//! Where everything lives inside the book, decided before any chapter is written, so that
//! a link can point at a chapter that comes later.

use crate::model::{Block, Corpus, Page};
use crate::walk::visit_blocks;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// File of the title page.
pub const TITLE_FILE: &str = "title.xhtml";
/// File of the human-readable table of contents.
pub const CONTENTS_FILE: &str = "contents.xhtml";
/// Ids the chapter template itself uses; headings never take them.
pub const TEMPLATE_IDS: [&str; 3] = ["folio-title", "folio-breadcrumb", "folio-see-also"];
/// Names epub-builder or the template already use in the package folder.
const RESERVED_STEMS: [&str; 6] = ["title", "contents", "nav", "toc", "stylesheet", "content"];

#[derive(Debug, Default)]
pub struct BookPlan {
    /// Page key → chapter file name (`fs-pilotage.xhtml`).
    files: BTreeMap<String, String>,
    /// Page key → (model id → XHTML id) for every heading and section id of the page.
    ids: BTreeMap<String, BTreeMap<String, String>>,
    /// Page key → title.
    titles: BTreeMap<String, String>,
}

impl BookPlan {
    pub fn new(corpus: &Corpus) -> Self {
        // What each page decides alone is worked out in parallel; file names, unique across
        // the book, are given in reading order.
        let per_page: Vec<(String, BTreeMap<String, String>, String)> = corpus
            .pages
            .par_iter()
            .map(|page| (crate::text::xml_id(&page.key), page_ids(page), display_title(page)))
            .collect();
        let mut plan = BookPlan::default();
        let mut used_stems: BTreeSet<String> = RESERVED_STEMS.iter().map(|s| s.to_string()).collect();
        for (page, (stem, ids, title)) in corpus.pages.iter().zip(per_page) {
            let stem = unique(&stem, &mut used_stems);
            plan.files.insert(page.key.clone(), format!("{stem}.xhtml"));
            plan.ids.insert(page.key.clone(), ids);
            plan.titles.insert(page.key.clone(), title);
        }
        plan
    }

    /// The chapter file of a page, if the page is in the book.
    pub fn file(&self, key: &str) -> Option<&str> {
        self.files.get(key).map(String::as_str)
    }

    /// Every page key with its chapter file.
    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    /// The display title of a page (see `display_title`).
    pub fn title(&self, key: &str) -> Option<&str> {
        self.titles.get(key).map(String::as_str)
    }

    /// The XHTML id a model id (`#anchor`) of a page has in its chapter.
    pub fn id(&self, key: &str, model_id: &str) -> Option<&str> {
        self.ids.get(key)?.get(model_id).map(String::as_str)
    }
}

/// The title a page is shown under: its own, or its key when it has none.
pub fn display_title(page: &Page) -> String {
    if page.title.trim().is_empty() {
        page.key.clone()
    } else {
        page.title.clone()
    }
}

/// Model id → XHTML id for one page. Model ids are slugs that may start with a digit
/// (`1-verifier-…`), which an XML id may not; the first occurrence of an id wins.
fn page_ids(page: &Page) -> BTreeMap<String, String> {
    let mut used: BTreeSet<String> = TEMPLATE_IDS.iter().map(|s| s.to_string()).collect();
    let mut ids = BTreeMap::new();
    visit_blocks(&page.blocks, &mut |block| {
        if let Some(id) = block_id(block).filter(|id| !ids.contains_key(*id)) {
            ids.insert(id.to_string(), unique(&xhtml_id(id), &mut used));
        }
    });
    ids
}

/// The id a block carries: only headings and sections have one.
pub fn block_id(block: &Block) -> Option<&str> {
    if let Block::Heading(h) = block {
        return h.attr.id.as_deref();
    }
    if let Block::Section(s) = block {
        return s.attr.id.as_deref();
    }
    None
}

/// `id` itself when it is already a valid XML name made of ASCII, else an `xml_id` of it.
pub fn xhtml_id(id: &str) -> String {
    let mut chars = id.chars();
    let valid_start = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if valid_start && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        id.to_string()
    } else {
        crate::text::xml_id(id)
    }
}

/// `base`, or `base-2`, `base-3`… whichever is not taken yet; records the choice.
pub fn unique(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_starting_with_a_digit_get_a_prefix() {
        assert_eq!(xhtml_id("1-verifier"), "id-1-verifier");
        assert_eq!(xhtml_id("quels-acteurs"), "quels-acteurs");
    }

    #[test]
    fn unique_appends_a_counter_to_taken_names() {
        let mut used = BTreeSet::from(["nav".to_string()]);
        assert_eq!(unique("nav", &mut used), "nav-2");
        assert_eq!(unique("nav", &mut used), "nav-3");
    }
}
