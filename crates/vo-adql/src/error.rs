//! Errors with a position and, where possible, the fix.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct AdqlError {
    pub message: String,
    /// 1-based; 0 when unknown.
    pub line: u64,
    pub column: u64,
    pub hint: Option<String>,
}

impl AdqlError {
    pub fn new(message: impl Into<String>, line: u64, column: u64) -> Self {
        AdqlError {
            message: message.into(),
            line,
            column,
            hint: None,
        }
    }

    pub fn at(message: impl Into<String>, location: sqlparser::tokenizer::Location) -> Self {
        AdqlError::new(message, location.line, location.column)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Rewrites sqlparser's wording ("Expected: …, found: … at Line: 1, Column: 8") in ADQL terms.
    pub fn from_parser(error: sqlparser::parser::ParserError, adql: &str) -> AdqlError {
        let text = match &error {
            sqlparser::parser::ParserError::TokenizerError(t)
            | sqlparser::parser::ParserError::ParserError(t) => t.clone(),
            // the parse module words this one: it knows the limit
            sqlparser::parser::ParserError::RecursionLimitExceeded => {
                "the query nests too deeply for the parser".to_string()
            }
        };
        let (body, line, column) = match text.rfind(" at Line: ") {
            Some(i) => {
                let position = &text[i + " at Line: ".len()..];
                let mut parts = position.split(", Column: ");
                let line = parts
                    .next()
                    .and_then(|l| l.trim().parse().ok())
                    .unwrap_or(0);
                let column = parts
                    .next()
                    .and_then(|c| c.trim().parse().ok())
                    .unwrap_or(0);
                (text[..i].to_string(), line, column)
            }
            None => {
                // sqlparser gives no position at the end of the input: point just past it
                let trimmed = adql.trim_end();
                let line = trimmed.lines().count().max(1) as u64;
                let column = trimmed
                    .lines()
                    .last()
                    .map(|l| l.chars().count() + 1)
                    .unwrap_or(1) as u64;
                (text.clone(), line, column)
            }
        };
        let message = match body
            .strip_prefix("Expected: ")
            .and_then(|b| b.split_once(", found: "))
        {
            Some((expected, found)) => {
                let found = if found == "EOF" {
                    "the end of the query".to_string()
                } else {
                    format!("'{found}'")
                };
                format!("expected {expected} but found {found}")
            }
            None => body,
        };
        AdqlError::new(message, line, column)
    }
}

impl fmt::Display for AdqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}, column {}: ", self.line, self.column)?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for AdqlError {}
