//! What a geometry predicate or function works on.

use crate::types::Kind;

/// A geometry operand: a pgSphere value, or ObsCore's s_region of a FROM entry.
pub(super) enum Operand {
    Shape(String, Kind),
    Region {
        alias: String,
    },
    /// A REGION literal with several pieces or holes.
    Union(Vec<LiteralPiece>),
}

/// One piece of a literal region: its outline and holes as pgSphere literals.
pub(super) struct LiteralPiece {
    pub outer: String,
    pub holes: Vec<String>,
}
