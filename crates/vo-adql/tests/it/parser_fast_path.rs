//! The dialect reads the commonest expression starts itself (past sqlparser's speculative
//! typed-literal parse): over every query of the ADQL corpus, the real client queries and
//! the fuzz inputs, its tree must be the one sqlparser builds on its own, and a query it
//! cannot parse must fail with the same message.

use sqlparser::dialect::Dialect;
use sqlparser::parser::Parser;
use vo_adql::AdqlDialect;

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

fn lines_of(path: &str, key: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()[key]
                .as_str()
                .map(String::from)
        })
        .collect()
}

#[test]
fn the_dialects_expression_starts_build_sqlparsers_own_tree() {
    let mut texts = lines_of("../../../shared/conformance/adql/all.jsonl", "adql");
    texts.extend(lines_of(
        "../../../shared/conformance/clients/adql_real.jsonl",
        "adql",
    ));
    let fuzz = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/translate");
    for entry in std::fs::read_dir(fuzz).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        // (deeply nested inputs are the nesting limit's, which stops them before the parser)
        if bytes.len() < 4096 {
            texts.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    assert!(texts.len() > 1000, "only {} texts", texts.len());
    let (mut trees, mut errors) = (0, 0);
    for text in &texts {
        let ours = parsed(&AdqlDialect, text);
        assert_eq!(ours, parsed(&SqlparsersOwnReading, text), "{text}");
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
