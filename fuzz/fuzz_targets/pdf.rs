//! Arbitrary bytes → up to three pages → model → pdf, in memory. Slow: keep inputs small.
#![no_main]

use folio::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let run = fuzzing::run(data, &["pdf"]);
    assert!(run.violations.is_empty(), "{:#?}", run.violations);
});
