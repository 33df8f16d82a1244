//! Shared test support: load the sample and the real corpus, export into memory, run the
//! independent validators in `tests/validators/`.
#![allow(dead_code)]

use folio::build::{self, BuildRequest, Loaded};
use folio::config::Config;
use folio::diagnostics::Diagnostic;
use folio::exporter::{Exporter, Limits, MemorySink};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Fixed build instant for reproducible outputs: 2024-03-01T12:00:00Z.
pub const EPOCH: i64 = 1_709_294_400;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn request(config: Config, content: PathBuf, assets: PathBuf) -> BuildRequest {
    BuildRequest {
        config,
        content,
        assets,
        out: std::env::temp_dir().join("folio-unused"),
        formats: None,
        check_only: true,
        includes: None,
        data: None,
        languages: Vec::new(),
    }
}

/// Loads `content/` with `folio.toml`, at the fixed epoch.
pub fn load_sample() -> Loaded {
    let config = Config::from_file(&root().join("folio.toml")).expect("folio.toml");
    let content = root().join("content");
    let mut loaded = build::load(&request(config, content.clone(), content)).expect("sample corpus loads");
    loaded.build_time.epoch_seconds = EPOCH;
    loaded
}

/// The real corpus beside the project, or `None` (with a message) when `../shared` is absent.
/// Under `CI=true` its absence is a failure.
pub fn real_corpus_dir() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus/franceconnect");
    if dir.join("content").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("../shared/corpus/franceconnect is missing, and CI=true requires it");
    }
    eprintln!("skipped: ../shared/corpus/franceconnect is not beside the project");
    None
}

pub fn real_config() -> Config {
    Config::from_file(&root().join("tests/fixtures/franceconnect.toml")).expect("franceconnect.toml")
}

/// Loads the real corpus at the fixed epoch, if it is there.
pub fn load_real() -> Option<Loaded> {
    let dir = real_corpus_dir()?;
    let mut loaded =
        build::load(&request(real_config(), dir.join("content"), dir.join("public"))).expect("real corpus loads");
    loaded.build_time.epoch_seconds = EPOCH;
    Some(loaded)
}

/// Loads a fixture corpus under `tests/fixtures/NAME` (its own folder holds the assets).
pub fn load_fixture(name: &str) -> Loaded {
    load_folder(&root().join("tests/fixtures").join(name))
}

/// Loads a corpus a test wrote into a folder (which holds its assets too).
pub fn load_folder(dir: &Path) -> Loaded {
    let dir = dir.to_path_buf();
    let mut loaded = build::load(&request(Config::default(), dir.clone(), dir)).expect("fixture loads");
    loaded.build_time.epoch_seconds = EPOCH;
    loaded
}

/// Runs one exporter into memory.
pub fn export(loaded: &Loaded, exporter: &dyn Exporter, options: &toml::Table) -> (MemorySink, Vec<Diagnostic>) {
    let ctx = loaded.context(options, Limits::default());
    let mut sink = MemorySink::default();
    let mut diags = Vec::new();
    exporter.export(&ctx, &mut sink, &mut diags).expect("export succeeds");
    (sink, diags)
}

/// Writes a sink's files under `dir` and returns their paths.
pub fn write_sink(sink: &MemorySink, dir: &Path) -> Vec<PathBuf> {
    sink.files
        .iter()
        .map(|(rel, bytes)| {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, bytes).expect("write");
            path
        })
        .collect()
}

/// A fresh empty folder under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files
                    .insert(path.strip_prefix(dir).expect("prefix").to_path_buf(), std::fs::read(&path).expect("read"));
            }
        }
    }
    files
}

/// Whether a validator can run here. A missing one fails its test, so that no check passes
/// without checking, unless `FOLIO_SKIP_VALIDATORS=1` asks to skip it (with a message).
pub fn validator_available(probe: &str) -> bool {
    let ok = Command::new("bash").arg("-c").arg(probe).output().is_ok_and(|o| o.status.success());
    if !ok {
        if !std::env::var("FOLIO_SKIP_VALIDATORS").is_ok_and(|v| v == "1") {
            panic!(
                "validator missing: `{probe}` failed; run tests/validators/install.sh and source its env.sh, \
                 or set FOLIO_SKIP_VALIDATORS=1 to skip the validator tests"
            );
        }
        eprintln!("skipped (FOLIO_SKIP_VALIDATORS=1): validator not installed (`{probe}`)");
    }
    ok
}

/// Runs `tests/validators/SCRIPT ARGS…`; panics with its output when it fails.
pub fn run_validator(script: &str, args: &[&Path]) {
    let path = root().join("tests/validators").join(script);
    let mut cmd = if script.ends_with(".py") { Command::new("python3") } else { Command::new("bash") };
    let output = cmd.arg(&path).args(args).output().expect("validator runs");
    assert!(
        output.status.success(),
        "{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// insta settings that store snapshots in the top-level `snapshots/` folder.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// A shared site of the DSFR family beside the project (`../shared/corpus/NAME`), loaded with
/// its `public/` as assets and its `_includes` and `_data` found beside its content, or `None`
/// (with a message) when `../shared` is absent; under `CI=true` its absence is a failure.
pub fn load_shared_site(name: &str) -> Option<Loaded> {
    let dir = root().join("../shared/corpus").join(name);
    if !dir.join("content").is_dir() {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "../shared/corpus/{name} is missing, and CI=true requires it"
        );
        eprintln!("skipped: ../shared/corpus/{name} is not beside the project");
        return None;
    }
    let mut loaded =
        build::load(&request(Config::default(), dir.join("content"), dir.join("public"))).expect("site loads");
    loaded.build_time.epoch_seconds = EPOCH;
    Some(loaded)
}
