//! Replays every input kept under `tests/fixtures/fuzz/<target>/` through the harness the
//! fuzz target of that name runs (`folio::fuzzing`): crashes the fuzzer found, and corpus
//! entries that reach deep paths. See `fuzz/README.md`.

use folio::fuzzing;
use std::path::PathBuf;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).expect("read input")))
        .collect()
}

fn replay(target: &str, formats: &[&str]) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no inputs under tests/fixtures/fuzz/{target}");
    for (name, data) in inputs {
        let run = fuzzing::run(&data, formats);
        assert!(run.violations.is_empty(), "{target}/{name}: {:#?}", run.violations);
        assert!(run.model_json_bytes > 0, "{target}/{name}: the model did not serialize");
        let names: Vec<&str> = run.formats.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, formats, "{target}/{name}: every exporter ran");
        for format in &run.formats {
            match &format.result {
                // The harness checks the main file; an exporter that succeeded wrote something
                // (PDF excepted when there is no page to print).
                Ok(files) => assert!(
                    !files.is_empty() || (!fuzzing::writes_without_pages(&format.name) && run.pages == 0),
                    "{target}/{name}: {} succeeded and wrote nothing",
                    format.name
                ),
                Err(e) => assert!(!e.is_empty(), "{target}/{name}: {} failed without saying why", format.name),
            }
        }
    }
}

#[test]
fn pipeline_inputs_replay_cleanly() {
    replay("pipeline", &fuzzing::pipeline_formats());
}

#[test]
fn inputs_of_each_format_s_own_target_replay_cleanly() {
    for format in fuzzing::own_target_formats() {
        replay(format, &[format]);
    }
}
