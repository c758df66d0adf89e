//! The name resolver over HTTP: `/resolve` answers the page in JSON (the object, or "did you
//! mean"), and `/sesame` answers astropy's `SkyCoord.from_name` and astroquery's
//! `Alma.query_object` offline (conformance/resolve/sesame_clients.py).

use crate::common;

use common::{run_script, DemoServer};

fn server() -> DemoServer {
    let catalogue = std::env::var("VO_NAMES_CATALOGUE").expect(
        "VO_NAMES_CATALOGUE names the OpenNGC catalogue file (deploy/test writes it with deploy/openngc.py)",
    );
    DemoServer::start(1500, 0, &format!("[names]\ncatalogue = \"{catalogue}\"\n"))
}

#[test]
fn names_resolve_for_the_page_and_for_sesame_clients() {
    let server = server();
    let json = |query: &str| {
        let (status, body) = server.get(&format!("/resolve?{query}"));
        (
            status,
            serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        )
    };
    let (status, m83) = json("name=Messier%2083");
    assert_eq!(status, 200, "{m83}");
    assert_eq!(m83["object"], "NGC5236");
    assert_eq!(m83["source"], "OpenNGC");
    assert_eq!(m83["type_description"], "Galaxy");
    assert!(
        (m83["ra"].as_f64().unwrap() - 204.254).abs() < 0.01,
        "{m83}"
    );
    // the archive's own spelling of a target, and which target name it observed it under
    let (_, orion) = json("name=orion+kl");
    assert_eq!(orion["object"], "Orion_KL", "{orion}");
    assert_eq!(orion["source"], "archive");
    let (_, ngc253) = json("name=NGC0253");
    assert_eq!(ngc253["archive_target"], "NGC253", "{ngc253}");
    // a typo: 404 with suggestions and a sentence to show
    let (status, typo) = json("name=Sombero%20Galaxy");
    assert_eq!(status, 404, "{typo}");
    assert!(
        typo["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "Sombrero Galaxy"),
        "{typo}"
    );
    assert!(
        typo["error"]
            .as_str()
            .unwrap()
            .contains("did you mean \"Sombrero Galaxy\""),
        "{typo}"
    );
    let (status, missing) = json("");
    assert_eq!(status, 400, "{missing}");
    assert!(
        missing["error"]
            .as_str()
            .unwrap()
            .contains("/resolve?name="),
        "{missing}"
    );
    let (status, long) = json(&format!("name={}", "x".repeat(500)));
    assert_eq!(status, 400, "{long}");
    // Sesame's own formats
    let (status, plain) = server.get("/sesame/SNV?Cen%20A");
    assert_eq!(status, 200);
    assert!(plain.contains("%J 201.36"), "{plain}");
    let (_, xml) = server.get("/sesame/-ox/SNV?M83");
    assert!(xml.contains("<jradeg>204.25"), "{xml}");
    println!("{}", run_script(&server, "resolve/sesame_clients.py", &[]));
}

#[test]
fn the_form_completes_from_the_archive_values() {
    let server = server();
    let values = |query: &str| {
        let (status, body) = server.get(&format!("/resolve/complete?{query}"));
        assert_eq!(status, 200, "{body}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        answer["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["value"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(values("field=source&text=arp").contains(&"Arp220".to_string()));
    // most used first, prefixes before words inside
    let projects = values("field=project&text=2019.");
    assert!(
        !projects.is_empty() && projects.iter().all(|p| p.starts_with("2019.")),
        "{projects:?}"
    );
    let keywords = values("field=keyword&text=disk");
    assert!(
        keywords.iter().any(|k| k.to_lowercase().contains("disk")),
        "{keywords:?}"
    );
    let pi = server.psql("SELECT pi_name FROM ivoa.obscore ORDER BY obs_id LIMIT 1");
    let last_name = pi.trim().split(',').next().unwrap().to_string();
    assert!(values(&format!("field=pi&text={}", &last_name[..3])).contains(&pi.trim().to_string()));
    // LIKE's wildcards are text
    assert!(values("field=source&text=%25").is_empty());
    assert!(values("field=source&text=").is_empty());
    let (status, body) = server.get("/resolve/complete?field=nonsense&text=a");
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("source, project, pi, keyword, category"),
        "{body}"
    );
}

/// Object types (manual §3.2): the catalogue's objects inside each observation's footprint,
/// scored, one best match per observation; queryable through TAP.
#[test]
fn observations_know_the_catalogue_objects_in_their_footprints() {
    let server = server();
    // the server loads the catalogue and finds the objects in the background
    let started = std::time::Instant::now();
    while server
        .psql("SELECT count(*) FROM archive.catalogue_source")
        .trim()
        != "1"
    {
        assert!(
            started.elapsed().as_secs() < 60,
            "the catalogue was not loaded: {}",
            server.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let pairs: i64 = server
        .psql("SELECT count(*) FROM alma.object_in_footprint")
        .trim()
        .parse()
        .unwrap();
    assert!(pairs > 0, "no object in any footprint");
    // every object lies inside its observation's footprint (bound, a piece, no hole)
    let outside = server.psql(
        "SELECT count(*) FROM alma.object_in_footprint x \
         JOIN archive.catalogue_object c ON c.name = x.object_name \
         JOIN ivoa.obscore o ON o.obs_id = x.footprint_obs_id \
         WHERE NOT (c.pos @ o.s_region_bound) OR NOT EXISTS (SELECT 1 FROM archive.obscore_footprint f \
           WHERE f.obs_id = o.obs_id AND f.hole_of IS NULL AND (c.pos @ f.circle OR c.pos @ f.polygon))",
    );
    assert_eq!(outside.trim(), "0");
    // and no object inside a footprint is missed
    let missed = server.psql(
        "SELECT count(*) FROM ivoa.obscore o JOIN archive.catalogue_object c ON c.pos @ o.s_region_bound \
         WHERE EXISTS (SELECT 1 FROM archive.obscore_footprint f WHERE f.obs_id = o.obs_id \
           AND f.hole_of IS NULL AND (c.pos @ f.circle OR c.pos @ f.polygon)) \
         AND NOT EXISTS (SELECT 1 FROM alma.object_in_footprint x \
           WHERE x.footprint_obs_id = o.obs_id AND x.object_name = c.name)",
    );
    assert_eq!(missed.trim(), "0");
    // one best match per observation that has objects, the highest score
    let best = server.psql(
        "SELECT count(*) FROM (SELECT footprint_obs_id, sum(best_match) AS n, \
           max(score) FILTER (WHERE best_match = 1) AS b, max(score) AS m \
         FROM alma.object_in_footprint GROUP BY footprint_obs_id) s WHERE n <> 1 OR b <> m",
    );
    assert_eq!(best.trim(), "0");
    // scores lie within 0..1
    let scores = server.psql("SELECT min(score), max(score) FROM alma.object_in_footprint");
    let v: Vec<f64> = scores
        .trim()
        .split('|')
        .map(|x| x.parse().unwrap())
        .collect();
    assert!(v[0] >= 0.0 && v[1] <= 1.0, "{scores}");
    // through TAP, as the page asks
    let (status, body) = server.post(
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("FORMAT", "csv"),
            ("QUERY", "SELECT COUNT(*) FROM ivoa.obscore WHERE obs_id IN \
              (SELECT footprint_obs_id FROM alma.object_in_footprint WHERE object_type = 'G' AND best_match = 1)"),
        ],
    );
    assert_eq!(status, 200, "{body}");
    let galaxies: i64 = body.lines().nth(1).unwrap().trim().parse().unwrap();
    let direct: i64 = server
        .psql("SELECT count(DISTINCT footprint_obs_id) FROM alma.object_in_footprint WHERE object_type = 'G' AND best_match = 1")
        .trim()
        .parse()
        .unwrap();
    assert_eq!(galaxies, direct);
    assert!(galaxies > 0);
}
