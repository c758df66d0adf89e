//! From text to a syntax tree: the size and nesting bounds, the token rules, the parser.
//! The rules of the grammar that the parser does not know are the walk's (`translate`).

use crate::dialect::AdqlDialect;
use crate::error::AdqlError;
use crate::nesting::MAX_NESTING;
use crate::{limits, tokens};
use sqlparser::parser::{Parser, ParserError};

/// The parser's own recursion budget: a level of nesting costs it up to four calls (a nested
/// subquery), and [`MAX_NESTING`] bounds the levels before it runs; sqlparser grows its own
/// stack as it recurses.
const PARSER_RECURSION: usize = 4 * MAX_NESTING;

/// Parses one ADQL query. Walks over the tree it returns need the stack
/// [`limits::with_stack`] gives.
pub(crate) fn parse(adql: &str) -> Result<sqlparser::ast::Query, AdqlError> {
    if adql.trim().is_empty() {
        return Err(AdqlError::new("the query is empty", 1, 1));
    }
    limits::check_size(adql)?;
    let dialect = AdqlDialect;
    // tokenized once: the token rules look at the tokens, then the parser reads them
    let tokens = tokens::check_tokens(&dialect, adql)?;
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(PARSER_RECURSION)
        .with_tokens_with_locations(tokens);
    let query = parser.parse_query().map_err(|e| match e {
        ParserError::RecursionLimitExceeded => AdqlError::new(
            format!(
                "the query nests deeper than the parser's limit ({MAX_NESTING} levels of \
                     parentheses, NOT, function calls and subqueries)"
            ),
            0,
            0,
        ),
        other => AdqlError::from_parser(other, adql),
    })?;
    // a single trailing ';' is tolerated, as every ADQL service does
    if parser.peek_token().token == sqlparser::tokenizer::Token::SemiColon {
        parser.next_token();
    }
    let next = parser.peek_token();
    if next.token != sqlparser::tokenizer::Token::EOF {
        let at = next.span.start;
        let found = next.token.to_string();
        return Err(if found == ";" {
            AdqlError::new(
                "ADQL queries do not end with ';' (and hold exactly one statement)",
                at.line,
                at.column,
            )
        } else {
            AdqlError::new(
                format!("unexpected '{found}' after the end of the query"),
                at.line,
                at.column,
            )
        });
    }
    Ok(*query)
}
