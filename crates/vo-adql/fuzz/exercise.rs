// What the `translate` fuzz target does with one input (included by the target and by
// tests/fuzz_regressions.rs): any text through the whole ADQL path (tokens, parser, the
// walk with and without a catalogue) must give SQL or a positioned error — never a panic.
pub fn exercise(data: &[u8]) {
    static CATALOGUE: std::sync::OnceLock<vo_catalogue::Catalogue> = std::sync::OnceLock::new();
    if let Ok(text) = std::str::from_utf8(data) {
        let catalogue = CATALOGUE.get_or_init(vo_catalogue::Catalogue::builtin);
        let _ = vo_adql::translate(text, catalogue, &vo_adql::Options { maxrec: Some(1000), parameterise: text.len() % 2 == 0 });
        let _ = vo_adql::check(text);
    }
}
