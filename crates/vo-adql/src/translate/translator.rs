//! The translation's state: the catalogue, the names in scope, the WITH queries, and
//! whether the walk is inside a geometry predicate.

use crate::scope::{Scopes, SourceColumn};
use vo_catalogue::Catalogue;

pub(crate) struct Translator<'c> {
    pub(super) catalogue: &'c Catalogue,
    pub(crate) scopes: Scopes,
    pub(super) ctes: Vec<(String, Vec<SourceColumn>)>,
    pub(super) counter: usize,
    /// Inside CONTAINS/INTERSECTS: `POINT(s_ra, s_dec)` of ObsCore may become its indexed
    /// `s_point` there (elsewhere it must stay an expression of s_ra and s_dec, e.g. for
    /// GROUP BY).
    pub(crate) in_predicate: bool,
}
