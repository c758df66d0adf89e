//! The web query page end to end: conformance/web/page.mjs drives Debian's Chromium with
//! playwright-core through what a new user does (type a position, see rows, sort, open a
//! footprint, export CSV, fetch a download script, and more), and checks that every request
//! the page makes goes to the service. Screenshots are kept in target/test-artifacts/web.

mod common;

use common::DemoServer;
use std::process::Command;

#[test]
fn a_new_user_queries_in_the_browser() {
    let server = DemoServer::start(2000, 12, "");
    // a public member OUS with product files, and where it is
    let found = server.psql(
        "SELECT o.member_ous_uid || ' ' || o.s_ra || ' ' || o.s_dec FROM ivoa.obscore o \
         WHERE o.data_rights = 'Public' AND o.science_observation = 'T' AND EXISTS \
         (SELECT 1 FROM archive.file f WHERE f.member_ous_uid = o.member_ous_uid AND f.kind = 'product') \
         ORDER BY o.obs_id LIMIT 1",
    );
    let mut parts = found.split_whitespace();
    let (mous, ra, dec) = (
        parts.next().expect("a public member OUS with files"),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let artifacts = root.join("target/test-artifacts/web");
    let out = Command::new("node")
        .arg(root.join("conformance/web/page.mjs"))
        .arg(server.base())
        .arg(&artifacts)
        .args([ra, dec, mous])
        .output()
        .expect("node (Debian package nodejs) runs the browser test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    assert!(
        out.status.success(),
        "the browser test failed:\n{text}\n--- server log ---\n{}",
        server.log()
    );
    assert!(text.contains("checks passed"), "{text}");
    for shot in ["02-position", "03-footprint", "05-files"] {
        assert!(
            artifacts.join(format!("{shot}.png")).is_file(),
            "screenshot {shot} kept"
        );
    }

    // the page's own files: embedded, with ETags, and a policy that names only this service
    let response = raw_get(&server, "/");
    assert!(
        response.contains("content-security-policy: default-src 'self'"),
        "{response}"
    );
    assert!(response.contains("etag: \""), "{response}");
    let (status, body) = server.get("/web/no-such-file.js");
    assert_eq!(status, 404, "{body}");
    let (status, config) = server.get("/web/config.json");
    assert_eq!(status, 200);
    assert!(
        config.contains("\"max_rows\":2000") && config.contains("\"hips_url\":null"),
        "{config}"
    );
}

/// The raw response head and body of a GET, headers in lower case.
fn raw_get(server: &DemoServer, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.http_port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    format!("{}\n{body}", head.to_lowercase())
}
