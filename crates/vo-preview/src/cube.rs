//! The pixels of an image HDU, read through a memory map of the file: which HDU holds the
//! image, its sky and channel axes, and the decoding of big-endian samples (BITPIX 8, 16,
//! 32, 64, −32, −64 with BSCALE, BZERO and, for integers, BLANK) into f32.

use crate::error::PreviewError;
use memmap2::{Mmap, MmapOptions};
use std::path::Path;
use vo_fits::{read_hdus, FitsError, Hdu, Header, ImageWcs, LinearAxis};

/// How stored samples become values.
#[derive(Debug, Clone, Copy)]
struct Sample {
    bitpix: i64,
    scale: f64,
    zero: f64,
    /// The integer that marks a blank pixel (integer BITPIX only).
    blank: Option<i64>,
}

impl Sample {
    fn bytes(&self) -> usize {
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
    fn decode(&self, bytes: &[u8], out: &mut [f32]) {
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

/// An image or cube: RA × Dec sky planes along an optional FREQ axis, the first plane of
/// every other axis (Stokes) taken.
pub(crate) struct Cube {
    pub(crate) path: String,
    pub(crate) header: Header,
    pub(crate) wcs: ImageWcs,
    /// Pixels along RA (NAXIS1) and Dec (NAXIS2).
    pub(crate) nx: usize,
    pub(crate) ny: usize,
    /// Planes along the spectral axis (1 for a continuum image).
    pub(crate) channels: usize,
    /// Samples between one channel plane and the next.
    channel_stride: usize,
    sample: Sample,
    data: Mmap,
}

fn fits_error(path: &str, error: FitsError) -> PreviewError {
    match error {
        FitsError::Io { source, .. } => PreviewError::Io {
            path: path.to_string(),
            source,
        },
        FitsError::BadCard {
            hdu, card, message, ..
        } => PreviewError::NotFits {
            path: path.to_string(),
            message: format!("HDU {hdu}, card {card}: {message}"),
        },
        FitsError::BadHeader { hdu, message, .. } => PreviewError::NotFits {
            path: path.to_string(),
            message: format!("HDU {hdu}: {message}"),
        },
    }
}

/// The first HDU holding an image with two non-empty sky axes: the primary HDU or an IMAGE
/// extension.
fn image_hdu(hdus: Vec<Hdu>, path: &str) -> Result<Hdu, PreviewError> {
    let count = hdus.len();
    hdus.into_iter()
        .find(|hdu| {
            let is_image = hdu.index == 0 || hdu.header.str("XTENSION") == Some("IMAGE");
            is_image && hdu.axes.len() >= 2 && hdu.axes.iter().all(|&n| n > 0)
        })
        .ok_or_else(|| PreviewError::NoImage {
            path: path.to_string(),
            message: format!(
                "none of the file's {count} HDU(s) holds an image with RA and Dec axes"
            ),
        })
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
    pub(crate) fn open(path: &Path) -> Result<Cube, PreviewError> {
        let name = path.display().to_string();
        let hdus = read_hdus(path).map_err(|e| fits_error(&name, e))?;
        let hdu = image_hdu(hdus, &name)?;
        let wcs =
            ImageWcs::from_header(&hdu.header).map_err(|message| PreviewError::UnsupportedWcs {
                path: name.clone(),
                message,
            })?;
        let spectral = spectral_axis(&hdu.header, &hdu.axes, &name)?;
        let (nx, ny) = (hdu.axes[0], hdu.axes[1]);
        let channels = spectral.map_or(1, |axis| hdu.axes[axis]);
        let channel_stride = spectral.map_or(0, |axis| hdu.axes[..axis].iter().product());
        let integer = hdu.bitpix > 0;
        let sample = Sample {
            bitpix: hdu.bitpix,
            scale: hdu.header.float("BSCALE").unwrap_or(1.0),
            zero: hdu.header.float("BZERO").unwrap_or(0.0),
            blank: if integer {
                hdu.header.int("BLANK")
            } else {
                None
            },
        };
        let io = |source| PreviewError::Io {
            path: name.clone(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let length = usize::try_from(hdu.data_len).map_err(|_| PreviewError::NotFits {
            path: name.clone(),
            message: format!(
                "HDU {}: {} data bytes do not fit in memory",
                hdu.index, hdu.data_len
            ),
        })?;
        // SAFETY: the map is only read, and archive products are written once and never
        // modified in place; a file truncated while mapped would be an archive fault.
        let data = unsafe {
            MmapOptions::new()
                .offset(hdu.data_offset)
                .len(length)
                .map(&file)
        }
        .map_err(io)?;
        let needed = nx * ny * sample.bytes() + (channels - 1) * channel_stride * sample.bytes();
        if data.len() < needed {
            return Err(PreviewError::NotFits {
                path: name,
                message: format!(
                    "HDU {}: the data are {} bytes, the axes need {needed}",
                    hdu.index,
                    data.len()
                ),
            });
        }
        Ok(Cube {
            path: name,
            header: hdu.header,
            wcs,
            nx,
            ny,
            channels,
            channel_stride,
            sample,
            data,
        })
    }

    /// Decodes `out.len()` consecutive samples of one channel plane, starting at sky pixel
    /// `first` (x + nx·y, 0-based) and running along rows.
    pub(crate) fn read(&self, channel: usize, first: usize, out: &mut [f32]) {
        let size = self.sample.bytes();
        let start = (channel * self.channel_stride + first) * size;
        let bytes = &self.data[start..start + out.len() * size];
        self.sample.decode(bytes, out);
    }

    /// The frequency axis, if the image has one.
    pub(crate) fn frequency_axis(&self) -> Option<&LinearAxis> {
        self.wcs.spectral.as_ref()
    }

    /// A header string, trimmed; None when missing or empty.
    pub(crate) fn text(&self, keyword: &str) -> Option<&str> {
        self.header
            .str(keyword)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_scaled_and_blanks_become_nan() {
        let sample = Sample {
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
        sample.decode(&bytes, &mut out);
        assert_eq!(out[0], 12.0);
        assert!(out[1].is_nan());
        assert_eq!(out[2], 9.0);
    }

    #[test]
    fn every_bitpix_decodes_big_endian() {
        let plain = |bitpix| Sample {
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
        let scaled = Sample {
            scale: 2.0,
            zero: 1.0,
            ..plain(-32)
        };
        scaled.decode(&1.25f32.to_be_bytes(), &mut out);
        assert_eq!(out[0], 3.5);
    }
}
