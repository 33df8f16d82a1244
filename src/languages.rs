//! A corpus by language: the languages its pages are written in, and the part of it in one or
//! some of them, for the formats that make one book per language and for `--language`.

use crate::model::{Block, Corpus, Inline, LinkTarget, Page, Section};
use crate::walk;
use std::collections::BTreeSet;

/// The languages of the corpus's pages, sorted (BCP 47 tags as written).
pub fn languages(corpus: &Corpus) -> Vec<String> {
    let set: BTreeSet<&str> = corpus.pages.iter().map(|p| p.language.as_str()).collect();
    set.into_iter().map(str::to_string).collect()
}

/// Whether a page in `language` is chosen by `wanted` (`fr` chooses `fr` and `fr-CA`).
pub fn matches(language: &str, wanted: &str) -> bool {
    let (language, wanted) = (language.to_ascii_lowercase(), wanted.trim().to_ascii_lowercase());
    language == wanted || language.strip_prefix(&wanted).is_some_and(|rest| rest.starts_with('-'))
}

/// The corpus's pages in one of `wanted` languages, with its sections pruned to them. A link to
/// a page left out points at that page on the site (or becomes text when the site has no URL).
pub fn select(corpus: &Corpus, wanted: &[String]) -> Corpus {
    let chosen = |p: &Page| wanted.iter().any(|w| matches(&p.language, w));
    let pages: Vec<Page> = corpus.pages.iter().filter(|p| chosen(p)).cloned().collect();
    let kept: BTreeSet<&str> = corpus.pages.iter().filter(|p| chosen(p)).map(|p| p.key.as_str()).collect();
    let left_out: std::collections::HashMap<&str, &str> =
        corpus.pages.iter().filter(|p| !chosen(p)).map(|p| (p.key.as_str(), p.url.as_str())).collect();
    let site_url = corpus.site.url.trim_end_matches('/');
    let retarget = |target: &mut LinkTarget| {
        let LinkTarget::Page { key, anchor } = target else { return };
        let Some(url) = left_out.get(key.as_str()) else { return };
        *target = if site_url.is_empty() {
            LinkTarget::Broken { reason: format!("the page {url} is in another language's book") }
        } else {
            let fragment = anchor.as_deref().map(|a| format!("#{a}")).unwrap_or_default();
            LinkTarget::External { url: format!("{site_url}{url}{fragment}") }
        };
    };
    let mut pages = pages;
    for page in &mut pages {
        page.breadcrumb.iter_mut().for_each(|c| retarget(&mut c.target));
        page.see_also.iter_mut().for_each(|s| retarget(&mut s.target));
        walk::visit_blocks_mut(&mut page.blocks, &mut |block| {
            match block {
                Block::Card(card) => retarget(&mut card.target),
                Block::SeeAlsoList(list) => list.items.iter_mut().for_each(|s| retarget(&mut s.target)),
                Block::PageList(list) => list.items.retain(|item| kept.contains(item.key.as_str())),
                _ => {}
            }
            walk::visit_block_inlines_mut(block, &mut |inline| {
                if let Inline::Link(link) = inline {
                    retarget(&mut link.target);
                }
            });
        });
    }
    let mut site = corpus.site.clone();
    if let [only] = wanted {
        site.language = pages.first().map_or_else(|| only.clone(), |p| p.language.clone());
    }
    let sections = prune(&corpus.sections, &kept);
    Corpus { format_version: corpus.format_version, site, pages, records: corpus.records.clone(), sections }
}

/// The sections holding at least one kept page, with only those pages.
fn prune(sections: &[Section], kept: &BTreeSet<&str>) -> Vec<Section> {
    sections
        .iter()
        .filter_map(|s| {
            let mut s = Section {
                index: s.index.clone().filter(|k| kept.contains(k.as_str())),
                groups: s.groups.clone(),
                children: prune(&s.children, kept),
                ..s.clone()
            };
            s.groups.iter_mut().for_each(|g| g.pages.retain(|k| kept.contains(k.as_str())));
            s.groups.retain(|g| !g.pages.is_empty());
            (s.index.is_some() || !s.groups.is_empty() || !s.children.is_empty()).then_some(s)
        })
        .collect()
}

/// The books a per-language format makes: one per language when the corpus has several (the
/// language is then its file name's suffix), else the corpus as it is.
pub fn books(corpus: &Corpus) -> Vec<(Option<String>, std::borrow::Cow<'_, Corpus>)> {
    let languages = languages(corpus);
    if languages.len() < 2 {
        return vec![(None, std::borrow::Cow::Borrowed(corpus))];
    }
    languages.into_iter().map(|l| (Some(l.clone()), std::borrow::Cow::Owned(select(corpus, &[l])))).collect()
}

/// The language of a book made of the corpus: its pages' one language, else the site's.
pub fn book_language(corpus: &Corpus) -> &str {
    let mut pages = corpus.pages.iter().map(|p| p.language.as_str());
    match pages.next() {
        Some(first) if !first.is_empty() && pages.all(|l| l == first) => first,
        _ => corpus.site.language.as_str(),
    }
}

/// The labels of the book made of the corpus.
pub fn book_labels(corpus: &Corpus) -> &'static crate::labels::Labels {
    crate::labels::for_language(book_language(corpus))
}
