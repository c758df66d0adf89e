//! pgSphere text literals (degrees with the `d` suffix), used when loading the indexed
//! representation of regions through COPY and writing constant shapes into SQL.

use crate::Shape;

pub fn pg_point(ra: f64, dec: f64) -> String {
    format!("({ra}d,{dec}d)")
}

pub fn pg_circle(ra: f64, dec: f64, radius: f64) -> String {
    format!("<({ra}d,{dec}d),{radius}d>")
}

pub fn pg_polygon(vertices: &[(f64, f64)]) -> String {
    let inner: Vec<String> = vertices
        .iter()
        .map(|&(ra, dec)| pg_point(ra, dec))
        .collect();
    format!("{{{}}}", inner.join(","))
}

/// An RA/Dec box from its south-west to its north-east corner (through RA 0 when
/// `ra.0 > ra.1`).
pub fn pg_box(ra: (f64, f64), dec: (f64, f64)) -> String {
    format!("({},{})", pg_point(ra.0, dec.0), pg_point(ra.1, dec.1))
}

/// A shape's pgSphere literal and the type that reads it (`scircle`, `sbox`, `spoly`).
pub fn pg_shape(shape: &Shape) -> (String, &'static str) {
    match shape {
        Shape::Circle { ra, dec, radius } => (pg_circle(*ra, *dec, *radius), "scircle"),
        Shape::Range { ra, dec } => (pg_box(*ra, *dec), "sbox"),
        Shape::Polygon(vertices) => (pg_polygon(vertices), "spoly"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_use_degree_suffix() {
        assert_eq!(pg_point(1.5, -2.0), "(1.5d,-2d)");
        assert_eq!(pg_circle(10.0, 20.0, 0.5), "<(10d,20d),0.5d>");
        assert_eq!(
            pg_polygon(&[(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]),
            "{(0d,0d),(1d,0d),(0d,1d)}"
        );
        let range = Shape::Range {
            ra: (350.0, 10.0),
            dec: (-5.0, 5.0),
        };
        assert_eq!(
            pg_shape(&range),
            ("((350d,-5d),(10d,5d))".to_string(), "sbox")
        );
    }
}
