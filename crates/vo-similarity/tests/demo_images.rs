//! Morphology features of the demo's own continuum images, read as the server reads them
//! (the FITS plane, the beam from its header), scored against the classes of the demo's
//! manifest: precision@10 and mean average precision per class.

mod common;

use chrono::{TimeZone, Utc};
use vo_archive::ProductName;
use vo_demo::{generate, product_files, write_files, DemoConfig, SmallFiles, MANIFEST};
use vo_similarity::{features, ImageIndex};

#[test]
fn the_demo_images_most_like_each_share_its_class() {
    let dir = tempfile::tempdir().unwrap();
    let archive = generate(DemoConfig {
        seed: 20,
        rows: 1500,
        file_mous: 0,
        small_files: SmallFiles::Written,
        now: Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap(),
        public_url: "http://127.0.0.1:8080".into(),
    });
    write_files(&archive, dir.path()).unwrap();
    // product prefix (member.uid___….<source>_sci) → class
    let manifest = std::fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
    let class_of: std::collections::HashMap<&str, &str> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            (fields[0], fields[3])
        })
        .collect();
    let paths = product_files(dir.path()).unwrap();
    // (name, class, features, peak signal-to-noise)
    let mut measured = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_str().unwrap();
        let Some(named) = ProductName::parse(name).filter(|n| !n.calibrator) else {
            continue;
        };
        // one continuum image per source: a source's cubes share its shape, and would find
        // each other first
        if named.spw.is_some() {
            continue;
        }
        let prefix = name.split("_sci.").next().unwrap();
        let class = class_of[format!("{prefix}_sci").as_str()];
        let plane = vo_preview::sky_plane(path).unwrap();
        let Some(f) = features(
            &plane.pixels,
            plane.width,
            plane.height,
            plane.beam_pixels.unwrap_or(0.0),
        ) else {
            continue;
        };
        measured.push((
            name.to_string(),
            class.to_string(),
            f,
            peak_snr(&plane.pixels),
        ));
    }
    let order: Vec<String> = vo_demo::CLASSES
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    for (what, least) in [("all", 0.0), ("peak at least 10σ", 10.0)] {
        let (mut index, mut classes) = (ImageIndex::new(), Vec::new());
        for (name, class, f, snr) in &measured {
            if *snr >= least {
                index.add(name.clone(), f);
                classes.push(class.clone());
            }
        }
        let scores = common::score(&mut index, &classes, &order);
        let (report, mean) = common::report(&scores);
        println!(
            "{} continuum images, {what}\n{report}\nmean precision@10 {mean:.3}\n",
            classes.len()
        );
        assert!(classes.len() > 150, "{}", classes.len());
        // the target: 0.8 for every class (measured: 0.86 the worst, 0.96 on average)
        assert_eq!(scores.len(), order.len(), "{report}");
        assert!(
            scores.iter().all(|s| s.precision_at_10 >= 0.8) && mean >= 0.94,
            "{report}"
        );
    }
}

/// The brightest pixel over the robust noise (median absolute deviation).
fn peak_snr(pixels: &[f32]) -> f64 {
    let mut finite: Vec<f64> = pixels
        .iter()
        .filter(|v| v.is_finite())
        .map(|v| *v as f64)
        .collect();
    finite.sort_by(f64::total_cmp);
    let median = finite[finite.len() / 2];
    let mut deviations: Vec<f64> = finite.iter().map(|v| (v - median).abs()).collect();
    deviations.sort_by(f64::total_cmp);
    let sigma = 1.4826 * deviations[deviations.len() / 2];
    (finite[finite.len() - 1] - median) / sigma
}
