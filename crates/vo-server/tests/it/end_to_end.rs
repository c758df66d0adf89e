//! The binary end to end, as an operator runs it: `demo` into a fresh data directory (a
//! private cluster is created, with settings for this machine that `db status` lists),
//! `serve`, VOSI availability true; the database stopped →
//! available false with a reason; started again → true without restarting the server;
//! SIGINT → clean exit.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn voarchive(data_dir: &std::path::Path, db_port: u16, http_port: u16) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_voarchive"));
    c.env("VO_DATA_DIR", data_dir)
        .env("VO_DB_PORT", db_port.to_string())
        .env("VO_PORT", http_port.to_string())
        .env_remove("VO_CONFIG")
        .env_remove("VO_DATABASE_URL");
    c
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn demo_serve_availability_and_shutdown() {
    let dir = tempfile::Builder::new()
        .prefix("vo-e2e")
        .tempdir_in("/tmp")
        .unwrap();
    let (db_port, http_port) = (free_port(), free_port());
    let demo = voarchive(dir.path(), db_port, http_port)
        .args(["demo", "--rows", "200", "--files", "2"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&demo.stdout);
    assert!(
        demo.status.success(),
        "demo failed: {stdout}{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    assert!(stdout.contains("ObsCore rows"), "{stdout}");
    // a second run reuses what exists
    let again = voarchive(dir.path(), db_port, http_port)
        .arg("demo")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("already holds"));

    // the private cluster runs with the settings derived from this machine, as db status says
    let status = voarchive(dir.path(), db_port, http_port)
        .args(["db", "status"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.success(), "{said}");
    assert!(
        said.contains("settings (the private cluster starts with these):")
            && said.contains("  jit = off  [machine]")
            && said.contains("  shared_buffers = ")
            && said.contains("  work_mem = "),
        "{said}"
    );
    assert!(
        !said.contains("(running:"),
        "the cluster runs with what it says: {said}"
    );

    // ADQL translated against the tables the database's TAP_SCHEMA declares
    let out = command_with_stdin(
        voarchive(dir.path(), db_port, http_port),
        &["adql", "translate", "--schema", "database"],
        "SELECT TOP 1 \"lastModified\" FROM ivoa.obscore",
    );
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("\"lastModified\""),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let schema_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema");
    let out = command_with_stdin(
        voarchive(dir.path(), db_port, http_port),
        &[
            "adql",
            "translate",
            "--schema",
            schema_dir.to_str().unwrap(),
        ],
        "SELECT TOP 1 nonesuch FROM ivoa.obscore",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no column nonesuch"));

    // ingest through the binary: a CSV loads; a broken FITS product loads nothing
    let csv = dir.path().join("rows.csv");
    std::fs::write(&csv, "obs_id,proposal_id,member_ous_uid,target_name,s_ra,s_dec,s_region,dataproduct_type,calib_level,data_rights\n\
        uid://A001/X99/X1.source.T.spw.1,2019.1.00001.S,uid://A001/X99/X1,T,10.5,-5.25,Circle ICRS 10.5 -5.25 0.01,cube,2,Public\n").unwrap();
    let out = voarchive(dir.path(), db_port, http_port)
        .args(["ingest", "rows"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success()
            && String::from_utf8_lossy(&out.stdout).contains("1 rows loaded (1 new"),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let product = dir.path().join("incoming/2019.1.00002.S/science_goal.uid___A001_X9a_X1/group.uid___A001_X9a_X2/member.uid___A001_X9a_X3/product");
    std::fs::create_dir_all(&product).unwrap();
    std::fs::write(
        product.join("member.uid___A001_X9a_X3.T_sci.spw25.cube.I.pbcor.fits"),
        format!("{:<80}", "SIMPLE  =                    T").repeat(36),
    )
    .unwrap();
    let out = voarchive(dir.path(), db_port, http_port)
        .args(["ingest", "fits"])
        .arg(dir.path().join("incoming"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a broken product must fail the ingest"
    );
    assert!(
        stderr.contains("member.uid___A001_X9a_X3.T_sci.spw25.cube.I.pbcor.fits")
            && stderr.contains("HDU 0")
            && stderr.contains("nothing was loaded"),
        "{stderr}"
    );

    let mut server = voarchive(dir.path(), db_port, http_port)
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let body = loop {
        if let Some(r) = get(http_port, "/tap/availability") {
            break r;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        body.starts_with("HTTP/1.0 200") || body.starts_with("HTTP/1.1 200"),
        "{body}"
    );
    assert!(
        body.contains("<vosi:available>true</vosi:available>"),
        "{body}"
    );

    assert!(voarchive(dir.path(), db_port, http_port)
        .args(["db", "stop"])
        .status()
        .unwrap()
        .success());
    let body = get(http_port, "/tap/availability").unwrap();
    assert!(
        body.contains("<vosi:available>false</vosi:available>")
            && body.contains("cannot connect to the database"),
        "{body}"
    );
    assert!(voarchive(dir.path(), db_port, http_port)
        .args(["db", "start"])
        .status()
        .unwrap()
        .success());
    let body = get(http_port, "/tap/availability").unwrap();
    assert!(
        body.contains("<vosi:available>true</vosi:available>"),
        "recovers without a restart: {body}"
    );

    Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status()
        .unwrap();
    let status = server.wait().unwrap();
    let mut log = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(status.success(), "server exit {status:?}: {log}");
    assert!(
        log.contains("server stopped") && log.contains("path=\"/tap/availability\""),
        "{log}"
    );
    assert!(voarchive(dir.path(), db_port, http_port)
        .args(["db", "stop"])
        .status()
        .unwrap()
        .success());
}

/// Runs `voarchive ARGS` with `input` on its standard input.
fn with_stdin(args: &[&str], input: &str) -> std::process::Output {
    command_with_stdin(Command::new(env!("CARGO_BIN_EXE_voarchive")), args, input)
}

fn command_with_stdin(mut command: Command, args: &[&str], input: &str) -> std::process::Output {
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn adql_check_reports_validity_by_exit_code() {
    let ok = with_stdin(&["adql", "check"], "SELECT TOP 5 s_ra FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 204.25, -29.87, 0.1))");
    assert_eq!(ok.status.code(), Some(0));
    let bad = with_stdin(
        &["adql", "check"],
        "SELECT s_ra FROM ivoa.obscore\nWHERE s_ra::int = 3",
    );
    assert_eq!(bad.status.code(), Some(1));
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(message.starts_with("line 2, column 11: '::'"), "{message}");

    let sql = with_stdin(
        &["adql", "translate", "--maxrec", "10"],
        "SELECT TOP 50 lastmodified FROM ivoa.ObsCore WHERE band_list = 3",
    );
    let text = String::from_utf8_lossy(&sql.stdout);
    assert!(
        sql.status.success()
            && text.contains("\"lastModified\"")
            && text.contains("= '3'")
            && text.contains("LIMIT 11"),
        "{text}"
    );
    let bad = with_stdin(
        &["adql", "translate", "--maxrec", "10"],
        "SELECT pvw FROM ivoa.obscore",
    );
    let message = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        message.contains("no column pvw") && message.contains("did you mean pwv?"),
        "{message}"
    );
}
