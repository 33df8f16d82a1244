//! The section tree: URL folders, titled by their index page (or the breadcrumbs), ordered
//! for reading — index first, then categories in the order of their first page, pages by
//! `order` then title, then sub-sections.

use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// The folder URL a page belongs to: its own URL for an index page, else its parent's.
pub fn folder_of(page: &Page) -> String {
    if page.source == "index.md" || page.source.ends_with("/index.md") {
        page.url.clone()
    } else {
        parent_url(&page.url)
    }
}

fn parent_url(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => trimmed[..=i].to_string(),
        None => "/".into(),
    }
}

pub fn build_sections(pages: &[Page]) -> Vec<Section> {
    let mut folders: BTreeSet<String> = BTreeSet::new();
    for page in pages {
        let mut f = folder_of(page);
        while f != "/" {
            folders.insert(f.clone());
            f = parent_url(&f);
        }
    }
    let has_root_pages = pages.iter().any(|p| folder_of(p) == "/");
    let crumb_titles: BTreeMap<String, String> = pages
        .iter()
        .flat_map(|p| &p.breadcrumb)
        .map(|c| (normalize(&c.href), c.title.clone()))
        .collect();
    let mut roots: Vec<Section> = folders
        .iter()
        .filter(|f| parent_url(f) == "/")
        .map(|f| build_one(f, &folders, pages, &crumb_titles))
        .collect();
    let root_index = pages.iter().find(|p| p.url == "/");
    sort_sections(&mut roots, pages, root_index);
    if has_root_pages {
        let mut root = build_one("/", &BTreeSet::new(), pages, &crumb_titles);
        root.children = roots;
        return vec![root];
    }
    roots
}

fn normalize(href: &str) -> String {
    format!("/{}/", href.trim_matches('/')).replace("//", "/")
}

fn build_one(url: &str, folders: &BTreeSet<String>, pages: &[Page], crumbs: &BTreeMap<String, String>) -> Section {
    let here: Vec<&Page> = pages.iter().filter(|p| folder_of(p) == url).collect();
    let index = here.iter().find(|p| p.url == url).copied();
    let title = index
        .map(|p| p.title.clone())
        .or_else(|| crumbs.get(url).cloned())
        .unwrap_or_else(|| url.trim_matches('/').rsplit('/').next().unwrap_or("").to_string());
    let mut members: Vec<&Page> = here.into_iter().filter(|p| p.url != url).collect();
    members.sort_by(|a, b| (a.sort_order(), &a.title, &a.key).cmp(&(b.sort_order(), &b.title, &b.key)));
    let mut groups: Vec<CategoryGroup> = Vec::new();
    for p in members {
        match groups.iter_mut().find(|g| g.category == p.category) {
            Some(g) => g.pages.push(p.key.clone()),
            None => groups.push(CategoryGroup { category: p.category.clone(), pages: vec![p.key.clone()] }),
        }
    }
    let mut children: Vec<Section> = folders
        .iter()
        .filter(|f| f.as_str() != url && parent_url(f) == url)
        .map(|f| build_one(f, folders, pages, crumbs))
        .collect();
    sort_sections(&mut children, pages, index);
    Section { url: url.to_string(), title, index: index.map(|p| p.key.clone()), groups, children }
}

/// Sub-sections in the order their parent's index page links to them (the way a reader
/// meets them), then by their own navigation order (or `order`), then title.
fn sort_sections(sections: &mut [Section], pages: &[Page], parent_index: Option<&Page>) {
    let mentioned = parent_index.map(linked_urls).unwrap_or_default();
    let rank = |s: &Section| {
        let page = s.index.as_ref().and_then(|k| pages.iter().find(|p| &p.key == k));
        let nav = page.and_then(|p| p.navigation.as_ref().and_then(|n| n.order).or(p.order)).unwrap_or(999);
        (mentioned.iter().position(|u| u == &s.url).unwrap_or(usize::MAX), nav)
    };
    sections.sort_by(|a, b| (rank(a), &a.title, &a.url).cmp(&(rank(b), &b.title, &b.url)));
}

/// Folder URLs an index page links to (cards and links), in order of appearance.
fn linked_urls(page: &Page) -> Vec<String> {
    let mut urls = Vec::new();
    let mut add = |href: &str| {
        if let Some(u) = crate::links::join_url(&page.url, href.split('#').next().unwrap_or("")) {
            let u = if u.ends_with('/') { u } else { format!("{u}/") };
            if !urls.contains(&u) {
                urls.push(u);
            }
        }
    };
    crate::walk::visit_blocks(&page.blocks, &mut |block| {
        if let Block::Card(c) = block {
            add(&c.href);
        }
        for run in crate::walk::block_inlines(block) {
            crate::walk::visit_inlines(run, &mut |inline| {
                if let Inline::Link(l) = inline {
                    add(&l.href);
                }
            });
        }
    });
    urls
}

/// Page keys in reading order: depth-first, index before members before sub-sections.
pub fn reading_order(sections: &[Section]) -> Vec<String> {
    let mut out = Vec::new();
    for s in sections {
        push_order(s, &mut out);
    }
    out
}

fn push_order(s: &Section, out: &mut Vec<String>) {
    out.extend(s.index.clone());
    for g in &s.groups {
        out.extend(g.pages.iter().cloned());
    }
    for c in &s.children {
        push_order(c, out);
    }
}
