//! Guards the DALI value parsers SIA2 and SODA share (`dali_values::interval`, `pos`,
//! `circle_value`, `polygon_value`, `pol_state`) against the inputs fuzzing found: every file
//! of `fuzz/regressions/dali_values/` — the minimized corpus of `cargo fuzz run dali_values`
//! plus any input that once crashed it — must give a value or an error, never a panic.

include!("../fuzz/exercise.rs");

#[test]
fn dali_values_survive_every_fuzz_regression_input() {
    vo_fuzz_regressions::every_input_survives(env!("CARGO_MANIFEST_DIR"), "dali_values", exercise);
}
