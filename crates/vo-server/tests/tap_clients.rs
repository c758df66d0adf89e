//! The real clients against a demo archive served by the binary: pyvo, astroquery.alma, and
//! astropy reading every output format back (identical values), each response checked by
//! STILTS votlint.

mod common;

use common::{run_script, DemoServer};

/// `stilts votlint` on a file: every message it prints.
fn votlint(path: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("stilts")
        .arg("votlint")
        .arg(format!("votable={}", path.display()))
        .output()
        .expect("stilts (Debian package stilts) is needed for the conformance tests");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&out.stderr).lines())
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn pyvo_astroquery_and_astropy_use_the_service() {
    let server = DemoServer::start(2500, 0, "");
    println!("{}", run_script(&server, "pyvo/tap.py", &[]));
    println!("{}", run_script(&server, "astroquery/alma_tap.py", &[]));

    let out = server.dir.path().join("formats");
    std::fs::create_dir_all(&out).unwrap();
    println!(
        "{}",
        run_script(&server, "astropy/read_formats.py", &[out.to_str().unwrap()])
    );
    for format in ["votable", "votable_b", "votable_b2"] {
        let messages = votlint(&out.join(format));
        assert!(
            messages.is_empty(),
            "votlint on {format}:\n{}",
            messages.join("\n")
        );
    }
    // an error document is valid too
    let (_, body) = server.post(
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("QUERY", "SELECT nothing FROM ivoa.obscore"),
        ],
    );
    let error = out.join("error.xml");
    std::fs::write(&error, body).unwrap();
    let messages = votlint(&error);
    assert!(
        messages.is_empty(),
        "votlint on an error document:\n{}",
        messages.join("\n")
    );
}
