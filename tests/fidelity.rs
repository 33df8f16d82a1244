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
    // The PDF's wrapped code lines and hyphenated words are joined back, so it carries every
    // word too.
    for format in ["epub", "dita", "json", "jsonld", "pdf"] {
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
