//! One SELECT: its form, its output columns (with `*` expanded from the catalogue), TOP,
//! DISTINCT, WHERE, GROUP BY, HAVING, ORDER BY.

use super::query::order_items;
use super::rules::*;
use super::translator::{Relation, Translator};
use crate::error::AdqlError;
use crate::pg::{self};
use crate::scope::{quote_ident_always, Kind, Source, SourceColumn};
use crate::syntax::{function_name, identifier, is_unsigned_integer};
use crate::types::Width;
use sqlparser::ast::{
    Distinct, Expr, GroupByExpr, OrderBy, Query, Select, SelectFlavor, SelectItem,
    SelectItemQualifiedWildcardKind, Spanned, TopQuantity,
};
use std::sync::Arc;
use vo_catalogue::Column;

impl<'c> Translator<'c> {
    /// One SELECT, with the ORDER BY (and where its query begins), row limit and offset
    /// of the query it is the body of.
    pub(super) fn select(
        &mut self,
        s: &Select,
        order: Option<(&OrderBy, &Query)>,
        limit: Option<u64>,
        offset: Option<&str>,
    ) -> Result<Relation, AdqlError> {
        select_form(s)?;
        self.scopes.levels.push(Vec::new());
        let relation = self.select_in_scope(s, order, limit, offset);
        self.scopes.levels.pop();
        relation
    }

    fn select_in_scope(
        &mut self,
        s: &Select,
        order: Option<(&OrderBy, &Query)>,
        limit: Option<u64>,
        offset: Option<&str>,
    ) -> Result<Relation, AdqlError> {
        let at = s.select_token.0.span.start;
        let mut from = Vec::new();
        for table in &s.from {
            from.push(self.table_with_joins(table)?);
        }
        let open = self.scopes.levels.last().unwrap().iter().any(|s| s.open);
        let distinct = match s.distinct {
            Some(Distinct::Distinct) => "DISTINCT ",
            _ => "",
        };
        // the statement, its select list written as it goes (", " between items)
        let mut sql = String::with_capacity(256);
        sql.push_str("SELECT ");
        sql.push_str(distinct);
        let list_start = sql.len();
        let mut columns = Vec::new();
        for item in &s.projection {
            match item {
                SelectItem::Wildcard(options) if plain_wildcard(options) => {
                    for source in self.scopes.levels.last().unwrap() {
                        expand_source(source, &mut sql, list_start, &mut columns);
                    }
                }
                SelectItem::QualifiedWildcard(
                    SelectItemQualifiedWildcardKind::ObjectName(name),
                    options,
                ) if plain_wildcard(options) => {
                    object_name(name, 3, "table")?;
                    let parts: Vec<&sqlparser::ast::Ident> =
                        name.0.iter().filter_map(|p| p.as_ident()).collect();
                    let level = self.scopes.levels.last().unwrap();
                    match level.iter().find(|src| src.matches_qualifier(&parts)) {
                        Some(source) => expand_source(source, &mut sql, list_start, &mut columns),
                        None if open => {}
                        None => {
                            let written = parts
                                .iter()
                                .map(|i| i.value.as_str())
                                .collect::<Vec<_>>()
                                .join(".");
                            self.record(AdqlError::at(
                                format!(
                                    "{written}.*: there is no table {written} in this query's FROM"
                                ),
                                name.span().start,
                            ));
                        }
                    }
                }
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    let (value, kind, meta) = self.output_expr(e)?;
                    let name = match item {
                        SelectItem::ExprWithAlias { alias, .. } => {
                            identifier(alias)?;
                            alias.value.clone()
                        }
                        _ => match (&meta, e) {
                            (Some(m), _) => m.name.clone(),
                            (None, Expr::Function(f)) => {
                                function_name(f).unwrap_or("expr").to_ascii_lowercase()
                            }
                            (None, Expr::Identifier(i)) if kind == Kind::Unknown => i.value.clone(),
                            _ => {
                                self.counter += 1;
                                format!("col{}", self.counter)
                            }
                        },
                    };
                    next_item(&mut sql, list_start);
                    sql.push_str(&value);
                    sql.push_str(" AS ");
                    vo_catalogue::write_delimited(&name, &mut sql);
                    let (datatype, arraysize, xtype) = kind_votable(kind);
                    let meta = if matches!(item, SelectItem::ExprWithAlias { .. }) {
                        meta.map(|m| {
                            Arc::new(Column {
                                name: name.clone(),
                                ..(*m).clone()
                            })
                        })
                    } else {
                        meta
                    };
                    columns.push(OutputColumn {
                        name: own_name(&name, meta.as_ref()),
                        meta,
                        datatype,
                        arraysize,
                        xtype,
                        kind,
                    });
                }
                _ => return refuse_at(at, "this select-list item is not ADQL"),
            }
        }
        // (the select list is the grammar's before FROM's presence is)
        if s.from.is_empty() {
            return refuse_at(at, "ADQL needs a FROM clause")
                .map_err(|e| e.with_hint("SELECT … FROM table"));
        }
        sql.push_str(" FROM ");
        sql.push_str(&from.join(", "));
        if let Some(w) = &s.selection {
            sql.push_str(&format!(" WHERE {}", self.condition(w)?));
        }
        match &s.group_by {
            GroupByExpr::Expressions(group, modifiers) => {
                if !modifiers.is_empty() {
                    return refuse_at(at, "GROUP BY modifiers are not ADQL");
                }
                if !group.is_empty() {
                    let mut parts = Vec::new();
                    for g in group {
                        parts.push(self.group_or_order_expr(g, &columns)?);
                    }
                    sql.push_str(&format!(" GROUP BY {}", parts.join(", ")));
                }
            }
            GroupByExpr::All(_) => return refuse_at(at, "GROUP BY ALL is not ADQL"),
        }
        if let Some(h) = &s.having {
            sql.push_str(&format!(" HAVING {}", self.condition(h)?));
        }
        if let Some((order, query)) = order {
            let mut parts = Vec::new();
            for item in order_items(order, query)? {
                let direction = sort_direction(&item.options);
                parts.push(format!(
                    "{}{direction}",
                    self.group_or_order_expr(&item.expr, &columns)?
                ));
            }
            sql.push_str(&format!(" ORDER BY {}", parts.join(", ")));
        }
        if let Some(l) = limit {
            sql.push_str(&format!(" LIMIT {l}"));
        }
        if let Some(o) = offset {
            sql.push_str(&format!(" OFFSET {o}"));
        }
        Ok(Relation { sql, columns, open })
    }

    /// GROUP BY / ORDER BY terms: a column number, a result alias, or an expression.
    pub(super) fn group_or_order_expr(
        &mut self,
        e: &Expr,
        columns: &[OutputColumn],
    ) -> Result<String, AdqlError> {
        if is_unsigned_integer(e) {
            return Ok(e.to_string());
        }
        if let Expr::Identifier(i) = e {
            identifier(i)?;
            let in_scope = self.scopes.resolve(std::slice::from_ref(i)).is_ok();
            if !in_scope {
                if let Some(c) = output_column(columns, i) {
                    return Ok(quote_ident_always(c.name()));
                }
            }
        }
        Ok(self.expr(e)?.0)
    }

    /// A select-list expression: geometry values come out as DALI arrays.
    pub(super) fn output_expr(
        &mut self,
        e: &Expr,
    ) -> Result<(String, Kind, Option<Arc<Column>>), AdqlError> {
        if let Expr::Identifier(_) | Expr::CompoundIdentifier(_) = e {
            let parts = match e {
                Expr::Identifier(i) => vec![i.clone()],
                Expr::CompoundIdentifier(p) => p.clone(),
                _ => unreachable!(),
            };
            let Some(resolved) = self.column(e, &parts)? else {
                return Ok(("NULL".into(), Kind::Unknown, None));
            };
            let kind = resolved.column.kind;
            // a geometry column (an uploaded point, circle or polygon) comes out as a DALI
            // array too; s_region (a Region) stays ALMA's STC-S text
            let sql = match kind {
                Kind::Point | Kind::Circle | Kind::Polygon | Kind::Box => {
                    pg::as_output(&resolved.sql, kind)
                }
                _ => resolved.sql,
            };
            return Ok((sql, kind, resolved.column.meta().cloned()));
        }
        let (sql, kind) = self.expr(e)?;
        Ok((pg::as_output(&sql, kind), kind, None))
    }
}

/// `source.*`: every column of a FROM entry, named as the catalogue names it, appended to
/// the select list that begins at `list_start` in `items`.
pub(super) fn expand_source(
    source: &Source,
    items: &mut String,
    list_start: usize,
    columns: &mut Vec<OutputColumn>,
) {
    let alias = quote_ident_always(&source.alias);
    columns.reserve(source.columns.len());
    for c in &source.columns {
        next_item(items, list_start);
        if matches!(
            c.kind,
            Kind::Point | Kind::Circle | Kind::Polygon | Kind::Box
        ) {
            // an uploaded geometry comes out as a DALI array, as when it is named
            let mut column = format!("{alias}.");
            c.write_sql(&mut column);
            items.push_str(&pg::as_output(&column, c.kind));
        } else {
            items.push_str(&alias);
            items.push('.');
            c.write_sql(items);
        }
        items.push_str(" AS ");
        vo_catalogue::write_delimited(c.name(), items);
        columns.push(out_from_source(c));
    }
}

/// Where the next item of the select list that begins at `list_start` goes: after a comma
/// unless it is the first.
fn next_item(list: &mut String, list_start: usize) {
    if list.len() > list_start {
        list.push_str(", ");
    }
}

pub(super) fn out_from_source(c: &SourceColumn) -> OutputColumn {
    let (datatype, arraysize, xtype) = kind_votable(c.kind);
    OutputColumn {
        name: own_name(c.name(), c.meta()),
        meta: c.meta().cloned(),
        datatype,
        arraysize,
        xtype,
        kind: c.kind,
    }
}

/// A result column's name when it is not its metadata's (a catalogue column's name is its
/// metadata's, not a copy).
fn own_name(name: &str, meta: Option<&Arc<Column>>) -> Option<String> {
    match meta {
        Some(m) if m.name == name => None,
        _ => Some(name.to_string()),
    }
}

/// The result column an identifier names (ORDER BY / GROUP BY by output name).
pub(super) fn output_column<'a>(
    columns: &'a [OutputColumn],
    i: &sqlparser::ast::Ident,
) -> Option<&'a OutputColumn> {
    columns.iter().find(|c| {
        if i.quote_style.is_some() {
            c.name() == i.value
        } else {
            c.name().eq_ignore_ascii_case(&i.value)
        }
    })
}

pub(super) fn sort_direction(options: &sqlparser::ast::OrderByOptions) -> &'static str {
    match options.sort {
        Some(sqlparser::ast::OrderBySort::Desc) => " DESC",
        Some(sqlparser::ast::OrderBySort::Asc) => " ASC",
        _ => "",
    }
}

/// One column of the result.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputColumn {
    /// The name, unless it is the catalogue metadata's (see [`OutputColumn::name`]).
    name: Option<String>,
    /// The catalogue's metadata when the column is a plain column reference.
    pub meta: Option<Arc<Column>>,
    /// VOTable datatype and arraysize/xtype for computed values.
    pub datatype: &'static str,
    pub arraysize: Option<&'static str>,
    pub xtype: Option<&'static str>,
    /// The kind of its values, for a query that reads it as a subquery or WITH query.
    pub(crate) kind: Kind,
}

impl OutputColumn {
    /// The column's name in the result.
    pub fn name(&self) -> &str {
        match (&self.name, &self.meta) {
            (Some(name), _) => name,
            (None, Some(meta)) => &meta.name,
            (None, None) => unreachable!("a column without metadata keeps its own name"),
        }
    }

    /// Gives a computed column another kind, and the VOTable type that goes with it.
    pub(super) fn set_kind(&mut self, kind: Kind) {
        if self.meta.is_none() {
            (self.datatype, self.arraysize, self.xtype) = kind_votable(kind);
        }
        self.kind = kind;
    }
}

pub(super) fn kind_votable(
    kind: Kind,
) -> (&'static str, Option<&'static str>, Option<&'static str>) {
    match kind {
        Kind::Number | Kind::Null => ("double", None, None),
        Kind::Integer(Width::Short) => ("short", None, None),
        Kind::Integer(Width::Int) => ("int", None, None),
        Kind::Integer(Width::Long) => ("long", None, None),
        // computed text may hold anything its operands or the query's literals hold
        Kind::Text => ("unicodeChar", Some("*"), None),
        Kind::Timestamp => ("char", Some("*"), Some("timestamp")),
        Kind::Point => ("double", Some("2"), Some("point")),
        Kind::Circle => ("double", Some("3"), Some("circle")),
        Kind::Box | Kind::Polygon => ("double", Some("*"), Some("polygon")),
        Kind::Region => ("char", Some("*"), Some("adql:REGION")),
        // only the check (no catalogue, so no fields written) meets these
        Kind::Geometry | Kind::Unknown => ("char", Some("*"), None),
    }
}

/// The parts of a SELECT that ADQL does not have, and the form of TOP and DISTINCT.
fn select_form(s: &Select) -> Result<(), AdqlError> {
    let at = s.select_token.0.span.start;
    if !s.optimizer_hints.is_empty()
        || s.select_modifiers.is_some()
        || s.exclude.is_some()
        || !s.lateral_views.is_empty()
        || s.prewhere.is_some()
        || !s.connect_by.is_empty()
        || !s.cluster_by.is_empty()
        || !s.distribute_by.is_empty()
        || !s.sort_by.is_empty()
        || !s.named_window.is_empty()
        || s.qualify.is_some()
        || s.value_table_mode.is_some()
        || s.flavor != SelectFlavor::Standard
    {
        return refuse_at(at, "this SELECT form is not ADQL");
    }
    if s.into.is_some() {
        return refuse_at(at, "SELECT INTO is not ADQL");
    }
    if let Some(Distinct::On(_)) = &s.distinct {
        return refuse_at(at, "DISTINCT ON is not ADQL");
    }
    if let Some(top) = &s.top {
        if top.with_ties || top.percent {
            return refuse_at(at, "TOP takes only a number of rows in ADQL");
        }
        match &top.quantity {
            Some(TopQuantity::Constant(_)) => {}
            Some(TopQuantity::Expr(e)) if is_unsigned_integer(e) => {}
            _ => return refuse_at(at, "TOP takes an unsigned integer"),
        }
        if s.distinct.is_some() && s.top_before_distinct {
            return refuse_at(at, "DISTINCT comes before TOP in ADQL")
                .map_err(|e| e.with_hint("SELECT DISTINCT TOP 10 …"));
        }
    }
    Ok(())
}
