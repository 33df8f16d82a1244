//! The corpus-wide assembly that needs every page: unique keys, sections, reading order, page
//! lists and link resolution.
//!
//! Each step borrows what it reads from the pages instead of copying it. The steps that fill
//! page bodies (page lists, links) work on bodies moved out of the pages (`PageBody`), so that
//! their indexes can borrow keys, titles and URLs from the pages meanwhile.

use super::page::Parsed;
use crate::assets::AssetStore;
use crate::diagnostics::Diagnostic;
use crate::links::PageBody;
use crate::model::*;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Builds the corpus from the parsed files, given in path order.
pub fn assemble(
    parsed: Vec<Parsed>,
    site: SiteMeta,
    assets: &AssetStore,
    site_urls: &std::collections::HashSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Corpus {
    let mut pages = Vec::new();
    let mut records = Vec::new();
    for p in parsed {
        match p {
            Parsed::Page(page) => pages.push(*page),
            Parsed::Record(r) => records.push(*r),
        }
    }
    let folders: BTreeSet<String> =
        crate::languages::language_folders(pages.iter().map(|p| p.source.as_str()), &site.language)
            .into_iter()
            .map(str::to_string)
            .collect();
    for page in pages.iter_mut().filter(|p| p.language.is_empty()) {
        let folder = page.source.split_once('/').map(|(top, _)| top).filter(|top| folders.contains(*top));
        page.language = folder.unwrap_or(&site.language).to_string();
    }
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    dedupe_keys(&mut pages, diags);
    let sections = super::sections::build_sections(&pages);
    let order = super::sections::reading_order(&sections);
    sort_by_reading_order(&mut pages, &order);
    let mut bodies: Vec<PageBody> = pages.iter_mut().map(PageBody::take).collect();
    expand_page_lists(&pages, &mut bodies);
    let live = crate::links::LiveSite { urls: site_urls, base: &site.url };
    crate::links::resolve_links(&pages, &mut bodies, assets, &live, diags);
    for (page, body) in pages.iter_mut().zip(bodies) {
        body.restore(page);
    }
    Corpus { format_version: FORMAT_VERSION, site, pages, records, sections }
}

/// Two pages with one key: the second (by path; `pages` are in path order) is renamed
/// `KEY-2`, and reported.
fn dedupe_keys(pages: &mut [Page], diags: &mut Vec<Diagnostic>) {
    for (i, renamed, first) in duplicate_key_renames(pages) {
        let page = &mut pages[i];
        diags.push(Diagnostic::error(
            crate::codes::PAGE_DUPLICATE_KEY,
            &page.source,
            Pos { line: 1, col: 1 },
            format!("key `{}` is already used by {first}; this page is published as `{renamed}`", page.key),
        ));
        page.key = renamed;
    }
}

/// (page index, its new key, the source of the page that kept the key), in page order. A
/// new key is unused by every page before it, renamed or not.
fn duplicate_key_renames(pages: &[Page]) -> Vec<(usize, String, String)> {
    let mut owner: HashMap<Cow<str>, &str> = HashMap::default();
    let mut renames = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let key = match owner.get(page.key.as_str()) {
            None => Cow::Borrowed(page.key.as_str()),
            Some(first) => {
                let renamed = (2..)
                    .map(|n| format!("{}-{n}", page.key))
                    .find(|k| !owner.contains_key(k.as_str()))
                    .unwrap_or_default();
                renames.push((i, renamed.clone(), first.to_string()));
                Cow::Owned(renamed)
            }
        };
        owner.insert(key, page.source.as_str());
    }
    renames
}

/// Pages in reading order; pages outside it keep their path order, after it.
fn sort_by_reading_order(pages: &mut [Page], order: &[String]) {
    let rank: HashMap<&str, usize> = order.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    // A stable sort: pages of equal rank (outside the order) stay in path order.
    pages.sort_by_cached_key(|p| rank.get(p.key.as_str()).copied().unwrap_or(usize::MAX));
}

/// Fills every `post-list` with its category's pages, by `order` then title.
fn expand_page_lists(pages: &[Page], bodies: &mut [PageBody]) {
    let mut by_category: HashMap<&str, Vec<&Page>> = HashMap::default();
    for p in pages {
        if let Some(category) = &p.category {
            by_category.entry(category.as_str()).or_default().push(p);
        }
    }
    for members in by_category.values_mut() {
        members.sort_by(|a, b| (a.sort_order(), &a.title, &a.key).cmp(&(b.sort_order(), &b.title, &b.key)));
    }
    let item = |p: &Page| PageListItem {
        key: p.key.clone(),
        title: p.title.clone(),
        summary: p.summary.clone(),
        tags: p.tags.clone(),
    };
    bodies.par_iter_mut().for_each(|body| {
        crate::walk::visit_blocks_mut(&mut body.blocks, &mut |block| {
            if let Block::PageList(list) = block {
                list.items = by_category
                    .get(list.category.as_str())
                    .map(|members| members.iter().map(|p| item(p)).collect())
                    .unwrap_or_default();
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(key: &str, source: &str) -> Page {
        let parsed =
            super::super::parse_page(source, format!("---\nkey: {key}\ntitle: {key}\n---\ntext\n").as_bytes()).0;
        match parsed {
            Some(Parsed::Page(page)) => *page,
            other => panic!("not a page: {other:?}"),
        }
    }

    #[test]
    fn a_repeated_key_is_renamed_past_every_key_already_taken() {
        let pages = [page("x", "a.md"), page("x-2", "b.md"), page("x", "c.md"), page("x", "d.md")];
        let renames = duplicate_key_renames(&pages);
        assert_eq!(renames, [(2, "x-3".to_string(), "a.md".to_string()), (3, "x-4".to_string(), "a.md".to_string())]);
    }

    #[test]
    fn pages_outside_the_reading_order_follow_it_in_path_order() {
        let mut pages = [page("c", "c.md"), page("d", "d.md"), page("b", "b.md"), page("a", "a.md")];
        pages.sort_by(|a, b| a.source.cmp(&b.source));
        sort_by_reading_order(&mut pages, &["c".to_string(), "a".to_string()]);
        let keys: Vec<&str> = pages.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["c", "a", "b", "d"]);
    }
}
