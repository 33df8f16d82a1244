//! Absolute URLs and node identifiers, all derived from the site URL and the model.
//!
//! JSON-LD consumers merge nodes across pages by `@id`, so every identifier is a pure
//! function of the page URL: the same page always gets the same `…#webpage`, whatever file
//! mentions it.

use crate::model::{Corpus, LinkTarget, Page};
use crate::text::{encode_path, encode_url};
use anyhow::bail;
use std::collections::BTreeMap;

/// External schemes an answer may link to; anything else is printed as text.
const SAFE_EXTERNAL_SCHEMES: [&str; 5] = ["http:", "https:", "mailto:", "tel:", "ftp:"];

/// Turns model references into absolute URLs on the site.
pub struct SiteUrls<'a> {
    /// The site URL without its trailing slash, e.g. `https://example.org` or `https://x.fr/docs`.
    base: String,
    pages: BTreeMap<&'a str, &'a Page>,
}

impl<'a> SiteUrls<'a> {
    /// Fails when the site URL is not absolute: JSON-LD identifiers must be.
    pub fn new(corpus: &'a Corpus) -> anyhow::Result<Self> {
        let url = corpus.site.url.trim();
        let lower = url.to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
            bail!("[site] url must be an absolute http(s) URL for JSON-LD, got {url:?}");
        };
        if rest.trim_matches('/').is_empty() || url.contains(['?', '#', ' ']) {
            bail!("[site] url must name a host and have no query or fragment, got {url:?}");
        }
        let pages = corpus.pages.iter().map(|p| (p.key.as_str(), p)).collect();
        Ok(SiteUrls { base: url.trim_end_matches('/').to_string(), pages })
    }

    /// The site's home, with its trailing slash.
    pub fn home(&self) -> String {
        format!("{}/", self.base)
    }

    pub fn website_id(&self) -> String {
        format!("{}/#website", self.base)
    }

    pub fn organization_id(&self) -> String {
        format!("{}/#organization", self.base)
    }

    /// Absolute URL of a site path such as `/fs/pilotage/`.
    pub fn site_path(&self, path: &str) -> String {
        let encoded = encode_path(path.trim_start_matches('/'));
        format!("{}/{encoded}", self.base)
    }

    pub fn page(&self, page: &Page) -> String {
        self.site_path(&page.url)
    }

    /// A page of the corpus by key.
    pub fn page_by_key(&self, key: &str) -> Option<&'a Page> {
        self.pages.get(key).copied()
    }

    /// Where a resolved link points, absolute; `None` for broken links, for pages the corpus
    /// does not hold, and for external schemes an answer must not carry (`javascript:`, …).
    pub fn target(&self, target: &LinkTarget) -> Option<String> {
        match target {
            LinkTarget::Page { key, anchor } => {
                let url = self.page(self.page_by_key(key)?);
                Some(match anchor {
                    Some(a) => format!("{url}#{}", encode_path(a)),
                    None => url,
                })
            }
            LinkTarget::Asset { path } => Some(self.site_path(path)),
            LinkTarget::External { url } => {
                let url = encode_url(url);
                is_safe_external(&url).then(|| url.into_owned())
            }
            LinkTarget::Broken { .. } => None,
        }
    }
}

pub fn is_safe_external(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    SAFE_EXTERNAL_SCHEMES.iter().any(|s| lower.starts_with(s)) && !url.contains(['<', '>', '"'])
}

/// Node identifiers of one page, all fragments of its absolute URL.
pub struct PageIds {
    pub url: String,
}

impl PageIds {
    pub fn new(url: String) -> Self {
        PageIds { url }
    }

    pub fn webpage(&self) -> String {
        format!("{}#webpage", self.url)
    }

    pub fn breadcrumb(&self) -> String {
        format!("{}#breadcrumb", self.url)
    }

    pub fn faq(&self) -> String {
        format!("{}#faq", self.url)
    }

    pub fn question(&self) -> String {
        format!("{}#question", self.url)
    }

    pub fn answer(&self) -> String {
        format!("{}#answer", self.url)
    }

    pub fn item_list(&self) -> String {
        format!("{}#itemlist", self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Corpus, SiteMeta};

    fn corpus(url: &str) -> Corpus {
        Corpus {
            format_version: 1,
            site: SiteMeta { url: url.into(), ..SiteMeta::default() },
            pages: Vec::new(),
            records: Vec::new(),
            sections: Vec::new(),
        }
    }

    #[test]
    fn site_path_keeps_a_base_path_and_encodes_spaces() {
        let c = corpus("https://x.fr/docs/");
        let urls = SiteUrls::new(&c).unwrap();
        assert_eq!(urls.site_path("/images/mon schéma.png"), "https://x.fr/docs/images/mon%20sch%C3%A9ma.png");
        assert_eq!(urls.home(), "https://x.fr/docs/");
    }

    #[test]
    fn relative_site_url_is_refused() {
        assert!(SiteUrls::new(&corpus("u")).is_err());
        assert!(SiteUrls::new(&corpus("https://")).is_err());
    }

    #[test]
    fn javascript_links_are_not_safe() {
        assert!(!is_safe_external("javascript:alert(1)"));
        assert!(is_safe_external("mailto:a@b.fr"));
    }
}
