//! Guards the parameter path of every endpoint (TAP, SIA2, SODA, DataLink: parameters →
//! plan) against the inputs fuzzing found: every file of `fuzz/regressions/params/` — the
//! minimized corpus of `cargo fuzz run params` plus inputs that once crashed a server, such
//! as a 5,000-term `1+1+…` query — must give a plan or an error, never a panic or a stack
//! overflow.

include!("../../fuzz/exercise.rs");

#[test]
fn the_parameter_path_survives_every_fuzz_regression_input() {
    vo_fuzz_regressions::every_input_survives(env!("CARGO_MANIFEST_DIR"), "params", exercise);
}
