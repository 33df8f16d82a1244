//! The section tree: URL folders, titled by their index page (or the breadcrumbs), ordered
//! for reading — index first, then categories in the order of their first page, pages by
//! `order` then title, then sub-sections.

use crate::model::*;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// The folder URL a page belongs to: its own URL for an index page, else its parent's.
fn folder_of(page: &Page) -> &str {
    if page.source == "index.md" || page.source.ends_with("/index.md") {
        &page.url
    } else {
        parent_url(&page.url)
    }
}

/// The parent folder of a site URL: a prefix of it, so nothing is copied.
fn parent_url(url: &str) -> &str {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => &trimmed[..=i],
        None => "/",
    }
}

/// Pages grouped by folder and by key, built once so the tree is built in linear time. It
/// borrows every string from the pages: only the sections it builds own theirs.
struct Tree<'p> {
    /// Folder URL → its sub-folder URLs.
    children: BTreeMap<&'p str, Vec<&'p str>>,
    members: HashMap<&'p str, Vec<&'p Page>>,
    by_key: HashMap<&'p str, &'p Page>,
    crumb_titles: HashMap<Cow<'p, str>, &'p str>,
}

pub fn build_sections(pages: &[Page]) -> Vec<Section> {
    let mut tree = Tree {
        children: BTreeMap::new(),
        members: HashMap::default(),
        by_key: HashMap::default(),
        crumb_titles: HashMap::default(),
    };
    let mut folders: BTreeSet<&str> = BTreeSet::new();
    for page in pages {
        let folder = folder_of(page);
        // A folder already known has its parents known too: the climb stops there.
        let mut f = folder;
        while f != "/" && folders.insert(f) {
            f = parent_url(f);
        }
        tree.members.entry(folder).or_default().push(page);
        tree.by_key.insert(page.key.as_str(), page);
        for c in &page.breadcrumb {
            // The last page to name a folder gives its title.
            tree.crumb_titles.insert(normalize(&c.href), c.title.as_str());
        }
    }
    for f in &folders {
        tree.children.entry(parent_url(f)).or_default().push(f);
    }
    let top: Vec<&str> = tree.children.get("/").cloned().unwrap_or_default();
    let mut roots: Vec<Section> = top.iter().map(|f| build_one(f, &tree)).collect();
    let root_index = tree.members.get("/").and_then(|m| m.iter().find(|p| p.url == "/").copied());
    sort_sections(&mut roots, &tree, root_index);
    if tree.members.contains_key("/") {
        let mut root = build_one("/", &Tree { children: BTreeMap::new(), ..tree });
        root.children = roots;
        return vec![root];
    }
    roots
}

/// A breadcrumb href as a folder URL, `/a/b/`; most are written so, and are borrowed.
fn normalize(href: &str) -> Cow<'_, str> {
    let inner = href.trim_matches('/');
    if inner.contains("//") {
        return Cow::Owned(format!("/{inner}/").replace("//", "/"));
    }
    if inner.is_empty() {
        return Cow::Borrowed("/");
    }
    if href.len() == inner.len() + 2 && href.starts_with('/') && href.ends_with('/') {
        return Cow::Borrowed(href);
    }
    Cow::Owned(format!("/{inner}/"))
}

fn build_one(url: &str, tree: &Tree) -> Section {
    let here: Vec<&Page> = tree.members.get(url).cloned().unwrap_or_default();
    let index = here.iter().find(|p| p.url == url).copied();
    let title = index
        .map(|p| p.title.clone())
        .or_else(|| tree.crumb_titles.get(url).map(|t| t.to_string()))
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
    let mut children: Vec<Section> = tree
        .children
        .get(url)
        .map(|subs| subs.iter().filter(|f| **f != url).map(|f| build_one(f, tree)).collect())
        .unwrap_or_default();
    sort_sections(&mut children, tree, index);
    Section { url: url.to_string(), title, index: index.map(|p| p.key.clone()), groups, children }
}

/// Sub-sections in the order their parent's index page links to them (the way a reader
/// meets them), then by their own navigation order (or `order`), then title.
fn sort_sections(sections: &mut [Section], tree: &Tree, parent_index: Option<&Page>) {
    let mentioned = parent_index.map(linked_urls).unwrap_or_default();
    let rank = |s: &Section| {
        let page = s.index.as_deref().and_then(|k| tree.by_key.get(k));
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

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn breadcrumb_hrefs_are_normalised_to_folder_urls() {
        assert_eq!(normalize("fs/projet"), "/fs/projet/");
        assert_eq!(normalize("/fs/projet/"), "/fs/projet/");
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize(""), "/");
        assert_eq!(normalize("/a//b/"), "/a/b/");
    }
}
