//! Guards the VOTable reader (`read_table`, what TAP uploads and ingest use) against the
//! inputs fuzzing found: every file of `fuzz/regressions/read_table/` — the minimized corpus
//! of `cargo fuzz run read_table` plus any input that once crashed it — must read to a table
//! or an error, never a panic.

use std::path::Path;

/// What the `read_table` fuzz target does with one input.
fn run(data: &[u8]) {
    // the upload path checks UTF-8 before it reads the VOTable
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = vo_votable::read_table(text);
    }
}

#[test]
fn read_table_survives_every_fuzz_regression_input() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/read_table");
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
            std::panic::catch_unwind(|| run(&data)).is_err()
        })
        .collect();
    assert!(
        panicked.is_empty(),
        "panicked on {} of {} inputs: {panicked:?}",
        panicked.len(),
        inputs.len()
    );
}
