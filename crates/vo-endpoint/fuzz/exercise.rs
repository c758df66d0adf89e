// What the `dali_values` fuzz target does with one input (included by the target and by
// tests/fuzz_regressions.rs): the first byte picks one of the DALI value parsers SIA2 and
// SODA share (intervals, POS, CIRCLE, POLYGON, POL), the rest is the value; it must give a
// value or an error naming the parameter — never a panic.
pub fn exercise(data: &[u8]) {
    use vo_endpoint::dali_values;
    use vo_region::dali as sky;
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(value) = std::str::from_utf8(rest) else {
        return;
    };
    match which % 5 {
        0 => drop(dali_values::interval("BAND", value)),
        1 => drop(sky::pos("POS", value)),
        2 => drop(sky::circle_value("CIRCLE", value)),
        3 => drop(sky::polygon_value("POLYGON", value)),
        _ => drop(dali_values::pol_state("POL", value)),
    }
}
