//! Why the region crate keeps its own STC-S reader instead of CDS's `stc-s` crate: ALMA
//! writes a hole as `Polygon … Not (Polygon …)` (the shape minus the hole) and a union of
//! such pieces inside `Union ICRS ( … )`. `stc-s` 0.1.0 follows the STC-S grammar, where
//! `Not` is an operand of its own: it stops before the hole of a lone piece, and in a union
//! it reads the hole as one more member — "everything but the hole" — so the union covers
//! nearly the whole sky. Reading ALMA's meaning on top of it would mean re-parsing its
//! output, which is what this crate's reader already does. If these assertions ever fail,
//! `stc-s` has learnt ALMA's form and is worth adopting.

use nom::error::VerboseError;
use stc_s::Stc;
use vo_region::{parse_stcs, Shape};

const HOLE: &str = "Polygon ICRS 1.000000 1.000000 2.000000 1.000000 2.000000 2.000000 Not (Polygon 1.500000 1.200000 1.600000 1.200000 1.600000 1.300000)";
const UNION: &str = "Union ICRS ( Polygon 1.000000 1.000000 2.000000 1.000000 2.000000 2.000000 Not (Polygon 1.500000 1.200000 1.600000 1.200000 1.600000 1.300000) Circle 10.000000 10.000000 0.100000)";

#[test]
fn cds_stc_s_stops_before_the_hole_of_a_piece() {
    let (rest, _) = Stc::parse::<VerboseError<&str>>(HOLE).expect("the outline parses");
    assert!(
        rest.trim_start().starts_with("Not"),
        "left unread: {rest:?}"
    );
    let ours = parse_stcs(HOLE).unwrap();
    assert_eq!(ours.pieces.len(), 1);
    assert_eq!(ours.pieces[0].holes.len(), 1);
}

#[test]
fn cds_stc_s_reads_a_hole_in_a_union_as_a_member_of_its_own() {
    let (rest, stc) = Stc::parse::<VerboseError<&str>>(UNION).expect("the union parses");
    assert!(rest.is_empty());
    let json = serde_json::to_value(&stc).unwrap();
    let members = json["space"]["Union"]["elems"].as_array().unwrap();
    assert_eq!(members.len(), 3, "{json}");
    assert!(
        members[1].get("Not").is_some(),
        "the hole is a member: {json}"
    );
    // ALMA's meaning, as this crate reads it: two pieces, the first with its hole
    let ours = parse_stcs(UNION).unwrap();
    assert_eq!(ours.pieces.len(), 2);
    assert_eq!(ours.pieces[0].holes.len(), 1);
    assert!(matches!(ours.pieces[1].outer, Shape::Circle { .. }));
}
