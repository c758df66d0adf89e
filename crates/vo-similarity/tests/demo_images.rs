//! Morphology features of the demo's own continuum images, read as the server reads them
//! (the FITS plane, the beam from its header), scored against the classes of the demo's
//! manifest: precision@10 and mean average precision per class.

mod common;

use chrono::{TimeZone, Utc};
use vo_archive::ProductName;
use vo_demo::{generate, write_files, DemoConfig, SmallFiles, MANIFEST};
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
    let mut paths = Vec::new();
    let mut pending = vec![dir.path().join("products")];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "fits") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let (mut index, mut classes) = (ImageIndex::new(), Vec::new());
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
            if std::env::var("FIXED_BEAM").is_ok() {
                0.02 * 2.355 * plane.width as f64
            } else {
                plane.beam_pixels.unwrap_or(2.0)
            },
        ) else {
            continue;
        };
        index.add(name, &f);
        classes.push(class.to_string());
    }
    let order: Vec<String> = vo_demo::CLASSES
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let scores = common::score(&mut index, &classes, &order);
    let (report, mean) = common::report(&scores);
    println!(
        "{} continuum images\n{report}\nmean precision@10 {mean:.3}",
        classes.len()
    );
    assert!(classes.len() > 200, "{}", classes.len());
    // measured floor: 0.78 mean; the target is 0.8 for every class (see the README)
    assert!(mean >= 0.75, "{report}");
}
