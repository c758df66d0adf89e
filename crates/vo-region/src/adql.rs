//! A shape as an ADQL geometry expression, for services that turn their parameters into
//! ADQL (SIA2's POS): `CIRCLE('ICRS', …)`, `RANGE_S2D(…)`, `POLYGON('ICRS', …)`.

use crate::Shape;

/// A finite number as an ADQL literal that reads back to the same `f64`.
pub fn adql_number(v: f64) -> String {
    format!("{v:?}")
}

impl Shape {
    /// The shape as an ADQL geometry in ICRS degrees.
    pub fn adql(&self) -> String {
        match self {
            Shape::Circle { ra, dec, radius } => format!(
                "CIRCLE('ICRS', {}, {}, {})",
                adql_number(*ra),
                adql_number(*dec),
                adql_number(*radius)
            ),
            Shape::Range { ra, dec } => format!(
                "RANGE_S2D({}, {}, {}, {})",
                adql_number(ra.0),
                adql_number(ra.1),
                adql_number(dec.0),
                adql_number(dec.1)
            ),
            Shape::Polygon(vertices) => {
                let list: Vec<String> = vertices
                    .iter()
                    .flat_map(|(ra, dec)| [adql_number(*ra), adql_number(*dec)])
                    .collect();
                format!("POLYGON('ICRS', {})", list.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_become_adql_geometries() {
        let circle = Shape::Circle {
            ra: 10.0,
            dec: -20.5,
            radius: 0.1,
        };
        assert_eq!(circle.adql(), "CIRCLE('ICRS', 10.0, -20.5, 0.1)");
        let range = Shape::Range {
            ra: (0.0, 20.0),
            dec: (20.0, 90.0),
        };
        assert_eq!(range.adql(), "RANGE_S2D(0.0, 20.0, 20.0, 90.0)");
        let polygon = Shape::Polygon(vec![(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)]);
        assert_eq!(
            polygon.adql(),
            "POLYGON('ICRS', 1.0, 2.0, 3.0, 4.0, 5.0, 6.0)"
        );
    }
}
