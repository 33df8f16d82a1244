//! Which pages a guide holds, and in what order: `[output.pdf] guides = [...]`, or by
//! default the whole site in reading order, one part per top-level section.

use crate::model::{Corpus, Page, Section};
use anyhow::Context as _;
use serde::Deserialize;
use std::collections::BTreeSet;

/// `[output.pdf]` options.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    #[serde(default)]
    pub guides: Vec<GuideSpec>,
    /// Overrides of `exporters/pdf/theme.toml`.
    pub theme: Option<toml::Value>,
    /// Font files tried before the standard ones for characters DejaVu lacks.
    #[serde(default)]
    pub fallback_fonts: Vec<std::path::PathBuf>,
    /// Pages a drawn chunk should not exceed: the memory of a build grows with it (a chapter
    /// is cut where a page starts cleanly; a stretch with no such start stays whole).
    #[serde(default = "default_chunk_pages")]
    pub chunk_pages: usize,
}

fn default_chunk_pages() -> usize {
    100
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideSpec {
    /// File name without `.pdf`.
    pub name: String,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// Section URLs (`/fs/pilotage/`) or category names, one part each, in order.
    pub sections: Vec<String>,
}

impl Options {
    pub fn parse(table: &toml::Table) -> anyhow::Result<Options> {
        toml::Value::Table(table.clone()).try_into().context("invalid [output.pdf] options")
    }
}

#[derive(Debug, Clone)]
pub struct Guide<'a> {
    pub name: String,
    pub title: String,
    pub subtitle: String,
    pub parts: Vec<Part<'a>>,
}

#[derive(Debug, Clone)]
pub struct Part<'a> {
    pub title: String,
    pub pages: Vec<&'a Page>,
}

impl Guide<'_> {
    pub fn page_keys(&self) -> BTreeSet<String> {
        self.parts.iter().flat_map(|p| &p.pages).map(|p| p.key.clone()).collect()
    }
}

/// The guides to print. A guide name must be a safe file name; an unknown section or
/// category is an error (it is a typo in `folio.toml`).
pub fn guides<'a>(corpus: &'a Corpus, options: &Options) -> anyhow::Result<Vec<Guide<'a>>> {
    if options.guides.is_empty() {
        return Ok(vec![default_guide(corpus)]);
    }
    options.guides.iter().map(|spec| guide_from_spec(corpus, spec)).collect()
}

fn guide_from_spec<'a>(corpus: &'a Corpus, spec: &GuideSpec) -> anyhow::Result<Guide<'a>> {
    anyhow::ensure!(
        !spec.name.is_empty() && spec.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "guide name {:?} must be letters, digits, - or _",
        spec.name
    );
    let mut parts = Vec::new();
    for entry in &spec.sections {
        let part = if entry.starts_with('/') {
            let section = find_section(&corpus.sections, entry)
                .with_context(|| format!("guide {}: no section {entry}", spec.name))?;
            Part { title: section.title.clone(), pages: section_pages(corpus, section) }
        } else {
            let pages: Vec<&Page> =
                corpus.pages.iter().filter(|p| p.category.as_deref() == Some(entry.as_str())).collect();
            anyhow::ensure!(!pages.is_empty(), "guide {}: no page has the category {entry:?}", spec.name);
            Part { title: entry.clone(), pages }
        };
        parts.push(part);
    }
    Ok(Guide {
        name: spec.name.clone(),
        title: spec.title.clone().unwrap_or_else(|| corpus.site.title.clone()),
        subtitle: spec.subtitle.clone().unwrap_or_else(|| corpus.site.description.clone()),
        parts,
    })
}

/// The whole site: one part per section (a top-level section with sub-sections gives a part
/// for its own pages and one per sub-section), then the pages no section holds.
pub fn default_guide(corpus: &Corpus) -> Guide<'_> {
    let mut parts: Vec<Part> = Vec::new();
    let mut seen = BTreeSet::new();
    for top in &corpus.sections {
        let mut groups: Vec<(&Section, Vec<&Page>)> = Vec::new();
        if top.children.is_empty() {
            groups.push((top, section_pages(corpus, top)));
        } else {
            groups.push((top, own_pages(corpus, top)));
            groups.extend(top.children.iter().map(|child| (child, section_pages(corpus, child))));
        }
        for (section, pages) in groups {
            let pages: Vec<&Page> = pages.into_iter().filter(|p| seen.insert(p.key.clone())).collect();
            if !pages.is_empty() {
                parts.push(Part { title: section.title.clone(), pages });
            }
        }
    }
    let rest: Vec<&Page> = corpus.pages.iter().filter(|p| !seen.contains(&p.key)).collect();
    if !rest.is_empty() {
        parts.push(Part { title: crate::languages::book_labels(corpus).other_pages.to_string(), pages: rest });
    }
    Guide {
        name: "guide".to_string(),
        title: corpus.site.title.clone(),
        subtitle: corpus.site.description.clone(),
        parts,
    }
}

fn find_section<'a>(sections: &'a [Section], url: &str) -> Option<&'a Section> {
    sections.iter().find_map(|s| if s.url == url { Some(s) } else { find_section(&s.children, url) })
}

/// A section's own pages: its index, then its groups, in reading order.
fn own_pages<'a>(corpus: &'a Corpus, section: &Section) -> Vec<&'a Page> {
    let keys = section.index.iter().chain(section.groups.iter().flat_map(|g| &g.pages));
    keys.filter_map(|k| corpus.pages.iter().find(|p| &p.key == k)).collect()
}

/// A section's pages and those of its sub-sections, depth first.
fn section_pages<'a>(corpus: &'a Corpus, section: &Section) -> Vec<&'a Page> {
    let mut pages = own_pages(corpus, section);
    for child in &section.children {
        pages.extend(section_pages(corpus, child));
    }
    pages
}
