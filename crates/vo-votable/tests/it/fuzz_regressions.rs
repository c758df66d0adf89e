//! Guards the VOTable reader (`read_table`, what TAP uploads and ingest use) against the
//! inputs fuzzing found: every file of `fuzz/regressions/read_table/` — the minimized corpus
//! of `cargo fuzz run read_table` plus any input that once crashed it — must read to a table
//! or an error, never a panic.

include!("../../fuzz/exercise.rs");

#[test]
fn read_table_survives_every_fuzz_regression_input() {
    vo_fuzz_regressions::every_input_survives(env!("CARGO_MANIFEST_DIR"), "read_table", exercise);
}
