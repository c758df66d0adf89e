//! The output dialect: PostgreSQL with pgSphere. The only place that knows how a value is
//! quoted, how pgSphere spells its types, operators and functions (degrees ↔ radians,
//! `spoint`, `scircle`, `sbox`, `spoly`, `@`, `&&`, `<->`), and how ObsCore's `s_region` is
//! stored (`s_region_bound`, `s_point`, `archive.obscore_footprint`). A second target
//! (another extension, another database) is another module of these functions.

use crate::types::{Kind, Width};
use vo_region::Shape;

/// The table of `s_region`'s exact pieces (one row per outer circle or polygon, one per hole).
const FOOTPRINT: &str = "archive.obscore_footprint";

/// A string as a PostgreSQL literal.
pub(crate) fn string_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub(crate) fn radians(x: &str) -> String {
    format!("radians({x})")
}

/// A text value read as a number.
pub(crate) fn to_double(text: &str) -> String {
    format!("CAST({text} AS double precision)")
}

/// A point from coordinates in degrees.
pub(crate) fn point(x: &str, y: &str) -> String {
    format!("spoint({}, {})", radians(x), radians(y))
}

/// A circle around a point, its radius in degrees.
pub(crate) fn circle(centre: &str, radius: &str) -> String {
    format!("scircle({centre}, {})", radians(radius))
}

/// A box from its centre and full widths, in degrees.
pub(crate) fn centred_box(x: &str, y: &str, w: &str, h: &str) -> String {
    format!(
        "sbox(spoint({}, {}), spoint({}, {}))",
        radians(&format!("({x}) - ({w}) / 2.0")),
        radians(&format!("({y}) - ({h}) / 2.0")),
        radians(&format!("({x}) + ({w}) / 2.0")),
        radians(&format!("({y}) + ({h}) / 2.0"))
    )
}

/// A box from its RA and Dec bounds, in degrees.
pub(crate) fn range_box(ra1: &str, ra2: &str, dec1: &str, dec2: &str) -> String {
    format!(
        "sbox(spoint({}, {}), spoint({}, {}))",
        radians(ra1),
        radians(dec1),
        radians(ra2),
        radians(dec2)
    )
}

/// A polygon from its vertices (pgSphere points), in order.
pub(crate) fn polygon(vertices: &[String]) -> String {
    let values: Vec<String> = vertices
        .iter()
        .enumerate()
        .map(|(i, v)| format!("({i}, {v})"))
        .collect();
    format!(
        "(SELECT spoly(v.p ORDER BY v.i) FROM (VALUES {}) AS v(i, p))",
        values.join(", ")
    )
}

/// The longitude (`first`) or latitude of a point, in degrees.
pub(crate) fn coordinate(point: &str, first: bool) -> String {
    format!("degrees({}({point}))", if first { "long" } else { "lat" })
}

/// A circle's centre.
pub(crate) fn centre(circle: &str) -> String {
    format!("center({circle})")
}

/// The distance between two points, in degrees.
pub(crate) fn distance(p1: &str, p2: &str) -> String {
    format!("degrees({p1} <-> {p2})")
}

/// A shape's area in square degrees.
pub(crate) fn area(shape: &str) -> String {
    format!("(area({shape}) * (180.0 / pi()) ^ 2)")
}

/// `x` lies within `y` (a point or shape in a shape).
pub(crate) fn within(x: &str, y: &str) -> String {
    format!("({x} @ {y})")
}

/// `x` and `y` overlap.
pub(crate) fn overlaps(x: &str, y: &str) -> String {
    format!("({x} && {y})")
}

/// A 0/1 number from a condition (ADQL's predicates are numeric functions).
pub(crate) fn as_number(condition: &str) -> String {
    format!("(CASE WHEN {condition} THEN 1 ELSE 0 END)")
}

/// ObsCore's indexed point of (s_ra, s_dec) in the FROM entry `alias`.
pub(crate) fn obscore_point(alias: &str) -> String {
    format!("{alias}.s_point")
}

/// A REGION literal's one shape, as a pgSphere value and its kind.
pub(crate) fn region_shape(shape: &Shape) -> (String, Kind) {
    match shape {
        Shape::Circle { ra, dec, radius } => (
            format!(
                "scircle({}::scircle)",
                string_literal(&vo_region::pg_circle(*ra, *dec, *radius))
            ),
            Kind::Circle,
        ),
        Shape::Polygon(_) => (shape_literal(shape), Kind::Polygon),
        Shape::Range { .. } => (shape_literal(shape), Kind::Box),
    }
}

/// The area of the FROM entry `alias`'s `s_region`, holes subtracted, in square degrees.
pub(crate) fn region_area(alias: &str) -> String {
    format!("(SELECT sum(CASE WHEN f.hole_of IS NULL THEN 1 ELSE -1 END * coalesce(area(f.circle), area(f.polygon))) * (180.0 / pi()) ^ 2 FROM {FOOTPRINT} f WHERE f.obs_id = {alias}.obs_id)")
}

/// A constant shape as a typed pgSphere literal, e.g. `'<(10d,20d),1d>'::scircle`.
pub(crate) fn shape_literal(shape: &Shape) -> String {
    let (text, pg_type) = vo_region::pg_shape(shape);
    format!("{}::{pg_type}", string_literal(&text))
}

pub(crate) fn point_in_region(alias: &str, p: &str) -> String {
    format!(
        "({alias}.s_region_bound ~ {p} AND EXISTS (SELECT 1 FROM {FOOTPRINT} f WHERE f.obs_id = {alias}.obs_id AND f.hole_of IS NULL AND coalesce({p} @ f.circle, {p} @ f.polygon) \
         AND NOT EXISTS (SELECT 1 FROM {FOOTPRINT} h WHERE h.obs_id = f.obs_id AND h.hole_of = f.piece AND coalesce({p} @ h.circle, {p} @ h.polygon))))"
    )
}

pub(crate) fn shape_intersects_region(alias: &str, s: &str) -> String {
    format!(
        "({alias}.s_region_bound && {s} AND EXISTS (SELECT 1 FROM {FOOTPRINT} f WHERE f.obs_id = {alias}.obs_id AND f.hole_of IS NULL AND coalesce(f.circle && {s}, f.polygon && {s}) \
         AND NOT EXISTS (SELECT 1 FROM {FOOTPRINT} h WHERE h.obs_id = f.obs_id AND h.hole_of = f.piece AND coalesce({s} @ h.circle, {s} @ h.polygon))))"
    )
}

pub(crate) fn shape_in_region(alias: &str, s: &str) -> String {
    format!(
        "({alias}.s_region_bound ~ {s} AND EXISTS (SELECT 1 FROM {FOOTPRINT} f WHERE f.obs_id = {alias}.obs_id AND f.hole_of IS NULL AND coalesce({s} @ f.circle, {s} @ f.polygon) \
         AND NOT EXISTS (SELECT 1 FROM {FOOTPRINT} h WHERE h.obs_id = f.obs_id AND h.hole_of = f.piece AND coalesce({s} && h.circle, {s} && h.polygon))))"
    )
}

pub(crate) fn region_in_shape(alias: &str, s: &str) -> String {
    format!(
        "({alias}.s_region_bound && {s} AND NOT EXISTS (SELECT 1 FROM {FOOTPRINT} f WHERE f.obs_id = {alias}.obs_id AND f.hole_of IS NULL AND NOT coalesce(f.circle @ {s}, f.polygon @ {s})))"
    )
}

/// The vertices of a pgSphere polygon as a float8[] of radians: lon1, lat1, lon2, lat2, …
fn polygon_radians(polygon: &str) -> String {
    format!("string_to_array(translate(({polygon})::text, '{{}}() ', ''), ',')::float8[]")
}

/// A box's corners, counter-clockwise from its south-west corner, as a float8[] of radians.
fn box_radians(b: &str) -> String {
    format!(
        "ARRAY[long(sw({b})), lat(sw({b})), long(ne({b})), lat(sw({b})), long(ne({b})), lat(ne({b})), long(sw({b})), lat(ne({b}))]"
    )
}

fn degrees_array(radians: &str) -> String {
    format!("(SELECT array_agg(degrees(r) ORDER BY i) FROM unnest({radians}) WITH ORDINALITY AS u(r, i))")
}

/// Geometry values selected as output become DALI arrays (degrees): a point is [ra, dec], a
/// circle [ra, dec, radius], a polygon (and a box, as its four corners) [ra1, dec1, ra2, …].
pub(crate) fn as_output(sql: &str, kind: Kind) -> String {
    match kind {
        Kind::Point => format!("ARRAY[degrees(long({sql})), degrees(lat({sql}))]"),
        Kind::Circle => format!("ARRAY[degrees(long(center({sql}))), degrees(lat(center({sql}))), degrees(radius({sql}))]"),
        Kind::Polygon => degrees_array(&polygon_radians(sql)),
        Kind::Box => degrees_array(&box_radians(sql)),
        // computed integers come out in exactly the width the field declares
        Kind::Integer(Width::Short) => format!("CAST({sql} AS smallint)"),
        Kind::Integer(Width::Int) => format!("CAST({sql} AS integer)"),
        Kind::Integer(Width::Long) => format!("CAST({sql} AS bigint)"),
        _ => sql.to_string(),
    }
}

/// The centre of a box or polygon as a pgSphere point: the normalised mean of the vertices'
/// unit vectors (for the small fields of an archive, within a hair of the area centroid).
pub(crate) fn centroid(sql: &str, kind: Kind) -> String {
    let radians = if kind == Kind::Box {
        box_radians(sql)
    } else {
        polygon_radians(sql)
    };
    format!(
        "(SELECT spoint(atan2(sum(cos(v[2*i]) * sin(v[2*i-1])), sum(cos(v[2*i]) * cos(v[2*i-1]))), \
         atan2(sum(sin(v[2*i])), sqrt(sum(cos(v[2*i]) * cos(v[2*i-1])) ^ 2 + sum(cos(v[2*i]) * sin(v[2*i-1])) ^ 2))) \
         FROM (SELECT {radians} AS v) AS s, generate_series(1, array_length(s.v, 1) / 2) AS i)"
    )
}

/// The area in square degrees, holes subtracted.
pub(crate) fn union_area(pieces: &[(String, Vec<String>)]) -> String {
    let terms: Vec<String> = pieces
        .iter()
        .map(|(outer, holes)| {
            let holes: String = holes.iter().map(|h| format!(" - area({h})")).collect();
            format!("(area({outer}){holes})")
        })
        .collect();
    format!("(({}) * (180.0 / pi()) ^ 2)", terms.join(" + "))
}
