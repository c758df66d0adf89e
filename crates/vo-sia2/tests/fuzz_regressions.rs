//! Guards SIA2's parameters → ADQL (`adql_for`) against the inputs fuzzing found: every file
//! of `fuzz/regressions/sia2_params/` — the minimized corpus of `cargo fuzz run sia2_params`
//! plus any input that once crashed it — read as a query string must give ADQL or an error
//! naming the parameter, never a panic.

include!("../fuzz/exercise.rs");

#[test]
fn sia2_params_survive_every_fuzz_regression_input() {
    vo_fuzz_regressions::every_input_survives(env!("CARGO_MANIFEST_DIR"), "sia2_params", exercise);
}
