//! The sky coverage of a set of footprints as an IVOA MOC 2.0 (Multi-Order Coverage map):
//! the HEALPix cells, at a chosen depth, that any footprint touches, built with CDS's `moc`
//! crate, and its standard forms (FITS, the JSON and ASCII serialisations).
//!
//! A footprint's cells are those its outer shapes touch, less the cells wholly inside its
//! holes: the map covers every point of every footprint (a coverage query never misses one)
//! and overshoots by at most the cells along the edges — the finer the depth, the less.
//!
//! Owns: the depth limits, shapes to cells, the union of many footprints, the area, the
//! serialisations. Does not own: where the footprints come from (the endpoint reads
//! `s_region`), parsing them (vo-region).

use moc::moc::range::{CellSelection, RangeMOC};
use moc::moc::{CellMOCIterator, RangeMOCIntoIterator, RangeMOCIterator};
use moc::qty::Hpx;
use vo_region::{Region, Shape};

/// A sky MOC.
pub type SkyMoc = RangeMOC<u64, Hpx<u64>>;

/// The depth a coverage is made at unless asked otherwise: cells of 3.2″.
pub const DEFAULT_DEPTH: u8 = 16;
/// The finest depth served: cells of 0.05″.
pub const MOST_DEPTH: u8 = 22;

/// The side of a cell at `depth`, in arcseconds.
pub fn cell_arcsec(depth: u8) -> f64 {
    // 12 · 4^depth cells share the sky
    (4.0 * std::f64::consts::PI / (12.0 * 4f64.powi(depth as i32)))
        .sqrt()
        .to_degrees()
        * 3600.0
}

fn radians(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    points
        .iter()
        .map(|&(ra, dec)| (ra.rem_euclid(360.0).to_radians(), dec.to_radians()))
        .collect()
}

/// The cells a shape touches (`selection` All) or fills (Inside).
fn shape_moc(shape: &Shape, depth: u8, selection: CellSelection) -> Option<SkyMoc> {
    let shape = shape.clone();
    // the crate panics on shapes it cannot cover (a degenerate polygon): such a footprint
    // adds nothing rather than stopping the map
    std::panic::catch_unwind(move || match shape {
        Shape::Circle { ra, dec, radius } => RangeMOC::from_cone(
            ra.rem_euclid(360.0).to_radians(),
            dec.to_radians(),
            radius.to_radians(),
            depth,
            2,
            selection,
        ),
        Shape::Polygon(vertices) => {
            RangeMOC::from_polygon(&radians(&vertices), false, depth, selection)
        }
        Shape::Range { ra, dec } => {
            let below_pole = std::f64::consts::FRAC_PI_2 - 1e-12;
            RangeMOC::from_zone(
                ra.0.rem_euclid(360.0).to_radians(),
                dec.0.to_radians().max(-std::f64::consts::FRAC_PI_2),
                ra.1.rem_euclid(360.0).to_radians(),
                dec.1.to_radians().min(below_pole),
                depth,
                selection,
            )
        }
    })
    .ok()
}

/// The cells of one footprint: its pieces' outer shapes, less what their holes fill.
pub fn region_moc(region: &Region, depth: u8) -> SkyMoc {
    let mut pieces = Vec::with_capacity(region.pieces.len());
    for piece in &region.pieces {
        let Some(mut outer) = shape_moc(&piece.outer, depth, CellSelection::All) else {
            continue;
        };
        for hole in &piece.holes {
            if let Some(filled) = shape_moc(hole, depth, CellSelection::Inside) {
                outer = outer.minus(&filled);
            }
        }
        pieces.push(outer);
    }
    union(pieces, depth)
}

/// The union of many maps, merged pairwise (each cell range merged about log₂ n times).
pub fn union(mut mocs: Vec<SkyMoc>, depth: u8) -> SkyMoc {
    if mocs.is_empty() {
        return RangeMOC::new_empty(depth);
    }
    while mocs.len() > 1 {
        let mut next = Vec::with_capacity(mocs.len().div_ceil(2));
        let mut it = mocs.into_iter();
        while let Some(a) = it.next() {
            next.push(match it.next() {
                Some(b) => a.or(&b),
                None => a,
            });
        }
        mocs = next;
    }
    mocs.pop().unwrap()
}

/// The area covered, in square degrees.
pub fn area_deg2(moc: &SkyMoc) -> f64 {
    moc.coverage_percentage() * 4.0 * std::f64::consts::PI * (180.0 / std::f64::consts::PI).powi(2)
}

/// Ranges of cells at the map's depth (what its size grows with).
pub fn ranges(moc: &SkyMoc) -> usize {
    moc.len()
}

/// The map as an IVOA MOC 2.0 FITS file (NUNIQ, MOCDIM SPACE), named `id`.
pub fn to_fits(moc: &SkyMoc, id: &str) -> Vec<u8> {
    let mut out = Vec::new();
    moc.into_range_moc_iter()
        .to_fits_ivoa(Some(id.to_string()), None, &mut out)
        .expect("writing to memory");
    out
}

/// The map in the MOC JSON serialisation (`{"depth": [cells…], …}`), as Aladin reads it.
pub fn to_json(moc: &SkyMoc) -> String {
    let mut out = Vec::new();
    moc::deser::json::to_json_aladin(moc.into_range_moc_iter().cells(), &Some(100), "", &mut out)
        .expect("writing to memory");
    String::from_utf8(out).expect("the JSON is ASCII")
}

/// The map in the MOC 2.0 ASCII serialisation (`s16/1-3 5`).
pub fn to_ascii(moc: &SkyMoc) -> String {
    let mut out = Vec::new();
    moc::deser::ascii::to_ascii_ivoa(
        moc.into_range_moc_iter().cells().cellranges(),
        &Some(100),
        false,
        &mut out,
    )
    .expect("writing to memory");
    String::from_utf8(out).expect("the ASCII form is ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;
    use vo_region::parse_stcs;

    #[test]
    fn a_circle_covers_its_area_and_a_little_more_at_its_edge() {
        let region = parse_stcs("Circle ICRS 150.0 2.0 0.01").unwrap();
        let exact = 2.0
            * std::f64::consts::PI
            * (1.0 - 0.01f64.to_radians().cos())
            * (180.0 / std::f64::consts::PI).powi(2);
        for depth in [16u8, 20] {
            let moc = region_moc(&region, depth);
            let area = area_deg2(&moc);
            let edge = 2.0 * std::f64::consts::PI * 0.01 * cell_arcsec(depth) / 3600.0 * 2.0;
            assert!(
                area >= exact && area <= exact + edge,
                "depth {depth}: {area} vs {exact} (+ {edge})"
            );
        }
    }

    #[test]
    fn holes_are_cut_out_and_unions_merge() {
        let outer = parse_stcs("Polygon ICRS 10.0 10.0 10.1 10.0 10.1 10.1 10.0 10.1").unwrap();
        let holed = parse_stcs(
            "Polygon ICRS 10.0 10.0 10.1 10.0 10.1 10.1 10.0 10.1 Not (Polygon 10.02 10.02 10.08 10.02 10.08 10.08 10.02 10.08)",
        )
        .unwrap();
        let (a, b) = (
            area_deg2(&region_moc(&outer, 18)),
            area_deg2(&region_moc(&holed, 18)),
        );
        let hole = 0.06 * 0.06 * 10f64.to_radians().cos();
        assert!(
            (a - b - hole).abs() < 0.05 * hole,
            "{a} - {b} vs the hole's {hole}"
        );
        let twice = union(vec![region_moc(&outer, 18), region_moc(&outer, 18)], 18);
        assert_eq!(area_deg2(&twice), a);
        let apart = parse_stcs("Circle ICRS 200.0 -30.0 0.01").unwrap();
        let both = union(vec![region_moc(&outer, 18), region_moc(&apart, 18)], 18);
        assert!((area_deg2(&both) - a - area_deg2(&region_moc(&apart, 18))).abs() < 1e-12);
    }

    #[test]
    fn the_forms_are_written() {
        let moc = region_moc(&parse_stcs("Circle ICRS 150.0 2.0 0.01").unwrap(), 12);
        let fits = to_fits(&moc, "test");
        assert!(fits.starts_with(b"SIMPLE"));
        assert_eq!(fits.len() % 2880, 0);
        let text = String::from_utf8_lossy(&fits);
        assert!(
            text.contains("MOCORD") || text.contains("MOCORDER"),
            "{}",
            &text[..800.min(text.len())]
        );
        assert!(to_json(&moc).trim_start().starts_with('{'));
        assert!(to_ascii(&moc).contains('/'));
        assert!(cell_arcsec(16) > 3.0 && cell_arcsec(16) < 3.5);
    }
}
