//! Nothing lost: the fidelity audit and byte-identical builds (hostile inputs in every format:
//! `tests/hostile.rs`).

mod common;

use std::path::Path;
use std::process::Command;

fn build(args: &[&str], out: &Path, jobs: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .args(args)
        .arg("--out")
        .arg(out)
        .args(["--jobs", jobs, "--quiet"])
        .current_dir(common::root())
        .env("SOURCE_DATE_EPOCH", "1709294400")
        .output()
        .expect("folio runs")
}

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("report.json")).expect("json")
}

#[test]
fn real_corpus_keeps_every_word_in_full_text_formats() {
    if common::real_corpus_dir().is_none() {
        return;
    }
    let out = common::scratch("fidelity-real");
    build(&["--config", "tests/fixtures/franceconnect.toml"], &out, "2");
    let fidelity = &report(&out)["fidelity"];
    // The PDF is audited only where poppler's pdftotext is installed; wrapped code lines and
    // hyphenated words are joined back, so it carries every word too.
    let audited: Vec<&str> =
        ["epub", "dita", "json", "jsonld", "pdf"].into_iter().filter(|f| fidelity.get(*f).is_some()).collect();
    assert!(audited.len() >= 4, "{fidelity}");
    for format in audited {
        assert_eq!(
            fidelity[format]["words_found_percent"], 100.0,
            "{format}: missing {}",
            fidelity[format]["words_missing"]
        );
    }
    assert!(out.join("report.md").is_file());
}

#[test]
fn sample_corpus_keeps_every_word_in_every_audited_format() {
    let out = common::scratch("fidelity-sample");
    build(&[], &out, "2");
    let fidelity = &report(&out)["fidelity"];
    for (format, f) in fidelity.as_object().expect("object") {
        assert_eq!(f["words_found_percent"], 100.0, "{format}: missing {}", f["words_missing"]);
    }
}

#[test]
fn every_page_of_the_model_is_in_every_format() {
    if common::real_corpus_dir().is_none() {
        return;
    }
    let out = common::scratch("fidelity-pages");
    build(&["--config", "tests/fixtures/franceconnect.toml"], &out, "2");
    let fidelity = &report(&out)["fidelity"];
    for (format, f) in fidelity.as_object().expect("object") {
        if !f["output"].is_null() {
            assert_eq!(f["output"]["pages"], f["model"]["pages"], "{format}");
        }
    }
}

#[test]
fn two_builds_with_different_jobs_are_byte_identical() {
    let (a, b) = (common::scratch("determinism-a"), common::scratch("determinism-b"));
    build(&[], &a, "1");
    build(&[], &b, "2");
    let (ta, tb) = (common::tree(&a), common::tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{} differs between --jobs 1 and --jobs 2", path.display());
    }
    assert!(ta.keys().any(|p| p.starts_with("epub")) && ta.keys().any(|p| p.starts_with("dita")));
}

#[test]
fn a_long_pdf_guide_read_back_by_page_ranges_holds_the_words_of_one_whole_pdftotext_run() {
    if !common::validator_available("command -v pdftotext && command -v pdfinfo") {
        return;
    }
    // Each page is a chapter, and each chapter starts a printed page: well over two ranges.
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
        1_709_294_400,
    );
    use folio::exporter::Exporter;
    let pdf = folio::exporters::pdf::PdfExporter;
    let (sink, _) = common::export(&loaded, &pdf, &toml::Table::new());
    let in_ranges = pdf.read_back(&sink).expect("read back").expect("poppler reads the guide");

    let dir = common::scratch("fidelity-pdf-ranges");
    let guides: Vec<_> =
        common::write_sink(&sink, &dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "pdf")).collect();
    let mut whole = String::new();
    for guide in &guides {
        let info = Command::new("pdfinfo").arg(guide).output().expect("pdfinfo");
        let pages: usize = String::from_utf8_lossy(&info.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("Pages:")?.trim().parse().ok())
            .expect("page count");
        assert!(pages >= 150, "{pages} printed pages");
        let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(guide).arg("-").output().expect("pdftotext");
        // As a reader does: hyphenated line ends and wrapped code lines are joined.
        whole.push_str(&String::from_utf8_lossy(&out.stdout).replace("-\n", "").replace("↩\n", ""));
    }
    let one_run = folio::fidelity::ReadBack::of_text(&whole, None);
    assert!(one_run.has_word("unique149"));
    assert_eq!(in_ranges.words, one_run.words);
}
