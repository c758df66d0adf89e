//! The ADQL dialect: regular identifiers are Latin letters, digits and underscores; delimited
//! identifiers use double quotes; strings single quotes. Everything else is standard SQL as
//! far as the tokenizer is concerned; the walk's grammar rules (`translate`) decide what ADQL allows.
//!
//! The dialect also reads the commonest expression starts itself — a number, a string, a
//! column name, a function call — building the very tree sqlparser would. sqlparser first
//! tries every expression start as a typed literal (`DATE '2020-01-01'`) and formats an
//! error message for each failed try; that was an eighth of a client query's translation.

use sqlparser::ast::{Expr, ObjectName};
use sqlparser::dialect::Dialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

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

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        let [first, second] = parser.peek_tokens_ref();
        match &first.token {
            // (a string runs on over the strings after it, as parse_value reads it)
            Token::Number(..) | Token::SingleQuotedString(_) => {
                Some(parser.parse_value().map(Expr::Value))
            }
            Token::Word(w) if plain_word(w.keyword) => {
                let span = first.span;
                let ident = w.to_ident(span);
                match &second.token {
                    Token::LParen => {
                        parser.advance_token();
                        Some(parser.parse_function(ObjectName::from(vec![ident])))
                    }
                    // `_latin1'text'` (a character set introducer): sqlparser's own reading
                    Token::SingleQuotedString(_) if ident.value.starts_with('_') => None,
                    _ => {
                        parser.advance_token();
                        Some(Ok(Expr::Identifier(ident)))
                    }
                }
            }
            _ => None,
        }
    }
}

/// Whether a word starting an expression can only be a name or a function's name: not a
/// keyword sqlparser reads an expression of its own from (CAST, CASE, NOT, EXISTS, NULL,
/// TRUE…) nor a type name it tries as a typed literal (DATE, INTEGER…). Besides non-keywords,
/// the keywords that are ADQL function names and neither of those.
fn plain_word(keyword: Keyword) -> bool {
    matches!(
        keyword,
        Keyword::NoKeyword
            | Keyword::COUNT
            | Keyword::MAX
            | Keyword::MIN
            | Keyword::SUM
            | Keyword::AVG
            | Keyword::LOWER
            | Keyword::UPPER
            | Keyword::CONTAINS
            | Keyword::CIRCLE
            | Keyword::POINT
            | Keyword::POLYGON
            | Keyword::BOX
            | Keyword::ABS
            | Keyword::POWER
            | Keyword::SQRT
            | Keyword::COALESCE
            | Keyword::LOG
            | Keyword::EXP
            | Keyword::MOD
            | Keyword::TRUNCATE
            | Keyword::REGION
            | Keyword::CEILING
    )
}

#[cfg(test)]
mod tests {
    use super::AdqlDialect;
    use sqlparser::dialect::Dialect;
    use sqlparser::parser::Parser;

    /// The ADQL dialect without its own expression starts: sqlparser's reading.
    #[derive(Debug)]
    struct SqlparsersOwnReading;

    impl Dialect for SqlparsersOwnReading {
        fn is_identifier_start(&self, ch: char) -> bool {
            AdqlDialect.is_identifier_start(ch)
        }
        fn is_identifier_part(&self, ch: char) -> bool {
            AdqlDialect.is_identifier_part(ch)
        }
        fn is_delimited_identifier_start(&self, ch: char) -> bool {
            AdqlDialect.is_delimited_identifier_start(ch)
        }
        fn supports_string_literal_concatenation(&self) -> bool {
            AdqlDialect.supports_string_literal_concatenation()
        }
    }

    fn parsed(dialect: &dyn Dialect, text: &str) -> String {
        match Parser::new(dialect)
            .with_recursion_limit(200)
            .try_with_sql(text)
            .and_then(|mut p| p.parse_query())
        {
            Ok(query) => format!("{query:?}"),
            Err(e) => format!("error: {e}"),
        }
    }

    /// Over the corpus, client and fuzz queries, the tree (or the error) is the one sqlparser
    /// builds on its own.
    #[test]
    fn the_dialects_expression_starts_build_sqlparsers_own_tree() {
        let (mut trees, mut errors) = (0, 0);
        for text in crate::parity_texts::texts() {
            let ours = parsed(&AdqlDialect, &text);
            assert_eq!(ours, parsed(&SqlparsersOwnReading, &text), "{text}");
            if ours.starts_with("error: ") {
                errors += 1;
            } else {
                trees += 1;
            }
        }
        // both outcomes were compared, many times
        assert!(
            trees > 500 && errors > 100,
            "{trees} trees, {errors} errors"
        );
    }
}
