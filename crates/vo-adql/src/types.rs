//! The kinds of value ADQL has.

use vo_catalogue::Column;

/// What is known of a value's type: the one type model of the check (which has no
/// catalogue, so a column's type is `Unknown` to it) and of the translation (which resolves
/// every name, so it never sees `Unknown` or a shapeless `Geometry`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Number,
    Text,
    Timestamp,
    Point,
    Circle,
    Box,
    Polygon,
    /// ObsCore's s_region: STC-S text with an indexed, exact footprint.
    Region,
    /// A geometry whose shape is not known (a geometry function's value, to the check).
    Geometry,
    Null,
    /// A column or user-defined function, to the check: its type comes from the catalogue.
    Unknown,
}

impl Kind {
    pub fn is_geometry(self) -> bool {
        matches!(
            self,
            Kind::Point | Kind::Circle | Kind::Box | Kind::Polygon | Kind::Region | Kind::Geometry
        )
    }

    /// How an error message names a value of this kind.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Number => "a number",
            Kind::Text => "a string",
            Kind::Timestamp => "a timestamp",
            Kind::Null => "NULL",
            Kind::Unknown => "a value",
            _ => "a geometry",
        }
    }

    /// Whether a value of this kind may stand where `wanted` is needed, as far as is known.
    pub fn may_be(self, wanted: Kind) -> bool {
        self == wanted
            || (wanted == Kind::Geometry && self.is_geometry())
            || self == Kind::Unknown
            || self == Kind::Null
    }

    pub fn of_column(c: &Column) -> Kind {
        match (c.datatype.as_str(), c.xtype.as_deref()) {
            (_, Some("adql:REGION")) => Kind::Region,
            (_, Some("point")) => Kind::Point,
            (_, Some("circle")) => Kind::Circle,
            (_, Some("polygon")) => Kind::Polygon,
            (_, Some("timestamp")) => Kind::Timestamp,
            ("char" | "unicodeChar", _) => Kind::Text,
            _ => Kind::Number,
        }
    }
}
