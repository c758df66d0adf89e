//! Hostile requests against a demo server (conformance/security/attacks.py): SQL injection
//! through ADQL, upload names, SIA2, SODA, DataLink and login parameters; path traversal;
//! oversized and malformed uploads, bodies and headers — each a clear 4xx. Then the
//! database is checked unchanged: every published and private table's contents, the set of
//! relations and functions, and the roles are the same as before.

use crate::common;

use common::{fingerprint, run_script, DemoServer};

#[test]
fn hostile_requests_get_clear_refusals_and_change_nothing() {
    let server = DemoServer::start(
        2000,
        6,
        "[tap]\nupload_rows = 1000\nupload_bytes = 200000\n[access]\nper_client_requests = 3\n",
    );
    // the server's own background work (measuring images) done first
    server.images_measured();
    let before = fingerprint(&server.database_params());
    assert!(
        before.len() > 10,
        "the fingerprint covers the tables: {before:?}"
    );
    let fits = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.kind = 'product' AND f.content_type = 'application/fits' AND f.path IS NOT NULL \
           AND m.release_date <= now() ORDER BY f.name LIMIT 1",
    );
    println!("{}", run_script(&server, "security/attacks.py", &[&fits]));
    let after = fingerprint(&server.database_params());
    assert_eq!(before, after, "the database changed");
    let log = server.log();
    assert!(!log.contains("panicked"), "no panic in the server log");
    assert!(
        !log.contains("status=500") && !log.contains("status=502") && !log.contains("status=503"),
        "no 5xx in the server log:\n{}",
        log.lines()
            .filter(|l| l.contains("status=5"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
