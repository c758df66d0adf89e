//! Geometry values as results: DALI arrays in degrees; CENTROID of boxes and polygons; CAST
//! from DALI strings to geometries. pgSphere has no binary output for its types, so vertices
//! are read from its text form (radians, 15 significant digits) inside the SQL.

use crate::error::AdqlError;
use crate::pg::string_literal;
use crate::types::Kind;
use sqlparser::ast::{Expr, Spanned, Value};

/// CAST(x AS POINT | CIRCLE | POLYGON) from the DALI serialisation: "ra dec",
/// "ra dec radius", "ra1 dec1 ra2 dec2 ra3 dec3 …" (degrees, separated by spaces).
pub(crate) fn cast(
    value: &Expr,
    value_sql: &str,
    target: &str,
) -> Result<(String, Kind), AdqlError> {
    let at = value.span().start;
    let (kind, counts_ok): (Kind, fn(usize) -> bool) = match target {
        "POINT" => (Kind::Point, |n| n == 2),
        "CIRCLE" => (Kind::Circle, |n| n == 3),
        "POLYGON" => (Kind::Polygon, |n| n >= 6 && n % 2 == 0),
        _ => {
            return Err(AdqlError::at(
                format!("CAST to {target} is not supported"),
                at,
            ))
        }
    };
    let example = match kind {
        Kind::Point => "'12.3 45.6'",
        Kind::Circle => "'12.3 45.6 0.5'",
        _ => "'10 20 11 20 11 21'",
    };
    if let Expr::Value(v) = value {
        if let Value::SingleQuotedString(text) = &v.value {
            let numbers: Vec<f64> = text
                .split_whitespace()
                .map(str::parse::<f64>)
                .collect::<Result<_, _>>()
                .ok()
                .filter(|n: &Vec<f64>| counts_ok(n.len()) && n.iter().all(|x| x.is_finite()))
                .ok_or_else(|| {
                    AdqlError::at(
                        format!("'{text}' is not a DALI {}", target.to_lowercase()),
                        at,
                    )
                    .with_hint(format!("write it as {example} (degrees)"))
                })?;
            let problem = match kind {
                Kind::Circle => vo_region::radius_problem(numbers[2]),
                Kind::Polygon => vo_region::vertices_problem(numbers.len() / 2),
                _ => None,
            };
            if let Some(problem) = problem {
                return Err(AdqlError::at(problem, at));
            }
            let literal = match kind {
                Kind::Point => format!(
                    "{}::spoint",
                    string_literal(&vo_region::pg_point(numbers[0], numbers[1]))
                ),
                Kind::Circle => format!(
                    "{}::scircle",
                    string_literal(&vo_region::pg_circle(numbers[0], numbers[1], numbers[2]))
                ),
                _ => {
                    let vertices: Vec<(f64, f64)> =
                        numbers.chunks(2).map(|c| (c[0], c[1])).collect();
                    format!(
                        "{}::spoly",
                        string_literal(&vo_region::pg_polygon(&vertices))
                    )
                }
            };
            return Ok((literal, kind));
        }
    }
    // a polygon from text known only when the query runs: its vertices are counted before
    // pgSphere builds it (archive.vertex_limit raises an error naming the limit)
    let split = format!("regexp_split_to_array(btrim({value_sql}), '\\s+')::float8[]");
    let numbers = if kind == Kind::Polygon {
        format!(
            "(SELECT archive.vertex_limit({split}, {}) AS v)",
            vo_region::MAX_POLYGON_VERTICES
        )
    } else {
        format!("(SELECT {split} AS v)")
    };
    let sql = match kind {
        Kind::Point => format!("(SELECT spoint(radians(v[1]), radians(v[2])) FROM {numbers} AS s)"),
        Kind::Circle => format!("(SELECT scircle(spoint(radians(v[1]), radians(v[2])), radians(v[3])) FROM {numbers} AS s)"),
        _ => format!("(SELECT spoly(spoint(radians(v[2*i-1]), radians(v[2*i])) ORDER BY i) FROM {numbers} AS s, generate_series(1, array_length(s.v, 1) / 2) AS i)"),
    };
    Ok((sql, kind))
}
