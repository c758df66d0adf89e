//! DALI's sky values (DALI 1.1 §3.3): `POS` (`CIRCLE`, `RANGE`, `POLYGON`), SODA's `CIRCLE`
//! and `POLYGON`, points, and the number grammar they share (with the infinities open
//! intervals use) — read into [`Shape`] and written back in the same form. Every request
//! that names a sky region (SIA2, SODA, uploaded geometry) reads it here, under the same
//! limits.

use crate::Shape;
use std::fmt;

/// A value that cannot be read; the message names the parameter, the value and the fix.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueError(pub String);

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

pub fn value_error(name: &str, value: &str, problem: &str) -> ValueError {
    ValueError(format!("{name}='{}': {problem}", shortened(value)))
}

/// A value as an error message quotes it: a long one is cut after 60 characters.
fn shortened(value: &str) -> String {
    match value.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_string(),
    }
}

/// A DALI number, with the infinities open intervals use.
fn number(name: &str, whole: &str, text: &str) -> Result<f64, ValueError> {
    match text {
        "-Inf" | "-inf" | "-Infinity" => Ok(f64::NEG_INFINITY),
        "+Inf" | "Inf" | "+inf" | "inf" | "+Infinity" | "Infinity" => Ok(f64::INFINITY),
        _ => text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| value_error(name, whole, &format!("'{text}' is not a number"))),
    }
}

/// The whitespace-separated DALI numbers of a value.
pub fn numbers(name: &str, value: &str) -> Result<Vec<f64>, ValueError> {
    value
        .split_whitespace()
        .map(|t| number(name, value, t))
        .collect()
}

/// A number as DALI writes it: shortest form, infinities as `-Inf`/`+Inf`.
pub struct Number(pub f64);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            v if v == f64::INFINITY => f.write_str("+Inf"),
            v if v == f64::NEG_INFINITY => f.write_str("-Inf"),
            v => write!(f, "{v}"),
        }
    }
}

/// A shape as DALI's POS writes it: `CIRCLE ra dec r`, `RANGE ra1 ra2 dec1 dec2`,
/// `POLYGON ra1 dec1 …` (what [`pos`] reads back).
impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::Circle { ra, dec, radius } => {
                write!(
                    f,
                    "CIRCLE {} {} {}",
                    Number(*ra),
                    Number(*dec),
                    Number(*radius)
                )
            }
            Shape::Range { ra, dec } => write!(
                f,
                "RANGE {} {} {} {}",
                Number(ra.0),
                Number(ra.1),
                Number(dec.0),
                Number(dec.1)
            ),
            Shape::Polygon(vertices) => {
                f.write_str("POLYGON")?;
                for (ra, dec) in vertices {
                    write!(f, " {} {}", Number(*ra), Number(*dec))?;
                }
                Ok(())
            }
        }
    }
}

fn check_position(name: &str, value: &str, ra: f64, dec: f64) -> Result<(), ValueError> {
    if !(0.0..=360.0).contains(&ra) || !(-90.0..=90.0).contains(&dec) {
        return Err(value_error(
            name,
            value,
            "positions are ICRS degrees: RA 0..360, Dec -90..90",
        ));
    }
    Ok(())
}

fn circle(name: &str, value: &str, v: &[f64]) -> Result<Shape, ValueError> {
    let [ra, dec, r] = v else {
        return Err(value_error(
            name,
            value,
            "a circle is ra dec radius (degrees)",
        ));
    };
    check_position(name, value, *ra, *dec)?;
    if let Some(problem) = crate::radius_problem(*r) {
        return Err(value_error(name, value, &problem));
    }
    Ok(Shape::Circle {
        ra: *ra,
        dec: *dec,
        radius: *r,
    })
}

fn polygon(name: &str, value: &str, v: &[f64]) -> Result<Shape, ValueError> {
    if v.len() < 6 || v.len() % 2 != 0 {
        return Err(value_error(
            name,
            value,
            "a polygon is at least three ra dec pairs (degrees)",
        ));
    }
    if let Some(problem) = crate::vertices_problem(v.len() / 2) {
        return Err(value_error(name, value, &problem));
    }
    let vertices: Vec<(f64, f64)> = v.chunks(2).map(|p| (p[0], p[1])).collect();
    for (ra, dec) in &vertices {
        check_position(name, value, *ra, *dec)?;
    }
    Ok(Shape::Polygon(vertices))
}

fn range(name: &str, value: &str, v: &[f64]) -> Result<Shape, ValueError> {
    let [ra1, ra2, dec1, dec2] = v else {
        return Err(value_error(
            name,
            value,
            "RANGE is ra1 ra2 dec1 dec2 (degrees)",
        ));
    };
    let ra1 = if ra1.is_infinite() { 0.0 } else { *ra1 };
    let ra2 = if ra2.is_infinite() { 360.0 } else { *ra2 };
    let (dec1, dec2) = (dec1.max(-90.0), dec2.min(90.0));
    check_position(name, value, ra1, dec1)?;
    check_position(name, value, ra2, dec2)?;
    if ra1 > ra2 || dec1 > dec2 {
        return Err(value_error(
            name,
            value,
            "RANGE is ra1 ra2 dec1 dec2 with ra1 <= ra2 and dec1 <= dec2",
        ));
    }
    Ok(Shape::Range {
        ra: (ra1, ra2),
        dec: (dec1, dec2),
    })
}

/// POS: `CIRCLE ra dec radius`, `RANGE ra1 ra2 dec1 dec2` or `POLYGON ra1 dec1 ra2 dec2 ...`.
pub fn pos(name: &str, value: &str) -> Result<Shape, ValueError> {
    let mut words = value.split_whitespace();
    let shape = words.next().unwrap_or("").to_ascii_uppercase();
    let rest = words.collect::<Vec<_>>().join(" ");
    let v = numbers(name, &rest)
        .map_err(|_| value_error(name, value, "the shape's values must be numbers"))?;
    match (shape.as_str(), v.len()) {
        ("CIRCLE", 3) => circle(name, value, &v),
        ("RANGE", 4) => range(name, value, &v),
        ("POLYGON", n) if n >= 6 && n % 2 == 0 => polygon(name, value, &v),
        ("CIRCLE" | "RANGE" | "POLYGON", _) => Err(pos_usage(name, value)),
        _ => Err(value_error(
            name,
            value,
            "the shape must be CIRCLE, RANGE or POLYGON",
        )),
    }
}

fn pos_usage(name: &str, value: &str) -> ValueError {
    value_error(
        name,
        value,
        "CIRCLE takes ra dec radius, RANGE ra1 ra2 dec1 dec2, POLYGON at least three ra dec pairs",
    )
}

/// A DALI point: `ra dec` (degrees).
pub fn point_value(name: &str, value: &str) -> Result<(f64, f64), ValueError> {
    match numbers(name, value)?.as_slice() {
        [ra, dec] => {
            check_position(name, value, *ra, *dec)?;
            Ok((*ra, *dec))
        }
        _ => Err(value_error(name, value, "a point is ra dec (degrees)")),
    }
}

/// SODA's CIRCLE: `ra dec radius`.
pub fn circle_value(name: &str, value: &str) -> Result<Shape, ValueError> {
    circle(name, value, &numbers(name, value)?)
}

/// SODA's POLYGON: `ra1 dec1 ra2 dec2 ra3 dec3 ...`.
pub fn polygon_value(name: &str, value: &str) -> Result<Shape, ValueError> {
    polygon(name, value, &numbers(name, value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(
            pos("POS", "circle 10 20 0.5").unwrap(),
            Shape::Circle {
                ra: 10.0,
                dec: 20.0,
                radius: 0.5
            }
        );
        assert_eq!(
            pos("POS", "RANGE 10 20 -Inf +Inf").unwrap(),
            Shape::Range {
                ra: (10.0, 20.0),
                dec: (-90.0, 90.0)
            }
        );
        assert_eq!(
            polygon_value("POLYGON", "1 1 2 1 2 2").unwrap(),
            Shape::Polygon(vec![(1.0, 1.0), (2.0, 1.0), (2.0, 2.0)])
        );
        assert!(pos("POS", "CIRCLE 10 20")
            .unwrap_err()
            .0
            .contains("CIRCLE takes ra dec radius"));
        assert!(pos("POS", "CIRCLE 400 0 1")
            .unwrap_err()
            .0
            .contains("RA 0..360"));
        assert!(pos("POS", "CIRCLE 10 0 0")
            .unwrap_err()
            .0
            .contains("radius"));
        assert!(pos("POS", "BOX 1 2 3 4")
            .unwrap_err()
            .0
            .contains("CIRCLE, RANGE or POLYGON"));
        assert!(pos("POS", "RANGE 20 10 0 1")
            .unwrap_err()
            .0
            .contains("ra1 <= ra2"));
        assert!(pos("POS", "CIRCLE 10 0 120")
            .unwrap_err()
            .0
            .contains("at most 90 degrees"));
        let huge: Vec<String> = (0..40_000).map(|i| format!("{} 1", i % 360)).collect();
        let e = polygon_value("POLYGON", &huge.join(" ")).unwrap_err().0;
        assert!(
            e.contains("at most 256 vertices, this one has 40000"),
            "{e}"
        );
        assert!(e.len() < 300, "the message quotes the value shortened: {e}");
        assert!(circle_value("CIRCLE", "1 2 x")
            .unwrap_err()
            .0
            .contains("'x' is not a number"));
    }

    #[test]
    fn shapes_are_written_as_dali_reads_them() {
        for text in [
            "CIRCLE 10 10 0.01",
            "RANGE 10 20 -90 90",
            "POLYGON 1 2 3.5 -4 5 6",
        ] {
            let shape = pos("POS", text).unwrap();
            assert_eq!(shape.to_string(), text);
            assert_eq!(pos("POS", &shape.to_string()).unwrap(), shape);
        }
        assert_eq!(Number(f64::INFINITY).to_string(), "+Inf");
        assert_eq!(Number(f64::NEG_INFINITY).to_string(), "-Inf");
        assert_eq!(Number(0.001).to_string(), "0.001");
    }
}
