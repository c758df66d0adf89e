//! One SELECT: its items, TOP, DISTINCT, WHERE, GROUP BY, HAVING.

use super::operand::*;
use super::validator::Validator;
use crate::error::AdqlError;
use crate::syntax::{identifier, is_unsigned_integer};
use sqlparser::ast::{
    Distinct, GroupByExpr, Select, SelectFlavor, SelectItem, SelectItemQualifiedWildcardKind,
    TopQuantity,
};

impl Validator {
    pub(super) fn select(&mut self, s: &Select) -> Result<(), AdqlError> {
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
        for item in &s.projection {
            match item {
                SelectItem::UnnamedExpr(e) => {
                    self.value(e)?;
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    self.value(expr)?;
                    identifier(alias)?;
                }
                SelectItem::Wildcard(options) if plain_wildcard(options) => {}
                SelectItem::QualifiedWildcard(
                    SelectItemQualifiedWildcardKind::ObjectName(name),
                    options,
                ) if plain_wildcard(options) => {
                    object_name(name, 3, "table")?;
                }
                _ => return refuse_at(at, "this select-list item is not ADQL"),
            }
        }
        if s.from.is_empty() {
            return refuse_at(at, "ADQL needs a FROM clause")
                .map_err(|e| e.with_hint("SELECT … FROM table"));
        }
        for table in &s.from {
            self.table_with_joins(table)?;
        }
        if let Some(condition) = &s.selection {
            self.condition(condition)?;
        }
        match &s.group_by {
            GroupByExpr::Expressions(items, modifiers) => {
                if !modifiers.is_empty() {
                    return refuse_at(at, "GROUP BY modifiers are not ADQL");
                }
                for item in items {
                    self.value(item)?;
                }
            }
            GroupByExpr::All(_) => return refuse_at(at, "GROUP BY ALL is not ADQL"),
        }
        if let Some(having) = &s.having {
            self.condition(having)?;
        }
        Ok(())
    }
}
