//! Geometry functions: coordinate systems, points, shapes and their argument kinds.

use super::operand::*;
use super::validator::Validator;
use crate::error::AdqlError;
use crate::functions::AGGREGATES;
use crate::syntax::function_name;
use crate::types::Kind;
use sqlparser::ast::{Expr, Value};

impl Validator {
    /// A coordinate value: a POINT, a CENTROID, a column or a user-defined function.
    pub(super) fn coord_value(&mut self, a: &Expr) -> Result<(), AdqlError> {
        let t = self.value(a)?;
        if t.is_geometry()
            || (t == Kind::Unknown && (is_column_reference(a) || matches!(a, Expr::Function(_))))
        {
            Ok(())
        } else {
            refuse(a, format!("a point is needed here, not {}", t.name()))
        }
    }
    pub(super) fn numbers(&mut self, name: &str, args: &[&Expr]) -> Result<(), AdqlError> {
        for a in args {
            let t = self.value(a)?;
            if !numeric_ok(t, a) {
                return refuse(a, format!("{name} needs numbers here, not {}", t.name()));
            }
        }
        Ok(())
    }
    /// A geometry argument. Like the reference validators, only values that cannot possibly be
    /// geometries (strings, arithmetic) are refused here; the resolver checks columns.
    pub(super) fn geometry_arg(&mut self, name: &str, a: &Expr) -> Result<(), AdqlError> {
        let t = self.value(a)?;
        let arithmetic = matches!(a, Expr::BinaryOp { .. } | Expr::UnaryOp { .. });
        let aggregate = matches!(a, Expr::Function(f) if function_name(f).is_some_and(|n| AGGREGATES.iter().any(|g| g.eq_ignore_ascii_case(n))));
        let numeric_function = t == Kind::Number
            && !aggregate
            && matches!(
                a,
                Expr::Function(_) | Expr::Floor { .. } | Expr::Ceil { .. }
            );
        let numeric_literal = t == Kind::Number && matches!(a, Expr::Value(_));
        if t == Kind::Text || arithmetic || numeric_function || numeric_literal {
            refuse(a, format!("{name} needs a geometry, not {}", t.name()))
        } else {
            Ok(())
        }
    }
    pub(super) fn geometry(
        &mut self,
        e: &Expr,
        name: &str,
        all: &[&Expr],
        star: bool,
    ) -> Result<Kind, AdqlError> {
        if star {
            return refuse(e, format!("{name} does not take '*'"));
        }
        // an optional coordinate system comes first: a string literal (or NULL)
        let has_frame = all.first().is_some_and(|a| {
            is_string_literal(a) || matches!(a, Expr::Value(v) if v.value == Value::Null)
        });
        let args: Vec<&Expr> =
            if has_frame && matches!(name, "POINT" | "CIRCLE" | "BOX" | "POLYGON") {
                all[1..].to_vec()
            } else {
                all.to_vec()
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
        match name {
            "POINT" => {
                count(&[2])?;
                self.numbers(name, &args)?;
                Ok(Kind::Geometry)
            }
            "CIRCLE" => {
                count(&[2, 3])?;
                if args.len() == 2 {
                    self.coord_value(args[0])?;
                    self.numbers(name, &args[1..])?;
                } else {
                    self.numbers(name, &args)?;
                }
                Ok(Kind::Geometry)
            }
            "BOX" => {
                count(&[3, 4])?;
                if args.len() == 3 {
                    self.coord_value(args[0])?;
                    self.numbers(name, &args[1..])?;
                } else {
                    self.numbers(name, &args)?;
                }
                Ok(Kind::Geometry)
            }
            "POLYGON" => {
                if args.len() < 3 {
                    return refuse(e, "POLYGON needs at least three vertices");
                }
                let first = self.value(args[0])?;
                if !first.is_geometry() && args.len() % 2 == 0 && args.len() >= 6 {
                    self.numbers(name, &args)?;
                } else {
                    for a in &args {
                        self.coord_value(a)?;
                    }
                }
                Ok(Kind::Geometry)
            }
            "REGION" => {
                if all.len() != 1 || !is_string_literal(all[0]) {
                    return refuse(
                        e,
                        "REGION takes one string literal, e.g. REGION('Circle ICRS 10 20 1')",
                    );
                }
                Ok(Kind::Geometry)
            }
            "CENTROID" | "AREA" | "COORDSYS" => {
                count(&[1])?;
                self.geometry_arg(name, args[0])?;
                Ok(match name {
                    "CENTROID" => Kind::Geometry,
                    "AREA" => Kind::Number,
                    _ => Kind::Text,
                })
            }
            "COORD1" | "COORD2" => {
                count(&[1])?;
                self.coord_value(args[0])?;
                Ok(Kind::Number)
            }
            "DISTANCE" => {
                count(&[2, 4])?;
                if args.len() == 2 {
                    self.coord_value(args[0])?;
                    self.coord_value(args[1])?;
                } else {
                    self.numbers(name, &args)?;
                }
                Ok(Kind::Number)
            }
            "CONTAINS" | "INTERSECTS" => {
                count(&[2])?;
                self.geometry_arg(name, args[0])?;
                self.geometry_arg(name, args[1])?;
                Ok(Kind::Number)
            }
            _ => unreachable!("every geometry function is handled"),
        }
    }
}
