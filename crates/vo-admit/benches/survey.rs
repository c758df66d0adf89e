//! The line survey's cost by cube size, next to reading the same bytes raw: cubes of
//! 32×32×48, 80×80×128 (the demo's two sizes) and 256×256×256 (64 MiB of float32) with noise,
//! a continuum and one line, written as FITS; the survey (noise per channel, three spectra at
//! three resolutions, moments) against one plain read of the file. Run:
//! `cargo bench -p vo-admit --bench survey`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use vo_fits::{write_image_f32, CelestialWcs, ImageWcs, LinearAxis, Projection, StokesAxis};

fn cube(dir: &std::path::Path, n: usize, channels: usize) -> std::path::PathBuf {
    let mut state = 0x2545F4914F6CDD1Du64;
    let mut noise = move || {
        // xorshift, then the sum of four uniforms (roughly normal)
        let mut sum = 0.0;
        for _ in 0..4 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            sum += (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        }
        sum
    };
    let mut data = Vec::with_capacity(n * n * channels);
    let (cx, cy, sigma) = (n as f64 * 0.45, n as f64 * 0.55, n as f64 / 20.0);
    for k in 0..channels {
        let line = 0.05 * (-((k as f64 - channels as f64 / 2.0).powi(2)) / 8.0).exp();
        for j in 0..n {
            for i in 0..n {
                let r2 = (i as f64 - cx).powi(2) + (j as f64 - cy).powi(2);
                let shape = (-r2 / (2.0 * sigma * sigma)).exp();
                data.push((0.01 * shape + line * shape + 0.0005 * noise() * 1.7) as f32);
            }
        }
    }
    let wcs = ImageWcs {
        celestial: CelestialWcs {
            projection: Projection::Sin,
            crval: (150.0, 2.0),
            crpix: (n as f64 / 2.0, n as f64 / 2.0),
            cdelt: (-1e-4, 1e-4),
            pc: None,
        },
        spectral: Some(LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: 230.0e9,
            crpix: 1.0,
            cdelt: 1e6,
        }),
        stokes: Some(StokesAxis { codes: vec![1] }),
        shape: vec![n, n, channels, 1],
        beam: Some((5e-4, 4e-4)),
    };
    let path = dir.join(format!("cube{n}x{channels}.fits"));
    let mut header = wcs.primary_header();
    header.push("BUNIT", vo_fits::Value::Str("Jy/beam".into()), "");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_image_f32(&mut file, &header, &data).unwrap();
    path
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("line survey");
    group.sample_size(10);
    for (n, channels) in [(32, 48), (80, 128), (256, 256)] {
        let path = cube(dir.path(), n, channels);
        let label = format!("{n}x{n}x{channels}");
        group.bench_with_input(BenchmarkId::new("survey", &label), &path, |b, path| {
            b.iter(|| {
                let cube = vo_preview::Cube::open(path).unwrap();
                std::hint::black_box(vo_admit::survey(&cube, None, &[]).unwrap());
            })
        });
        group.bench_with_input(BenchmarkId::new("raw read", &label), &path, |b, path| {
            b.iter(|| std::hint::black_box(std::fs::read(path).unwrap().len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
