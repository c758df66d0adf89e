//! A preview's view of an image HDU, read by the FITS crate's one image reader: RA × Dec
//! sky planes along an optional FREQ axis (the first plane of every other axis, Stokes,
//! taken), decoded into f32.

use crate::error::PreviewError;
use std::path::Path;
use vo_fits::{Header, ImageError, ImageHdu, ImageWcs, LinearAxis, MappedImage, Samples};

/// An image or cube: RA × Dec sky planes along an optional FREQ axis, the first plane of
/// every other axis (Stokes) taken.
pub struct Cube {
    pub path: String,
    /// Pixels along RA (NAXIS1) and Dec (NAXIS2).
    pub nx: usize,
    pub ny: usize,
    /// Planes along the spectral axis (1 for a continuum image).
    pub channels: usize,
    /// Samples between one channel plane and the next.
    channel_stride: usize,
    samples: Samples,
    image: MappedImage,
}

impl From<ImageError> for PreviewError {
    fn from(error: ImageError) -> Self {
        match error {
            ImageError::Io { path, source } => PreviewError::Io { path, source },
            ImageError::NotFits { path, message } => PreviewError::NotFits { path, message },
            ImageError::NoImage { path, message } => PreviewError::NoImage { path, message },
            ImageError::Wcs { path, message } => PreviewError::UnsupportedWcs { path, message },
        }
    }
}

/// The 0-based index of the spectral axis, if any. Axes beyond the first two must be FREQ,
/// STOKES or a single pixel long.
fn spectral_axis(
    header: &Header,
    axes: &[usize],
    path: &str,
) -> Result<Option<usize>, PreviewError> {
    let mut spectral = None;
    for (index, &length) in axes.iter().enumerate().skip(2) {
        let n = index + 1;
        let ctype = header.str(&format!("CTYPE{n}")).unwrap_or("").trim();
        if ctype == "FREQ" && spectral.is_none() {
            spectral = Some(index);
        } else if ctype != "STOKES" && length > 1 {
            return Err(PreviewError::UnsupportedWcs {
                path: path.to_string(),
                message: format!(
                    "axis {n} (CTYPE{n} = '{ctype}') has {length} pixels; beyond RA and Dec \
                     only a FREQ axis and a STOKES axis are supported"
                ),
            });
        }
    }
    Ok(spectral)
}

impl Cube {
    pub fn open(path: &Path) -> Result<Cube, PreviewError> {
        let name = path.display().to_string();
        let image = MappedImage::open(path, ImageHdu::FirstImage)?;
        let axes = image.axes();
        let spectral = spectral_axis(image.header(), axes, &name)?;
        let (nx, ny) = (axes[0], axes[1]);
        let channels = spectral.map_or(1, |axis| axes[axis]);
        let channel_stride = spectral.map_or(0, |axis| axes[..axis].iter().product());
        Ok(Cube {
            path: name,
            nx,
            ny,
            channels,
            channel_stride,
            samples: image.samples(),
            image,
        })
    }

    pub fn header(&self) -> &Header {
        self.image.header()
    }

    pub fn wcs(&self) -> &ImageWcs {
        self.image.wcs()
    }

    /// Decodes `out.len()` consecutive samples of one channel plane, starting at sky pixel
    /// `first` (x + nx·y, 0-based) and running along rows.
    pub fn read(&self, channel: usize, first: usize, out: &mut [f32]) {
        let size = self.samples.bytes();
        let start = (channel * self.channel_stride + first) * size;
        let bytes = &self.image.data()[start..start + out.len() * size];
        self.samples.decode(bytes, out);
    }

    /// Asks the kernel to start reading `len` samples of one channel plane from sky pixel
    /// `first` (a viewer's next channel, before it is asked for); out-of-range parts are
    /// ignored and a failed request only costs speed.
    pub fn will_need(&self, channel: usize, first: usize, len: usize) {
        if channel < self.channels {
            let size = self.samples.bytes() as u64;
            let start = (channel * self.channel_stride + first) as u64 * size;
            self.image.will_need(start, len as u64 * size);
        }
    }

    /// Bytes per stored sample.
    pub fn sample_bytes(&self) -> usize {
        self.samples.bytes()
    }

    /// The frequency axis, if the image has one.
    pub fn frequency_axis(&self) -> Option<&LinearAxis> {
        self.wcs().spectral.as_ref()
    }

    /// A header string, trimmed; None when missing or empty.
    pub fn text(&self, keyword: &str) -> Option<&str> {
        self.header()
            .str(keyword)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}
