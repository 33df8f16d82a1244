//! The links check: an `<a href>` of Eleventy's rendering that leads to a page of the site
//! must lead folio's reader to that same page: folio's page when folio publishes it, else the
//! page on the live site (the site's URL + the page's path).

use folio::model::{Block, Inline, LinkTarget, Page};
use std::collections::HashMap;

/// Where folio should send a link.
#[derive(Debug, PartialEq, Eq)]
pub enum Expected {
    /// Folio's page, by key.
    Page(String),
    /// The page on the live site: the site's URL + its path (empty when folio has no site URL).
    Live(String),
}

/// A link folio resolves otherwise than Eleventy.
#[derive(Debug)]
pub struct Failure {
    pub kind: &'static str,
    /// The page the link is on (its source) and the href as Eleventy renders it.
    pub source: String,
    pub href: String,
    pub detail: String,
}

/// What the check knows of the site: Eleventy's page per URL, folio's page per source.
pub struct Site<'a> {
    /// Eleventy's output URL → its source (content-relative).
    pub eleventy_urls: HashMap<&'a str, &'a str>,
    /// folio's published pages by source.
    pub folio_pages: HashMap<&'a str, &'a Page>,
    /// folio's site URL, without its trailing slash.
    pub site_url: String,
}

/// The outcome of the links check of one page.
#[derive(Debug, Default)]
pub struct Checked {
    pub links: usize,
    pub failures: Vec<Failure>,
}

/// Checks every page link of Eleventy's rendering of the page at `url` against folio's `page`.
pub fn check_page(site: &Site, source: &str, url: &str, hrefs: &[String], page: Option<&Page>) -> Checked {
    let folio = page.map(folio_links).unwrap_or_default();
    let mut checked = Checked::default();
    for href in hrefs {
        let Some(target_url) = page_url(site, href, url) else { continue };
        checked.links += 1;
        let expected = expected(site, target_url);
        if let Err((kind, detail)) = find_in_folio(&folio, href, &expected) {
            let detail = format!("→ Eleventy {target_url}, {detail}");
            checked.failures.push(Failure { kind, source: source.to_string(), href: href.clone(), detail });
        }
    }
    checked
}

/// The Eleventy URL a relative or root-relative `href` written on the page at `base` leads to,
/// if it is one of the site's pages.
fn page_url<'a>(site: &Site<'a>, href: &str, base: &str) -> Option<&'a str> {
    let href = href.trim();
    if href.starts_with("//") || has_scheme(href) {
        return None;
    }
    let path = href.split(['#', '?']).next().unwrap_or("");
    let path = if path.is_empty() { base.to_string() } else { join(base, &percent_decode(path)) };
    let candidates = [path.clone(), format!("{path}/"), path.trim_end_matches("index.html").to_string()];
    candidates.iter().find_map(|c| site.eleventy_urls.get_key_value(c.as_str()).map(|(k, _)| *k))
}

/// Whether `href` starts with a URL scheme (`https:`, `mailto:`…, RFC 3986 syntax).
fn has_scheme(href: &str) -> bool {
    href.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Where folio should send a link to the Eleventy page at `url`.
fn expected(site: &Site, url: &str) -> Expected {
    let source = site.eleventy_urls[url];
    match site.folio_pages.get(source) {
        Some(page) => Expected::Page(page.key.clone()),
        None if site.site_url.is_empty() => Expected::Live(String::new()),
        None => Expected::Live(format!("{}{url}", site.site_url)),
    }
}

/// A link of folio's page: its href as written (none for keys: see-also lists, page lists).
struct FolioLink<'a> {
    href: Option<&'a str>,
    target: LinkTarget,
}

/// Every link of the body of folio's page (breadcrumbs and page-level see-also come from the
/// layout, which Eleventy's rendering here has not).
fn folio_links(page: &Page) -> Vec<FolioLink<'_>> {
    let mut out = Vec::new();
    folio::walk::visit_blocks(&page.blocks, &mut |block| {
        match block {
            Block::Card(c) => out.push(FolioLink { href: Some(&c.href), target: c.target.clone() }),
            Block::SeeAlsoList(l) => {
                out.extend(l.items.iter().map(|s| FolioLink { href: None, target: s.target.clone() }))
            }
            Block::PageList(l) => out.extend(
                l.items
                    .iter()
                    .map(|i| FolioLink { href: None, target: LinkTarget::Page { key: i.key.clone(), anchor: None } }),
            ),
            _ => {}
        }
        for inlines in folio::walk::block_inlines(block) {
            folio::walk::visit_inlines(inlines, &mut |inline| {
                if let Inline::Link(l) = inline {
                    out.push(FolioLink { href: Some(&l.href), target: l.target.clone() });
                }
            });
        }
    });
    out
}

/// Finds the link in folio's page: the one written with the same href, else (a link a
/// component renders from a key) any that leads to the expected page. `Err`: the kind of
/// failure and what folio does instead.
fn find_in_folio(folio: &[FolioLink], href: &str, expected: &Expected) -> Result<(), (&'static str, String)> {
    let written: Vec<&FolioLink> = folio.iter().filter(|l| l.href.is_some_and(|h| same_href(h, href))).collect();
    let found = if written.is_empty() {
        folio.iter().any(|l| leads_to(&l.target, expected))
    } else {
        written.iter().any(|l| leads_to(&l.target, expected))
    };
    if found {
        return Ok(());
    }
    if *expected == Expected::Live(String::new()) {
        return Err(("no live URL: folio has no site URL", "folio does not publish that page".into()));
    }
    let Some(first) = written.first() else {
        return Err(("missing in folio", format!("folio has no link to {}{}", describe(expected), broken_hint(folio))));
    };
    let (kind, got) = match &first.target {
        LinkTarget::Page { key, .. } => ("another page", format!("page {key}")),
        LinkTarget::External { url } if matches!(expected, Expected::Page(_)) => {
            ("live URL of a published page", url.clone())
        }
        LinkTarget::External { url } => ("another live URL", url.clone()),
        LinkTarget::Asset { path } => ("an asset", path.clone()),
        LinkTarget::Broken { reason } => ("broken", reason.clone()),
    };
    Err((kind, format!("expected {}, folio: {got}", describe(expected))))
}

/// Whether folio's link, written `folio`, is the one Eleventy renders as `eleventy`: the same
/// href, or the same root-relative path under a language folder (the DSFR sites' components
/// pass a written `url` through `locale_url`, which prefixes the page's language: `/fr/…`).
fn same_href(folio: &str, eleventy: &str) -> bool {
    let (folio, eleventy) = (percent_decode(folio.trim()), percent_decode(eleventy.trim()));
    folio == eleventy
        || (folio.starts_with('/')
            && eleventy
                .strip_suffix(folio.as_str())
                .is_some_and(|lang| lang.strip_prefix('/').is_some_and(|l| !l.is_empty() && !l.contains('/'))))
}

/// The links folio could not resolve on the page, one of which may be the missing one.
fn broken_hint(folio: &[FolioLink]) -> String {
    let broken: Vec<String> = folio
        .iter()
        .filter_map(|l| match &l.target {
            LinkTarget::Broken { reason } => Some(format!("`{}` ({reason})", l.href.unwrap_or(""))),
            _ => None,
        })
        .collect();
    if broken.is_empty() {
        String::new()
    } else {
        format!("; folio's unresolved links on the page: {}", broken.join(", "))
    }
}

/// Whether folio's target is the expected page (anchors aside).
fn leads_to(target: &LinkTarget, expected: &Expected) -> bool {
    match (target, expected) {
        (LinkTarget::Page { key, .. }, Expected::Page(want)) => key == want,
        (LinkTarget::External { url }, Expected::Live(want)) => {
            !want.is_empty() && url.split('#').next() == Some(want.as_str())
        }
        _ => false,
    }
}

fn describe(expected: &Expected) -> String {
    match expected {
        Expected::Page(key) => format!("page {key}"),
        Expected::Live(url) => format!("live URL {url}"),
    }
}

/// Joins a relative `path` onto the folder of the URL `base` (`..` stops at the root).
fn join(base: &str, path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    if !path.starts_with('/') {
        let folder = &base[..base.rfind('/').map_or(0, |i| i + 1)];
        segments.extend(folder.split('/').filter(|s| !s.is_empty()));
    }
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("..") || segments.is_empty();
    format!("/{}{}", segments.join("/"), if trailing && !segments.is_empty() { "/" } else { "" })
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_join_onto_the_page_folder() {
        assert_eq!(join("/fr/blog/a/", "../b/"), "/fr/blog/b/");
        assert_eq!(join("/fr/blog/a/", "c"), "/fr/blog/a/c");
        assert_eq!(join("/fr/", "/en/"), "/en/");
        assert_eq!(join("/fr/", ".."), "/");
    }

    #[test]
    fn a_component_may_prefix_the_language_folder() {
        assert!(same_href("/a/b/", "/fr/a/b/"));
        assert!(same_href("/", "/fr/"));
        assert!(same_href("/caf%C3%A9/", "/café/"));
        assert!(!same_href("/b/", "/fr/a/b/"));
    }
}
