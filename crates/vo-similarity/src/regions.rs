//! Connected regions of an image (8-connected): the pieces above a threshold, and which
//! pixels belong to the source at all — above a low threshold and joined to a pixel above a
//! high one (hysteresis), so that isolated noise above the low threshold, far from the
//! source, does not weigh in its moments.

/// Labels the 8-connected regions of the pixels where `inside` holds, each as the list of
/// its pixel indices (image `width` × `height`, x fastest).
fn regions(inside: &[bool], width: usize, height: usize) -> Vec<Vec<usize>> {
    let mut seen = vec![false; inside.len()];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in 0..inside.len() {
        if seen[start] || !inside[start] {
            continue;
        }
        let mut region = Vec::new();
        seen[start] = true;
        stack.push(start);
        while let Some(k) = stack.pop() {
            region.push(k);
            let (x, y) = ((k % width) as i64, (k / width) as i64);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx < 0 || ny < 0 || nx >= width as i64 || ny >= height as i64 {
                        continue;
                    }
                    let n = ny as usize * width + nx as usize;
                    if !seen[n] && inside[n] {
                        seen[n] = true;
                        stack.push(n);
                    }
                }
            }
        }
        out.push(region);
    }
    out
}

/// The pixels at or above `low` whose region (at `low`) reaches `high` somewhere.
pub(crate) fn hysteresis(x: &[f64], width: usize, height: usize, low: f64, high: f64) -> Vec<bool> {
    let inside: Vec<bool> = x.iter().map(|v| *v >= low).collect();
    let mut keep = vec![false; x.len()];
    for region in regions(&inside, width, height) {
        if region.iter().any(|&k| x[k] >= high) {
            for k in region {
                keep[k] = true;
            }
        }
    }
    keep
}

/// The pieces of `s` at or above `threshold`, each as (flux, x, y) of its centroid.
pub(crate) fn pieces(
    s: &[f64],
    width: usize,
    height: usize,
    threshold: f64,
) -> Vec<(f64, f64, f64)> {
    let inside: Vec<bool> = s.iter().map(|v| *v >= threshold).collect();
    regions(&inside, width, height)
        .into_iter()
        .map(|region| {
            let (mut flux, mut sx, mut sy) = (0.0, 0.0, 0.0);
            for k in region {
                flux += s[k];
                sx += s[k] * (k % width) as f64;
                sy += s[k] * (k / width) as f64;
            }
            (flux, sx / flux, sy / flux)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_apart_from_the_source_is_left_out_and_its_faint_edge_kept() {
        // a source (peak 10, faint edge 2) and, apart, a noise spike of 2.5
        let mut x = vec![0.0; 10 * 10];
        x[22] = 10.0;
        x[23] = 2.0;
        x[24] = 2.0;
        x[77] = 2.5;
        let keep = hysteresis(&x, 10, 10, 1.5, 5.0);
        assert!(keep[22] && keep[23] && keep[24]);
        assert!(!keep[77]);
        assert_eq!(keep.iter().filter(|k| **k).count(), 3);
        let found = pieces(&x, 10, 10, 1.5);
        assert_eq!(found.len(), 2);
        assert!((found[0].0 - 14.0).abs() < 1e-12 && (found[1].0 - 2.5).abs() < 1e-12);
    }
}
