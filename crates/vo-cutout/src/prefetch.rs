//! Read-ahead for a cut: the file spans that hold the box are requested from the kernel a
//! bounded window ahead of the copy, and read-around on page faults is switched off, so a
//! cold cube is read in few large requests covering only the box's pages (the kernel's own
//! read-around would otherwise pull in megabytes around every fault).

use crate::cube::Cube;
use crate::plan::AxisCut;
use memmap2::Advice;

/// File bytes requested ahead of the copy.
const WINDOW_BYTES: u64 = 32 << 20;
/// Spans at least this long are left to the kernel's sequential read-ahead.
const LONG_SPAN_BYTES: u64 = 4 << 20;

/// The box as spans of the file: for every combination of the non-celestial pixels, the
/// bytes from the box's first pixel in its first row to its last pixel in its last row.
pub(crate) struct Prefetch<'c> {
    cube: &'c Cube,
    cuts: &'c [AxisCut],
    span_len: u64,
    /// Output bytes each span yields.
    span_output: u64,
    spans: u64,
    requested: u64,
}

impl<'c> Prefetch<'c> {
    /// Sets the mapping's access advice for this cut; `None` when the spans are long enough
    /// for the kernel's own read-ahead.
    pub(crate) fn start(cube: &'c Cube, cuts: &'c [AxisCut]) -> Option<Prefetch<'c>> {
        let bytes = cube.pixel_bytes() as u64;
        let (nx, x, y) = (cube.axes()[0] as u64, cuts[0], cuts[1]);
        let span_len = bytes * ((y.len as u64 - 1) * y.step as u64 * nx + x.len as u64);
        let long = span_len >= LONG_SPAN_BYTES;
        cube.advise(if long { Advice::Normal } else { Advice::Random });
        if long {
            return None;
        }
        let mut prefetch = Prefetch {
            cube,
            cuts,
            span_len,
            span_output: bytes * x.len as u64 * y.len as u64,
            spans: cuts[2..].iter().map(|c| c.len as u64).product(),
            requested: 0,
        };
        prefetch.advance(0);
        Some(prefetch)
    }

    /// Requests the spans within the window ahead of `copied` output bytes.
    pub(crate) fn advance(&mut self, copied: u64) {
        let current = copied / self.span_output;
        let ahead = (WINDOW_BYTES / self.span_len).max(1);
        while self.requested < self.spans && self.requested <= current + ahead {
            self.cube
                .will_need(self.span_offset(self.requested), self.span_len);
            self.requested += 1;
        }
    }

    /// Data offset of span `index`; the first non-celestial axis varies fastest.
    fn span_offset(&self, mut index: u64) -> u64 {
        let axes = self.cube.axes();
        let mut plane = 0u64;
        let mut planes_below = 1u64;
        for (cut, &n) in self.cuts[2..].iter().zip(&axes[2..]) {
            let i = index % cut.len as u64;
            index /= cut.len as u64;
            plane += (cut.start as u64 + i * cut.step as u64) * planes_below;
            planes_below *= n as u64;
        }
        let (nx, ny) = (axes[0] as u64, axes[1] as u64);
        let pixel = (plane * ny + self.cuts[1].start as u64) * nx + self.cuts[0].start as u64;
        pixel * self.cube.pixel_bytes() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vo_fits::{write_image_f32, CelestialWcs, ImageWcs, LinearAxis, Projection, StokesAxis};

    #[test]
    fn spans_start_at_the_box_in_every_plane() {
        let wcs = ImageWcs {
            celestial: CelestialWcs {
                projection: Projection::Sin,
                crval: (10.0, 20.0),
                crpix: (5.0, 4.0),
                cdelt: (-1e-4, 1e-4),
                pc: None,
            },
            spectral: Some(LinearAxis {
                ctype: "FREQ".into(),
                unit: "Hz".into(),
                crval: 1e11,
                crpix: 1.0,
                cdelt: 1e6,
            }),
            stokes: Some(StokesAxis {
                codes: vec![1, 2, 3, 4],
            }),
            shape: vec![10, 8, 6, 4],
            beam: None,
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cube.fits");
        let mut file = std::fs::File::create(&path).unwrap();
        write_image_f32(&mut file, &wcs.primary_header(), &vec![0.0; 10 * 8 * 6 * 4]).unwrap();
        let cube = Cube::open(&path).unwrap();
        let cuts = [
            AxisCut {
                start: 2,
                len: 3,
                step: 1,
            },
            AxisCut {
                start: 1,
                len: 4,
                step: 1,
            },
            AxisCut {
                start: 2,
                len: 3,
                step: 1,
            },
            AxisCut {
                start: 1,
                len: 2,
                step: 2,
            },
        ];
        let prefetch = Prefetch::start(&cube, &cuts).unwrap();
        assert_eq!(prefetch.spans, 6);
        // rows 1..=4 of a 10-pixel row, from pixel 2 to pixel 4 of the last row
        assert_eq!(prefetch.span_len, 4 * (3 * 10 + 3));
        assert_eq!(prefetch.span_output, 4 * 3 * 4);
        // (x, y, z, s) = (2, 1, 2, 1), (2, 1, 3, 1) and (2, 1, 2, 3)
        let offset = |z: u64, s: u64| 4 * (((s * 6 + z) * 8 + 1) * 10 + 2);
        assert_eq!(prefetch.span_offset(0), offset(2, 1));
        assert_eq!(prefetch.span_offset(1), offset(3, 1));
        assert_eq!(prefetch.span_offset(3), offset(2, 3));
        assert_eq!(prefetch.requested, 6, "a small box is requested at once");
    }
}
