//! Arbitrary bytes → up to three pages → model → json, jsonld, dita and epub, in memory.
#![no_main]

use folio::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let run = fuzzing::run(data, &fuzzing::pipeline_formats());
    assert!(run.violations.is_empty(), "{:#?}", run.violations);
});
