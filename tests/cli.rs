//! The command-line contract: exit codes, defaults, the report, external exporters.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn folio(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1709294400")
        .output()
        .expect("folio runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// A site with one healthy page and one warning, in a scratch folder.
fn site(name: &str, extra_config: &str) -> std::path::PathBuf {
    let dir = common::scratch(name);
    std::fs::create_dir_all(dir.join("content")).expect("mkdir");
    std::fs::write(dir.join("content/a.md"), "---\nkey: a\ntitle: A\n---\n\nVoir [b](/b/).\n").expect("write");
    let config = format!("[site]\ntitle = \"T\"\nurl = \"https://t.example/\"\nlanguage = \"fr\"\n{extra_config}");
    std::fs::write(dir.join("folio.toml"), config).expect("write");
    dir
}

#[test]
fn build_with_no_flags_uses_folio_toml_content_and_dist() {
    let dir = site("cli-defaults", "");
    let out = folio(&["build", "--format", "json"], &dir);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("dist/json/corpus.json").is_file());
    assert!(dir.join("dist/report.json").is_file());
}

#[test]
fn warnings_exit_zero_but_fail_under_strict() {
    let dir = site("cli-strict", "");
    assert_eq!(code(&folio(&["check"], &dir)), 0);
    assert_eq!(code(&folio(&["check", "--strict"], &dir)), 1);
}

#[test]
fn an_error_exits_one_and_a_page_with_bad_front_matter_is_still_published() {
    let dir = site("cli-error", "");
    std::fs::write(dir.join("content/bad.md"), "---\ntitle: [x\n---\nKept text.\n").expect("write");
    let out = folio(&["build", "--format", "json"], &dir);
    assert_eq!(code(&out), 1);
    let json = std::fs::read(dir.join("dist/json/corpus.json")).expect("json written");
    let corpus: folio::model::Corpus = serde_json::from_slice(&json).expect("the model");
    assert_eq!(corpus.pages.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(), ["a", "bad"]);
    assert_eq!(corpus.pages[1].title, "bad", "the title falls back to the file name");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.md:3"), "{stderr}");
}

#[test]
fn unknown_format_is_a_usage_error() {
    let dir = site("cli-usage", "");
    assert_eq!(code(&folio(&["build", "--format", "docx"], &dir)), 2);
}

#[test]
fn unknown_config_key_is_a_usage_error() {
    let dir = site("cli-config", "[build]\nfromat = \"x\"\n");
    assert_eq!(code(&folio(&["check"], &dir)), 2);
}

#[test]
fn output_inside_the_content_folder_is_refused() {
    let dir = site("cli-out-inside", "");
    assert_eq!(code(&folio(&["build", "--out", "content/dist"], &dir)), 2);
    assert!(!dir.join("content/dist/json").exists());
}

#[test]
fn check_writes_nothing() {
    let dir = site("cli-check", "");
    folio(&["check"], &dir);
    assert!(!dir.join("dist").exists());
}

#[test]
fn report_lists_diagnostics_and_files_per_format() {
    let dir = site("cli-report", "");
    folio(&["build", "--format", "json"], &dir);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("dist/report.json")).expect("report")).expect("json");
    assert_eq!(report["formats"]["json"]["files"][0], "json/corpus.json");
    assert_eq!(report["diagnostics"][0]["code"], "link/broken");
    assert_eq!(report["diagnostics"][0]["line"], 6);
}

#[test]
fn formats_lists_builtin_and_external_exporters() {
    let dir = site("cli-formats", "[output.wc]\ncommand = \"python3 wc.py\"\n");
    let out = folio(&["formats"], &dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("json") && text.contains("wc"), "{text}");
}

#[test]
fn external_exporter_receives_the_model_on_stdin() {
    let dir = site("cli-external", "[output.wordcount]\ncommand = \"python3 wordcount.py\"\n");
    std::fs::copy(common::root().join("exporters/external/wordcount.py"), dir.join("wordcount.py")).expect("copy");
    let out = folio(&["build", "--format", "wordcount"], &dir);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let csv = std::fs::read_to_string(dir.join("dist/wordcount/wordcount.csv")).expect("csv");
    assert_eq!(csv.lines().nth(1), Some("a,A,2"));
}

#[test]
fn failing_exporter_keeps_its_previous_output_and_others_still_publish() {
    let dir = site("cli-failing", "[output.flaky]\ncommand = \"sh flaky.sh\"\n");
    std::fs::write(dir.join("flaky.sh"), "echo first > \"$1/out.txt\"\n").expect("write");
    assert_eq!(code(&folio(&["build", "--format", "flaky"], &dir)), 0);
    std::fs::write(dir.join("flaky.sh"), "echo second > \"$1/out.txt\"; echo broken >&2; exit 3\n").expect("write");
    let out = folio(&["build", "--format", "flaky,json"], &dir);
    assert_eq!(code(&out), 1);
    assert_eq!(std::fs::read_to_string(dir.join("dist/flaky/out.txt")).expect("kept"), "first\n");
    assert!(dir.join("dist/json/corpus.json").is_file());
    let left: Vec<_> = std::fs::read_dir(dir.join("dist"))
        .expect("dist")
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(left.is_empty(), "no staging folder is left behind: {left:?}");
}

#[test]
fn missing_optional_external_command_is_only_a_warning() {
    let dir = site("cli-optional", "[output.ghost]\ncommand = \"no-such-command-here\"\noptional = true\n");
    let out = folio(&["build", "--format", "ghost"], &dir);
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("external/missing"));
}
