// What the `sia2_params` fuzz target does with one input (included by the target and by
// tests/fuzz_regressions.rs): any query string through SIA2's parameters → ADQL (every
// constraint, repeated values, case-insensitive names) must give an ADQL query or an error
// naming the parameter — never a panic.
pub fn exercise(data: &[u8]) {
    if let Ok(query) = std::str::from_utf8(data) {
        if let Ok(params) = vo_endpoint::Params::from_query(query) {
            let _ = vo_sia2::adql_for(&params);
        }
    }
}
