//! An image turned, mirrored, shifted and rescaled as a reprojection would make it.

/// The `n` × `n` image `pixels` (x fastest) turned by `angle`, mirrored (if `flip`), shifted
/// by `shift` pixels and scaled by `scale` about its centre: its pixels resampled (bilinear)
/// onto a square canvas large enough to hold all of them (its diagonal, and the shift),
/// blank (NaN) where they come from outside it. Returns the canvas and its side.
pub fn warp(
    pixels: &[f32],
    n: usize,
    angle: f64,
    flip: bool,
    shift: (f64, f64),
    scale: f64,
) -> (Vec<f32>, usize) {
    let (s, c) = angle.sin_cos();
    let half = n as f64 / 2.0;
    let side = (n as f64 * scale * std::f64::consts::SQRT_2
        + 2.0 * shift.0.abs().max(shift.1.abs()))
    .ceil() as usize;
    let middle = side as f64 / 2.0;
    let mut out = Vec::with_capacity(side * side);
    for j in 0..side {
        for i in 0..side {
            let mut x = i as f64 + 0.5 - middle - shift.0;
            if flip {
                x = -x;
            }
            let y = j as f64 + 0.5 - middle - shift.1;
            let (u, v) = (
                (x * c + y * s) / scale + half - 0.5,
                (-x * s + y * c) / scale + half - 0.5,
            );
            if u < 0.0 || v < 0.0 || u > (n - 1) as f64 || v > (n - 1) as f64 {
                out.push(f32::NAN);
                continue;
            }
            let (u0, v0) = (u.floor() as usize, v.floor() as usize);
            let (u1, v1) = ((u0 + 1).min(n - 1), (v0 + 1).min(n - 1));
            let (fu, fv) = (u - u0 as f64, v - v0 as f64);
            let at = |a: usize, b: usize| pixels[b * n + a] as f64;
            out.push(
                ((at(u0, v0) * (1.0 - fu) + at(u1, v0) * fu) * (1.0 - fv)
                    + (at(u0, v1) * (1.0 - fu) + at(u1, v1) * fu) * fv) as f32,
            );
        }
    }
    (out, side)
}
