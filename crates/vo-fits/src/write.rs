//! Writing a float32 image HDU.

use crate::card::Header;
use crate::BLOCK;
use std::io::Write;

/// Writes a primary HDU with BITPIX=-32. `header` must already hold SIMPLE, BITPIX, NAXIS and
/// NAXISn (see [`crate::ImageWcs::primary_header`]); `data` is in FITS order (first axis
/// fastest) and its length must match the axes.
pub fn write_image_f32(out: &mut impl Write, header: &Header, data: &[f32]) -> std::io::Result<()> {
    let expected: i64 = (1..=header.int("NAXIS").unwrap_or(0))
        .map(|i| header.int(&format!("NAXIS{i}")).unwrap_or(0))
        .product();
    if expected as usize != data.len() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "header announces {expected} pixels, data has {}",
                data.len()
            ),
        ));
    }
    out.write_all(&header.to_bytes())?;
    let mut buffer = Vec::with_capacity(64 * 1024);
    for chunk in data.chunks(16 * 1024) {
        buffer.clear();
        for v in chunk {
            buffer.extend_from_slice(&v.to_be_bytes());
        }
        out.write_all(&buffer)?;
    }
    let written = data.len() * 4;
    let padding = written.div_ceil(BLOCK) * BLOCK - written;
    out.write_all(&vec![0u8; padding])?;
    Ok(())
}
