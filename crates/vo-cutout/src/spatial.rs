//! The pixel box a sky region covers on the image: the bounding box of the region's part
//! inside the image. That part's outline consists of pieces of the region's boundary inside
//! the image and pieces of the image's edges inside the region, so its box is spanned by
//! the boundary (divided near the image until projected chords follow it to a twentieth of
//! a pixel, then clipped to the image) and by the image corners that lie in the region.

use crate::plan::AxisCut;
use vo_fits::CelestialWcs;
use vo_region::{angular_distance_deg, bounding_circle};
use vo_region::{Area, Curve};

/// (RA, Dec) in degrees.
type Sky = (f64, f64);
/// 1-based pixel coordinates (x, y).
type Pixel = (f64, f64);

/// Boundary samples per curve before refinement.
const INITIAL_SEGMENTS: usize = 256;
/// How far (pixels) a chord may stray from the boundary it stands for.
const SAGITTA: f64 = 0.05;
/// Tolerance (pixels) so that rounding does not add a pixel at an exact pixel edge.
const EDGE_TOLERANCE: f64 = 1e-6;

/// The image's outline: pixel edges at 0.5 and n + 0.5 (1-based pixel coordinates).
struct Frame {
    width: f64,
    height: f64,
}

impl Frame {
    fn corners(&self) -> [Pixel; 4] {
        let (x1, y1) = (self.width + 0.5, self.height + 0.5);
        [(0.5, 0.5), (x1, 0.5), (x1, y1), (0.5, y1)]
    }

    /// The part of segment a→b inside the frame (Liang–Barsky).
    fn clip(&self, a: Pixel, b: Pixel) -> Option<(Pixel, Pixel)> {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, a.0 - 0.5),
            (dx, self.width + 0.5 - a.0),
            (-dy, a.1 - 0.5),
            (dy, self.height + 0.5 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else if p < 0.0 {
                t0 = t0.max(q / p);
            } else {
                t1 = t1.min(q / p);
            }
        }
        (t0 <= t1).then_some((
            (a.0 + t0 * dx, a.1 + t0 * dy),
            (a.0 + t1 * dx, a.1 + t1 * dy),
        ))
    }
}

/// The pixels along the two celestial axes that the region touches, or `None` when the
/// region misses the image. Errors when the image's corners cannot be placed on the sky.
pub(crate) fn pixel_box(
    wcs: &CelestialWcs,
    width: usize,
    height: usize,
    region: &Area,
) -> Result<Option<(AxisCut, AxisCut)>, String> {
    let frame = Frame {
        width: width as f64,
        height: height as f64,
    };
    let corners: Vec<(Pixel, Sky)> = frame
        .corners()
        .iter()
        .map(|&p| wcs.pixel_to_world(p.0, p.1).map(|w| (p, w)))
        .collect::<Option<_>>()
        .ok_or("the image's corners lie outside its projection, so a sky region cannot be placed on it")?;
    let sky: Vec<(f64, f64, f64)> = corners.iter().map(|(_, w)| (w.0, w.1, 0.0)).collect();
    let (ra, dec, radius) = bounding_circle(&sky).ok_or("the image has no corners")?;
    let pixel = wcs.cdelt.0.abs().min(wcs.cdelt.1.abs());
    let image = Neighbourhood {
        centre: (ra, dec),
        radius: radius + pixel,
        resolution: pixel / 2.0,
    };

    let mut points: Vec<Pixel> = corners
        .iter()
        .filter(|(_, w)| region.contains(w.0, w.1))
        .map(|(p, _)| *p)
        .collect();
    for curve in region.boundary() {
        for (a, b) in image.pixel_chords(&curve, wcs) {
            if let Some((a, b)) = frame.clip(a, b) {
                points.extend([a, b]);
            }
        }
    }
    if points.is_empty() {
        return Ok(None);
    }
    let (xs, ys): (Vec<f64>, Vec<f64>) = points.into_iter().unzip();
    Ok(Some((touched(&xs, width), touched(&ys, height))))
}

/// The pixels (pixel i spans i − 0.5 .. i + 0.5) that the span of `coordinates` overlaps.
fn touched(coordinates: &[f64], n: usize) -> AxisCut {
    let lo = coordinates.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = coordinates
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let n_f = n as f64;
    let first = ((lo - 0.5 + EDGE_TOLERANCE).floor() + 1.0).clamp(1.0, n_f);
    let last = ((hi + 0.5 - EDGE_TOLERANCE).ceil() - 1.0).clamp(first, n_f);
    AxisCut {
        start: first as usize - 1,
        len: (last - first) as usize + 1,
        step: 1,
    }
}

/// The stretch of a curve between parameters `t0` and `t1`, whose ends are `a` and `b`.
struct Piece {
    t0: f64,
    t1: f64,
    a: Sky,
    b: Sky,
}

/// The sky around the image, where a boundary is traced finely.
struct Neighbourhood {
    centre: Sky,
    radius: f64,
    /// Chord length (degrees) below which a boundary piece is not divided further.
    resolution: f64,
}

impl Neighbourhood {
    fn distance(&self, p: Sky) -> f64 {
        angular_distance_deg(self.centre.0, self.centre.1, p.0, p.1)
    }

    /// Pixel-space chords that follow the parts of `curve` near the image to within
    /// [`SAGITTA`] pixels; parts far from the image are dropped.
    fn pixel_chords(&self, curve: &Curve, wcs: &CelestialWcs) -> Vec<(Pixel, Pixel)> {
        let piece = |t0: f64, t1: f64, a: Sky, b: Sky| Piece { t0, t1, a, b };
        let mut stack: Vec<Piece> = (0..INITIAL_SEGMENTS)
            .map(|i| {
                let (t0, t1) = (
                    i as f64 / INITIAL_SEGMENTS as f64,
                    (i + 1) as f64 / INITIAL_SEGMENTS as f64,
                );
                piece(t0, t1, curve.point(t0), curve.point(t1))
            })
            .collect();
        let project = |p: Sky| wcs.world_to_pixel(p.0, p.1);
        let mut chords = Vec::new();
        while let Some(Piece { t0, t1, a, b }) = stack.pop() {
            let length = angular_distance_deg(a.0, a.1, b.0, b.1);
            let nearest = self.distance(a).min(self.distance(b));
            if !length.is_finite() || !nearest.is_finite() || nearest > self.radius + 2.0 * length {
                continue;
            }
            let tm = 0.5 * (t0 + t1);
            let m = curve.point(tm);
            let finest = length <= self.resolution || t1 - t0 < 1e-12;
            match (project(a), project(b), project(m)) {
                (Some(pa), Some(pb), Some(pm)) if finest || sagitta(pa, pb, pm) <= SAGITTA => {
                    chords.push((pa, pb));
                    continue;
                }
                // not projectable even at the finest scale: not on the image's side of the sky
                _ if finest => continue,
                _ => {}
            }
            stack.push(piece(t0, tm, a, m));
            stack.push(piece(tm, t1, m, b));
        }
        chords
    }
}

/// How far the curve's midpoint `m` lies from the chord a→b's midpoint, pixels.
fn sagitta(a: Pixel, b: Pixel, m: Pixel) -> f64 {
    let (cx, cy) = (0.5 * (a.0 + b.0), 0.5 * (a.1 + b.1));
    (m.0 - cx).hypot(m.1 - cy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vo_fits::Projection;
    use vo_region::Shape;

    fn wcs() -> CelestialWcs {
        CelestialWcs {
            projection: Projection::Sin,
            crval: (68.23, 25.34),
            crpix: (50.5, 50.5),
            cdelt: (-1e-4, 1e-4),
            pc: None,
        }
    }

    fn cut(spatial: Shape) -> Option<(AxisCut, AxisCut)> {
        pixel_box(&wcs(), 100, 80, &Area::new(&spatial).unwrap()).unwrap()
    }

    #[test]
    fn a_circle_around_a_pixel_edge_keeps_the_pixels_it_touches() {
        let (ra, dec) = wcs().pixel_to_world(40.5, 30.5).unwrap();
        let (x, y) = cut(Shape::Circle {
            ra,
            dec,
            radius: 9.9e-4,
        })
        .unwrap();
        // 9.9 pixels either side of the edge between pixels 40 and 41 (0-based 39 and 40)
        assert_eq!((x.start, x.len), (30, 20));
        assert_eq!((y.start, y.len), (20, 20));
    }

    #[test]
    fn a_region_enclosing_the_image_keeps_it_whole() {
        for spatial in [
            // boundary partly on the far hemisphere, where it cannot be projected
            Shape::Circle {
                ra: 68.23,
                dec: 25.34,
                radius: 120.0,
            },
            // centred 129° away, radius 170°
            Shape::Circle {
                ra: 248.23,
                dec: 25.34,
                radius: 170.0,
            },
            // all but a 0.001° hole at the image centre (the antipode is the centre)
            Shape::Circle {
                ra: 248.23,
                dec: -25.34,
                radius: 179.999,
            },
            Shape::Range {
                ra: (0.0, 360.0),
                dec: (0.0, 90.0),
            },
        ] {
            let (x, y) = cut(spatial.clone()).unwrap_or_else(|| panic!("{spatial}"));
            assert_eq!(
                (x.start, x.len, y.start, y.len),
                (0, 100, 0, 80),
                "{spatial}"
            );
        }
    }

    #[test]
    fn regions_missing_the_image_give_none() {
        for spatial in [
            Shape::Circle {
                ra: 10.0,
                dec: 10.0,
                radius: 0.01,
            },
            // all but a 1° cap around the image: its boundary rings the image
            Shape::Circle {
                ra: 248.23,
                dec: -25.34,
                radius: 179.0,
            },
            Shape::Polygon(vec![(68.0, 25.0), (68.1, 25.0), (68.1, 25.1)]),
            Shape::Range {
                ra: (68.3, 68.4),
                dec: (-90.0, 90.0),
            },
        ] {
            assert!(cut(spatial.clone()).is_none(), "{spatial}");
        }
    }

    #[test]
    fn a_polygon_crossing_a_corner_keeps_the_corner_pixels() {
        // a triangle whose vertices all lie outside the image but which covers its corner
        // at pixel (1, 1)
        let w = wcs();
        let vertex = |x: f64, y: f64| w.pixel_to_world(x, y).unwrap();
        let (x, y) = cut(Shape::Polygon(vec![
            vertex(-20.0, -20.0),
            vertex(30.2, -20.0),
            vertex(-20.0, 30.2),
        ]))
        .unwrap();
        // the hypotenuse x + y = 10.2 crosses the bottom edge y = 0.5 at x = 9.7
        assert_eq!((x.start, x.len), (0, 10));
        assert_eq!((y.start, y.len), (0, 10));
    }

    /// The box from testing a fine grid of points (every 0.1 pixel) for membership.
    fn brute_force(region: &Area) -> Option<(AxisCut, AxisCut)> {
        let w = wcs();
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for i in 0..=1000 {
            for j in 0..=800 {
                let (x, y) = (0.5 + i as f64 * 0.1, 0.5 + j as f64 * 0.1);
                let (ra, dec) = w.pixel_to_world(x, y).unwrap();
                if region.contains(ra, dec) {
                    xs.push(x);
                    ys.push(y);
                }
            }
        }
        (!xs.is_empty()).then(|| (touched(&xs, 100), touched(&ys, 80)))
    }

    #[test]
    fn boxes_agree_with_a_brute_force_search() {
        let w = wcs();
        let at = |x: f64, y: f64| w.pixel_to_world(x, y).unwrap();
        let (c1, c2, c3) = (at(30.3, 20.2), at(-40.0, 95.0), at(99.0, 1.0));
        let regions = [
            Shape::Circle {
                ra: c1.0,
                dec: c1.1,
                radius: 0.0017,
            },
            Shape::Circle {
                ra: c2.0,
                dec: c2.1,
                radius: 0.0081,
            },
            Shape::Circle {
                ra: c3.0,
                dec: c3.1,
                radius: 0.00033,
            },
            Shape::Polygon(vec![at(10.2, -30.0), at(130.0, 40.3), at(45.6, 60.7)]),
            Shape::Polygon(vec![at(-5.0, 70.2), at(20.4, 120.0), at(-30.0, 100.0)]),
            Shape::Range {
                ra: (at(77.7, 1.0).0, at(12.2, 1.0).0),
                dec: (at(1.0, 33.3).1, at(1.0, 200.0).1),
            },
        ];
        for spatial in regions {
            let region = Area::new(&spatial).unwrap();
            let expected = brute_force(&region).map(|(x, y)| (x.start, x.len, y.start, y.len));
            let found = pixel_box(&w, 100, 80, &region)
                .unwrap()
                .map(|(x, y)| (x.start, x.len, y.start, y.len));
            assert_eq!(found, expected, "{spatial}");
        }
    }
}
