//! Everything decided before any topic is written: each page's topic id, file and type, the
//! element id of each of its anchors, and where each referenced asset is copied.
//!
//! Links are written from this plan, so a link and its target always agree.

use super::task;
use crate::model::{Block, Corpus, Image, Inline, LinkTarget, Page, Pos};
use crate::walk::{block_inlines, visit_blocks, visit_inlines};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicType {
    Concept,
    Task,
}

impl TopicType {
    pub fn name(self) -> &'static str {
        match self {
            TopicType::Concept => "concept",
            TopicType::Task => "task",
        }
    }
}

#[derive(Debug, Clone)]
pub struct TopicPlan {
    /// The topic's `id`, also its key name in the map and its file stem.
    pub id: String,
    /// Path inside the `dita/` folder: `topics/ID.dita`.
    pub file: String,
    pub kind: TopicType,
    /// Page anchor → element id inside the topic.
    pub anchors: BTreeMap<String, String>,
}

/// Where an asset of the assets folder goes, and the first place that uses it.
#[derive(Debug, Clone)]
pub struct AssetUse {
    /// Path inside the `dita/` folder.
    pub out: String,
    pub source: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// One per page, in the corpus's page order.
    pub topics: Vec<TopicPlan>,
    by_key: BTreeMap<String, usize>,
    /// Asset path (relative to the assets folder) → its copy.
    pub assets: BTreeMap<String, AssetUse>,
}

impl Plan {
    /// This plan's topics for `book`, a part of the corpus it was made for: the same files and
    /// ids, so that a language's map points at the topics written for the whole corpus.
    pub fn for_book(&self, book: &Corpus) -> Plan {
        let mut plan = Plan { assets: self.assets.clone(), ..Plan::default() };
        for page in &book.pages {
            if let Some(topic) = self.by_key.get(&page.key).and_then(|&i| self.topics.get(i)) {
                plan.by_key.entry(page.key.clone()).or_insert(plan.topics.len());
                plan.topics.push(topic.clone());
            }
        }
        plan
    }

    pub fn new(corpus: &Corpus) -> Self {
        // What each page needs alone is worked out page by page in parallel; names that must
        // be unique across the corpus are then given in page order.
        let pages: Vec<PagePlan> = corpus.pages.par_iter().map(PagePlan::new).collect();
        let mut used_ids = BTreeSet::new();
        let mut plan = Plan::default();
        let (mut images, mut files) = (Vec::new(), Vec::new());
        for (index, (page, planned)) in corpus.pages.iter().zip(pages).enumerate() {
            let id = unique(planned.name, &mut used_ids);
            plan.by_key.entry(page.key.clone()).or_insert(index);
            plan.topics.push(TopicPlan {
                file: format!("topics/{id}.dita"),
                id,
                kind: planned.kind,
                anchors: planned.anchors,
            });
            images.extend(planned.images);
            files.extend(planned.files);
        }
        plan.assets = plan_assets(images, files);
        plan
    }

    /// The page index and topic of a page key.
    pub fn topic(&self, key: &str) -> Option<(usize, &TopicPlan)> {
        let index = *self.by_key.get(key)?;
        self.topics.get(index).map(|t| (index, t))
    }

    /// `href` of a topic, or of an element in it, from another topic (all topics share one
    /// folder).
    pub fn xref_href(&self, key: &str, anchor: Option<&str>) -> Option<String> {
        let (_, topic) = self.topic(key)?;
        let file = topic.file.trim_start_matches("topics/");
        Some(match anchor.and_then(|a| topic.anchors.get(a)) {
            Some(element) => format!("{file}#{}/{element}", topic.id),
            None => format!("{file}#{}", topic.id),
        })
    }

    /// `href` of a copied asset, relative to the topics folder.
    pub fn asset_href(&self, path: &str) -> Option<String> {
        self.assets.get(path).map(|a| format!("../{}", crate::text::encode_path(&a.out)))
    }
}

/// A valid XML name (and DITA key name): kept when it already is one, else slugified.
pub fn xml_name(text: &str) -> String {
    let mut chars = text.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if starts_well && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        text.to_string()
    } else {
        crate::text::xml_id(text)
    }
}

/// `base`, or `base-2`, `base-3`… — unique ignoring case, as file names must be on some
/// file systems.
fn unique(base: String, used: &mut BTreeSet<String>) -> String {
    let mut candidate = base.clone();
    let mut n = 2;
    while !used.insert(candidate.to_ascii_lowercase()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

fn anchor_ids(page: &Page) -> BTreeMap<String, String> {
    let mut used = BTreeSet::new();
    page.anchors.iter().map(|a| (a.clone(), unique(xml_name(a), &mut used))).collect()
}

/// What one page contributes to the plan, before names are made unique.
struct PagePlan {
    /// The topic id wanted, from the page key.
    name: String,
    kind: TopicType,
    anchors: BTreeMap<String, String>,
    /// Assets used, with the page and place that uses them: (path, source, position).
    images: Vec<(String, String, Pos)>,
    files: Vec<(String, String, Pos)>,
}

impl PagePlan {
    fn new(page: &Page) -> Self {
        let (mut images, mut files) = (Vec::new(), Vec::new());
        visit_blocks(&page.blocks, &mut |block| collect_block_assets(page, block, &mut images, &mut files));
        PagePlan {
            name: xml_name(&page.key),
            kind: if task::is_task(page) { TopicType::Task } else { TopicType::Concept },
            anchors: anchor_ids(page),
            images,
            files,
        }
    }
}

/// Where each asset goes, from the assets the pages use in reading order: images under
/// `images/`, other linked files under `files/`; the first use of a path places it.
fn plan_assets(images: Vec<(String, String, Pos)>, files: Vec<(String, String, Pos)>) -> BTreeMap<String, AssetUse> {
    let mut plan = BTreeMap::new();
    let mut used = BTreeSet::new();
    for (folder, list) in [("images", images), ("files", files)] {
        for (path, source, pos) in list {
            if plan.contains_key(&path) {
                continue;
            }
            let rel = path.strip_prefix(&format!("{folder}/")).unwrap_or(&path);
            let out = unique_path(format!("{folder}/{rel}"), &mut used);
            plan.insert(path, AssetUse { out, source, pos });
        }
    }
    plan
}

fn collect_block_assets(
    page: &Page,
    block: &Block,
    images: &mut Vec<(String, String, Pos)>,
    files: &mut Vec<(String, String, Pos)>,
) {
    let mut add_image = |image: &Image| {
        if let LinkTarget::Asset { path } = &image.target {
            images.push((path.clone(), page.source.clone(), image.pos));
        }
    };
    // `if let` rather than `match`: only three kinds of block hold assets outside inlines.
    if let Block::Figure(f) = block {
        add_image(&f.image);
    }
    if let Block::QuoteFigure(q) = block {
        q.image.iter().for_each(&mut add_image);
    }
    if let Block::Card(c) = block {
        if let LinkTarget::Asset { path } = &c.target {
            files.push((path.clone(), page.source.clone(), c.pos));
        }
    }
    for run in block_inlines(block) {
        visit_inlines(run, &mut |inline| {
            if let Inline::Image(i) = inline {
                add_image(i);
            } else if let Inline::Link(link) = inline {
                if let LinkTarget::Asset { path } = &link.target {
                    files.push((path.clone(), page.source.clone(), link.pos));
                }
            }
        });
    }
}

/// A path not yet used: `a/b.png`, else `a/b-2.png`, `a/b-3.png`…
fn unique_path(path: String, used: &mut BTreeSet<String>) -> String {
    let (stem, ext) = match path.rfind('.') {
        Some(dot) if dot > path.rfind('/').map_or(0, |s| s + 1) => (path[..dot].to_string(), path[dot..].to_string()),
        _ => (path.clone(), String::new()),
    };
    let mut candidate = path;
    let mut n = 2;
    while !used.insert(candidate.to_ascii_lowercase()) {
        candidate = format!("{stem}-{n}{ext}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_name_keeps_valid_names_and_slugifies_others() {
        assert_eq!(xml_name("fs-pilotage-step"), "fs-pilotage-step");
        assert_eq!(xml_name("1. Vérifier"), "id-1-verifier");
        assert_eq!(xml_name("a b"), "a-b");
    }

    #[test]
    fn unique_names_get_a_numbered_suffix_ignoring_case() {
        let mut used = BTreeSet::new();
        assert_eq!(unique("A".into(), &mut used), "A");
        assert_eq!(unique("a".into(), &mut used), "a-2");
    }

    #[test]
    fn unique_paths_keep_their_extension() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_path("images/a.png".into(), &mut used), "images/a.png");
        assert_eq!(unique_path("images/a.png".into(), &mut used), "images/a-2.png");
    }
}
