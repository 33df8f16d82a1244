//! The build reads its PDF back in-process; poppler's `pdftotext` is the independent check
//! that it reads the same words a reader's extractor finds. Both sides join line-end hyphens
//! and the `↩` code-wrap marker, and read Arabic presentation forms as letters (NFKC).
//!
//! `pdftotext -raw` keeps the lines in the order the guide draws them, as the read-back does.
//! Without it, poppler orders a page's text blocks by itself and joins a hyphen at the foot
//! of a page with the running footer (`exclu-` + `page 12 / 97` → `exclupage`), and leaves a
//! hyphenated line that ends one of its blocks unjoined (`four-` / `nisseur`).

mod common;

use folio::build::Loaded;
use folio::exporter::Exporter;
use folio::exporters::pdf::{guide_text, PdfExporter};
use folio::fidelity::{words, ReadBack};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn poppler_available() -> bool {
    common::validator_available("command -v pdftotext")
}

/// The text `pdftotext` finds in the guide, prepared as the audit reads text.
fn pdftotext_text(path: &Path) -> String {
    let out =
        Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(path).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("UTF-8").replace("-\n", "").replace("↩\n", "");
    text.chars().flat_map(letters_of_presentation_form).collect()
}

/// An Arabic presentation form as its letters (NFKC); any other character as it is.
fn letters_of_presentation_form(c: char) -> Vec<char> {
    use unicode_normalization::UnicodeNormalization;
    match c {
        '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => std::iter::once(c).nfkc().collect(),
        _ => vec![c],
    }
}

/// Both sides' words: what the audit read in-process, what `pdftotext` finds, and, to name
/// the words, the in-process text.
struct BothReadBacks {
    in_process: ReadBack,
    in_process_text: String,
    poppler: ReadBack,
    poppler_text: String,
}

/// Builds the PDF of `loaded`, and reads it back in-process and with `pdftotext`.
fn both_read_backs(loaded: &Loaded, name: &str) -> BothReadBacks {
    let (sink, _) = common::export(loaded, &PdfExporter, &toml::Table::new());
    let in_process = PdfExporter.read_back(&sink).expect("the guide reads back").expect("the PDF is audited");
    let paths = common::write_sink(&sink, &common::scratch(&format!("pdf-readback-{name}")));
    let guides: Vec<&PathBuf> = paths.iter().filter(|p| p.extension().is_some_and(|e| e == "pdf")).collect();
    let poppler_text: String = guides.iter().map(|p| pdftotext_text(p)).collect();
    let in_process_text: String =
        guides.iter().map(|p| guide_text(&std::fs::read(p).expect("the guide")).expect("its text")).collect();
    let poppler = ReadBack::of_text(&poppler_text, None);
    BothReadBacks { in_process, in_process_text, poppler, poppler_text }
}

/// The distinct words of `text` that `other` lacks, as a person reads them.
fn words_missing_from(text: &str, other: &ReadBack) -> Vec<String> {
    let missing: BTreeSet<String> =
        words(text).filter(|w| !other.has_word(w)).map(|w| w.chars().take(60).collect()).collect();
    missing.into_iter().take(40).collect()
}

fn assert_same_words(loaded: &Loaded, name: &str) {
    let both = both_read_backs(loaded, name);
    assert!(
        both.in_process.words == both.poppler.words,
        "{name}: {} words, read in-process only: {:?}; by pdftotext only: {:?}",
        both.in_process.words.len(),
        words_missing_from(&both.in_process_text, &both.poppler),
        words_missing_from(&both.poppler_text, &both.in_process),
    );
    assert!(both.in_process.words.len() > 20, "{name}: too few words to compare: {}", both.in_process.words.len());
}

#[test]
fn the_sample_corpus_reads_back_with_the_words_pdftotext_finds() {
    if poppler_available() {
        assert_same_words(&common::load_sample(), "sample");
    }
}

#[test]
fn the_franceconnect_corpus_reads_back_with_the_words_pdftotext_finds() {
    if let Some(loaded) = common::load_real().filter(|_| poppler_available()) {
        assert_same_words(&loaded, "franceconnect");
    }
}

#[test]
fn right_to_left_and_fallback_scripts_read_back_with_the_words_pdftotext_finds() {
    if poppler_available() {
        assert_same_words(&common::load_fixture("pdf-rtl"), "rtl");
        assert_same_words(&common::load_fixture("pdf-scripts"), "scripts");
    }
}

#[test]
fn tables_and_edge_cases_read_back_with_the_words_pdftotext_finds() {
    if poppler_available() {
        assert_same_words(&common::load_fixture("pdf-tables"), "tables");
        assert_same_words(&common::load_fixture("pdf-edge"), "edge");
    }
}

#[test]
fn arabic_reads_back_as_the_letters_of_the_source() {
    let (sink, _) = common::export(&common::load_fixture("pdf-rtl"), &PdfExporter, &toml::Table::new());
    let read = PdfExporter.read_back(&sink).expect("the guide reads back").expect("the PDF is audited");
    for word in ["مرحبا", "بالعالم", "سلام", "عليكم", "שלום"] {
        assert!(read.has_word(word), "{word} not read back");
    }
}

#[test]
fn a_long_guide_read_page_by_page_in_parallel_holds_the_words_of_the_whole_guide() {
    if !poppler_available() {
        return;
    }
    // Each page is a chapter, and each chapter starts a printed page.
    let sources: Vec<(String, Vec<u8>)> = (0..150)
        .map(|i| {
            let text = format!(
                "---\ntitle: Chapitre {i}\n---\n\nLe mot unique{i} ouvre la page ; une fin d'intégration{i}.\n"
            );
            (format!("chapitre-{i:03}.md"), text.into_bytes())
        })
        .collect();
    let loaded = folio::build::load_from_sources(
        &sources,
        folio::assets::AssetStore::empty(),
        &folio::config::Config::default(),
        common::EPOCH,
    );
    let both = both_read_backs(&loaded, "long");
    assert!(both.in_process.has_word("unique149") && both.in_process.has_word("intégration0"));
    assert_eq!(both.in_process.words, both.poppler.words);
}
