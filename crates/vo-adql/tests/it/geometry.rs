//! Geometry over the demo table: the GiST indexes are usable for both spellings of the
//! predicates, and CONTAINS/INTERSECTS agree with an independent spherical computation
//! (gnomonic projection around the test point, exact for great-circle edges) on every row,
//! for many random points and cones, unions and holes included.

use crate::common;
use common::sql;

use vo_catalogue::Catalogue;
use vo_db::testing::TestCluster;
use vo_region::{angular_distance_deg, parse_stcs, Region, Shape};

async fn demo_db() -> (TestCluster, tokio_postgres::Client) {
    let (db, client) = common::demo_archive(11, 3000).await;
    client.batch_execute("ANALYZE").await.unwrap();
    (db, client)
}

/// The obs_ids an ADQL query returns, sorted.
async fn obs_ids(client: &tokio_postgres::Client, adql: &str) -> Vec<String> {
    let mut ids: Vec<String> = client
        .query(sql(adql).as_str(), &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    ids.sort();
    ids
}

/// Gnomonic projection of (ra, dec) around (ra0, dec0): great circles become straight lines.
fn gnomonic(ra0: f64, dec0: f64, ra: f64, dec: f64) -> Option<(f64, f64)> {
    let (a0, d0, a, d) = (
        ra0.to_radians(),
        dec0.to_radians(),
        ra.to_radians(),
        dec.to_radians(),
    );
    let cos_c = d0.sin() * d.sin() + d0.cos() * d.cos() * (a - a0).cos();
    if cos_c <= 0.0 {
        return None;
    }
    Some((
        d.cos() * (a - a0).sin() / cos_c,
        (d0.cos() * d.sin() - d0.sin() * d.cos() * (a - a0).cos()) / cos_c,
    ))
}

fn point_in_shape(shape: &Shape, ra: f64, dec: f64) -> bool {
    match shape {
        Shape::Circle {
            ra: cr,
            dec: cd,
            radius,
        } => angular_distance_deg(*cr, *cd, ra, dec) <= *radius,
        Shape::Polygon(vertices) => {
            let projected: Vec<(f64, f64)> = match vertices
                .iter()
                .map(|&(a, d)| gnomonic(ra, dec, a, d))
                .collect()
            {
                Some(p) => p,
                None => return false,
            };
            // ray casting from the origin (the test point) along +x
            let mut inside = false;
            for i in 0..projected.len() {
                let (x1, y1) = projected[i];
                let (x2, y2) = projected[(i + 1) % projected.len()];
                if (y1 > 0.0) != (y2 > 0.0) {
                    let x = x1 + (0.0 - y1) * (x2 - x1) / (y2 - y1);
                    if x > 0.0 {
                        inside = !inside;
                    }
                }
            }
            inside
        }
        Shape::Range { .. } => panic!("the demo's footprints are circles and polygons"),
    }
}

fn point_in_region(region: &Region, ra: f64, dec: f64) -> bool {
    region.pieces.iter().any(|p| {
        point_in_shape(&p.outer, ra, dec) && !p.holes.iter().any(|h| point_in_shape(h, ra, dec))
    })
}

/// Angular distance from a point to a shape's boundary, sampled finely along polygon edges
/// (the test cones are far larger than the sampling step).
fn edge_distance(shape: &Shape, ra: f64, dec: f64) -> f64 {
    match shape {
        Shape::Circle {
            ra: cr,
            dec: cd,
            radius,
        } => (angular_distance_deg(*cr, *cd, ra, dec) - radius).abs(),
        Shape::Polygon(v) => {
            let mut best = f64::MAX;
            for i in 0..v.len() {
                let (a, b) = (v[i], v[(i + 1) % v.len()]);
                for k in 0..=200 {
                    let t = k as f64 / 200.0;
                    best = best.min(angular_distance_deg(
                        a.0 + (b.0 - a.0) * t,
                        a.1 + (b.1 - a.1) * t,
                        ra,
                        dec,
                    ));
                }
            }
            best
        }
        Shape::Range { .. } => panic!("the demo's footprints are circles and polygons"),
    }
}

/// (does the cone reach the piece's outer shape, is the cone wholly inside one of its holes,
/// is the answer too close to an edge to judge by sampling)
fn cone_vs_piece(piece: &vo_region::Piece, ra: f64, dec: f64, r: f64) -> (bool, bool, bool) {
    let outer_edge = edge_distance(&piece.outer, ra, dec);
    let inside_outer = point_in_shape(&piece.outer, ra, dec);
    let reaches = inside_outer || outer_edge <= r;
    let mut in_hole = false;
    let mut close = !inside_outer && (outer_edge - r).abs() < 1e-4;
    for hole in &piece.holes {
        let hole_edge = edge_distance(hole, ra, dec);
        if point_in_shape(hole, ra, dec) && hole_edge >= r {
            in_hole = true;
        }
        close |= (hole_edge - r).abs() < 1e-4;
    }
    (reaches, in_hole, close)
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[tokio::test]
async fn predicates_use_the_indexes_and_match_brute_force() {
    let (_db, client) = demo_db().await;
    client
        .batch_execute("SET enable_seqscan = off")
        .await
        .unwrap();
    for (adql, index) in [
        ("SELECT obs_id FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 204.25, -29.86, 0.5))", "obscore_s_point_idx"),
        ("SELECT obs_id FROM ivoa.obscore WHERE CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 204.25, -29.86, 0.5)) = 1", "obscore_s_point_idx"),
        ("SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(CIRCLE('ICRS', 204.25, -29.86, 0.1), s_region) = 1", "obscore_s_region_bound_idx"),
        ("SELECT obs_id FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('ICRS', 83.82, -5.39), s_region)", "obscore_s_region_bound_idx"),
    ] {
        let plan = common::plan(&client, &sql(adql)).await;
        assert!(plan.iter().any(|l| l.contains(index)), "{adql}\n{}", plan.join("\n"));
    }
    client.batch_execute("RESET enable_seqscan").await.unwrap();

    let rows: Vec<(String, Region)> = client
        .query("SELECT obs_id, s_region FROM ivoa.obscore", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.get::<_, String>(0),
                parse_stcs(&r.get::<_, String>(1)).unwrap(),
            )
        })
        .collect();
    let with_holes = rows
        .iter()
        .filter(|(_, r)| r.pieces.iter().any(|p| !p.holes.is_empty()))
        .count();
    let unions = rows.iter().filter(|(_, r)| r.pieces.len() > 1).count();
    assert!(
        with_holes > 0 && unions > 0,
        "the demo has holes ({with_holes}) and unions ({unions})"
    );

    let mut rng = Lcg(42);
    let mut compared = 0;
    let (mut point_hits, mut cone_hits, mut hole_misses) = (0, 0, 0);
    // points: near random rows' footprints, so many land inside, in holes, and just outside
    for i in 0..60 {
        let (_, region) = &rows[(rng.next() * rows.len() as f64) as usize];
        let target = if i % 3 == 0 {
            region
                .pieces
                .iter()
                .find(|p| !p.holes.is_empty())
                .map(|p| &p.holes[0])
                .unwrap_or(&region.pieces[0].outer)
        } else {
            &region.pieces[0].outer
        };
        let (cra, cdec, r) = Region::single(target.clone()).bounding_circle();
        let (ra, dec) = (
            cra + (rng.next() - 0.5) * r * 1.6 / cdec.to_radians().cos(),
            cdec + (rng.next() - 0.5) * r * 1.6,
        );
        let adql = format!("SELECT obs_id FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('ICRS', {ra}, {dec}), s_region)");
        let got = obs_ids(&client, &adql).await;
        let mut expected: Vec<String> = rows
            .iter()
            .filter(|(_, r)| point_in_region(r, ra, dec))
            .map(|(id, _)| id.clone())
            .collect();
        expected.sort();
        point_hits += got.len();
        assert_eq!(got, expected, "CONTAINS(POINT({ra}, {dec}), s_region)");
        compared += rows.len();
    }
    // cones: INTERSECTS(CIRCLE, s_region), skipping rows within 1e-4 deg of the edge (sampling)
    for _ in 0..40 {
        let (_, region) = &rows[(rng.next() * rows.len() as f64) as usize];
        let (cra, cdec, r) = region.bounding_circle();
        let (ra, dec) = (
            cra + (rng.next() - 0.5) * r * 3.0 / cdec.to_radians().cos(),
            cdec + (rng.next() - 0.5) * r * 3.0,
        );
        let radius = 1.0 / 60.0 * (1.0 + 29.0 * rng.next());
        let adql = format!("SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(CIRCLE('ICRS', {ra}, {dec}, {radius}), s_region) = 1");
        let got: std::collections::HashSet<String> = client
            .query(sql(&adql).as_str(), &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        for (id, region) in &rows {
            let judged: Vec<(bool, bool, bool)> = region
                .pieces
                .iter()
                .map(|p| cone_vs_piece(p, ra, dec, radius))
                .collect();
            if judged.iter().any(|j| j.2) {
                continue;
            }
            let expected = judged
                .iter()
                .any(|&(reaches, in_hole, _)| reaches && !in_hole);
            cone_hits += usize::from(expected);
            hole_misses += usize::from(
                judged
                    .iter()
                    .any(|&(reaches, in_hole, _)| reaches && in_hole)
                    && !expected,
            );
            assert_eq!(
                got.contains(id),
                expected,
                "INTERSECTS(CIRCLE({ra}, {dec}, {radius}), s_region of {id})"
            );
            compared += 1;
        }
    }
    // literal REGIONs with unions and holes (the demo's own footprints, written as STC-S)
    // against every row's centre
    let centres: Vec<(String, f64, f64)> = client
        .query("SELECT obs_id, s_ra, s_dec FROM ivoa.obscore", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let mut union_hits = 0;
    for (_, region) in rows
        .iter()
        .filter(|(_, r)| r.pieces.len() > 1 || r.pieces.iter().any(|p| !p.holes.is_empty()))
        .take(25)
    {
        let literal = vo_region::format_stcs(region);
        let region = parse_stcs(&literal).unwrap();
        let adql = format!("SELECT obs_id FROM ivoa.obscore WHERE 1 = CONTAINS(POINT(s_ra, s_dec), REGION('{literal}'))");
        let got = obs_ids(&client, &adql).await;
        let mut expected: Vec<String> = centres
            .iter()
            .filter(|(_, ra, dec)| point_in_region(&region, *ra, *dec))
            .map(|(id, _, _)| id.clone())
            .collect();
        expected.sort();
        union_hits += got.len();
        assert_eq!(got, expected, "{adql}");
        compared += centres.len();
    }
    assert!(
        union_hits > 0,
        "the literal unions must contain some rows' centres"
    );
    assert!(compared > 100_000, "compared {compared} row/shape pairs");
    println!("compared {compared} pairs: {point_hits} point hits, {cone_hits} cone hits, {hole_misses} cones wholly inside holes");
    assert!(
        point_hits > 20 && cone_hits > 50,
        "the random shapes must hit rows: {point_hits} {cone_hits}"
    );
}

#[tokio::test]
async fn geometry_values_come_back_as_dali_arrays() {
    let db = TestCluster::start().await;
    let client = db.client().await;
    let adql = "SELECT TOP 1 POLYGON('ICRS', 10, 20, 11, 20, 11, 21) AS p, BOX(10, 20, 2, 1) AS b, \
                CENTROID(POLYGON(10, 20, 12, 20, 11, 22)) AS cp, CENTROID(BOX(359.5, 0, 2, 2)) AS cb, \
                CAST('12.3 45.6' AS POINT) AS pt, CAST('12.3 45.6 0.5' AS CIRCLE) AS c, \
                AREA(REGION('Union ICRS (Circle 10 10 1 Circle 20 20 1)')) AS a \
                FROM TAP_SCHEMA.schemas";
    let t = vo_adql::translate(adql, &Catalogue::builtin(), &vo_adql::Options::default()).unwrap();
    let xtypes: Vec<Option<&str>> = t.columns.iter().map(|c| c.xtype).collect();
    assert_eq!(
        xtypes,
        [
            Some("polygon"),
            Some("polygon"),
            Some("point"),
            Some("point"),
            Some("point"),
            Some("circle"),
            None
        ]
    );
    let row = client.query_one(t.sql.as_str(), &[]).await.unwrap();
    let close = |got: Vec<f64>, want: &[f64]| {
        assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-9, "{got:?} vs {want:?}");
        }
    };
    close(row.get(0), &[10.0, 20.0, 11.0, 20.0, 11.0, 21.0]);
    close(row.get(1), &[9.0, 19.5, 11.0, 19.5, 11.0, 20.5, 9.0, 20.5]);
    // the mean of the vertices' unit vectors, computed independently
    let unit = |ra: f64, dec: f64| {
        let (a, d) = (ra.to_radians(), dec.to_radians());
        [d.cos() * a.cos(), d.cos() * a.sin(), d.sin()]
    };
    let sum = [unit(10.0, 20.0), unit(12.0, 20.0), unit(11.0, 22.0)]
        .iter()
        .fold([0.0; 3], |s, v| [s[0] + v[0], s[1] + v[1], s[2] + v[2]]);
    let expected_centroid = [
        sum[1].atan2(sum[0]).to_degrees(),
        sum[2].atan2(sum[0].hypot(sum[1])).to_degrees(),
    ];
    close(row.get(2), &expected_centroid);
    close(row.get(3), &[359.5, 0.0]);
    close(row.get(4), &[12.3, 45.6]);
    close(row.get(5), &[12.3, 45.6, 0.5]);
    // two circles of 1 degree: 2 * 2π(1 - cos 1°) steradians in square degrees
    let area: f64 = row.get(6);
    let expected_area = 2.0
        * 2.0
        * std::f64::consts::PI
        * (1.0 - 1f64.to_radians().cos())
        * (180.0 / std::f64::consts::PI).powi(2);
    assert!(
        (area - expected_area).abs() < 1e-6,
        "{area} vs {expected_area}"
    );
}
