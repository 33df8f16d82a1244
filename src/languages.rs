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

/// The two-letter ISO 639-1 codes: a top folder named by one of them may hold a language's
/// pages, as Eleventy's i18n plugin lays them out.
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn",
    "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en",
    "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he",
    "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv",
    "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li",
    "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne",
    "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm",
    "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st",
    "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk",
    "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Whether `name` is a language code as a folder names it: `fr`, `pt-br`, `zh-Hant`.
fn is_language_code(name: &str) -> bool {
    let mut parts = name.split('-');
    let primary = parts.next().unwrap_or("").to_ascii_lowercase();
    ISO_639_1.binary_search(&primary.as_str()).is_ok()
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The top folders that hold a language's pages: named by language codes, and either two
/// of them or the site's own language (one folder named `fi` beside `fs` and `fd` is not).
pub fn language_folders<'p>(sources: impl Iterator<Item = &'p str>, site_language: &str) -> BTreeSet<&'p str> {
    let folders: BTreeSet<&str> =
        sources.filter_map(|s| s.split_once('/').map(|(top, _)| top)).filter(|t| is_language_code(t)).collect();
    let site_primary = site_language.split('-').next().unwrap_or("");
    let is_site_language = |f: &&str| f.split('-').next().is_some_and(|p| p.eq_ignore_ascii_case(site_primary));
    if folders.len() >= 2 || folders.iter().any(is_site_language) {
        folders
    } else {
        BTreeSet::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_list_is_sorted_for_binary_search() {
        assert!(ISO_639_1.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn two_language_folders_are_languages() {
        let folders = language_folders(["fr/a.md", "en/a.md", "img/x.md"].into_iter(), "en");
        assert_eq!(folders.into_iter().collect::<Vec<_>>(), ["en", "fr"]);
    }

    #[test]
    fn one_folder_named_like_a_language_beside_others_is_not_one() {
        assert!(language_folders(["fi/a.md", "fs/a.md", "fd/a.md"].into_iter(), "fr").is_empty());
    }

    #[test]
    fn the_site_s_own_language_folder_is_one() {
        assert_eq!(language_folders(["fr/a.md", "blog/b.md"].into_iter(), "fr").len(), 1);
    }

    #[test]
    fn regional_folders_are_languages() {
        assert_eq!(language_folders(["pt-br/a.md", "fr/a.md"].into_iter(), "en").len(), 2);
    }
}
