//! The breadcrumb trail of every page: the site's home, the pages above it, then the page.
//!
//! Google wants a `BreadcrumbList` of at least two items, and the sites of the family open
//! their breadcrumb with the home page, so every trail starts there. The pages above are the
//! `segments` of the front matter when it has them (the trail the site shows), else the index
//! pages of the sections the page stands in.

use super::urls::SiteUrls;
use crate::diagnostics::Diagnostic;
use crate::model::{Corpus, LinkTarget, Page, Pos, Section};
use std::collections::BTreeMap;

pub const BREADCRUMB_SKIPPED: &str = crate::codes::JSONLD_BREADCRUMB_SKIPPED;

/// One entry of a trail: its name and absolute URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crumb {
    pub name: String,
    pub url: String,
}

/// What every trail needs: the home entry and the section parents of every page.
pub struct Trails<'a> {
    home: Crumb,
    /// Index pages of the sections each page stands in, outermost first, by page key.
    section_parents: BTreeMap<&'a str, Vec<&'a Page>>,
}

impl<'a> Trails<'a> {
    pub fn new(corpus: &'a Corpus, urls: &SiteUrls<'a>) -> Self {
        let home_url = urls.home();
        let home_page = corpus.pages.iter().find(|p| urls.page(p) == home_url);
        let name = home_page.map(|p| p.title.trim()).filter(|t| !t.is_empty()).unwrap_or(corpus.site.title.trim());
        let name = if name.is_empty() { home_url.clone() } else { name.to_string() };
        let mut section_parents = BTreeMap::new();
        collect_parents(&corpus.sections, urls, &mut Vec::new(), &mut section_parents);
        Trails { home: Crumb { name, url: home_url }, section_parents }
    }

    /// The page's trail, home first and the page last; `None` for the home page itself, whose
    /// trail would be the page alone.
    pub fn trail(&self, urls: &SiteUrls, page: &Page, diags: &mut Vec<Diagnostic>) -> Option<Vec<Crumb>> {
        let own = urls.page(page);
        if own == self.home.url {
            return None;
        }
        let mut trail = vec![self.home.clone()];
        let parents = if page.breadcrumb.is_empty() {
            self.section_crumbs(urls, page)
        } else {
            segment_crumbs(urls, page, diags)
        };
        for crumb in parents {
            if crumb.url != own && trail.iter().all(|c| c.url != crumb.url) {
                trail.push(crumb);
            }
        }
        trail.push(Crumb { name: name_or_url(&page.title, &own), url: own });
        Some(trail)
    }

    fn section_crumbs(&self, urls: &SiteUrls, page: &Page) -> Vec<Crumb> {
        let parents = self.section_parents.get(page.key.as_str()).map(Vec::as_slice).unwrap_or_default();
        parents
            .iter()
            .map(|p| {
                let url = urls.page(p);
                Crumb { name: name_or_url(&p.title, &url), url }
            })
            .collect()
    }
}

/// The `segments` entries that lead to a page of the corpus; the others are reported, since
/// their URL would be a guess.
fn segment_crumbs(urls: &SiteUrls, page: &Page, diags: &mut Vec<Diagnostic>) -> Vec<Crumb> {
    let mut crumbs = Vec::new();
    for crumb in &page.breadcrumb {
        match &crumb.target {
            LinkTarget::Page { .. } => match urls.target(&crumb.target) {
                Some(url) => crumbs.push(Crumb { name: name_or_url(&crumb.title, &url), url }),
                None => diags.push(skipped(page, &crumb.href, "its page is not in the corpus")),
            },
            LinkTarget::Asset { .. } | LinkTarget::External { .. } | LinkTarget::Broken { .. } => {
                diags.push(skipped(page, &crumb.href, "it does not lead to a page of the site"))
            }
        }
    }
    crumbs
}

/// Records, for every page of every section, the index pages of the sections above it.
fn collect_parents<'a>(
    sections: &'a [Section],
    urls: &SiteUrls<'a>,
    above: &mut Vec<&'a Page>,
    out: &mut BTreeMap<&'a str, Vec<&'a Page>>,
) {
    for section in sections {
        let index = section.index.as_deref().and_then(|k| urls.page_by_key(k));
        if let Some(index) = index {
            out.insert(index.key.as_str(), above.clone());
            above.push(index);
        }
        for key in section.groups.iter().flat_map(|g| &g.pages) {
            if let Some(page) = urls.page_by_key(key) {
                out.insert(page.key.as_str(), above.clone());
            }
        }
        collect_parents(&section.children, urls, above, out);
        if index.is_some() {
            above.pop();
        }
    }
}

/// Google requires a name on every item: a blank title falls back to the URL.
pub fn name_or_url(title: &str, url: &str) -> String {
    let title = title.trim();
    if title.is_empty() {
        url.to_string()
    } else {
        title.to_string()
    }
}

fn skipped(page: &Page, href: &str, why: &str) -> Diagnostic {
    Diagnostic::warning(
        BREADCRUMB_SKIPPED,
        &page.source,
        Pos::default(),
        format!("breadcrumb entry {href:?} left out of the BreadcrumbList: {why}"),
    )
}
