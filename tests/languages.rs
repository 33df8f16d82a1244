//! Languages: every word folio adds is in the page's language, and a corpus in several
//! languages is published once per language where a format is a book.

mod common;

use folio::exporter::Exporter;
use folio::exporters::{dita::DitaExporter, epub::EpubExporter, jsonld::JsonLdExporter, pdf::PdfExporter};
use folio::model::LinkTarget;
use std::path::Path;
use std::process::Command;

/// Words folio prints in French books, which an English book must not hold.
const FRENCH_LABELS: &[&str] = &[
    "Sommaire",
    "Table des matières",
    "Page de titre",
    "Voir aussi",
    "Partie",
    "Fil d",
    "Image non disponible",
    "Attention",
    "Autres pages",
    "Édition",
    "Tableau",
    "Repères",
];

fn texts_of(sink: &folio::exporter::MemorySink, scratch: &str) -> Vec<(String, String)> {
    let dir = common::scratch(scratch);
    let mut out = Vec::new();
    for path in common::write_sink(sink, &dir) {
        let name = path.display().to_string();
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("pdf") => pdftotext(&path),
            Some("epub") => epub_text(&path),
            _ => String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned(),
        };
        out.push((name, text));
    }
    out
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(path).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed on {}", path.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every document of the book, nav and package included.
fn epub_text(path: &Path) -> String {
    let file = std::fs::File::open(path).expect("open epub");
    let mut archive = zip::ZipArchive::new(file).expect("epub is a zip");
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        if entry.name().ends_with(".xhtml") || entry.name().ends_with(".opf") || entry.name().ends_with(".ncx") {
            std::io::Read::read_to_string(&mut entry, &mut text).expect("utf-8 entry");
        }
    }
    text
}

#[test]
fn an_english_corpus_has_no_french_label_in_any_output() {
    let loaded = common::load_fixture("english");
    assert!(common::validator_available("command -v pdftotext"));
    let exporters: [&dyn Exporter; 4] = [&EpubExporter, &PdfExporter, &DitaExporter, &JsonLdExporter];
    for exporter in exporters {
        let (sink, _) = common::export(&loaded, exporter, &toml::Table::new());
        for (file, text) in texts_of(&sink, &format!("english-{}", exporter.name())) {
            for label in FRENCH_LABELS {
                assert!(!text.contains(label), "{file} holds the French label {label:?}");
            }
        }
    }
}

#[test]
fn an_english_book_prints_its_labels_in_english() {
    let loaded = common::load_fixture("english");
    let (sink, _) = common::export(&loaded, &EpubExporter, &toml::Table::new());
    let text: String = texts_of(&sink, "english-labels").into_iter().map(|(_, t)| t).collect();
    for label in ["Contents", "See also", "aria-label=\"Breadcrumb\"", "Image not available", "Warning"] {
        assert!(text.contains(label), "the EPUB lacks {label:?}");
    }
}

#[test]
fn a_page_s_language_comes_from_its_data_then_its_language_folder() {
    let loaded = common::load_fixture("bilingual");
    let language = |key: &str| loaded.corpus.pages.iter().find(|p| p.key == key).map(|p| p.language.clone());
    assert_eq!(language("guide-en").as_deref(), Some("en-GB"));
    assert_eq!(language("home").as_deref(), Some("en"));
    assert_eq!(language("accueil").as_deref(), Some("fr"));
}

#[test]
fn a_page_outside_a_language_folder_has_the_site_s_language() {
    let loaded = common::load_fixture("english");
    assert!(loaded.corpus.pages.iter().all(|p| p.language == "en"));
}

#[test]
fn a_corpus_in_several_languages_gives_one_epub_and_one_pdf_per_language() {
    let loaded = common::load_fixture("bilingual");
    let (epub, _) = common::export(&loaded, &EpubExporter, &toml::Table::new());
    let (pdf, _) = common::export(&loaded, &PdfExporter, &toml::Table::new());
    let names = |sink: &folio::exporter::MemorySink| sink.files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&epub), ["documentation-en-gb.epub", "documentation-fr.epub"].map(String::from));
    // `en` and `en-GB` are two languages: the tags are kept as the site writes them.
    assert!(names(&pdf).iter().all(|n| n.starts_with("guide-")), "{:?}", names(&pdf));
    assert_eq!(names(&pdf).len(), 3, "{:?}", names(&pdf));
}

#[test]
fn each_language_s_book_holds_only_its_pages_and_labels() {
    let loaded = common::load_fixture("bilingual");
    let (epub, _) = common::export(&loaded, &EpubExporter, &toml::Table::new());
    let books = texts_of(&epub, "bilingual-epub");
    let french = books.iter().find(|(f, _)| f.ends_with("-fr.epub")).map(|(_, t)| t).expect("French book");
    assert!(french.contains("Le guide en français") && !french.contains("The guide in English"));
    assert!(french.contains("Table des matières") && !french.contains(">Contents<"));
    assert!(french.contains("<dc:language>fr</dc:language>"), "the package declares its language");
}

#[test]
fn a_link_to_a_page_in_another_language_leads_to_it_on_the_site() {
    let mut loaded = common::load_fixture("bilingual");
    loaded.corpus.site.url = "https://example.org/".into();
    let french = folio::languages::select(&loaded.corpus, &["fr".to_string()]);
    let mut targets = Vec::new();
    for page in &french.pages {
        folio::walk::visit_blocks(&page.blocks, &mut |block| {
            for inlines in folio::walk::block_inlines(block) {
                folio::walk::visit_inlines(inlines, &mut |inline| {
                    if let folio::model::Inline::Link(link) = inline {
                        targets.push(link.target.clone());
                    }
                });
            }
        });
    }
    assert_eq!(targets, [LinkTarget::External { url: "https://example.org/en/".into() }]);
}

#[test]
fn choosing_a_language_keeps_its_regional_variants() {
    let loaded = common::load_fixture("bilingual");
    let english = folio::languages::select(&loaded.corpus, &["en".to_string()]);
    let keys: Vec<&str> = english.pages.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.contains(&"guide-en") && keys.contains(&"home"));
}

#[test]
fn dita_topics_carry_their_page_s_language_and_each_language_has_a_map() {
    let loaded = common::load_fixture("bilingual");
    let (sink, _) = common::export(&loaded, &DitaExporter, &toml::Table::new());
    let maps: Vec<&String> = sink.files.keys().filter(|k| k.ends_with(".ditamap")).collect();
    assert_eq!(maps.len(), 3, "{maps:?}");
    let topic = |needle: &str| {
        sink.files
            .values()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .find(|t| t.contains(needle))
            .expect("topic")
    };
    assert!(topic("Le guide en français").contains("xml:lang=\"fr\""));
    assert!(topic("The guide in English").contains("xml:lang=\"en-GB\""));
}

#[test]
fn json_ld_gives_each_page_its_language() {
    let loaded = common::load_fixture("bilingual");
    let (sink, _) = common::export(&loaded, &JsonLdExporter, &toml::Table::new());
    let page = |needle: &str| {
        sink.files.values().map(|b| String::from_utf8_lossy(b).into_owned()).find(|t| t.contains(needle)).expect("page")
    };
    assert!(page("\"name\": \"Le guide\"").contains("\"inLanguage\": \"fr\""));
    assert!(page("\"name\": \"The guide\"").contains("\"inLanguage\": \"en-GB\""));
}

#[test]
fn the_cli_publishes_only_the_languages_asked_for() {
    let out = common::scratch("cli-language");
    let status = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--config", "/dev/null", "--format", "json", "--language", "fr"])
        .arg("--content")
        .arg(common::root().join("tests/fixtures/bilingual"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("folio runs");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let corpus: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("json/corpus.json")).expect("corpus.json")).expect("json");
    let languages: Vec<&str> =
        corpus["pages"].as_array().expect("pages").iter().filter_map(|p| p["language"].as_str()).collect();
    assert_eq!(languages, ["fr", "fr"]);
}

#[test]
fn eleventy_dsfr_gives_one_epub_and_one_pdf_per_language_each_valid() {
    let Some(loaded) = common::load_shared_site("eleventy-dsfr") else { return };
    if !common::validator_available("test -n \"$FOLIO_EPUBCHECK_JAR\" && command -v java && command -v qpdf") {
        return;
    }
    let dir = common::scratch("eleventy-dsfr-languages");
    for exporter in [&EpubExporter as &dyn Exporter, &PdfExporter] {
        let (sink, _) = common::export(&loaded, exporter, &toml::Table::new());
        let books: Vec<_> = common::write_sink(&sink, &dir.join(exporter.name()))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "epub" || e == "pdf"))
            .collect();
        let names: Vec<String> =
            books.iter().map(|p| p.file_name().expect("name").to_string_lossy().into_owned()).collect();
        assert!(names.iter().any(|n| n.contains("-fr.")) && names.iter().any(|n| n.contains("-en.")), "{names:?}");
        for book in &books {
            match exporter.name() {
                "epub" => common::run_validator("epubcheck.sh", &[book]),
                _ => common::run_validator("pdf-check.sh", &[book]),
            }
        }
    }
}
