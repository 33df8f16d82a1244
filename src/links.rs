//! Link resolution: every href, image source, card URL, breadcrumb and `seealso` key of the
//! corpus becomes a page (+ verified anchor), an asset, an external URL, or broken — and
//! every broken one is reported with its file and line.

use crate::assets::{AssetError, AssetStore};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::*;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// Everything a link may point at, built once before resolving. It borrows from the pages:
/// what resolution rewrites is moved out of them first (`PageBody`).
pub struct LinkIndex<'a> {
    by_url: HashMap<&'a str, &'a str>,
    by_source: HashMap<&'a str, &'a str>,
    /// Page key → the page's anchors (a handful each: searched in order).
    anchors: HashMap<&'a str, &'a [String]>,
    /// Page key → its HTML link targets and the headings they land on.
    aliases: HashMap<&'a str, &'a [AnchorAlias]>,
    assets: &'a AssetStore,
    live: Option<&'a LiveSite<'a>>,
}

/// The pages the site builds that the corpus does not hold (its template pages), by URL, and
/// the site's address: a link to one leads to the live site.
pub struct LiveSite<'a> {
    pub urls: &'a std::collections::HashSet<String>,
    pub base: &'a str,
}

impl<'a> LinkIndex<'a> {
    pub fn new(pages: &'a [Page], assets: &'a AssetStore) -> Self {
        LinkIndex {
            by_url: pages.iter().map(|p| (p.url.as_str(), p.key.as_str())).collect(),
            by_source: pages.iter().map(|p| (p.source.as_str(), p.key.as_str())).collect(),
            anchors: pages.iter().map(|p| (p.key.as_str(), p.anchors.as_slice())).collect(),
            aliases: pages
                .iter()
                .filter(|p| !p.anchor_aliases.is_empty())
                .map(|p| (p.key.as_str(), p.anchor_aliases.as_slice()))
                .collect(),
            assets,
            live: None,
        }
    }

    fn has_key(&self, key: &str) -> bool {
        self.anchors.contains_key(key)
    }

    /// An HTML link target of the page: the heading it lands on (`Some(None)`: the page).
    fn alias(&self, key: &str, anchor: &str) -> Option<Option<String>> {
        self.aliases.get(key)?.iter().find(|a| a.name == anchor).map(|a| a.heading.clone())
    }

    fn has_anchor(&self, key: &str, anchor: &str) -> bool {
        self.anchors.get(key).is_some_and(|anchors| anchors.iter().any(|a| a == anchor))
    }
}

/// What resolution rewrites on a page, moved out of it (three moves, no copy) so that the
/// index can borrow the rest of every page meanwhile.
#[derive(Default)]
pub struct PageBody {
    pub breadcrumb: Vec<Crumb>,
    pub see_also: Vec<SeeAlso>,
    pub blocks: Vec<Block>,
}

impl PageBody {
    pub fn take(page: &mut Page) -> Self {
        PageBody {
            breadcrumb: std::mem::take(&mut page.breadcrumb),
            see_also: std::mem::take(&mut page.see_also),
            blocks: std::mem::take(&mut page.blocks),
        }
    }

    pub fn restore(self, page: &mut Page) {
        page.breadcrumb = self.breadcrumb;
        page.see_also = self.see_also;
        page.blocks = self.blocks;
    }
}

/// The page a link is written on.
pub struct Origin<'a> {
    pub key: &'a str,
    pub url: &'a str,
    pub source: &'a str,
}

/// A problem found while resolving, to be reported at the link's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

fn problem(code: &'static str, severity: Severity, message: String) -> Problem {
    Problem { code, severity, message }
}

/// Resolves every link target of every page's body (`bodies[i]` is taken from `pages[i]`).
pub fn resolve_links(
    pages: &[Page],
    bodies: &mut [PageBody],
    assets: &AssetStore,
    live: &LiveSite,
    diags: &mut Vec<Diagnostic>,
) {
    let mut index = LinkIndex::new(pages, assets);
    index.live = Some(live);
    let found: Vec<Vec<Diagnostic>> =
        bodies.par_iter_mut().zip(pages).map(|(body, page)| resolve_page(page, body, &index)).collect();
    diags.extend(found.into_iter().flatten());
}

fn resolve_page(page: &Page, body: &mut PageBody, index: &LinkIndex) -> Vec<Diagnostic> {
    let origin = Origin { key: &page.key, url: &page.url, source: &page.source };
    let mut diags = Vec::new();
    let mut report =
        |pos: Pos, p: Problem| diags.push(Diagnostic::new(p.code, p.severity, page.source.as_str(), pos, p.message));
    for crumb in &mut body.breadcrumb {
        let (target, p) = resolve_href(&crumb.href, &origin, index);
        crumb.target = target;
        p.into_iter().for_each(|p| report(Pos { line: 1, col: 1 }, p));
    }
    for see in &mut body.see_also {
        let (target, p) = resolve_key(&see.key, index);
        see.target = target;
        p.into_iter().for_each(|p| report(see.pos, p));
    }
    crate::walk::visit_blocks_mut(&mut body.blocks, &mut |block| resolve_block(block, &origin, index, &mut report));
    diags
}

fn resolve_block(block: &mut Block, origin: &Origin, index: &LinkIndex, report: &mut dyn FnMut(Pos, Problem)) {
    match block {
        Block::Card(card) => {
            let (t, p) = resolve_href(&card.href, origin, index);
            card.target = t;
            p.into_iter().for_each(|p| report(card.pos, p));
        }
        Block::SeeAlsoList(list) => {
            for item in &mut list.items {
                let (t, p) = resolve_key(&item.key, index);
                item.target = t;
                p.into_iter().for_each(|p| report(item.pos, p));
            }
        }
        Block::Figure(fig) => resolve_image(&mut fig.image, origin, index, report),
        Block::QuoteFigure(q) => {
            if let Some(img) = &mut q.image {
                resolve_image(img, origin, index, report);
            }
        }
        _ => {}
    }
    crate::walk::visit_block_inlines_mut(block, &mut |inline| match inline {
        Inline::Link(link) => {
            let (t, p) = resolve_href(&link.href, origin, index);
            link.target = t;
            p.into_iter().for_each(|p| report(link.pos, p));
        }
        Inline::Image(img) => resolve_image(img, origin, index, report),
        _ => {}
    });
}

fn resolve_image(img: &mut Image, origin: &Origin, index: &LinkIndex, report: &mut dyn FnMut(Pos, Problem)) {
    let (target, p) = resolve_href(&img.src, origin, index);
    let (target, p) = match target {
        LinkTarget::Page { .. } => (
            LinkTarget::Broken { reason: "an image source names a page".into() },
            Some(problem(
                crate::codes::IMAGE_NOT_A_FILE,
                Severity::Warning,
                format!("image `{}` names a page, not an image file", img.src),
            )),
        ),
        // An image path climbing out of the site is an attempt to read outside the assets.
        other => match p {
            Some(p) if p.code == crate::codes::LINK_OUTSIDE_SITE => (
                other,
                Some(problem(
                    crate::codes::ASSET_OUTSIDE,
                    Severity::Error,
                    format!("image `{}` is refused: it leaves the assets folder", img.src),
                )),
            ),
            p => (other, p),
        },
    };
    img.target = target;
    p.into_iter().for_each(|p| report(img.pos, p));
}

fn resolve_key(key: &str, index: &LinkIndex) -> (LinkTarget, Option<Problem>) {
    if index.has_key(key) {
        (LinkTarget::Page { key: key.to_string(), anchor: None }, None)
    } else {
        (
            LinkTarget::Broken { reason: format!("no page has the key `{key}`") },
            Some(problem(
                crate::codes::SEEALSO_UNKNOWN_KEY,
                Severity::Warning,
                format!("see-also key `{key}` matches no page"),
            )),
        )
    }
}

/// Resolves one href written on `origin`.
pub fn resolve_href(href: &str, origin: &Origin, index: &LinkIndex) -> (LinkTarget, Option<Problem>) {
    let href = href.trim();
    if href.is_empty() {
        return broken(crate::codes::LINK_EMPTY, "empty link target".into());
    }
    if let Some(scheme) = scheme_of(href) {
        return match scheme.as_str() {
            "http" | "https" | "ftp" => external(href.to_string(), href),
            "mailto" | "tel" => (LinkTarget::External { url: href.to_string() }, None),
            _ => broken(
                crate::codes::LINK_UNSAFE_SCHEME,
                format!("`{scheme}:` links are never published: `{}`", shorten(href)),
            ),
        };
    }
    if let Some(rest) = href.strip_prefix("//") {
        return external(format!("https://{rest}"), href);
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let anchor = fragment.filter(|f| !f.is_empty()).map(|f| percent_decode(f).into_owned());
    if path.is_empty() {
        return with_anchor(origin.key, anchor, href, index);
    }
    let path = percent_decode(path);
    if path.ends_with(".md") {
        return resolve_source_path(&path, anchor, href, origin, index);
    }
    let Some(site_path) = join_url(origin.url, &path) else {
        return broken(crate::codes::LINK_OUTSIDE_SITE, format!("`{href}` climbs above the site root"));
    };
    let as_page =
        if site_path.ends_with('/') { Cow::Borrowed(site_path.as_str()) } else { Cow::Owned(format!("{site_path}/")) };
    if let Some(key) = index.by_url.get(as_page.as_ref()) {
        return with_anchor(key, anchor, href, index);
    }
    // Eleventy writes a page at `URL/index.html`: a link may name that file.
    let folder = site_path.strip_suffix("index.html").filter(|f| f.ends_with('/'));
    if let Some(key) = folder.and_then(|f| index.by_url.get(f)) {
        return with_anchor(key, anchor, href, index);
    }
    if let Some(live) = index.live {
        let built = [site_path.as_str(), as_page.as_ref(), folder.unwrap_or("")];
        if let Some(path) = built.into_iter().find(|u| !u.is_empty() && live.urls.contains(*u)) {
            let fragment = fragment.map_or(String::new(), |f| format!("#{f}"));
            let url = format!("{}{}{fragment}", live.base.trim_end_matches('/'), path);
            return (LinkTarget::External { url }, None);
        }
    }
    resolve_asset(site_path.trim_start_matches('/'), href, index)
}

/// `.md` links name source files, relative to the file they are written in.
fn resolve_source_path(
    path: &str,
    anchor: Option<String>,
    href: &str,
    origin: &Origin,
    index: &LinkIndex,
) -> (LinkTarget, Option<Problem>) {
    let folder = origin.source.rsplit_once('/').map_or("", |(d, _)| d);
    let base = if path.starts_with('/') { "/".to_string() } else { format!("/{folder}/") };
    match join_url(&base, path).and_then(|p| index.by_source.get(p.trim_start_matches('/')).copied()) {
        Some(key) => with_anchor(key, anchor, href, index),
        None => broken(crate::codes::LINK_BROKEN, format!("`{href}` names no page of the corpus")),
    }
}

fn resolve_asset(rel: &str, href: &str, index: &LinkIndex) -> (LinkTarget, Option<Problem>) {
    match index.assets.resolve(rel) {
        Ok(path) => (LinkTarget::Asset { path }, None),
        Err(AssetError::Missing) => broken(crate::codes::LINK_BROKEN, format!("`{href}` names no page and no asset")),
        Err(e @ (AssetError::Escapes | AssetError::SymlinkEscapes)) => (
            LinkTarget::Broken { reason: e.to_string() },
            Some(problem(crate::codes::ASSET_OUTSIDE, Severity::Error, format!("`{href}` is refused: {e}"))),
        ),
    }
}

/// A web URL is a link only when it leads somewhere once percent-encoded (exporters encode it
/// with `text::encode_url`): a pattern such as `https://tiles.example/{z}/{x}/{y}.pbf` is
/// printed as text with a note, a URL without a usable host as text with a warning.
fn external(url: String, href: &str) -> (LinkTarget, Option<Problem>) {
    if is_url_pattern(&url) {
        let message = format!("`{}` is a URL pattern, not an address: printed as text", shorten(href));
        return (
            LinkTarget::Broken { reason: message.clone() },
            Some(problem(crate::codes::LINK_PATTERN, Severity::Note, message)),
        );
    }
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let bad = |c: char| c.is_whitespace() || c.is_control() || "<>\"\\^`{|}%".contains(c);
    if host.is_empty() || host.starts_with(':') || host.contains(bad) {
        return broken(
            crate::codes::LINK_INVALID_URL,
            format!("`{}` has no valid host: printed as text", shorten(href)),
        );
    }
    (LinkTarget::External { url }, None)
}

/// Whether a URL holds a placeholder: `{z}`, `{{ id }}`, `${name}` (a name between braces).
pub fn is_url_pattern(url: &str) -> bool {
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { return false };
        let name = after[..close].trim_start_matches('{').trim();
        if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')) {
            return true;
        }
        rest = &after[close + 1..];
    }
    false
}

fn with_anchor(key: &str, anchor: Option<String>, href: &str, index: &LinkIndex) -> (LinkTarget, Option<Problem>) {
    let exists = |a: &str| index.has_anchor(key, a);
    // Anchors written with accents (`#après`) name the slug the site generates (`#apres`).
    let anchor = anchor.map(|a| if exists(&a) { a } else { normalized_anchor(&a).filter(|n| exists(n)).unwrap_or(a) });
    match anchor {
        Some(a) if !exists(&a) && index.alias(key, &a).is_some() => {
            (LinkTarget::Page { key: key.to_string(), anchor: index.alias(key, &a).flatten() }, None)
        }
        Some(a) if !exists(&a) => (
            LinkTarget::Page { key: key.to_string(), anchor: None },
            Some(problem(
                crate::codes::LINK_MISSING_ANCHOR,
                Severity::Warning,
                format!("`{href}`: page `{key}` has no heading or id `{a}`; linking to the page"),
            )),
        ),
        anchor => (LinkTarget::Page { key: key.to_string(), anchor }, None),
    }
}

fn normalized_anchor(a: &str) -> Option<String> {
    let slug = crate::text::slugify(a);
    (slug != a).then_some(slug)
}

fn broken(code: &'static str, message: String) -> (LinkTarget, Option<Problem>) {
    (LinkTarget::Broken { reason: message.clone() }, Some(problem(code, Severity::Warning, message)))
}

/// `javascript:`, `https:` … (RFC 3986 scheme syntax), lower-cased.
fn scheme_of(href: &str) -> Option<String> {
    let (scheme, _) = href.split_once(':')?;
    let mut chars = scheme.chars();
    let ok =
        chars.next()?.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| scheme.to_ascii_lowercase())
}

/// Joins `path` onto the folder of `base` (a site URL), resolving `.` and `..`.
/// `None` when `..` climbs above the site root.
pub fn join_url(base: &str, path: &str) -> Option<String> {
    // Written straight into the result: each segment is `/name`, and `..` cuts the last.
    let mut out = String::with_capacity(base.len() + path.len() + 1);
    if !path.starts_with('/') {
        let folder = &base[..base.rfind('/').map_or(0, |i| i + 1)];
        for seg in folder.split('/').filter(|s| !s.is_empty()) {
            out.push('/');
            out.push_str(seg);
        }
    }
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                let last = out.rfind('/')?;
                out.truncate(last);
            }
            s => {
                out.push('/');
                out.push_str(s);
            }
        }
    }
    if out.is_empty() || ((path.ends_with('/') || path.ends_with("/.") || path.ends_with("..")) && !out.ends_with('/'))
    {
        out.push('/');
    }
    Some(out)
}

/// Most hrefs have nothing to decode, and are borrowed as they are.
fn percent_decode(s: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
#[path = "links_tests.rs"]
mod tests;
