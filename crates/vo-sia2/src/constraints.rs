//! SIA 2.0 parameters (SIA 2.0 §2.1, DALI intervals and shapes) as ADQL over ivoa.obscore.
//! Each parameter may be repeated: its values are OR'ed; different parameters are AND'ed.

use std::fmt;
use vo_endpoint::dali_values::{self, ValueError};
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

impl From<ValueError> for Sia2Error {
    fn from(e: ValueError) -> Self {
        Sia2Error(e.0)
    }
}

type Parsed = Result<String, Sia2Error>;

fn error(name: &str, value: &str, problem: &str) -> Sia2Error {
    Sia2Error(format!("{name}='{value}': {problem}"))
}

use vo_region::adql_number as literal;

fn string_literal(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

fn interval(name: &str, value: &str) -> Result<(f64, f64), Sia2Error> {
    dali_values::interval(name, value).map_err(Sia2Error::from)
}

/// POS as an ADQL geometry intersecting the row's footprint.
fn pos(value: &str) -> Parsed {
    let region = vo_region::dali::pos("POS", value)?.adql();
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
    // a bound too large to scale into the column's unit is out of any sensible range
    if (lo.is_finite() && !(lo * scale).is_finite())
        || (hi.is_finite() && !(hi * scale).is_finite())
    {
        return Err(error(
            name,
            value,
            "a bound is too large; give it in the parameter's unit",
        ));
    }
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

fn pol(value: &str) -> Parsed {
    let state = dali_values::pol_state("POL", value)?;
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

/// The most values one constraint may be given: each becomes an alternative (OR) of the
/// query, and the query's nesting is limited.
pub const MAX_VALUES: usize = 200;

/// The ADQL query the request's constraints describe (every ObsCore row when there are
/// none). Parameters SIA2 does not define are ignored, as DALI asks.
pub fn adql_for(params: &Params) -> Result<String, Sia2Error> {
    let mut clauses = Vec::new();
    for name in CONSTRAINTS {
        let values: Vec<&str> = params.all(name).filter(|v| !v.trim().is_empty()).collect();
        if values.is_empty() {
            continue;
        }
        if values.len() > MAX_VALUES {
            return Err(Sia2Error(format!(
                "{name} is given {} times; this service takes at most {MAX_VALUES} values of one \
                 parameter (split the search, or query /tap with an uploaded table of positions)",
                values.len()
            )));
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
        assert!(adql(&[("SPATRES", "1e305 +Inf")])
            .unwrap_err()
            .0
            .contains("too large"));
        assert!(adql(&[("POS", "RANGE 10 20 -Inf +Inf")])
            .unwrap()
            .contains("RANGE_S2D(10.0, 20.0, -90.0, 90.0)"));
        assert!(adql(&[("TARGET", "O'Brien")])
            .unwrap()
            .contains("target_name = 'O''Brien'"));
        let many: Vec<(&str, &str)> = vec![("TARGET", "M83"); MAX_VALUES + 1];
        assert!(adql(&many).unwrap_err().0.contains("at most 200 values"));
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
