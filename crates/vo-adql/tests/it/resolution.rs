//! Name resolution and type rules of `translate` over the built-in catalogue (no database).

use vo_adql::{translate, Options};
use vo_catalogue::Catalogue;

fn sql(adql: &str) -> String {
    translate(adql, &Catalogue::builtin(), &Options::default())
        .unwrap_or_else(|e| panic!("{adql}: {e}"))
        .sql
}

fn error(adql: &str) -> String {
    match translate(adql, &Catalogue::builtin(), &Options::default()) {
        Ok(t) => panic!("{adql} was accepted as {}", t.sql),
        Err(e) => e.to_string(),
    }
}

#[test]
fn regular_names_match_any_case_and_delimited_names_match_exactly() {
    let t = translate(
        "SELECT lastmodified, \"lastModified\", LASTMODIFIED FROM IVOA.ObsCore",
        &Catalogue::builtin(),
        &Options::default(),
    )
    .unwrap();
    assert!(t.columns.iter().all(|c| c.name() == "lastModified"));
    assert!(error("SELECT \"lastmodified\" FROM ivoa.obscore")
        .contains("delimited names are case-sensitive: did you mean \"lastModified\"?"));
    assert!(error("SELECT * FROM \"TAP_SCHEMA\".\"Columns\"").contains("no table"));
    sql("SELECT * FROM \"TAP_SCHEMA\".columns");
}

#[test]
fn aliases_follow_the_same_case_rules() {
    // a regular alias stands for its lower-case form; a delimited one for itself
    sql("SELECT \"oc\".s_ra FROM ivoa.obscore AS OC");
    sql("SELECT oc.s_ra FROM ivoa.obscore AS \"OC\"");
    assert!(error("SELECT \"OC\".s_ra FROM ivoa.obscore AS OC").contains("there is no table OC"));
    assert!(error("SELECT \"oc\".* FROM ivoa.obscore AS \"OC\"").contains("there is no table oc"));
    sql("WITH Sel AS (SELECT s_ra FROM ivoa.obscore) SELECT * FROM \"sel\"");
    assert!(
        error("WITH Sel AS (SELECT s_ra FROM ivoa.obscore) SELECT * FROM \"Sel\"")
            .contains("no table Sel")
    );
}

#[test]
fn uploaded_tables_are_only_reached_through_tap_upload() {
    let mut catalogue = Catalogue::builtin();
    let mut upload = catalogue.table("TAP_SCHEMA.schemas").unwrap().clone();
    upload.schema = "TAP_UPLOAD".into();
    upload.name = "mine".into();
    catalogue.tables.push(upload);
    let options = Options::default();
    assert!(translate("SELECT * FROM TAP_UPLOAD.mine", &catalogue, &options).is_ok());
    let e = translate("SELECT * FROM mine", &catalogue, &options).unwrap_err();
    assert!(e.message.contains("no table mine"), "{e}");
}

#[test]
fn arithmetic_needs_numbers() {
    assert!(error("SELECT target_name * 2 FROM ivoa.obscore")
        .contains("line 1, column 8: arithmetic needs numbers, not a string"));
    assert!(error("SELECT -obs_id FROM ivoa.obscore").contains("not a string"));
    assert!(error("SELECT s_region + 1 FROM ivoa.obscore").contains("not a geometry"));
    sql("SELECT (frequency - 0.5 * bandwidth / 1e9) FROM ivoa.obscore");
}

#[test]
fn coordinate_systems_are_checked() {
    for frame in [
        "ICRS",
        "icrs",
        "",
        "J2000",
        "FK5",
        "ICRS GEOCENTER",
        "ICRS TOPOCENTER SPHERICAL2",
    ] {
        sql(&format!(
            "SELECT obs_id FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('{frame}', s_ra, s_dec), CIRCLE('ICRS', 10, 20, 1))"
        ));
    }
    assert!(error("SELECT POINT('QUARK', 1, 2) FROM ivoa.obscore")
        .contains("'QUARK' is not a coordinate system"));
    assert!(error("SELECT CIRCLE('FK4', 1, 2, 3) FROM ivoa.obscore")
        .contains("FK4 coordinates are not converted"));
    // GALACTIC literal positions are converted to ICRS: the Galactic centre is Sgr A*'s
    // neighbourhood (266.405, -28.936), in a circle, a point and a polygon's vertices
    let centre = sql(
        "SELECT obs_id FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('GALACTIC', 0, 0, 1))",
    );
    assert!(centre.contains("radians(266.40498"), "{centre}");
    assert!(centre.contains("radians(-28.93617"), "{centre}");
    let point = sql("SELECT obs_id FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('GALACTIC', 0, 90), CIRCLE('ICRS', 192.85948, 27.12825, 1))");
    assert!(point.contains("radians(192.859"), "{point}");
    let polygon = sql("SELECT obs_id FROM ivoa.obscore WHERE 1 = INTERSECTS(s_region, POLYGON('GALACTIC', -1, -1, 1, -1, 1, 1, -1, 1))");
    assert!(!polygon.contains("radians(-1)"), "{polygon}");
    // what cannot be converted says why
    assert!(
        error("SELECT POINT('GALACTIC', gal_longitude, gal_latitude) FROM ivoa.obscore")
            .contains("converted to ICRS only where they are literal numbers")
    );
    assert!(
        error("SELECT BOX('GALACTIC', 0, 0, 1, 1) FROM ivoa.obscore")
            .contains("a BOX in GALACTIC is not a box in ICRS")
    );
    assert!(
        error("SELECT POINT('ICRS CARTESIAN2', 1, 2) FROM ivoa.obscore").contains("not Cartesian")
    );
}

/// ADQL 2.1 types computed values: COUNT and integer literals are integers (TOPCAT showed
/// COUNT(*) as 3037.0 when every computed number was a double), integer arithmetic stays
/// integer, division and the other functions are doubles; the SQL casts a computed
/// integer to exactly the width its field declares.
#[test]
fn computed_values_have_adql_types() {
    let types = |adql: &str| -> Vec<&'static str> {
        translate(adql, &Catalogue::builtin(), &Options::default())
            .unwrap_or_else(|e| panic!("{adql}: {e}"))
            .columns
            .iter()
            .map(|c| c.datatype)
            .collect()
    };
    assert_eq!(types("SELECT COUNT(*) FROM ivoa.obscore"), ["long"]);
    assert_eq!(
        types("SELECT COUNT(DISTINCT proposal_id), SUM(s_xel1), AVG(s_xel1), MAX(s_xel1) FROM ivoa.obscore"),
        ["long", "long", "double", "int"]
    );
    assert_eq!(
        types("SELECT 1, -2, 3000000000, 1.5, 1e3, s_xel1 + 1, s_xel1 * s_xel2, s_xel1 / 2 FROM ivoa.obscore"),
        ["int", "int", "long", "double", "double", "int", "int", "double"]
    );
    assert_eq!(
        types("SELECT CAST(s_ra AS SMALLINT), CAST(s_ra AS BIGINT), ABS(-3), MOD(7, 2), COALESCE(s_xel1, 0), COALESCE(s_xel1, 0.5) FROM ivoa.obscore"),
        ["short", "long", "int", "int", "int", "double"]
    );
    assert_eq!(
        types("SELECT 1 AS n FROM ivoa.obscore UNION SELECT 2.5 FROM ivoa.obscore"),
        ["double"]
    );
    assert_eq!(
        types("SELECT n + 1 FROM (SELECT COUNT(*) AS n FROM ivoa.obscore) AS c"),
        ["long"]
    );
    assert!(sql("SELECT COUNT(*) FROM ivoa.obscore").starts_with("SELECT CAST(count(*) AS bigint)"));
}
