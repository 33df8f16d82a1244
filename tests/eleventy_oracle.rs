//! Eleventy 2 itself as the test oracle: what a visitor reads is what Eleventy builds, so each
//! shared corpus is built by its own Eleventy (tests/validators/eleventy.sh, each page without
//! its layout) and folio's model of it must agree with that build, page by page:
//! - the URL of every Markdown page;
//! - the words of every page (at least 99.5% of the site's, 97% of each page's);
//! - every link between pages: to the same page, or to its live URL when folio does not
//!   publish it.
//!
//! `cargo test --release --features dev-tools --test eleventy_oracle -- --nocapture` prints
//! one summary line per site: the measurement, whether or not it passes.

mod common;
#[path = "eleventy_oracle/html.rs"]
mod html;
#[path = "eleventy_oracle/links.rs"]
mod links;
#[path = "eleventy_oracle/output.rs"]
mod output;
#[path = "eleventy_oracle/words.rs"]
mod words;

use folio::model::{Block, Corpus, Page};
use html::Dropped;
use output::Output;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use words::WordCount;

/// Share of Eleventy's words folio must hold, over the whole site and on each page.
const SITE_WORDS_PERCENT: f64 = 99.5;
const PAGE_WORDS_PERCENT: f64 = 97.0;

/// What Eleventy renders in a page's content that folio leaves out on purpose, with the reason:
/// neither their words nor their links are counted. Each was found by measuring the shared
/// corpora, not assumed.
const DROPPED: [Dropped; 2] = [
    Dropped {
        tag: "a",
        attribute: "href",
        value: "#top",
        reason: "the DSFR back-to-top link (components/back_to_top.njk, \"Haut de page\"): a way back up the web \
                 page, which a book or a PDF has no use for",
    },
    Dropped {
        tag: "a",
        attribute: "class",
        value: "header-anchor",
        reason: "markdown-it-anchor's `#` permalink after each heading: folio keeps the heading's id instead",
    },
];

#[test]
fn franceconnect_agrees_with_eleventy() {
    check_site("franceconnect");
}

#[test]
fn eleventy_dsfr_agrees_with_eleventy() {
    check_site("eleventy-dsfr");
}

#[test]
fn cct_mi_agrees_with_eleventy() {
    check_site("cct-mi");
}

/// Compares folio's model of `site` with Eleventy's build of it, prints the measurement and
/// fails with every difference.
fn check_site(site: &str) {
    let Some(loaded) = common::load_shared_site(site) else { return };
    let Some(outputs) = output::load(site) else { return };
    let report = compare(&outputs, &loaded.corpus);
    eprintln!("{}", report.summary(site));
    let failures = report.failures();
    assert!(failures.is_empty(), "{site}: folio's model differs from Eleventy's build\n{failures}");
}

/// A page whose URL differs.
#[derive(Debug)]
struct UrlMismatch {
    source: String,
    /// `None`: Eleventy writes no page for it (`permalink: false`, a draft), or has no such input.
    eleventy: Option<String>,
    /// Whether Eleventy has the source among its inputs.
    rendered: bool,
    /// `None`: folio publishes no page for it.
    folio: Option<String>,
}

impl UrlMismatch {
    fn eleventy_url(&self) -> &str {
        match (&self.eleventy, self.rendered) {
            (Some(url), _) => url,
            (None, true) => "false (no page)",
            (None, false) => "(not an Eleventy input)",
        }
    }
}

/// The measurement of one site.
#[derive(Debug, Default)]
struct Report {
    pages: usize,
    urls: Vec<UrlMismatch>,
    words: WordCount,
    page_words: Vec<(String, WordCount)>,
    links: usize,
    link_failures: Vec<links::Failure>,
    /// How many elements of each kind of `DROPPED` were left out.
    dropped: [usize; DROPPED.len()],
}

/// Measures folio's model against Eleventy's outputs, page by page (Markdown pages are folio's
/// pages, matched by source file).
fn compare(outputs: &[Output], corpus: &Corpus) -> Report {
    let site = links::Site {
        eleventy_urls: outputs.iter().filter_map(|o| Some((o.url.as_deref()?, o.source.as_str()))).collect(),
        folio_pages: corpus.pages.iter().map(|p| (p.source.as_str(), p)).collect(),
        site_url: corpus.site.url.trim_end_matches('/').to_string(),
    };
    let mut report = Report { urls: url_mismatches(outputs, corpus), ..Report::default() };
    for out in outputs.iter().filter(|o| o.is_markdown()) {
        let Some(url) = &out.url else { continue };
        let page = site.folio_pages.get(out.source.as_str()).copied();
        let rendering = html::read(&out.content, &DROPPED);
        let count = words::compare(&words::words(&rendering.text), &folio_words(page));
        report.pages += 1;
        report.dropped.iter_mut().zip(&rendering.dropped).for_each(|(total, n)| *total += n);
        report.words.add(&count);
        report.page_words.push((out.source.clone(), count));
        let checked = links::check_page(&site, &out.source, url, &rendering.links, page);
        report.links += checked.links;
        report.link_failures.extend(checked.failures);
    }
    report
}

/// Every Markdown page whose URL differs, and every page folio publishes that Eleventy does not.
fn url_mismatches(outputs: &[Output], corpus: &Corpus) -> Vec<UrlMismatch> {
    let folio: HashMap<&str, &str> = corpus.pages.iter().map(|p| (p.source.as_str(), p.url.as_str())).collect();
    let mut found: Vec<UrlMismatch> = outputs
        .iter()
        .filter(|o| o.is_markdown())
        .map(|o| UrlMismatch {
            source: o.source.clone(),
            eleventy: o.url.clone(),
            rendered: true,
            folio: folio.get(o.source.as_str()).map(|u| u.to_string()),
        })
        .filter(|m| m.eleventy != m.folio)
        .collect();
    let rendered: std::collections::HashSet<&str> = outputs.iter().map(|o| o.source.as_str()).collect();
    found.extend(corpus.pages.iter().filter(|p| !rendered.contains(p.source.as_str())).map(|p| UrlMismatch {
        source: p.source.clone(),
        eleventy: None,
        rendered: false,
        folio: Some(p.url.clone()),
    }));
    found.sort_by(|a, b| a.source.cmp(&b.source));
    found
}

/// The words of folio's page: its title, the plain text of its blocks, and the tags of its
/// cards and page lists, which the exporters print (src/exporters/epub/blocks.rs) but the
/// plain-text helper leaves out.
fn folio_words(page: Option<&Page>) -> Vec<String> {
    let Some(page) = page else { return Vec::new() };
    let mut text = format!("{}\n\n{}", page.title, folio::text::blocks_plain_text(&page.blocks));
    folio::walk::visit_blocks(&page.blocks, &mut |block| {
        let tags: Vec<&String> = match block {
            Block::Card(c) => c.tags.iter().collect(),
            Block::PageList(l) => l.items.iter().flat_map(|i| &i.tags).collect(),
            _ => Vec::new(),
        };
        tags.into_iter().for_each(|t| write!(text, "\n{t}").expect("write to a String"));
    });
    words::words(&text)
}

impl Report {
    fn summary(&self, site: &str) -> String {
        let dropped: Vec<String> =
            DROPPED.iter().zip(self.dropped).map(|(d, n)| format!("{n} `{}={}`", d.attribute, d.value)).collect();
        format!(
            "{site}: {} Markdown pages, URLs {}/{} equal, words {:.2}% ({} of {}, {} pages under {PAGE_WORDS_PERCENT}%), \
             links {}/{} ok; dropped on purpose: {}",
            self.pages,
            self.pages.saturating_sub(self.urls.iter().filter(|m| m.eleventy.is_some()).count()),
            self.pages,
            self.words.percent(),
            self.words.found,
            self.words.total,
            self.thin_pages().len(),
            self.links - self.link_failures.len(),
            self.links,
            dropped.join(", "),
        )
    }

    /// Pages under the per-page threshold, worst first.
    fn thin_pages(&self) -> Vec<&(String, WordCount)> {
        let mut thin: Vec<_> = self.page_words.iter().filter(|(_, c)| c.percent() < PAGE_WORDS_PERCENT).collect();
        thin.sort_by(|a, b| a.1.percent().total_cmp(&b.1.percent()));
        thin
    }

    /// Every failed check, written out; empty when all pass.
    fn failures(&self) -> String {
        let mut out = String::new();
        self.write_urls(&mut out);
        self.write_words(&mut out);
        self.write_links(&mut out);
        if !out.is_empty() {
            self.write_dropped(&mut out);
        }
        out
    }

    /// What was left out of Eleventy's side before comparing, and why.
    fn write_dropped(&self, out: &mut String) {
        let _ = writeln!(out, "Left out of Eleventy's rendering on purpose (tests/eleventy_oracle.rs, DROPPED):");
        for (d, n) in DROPPED.iter().zip(self.dropped) {
            let _ = writeln!(out, "  {n} <{} {}=\"{}\">: {}", d.tag, d.attribute, d.value, d.reason);
        }
    }

    fn write_urls(&self, out: &mut String) {
        if self.urls.is_empty() {
            return;
        }
        let _ = writeln!(out, "URLs: {} pages differ (source: Eleventy URL, folio URL)", self.urls.len());
        for m in &self.urls {
            let _ =
                writeln!(out, "  {}: {}, {}", m.source, m.eleventy_url(), m.folio.as_deref().unwrap_or("(no page)"));
        }
    }

    fn write_words(&self, out: &mut String) {
        let thin = self.thin_pages();
        if self.words.percent() >= SITE_WORDS_PERCENT && thin.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "Words: {:.2}% of Eleventy's words are in folio's pages (at least {SITE_WORDS_PERCENT}%); \
             {} pages under {PAGE_WORDS_PERCENT}% (missing words in Eleventy's order):",
            self.words.percent(),
            thin.len()
        );
        for (source, count) in thin {
            let shown: Vec<&str> = count.missing.iter().take(60).map(String::as_str).collect();
            let more = if count.missing.len() > shown.len() { " …" } else { "" };
            let _ = writeln!(
                out,
                "  {source}: {:.1}% ({} of {} missing): {}{more}",
                count.percent(),
                count.missing.len(),
                count.total,
                shown.join(" ")
            );
        }
    }

    fn write_links(&self, out: &mut String) {
        if self.link_failures.is_empty() {
            return;
        }
        let mut by_kind: BTreeMap<&str, Vec<&links::Failure>> = BTreeMap::new();
        for f in &self.link_failures {
            by_kind.entry(f.kind).or_default().push(f);
        }
        let _ = writeln!(
            out,
            "Links: {} of {} page links resolved otherwise than Eleventy",
            self.link_failures.len(),
            self.links
        );
        for (kind, failures) in by_kind {
            let _ = writeln!(out, "  {kind} ({}):", failures.len());
            for f in failures {
                let _ = writeln!(out, "    {}: `{}` {}", f.source, f.href, f.detail);
            }
        }
    }
}
