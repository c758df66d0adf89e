//! Literal numbers as statement parameters, so that queries of one shape with different
//! numbers (cones at different positions, ranges with different bounds) are one statement,
//! parsed and planned once per connection and reused.
//!
//! While the walk goes, each literal number is written as a marker standing for its value;
//! once the SQL is whole, the markers it still holds (a part of the walk's output may be
//! dropped) are numbered `$1`, `$2`… in the order they appear, each with the cast that gives
//! it the type PostgreSQL gives the literal (`int4`, `int8` or `numeric`), so that the
//! statement means what the literal one means. Equal literals share one parameter: the same
//! expression in SELECT and GROUP BY stays the same expression.

use std::fmt::Write;

/// The character around a marker; a query holding it is not parameterised.
const MARK: char = '\u{1}';

/// The literal numbers met so far: their text and the type PostgreSQL gives them.
#[derive(Default)]
pub(crate) struct Parameters {
    values: Vec<(String, &'static str)>,
}

impl Parameters {
    /// The marker standing for the literal `text` of type `pg_type`.
    pub(super) fn marker(&mut self, text: &str, pg_type: &'static str) -> String {
        let index = match self
            .values
            .iter()
            .position(|(t, ty)| t == text && *ty == pg_type)
        {
            Some(i) => i,
            None => {
                self.values.push((text.to_string(), pg_type));
                self.values.len() - 1
            }
        };
        format!("{MARK}{index}{MARK}")
    }

    /// Whether `adql` may be parameterised (it does not hold the marker character itself).
    pub(super) fn fit(adql: &str) -> bool {
        !adql.contains(MARK)
    }

    /// `sql` with its markers numbered as parameters, and the parameters' values (as text,
    /// in their order).
    pub(super) fn bind(&self, sql: &str) -> (String, Vec<String>) {
        let mut out = String::with_capacity(sql.len());
        let mut numbered: Vec<usize> = Vec::new();
        let mut rest = sql;
        while let Some(start) = rest.find(MARK) {
            out.push_str(&rest[..start]);
            let after = &rest[start + MARK.len_utf8()..];
            let end = after.find(MARK).expect("markers come in pairs");
            let index: usize = after[..end].parse().expect("a marker holds an index");
            let number = match numbered.iter().position(|&i| i == index) {
                Some(n) => n + 1,
                None => {
                    numbered.push(index);
                    numbered.len()
                }
            };
            let _ = write!(out, "${number}::{}", self.values[index].1);
            rest = &after[end + MARK.len_utf8()..];
        }
        out.push_str(rest);
        let values = numbered
            .into_iter()
            .map(|i| self.values[i].0.clone())
            .collect();
        (out, values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_numbered_casts_in_their_order_and_equal_literals_share_one() {
        let mut p = Parameters::default();
        let a = p.marker("10", "int4");
        let dropped = p.marker("99", "int4");
        let b = p.marker("0.5", "numeric");
        let again = p.marker("10", "int4");
        assert_eq!(a, again);
        let sql = format!("SELECT x / {b} FROM t WHERE y > {a} GROUP BY x / {b}");
        let (bound, values) = p.bind(&sql);
        assert_eq!(
            bound,
            "SELECT x / $1::numeric FROM t WHERE y > $2::int4 GROUP BY x / $1::numeric"
        );
        assert_eq!(values, vec!["0.5".to_string(), "10".to_string()]);
        assert!(!bound.contains(&dropped));
        assert!(Parameters::fit("SELECT 1") && !Parameters::fit("SELECT '\u{1}'"));
    }
}
