//! Spherical geometry helpers in degrees.

pub type Vec3 = [f64; 3];

pub fn unit_vector(ra_deg: f64, dec_deg: f64) -> Vec3 {
    let (ra, dec) = (ra_deg.to_radians(), dec_deg.to_radians());
    [dec.cos() * ra.cos(), dec.cos() * ra.sin(), dec.sin()]
}

/// The direction of a (not necessarily unit) vector, as (RA, Dec) in degrees.
pub fn to_radec(v: Vec3) -> (f64, f64) {
    let norm = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    let dec = (v[2] / norm).clamp(-1.0, 1.0).asin().to_degrees();
    let ra = v[1].atan2(v[0]).to_degrees().rem_euclid(360.0);
    (ra, dec)
}

pub fn dot(a: Vec3, b: Vec3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

pub fn cross(a: Vec3, b: Vec3) -> Vec3 {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

/// The unit vector along `v`, or `None` for a vector too short to have a direction.
pub fn normalised(v: Vec3) -> Option<Vec3> {
    let norm = dot(v, v).sqrt();
    (norm > 1e-15).then(|| [v[0] / norm, v[1] / norm, v[2] / norm])
}

/// Great-circle distance in degrees (haversine form, accurate at small separations).
pub fn angular_distance_deg(ra1: f64, dec1: f64, ra2: f64, dec2: f64) -> f64 {
    let (d1, d2) = (dec1.to_radians(), dec2.to_radians());
    let dra = (ra2 - ra1).to_radians();
    let ddec = d2 - d1;
    let a = (ddec / 2.0).sin().powi(2) + d1.cos() * d2.cos() * (dra / 2.0).sin().powi(2);
    2.0 * a.sqrt().min(1.0).asin().to_degrees()
}

/// A circle (ra, dec, radius in degrees) containing every point and every circle given as
/// (ra, dec, radius). Centred on the normalised mean direction; not minimal but tight for
/// the small footprints of pointed observations.
pub fn bounding_circle(points: &[(f64, f64, f64)]) -> Option<(f64, f64, f64)> {
    if points.is_empty() {
        return None;
    }
    let mut sum = [0.0; 3];
    for &(ra, dec, _) in points {
        let v = unit_vector(ra, dec);
        for i in 0..3 {
            sum[i] += v[i];
        }
    }
    let (ra, dec) = if sum.iter().all(|c| c.abs() < 1e-12) {
        (points[0].0, points[0].1)
    } else {
        to_radec(sum)
    };
    let radius = points
        .iter()
        .map(|&(pra, pdec, r)| angular_distance_deg(ra, dec, pra, pdec) + r)
        .fold(0.0_f64, f64::max);
    Some((ra, dec, radius))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_matches_known_values() {
        assert!((angular_distance_deg(0.0, 0.0, 90.0, 0.0) - 90.0).abs() < 1e-9);
        assert!((angular_distance_deg(10.0, 89.0, 190.0, 89.0) - 2.0).abs() < 1e-9);
        let tiny = angular_distance_deg(204.0, -29.0, 204.0, -29.0 + 1e-7);
        assert!((tiny - 1e-7).abs() < 1e-12);
    }

    #[test]
    fn bounding_circle_covers_points_across_ra_zero() {
        let pts = [(359.9, 0.0, 0.0), (0.1, 0.0, 0.0), (0.0, 0.1, 0.01)];
        let (ra, dec, r) = bounding_circle(&pts).unwrap();
        for &(pra, pdec, pr) in &pts {
            assert!(angular_distance_deg(ra, dec, pra, pdec) + pr <= r + 1e-12);
        }
        assert!(
            r < 0.2,
            "radius {r} should be small: centre must not wrap to ra=180"
        );
    }
}
