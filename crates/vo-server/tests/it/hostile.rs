//! The hostile-request suite: thousands of generated requests, one class of failure at a
//! time, against one running server — as an attacker and as a careless client would send
//! them. Each class asks the service to stay up and answer clearly:
//! - crash: long operator chains, deep NOT/parentheses/calls/subqueries/unions, thousands
//!   of repeated SIA2/SODA/DataLink values, deeply nested uploads, a poison async job (and a
//!   restart with it stored) → a 400 naming the limit, or an answer;
//! - slots: bodies that never finish, multipart bodies without their closing boundary, a
//!   Content-Length over the limit → a 400/413 within the body deadline, never a slot held;
//! - database: polygons over 256 vertices and circles over 90° in ADQL, SIA2, SODA, uploads
//!   and CASTs when the query runs, queries over their time limit → a 400 naming the limit,
//!   and nothing left running in PostgreSQL;
//! - starvation: negative or unreadable execution durations, quotas on active jobs, kept jobs
//!   and kept bytes (429/403 naming the quota), and another client's job served while one
//!   client's long jobs run;
//! - URLs: foreign Host headers refused, forwarding headers from an untrusted peer ignored
//!   by every document that writes the service's URL;
//! - answers: wrong methods (405 with Allow), unknown paths (a 404 naming only places that
//!   exist), heads over the limits (414, 431), NUL, bad UTF-8, upload URLs into private IPv6
//!   space — each with a message.
//! Then: the process never aborted, no answer was a 5xx, no panic was logged, a burst at the
//! per-client limit is served in full (no slot still held), no query outlived its limit in
//! PostgreSQL, and the database is unchanged.

use crate::common;

use common::{fingerprint, raw_answer, Answer, DemoServer};
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The server's limits for this suite: short deadlines so that the slow cases end quickly.
const CONFIG: &str = "\
[server]
body_seconds = 2
[tap]
sync_seconds = 3
upload_rows = 2000
upload_bytes = 2000000
[tap.async]
workers = 2
workers_per_client = 1
execution_hard_seconds = 60
[soda]
max_cutouts = 20
[access]
per_client_requests = 4
[quotas.anonymous]
active_jobs = 3
jobs = 25
job_bytes = 3000000
";
const PER_CLIENT: usize = 4;
const SYNC_SECONDS: u64 = 3;

/// A query that keeps a worker busy for longer than any limit here.
const ENDLESS: &str = "SELECT COUNT(*) AS n FROM ivoa.obscore AS a, ivoa.obscore AS b, ivoa.obscore AS c, ivoa.obscore AS d";

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn form(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Every answer of the suite, by class and status.
struct Suite {
    port: u16,
    tally: BTreeMap<(&'static str, u16), usize>,
    requests: usize,
}

impl Suite {
    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A request as bytes: the method, target and extra headers, and a body with its length.
    fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Vec<u8> {
        let mut head = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.host()));
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        bytes
    }

    /// Sends one request of `class`, checks the rules every answer keeps (an answer, never a
    /// 5xx, a message with every refusal) and records it.
    fn send(&mut self, class: &'static str, request: &[u8]) -> Answer {
        let stream =
            TcpStream::connect(("127.0.0.1", self.port)).expect("the server accepts connections");
        self.sent(class, request, raw_answer(stream, request))
    }

    fn sent(&mut self, class: &'static str, request: &[u8], answer: Answer) -> Answer {
        let shown = || String::from_utf8_lossy(&request[..request.len().min(300)]).into_owned();
        assert!(answer.status != 0, "{class}: no answer to {}", shown());
        assert!(
            answer.status < 500,
            "{class}: {} for {}\n{}",
            answer.status,
            shown(),
            answer.text()
        );
        if answer.status >= 400 {
            assert!(
                !answer.body.is_empty(),
                "{class}: a {} without a message for {}",
                answer.status,
                shown()
            );
        }
        *self.tally.entry((class, answer.status)).or_insert(0) += 1;
        self.requests += 1;
        answer
    }

    fn post_form(&mut self, class: &'static str, path: &str, pairs: &[(&str, String)]) -> Answer {
        let body = form(pairs);
        let request = self.request(
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        );
        self.send(class, &request)
    }

    fn get(&mut self, class: &'static str, target: &str) -> Answer {
        let request = self.request("GET", target, &[], b"");
        self.send(class, &request)
    }

    fn tap(&mut self, class: &'static str, query: &str) -> Answer {
        self.post_form(
            class,
            "/tap/sync",
            &[("LANG", "ADQL".into()), ("QUERY", query.into())],
        )
    }

    /// A multipart POST of text fields and one file part named `t`.
    fn multipart(
        &mut self,
        class: &'static str,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<&[u8]>,
    ) -> Answer {
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--B\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some(data) = file {
            body.extend_from_slice(
                b"--B\r\nContent-Disposition: form-data; name=\"t\"; filename=\"t.xml\"\r\n\r\n",
            );
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--B--\r\n");
        let request = self.request(
            "POST",
            path,
            &[("Content-Type", "multipart/form-data; boundary=B")],
            &body,
        );
        self.send(class, &request)
    }
}

/// A refusal that says what is wrong.
fn refused_with(answer: &Answer, status: u16, words: &[&str]) -> bool {
    let text = answer.text();
    answer.status == status && words.iter().all(|w| text.contains(w))
}

/// A query that failed in the database, naming why: a 400 when the error came before the
/// response began, else a VOTable ending in QUERY_STATUS=ERROR (a busy machine may take
/// longer than the quarter second the response waits for a first row).
fn failed_with(answer: &Answer, words: &[&str]) -> bool {
    let text = answer.text();
    (answer.status == 400 || answer.status == 200)
        && text.contains("name=\"QUERY_STATUS\" value=\"ERROR\"")
        && words.iter().all(|w| text.contains(w))
}

fn chain(term: &str, op: &str, n: usize) -> String {
    vec![term; n].join(op)
}

/// A TABLEDATA VOTable with the given FIELD elements and rows of cells.
fn votable(fields: &str, rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = format!("<?xml version=\"1.0\"?><VOTABLE version=\"1.4\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\"><RESOURCE><TABLE>{fields}<DATA><TABLEDATA>");
    for row in rows {
        out.push_str("<TR>");
        for cell in row {
            out.push_str(&format!("<TD>{cell}</TD>"));
        }
        out.push_str("</TR>");
    }
    out.push_str("</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>");
    out.into_bytes()
}

fn polygon_values(n: usize) -> String {
    (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            format!("{:.6} {:.6}", 150.0 + a.cos(), 2.0 + a.sin())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A connection whose requests come from another client address (loopback has all of
/// 127.0.0.0/8).
fn from_address(address: &str, port: u16) -> TcpStream {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    let local: std::net::SocketAddr = format!("{address}:0").parse().unwrap();
    socket.bind(&local.into()).unwrap();
    let server: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    socket.connect(&server.into()).unwrap();
    socket.into()
}

/// The job path (`/tap/async/ID`) of a 303 answer.
fn job_path(answer: &Answer) -> String {
    let location = answer
        .header("location")
        .unwrap_or_else(|| panic!("a 303 with a Location: {}", answer.text()));
    location[location.find("/tap/async/").expect("a TAP job")..].to_string()
}

fn phase(suite: &mut Suite, job: &str) -> String {
    suite
        .get("starvation", &format!("{job}/phase"))
        .text()
        .trim()
        .to_string()
}

#[test]
fn thousands_of_hostile_requests_leave_the_service_up_clear_and_unchanged() {
    let mut server = DemoServer::start(1500, 1, CONFIG);
    // the server's own background work (measuring images) done first
    server.images_measured();
    let before = fingerprint(&server.database_params());
    let fits = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.kind = 'product' AND f.content_type = 'application/fits' AND m.release_date <= now() \
         ORDER BY f.name LIMIT 1",
    );
    let mut suite = Suite {
        port: server.http_port,
        tally: BTreeMap::new(),
        requests: 0,
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(16);
    let started = Instant::now();

    // --- crash: nothing a client sends overflows a stack or panics ------------------------
    let operators = ["+", "*", "-", "/", "||", " AND ", " OR ", " = "];
    for _ in 0..450 {
        let op = operators[rng.gen_range(0..operators.len())];
        let n = rng.gen_range(100..30_000);
        let query = match op {
            " AND " | " OR " => format!(
                "SELECT TOP 1 obs_id FROM ivoa.obscore WHERE {}",
                chain("s_ra > 1", op, n)
            ),
            " = " => format!(
                "SELECT TOP 1 obs_id FROM ivoa.obscore WHERE {}",
                chain("s_ra BETWEEN 1 AND 2", op, n)
            ),
            "||" => format!(
                "SELECT TOP 1 {} AS a FROM ivoa.obscore",
                chain("obs_id", op, n)
            ),
            _ => format!("SELECT TOP 1 {} AS a FROM ivoa.obscore", chain("1", op, n)),
        };
        let answer = suite.tap("crash", &query);
        let limited = refused_with(&answer, 400, &["limit of 1000 levels"])
            || refused_with(&answer, 400, &["more than this service's limit of 262144"]);
        assert!(
            if n > 1010 {
                limited
            } else {
                answer.status == 200 || answer.status == 400
            },
            "a chain of {n} '{op}': {} {}",
            answer.status,
            &answer.text()[..answer.text().len().min(400)]
        );
    }
    let nestings: [(&str, &str, &str); 6] = [
        (
            "SELECT TOP 1 obs_id FROM ivoa.obscore WHERE ",
            "NOT ",
            "s_ra > 1",
        ),
        (
            "SELECT TOP 1 obs_id FROM ivoa.obscore WHERE ",
            "(",
            "s_ra > 1",
        ),
        ("SELECT TOP 1 ", "ABS(", "s_ra"),
        (
            "SELECT TOP 1 s_ra FROM ",
            "(SELECT s_ra FROM ",
            "ivoa.obscore",
        ),
        ("SELECT TOP 1 ", "-(", "s_ra"),
        (
            "",
            "SELECT s_ra FROM ivoa.obscore UNION ",
            "SELECT s_ra FROM ivoa.obscore",
        ),
    ];
    for _ in 0..300 {
        let (prefix, open, inner) = nestings[rng.gen_range(0..nestings.len())];
        let depth = rng.gen_range(20..5000);
        let close = match open {
            "(" | "ABS(" | "-(" => ")".repeat(depth),
            "(SELECT s_ra FROM " => ") AS t".repeat(depth),
            _ => String::new(),
        };
        let tail = if open.starts_with("ABS") || open.starts_with("-(") {
            " AS a FROM ivoa.obscore"
        } else {
            ""
        };
        let query = format!("{prefix}{}{inner}{close}{tail}", open.repeat(depth));
        let answer = suite.tap("crash", &query);
        assert!(
            answer.status == 200 || answer.status == 400,
            "{depth} × '{open}': {}",
            answer.status
        );
        if depth > 1000 {
            assert!(
                answer.text().contains("levels"),
                "{depth} × '{open}': {}",
                answer.text()
            );
        }
    }
    for _ in 0..200 {
        let n = rng.gen_range(50..3000);
        let (name, value) = [
            ("POS", "CIRCLE 150.1 2.2 0.1"),
            ("BAND", "0.001 0.002"),
            ("TARGET", "M83"),
            ("POL", "XX"),
        ][rng.gen_range(0..4)];
        let pairs: Vec<(&str, String)> = (0..n).map(|_| (name, value.to_string())).collect();
        let answer = suite.post_form("crash", "/sia2/query", &pairs);
        assert!(
            answer.status == 200 || refused_with(&answer, 400, &["at most 200 values"]),
            "SIA2 {n} × {name}: {}",
            answer.status
        );
    }
    for _ in 0..100 {
        let n = rng.gen_range(21..3000);
        let mut pairs: Vec<(&str, String)> = vec![("ID", fits.clone())];
        pairs.extend((0..n).map(|i| ("CIRCLE", format!("{} 0 0.1", i % 360))));
        let answer = suite.post_form("crash", "/soda/sync", &pairs);
        assert!(
            refused_with(&answer, 400, &["cutouts", "at most 20"]),
            "SODA {n} circles: {}",
            answer.text()
        );
    }
    for _ in 0..40 {
        let n = rng.gen_range(500..3000);
        let pairs: Vec<(&str, String)> = (0..n)
            .map(|i| ("ID", format!("uid://A001/X{i:x}/X1")))
            .collect();
        let answer = suite.post_form("crash", "/datalink/sync", &pairs);
        assert!(
            answer.status == 200 || refused_with(&answer, 400, &["at most 1000"]),
            "DataLink {n} IDs: {}",
            answer.status
        );
    }
    for _ in 0..40 {
        let depth = rng.gen_range(100..50_000);
        let table = format!(
            "<VOTABLE><RESOURCE><TABLE>{}{}<FIELD name=\"a\" datatype=\"int\"/><DATA><TABLEDATA><TR><TD>1</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>",
            "<GROUP>".repeat(depth),
            "</GROUP>".repeat(depth)
        );
        let answer = suite.multipart(
            "crash",
            "/tap/sync",
            &[
                ("LANG", "ADQL"),
                ("UPLOAD", "t,param:t"),
                ("QUERY", "SELECT * FROM TAP_UPLOAD.t"),
            ],
            Some(table.as_bytes()),
        );
        assert!(
            answer.status == 200 || answer.status == 400 || answer.status == 413,
            "an upload nested {depth} deep: {}",
            answer.status
        );
    }
    // a poison job is refused before it is queued: stored in ERROR, never run, not even
    // after a restart
    let poison = chain("1", "+", 5000);
    let answer = suite.post_form(
        "crash",
        "/tap/async",
        &[
            ("LANG", "ADQL".into()),
            ("PHASE", "RUN".into()),
            (
                "QUERY",
                format!("SELECT TOP 1 {poison} AS a FROM ivoa.obscore"),
            ),
        ],
    );
    assert_eq!(answer.status, 303, "{}", answer.text());
    let poisoned = job_path(&answer);
    assert_eq!(phase(&mut suite, &poisoned), "ERROR");
    assert!(suite
        .get("crash", &format!("{poisoned}/error"))
        .text()
        .contains("limit of 1000 levels"));
    assert!(
        server.is_running(),
        "the server is up after the crash class\n{}",
        server.log()
    );
    server.kill();
    server.serve();
    assert_eq!(
        phase(&mut suite, &poisoned),
        "ERROR",
        "the restarted server did not run it"
    );

    // --- slots: no body holds a request, and with it a client's slot, for long ------------
    let unterminated = b"--B\r\nContent-Disposition: form-data; name=\"LANG\"\r\n\r\nADQL\r\n--B\r\nContent-Disposition: form-data; name=\"QUERY\"\r\n\r\nSELECT TOP 1 obs_id FROM ivoa.obscore\r\n";
    for round in 0..3 {
        let requests: Vec<Vec<u8>> = (0..8)
            .map(|_| {
                suite.request(
                    "POST",
                    "/tap/sync",
                    &[("Content-Type", "multipart/form-data; boundary=B")],
                    unterminated,
                )
            })
            .collect();
        let answers: Vec<Answer> = std::thread::scope(|s| {
            let handles: Vec<_> = requests
                .iter()
                .map(|r| {
                    let port = suite.port;
                    s.spawn(move || {
                        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                        use std::io::Write;
                        stream.write_all(r).unwrap();
                        // the client keeps its side open, as the first report's did
                        raw_answer(stream, b"")
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (request, answer) in requests.iter().zip(answers) {
            let answer = suite.sent("slots", request, answer);
            assert!(
                refused_with(&answer, 400, &["malformed multipart body"]) || answer.status == 429,
                "round {round}: {} {}",
                answer.status,
                answer.text()
            );
        }
    }
    // bodies that never finish: answered when the body deadline (2 s) passes
    let slow_started = Instant::now();
    let slow: Vec<Answer> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let request = suite.request(
                    "POST",
                    "/tap/sync",
                    &[("Content-Type", "application/x-www-form-urlencoded")],
                    b"",
                );
                let port = suite.port;
                s.spawn(move || {
                    // announce 1000 bytes, send 9, keep the connection open
                    let text = String::from_utf8(request)
                        .unwrap()
                        .replace("Content-Length: 0", "Content-Length: 1000");
                    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                    use std::io::Write;
                    stream.write_all(text.as_bytes()).unwrap();
                    stream.write_all(b"LANG=ADQL").unwrap();
                    (text.into_bytes(), raw_answer(stream, b""))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>()
    })
    .into_iter()
    .map(|(request, answer)| suite.sent("slots", &request, answer))
    .collect();
    let waited = slow
        .iter()
        .filter(|a| {
            refused_with(
                a,
                400,
                &["did not arrive within this service's limit of 2 s"],
            )
        })
        .count();
    let turned_away = slow.iter().filter(|a| a.status == 429).count();
    assert_eq!(
        (waited, turned_away),
        (PER_CLIENT, 8 - PER_CLIENT),
        "{:?}",
        slow.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    assert!(
        slow_started.elapsed() < Duration::from_secs(10),
        "the body deadline ended them"
    );
    // clients that ask for a large result and never read it: once they have accepted
    // nothing for the deadline their queries are cancelled and their connections to
    // PostgreSQL closed; their own slots are free as soon as they hang up
    let endless_read = format!(
        "/tap/sync?LANG=ADQL&QUERY={}",
        encode("SELECT a.*, b.obs_id AS other FROM ivoa.obscore AS a, ivoa.obscore AS b")
    );
    let readers: Vec<TcpStream> = (0..PER_CLIENT)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", suite.port)).unwrap();
            use std::io::Write;
            stream
                .write_all(&suite.request("GET", &endless_read, &[], b""))
                .unwrap();
            stream
        })
        .collect();
    // (the expanded SELECT is longer than what pg_stat_activity keeps of a query's text)
    let running = |server: &DemoServer| -> usize {
        server
            .psql(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' \
                 AND state = 'active' AND pid <> pg_backend_pid()",
            )
            .parse()
            .unwrap()
    };
    std::thread::sleep(Duration::from_secs(1));
    assert!(running(&server) > 0, "the readers' queries run");
    let stalled = Instant::now();
    while running(&server) > 0 {
        assert!(
            stalled.elapsed() < Duration::from_secs(15),
            "the queries of readers that stopped reading still run"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    println!(
        "the queries of clients that stopped reading ended {:.1} s after they started",
        stalled.elapsed().as_secs_f64() + 1.0
    );
    drop(readers);
    let hung_up = Instant::now();
    while suite.get("slots", "/tap/availability").status != 200 {
        assert!(
            hung_up.elapsed() < Duration::from_secs(5),
            "the slots of clients that hung up are still held"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    for _ in 0..30 {
        let request = suite
            .request(
                "POST",
                "/tap/sync",
                &[("Content-Type", "application/x-www-form-urlencoded")],
                b"",
            )
            .iter()
            .copied()
            .collect::<Vec<_>>();
        let text = String::from_utf8(request)
            .unwrap()
            .replace("Content-Length: 0", "Content-Length: 10000000000");
        let answer = suite.send("slots", text.as_bytes());
        assert!(
            refused_with(&answer, 413, &["larger than this service's limit"]),
            "{}",
            answer.text()
        );
    }

    // --- database: nothing pins a backend past its limit ---------------------------------
    for _ in 0..200 {
        let vertices = rng.gen_range(257..40_000);
        let values = polygon_values(vertices);
        let comma_values = values.replace(' ', ", ");
        let (what, answer) = match rng.gen_range(0..4) {
            0 => ("ADQL", suite.tap("database", &format!("SELECT TOP 1 obs_id FROM ivoa.obscore WHERE 1 = INTERSECTS(s_region, POLYGON('ICRS', {comma_values}))"))),
            1 => ("SIA2", suite.post_form("database", "/sia2/query", &[("POS", format!("POLYGON {values}"))])),
            2 => ("SODA", suite.post_form("database", "/soda/sync", &[("ID", fits.clone()), ("POLYGON", values.clone())])),
            _ => {
                let table = votable(
                    "<FIELD name=\"fov\" datatype=\"double\" arraysize=\"*\" xtype=\"polygon\"/>",
                    &[vec![values.clone()]],
                );
                let fields = [("LANG", "ADQL"), ("UPLOAD", "t,param:t"), ("QUERY", "SELECT * FROM TAP_UPLOAD.t")];
                ("upload", suite.multipart("database", "/tap/sync", &fields, Some(&table)))
            }
        };
        let limited = refused_with(&answer, 400, &["at most 256 vertices"])
            || refused_with(&answer, 400, &["limit of 262144"])
            || refused_with(&answer, 413, &["larger than"]);
        assert!(
            limited,
            "{what} polygon of {vertices} vertices: {} {}",
            answer.status,
            &answer.text()[..answer.text().len().min(300)]
        );
    }
    // a polygon known only when the query runs: its vertices are counted before pgSphere
    let text_polygon = votable(
        "<FIELD name=\"v\" datatype=\"char\" arraysize=\"*\"/>",
        &[vec![polygon_values(1000)]],
    );
    let answer = suite.multipart(
        "database",
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("UPLOAD", "t,param:t"),
            (
                "QUERY",
                "SELECT AREA(CAST(v AS POLYGON)) AS a FROM TAP_UPLOAD.t",
            ),
        ],
        Some(&text_polygon),
    );
    assert!(
        failed_with(&answer, &["at most 256 vertices, this one has 1000"]),
        "{}",
        answer.text()
    );
    for _ in 0..100 {
        let radius = rng.gen_range(90.001..1000.0);
        let answer = match rng.gen_range(0..3) {
            0 => suite.tap("database", &format!("SELECT TOP 1 obs_id FROM ivoa.obscore WHERE 1 = INTERSECTS(s_region, CIRCLE('ICRS', 10, 20, {radius}))")),
            1 => suite.post_form("database", "/sia2/query", &[("POS", format!("CIRCLE 10 20 {radius}"))]),
            _ => suite.post_form("database", "/soda/sync", &[("ID", fits.clone()), ("CIRCLE", format!("10 20 {radius}"))]),
        };
        assert!(
            refused_with(&answer, 400, &["at most 90 degrees"]),
            "radius {radius}: {}",
            answer.text()
        );
    }
    for _ in 0..4 {
        let answer = suite.tap("database", ENDLESS);
        assert!(
            answer
                .text()
                .contains("longer than this service's limit of 3 s"),
            "{}",
            answer.text()
        );
    }

    // --- starvation: one client cannot take the job service from the others -------------
    for duration in ["-1", "-99999", "soon", "1e9", "99999999999999999999"] {
        let answer = suite.post_form(
            "starvation",
            "/tap/async",
            &[
                ("LANG", "ADQL".into()),
                ("QUERY", "SELECT TOP 1 obs_id FROM ivoa.obscore".into()),
                ("EXECUTIONDURATION", duration.into()),
            ],
        );
        assert!(
            refused_with(&answer, 400, &["EXECUTIONDURATION"]),
            "EXECUTIONDURATION={duration}: {}",
            answer.text()
        );
    }
    let long_job = |suite: &mut Suite| {
        suite.post_form(
            "starvation",
            "/tap/async",
            &[
                ("LANG", "ADQL".into()),
                ("PHASE", "RUN".into()),
                ("QUERY", ENDLESS.into()),
                ("EXECUTIONDURATION", "30".into()),
            ],
        )
    };
    let mut long_jobs = Vec::new();
    for _ in 0..3 {
        let answer = long_job(&mut suite);
        assert_eq!(answer.status, 303, "{}", answer.text());
        long_jobs.push(job_path(&answer));
    }
    let answer = long_job(&mut suite);
    assert!(
        refused_with(&answer, 429, &["quota active_jobs = 3"]),
        "{}",
        answer.text()
    );
    assert!(answer.header("retry-after").is_some());
    // another client's trivial job runs while the first client's long ones hold... one worker
    let quick = form(&[
        ("LANG", "ADQL".into()),
        ("PHASE", "RUN".into()),
        ("QUERY", "SELECT TOP 1 obs_id FROM ivoa.obscore".into()),
    ]);
    let request = suite.request(
        "POST",
        "/tap/async",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        quick.as_bytes(),
    );
    let answer = raw_answer(from_address("127.0.0.2", suite.port), &request);
    let answer = suite.sent("starvation", &request, answer);
    assert_eq!(answer.status, 303, "{}", answer.text());
    let other = job_path(&answer);
    let waiting = Instant::now();
    while phase(&mut suite, &other) != "COMPLETED" {
        assert!(
            waiting.elapsed() < Duration::from_secs(15),
            "another client's job waited behind the long ones"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let phases: Vec<String> = long_jobs
        .clone()
        .iter()
        .map(|j| phase(&mut suite, j))
        .collect();
    assert_eq!(
        phases.iter().filter(|p| *p == "EXECUTING").count(),
        1,
        "one client runs one job at a time: {phases:?}"
    );
    for job in &long_jobs {
        let request = suite.request("DELETE", job, &[], b"");
        suite.send("starvation", &request);
    }
    // jobs and bytes kept
    let mut pending = Vec::new();
    loop {
        let answer = suite.post_form(
            "starvation",
            "/tap/async",
            &[
                ("LANG", "ADQL".into()),
                ("QUERY", "SELECT TOP 1 obs_id FROM ivoa.obscore".into()),
            ],
        );
        if answer.status != 303 {
            assert!(
                refused_with(&answer, 403, &["quota jobs = 25", "DELETE"]),
                "{}",
                answer.text()
            );
            break;
        }
        pending.push(job_path(&answer));
        assert!(pending.len() <= 25, "the jobs quota holds");
    }
    for job in pending.drain(..) {
        let request = suite.request("DELETE", &job, &[], b"");
        suite.send("starvation", &request);
    }
    let rows: Vec<Vec<String>> = (0..1900)
        .map(|i| vec![format!("{i}"), "x".repeat(400)])
        .collect();
    let big = votable(
        "<FIELD name=\"n\" datatype=\"int\"/><FIELD name=\"s\" datatype=\"char\" arraysize=\"*\"/>",
        &rows,
    );
    let mut refused = None;
    for _ in 0..6 {
        let answer = suite.multipart(
            "starvation",
            "/tap/async",
            &[
                ("LANG", "ADQL"),
                ("UPLOAD", "t,param:t"),
                ("QUERY", "SELECT COUNT(*) AS n FROM TAP_UPLOAD.t"),
            ],
            Some(&big),
        );
        if answer.status == 303 {
            pending.push(job_path(&answer));
        } else {
            refused = Some(answer);
            break;
        }
    }
    let refused = refused.expect("the bytes quota refused a job");
    assert!(
        refused_with(&refused, 403, &["quota job_bytes"]),
        "{}",
        refused.text()
    );
    for job in pending.drain(..) {
        let request = suite.request("DELETE", &job, &[], b"");
        suite.send("starvation", &request);
    }

    // --- URLs: the service's own address comes from its configuration ---------------------
    for host in [
        "evil.example.com",
        "evil.example.com:8080",
        "10.0.0.1",
        "[2001:db8::1]:80",
        "localhost.evil.example.com",
        "localhost:@evil.example.com",
        "[::1]@evil",
        &"a".repeat(300),
    ] {
        for target in [
            "/tap/capabilities",
            "/datalink/sync?ID=uid://A001/X1/X1",
            "/auth/realms/ALMA/.well-known/openid-configuration",
            "/dataPortal/script?ID=uid://A001/X1/X1",
        ] {
            let request = suite.request("GET", target, &[("Host", host)], b"");
            let answer = suite.send("urls", &request);
            assert!(
                refused_with(&answer, 400, &["does not answer to the host name"])
                    || refused_with(&answer, 400, &["is not a host name"]),
                "Host {host}: {}",
                answer.status
            );
        }
    }
    let own = format!("http://{}", suite.host());
    for target in [
        "/tap/capabilities",
        "/sia2/capabilities",
        "/soda/capabilities",
        "/datalink/capabilities",
        "/auth/realms/ALMA/.well-known/openid-configuration",
    ] {
        for forwarded in [
            ("X-Forwarded-Host", "evil.example.com"),
            ("X-Forwarded-Proto", "https"),
            ("Forwarded", "host=evil.example.com;proto=https"),
        ] {
            let request = suite.request("GET", target, &[forwarded], b"");
            let answer = suite.send("urls", &request);
            let text = answer.text();
            assert!(
                answer.status == 200
                    && text.contains(&own)
                    && !text.contains("evil")
                    && !text.contains("https://"),
                "{target} with {forwarded:?}: {text}"
            );
        }
    }

    // --- answers: every refusal says what is wrong ----------------------------------------
    let routes = [
        ("/tap/sync", "GET, POST"),
        ("/tap/capabilities", "GET"),
        ("/tap/tables", "GET"),
        ("/sia2/query", "GET, POST"),
        ("/datalink/sync", "GET, POST"),
        ("/soda/sync", "GET, POST"),
        ("/tap/async", "GET, POST"),
        ("/auth/me", "GET"),
        ("/auth/realms/ALMA/protocol/openid-connect/token", "POST"),
    ];
    for (path, allowed) in routes {
        for method in ["PUT", "PATCH", "DELETE", "POST", "GET"] {
            if allowed.contains(method) {
                continue;
            }
            let request = suite.request(method, path, &[], b"");
            let answer = suite.send("answers", &request);
            assert_eq!(answer.status, 405, "{method} {path}");
            let allow = answer.header("allow").unwrap_or_default().to_string();
            assert!(
                allowed.split(", ").all(|m| allow.contains(m)),
                "{method} {path}: Allow {allow}"
            );
            assert!(
                answer.text().contains("does not take this method"),
                "{}",
                answer.text()
            );
        }
    }
    for _ in 0..200 {
        let path: String = (0..rng.gen_range(1..4))
            .map(|_| {
                format!(
                    "/{}",
                    [
                        "tap",
                        "x",
                        "sia",
                        "soda2",
                        "..",
                        "%2e%2e",
                        "capabilities",
                        "async"
                    ][rng.gen_range(0..8)]
                )
            })
            .collect();
        let answer = suite.get("answers", &path);
        assert!(
            answer.status == 404
                || answer.status == 200
                || answer.status == 400
                || answer.status == 405,
            "{path}: {}",
            answer.status
        );
        if answer.status == 404 && answer.text().starts_with("nothing here answers") {
            // the places the 404 names all exist
            for place in [
                "/tap/capabilities",
                "/sia2/capabilities",
                "/datalink/capabilities",
                "/soda/capabilities",
                "/",
            ] {
                assert!(
                    answer
                        .text()
                        .contains(place.trim_end_matches("/capabilities")),
                    "{place}"
                );
            }
        }
    }
    for place in [
        "/",
        "/tap/capabilities",
        "/sia2/capabilities",
        "/datalink/capabilities",
        "/soda/capabilities",
        "/dataPortal/script?ID=uid://A001/X1/X1",
    ] {
        let answer = suite.get("answers", place);
        assert!(
            !answer.text().starts_with("nothing here answers"),
            "{place}, named by the 404, exists: {}",
            answer.status
        );
    }
    // heads over this service's limits, below where the HTTP layer itself stops reading
    // (a request target over 64 KiB, a head over 128 KiB: see the README's limits)
    for _ in 0..150 {
        let (request, status) = if rng.gen_bool(0.5) {
            let size = rng.gen_range(17 * 1024..120 * 1024);
            (
                suite.request(
                    "GET",
                    "/tap/availability",
                    &[("X-Padding", &"p".repeat(size))],
                    b"",
                ),
                431,
            )
        } else {
            let size = rng.gen_range(33 * 1024..63 * 1024);
            (
                suite.request(
                    "GET",
                    &format!("/tap/sync?LANG=ADQL&QUERY={}", "x".repeat(size)),
                    &[],
                    b"",
                ),
                414,
            )
        };
        let answer = suite.send("answers", &request);
        assert!(
            answer.status == status && answer.text().contains("limit"),
            "{status}: {} {}",
            answer.status,
            answer.text()
        );
    }
    let not50 = format!(
        "SELECT TOP 1 obs_id FROM ivoa.obscore WHERE {}s_ra > 1",
        "NOT ".repeat(50)
    );
    assert_eq!(
        suite.tap("answers", &not50).status,
        200,
        "NOT nested 50 deep is a query like any other"
    );
    let not2000 = format!(
        "SELECT TOP 1 obs_id FROM ivoa.obscore WHERE {}s_ra > 1",
        "NOT ".repeat(2000)
    );
    assert!(refused_with(
        &suite.tap("answers", &not2000),
        400,
        &["nests deeper", "line 1, column"]
    ));
    for _ in 0..100 {
        let at = rng.gen_range(0..20);
        let mut query = "SELECT TOP 1 obs_id FROM ivoa.obscore"
            .to_string()
            .into_bytes();
        // a byte that cannot start a UTF-8 character, then anything
        let mut bad = vec![[0x80u8, 0xbf, 0xc0, 0xc1, 0xf8, 0xfe, 0xff][rng.gen_range(0..7)]];
        bad.extend((0..rng.gen_range(0..3)).map(|_| rng.gen_range(0x80u8..=0xff)));
        let at = at.min(query.len());
        query.splice(at..at, bad.iter().copied());
        let encoded: String = query.iter().map(|b| format!("%{b:02X}")).collect();
        let (request, what) = match rng.gen_range(0..3) {
            0 => (
                suite.request(
                    "GET",
                    &format!("/tap/sync?LANG=ADQL&QUERY={encoded}"),
                    &[],
                    b"",
                ),
                "value of QUERY",
            ),
            1 => {
                let body = format!("LANG=ADQL&QUERY={encoded}");
                (
                    suite.request(
                        "POST",
                        "/tap/sync",
                        &[("Content-Type", "application/x-www-form-urlencoded")],
                        body.as_bytes(),
                    ),
                    "value of QUERY",
                )
            }
            _ => {
                let mut body = b"--B\r\nContent-Disposition: form-data; name=\"LANG\"\r\n\r\nADQL\r\n--B\r\nContent-Disposition: form-data; name=\"QUERY\"\r\n\r\n".to_vec();
                body.extend_from_slice(&query);
                body.extend_from_slice(b"\r\n--B--\r\n");
                (
                    suite.request(
                        "POST",
                        "/tap/sync",
                        &[("Content-Type", "multipart/form-data; boundary=B")],
                        &body,
                    ),
                    "the multipart field",
                )
            }
        };
        let answer = suite.send("answers", &request);
        assert!(
            refused_with(&answer, 400, &[what, "not UTF-8 text"]),
            "{}",
            answer.text()
        );
    }
    for _ in 0..50 {
        let query = format!(
            "SELECT TOP 1 '{}\u{0}{}' AS x FROM ivoa.obscore",
            "a".repeat(rng.gen_range(0..10)),
            "b"
        );
        let answer = suite.tap("answers", &query);
        assert!(
            refused_with(&answer, 400, &["NUL character (U+0000)"]),
            "{}",
            answer.text()
        );
    }
    for address in [
        "[::ffff:127.0.0.1]",
        "[::127.0.0.1]",
        "[64:ff9b::7f00:1]",
        "[fec0::1]",
        "[::1]",
        "[2002:7f00:1::1]",
        "127.0.0.1",
        "10.0.0.1",
        "169.254.169.254",
    ] {
        let answer = suite.post_form(
            "answers",
            "/tap/sync",
            &[
                ("LANG", "ADQL".into()),
                ("UPLOAD", format!("t,http://{address}:1/t.xml")),
                ("QUERY", "SELECT * FROM TAP_UPLOAD.t".into()),
            ],
        );
        assert!(
            refused_with(&answer, 400, &["private or local address"]),
            "{address}: {}",
            answer.text()
        );
    }

    // --- afterwards ---------------------------------------------------------------------
    assert!(
        server.is_running(),
        "the server never aborted\n{}",
        server.log()
    );
    // no slot is still held: a burst at the per-client limit is served in full
    let burst: Vec<Answer> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..PER_CLIENT)
            .map(|_| {
                let request = suite.request(
                    "GET",
                    "/tap/sync?LANG=ADQL&QUERY=SELECT%20TOP%201%20obs_id%20FROM%20ivoa.obscore",
                    &[],
                    b"",
                );
                let port = suite.port;
                s.spawn(move || {
                    raw_answer(TcpStream::connect(("127.0.0.1", port)).unwrap(), &request)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        burst.iter().all(|a| a.status == 200),
        "a burst at the per-client limit: {:?}",
        burst.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    // no query outlived its limit in PostgreSQL (the async jobs above were deleted)
    std::thread::sleep(Duration::from_secs(2));
    let outliving = server.psql(&format!(
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active' \
         AND pid <> pg_backend_pid() AND now() - query_start > interval '{} seconds'",
        SYNC_SECONDS + 3
    ));
    assert_eq!(outliving, "0", "queries outlived their limit:\n{}", server.psql("SELECT pid, now() - query_start, left(query, 120) FROM pg_stat_activity WHERE state = 'active'"));
    let log = server.log();
    for bad in [
        "panicked",
        "overflowed its stack",
        "fatal runtime error",
        "status=500",
        "status=502",
        "status=503",
    ] {
        assert!(
            !log.contains(bad),
            "'{bad}' in the server log:\n{}",
            log.lines()
                .filter(|l| l.contains(bad))
                .take(5)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    assert_eq!(
        fingerprint(&server.database_params()),
        before,
        "the database changed"
    );
    assert!(
        suite.requests >= 2000,
        "{} hostile requests",
        suite.requests
    );
    println!(
        "{} hostile requests in {:.0} s, by class and status: {:?}",
        suite.requests,
        started.elapsed().as_secs_f64(),
        suite.tally
    );
}
