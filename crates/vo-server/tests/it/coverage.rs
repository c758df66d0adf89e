//! The holdings' coverage as clients read it: `/moc/holdings` (all data, public data only,
//! one band) loads in MOCPy as IVOA MOC 2.0 FITS, the parts lie within the whole, its area is
//! the union of the footprints' within 1% — the union measured here by Monte Carlo (Karp and
//! Luby's estimator over the footprints' bounding circles, points tested against the
//! footprints themselves) — and bad parameters are named; the page's HEALPix cell numbers
//! agree with CDS's cdshealpix.

use crate::common;

use common::{run_script, DemoServer};
use rand::{Rng, SeedableRng};
use vo_region::{parse_stcs, Area, Region};

/// A footprint ready for point tests: its pieces (outer area and holes) and bounding circle.
struct Footprint {
    pieces: Vec<(Area, Vec<Area>)>,
    circle: (f64, f64, f64),
}

impl Footprint {
    fn new(region: &Region) -> Footprint {
        Footprint {
            pieces: region
                .pieces
                .iter()
                .map(|p| {
                    (
                        Area::new(&p.outer).unwrap(),
                        p.holes.iter().map(|h| Area::new(h).unwrap()).collect(),
                    )
                })
                .collect(),
            circle: region.bounding_circle(),
        }
    }

    fn contains(&self, ra: f64, dec: f64) -> bool {
        self.pieces.iter().any(|(outer, holes)| {
            outer.contains(ra, dec) && !holes.iter().any(|h| h.contains(ra, dec))
        })
    }
}

fn cap_area_deg2(radius_deg: f64) -> f64 {
    2.0 * std::f64::consts::PI
        * (1.0 - radius_deg.to_radians().cos())
        * (180.0 / std::f64::consts::PI).powi(2)
}

/// A point drawn uniformly in the circle of `radius` degrees around (ra, dec).
fn in_cap(rng: &mut impl Rng, (ra, dec, radius): (f64, f64, f64)) -> (f64, f64) {
    let cos_r = radius.to_radians().cos();
    let cos_t: f64 = 1.0 - rng.gen::<f64>() * (1.0 - cos_r);
    let t = cos_t.acos();
    let phi = rng.gen::<f64>() * 2.0 * std::f64::consts::PI;
    let (ra0, dec0) = (ra.to_radians(), dec.to_radians());
    // the point at angle t from the centre, bearing phi
    let lat = (dec0.sin() * t.cos() + dec0.cos() * t.sin() * phi.cos()).asin();
    let lon = ra0 + (phi.sin() * t.sin() * dec0.cos()).atan2(t.cos() - dec0.sin() * lat.sin());
    (lon.to_degrees().rem_euclid(360.0), lat.to_degrees())
}

fn distance_deg(a: (f64, f64), b: (f64, f64)) -> f64 {
    vo_region::angular_distance_deg(a.0, a.1, b.0, b.1)
}

/// The area (deg²) of the union of the footprints, by Karp–Luby over their bounding circles.
fn union_area(footprints: &[Footprint], samples: usize) -> f64 {
    let caps: Vec<f64> = footprints
        .iter()
        .map(|f| cap_area_deg2(f.circle.2))
        .collect();
    let total: f64 = caps.iter().sum();
    let mut cumulative = Vec::with_capacity(caps.len());
    let mut running = 0.0;
    for a in &caps {
        running += a;
        cumulative.push(running);
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut sum = 0.0;
    for _ in 0..samples {
        let pick = rng.gen::<f64>() * total;
        let i = cumulative
            .partition_point(|&c| c < pick)
            .min(footprints.len() - 1);
        let point = in_cap(&mut rng, footprints[i].circle);
        let mut caps_here = 0usize;
        let mut inside = false;
        for f in footprints {
            if distance_deg(point, (f.circle.0, f.circle.1)) <= f.circle.2 {
                caps_here += 1;
                inside = inside || f.contains(point.0, point.1);
            }
        }
        if inside {
            sum += 1.0 / caps_here.max(1) as f64;
        }
    }
    total * sum / samples as f64
}

#[test]
fn the_holdings_coverage_is_a_moc_of_the_union_of_the_footprints() {
    let server = DemoServer::start(1000, 0, "");
    let dir = tempfile::tempdir().unwrap();
    let depth = 22;
    let mut files = Vec::new();
    for (name, query) in [
        ("all", format!("depth={depth}")),
        ("public", format!("depth={depth}&public=true")),
        ("band6", format!("depth={depth}&band=6")),
    ] {
        let (status, bytes) = server.get_bytes(&format!("/moc/holdings?{query}"));
        assert_eq!(
            status,
            200,
            "{}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
        );
        assert!(bytes.starts_with(b"SIMPLE"), "{name}");
        let path = dir.path().join(format!("{name}.fits"));
        std::fs::write(&path, &bytes).unwrap();
        files.push(path.to_string_lossy().into_owned());
    }
    let report = run_script(
        &server,
        "coverage/moc.py",
        &files.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let maps: serde_json::Value = serde_json::from_str(report.lines().last().unwrap())
        .unwrap_or_else(|e| panic!("{e}: {report}"));
    for (i, file) in files.iter().enumerate() {
        assert_eq!(maps[file]["depth"], depth, "{report}");
        if i > 0 {
            assert_eq!(
                maps[file]["within_first"], true,
                "{file} lies within all data: {report}"
            );
        }
    }
    // its area against the union of the footprints, measured independently
    let regions =
        server.psql("SELECT DISTINCT s_region FROM ivoa.obscore WHERE s_region IS NOT NULL");
    let footprints: Vec<Footprint> = regions
        .lines()
        .map(|text| Footprint::new(&parse_stcs(text.trim()).unwrap()))
        .collect();
    let union = union_area(&footprints, 200_000);
    let moc_area = maps[&files[0]]["area_deg2"].as_f64().unwrap();
    println!(
        "{} footprints: union {union:.6} deg² (Monte Carlo), MOC at depth {depth} {moc_area:.6} deg² ({:+.2}%)",
        footprints.len(),
        (moc_area / union - 1.0) * 100.0
    );
    assert!(
        (moc_area / union - 1.0).abs() < 0.01,
        "MOC {moc_area} vs union {union}"
    );

    // the page's own HEALPix cells (its density map of wide answers) are CDS's
    for order in ["3", "9"] {
        let cases = run_script(&server, "coverage/healpix_cases.py", &[order, "1500"]);
        let agreed = common::run_with(
            "node",
            &server,
            "web/healpix.mjs",
            &[order, cases.lines().last().unwrap()],
        );
        let agreed: serde_json::Value =
            serde_json::from_str(agreed.lines().find(|l| l.starts_with('{')).unwrap()).unwrap();
        assert_eq!(agreed["agree"], agreed["cases"], "order {order}: {agreed}");
    }

    // the other forms, and bad parameters named
    let (status, json) = server.get("/moc/holdings?format=json&depth=10");
    assert_eq!(status, 200);
    assert!(
        serde_json::from_str::<serde_json::Value>(&json).is_ok(),
        "{json}"
    );
    let (status, ascii) = server.get("/moc/holdings?format=ascii&depth=10");
    assert_eq!(status, 200);
    assert!(ascii.contains('/'), "{ascii}");
    for (query, named) in [
        ("depth=40", "depth=\\\"40\\\""),
        ("band=12", "band=\\\"12\\\""),
        ("format=png", "format=\\\"png\\\""),
        ("public=maybe", "public=\\\"maybe\\\""),
    ] {
        let (status, error) = server.get(&format!("/moc/holdings?{query}"));
        assert_eq!(status, 400, "{query}: {error}");
        assert!(error.contains(named), "{query}: {error}");
    }
}
