//! What a text value may hold, wherever text enters the archive (ADQL literals, uploaded
//! tables, ingested rows): PostgreSQL cannot store NUL, and XML (every VOTable) cannot carry
//! the other control characters but tab, line feed and carriage return.

/// Why `text` cannot be a value (the first character that cannot be held or carried), or
/// `None`. The reason reads after "the value …".
pub fn text_problem(text: &str) -> Option<String> {
    let c = text
        .chars()
        .find(|c| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r'))?;
    Some(if c == '\0' {
        "holds the NUL character (U+0000), which no value can hold".to_string()
    } else {
        format!(
            "holds the control character U+{:04X}, which no result can carry",
            c as u32
        )
    })
}

#[cfg(test)]
mod tests {
    use super::text_problem;

    #[test]
    fn only_nul_and_control_characters_are_refused() {
        assert_eq!(text_problem("tab\tline\nreturn\r é 😀 \u{202e}"), None);
        assert!(text_problem("a\0b").unwrap().contains("U+0000"));
        assert!(text_problem("bell\u{7}").unwrap().contains("U+0007"));
        assert!(text_problem("del\u{7f}").unwrap().contains("U+007F"));
    }
}
