//! Streaming the cut out pixels: an ndarray view over the memory map, sliced to the box,
//! copied row by row through a bounded buffer, so memory use does not grow with the cube.

use crate::cube::Cube;
use crate::header::container_header;
use crate::plan::Cutout;
use crate::prefetch::Prefetch;
use ndarray::{Axis, Slice};
use std::io::{self, Write};
use vo_fits::BLOCK;

/// Bytes gathered before each write to the output.
const BUFFER_BYTES: usize = 1 << 20;

fn padded(len: u64) -> u64 {
    len.div_ceil(BLOCK as u64) * BLOCK as u64
}

impl Cutout {
    /// Data bytes, without the padding to a whole block.
    pub fn data_len(&self) -> u64 {
        let pixels: u64 = self.cuts.iter().map(|c| c.len as u64).product();
        pixels * self.bitpix.unsigned_abs() / 8
    }

    /// Header and padded data of this cutout as one HDU.
    pub fn hdu_len(&self, as_extension: bool) -> u64 {
        self.header_bytes(as_extension).len() as u64 + padded(self.data_len())
    }

    /// Writes the box's pixels (bytes as stored, no conversion) and the zero padding to a
    /// whole block. Only the pages of the file holding the box are read.
    pub fn write_data(&self, cube: &Cube, out: &mut impl Write) -> io::Result<()> {
        self.check_fits(cube)?;
        let bytes = cube.pixel_bytes();
        let view = cube.byte_view();
        let rank = view.ndim();
        // array axis k is FITS axis rank − 1 − k; the last array axis counts bytes
        let mut sliced = view.slice_each_axis(|description| {
            let k = description.axis.index();
            let cut = self.cuts[rank - 1 - k];
            if k == rank - 1 {
                Slice::new(
                    (cut.start * bytes) as isize,
                    Some(((cut.start + cut.len) * bytes) as isize),
                    1,
                )
            } else {
                Slice::new(
                    cut.start as isize,
                    Some((cut.last() + 1) as isize),
                    cut.step as isize,
                )
            }
        });
        // rows that follow each other in the file become one longer row
        for k in (0..rank - 1).rev() {
            if !sliced.merge_axes(Axis(k), Axis(rank - 1)) {
                break;
            }
        }
        let mut prefetch = Prefetch::start(cube, &self.cuts);
        let mut copied = 0u64;
        let mut buffer = Vec::with_capacity(BUFFER_BYTES);
        for row in sliced.rows() {
            // rows along the byte axis are contiguous; the copy is a fallback that never runs
            let gathered: Vec<u8>;
            let row = match row.as_slice() {
                Some(row) => row,
                None => {
                    gathered = row.iter().copied().collect();
                    &gathered
                }
            };
            if buffer.len() + row.len() > BUFFER_BYTES {
                out.write_all(&buffer)?;
                buffer.clear();
                if let Some(prefetch) = prefetch.as_mut() {
                    prefetch.advance(copied);
                }
            }
            copied += row.len() as u64;
            if row.len() >= BUFFER_BYTES {
                out.write_all(row)?;
            } else {
                buffer.extend_from_slice(row);
            }
        }
        out.write_all(&buffer)?;
        let len = self.data_len();
        write_zeros(out, (padded(len) - len) as usize)
    }

    /// Refuses a cube other than the one this cutout was planned for.
    fn check_fits(&self, cube: &Cube) -> io::Result<()> {
        let axes = cube.axes();
        let fits = cube.bitpix() == self.bitpix
            && axes.len() == self.cuts.len()
            && self.cuts[0].step == 1
            && self
                .cuts
                .iter()
                .zip(axes)
                .all(|(c, &n)| c.len > 0 && c.step > 0 && c.last() < n);
        if fits {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{}: this cutout ({:?}, BITPIX {}) was planned for another cube (axes {:?}, BITPIX {})",
                    cube.path().display(),
                    self.shape(),
                    self.bitpix,
                    axes,
                    cube.bitpix()
                ),
            ))
        }
    }
}

fn write_zeros(out: &mut impl Write, count: usize) -> io::Result<()> {
    out.write_all(&vec![0u8; count])
}

/// Bytes [`write_fits`] will write for `parts` (for Content-Length); 0 for none.
pub fn fits_len(parts: &[(&Cube, &Cutout)]) -> u64 {
    match parts {
        [] => 0,
        [(_, single)] => single.hdu_len(false),
        several => {
            container_header(several.len()).to_bytes().len() as u64
                + several.iter().map(|(_, c)| c.hdu_len(true)).sum::<u64>()
        }
    }
}

/// Writes a FITS file of cutouts, each from its own cube: one cutout as the primary image;
/// several as an empty primary HDU followed by one IMAGE extension each.
pub fn write_fits(parts: &[(&Cube, &Cutout)], out: &mut impl Write) -> io::Result<()> {
    match parts {
        [] => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no cutout to write: plan at least one",
        )),
        [(cube, single)] => {
            out.write_all(&single.header_bytes(false))?;
            single.write_data(cube, out)
        }
        several => {
            out.write_all(&container_header(several.len()).to_bytes())?;
            for (cube, cutout) in several {
                out.write_all(&cutout.header_bytes(true))?;
                cutout.write_data(cube, out)?;
            }
            Ok(())
        }
    }
}
