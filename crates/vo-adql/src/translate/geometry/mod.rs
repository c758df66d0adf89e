//! ADQL geometry on pgSphere: each function's arguments (their number and kinds), then its
//! pgSphere form. Angles are degrees in ADQL and radians in pgSphere. ObsCore's
//! `s_region` is evaluated exactly through archive.obscore_footprint (unions and holes), after
//! a GiST-indexed test on `s_region_bound`; `POINT('ICRS', s_ra, s_dec)` of ObsCore becomes
//! its indexed `s_point`.

use super::function::arguments;
use super::rules::*;
use super::translator::Translator;
use crate::error::AdqlError;
use crate::functions::AGGREGATES;
use crate::pg;
use crate::syntax::{function_name, literal_number};
use crate::types::Kind;
use sqlparser::ast::{Expr, Spanned, Value};

mod frames;
mod operand;
mod output;
mod union;

use frames::{converted, frame_ok, not_converted};
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

/// A geometry argument. Like the reference validators, only values that cannot possibly be
/// geometries (strings, arithmetic, numeric functions and literals) are refused by the
/// grammar; the kind a column has is the catalogue's to tell.
fn geometry_arg(name: &str, a: &Expr, t: Kind) -> Result<(), AdqlError> {
    let arithmetic = matches!(a, Expr::BinaryOp { .. } | Expr::UnaryOp { .. });
    let aggregate = matches!(a, Expr::Function(f) if function_name(f).is_some_and(|n| AGGREGATES.iter().any(|g| g.eq_ignore_ascii_case(n))));
    let numeric_function = t.is_number()
        && !aggregate
        && matches!(
            a,
            Expr::Function(_) | Expr::Floor { .. } | Expr::Ceil { .. }
        );
    let numeric_literal = t.is_number() && matches!(a, Expr::Value(_));
    if t == Kind::Text || arithmetic || numeric_function || numeric_literal {
        refuse(a, format!("{name} needs a geometry, not {}", t.name()))
    } else {
        Ok(())
    }
}

/// Whether the first argument is a coordinate system: a string literal, or NULL.
fn is_frame(a: &Expr) -> bool {
    is_string_literal(a) || matches!(a, Expr::Value(v) if v.value == Value::Null)
}

/// The grammar's rule for a number argument of a geometry function.
fn number_rule(name: &str, e: &Expr, written: Kind) -> Result<(), AdqlError> {
    if numeric_ok(written, e) {
        Ok(())
    } else {
        refuse(
            e,
            format!("{name} needs numbers here, not {}", written.name()),
        )
    }
}

/// The grammar's rule for a point argument: a geometry, or a column or function whose kind
/// the text does not show.
fn point_rule(e: &Expr, written: Kind) -> Result<(), AdqlError> {
    let may_be_point = written.is_geometry()
        || (written == Kind::Unknown && (is_column_reference(e) || matches!(e, Expr::Function(_))));
    if may_be_point {
        Ok(())
    } else {
        refuse(e, format!("a point is needed here, not {}", written.name()))
    }
}

impl Translator<'_> {
    /// A number argument of a geometry function.
    fn number(&mut self, name: &str, e: &Expr) -> Result<String, AdqlError> {
        let (sql, kind) = self.expr(e)?;
        number_rule(name, e, text_kind(e, kind))?;
        Ok(self.number_kind(e, &sql, kind))
    }

    /// A value of this kind as a number: a geometry is recorded, a string converted.
    fn number_kind(&mut self, e: &Expr, sql: &str, kind: Kind) -> String {
        if kind.is_geometry() {
            self.record(AdqlError::at(
                "a number is needed here, not a geometry",
                e.span().start,
            ));
        }
        if kind == Kind::Text {
            pg::to_double(sql)
        } else {
            sql.to_string()
        }
    }

    fn numbers(&mut self, name: &str, args: &[&Expr]) -> Result<Vec<String>, AdqlError> {
        args.iter().map(|a| self.number(name, a)).collect()
    }

    /// A coordinate value: a POINT, a CENTROID, a column or a user-defined function.
    fn point_value(&mut self, e: &Expr) -> Result<String, AdqlError> {
        let (sql, kind) = self.expr(e)?;
        point_rule(e, text_kind(e, kind))?;
        self.point_kind(e, kind);
        Ok(sql)
    }

    /// Records a value the catalogue shows is not a point.
    fn point_kind(&mut self, e: &Expr, kind: Kind) {
        if !matches!(kind, Kind::Point | Kind::Unknown) {
            self.record(AdqlError::at("a point is needed here", e.span().start));
        }
    }

    /// A geometry operand of CONTAINS, INTERSECTS, CENTROID or AREA.
    fn operand(&mut self, name: &str, e: &Expr) -> Result<Operand, AdqlError> {
        let (sql, kind) = self.expr(e)?;
        geometry_arg(name, e, text_kind(e, kind))?;
        match literal_union(e) {
            Ok(Some(region)) => return Ok(Operand::Union(union::pieces(&region))),
            Ok(None) => {}
            Err(problem) => self.record(problem),
        }
        if let Some((alias, column)) = self.obscore_column(e) {
            if column == "s_region" {
                return Ok(Operand::Region { alias });
            }
        }
        match kind {
            Kind::Point | Kind::Circle | Kind::Box | Kind::Polygon | Kind::Unknown => {
                Ok(Operand::Shape(sql, kind))
            }
            Kind::Region => {
                self.record(AdqlError::at("geometry predicates on this region column are not supported; use ivoa.obscore's s_region", e.span().start));
                Ok(Operand::Shape(sql, Kind::Unknown))
            }
            _ => {
                self.record(
                    AdqlError::at("a geometry is needed here", e.span().start)
                        .with_hint("POINT, CIRCLE, BOX, POLYGON, REGION or s_region"),
                );
                Ok(Operand::Shape(sql, Kind::Unknown))
            }
        }
    }
}

impl Translator<'_> {
    /// CONTAINS(a, b) or INTERSECTS(a, b) as a boolean SQL condition.
    pub(crate) fn geometry_predicate(&mut self, call: &Expr) -> Result<String, AdqlError> {
        let Expr::Function(f) = call else {
            unreachable!("checked by is_predicate_call")
        };
        let name = function_name(f).unwrap_or_default().to_ascii_uppercase();
        let arguments = arguments(call, f)?;
        if arguments.quantified {
            return refuse(
                call,
                format!("DISTINCT/ALL is only allowed in aggregate functions, not in {name}"),
            );
        }
        if arguments.star {
            return refuse(call, format!("{name} does not take '*'"));
        }
        let args = arguments.values;
        if args.len() != 2 {
            return refuse(
                call,
                format!("{name} cannot take {} argument(s) here", args.len()),
            );
        }
        let outer = std::mem::replace(&mut self.in_predicate, true);
        let operands = self
            .operand(&name, args[0])
            .and_then(|a| Ok((a, self.operand(&name, args[1])?)));
        self.in_predicate = outer;
        let (a, b) = operands?;
        let at = call.span().start;
        if matches!(a, Operand::Union(_)) || matches!(b, Operand::Union(_)) {
            return Ok(match union::predicate(&name, a, b, at) {
                Ok(sql) => sql,
                Err(problem) => {
                    self.record(problem);
                    "FALSE".into()
                }
            });
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
                self.record(
                    AdqlError::at(
                        format!("{name} between two s_region columns is not supported"),
                        at,
                    )
                    .with_hint("compare one of them with a POINT, CIRCLE, BOX or POLYGON"),
                );
                "FALSE".into()
            }
            _ => unreachable!("CONTAINS and INTERSECTS only"),
        })
    }

    /// A geometry function (or RANGE_S2D) used as a value: its arguments' number and kinds,
    /// then its pgSphere form.
    pub(crate) fn geometry_function(
        &mut self,
        e: &Expr,
        name: &str,
        all: &[&Expr],
        star: bool,
    ) -> Result<(String, Kind), AdqlError> {
        if star {
            return refuse(e, format!("{name} does not take '*'"));
        }
        let framed = matches!(name, "POINT" | "CIRCLE" | "BOX" | "POLYGON");
        let args: &[&Expr] = match all.first() {
            Some(first) if framed && is_frame(first) => &all[1..],
            _ => all,
        };
        let count = |n: &[usize]| -> Result<(), AdqlError> {
            if n.contains(&args.len()) {
                Ok(())
            } else {
                refuse(
                    e,
                    format!("{name} cannot take {} argument(s) here", all.len()),
                )
            }
        };
        // a GALACTIC shape's literal coordinates are converted to ICRS
        let mut frame = None;
        if framed && args.len() < all.len() {
            match frame_ok(all[0]) {
                Ok(f) => frame = f,
                Err(problem) => self.record(problem),
            }
        }
        let at = e.span().start;
        let t = self;
        let convert = |t: &mut Translator, lon: &Expr, lat: &Expr| {
            let f = frame?;
            let icrs = converted(f, lon, lat);
            if icrs.is_none() {
                t.record(not_converted(f, lon));
            }
            icrs
        };
        Ok(match name {
            "POINT" => {
                count(&[2])?;
                if let Some((ra, dec)) = convert(t, args[0], args[1]) {
                    return Ok((pg::point(&ra, &dec), Kind::Point));
                }
                if let (Some((a1, c1)), Some((a2, c2))) =
                    (t.obscore_column(args[0]), t.obscore_column(args[1]))
                {
                    if a1 == a2 && c1 == "s_ra" && c2 == "s_dec" && t.in_predicate {
                        return Ok((pg::obscore_point(&a1), Kind::Point));
                    }
                }
                let v = t.numbers(name, args)?;
                (pg::point(&v[0], &v[1]), Kind::Point)
            }
            "CIRCLE" => {
                count(&[2, 3])?;
                if let Err(problem) = check_radius(args[args.len() - 1]) {
                    t.record(problem);
                }
                let (centre, radius) = if args.len() == 2 {
                    (t.point_value(args[0])?, t.number(name, args[1])?)
                } else {
                    let v = t.numbers(name, args)?;
                    match convert(t, args[0], args[1]) {
                        Some((ra, dec)) => (pg::point(&ra, &dec), v[2].clone()),
                        None => (pg::point(&v[0], &v[1]), v[2].clone()),
                    }
                };
                (pg::circle(&centre, &radius), Kind::Circle)
            }
            "BOX" => {
                count(&[3, 4])?;
                if let Some(f) = frame {
                    // a box's sides follow its frame's lines of longitude and latitude
                    t.record(
                        AdqlError::at(format!("a BOX in {f} is not a box in ICRS"), at)
                            .with_hint("write it as a POLYGON of its corners, which is converted"),
                    );
                }
                let (x, y, w, h) = if args.len() == 3 {
                    let p = t.point_value(args[0])?;
                    let v = t.numbers(name, &args[1..])?;
                    (
                        pg::coordinate(&p, true),
                        pg::coordinate(&p, false),
                        v[0].clone(),
                        v[1].clone(),
                    )
                } else {
                    let v = t.numbers(name, args)?;
                    (v[0].clone(), v[1].clone(), v[2].clone(), v[3].clone())
                };
                (pg::centred_box(&x, &y, &w, &h), Kind::Box)
            }
            "RANGE_S2D" => {
                let mut v = Vec::with_capacity(4);
                for a in args {
                    let (sql, kind) = t.expr(a)?;
                    let written = text_kind(a, kind);
                    if !written.may_be(Kind::Number) {
                        return refuse(a, format!("{name} needs numbers, not {}", written.name()));
                    }
                    v.push(sql);
                }
                (pg::range_box(&v[0], &v[1], &v[2], &v[3]), Kind::Box)
            }
            "POLYGON" => {
                if args.len() < 3 {
                    return refuse(e, "POLYGON needs at least three vertices");
                }
                // the grammar reads the vertices as pairs of numbers or as points from
                // what the text shows; the translation from the first vertex's kind
                let (_, first) = t.expr(args[0])?;
                let number_rules = !text_kind(args[0], first).is_geometry()
                    && args.len().is_multiple_of(2)
                    && args.len() >= 6;
                let points = match t.catalogue {
                    Some(_) => first == Kind::Point,
                    None => !number_rules,
                };
                let count = if points { args.len() } else { args.len() / 2 };
                if let Err(problem) = check_vertices(count, e) {
                    t.record(problem);
                }
                let mut values = Vec::with_capacity(args.len());
                for a in args {
                    let (sql, kind) = t.expr(a)?;
                    let written = text_kind(a, kind);
                    if number_rules {
                        number_rule(name, a, written)?;
                    } else {
                        point_rule(a, written)?;
                    }
                    values.push((sql, kind, *a));
                }
                let mut vertices = Vec::with_capacity(count);
                if points {
                    for (sql, kind, a) in values {
                        t.point_kind(a, kind);
                        vertices.push(sql);
                    }
                } else {
                    if !args.len().is_multiple_of(2) {
                        t.record(AdqlError::at("POLYGON needs pairs of coordinates", at));
                    }
                    for pair in values.chunks(2) {
                        let [x, y] = [0, 1].map(|i| {
                            pair.get(i)
                                .map(|(sql, kind, a)| t.number_kind(a, sql, *kind))
                                .unwrap_or_else(|| "NULL".into())
                        });
                        let icrs = match pair {
                            [(_, _, lon), (_, _, lat)] => convert(t, lon, lat),
                            _ => None,
                        };
                        match icrs {
                            Some((ra, dec)) => vertices.push(pg::point(&ra, &dec)),
                            None => vertices.push(pg::point(&x, &y)),
                        }
                    }
                }
                (pg::polygon(&vertices), Kind::Polygon)
            }
            "REGION" => {
                let text = match all {
                    [only] => string_literal_text(only),
                    _ => None,
                };
                let Some(text) = text else {
                    return refuse(
                        e,
                        "REGION takes one string literal, e.g. REGION('Circle ICRS 10 20 1')",
                    );
                };
                match region_literal(text, all[0]) {
                    Err(problem) => t.stand_in(problem),
                    Ok(region) => match region.pieces.as_slice() {
                        [piece] if piece.holes.is_empty() => pg::region_shape(&piece.outer),
                        // as a value (selected), a union keeps its STC-S form, like s_region
                        _ => (
                            pg::string_literal(&vo_region::format_stcs(&region)),
                            Kind::Region,
                        ),
                    },
                }
            }
            "COORDSYS" => {
                count(&[1])?;
                let (_, kind) = t.expr(args[0])?;
                geometry_arg(name, args[0], text_kind(args[0], kind))?;
                (pg::string_literal("ICRS"), Kind::Text)
            }
            "CENTROID" => {
                count(&[1])?;
                match t.operand(name, args[0])? {
                    Operand::Shape(s, Kind::Point) => (s, Kind::Point),
                    Operand::Shape(s, Kind::Circle) => (pg::centre(&s), Kind::Point),
                    Operand::Shape(_, Kind::Unknown) => ("NULL".into(), Kind::Point),
                    Operand::Region { alias } => (pg::obscore_point(&alias), Kind::Point),
                    Operand::Shape(s, kind) => (pg::centroid(&s, kind), Kind::Point),
                    Operand::Union(_) => {
                        t.record(
                            AdqlError::at(
                                "CENTROID of a region with several pieces or holes is not supported",
                                at,
                            )
                            .with_hint("take the CENTROID of each piece"),
                        );
                        ("NULL".into(), Kind::Point)
                    }
                }
            }
            "AREA" => {
                count(&[1])?;
                match t.operand(name, args[0])? {
                    Operand::Shape(s, _) => (pg::area(&s), Kind::Number),
                    Operand::Region { alias } => (pg::region_area(&alias), Kind::Number),
                    Operand::Union(pieces) => {
                        let pieces: Vec<(String, Vec<String>)> =
                            pieces.into_iter().map(|p| (p.outer, p.holes)).collect();
                        (pg::union_area(&pieces), Kind::Number)
                    }
                }
            }
            "COORD1" | "COORD2" => {
                count(&[1])?;
                let p = t.point_value(args[0])?;
                (pg::coordinate(&p, name == "COORD1"), Kind::Number)
            }
            "DISTANCE" => {
                count(&[2, 4])?;
                let (p1, p2) = if args.len() == 2 {
                    (t.point_value(args[0])?, t.point_value(args[1])?)
                } else {
                    let v = t.numbers(name, args)?;
                    (pg::point(&v[0], &v[1]), pg::point(&v[2], &v[3]))
                };
                (pg::distance(&p1, &p2), Kind::Number)
            }
            "CONTAINS" | "INTERSECTS" => {
                count(&[2])?;
                (pg::as_number(&t.geometry_predicate(e)?), Kind::Number)
            }
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
