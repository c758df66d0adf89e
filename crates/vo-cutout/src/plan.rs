//! Planning a cutout: the pixel range kept along each axis of a cube, from a request.

use crate::cube::Cube;
use crate::error::CutoutError;
use crate::header::output_cards;
use crate::polarization::stokes_cut;
use crate::request::CutoutRequest;
use crate::spatial::pixel_box;
use crate::spectral::{channel_cut, BandProblem};
use vo_fits::Card;

/// The pixels kept along one axis: `len` pixels from `start` (0-based), every `step`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AxisCut {
    pub start: usize,
    pub len: usize,
    pub step: usize,
}

impl AxisCut {
    pub fn whole(n: usize) -> AxisCut {
        AxisCut {
            start: 0,
            len: n,
            step: 1,
        }
    }

    /// The last pixel kept (0-based).
    pub fn last(&self) -> usize {
        self.start + self.len.saturating_sub(1) * self.step
    }
}

/// A planned cutout of one cube: the box per axis and the output header's cards. Write it
/// with [`Cutout::write_data`] or [`crate::write_fits`].
#[derive(Debug, Clone, PartialEq)]
pub struct Cutout {
    pub(crate) bitpix: i64,
    pub(crate) cuts: Vec<AxisCut>,
    /// The input header's non-structural cards, adjusted to the box, plus HISTORY.
    pub(crate) cards: Vec<Card>,
}

impl Cutout {
    /// The kept pixels per axis, FITS order.
    pub fn cuts(&self) -> &[AxisCut] {
        &self.cuts
    }

    /// NAXIS1, NAXIS2, … of the output.
    pub fn shape(&self) -> Vec<usize> {
        self.cuts.iter().map(|c| c.len).collect()
    }

    pub fn bitpix(&self) -> i64 {
        self.bitpix
    }

    /// The bytes of its pixels (headers and padding aside).
    pub fn data_bytes(&self) -> u64 {
        self.cuts
            .iter()
            .fold(self.bitpix.unsigned_abs() / 8, |bytes, c| {
                bytes.saturating_mul(c.len as u64)
            })
    }
}

impl Cube {
    /// The box that `request` selects. Errors: [`CutoutError::NoOverlap`] when a constraint
    /// misses the data, [`CutoutError::Usage`] when it is malformed or does not apply.
    pub fn plan(&self, request: &CutoutRequest) -> Result<Cutout, CutoutError> {
        let mut cuts: Vec<AxisCut> = self.axes().iter().map(|&n| AxisCut::whole(n)).collect();
        if let Some(spatial) = &request.spatial {
            let region = vo_region::Area::new(spatial).map_err(CutoutError::Usage)?;
            let (width, height) = (self.axes()[0], self.axes()[1]);
            match pixel_box(&self.wcs().celestial, width, height, &region)
                .map_err(|m| CutoutError::Usage(format!("{spatial}: {m}")))?
            {
                Some((x, y)) => (cuts[0], cuts[1]) = (x, y),
                None => {
                    return Err(CutoutError::NoOverlap(format!(
                        "{spatial} does not overlap the image, which covers {}",
                        self.sky_extent()
                    )))
                }
            }
        }
        if let Some(band) = request.band {
            let (index, cut) = self.band_cut(band)?;
            cuts[index] = cut;
        }
        if let Some(time) = request.time {
            self.check_time(time)?;
        }
        if !request.pol.is_empty() {
            let text = CutoutRequest::pol_text(&request.pol);
            let (Some(index), Some(stokes)) = (self.stokes_axis(), &self.wcs().stokes) else {
                return Err(CutoutError::Usage(format!(
                    "{text}: the image has no STOKES axis, so polarization cannot be selected"
                )));
            };
            cuts[index] = stokes_cut(&stokes.codes, &request.pol)?;
        }
        let cards = output_cards(self, &cuts, request);
        Ok(Cutout {
            bitpix: self.bitpix(),
            cuts,
            cards,
        })
    }

    fn band_cut(&self, band: (f64, f64)) -> Result<(usize, AxisCut), CutoutError> {
        let text = CutoutRequest::band_text(band);
        let (Some(index), Some(axis)) = (self.spectral_axis(), &self.wcs().spectral) else {
            return Err(CutoutError::Usage(format!(
                "{text}: the image has no FREQ axis, so a band cannot be selected"
            )));
        };
        match channel_cut(axis, self.axes()[index], band) {
            Ok(cut) => Ok((index, cut)),
            Err(BandProblem::Malformed(message)) => {
                Err(CutoutError::Usage(format!("{text}: {message}")))
            }
            Err(BandProblem::NoOverlap) => Err(CutoutError::NoOverlap(format!(
                "{text} does not overlap the cube's {}",
                self.wavelength_text().unwrap_or_default()
            ))),
        }
    }

    /// TIME does not cut an axis: it only has to overlap the observation.
    fn check_time(&self, time: (f64, f64)) -> Result<(), CutoutError> {
        let text = CutoutRequest::time_text(time);
        if time.0.is_nan() || time.1.is_nan() || time.0 > time.1 {
            return Err(CutoutError::Usage(format!(
                "{text}: the interval must be two numbers, start before end"
            )));
        }
        let Some((start, end)) = self.time_range() else {
            return Err(CutoutError::Usage(format!(
                "{text}: the dataset records no observation time (MJD-BEG/MJD-OBS), so a \
                 time interval cannot be checked; leave TIME out"
            )));
        };
        if time.0 > end || time.1 < start {
            return Err(CutoutError::NoOverlap(format!(
                "{text} does not overlap the observation, {}",
                self.time_text().unwrap_or_default()
            )));
        }
        Ok(())
    }
}
