//! Wavelength selection along the FREQ axis: the channels whose extent overlaps the band.

use crate::extent::SPEED_OF_LIGHT;
use crate::plan::AxisCut;
use vo_fits::LinearAxis;

/// Why a band selects no channel.
#[derive(Debug, PartialEq)]
pub(crate) enum BandProblem {
    Malformed(String),
    NoOverlap,
}

/// The channels of a FREQ axis with `channels` pixels that overlap `band` (vacuum
/// wavelengths in metres, either end possibly infinite). CDELT may be negative.
pub(crate) fn channel_cut(
    axis: &LinearAxis,
    channels: usize,
    band: (f64, f64),
) -> Result<AxisCut, BandProblem> {
    let (low, high) = band;
    if low.is_nan() || high.is_nan() {
        return Err(BandProblem::Malformed("the bounds must be numbers".into()));
    }
    if low > high {
        return Err(BandProblem::Malformed(
            "the lower wavelength exceeds the upper one".into(),
        ));
    }
    if high <= 0.0 {
        return Err(BandProblem::Malformed(
            "wavelengths must be positive (metres)".into(),
        ));
    }
    // wavelength → frequency swaps the ends; a non-positive lower end means no upper limit
    let f_high = if low > 0.0 {
        SPEED_OF_LIGHT / low
    } else {
        f64::INFINITY
    };
    let f_low = SPEED_OF_LIGHT / high;
    let n = channels as f64;
    let (edge_a, edge_b) = (axis.value(0.5), axis.value(n + 0.5));
    let (cube_low, cube_high) = (edge_a.min(edge_b), edge_a.max(edge_b));
    if f_high < cube_low || f_low > cube_high {
        return Err(BandProblem::NoOverlap);
    }
    let pixel = |f: f64| axis.crpix + (f - axis.crval) / axis.cdelt;
    let (pa, pb) = (pixel(f_low.max(cube_low)), pixel(f_high.min(cube_high)));
    let (lo, hi) = (pa.min(pb), pa.max(pb));
    // channel k (1-based) spans k − 0.5 .. k + 0.5
    let tolerance = 1e-9;
    let first = ((lo - 0.5 + tolerance).floor() + 1.0).clamp(1.0, n);
    let last = ((hi + 0.5 - tolerance).ceil() - 1.0).clamp(first, n);
    Ok(AxisCut {
        start: first as usize - 1,
        len: (last - first) as usize + 1,
        step: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(cdelt: f64) -> LinearAxis {
        LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: 230e9,
            crpix: 1.0,
            cdelt,
        }
    }

    /// Wavelengths of the band between two channel coordinates.
    fn band(axis: &LinearAxis, p1: f64, p2: f64) -> (f64, f64) {
        let (a, b) = (
            SPEED_OF_LIGHT / axis.value(p1),
            SPEED_OF_LIGHT / axis.value(p2),
        );
        (a.min(b), a.max(b))
    }

    #[test]
    fn picks_the_overlapping_channels_for_either_sign_of_cdelt() {
        for cdelt in [1e6, -1e6] {
            let axis = axis(cdelt);
            let cut = channel_cut(&axis, 100, band(&axis, 10.2, 19.8)).unwrap();
            assert_eq!((cut.start, cut.len), (9, 11), "cdelt {cdelt}");
        }
    }

    #[test]
    fn open_ends_and_edges() {
        let axis = axis(-1e6);
        let (low, _) = band(&axis, 90.7, 90.7);
        let cut = channel_cut(&axis, 100, (low, f64::INFINITY)).unwrap();
        // frequency falls along the axis, so wavelengths from channel 90.7 up are 91..=100
        assert_eq!((cut.start, cut.len), (90, 10));
        let cut = channel_cut(&axis, 100, (f64::NEG_INFINITY, f64::INFINITY)).unwrap();
        assert_eq!((cut.start, cut.len), (0, 100));
        let single = channel_cut(&axis, 1, band(&axis, 0.9, 1.1)).unwrap();
        assert_eq!((single.start, single.len), (0, 1));
    }

    #[test]
    fn disjoint_and_malformed_bands() {
        let axis = axis(1e6);
        assert_eq!(
            channel_cut(&axis, 100, (1.0, 2.0)),
            Err(BandProblem::NoOverlap)
        );
        assert!(matches!(
            channel_cut(&axis, 100, (2e-3, 1e-3)),
            Err(BandProblem::Malformed(_))
        ));
        assert!(matches!(
            channel_cut(&axis, 100, (f64::NAN, 1e-3)),
            Err(BandProblem::Malformed(_))
        ));
    }
}
