//! pgSphere text literals (degrees with the `d` suffix), used when loading the indexed
//! representation of regions through COPY.

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
    }
}
