//! Where and what a FITS product covers: its sky footprint, wavelengths, times and
//! polarization states — the ranges SODA's input parameters declare.

use std::path::Path;
use vo_fits::{read_hdus, ImageWcs};

const SPEED_OF_LIGHT: f64 = 299_792_458.0;

/// The extent of an image or cube.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetExtent {
    /// The corners of the outer pixel edges, degrees.
    pub footprint: Vec<(f64, f64)>,
    /// A circle containing the footprint: (ra, dec, radius), degrees.
    pub bounding_circle: (f64, f64, f64),
    /// Vacuum wavelengths covered by the channels, metres (low, high).
    pub wavelengths: Option<(f64, f64)>,
    /// Start and end of the observation, MJD.
    pub times: Option<(f64, f64)>,
    /// Polarization states along the Stokes axis.
    pub polarizations: Vec<String>,
    /// NAXIS1.. of the image.
    pub shape: Vec<usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtentError {
    #[error("{0}")]
    Fits(#[from] vo_fits::FitsError),
    #[error("{path}: {message}")]
    Wcs { path: String, message: String },
}

impl DatasetExtent {
    /// Reads the primary HDU's header of a FITS file (not its data).
    pub fn of_file(path: &Path) -> Result<DatasetExtent, ExtentError> {
        let hdus = read_hdus(path)?;
        let wcs_error = |message: String| ExtentError::Wcs {
            path: path.display().to_string(),
            message,
        };
        let primary = hdus
            .first()
            .ok_or_else(|| wcs_error("the file holds no HDU".into()))?;
        let wcs = ImageWcs::from_header(&primary.header).map_err(wcs_error)?;
        DatasetExtent::of_wcs(&wcs, &primary.header).map_err(wcs_error)
    }

    pub fn of_wcs(wcs: &ImageWcs, header: &vo_fits::Header) -> Result<DatasetExtent, String> {
        let footprint = wcs
            .footprint()
            .ok_or("the image's corners are outside its projection")?;
        let points: Vec<(f64, f64, f64)> = footprint.iter().map(|&(a, d)| (a, d, 0.0)).collect();
        let bounding_circle =
            vo_region::bounding_circle(&points).ok_or("the image has no corners")?;
        let wavelengths = wcs
            .frequency_range()
            .map(|(lo, hi)| (SPEED_OF_LIGHT / hi, SPEED_OF_LIGHT / lo));
        let times = match (
            header.float("MJD-BEG").or_else(|| header.float("MJD-OBS")),
            header.float("MJD-END"),
        ) {
            (Some(start), Some(end)) => Some((start, end)),
            _ => None,
        };
        Ok(DatasetExtent {
            footprint,
            bounding_circle,
            wavelengths,
            times,
            polarizations: wcs
                .stokes
                .as_ref()
                .map(|s| s.names().into_iter().map(String::from).collect())
                .unwrap_or_default(),
            shape: wcs.shape.clone(),
        })
    }
}
