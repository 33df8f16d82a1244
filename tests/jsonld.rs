//! The JSON-LD exporter, end to end: invariants on `content/`, the real corpus and a fixture
//! of edge cases, the independent validators, and snapshots of every file of `content/`.

mod common;

use folio::build::Loaded;
use folio::diagnostics::Diagnostic;
use folio::exporter::MemorySink;
use folio::exporters::jsonld::JsonLdExporter;
use folio::model::PageKind;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The tags an answer may hold (Google's list for `acceptedAnswer.text`).
const ALLOWED_TAGS: [&str; 16] =
    ["h1", "h2", "h3", "h4", "h5", "h6", "br", "ol", "ul", "li", "a", "p", "b", "strong", "i", "em"];
const SCRIPT_OPEN: &str = "<script type=\"application/ld+json\">\n";
const SCRIPT_CLOSE: &str = "\n</script>\n";

fn options(text: &str) -> toml::Table {
    text.parse().expect("options parse")
}

fn run(loaded: &Loaded, opts: &str) -> (MemorySink, Vec<Diagnostic>) {
    common::export(loaded, &JsonLdExporter, &options(opts))
}

/// Every `.jsonld` file of an export, parsed, by path.
fn documents(sink: &MemorySink) -> BTreeMap<String, Value> {
    sink.files
        .iter()
        .filter(|(path, _)| path.ends_with(".jsonld"))
        .map(|(path, bytes)| (path.clone(), serde_json::from_slice(bytes).expect("valid JSON")))
        .collect()
}

fn graph(doc: &Value) -> &Vec<Value> {
    doc["@graph"].as_array().expect("@graph is an array")
}

fn nodes_of_type<'a>(doc: &'a Value, ty: &str) -> Vec<&'a Value> {
    let mut found = Vec::new();
    collect_typed(doc, ty, &mut found);
    found
}

fn collect_typed<'a>(value: &'a Value, ty: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            if map.get("@type").and_then(Value::as_str) == Some(ty) {
                out.push(value);
            }
            map.values().for_each(|v| collect_typed(v, ty, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_typed(v, ty, out)),
        _ => {}
    }
}

fn answer_texts(doc: &Value) -> Vec<String> {
    nodes_of_type(doc, "Answer").iter().map(|a| a["text"].as_str().expect("answer text").to_string()).collect()
}

/// A tiny checker of the answer HTML: every tag allowed and balanced, only `href`
/// attributes, every `href` absolute, no stray `<` or `>` in text.
fn check_answer_html(html: &str) -> Result<(), String> {
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(['<', '>']) {
        if rest[start..].starts_with('>') {
            return Err(format!("stray '>' in text: {rest}"));
        }
        let end = rest[start..].find('>').ok_or("unterminated tag")? + start;
        check_tag(&rest[start + 1..end], &mut open)?;
        rest = &rest[end + 1..];
    }
    if open.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed tags {open:?}"))
    }
}

fn check_tag(tag: &str, open: &mut Vec<String>) -> Result<(), String> {
    if let Some(name) = tag.strip_prefix('/') {
        return match open.pop() {
            Some(top) if top == name => Ok(()),
            other => Err(format!("</{name}> closes {other:?}")),
        };
    }
    let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
    if !ALLOWED_TAGS.contains(&name) {
        return Err(format!("tag <{name}> is not allowed"));
    }
    if !attrs.is_empty() {
        let href =
            attrs.strip_prefix("href=\"").and_then(|a| a.strip_suffix('"')).ok_or(format!("attributes {attrs:?}"))?;
        if name != "a" || href.contains('"') || !is_absolute(href) {
            return Err(format!("<{name} {attrs}> has a bad attribute"));
        }
    }
    if name != "br" {
        open.push(name.to_string());
    }
    Ok(())
}

fn is_absolute(url: &str) -> bool {
    ["https://", "http://", "mailto:", "tel:", "ftp://"].iter().any(|s| url.starts_with(s))
}

/// Every URL-valued string outside answer HTML, with the key it was found under.
fn urls_in(value: &Value, key: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter().filter(|(k, _)| !matches!(k.as_str(), "@context" | "itemListOrder" | "text")) {
                urls_in(v, k, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| urls_in(v, key, out)),
        Value::String(s) if matches!(key, "@id" | "url" | "item") || s.contains("://") => {
            out.push((key.to_string(), s.clone()))
        }
        _ => {}
    }
}

fn question_pages(loaded: &Loaded) -> Vec<&folio::model::Page> {
    loaded.corpus.pages.iter().filter(|p| p.kind == PageKind::Question).collect()
}

/// The invariants every export must satisfy, on any corpus and with any options.
fn assert_invariants(loaded: &Loaded, sink: &MemorySink) {
    let docs = documents(sink);
    let site = &loaded.corpus.site.url;
    let mut question_ids = Vec::new();
    for (path, doc) in &docs {
        for node in graph(doc) {
            assert!(node["@type"].is_string() && node["@id"].is_string(), "{path}: node without @type/@id");
        }
        let mut urls = Vec::new();
        urls_in(doc, "", &mut urls);
        for (key, url) in urls {
            assert!(url.starts_with(site.as_str()), "{path}: {key} {url:?} is not on {site}");
        }
        for list in nodes_of_type(doc, "BreadcrumbList") {
            let items = list["itemListElement"].as_array().unwrap();
            assert!(items.len() >= 2, "{path}: Google wants two breadcrumb items or more");
            assert!(items.iter().all(|i| i["name"].is_string() && i["item"].is_string()), "{path}: {items:?}");
        }
        for list in nodes_of_type(doc, "ItemList") {
            let items = list["itemListElement"].as_array().unwrap();
            assert!(items.iter().all(|i| i["name"].is_string() && i["url"].is_string()), "{path}: {items:?}");
        }
        for list in nodes_of_type(doc, "BreadcrumbList").into_iter().chain(nodes_of_type(doc, "ItemList")) {
            let positions: Vec<u64> =
                list["itemListElement"].as_array().unwrap().iter().map(|i| i["position"].as_u64().unwrap()).collect();
            assert_eq!(positions, (1..=positions.len() as u64).collect::<Vec<_>>(), "{path}: positions");
        }
        for text in answer_texts(doc) {
            assert!(!text.is_empty(), "{path}: empty answer");
            check_answer_html(&text).unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
        }
        question_ids
            .extend(nodes_of_type(doc, "Question").iter().map(|q| (q["@id"].to_string(), q["name"].to_string())));
    }
    let ids: std::collections::BTreeSet<_> = question_ids.iter().map(|(id, _)| id).collect();
    let names: std::collections::BTreeSet<_> = question_ids.iter().map(|(_, n)| n.to_lowercase()).collect();
    assert_eq!((ids.len(), names.len()), (question_ids.len(), question_ids.len()), "a question is marked up twice");
    for page in question_pages(loaded) {
        let doc = &docs[&format!("pages/{}.jsonld", page.key)];
        assert_eq!(nodes_of_type(doc, "Question").len(), 1, "{}: one Question", page.key);
    }
}

#[test]
fn sample_export_satisfies_every_invariant() {
    let loaded = common::load_sample();
    assert_invariants(&loaded, &run(&loaded, "").0);
    assert_invariants(&loaded, &run(&loaded, "answer = \"body\"").0);
}

#[test]
fn real_corpus_export_satisfies_every_invariant() {
    let Some(loaded) = common::load_real() else { return };
    let (sink, diags) = run(&loaded, "");
    assert_invariants(&loaded, &sink);
    assert!(diags.iter().all(|d| !d.code.starts_with("jsonld/")), "short answers need no degradation: {diags:#?}");
    assert_invariants(&loaded, &run(&loaded, "answer = \"body\"").0);
}

#[test]
fn every_page_gets_a_graph_and_a_snippet_and_the_site_its_own() {
    let loaded = common::load_sample();
    let (sink, _) = run(&loaded, "");
    for page in &loaded.corpus.pages {
        for ext in ["jsonld", "html"] {
            assert!(sink.files.contains_key(&format!("pages/{}.{ext}", page.key)), "{} .{ext}", page.key);
        }
    }
    let site = &documents(&sink)["site.jsonld"];
    let types: Vec<&str> = graph(site).iter().map(|n| n["@type"].as_str().unwrap()).collect();
    assert_eq!(types, ["WebSite", "Organization"]);
    assert_eq!(graph(site)[0]["publisher"]["@id"], graph(site)[1]["@id"]);
}

#[test]
fn every_webpage_is_part_of_the_website_by_id() {
    let loaded = common::load_sample();
    let docs = documents(&run(&loaded, "").0);
    let website_id = &graph(&docs["site.jsonld"])[0]["@id"];
    for page in &loaded.corpus.pages {
        let webpage = &graph(&docs[&format!("pages/{}.jsonld", page.key)])[0];
        assert_eq!(&webpage["isPartOf"]["@id"], website_id, "{}", page.key);
        assert_eq!(webpage["isPartOf"].as_object().unwrap().len(), 1, "the WebSite is referenced, not repeated");
    }
}

#[test]
fn webpage_carries_the_page_metadata() {
    let loaded = common::load_sample();
    let docs = documents(&run(&loaded, "").0);
    let webpage = &graph(&docs["pages/fs-pilotage-acteurs.jsonld"])[0];
    assert_eq!(webpage["@type"], "WebPage");
    assert_eq!(webpage["@id"], "https://documentation.exemple.fr/fs/pilotage/pilotage-acteurs/#webpage");
    assert_eq!(webpage["name"], "Quels sont les acteurs d'une connexion avec FranceConnect ?");
    assert!(webpage["description"].as_str().unwrap().starts_with("Une connexion fait intervenir quatre acteurs."));
    assert_eq!(webpage["inLanguage"], "fr");
    assert_eq!(webpage["keywords"], serde_json::json!(["FranceConnect", "FranceConnect+"]));
    assert!(webpage.get("dateModified").is_none(), "the build time is not when the page changed");
}

#[test]
fn section_index_page_is_a_collection_page() {
    let loaded = common::load_sample();
    let docs = documents(&run(&loaded, "").0);
    assert_eq!(graph(&docs["pages/fs-pilotage.jsonld"])[0]["@type"], "CollectionPage");
}

#[test]
fn breadcrumb_ends_with_the_page_and_uses_canonical_urls() {
    let loaded = common::load_sample();
    let docs = documents(&run(&loaded, "").0);
    // Its front matter writes `/fs/pilotage` without the trailing slash.
    let crumbs = &graph(&docs["pages/fs-pilotage-step.jsonld"])[1]["itemListElement"];
    let items: Vec<&str> = crumbs.as_array().unwrap().iter().map(|c| c["item"].as_str().unwrap()).collect();
    assert_eq!(
        items,
        [
            "https://documentation.exemple.fr/",
            "https://documentation.exemple.fr/fs/",
            "https://documentation.exemple.fr/fs/pilotage/",
            "https://documentation.exemple.fr/fs/pilotage/pilotage-etapes/",
        ]
    );
}

#[test]
fn short_answer_is_the_abstract_followed_by_en_bref() {
    let loaded = common::load_sample();
    let docs = documents(&run(&loaded, "").0);
    let text = &answer_texts(&docs["pages/fs-pilotage-step.jsonld"])[0];
    assert!(text.starts_with("<p>Pour devenir fournisseur de service, vous devez réaliser"), "{text}");
    assert!(text.ends_with("<li>passer en production.</li></ol>"), "{text}");
}

#[test]
fn body_option_answers_with_the_whole_body() {
    let loaded = common::load_sample();
    let docs = documents(&run(&loaded, "answer = \"body\"").0);
    let text = &answer_texts(&docs["pages/fs-pilotage-acteurs.jsonld"])[0];
    assert!(text.contains("<h2>Les quatre acteurs</h2>"), "{text}");
}

#[test]
fn date_modified_is_the_build_date_only_when_configured() {
    let loaded = common::load_sample();
    let docs = documents(&run(&loaded, "date_modified = \"build\"").0);
    assert_eq!(graph(&docs["pages/fs.jsonld"])[0]["dateModified"], "2024-03-01");
    assert_eq!(graph(&docs["site.jsonld"])[0]["dateModified"], "2024-03-01");
}

#[test]
fn section_file_references_its_pages_without_repeating_their_questions() {
    let loaded = common::load_sample();
    let docs = documents(&run(&loaded, "").0);
    let section = &docs["sections/fs-pilotage.jsonld"];
    let collection = &graph(section)[0];
    assert_eq!(collection["@type"], "CollectionPage");
    assert_eq!(collection["@id"], "https://documentation.exemple.fr/fs/pilotage/#webpage");
    let parts = collection["hasPart"].as_array().unwrap();
    assert_eq!(parts.len(), 6);
    assert!(parts.iter().all(|p| p.as_object().unwrap().keys().eq(["@id"])), "references only");
    assert_eq!(parts[0]["@id"], "https://documentation.exemple.fr/fs/pilotage/pilotage-acteurs/#webpage");
    assert!(nodes_of_type(section, "Question").is_empty() && nodes_of_type(section, "FAQPage").is_empty());
    assert_eq!(graph(section)[1]["numberOfItems"], 6);
}

#[test]
fn snippet_holds_the_same_json_and_text_cannot_close_it() {
    let loaded = common::load_fixture("jsonld-edge");
    let (sink, _) = run(&loaded, "");
    for (path, doc) in documents(&sink) {
        let snippet = String::from_utf8(sink.files[&path.replace(".jsonld", ".html")].clone()).unwrap();
        let inner =
            snippet.strip_prefix(SCRIPT_OPEN).and_then(|s| s.strip_suffix(SCRIPT_CLOSE)).expect("script element");
        assert!(!inner.contains("</") && !inner.contains("<!--"), "{path}: {inner}");
        assert_eq!(serde_json::from_str::<Value>(inner).unwrap(), doc, "{path}");
    }
    let docs = documents(&sink);
    let title = &graph(&docs["pages/guide-script.jsonld"])[0]["name"];
    assert_eq!(title, "Que faire de \"</script><!--\" dans un titre ?", "the text itself is unchanged");
}

#[test]
fn markup_in_text_is_escaped_inside_the_answer() {
    let loaded = common::load_fixture("jsonld-edge");
    let docs = documents(&run(&loaded, "").0);
    let text = &answer_texts(&docs["pages/guide-script.jsonld"])[0];
    assert!(text.starts_with("<p>Rien : &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;!--"), "{text}");
    check_answer_html(text).unwrap();
}

#[test]
fn answer_links_are_absolute_and_broken_ones_are_text() {
    let loaded = common::load_fixture("jsonld-edge");
    let docs = documents(&run(&loaded, "").0);
    let text = &answer_texts(&docs["pages/guide-script.jsonld"])[0];
    assert!(text.contains("<a href=\"https://example.org/guide/\">le guide</a>"), "{text}");
    assert!(text.contains(", une page absente et"), "{text}");
    assert!(text.contains("<a href=\"https://exemple.org/?a=1&amp;b=2\">un site externe</a>"), "{text}");
}

#[test]
fn repeated_question_is_marked_up_once_with_a_warning() {
    let loaded = common::load_fixture("jsonld-edge");
    let (sink, diags) = run(&loaded, "");
    let docs = documents(&sink);
    assert_eq!(nodes_of_type(&docs["pages/guide-script.jsonld"], "Question").len(), 1);
    assert!(nodes_of_type(&docs["pages/guide-doublon.jsonld"], "FAQPage").is_empty());
    assert!(diags.iter().any(|d| d.code == "jsonld/duplicate-question" && d.file == "guide/doublon.md"));
}

#[test]
fn question_without_answer_gets_no_faq_and_a_warning() {
    let loaded = common::load_fixture("jsonld-edge");
    let (sink, diags) = run(&loaded, "");
    let doc = &documents(&sink)["pages/guide-sans-reponse.jsonld"];
    assert!(nodes_of_type(doc, "FAQPage").is_empty());
    assert!(graph(doc)[0].get("mainEntity").is_none());
    assert!(diags.iter().any(|d| d.code == "jsonld/no-answer" && d.file == "guide/sans-reponse.md"));
}

#[test]
fn unresolved_breadcrumb_entry_is_left_out_with_a_warning() {
    let loaded = common::load_fixture("jsonld-edge");
    let (sink, diags) = run(&loaded, "");
    let docs = documents(&sink);
    let crumbs = &graph(&docs["pages/guide-script.jsonld"])[1]["itemListElement"];
    let names: Vec<&str> = crumbs.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    let home = loaded.corpus.site.title.as_str();
    assert_eq!(names, [home, "Guide", "Que faire de \"</script><!--\" dans un titre ?"]);
    assert!(diags.iter().any(|d| d.code == "jsonld/breadcrumb-skipped" && d.message.contains("/absent/")));
}

#[test]
fn flattened_table_is_reported_with_its_position() {
    let loaded = common::load_fixture("jsonld-edge");
    let (_, diags) = run(&loaded, "");
    let note = diags.iter().find(|d| d.code == "jsonld/answer-degraded").expect("a degradation note");
    assert_eq!((note.file.as_str(), note.line > 0), ("guide/script.md", true));
}

#[test]
fn output_is_deterministic_and_independent_of_the_build_time() {
    let mut loaded = common::load_sample();
    let first = run(&loaded, "").0;
    assert_eq!(first, run(&loaded, "").0);
    loaded.build_time.epoch_seconds += 86_400 * 365;
    assert_eq!(first, run(&loaded, "").0);
}

#[test]
fn sample_files_match_their_snapshots() {
    let loaded = common::load_sample();
    let (sink, _) = run(&loaded, "");
    for (path, bytes) in &sink.files {
        let name = format!("jsonld__{}", path.replace('/', "__"));
        let text = String::from_utf8(bytes.clone()).unwrap();
        common::snapshot_settings().bind(|| insta::assert_snapshot!(name, text));
    }
}

/// PyLD expansion and schemaorg-validate on every file of both corpora and both answer
/// modes, in one invocation.
#[test]
fn validators_accept_every_file_of_both_corpora() {
    let probe = r#". "${FOLIO_TOOLS:-$HOME/.cache/folio-tools}/env.sh" && test -x "$FOLIO_SCHEMAORG_VALIDATE" && test -f "$FOLIO_SCHEMAORG_CONTEXT" && "$FOLIO_PYTHON" -c 'import pyld'"#;
    if !common::validator_available(probe) {
        return;
    }
    let mut corpora = vec![("sample", common::load_sample())];
    corpora.extend(common::load_real().map(|l| ("real", l)));
    let mut files: Vec<PathBuf> = Vec::new();
    for (name, loaded) in &corpora {
        for (mode, opts) in [("summary", ""), ("body", "answer = \"body\"")] {
            let dir = common::scratch(&format!("jsonld-{name}-{mode}"));
            let written = common::write_sink(&run(loaded, opts).0, &dir);
            files.extend(written.into_iter().filter(|p| p.extension().is_some_and(|e| e == "jsonld")));
        }
    }
    let paths: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    common::run_validator("jsonld-check.py", &paths);
}

#[test]
fn answer_hrefs_are_valid_iris_and_a_url_pattern_is_text() {
    let loaded = common::load_fixture("iri-edge");
    let docs = documents(&run(&loaded, "").0);
    let text = &answer_texts(&docs["pages/adresses.jsonld"])[0];
    assert!(text.contains("<a href=\"https://example.org/a%20b/%7B%7D\">l'exemple</a>"), "{text}");
    assert!(text.contains("<a href=\"https://creativecommons.org/licenses/by-sa/4.0%3E\">"), "{text}");
    assert!(text.contains("<a href=\"https://example.org/?q=%7B%22a%22:1%7D%7Cx\">"), "{text}");
    assert!(text.contains(" et les tuiles.") && !text.contains("tiles.example"), "{text}");
    check_answer_html(text).unwrap();
}
