//! The region model: what an `s_region` value means, independent of its text form.

/// One closed shape on the sky, coordinates in ICRS degrees.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Circle {
        ra: f64,
        dec: f64,
        radius: f64,
    },
    /// Vertices in order; the edge from the last back to the first closes it.
    Polygon(Vec<(f64, f64)>),
}

/// An outer shape minus the holes cut out of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub outer: Shape,
    pub holes: Vec<Shape>,
}

/// A union of pieces (one piece for a plain circle or polygon).
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub pieces: Vec<Piece>,
}

impl Shape {
    /// The points that describe the shape's extent: polygon vertices, or for a circle its
    /// centre (callers add the radius).
    pub fn vertices(&self) -> Vec<(f64, f64)> {
        match self {
            Shape::Circle { ra, dec, .. } => vec![(*ra, *dec)],
            Shape::Polygon(v) => v.clone(),
        }
    }
}

impl Region {
    pub fn single(shape: Shape) -> Self {
        Region {
            pieces: vec![Piece {
                outer: shape,
                holes: Vec::new(),
            }],
        }
    }

    /// Every outer shape, in order (holes excluded).
    pub fn outers(&self) -> impl Iterator<Item = &Shape> {
        self.pieces.iter().map(|p| &p.outer)
    }
}

impl Region {
    /// A circle (ra, dec, radius in degrees) containing the whole region.
    pub fn bounding_circle(&self) -> (f64, f64, f64) {
        let extent: Vec<(f64, f64, f64)> = self
            .outers()
            .flat_map(|shape| match shape {
                Shape::Circle { ra, dec, radius } => vec![(*ra, *dec, *radius)],
                Shape::Polygon(v) => v.iter().map(|&(ra, dec)| (ra, dec, 0.0)).collect(),
            })
            .collect();
        crate::sphere::bounding_circle(&extent).expect("a parsed region has at least one shape")
    }
}
