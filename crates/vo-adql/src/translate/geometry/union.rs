//! REGION literals with several pieces or holes (`Union (…)`, `Polygon … Not (…)`): not one
//! pgSphere value, so predicates on them expand into one test per piece, each excluding the
//! piece's holes.

use super::operand::{LiteralPiece, Operand};
use crate::error::AdqlError;
use crate::pg::{self, shape_in_region, shape_intersects_region};
use crate::types::Kind;
use sqlparser::tokenizer::Location;
use vo_region::Region;

pub(super) fn pieces(region: &Region) -> Vec<LiteralPiece> {
    region
        .pieces
        .iter()
        .map(|p| LiteralPiece {
            outer: pg::shape_literal(&p.outer),
            holes: p.holes.iter().map(pg::shape_literal).collect(),
        })
        .collect()
}

fn any(tests: Vec<String>) -> String {
    format!("({})", tests.join(" OR "))
}

/// `x` (a point or shape) lies in some piece and touches none of its holes.
fn shape_within(x: &str, is_point: bool, pieces: &[LiteralPiece]) -> String {
    any(pieces
        .iter()
        .map(|p| {
            let outside_holes: String = p
                .holes
                .iter()
                .map(|h| {
                    if is_point {
                        format!(" AND NOT ({x} @ {h})")
                    } else {
                        format!(" AND NOT ({x} && {h})")
                    }
                })
                .collect();
            format!("({x} @ {}{outside_holes})", p.outer)
        })
        .collect())
}

/// `x` overlaps some piece outside that piece's holes.
fn shape_overlaps(x: &str, is_point: bool, pieces: &[LiteralPiece]) -> String {
    if is_point {
        return shape_within(x, true, pieces);
    }
    any(pieces
        .iter()
        .map(|p| {
            let not_in_holes: String = p
                .holes
                .iter()
                .map(|h| format!(" AND NOT ({x} @ {h})"))
                .collect();
            format!("({x} && {}{not_in_holes})", p.outer)
        })
        .collect())
}

/// CONTAINS or INTERSECTS where at least one side is a literal union.
pub(super) fn predicate(
    name: &str,
    a: Operand,
    b: Operand,
    at: Location,
) -> Result<String, AdqlError> {
    let holes = |p: &[LiteralPiece]| p.iter().any(|x| !x.holes.is_empty());
    let refuse = |what: &str| {
        Err(AdqlError::at(format!("{name} {what} is not supported"), at)
            .with_hint("split the region into its pieces and join the tests with OR"))
    };
    match (name, a, b) {
        ("CONTAINS", Operand::Shape(x, k), Operand::Union(u)) => {
            Ok(shape_within(&x, k == Kind::Point, &u))
        }
        ("CONTAINS", Operand::Union(_), Operand::Shape(_, Kind::Point)) => Ok("FALSE".into()),
        ("CONTAINS", Operand::Union(u), Operand::Shape(x, _)) if !holes(&u) => Ok(format!(
            "({})",
            u.iter()
                .map(|p| format!("({} @ {x})", p.outer))
                .collect::<Vec<_>>()
                .join(" AND ")
        )),
        ("INTERSECTS", Operand::Shape(x, k), Operand::Union(u))
        | ("INTERSECTS", Operand::Union(u), Operand::Shape(x, k)) => {
            Ok(shape_overlaps(&x, k == Kind::Point, &u))
        }
        ("INTERSECTS", Operand::Region { alias }, Operand::Union(u))
        | ("INTERSECTS", Operand::Union(u), Operand::Region { alias })
            if !holes(&u) =>
        {
            Ok(any(u
                .iter()
                .map(|p| shape_intersects_region(&alias, &p.outer))
                .collect()))
        }
        ("CONTAINS", Operand::Region { alias }, Operand::Union(u)) if !holes(&u) => Ok(format!(
            "({})",
            u.iter()
                .map(|p| shape_in_region(&alias, &p.outer))
                .collect::<Vec<_>>()
                .join(" AND ")
        )),
        (_, Operand::Union(_), Operand::Union(_)) => refuse("between two unions"),
        _ => refuse("between s_region and a union with holes"),
    }
}
