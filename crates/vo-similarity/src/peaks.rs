//! Counting the compact peaks of an image: clumps in a cloud, sources in a field. A peak is
//! the brightest point within a beam of it, stands well above the noise, and rises well
//! above the circle a beam away (so that noise on a smooth slope or plateau is not one), and
//! curves down in every direction (so that a point of a ridge or ring is not one).

/// How many peaks the smoothed, background-subtracted image `x` (x fastest, NaN blank) has
/// whose noise is `sigma`, a beam being `beam` pixels wide (FWHM).
pub(crate) fn count(x: &[f64], width: usize, height: usize, sigma: f64, beam: f64) -> usize {
    const RING: usize = 16;
    let reach = beam.max(2.0);
    let window = reach.ceil() as i64;
    let at = |i: i64, j: i64| -> Option<f64> {
        if i < 0 || j < 0 || i >= width as i64 || j >= height as i64 {
            return None;
        }
        Some(x[j as usize * width + i as usize]).filter(|v| v.is_finite())
    };
    // between pixels: bilinear, blank if any of the four is
    let sample = |px: f64, py: f64| -> Option<f64> {
        let (i0, j0) = (px.floor() as i64, py.floor() as i64);
        let (fx, fy) = (px - i0 as f64, py - j0 as f64);
        Some(
            (at(i0, j0)? * (1.0 - fx) + at(i0 + 1, j0)? * fx) * (1.0 - fy)
                + (at(i0, j0 + 1)? * (1.0 - fx) + at(i0 + 1, j0 + 1)? * fx) * fy,
        )
    };
    let mut found = 0;
    for j in 0..height as i64 {
        'pixel: for i in 0..width as i64 {
            let Some(v) = at(i, j) else { continue };
            if v < 5.0 * sigma {
                continue;
            }
            for dj in -window..=window {
                for di in -window..=window {
                    if (di, dj) != (0, 0) && at(i + di, j + dj).is_some_and(|w| w > v) {
                        continue 'pixel;
                    }
                }
            }
            let (px, py) = (i as f64, j as f64);
            let around: Vec<f64> = (0..RING)
                .filter_map(|k| {
                    let theta = std::f64::consts::TAU * k as f64 / RING as f64;
                    sample(px + reach * theta.cos(), py + reach * theta.sin())
                })
                .collect();
            let mean = around.iter().sum::<f64>() / around.len().max(1) as f64;
            if around.len() == RING
                && v - mean >= 3.0 * sigma
                && round(&sample, (px, py), v, reach / 2.0)
            {
                found += 1;
            }
        }
    }
    found
}

/// Whether the brightness curves down from `(px, py)` in every direction about as much:
/// its second differences `h` pixels long along eight directions all negative, the least at
/// least a quarter of the most (a ridge is flat along itself; an elongated clump, a lobe,
/// curves less along than across, but not nothing).
fn round(sample: &dyn Fn(f64, f64) -> Option<f64>, (px, py): (f64, f64), v: f64, h: f64) -> bool {
    const DIRECTIONS: usize = 8;
    let mut curvatures = [0.0f64; DIRECTIONS];
    for (k, c) in curvatures.iter_mut().enumerate() {
        let theta = std::f64::consts::PI * k as f64 / DIRECTIONS as f64;
        let (dx, dy) = (h * theta.cos(), h * theta.sin());
        let (Some(a), Some(b)) = (sample(px + dx, py + dy), sample(px - dx, py - dy)) else {
            return false;
        };
        *c = 2.0 * v - a - b;
    }
    let least = curvatures.iter().fold(f64::MAX, |a, b| a.min(*b));
    let most = curvatures.iter().fold(f64::MIN, |a, b| a.max(*b));
    least > 0.0 && least >= most / 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs(n: usize, centres: &[(f64, f64, f64)], plateau: f64) -> Vec<f64> {
        (0..n * n)
            .map(|k| {
                let (x, y) = ((k % n) as f64, (k / n) as f64);
                let cloud = plateau * (-((x - 32.0).powi(2) + (y - 32.0).powi(2)) / 800.0).exp();
                cloud
                    + centres
                        .iter()
                        .map(|(cx, cy, a)| a * (-((x - cx).powi(2) + (y - cy).powi(2)) / 8.0).exp())
                        .sum::<f64>()
            })
            .collect()
    }

    #[test]
    fn clumps_in_a_cloud_are_counted_and_the_cloud_is_not() {
        let clumps = [(20.0, 20.0, 1.0), (40.0, 22.0, 0.8), (30.0, 44.0, 0.6)];
        assert_eq!(count(&blobs(64, &clumps, 1.0), 64, 64, 0.01, 4.0), 3);
        // a smooth cloud alone has one peak, its top, which rises above nothing nearby
        // by much: none
        assert_eq!(count(&blobs(64, &[], 1.0), 64, 64, 0.01, 4.0), 0);
        // too faint against the noise: none
        assert_eq!(count(&blobs(64, &clumps, 0.0), 64, 64, 0.5, 4.0), 0);
        // a ring is a ridge all round: no peak on it
        let ring: Vec<f64> = (0..64 * 64)
            .map(|k| {
                let r =
                    (((k % 64) as f64 - 32.0).powi(2) + ((k / 64) as f64 - 32.0).powi(2)).sqrt();
                (-(r - 18.0).powi(2) / 8.0).exp()
            })
            .collect();
        assert_eq!(count(&ring, 64, 64, 0.01, 4.0), 0);
    }
}
