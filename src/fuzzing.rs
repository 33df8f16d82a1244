//! The fuzzing harness: arbitrary bytes → pages → model → exporters, all in memory.
//!
//! Shared by the targets in `fuzz/` and by `tests/fuzz_regressions.rs`, so CI replays every
//! input the fuzzer ever found through exactly the code the fuzzer ran. Nothing here panics
//! on its input: broken invariants are returned as `violations`, and the callers assert
//! that there are none.

use crate::assets::AssetStore;
use crate::build::{self, Loaded};
use crate::config::Config;
use crate::exporter::{BenchStage, MemorySink};
use crate::exporters::builtin;

/// Splits the input into pages: the bytes up to the first NUL are the first page, and so on.
pub const SEPARATOR: u8 = 0;

/// The pages an input becomes, in order: a home page, a section index and a page in that
/// section, so that links, see-also lists, sections and duplicate keys meet across pages.
pub const PAGE_PATHS: [&str; 3] = ["index.md", "guide/index.md", "guide/page.md"];

/// The formats the `pipeline` target exports: those the bench times together. A format with
/// a stage of its own (a slow layout) has its own target, named after it.
pub fn pipeline_formats() -> Vec<&'static str> {
    formats_where(|stage| stage == BenchStage::WithTheOthers)
}

/// The formats with a fuzz target of their own.
pub fn own_target_formats() -> Vec<&'static str> {
    formats_where(|stage| stage == BenchStage::OwnStage)
}

fn formats_where(keep: impl Fn(BenchStage) -> bool) -> Vec<&'static str> {
    builtin().iter().filter(|e| keep(e.bench_stage())).map(|e| e.name()).collect()
}

/// Whether a successful export of `format` with no page writes a file.
pub fn writes_without_pages(format: &str) -> bool {
    builtin().iter().find(|e| e.name() == format).is_none_or(|e| e.writes_main_file_without_pages())
}

/// A fixed build instant, for reproducible outputs.
pub const EPOCH: i64 = 1_709_294_400;

/// What one exporter did with the input.
#[derive(Debug, Clone)]
pub struct FormatRun {
    pub name: String,
    /// `Err`: the format failed as a whole (a reported error, not a crash).
    pub result: Result<Vec<String>, String>,
    pub diagnostics: usize,
}

/// What the whole pipeline did with the input.
#[derive(Debug, Clone)]
pub struct Run {
    pub pages: usize,
    pub records: usize,
    pub diagnostics: usize,
    /// Size of the model serialized as JSON.
    pub model_json_bytes: usize,
    pub formats: Vec<FormatRun>,
    /// Broken invariants, in words. Empty when all is well.
    pub violations: Vec<String>,
}

/// The (content-relative path, bytes) sources an input stands for: at most `PAGE_PATHS.len()`
/// pieces split on `SEPARATOR`; the last piece keeps any further separators.
pub fn sources(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    data.splitn(PAGE_PATHS.len(), |b| *b == SEPARATOR)
        .zip(PAGE_PATHS)
        .map(|(bytes, rel)| (rel.to_string(), bytes.to_vec()))
        .collect()
}

/// Reads `data` into the model (no assets, default config) and runs the named built-in
/// exporters into memory, checking that the model survives a JSON round trip, that every
/// exporter that succeeded wrote its main file and that it can read its own output back.
pub fn run(data: &[u8], formats: &[&str]) -> Run {
    let config = Config::default();
    let loaded = build::load_from_sources(&sources(data), AssetStore::empty(), &config, EPOCH);
    let mut violations = Vec::new();
    let model_json_bytes = check_model_json(&loaded, &mut violations);
    let exporters: Vec<_> = builtin().into_iter().filter(|e| formats.contains(&e.name())).collect();
    let results = build::export_all(&loaded, &config, &exporters, &|_| Ok(MemorySink::default()), &|_| {});
    let mut runs = Vec::new();
    for ((name, result, found), exporter) in results.into_iter().zip(&exporters) {
        let result = match result {
            Ok((sink, _)) => {
                check_output(&name, exporter.as_ref(), &sink, loaded.corpus.pages.is_empty(), &mut violations);
                Ok(sink.files.into_keys().collect())
            }
            Err(e) => Err(format!("{e:#}")),
        };
        runs.push(FormatRun { name, result, diagnostics: found.len() });
    }
    Run {
        pages: loaded.corpus.pages.len(),
        records: loaded.corpus.records.len(),
        diagnostics: loaded.diagnostics.len(),
        model_json_bytes,
        formats: runs,
        violations,
    }
}

/// The model, as the JSON exporter writes it, reads back equal.
fn check_model_json(loaded: &Loaded, violations: &mut Vec<String>) -> usize {
    match crate::exporters::json::corpus_json(&loaded.corpus) {
        Ok(json) => {
            match crate::exporters::json::read_corpus_json(&json) {
                Ok(back) if back == loaded.corpus => {}
                Ok(_) => violations.push("the model reads back from its JSON different".into()),
                Err(e) => violations.push(format!("the model's JSON does not read back: {e}")),
            }
            json.len()
        }
        Err(e) => {
            violations.push(format!("the model does not serialize to JSON: {e}"));
            0
        }
    }
}

fn check_output(
    name: &str,
    exporter: &dyn crate::exporter::Exporter,
    sink: &MemorySink,
    no_pages: bool,
    violations: &mut Vec<String>,
) {
    let needs_main = !no_pages || exporter.writes_main_file_without_pages();
    if needs_main && !sink.files.keys().any(|p| exporter.is_main_file(p)) {
        violations.push(format!(
            "{name} succeeded without writing its main file; it wrote {:?}",
            sink.files.keys().collect::<Vec<_>>()
        ));
    }
    if let Err(e) = exporter.read_back(sink) {
        violations.push(format!("{name} cannot read its own output back: {e:#}"));
    }
}
