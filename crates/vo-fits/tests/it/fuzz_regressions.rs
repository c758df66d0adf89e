//! Guards the FITS header path against the inputs fuzzing found: every file of
//! `fuzz/regressions/header/` — the minimized corpus of `cargo fuzz run header` plus any input
//! that once crashed it — must go through `Card::parse` (80-byte cards up to END),
//! `ImageWcs::from_header` (and what SODA and ingest ask of the WCS) and `read_hdus` (the
//! bytes as a file) to headers or an error, never a panic.

include!("../../fuzz/exercise.rs");

#[test]
fn header_survives_every_fuzz_regression_input() {
    vo_fuzz_regressions::every_input_survives(env!("CARGO_MANIFEST_DIR"), "header", exercise);
}
