//! A shape as geometry: whether a point lies inside, and its boundary as parametrised
//! curves that a caller (the cutout planner) samples as finely as it needs.

use crate::sphere::{angular_distance_deg, cross, dot, normalised, to_radec, unit_vector, Vec3};
use crate::Shape;

/// A checked shape, prepared for point tests and boundary tracing.
#[derive(Debug, Clone)]
pub enum Area {
    WholeSky,
    Circle {
        centre: (f64, f64),
        radius: f64,
    },
    /// RA from `ra_min` over `ra_span` degrees eastwards (360 = all RA), Dec in between.
    Range {
        ra_min: f64,
        ra_span: f64,
        dec_min: f64,
        dec_max: f64,
    },
    Polygon(SphericalPolygon),
}

/// A boundary piece, traced by [`Curve::point`] as t goes from 0 to 1.
#[derive(Debug, Clone)]
pub enum Curve {
    /// A whole circle of `radius` degrees around `centre`.
    Circle { centre: (f64, f64), radius: f64 },
    /// The shorter great-circle arc from `from` to `to`.
    GreatArc { from: Vec3, to: Vec3 },
    /// Constant declination, RA from `ra` over `span` degrees.
    Parallel { dec: f64, ra: f64, span: f64 },
    /// Constant RA, Dec from `from` to `to` (may run pole to pole).
    Meridian { ra: f64, from: f64, to: f64 },
}

impl Area {
    /// The shape's area, or why it is not one (the message starts with the shape in DALI's
    /// form).
    pub fn new(shape: &Shape) -> Result<Area, String> {
        let usage = |message: String| Err(format!("{shape}: {message}"));
        match shape {
            Shape::Circle { ra, dec, radius } => {
                if !ra.is_finite() || !dec.is_finite() || dec.abs() > 90.0 {
                    return usage("the centre must be finite with Dec within ±90°".into());
                }
                if radius.is_nan() || *radius <= 0.0 {
                    return usage("the radius must be a positive number of degrees".into());
                }
                if *radius >= 180.0 {
                    return Ok(Area::WholeSky);
                }
                Ok(Area::Circle {
                    centre: (*ra, *dec),
                    radius: *radius,
                })
            }
            Shape::Range {
                ra: (ra_min, ra_max),
                dec: (dec_min, dec_max),
            } => {
                if [ra_min, ra_max, dec_min, dec_max]
                    .iter()
                    .any(|v| v.is_nan())
                {
                    return usage("the bounds must be numbers (±Inf for unbounded)".into());
                }
                let (dec_min, dec_max) = (dec_min.max(-90.0), dec_max.min(90.0));
                if dec_min > dec_max {
                    return usage("the Dec bounds are reversed or outside ±90°".into());
                }
                let unbounded = ra_min.is_infinite() || ra_max.is_infinite();
                let ra_span = if unbounded {
                    360.0
                } else {
                    crate::model::range_span((*ra_min, *ra_max))
                };
                if ra_span >= 360.0 && dec_min <= -90.0 && dec_max >= 90.0 {
                    return Ok(Area::WholeSky);
                }
                Ok(Area::Range {
                    ra_min: if ra_min.is_finite() { *ra_min } else { 0.0 },
                    ra_span,
                    dec_min,
                    dec_max,
                })
            }
            Shape::Polygon(vertices) => SphericalPolygon::new(vertices)
                .map(Area::Polygon)
                .or_else(usage),
        }
    }

    /// Whether the point (RA, Dec in degrees) lies inside.
    pub fn contains(&self, ra: f64, dec: f64) -> bool {
        match self {
            Area::WholeSky => true,
            Area::Circle { centre, radius } => {
                angular_distance_deg(centre.0, centre.1, ra, dec) <= *radius
            }
            Area::Range {
                ra_min,
                ra_span,
                dec_min,
                dec_max,
            } => {
                (*dec_min..=*dec_max).contains(&dec)
                    && (*ra_span >= 360.0 || (ra - ra_min).rem_euclid(360.0) <= *ra_span)
            }
            Area::Polygon(polygon) => polygon.contains(unit_vector(ra, dec)),
        }
    }

    /// The region's boundary; empty for the whole sky.
    pub fn boundary(&self) -> Vec<Curve> {
        match self {
            Area::WholeSky => Vec::new(),
            Area::Circle { centre, radius } => vec![Curve::Circle {
                centre: *centre,
                radius: *radius,
            }],
            Area::Range {
                ra_min,
                ra_span,
                dec_min,
                dec_max,
            } => {
                let parallel = |dec: f64| Curve::Parallel {
                    dec,
                    ra: *ra_min,
                    span: *ra_span,
                };
                let mut curves = vec![parallel(*dec_min), parallel(*dec_max)];
                if *ra_span < 360.0 {
                    for ra in [*ra_min, ra_min + ra_span] {
                        curves.push(Curve::Meridian {
                            ra,
                            from: *dec_min,
                            to: *dec_max,
                        });
                    }
                }
                curves
            }
            Area::Polygon(polygon) => {
                let v = &polygon.vertices;
                (0..v.len())
                    .map(|i| Curve::GreatArc {
                        from: v[i],
                        to: v[(i + 1) % v.len()],
                    })
                    .collect()
            }
        }
    }
}

impl Curve {
    /// The point (RA, Dec) at parameter `t` in 0..=1.
    pub fn point(&self, t: f64) -> (f64, f64) {
        match self {
            Curve::Circle { centre, radius } => {
                let bearing = std::f64::consts::TAU * t;
                destination(*centre, *radius, bearing)
            }
            Curve::GreatArc { from, to } => to_radec(slerp(*from, *to, t)),
            Curve::Parallel { dec, ra, span } => ((ra + span * t).rem_euclid(360.0), *dec),
            Curve::Meridian { ra, from, to } => (ra.rem_euclid(360.0), from + (to - from) * t),
        }
    }
}

/// The point `distance` degrees from `start` along the initial `bearing` (radians, from
/// north through east).
fn destination(start: (f64, f64), distance: f64, bearing: f64) -> (f64, f64) {
    let (ra0, dec0) = (start.0.to_radians(), start.1.to_radians());
    let d = distance.to_radians();
    let sin_dec = dec0.sin() * d.cos() + dec0.cos() * d.sin() * bearing.cos();
    let dec = sin_dec.clamp(-1.0, 1.0).asin();
    let ra = ra0 + (bearing.sin() * d.sin() * dec0.cos()).atan2(d.cos() - dec0.sin() * sin_dec);
    (ra.to_degrees().rem_euclid(360.0), dec.to_degrees())
}

/// Spherical linear interpolation between unit vectors (not antipodal).
fn slerp(a: Vec3, b: Vec3, t: f64) -> Vec3 {
    let angle = dot(a, b).clamp(-1.0, 1.0).acos();
    if angle < 1e-12 {
        return a;
    }
    let (wa, wb) = (
        ((1.0 - t) * angle).sin() / angle.sin(),
        (t * angle).sin() / angle.sin(),
    );
    [
        wa * a[0] + wb * b[0],
        wa * a[1] + wb * b[1],
        wa * a[2] + wb * b[2],
    ]
}

/// A polygon with great-circle edges, smaller than a hemisphere. Inside tests use the
/// gnomonic projection about the vertices' mean direction, where great circles are straight
/// lines, so the planar crossing test is exact.
#[derive(Debug, Clone)]
pub struct SphericalPolygon {
    vertices: Vec<Vec3>,
    centre: Vec3,
    east: Vec3,
    north: Vec3,
    plane: Vec<(f64, f64)>,
}

impl SphericalPolygon {
    fn new(vertices: &[(f64, f64)]) -> Result<SphericalPolygon, String> {
        if vertices.len() < 3 {
            return Err(format!(
                "a polygon needs at least 3 vertices, found {}",
                vertices.len()
            ));
        }
        if vertices
            .iter()
            .any(|(ra, dec)| !ra.is_finite() || !dec.is_finite() || dec.abs() > 90.0)
        {
            return Err("every vertex must be finite with Dec within ±90°".into());
        }
        let vertices: Vec<Vec3> = vertices.iter().map(|&(r, d)| unit_vector(r, d)).collect();
        let sum = vertices
            .iter()
            .fold([0.0; 3], |s, v| [s[0] + v[0], s[1] + v[1], s[2] + v[2]]);
        let too_large = || "the polygon must lie within one hemisphere".to_string();
        let centre = normalised(sum).ok_or_else(too_large)?;
        if vertices.iter().any(|&v| dot(v, centre) <= 1e-9) {
            return Err(too_large());
        }
        let pole = if centre[2].abs() < 0.9 {
            [0.0, 0.0, 1.0]
        } else {
            [1.0, 0.0, 0.0]
        };
        let east = normalised(cross(pole, centre)).ok_or_else(too_large)?;
        let north = cross(centre, east);
        let mut polygon = SphericalPolygon {
            vertices,
            centre,
            east,
            north,
            plane: Vec::new(),
        };
        polygon.plane = polygon
            .vertices
            .iter()
            .map(|&v| polygon.project(v))
            .collect();
        Ok(polygon)
    }

    fn project(&self, v: Vec3) -> (f64, f64) {
        let z = dot(v, self.centre);
        (dot(v, self.east) / z, dot(v, self.north) / z)
    }

    fn contains(&self, v: Vec3) -> bool {
        if dot(v, self.centre) <= 0.0 {
            return false;
        }
        let (x, y) = self.project(v);
        let mut inside = false;
        let n = self.plane.len();
        for i in 0..n {
            let (xi, yi) = self.plane[i];
            let (xj, yj) = self.plane[(i + n - 1) % n];
            if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                inside = !inside;
            }
        }
        inside
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(shape: Shape) -> Area {
        Area::new(&shape).unwrap()
    }

    #[test]
    fn circle_boundary_lies_at_the_radius() {
        let circle = Curve::Circle {
            centre: (204.25, -29.86),
            radius: 0.5,
        };
        for i in 0..16 {
            let (ra, dec) = circle.point(i as f64 / 16.0);
            let d = angular_distance_deg(204.25, -29.86, ra, dec);
            assert!((d - 0.5).abs() < 1e-9, "{d}");
        }
    }

    #[test]
    fn polygon_contains_its_interior_only() {
        let square = region(Shape::Polygon(vec![
            (359.0, -1.0),
            (1.0, -1.0),
            (1.0, 1.0),
            (359.0, 1.0),
        ]));
        assert!(square.contains(0.0, 0.0));
        assert!(square.contains(0.9, 0.9));
        assert!(!square.contains(2.0, 0.0));
        assert!(!square.contains(180.0, 0.0), "antipode is outside");
    }

    #[test]
    fn range_wraps_through_zero_and_clamps_infinite_bounds() {
        let range = region(Shape::Range {
            ra: (350.0, 10.0),
            dec: (f64::NEG_INFINITY, 0.0),
        });
        assert!(range.contains(355.0, -89.0));
        assert!(range.contains(5.0, -10.0));
        assert!(!range.contains(20.0, -10.0));
        assert!(!range.contains(5.0, 1.0));
        let everything = region(Shape::Range {
            ra: (f64::NEG_INFINITY, f64::INFINITY),
            dec: (-90.0, 90.0),
        });
        assert!(matches!(everything, Area::WholeSky));
    }

    #[test]
    fn malformed_shapes_are_refused_naming_the_shape() {
        let cases = [
            Shape::Circle {
                ra: 10.0,
                dec: 95.0,
                radius: 1.0,
            },
            Shape::Circle {
                ra: 10.0,
                dec: 5.0,
                radius: -1.0,
            },
            Shape::Range {
                ra: (0.0, 1.0),
                dec: (5.0, 4.0),
            },
            Shape::Polygon(vec![(0.0, 0.0), (1.0, 1.0)]),
            Shape::Polygon(vec![(0.0, 0.0), (120.0, 0.0), (240.0, 0.0)]),
        ];
        for shape in cases {
            match Area::new(&shape) {
                Err(message) => assert!(message.starts_with(&shape.to_string()), "{message}"),
                other => panic!("{shape}: {other:?}"),
            }
        }
    }
}
