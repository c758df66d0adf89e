//! ADQL 2.1: turning query text into something safe to run.
//!
//! Owns: the ADQL dialect for sqlparser (pinned), a reject-by-default validator that lets
//! through only the ADQL 2.1 grammar with its type rules, name and type resolution against
//! the catalogue, the PostgreSQL/pgSphere emitter, the limits a query must keep (its size,
//! how deep it nests, the vertices of its polygons) so that no query can exhaust a stack or
//! pin the database, and errors that name the problem, its line and column and, where one
//! exists, the fix.
//!
//! Does not own: the catalogue's content, database access, or HTTP.

mod dialect;
mod error;
mod expr;
mod functions;
mod geometry;
mod limits;
mod nesting;
mod query;
mod scope;
mod tokens;
mod translate;
mod units;

pub use dialect::AdqlDialect;
pub use error::AdqlError;
pub use functions::{LANGUAGE_FEATURES, UNADVERTISED_FEATURES, USER_DEFINED_FUNCTIONS};
pub use limits::MAX_QUERY_BYTES;
pub use nesting::MAX_NESTING;
pub use translate::{translate, Options, OutputColumn, Translation};

use sqlparser::parser::Parser;

/// The parser's own recursion budget: a level of nesting costs it up to four calls (a nested
/// subquery), and [`MAX_NESTING`] bounds the levels before it runs; sqlparser grows its own
/// stack as it recurses.
const PARSER_RECURSION: usize = 4 * MAX_NESTING;

/// Checks that `adql` is one ADQL 2.1 query: the grammar, and the type rules that need no
/// catalogue.
pub fn check(adql: &str) -> Result<(), AdqlError> {
    limits::with_stack(|| parse(adql).map(|_| ()))
}

/// Parses and validates one ADQL query. Walks over the tree it returns need the stack
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
    let query = parser
        .parse_query()
        .map_err(|e| AdqlError::from_parser(e, adql))?;
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
    query::Validator::default().top_query(&query)?;
    Ok(*query)
}

#[cfg(test)]
mod tests {
    use super::check;

    fn error(adql: &str) -> String {
        check(adql).unwrap_err().to_string()
    }

    #[test]
    fn accepts_what_alma_clients_send() {
        for q in [
            "select * from ivoa.obscore WHERE (INTERSECTS(CIRCLE('ICRS',204.247,-29.8689,0.016666666666666666), s_region) = 1) AND science_observation='T' AND data_rights='Public'",
            "select * from ivoa.obscore WHERE (INTERSECTS(RANGE_S2D(0.0,20.0,20.0,90.0), s_region) = 1)",
            "SELECT TOP 3 proposal_id from ivoa.ObsCore oc join TAP_UPLOAD.proj_codes pc on oc.proposal_id=pc.prop_id",
            "select distinct data_rights from ivoa.obscore where member_ous_uid='uid://A001/X12a3/Xe9'",
            "SELECT * FROM ivoa.obscore WHERE (frequency - 0.5 * bandwidth/1e9) < 115.20 AND band_list = 3",
            "select \"lastModified\", lastModified from ivoa.obscore where LOWER(target_name) LIKE '%m83%' order by proposal_id",
            "SELECT column_name, datatype, unit, ucd, utype, description from TAP_SCHEMA.columns;",
        ] {
            check(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        }
    }

    #[test]
    fn errors_name_problem_position_and_fix() {
        assert_eq!(error("SELECT CASE WHEN a=1 THEN 2 END FROM t"), "line 1, column 8: ADQL has no CASE expression (COALESCE covers the NULL cases; otherwise compute in the client)");
        assert!(error("SELECT a::int FROM t").starts_with(
            "line 1, column 9: '::' (a PostgreSQL cast) is not ADQL (use CAST(x AS type))"
        ));
        assert!(error("SELECT a FROM t LIMIT 5").contains("LIMIT is not ADQL (use SELECT TOP n)"));
        assert!(error("SELECT 1").contains("ADQL needs a FROM clause"));
        assert_eq!(error("SELECT size FROM t"), "line 1, column 8: 'size' is a reserved word in ADQL (write \"size\" to use it as a name)");
        assert!(
            error("SELECT a FROM t WHERE a").contains("a condition is needed here, not a value")
        );
        assert!(
            error("SELECT a FROM t WHERE CONTAINS(POINT('ICRS', 1, 2), s_region)")
                .contains("compare it: 1 = CONTAINS(…)")
        );
        assert!(error("SELECT a FROM t\nWHERE b = 'x' LIKE").starts_with("line 2, column"));
        assert!(error("SELECT LOWER(123) FROM t").contains("LOWER needs a string, not a number"));
        assert!(error("SELECT a FROM t; SELECT b FROM t").contains("after the end of the query"));
        assert!(error("SELECT a FROM t WHERE ra BETWEEN 1")
            .contains("expected AND but found the end of the query"));
        assert!(error("SELECT CAST(a AS FLOAT) FROM t").contains("is not an ADQL type"));
        assert!(error("").contains("empty"));
    }
}
