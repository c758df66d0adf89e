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

/// The manual's order for the labels' redshift past the PI's value and ALMA's other
/// observations: the shipped catalogue (OpenNGC's redshift of the observation's best-matching
/// object). A cube's ZSOURCE is blanked and its source's science goals lose their redshifts;
/// its survey then labels at the catalogue's redshift and says so.
#[test]
fn without_the_pi_s_value_or_other_observations_the_catalogue_gives_the_redshift() {
    std::env::var("VO_REFERENCE_DIR")
        .expect("VO_REFERENCE_DIR names the spectral reference directory");
    let catalogue = std::env::var("VO_NAMES_CATALOGUE").expect(
        "VO_NAMES_CATALOGUE names the OpenNGC catalogue file (deploy/test writes it with deploy/openngc.py)",
    );
    let server = DemoServer::start_full(600, 0, &format!("[names]\ncatalogue = \"{catalogue}\"\n"));
    // the server finds the catalogue's objects in the footprints in the background
    let started = std::time::Instant::now();
    let chosen = loop {
        let found = server.psql(
            "SELECT f.name || ' ' || f.path || ' ' || o.target_name || ' ' || c.name || ' ' || c.redshift \
             FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
             JOIN ivoa.obscore o ON o.member_ous_uid = m.uid \
             JOIN alma.object_in_footprint b ON b.footprint_obs_id = o.obs_id AND b.best_match = 1 \
             JOIN archive.catalogue_object c ON c.name = b.object_name AND c.redshift IS NOT NULL \
             WHERE f.name LIKE '%\\_sci.spw%.cube.I.pbcor.fits' AND m.release_date <= now() \
             ORDER BY b.score DESC, f.name LIMIT 1",
        );
        if !found.trim().is_empty() {
            break found;
        }
        assert!(
            started.elapsed().as_secs() < 120,
            "no released cube of a catalogued object with a redshift"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    let parts: Vec<&str> = chosen.split_whitespace().collect();
    let (cube, path, target, object, z) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
    let z: f64 = z.parse().unwrap();
    // the PI's value gone: ZSOURCE becomes a comment card of the same length
    let file = server.dir.path().join(path);
    let mut bytes = std::fs::read(&file).unwrap();
    let card = bytes
        .chunks(80)
        .position(|c| c.starts_with(b"ZSOURCE "))
        .expect("the demo's cubes carry ZSOURCE");
    bytes[card * 80..card * 80 + 80]
        .copy_from_slice(format!("{:<80}", "COMMENT the PI gave no redshift").as_bytes());
    std::fs::write(&file, &bytes).unwrap();
    // and no other ALMA observation of the source has one
    server.psql(&format!(
        "UPDATE archive.science_goal SET redshift = NULL WHERE uid IN (\
           SELECT g.science_goal_uid FROM archive.group_ous g JOIN archive.member_ous m ON m.group_ous_uid = g.uid \
           JOIN ivoa.obscore o ON o.member_ous_uid = m.uid WHERE o.target_name = '{target}')"
    ));
    let (status, body) = server.get(&format!("/preview/{cube}/lines.json"));
    assert_eq!(status, 200, "{body}");
    let survey: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        survey["redshift"]["from"],
        format!("the catalogue (OpenNGC): {object}"),
        "{}",
        survey["redshift"]
    );
    assert!((survey["redshift"]["z"].as_f64().unwrap() - z).abs() < 1e-9);
}
