//! FITS header cards: 80-character records in 2880-byte blocks (FITS 4.0 §4).

pub(crate) const BLOCK: usize = 2880;

/// A header being written.
#[derive(Default)]
pub(crate) struct Header {
    bytes: Vec<u8>,
}

impl Header {
    fn card(&mut self, keyword: &str, value: &str, comment: &str) {
        let mut card = format!("{keyword:<8}= {value}");
        if !comment.is_empty() && card.len() + 3 < 80 {
            card.push_str(" / ");
            card.push_str(comment);
        }
        self.raw(&card);
    }

    /// A card as given, cut or padded to 80 characters (printable ASCII only).
    fn raw(&mut self, card: &str) {
        let mut text: Vec<u8> = card
            .chars()
            .map(|c| {
                if (' '..='~').contains(&c) {
                    c as u8
                } else {
                    b'?'
                }
            })
            .take(80)
            .collect();
        text.resize(80, b' ');
        self.bytes.extend_from_slice(&text);
    }

    pub fn logical(&mut self, keyword: &str, value: bool, comment: &str) {
        self.card(
            keyword,
            &format!("{:>20}", if value { "T" } else { "F" }),
            comment,
        );
    }

    pub fn integer(&mut self, keyword: &str, value: i64, comment: &str) {
        self.card(keyword, &format!("{value:>20}"), comment);
    }

    /// A string value; cut to what fits on one card (68 characters inside the quotes).
    pub fn string(&mut self, keyword: &str, value: &str, comment: &str) {
        let ascii: String = value
            .chars()
            .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
            .collect();
        let mut quoted = String::new();
        for c in ascii.chars() {
            let add = if c == '\'' { 2 } else { 1 };
            if quoted.len() + add > 68 {
                break;
            }
            quoted.push(c);
            if c == '\'' {
                quoted.push('\'');
            }
        }
        self.card(keyword, &format!("'{quoted:<8}'"), comment);
    }

    pub fn comment(&mut self, text: &str) {
        for piece in text.as_bytes().chunks(72) {
            self.raw(&format!("COMMENT {}", String::from_utf8_lossy(piece)));
        }
    }

    /// Ends the header with END and pads it to a whole block.
    pub fn finish(mut self) -> Vec<u8> {
        self.raw("END");
        let padded = self.bytes.len().div_ceil(BLOCK) * BLOCK;
        self.bytes.resize(padded, b' ');
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_follow_the_fixed_format() {
        let mut h = Header::default();
        h.logical("SIMPLE", true, "");
        h.integer("NAXIS", 0, "no data");
        h.string("TTYPE1", "it's", "");
        let bytes = h.finish();
        assert_eq!(bytes.len(), BLOCK);
        let card = |i: usize| String::from_utf8(bytes[i * 80..(i + 1) * 80].to_vec()).unwrap();
        assert_eq!(&card(0)[..30], "SIMPLE  =                    T");
        assert_eq!(&card(1)[..40], "NAXIS   =                    0 / no data");
        assert_eq!(&card(2)[..20], "TTYPE1  = 'it''s   '");
        assert!(card(3).starts_with("END "));
    }
}
