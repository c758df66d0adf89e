//! ADQL geometry on pgSphere. Angles are degrees in ADQL and radians in pgSphere. ObsCore's
//! `s_region` is evaluated exactly through archive.obscore_footprint (unions and holes), after
//! a GiST-indexed test on `s_region_bound`; `POINT('ICRS', s_ra, s_dec)` of ObsCore becomes
//! its indexed `s_point`.

use super::translator::Translator;
use crate::error::AdqlError;
use crate::pg;
use crate::syntax::{function_name, literal_number};
use crate::types::Kind;
use sqlparser::ast::{Expr, Spanned, Value};

mod frames;
mod operand;
mod output;
mod union;

use frames::frame_ok;
use operand::Operand;

/// The region of a `REGION('…')` call whose STC-S has several pieces or holes.
fn literal_union(e: &Expr) -> Result<Option<vo_region::Region>, AdqlError> {
    let Expr::Function(f) = e else {
        return Ok(None);
    };
    if !function_name(f).is_some_and(|n| n.eq_ignore_ascii_case("REGION")) {
        return Ok(None);
    }
    let sqlparser::ast::FunctionArguments::List(list) = &f.args else {
        return Ok(None);
    };
    let Some(sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(arg))) =
        list.args.first()
    else {
        return Ok(None);
    };
    let Expr::Value(v) = arg else { return Ok(None) };
    let Value::SingleQuotedString(text) = &v.value else {
        return Ok(None);
    };
    let region = region_literal(text, arg)?;
    let simple = matches!(region.pieces.as_slice(), [piece] if piece.holes.is_empty());
    Ok((!simple).then_some(region))
}

/// The region a REGION literal describes, within the limits of a request.
fn region_literal(text: &str, at: &Expr) -> Result<vo_region::Region, AdqlError> {
    let region = vo_region::parse_stcs(text)
        .map_err(|err| AdqlError::at(format!("REGION: {err}"), at.span().start))?;
    match region.request_problem() {
        Some(problem) => Err(AdqlError::at(format!("REGION: {problem}"), at.span().start)),
        None => Ok(region),
    }
}

/// Refuses a radius written in the query that no circle can have.
fn check_radius(radius: &Expr) -> Result<(), AdqlError> {
    match literal_number(radius).and_then(vo_region::radius_problem) {
        Some(problem) => Err(AdqlError::at(problem, radius.span().start)),
        None => Ok(()),
    }
}

/// Refuses a polygon of more vertices than a request may give.
fn check_vertices(count: usize, at: &Expr) -> Result<(), AdqlError> {
    match vo_region::vertices_problem(count) {
        Some(problem) => Err(AdqlError::at(problem, at.span().start)),
        None => Ok(()),
    }
}

/// Splits off an optional leading coordinate-system argument.
fn without_frame(args: &[Expr]) -> Result<&[Expr], AdqlError> {
    match args.first() {
        Some(first @ Expr::Value(v))
            if matches!(v.value, Value::SingleQuotedString(_) | Value::Null) =>
        {
            frame_ok(first)?;
            Ok(&args[1..])
        }
        _ => Ok(args),
    }
}

impl Translator<'_> {
    fn number(&mut self, e: &Expr) -> Result<String, AdqlError> {
        let (sql, kind) = self.expr(e)?;
        if kind.is_geometry() {
            return Err(AdqlError::at(
                "a number is needed here, not a geometry",
                e.span().start,
            ));
        }
        Ok(if kind == Kind::Text {
            pg::to_double(&sql)
        } else {
            sql
        })
    }

    fn point_value(&mut self, e: &Expr) -> Result<String, AdqlError> {
        let (sql, kind) = self.expr(e)?;
        if kind != Kind::Point {
            return Err(AdqlError::at("a point is needed here", e.span().start));
        }
        Ok(sql)
    }

    fn operand(&mut self, e: &Expr) -> Result<Operand, AdqlError> {
        if let Some(region) = literal_union(e)? {
            return Ok(Operand::Union(union::pieces(&region)));
        }
        if let Some((alias, name)) = self.obscore_column(e) {
            if name == "s_region" {
                return Ok(Operand::Region { alias });
            }
        }
        let (sql, kind) = self.expr(e)?;
        match kind {
            Kind::Point | Kind::Circle | Kind::Box | Kind::Polygon => Ok(Operand::Shape(sql, kind)),
            Kind::Region => Err(AdqlError::at("geometry predicates on this region column are not supported; use ivoa.obscore's s_region", e.span().start)),
            _ => Err(AdqlError::at("a geometry is needed here", e.span().start).with_hint("POINT, CIRCLE, BOX, POLYGON, REGION or s_region")),
        }
    }
}

impl Translator<'_> {
    /// CONTAINS(a, b) or INTERSECTS(a, b) as a boolean SQL condition.
    pub(crate) fn geometry_predicate(&mut self, call: &Expr) -> Result<String, AdqlError> {
        let t = self;
        let Expr::Function(f) = call else {
            unreachable!("checked by is_predicate_call")
        };
        let name = function_name(f).unwrap_or_default().to_ascii_uppercase();
        let args = t.args(f);
        let outer = std::mem::replace(&mut t.in_predicate, true);
        let operands = t
            .operand(&args[0])
            .and_then(|a| Ok((a, t.operand(&args[1])?)));
        t.in_predicate = outer;
        let (a, b) = operands?;
        let at = call.span().start;
        if matches!(a, Operand::Union(_)) || matches!(b, Operand::Union(_)) {
            return union::predicate(&name, a, b, at);
        }
        Ok(match (name.as_str(), a, b) {
            ("CONTAINS", Operand::Shape(x, _), Operand::Shape(y, _)) => pg::within(&x, &y),
            ("CONTAINS", Operand::Shape(p, Kind::Point), Operand::Region { alias }) => {
                pg::point_in_region(&alias, &p)
            }
            ("CONTAINS", Operand::Shape(s, _), Operand::Region { alias }) => {
                pg::shape_in_region(&alias, &s)
            }
            ("CONTAINS", Operand::Region { .. }, Operand::Shape(_, Kind::Point)) => "FALSE".into(),
            ("CONTAINS", Operand::Region { alias }, Operand::Shape(s, _)) => {
                pg::region_in_shape(&alias, &s)
            }
            ("INTERSECTS", Operand::Shape(p, Kind::Point), Operand::Shape(s, _))
            | ("INTERSECTS", Operand::Shape(s, _), Operand::Shape(p, Kind::Point)) => {
                pg::within(&p, &s)
            }
            ("INTERSECTS", Operand::Shape(x, _), Operand::Shape(y, _)) => pg::overlaps(&x, &y),
            ("INTERSECTS", Operand::Shape(p, Kind::Point), Operand::Region { alias })
            | ("INTERSECTS", Operand::Region { alias }, Operand::Shape(p, Kind::Point)) => {
                pg::point_in_region(&alias, &p)
            }
            ("INTERSECTS", Operand::Shape(s, _), Operand::Region { alias })
            | ("INTERSECTS", Operand::Region { alias }, Operand::Shape(s, _)) => {
                pg::shape_intersects_region(&alias, &s)
            }
            (_, Operand::Region { .. }, Operand::Region { .. }) => {
                return Err(AdqlError::at(
                    format!("{name} between two s_region columns is not supported"),
                    at,
                )
                .with_hint("compare one of them with a POINT, CIRCLE, BOX or POLYGON"))
            }
            _ => unreachable!("CONTAINS and INTERSECTS only"),
        })
    }

    /// A geometry function used as a value.
    pub(crate) fn geometry_function(
        &mut self,
        e: &Expr,
        name: &str,
        args: &[Expr],
    ) -> Result<(String, Kind), AdqlError> {
        let t = self;
        let at = e.span().start;
        Ok(match name {
            "POINT" => {
                let xy = without_frame(args)?;
                if let (Some((a1, c1)), Some((a2, c2))) =
                    (t.obscore_column(&xy[0]), t.obscore_column(&xy[1]))
                {
                    if a1 == a2 && c1 == "s_ra" && c2 == "s_dec" && t.in_predicate {
                        return Ok((pg::obscore_point(&a1), Kind::Point));
                    }
                }
                let (x, y) = (t.number(&xy[0])?, t.number(&xy[1])?);
                (pg::point(&x, &y), Kind::Point)
            }
            "CIRCLE" => {
                let rest = without_frame(args)?;
                if let Some(radius) = rest.last() {
                    check_radius(radius)?;
                }
                let (centre, radius) = if rest.len() == 2 {
                    (t.point_value(&rest[0])?, t.number(&rest[1])?)
                } else {
                    let (x, y) = (t.number(&rest[0])?, t.number(&rest[1])?);
                    (pg::point(&x, &y), t.number(&rest[2])?)
                };
                (pg::circle(&centre, &radius), Kind::Circle)
            }
            "BOX" => {
                let rest = without_frame(args)?;
                let (x, y, w, h) = if rest.len() == 3 {
                    let p = t.point_value(&rest[0])?;
                    (
                        pg::coordinate(&p, true),
                        pg::coordinate(&p, false),
                        t.number(&rest[1])?,
                        t.number(&rest[2])?,
                    )
                } else {
                    (
                        t.number(&rest[0])?,
                        t.number(&rest[1])?,
                        t.number(&rest[2])?,
                        t.number(&rest[3])?,
                    )
                };
                (pg::centred_box(&x, &y, &w, &h), Kind::Box)
            }
            "RANGE_S2D" => {
                let v: Vec<String> = args.iter().map(|a| t.number(a)).collect::<Result<_, _>>()?;
                (pg::range_box(&v[0], &v[1], &v[2], &v[3]), Kind::Box)
            }
            "POLYGON" => {
                let rest = without_frame(args)?;
                let mut vertices = Vec::new();
                let first_kind = t.expr(&rest[0])?.1;
                check_vertices(
                    if first_kind == Kind::Point {
                        rest.len()
                    } else {
                        rest.len() / 2
                    },
                    e,
                )?;
                if first_kind == Kind::Point {
                    for a in rest {
                        vertices.push(t.point_value(a)?);
                    }
                } else {
                    if rest.len() % 2 != 0 {
                        return Err(AdqlError::at("POLYGON needs pairs of coordinates", at));
                    }
                    for pair in rest.chunks(2) {
                        let (x, y) = (t.number(&pair[0])?, t.number(&pair[1])?);
                        vertices.push(pg::point(&x, &y));
                    }
                }
                (pg::polygon(&vertices), Kind::Polygon)
            }
            "REGION" => {
                let Expr::Value(v) = &args[0] else {
                    unreachable!("validated")
                };
                let Value::SingleQuotedString(text) = &v.value else {
                    unreachable!("validated")
                };
                let region = region_literal(text, &args[0])?;
                match region.pieces.as_slice() {
                    [piece] if piece.holes.is_empty() => pg::region_shape(&piece.outer),
                    // as a value (selected), a union keeps its STC-S form, like s_region
                    _ => (
                        pg::string_literal(&vo_region::format_stcs(&region)),
                        Kind::Region,
                    ),
                }
            }
            "CENTROID" => match t.operand(&args[0])? {
                Operand::Shape(s, Kind::Point) => (s, Kind::Point),
                Operand::Shape(s, Kind::Circle) => (pg::centre(&s), Kind::Point),
                Operand::Region { alias } => (pg::obscore_point(&alias), Kind::Point),
                Operand::Shape(s, kind) => (pg::centroid(&s, kind), Kind::Point),
                Operand::Union(_) => {
                    return Err(AdqlError::at(
                        "CENTROID of a region with several pieces or holes is not supported",
                        at,
                    )
                    .with_hint("take the CENTROID of each piece"))
                }
            },
            "AREA" => match t.operand(&args[0])? {
                Operand::Shape(s, _) => (pg::area(&s), Kind::Number),
                Operand::Region { alias } => (pg::region_area(&alias), Kind::Number),
                Operand::Union(pieces) => {
                    let pieces: Vec<(String, Vec<String>)> =
                        pieces.into_iter().map(|p| (p.outer, p.holes)).collect();
                    (pg::union_area(&pieces), Kind::Number)
                }
            },
            "COORD1" | "COORD2" => {
                let p = t.point_value(&args[0])?;
                (pg::coordinate(&p, name == "COORD1"), Kind::Number)
            }
            "COORDSYS" => (pg::string_literal("ICRS"), Kind::Text),
            "DISTANCE" => {
                let (p1, p2) = if args.len() == 2 {
                    (t.point_value(&args[0])?, t.point_value(&args[1])?)
                } else {
                    let v: Vec<String> =
                        args.iter().map(|a| t.number(a)).collect::<Result<_, _>>()?;
                    (pg::point(&v[0], &v[1]), pg::point(&v[2], &v[3]))
                };
                (pg::distance(&p1, &p2), Kind::Number)
            }
            "CONTAINS" | "INTERSECTS" => (pg::as_number(&t.geometry_predicate(e)?), Kind::Number),
            _ => unreachable!("every geometry function is handled"),
        })
    }

    /// CAST(x AS POINT | CIRCLE | POLYGON) from the DALI serialisation.
    pub(crate) fn geometry_cast(
        &mut self,
        value: &Expr,
        value_sql: &str,
        target: &str,
    ) -> Result<(String, Kind), AdqlError> {
        output::cast(value, value_sql, target)
    }
}
