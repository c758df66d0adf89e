//! The web query page end to end: conformance/web/page.mjs drives Debian's Chromium with
//! playwright-core through what a new user does (type a position, see rows, sort, open a
//! footprint, export CSV, send the answer over SAMP, request files, fetch a download script,
//! open a cube in the viewer, and more), and checks that every request the page makes goes
//! to the service (or to a SAMP hub on this computer). Screenshots are kept in
//! target/test-artifacts/web.

use crate::common;

use common::{run_with, DemoServer};

#[test]
fn a_new_user_queries_in_the_browser() {
    let server = DemoServer::start_full(2000, 12, "");
    // a public member OUS with product files whose footprint no other member OUS's touches
    // (so that a point on its outline is its own), and where it is
    let found = server.psql(
        "SELECT o.member_ous_uid || ' ' || o.s_ra || ' ' || o.s_dec FROM ivoa.obscore o \
         WHERE o.data_rights = 'Public' AND o.science_observation = 'T' AND EXISTS \
         (SELECT 1 FROM archive.file f WHERE f.member_ous_uid = o.member_ous_uid AND f.kind = 'product') \
         AND NOT EXISTS (SELECT 1 FROM ivoa.obscore x WHERE x.member_ous_uid <> o.member_ous_uid \
              AND abs(x.s_dec - o.s_dec) < x.s_fov + o.s_fov \
              AND abs(x.s_ra - o.s_ra) * cos(radians(o.s_dec)) < x.s_fov + o.s_fov) \
         ORDER BY o.obs_id LIMIT 1",
    );
    let mut parts = found.split_whitespace();
    let (mous, ra, dec) = (
        parts.next().expect("a public member OUS with files"),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    // the similar-images view needs the images measured
    server.images_measured();
    // an account to sign in with in the Request Handler
    server.create_user("visitor", "visitor-password", false);
    let artifacts =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts/web");
    // node (Debian package nodejs) drives the browser
    let text = run_with(
        "node",
        &server,
        "web/page.mjs",
        &[
            &artifacts.to_string_lossy(),
            ra,
            dec,
            mous,
            "visitor:visitor-password",
            &common::python(),
        ],
    );
    println!("{text}");
    assert!(text.contains("checks passed"), "{text}");
    for shot in [
        "02-position",
        "03-footprint",
        "05-files",
        "08-similar-images",
        "10-cube-viewer",
        "12-1280x800",
        "12-1920x1080",
    ] {
        assert!(
            artifacts.join(format!("{shot}.png")).is_file(),
            "screenshot {shot} kept"
        );
    }

    // the script of the request the page made: run, it fetches exactly the chosen files
    let request: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(artifacts.join("request.json")).unwrap())
            .unwrap();
    let mut chosen: Vec<String> = request["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    chosen.sort();
    let fetched = common::run_download_script(
        &std::fs::read_to_string(artifacts.join("request.sh")).unwrap(),
    );
    assert_eq!(
        fetched, chosen,
        "the request's script fetched exactly the chosen files"
    );

    // the calendar reminder the page downloaded: one event at the row's release date (UTC),
    // with an alarm, read by a calendar library
    let ics = std::fs::read_to_string(artifacts.join("release.ics")).unwrap();
    let row: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(artifacts.join("release.json")).unwrap())
            .unwrap();
    let calendar: icalendar::Calendar = ics.parse().unwrap_or_else(|e| panic!("{e}: {ics}"));
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 1, "{ics}");
    use icalendar::Component;
    let start = match events[0].get_start() {
        Some(icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(at))) => at,
        other => panic!("the event starts at a UTC time, not {other:?}"),
    };
    let date = row["date"].as_str().unwrap();
    assert_eq!(start.format("%Y-%m-%d").to_string(), date, "{ics}");
    let mous = row["mous"].as_str().unwrap();
    let uid = events[0].get_uid().unwrap();
    assert!(
        uid.starts_with("release-") && uid.contains(&mous.replace(['/', ':'], "-")),
        "{uid}"
    );
    let unfolded = icalendar::parser::unfold(&ics);
    let parsed = icalendar::parser::read_calendar(&unfolded).unwrap();
    let alarms: usize = parsed
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|c| {
            c.components
                .iter()
                .filter(|a| a.name.as_str() == "VALARM")
                .count()
        })
        .sum();
    assert_eq!(alarms, 1, "one alarm: {ics}");
    // the same reminder asked again has the same UID (importing it twice updates it)
    let (status, again) = server.get(&format!("/calendar/release.ics?mous={mous}"));
    assert_eq!(status, 200);
    assert!(again.contains(&format!("UID:{uid}")), "{again}");
    let (status, error) = server.get("/calendar/release.ics?mous=nonsense");
    assert_eq!(status, 400, "{error}");
    assert!(
        error.contains("nonsense") && error.contains("is not a member OUS uid"),
        "{error}"
    );

    // the page's own files: embedded, with ETags, and a policy that names only this service
    let page = ureq::get(&server.url("/")).call().expect("the page");
    let policy = page.header("content-security-policy").unwrap_or_default();
    assert!(policy.starts_with("default-src 'self'"), "{policy}");
    let etag = page.header("etag").unwrap_or_default();
    assert!(etag.starts_with('"'), "{etag}");
    let (status, body) = server.get("/web/no-such-file.js");
    assert_eq!(status, 404, "{body}");
    let (status, config) = server.get("/web/config.json");
    assert_eq!(status, 200);
    assert!(
        config.contains("\"max_rows\":2000") && config.contains("\"hips_url\":null"),
        "{config}"
    );
}

/// Names and common forms in the form (conformance/web/names.mjs): names in the position
/// field resolved by the service, "ra, dec", Galactic positions, B6 / GHz / arcsec / a year;
/// an unknown name or an invalid value stops the query and says why.
#[test]
fn the_form_finds_targets_by_name_and_never_drops_a_constraint() {
    let catalogue = std::env::var("VO_NAMES_CATALOGUE").expect(
        "VO_NAMES_CATALOGUE names the OpenNGC catalogue file (deploy/test writes it with deploy/openngc.py)",
    );
    let server = DemoServer::start(3000, 0, &format!("[names]\ncatalogue = \"{catalogue}\"\n"));
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/test-artifacts/web-names");
    let text = run_with(
        "node",
        &server,
        "web/names.mjs",
        &[&artifacts.to_string_lossy()],
    );
    println!("{text}");
    assert!(text.contains("checks passed"), "{text}");
}

/// The spectral coverage view (conformance/web/spectra.mjs): every observation drawn, the
/// atmosphere at the answer's median PWV, the lines at its median redshift (CO 2–1 in band 6
/// for a nearby source), PWV and redshift changed by the user, zoom, the Lines filter, the
/// searched frequency.
#[test]
fn the_spectral_view_shows_lines_and_atmosphere() {
    std::env::var("VO_REFERENCE_DIR").expect(
        "VO_REFERENCE_DIR names the spectral reference directory (deploy/test writes it with deploy/spectra.py)",
    );
    let server = DemoServer::start(3000, 0, "");
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/test-artifacts/web-spectra");
    let text = run_with(
        "node",
        &server,
        "web/spectra.mjs",
        &[&artifacts.to_string_lossy()],
    );
    println!("{text}");
    assert!(text.contains("checks passed"), "{text}");
}

/// A PI's request of proprietary files in the browser (conformance/web/request.mjs): the
/// files become downloadable once the PI signs in in the page; the request's script carries
/// URLs signed for the PI and no credentials; a signed URL downloads, and fails altered, for
/// another signed-in user and once expired; the other user cannot open the request; the
/// notification e-mail with the request's link arrives at a local SMTP sink.
#[test]
fn a_pi_requests_proprietary_files_in_the_browser() {
    let (smtp, mailbox) = common::smtp::smtp_sink();
    let expiry = 15;
    let server = DemoServer::start_full(
        400,
        0,
        &format!(
            "[notify]\nsmtp_relay = \"127.0.0.1:{smtp}\"\nfrom = \"ALMA archive <archive@example.org>\"\n\
             [access]\nsigned_url_seconds = {expiry}\n"
        ),
    );
    let found = server.psql(
        "SELECT m.uid || ' ' || p.pi_userid FROM archive.member_ous m \
         JOIN archive.project p ON p.code = m.project_code \
         WHERE m.release_date > now() AND EXISTS \
           (SELECT 1 FROM archive.file f WHERE f.member_ous_uid = m.uid AND f.kind = 'product') \
         ORDER BY m.uid LIMIT 1",
    );
    let mut parts = found.split_whitespace();
    let (mous, pi) = (
        parts.next().expect("a proprietary member OUS with files"),
        parts.next().expect("its PI"),
    );
    server.create_user(pi, "pi-password-1", false);
    server.create_user("stranger", "stranger-password", false);
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/test-artifacts/web-request");
    let text = run_with(
        "node",
        &server,
        "web/request.mjs",
        &[
            &artifacts.to_string_lossy(),
            mous,
            &format!("{pi}:pi-password-1"),
            "stranger:stranger-password",
            &expiry.to_string(),
        ],
    );
    println!("{text}");
    assert!(text.contains("checks passed"), "{text}");

    // the notification, with the request's link
    let request: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(artifacts.join("request.json")).unwrap())
            .unwrap();
    let id = request["id"].as_str().unwrap();
    let started = std::time::Instant::now();
    let message = loop {
        if let Some(m) = mailbox.lock().unwrap().first() {
            break m.clone();
        }
        assert!(started.elapsed().as_secs() < 60, "no e-mail arrived");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(message.contains("To: pi@example.org"), "{message}");
    let body = common::smtp::quoted_printable(&message);
    assert!(body.contains(&format!("/#request={id}")), "{body}");
}
