//! Writing a float32 image HDU: all at once, or plane by plane for images larger than memory.

use crate::card::Header;
use crate::BLOCK;
use std::io::Write;

/// Writes a primary HDU with BITPIX=-32. `header` must already hold SIMPLE, BITPIX, NAXIS and
/// NAXISn (see [`crate::ImageWcs::primary_header`]); `data` is in FITS order (first axis
/// fastest) and its length must match the axes.
pub fn write_image_f32(out: &mut impl Write, header: &Header, data: &[f32]) -> std::io::Result<()> {
    let mut writer = ImageWriter::start(out, header)?;
    writer.write(data)?;
    writer.finish()
}

/// A BITPIX=-32 primary HDU written in pieces (a cube plane by plane): [`ImageWriter::start`]
/// writes the header, [`ImageWriter::write`] appends samples in FITS order, and
/// [`ImageWriter::finish`] checks that the axes are filled and pads the last block.
pub struct ImageWriter<'a, W: Write> {
    out: &'a mut W,
    expected: usize,
    written: usize,
    buffer: Vec<u8>,
}

impl<'a, W: Write> ImageWriter<'a, W> {
    /// Writes `header` (see [`write_image_f32`] for what it must hold).
    pub fn start(out: &'a mut W, header: &Header) -> std::io::Result<Self> {
        let expected: i64 = (1..=header.int("NAXIS").unwrap_or(0))
            .map(|i| header.int(&format!("NAXIS{i}")).unwrap_or(0))
            .product();
        out.write_all(&header.to_bytes())?;
        Ok(ImageWriter {
            out,
            expected: expected.max(0) as usize,
            written: 0,
            buffer: Vec::with_capacity(64 * 1024),
        })
    }

    /// Appends samples; more than the axes hold is an error.
    pub fn write(&mut self, data: &[f32]) -> std::io::Result<()> {
        if self.written + data.len() > self.expected {
            return Err(mismatch(self.expected, self.written + data.len()));
        }
        for chunk in data.chunks(16 * 1024) {
            self.buffer.clear();
            for v in chunk {
                self.buffer.extend_from_slice(&v.to_be_bytes());
            }
            self.out.write_all(&self.buffer)?;
        }
        self.written += data.len();
        Ok(())
    }

    /// Pads the data to whole FITS blocks; fewer samples than the axes hold is an error.
    pub fn finish(self) -> std::io::Result<()> {
        if self.written != self.expected {
            return Err(mismatch(self.expected, self.written));
        }
        let bytes = self.written * 4;
        let padding = bytes.div_ceil(BLOCK) * BLOCK - bytes;
        self.out.write_all(&vec![0u8; padding])
    }
}

fn mismatch(expected: usize, data: usize) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("header announces {expected} pixels, data has {data}"),
    )
}
