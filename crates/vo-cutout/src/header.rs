//! The output header: fresh structural cards, then the input's other cards with the
//! reference pixels moved to the box (and scaled for strided axes), then HISTORY.

use crate::cube::Cube;
use crate::plan::{AxisCut, Cutout};
use crate::request::CutoutRequest;
use vo_fits::{Card, Header, Value};

/// Characters of text a COMMENT or HISTORY card holds.
const HISTORY_WIDTH: usize = 72;

/// Keywords that describe the input file's layout rather than the image.
fn is_structural(keyword: &str) -> bool {
    const FIXED: [&str; 11] = [
        "SIMPLE", "XTENSION", "BITPIX", "NAXIS", "EXTEND", "PCOUNT", "GCOUNT", "CHECKSUM",
        "DATASUM", "END", "NEXTEND",
    ];
    FIXED.contains(&keyword)
        || keyword
            .strip_prefix("NAXIS")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Splits `12A` into (12, "A"): an axis number and an optional alternate-WCS letter.
fn axis_and_suffix(text: &str) -> Option<(usize, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = &text[digits..];
    let valid_suffix =
        suffix.is_empty() || (suffix.len() == 1 && suffix.as_bytes()[0].is_ascii_uppercase());
    if digits == 0 || !valid_suffix {
        return None;
    }
    Some((text[..digits].parse().ok()?, suffix))
}

/// `(axis, suffix)` when `keyword` is `{prefix}{axis}{suffix}`, e.g. `CRPIX3` → (3, ""),
/// `CRPIX1A` → (1, "A").
fn indexed<'k>(keyword: &'k str, prefix: &str) -> Option<(usize, &'k str)> {
    axis_and_suffix(keyword.strip_prefix(prefix)?)
}

/// `(i, j, suffix)` for matrix keywords such as `PC1_2` or `CD3_3A`.
fn matrix_element<'k>(keyword: &'k str, prefix: &str) -> Option<(usize, usize, &'k str)> {
    let (i, rest) = keyword.strip_prefix(prefix)?.split_once('_')?;
    if i.is_empty() || !i.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (j, suffix) = axis_and_suffix(rest)?;
    Some((i.parse().ok()?, j, suffix))
}

fn number(card: &Card) -> Option<f64> {
    match card.value {
        Some(Value::Float(f)) => Some(f),
        Some(Value::Int(i)) => Some(i as f64),
        _ => None,
    }
}

fn set_number(card: &mut Card, value: f64) {
    card.value = Some(Value::Float(value));
}

/// Moves the reference pixel of every cut axis so that output pixel 1 is input pixel
/// `start + 1`, and scales the pixel step of strided axes.
fn adjust_wcs(cards: &mut Vec<Card>, cuts: &[AxisCut]) {
    for card in cards.iter_mut() {
        if let Some((axis, _)) = indexed(&card.keyword, "CRPIX") {
            if let (Some(cut), Some(crpix)) = (cuts.get(axis.wrapping_sub(1)), number(card)) {
                set_number(
                    card,
                    1.0 + (crpix - cut.start as f64 - 1.0) / cut.step as f64,
                );
            }
        }
    }
    for (index, cut) in cuts.iter().enumerate().filter(|(_, c)| c.step > 1) {
        let axis = index + 1;
        let mut suffixes: Vec<String> = cards
            .iter()
            .filter_map(|c| indexed(&c.keyword, "CTYPE"))
            .filter(|(a, _)| *a == axis)
            .map(|(_, s)| s.to_string())
            .collect();
        if suffixes.is_empty() {
            suffixes.push(String::new());
        }
        for suffix in suffixes {
            scale_axis_step(cards, axis, &suffix, cut.step as f64);
        }
    }
}

/// Multiplies the pixel step of `axis` by `factor`: the CD column if there is a CD matrix,
/// the PC column if the axis is coupled to others through PC, CDELT otherwise.
fn scale_axis_step(cards: &mut Vec<Card>, axis: usize, suffix: &str, factor: f64) {
    let in_column = |prefix: &str, card: &Card| {
        matrix_element(&card.keyword, prefix).is_some_and(|(_, j, s)| j == axis && s == suffix)
    };
    let coupled_pc = cards.iter().any(|c| {
        matrix_element(&c.keyword, "PC").is_some_and(|(i, j, s)| {
            j == axis && i != axis && s == suffix && number(c).is_some_and(|v| v != 0.0)
        })
    });
    let prefix = if cards.iter().any(|c| in_column("CD", c)) {
        "CD"
    } else if coupled_pc {
        "PC"
    } else {
        let keyword = format!("CDELT{axis}{suffix}");
        match cards.iter_mut().find(|c| c.keyword == keyword) {
            Some(card) => {
                let cdelt = number(card).unwrap_or(1.0);
                set_number(card, cdelt * factor);
            }
            None => cards.push(Card::new(&keyword, Value::Float(factor), "pixel step")),
        }
        return;
    };
    let diagonal = format!("{prefix}{axis}_{axis}{suffix}");
    if prefix == "PC" && !cards.iter().any(|c| c.keyword == diagonal) {
        cards.push(Card::new(&diagonal, Value::Float(1.0), ""));
    }
    for card in cards.iter_mut().filter(|c| in_column(prefix, c)) {
        let value = number(card).unwrap_or(0.0);
        set_number(card, value * factor);
    }
}

/// `text` as HISTORY cards of at most 72 characters, broken at spaces; characters FITS
/// headers cannot hold become `?`.
fn history(text: &str) -> Vec<Card> {
    let text: String = text
        .chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .collect();
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("starts with one line");
        if !line.is_empty() && line.len() + 1 + word.len() > HISTORY_WIDTH {
            lines.push(word.chars().take(HISTORY_WIDTH).collect());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word.chars().take(HISTORY_WIDTH).collect::<String>());
        }
    }
    lines
        .into_iter()
        .map(|line| Card {
            keyword: "HISTORY".into(),
            value: None,
            comment: line,
        })
        .collect()
}

/// The non-structural cards of the output header.
pub(crate) fn output_cards(cube: &Cube, cuts: &[AxisCut], request: &CutoutRequest) -> Vec<Card> {
    let mut cards: Vec<Card> = cube
        .header()
        .cards
        .iter()
        .filter(|c| !is_structural(&c.keyword))
        .cloned()
        .collect();
    adjust_wcs(&mut cards, cuts);
    let file = cube
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    cards.extend(history(&format!("SODA cutout of {file}: {request}.")));
    let kept: Vec<String> = cuts
        .iter()
        .zip(cube.axes())
        .enumerate()
        .filter(|(_, (cut, &n))| **cut != AxisCut::whole(n))
        .map(|(i, (cut, _))| {
            let step = if cut.step > 1 {
                format!(" every {}", cut.step)
            } else {
                String::new()
            };
            format!(
                "{}..{}{step} of axis {}",
                cut.start + 1,
                cut.last() + 1,
                i + 1
            )
        })
        .collect();
    let kept = if kept.is_empty() {
        "all pixels".to_string()
    } else {
        format!("pixels {}", kept.join(", "))
    };
    cards.extend(history(&format!("Kept {kept} (1-based, inclusive).")));
    cards
}

impl Cutout {
    /// The output header: a primary HDU (SIMPLE … EXTEND) or an IMAGE extension (XTENSION …
    /// GCOUNT), then the carried cards.
    pub fn header(&self, as_extension: bool) -> Header {
        let mut header = Header::default();
        if as_extension {
            header.push("XTENSION", Value::Str("IMAGE".into()), "image extension");
        } else {
            header.push("SIMPLE", Value::Logical(true), "conforms to FITS standard");
        }
        header.push("BITPIX", Value::Int(self.bitpix), "bits per pixel");
        header.push(
            "NAXIS",
            Value::Int(self.cuts.len() as i64),
            "number of axes",
        );
        for (i, cut) in self.cuts.iter().enumerate() {
            header.push(&format!("NAXIS{}", i + 1), Value::Int(cut.len as i64), "");
        }
        if as_extension {
            header.push("PCOUNT", Value::Int(0), "");
            header.push("GCOUNT", Value::Int(1), "");
        } else {
            header.push("EXTEND", Value::Logical(true), "");
        }
        header.cards.extend(self.cards.iter().cloned());
        header
    }

    /// The header as FITS blocks.
    pub fn header_bytes(&self, as_extension: bool) -> Vec<u8> {
        self.header(as_extension).to_bytes()
    }
}

/// The empty primary HDU in front of several cutouts.
pub(crate) fn container_header(extensions: usize) -> Header {
    let mut header = Header::default();
    header.push("SIMPLE", Value::Logical(true), "conforms to FITS standard");
    header.push("BITPIX", Value::Int(8), "");
    header.push(
        "NAXIS",
        Value::Int(0),
        "no data: the cutouts follow as extensions",
    );
    header.push("EXTEND", Value::Logical(true), "");
    header.push(
        "NEXTEND",
        Value::Int(extensions as i64),
        "number of cutouts",
    );
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(keyword: &str, value: f64) -> Card {
        Card::new(keyword, Value::Float(value), "")
    }

    fn value(cards: &[Card], keyword: &str) -> Option<f64> {
        cards.iter().find(|c| c.keyword == keyword).and_then(number)
    }

    #[test]
    fn structural_keywords() {
        for k in ["SIMPLE", "NAXIS", "NAXIS3", "EXTEND", "CHECKSUM", "NEXTEND"] {
            assert!(is_structural(k), "{k}");
        }
        for k in ["NAXISX", "CRPIX1", "BUNIT", "HISTORY"] {
            assert!(!is_structural(k), "{k}");
        }
    }

    #[test]
    fn keyword_indices() {
        assert_eq!(indexed("CRPIX12", "CRPIX"), Some((12, "")));
        assert_eq!(indexed("CRPIX1A", "CRPIX"), Some((1, "A")));
        assert_eq!(indexed("CRPIX", "CRPIX"), None);
        assert_eq!(indexed("CRPIX1ab", "CRPIX"), None);
        assert_eq!(matrix_element("PC2_3", "PC"), Some((2, 3, "")));
        assert_eq!(matrix_element("CD1_1B", "CD"), Some((1, 1, "B")));
        assert_eq!(matrix_element("PC2", "PC"), None);
    }

    #[test]
    fn reference_pixels_follow_the_box_and_strides_scale_the_step() {
        let mut cards = vec![
            card("CRPIX1", 100.0),
            card("CRPIX1A", 50.0),
            card("CRPIX4", 1.0),
            card("CDELT4", 1.0),
            card("CRVAL4", 1.0),
        ];
        let cuts = [
            AxisCut {
                start: 40,
                len: 10,
                step: 1,
            },
            AxisCut::whole(5),
            AxisCut::whole(5),
            AxisCut {
                start: 1,
                len: 2,
                step: 2,
            },
        ];
        adjust_wcs(&mut cards, &cuts);
        assert_eq!(value(&cards, "CRPIX1"), Some(60.0));
        assert_eq!(value(&cards, "CRPIX1A"), Some(10.0));
        // output pixel 1 is input pixel 2 (Q when the axis holds I Q U V), output pixel 2
        // input pixel 4 (V): crval + cdelt' (p − crpix') = 1 + 2 (1 − 0.5) = 2 at p = 1
        assert_eq!(value(&cards, "CRPIX4"), Some(0.5));
        assert_eq!(value(&cards, "CDELT4"), Some(2.0));
    }

    #[test]
    fn coupled_pc_matrices_scale_their_column() {
        let mut cards = vec![card("PC1_3", 0.5), card("CDELT3", 7.0)];
        scale_axis_step(&mut cards, 3, "", 3.0);
        assert_eq!(value(&cards, "PC1_3"), Some(1.5));
        assert_eq!(value(&cards, "PC3_3"), Some(3.0));
        assert_eq!(value(&cards, "CDELT3"), Some(7.0));
    }

    #[test]
    fn history_wraps_at_words() {
        let cards = history(&"word ".repeat(40));
        assert!(cards.len() >= 3);
        assert!(cards
            .iter()
            .all(|c| c.keyword == "HISTORY" && c.comment.len() <= 72));
        assert_eq!(cards[0].format().len(), 80);
        assert_eq!(history("café")[0].comment, "caf?");
    }
}
