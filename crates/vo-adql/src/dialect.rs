//! The ADQL dialect: regular identifiers are Latin letters, digits and underscores; delimited
//! identifiers use double quotes; strings single quotes. Everything else is standard SQL as
//! far as the tokenizer is concerned; the walk's grammar rules (`translate`) decide what ADQL allows.

use sqlparser::dialect::Dialect;

#[derive(Debug, Default, Clone, Copy)]
pub struct AdqlDialect;

impl Dialect for AdqlDialect {
    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_ascii_alphabetic() || ch == '_'
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_ascii_alphanumeric() || ch == '_'
    }

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '"'
    }

    /// 'a' 'b' (separated by white space or comments) is the string 'ab', as in SQL.
    fn supports_string_literal_concatenation(&self) -> bool {
        true
    }
}
