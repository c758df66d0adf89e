//! A query: WITH, set operations, ORDER BY/OFFSET/TOP, subqueries.

use super::select::{output_column, sort_direction, OutputColumn};
use super::translator::Translator;

use crate::error::AdqlError;
use crate::scope::{canonical, quote_ident_always, SourceColumn};
use sqlparser::ast::{
    Expr, LimitClause, OrderBy, OrderByKind, Query, SetExpr, SetOperator, SetQuantifier, Spanned,
    Value,
};

impl<'c> Translator<'c> {
    pub(super) fn query(
        &mut self,
        q: &Query,
        limit: Option<u64>,
    ) -> Result<(String, Vec<OutputColumn>), AdqlError> {
        let mut sql = String::new();
        let outer_ctes = self.ctes.len();
        if let Some(with) = &q.with {
            let mut parts = Vec::new();
            for cte in &with.cte_tables {
                self.scopes.levels.push(Vec::new());
                let (body, columns) = self.query(&cte.query, None)?;
                self.scopes.levels.pop();
                let name = canonical(&cte.alias.name);
                parts.push(format!("{} AS ({body})", quote_ident_always(&name)));
                let source_columns = columns
                    .iter()
                    .map(|c| SourceColumn::derived(c.name.clone(), c.meta.clone()))
                    .collect();
                self.ctes.push((name, source_columns));
            }
            sql.push_str(&format!("WITH {} ", parts.join(", ")));
        }
        let offset = match &q.limit_clause {
            Some(LimitClause::LimitOffset {
                offset: Some(o), ..
            }) => Some(o.value.to_string()),
            _ => None,
        };
        let (body, columns) = match &*q.body {
            SetExpr::Select(s) => self.select(s, q.order_by.as_ref(), limit, offset.as_deref())?,
            other => {
                let (body, columns) = self.set_expression(other)?;
                let mut body = body;
                if let Some(order) = &q.order_by {
                    body.push_str(&self.order_by_output(order, &columns)?);
                }
                if let Some(l) = limit {
                    body.push_str(&format!(" LIMIT {l}"));
                }
                if let Some(o) = &offset {
                    body.push_str(&format!(" OFFSET {o}"));
                }
                (body, columns)
            }
        };
        self.ctes.truncate(outer_ctes);
        sql.push_str(&body);
        Ok((sql, columns))
    }

    pub(super) fn set_expression(
        &mut self,
        body: &SetExpr,
    ) -> Result<(String, Vec<OutputColumn>), AdqlError> {
        match body {
            SetExpr::Select(s) => self.select(s, None, None, None),
            SetExpr::Query(q) => {
                let (sql, columns) = self.query(q, None)?;
                Ok((format!("({sql})"), columns))
            }
            SetExpr::SetOperation {
                op,
                set_quantifier,
                left,
                right,
            } => {
                let (l, columns) = self.set_expression(left)?;
                let (r, right_columns) = self.set_expression(right)?;
                if columns.len() != right_columns.len() {
                    return Err(AdqlError::at(
                        format!(
                            "the two sides of {op} have {} and {} columns",
                            columns.len(),
                            right_columns.len()
                        ),
                        body.span().start,
                    ));
                }
                let word = match op {
                    SetOperator::Union => "UNION",
                    SetOperator::Except => "EXCEPT",
                    _ => "INTERSECT",
                };
                let all = if *set_quantifier == SetQuantifier::All {
                    " ALL"
                } else {
                    ""
                };
                Ok((format!("({l}) {word}{all} ({r})"), columns))
            }
            _ => unreachable!("the validator admits only SELECT and set operations"),
        }
    }

    pub(super) fn order_by_output(
        &mut self,
        order: &OrderBy,
        columns: &[OutputColumn],
    ) -> Result<String, AdqlError> {
        let OrderByKind::Expressions(items) = &order.kind else {
            unreachable!("validated")
        };
        let mut parts = Vec::new();
        for item in items {
            let direction = sort_direction(&item.options);
            let target = match &item.expr {
                Expr::Value(v) if matches!(v.value, Value::Number(_, _)) => v.value.to_string(),
                Expr::Identifier(i) => match output_column(columns, i) {
                    Some(c) => quote_ident_always(&c.name),
                    None => return Err(AdqlError::at(format!("ORDER BY {i}: after UNION/EXCEPT/INTERSECT only result columns can be sorted on"), i.span.start)),
                },
                other => return Err(AdqlError::at("after UNION/EXCEPT/INTERSECT, ORDER BY takes result column names or numbers", other.span().start)),
            };
            parts.push(format!("{target}{direction}"));
        }
        Ok(format!(" ORDER BY {}", parts.join(", ")))
    }

    pub(super) fn subquery(&mut self, q: &Query) -> Result<(String, Vec<OutputColumn>), AdqlError> {
        self.query(q, None)
    }
}
