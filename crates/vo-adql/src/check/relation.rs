//! FROM: tables, joins and derived tables.

use super::operand::*;
use super::validator::Validator;
use crate::error::AdqlError;
use sqlparser::ast::{JoinConstraint, JoinOperator, Spanned, TableFactor, TableWithJoins};

impl Validator {
    pub(super) fn table_with_joins(&mut self, t: &TableWithJoins) -> Result<(), AdqlError> {
        self.table_factor(&t.relation)?;
        for join in &t.joins {
            if join.global {
                return refuse_at(join.relation.span().start, "GLOBAL JOIN is not ADQL");
            }
            let constraint = match &join.join_operator {
                JoinOperator::Join(c)
                | JoinOperator::Inner(c)
                | JoinOperator::Left(c)
                | JoinOperator::LeftOuter(c)
                | JoinOperator::Right(c)
                | JoinOperator::RightOuter(c)
                | JoinOperator::FullOuter(c) => c,
                JoinOperator::CrossJoin(_) => {
                    return refuse_at(join.relation.span().start, "CROSS JOIN is not ADQL")
                        .map_err(|e| e.with_hint("list the tables with commas: FROM a, b"))
                }
                _ => return refuse_at(join.relation.span().start, "this kind of join is not ADQL"),
            };
            self.table_factor(&join.relation)?;
            match constraint {
                JoinConstraint::On(condition) => self.condition(condition)?,
                JoinConstraint::Using(columns) => {
                    for c in columns {
                        object_name(c, 1, "column")?;
                    }
                }
                JoinConstraint::Natural | JoinConstraint::None => {}
            }
        }
        Ok(())
    }
    pub(super) fn table_factor(&mut self, f: &TableFactor) -> Result<(), AdqlError> {
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
                Ok(())
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
                self.query(subquery)
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias: a,
            } => {
                if a.is_some() {
                    return refuse_at(at, "a parenthesised join cannot be renamed in ADQL");
                }
                self.table_with_joins(table_with_joins)
            }
            _ => refuse_at(at, "this table reference is not ADQL"),
        }
    }
}
