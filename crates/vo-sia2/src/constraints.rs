//! SIA 2.0 parameters (SIA 2.0 §2.1, DALI intervals and shapes) as ADQL over ivoa.obscore.
//! Each parameter may be repeated: its values are OR'ed; different parameters are AND'ed.

use std::fmt;
use vo_endpoint::Params;

/// A parameter value this service cannot read.
#[derive(Debug, Clone, PartialEq)]
pub struct Sia2Error(pub String);

impl fmt::Display for Sia2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Sia2Error {}

type Parsed = Result<String, Sia2Error>;

fn error(name: &str, value: &str, problem: &str) -> Sia2Error {
    Sia2Error(format!("{name}='{value}': {problem}"))
}

/// A DALI number, with the infinities SIA2's open intervals use.
fn number(name: &str, whole: &str, text: &str) -> Result<f64, Sia2Error> {
    match text {
        "-Inf" | "-inf" | "-Infinity" => Ok(f64::NEG_INFINITY),
        "+Inf" | "Inf" | "+inf" | "inf" | "+Infinity" | "Infinity" => Ok(f64::INFINITY),
        _ => text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| error(name, whole, &format!("'{text}' is not a number"))),
    }
}

fn numbers(name: &str, value: &str) -> Result<Vec<f64>, Sia2Error> {
    value
        .split_whitespace()
        .map(|t| number(name, value, t))
        .collect()
}

/// An ADQL literal for a finite number (shortest form that reads back the same).
fn literal(v: f64) -> String {
    format!("{v:?}")
}

fn string_literal(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// A DALI interval `lo hi` (either end may be infinite), or one value meaning `lo = hi`.
fn interval(name: &str, value: &str) -> Result<(f64, f64), Sia2Error> {
    let v = numbers(name, value)?;
    let (lo, hi) = match v.as_slice() {
        [x] => (*x, *x),
        [lo, hi] => (*lo, *hi),
        _ => {
            return Err(error(
                name,
                value,
                "expected an interval: two numbers (lo hi), -Inf/+Inf for an open end",
            ))
        }
    };
    if lo > hi {
        return Err(error(
            name,
            value,
            "the interval's lower end is above its upper end",
        ));
    }
    Ok((lo, hi))
}

fn check_position(name: &str, value: &str, ra: f64, dec: f64) -> Result<(), Sia2Error> {
    if !(0.0..=360.0).contains(&ra) || !(-90.0..=90.0).contains(&dec) {
        return Err(error(
            name,
            value,
            "positions are ICRS degrees: RA 0..360, Dec -90..90",
        ));
    }
    Ok(())
}

/// POS: `CIRCLE ra dec radius`, `RANGE ra1 ra2 dec1 dec2`, `POLYGON ra1 dec1 ra2 dec2 ...`.
fn pos(value: &str) -> Parsed {
    let name = "POS";
    let mut words = value.split_whitespace();
    let shape = words.next().unwrap_or("").to_ascii_uppercase();
    let rest = words.collect::<Vec<_>>().join(" ");
    let v = numbers(name, &rest)
        .map_err(|_| error(name, value, "the shape's values must be numbers"))?;
    let region = match (shape.as_str(), v.as_slice()) {
        ("CIRCLE", [ra, dec, r]) => {
            check_position(name, value, *ra, *dec)?;
            if !(*r > 0.0 && *r <= 180.0) {
                return Err(error(name, value, "the radius must be above 0 and at most 180 degrees"));
            }
            format!("CIRCLE('ICRS', {}, {}, {})", literal(*ra), literal(*dec), literal(*r))
        }
        ("RANGE", [ra1, ra2, dec1, dec2]) => {
            let ra1 = if ra1.is_infinite() { 0.0 } else { *ra1 };
            let ra2 = if ra2.is_infinite() { 360.0 } else { *ra2 };
            let dec1 = dec1.max(-90.0);
            let dec2 = dec2.min(90.0);
            check_position(name, value, ra1, dec1)?;
            check_position(name, value, ra2, dec2)?;
            if ra1 > ra2 || dec1 > dec2 {
                return Err(error(name, value, "RANGE is ra1 ra2 dec1 dec2 with ra1 <= ra2 and dec1 <= dec2"));
            }
            format!(
                "RANGE_S2D({}, {}, {}, {})",
                literal(ra1),
                literal(ra2),
                literal(dec1),
                literal(dec2)
            )
        }
        ("POLYGON", coords) if coords.len() >= 6 && coords.len() % 2 == 0 => {
            for pair in coords.chunks(2) {
                check_position(name, value, pair[0], pair[1])?;
            }
            let list: Vec<String> = coords.iter().map(|c| literal(*c)).collect();
            format!("POLYGON('ICRS', {})", list.join(", "))
        }
        ("CIRCLE" | "RANGE" | "POLYGON", _) => {
            return Err(error(
                name,
                value,
                "CIRCLE takes ra dec radius, RANGE ra1 ra2 dec1 dec2, POLYGON at least three ra dec pairs",
            ))
        }
        _ => return Err(error(name, value, "the shape must be CIRCLE, RANGE or POLYGON")),
    };
    Ok(format!("INTERSECTS({region}, s_region) = 1"))
}

/// An interval that must overlap the row's [low, high] columns (BAND, TIME).
fn overlap(name: &str, value: &str, low: &str, high: &str) -> Parsed {
    let (lo, hi) = interval(name, value)?;
    let mut parts = Vec::new();
    if hi.is_finite() {
        parts.push(format!("{low} <= {}", literal(hi)));
    }
    if lo.is_finite() {
        parts.push(format!("{high} >= {}", literal(lo)));
    }
    Ok(if parts.is_empty() {
        format!("{low} IS NOT NULL")
    } else {
        parts.join(" AND ")
    })
}

/// An interval the row's column must lie in; `scale` converts the parameter's unit to the
/// column's.
fn within(name: &str, value: &str, column: &str, scale: f64) -> Parsed {
    let (lo, hi) = interval(name, value)?;
    let mut parts = Vec::new();
    if lo.is_finite() {
        parts.push(format!("{column} >= {}", literal(lo * scale)));
    }
    if hi.is_finite() {
        parts.push(format!("{column} <= {}", literal(hi * scale)));
    }
    Ok(if parts.is_empty() {
        format!("{column} IS NOT NULL")
    } else {
        parts.join(" AND ")
    })
}

const POLARIZATION_STATES: &[&str] = &[
    "I", "Q", "U", "V", "RR", "LL", "RL", "LR", "XX", "YY", "XY", "YX", "POLI", "POLA",
];

fn pol(value: &str) -> Parsed {
    let state = value.trim().to_ascii_uppercase();
    if !POLARIZATION_STATES.contains(&state.as_str()) {
        return Err(error(
            "POL",
            value,
            &format!(
                "not a polarization state; one of {}",
                POLARIZATION_STATES.join(", ")
            ),
        ));
    }
    Ok(format!("pol_states LIKE '%/{state}/%'"))
}

fn calib(value: &str) -> Parsed {
    match value.trim().parse::<i32>() {
        Ok(level @ 0..=4) => Ok(format!("calib_level = {level}")),
        _ => Err(error(
            "CALIB",
            value,
            "a calibration level is 0, 1, 2, 3 or 4",
        )),
    }
}

fn equals(column: &str) -> impl Fn(&str) -> Parsed + '_ {
    move |value: &str| Ok(format!("{column} = {}", string_literal(value.trim())))
}

/// The ADQL condition of one value of a parameter.
fn condition(name: &str, value: &str) -> Option<Parsed> {
    Some(match name {
        "POS" => pos(value),
        "BAND" => overlap(name, value, "em_min", "em_max"),
        "TIME" => overlap(name, value, "t_min", "t_max"),
        "POL" => pol(value),
        "FOV" => within(name, value, "s_fov", 1.0),
        // SIA2 gives degrees; ALMA's s_resolution is in arcsec
        "SPATRES" => within(name, value, "s_resolution", 3600.0),
        "EXPTIME" => within(name, value, "t_exptime", 1.0),
        "TIMERES" => within(name, value, "t_resolution", 1.0),
        "SPECRP" => within(name, value, "em_res_power", 1.0),
        "ID" => equals("obs_publisher_did")(value),
        "COLLECTION" => equals("obs_collection")(value),
        "FACILITY" => equals("facility_name")(value),
        "INSTRUMENT" => equals("instrument_name")(value),
        "DPTYPE" => equals("dataproduct_type")(value),
        "CALIB" => calib(value),
        "TARGET" => equals("target_name")(value),
        "FORMAT" => equals("access_format")(value),
        _ => return None,
    })
}

/// The parameters SIA 2.0 defines as constraints, in the order the query lists them.
pub const CONSTRAINTS: &[&str] = &[
    "POS",
    "BAND",
    "TIME",
    "POL",
    "FOV",
    "SPATRES",
    "EXPTIME",
    "ID",
    "COLLECTION",
    "FACILITY",
    "INSTRUMENT",
    "DPTYPE",
    "CALIB",
    "TARGET",
    "TIMERES",
    "SPECRP",
    "FORMAT",
];

/// The ADQL query the request's constraints describe (every ObsCore row when there are
/// none). Parameters SIA2 does not define are ignored, as DALI asks.
pub fn adql_for(params: &Params) -> Result<String, Sia2Error> {
    let mut clauses = Vec::new();
    for name in CONSTRAINTS {
        let values: Vec<&str> = params.all(name).filter(|v| !v.trim().is_empty()).collect();
        if values.is_empty() {
            continue;
        }
        let mut alternatives = Vec::new();
        for value in values {
            alternatives
                .push(condition(name, value).expect("every listed constraint has a condition")?);
        }
        clauses.push(format!("({})", alternatives.join(" OR ")));
    }
    let mut adql = String::from("SELECT * FROM ivoa.obscore");
    if !clauses.is_empty() {
        adql.push_str(" WHERE ");
        adql.push_str(&clauses.join(" AND "));
    }
    Ok(adql)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adql(pairs: &[(&str, &str)]) -> Result<String, Sia2Error> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        adql_for(&Params::from_pairs(pairs))
    }

    #[test]
    fn constraints_become_adql() {
        assert_eq!(adql(&[]).unwrap(), "SELECT * FROM ivoa.obscore");
        assert_eq!(
            adql(&[("pos", "CIRCLE 204.25 -29.87 0.1"), ("BAND", "0.0013 0.0014")]).unwrap(),
            "SELECT * FROM ivoa.obscore WHERE (INTERSECTS(CIRCLE('ICRS', 204.25, -29.87, 0.1), s_region) = 1) AND (em_min <= 0.0014 AND em_max >= 0.0013)"
        );
        assert_eq!(
            adql(&[("POL", "xx"), ("POL", "YY")]).unwrap(),
            "SELECT * FROM ivoa.obscore WHERE (pol_states LIKE '%/XX/%' OR pol_states LIKE '%/YY/%')"
        );
        assert_eq!(
            adql(&[("BAND", "-Inf 0.003"), ("TIME", "58000 +Inf")]).unwrap(),
            "SELECT * FROM ivoa.obscore WHERE (em_min <= 0.003) AND (t_max >= 58000.0)"
        );
        assert_eq!(
            adql(&[("SPATRES", "0 0.25")]).unwrap(),
            "SELECT * FROM ivoa.obscore WHERE (s_resolution >= 0.0 AND s_resolution <= 900.0)"
        );
        assert!(adql(&[("POS", "RANGE 10 20 -Inf +Inf")])
            .unwrap()
            .contains("RANGE_S2D(10.0, 20.0, -90.0, 90.0)"));
        assert!(adql(&[("TARGET", "O'Brien")])
            .unwrap()
            .contains("target_name = 'O''Brien'"));
        assert_eq!(
            adql(&[("UNKNOWN", "x")]).unwrap(),
            "SELECT * FROM ivoa.obscore"
        );
    }

    #[test]
    fn malformed_values_name_the_parameter_and_the_fix() {
        for (pair, expected) in [
            (("POS", "CIRCLE 10 20"), "CIRCLE takes ra dec radius"),
            (("POS", "BOX 1 2 3 4"), "must be CIRCLE, RANGE or POLYGON"),
            (("POS", "CIRCLE 400 0 1"), "RA 0..360"),
            (("BAND", "0.002 0.001"), "lower end is above"),
            (("BAND", "a b"), "'a' is not a number"),
            (("POL", "ZZ"), "not a polarization state"),
            (("CALIB", "high"), "calibration level"),
            (("TIME", "1 2 3"), "expected an interval"),
        ] {
            let e = adql(&[pair]).unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("{}=", pair.0)) && e.contains(expected),
                "{e}"
            );
        }
    }
}
