//! The ADMIT-style line survey over HTTP: `/preview/{cube}/lines.json` lists the lines found
//! with tentative labels from the archive's line list at the PI's redshift, and
//! `moment0.png`/`moment1.png` draw the strongest; the server surveys released cubes before
//! anyone asks; a continuum image has no survey, a proprietary cube is not surveyed for
//! anyone.

use crate::common;

use common::DemoServer;

#[test]
fn cubes_have_their_lines_found_and_labelled() {
    std::env::var("VO_REFERENCE_DIR").expect(
        "VO_REFERENCE_DIR names the spectral reference directory (deploy/test writes it with deploy/spectra.py)",
    );
    let server = DemoServer::start_full(600, 0, "");
    // the queue surveys released cubes before anyone asks
    let last = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.name LIKE '%\\_sci.spw%.cube.I.pbcor.fits' AND m.release_date <= now() ORDER BY f.name DESC LIMIT 1",
    );
    let cached = server
        .dir
        .path()
        .join("previews")
        .join(last.trim())
        .join("lines.json");
    let started = std::time::Instant::now();
    while !cached.is_file() {
        assert!(
            started.elapsed().as_secs() < 120,
            "{} was not surveyed",
            last.trim()
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let public_cubes = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.name LIKE '%\\_sci.spw%.cube.I.pbcor.fits' AND m.release_date <= now() ORDER BY f.name LIMIT 12",
    );
    let mut labelled = 0;
    for name in public_cubes.lines().map(str::trim) {
        let (status, body) = server.get(&format!("/preview/{name}/lines.json"));
        assert_eq!(status, 200, "{name}: {body}");
        let survey: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(survey["note"].as_str().unwrap().contains("tentative"));
        let channels = survey["channels"].as_u64().unwrap() as usize;
        assert_eq!(survey["frequency_ghz"].as_array().unwrap().len(), channels);
        assert_eq!(survey["spectra"].as_array().unwrap().len(), 3);
        let lines = survey["lines"].as_array().unwrap();
        for line in lines {
            if let Some(label) = line["label"].as_object() {
                labelled += 1;
                assert!(label["offset_kms"].as_f64().unwrap().abs() <= 300.0 + 1e-6);
                assert_eq!(label["tentative"], true);
            }
        }
        if !lines.is_empty() {
            assert_eq!(survey["redshift"]["from"], "the PI's redshift (ZSOURCE)");
            for which in ["moment0.png", "moment1.png"] {
                let (status, png) = server.get_bytes(&format!("/preview/{name}/{which}"));
                assert_eq!(status, 200, "{name} {which}");
                assert!(png.starts_with(b"\x89PNG"), "{which}");
            }
            // made once, then served from the cache, byte for byte
            let (_, again) = server.get(&format!("/preview/{name}/lines.json"));
            assert_eq!(again, body);
        }
    }
    assert!(labelled > 0, "no labelled line in the first public cubes");
    // a continuum image has no line survey
    let continuum = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.name LIKE '%\\_sci.spw%.cont.I.pbcor.fits' AND m.release_date <= now() ORDER BY f.name LIMIT 1",
    );
    let (status, body) = server.get(&format!("/preview/{}/lines.json", continuum.trim()));
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("8 channels or more"), "{body}");
    // a proprietary cube: not for an anonymous caller
    let proprietary = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.name LIKE '%.cube.I.pbcor.fits' AND m.release_date > now() ORDER BY f.name LIMIT 1",
    );
    if !proprietary.trim().is_empty() {
        let (status, body) = server.get(&format!("/preview/{}/lines.json", proprietary.trim()));
        assert_eq!(status, 401, "{body}");
    }
    let (status, body) = server.get(&format!("/preview/{}/moment2.png", continuum.trim()));
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("lines.json"), "{body}");
}
