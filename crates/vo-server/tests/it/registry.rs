//! Found and federated: the archive's registry records and its OAI-PMH publishing registry as
//! a harvester and a validator see them, a record dated by its own change, the ObsCore 1.1
//! optional columns filled, and the same ObsCore query sent to two archives and merged with
//! pyvo.

use crate::common;

use common::{run_python, run_script, DemoServer};
use std::time::Duration;

/// Waits until the records are stored (the refresh runs when the server starts).
fn records_stored(server: &DemoServer) {
    let started = std::time::Instant::now();
    loop {
        let (status, body) = server.get("/oai?verb=ListIdentifiers&metadataPrefix=ivo_vor");
        // pages of 2: the list's size is in the resumption token
        if status == 200 && body.contains("completeListSize=\"7\"") {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no registry records after a minute: {body}\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// The JSON object a conformance script prints last.
fn json_summary(out: &str) -> serde_json::Value {
    let json = out
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON printed:\n{out}"));
    serde_json::from_str(json).unwrap()
}

fn harvest(server: &DemoServer, extra: &[&str]) -> serde_json::Value {
    json_summary(&run_script(server, "registry/harvest.py", extra))
}

const CONFIG: &str = "[registry]\nauthority = \"ivo://test.archive\"\npage_size = 2\n";

#[test]
fn records_validate_harvest_incrementally_and_date_their_own_changes() {
    let mut server = DemoServer::start_full(300, 1, CONFIG);
    records_stored(&server);

    // the validator itself finds broken records and answers invalid (its hand-written
    // samples, each broken in one way)
    run_python("registry/oai_check.py", &["--self-test"]);
    // every response and record valid against the schemas, every protocol error right
    run_script(&server, "registry/oai_check.py", &[]);

    // a harvester from PyPI takes every record, page by page (7 records, 2 a page)
    let all = harvest(&server, &[]);
    let identifiers: Vec<&str> = all["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(identifiers.len(), 7, "{all}");
    for id in [
        "ivo://test.archive",
        "ivo://test.archive/org",
        "ivo://test.archive/registry",
        "ivo://test.archive/tap",
        "ivo://test.archive/sia2",
        "ivo://test.archive/datalink",
        "ivo://test.archive/soda",
    ] {
        assert!(identifiers.contains(&id), "{id} not harvested: {all}");
    }
    assert_eq!(all["pages"], 4, "{all}");
    assert_eq!(all["types"]["ivo://test.archive/tap"], "vs:CatalogService");
    assert_eq!(all["types"]["ivo://test.archive/registry"], "vg:Registry");

    // the TAP record's tableset lists the obscore table with its optional columns, its
    // coverage is the holdings'
    let (_, tap) =
        server.get("/oai?verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://test.archive/tap");
    assert!(tap.contains("<name>ivoa.obscore</name>"), "{tap}");
    assert!(tap.contains("<name>target_class</name>"));
    assert!(tap.contains("<spatial>"), "no MOC in the TAP record: {tap}");
    let first_harvest = all["datestamps"]["ivo://test.archive/tap"]
        .as_str()
        .unwrap()
        .to_string();

    // restarted unchanged, nothing is dated again
    server.kill();
    std::thread::sleep(Duration::from_millis(1100));
    server.serve();
    records_stored(&server);
    std::thread::sleep(Duration::from_secs(2));
    let again = harvest(&server, &[]);
    assert_eq!(
        again["datestamps"], all["datestamps"],
        "unchanged records kept their dates"
    );

    // a TAP limit changed: only TAP's record is newer, and a harvest from then takes it alone
    server.kill();
    std::thread::sleep(Duration::from_millis(1100));
    let config = server.dir.path().join("voarchive.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[tap]\nupload_rows = 1234\n")).unwrap();
    server.serve();
    let started = std::time::Instant::now();
    let changed = loop {
        let now = harvest(&server, &[]);
        if now["datestamps"]["ivo://test.archive/tap"] != first_harvest.as_str() {
            break now;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "TAP's record was not dated again"
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    let tap_date = changed["datestamps"]["ivo://test.archive/tap"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(tap_date > first_harvest, "{tap_date} after {first_harvest}");
    let since = harvest(&server, &["--from", &tap_date]);
    assert_eq!(
        since["identifiers"],
        serde_json::json!(["ivo://test.archive/tap"]),
        "a harvest from the change takes only the changed record: {since}"
    );
    let (_, tap) =
        server.get("/oai?verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://test.archive/tap");
    assert!(tap.contains("at most 1234 rows"), "{tap}");
}

#[test]
fn one_obscore_query_over_two_archives_returns_the_union_with_the_optional_columns() {
    let first = DemoServer::start_full(200, 1, "");
    let second = DemoServer::start_full(200, 1, "[demo]\nseed = 7\n");
    // the optional columns are filled where the data allow
    let filled = first.psql(
        "SELECT count(*) FILTER (WHERE target_class IS NOT NULL), \
                count(*) FILTER (WHERE s_pixel_scale > 0), \
                count(*) FILTER (WHERE em_ucd = 'em.freq'), \
                count(*) FILTER (WHERE dataproduct_subtype LIKE '%.I.pbcor'), \
                count(*) FILTER (WHERE preview LIKE 'http%/preview/%.png'), \
                count(*) FROM ivoa.obscore",
    );
    let counts: Vec<i64> = filled
        .split('|')
        .map(|n| n.trim().parse().unwrap())
        .collect();
    let total = counts[5];
    assert!(total > 100, "{filled}");
    assert_eq!(
        &counts[..4],
        &[total; 4],
        "target_class, s_pixel_scale, em_ucd, subtype: {filled}"
    );
    assert!(counts[4] > 0, "some rows have previews: {filled}");
    // a row's preview is an image the preview service serves
    let preview = first
        .psql("SELECT preview FROM ivoa.obscore WHERE preview IS NOT NULL ORDER BY obs_id LIMIT 1");
    let path = preview.strip_prefix(&first.base()).unwrap().to_string();
    let (status, png) = first.get_bytes(&path);
    assert_eq!((status, &png[1..4]), (200, &b"PNG"[..]), "{path}");

    // the documented example, as a user runs it
    let text = run_python(
        "registry/federate.py",
        &[&first.url("/tap"), &second.url("/tap"), "--check"],
    );
    let summary = json_summary(&text);
    let count = |server: &DemoServer| -> i64 {
        server
            .psql("SELECT count(*) FROM ivoa.obscore")
            .parse()
            .unwrap()
    };
    assert_eq!(
        summary["union"].as_i64(),
        Some(count(&first) + count(&second)),
        "{text}"
    );
}
