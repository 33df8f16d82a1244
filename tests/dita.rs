//! The DITA exporter, end to end: the sample corpus and the real one are valid against the
//! DITA 1.2 DTDs, DITA-OT builds the real one, and the map, topics and links agree with the
//! model.

mod common;

use folio::build::Loaded;
use folio::exporter::MemorySink;
use folio::exporters::dita::DitaExporter;
use folio::model::LinkTarget;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One element of an output file: its name, attributes, and the text directly inside it.
#[derive(Debug, Clone)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
}

/// Every element of a document in order, and all its text, unescaped.
fn parse(bytes: &[u8]) -> (Vec<Element>, String) {
    let mut reader = Reader::from_reader(bytes);
    let mut elements = Vec::new();
    let mut text = String::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attrs = e
                    .attributes()
                    .map(|a| a.expect("attribute"))
                    .map(|a| {
                        let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                        (key, a.unescape_value().expect("attribute value").into_owned())
                    })
                    .collect();
                elements.push(Element { name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(), attrs });
            }
            Event::Text(t) => text.push_str(&t.decode().expect("text")),
            Event::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().expect("character reference") {
                    text.push(c);
                    buf.clear();
                    continue;
                }
                let name = r.decode().expect("reference");
                text.push_str(match name.as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    (elements, text)
}

fn file<'a>(sink: &'a MemorySink, path: &str) -> &'a [u8] {
    sink.files.get(path).unwrap_or_else(|| panic!("{path} is written"))
}

fn map_path(sink: &MemorySink) -> String {
    let maps: Vec<&String> = sink.files.keys().filter(|p| p.ends_with(".ditamap")).collect();
    assert_eq!(maps.len(), 1, "exactly one map");
    maps[0].clone()
}

fn topic_paths(sink: &MemorySink) -> Vec<String> {
    sink.files.keys().filter(|p| p.starts_with("topics/") && p.ends_with(".dita")).cloned().collect()
}

fn export(loaded: &Loaded) -> MemorySink {
    common::export(loaded, &DitaExporter, &toml::Table::new()).0
}

/// The sample and, when present, the real corpus.
fn corpora() -> Vec<(&'static str, Loaded)> {
    let mut all = vec![("sample", common::load_sample())];
    all.extend(common::load_real().map(|l| ("real", l)));
    all
}

/// Writes both corpora's outputs to disk, returning the folders.
fn written() -> Vec<(&'static str, PathBuf, MemorySink)> {
    corpora()
        .into_iter()
        .map(|(name, loaded)| {
            let sink = export(&loaded);
            let dir = common::scratch(&format!("dita-{name}"));
            common::write_sink(&sink, &dir);
            (name, dir, sink)
        })
        .collect()
}

#[test]
fn every_topic_and_map_is_valid_against_the_dita_dtds() {
    if !common::validator_available("command -v xmllint && test -f /usr/share/dita-ot/catalog-dita.xml") {
        return;
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    let iri = export(&common::load_fixture("iri-edge"));
    let iri_dir = common::scratch("dita-iri-edge");
    common::write_sink(&iri, &iri_dir);
    for (_, dir, sink) in written().into_iter().chain([("iri-edge", iri_dir, iri)]) {
        paths
            .extend(sink.files.keys().filter(|p| p.ends_with(".dita") || p.ends_with(".ditamap")).map(|p| dir.join(p)));
    }
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    common::run_validator("dita-validate.sh", &refs);
}

#[test]
fn dita_ot_builds_the_real_corpus_with_one_page_per_topic_and_related_links() {
    let Some(loaded) = common::load_real() else { return };
    if !common::validator_available("command -v ant && test -f /usr/share/dita-ot/build.xml") {
        return;
    }
    let sink = export(&loaded);
    let dir = common::scratch("dita-ot-real");
    common::write_sink(&sink, &dir.join("in"));
    let map = dir.join("in").join(map_path(&sink));
    common::run_validator("dita-ot-build.sh", &[&map, &dir.join("out")]);
    let html: BTreeSet<String> = std::fs::read_dir(dir.join("out/topics"))
        .expect("DITA-OT wrote topics/")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html"))
        .collect();
    let topics: BTreeSet<String> =
        topic_paths(&sink).iter().map(|p| p.trim_start_matches("topics/").replace(".dita", ".html")).collect();
    assert_eq!(html, topics, "one HTML page per topic");
    let mut related = 0;
    for page in &loaded.corpus.pages {
        let html = std::fs::read_to_string(dir.join("out/topics").join(format!("{}.html", page.key))).unwrap();
        let links = html.find("class=\"related-links\"").map_or("", |i| &html[i..]);
        for s in &page.see_also {
            if let LinkTarget::Page { key, .. } = &s.target {
                assert!(
                    links.contains(&format!("href=\"../topics/{key}.html\"")),
                    "{}: related link to {key}",
                    page.key
                );
                related += 1;
            }
        }
    }
    assert!(related > 0, "the real corpus has see-also relations");
}

#[test]
fn every_page_has_its_topic_and_one_topicref() {
    for (name, loaded) in corpora() {
        let sink = export(&loaded);
        let (map, _) = parse(file(&sink, &map_path(&sink)));
        let in_nav = |href: &str| {
            map.iter().filter(|e| e.name == "topicref" && e.attrs.get("href").map(String::as_str) == Some(href)).count()
        };
        let in_reltable: usize = count_reltable_refs(&map);
        let all_refs = map.iter().filter(|e| e.name == "topicref").count();
        assert_eq!(all_refs - in_reltable, loaded.corpus.pages.len(), "{name}: one navigation topicref per page");
        for page in &loaded.corpus.pages {
            let path = format!("topics/{}.dita", page.key);
            let (topic, _) = parse(file(&sink, &path));
            assert_eq!(topic[0].attrs.get("id"), Some(&page.key), "{name}: topic id is the page key");
            assert!(in_nav(&path) >= 1, "{name}: {path} has a topicref");
            let keydef = map.iter().find(|e| e.name == "keydef" && e.attrs.get("href") == Some(&path));
            assert_eq!(keydef.and_then(|k| k.attrs.get("keys")), Some(&page.key), "{name}: {path} has a keydef");
            for r in map.iter().filter(|e| e.attrs.get("href") == Some(&path)) {
                assert_eq!(r.attrs.get("type"), Some(&topic[0].name), "{name}: type of {path} in the map");
            }
        }
    }
}

fn count_reltable_refs(map: &[Element]) -> usize {
    let start = map.iter().position(|e| e.name == "reltable");
    start.map_or(0, |s| map[s..].iter().filter(|e| e.name == "topicref").count())
}

#[test]
fn every_xref_and_image_target_exists() {
    for (name, loaded) in corpora() {
        let sink = export(&loaded);
        let ids: BTreeMap<String, (String, BTreeSet<String>)> = topic_paths(&sink)
            .into_iter()
            .map(|p| {
                let (els, _) = parse(file(&sink, &p));
                let root = els[0].attrs["id"].clone();
                let ids = els.iter().skip(1).filter_map(|e| e.attrs.get("id").cloned()).collect();
                (p.trim_start_matches("topics/").to_string(), (root, ids))
            })
            .collect();
        let mut checked = 0;
        for path in topic_paths(&sink) {
            let (els, _) = parse(file(&sink, &path));
            for e in els.iter().filter(|e| matches!(e.name.as_str(), "xref" | "image")) {
                if e.attrs.get("scope").map(String::as_str) == Some("external") {
                    continue;
                }
                let href = &e.attrs["href"];
                checked += 1;
                if let Some(local) = href.strip_prefix("../") {
                    let decoded = percent_encoding::percent_decode_str(local).decode_utf8().unwrap();
                    assert!(sink.files.contains_key(decoded.as_ref()), "{name}: {path}: {href} is copied");
                    continue;
                }
                let (target, fragment) = href.split_once('#').expect("dita xrefs name their topic");
                let (root, elements) = ids.get(target).unwrap_or_else(|| panic!("{name}: {path}: no topic {target}"));
                let (topic_id, element) = fragment.split_once('/').map_or((fragment, None), |(t, e)| (t, Some(e)));
                assert_eq!(topic_id, root, "{name}: {path}: {href} names the topic's id");
                if let Some(element) = element {
                    assert!(elements.contains(element), "{name}: {path}: {href}: no element {element}");
                }
            }
        }
        assert!(checked > 0, "{name}: some links were checked");
    }
}

#[test]
fn reltable_rows_match_the_see_also_keys() {
    for (name, loaded) in corpora() {
        let sink = export(&loaded);
        let (map, _) = parse(file(&sink, &map_path(&sink)));
        let start = map.iter().position(|e| e.name == "reltable").expect("a reltable");
        let mut rows: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut current: Option<String> = None;
        let mut cell = 0;
        for e in &map[start..] {
            match e.name.as_str() {
                "relrow" => cell = 0,
                "relcell" => cell += 1,
                "topicref" if cell == 1 => {
                    current = Some(e.attrs["href"].clone());
                    rows.insert(e.attrs["href"].clone(), Vec::new());
                }
                "topicref" => rows.get_mut(current.as_ref().unwrap()).unwrap().push(e.attrs["href"].clone()),
                _ => {}
            }
        }
        let expected: BTreeMap<String, Vec<String>> = loaded
            .corpus
            .pages
            .iter()
            .map(|p| {
                let mut targets: Vec<String> = Vec::new();
                for s in &p.see_also {
                    if let LinkTarget::Page { key, .. } = &s.target {
                        let href = format!("topics/{key}.dita");
                        if !targets.contains(&href) {
                            targets.push(href);
                        }
                    }
                }
                (format!("topics/{}.dita", p.key), targets)
            })
            .filter(|(_, t)| !t.is_empty())
            .collect();
        assert!(!expected.is_empty(), "{name}: the corpus has see-also relations");
        assert_eq!(rows, expected, "{name}: one reltable row per page with see-also pages");
    }
}

#[test]
fn sample_map_and_topics_match_their_snapshots() {
    let sink = export(&common::load_sample());
    common::snapshot_settings().bind(|| {
        insta::assert_snapshot!("dita__map", String::from_utf8(file(&sink, &map_path(&sink)).to_vec()).unwrap());
        for path in topic_paths(&sink) {
            let name = format!("dita__topic_{}", path.trim_start_matches("topics/").trim_end_matches(".dita"));
            insta::assert_snapshot!(name, String::from_utf8(file(&sink, &path).to_vec()).unwrap());
        }
    });
}

#[test]
fn sample_copies_exactly_the_referenced_images_and_files() {
    let sink = export(&common::load_sample());
    let copied: Vec<&String> =
        sink.files.keys().filter(|p| !p.ends_with(".dita") && !p.ends_with(".ditamap")).collect();
    let drawn: Vec<&&String> =
        copied.iter().filter(|p| p.starts_with("images/diagrams/") && p.ends_with(".svg")).collect();
    assert_eq!(drawn.len(), 1, "the sample's one Mermaid diagram is drawn: {copied:?}");
    let assets: Vec<&&String> = copied.iter().filter(|p| !p.starts_with("images/diagrams/")).collect();
    assert_eq!(
        assets,
        [&"files/kit-integration.zip", &"images/fs/pictogramme-usager.png", &"images/fs/schema-acteurs.png"]
    );
}

#[test]
fn hostile_text_survives_as_text_and_the_topic_stays_valid() {
    let loaded = common::load_fixture("dita-hostile");
    let (sink, _) = common::export(&loaded, &DitaExporter, &toml::Table::new());
    let (elements, text) = parse(file(&sink, "topics/hostile.dita"));
    let hostile = "</topic> ]]> &amp; <script>";
    assert!(text.contains(&format!("Titre {hostile}")), "title");
    assert!(text.contains(&format!("Résumé {hostile}")), "short description");
    assert!(text.contains(&format!("Texte {hostile} fin.")), "paragraph");
    assert!(text.contains(&format!("{hostile}\n")), "code block");
    assert!(!elements.iter().any(|e| e.name == "script"), "no element comes from the text");
    if common::validator_available("command -v xmllint && test -f /usr/share/dita-ot/catalog-dita.xml") {
        let dir = common::scratch("dita-hostile");
        let paths = common::write_sink(&sink, &dir);
        let refs: Vec<&Path> =
            paths.iter().map(PathBuf::as_path).filter(|p| p.extension().is_some_and(|e| e == "dita")).collect();
        common::run_validator("dita-validate.sh", &refs);
    }
}

#[test]
fn control_characters_are_removed_with_a_diagnostic() {
    let loaded = common::load_fixture("dita-hostile");
    let (sink, diags) = common::export(&loaded, &DitaExporter, &toml::Table::new());
    let (_, text) = parse(file(&sink, "topics/hostile.dita"));
    assert!(text.contains("Contrôle: ici."));
    assert!(!text.contains('\u{1}'));
    let removed: Vec<_> = diags.iter().filter(|d| d.code == "dita/invalid-xml-char").collect();
    assert_eq!(removed.len(), 1, "{diags:?}");
    assert_eq!((removed[0].file.as_str(), removed[0].line), ("page.md", 12));
    assert!(removed[0].message.starts_with("2 character(s)"));
}

#[test]
fn output_is_deterministic() {
    let loaded = common::load_sample();
    assert_eq!(export(&loaded), export(&loaded));
    assert_eq!(export(&loaded), export(&common::load_sample()));
}

#[test]
fn map_is_named_by_the_option_else_by_the_site_title() {
    let loaded = common::load_sample();
    assert_eq!(map_path(&export(&loaded)), "franceconnect-exemple-folio.ditamap");
    let options: toml::Table = toml::from_str("name = \"migration\"").unwrap();
    let (sink, _) = common::export(&loaded, &DitaExporter, &options);
    assert_eq!(map_path(&sink), "migration.ditamap");
}

#[test]
fn external_xrefs_are_valid_iris_and_a_url_pattern_is_text() {
    let sink = export(&common::load_fixture("iri-edge"));
    let path = topic_paths(&sink).into_iter().find(|p| p.contains("adresses")).expect("the topic");
    let (els, _) = parse(file(&sink, &path));
    let hrefs: Vec<&str> = els
        .iter()
        .filter(|e| e.name == "xref" && e.attrs.get("scope").map(String::as_str) == Some("external"))
        .map(|e| e.attrs["href"].as_str())
        .collect();
    assert_eq!(
        hrefs,
        [
            "https://example.org/a%20b/%7B%7D",
            "https://creativecommons.org/licenses/by-sa/4.0%3E",
            "https://example.org/?q=%7B%22a%22:1%7D%7Cx"
        ]
    );
    let xml = String::from_utf8_lossy(file(&sink, &path));
    assert!(xml.contains("les tuiles") && !xml.contains("tiles.example"), "{xml}");
}
