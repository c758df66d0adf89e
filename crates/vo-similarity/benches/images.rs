//! Similar images over 100,000 feature vectors: the 1,000 most like one image, their five
//! largest groups, then the 1,000 most like three selected images together — what the page
//! asks when a user opens a similar set and selects three. Run:
//! `cargo bench -p vo-similarity --bench images`. Target: ≤ 100 ms for the whole.
//! `VO_BENCH_IMAGES=1000000` measures ALMA's scale instead. Also: measuring one image.
//!
//! The vectors: 2,000 measured from drawn images of the demo's ten shape classes (noise,
//! random turns and flips, as the demo draws them), each repeated 50 times with its
//! measures jittered by 5% — the size and spread of an archive's collection, without
//! drawing 100,000 images first.

use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vo_demo::{Morphology, CLASSES};
use vo_similarity::{features, groups, ImageIndex};

const N: usize = 64;

fn drawn(shape: &Morphology, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let (s, c) = rng.gen_range(0.0..std::f64::consts::TAU).sin_cos();
    let flip = if rng.gen_bool(0.5) { -1.0 } else { 1.0 };
    let mut out = Vec::with_capacity(N * N);
    for j in 0..N {
        for i in 0..N {
            let (x, y) = (
                flip * ((i as f64 + 0.5) / N as f64 - 0.5),
                (j as f64 + 0.5) / N as f64 - 0.5,
            );
            let (u1, u2): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen());
            let noise = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
            out.push((shape.brightness(x * c + y * s, -x * s + y * c) + 0.02 * noise) as f32);
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let started = std::time::Instant::now();
    let mut measured = Vec::new();
    for k in 0..2000u64 {
        let shape = Morphology::example(CLASSES[k as usize % CLASSES.len()], k);
        if let Some(f) = features(&drawn(&shape, &mut rng), N, N, 0.02 * N as f64 * 2.355) {
            measured.push(f);
        }
    }
    let mut index = ImageIndex::new();
    let images: usize = std::env::var("VO_BENCH_IMAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    for (k, f) in measured.iter().cycle().take(images).enumerate() {
        let jittered: Vec<f32> = f
            .iter()
            .map(|x| x * (1.0 + 0.05 * rng.gen_range(-1.0f32..1.0)))
            .collect();
        index.add(k.to_string(), &jittered);
    }
    index.standardise();
    println!(
        "{} images measured and indexed in {:.1} s",
        index.len(),
        started.elapsed().as_secs_f64()
    );
    // measuring one image (what the server does for each released image, in the background)
    let images: Vec<Vec<f32>> = (0..10u64)
        .map(|k| drawn(&Morphology::example(CLASSES[k as usize], 100 + k), &mut rng))
        .collect();
    let mut which = 0;
    c.bench_function("features of one 64 x 64 image", |b| {
        b.iter(|| {
            which = (which + 1) % images.len();
            std::hint::black_box(features(&images[which], N, N, 0.02 * N as f64 * 2.355))
        })
    });
    let mut next = 0usize;
    c.bench_function(
        "top 1,000 of 100k, five groups, re-ranked by 3 selections",
        |b| {
            b.iter(|| {
                next = (next + 7919) % index.len();
                let first = index.similar(&[next], 1000);
                let units: Vec<_> = first.iter().map(|(i, _)| index.unit(*i)).collect();
                let found = groups(&units, 8, 5);
                let selection = [next, first[3].0, first[10].0];
                let again = index.similar(&selection, 1000);
                std::hint::black_box((found, again));
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
