//! Guards the STC-S parser (`parse_stcs`, then `format_stcs` and `bounding_circle` of what it
//! accepts) against the inputs fuzzing found: every file of `fuzz/regressions/stcs/` — the
//! minimized corpus of `cargo fuzz run stcs` plus any input that once crashed it — must give
//! a region or a positioned error, never a panic.

use std::path::Path;

/// What the `stcs` fuzz target does with one input.
fn run(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(region) = vo_region::parse_stcs(text) {
            let _ = vo_region::format_stcs(&region);
            let _ = region.bounding_circle();
        }
    }
}

#[test]
fn stcs_survives_every_fuzz_regression_input() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/stcs");
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
