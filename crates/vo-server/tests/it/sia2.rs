//! SIA 2.0 over HTTP against a demo archive served by the binary: pyvo's SIA2Service (each
//! search compared with a hand-written TAP query), errors, capabilities, and votlint on a
//! response.

use crate::common;

use common::{run_script, DemoServer};

#[test]
fn pyvo_searches_sia2() {
    let server = DemoServer::start(2000, 0, "");
    println!("{}", run_script(&server, "pyvo/sia2.py", &[]));

    let (status, body) =
        server.get("/sia2/query?POS=CIRCLE+83.82+-5.39+0.2&BAND=0.0008+0.004&MAXREC=20");
    assert_eq!(status, 200, "{body}");
    assert!(body.matches("<TR>").count() > 0, "{body}");
    let path = server.dir.path().join("sia2.xml");
    std::fs::write(&path, &body).unwrap();
    let out = std::process::Command::new("stilts")
        .arg("votlint")
        .arg(format!("votable={}", path.display()))
        .output()
        .expect("stilts (Debian package stilts) is needed for the conformance tests");
    let messages = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // INFO lines only remark that single-character columns (science_observation, ...) have no
    // arraysize, which is how VOTable declares one character
    let problems: Vec<&str> = messages
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("INFO"))
        .collect();
    assert!(problems.is_empty(), "votlint:\n{messages}");

    let (status, caps) = server.get("/sia2/capabilities");
    assert_eq!(status, 200);
    assert!(
        caps.contains("ivo://ivoa.net/std/SIA#query-2.0")
            && caps.contains(&format!("http://127.0.0.1:{}/sia2/query", server.http_port)),
        "{caps}"
    );
    let (status, availability) = server.get("/sia2/availability");
    assert!(
        status == 200 && availability.contains("<vosi:available>true"),
        "{availability}"
    );
}
