//! Guards the whole ADQL path (`translate`: tokens, parser, validator, resolver, emitter)
//! against the inputs fuzzing found: every file of `fuzz/regressions/translate/` — kept from
//! the minimized corpus of `cargo fuzz run translate` plus any input that once crashed it —
//! must give SQL or a positioned error, never a panic.

use std::path::Path;

/// What the `translate` fuzz target does with one input.
fn run(data: &[u8], catalogue: &vo_catalogue::Catalogue) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = vo_adql::translate(text, catalogue, &vo_adql::Options { maxrec: Some(1000) });
    }
}

#[test]
fn translate_survives_every_fuzz_regression_input() {
    let catalogue = vo_catalogue::Catalogue::builtin();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/translate");
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
            std::panic::catch_unwind(|| run(&data, &catalogue)).is_err()
        })
        .collect();
    assert!(
        panicked.is_empty(),
        "panicked on {} of {} inputs: {panicked:?}",
        panicked.len(),
        inputs.len()
    );
}
