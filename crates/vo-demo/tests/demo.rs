//! The demo archive: deterministic for a seed, loads completely, and its FITS files carry a
//! WCS that astropy reads the same way the ingest derivation does.

use chrono::{TimeZone, Utc};
use std::path::Path;
use vo_catalogue::Catalogue;
use vo_db::testing::{strings, TestCluster};
use vo_demo::{
    generate, load_archive, obscore_rows, planned_files, redraw, write_files, DemoConfig,
    FilesOnAccess, SmallFiles,
};

fn config(seed: u64) -> DemoConfig {
    DemoConfig {
        seed,
        rows: 400,
        file_mous: 3,
        small_files: SmallFiles::Written,
        now: Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap(),
        public_url: "http://127.0.0.1:8080".into(),
    }
}

#[test]
fn same_seed_same_archive() {
    let catalogue = Catalogue::builtin();
    let a: Vec<_> = obscore_rows(&generate(config(7)), catalogue.obscore())
        .map(|r| r.cells)
        .collect();
    let b: Vec<_> = obscore_rows(&generate(config(7)), catalogue.obscore())
        .map(|r| r.cells)
        .collect();
    let c: Vec<_> = obscore_rows(&generate(config(8)), catalogue.obscore())
        .map(|r| r.cells)
        .collect();
    assert!(a.len() >= 400);
    assert_eq!(a, b);
    assert_ne!(a, c);
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let files_a = write_files(&generate(config(7)), dir_a.path()).unwrap();
    let files_b = write_files(&generate(config(7)), dir_b.path()).unwrap();
    assert_eq!(
        files_a, files_b,
        "files are byte-identical (same checksums)"
    );
}

#[tokio::test]
async fn demo_loads_with_alma_shapes_and_valid_fits() {
    let db = TestCluster::start().await;
    let mut client = db.client().await;
    let catalogue = Catalogue::builtin();
    let archive = generate(config(42));
    let dir = tempfile::tempdir().unwrap();
    let files = write_files(&archive, dir.path()).unwrap();
    let report = load_archive(&mut client, &archive, &files, &catalogue, &mut |_| {})
        .await
        .unwrap();
    assert!(report.rows.inserted >= 400);
    // loading again replaces, never duplicates
    let again = load_archive(&mut client, &archive, &files, &catalogue, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(again.rows.inserted, 0);
    assert_eq!(again.rows.updated, report.rows.inserted);

    let one = |sql: &'static str| {
        let client = &client;
        async move { client.query_one(sql, &[]).await.unwrap() }
    };
    // every column is filled in some row (publication_year only for published projects), but
    // the two that ALMA's data give no value: creators' identifiers, and source tables of an
    // ObsCore view (the rows live in ivoa.obscore itself)
    for column in catalogue
        .obscore()
        .columns
        .iter()
        .filter(|c| !["obs_creator_did", "source_table"].contains(&c.name.as_str()))
    {
        let sql = format!("SELECT count({}) FROM ivoa.obscore", column.sql_name());
        let filled: i64 = client.query_one(sql.as_str(), &[]).await.unwrap().get(0);
        assert!(filled > 0, "column {} is never filled", column.name);
    }
    // as generated (at the archive's reference time) some data are still proprietary …
    let rights_column = catalogue
        .obscore()
        .columns
        .iter()
        .position(|c| c.name == "data_rights")
        .unwrap();
    let mut generated: Vec<String> = obscore_rows(&archive, catalogue.obscore())
        .filter_map(|r| r.cells[rights_column].clone())
        .collect();
    generated.sort();
    generated.dedup();
    assert_eq!(generated, ["Proprietary", "Public"]);
    // … and once loaded, the release clock says what they are now, from the member OUSes'
    // release dates (the reference time is in the past, so more are public by now)
    let agree: bool = one(
        "SELECT bool_and((o.data_rights = 'Public') = (m.release_date <= now())) \
         FROM ivoa.obscore o JOIN archive.member_ous m ON m.uid = o.member_ous_uid",
    )
    .await
    .get(0);
    assert!(agree, "data_rights follows the release dates");
    // the manual's "publication count 0 and public data only": public data not yet
    // published are there, as are published ones
    let row = one(
        "SELECT count(*) FILTER (WHERE data_rights = 'Public' AND coalesce(bib_reference, '') = ''), \
                count(*) FILTER (WHERE coalesce(bib_reference, '') <> '') FROM ivoa.obscore",
    )
    .await;
    let (unpublished, published): (i64, i64) = (row.get(0), row.get(1));
    assert!(
        unpublished > 0 && published > 0,
        "{unpublished} {published}"
    );
    let codes_ok: bool = one(
        "SELECT bool_and(proposal_id ~ '^[0-9]{4}\\.[0-9A]\\.[0-9]{5}\\.[A-Z]$') FROM ivoa.obscore",
    )
    .await
    .get(0);
    assert!(codes_ok);
    // frequency_support: ALMA's exact window format, and the row's own window is listed (ALminer's match)
    let supports: Vec<(String, f64, f64)> = client
        .query(
            "SELECT frequency_support, em_min, em_max FROM ivoa.obscore",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    for (support, em_min, em_max) in &supports {
        for window in support.split(" U ") {
            assert!(
                window.starts_with('[')
                    && window.ends_with(']')
                    && window.contains("GHz,")
                    && window.contains("kHz,")
                    && window.contains("@10km/s,")
                    && window.contains("@native, "),
                "{window}"
            );
        }
        let own = format!(
            "[{:.2}..{:.2}GHz",
            299_792_458.0 / em_max / 1e9,
            299_792_458.0 / em_min / 1e9
        );
        assert!(support.contains(&own), "{own} not in {support}");
    }
    let bands_ok: bool = one("SELECT bool_and(band_list ~ '^([1-9]|10)$') FROM ivoa.obscore")
        .await
        .get(0);
    assert!(bands_ok);
    let dates_ok: bool = one("SELECT bool_and(obs_release_date ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$' AND \"lastModified\" ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$') FROM ivoa.obscore").await.get(0);
    assert!(dates_ok);
    let shapes: Vec<String> = strings(
        &client,
        "SELECT DISTINCT split_part(s_region, ' ', 1) FROM ivoa.obscore ORDER BY 1",
    )
    .await;
    assert!(
        shapes.contains(&"Circle".to_string()) && shapes.contains(&"Polygon".to_string()),
        "{shapes:?}"
    );
    // each row's centre lies inside its own footprint's bounding circle
    let centred: bool = one("SELECT bool_and(s_point @ s_region_bound) FROM ivoa.obscore")
        .await
        .get(0);
    assert!(centred);
    // files: packages, products inside them, raw data, README; all on disk with the registered size
    let kinds: Vec<String> =
        strings(&client, "SELECT DISTINCT kind FROM archive.file ORDER BY 1").await;
    assert_eq!(
        kinds,
        [
            "auxiliary",
            "auxiliary-package",
            "product",
            "product-package",
            "raw-package",
            "readme"
        ]
    );
    for row in client
        .query(
            "SELECT path, size_bytes FROM archive.file WHERE path IS NOT NULL",
            &[],
        )
        .await
        .unwrap()
    {
        let (path, size): (String, i64) = (row.get(0), row.get(1));
        assert_eq!(
            std::fs::metadata(dir.path().join(&path)).unwrap().len() as i64,
            size,
            "{path}"
        );
    }

    // FITS: derive each product as `ingest fits` would, and let astropy check the same numbers
    let products: Vec<String> = strings(
        &client,
        "SELECT path FROM archive.file WHERE kind = 'product'",
    )
    .await;
    assert!(products.len() >= 3);
    let mut checks = Vec::new();
    for rel in &products {
        let path = dir.path().join(rel);
        let (row, record) = vo_ingest::derive_from_fits(
            catalogue.obscore(),
            &path,
            &dir.path().join("products"),
            "http://x",
            Utc::now(),
        )
        .unwrap();
        assert_eq!(record.sha256.as_deref().map(str::len), Some(64));
        let get = |name: &str| {
            let i = catalogue
                .obscore()
                .columns
                .iter()
                .position(|c| c.name == name)
                .unwrap();
            row.cells[i].clone()
        };
        checks.push(format!(
            "{{\"path\": {:?}, \"s_ra\": {}, \"s_dec\": {}, \"s_region\": {:?}, \"em_min\": {}, \"em_max\": {}, \"target_name\": {:?}}}",
            path.display().to_string(),
            get("s_ra").unwrap(),
            get("s_dec").unwrap(),
            get("s_region").unwrap(),
            get("em_min").unwrap(),
            get("em_max").unwrap(),
            get("target_name").unwrap()
        ));
        // and the derived position is the one the rows say for that source
        let obs_id = get("obs_id").unwrap();
        if !obs_id.ends_with(".cont") {
            let r = client
                .query_one(
                    "SELECT s_ra, s_dec, em_min, em_max FROM ivoa.obscore WHERE obs_id = $1",
                    &[&obs_id],
                )
                .await
                .unwrap();
            let (ra, dec, em_min, em_max): (f64, f64, f64, f64) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            assert!(
                (ra - get("s_ra").unwrap().parse::<f64>().unwrap()).abs() < 1e-6,
                "{obs_id}: row s_ra {ra} vs derived {:?}",
                get("s_ra")
            );
            assert!(
                (dec - get("s_dec").unwrap().parse::<f64>().unwrap()).abs() < 1e-6,
                "{obs_id}"
            );
            assert!(
                (em_min / get("em_min").unwrap().parse::<f64>().unwrap() - 1.0).abs() < 1e-9,
                "{obs_id}: row em_min {em_min} vs derived {:?}",
                get("em_min")
            );
            assert!(
                (em_max / get("em_max").unwrap().parse::<f64>().unwrap() - 1.0).abs() < 1e-9,
                "{obs_id}"
            );
        }
    }
    let manifest = dir.path().join("derived.json");
    std::fs::write(&manifest, format!("[{}]", checks.join(",\n"))).unwrap();
    let python = std::env::var("VO_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../conformance/astropy/check_fits_derivation.py");
    let output = std::process::Command::new(&python)
        .arg(&script)
        .arg(&manifest)
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "astropy check failed (deploy/test provides a Python with astropy as VO_PYTHON):\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout)
        .contains(&format!("checked {} files", products.len())));
}

/// Every delivered member OUS has its delivery (small products, large for `file_mous` of
/// them; none while in progress or in QA3), and
/// each cube carries its lines where the source's redshift puts them: the brightest line
/// channel of every cube that covers a line of `LINES` is within one channel of a line's
/// rest frequency divided by (1 + z), the redshift the FITS header (ZSOURCE) and the model
/// state. The assembled packages' registered checksums are those of the tars they make.
#[test]
fn every_member_has_files_and_cubes_carry_their_lines() {
    let archive = generate(config(11));
    let dir = tempfile::tempdir().unwrap();
    let files = write_files(&archive, dir.path()).unwrap();
    let members: Vec<_> = archive.members().collect();
    for (_, m) in &members {
        let mine: Vec<_> = files.iter().filter(|f| f.member_ous_uid == m.uid).collect();
        if m.delivery != vo_demo::Delivery::Delivered {
            assert!(
                mine.is_empty(),
                "{} is {:?} yet has files",
                m.uid,
                m.delivery
            );
            continue;
        }
        for kind in [
            "readme",
            "product-package",
            "auxiliary-package",
            "raw-package",
            "product",
        ] {
            assert!(
                mine.iter().any(|f| f.kind == kind),
                "{} has no {kind}",
                m.uid
            );
        }
    }
    assert_eq!(members.iter().filter(|(_, m)| m.large_files).count(), 3);
    // the delivery's README states the sources' velocity and redshift
    let (_, first) = members.iter().find(|(_, m)| m.has_files).unwrap();
    let readme = files
        .iter()
        .find(|f| f.member_ous_uid == first.uid && f.kind == "readme")
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join(readme.path.as_ref().unwrap())).unwrap();
    assert!(
        text.contains(&format!("redshift z = {:.6}", first.redshift)),
        "{text}"
    );

    let (mut cubes_with_lines, mut checked) = (0, 0);
    for (_, m) in &members {
        for f in files
            .iter()
            .filter(|f| f.member_ous_uid == m.uid && f.name.contains(".cube."))
        {
            let path = dir.path().join(f.path.as_ref().unwrap());
            let image = vo_fits::MappedImage::open(&path, vo_fits::ImageHdu::Primary).unwrap();
            let header = image.header();
            let z = header.float("ZSOURCE").unwrap();
            assert!((z - m.redshift).abs() < 1e-12, "{}", f.name);
            let (nx, ny, nc) = (image.axes()[0], image.axes()[1], image.axes()[2]);
            let (first, step) = (
                header.float("CRVAL3").unwrap() / 1e9,
                header.float("CDELT3").unwrap() / 1e9,
            );
            let (lo, hi) = (first - step / 2.0, first + step * (nc as f64 - 0.5));
            let lines: Vec<f64> = vo_demo::lines_between(lo, hi, z).map(|(_, f)| f).collect();
            if lines.is_empty() {
                continue;
            }
            cubes_with_lines += 1;
            let mut values = vec![0f32; nx * ny * nc];
            image.samples().decode(image.data(), &mut values);
            // per pixel, the excess over its median channel; the channel of the largest excess
            let mut best = (0usize, f32::MIN);
            let mut best_pixel = 0;
            let mut medians = vec![0f32; nx * ny];
            for p in 0..nx * ny {
                let mut spectrum: Vec<f32> = (0..nc).map(|k| values[k * nx * ny + p]).collect();
                let original = spectrum.clone();
                spectrum.sort_by(f32::total_cmp);
                let median = spectrum[nc / 2];
                medians[p] = median;
                for (k, v) in original.iter().enumerate() {
                    if v - median > best.1 {
                        best = (k, v - median);
                        best_pixel = p;
                    }
                }
            }
            // the line's centre: the intensity-weighted channel over the channels around the
            // brightest one that are above half its excess, at the pixel where it peaks
            let pixel = best_pixel;
            let spectrum: Vec<f64> = (0..nc)
                .map(|k| (values[k * nx * ny + pixel] - medians[pixel]) as f64)
                .collect();
            let half = spectrum[best.0] / 2.0;
            let (mut from, mut to) = (best.0, best.0);
            while from > 0 && spectrum[from - 1] > half {
                from -= 1;
            }
            while to + 1 < nc && spectrum[to + 1] > half {
                to += 1;
            }
            let weight: f64 = spectrum[from..=to].iter().sum();
            let channel: f64 = (from..=to).map(|k| k as f64 * spectrum[k]).sum::<f64>() / weight;
            let centre_ghz = first + channel * step;
            assert!(
                lines.iter().any(|f| (f - centre_ghz).abs() <= step),
                "{}: the brightest line is centred at {centre_ghz} GHz, lines at {lines:?} (z = {z})",
                f.name
            );
            checked += 1;
        }
    }
    println!("{checked} cubes with lines checked");
    assert!(
        cubes_with_lines >= 20,
        "only {cubes_with_lines} cubes cover a line"
    );
    assert_eq!(checked, cubes_with_lines);

    for package in files
        .iter()
        .filter(|f| f.kind.ends_with("-package") && f.path.is_none())
    {
        let entries = files
            .iter()
            .filter(|f| f.package_name.as_deref() == Some(package.name.as_str()))
            .map(|f| vo_archive::PackageEntry {
                path: f.path.clone().unwrap().into(),
                size: f.size_bytes as u64,
            })
            .collect();
        let layout = vo_archive::PackageLayout::new(entries);
        let mut tar = Vec::new();
        layout.write(dir.path(), &mut tar).unwrap();
        assert_eq!(tar.len() as i64, package.size_bytes);
        use sha2::Digest;
        assert_eq!(
            format!("{:x}", sha2::Sha256::digest(&tar)),
            package.sha256.clone().unwrap()
        );
    }
}

/// ALMA's states are in the demo, in the proportions the README gives (3,000 rows, seed
/// 2026, reference time 2025-06-01): member OUSes "In progress" (observed in the last four
/// months, not delivered: no files) and "In QA3" (withdrawn: no files), SemiPass execution
/// blocks, DDT projects without a proprietary period, Large Programs, ToO projects, and
/// publications for about 40% of projects.
#[test]
fn alma_states_are_in_the_demo() {
    let archive = generate(DemoConfig {
        rows: 3000,
        ..config(2026)
    });
    let members: Vec<_> = archive.members().collect();
    let count = |d: vo_demo::Delivery| members.iter().filter(|(_, m)| m.delivery == d).count();
    let (in_progress, in_qa3) = (
        count(vo_demo::Delivery::InProgress),
        count(vo_demo::Delivery::InQa3),
    );
    let ebs: Vec<_> = members.iter().flat_map(|(_, m)| m.ebs.iter()).collect();
    let semipass = ebs.iter().filter(|e| e.qa0 == "SemiPass").count();
    let projects = archive.projects.len();
    let ddt: Vec<_> = archive.projects.iter().filter(|p| p.is_ddt).collect();
    let kind = |k: &str| {
        archive
            .projects
            .iter()
            .filter(|p| p.proposal_type == k)
            .count()
    };
    let published = archive
        .projects
        .iter()
        .filter(|p| !p.publications.is_empty())
        .count();
    println!(
        "{} member OUSes: {in_progress} in progress, {in_qa3} in QA3; {} EBs, {semipass} SemiPass; \
         {projects} projects: {} DDT, {} Large Programs, {} ToO, {published} with publications",
        members.len(),
        ebs.len(),
        ddt.len(),
        kind("L"),
        kind("T")
    );
    assert!(in_progress >= 5 && in_qa3 >= 2, "{in_progress} {in_qa3}");
    for (_, m) in &members {
        if m.delivery != vo_demo::Delivery::Delivered {
            assert!(!m.has_files, "{} is {:?} but has files", m.uid, m.delivery);
        }
    }
    let semipass_share = semipass as f64 / ebs.len() as f64;
    assert!((0.04..0.13).contains(&semipass_share), "{semipass_share}");
    assert!(!ddt.is_empty() && kind("L") > 0 && kind("T") > 0);
    // DDT data have no proprietary period: public when observed
    for p in &ddt {
        for m in p.members() {
            let observed = chrono::DateTime::from_timestamp(
                ((m.ebs.last().unwrap().end_mjd - 40587.0) * 86400.0) as i64,
                0,
            )
            .unwrap();
            assert!(
                (m.release - observed).num_seconds().abs() <= 1,
                "{}",
                p.code
            );
        }
    }
    let share = published as f64 / projects as f64;
    assert!(
        (0.3..0.5).contains(&share),
        "{published} of {projects} projects published"
    );
}

/// Every class of the documented set of shapes is among the demo's sources (3,000 rows),
/// and the manifest beside the data names each product's class.
#[test]
fn every_morphology_class_is_in_the_demo() {
    let archive = generate(DemoConfig {
        rows: 3000,
        small_files: SmallFiles::Absent,
        ..config(2026)
    });
    let mut seen = std::collections::BTreeMap::new();
    for (p, m) in archive.members() {
        for source in &m.sources {
            *seen
                .entry(vo_demo::shape_of(&archive, p, m, source).class)
                .or_insert(0) += 1;
        }
    }
    println!("{seen:?}");
    for class in vo_demo::CLASSES {
        assert!(seen.contains_key(&class), "no {} in the demo", class.name());
    }

    let small = generate(config(5));
    let dir = tempfile::tempdir().unwrap();
    write_files(&small, dir.path()).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join(vo_demo::MANIFEST)).unwrap();
    let sources: usize = small
        .members()
        .filter(|(_, m)| m.has_files)
        .map(|(_, m)| m.sources.len())
        .sum();
    assert_eq!(
        manifest.lines().filter(|l| !l.starts_with('#')).count(),
        sources
    );
    for line in manifest.lines().skip(1) {
        let class = line.split('\t').nth(3).unwrap();
        assert!(vo_demo::CLASSES.iter().any(|c| c.name() == class), "{line}");
    }
}

#[test]
fn each_project_is_drawn_again_alone_from_its_origin() {
    let archive = generate(DemoConfig {
        rows: 3000,
        file_mous: 12,
        ..config(2026)
    });
    assert_eq!(archive.origins.len(), archive.projects.len());
    for (p, origin) in archive.projects.iter().zip(&archive.origins) {
        let mut again = redraw(&archive.config, origin);
        // which member OUSes get large files is chosen over the whole archive
        for (goal, drawn) in again.goals.iter_mut().zip(&p.goals) {
            for ((_, members), (_, drawn)) in goal.groups.iter_mut().zip(&drawn.groups) {
                for (m, drawn) in members.iter_mut().zip(drawn) {
                    m.large_files = drawn.large_files;
                }
            }
        }
        assert_eq!(&again, p, "project {} drawn again differs", p.code);
    }
    // the index a server builds without keeping the archive says the same
    let index = vo_demo::draw_index(&archive.config);
    assert_eq!(index.origins.len(), archive.projects.len());
    for (p, origin) in archive.projects.iter().zip(&archive.origins) {
        assert_eq!(&index.origins[&p.code], origin);
    }
    let large: std::collections::HashSet<String> = archive
        .members()
        .filter(|(_, m)| m.large_files)
        .map(|(_, m)| m.uid.clone())
        .collect();
    assert_eq!(large.len(), 12);
    assert_eq!(index.large, large);
}

#[test]
fn files_made_on_first_access_are_the_files_written_at_load() {
    let written_config = DemoConfig {
        rows: 600,
        file_mous: 2,
        ..config(11)
    };
    let lazy_config = DemoConfig {
        small_files: SmallFiles::OnFirstAccess,
        ..written_config.clone()
    };
    let written_dir = tempfile::tempdir().unwrap();
    let written = write_files(&generate(written_config), written_dir.path()).unwrap();
    let by_name: std::collections::HashMap<&str, &vo_ingest::FileRecord> =
        written.iter().map(|f| (f.name.as_str(), f)).collect();

    let lazy = generate(lazy_config.clone());
    let lazy_dir = tempfile::tempdir().unwrap();
    let at_load = write_files(&lazy, lazy_dir.path()).unwrap();
    let planned: Vec<_> = planned_files(&lazy).collect();
    assert!(planned.len() > 20, "{} member OUSes planned", planned.len());
    // the large ones are written at load, and nothing else
    assert_eq!(
        at_load
            .iter()
            .map(|f| &f.member_ous_uid)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        2
    );
    for f in &at_load {
        assert_eq!(&f, &by_name[f.name.as_str()]);
    }
    // every other file is registered as written, without its checksum, and not on disk
    let planned_count: usize = planned.iter().map(|(_, records)| records.len()).sum();
    assert_eq!(at_load.len() + planned_count, written.len());
    for (_, records) in &planned {
        for f in records {
            let w = by_name[f.name.as_str()];
            assert_eq!(f.sha256, None, "{}", f.name);
            assert_eq!(
                (&f.path, &f.package_name, f.size_bytes, &f.kind),
                (&w.path, &w.package_name, w.size_bytes, &w.kind),
                "{}",
                f.name
            );
            if let Some(path) = &f.path {
                assert!(
                    !lazy_dir.path().join(path).exists(),
                    "{path} written at load"
                );
            }
        }
    }
    // made on first access: the same bytes and checksums as written at load
    let maker = FilesOnAccess::new(lazy_config);
    let project_of: std::collections::HashMap<&str, &str> = lazy
        .members()
        .map(|(p, m)| (m.uid.as_str(), p.code.as_str()))
        .collect();
    for (member, _) in planned.iter().step_by(planned.len() / 6) {
        let made = vo_archive::MakeFiles::make(
            &maker,
            project_of[member.as_str()],
            member,
            lazy_dir.path(),
        )
        .unwrap();
        assert!(made.len() > 5);
        for f in &made {
            assert_eq!(&f, &by_name[f.name.as_str()]);
            if let Some(path) = &f.path {
                assert_eq!(
                    std::fs::read(lazy_dir.path().join(path)).unwrap(),
                    std::fs::read(written_dir.path().join(path)).unwrap(),
                    "{path}"
                );
            }
        }
    }
    let unknown = vo_archive::MakeFiles::make(
        &maker,
        "2099.1.00001.S",
        "uid://A001/X1/X1",
        lazy_dir.path(),
    );
    assert!(unknown
        .unwrap_err()
        .to_string()
        .contains("no project 2099.1.00001.S"));
}

/// The Calibrator Catalogue: every calibrator is monitored in bands 3 and 7 from 2011 to the
/// reference time, falling with frequency; every execution block with a calibrator measures
/// it; and a delivery's calibrator image peaks at the catalogue's flux for its first
/// execution block.
#[test]
fn calibrators_have_flux_histories_their_images_show() {
    let archive = generate(config(11));
    let histories = vo_demo::flux_histories(&archive);
    let monitoring: Vec<_> = histories.iter().filter(|f| f.eb_uid.is_none()).collect();
    let calibrators: std::collections::BTreeSet<_> =
        monitoring.iter().map(|f| f.calibrator).collect();
    assert!(calibrators.len() >= 10, "{calibrators:?}");
    let now_mjd = archive.config.now.timestamp() as f64 / 86400.0 + 40587.0;
    for name in &calibrators {
        let mine: Vec<_> = monitoring
            .iter()
            .filter(|f| f.calibrator == *name)
            .collect();
        // every two weeks or so, in bands 3 and 7, from the start of ALMA's science
        assert!(mine.iter().all(|f| f.mjd < now_mjd), "{name}");
        assert!(mine.iter().any(|f| f.mjd < 55860.0), "{name}");
        assert!(mine.iter().any(|f| f.mjd > now_mjd - 20.0), "{name}");
        let mean = |band: u8| {
            let v: Vec<f64> = mine
                .iter()
                .filter(|f| f.band == band)
                .map(|f| f.flux_jy)
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!(mean(7) < mean(3), "{name}: the flux falls with frequency");
        let model = vo_demo::FluxModel::of(archive.config.seed, name);
        for f in &mine {
            assert!(
                (f.flux_jy - model.flux_jy(f.mjd, f.ghz)).abs() < 5.0 * f.error_jy,
                "{name} at {}: {} ± {}",
                f.mjd,
                f.flux_jy,
                f.error_jy
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let files = write_files(&archive, dir.path()).unwrap();
    let mut images = 0;
    for (_, m) in archive.members() {
        let Some((calibrator, ..)) = m.calibrator else {
            continue;
        };
        for eb in &m.ebs {
            assert!(
                histories
                    .iter()
                    .any(|f| f.eb_uid.as_deref() == Some(&eb.uid) && f.calibrator == calibrator),
                "no flux of {calibrator} measured by {}",
                eb.uid
            );
        }
        let Some(image) = files
            .iter()
            .find(|f| f.member_ous_uid == m.uid && f.name.contains(&format!(".{calibrator}_ph.")))
        else {
            assert!(
                !m.has_files,
                "{} has files but no image of {calibrator}",
                m.uid
            );
            continue;
        };
        let fits = vo_fits::MappedImage::open(
            &dir.path().join(image.path.as_ref().unwrap()),
            vo_fits::ImageHdu::Primary,
        )
        .unwrap();
        assert_eq!(fits.header().str("OBJECT"), Some(calibrator));
        let mut values = vec![0f32; fits.axes().iter().product()];
        fits.samples().decode(fits.data(), &mut values);
        let peak = values.iter().cloned().fold(f32::MIN, f32::max) as f64;
        let measured = histories
            .iter()
            .find(|f| f.eb_uid.as_deref() == Some(&m.ebs[0].uid))
            .unwrap();
        assert!(
            (peak - measured.flux_jy).abs() < 4.0 * measured.error_jy,
            "{}: peak {peak} Jy, catalogue {} ± {}",
            image.name,
            measured.flux_jy,
            measured.error_jy
        );
        let model = vo_demo::FluxModel::of(archive.config.seed, calibrator)
            .flux_jy(m.ebs[0].start_mjd, vo_demo::measured_ghz(m));
        // the model at the image's time and frequency, within five times the noise
        assert!(
            (peak - model).abs() < 0.002 * model + 5.0 * 0.0005,
            "{}: {peak} vs {model}",
            image.name
        );
        images += 1;
    }
    assert!(images >= 10, "{images} calibrator images checked");
}

/// Planted families of related projects (one programme's proposals) are found by the
/// similar-projects ranking: recall@10 of the relatives ≥ 0.9.
#[test]
fn related_projects_are_each_others_most_similar() {
    let archive = generate(DemoConfig {
        rows: 20_000,
        ..config(2026)
    });
    assert!(
        archive.families.len() >= 15,
        "{} families",
        archive.families.len()
    );
    let mut index = vo_similarity::ProjectIndex::new().unwrap();
    index
        .add(archive.projects.iter().map(|p| vo_similarity::ProjectText {
            code: p.code.clone(),
            title: p.title.clone(),
            abstract_text: archive.abstract_of(p),
            keywords: p.keywords.clone(),
            category: p.category.to_string(),
        }))
        .unwrap();
    let (mut wanted, mut found) = (0, 0);
    for family in &archive.families {
        for code in family {
            let similar: Vec<String> = index
                .similar(code, 10)
                .unwrap()
                .unwrap()
                .into_iter()
                .map(|s| s.code)
                .collect();
            for relative in family.iter().filter(|c| *c != code) {
                wanted += 1;
                found += usize::from(similar.contains(relative));
            }
        }
    }
    let recall = found as f64 / wanted as f64;
    println!(
        "recall@10 of planted relatives: {found} of {wanted} = {recall:.3} ({} families, {} projects)",
        archive.families.len(),
        archive.projects.len()
    );
    assert!(recall >= 0.9, "recall@10 {recall}");
}
