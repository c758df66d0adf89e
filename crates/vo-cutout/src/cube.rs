//! An image or cube opened for cutting: the primary HDU's header and WCS, and its data
//! memory-mapped so that a cut reads only the pages it touches.

use crate::error::CutoutError;
use memmap2::{Advice, Mmap};
use ndarray::{ArrayViewD, IxDyn};
use std::path::{Path, PathBuf};
use vo_fits::{read_hdus, Header, ImageWcs};

pub struct Cube {
    path: PathBuf,
    map: Mmap,
    header: Header,
    bitpix: i64,
    axes: Vec<usize>,
    data_offset: usize,
    data_len: usize,
    wcs: ImageWcs,
    spectral_axis: Option<usize>,
    stokes_axis: Option<usize>,
}

impl std::fmt::Debug for Cube {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cube")
            .field("path", &self.path)
            .field("bitpix", &self.bitpix)
            .field("axes", &self.axes)
            .finish_non_exhaustive()
    }
}

impl Cube {
    /// Reads the primary HDU's header and WCS and maps the file. The file must not be
    /// truncated while the cube is open (archive products are never rewritten in place).
    pub fn open(path: &Path) -> Result<Cube, CutoutError> {
        let name = path.display().to_string();
        let not_a_cube = |message: String| CutoutError::NotACube(format!("{name}: {message}"));
        let hdus = read_hdus(path)?;
        let primary = hdus
            .into_iter()
            .next()
            .ok_or_else(|| not_a_cube("the file holds no HDU".into()))?;
        if primary.axes.len() < 2 {
            return Err(not_a_cube(format!(
                "the primary HDU holds no image (NAXIS = {}); a cutout needs at least 2 axes",
                primary.axes.len()
            )));
        }
        if primary.data_len == 0 {
            return Err(not_a_cube(format!(
                "the primary image has no pixels (axes {:?})",
                primary.axes
            )));
        }
        let image_len =
            primary.axes.iter().product::<usize>() as u64 * primary.bitpix.unsigned_abs() / 8;
        if image_len != primary.data_len {
            return Err(not_a_cube(format!(
                "the primary HDU holds {} data bytes but its axes {:?} need {image_len} \
                 (PCOUNT/GCOUNT other than 0/1 are not images)",
                primary.data_len, primary.axes
            )));
        }
        let wcs = ImageWcs::from_header(&primary.header)
            .map_err(|message| not_a_cube(format!("unusable WCS: {message}")))?;
        let io = |source| CutoutError::Io {
            path: name.clone(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        // SAFETY: the map is read-only and archive files are immutable while served; a file
        // truncated underneath would fault, which is the same contract every reader of
        // memory-mapped archive data relies on.
        let map = unsafe { Mmap::map(&file) }.map_err(io)?;
        let too_large = || not_a_cube("the data do not fit in this machine's address space".into());
        let data_offset = usize::try_from(primary.data_offset).map_err(|_| too_large())?;
        let data_len = usize::try_from(primary.data_len).map_err(|_| too_large())?;
        if map.len() < data_offset + data_len {
            return Err(not_a_cube(format!(
                "the file shrank to {} bytes while being opened; the image needs {}",
                map.len(),
                data_offset + data_len
            )));
        }
        let ctype = |i: usize| {
            primary
                .header
                .str(&format!("CTYPE{}", i + 1))
                .map(str::trim)
        };
        let axis_named = |name: &str| (2..primary.axes.len()).find(|&i| ctype(i) == Some(name));
        Ok(Cube {
            spectral_axis: axis_named("FREQ"),
            stokes_axis: axis_named("STOKES"),
            path: path.to_path_buf(),
            map,
            header: primary.header,
            bitpix: primary.bitpix,
            axes: primary.axes,
            data_offset,
            data_len,
            wcs,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    pub fn wcs(&self) -> &ImageWcs {
        &self.wcs
    }

    pub fn bitpix(&self) -> i64 {
        self.bitpix
    }

    /// NAXIS1, NAXIS2, … (FITS order: the first axis varies fastest).
    pub fn axes(&self) -> &[usize] {
        &self.axes
    }

    /// Bytes per pixel.
    pub fn pixel_bytes(&self) -> usize {
        (self.bitpix.unsigned_abs() / 8) as usize
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
        let _ = self.map.advise(advice);
    }

    /// Asks the kernel to start reading `len` data bytes from `offset` (relative to the
    /// data's start); a failed request only costs speed.
    pub(crate) fn will_need(&self, offset: u64, len: u64) {
        let start = self.data_offset as u64 + offset;
        let end = (start + len).min(self.map.len() as u64);
        if start < end {
            let _ = self
                .map
                .advise_range(Advice::WillNeed, start as usize, (end - start) as usize);
        }
    }

    /// The mapped data bytes as an array: FITS axes reversed (slowest first), the last axis
    /// counted in bytes so that any BITPIX is copied without conversion.
    pub(crate) fn byte_view(&self) -> ArrayViewD<'_, u8> {
        let mut shape: Vec<usize> = self.axes.iter().rev().copied().collect();
        if let Some(last) = shape.last_mut() {
            *last *= self.pixel_bytes();
        }
        let data = &self.map[self.data_offset..self.data_offset + self.data_len];
        ArrayViewD::from_shape(IxDyn(&shape), data)
            .expect("Cube::open checked that the axes' product equals data_len")
    }
}
