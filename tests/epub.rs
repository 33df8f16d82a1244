//! The EPUB book of `content/` and of the real corpus, end to end: EPUBCheck, links that
//! resolve inside the book, snapshots, reproducibility, package metadata.

mod common;

use folio::build::Loaded;
use folio::diagnostics::Severity;
use folio::exporters::epub::{book_uuid, chapter_files, EpubExporter};
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

/// The `.epub` bytes of a loaded corpus, with its diagnostics.
fn book(loaded: &Loaded) -> (Vec<u8>, Vec<folio::diagnostics::Diagnostic>) {
    let (sink, diags) = common::export(loaded, &EpubExporter, &toml::Table::new());
    assert_eq!(sink.files.len(), 1, "one file: {:?}", sink.files.keys());
    let bytes = sink.files.into_values().next().unwrap();
    (bytes, diags)
}

/// Every entry of the archive, in archive order.
fn entries(epub: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().to_string(), bytes)
        })
        .collect()
}

fn text_files(epub: &[u8]) -> BTreeMap<String, String> {
    entries(epub).into_iter().filter_map(|(name, bytes)| String::from_utf8(bytes).ok().map(|t| (name, t))).collect()
}

/// Ids defined in a document, and `(attribute, value)` of every `href` and `src`.
/// Parsing also proves the document is well-formed XML.
fn ids_and_refs(name: &str, xml: &str) -> (BTreeSet<String>, Vec<String>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut ids, mut refs) = (BTreeSet::new(), Vec::new());
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                for attr in e.attributes() {
                    let attr = attr.unwrap();
                    let value = attr.unescape_value().unwrap().into_owned();
                    match attr.key.local_name().as_ref() {
                        b"id" => assert!(ids.insert(value.clone()), "{name}: duplicate id {value}"),
                        b"href" | b"src" => refs.push(value),
                        _ => {}
                    }
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => panic!("{name} is not well-formed XML: {e}"),
            Ok(_) => {}
        }
    }
    (ids, refs)
}

/// Checks that every internal `href`/`src` of every XHTML document names a file of the
/// book and, when it has a fragment, an id of that file. Returns how many were checked.
fn assert_internal_refs_resolve(epub: &[u8]) -> usize {
    let files = text_files(epub);
    let names: BTreeSet<String> = entries(epub).into_iter().map(|(n, _)| n).collect();
    let ids: BTreeMap<&String, BTreeSet<String>> =
        files.iter().filter(|(n, _)| n.ends_with(".xhtml")).map(|(n, x)| (n, ids_and_refs(n, x).0)).collect();
    let mut checked = 0;
    for (doc, xml) in files.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        for href in ids_and_refs(doc, xml).1 {
            if let Some((scheme, _)) = href.split_once(':') {
                assert!(["http", "https", "mailto"].contains(&scheme), "{doc}: link with scheme {scheme}: {href}");
                continue;
            }
            let (path, fragment) = href.split_once('#').map_or((href.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() { doc.clone() } else { format!("OEBPS/{path}") };
            assert!(names.contains(&target), "{doc}: `{href}` names no file of the book");
            if let Some(fragment) = fragment {
                let target_ids =
                    ids.get(&target).unwrap_or_else(|| panic!("{doc}: `{href}` points into a non-XHTML file"));
                assert!(target_ids.contains(fragment), "{doc}: `{href}`: no id `{fragment}` in {target}");
            }
            checked += 1;
        }
    }
    checked
}

/// The edge-case fixture, its diagrams drawn as a renderer would, so that the SVG path of
/// the book is validated too.
fn edge_with_rendered_diagrams() -> Loaded {
    let mut loaded = common::load_fixture("epub-edge");
    let digests: Vec<String> =
        folio::diagrams::corpus_diagrams(&loaded.corpus).iter().map(|(_, d)| d.digest.clone()).collect();
    assert!(!digests.is_empty());
    for digest in digests {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\" viewBox=\"0 0 120 40\">\
                   <title>A vers B</title><text x=\"4\" y=\"24\">A → B : bonjour</text></svg>";
        let rendered = folio::diagrams::RenderedDiagram {
            svg: svg.to_string(),
            width: 120.0,
            height: 40.0,
            description: "Sequence diagram between A, B".to_string(),
        };
        loaded.diagrams.insert(digest, rendered);
    }
    loaded
}

/// One JVM for every book: the sample, the edge-case fixture (untitled page, no publisher,
/// unusable images, duplicate and numeric ids…) and the real corpus.
#[test]
fn epubcheck_finds_no_error_and_no_warning_in_the_sample_edge_and_real_books() {
    let probe = "source \"${FOLIO_TOOLS:-$HOME/.cache/folio-tools}/env.sh\" 2>/dev/null; test -f \"$FOLIO_EPUBCHECK_JAR\" && command -v java";
    if !common::validator_available(probe) {
        return;
    }
    let dir = common::scratch("epub-epubcheck");
    let mut paths = vec![dir.join("sample.epub"), dir.join("edge.epub"), dir.join("iri.epub")];
    std::fs::write(&paths[0], book(&common::load_sample()).0).unwrap();
    std::fs::write(&paths[2], book(&common::load_fixture("iri-edge")).0).unwrap();
    let edge = book(&edge_with_rendered_diagrams()).0;
    assert!(
        entries(&edge).iter().any(|(name, _)| name.starts_with("OEBPS/images/diagram-")),
        "the edge book embeds its diagram"
    );
    std::fs::write(&paths[1], edge).unwrap();
    if let Some(real) = common::load_real() {
        paths.push(dir.join("real.epub"));
        std::fs::write(&paths[3], book(&real).0).unwrap();
    }
    let refs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    common::run_validator("epubcheck.sh", &refs);
}

#[test]
fn every_href_of_the_real_book_resolves_to_a_file_and_id_inside_it() {
    let Some(real) = common::load_real() else { return };
    let checked = assert_internal_refs_resolve(&book(&real).0);
    assert!(checked > 100, "only {checked} references checked");
}

#[test]
fn every_page_of_the_real_corpus_has_its_chapter_in_the_spine() {
    let Some(real) = common::load_real() else { return };
    let files = text_files(&book(&real).0);
    let opf = &files["OEBPS/content.opf"];
    let chapters = chapter_files(&real.corpus);
    assert_eq!(chapters.len(), real.corpus.pages.len());
    for page in &real.corpus.pages {
        let file = &chapters[&page.key];
        let xhtml = files.get(&format!("OEBPS/{file}")).unwrap_or_else(|| panic!("no chapter for {}", page.key));
        assert!(xhtml.contains("<h1 id=\"folio-title\">"), "{file} has no title");
        assert!(opf.contains(&format!("<itemref idref=\"id_{file}\"/>")), "{file} is not in the spine");
    }
}

#[test]
fn every_href_of_the_sample_book_resolves_inside_it() {
    let checked = assert_internal_refs_resolve(&book(&common::load_sample()).0);
    assert!(checked > 50, "only {checked} references checked");
}

#[test]
fn every_href_of_the_edge_case_book_resolves_inside_it() {
    let (epub, diags) = book(&common::load_fixture("epub-edge"));
    assert!(assert_internal_refs_resolve(&epub) > 10);
    let codes: BTreeSet<&str> = diags.iter().map(|d| d.code).collect();
    for code in ["epub/invalid-char", "epub/image-missing", "epub/image-unusable", "epub/untitled-page"] {
        assert!(codes.contains(code), "{code} not reported: {codes:?}");
    }
}

#[test]
fn sample_book_documents_match_their_snapshots() {
    let files = text_files(&book(&common::load_sample()).0);
    let settings = common::snapshot_settings();
    settings.bind(|| {
        insta::assert_snapshot!("epub__content_opf", files["OEBPS/content.opf"]);
        insta::assert_snapshot!("epub__nav", files["OEBPS/nav.xhtml"]);
        for (name, xhtml) in files.iter().filter(|(n, _)| n.ends_with(".xhtml") && !n.ends_with("/nav.xhtml")) {
            let stem = name.trim_start_matches("OEBPS/").trim_end_matches(".xhtml");
            insta::assert_snapshot!(format!("epub__chapter_{stem}"), xhtml);
        }
    });
}

#[test]
fn two_exports_are_byte_identical() {
    let loaded = common::load_sample();
    assert!(book(&loaded).0 == book(&loaded).0);
}

#[test]
fn mimetype_comes_first_stored_and_every_entry_carries_the_build_time() {
    let epub = book(&common::load_sample()).0;
    let mut archive = zip::ZipArchive::new(Cursor::new(&epub)).unwrap();
    let first = archive.by_index(0).unwrap();
    assert_eq!(first.name(), "mimetype");
    assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    drop(first);
    for i in 0..archive.len() {
        let file = archive.by_index(i).unwrap();
        let time = file.last_modified().unwrap();
        // common::EPOCH is 2024-03-01T12:00:00Z.
        assert_eq!((time.year(), time.month(), time.day(), time.hour()), (2024, 3, 1, 12), "{}", file.name());
    }
}

#[test]
fn another_build_time_changes_only_the_dates() {
    let mut loaded = common::load_sample();
    let first = text_files(&book(&loaded).0);
    loaded.build_time.epoch_seconds += 86_400;
    let second = text_files(&book(&loaded).0);
    assert!(second["OEBPS/content.opf"].contains("<meta property=\"dcterms:modified\">2024-03-02T12:00:00Z</meta>"));
    let changed: Vec<&String> = first.keys().filter(|k| first[*k] != second[*k]).collect();
    assert_eq!(changed, ["OEBPS/content.opf", "OEBPS/title.xhtml"]);
}

#[test]
fn package_carries_site_metadata_identifier_and_accessibility() {
    let loaded = common::load_sample();
    let opf = text_files(&book(&loaded).0).remove("OEBPS/content.opf").unwrap();
    let site = &loaded.corpus.site;
    let uuid = book_uuid(&site.url);
    assert_eq!(uuid.get_version_num(), 5);
    for expected in [
        format!("<dc:identifier id=\"epub-id-1\">urn:uuid:{uuid}</dc:identifier>"),
        format!("<dc:title>{}</dc:title>", site.title),
        "<dc:language id=\"epub-creator-0\">fr</dc:language>".to_string(),
        format!("<dc:publisher>{}</dc:publisher>", site.publisher),
        "<dc:description>Documentation Partenaires (corpus d'exemple de folio)</dc:description>".to_string(),
        "<meta property=\"dcterms:modified\">2024-03-01T12:00:00Z</meta>".to_string(),
        "<meta property=\"schema:accessMode\">textual</meta>".to_string(),
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>".to_string(),
        "<meta property=\"schema:accessModeSufficient\">textual,visual</meta>".to_string(),
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>".to_string(),
        "<meta property=\"schema:accessibilityHazard\">none</meta>".to_string(),
        "<meta property=\"schema:accessibilitySummary\">".to_string(),
    ] {
        assert!(opf.contains(&expected), "missing {expected} in\n{opf}");
    }
    assert!(!opf.contains("dc:creator"), "a creator would share dc:language's id");
}

#[test]
fn nav_nests_sections_pages_and_their_h2_headings() {
    let nav = text_files(&book(&common::load_sample()).0).remove("OEBPS/nav.xhtml").unwrap();
    let position = |needle: &str| nav.find(needle).unwrap_or_else(|| panic!("{needle} not in nav"));
    let section = position("<a href=\"fs-pilotage.xhtml\">");
    let page = position("<a href=\"fs-pilotage-acteurs.xhtml\">");
    let heading = position("<a href=\"fs-pilotage-acteurs.xhtml#les-quatre-acteurs\">");
    assert!(section < page && page < heading);
    // Depth: the heading's <li> sits inside three enclosing <ol> below the root one.
    let before = &nav[..heading];
    let open = before.matches("<ol>").count() - before.matches("</ol>").count();
    assert_eq!(open, 4, "fs > fs-pilotage > page > heading");
}

#[test]
fn landmarks_point_at_title_page_contents_and_first_chapter() {
    let nav = text_files(&book(&common::load_sample()).0).remove("OEBPS/nav.xhtml").unwrap();
    for landmark in [
        "<a epub:type=\"titlepage\" href=\"title.xhtml\">",
        "<a epub:type=\"toc\" href=\"contents.xhtml\">",
        "<a epub:type=\"bodymatter\" href=\"fs.xhtml\">",
    ] {
        assert!(nav.contains(landmark), "{landmark}");
    }
}

#[test]
fn chapters_follow_the_reading_order_of_the_model() {
    let loaded = common::load_sample();
    let opf = text_files(&book(&loaded).0).remove("OEBPS/content.opf").unwrap();
    let chapters = chapter_files(&loaded.corpus);
    let spine: Vec<&str> = opf.split("<itemref idref=\"id_").skip(1).filter_map(|s| s.split('"').next()).collect();
    let expected: Vec<&str> = ["title.xhtml", "contents.xhtml"]
        .into_iter()
        .chain(loaded.corpus.pages.iter().map(|p| chapters[&p.key].as_str()))
        .collect();
    assert_eq!(spine, expected);
}

#[test]
fn book_is_named_by_the_option_else_by_the_site_title() {
    let loaded = common::load_sample();
    let (sink, _) = common::export(&loaded, &EpubExporter, &toml::Table::new());
    assert!(sink.files.contains_key("franceconnect-exemple-folio.epub"), "{:?}", sink.files.keys());
    let options: toml::Table = toml::from_str("name = \"guide\"").unwrap();
    let (sink, _) = common::export(&loaded, &EpubExporter, &options);
    assert!(sink.files.contains_key("guide.epub"), "{:?}", sink.files.keys());
}

#[test]
fn a_name_with_a_path_is_refused() {
    let loaded = common::load_sample();
    let options: toml::Table = toml::from_str("name = \"../evil\"").unwrap();
    let ctx = loaded.context(&options, folio::exporter::Limits::default());
    assert!(folio::exporters::epub::book_name(&ctx).is_err());
}

#[test]
fn the_real_book_reports_its_unusable_images() {
    let Some(real) = common::load_real() else { return };
    let (_, diags) = book(&real);
    let missing: Vec<&str> = diags.iter().filter(|d| d.code == "epub/image-missing").map(|d| d.file.as_str()).collect();
    assert!(!missing.is_empty() && missing.iter().all(|f| f.starts_with("fi/")), "{missing:?}");
}

/// The `(href, link text)` of every `<a>` of an XHTML document (text up to the next tag).
fn anchors(xhtml: &str) -> Vec<(String, String)> {
    xhtml
        .split("<a href=\"")
        .skip(1)
        .map(|s| {
            let (href, rest) = s.split_once('"').unwrap();
            let text = rest.split_once('>').unwrap().1.split('<').next().unwrap();
            (href.to_string(), text.to_string())
        })
        .collect()
}

#[test]
fn external_hrefs_are_valid_iris_and_a_url_pattern_is_text() {
    let loaded = common::load_fixture("iri-edge");
    let note = loaded.diagnostics.iter().find(|d| d.code == "link/pattern").expect("a link/pattern note");
    assert_eq!((note.severity, note.file.as_str(), note.line), (Severity::Note, "guide/part/adresses.md", 9));
    let files = text_files(&book(&loaded).0);
    let chapter = &files["OEBPS/adresses.xhtml"];
    let links = anchors(chapter);
    let href = |text: &str| links.iter().find(|(_, t)| t == text).map(|(h, _)| h.as_str());
    assert_eq!(href("l'exemple"), Some("https://example.org/a%20b/%7B%7D"), "{links:?}");
    assert_eq!(href("la licence"), Some("https://creativecommons.org/licenses/by-sa/4.0%3E"));
    assert_eq!(href("la recherche"), Some("https://example.org/?q=%7B%22a%22:1%7D%7Cx"));
    assert_eq!(href("les tuiles"), None, "a pattern is no link");
    assert!(chapter.contains("les tuiles") && !chapter.contains("tiles.example"), "{chapter}");
}

#[test]
fn the_ncx_gives_one_play_order_per_target_and_one_target_per_play_order() {
    // Two index-less sections open with the same chapter: three entries point at its file.
    let ncx = text_files(&book(&common::load_fixture("iri-edge")).0).remove("OEBPS/toc.ncx").unwrap();
    let orders = ncx.split("playOrder=\"").skip(1).map(|s| s.split('"').next().unwrap().to_string());
    let targets = ncx.split("<content src=\"").skip(1).map(|s| s.split('"').next().unwrap().to_string());
    let pairs: Vec<(String, String)> = orders.zip(targets).collect();
    assert!(pairs.iter().filter(|(_, t)| t == "adresses.xhtml").count() >= 2, "{ncx}");
    let mut by_target: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut by_order: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (order, target) in &pairs {
        by_target.entry(target).or_default().insert(order);
        by_order.entry(order).or_default().insert(target);
    }
    assert!(by_target.values().chain(by_order.values()).all(|set| set.len() == 1), "{pairs:?}");
    let mut numbers: Vec<usize> = by_order.keys().map(|o| o.parse().unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, (1..=by_order.len()).collect::<Vec<_>>(), "numbered 1, 2, 3… in reading order");
}
