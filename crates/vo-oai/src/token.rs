//! Resumption tokens: a list's selection and the position of its last record, written into
//! the token itself, so any node answers the next page and a token never expires. The list
//! resumes after that record in datestamp order, so records that change between pages are
//! not skipped (they move to the list's end).

use crate::arguments::Refusal;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub prefix: String,
    pub set: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// The datestamp and identifier of the last record sent.
    pub after: (DateTime<Utc>, String),
    /// How many records came before this page.
    pub cursor: usize,
}

const VERSION: &str = "1";

fn seconds(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.timestamp().to_string()).unwrap_or_default()
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<String> {
    if text.len() % 2 != 0 || text.len() > 4096 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

impl Token {
    pub fn encode(&self) -> String {
        hex(&[
            VERSION,
            &self.prefix,
            self.set.as_deref().unwrap_or_default(),
            &seconds(self.from),
            &seconds(self.until),
            &self.after.0.timestamp().to_string(),
            &self.after.1,
            &self.cursor.to_string(),
        ]
        .join("\t"))
    }

    pub fn decode(text: &str) -> Result<Token, Refusal> {
        let refused = || {
            // a long one is named by its start
            let shown: String = text.chars().take(48).collect();
            let more = if shown.len() < text.len() { "…" } else { "" };
            Refusal::BadResumptionToken(format!(
                "{shown:?}{more} is not a resumption token this registry gave; start the list again without one"
            ))
        };
        let plain = unhex(text).ok_or_else(refused)?;
        let fields: Vec<&str> = plain.split('\t').collect();
        let [version, prefix, set, from, until, after_time, after_id, cursor] = fields[..] else {
            return Err(refused());
        };
        let time = |s: &str| -> Result<Option<DateTime<Utc>>, Refusal> {
            if s.is_empty() {
                return Ok(None);
            }
            s.parse::<i64>()
                .ok()
                .and_then(|n| DateTime::from_timestamp(n, 0))
                .map(Some)
                .ok_or_else(refused)
        };
        if version != VERSION {
            return Err(refused());
        }
        Ok(Token {
            prefix: prefix.to_string(),
            set: (!set.is_empty()).then(|| set.to_string()),
            from: time(from)?,
            until: time(until)?,
            after: (time(after_time)?.ok_or_else(refused)?, after_id.to_string()),
            cursor: cursor.parse().map_err(|_| refused())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_and_anything_else_is_refused() {
        let token = Token {
            prefix: "ivo_vor".into(),
            set: Some("ivo_managed".into()),
            from: DateTime::from_timestamp(1_700_000_000, 0),
            until: None,
            after: (
                DateTime::from_timestamp(1_700_000_100, 0).unwrap(),
                "ivo://a/tap".into(),
            ),
            cursor: 2,
        };
        assert_eq!(Token::decode(&token.encode()), Ok(token.clone()));
        for bad in ["", "zz", "abc", &token.encode()[2..], &hex("2\tivo_vor")] {
            assert_eq!(Token::decode(bad).unwrap_err().code(), "badResumptionToken");
        }
        // a long one is not echoed whole
        let long = "ab".repeat(3000);
        assert!(Token::decode(&long).unwrap_err().message().len() < 200);
    }
}
