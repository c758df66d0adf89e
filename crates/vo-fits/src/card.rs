//! Header cards: 80-character records holding a keyword, an optional value and a comment.

use std::fmt::Write as _;

#[derive(Debug, thiserror::Error)]
pub enum FitsError {
    #[error("{path}: I/O error: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: HDU {hdu}, card {card}: {message}")]
    BadCard {
        path: String,
        hdu: usize,
        card: usize,
        message: String,
    },
    #[error("{path}: HDU {hdu}: {message}")]
    BadHeader {
        path: String,
        hdu: usize,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Logical(bool),
    Int(i64),
    Float(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub keyword: String,
    pub value: Option<Value>,
    pub comment: String,
}

impl Card {
    pub fn new(keyword: &str, value: Value, comment: &str) -> Self {
        Card {
            keyword: keyword.to_string(),
            value: Some(value),
            comment: comment.to_string(),
        }
    }

    /// Parses one 80-byte card. Errors name the problem; the caller adds the position.
    pub fn parse(raw: &[u8]) -> Result<Card, String> {
        if raw.iter().any(|&b| !(32..=126).contains(&b)) {
            return Err("card holds bytes outside printable ASCII".into());
        }
        let text = std::str::from_utf8(raw).map_err(|_| "card is not ASCII")?;
        let keyword = text[..8.min(text.len())].trim_end().to_string();
        if !keyword
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            return Err(format!("invalid keyword '{keyword}'"));
        }
        let has_value = text.len() >= 10 && &text[8..10] == "= ";
        if !has_value || keyword == "COMMENT" || keyword == "HISTORY" || keyword.is_empty() {
            let comment = if text.len() > 8 {
                text[8..].trim_end().to_string()
            } else {
                String::new()
            };
            return Ok(Card {
                keyword,
                value: None,
                comment,
            });
        }
        let (value, comment) = parse_value(&text[10..])?;
        Ok(Card {
            keyword,
            value,
            comment,
        })
    }

    /// Formats the card as exactly 80 characters of printable ASCII (long strings are
    /// truncated; any other character becomes `?` — a writer escapes text it must keep).
    pub fn format(&self) -> String {
        let mut out = format!("{:<8}", self.keyword);
        match &self.value {
            None => out.push_str(&self.comment),
            Some(value) => {
                out.push_str("= ");
                match value {
                    Value::Str(s) => {
                        // 68 characters fit between the quotes of a single card
                        let mut escaped = String::new();
                        for ch in s.chars() {
                            let piece = if ch == '\'' {
                                "''".to_string()
                            } else {
                                ch.to_string()
                            };
                            if escaped.len() + piece.len() > 68 {
                                break;
                            }
                            escaped.push_str(&piece);
                        }
                        let quoted = format!("'{escaped:<8}'");
                        let _ = write!(out, "{quoted:<20}");
                    }
                    Value::Logical(b) => {
                        let _ = write!(out, "{:>20}", if *b { "T" } else { "F" });
                    }
                    Value::Int(i) => {
                        let _ = write!(out, "{i:>20}");
                    }
                    Value::Float(f) => {
                        let _ = write!(out, "{:>20}", format_float(*f));
                    }
                }
                if !self.comment.is_empty() {
                    out.push_str(" / ");
                    out.push_str(&self.comment);
                }
            }
        }
        let mut out: String = out
            .chars()
            .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
            .take(80)
            .collect();
        while out.len() < 80 {
            out.push(' ');
        }
        out
    }
}

/// The shortest decimal that reads back to the same f64, in FITS form (`1.5E-05`).
fn format_float(f: f64) -> String {
    let s = format!("{f:?}");
    let (mantissa, exponent) = match s.split_once('e') {
        Some((m, e)) => (m.to_string(), Some(e.to_string())),
        None => (s.clone(), None),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa
    } else {
        format!("{mantissa}.0")
    };
    match exponent {
        Some(e) => format!("{mantissa}E{e}"),
        None => mantissa,
    }
}

fn parse_value(field: &str) -> Result<(Option<Value>, String), String> {
    let trimmed = field.trim_start();
    if let Some(rest) = trimmed.strip_prefix('\'') {
        let mut value = String::new();
        let mut chars = rest.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if matches!(chars.peek(), Some((_, '\''))) {
                    value.push('\'');
                    chars.next();
                } else {
                    end = Some(i + 1);
                    break;
                }
            } else {
                value.push(c);
            }
        }
        let end = end.ok_or("string value has no closing quote")?;
        let comment = rest[end..]
            .trim()
            .trim_start_matches('/')
            .trim()
            .to_string();
        return Ok((Some(Value::Str(value.trim_end().to_string())), comment));
    }
    let (raw, comment) = match trimmed.split_once('/') {
        Some((v, c)) => (v.trim(), c.trim().to_string()),
        None => (trimmed.trim(), String::new()),
    };
    if raw.is_empty() {
        return Ok((None, comment));
    }
    let value = match raw {
        "T" => Value::Logical(true),
        "F" => Value::Logical(false),
        _ => {
            if let Ok(i) = raw.parse::<i64>() {
                Value::Int(i)
            } else if let Ok(f) = raw.replace(['D', 'd'], "E").parse::<f64>() {
                Value::Float(f)
            } else {
                return Err(format!("cannot read value '{raw}'"));
            }
        }
    };
    Ok((Some(value), comment))
}

/// The cards of one HDU header, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub cards: Vec<Card>,
}

impl Header {
    pub fn push(&mut self, keyword: &str, value: Value, comment: &str) {
        self.cards.push(Card::new(keyword, value, comment));
    }

    /// COMMENT cards holding `text`, 72 characters each.
    pub fn comment(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        for piece in chars.chunks(72) {
            self.cards.push(Card {
                keyword: "COMMENT".into(),
                value: None,
                comment: piece.iter().collect(),
            });
        }
    }

    pub fn get(&self, keyword: &str) -> Option<&Value> {
        self.cards
            .iter()
            .find(|c| c.keyword == keyword)
            .and_then(|c| c.value.as_ref())
    }

    pub fn float(&self, keyword: &str) -> Option<f64> {
        match self.get(keyword)? {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    pub fn int(&self, keyword: &str) -> Option<i64> {
        match self.get(keyword)? {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn str(&self, keyword: &str) -> Option<&str> {
        match self.get(keyword)? {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The header as FITS blocks: cards, END, padded with spaces to a multiple of 2880.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::with_capacity((self.cards.len() + 1) * 80);
        for card in &self.cards {
            out.push_str(&card.format());
        }
        out.push_str(&format!("{:<80}", "END"));
        let mut bytes = out.into_bytes();
        let padded = bytes.len().div_ceil(crate::BLOCK) * crate::BLOCK;
        bytes.resize(padded, b' ');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_roundtrip() {
        for card in [
            Card::new("SIMPLE", Value::Logical(true), "conforms to FITS"),
            Card::new("NAXIS1", Value::Int(64), ""),
            Card::new("CRVAL3", Value::Float(1.0e11), "Hz"),
            Card::new("CDELT1", Value::Float(-2.7777777777777e-5), ""),
            Card::new("OBJECT", Value::Str("O'Brien field".into()), "target"),
        ] {
            let text = card.format();
            assert_eq!(text.len(), 80);
            assert_eq!(Card::parse(text.as_bytes()).unwrap(), card, "{text}");
        }
    }

    #[test]
    fn headers_follow_the_fixed_format() {
        let mut h = Header::default();
        h.push("SIMPLE", Value::Logical(true), "");
        h.push("NAXIS", Value::Int(0), "no data");
        h.push("TTYPE1", Value::Str("it's".into()), "");
        h.comment(&format!("{}é", "c".repeat(80)));
        let bytes = h.to_bytes();
        assert_eq!(bytes.len(), crate::BLOCK);
        let card = |i: usize| String::from_utf8(bytes[i * 80..(i + 1) * 80].to_vec()).unwrap();
        assert_eq!(&card(0)[..30], "SIMPLE  =                    T");
        assert_eq!(&card(1)[..40], "NAXIS   =                    0 / no data");
        assert_eq!(&card(2)[..20], "TTYPE1  = 'it''s   '");
        assert_eq!(card(3), format!("COMMENT {}", "c".repeat(72)));
        assert_eq!(card(4).trim_end(), "COMMENT cccccccc?");
        assert!(card(5).starts_with("END "));
    }

    #[test]
    fn long_strings_are_cut_inside_the_quotes() {
        let card = Card::new("ALMA-TTL", Value::Str("x'".repeat(60)), "");
        let parsed = Card::parse(card.format().as_bytes()).unwrap();
        match parsed.value {
            Some(Value::Str(v)) => assert!(v.len() <= 68 && v.starts_with("x'x'")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_foreign_forms() {
        let c =
            Card::parse(format!("{:<80}", "BSCALE  =              1.0D+00 / double").as_bytes())
                .unwrap();
        assert_eq!(c.value, Some(Value::Float(1.0)));
        let c = Card::parse(format!("{:<80}", "COMMENT anything = goes").as_bytes()).unwrap();
        assert_eq!(c.value, None);
        assert!(Card::parse(format!("{:<80}", "BAD     = 'unterminated").as_bytes()).is_err());
        assert!(Card::parse(format!("{:<80}", "lower   = 1").as_bytes()).is_err());
        assert!(Card::parse(format!("{:<80}", "X       = 1.2.3").as_bytes()).is_err());
    }

    #[test]
    fn floats_always_have_a_decimal_point() {
        assert_eq!(format_float(1e-5), "1.0E-5");
        assert_eq!(format_float(204.25), "204.25");
        assert_eq!(format_float(3.0), "3.0");
    }
}
