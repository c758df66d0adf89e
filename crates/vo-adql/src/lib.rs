//! ADQL 2.1: turning query text into something safe to run.
//!
//! Owns: the ADQL dialect for sqlparser (pinned), a reject-by-default check that lets
//! through only the ADQL 2.1 grammar with the type rules that need no catalogue, name and
//! type resolution against the catalogue, translation to PostgreSQL with pgSphere, the
//! limits a query must keep (its size, how deep it nests, the vertices of its polygons) so
//! that no query can exhaust a stack or pin the database, and errors that name the problem,
//! its line and column and, where one exists, the fix.
//!
//! Layout, in the order a query meets it: `parse` (size and nesting bounds, `tokens` — read
//! by `quick_tokens` when the query allows, else by sqlparser's tokenizer — the parser) →
//! `translate/`, the one walk over the tree, one module per construct (`query`, `select`,
//! `relation`, `condition`, `expr`, `function`, `geometry/`), all methods of one
//! `Translator`: at each construct the grammar's rules first (`rules`; a refusal stops the
//! walk), then its SQL, spelled by `pg`, the output dialect — the only module that knows
//! PostgreSQL's and pgSphere's spellings and how `s_region` is stored. `scope` resolves
//! names; `types::Kind` is the one type model. [`check`] is the same walk without a
//! catalogue: every table offers any column, of unknown kind. Problems that need the
//! catalogue or are this service's limits (an unknown name, a frame it does not convert)
//! are recorded and the walk goes on, so that the query's text is judged first and the
//! check never reports them. No module imports one that imports it.
//!
//! Does not own: the catalogue's content, database access, or HTTP.

mod dialect;
mod error;
mod functions;
mod limits;
mod nesting;
#[cfg(test)]
mod parity_texts;
mod parse;
mod pg;
mod quick_tokens;
mod scope;
mod syntax;
mod tokens;
mod translate;
mod types;
mod units;

pub use dialect::AdqlDialect;
pub use error::AdqlError;
pub use functions::{LANGUAGE_FEATURES, UNADVERTISED_FEATURES, USER_DEFINED_FUNCTIONS};
pub use limits::MAX_QUERY_BYTES;
pub use nesting::MAX_NESTING;
pub use translate::{translate, Options, OutputColumn, Translation};

/// Checks that `adql` is one ADQL 2.1 query: the grammar, and the type rules that need no
/// catalogue.
pub fn check(adql: &str) -> Result<(), AdqlError> {
    limits::with_stack(|| translate::check(&parse::parse(adql)?))
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
