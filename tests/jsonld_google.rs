//! The JSON-LD exporter against Google's structured-data rules: breadcrumb trails from the
//! site's home, ItemList items with a name and a URL, and Adobe's structured-data-validator
//! (which encodes those rules) on every corpus.

mod common;

use folio::build::Loaded;
use folio::exporter::MemorySink;
use folio::exporters::jsonld::JsonLdExporter;
use serde_json::Value;
use std::path::PathBuf;

fn export(loaded: &Loaded) -> MemorySink {
    common::export(loaded, &JsonLdExporter, &toml::Table::new()).0
}

fn document(sink: &MemorySink, path: &str) -> Value {
    serde_json::from_slice(&sink.files[path]).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn node<'a>(doc: &'a Value, ty: &str) -> Option<&'a Value> {
    doc["@graph"].as_array().expect("@graph").iter().find(|n| n["@type"] == ty)
}

/// The (name, item URL) of every entry of a page's breadcrumb, in order.
fn trail(sink: &MemorySink, key: &str) -> Vec<(String, String)> {
    let doc = document(sink, &format!("pages/{key}.jsonld"));
    let list = node(&doc, "BreadcrumbList").unwrap_or_else(|| panic!("{key}: no BreadcrumbList"));
    list["itemListElement"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| (i["name"].as_str().expect("name").to_string(), i["item"].as_str().expect("item").to_string()))
        .collect()
}

fn entries(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(n, u)| (n.to_string(), u.to_string())).collect()
}

#[test]
fn top_level_page_trail_is_the_home_then_the_page() {
    let sink = export(&common::load_fixture("jsonld-trail"));
    assert_eq!(
        trail(&sink, "contact"),
        entries(&[("Accueil du guide", "https://example.org/"), ("Nous contacter", "https://example.org/contact/")])
    );
}

#[test]
fn home_entry_is_named_after_the_site_when_the_corpus_has_no_home_page() {
    let loaded = common::load_fixture("jsonld-edge");
    let first = trail(&export(&loaded), "guide")[0].clone();
    assert_eq!(first, (loaded.corpus.site.title.clone(), loaded.corpus.site.url.clone()));
}

#[test]
fn page_without_segments_has_the_index_pages_of_its_sections_in_its_trail() {
    let sink = export(&common::load_fixture("jsonld-trail"));
    assert_eq!(
        trail(&sink, "guide-avance-proxy"),
        entries(&[
            ("Accueil du guide", "https://example.org/"),
            ("Guide", "https://example.org/guide/"),
            ("Usage avancé", "https://example.org/guide/avance/"),
            ("Derrière un proxy", "https://example.org/guide/avance/proxy/"),
        ])
    );
}

#[test]
fn segments_that_name_the_home_do_not_repeat_it() {
    let sink = export(&common::load_fixture("jsonld-trail"));
    assert_eq!(
        trail(&sink, "guide-configurer"),
        entries(&[
            ("Accueil du guide", "https://example.org/"),
            ("Le guide", "https://example.org/guide/"),
            ("Configurer", "https://example.org/guide/configurer/"),
        ])
    );
}

#[test]
fn home_page_has_no_breadcrumb_since_it_would_hold_one_item() {
    let sink = export(&common::load_fixture("jsonld-trail"));
    let doc = document(&sink, "pages/accueil.jsonld");
    assert!(node(&doc, "BreadcrumbList").is_none());
    assert!(doc["@graph"][0].get("breadcrumb").is_none(), "no reference to a missing node");
}

#[test]
fn item_list_entries_have_a_position_a_name_and_a_url() {
    let sink = export(&common::load_fixture("jsonld-trail"));
    let doc = document(&sink, "sections/guide.jsonld");
    let items = node(&doc, "ItemList").expect("ItemList")["itemListElement"].clone();
    assert_eq!(
        items,
        serde_json::json!([
            { "@type": "ListItem", "position": 1, "name": "Installer", "url": "https://example.org/guide/installer/" },
            { "@type": "ListItem", "position": 2, "name": "Configurer", "url": "https://example.org/guide/configurer/" },
            { "@type": "ListItem", "position": 3, "name": "Usage avancé", "url": "https://example.org/guide/avance/" },
        ])
    );
}

/// Adobe's structured-data-validator on every `.jsonld` of `content/`, of the real corpus with
/// its configuration and of each shared site: no error and no warning.
#[test]
fn adobe_validator_finds_no_issue_in_any_corpus() {
    let probe = r#". "${FOLIO_TOOLS:-$HOME/.cache/folio-tools}/env.sh" && command -v node && test -f "$FOLIO_NODE_TOOLS/node_modules/@adobe/structured-data-validator/package.json" && test -f "$FOLIO_SCHEMAORG_VOCABULARY""#;
    if !common::validator_available(probe) {
        return;
    }
    let mut corpora = vec![("sample".to_string(), common::load_sample())];
    corpora.extend(common::load_real().map(|l| ("real".to_string(), l)));
    for site in ["franceconnect", "eleventy-dsfr", "cct-mi"] {
        corpora.extend(common::load_shared_site(site).map(|l| (format!("site-{site}"), l)));
    }
    let dirs: Vec<PathBuf> = corpora
        .iter()
        .map(|(name, loaded)| {
            let dir = common::scratch(&format!("jsonld-google-{name}"));
            common::write_sink(&export(loaded), &dir);
            dir
        })
        .collect();
    let paths: Vec<&std::path::Path> = dirs.iter().map(PathBuf::as_path).collect();
    common::run_validator("structured-data-check.sh", &paths);
}
