//! Token-level rules: characters and operators SQL dialects accept but ADQL does not.

use crate::error::AdqlError;
use crate::AdqlDialect;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

/// Tokenizes the query and refuses non-ADQL tokens; the tokens, without white space and
/// comments (which only separate tokens; the parser would step over them at every look
/// ahead), then feed the parser.
pub(crate) fn check_tokens(
    dialect: &AdqlDialect,
    adql: &str,
) -> Result<Vec<TokenWithSpan>, AdqlError> {
    let tokens = match crate::quick_tokens::tokenize(adql) {
        Some(tokens) => tokens,
        None => tokenize(dialect, adql)?,
    };
    for t in &tokens {
        let at = t.span.start;
        let refuse = |what: &str, hint: &str| {
            let e = AdqlError::at(format!("{what} is not ADQL"), at);
            Err(if hint.is_empty() {
                e
            } else {
                e.with_hint(hint.to_string())
            })
        };
        match &t.token {
            Token::DoubleColon => return refuse("'::' (a PostgreSQL cast)", "use CAST(x AS type)"),
            Token::LBracket | Token::RBracket => return refuse("'[' or ']'", ""),
            Token::Placeholder(p) => {
                return refuse(
                    &format!("the placeholder '{p}'"),
                    "write the value in the query",
                )
            }
            Token::Mod => return refuse("'%' as an operator", "use MOD(a, b)"),
            Token::Caret
            | Token::Ampersand
            | Token::Pipe
            | Token::Tilde
            | Token::ExclamationMark => return refuse(&format!("the operator '{}'", t.token), ""),
            Token::Arrow
            | Token::LongArrow
            | Token::HashArrow
            | Token::HashLongArrow
            | Token::AtSign
            | Token::Sharp => return refuse(&format!("'{}'", t.token), ""),
            Token::EscapedStringLiteral(_)
            | Token::NationalStringLiteral(_)
            | Token::HexStringLiteral(_)
            | Token::DollarQuotedString(_) => {
                return refuse(
                    "this kind of string literal",
                    "ADQL strings are in single quotes: 'text', with '' for a quote",
                )
            }
            Token::DoubleQuotedString(_) => {
                return refuse(
                    "a double-quoted string",
                    "ADQL strings use single quotes; double quotes delimit names",
                )
            }
            Token::Word(w) if w.quote_style == Some('`') || w.quote_style == Some('[') => {
                return refuse(
                    "a name in backticks or brackets",
                    "delimit names with double quotes",
                )
            }
            Token::Word(w) if w.quote_style == Some('"') && w.value.is_empty() => {
                return Err(AdqlError::at(
                    "an empty delimited identifier \"\" is not allowed",
                    at,
                ))
            }
            Token::Char(c) => return refuse(&format!("the character '{c}'"), ""),
            Token::SingleQuotedString(text) => control_character(text, "string", at)?,
            Token::Word(w) if w.quote_style.is_some() => control_character(&w.value, "name", at)?,
            _ => {}
        }
    }
    crate::nesting::check_nesting(&tokens)?;
    Ok(tokens)
}

/// sqlparser's tokens of the query, without white space and comments.
pub(crate) fn tokenize(dialect: &AdqlDialect, adql: &str) -> Result<Vec<TokenWithSpan>, AdqlError> {
    let mut tokens = Tokenizer::new(dialect, adql)
        .tokenize_with_location()
        .map_err(|e| {
            let message = e.message.clone();
            AdqlError::new(
                format!("cannot read the query: {message}"),
                e.location.line,
                e.location.column,
            )
        })?;
    tokens.retain(|t| !matches!(t.token, Token::Whitespace(_)));
    Ok(tokens)
}

/// Refuses a string or delimited name that no value could hold ([`vo_catalogue::text_problem`]).
fn control_character(
    text: &str,
    what: &str,
    at: sqlparser::tokenizer::Location,
) -> Result<(), AdqlError> {
    match vo_catalogue::text_problem(text) {
        None => Ok(()),
        Some(problem) => {
            Err(AdqlError::at(format!("this {what} {problem}"), at).with_hint("remove it"))
        }
    }
}
