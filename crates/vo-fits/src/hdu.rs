//! Locating HDUs in a file: each header, and where its data start and end.

use crate::card::{Card, FitsError, Header};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// FITS files are written in blocks of 2880 bytes.
pub const BLOCK: usize = 2880;
/// A header longer than this many blocks is refused rather than read forever.
const MAX_HEADER_BLOCKS: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Hdu {
    /// 0 for the primary HDU.
    pub index: usize,
    pub header: Header,
    pub header_offset: u64,
    pub data_offset: u64,
    /// Data bytes, without the padding to a whole block.
    pub data_len: u64,
    pub bitpix: i64,
    /// NAXIS1, NAXIS2, … (FITS order: the first axis varies fastest).
    pub axes: Vec<usize>,
}

impl Hdu {
    pub fn padded_data_len(&self) -> u64 {
        self.data_len.div_ceil(BLOCK as u64) * BLOCK as u64
    }
}

fn read_header(
    file: &mut std::fs::File,
    path: &str,
    index: usize,
) -> Result<Option<Header>, FitsError> {
    let mut header = Header::default();
    let mut block = vec![0u8; BLOCK];
    for block_no in 0..MAX_HEADER_BLOCKS {
        let mut filled = 0;
        while filled < BLOCK {
            let n = file
                .read(&mut block[filled..])
                .map_err(|source| FitsError::Io {
                    path: path.into(),
                    source,
                })?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        if filled == 0 && block_no == 0 {
            return Ok(None);
        }
        if filled < BLOCK {
            return Err(FitsError::BadHeader {
                path: path.into(),
                hdu: index,
                message: "file ends inside a header block".into(),
            });
        }
        for (i, raw) in block.chunks(80).enumerate() {
            let card_no = block_no * 36 + i + 1;
            if raw.starts_with(b"END") && raw[3..].iter().all(|&b| b == b' ') {
                return Ok(Some(header));
            }
            let card = Card::parse(raw).map_err(|message| FitsError::BadCard {
                path: path.into(),
                hdu: index,
                card: card_no,
                message,
            })?;
            header.cards.push(card);
        }
    }
    Err(FitsError::BadHeader {
        path: path.into(),
        hdu: index,
        message: format!("no END card in {MAX_HEADER_BLOCKS} blocks"),
    })
}

fn data_shape(
    header: &Header,
    path: &str,
    index: usize,
) -> Result<(i64, Vec<usize>, u64), FitsError> {
    let bad = |message: String| FitsError::BadHeader {
        path: path.into(),
        hdu: index,
        message,
    };
    let first = header
        .cards
        .first()
        .map(|c| c.keyword.as_str())
        .unwrap_or("");
    let expected = if index == 0 { "SIMPLE" } else { "XTENSION" };
    if first != expected {
        return Err(bad(format!(
            "header must start with {expected}, found '{first}'"
        )));
    }
    let bitpix = header
        .int("BITPIX")
        .ok_or_else(|| bad("BITPIX missing or not an integer".into()))?;
    if ![8, 16, 32, 64, -32, -64].contains(&bitpix) {
        return Err(bad(format!(
            "BITPIX {bitpix} is not one of 8, 16, 32, 64, -32, -64"
        )));
    }
    let naxis = header
        .int("NAXIS")
        .ok_or_else(|| bad("NAXIS missing or not an integer".into()))?;
    if !(0..=999).contains(&naxis) {
        return Err(bad(format!("NAXIS {naxis} is outside 0..999")));
    }
    let mut axes = Vec::with_capacity(naxis as usize);
    for i in 1..=naxis {
        let n = header
            .int(&format!("NAXIS{i}"))
            .ok_or_else(|| bad(format!("NAXIS{i} missing")))?;
        if n < 0 {
            return Err(bad(format!("NAXIS{i} = {n} is negative")));
        }
        axes.push(n as usize);
    }
    let pcount = header.int("PCOUNT").unwrap_or(0);
    let gcount = header.int("GCOUNT").unwrap_or(1);
    if pcount < 0 || gcount < 0 {
        return Err(bad("PCOUNT and GCOUNT must not be negative".into()));
    }
    let elements = if axes.is_empty() {
        0u64
    } else {
        axes.iter()
            .try_fold(1u64, |acc, &n| acc.checked_mul(n as u64))
            .ok_or_else(|| bad("data size overflows".into()))?
    };
    let bytes = (bitpix.unsigned_abs() / 8)
        .checked_mul(gcount as u64)
        .and_then(|v| v.checked_mul((pcount as u64).checked_add(elements)?))
        .ok_or_else(|| bad("data size overflows".into()))?;
    Ok((bitpix, axes, bytes))
}

/// Reads every HDU header of a FITS file and where each HDU's data lie.
pub fn read_hdus(path: &Path) -> Result<Vec<Hdu>, FitsError> {
    let name = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(|source| FitsError::Io {
        path: name.clone(),
        source,
    })?;
    let file_len = file
        .metadata()
        .map_err(|source| FitsError::Io {
            path: name.clone(),
            source,
        })?
        .len();
    let mut hdus = Vec::new();
    let mut offset = 0u64;
    while offset < file_len {
        let index = hdus.len();
        let Some(header) = read_header(&mut file, &name, index)? else {
            break;
        };
        let header_len = (header.cards.len() as u64 + 1).div_ceil(36) * BLOCK as u64;
        let (bitpix, axes, data_len) = data_shape(&header, &name, index)?;
        let hdu = Hdu {
            index,
            header,
            header_offset: offset,
            data_offset: offset + header_len,
            data_len,
            bitpix,
            axes,
        };
        if hdu.data_len > file_len.saturating_sub(hdu.data_offset) {
            return Err(FitsError::BadHeader {
                path: name,
                hdu: index,
                message: format!(
                    "header announces {} data bytes but the file ends {} bytes after the header",
                    hdu.data_len,
                    file_len.saturating_sub(hdu.data_offset)
                ),
            });
        }
        offset = hdu.data_offset + hdu.padded_data_len();
        file.seek(SeekFrom::Start(offset))
            .map_err(|source| FitsError::Io {
                path: name.clone(),
                source,
            })?;
        hdus.push(hdu);
    }
    if hdus.is_empty() {
        return Err(FitsError::BadHeader {
            path: name,
            hdu: 0,
            message: "file is empty".into(),
        });
    }
    Ok(hdus)
}
