//! Accessibility of what folio publishes: heading levels without gaps in the model (so every
//! format follows them), and an EPUB whose package makes true accessibility claims and that
//! DAISY Ace accepts with no violation, for `content/` and every shared site.

mod common;

use folio::assets::AssetStore;
use folio::build::Loaded;
use folio::diagnostics::{Diagnostic, Severity};
use folio::diagrams::DiagramStore;
use folio::exporter::BuildTime;
use folio::exporters::epub::EpubExporter;
use folio::model::*;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// Pages read from `(path, markdown)` sources, as one corpus.
fn read(sources: &[(&str, &str)]) -> Loaded {
    let sources: Vec<(String, Vec<u8>)> =
        sources.iter().map(|(path, text)| (path.to_string(), text.as_bytes().to_vec())).collect();
    let read = folio::reader::read_sources(&sources, &AssetStore::empty(), SiteMeta::default());
    Loaded {
        corpus: read.corpus,
        assets: AssetStore::empty(),
        diagrams: DiagramStore::empty(),
        build_time: BuildTime { epoch_seconds: common::EPOCH },
        diagnostics: read.diagnostics,
        bytes_read: 0,
    }
}

/// One page titled T with this body.
fn one_page(body: &str) -> Loaded {
    read(&[("p.md", &format!("---\ntitle: T\n---\n{body}"))])
}

/// The heading levels of the first page, in document order.
fn levels(loaded: &Loaded) -> Vec<u8> {
    let mut out = Vec::new();
    folio::walk::visit_blocks(&loaded.corpus.pages[0].blocks, &mut |block| match block {
        Block::Heading(h) => out.push(h.level),
        Block::Section(s) => out.push(s.level),
        _ => {}
    });
    out
}

fn shifts(loaded: &Loaded) -> Vec<&Diagnostic> {
    loaded.diagnostics.iter().filter(|d| d.code == "heading/level-shifted").collect()
}

/// Every text file of the EPUB of `loaded`.
fn book_files(loaded: &Loaded) -> BTreeMap<String, String> {
    let (sink, _) = common::export(loaded, &EpubExporter, &toml::Table::new());
    let bytes = sink.files.into_values().next().expect("one book");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut content = Vec::new();
            file.read_to_end(&mut content).expect("read");
            (file.name().to_string(), String::from_utf8_lossy(&content).into_owned())
        })
        .collect()
}

#[test]
fn an_h3_right_after_the_title_becomes_an_h2_with_a_note_at_its_position() {
    let loaded = one_page("Intro.\n\n### Détails\n");
    assert_eq!(levels(&loaded), [2]);
    let [note] = shifts(&loaded)[..] else { panic!("{:?}", loaded.diagnostics) };
    assert_eq!((note.severity, note.file.as_str(), note.line, note.col), (Severity::Note, "p.md", 6, 1));
}

#[test]
fn consecutive_levels_are_kept_without_a_note() {
    let loaded = one_page("## A\n\n### B\n\n#### C\n\n## D\n");
    assert_eq!(levels(&loaded), [2, 3, 4, 2]);
    assert!(shifts(&loaded).is_empty(), "{:?}", loaded.diagnostics);
}

#[test]
fn deeper_nesting_is_kept_relative_to_the_shifted_heading() {
    let loaded = one_page("### A\n\n##### B\n\n### C\n\n## D\n");
    assert_eq!(levels(&loaded), [2, 3, 2, 2]);
    assert_eq!(shifts(&loaded).len(), 3);
}

#[test]
fn a_shifted_heading_keeps_its_id_and_links_to_it_still_land_on_it() {
    let loaded = read(&[
        ("a.md", "---\ntitle: A\n---\n### Détails du flux\n"),
        ("b.md", "---\ntitle: B\n---\nVoir [les détails](../a/#details-du-flux).\n"),
    ]);
    assert!(!loaded.diagnostics.iter().any(|d| d.code.starts_with("link/")), "{:?}", loaded.diagnostics);
    let files = book_files(&loaded);
    assert!(files["OEBPS/a.xhtml"].contains("<h2 id=\"details-du-flux\">"), "{}", files["OEBPS/a.xhtml"]);
    assert!(files["OEBPS/b.xhtml"].contains("href=\"a.xhtml#details-du-flux\""), "{}", files["OEBPS/b.xhtml"]);
}

#[test]
fn the_toc_nav_carries_the_dpub_aria_role_of_its_epub_type() {
    let nav = book_files(&one_page("Texte.\n")).remove("OEBPS/nav.xhtml").expect("nav");
    assert!(nav.contains("<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\""), "{nav}");
}

#[test]
fn a_table_header_row_without_text_is_not_written_as_one() {
    let chapter = book_files(&one_page("|   |   |\n|---|---|\n| a | b |\n")).remove("OEBPS/p.xhtml").expect("chapter");
    assert!(!chapter.contains("<thead>") && !chapter.contains("<th"), "{chapter}");
    assert!(chapter.contains("<tr><td>a</td><td>b</td></tr>"), "{chapter}");
}

#[test]
fn an_empty_header_cell_is_a_plain_cell_beside_the_named_columns() {
    let chapter =
        book_files(&one_page("|   | Prix |\n|---|---|\n| a | 3 |\n")).remove("OEBPS/p.xhtml").expect("chapter");
    assert!(chapter.contains("<thead><tr><td></td><th scope=\"col\">Prix</th></tr></thead>"), "{chapter}");
}

#[test]
fn a_link_without_words_shows_its_address() {
    let chapter =
        book_files(&one_page("Voir [](https://example.org/api).\n")).remove("OEBPS/p.xhtml").expect("chapter");
    assert!(chapter.contains("<a href=\"https://example.org/api\">https://example.org/api</a>"), "{chapter}");
}

/// `<meta property="…">` values of a package document.
fn meta(opf: &str, property: &str) -> Vec<String> {
    let open = format!("<meta property=\"{property}\">");
    opf.match_indices(&open)
        .map(|(i, _)| {
            let value = &opf[i + open.len()..];
            value[..value.find("</meta>").expect("closed")].to_string()
        })
        .collect()
}

#[test]
fn the_package_claims_epub_accessibility_1_1_wcag_2_2_aa() {
    let opf = book_files(&common::load_sample()).remove("OEBPS/content.opf").expect("opf");
    assert_eq!(meta(&opf, "dcterms:conformsTo"), ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]);
    for property in ["schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature"] {
        assert!(!meta(&opf, property).is_empty(), "no {property} in\n{opf}");
    }
    assert_eq!(meta(&opf, "schema:accessibilitySummary").len(), 1);
}

#[test]
fn the_picture_claims_of_the_package_are_those_of_the_chapters() {
    let files = book_files(&common::load_sample());
    let imgs: Vec<&str> =
        files.iter().filter(|(n, _)| n.ends_with(".xhtml")).flat_map(|(_, x)| x.split("<img ").skip(1)).collect();
    let without_alt = imgs.iter().filter(|tag| tag.contains("alt=\"\"")).count();
    let opf = &files["OEBPS/content.opf"];
    let features = meta(opf, "schema:accessibilityFeature");
    let summary = &meta(opf, "schema:accessibilitySummary")[0];
    assert_eq!(meta(opf, "schema:accessMode").contains(&"visual".to_string()), !imgs.is_empty(), "{opf}");
    assert_eq!(features.contains(&"alternativeText".to_string()), !imgs.is_empty() && without_alt == 0, "{opf}");
    let counted = match without_alt {
        0 => format!("Chacune des {} images a un texte", imgs.len()),
        1 => format!("Une des {} images n’a pas", imgs.len()),
        k => format!("{k} des {} images n’ont pas", imgs.len()),
    };
    assert!(summary.contains(&counted), "{summary}");
}

#[test]
fn a_book_without_pictures_claims_neither_visual_content_nor_alternative_text() {
    let opf = book_files(&one_page("Texte.\n")).remove("OEBPS/content.opf").expect("opf");
    assert_eq!(meta(&opf, "schema:accessMode"), ["textual"]);
    assert!(!meta(&opf, "schema:accessibilityFeature").contains(&"alternativeText".to_string()), "{opf}");
}

/// One Ace run for every book: the sample and each shared site of the family.
#[test]
fn ace_reports_no_violation_in_the_sample_and_shared_site_books() {
    let probe = "source \"${FOLIO_TOOLS:-$HOME/.cache/folio-tools}/env.sh\" 2>/dev/null; test -x \"$FOLIO_ACE\" && test -x \"$FOLIO_CHROMIUM\" && command -v node";
    if !common::validator_available(probe) {
        return;
    }
    let dir = common::scratch("accessibility-ace");
    let mut books = vec![("sample", common::load_sample())];
    for site in ["franceconnect", "eleventy-dsfr", "cct-mi"] {
        books.extend(common::load_shared_site(site).map(|loaded| (site, loaded)));
    }
    let mut paths = Vec::new();
    for (name, loaded) in &books {
        let (sink, _) = common::export(loaded, &EpubExporter, &toml::Table::new());
        let path = dir.join(format!("{name}.epub"));
        std::fs::write(&path, sink.files.into_values().next().expect("one book")).expect("write");
        paths.push(path);
    }
    let refs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    common::run_validator("ace.sh", &refs);
}
