//! Any text through the DALI value parsers SIA2 and SODA share (intervals, POS, CIRCLE,
//! POLYGON, POL) must give a value or an error naming the parameter — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vo_endpoint::dali_values;

fuzz_target!(|data: &[u8]| {
    // the first byte picks the parser, the rest is the parameter's value
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(value) = std::str::from_utf8(rest) else {
        return;
    };
    match which % 5 {
        0 => drop(dali_values::interval("BAND", value)),
        1 => drop(dali_values::pos("POS", value)),
        2 => drop(dali_values::circle_value("CIRCLE", value)),
        3 => drop(dali_values::polygon_value("POLYGON", value)),
        _ => drop(dali_values::pol_state("POL", value)),
    }
});
