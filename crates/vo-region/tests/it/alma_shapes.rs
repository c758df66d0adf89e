//! Every s_region in ALMA's real TAP response parses, and formats back to the same text.

use std::path::PathBuf;

fn shapes_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/alma/responses/alma-shapes.xml")
}

#[test]
fn every_alma_shape_roundtrips() {
    let xml = std::fs::read_to_string(shapes_file())
        .expect("the ALMA shapes response beside the project");
    let regions: Vec<&str> = xml
        .split("<TD>")
        .skip(1)
        .map(|cell| cell.split("</TD>").next().unwrap())
        .filter(|cell| {
            ["Circle", "Polygon", "Union"]
                .iter()
                .any(|k| cell.starts_with(k))
        })
        .collect();
    assert_eq!(regions.len(), 5, "the response holds five regions");
    let mut kinds = std::collections::BTreeSet::new();
    for text in regions {
        let region = vo_region::parse_stcs(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        kinds.insert((
            region.pieces.len() > 1,
            region.pieces.iter().any(|p| !p.holes.is_empty()),
        ));
        assert_eq!(vo_region::format_stcs(&region), text);
        let (ra, dec, r) = region.bounding_circle();
        assert!(r > 0.0 && r < 10.0 && (0.0..360.0).contains(&ra) && dec.abs() <= 90.0);
    }
    // circle/polygon, union, polygon with hole, union with holes
    assert!(
        kinds.contains(&(true, false))
            && kinds.contains(&(false, true))
            && kinds.contains(&(true, true))
    );
}
