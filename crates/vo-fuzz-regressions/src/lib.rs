//! Test support for the crates that are fuzzed: every input a fuzz target kept
//! (`<crate>/fuzz/regressions/<target>/`, the minimized corpus plus any input that once
//! crashed it) goes through the same code as the target, in the ordinary `cargo test`.
//!
//! Owns: finding the inputs and reporting which ones panic. Does not own: what a target
//! does with an input — each crate's `fuzz/exercise.rs`, shared by its fuzz target and its
//! regression test — nor running the fuzzers (`cargo fuzz`).

use std::path::Path;

/// Asserts that `exercise` returns (errors are fine) for every kept input of `target` under
/// `crate_dir` (the crate's `CARGO_MANIFEST_DIR`), and that there are inputs to run.
pub fn every_input_survives(
    crate_dir: &str,
    target: &str,
    exercise: impl Fn(&[u8]) + std::panic::RefUnwindSafe,
) {
    let dir = Path::new(crate_dir).join("fuzz/regressions").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    inputs.sort();
    assert!(
        !inputs.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    let panicked: Vec<_> = inputs
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            std::panic::catch_unwind(|| exercise(&data)).is_err()
        })
        .collect();
    assert!(
        panicked.is_empty(),
        "panicked on {} of {} inputs: {panicked:?}",
        panicked.len(),
        inputs.len()
    );
}
