//! Who may fetch what, over HTTPS (a self-signed certificate made for the test): the access
//! matrix — anonymous, PI, delegee, revoked delegee, unrelated user and staff × public,
//! proprietary and just-released datasets × DataLink, file download, package tar, SODA
//! cutout and preview — with zero leaks and the right status codes; delegation through the
//! PI's HTTP API; data public at their release date with no manual step; and astroquery's
//! `Alma.login()` then `download_files` of a proprietary file, for its PI and for another
//! user (conformance/access/matrix.py).

use crate::common;

use common::{run_script, self_signed, DemoServer};

/// One query's first row, as text.
fn first_row(server: &DemoServer, sql: &str) -> Vec<String> {
    let out = server.psql(sql);
    let line = out
        .lines()
        .next()
        .unwrap_or_else(|| panic!("no row for {sql}"));
    line.split('|').map(str::to_string).collect()
}

/// A member OUS with a FITS product on disk: (uid, project, product package, FITS product).
fn dataset(server: &DemoServer, condition: &str) -> Vec<String> {
    first_row(
        server,
        &format!(
            "SELECT m.uid, m.project_code, p.name, f.name \
             FROM archive.member_ous m \
             JOIN archive.file p ON p.member_ous_uid = m.uid AND p.kind = 'product-package' \
             JOIN archive.file f ON f.member_ous_uid = m.uid AND f.kind = 'product' \
                  AND f.content_type = 'application/fits' AND f.path IS NOT NULL \
             WHERE {condition} ORDER BY m.uid, f.name LIMIT 1"
        ),
    )
}

#[test]
fn access_matrix_and_astroquery_login_over_tls() {
    let certificates = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(certificates.path());
    let server = DemoServer::start(
        2000,
        6,
        &format!(
            "[server]\ntls_certificate = \"{cert}\"\ntls_key = \"{key}\"\n\
             [access]\nrelease_check_seconds = 1\n"
        ),
    );
    let public = dataset(&server, "m.release_date <= now()");
    let proprietary = dataset(&server, "m.release_date > now()");
    // a released dataset made proprietary again until a few seconds from now: it becomes
    // public while the test runs, with nobody doing anything
    let released_soon = dataset(
        &server,
        &format!("m.release_date <= now() AND m.uid <> '{}'", public[0]),
    );
    server.psql(&format!(
        "UPDATE archive.member_ous SET release_date = now() + interval '25 seconds' WHERE uid = '{}'; \
         SELECT archive.sync_release();",
        released_soon[0]
    ));
    let release_at = first_row(
        &server,
        &format!(
            "SELECT extract(epoch FROM release_date) FROM archive.member_ous WHERE uid = '{}'",
            released_soon[0]
        ),
    );
    let pi = first_row(
        &server,
        &format!(
            "SELECT pi_userid FROM archive.project WHERE code = '{}'",
            proprietary[1]
        ),
    )[0]
    .clone();
    server.create_user(&pi, "pi-password-1", false);
    for user in ["delegee", "revoked", "stranger"] {
        server.create_user(user, &format!("{user}-password"), false);
    }
    server.create_user("curator", "curator-password", true);
    let arrangement = format!(
        "{{\"public\": {public:?}, \"proprietary\": {proprietary:?}, \"released_soon\": {released_soon:?}, \
          \"release_at\": {}, \"pi\": \"{pi}\"}}",
        release_at[0]
    );
    println!(
        "{}",
        run_script(&server, "access/matrix.py", &[&cert, &arrangement])
    );

    // the operator's side: delegations as recorded, a PI's exception to the period, an
    // account deleted with its delegations
    let listed = server.operator(&["delegation", "list", "--project", &proprietary[1]]);
    assert!(
        listed.contains("delegee") && listed.contains("active") && listed.contains("revoked"),
        "{listed}"
    );
    server.operator(&["user", "delete", "delegee"]);
    let listed = server.operator(&["delegation", "list", "--project", &proprietary[1]]);
    assert!(!listed.contains("delegee\t"), "{listed}");
    server.operator(&["project", "proprietary", &proprietary[1], "0"]);
    let shown = server.operator(&["project", "show", &proprietary[1]]);
    assert!(
        shown.contains("0 months (exception)")
            && shown.contains("public")
            && !shown.contains("proprietary\n"),
        "{shown}"
    );
    let anyone = first_row(
        &server,
        &format!(
            "SELECT count(*) FILTER (WHERE data_rights = 'Proprietary') FROM ivoa.obscore WHERE proposal_id = '{}'",
            proprietary[1]
        ),
    );
    assert_eq!(
        anyone[0], "0",
        "an exception of 0 months makes the project public at once"
    );
}
