//! The walk's state: the catalogue (if any), the names in scope, the WITH queries, whether
//! the walk is inside a geometry predicate, and the first problem that is not the text's.

use super::select::OutputColumn;
use crate::error::AdqlError;
use crate::scope::{Scopes, SourceColumn};
use crate::types::Kind;
use sqlparser::ast::Expr;
use vo_catalogue::Catalogue;

pub(crate) struct Translator<'c> {
    /// None for the check: every table then offers any column, of unknown kind.
    pub(super) catalogue: Option<&'c Catalogue>,
    pub(crate) scopes: Scopes,
    pub(super) ctes: Vec<(String, Vec<SourceColumn>, bool)>,
    pub(super) counter: usize,
    /// Inside CONTAINS/INTERSECTS: `POINT(s_ra, s_dec)` of ObsCore may become its indexed
    /// `s_point` there (elsewhere it must stay an expression of s_ra and s_dec, e.g. for
    /// GROUP BY).
    pub(crate) in_predicate: bool,
    /// The first problem that needs the catalogue or is one of this service's limits (an
    /// unknown name, a type only the catalogue reveals, a frame this service does not
    /// convert). The walk goes on past it with a stand-in value, so that an error of the
    /// query's text anywhere is reported first; the check, which has no catalogue, never
    /// reports it.
    pub(super) unresolved: Option<AdqlError>,
    /// Where the condition being translated sits, for the interval ranges it may imply.
    pub(super) condition_context: ConditionContext,
    /// Literal numbers written as parameters, when the caller asked for them.
    pub(super) parameters: Option<super::parameters::Parameters>,
    /// Translating a literal number that bounds a range (`<`, `>`, `<=`, `>=`, BETWEEN),
    /// which stays literal even then: how many rows a range keeps depends on its numbers, and the plan
    /// PostgreSQL makes for any value of a parameter (its generic plan, which it may keep
    /// after five executions) counts every range at 0.5% of the rows — at a million rows it
    /// took one of ALMA's range queries from 49 to 83 ms. A cone's numbers stay parameters:
    /// its plan is the sky index's whatever they are.
    pub(super) in_range_bounds: bool,
    /// The terms of the chain of ANDs being translated that an interval's range says in
    /// their place (compared by address; never read through).
    pub(super) said_by_ranges: Vec<*const Expr>,
}

/// Where a condition sits: the interval ranges a condition implies are added where a false
/// and an unknown (NULL) truth keep the same rows, and once per chain of ANDs.
#[derive(Clone, Copy, Default)]
pub(crate) struct ConditionContext {
    /// A term of a chain of ANDs (the chain adds what its terms imply).
    pub in_conjunction: bool,
    /// Under NOT, where NOT of false keeps a row that NOT of unknown drops.
    pub under_not: bool,
}

impl ConditionContext {
    /// The context's value, leaving the top level's (a WHERE of its own) in its place.
    pub fn take(&mut self) -> ConditionContext {
        std::mem::take(self)
    }
}

/// A query's result as the walk knows it: its SQL and columns. An open relation reads a
/// table the walk does not know (the check has no catalogue): it may have more columns.
pub(crate) struct Relation {
    pub sql: String,
    pub columns: Vec<OutputColumn>,
    pub open: bool,
}

impl<'c> Translator<'c> {
    pub(crate) fn new(catalogue: Option<&'c Catalogue>) -> Translator<'c> {
        Translator {
            catalogue,
            scopes: Scopes::default(),
            ctes: Vec::new(),
            counter: 0,
            in_predicate: false,
            unresolved: None,
            condition_context: ConditionContext::default(),
            parameters: None,
            in_range_bounds: false,
            said_by_ranges: Vec::new(),
        }
    }

    /// A literal number as the SQL writes it: itself, or a parameter standing for it.
    pub(super) fn write_number(&mut self, text: &str, kind: Kind) -> String {
        match &mut self.parameters {
            Some(p) if !self.in_range_bounds => p.marker(text, kind.literal_pg_type()),
            _ => text.to_string(),
        }
    }

    /// `translate` of `operand`, a range's bound when `bounds_range`: then a literal number
    /// stays literal (see [`Translator::in_range_bounds`]); anything else is written as
    /// anywhere.
    pub(super) fn range_bound<T>(
        &mut self,
        bounds_range: bool,
        operand: &Expr,
        translate: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let literal = bounds_range && crate::syntax::literal_number(operand).is_some();
        let outer = std::mem::replace(&mut self.in_range_bounds, literal);
        let translated = translate(self);
        self.in_range_bounds = outer;
        translated
    }

    /// Notes a problem that is not the query text's (the first one is kept).
    pub(super) fn record(&mut self, problem: AdqlError) {
        if self.unresolved.is_none() {
            self.unresolved = Some(problem);
        }
    }

    /// Notes a problem and gives the value that stands in for the expression it is in.
    pub(super) fn stand_in(&mut self, problem: AdqlError) -> (String, Kind) {
        self.record(problem);
        ("NULL".into(), Kind::Unknown)
    }
}
