//! FITS character columns hold ASCII text only (FITS 4.0 §7.3.3.1: bytes 0x20–0x7E). Other
//! characters, the control characters and the backslash are written as escapes, as Python's
//! `unicode_escape` codec writes and reads them (`\\`, `\t`, `\n`, `\r`, `\xNN`, `\uNNNN`,
//! `\UNNNNNNNN`), so `text.encode("ascii").decode("unicode_escape")` gives the value back.
//! Trailing spaces, which FITS readers drop, are escaped too (`\x20`). ASCII text without
//! backslashes or trailing spaces — nearly every value — is written as it is.

use std::borrow::Cow;
use std::fmt::Write;

/// What the extension header says about escaped text.
pub(crate) const ESCAPES_NOTE: &str = "Text beyond printable ASCII and backslashes are escaped as Python's unicode_escape writes them (\\xNN, \\uNNNN, \\UNNNNNNNN, \\\\); decode with value.encode('ascii').decode('unicode_escape')";

/// `text` as printable ASCII.
pub(crate) fn fits_text(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'\\')
        && !text.ends_with(' ')
    {
        return Cow::Borrowed(text);
    }
    let kept = text.trim_end_matches(' ');
    let mut out = String::with_capacity(text.len() + 8);
    for c in kept.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x100 => write!(out, "\\x{:02x}", c as u32).expect("to a string"),
            c if (c as u32) < 0x10000 => write!(out, "\\u{:04x}", c as u32).expect("to a string"),
            c => write!(out, "\\U{:08x}", c as u32).expect("to a string"),
        }
    }
    for _ in kept.len()..text.len() {
        out.push_str("\\x20");
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::fits_text;

    #[test]
    fn only_what_fits_cannot_hold_is_escaped() {
        assert!(matches!(
            fits_text("uid://A001/X1/X2 Circle ICRS 1 2 3"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(fits_text("Müller"), "M\\xfcller");
        assert_eq!(fits_text("ρ Oph 😀"), "\\u03c1 Oph \\U0001f600");
        assert_eq!(fits_text("a\\b\tc\n"), "a\\\\b\\tc\\n");
        assert_eq!(fits_text("  spaced  "), "  spaced\\x20\\x20");
        assert_eq!(fits_text("\u{202e}abc\u{0301}"), "\\u202eabc\\u0301");
        assert!(fits_text("\u{7}\u{7f}")
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b)));
    }
}
