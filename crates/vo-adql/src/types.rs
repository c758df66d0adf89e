//! The kinds of value ADQL has.

use vo_catalogue::Column;

/// What is known of a value's type: the one type model of the check (which has no
/// catalogue, so a column's type is `Unknown` to it) and of the translation (which resolves
/// every name, so it never sees `Unknown` or a shapeless `Geometry`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    /// An exact number of ADQL 2.1's integer types: an integer literal, COUNT, a column of
    /// short, int or long, and arithmetic on them (but not division, done in doubles).
    Integer(Width),
    /// Any other number (double precision).
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

/// The width of an integer, narrowest first: VOTable's short, int and long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Width {
    Short,
    Int,
    Long,
}

impl Kind {
    pub fn is_number(self) -> bool {
        matches!(self, Kind::Number | Kind::Integer(_))
    }

    /// The kind of an integer literal as written: int, or long when it needs 64 bits.
    pub fn of_literal(number: &str) -> Kind {
        if !number.bytes().all(|b| b.is_ascii_digit()) {
            return Kind::Number;
        }
        match number.parse::<i64>() {
            Ok(n) if n <= i64::from(i32::MAX) => Kind::Integer(Width::Int),
            Ok(_) => Kind::Integer(Width::Long),
            Err(_) => Kind::Number,
        }
    }

    /// The type PostgreSQL gives a literal number of this kind (see [`Kind::of_literal`]).
    pub fn literal_pg_type(self) -> &'static str {
        match self {
            Kind::Integer(Width::Long) => "int8",
            Kind::Integer(_) => "int4",
            _ => "numeric",
        }
    }

    /// The kind of `a op b` for +, - and *, and of COALESCE over numbers: integers stay
    /// integers of the wider width; anything else is a double.
    pub fn wider(self, other: Kind) -> Kind {
        match (self, other) {
            (Kind::Integer(a), Kind::Integer(b)) => Kind::Integer(a.max(b)),
            _ => Kind::Number,
        }
    }

    pub fn is_geometry(self) -> bool {
        matches!(
            self,
            Kind::Point | Kind::Circle | Kind::Box | Kind::Polygon | Kind::Region | Kind::Geometry
        )
    }

    /// How an error message names a value of this kind.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Number | Kind::Integer(_) => "a number",
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
            || (wanted == Kind::Number && self.is_number())
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
            ("short" | "unsignedByte", _) => Kind::Integer(Width::Short),
            ("int", _) => Kind::Integer(Width::Int),
            ("long", _) => Kind::Integer(Width::Long),
            _ => Kind::Number,
        }
    }
}
