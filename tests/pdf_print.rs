//! What a reader of the PDF finds printed, page by page: table headers on every page a
//! table spans, and text in every script.

mod common;

use folio::exporter::Limits;
use folio::exporters::pdf::{render_guides, RenderedGuide};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

struct Built {
    guide: RenderedGuide,
    path: PathBuf,
}

fn build(fixture: &str) -> Built {
    let loaded = common::load_fixture(fixture);
    let options = toml::Table::new();
    let ctx = loaded.context(&options, Limits::default());
    let mut diags = Vec::new();
    let mut guides = render_guides(&ctx, &mut diags).expect("pdf renders");
    let guide = guides.remove(0);
    let path = common::scratch(&format!("pdf-print-{fixture}")).join("guide.pdf");
    std::fs::write(&path, &guide.bytes).unwrap();
    Built { guide, path }
}

fn poppler_available() -> bool {
    common::validator_available("command -v pdftotext && command -v pdffonts")
}

fn page_text(path: &Path, page: usize) -> String {
    let n = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-f", &n, "-l", &n])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn tables() -> &'static Built {
    static TABLES: OnceLock<Built> = OnceLock::new();
    TABLES.get_or_init(|| build("pdf-tables"))
}

fn pages(built: &Built) -> Vec<String> {
    (1..=built.guide.record.pages).map(|n| page_text(&built.path, n)).collect()
}

#[test]
fn a_table_spanning_several_pages_repeats_its_header_on_each() {
    if !poppler_available() {
        return;
    }
    let pages = pages(tables());
    let spanned: Vec<(usize, &String)> = pages.iter().enumerate().filter(|(_, t)| t.contains("Ligne ")).collect();
    assert!(spanned.len() >= 3, "the 180 rows should span several pages, found {}", spanned.len());
    for (n, text) in spanned {
        assert!(text.contains("Identifiant") && text.contains("Valeur mesurée"), "page {}: no header row", n + 1);
    }
    assert!(pages.iter().any(|t| t.contains("Ligne 180")), "the last row is missing");
}

#[test]
fn a_table_on_one_page_prints_its_header_once() {
    if !poppler_available() {
        return;
    }
    let headers: usize = pages(tables()).iter().map(|t| t.matches("Colonne courte").count()).sum();
    assert_eq!(headers, 1);
}
