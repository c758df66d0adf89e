//! DALI parameter values (DALI 1.1 §3) that are not sky shapes: intervals (BAND, TIME) and
//! polarization states. Sky values (POS, CIRCLE, POLYGON) and the number grammar are the sky
//! crate's (`vo_region::dali`), whose errors these share.

pub use vo_region::dali::ValueError;
use vo_region::dali::{numbers, value_error};

/// A DALI interval `lo hi` (either end may be infinite), or one value meaning `lo = hi`.
pub fn interval(name: &str, value: &str) -> Result<(f64, f64), ValueError> {
    let v = numbers(name, value)?;
    let (lo, hi) = match v.as_slice() {
        [x] => (*x, *x),
        [lo, hi] => (*lo, *hi),
        _ => {
            return Err(value_error(
                name,
                value,
                "expected an interval: two numbers (lo hi), -Inf/+Inf for an open end",
            ))
        }
    };
    if lo > hi {
        return Err(value_error(
            name,
            value,
            "the interval's lower end is above its upper end",
        ));
    }
    Ok((lo, hi))
}

/// The polarization states ObsCore and SODA name.
pub const POLARIZATION_STATES: &[&str] = &[
    "I", "Q", "U", "V", "RR", "LL", "RL", "LR", "XX", "YY", "XY", "YX", "POLI", "POLA",
];

/// A polarization state, upper-cased.
pub fn pol_state(name: &str, value: &str) -> Result<String, ValueError> {
    let state = value.trim().to_ascii_uppercase();
    if !POLARIZATION_STATES.contains(&state.as_str()) {
        return Err(value_error(
            name,
            value,
            &format!(
                "not a polarization state; one of {}",
                POLARIZATION_STATES.join(", ")
            ),
        ));
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_and_states() {
        assert_eq!(
            interval("BAND", "-Inf 0.003").unwrap(),
            (f64::NEG_INFINITY, 0.003)
        );
        assert_eq!(interval("TIME", "58000").unwrap(), (58000.0, 58000.0));
        assert!(interval("BAND", "0.002 0.001")
            .unwrap_err()
            .0
            .contains("lower end is above"));
        assert_eq!(pol_state("POL", "xx").unwrap(), "XX");
        assert!(pol_state("POL", "ZZ")
            .unwrap_err()
            .0
            .contains("one of I, Q"));
    }
}
