//! Breaking things on purpose, each bounded in time:
//! - the server killed with SIGKILL while 50 asynchronous jobs (TAP and SODA) run: after a
//!   restart every job ends COMPLETED or ERROR with its reason; none is lost, none stays
//!   QUEUED or EXECUTING;
//! - PostgreSQL stopped: availability says so with the reason, queries get a clear 503;
//!   PostgreSQL back: the same server answers again, without a restart;
//! - a client that goes away mid-stream: its query leaves `pg_stat_activity` within a second;
//! - a sync query over its time limit: a clear error, and the database query is cancelled;
//! - 10,000 malformed requests (random parameters, broken multipart, huge headers, bad
//!   UTF-8, nonsense bytes): no 5xx, no panic, every refusal with a message.

use crate::common;

use common::{raw, DemoServer};
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};

/// A query that keeps a worker busy for a few seconds on the demo archive.
const SLOW: &str =
    "SELECT COUNT(*) AS n FROM ivoa.obscore AS a, ivoa.obscore AS b, ivoa.obscore AS c \
                    WHERE a.s_ra < b.s_ra AND b.s_dec < c.s_dec AND c.t_min > a.t_min";
const QUICK: &str = "SELECT TOP 5 obs_id FROM ivoa.obscore ORDER BY obs_id";

/// Creates a job with PHASE=RUN and returns its URL path (from the 303's Location).
fn submit(server: &DemoServer, list: &str, form: &[(&str, &str)]) -> String {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let mut form = form.to_vec();
    form.push(("PHASE", "RUN"));
    let response = agent.post(&server.url(list)).send_form(&form).unwrap();
    assert_eq!(response.status(), 303);
    let location = response.header("Location").unwrap().to_string();
    location[location.find(list).unwrap()..].to_string()
}

fn phase(server: &DemoServer, job: &str) -> String {
    let (status, body) = server.get(&format!("{job}/phase"));
    assert_eq!(status, 200, "job {job} is gone: {body}");
    body.trim().to_string()
}

/// A released FITS cube of the demo, for SODA jobs.
fn released_cube(server: &DemoServer) -> String {
    server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.kind = 'product' AND f.content_type = 'application/fits' AND f.path IS NOT NULL \
           AND f.name LIKE '%.cube.%' AND m.release_date <= now() ORDER BY f.name LIMIT 1",
    )
}

#[test]
fn fifty_jobs_end_after_the_server_is_killed_and_restarted() {
    let mut server = DemoServer::start(
        1500,
        2,
        "[tap.async]\nworkers = 2\nworkers_per_client = 2\n[soda.async]\nworkers = 1\n[quotas.anonymous]\nactive_jobs = 100\n",
    );
    let cube = released_cube(&server);
    let mut jobs: Vec<(String, &str)> = Vec::new();
    for i in 0..50 {
        let job = match i % 5 {
            0 => (
                submit(
                    &server,
                    "/tap/async",
                    &[
                        ("LANG", "ADQL"),
                        ("QUERY", SLOW),
                        ("EXECUTIONDURATION", "8"),
                    ],
                ),
                "slow",
            ),
            1 => (submit(&server, "/soda/async", &[("ID", &cube)]), "cutout"),
            _ => (
                submit(&server, "/tap/async", &[("LANG", "ADQL"), ("QUERY", QUICK)]),
                "quick",
            ),
        };
        jobs.push(job);
    }
    // wait until the workers are busy with something
    let started = Instant::now();
    while !jobs.iter().any(|(j, _)| phase(&server, j) == "EXECUTING") {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no job started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let before: Vec<String> = jobs.iter().map(|(j, _)| phase(&server, j)).collect();
    server.kill();
    server.serve();

    let deadline = Instant::now() + Duration::from_secs(300);
    let mut finals = Vec::new();
    for (job, kind) in &jobs {
        let end = loop {
            let p = phase(&server, job);
            if matches!(p.as_str(), "COMPLETED" | "ERROR") {
                break p;
            }
            assert!(
                Instant::now() < deadline,
                "job {job} still {p} after the restart\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        };
        if end == "ERROR" {
            let (status, body) = server.get(&format!("{job}/error"));
            assert_eq!(status, 200);
            assert!(body.trim().len() > 30, "an error job says why: {body}");
        } else {
            let result = if *kind == "cutout" {
                "cutout-1"
            } else {
                "result"
            };
            let (status, body) = server.get(&format!("{job}/results/{result}"));
            assert_eq!(status, 200, "{job}: {body}");
            if *kind == "quick" {
                assert_eq!(body.matches("<TR>").count(), 5, "{body}");
            }
        }
        finals.push(end);
    }
    let count = |p: &str| finals.iter().filter(|f| *f == p).count();
    println!(
        "50 jobs; before the kill: {} executing, {} queued, {} completed; after the restart: {} COMPLETED, {} ERROR (with reasons), 0 lost, 0 stuck",
        before.iter().filter(|p| *p == "EXECUTING").count(),
        before.iter().filter(|p| *p == "QUEUED").count(),
        before.iter().filter(|p| *p == "COMPLETED").count(),
        count("COMPLETED"),
        count("ERROR"),
    );
    // every quick job and cutout was either done before the kill or run after it
    for ((job, kind), end) in jobs.iter().zip(&finals) {
        if *kind != "slow" {
            assert_eq!(end, "COMPLETED", "{job}");
        }
    }
    assert!(
        server.log().contains("jobs interrupted by the last stop"),
        "the restart recovered the interrupted jobs\n{}",
        server.log()
    );
}

#[test]
fn a_database_outage_is_reported_and_recovered_from_without_a_restart() {
    let server = DemoServer::start(1000, 0, "");
    let query = [
        ("LANG", "ADQL"),
        ("QUERY", "SELECT TOP 1 obs_id FROM ivoa.obscore"),
    ];
    assert_eq!(server.post("/tap/sync", &query).0, 200);
    server.operator(&["db", "stop"]);

    let (status, body) = server.get("/tap/availability");
    assert_eq!(status, 200);
    assert!(
        body.contains("available>false</") && body.contains("cannot connect to the database"),
        "availability says not available, and why: {body}"
    );
    let (status, body) = server.post("/tap/sync", &query);
    assert_eq!(status, 503, "{body}");
    assert!(
        body.contains("QUERY_STATUS") && body.contains("ERROR") && body.contains("database"),
        "a clear error document: {body}"
    );
    let (status, body) = server.get("/sia2/query?POS=CIRCLE+10+10+1");
    assert_eq!(status, 503, "SIA2: {body}");
    let (status, body) = server.get("/datalink/sync?ID=uid://A001/X1/X1");
    assert_eq!(status, 503, "DataLink: {body}");

    server.operator(&["db", "start"]);
    let back = Instant::now();
    loop {
        let (status, body) = server.post("/tap/sync", &query);
        if status == 200 {
            assert!(body.contains("<TR>"), "{body}");
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(30),
            "the service did not recover: {status} {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    println!(
        "answering again {} ms after the database came back",
        back.elapsed().as_millis()
    );
    let (_, body) = server.get("/tap/availability");
    assert!(body.contains("available>true</"), "{body}");
}

#[test]
fn a_client_that_goes_away_cancels_its_query() {
    let server = DemoServer::start(2000, 0, "[tap]\nsync_seconds = 600\n");
    let slow = "SELECT COUNT(*) AS n FROM ivoa.obscore AS a, ivoa.obscore AS b, ivoa.obscore AS c";
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_millis(1500))
        .build();
    // the response starts (a slow query streams), then the client gives up reading
    let response = agent
        .post(&server.url("/tap/sync"))
        .send_form(&[("LANG", "ADQL"), ("QUERY", slow)])
        .unwrap();
    assert!(
        response.into_string().is_err(),
        "the query should still be running when the client gives up"
    );
    let gone = Instant::now();
    while server.active_queries() > 0 {
        assert!(
            gone.elapsed() < Duration::from_secs(1),
            "the query still runs a second after the client left\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "query gone {} ms after the client",
        gone.elapsed().as_millis()
    );
}

#[test]
fn a_query_over_its_time_limit_is_cancelled_in_the_database() {
    let server = DemoServer::start(2000, 0, "[tap]\nsync_seconds = 2\n");
    let slow = "SELECT COUNT(*) AS n FROM ivoa.obscore AS a, ivoa.obscore AS b, ivoa.obscore AS c";
    let started = Instant::now();
    let (_, body) = server.post("/tap/sync", &[("LANG", "ADQL"), ("QUERY", slow)]);
    assert!(
        body.contains("QUERY_STATUS")
            && body.contains("longer than this service's limit of 2 s")
            && body.contains("/tap/async"),
        "a clear timeout error with the way out: {body}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let ended = Instant::now();
    while server.active_queries() > 0 {
        assert!(
            ended.elapsed() < Duration::from_secs(1),
            "the database still runs the query"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

const PATHS: &[&str] = &[
    "/tap/sync",
    "/tap/async",
    "/tap/async/nosuchjob",
    "/tap/async/nosuchjob/phase",
    "/tap/capabilities",
    "/tap/tables/ivoa.obscore",
    "/sia2/query",
    "/datalink/sync",
    "/soda/sync",
    "/soda/async",
    "/dataPortal/x.fits",
    "/dataPortal/script",
    "/preview/x.fits/peak.png",
    "/auth/realms/ALMA/protocol/openid-connect/token",
    "/auth/delegations",
    "/auth/me",
];
const NAMES: &[&str] = &[
    "LANG",
    "QUERY",
    "REQUEST",
    "FORMAT",
    "RESPONSEFORMAT",
    "MAXREC",
    "UPLOAD",
    "POS",
    "BAND",
    "TIME",
    "POL",
    "ID",
    "CIRCLE",
    "POLYGON",
    "FOV",
    "PHASE",
    "WAIT",
    "DESTRUCTION",
    "EXECUTIONDURATION",
    "RUNID",
    "grant_type",
    "username",
    "password",
    "project",
    "user",
];
const VALUES: &[&str] = &[
    "ADQL",
    "SELECT",
    "SELECT * FROM",
    "SELECT TOP 1 * FROM ivoa.obscore WHERE",
    "'",
    "''",
    "\"",
    "CIRCLE 1 2",
    "RANGE -Inf +Inf",
    "1e999",
    "-0",
    "NaN",
    "%",
    "%00",
    "%FF%FE",
    "\u{202e}",
    "😀",
    "RUN",
    "ABORT",
    "uid://A001/X1/X1",
    "../..",
    "x,param:y",
    "password",
    ";",
    "--",
    "/*",
];

fn random_text(rng: &mut impl Rng) -> String {
    match rng.gen_range(0..4) {
        0 => VALUES[rng.gen_range(0..VALUES.len())].to_string(),
        1 => (0..rng.gen_range(0..40))
            .map(|_| char::from(rng.gen_range(32u8..127)))
            .collect(),
        2 => format!(
            "{}",
            rng.gen::<f64>() * 10f64.powi(rng.gen_range(-300..300))
        ),
        _ => (0..rng.gen_range(0..3))
            .map(|_| VALUES[rng.gen_range(0..VALUES.len())])
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// One malformed request, as bytes, and whether it is still parseable HTTP (the rest — bad
/// bytes in the request line, or no request at all — is refused by the HTTP layer itself
/// with a bare 400 or a closed connection, before any endpoint sees it).
fn malformed(rng: &mut impl Rng) -> (Vec<u8>, bool) {
    let bytes = malformed_bytes(rng);
    let request_line = bytes.split(|b| *b == b'\r').next().unwrap_or_default();
    let parseable = request_line.is_ascii()
        && (request_line.starts_with(b"GET /") || request_line.starts_with(b"POST /"));
    (bytes, parseable)
}

fn malformed_bytes(rng: &mut impl Rng) -> Vec<u8> {
    let path = PATHS[rng.gen_range(0..PATHS.len())];
    let mut query = String::new();
    for _ in 0..rng.gen_range(0..6) {
        let name = if rng.gen_bool(0.8) {
            NAMES[rng.gen_range(0..NAMES.len())].to_string()
        } else {
            random_text(rng)
        };
        query.push_str(&format!("{}={}&", encode(&name), encode(&random_text(rng))));
    }
    match rng.gen_range(0..8) {
        // GET with random parameters
        0..=2 => format!("GET {path}?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").into_bytes(),
        // POST form
        3 | 4 => format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{query}",
            query.len()
        )
        .into_bytes(),
        // broken multipart
        5 => {
            let body = format!(
                "--b\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n{}\r\n--{}",
                NAMES[rng.gen_range(0..NAMES.len())],
                random_text(rng),
                if rng.gen_bool(0.5) { "b--" } else { "broken" }
            );
            format!(
                "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        }
        // a huge header
        6 => format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Huge: {}\r\n\r\n",
            "h".repeat(rng.gen_range(16_000..60_000))
        )
        .into_bytes(),
        // bad UTF-8 and bytes that are not a request at all
        _ => {
            let mut bytes = format!("GET {path}?QUERY=").into_bytes();
            bytes.extend((0..rng.gen_range(1..30)).map(|_| rng.gen_range(0x80u8..=0xff)));
            bytes.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            if rng.gen_bool(0.3) {
                bytes = (0..rng.gen_range(1..200)).map(|_| rng.gen()).collect();
                bytes.extend_from_slice(b"\r\n\r\n");
            }
            bytes
        }
    }
}

#[test]
fn ten_thousand_malformed_requests_get_clear_answers() {
    let server = DemoServer::start(500, 1, "[access]\nper_client_requests = 0\n");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let mut statuses = std::collections::BTreeMap::new();
    let started = Instant::now();
    for n in 0..10_000 {
        let (request, parseable) = malformed(&mut rng);
        let (status, body) = raw(server.http_port, &request);
        *statuses.entry(status).or_insert(0usize) += 1;
        assert!(
            status < 500,
            "request {n} got {status}: {}\n{}",
            String::from_utf8_lossy(&request[..request.len().min(300)]),
            String::from_utf8_lossy(&body)
        );
        if status >= 400 && parseable {
            assert!(
                !body.is_empty(),
                "request {n}: a {status} without a message: {}",
                String::from_utf8_lossy(&request[..request.len().min(300)])
            );
        }
    }
    let log = server.log();
    assert!(!log.contains("panicked"), "a panic in the server log");
    assert!(!log.contains("status=5"), "a 5xx in the server log");
    println!(
        "10,000 malformed requests in {:.1} s: {statuses:?} (0: the connection closed without an answer)",
        started.elapsed().as_secs_f64()
    );
}
