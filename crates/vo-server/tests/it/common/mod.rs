//! A demo archive served by the real binary, for tests that talk HTTP to it: a private
//! cluster and data in a temporary directory, `voarchive demo`, `voarchive serve` on free
//! ports; dropping it stops the server and the cluster and removes everything.
#![allow(dead_code)]

pub mod smtp;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct DemoServer {
    pub dir: tempfile::TempDir,
    pub db_port: u16,
    pub http_port: u16,
    /// Whether the configuration gives the server a TLS certificate (https).
    pub tls: bool,
    server: Option<Child>,
}

impl DemoServer {
    /// `voarchive` with this server's data directory and ports.
    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_voarchive"));
        c.env("VO_DATA_DIR", self.dir.path())
            .env("VO_DB_PORT", self.db_port.to_string())
            .env("VO_PORT", self.http_port.to_string())
            .env_remove("VO_CONFIG")
            .env_remove("VO_DATABASE_URL");
        c
    }

    /// Generates a demo archive of `rows` rows (and `files` member OUSes with files) and
    /// serves it; returns once `/tap/availability` answers.
    /// A server over a demo of about `rows` rows where `files` member OUSes have (large)
    /// files and the others none, to keep each test's archive small.
    pub fn start(rows: usize, files: usize, config: &str) -> DemoServer {
        DemoServer::start_with(rows, files, "none", config)
    }

    /// A server over a demo where every member OUS has its delivery (`files` of them large),
    /// as `deploy/demo` serves it.
    pub fn start_full(rows: usize, files: usize, config: &str) -> DemoServer {
        DemoServer::start_with(rows, files, "written", config)
    }

    /// A server over a demo whose small files are registered at load and made on first
    /// access (`voarchive demo --small-files on-first-access`).
    pub fn start_made_on_access(rows: usize, files: usize, config: &str) -> DemoServer {
        DemoServer::start_with(rows, files, "on-first-access", config)
    }

    fn start_with(rows: usize, files: usize, small_files: &str, config: &str) -> DemoServer {
        let dir = tempfile::Builder::new()
            .prefix("vo-http")
            .tempdir_in("/tmp")
            .unwrap();
        // many test servers run at once: each cluster keeps PostgreSQL's small buffers
        // rather than a quarter of the machine
        std::fs::write(
            dir.path().join("voarchive.toml"),
            format!("{config}\n[database.settings]\nshared_buffers = \"128MB\"\n"),
        )
        .unwrap();
        // the spectral reference data where the server looks for it (deploy/test writes it)
        if let Ok(reference) = std::env::var("VO_REFERENCE_DIR") {
            std::os::unix::fs::symlink(reference, dir.path().join("reference")).unwrap();
        }
        let mut server = DemoServer {
            dir,
            db_port: free_port(),
            http_port: free_port(),
            tls: config.contains("tls_certificate"),
            server: None,
        };
        let config_path = server.dir.path().join("voarchive.toml");
        let out = server
            .command()
            .env("VO_CONFIG", &config_path)
            .args([
                "demo",
                "--rows",
                &rows.to_string(),
                "--files",
                &files.to_string(),
            ])
            .args(["--small-files", small_files])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "demo failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        server.serve();
        server
    }

    /// Starts `voarchive serve` (appending to server.log) and waits until it answers.
    pub fn serve(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("server.log"))
            .unwrap();
        self.server = Some(
            self.command()
                .env("VO_CONFIG", self.dir.path().join("voarchive.toml"))
                .arg("serve")
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .unwrap(),
        );
        let started = Instant::now();
        let answers = |server: &DemoServer| {
            if server.tls {
                // an https server is ready when it accepts connections (the tests talk to
                // it through clients that trust its certificate)
                std::net::TcpStream::connect(("127.0.0.1", server.http_port)).is_ok()
            } else {
                ureq::get(&server.url("/tap/availability")).call().is_ok()
            }
        };
        while !answers(self) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether the server process is still running (it has not exited or aborted).
    pub fn is_running(&mut self) -> bool {
        self.server
            .as_mut()
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// Kills the server with SIGKILL, as a crash would (the database keeps running).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.server.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    pub fn base(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.http_port)
    }

    /// libpq parameters of the server's private cluster (for tests that arrange data).
    pub fn database_params(&self) -> String {
        vo_db::PrivateCluster::new(self.dir.path().join("pg"), self.db_port, true)
            .connection_string("vo")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base())
    }

    /// POSTs a form and returns (status, body).
    pub fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let response = match ureq::post(&self.url(path)).send_form(form) {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("POST {path}: {e}"),
        };
        (response.status(), response.into_string().unwrap())
    }

    /// GETs a path (with its query string) and returns (status, body bytes).
    pub fn get_bytes(&self, path_and_query: &str) -> (u16, Vec<u8>) {
        let response = match ureq::get(&self.url(path_and_query)).call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("GET {path_and_query}: {e}"),
        };
        let status = response.status();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut response.into_reader(), &mut body).unwrap();
        (status, body)
    }

    /// GETs a path (with its query string) and returns (status, body).
    pub fn get(&self, path_and_query: &str) -> (u16, String) {
        let response = match ureq::get(&self.url(path_and_query)).call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("GET {path_and_query}: {e}"),
        };
        (response.status(), response.into_string().unwrap())
    }

    /// Creates an archive account with `voarchive user create` (password on standard input).
    pub fn create_user(&self, user: &str, password: &str, staff: bool) {
        use std::io::Write;
        let mut command = self.command();
        command
            .env("VO_CONFIG", self.dir.path().join("voarchive.toml"))
            .args(["user", "create", user]);
        if staff {
            command.arg("--staff");
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "user create {user}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs an operator command (`voarchive ARGS…`) against this server's database.
    pub fn operator(&self, args: &[&str]) -> String {
        let out = self
            .command()
            .env("VO_CONFIG", self.dir.path().join("voarchive.toml"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "voarchive {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the server has measured every released FITS product for similar images
    /// (it does so in the background when it starts), and returns how many it ranks.
    pub fn images_measured(&self) -> usize {
        let measurable: i64 = self
            .psql(
                "SELECT count(*) FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
                 WHERE f.kind = 'product' AND f.content_type = 'application/fits' AND m.release_date <= now()",
            )
            .trim()
            .parse()
            .unwrap();
        let started = std::time::Instant::now();
        loop {
            let measured: i64 = self
                .psql("SELECT count(*) FROM archive.image_feature")
                .trim()
                .parse()
                .unwrap();
            if measured == measurable {
                break;
            }
            assert!(
                started.elapsed().as_secs() < 300,
                "{measured} of {measurable} images measured"
            );
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        // and loaded: the index answers for all of them
        let ranked: usize = self
            .psql("SELECT count(*) FROM archive.image_feature WHERE features IS NOT NULL")
            .trim()
            .parse()
            .unwrap();
        let any =
            self.psql("SELECT name FROM archive.image_feature WHERE features IS NOT NULL LIMIT 1");
        let started = std::time::Instant::now();
        loop {
            let (status, body) = self.get(&format!("/similar/images?id={}&n=1", any.trim()));
            if status == 200 && body.contains(&format!("\"indexed\":{ranked},")) {
                return ranked;
            }
            assert!(started.elapsed().as_secs() < 60, "{status} {body}");
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
    }

    /// Runs SQL in the demo cluster with psql and returns its unaligned output.
    pub fn psql(&self, sql: &str) -> String {
        let out = Command::new("psql")
            .args([
                "-h",
                self.dir.path().join("pg").to_str().unwrap(),
                "-p",
                &self.db_port.to_string(),
                "-U",
                "postgres",
                "-d",
                "vo",
                "-Atc",
                sql,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Queries on ObsCore running in the database now (besides the one asking).
    pub fn active_queries(&self) -> usize {
        self.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' \
             AND query LIKE '%obscore%' AND pid <> pg_backend_pid()",
        )
        .parse()
        .unwrap()
    }

    /// The server's log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.server.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = self.command().args(["db", "stop"]).output();
    }
}

/// The Python with astropy, pyvo and astroquery: $VO_PYTHON (set by deploy/test), else the
/// project's .venv.
pub fn python() -> String {
    if let Ok(p) = std::env::var("VO_PYTHON") {
        return p;
    }
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    assert!(
        venv.exists(),
        "no Python for the conformance checks: run deploy/test, or set VO_PYTHON"
    );
    venv.to_string_lossy().into_owned()
}

/// Runs a Python conformance script with the server's base URL; fails the test with its
/// output if it fails.
pub fn run_script(server: &DemoServer, script: &str, extra: &[&str]) -> String {
    run_with(&python(), server, script, extra)
}

/// Runs a conformance script under `program` (python, node) with the server's base URL and
/// `extra` arguments; fails the test with its output if it fails.
pub fn run_with(program: &str, server: &DemoServer, script: &str, extra: &[&str]) -> String {
    let mut args = vec![server.base()];
    args.extend(extra.iter().map(|a| a.to_string()));
    run_program(program, script, &args, || {
        format!("--- server log ---\n{}", server.log())
    })
}

/// Runs a Python conformance script with exactly `args` (no server URL added); fails the
/// test with its output if it fails.
pub fn run_python(script: &str, args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    run_program(&python(), script, &args, String::new)
}

/// Runs `conformance/<script>` under `program`; fails the test with its output and
/// `context` if it fails, else returns its output.
fn run_program(
    program: &str,
    script: &str,
    args: &[String],
    context: impl FnOnce() -> String,
) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../conformance")
        .join(script);
    let out = Command::new(program)
        .arg(&path)
        .args(args)
        .env("ASTROPY_SKIP_CONFIG_UPDATE", "1")
        .output()
        .unwrap_or_else(|e| panic!("{program} runs {script}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{script} failed:\n{text}\n{}",
        context()
    );
    text
}

/// Runs a download script (its text) with bash in an empty directory, without unpacking;
/// asserts that it says every file was downloaded and verified, and returns the names of
/// the files it left there, sorted.
pub fn run_download_script(script: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("download.sh"), script).unwrap();
    let run = Command::new("bash")
        .args(["download.sh", "-n"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        run.status.success() && said.contains("all files downloaded and verified"),
        "{said}"
    );
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "download.sh")
        .collect();
    files.sort();
    files
}

/// Sends raw bytes to the server on 127.0.0.1 and returns (status, body); 0 when the server
/// closed without answering.
pub fn raw(port: u16, request: &[u8]) -> (u16, Vec<u8>) {
    let answer = raw_answer(
        std::net::TcpStream::connect(("127.0.0.1", port)).unwrap(),
        request,
    );
    (answer.status, answer.body)
}

/// What the server answered on a raw connection.
#[derive(Debug, Default, Clone)]
pub struct Answer {
    /// 0 when the server closed without answering.
    pub status: u16,
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Writes `request` on `stream` and reads the whole answer (the request should say
/// `Connection: close`).
pub fn raw_answer(mut stream: std::net::TcpStream, request: &[u8]) -> Answer {
    use std::io::{Read, Write};
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    if stream.write_all(request).is_err() {
        return Answer::default();
    }
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let Some(split) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Answer::default();
    };
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.strip_prefix("HTTP/1.1 "))
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect::<Vec<_>>();
    let mut body = bytes[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

/// The bytes of a chunked body.
fn dechunk(mut chunked: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = chunked.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&chunked[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 || chunked.len() < end + 2 + size {
            break;
        }
        out.extend_from_slice(&chunked[end + 2..end + 2 + size]);
        chunked = &chunked[(end + 4 + size).min(chunked.len())..];
    }
    out
}

/// A fingerprint of everything a hostile request could have touched: every published and
/// private table's contents, and the sets of relations, functions and roles.
pub fn fingerprint(params: &str) -> Vec<(String, String)> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = vo_db::connect(params).await.unwrap();
        let tables = client
            .query(
                "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables \
                 WHERE schemaname IN ('ivoa', 'tap_schema', 'archive', 'auth', 'public') ORDER BY 1",
                &[],
            )
            .await
            .unwrap();
        let mut seen = Vec::new();
        for row in tables {
            let table: String = row.get(0);
            let digest: String = client
                .query_one(
                    &format!("SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM {table} t"),
                    &[],
                )
                .await
                .unwrap()
                .get(0);
            seen.push((table, digest));
        }
        for (what, sql) in [
            ("relations", "SELECT string_agg(format('%s.%s', n.nspname, c.relname), ',' ORDER BY 1) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"),
            ("functions", "SELECT count(*)::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"),
            ("roles", "SELECT string_agg(rolname || rolsuper::text, ',' ORDER BY rolname) FROM pg_roles"),
        ] {
            let value: String = client.query_one(sql, &[]).await.unwrap().get(0);
            seen.push((what.to_string(), value));
        }
        seen
    })
}

/// A self-signed certificate for 127.0.0.1: (certificate, key) paths.
pub fn self_signed(dir: &std::path::Path) -> (String, String) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let out = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl (Debian package openssl)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert.display().to_string(), key.display().to_string())
}
