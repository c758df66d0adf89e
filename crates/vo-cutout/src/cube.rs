//! An image or cube opened for cutting: the primary HDU, memory-mapped by the FITS crate's
//! one image reader, so that a cut reads only the pages it touches.

use crate::error::CutoutError;
use memmap2::Advice;
use ndarray::{ArrayViewD, IxDyn};
use std::path::Path;
use vo_fits::{Header, ImageHdu, ImageWcs, MappedImage};

#[derive(Debug)]
pub struct Cube {
    image: MappedImage,
    spectral_axis: Option<usize>,
    stokes_axis: Option<usize>,
}

impl Cube {
    /// Reads the primary HDU's header and WCS and maps the file. The file must not be
    /// truncated while the cube is open (archive products are never rewritten in place).
    pub fn open(path: &Path) -> Result<Cube, CutoutError> {
        let image = MappedImage::open(path, ImageHdu::Primary)?;
        Ok(Cube {
            spectral_axis: image.axis_named("FREQ"),
            stokes_axis: image.axis_named("STOKES"),
            image,
        })
    }

    pub fn path(&self) -> &Path {
        self.image.path()
    }

    pub fn header(&self) -> &Header {
        self.image.header()
    }

    pub fn wcs(&self) -> &ImageWcs {
        self.image.wcs()
    }

    pub fn bitpix(&self) -> i64 {
        self.image.bitpix()
    }

    /// NAXIS1, NAXIS2, … (FITS order: the first axis varies fastest).
    pub fn axes(&self) -> &[usize] {
        self.image.axes()
    }

    /// Bytes per pixel.
    pub fn pixel_bytes(&self) -> usize {
        self.image.pixel_bytes()
    }

    /// Index (0-based, FITS order) of the FREQ axis, if any.
    pub(crate) fn spectral_axis(&self) -> Option<usize> {
        self.spectral_axis
    }

    /// Index (0-based, FITS order) of the STOKES axis, if any.
    pub(crate) fn stokes_axis(&self) -> Option<usize> {
        self.stokes_axis
    }

    /// Sets the access advice for the whole mapping; advice that fails changes nothing.
    pub(crate) fn advise(&self, advice: Advice) {
        self.image.advise(advice)
    }

    /// Asks the kernel to start reading `len` data bytes from `offset` (relative to the
    /// data's start); a failed request only costs speed.
    pub(crate) fn will_need(&self, offset: u64, len: u64) {
        self.image.will_need(offset, len)
    }

    /// The mapped data bytes as an array: FITS axes reversed (slowest first), the last axis
    /// counted in bytes so that any BITPIX is copied without conversion.
    pub(crate) fn byte_view(&self) -> ArrayViewD<'_, u8> {
        let mut shape: Vec<usize> = self.axes().iter().rev().copied().collect();
        if let Some(last) = shape.last_mut() {
            *last *= self.pixel_bytes();
        }
        ArrayViewD::from_shape(IxDyn(&shape), self.image.data())
            .expect("MappedImage::open checked that the axes' product equals the data length")
    }
}
