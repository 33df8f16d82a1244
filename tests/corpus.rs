//! End-to-end: the real corpus, the sample corpus and the hostile fixture, read whole.

mod common;

use folio::diagnostics::Severity;
use folio::model::*;

/// Every warning and error the real corpus must produce: (code, file, line).
const REAL_CORPUS_FINDINGS: &[(&str, &str, u32)] = &[
    ("link/broken", "fi/index.md", 138),
    ("link/broken", "fi/index.md", 188),
    ("link/broken", "fi/index.md", 189),
    ("link/broken", "fi/index.md", 193),
    ("link/broken", "fi/index.md", 194),
    ("seealso/unknown-key", "fs/technique/technique-amr.md", 16),
    ("link/broken", "fs/technique/technique-endpoints.md", 391),
    ("link/broken", "fs/technique/technique-endpoints.md", 439),
    ("seealso/unknown-key", "fs/technique/technique-oidc.md", 22),
    ("link/broken", "fs/technique/technique-scope-fc.md", 23),
    // Tables whose delimiter row has more cells than their header: text on the site too.
    ("markdown/not-a-table", "fs/projet/projet-niveau-eidas.md", 73),
    ("markdown/not-a-table", "fs/technique/technique-endpoints.md", 128),
    ("markdown/not-a-table", "fs/technique/technique-endpoints.md", 197),
    ("markdown/not-a-table", "fs/technique/technique-oidc-fc-plus.md", 33),
    ("markdown/not-a-table", "fs/technique/technique-oidc-fc-plus.md", 68),
    ("markdown/not-a-table", "fs/technique/technique-oidc.md", 95),
    ("markdown/not-a-table", "fs/technique/technique-scope-fc.md", 61),
    ("markdown/not-a-table", "fs/technique/technique-scope-fc.md", 90),
];

#[test]
fn real_corpus_reads_all_57_files_with_no_error() {
    let Some(loaded) = common::load_real() else { return };
    let c = &loaded.corpus;
    assert_eq!(c.pages.len() + c.records.len(), 57);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn real_corpus_reports_exactly_its_broken_links_unknown_keys_and_rejected_tables() {
    let Some(loaded) = common::load_real() else { return };
    let mut found: Vec<(&str, &str, u32)> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .map(|d| (d.code, d.file.as_str(), d.line))
        .collect();
    found.sort();
    let mut expected = REAL_CORPUS_FINDINGS.to_vec();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn real_corpus_broken_links_keep_their_text() {
    let Some(loaded) = common::load_real() else { return };
    let hrefs = broken_hrefs(&loaded.corpus);
    assert!(hrefs.contains(&"../doc_fs.md#id_token".to_string()), "{hrefs:?}");
    assert!(hrefs.contains(&"../projet/projet-donnees-fc+.md".to_string()), "{hrefs:?}");
}

#[test]
fn real_corpus_reports_the_skipped_template() {
    let Some(loaded) = common::load_real() else { return };
    assert!(loaded.diagnostics.iter().any(|d| d.code == "source/template-skipped" && d.file == "home/index.njk"));
}

#[test]
fn real_corpus_endpoint_titles_survive_as_sections() {
    let Some(loaded) = common::load_real() else { return };
    let page = loaded.corpus.pages.iter().find(|p| p.key == "fs-technique-oidc-endpoints").expect("endpoints page");
    let titles: Vec<String> = page
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Section(s) => Some(folio::text::plain_text(&s.title)),
            _ => None,
        })
        .collect();
    assert!(titles.contains(&"GET /api/v2/.well-known/openid-configuration".to_string()), "{titles:?}");
    assert!(titles.contains(&"GET /api/v2/jwks".to_string()), "{titles:?}");
}

#[test]
fn real_corpus_sections_follow_navigation_order() {
    let Some(loaded) = common::load_real() else { return };
    let urls: Vec<&str> = loaded.corpus.sections.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, ["/fs/", "/fi/", "/fd/"]);
    let fs: Vec<&str> = loaded.corpus.sections[0].children.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(fs, ["/fs/pilotage/", "/fs/projet/", "/fs/technique/"]);
}

fn broken_hrefs(corpus: &Corpus) -> Vec<String> {
    let mut out = Vec::new();
    for page in &corpus.pages {
        folio::walk::visit_blocks(&page.blocks, &mut |block| {
            for run in folio::walk::block_inlines(block) {
                folio::walk::visit_inlines(run, &mut |inline| {
                    if let Inline::Link(link) = inline {
                        if let LinkTarget::Broken { .. } = link.target {
                            out.push(link.href.clone());
                        }
                    }
                });
            }
        });
    }
    out
}

#[test]
fn sample_corpus_uses_every_construct() {
    let loaded = common::load_sample();
    let mut kinds = std::collections::BTreeSet::new();
    for page in &loaded.corpus.pages {
        folio::walk::visit_blocks(&page.blocks, &mut |b| {
            kinds.insert(
                serde_json::to_value(b).ok().and_then(|v| v["type"].as_str().map(str::to_string)).unwrap_or_default(),
            );
        });
    }
    for kind in [
        "callout",
        "quote_figure",
        "table",
        "figure",
        "diagram",
        "code",
        "card",
        "page_list",
        "see_also_list",
        "section",
        "list",
        "block_quote",
    ] {
        assert!(kinds.contains(kind), "content/ has no {kind}: {kinds:?}");
    }
    assert_eq!(loaded.corpus.records.len(), 1);
    assert!(loaded.diagnostics.iter().any(|d| d.code == "link/broken"), "the deliberate broken link is reported");
    assert!(loaded.diagnostics.iter().any(|d| d.code == "container/unclosed"));
}

#[test]
fn sample_corpus_json_matches_its_snapshot() {
    let loaded = common::load_sample();
    // The snapshot is pretty-printed, to be read in review; the file is compact.
    let value = folio::exporters::json::read_json(&folio::exporters::json::corpus_json(&loaded.corpus).expect("json"))
        .expect("json");
    let json = serde_json::to_string_pretty(&value).expect("json") + "\n";
    common::snapshot_settings().bind(|| insta::assert_snapshot!("json__corpus", json));
}

#[test]
fn corpus_json_is_the_model_serialised_in_field_order() {
    let mut corpora = vec![common::load_sample().corpus];
    corpora.extend(common::load_real().map(|l| l.corpus));
    let mut empty = corpora[0].clone();
    empty.pages.clear();
    empty.records.clear();
    corpora.push(empty);
    for corpus in &corpora {
        let written = folio::exporters::json::corpus_json(corpus).expect("json");
        let value = folio::exporters::json::read_json(&written).expect("valid JSON");
        // Compared as text: `preserve_order` keeps the written key order in `value`.
        assert_eq!(
            serde_json::to_string(&value).expect("json"),
            serde_json::to_string(corpus).expect("json"),
            "{} pages",
            corpus.pages.len()
        );
    }
}

#[test]
fn corpus_json_puts_each_page_on_a_line_of_its_own() {
    let corpus = common::load_sample().corpus;
    let written = String::from_utf8(folio::exporters::json::corpus_json(&corpus).expect("json")).expect("utf8");
    let page_lines: Vec<&str> = written.lines().filter(|l| l.starts_with("{\"key\":")).collect();
    assert_eq!(page_lines.len(), corpus.pages.len());
    for (line, page) in page_lines.iter().zip(&corpus.pages) {
        let line = line.strip_suffix(',').unwrap_or(line);
        assert_eq!(serde_json::from_str::<folio::model::Page>(line).expect("a page per line"), *page);
    }
    assert!(written.ends_with("}\n"));
}

#[test]
fn corpus_json_round_trips_into_the_model() {
    let loaded = common::load_sample();
    let json = folio::exporters::json::corpus_json(&loaded.corpus).expect("json");
    let back: Corpus = serde_json::from_slice(&json).expect("deserializes");
    assert_eq!(back, loaded.corpus);
}

#[test]
fn corpus_json_is_counted_page_by_page_as_the_model_counts() {
    let loaded = common::load_sample();
    let json = folio::exporters::json::corpus_json(&loaded.corpus).expect("json");
    let counted = folio::exporters::json::count_corpus_json(&json).expect("reads as the model");
    assert_eq!(counted, folio::fidelity::model_counts(&loaded.corpus));
    assert!(counted.links > 0 && counted.pages == loaded.corpus.pages.len());
}

#[test]
fn corpus_json_counting_checks_the_file_as_the_model_would() {
    let loaded = common::load_sample();
    let json = folio::exporters::json::corpus_json(&loaded.corpus).expect("json");
    let model: serde_json::Value = serde_json::from_slice(&json).expect("json");
    let mut no_sections = model.clone();
    no_sections.as_object_mut().expect("object").remove("sections");
    let error = folio::exporters::json::count_corpus_json(&serde_json::to_vec(&no_sections).expect("json"))
        .expect_err("sections are required");
    assert!(error.to_string().contains("`sections`"), "{error}");
    let mut bad_page = model;
    bad_page["pages"][0] = serde_json::json!({ "key": 3 });
    assert!(
        folio::exporters::json::count_corpus_json(&serde_json::to_vec(&bad_page).expect("json")).is_err(),
        "a page that is not a page is refused"
    );
}

#[test]
fn corpus_json_read_back_line_by_line_finds_every_string_and_counts_as_the_model() {
    let loaded = common::load_sample();
    let json = folio::exporters::json::corpus_json(&loaded.corpus).expect("json");
    let read = folio::exporters::json::read_back_corpus_json(&mut json.as_slice()).expect("reads back");
    let mut whole = folio::fidelity::ReadBack::default();
    folio::json_strings::for_each_json_string(&json, &mut |s| whole.hear(s)).expect("strings");
    assert_eq!(read.words, whole.words);
    assert_eq!(read.counts, Some(folio::fidelity::model_counts(&loaded.corpus)));
}

#[test]
fn corpus_json_read_back_names_the_line_of_a_page_that_is_not_a_page() {
    let loaded = common::load_sample();
    let json = String::from_utf8(folio::exporters::json::corpus_json(&loaded.corpus).expect("json")).expect("utf8");
    let mut lines: Vec<&str> = json.lines().collect();
    lines[2] = "{\"key\":3},";
    let broken = lines.join("\n");
    let error = folio::exporters::json::read_back_corpus_json(&mut broken.as_bytes()).expect_err("refused");
    assert!(format!("{error:#}").contains("line 3"), "{error:#}");
}

#[test]
fn corpus_json_read_back_refuses_a_file_cut_inside_its_pages() {
    let loaded = common::load_sample();
    let json = String::from_utf8(folio::exporters::json::corpus_json(&loaded.corpus).expect("json")).expect("utf8");
    let cut: String = json.lines().take(3).collect::<Vec<_>>().join("\n");
    assert!(folio::exporters::json::read_back_corpus_json(&mut cut.as_bytes()).is_err());
}

#[test]
fn json_schema_names_every_block_type() {
    let schema = String::from_utf8(folio::exporters::json::corpus_schema_json().expect("schema")).expect("utf8");
    for kind in ["callout", "quote_figure", "diagram", "page_list", "see_also_list", "section"] {
        assert!(schema.contains(&format!("\"{kind}\"")), "schema lacks {kind}");
    }
}

#[test]
fn hostile_fixture_gives_diagnostics_and_keeps_healthy_pages() {
    let loaded = common::load_fixture("hostile");
    let keys: Vec<&str> = loaded.corpus.pages.iter().map(|p| p.key.as_str()).collect();
    for key in ["healthy", "bom-crlf", "twin", "twin-2", "deep-quotes", "deep-lists", "hostile-html"] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    for code in [
        "front-matter/invalid-yaml",
        "front-matter/unclosed",
        "source/invalid-utf8",
        "page/duplicate-key",
        "asset/outside",
        "html/dropped",
        "link/unsafe-scheme",
        "markdown/too-deep",
    ] {
        assert!(codes.contains(&code), "{code} not reported: {codes:?}");
    }
    assert!(loaded.diagnostics.iter().all(|d| !d.file.is_empty()));
}

#[test]
fn hostile_fixture_embeds_nothing_from_outside_the_assets() {
    let loaded = common::load_fixture("hostile");
    for page in &loaded.corpus.pages {
        folio::walk::visit_blocks(&page.blocks, &mut |b| {
            if let Block::Figure(f) = b {
                if f.image.src.contains("..") || f.image.src.contains("evil") {
                    assert!(matches!(f.image.target, LinkTarget::Broken { .. }), "{:?}", f.image);
                }
            }
        });
    }
}
