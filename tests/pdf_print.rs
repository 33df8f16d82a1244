//! What a reader of the PDF finds printed, page by page: table headers on every page a
//! table spans, and text in every script.

mod common;

use folio::diagnostics::Diagnostic;
use folio::exporter::Limits;
use folio::exporters::pdf::{render_guides, RenderedGuide};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

struct Built {
    guide: RenderedGuide,
    diags: Vec<Diagnostic>,
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
    Built { guide, diags, path }
}

fn poppler_available() -> bool {
    common::validator_available("command -v pdftotext && command -v pdffonts")
}

fn page_text(path: &Path, page: usize) -> String {
    let n = page.to_string();
    pdftotext(path, &["-layout", "-f", &n, "-l", &n])
}

fn pdftotext(path: &Path, args: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(args)
        .args(["-enc", "UTF-8"])
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

fn scripts() -> &'static Built {
    static SCRIPTS: OnceLock<Built> = OnceLock::new();
    SCRIPTS.get_or_init(|| build("pdf-scripts"))
}

#[test]
fn japanese_chinese_greek_cyrillic_and_emoji_are_printed_and_extracted() {
    if !poppler_available() {
        return;
    }
    let text = pdftotext(&scripts().path, &[]);
    for sample in ["こんにちは世界、カタカナ", "你好，世界", "Καλημέρα κόσμε", "Здравствуй, мир", "😀 🚀 ✅"]
    {
        assert!(text.contains(sample), "{sample:?} not extracted from:\n{text}");
    }
}

#[test]
fn text_dejavu_lacks_loads_a_fallback_font_from_the_font_folders() {
    let fonts = &scripts().guide.fallback_fonts;
    assert!(fonts.iter().any(|f| f.ends_with("DroidSansFallbackFull.ttf")), "no CJK fallback: {fonts:?}");
    assert!(fonts.iter().any(|f| f.to_string_lossy().contains("Symbola")), "no emoji fallback: {fonts:?}");
}

#[test]
fn a_latin_only_guide_loads_no_fallback_font() {
    assert_eq!(tables().guide.fallback_fonts, Vec::<PathBuf>::new());
}

fn font_rows(path: &Path) -> Vec<String> {
    let out = Command::new("pdffonts").arg(path).output().expect("pdffonts runs");
    let listing = String::from_utf8(out.stdout).unwrap();
    listing.lines().skip_while(|l| !l.starts_with("---")).skip(1).map(str::to_string).collect()
}

#[test]
fn the_fallback_fonts_are_embedded() {
    if !poppler_available() {
        return;
    }
    let (scripts, latin) = (font_rows(&scripts().path), font_rows(&tables().path));
    assert!(scripts.len() > latin.len(), "no font added for the scripts: {scripts:?}");
    for row in scripts {
        let fields: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(fields.get(fields.len().saturating_sub(5)), Some(&"yes"), "not embedded: {row}");
    }
}

#[test]
fn a_character_no_font_has_is_still_reported_where_it_stands() {
    let built = scripts();
    let missing: Vec<&Diagnostic> = built.diags.iter().filter(|d| d.code == "pdf/missing-glyph").collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].message.contains("U+13000"), "{missing:?}");
    assert_eq!((missing[0].file.as_str(), missing[0].line, missing[0].col), ("guide/scripts.md", 20, 1));
}

fn right_to_left() -> &'static Built {
    static RTL: OnceLock<Built> = OnceLock::new();
    RTL.get_or_init(|| build("pdf-rtl"))
}

fn nfkc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().collect()
}

#[test]
fn arabic_and_hebrew_extract_in_logical_order() {
    if !poppler_available() {
        return;
    }
    let text = nfkc(&pdftotext(&right_to_left().path, &[]));
    for sample in ["مرحبا بالعالم", "שלום עולם", "سلام عليكم"] {
        assert!(text.contains(sample), "{sample:?} not extracted from:\n{text}");
    }
}

#[test]
fn arabic_is_printed_in_its_joined_forms() {
    if !poppler_available() {
        return;
    }
    let text = pdftotext(&right_to_left().path, &[]);
    let joined = |c: char| ('\u{FE70}'..='\u{FEFF}').contains(&c);
    // بالعالم, read back in logical order: initial beh, final alef, initial lam, medial ain,
    // final alef, initial lam, final meem.
    assert!(text.contains("\u{FE91}\u{FE8E}\u{FEDF}\u{FECC}\u{FE8E}\u{FEDF}\u{FEE2}"), "not joined:\n{text}");
    assert!(text.contains('\u{FEFC}'), "no lam-alef ligature in سلام:\n{text}");
    assert!(text.chars().filter(|c| joined(*c)).count() > 20);
}

#[test]
fn a_right_to_left_paragraph_starts_at_the_right_margin() {
    if !poppler_available() {
        return;
    }
    let page = page_text(&right_to_left().path, 4);
    let line = page.lines().find(|l| nfkc(l).contains("عليكم")).expect("the Arabic paragraph is on page 4");
    let arabe = page.lines().find(|l| l.contains("Arabe")).expect("the Latin-led line is on page 4");
    let indent = |l: &str| l.chars().take_while(|c| *c == ' ').count();
    assert!(indent(line) > indent(arabe) + 20, "not pushed to the right:\n{page}");
}

#[test]
fn the_running_header_prints_a_chapter_title_in_a_fallback_font() {
    if !poppler_available() {
        return;
    }
    let page = page_text(&right_to_left().path, 5);
    assert_eq!(page.matches("日本語の章").count(), 2, "header and heading expected:\n{page}");
}
