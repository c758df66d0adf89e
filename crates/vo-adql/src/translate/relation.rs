//! FROM: tables, joins and derived tables, each a source of named columns.

use super::query::source_columns;
use super::rules::*;
use super::translator::Translator;

use crate::error::AdqlError;
use crate::scope::{canonical, find_table, quote_ident_always, refers_to, Source};
use sqlparser::ast::{JoinConstraint, JoinOperator, Spanned, TableFactor, TableWithJoins};

impl<'c> Translator<'c> {
    pub(super) fn table_with_joins(&mut self, t: &TableWithJoins) -> Result<String, AdqlError> {
        let mut sql = self.table_factor(&t.relation)?;
        for join in &t.joins {
            let at = join.relation.span().start;
            if join.global {
                return refuse_at(at, "GLOBAL JOIN is not ADQL");
            }
            let (word, constraint) = match &join.join_operator {
                JoinOperator::Join(c) | JoinOperator::Inner(c) => ("JOIN", c),
                JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => ("LEFT OUTER JOIN", c),
                JoinOperator::Right(c) | JoinOperator::RightOuter(c) => ("RIGHT OUTER JOIN", c),
                JoinOperator::FullOuter(c) => ("FULL OUTER JOIN", c),
                JoinOperator::CrossJoin(_) => {
                    return refuse_at(at, "CROSS JOIN is not ADQL")
                        .map_err(|e| e.with_hint("list the tables with commas: FROM a, b"))
                }
                _ => return refuse_at(at, "this kind of join is not ADQL"),
            };
            let right = self.table_factor(&join.relation)?;
            match constraint {
                JoinConstraint::On(c) => {
                    sql = format!("{sql} {word} {right} ON {}", self.condition(c)?)
                }
                JoinConstraint::Using(names) => {
                    let mut columns = Vec::with_capacity(names.len());
                    for n in names {
                        object_name(n, 1, "column")?;
                        let ident = n.0[0].as_ident().expect("a name of one part, checked");
                        let level = self.scopes.levels.last().unwrap();
                        match level.iter().find_map(|s| s.find(ident)) {
                            Some(column) => columns.push(column.sql()),
                            None if level.iter().any(|s| s.open) => {
                                columns.push(quote_ident_always(&ident.value))
                            }
                            None => self.record(AdqlError::at(
                                format!(
                                    "USING ({}): no such column in the joined tables",
                                    ident.value
                                ),
                                ident.span.start,
                            )),
                        }
                    }
                    sql = format!("{sql} {word} {right} USING ({})", columns.join(", "));
                }
                JoinConstraint::Natural => sql = format!("{sql} NATURAL {word} {right}"),
                JoinConstraint::None => sql = format!("{sql} {word} {right} ON TRUE"),
            }
        }
        Ok(sql)
    }

    pub(super) fn table_factor(&mut self, f: &TableFactor) -> Result<String, AdqlError> {
        let at = f.span().start;
        match f {
            TableFactor::Table {
                name,
                alias: a,
                args,
                with_hints,
                version,
                with_ordinality,
                partitions,
                json_path,
                sample,
                index_hints,
            } => {
                if args.is_some()
                    || !with_hints.is_empty()
                    || version.is_some()
                    || *with_ordinality
                    || !partitions.is_empty()
                    || json_path.is_some()
                    || sample.is_some()
                    || !index_hints.is_empty()
                {
                    return refuse_at(at, "this table reference is not ADQL");
                }
                object_name(name, 3, "table")?;
                if let Some(a) = a {
                    alias(a)?;
                }
                let parts: Vec<sqlparser::ast::Ident> = name
                    .0
                    .iter()
                    .filter_map(|p| p.as_ident().cloned())
                    .collect();
                let alias_ident = a.as_ref().map(|a| &a.name);
                if parts.len() == 1 {
                    let wanted = &parts[0];
                    if let Some((cte, columns, open)) = self
                        .ctes
                        .iter()
                        .rev()
                        .find(|(n, _, _)| refers_to(wanted, n))
                    {
                        let alias_name = alias_ident.map(canonical).unwrap_or_else(|| cte.clone());
                        let source = Source::derived(alias_name.clone(), columns.clone(), *open);
                        let sql = format!(
                            "{} AS {}",
                            quote_ident_always(cte),
                            quote_ident_always(&alias_name)
                        );
                        self.push_source(source, f);
                        return Ok(sql);
                    }
                }
                let found = match self.catalogue {
                    Some(catalogue) => find_table(catalogue, &parts).map_err(Some),
                    None => Err(None),
                };
                match found {
                    Ok(table) => {
                        let source =
                            Source::from_table(table, alias_ident, table.name.to_lowercase());
                        let sql = format!(
                            "{} AS {}",
                            table.sql_name(),
                            quote_ident_always(&source.alias)
                        );
                        self.push_source(source, f);
                        Ok(sql)
                    }
                    Err(problem) => {
                        if let Some(problem) = problem {
                            self.record(problem);
                        }
                        let source = Source::open(&parts, alias_ident);
                        let sql = format!("{name} AS {}", quote_ident_always(&source.alias));
                        self.push_source(source, f);
                        Ok(sql)
                    }
                }
            }
            TableFactor::Derived {
                lateral,
                subquery,
                alias: a,
                sample,
            } => {
                if *lateral || sample.is_some() {
                    return refuse_at(at, "LATERAL is not ADQL");
                }
                let Some(a) = a else {
                    return refuse_at(at, "a subquery in FROM needs a name")
                        .map_err(|e| e.with_hint("(SELECT …) AS sub"));
                };
                alias(a)?;
                self.scopes.levels.push(Vec::new());
                let relation = self.query(subquery);
                self.scopes.levels.pop();
                let relation = relation?;
                let source = Source::derived(
                    canonical(&a.name),
                    source_columns(&relation.columns),
                    relation.open,
                );
                let out = format!(
                    "({}) AS {}",
                    relation.sql,
                    quote_ident_always(&source.alias)
                );
                self.push_source(source, f);
                Ok(out)
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias: a,
            } => {
                if a.is_some() {
                    return refuse_at(at, "a parenthesised join cannot be renamed in ADQL");
                }
                Ok(format!("({})", self.table_with_joins(table_with_joins)?))
            }
            _ => refuse_at(at, "this table reference is not ADQL"),
        }
    }

    /// Puts a FROM entry in scope; a name used twice is recorded (and the second entry
    /// left out).
    fn push_source(&mut self, source: Source, f: &TableFactor) {
        let level = self.scopes.levels.last_mut().unwrap();
        if level
            .iter()
            .any(|s| s.alias.eq_ignore_ascii_case(&source.alias))
        {
            self.record(
                AdqlError::at(
                    format!("the name {} is used twice in FROM", source.alias),
                    f.span().start,
                )
                .with_hint("give one of them an alias"),
            );
            return;
        }
        level.push(source);
    }
}
