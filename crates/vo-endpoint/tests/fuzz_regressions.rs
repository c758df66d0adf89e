//! Guards the DALI value parsers SIA2 and SODA share (`dali_values::interval`, `pos`,
//! `circle_value`, `polygon_value`, `pol_state`) against the inputs fuzzing found: every file
//! of `fuzz/regressions/dali_values/` — the minimized corpus of `cargo fuzz run dali_values`
//! plus any input that once crashed it — must give a value or an error, never a panic.

use std::path::Path;

use vo_endpoint::dali_values;

/// What the `dali_values` fuzz target does with one input: the first byte picks the parser,
/// the rest is the value.
fn run(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(value) = std::str::from_utf8(rest) else {
        return;
    };
    match which % 5 {
        0 => drop(dali_values::interval("BAND", value)),
        1 => drop(dali_values::pos("POS", value)),
        2 => drop(dali_values::circle_value("CIRCLE", value)),
        3 => drop(dali_values::polygon_value("POLYGON", value)),
        _ => drop(dali_values::pol_state("POL", value)),
    }
}

#[test]
fn dali_values_survive_every_fuzz_regression_input() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/dali_values");
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
