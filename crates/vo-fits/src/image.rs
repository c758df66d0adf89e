//! An image HDU read through a memory map of its file — the one reader of pixels every
//! crate uses (cutouts copy its bytes, previews decode its samples): which HDU holds the
//! image, its header, axes and WCS, its data bytes, and the decoding of big-endian samples
//! (BITPIX 8, 16, 32, 64, −32, −64 with BSCALE, BZERO and, for integers, BLANK) into f32.

use crate::{read_hdus, FitsError, Hdu, Header, ImageWcs};
use memmap2::{Advice, Mmap};
use std::path::{Path, PathBuf};

/// Which HDU of a file holds the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageHdu {
    /// The primary HDU (as ALMA writes products and SODA cuts them).
    Primary,
    /// The first HDU holding an image with two non-empty axes: the primary HDU or an
    /// IMAGE extension.
    FirstImage,
}

/// Why a file cannot be read as an image; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a readable FITS file: {message}")]
    NotFits { path: String, message: String },
    #[error("{path}: no image HDU: {message}")]
    NoImage { path: String, message: String },
    #[error("{path}: unsupported WCS: {message}")]
    Wcs { path: String, message: String },
}

/// An image HDU and its memory-mapped file. The file must not be truncated while it is
/// open (archive products are written once and never modified in place).
pub struct MappedImage {
    path: PathBuf,
    map: Mmap,
    hdu: Hdu,
    wcs: ImageWcs,
    data_offset: usize,
    data_len: usize,
}

impl std::fmt::Debug for MappedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MappedImage")
            .field("path", &self.path)
            .field("hdu", &self.hdu.index)
            .field("bitpix", &self.hdu.bitpix)
            .field("axes", &self.hdu.axes)
            .finish_non_exhaustive()
    }
}

fn fits_error(path: &str, error: FitsError) -> ImageError {
    match error {
        FitsError::Io { source, .. } => ImageError::Io {
            path: path.to_string(),
            source,
        },
        FitsError::BadCard {
            hdu, card, message, ..
        } => ImageError::NotFits {
            path: path.to_string(),
            message: format!("HDU {hdu}, card {card}: {message}"),
        },
        FitsError::BadHeader { hdu, message, .. } => ImageError::NotFits {
            path: path.to_string(),
            message: format!("HDU {hdu}: {message}"),
        },
    }
}

fn choose(hdus: Vec<Hdu>, which: ImageHdu, path: &str) -> Result<Hdu, ImageError> {
    let no_image = |message: String| ImageError::NoImage {
        path: path.to_string(),
        message,
    };
    match which {
        ImageHdu::Primary => {
            let primary = hdus
                .into_iter()
                .next()
                .ok_or_else(|| no_image("the file holds no HDU".into()))?;
            if primary.axes.len() < 2 {
                return Err(no_image(format!(
                    "the primary HDU holds no image (NAXIS = {}); an image needs at least 2 axes",
                    primary.axes.len()
                )));
            }
            if primary.data_len == 0 {
                return Err(no_image(format!(
                    "the primary image has no pixels (axes {:?})",
                    primary.axes
                )));
            }
            Ok(primary)
        }
        ImageHdu::FirstImage => {
            let count = hdus.len();
            hdus.into_iter()
                .find(|hdu| {
                    let is_image = hdu.index == 0 || hdu.header.str("XTENSION") == Some("IMAGE");
                    is_image && hdu.axes.len() >= 2 && hdu.axes.iter().all(|&n| n > 0)
                })
                .ok_or_else(|| {
                    no_image(format!(
                        "none of the file's {count} HDU(s) holds an image with RA and Dec axes"
                    ))
                })
        }
    }
}

impl MappedImage {
    /// Reads the chosen HDU's header and WCS and maps the file.
    pub fn open(path: &Path, which: ImageHdu) -> Result<MappedImage, ImageError> {
        let name = path.display().to_string();
        let hdus = read_hdus(path).map_err(|e| fits_error(&name, e))?;
        let hdu = choose(hdus, which, &name)?;
        let not_fits = |message: String| ImageError::NotFits {
            path: name.clone(),
            message: format!("HDU {}: {message}", hdu.index),
        };
        let image_len = hdu.axes.iter().product::<usize>() as u64 * hdu.bitpix.unsigned_abs() / 8;
        if image_len != hdu.data_len {
            return Err(not_fits(format!(
                "it holds {} data bytes but its axes {:?} need {image_len} \
                 (PCOUNT/GCOUNT other than 0/1 are not images)",
                hdu.data_len, hdu.axes
            )));
        }
        let too_large = || not_fits("the data do not fit in this machine's address space".into());
        let data_offset = usize::try_from(hdu.data_offset).map_err(|_| too_large())?;
        let data_len = usize::try_from(hdu.data_len).map_err(|_| too_large())?;
        let wcs = ImageWcs::from_header(&hdu.header).map_err(|message| ImageError::Wcs {
            path: name.clone(),
            message,
        })?;
        let io = |source| ImageError::Io {
            path: name.clone(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        // SAFETY: the map is only read, and archive products are immutable while served; a
        // file truncated underneath would fault, which is the contract every reader of
        // memory-mapped archive data relies on.
        let map = unsafe { Mmap::map(&file) }.map_err(io)?;
        if map.len() < data_offset + data_len {
            return Err(not_fits(format!(
                "the file holds {} data bytes, the axes need {data_len}",
                map.len().saturating_sub(data_offset)
            )));
        }
        Ok(MappedImage {
            path: path.to_path_buf(),
            map,
            hdu,
            wcs,
            data_offset,
            data_len,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn header(&self) -> &Header {
        &self.hdu.header
    }

    pub fn wcs(&self) -> &ImageWcs {
        &self.wcs
    }

    pub fn bitpix(&self) -> i64 {
        self.hdu.bitpix
    }

    /// NAXIS1, NAXIS2, … (FITS order: the first axis varies fastest).
    pub fn axes(&self) -> &[usize] {
        &self.hdu.axes
    }

    /// Bytes per pixel.
    pub fn pixel_bytes(&self) -> usize {
        (self.hdu.bitpix.unsigned_abs() / 8) as usize
    }

    /// The 0-based index of the first axis after RA and Dec whose CTYPE is `ctype`.
    pub fn axis_named(&self, ctype: &str) -> Option<usize> {
        (2..self.hdu.axes.len()).find(|&i| {
            self.hdu
                .header
                .str(&format!("CTYPE{}", i + 1))
                .map(str::trim)
                == Some(ctype)
        })
    }

    /// The image's data bytes (big-endian samples, FITS order).
    pub fn data(&self) -> &[u8] {
        &self.map[self.data_offset..self.data_offset + self.data_len]
    }

    /// How this image's samples become values.
    pub fn samples(&self) -> Samples {
        let header = &self.hdu.header;
        Samples {
            bitpix: self.hdu.bitpix,
            scale: header.float("BSCALE").unwrap_or(1.0),
            zero: header.float("BZERO").unwrap_or(0.0),
            blank: if self.hdu.bitpix > 0 {
                header.int("BLANK")
            } else {
                None
            },
        }
    }

    /// Sets the access advice for the whole mapping; advice that fails changes nothing.
    pub fn advise(&self, advice: Advice) {
        let _ = self.map.advise(advice);
    }

    /// Asks the kernel to start reading `len` data bytes from `offset` (relative to the
    /// data's start); a failed request only costs speed.
    pub fn will_need(&self, offset: u64, len: u64) {
        let start = self.data_offset as u64 + offset;
        let end = (start + len).min((self.data_offset + self.data_len) as u64);
        if start < end {
            let _ = self
                .map
                .advise_range(Advice::WillNeed, start as usize, (end - start) as usize);
        }
    }
}

/// How stored samples become values: BITPIX, BSCALE, BZERO and (integers) BLANK.
#[derive(Debug, Clone, Copy)]
pub struct Samples {
    pub bitpix: i64,
    pub scale: f64,
    pub zero: f64,
    /// The integer that marks a blank pixel (integer BITPIX only).
    pub blank: Option<i64>,
}

impl Samples {
    /// Bytes per sample.
    pub fn bytes(&self) -> usize {
        self.bitpix.unsigned_abs() as usize / 8
    }

    fn value(&self, raw: f64) -> f32 {
        (self.zero + self.scale * raw) as f32
    }

    fn integer(&self, raw: i64) -> f32 {
        if self.blank == Some(raw) {
            f32::NAN
        } else {
            self.value(raw as f64)
        }
    }

    /// Decodes `bytes` (whole samples) into `out`, one value per sample.
    pub fn decode(&self, bytes: &[u8], out: &mut [f32]) {
        let identity = self.scale == 1.0 && self.zero == 0.0;
        let chunks = bytes.chunks_exact(self.bytes());
        match self.bitpix {
            -32 if identity => {
                for (o, c) in out.iter_mut().zip(chunks) {
                    *o = f32::from_be_bytes([c[0], c[1], c[2], c[3]]);
                }
            }
            -32 => {
                for (o, c) in out.iter_mut().zip(chunks) {
                    *o = self.value(f32::from_be_bytes([c[0], c[1], c[2], c[3]]) as f64);
                }
            }
            -64 => {
                for (o, c) in out.iter_mut().zip(chunks) {
                    let raw = f64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
                    *o = self.value(raw);
                }
            }
            8 => {
                for (o, c) in out.iter_mut().zip(chunks) {
                    *o = self.integer(c[0] as i64);
                }
            }
            16 => {
                for (o, c) in out.iter_mut().zip(chunks) {
                    *o = self.integer(i16::from_be_bytes([c[0], c[1]]) as i64);
                }
            }
            32 => {
                for (o, c) in out.iter_mut().zip(chunks) {
                    *o = self.integer(i32::from_be_bytes([c[0], c[1], c[2], c[3]]) as i64);
                }
            }
            _ => {
                for (o, c) in out.iter_mut().zip(chunks) {
                    let raw = i64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
                    *o = self.integer(raw);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_scaled_and_blanks_become_nan() {
        let samples = Samples {
            bitpix: 16,
            scale: 0.5,
            zero: 10.0,
            blank: Some(-32768),
        };
        let mut bytes = Vec::new();
        for v in [4i16, -32768, -2] {
            bytes.extend_from_slice(&v.to_be_bytes());
        }
        let mut out = [0.0f32; 3];
        samples.decode(&bytes, &mut out);
        assert_eq!(out[0], 12.0);
        assert!(out[1].is_nan());
        assert_eq!(out[2], 9.0);
    }

    #[test]
    fn every_bitpix_decodes_big_endian() {
        let plain = |bitpix| Samples {
            bitpix,
            scale: 1.0,
            zero: 0.0,
            blank: None,
        };
        let mut out = [0.0f32; 1];
        plain(8).decode(&[200], &mut out);
        assert_eq!(out[0], 200.0);
        plain(32).decode(&(-70000i32).to_be_bytes(), &mut out);
        assert_eq!(out[0], -70000.0);
        plain(64).decode(&(1i64 << 40).to_be_bytes(), &mut out);
        assert_eq!(out[0], (1u64 << 40) as f32);
        plain(-32).decode(&1.25f32.to_be_bytes(), &mut out);
        assert_eq!(out[0], 1.25);
        plain(-64).decode(&(-0.75f64).to_be_bytes(), &mut out);
        assert_eq!(out[0], -0.75);
        let scaled = Samples {
            scale: 2.0,
            zero: 1.0,
            ..plain(-32)
        };
        scaled.decode(&1.25f32.to_be_bytes(), &mut out);
        assert_eq!(out[0], 3.5);
    }
}
