//! The functions ADQL 2.1 defines (plus the declared user-defined ones), with their arities.
//! Declared once: the TAP capabilities document will list the same table.

/// (name, minimum arguments, maximum arguments) of ADQL's numeric functions.
pub const MATH_FUNCTIONS: &[(&str, usize, usize)] = &[
    ("ABS", 1, 1),
    ("CEILING", 1, 1),
    ("DEGREES", 1, 1),
    ("EXP", 1, 1),
    ("FLOOR", 1, 1),
    ("LOG", 1, 1),
    ("LOG10", 1, 1),
    ("MOD", 2, 2),
    ("PI", 0, 0),
    ("POWER", 2, 2),
    ("RADIANS", 1, 1),
    ("RAND", 0, 1),
    ("ROUND", 1, 2),
    ("SQRT", 1, 1),
    ("TRUNCATE", 1, 2),
    ("ACOS", 1, 1),
    ("ASIN", 1, 1),
    ("ATAN", 1, 1),
    ("ATAN2", 2, 2),
    ("COS", 1, 1),
    ("COT", 1, 1),
    ("SIN", 1, 1),
    ("TAN", 1, 1),
];

pub const AGGREGATES: &[&str] = &["AVG", "MAX", "MIN", "SUM", "COUNT"];

pub const GEOMETRY_FUNCTIONS: &[&str] = &[
    "AREA",
    "BOX",
    "CENTROID",
    "CIRCLE",
    "CONTAINS",
    "COORD1",
    "COORD2",
    "COORDSYS",
    "DISTANCE",
    "INTERSECTS",
    "POINT",
    "POLYGON",
    "REGION",
];

/// User-defined functions this service declares: (name, arguments, TAPRegExt form,
/// description). A form's parameter names have no underscore: validators built on VOLLT
/// (STILTS taplint) read no declaration whose parameter list holds one.
pub const USER_DEFINED_FUNCTIONS: &[(&str, usize, &str, &str)] = &[
    (
        "RANGE_S2D",
        4,
        "RANGE_S2D(ra1 DOUBLE, ra2 DOUBLE, dec1 DOUBLE, dec2 DOUBLE) -> REGION",
        "The sky region between two right ascensions and two declinations (degrees), as CADC and ALMA define it; astroquery.alma sends it in INTERSECTS(RANGE_S2D(…), s_region) = 1",
    ),
    (
        SPECTRAL_WINDOW_OVERLAPS,
        3,
        "SPECTRAL_WINDOW_OVERLAPS(support VARCHAR, low DOUBLE, high DOUBLE) -> INTEGER",
        "1 if one of the spectral windows listed in support (ALMA's frequency_support) overlaps the frequencies from low to high (GHz; equal for one frequency), else 0. ALMA's frequency constraints match these individual windows, where em_min and em_max give only a row's own window; on ivoa.obscore's frequency_support it is index-assisted: WHERE SPECTRAL_WINDOW_OVERLAPS(frequency_support, 230.538, 230.538) = 1",
    ),
];

/// The user-defined function that tests an observation's individual spectral windows.
pub const SPECTRAL_WINDOW_OVERLAPS: &str = "SPECTRAL_WINDOW_OVERLAPS";

/// The optional ADQL 2.1 language features this service implements, as TAPRegExt lists them:
/// (feature type, forms).
pub const LANGUAGE_FEATURES: &[(&str, &[&str])] = &[
    (
        "ivo://ivoa.net/std/TAPRegExt#features-adqlgeo",
        GEOMETRY_FUNCTIONS,
    ),
    (
        "ivo://ivoa.net/std/TAPRegExt#features-adql-string",
        &["LOWER", "UPPER", "ILIKE"],
    ),
    (
        "ivo://ivoa.net/std/TAPRegExt#features-adql-sets",
        &["UNION", "EXCEPT", "INTERSECT"],
    ),
    (
        "ivo://ivoa.net/std/TAPRegExt#features-adql-common-table",
        &["WITH"],
    ),
    ("ivo://ivoa.net/std/TAPRegExt#features-adql-type", &["CAST"]),
    (
        "ivo://ivoa.net/std/TAPRegExt#features-adql-unit",
        &["IN_UNIT"],
    ),
    (
        "ivo://ivoa.net/std/TAPRegExt#features-adql-offset",
        &["OFFSET"],
    ),
];

/// Supported but not advertised: ADQL 2.1 files COALESCE under
/// `ivo://ivoa.net/std/TAPRegExt#features-adql-conditional`, a key the IVOA validator in
/// Debian 12 (STILTS 3.4.7) reports as an error.
pub const UNADVERTISED_FEATURES: &[(&str, &[&str])] = &[(
    "ivo://ivoa.net/std/TAPRegExt#features-adql-conditional",
    &["COALESCE"],
)];

pub use vo_catalogue::is_adql_reserved as is_reserved;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_form_names_itself_its_arity_and_plain_parameters() {
        for (name, arity, form, _) in USER_DEFINED_FUNCTIONS {
            let parameters = form
                .strip_prefix(&format!("{name}("))
                .and_then(|rest| rest.split_once(") -> "))
                .map(|(list, _)| list)
                .unwrap_or_else(|| panic!("{form}"));
            assert_eq!(parameters.split(", ").count(), *arity, "{form}");
            assert!(
                parameters
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ", ".contains(c)),
                "{form}"
            );
        }
    }
}
