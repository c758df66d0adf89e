//! The largest shapes a request may describe, one definition for every way a shape arrives
//! (ADQL, SIA2 POS, SODA CIRCLE/POLYGON/POS, uploaded tables): pgSphere's largest circle,
//! and a cap on polygon vertices that keeps each pgSphere call short — building a polygon
//! costs time quadratic in its vertices inside one function call that does not see a
//! cancellation (40,000 vertices took minutes), so without a cap a single request could pin
//! a database backend past every time limit.

use crate::{Region, Shape};

/// pgSphere's largest circle, degrees.
pub const MAX_CIRCLE_RADIUS_DEG: f64 = 90.0;

/// The most vertices a polygon in a request may have (pgSphere builds one this size in about
/// 60 ms on a 2-core server).
pub const MAX_POLYGON_VERTICES: usize = 256;

/// The most shapes (outer pieces and holes) a region in a request may have.
pub const MAX_REGION_SHAPES: usize = 64;

/// Why a radius cannot be a circle's, or `None`.
pub fn radius_problem(radius: f64) -> Option<String> {
    (!(radius > 0.0 && radius <= MAX_CIRCLE_RADIUS_DEG)).then(|| {
        format!(
            "a circle's radius must be above 0 and at most {MAX_CIRCLE_RADIUS_DEG} degrees \
             (the largest circle the database can hold), not {radius}"
        )
    })
}

/// Why a polygon of `vertices` vertices is too large for a request, or `None`.
pub fn vertices_problem(vertices: usize) -> Option<String> {
    (vertices > MAX_POLYGON_VERTICES).then(|| {
        format!(
            "a polygon may have at most {MAX_POLYGON_VERTICES} vertices, this one has {vertices}"
        )
    })
}

impl Shape {
    /// Why this shape is too large for a request, or `None`.
    pub fn request_problem(&self) -> Option<String> {
        match self {
            Shape::Circle { radius, .. } => radius_problem(*radius),
            Shape::Polygon(v) => vertices_problem(v.len()),
            // a range is four numbers: pgSphere's box costs what a point does
            Shape::Range { .. } => None,
        }
    }
}

impl Region {
    /// Why this region is too large for a request, or `None`.
    pub fn request_problem(&self) -> Option<String> {
        let shapes: usize = self.pieces.iter().map(|p| 1 + p.holes.len()).sum();
        if shapes > MAX_REGION_SHAPES {
            return Some(format!(
                "a region may have at most {MAX_REGION_SHAPES} shapes (pieces and holes), this one has {shapes}"
            ));
        }
        self.pieces
            .iter()
            .flat_map(|p| std::iter::once(&p.outer).chain(&p.holes))
            .find_map(Shape::request_problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_name_the_limit_and_the_value() {
        assert!(radius_problem(90.0).is_none());
        assert!(radius_problem(90.5).unwrap().contains("at most 90 degrees"));
        assert!(radius_problem(0.0).is_some());
        assert!(radius_problem(f64::NAN).is_some());
        assert!(vertices_problem(256).is_none());
        assert_eq!(
            vertices_problem(40_000).unwrap(),
            "a polygon may have at most 256 vertices, this one has 40000"
        );
        let square = Shape::Polygon(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]);
        let many = Region {
            pieces: vec![
                crate::Piece {
                    outer: square.clone(),
                    holes: Vec::new()
                };
                65
            ],
        };
        assert!(many
            .request_problem()
            .unwrap()
            .contains("at most 64 shapes"));
        assert!(Region::single(square).request_problem().is_none());
    }
}
