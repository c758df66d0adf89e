//! Guards the STC-S parser (`parse_stcs`, then `format_stcs` and `bounding_circle` of what it
//! accepts) against the inputs fuzzing found: every file of `fuzz/regressions/stcs/` — the
//! minimized corpus of `cargo fuzz run stcs` plus any input that once crashed it — must give
//! a region or a positioned error, never a panic.

include!("../../fuzz/exercise.rs");

#[test]
fn stcs_survives_every_fuzz_regression_input() {
    vo_fuzz_regressions::every_input_survives(env!("CARGO_MANIFEST_DIR"), "stcs", exercise);
}
