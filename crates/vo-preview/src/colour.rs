//! The colour map of the image previews: a viridis-like gradient (dark purple through teal to
//! yellow, perceptually ordered) interpolated between nine control points, and a neutral grey
//! for blank pixels.

use crate::canvas::Rgb;

/// Blank (NaN) pixels: a grey that the gradient never produces.
pub(crate) const BLANK_GREY: Rgb = [128, 128, 128];

/// Matplotlib's viridis at 0, 1/8, …, 1.
const CONTROL_POINTS: [Rgb; 9] = [
    [68, 1, 84],
    [72, 40, 120],
    [62, 73, 137],
    [49, 104, 142],
    [38, 130, 142],
    [31, 158, 137],
    [53, 183, 121],
    [110, 206, 88],
    [253, 231, 37],
];

/// The gradient's colour at `t` in 0..=1 (values outside are clamped, NaN is blank grey).
pub(crate) fn gradient(t: f64) -> Rgb {
    if t.is_nan() {
        return BLANK_GREY;
    }
    let position = t.clamp(0.0, 1.0) * (CONTROL_POINTS.len() - 1) as f64;
    let below = (position.floor() as usize).min(CONTROL_POINTS.len() - 2);
    let fraction = position - below as f64;
    let (a, b) = (CONTROL_POINTS[below], CONTROL_POINTS[below + 1]);
    let mix = |i: usize| (a[i] as f64 + (b[i] as f64 - a[i] as f64) * fraction).round() as u8;
    [mix(0), mix(1), mix(2)]
}

/// The colour of the gradient's top end: what the brightest pixels are drawn in.
#[cfg(test)]
pub(crate) const BRIGHTEST: Rgb = CONTROL_POINTS[CONTROL_POINTS.len() - 1];

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(c: Rgb) -> f64 {
        0.2126 * c[0] as f64 + 0.7152 * c[1] as f64 + 0.0722 * c[2] as f64
    }

    #[test]
    fn ends_and_clamping() {
        assert_eq!(gradient(0.0), [68, 1, 84]);
        assert_eq!(gradient(1.0), BRIGHTEST);
        assert_eq!(gradient(-3.0), gradient(0.0));
        assert_eq!(gradient(7.0), gradient(1.0));
        assert_eq!(gradient(f64::NAN), BLANK_GREY);
    }

    #[test]
    fn brightness_rises_along_the_gradient_and_never_looks_grey() {
        let mut previous = -1.0;
        for i in 0..=100 {
            let c = gradient(i as f64 / 100.0);
            let l = luminance(c);
            assert!(l > previous, "luminance falls at {i}");
            previous = l;
            assert!(!(c[0] == c[1] && c[1] == c[2]), "grey at {i}");
        }
    }
}
