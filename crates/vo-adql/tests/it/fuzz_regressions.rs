//! Guards the whole ADQL path (`translate`: tokens, parser, validator, resolver, emitter)
//! against the inputs fuzzing found: every file of `fuzz/regressions/translate/` — kept from
//! the minimized corpus of `cargo fuzz run translate` plus any input that once crashed it —
//! must give SQL or a positioned error, never a panic.

include!("../../fuzz/exercise.rs");

#[test]
fn translate_survives_every_fuzz_regression_input() {
    vo_fuzz_regressions::every_input_survives(env!("CARGO_MANIFEST_DIR"), "translate", exercise);
}
