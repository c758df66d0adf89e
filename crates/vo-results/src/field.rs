//! Column metadata as written into a result.

/// VOTable primitive datatypes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datatype {
    Boolean,
    Short,
    Int,
    Long,
    Float,
    Double,
    Char,
    UnicodeChar,
}

impl Datatype {
    pub fn parse(name: &str) -> Option<Datatype> {
        Some(match name {
            "boolean" => Datatype::Boolean,
            "short" => Datatype::Short,
            "int" => Datatype::Int,
            "long" => Datatype::Long,
            "float" => Datatype::Float,
            "double" => Datatype::Double,
            "char" => Datatype::Char,
            "unicodeChar" => Datatype::UnicodeChar,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Datatype::Boolean => "boolean",
            Datatype::Short => "short",
            Datatype::Int => "int",
            Datatype::Long => "long",
            Datatype::Float => "float",
            Datatype::Double => "double",
            Datatype::Char => "char",
            Datatype::UnicodeChar => "unicodeChar",
        }
    }

    pub fn is_text(self) -> bool {
        matches!(self, Datatype::Char | Datatype::UnicodeChar)
    }
}

/// One output column: its name and the VO metadata clients read.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub datatype: Datatype,
    /// VOTable arraysize: `None` for a scalar, `"*"`, `"64*"` (at most 64), `"2"` (exactly 2).
    pub arraysize: Option<String>,
    pub unit: Option<String>,
    pub ucd: Option<String>,
    pub utype: Option<String>,
    pub xtype: Option<String>,
    pub description: Option<String>,
}

/// How many elements a value has, from the arraysize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Scalar,
    Fixed(usize),
    /// Variable, with an optional bound (`64*`).
    Variable,
}

impl Field {
    /// A field with only a name and datatype.
    pub fn new(name: impl Into<String>, datatype: Datatype, arraysize: Option<&str>) -> Field {
        Field {
            name: name.into(),
            datatype,
            arraysize: arraysize.map(String::from),
            unit: None,
            ucd: None,
            utype: None,
            xtype: None,
            description: None,
        }
    }

    pub(crate) fn shape(&self) -> Shape {
        match self.arraysize.as_deref() {
            None | Some("") => Shape::Scalar,
            Some(a) if a.ends_with('*') => Shape::Variable,
            Some(a) => match a.parse::<usize>() {
                Ok(n) => Shape::Fixed(n),
                Err(_) => Shape::Variable,
            },
        }
    }
}
