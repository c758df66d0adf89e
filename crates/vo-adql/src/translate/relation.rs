//! FROM: tables, joins and derived tables, each a source of named columns.

use super::translator::Translator;

use crate::error::AdqlError;
use crate::scope::{canonical, find_table, quote_ident_always, refers_to, Source, SourceColumn};
use sqlparser::ast::{JoinConstraint, JoinOperator, Spanned, TableFactor, TableWithJoins};

impl<'c> Translator<'c> {
    pub(super) fn table_with_joins(&mut self, t: &TableWithJoins) -> Result<String, AdqlError> {
        let mut sql = self.table_factor(&t.relation)?;
        for join in &t.joins {
            let (word, constraint) = match &join.join_operator {
                JoinOperator::Join(c) | JoinOperator::Inner(c) => ("JOIN", c),
                JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => ("LEFT OUTER JOIN", c),
                JoinOperator::Right(c) | JoinOperator::RightOuter(c) => ("RIGHT OUTER JOIN", c),
                JoinOperator::FullOuter(c) => ("FULL OUTER JOIN", c),
                _ => unreachable!("validated"),
            };
            let right = self.table_factor(&join.relation)?;
            match constraint {
                JoinConstraint::On(c) => {
                    sql = format!("{sql} {word} {right} ON {}", self.condition(c)?)
                }
                JoinConstraint::Using(names) => {
                    let level = self.scopes.levels.last().unwrap();
                    let mut columns = Vec::with_capacity(names.len());
                    for n in names {
                        let ident =
                            n.0.last()
                                .and_then(|p| p.as_ident())
                                .expect("validated: a column name");
                        let column = level.iter().find_map(|s| s.find(ident)).ok_or_else(|| {
                            AdqlError::at(
                                format!(
                                    "USING ({}): no such column in the joined tables",
                                    ident.value
                                ),
                                ident.span.start,
                            )
                        })?;
                        columns.push(column.sql());
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
        match f {
            TableFactor::Table { name, alias, .. } => {
                let parts: Vec<sqlparser::ast::Ident> = name
                    .0
                    .iter()
                    .filter_map(|p| p.as_ident().cloned())
                    .collect();
                if parts.len() == 1 {
                    let wanted = &parts[0];
                    if let Some((cte, columns)) =
                        self.ctes.iter().rev().find(|(n, _)| refers_to(wanted, n))
                    {
                        let alias_name = alias
                            .as_ref()
                            .map(|a| canonical(&a.name))
                            .unwrap_or_else(|| cte.clone());
                        let source = Source::derived(alias_name.clone(), columns.clone());
                        let sql = format!(
                            "{} AS {}",
                            quote_ident_always(cte),
                            quote_ident_always(&alias_name)
                        );
                        self.push_source(source, f)?;
                        return Ok(sql);
                    }
                }
                let table = find_table(self.catalogue, &parts)?;
                let default_alias = table.name.to_lowercase();
                let source =
                    Source::from_table(table, alias.as_ref().map(|a| &a.name), default_alias);
                let sql = format!(
                    "{} AS {}",
                    table.sql_name(),
                    quote_ident_always(&source.alias)
                );
                self.push_source(source, f)?;
                Ok(sql)
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                let alias = alias
                    .as_ref()
                    .expect("validated: derived tables have a name");
                self.scopes.levels.push(Vec::new());
                let (sql, columns) = self.query(subquery, None)?;
                self.scopes.levels.pop();
                let source = Source::derived(
                    canonical(&alias.name),
                    columns
                        .iter()
                        .map(|c| SourceColumn::derived(c.name.clone(), c.meta.clone()))
                        .collect(),
                );
                let out = format!("({sql}) AS {}", quote_ident_always(&source.alias));
                self.push_source(source, f)?;
                Ok(out)
            }
            TableFactor::NestedJoin {
                table_with_joins, ..
            } => Ok(format!("({})", self.table_with_joins(table_with_joins)?)),
            _ => unreachable!("validated"),
        }
    }

    pub(super) fn push_source(&mut self, source: Source, f: &TableFactor) -> Result<(), AdqlError> {
        let level = self.scopes.levels.last_mut().unwrap();
        if level
            .iter()
            .any(|s| s.alias.eq_ignore_ascii_case(&source.alias))
        {
            return Err(AdqlError::at(
                format!("the name {} is used twice in FROM", source.alias),
                f.span().start,
            )
            .with_hint("give one of them an alias"));
        }
        level.push(source);
        Ok(())
    }
}
