//! TAP sync over HTTP against a demo archive served by the binary: parameters, errors,
//! MAXREC and its limits, formats, uploads, VOSI documents, time limits, cancellation when
//! the client goes away, and the 71 real ALMA client queries.

use crate::common;

use common::DemoServer;

const CONFIG: &str =
    "[tap]\nsync_seconds = 2\nmaxrec_default = 40\nmaxrec_hard = 60\nupload_rows = 5\n";

fn status_of(body: &str) -> Vec<String> {
    body.match_indices("name=\"QUERY_STATUS\" value=\"")
        .map(|(i, m)| {
            let rest = &body[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

fn rows(body: &str) -> usize {
    body.matches("<TR>").count()
}

/// A multipart body with form fields and one file part.
fn multipart(fields: &[(&str, &str)], file: (&str, &str)) -> (String, Vec<u8>) {
    let boundary = "XXboundaryXX";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"table.xml\"\r\nContent-Type: application/x-votable+xml\r\n\r\n{}\r\n--{boundary}--\r\n",
        file.0, file.1
    ));
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

fn post_multipart(
    server: &DemoServer,
    fields: &[(&str, &str)],
    file: (&str, &str),
) -> (u16, String) {
    let (content_type, body) = multipart(fields, file);
    let response = match ureq::post(&server.url("/tap/sync"))
        .set("Content-Type", &content_type)
        .send_bytes(&body)
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    (response.status(), response.into_string().unwrap())
}

const ASTROPY_UPLOAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<!-- Produced with astropy.io.votable version 7.0 http://www.astropy.org/ -->
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
 <RESOURCE type="results">
  <TABLE>
   <FIELD ID="prop_id" arraysize="14" datatype="unicodeChar" name="prop_id"/>
   <FIELD ID="n" datatype="long" name="n"/>
   <DATA>
    <TABLEDATA>
     <TR><TD>PROPOSAL</TD><TD>1</TD></TR>
     <TR><TD>2000.1.00000.S</TD><TD>2</TD></TR>
    </TABLEDATA>
   </DATA>
  </TABLE>
 </RESOURCE>
</VOTABLE>"#;

#[test]
fn tap_sync_over_http() {
    let server = DemoServer::start(2000, 0, CONFIG);
    let query = "SELECT TOP 5 obs_id, s_ra, \"lastModified\" FROM ivoa.obscore ORDER BY obs_id";

    // GET and POST, parameter names in any case, give the same document
    let (status, post) = server.post(
        "/tap/sync",
        &[("REQUEST", "doQuery"), ("LANG", "ADQL"), ("QUERY", query)],
    );
    assert_eq!(status, 200, "{post}");
    let encoded: String = query
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let (status, get) = server.get(&format!(
        "/tap/sync?request=doQuery&lang=ADQL-2.1&query={encoded}"
    ));
    assert_eq!(status, 200);
    assert_eq!(get, post);
    assert_eq!(rows(&post), 5);
    assert_eq!(status_of(&post), ["OK"]);
    assert!(post.contains("<FIELD name=\"lastModified\""), "{post}");

    // errors: a DALI error document, a 400, and a message that says what to do
    for (form, expected) in [
        (vec![("QUERY", query)], "LANG parameter is missing"),
        (
            vec![("LANG", "SQL"), ("QUERY", query)],
            "LANG=SQL is not supported",
        ),
        (vec![("LANG", "ADQL")], "QUERY parameter is missing"),
        (
            vec![("LANG", "ADQL"), ("QUERY", "SELECT pvw FROM ivoa.obscore")],
            "did you mean pwv?",
        ),
        (
            vec![("LANG", "ADQL"), ("QUERY", query), ("MAXREC", "lots")],
            "MAXREC 'lots' is not a number",
        ),
        (
            vec![
                ("LANG", "ADQL"),
                ("QUERY", query),
                ("RESPONSEFORMAT", "json"),
            ],
            "unknown RESPONSEFORMAT 'json'",
        ),
        (
            vec![("LANG", "ADQL"), ("QUERY", query), ("REQUEST", "getTables")],
            "use REQUEST=doQuery",
        ),
    ] {
        let (status, body) = server.post("/tap/sync", &form);
        assert_eq!(status, 400, "{form:?}: {body}");
        assert_eq!(status_of(&body), ["ERROR"], "{body}");
        assert!(body.contains(expected), "{form:?}: {body}");
    }

    // MAXREC: the default and hard limits of the configuration, overflow after the table
    let all = "SELECT obs_id FROM ivoa.obscore";
    let (_, body) = server.post("/tap/sync", &[("LANG", "ADQL"), ("QUERY", all)]);
    assert_eq!(
        (rows(&body), status_of(&body)),
        (40, vec!["OK".to_string(), "OVERFLOW".into()])
    );
    assert!(body.find("OVERFLOW").unwrap() > body.find("</TABLE>").unwrap());
    let (_, body) = server.post(
        "/tap/sync",
        &[("LANG", "ADQL"), ("QUERY", all), ("MAXREC", "7")],
    );
    assert_eq!((rows(&body), status_of(&body).len()), (7, 2));
    let (_, body) = server.post(
        "/tap/sync",
        &[("LANG", "ADQL"), ("QUERY", all), ("MAXREC", "100000")],
    );
    assert_eq!(
        (rows(&body), status_of(&body).len()),
        (60, 2),
        "capped at the hard limit"
    );
    let (_, body) = server.post(
        "/tap/sync",
        &[("LANG", "ADQL"), ("QUERY", all), ("MAXREC", "0")],
    );
    assert_eq!(rows(&body), 0);
    assert!(body.contains("<FIELD name=\"obs_id\""));
    // TOP below MAXREC: no overflow
    let (_, body) = server.post(
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("QUERY", "SELECT TOP 3 obs_id FROM ivoa.obscore"),
            ("MAXREC", "10"),
        ],
    );
    assert_eq!((rows(&body), status_of(&body)), (3, vec!["OK".to_string()]));

    // an empty result still has every FIELD
    let (_, body) = server.post(
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("QUERY", "SELECT * FROM ivoa.obscore WHERE s_ra < -1000"),
        ],
    );
    assert_eq!(body.matches("<FIELD ").count(), 78);
    assert_eq!(
        (rows(&body), status_of(&body)),
        (0, vec!["OK".to_string()]),
        "{body}"
    );

    // formats: content types
    for (format, content_type) in [
        ("votable/b2", "application/x-votable+xml"),
        (
            "application/x-votable+xml;serialization=BINARY",
            "application/x-votable+xml",
        ),
        ("csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ] {
        let response = ureq::post(&server.url("/tap/sync"))
            .send_form(&[
                ("LANG", "ADQL"),
                ("QUERY", query),
                ("RESPONSEFORMAT", format),
            ])
            .unwrap();
        assert!(
            response
                .content_type()
                .starts_with(content_type.split(';').next().unwrap()),
            "{format}: {}",
            response.content_type()
        );
    }

    // an inline upload as astropy writes it, joined in ADQL
    let (status, body) = post_multipart(
        &server,
        &[
            ("LANG", "ADQL"),
            ("UPLOAD", "mine,param:t1"),
            (
                "QUERY",
                "SELECT u.prop_id, u.n FROM TAP_UPLOAD.mine AS u ORDER BY u.n",
            ),
        ],
        ("t1", ASTROPY_UPLOAD),
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<TR><TD>PROPOSAL</TD><TD>1</TD></TR>"),
        "{body}"
    );
    let (status, body) = post_multipart(
        &server,
        &[
            ("LANG", "ADQL"),
            ("UPLOAD", "mine,param:t2"),
            ("QUERY", "SELECT * FROM TAP_UPLOAD.mine"),
        ],
        ("t1", ASTROPY_UPLOAD),
    );
    assert_eq!(status, 400);
    assert!(body.contains("no multipart part named 't2'"), "{body}");
    let too_many = ASTROPY_UPLOAD.replace(
        "<TR><TD>PROPOSAL</TD><TD>1</TD></TR>",
        &"<TR><TD>x</TD><TD>1</TD></TR>".repeat(6),
    );
    let (status, body) = post_multipart(
        &server,
        &[
            ("LANG", "ADQL"),
            ("UPLOAD", "mine,param:t1"),
            ("QUERY", "SELECT * FROM TAP_UPLOAD.mine"),
        ],
        ("t1", &too_many),
    );
    assert_eq!(status, 400);
    assert!(
        body.contains("more than this service's limit of 5"),
        "{body}"
    );
    let (status, body) = post_multipart(
        &server,
        &[("LANG", "ADQL"), ("UPLOAD", "mine,param:t1"), ("QUERY", "SELECT * FROM TAP_UPLOAD.mine")],
        ("t1", "<VOTABLE><RESOURCE><TABLE><FIELD name=\"a\" datatype=\"int\"/><DATA><TABLEDATA><TR><TD>1</TD>"),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("UPLOAD mine: not a VOTable"), "{body}");

    // tables by URL: a scheme the service does not fetch, and a server that is not there
    for (uri, expected) in [
        (
            "ftp://example.org/t.xml",
            "neither param:name (a multipart part) nor an http(s) URL",
        ),
        (
            "http://127.0.0.1:9/t.xml",
            "UPLOAD mine: could not fetch http://127.0.0.1:9/t.xml",
        ),
    ] {
        let (status, body) = server.post(
            "/tap/sync",
            &[
                ("LANG", "ADQL"),
                ("UPLOAD", &format!("mine,{uri}")),
                ("QUERY", "SELECT * FROM TAP_UPLOAD.mine"),
            ],
        );
        assert_eq!(status, 400, "{body}");
        assert!(body.contains(expected), "{uri}: {body}");
        assert_eq!(status_of(&body), ["ERROR"]);
    }

    // capabilities advertise exactly the limits enforced above
    let (_, caps) = server.get("/tap/capabilities");
    for fragment in [
        "<default unit=\"row\">40</default><hard unit=\"row\">60</hard>",
        "<executionDuration><default>3600</default><hard>14400</hard></executionDuration>",
        "Synchronous queries may run 2 s",
        "at most 5 rows",
        "#features-udf",
        "RANGE_S2D(",
        "#output-votable-binary2",
        "upload-inline",
        "upload-http\"",
        "upload-https\"",
        "ivo://ivoa.net/std/DALI#examples",
        &format!(
            "<accessURL use=\"base\">http://127.0.0.1:{}/tap</accessURL>",
            server.http_port
        ),
    ] {
        assert!(
            caps.contains(fragment),
            "capabilities lack {fragment}:\n{caps}"
        );
    }

    // VOSI tables: the tableset, detail=min, and each table by name
    let (_, tableset) = server.get("/tap/tables");
    assert!(
        tableset.contains("<name>ivoa.obscore</name>")
            && tableset.contains("<name>lastModified</name>")
    );
    let (_, minimal) = server.get("/tap/tables?detail=min");
    assert!(!minimal.contains("<column"));
    for name in [
        "ivoa.obscore",
        "TAP_SCHEMA.schemas",
        "TAP_SCHEMA.tables",
        "TAP_SCHEMA.columns",
        "TAP_SCHEMA.keys",
        "TAP_SCHEMA.key_columns",
    ] {
        let (status, body) = server.get(&format!("/tap/tables/{name}"));
        assert_eq!(status, 200, "{name}");
        assert!(
            body.contains("<vosi:table") && body.contains(&format!("<name>{name}</name>")),
            "{body}"
        );
    }
    assert_eq!(server.get("/tap/tables/ivoa.nothing").0, 404);

    // TAP_SCHEMA through ADQL: each obscore column once
    let (_, body) = server.post(
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            (
                "QUERY",
                "SELECT column_name FROM TAP_SCHEMA.columns WHERE table_name = 'ivoa.obscore'",
            ),
            ("MAXREC", "60"),
        ],
    );
    assert!(rows(&body) >= 60);

    // over the time limit: a clear error naming the limit and the way out
    let slow = "SELECT COUNT(*) AS n FROM ivoa.obscore AS a, ivoa.obscore AS b, ivoa.obscore AS c";
    // (the response has started streaming by then: the error ends the document)
    let (status, body) = server.post("/tap/sync", &[("LANG", "ADQL"), ("QUERY", slow)]);
    assert_eq!(
        (status, status_of(&body)),
        (200, vec!["OK".to_string(), "ERROR".into()]),
        "{body}"
    );
    assert!(
        body.contains("longer than this service's limit of 2 s") && body.contains("/tap/async"),
        "{body}"
    );
}

#[test]
fn every_alma_client_query_runs_over_http() {
    let server = DemoServer::start(1500, 0, "");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/clients/adql_real.jsonl");
    let text = std::fs::read_to_string(path).expect("the client queries beside the project");
    let upload = ASTROPY_UPLOAD.replace("PROPOSAL", "2013.1.01365.S");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let adql = record["adql"].as_str().unwrap();
        count += 1;
        let (status, body) = if adql.contains("TAP_UPLOAD.") {
            post_multipart(
                &server,
                &[
                    ("REQUEST", "doQuery"),
                    ("LANG", "ADQL"),
                    ("QUERY", adql),
                    ("UPLOAD", "proj_codes,param:proj_codes"),
                    ("MAXREC", "1000"),
                ],
                ("proj_codes", &upload),
            )
        } else {
            server.post(
                "/tap/sync",
                &[
                    ("REQUEST", "doQuery"),
                    ("LANG", "ADQL"),
                    ("QUERY", adql),
                    ("MAXREC", "1000"),
                ],
            )
        };
        if status != 200 || status_of(&body).first().map(String::as_str) != Some("OK") {
            failures.push(format!(
                "{adql}\n  -> {status}: {}",
                &body[..body.len().min(600)]
            ));
        }
    }
    for f in &failures {
        println!("{f}");
    }
    assert_eq!(count, 71);
    assert!(
        failures.is_empty(),
        "{} client queries failed",
        failures.len()
    );
}

/// ALMA's own tables beside ObsCore: the Calibrator Catalogue's flux histories, which every
/// calibrator row's execution block measured, and the sources' systemic velocities, joined
/// with ObsCore rows by member OUS.
#[test]
fn alma_tables_hold_calibrator_fluxes_and_source_velocities() {
    let server = DemoServer::start(1500, 0, CONFIG);
    let csv = |query: &str| {
        let (status, body) = server.post(
            "/tap/sync",
            &[
                ("REQUEST", "doQuery"),
                ("LANG", "ADQL"),
                ("FORMAT", "csv"),
                ("QUERY", query),
            ],
        );
        assert_eq!(status, 200, "{query}: {body}");
        body.lines().skip(1).map(str::to_string).collect::<Vec<_>>()
    };
    // every calibrator row's first execution block measured its calibrator's flux
    let calibrator_rows = csv("SELECT COUNT(*) FROM ivoa.obscore WHERE science_observation = 'F'");
    let with_flux = csv(
        "SELECT COUNT(*) FROM ivoa.obscore o JOIN alma.calibrator_flux f \
         ON f.calibrator_name = o.target_name AND f.flux_eb_uid = o.asdm_uid \
         WHERE o.science_observation = 'F'",
    );
    assert!(
        calibrator_rows[0].parse::<i64>().unwrap() > 10,
        "{calibrator_rows:?}"
    );
    assert_eq!(with_flux, calibrator_rows);
    // a flux history: grid monitoring in bands 3 and 7, brighter at the lower frequency
    let history = csv(
        "SELECT flux_band, AVG(flux_density), COUNT(*) FROM alma.calibrator_flux \
         WHERE calibrator_name = 'J1337-2953' AND measured_by = 'grid monitoring' \
         GROUP BY flux_band ORDER BY flux_band",
    );
    assert_eq!(history.len(), 2, "{history:?}");
    let mean = |line: &str| line.split(',').nth(1).unwrap().parse::<f64>().unwrap();
    assert!(mean(&history[1]) < mean(&history[0]), "{history:?}");
    assert!(
        history[0]
            .split(',')
            .nth(2)
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > 300
    );
    // every science row has its sources' velocity, c·z
    let science = csv("SELECT COUNT(*) FROM ivoa.obscore WHERE science_observation = 'T'");
    let with_velocity = csv("SELECT COUNT(*) FROM ivoa.obscore o \
         JOIN alma.source_velocity v ON v.mous_uid = o.member_ous_uid \
         WHERE o.science_observation = 'T' \
           AND ABS(v.sys_velocity - v.redshift * 299792.458) < 1e-6");
    assert_eq!(with_velocity, science);
}
