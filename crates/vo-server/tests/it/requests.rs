//! The Request Handler over HTTP: a PI requests chosen files (public and proprietary) with
//! an e-mail address; the request is kept with its own URL and owner, listed along ALMA's
//! hierarchy with what the PI may download, shown to nobody else; the notification arrives at
//! an SMTP sink started here; the request's download script fetches exactly those files (run
//! with bash) — the proprietary ones through URLs signed for the PI, which fail once altered
//! or expired; another user's request of the same proprietary file leaves it out.

use crate::common;

use base64::Engine;
use common::smtp::{quoted_printable, smtp_sink};
use common::DemoServer;

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// (status, body) of a request with optional credentials.
fn call(
    server: &DemoServer,
    method: &str,
    path: &str,
    auth: Option<&str>,
    form: &[(&str, &str)],
) -> (u16, String) {
    let mut request = ureq::request(method, &server.url(path));
    if let Some(auth) = auth {
        request = request.set("Authorization", auth);
    }
    let response = if method == "POST" {
        request.send_form(form)
    } else {
        request.call()
    };
    let response = match response {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    (response.status(), response.into_string().unwrap())
}

/// One query's first row's fields.
fn row(server: &DemoServer, sql: &str) -> Vec<String> {
    let out = server.psql(sql);
    out.lines()
        .next()
        .unwrap_or_else(|| panic!("no row for {sql}"))
        .split('|')
        .map(str::to_string)
        .collect()
}

#[test]
fn a_request_of_chosen_files_gives_a_script_for_exactly_those_with_signed_urls() {
    let (smtp, mailbox) = smtp_sink();
    let server = DemoServer::start_full(
        400,
        0,
        &format!(
            "[notify]\nsmtp_relay = \"127.0.0.1:{smtp}\"\nfrom = \"ALMA archive <archive@example.org>\"\n\
             [access]\nsigned_url_seconds = 20\n"
        ),
    );
    // a proprietary member OUS and its PI; a public one
    let private = row(
        &server,
        "SELECT m.uid, m.project_code, p.pi_userid, \
                (SELECT f.name FROM archive.file f WHERE f.member_ous_uid = m.uid AND f.kind = 'product' ORDER BY f.name LIMIT 1), \
                (SELECT f.name FROM archive.file f WHERE f.member_ous_uid = m.uid AND f.kind = 'readme' LIMIT 1) \
         FROM archive.member_ous m JOIN archive.project p ON p.code = m.project_code \
         WHERE m.release_date > now() AND EXISTS (SELECT 1 FROM archive.file f WHERE f.member_ous_uid = m.uid AND f.kind = 'product') \
         ORDER BY m.uid LIMIT 1",
    );
    let public = row(
        &server,
        "SELECT m.uid, (SELECT f.name FROM archive.file f WHERE f.member_ous_uid = m.uid AND f.kind = 'product' ORDER BY f.name LIMIT 1) \
         FROM archive.member_ous m WHERE m.release_date <= now() \
           AND EXISTS (SELECT 1 FROM archive.file f WHERE f.member_ous_uid = m.uid AND f.kind = 'product') \
         ORDER BY m.uid LIMIT 1",
    );
    let (pi, secret_fits, secret_readme, public_fits) =
        (&private[2], &private[3], &private[4], &public[1]);
    server.create_user(pi, "pi-password-1", false);
    server.create_user("stranger", "stranger-password", false);
    let as_pi = basic(pi, "pi-password-1");
    let as_stranger = basic("stranger", "stranger-password");

    // the PI's request: two proprietary files and a public one, and an address to tell
    let (status, made) = call(
        &server,
        "POST",
        "/requests",
        Some(&as_pi),
        &[
            ("file", secret_fits),
            ("file", secret_readme),
            ("file", public_fits),
            ("email", "pi@example.org"),
        ],
    );
    assert_eq!(status, 201, "{made}");
    let made: serde_json::Value = serde_json::from_str(&made).unwrap();
    let id = made["id"].as_str().unwrap().to_string();
    assert!(made["links"]["page"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/#request={id}")));

    // prepared, and the PI told
    let started = std::time::Instant::now();
    let listing: serde_json::Value = loop {
        let (status, body) = call(
            &server,
            "GET",
            &format!("/requests/{id}"),
            Some(&as_pi),
            &[],
        );
        assert_eq!(status, 200, "{body}");
        let listing: serde_json::Value = serde_json::from_str(&body).unwrap();
        if listing["notified_at"].is_string() || listing["notify_error"].is_string() {
            break listing;
        }
        assert!(started.elapsed().as_secs() < 60, "not ready: {listing}");
        std::thread::sleep(std::time::Duration::from_millis(300));
    };
    assert_eq!(
        listing["notify_error"],
        serde_json::Value::Null,
        "{listing}"
    );
    assert_eq!(listing["owner"], pi.as_str());
    assert_eq!(listing["totals"]["files"], 3);
    assert_eq!(
        listing["totals"]["downloadable_files"], 3,
        "the PI may have all three"
    );
    // along the hierarchy, the proprietary member OUS under its project
    let project = listing["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["project_code"] == private[1].as_str())
        .unwrap_or_else(|| panic!("{listing}"));
    let member = &project["science_goals"][0]["group_ouses"][0]["member_ouses"][0];
    assert_eq!(member["uid"], private[0].as_str(), "{listing}");
    assert!(member["schedblock_name"].is_string() && member["qa2_status"].is_string());
    let classes: Vec<&str> = member["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["class"].as_str().unwrap())
        .collect();
    assert_eq!(classes, ["readme", "products"], "{member}");
    // nobody else sees it
    assert_eq!(
        call(&server, "GET", &format!("/requests/{id}"), None, &[]).0,
        401
    );
    assert_eq!(
        call(
            &server,
            "GET",
            &format!("/requests/{id}"),
            Some(&as_stranger),
            &[]
        )
        .0,
        403
    );

    // the e-mail, with the request's link
    let messages = mailbox.lock().unwrap().clone();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("To: pi@example.org"),
        "{}",
        messages[0]
    );
    let body = quoted_printable(&messages[0]);
    assert!(body.contains(&format!("/#request={id}")), "{body}");

    // the script: only for the PI, exactly these files, no credentials in it
    assert_eq!(
        call(
            &server,
            "GET",
            &format!("/dataPortal/script?request={id}"),
            Some(&as_stranger),
            &[]
        )
        .0,
        403
    );
    let (status, script) = call(
        &server,
        "GET",
        &format!("/dataPortal/script?request={id}"),
        Some(&as_pi),
        &[],
    );
    assert_eq!(status, 200, "{script}");
    assert!(
        !script.contains("pi-password-1") && !script.contains("Basic "),
        "{script}"
    );
    let signed: Vec<&str> = script
        .lines()
        .filter(|l| l.contains("signature="))
        .map(|l| l.trim_matches('"').split('|').next().unwrap())
        .collect();
    assert_eq!(
        signed.len(),
        2,
        "the two proprietary files are signed: {script}"
    );
    let got = common::run_download_script(&script);
    let mut wanted = vec![
        secret_fits.clone(),
        secret_readme.clone(),
        public_fits.clone(),
    ];
    wanted.sort();
    assert_eq!(got, wanted, "exactly the requested files");

    // a signed URL: good as it is, refused altered, and refused once expired
    let url = signed[0].strip_prefix(&server.base()).unwrap();
    assert_eq!(server.get_bytes(url).0, 200);
    let altered = url.replace(&format!("user={pi}"), "user=stranger");
    let (status, refusal) = server.get(&altered);
    assert_eq!(status, 403, "{refusal}");
    assert!(refusal.contains("signature does not match"), "{refusal}");
    // nor is it another signed-in user's
    let (status, refusal) = call(&server, "GET", url, Some(&as_stranger), &[]);
    assert_eq!(status, 403, "{refusal}");
    assert!(
        refusal.contains(&format!("signed for {pi}")) && refusal.contains("as stranger"),
        "{refusal}"
    );
    let other_file = url.replace(secret_fits, secret_readme);
    if other_file != url {
        assert_eq!(
            server.get(&other_file).0,
            403,
            "a signature is for its file only"
        );
    }

    // another user's request of the same proprietary file leaves it out of the script
    let (status, theirs) = call(
        &server,
        "POST",
        "/requests",
        Some(&as_stranger),
        &[("file", secret_fits), ("file", public_fits)],
    );
    assert_eq!(status, 201, "{theirs}");
    let theirs: serde_json::Value = serde_json::from_str(&theirs).unwrap();
    let their_id = theirs["id"].as_str().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (status, their_script) = call(
        &server,
        "GET",
        &format!("/dataPortal/script?request={their_id}"),
        Some(&as_stranger),
        &[],
    );
    assert_eq!(status, 200, "{their_script}");
    assert!(!their_script.contains("signature="), "{their_script}");
    assert!(
        their_script.contains(&format!("# not included: {secret_fits} (proprietary until")),
        "{their_script}"
    );

    // bad requests are refused with the reason
    let (status, error) = call(
        &server,
        "POST",
        "/requests",
        None,
        &[("file", "no-such-file.fits")],
    );
    assert_eq!(status, 400);
    assert!(error.contains("no file no-such-file.fits"), "{error}");
    let (status, error) = call(
        &server,
        "POST",
        "/requests",
        None,
        &[("file", public_fits), ("email", "not an address")],
    );
    assert_eq!(status, 400);
    assert!(error.contains("not an e-mail address"), "{error}");

    // the signed URL expires
    std::thread::sleep(std::time::Duration::from_secs(21));
    let (status, expired) = server.get(url);
    assert_eq!(status, 403, "{expired}");
    assert!(expired.contains("expired"), "{expired}");
}
