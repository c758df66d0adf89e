//! Guards SIA2's parameters → ADQL (`adql_for`) against the inputs fuzzing found: every file
//! of `fuzz/regressions/sia2_params/` — the minimized corpus of `cargo fuzz run sia2_params`
//! plus any input that once crashed it — read as a query string must give ADQL or an error
//! naming the parameter, never a panic.

use std::path::Path;

/// What the `sia2_params` fuzz target does with one input.
fn run(data: &[u8]) {
    if let Ok(query) = std::str::from_utf8(data) {
        let params = vo_endpoint::Params::from_query(query);
        let _ = vo_sia2::adql_for(&params);
    }
}

#[test]
fn sia2_params_survive_every_fuzz_regression_input() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/sia2_params");
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
