//! The region model: what an `s_region` value means, independent of its text form.

/// One closed shape on the sky, coordinates in ICRS degrees.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Circle {
        ra: f64,
        dec: f64,
        radius: f64,
    },
    /// RA from `ra.0` eastwards to `ra.1` (through 0 when `ra.0 > ra.1`), Dec from `dec.0`
    /// to `dec.1`: DALI's `RANGE`, ADQL's `RANGE_S2D`, pgSphere's `sbox`. Its Dec edges
    /// are parallels, not great circles.
    Range {
        ra: (f64, f64),
        dec: (f64, f64),
    },
    /// Vertices in order, joined by great-circle arcs; the edge from the last back to the
    /// first closes it.
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
    /// The points that describe the shape's extent: polygon vertices, a range's corners
    /// and the points of its parallels at most a degree apart, or for a circle its centre
    /// (callers add the radius).
    pub fn vertices(&self) -> Vec<(f64, f64)> {
        match self {
            Shape::Circle { ra, dec, .. } => vec![(*ra, *dec)],
            Shape::Range { ra, dec } => {
                let span = range_span(*ra);
                let steps = span.ceil().max(1.0) as usize;
                let mut points = Vec::with_capacity(2 * (steps + 1));
                for d in [dec.0, dec.1] {
                    for i in 0..=steps {
                        let along = ra.0 + span * i as f64 / steps as f64;
                        points.push((along.rem_euclid(360.0), d));
                    }
                }
                points
            }
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
                other => other
                    .vertices()
                    .into_iter()
                    .map(|(ra, dec)| (ra, dec, 0.0))
                    .collect(),
            })
            .collect();
        crate::sphere::bounding_circle(&extent).expect("a parsed region has at least one shape")
    }
}

/// How many degrees of RA a range covers eastwards from its first to its second bound.
pub(crate) fn range_span(ra: (f64, f64)) -> f64 {
    if ra.1 - ra.0 >= 360.0 {
        360.0
    } else {
        (ra.1 - ra.0).rem_euclid(360.0)
    }
}
