//! Writes the morphology features of a demo archive's continuum images, with their classes
//! from the demo's manifest, and of four turned, mirrored, shifted and rescaled copies of
//! each: the data `conformance/similarity/encoders.py` compares ways of weighting or
//! learning from the features with.
//!
//! `cargo run --release -p vo-similarity --example demo_features -- SEED OUT_DIR`
//! writes `OUT_DIR/features-SEED.tsv` (class, then the features) and
//! `OUT_DIR/augmented-SEED.tsv` (the line of the original in the first file, from 0, then
//! the copy's features) and `OUT_DIR/units-SEED.tsv` (each original as the index compares
//! it: standardised over the collection, weighted, normalised).

#[path = "../tests/common/warp.rs"]
mod warp;

use chrono::{TimeZone, Utc};
use rand::{Rng, SeedableRng};
use vo_archive::ProductName;
use vo_demo::{generate, product_files, write_files, DemoConfig, SmallFiles, MANIFEST};
use vo_similarity::{features, ImageIndex};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(seed), Some(out)) = (args.get(1), args.get(2)) else {
        return Err("usage: demo_features SEED OUT_DIR".into());
    };
    let seed: u64 = seed.parse()?;
    let out = std::path::PathBuf::from(out);
    let dir = tempfile::tempdir()?;
    let archive = generate(DemoConfig {
        seed,
        rows: 1500,
        file_mous: 0,
        small_files: SmallFiles::Written,
        now: Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap(),
        public_url: "http://127.0.0.1:8080".into(),
    });
    write_files(&archive, dir.path())?;
    let manifest = std::fs::read_to_string(dir.path().join(MANIFEST))?;
    let class_of: std::collections::HashMap<&str, &str> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            Some((*fields.first()?, *fields.get(3)?))
        })
        .collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (mut originals, mut copies) = (Vec::new(), Vec::new());
    let mut index = ImageIndex::new();
    let line = |f: &[f32]| {
        f.iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\t")
    };
    for path in product_files(dir.path())? {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // one continuum image per science source, as the demo_images test takes them
        let Some(named) = ProductName::parse(&name).filter(|n| !n.calibrator) else {
            continue;
        };
        if named.spw.is_some() {
            continue;
        }
        let prefix = name.split("_sci.").next().unwrap_or_default();
        let Some(class) = class_of.get(format!("{prefix}_sci").as_str()) else {
            continue;
        };
        let plane = vo_preview::sky_plane(&path)?;
        if plane.width != plane.height {
            continue;
        }
        let beam = plane.beam_pixels.unwrap_or(0.0);
        let Some(f) = features(&plane.pixels, plane.width, plane.height, beam) else {
            continue;
        };
        let k = originals.len();
        originals.push(format!("{class}\t{}", line(&f)));
        index.add(k.to_string(), &f);
        for _ in 0..4 {
            let angle = rng.gen_range(0.0..std::f64::consts::TAU);
            let scale = rng.gen_range(0.8..1.25);
            let shift = (rng.gen_range(-5.0..5.0), rng.gen_range(-5.0..5.0));
            let (pixels, side) = warp::warp(
                &plane.pixels,
                plane.width,
                angle,
                rng.gen_bool(0.5),
                shift,
                scale,
            );
            if let Some(f) = features(&pixels, side, side, beam * scale) {
                copies.push(format!("{k}\t{}", line(&f)));
            }
        }
    }
    index.standardise();
    let units: Vec<String> = (0..index.len()).map(|i| line(&index.unit(i))).collect();
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join(format!("units-{seed}.tsv")), units.join("\n"))?;
    std::fs::write(
        out.join(format!("features-{seed}.tsv")),
        originals.join("\n"),
    )?;
    std::fs::write(out.join(format!("augmented-{seed}.tsv")), copies.join("\n"))?;
    println!(
        "{} images, {} copies, in {}",
        originals.len(),
        copies.len(),
        out.display()
    );
    Ok(())
}
