//! The cube viewer's reads on a 2 GiB cube (2048 × 2048 pixels × 128 channels of float32,
//! noise and a rotating disc whose line moves through the band), next to reading the same
//! bytes raw: opening the cube and showing its first channel as a 1024-pixel view (16 tiles
//! at level 1, covering every pixel of the channel), stepping to the next channel, one tile at
//! full resolution and one overview tile, and a pixel's spectrum — each from the page cache
//! (warm) and after the file is dropped from it (cold; the viewer's read-ahead of the next
//! channel measured separately). The cube is written once to the target directory and kept.
//! Run: `cargo bench -p vo-cube --bench viewer`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::Duration;
use vo_cube::{prefetch, tile, Cube, Info};
use vo_fits::{CelestialWcs, ImageWcs, ImageWriter, LinearAxis, Projection};

const SIDE: usize = 2048;
const CHANNELS: usize = 128;
/// The view: level 1, 4 × 4 tiles of 256 (1024 screen pixels across, the whole plane).
const LEVEL: i64 = 1;
const VIEW_TILES: i64 = 4;

fn cube_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("viewer-bench-{SIDE}x{SIDE}x{CHANNELS}.fits"));
    let expected = (SIDE * SIDE * CHANNELS * 4).div_ceil(2880) * 2880;
    if std::fs::metadata(&path)
        .map(|m| m.len() as usize > expected)
        .unwrap_or(false)
    {
        return path;
    }
    eprintln!("writing the 2 GiB benchmark cube to {}", path.display());
    let wcs = ImageWcs {
        celestial: CelestialWcs {
            projection: Projection::Sin,
            crval: (83.8, -5.4),
            crpix: (SIDE as f64 / 2.0, SIDE as f64 / 2.0),
            cdelt: (-0.02 / 3600.0, 0.02 / 3600.0),
            pc: None,
        },
        spectral: Some(LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: 230.3e9,
            crpix: 1.0,
            cdelt: 0.488e6,
        }),
        stokes: None,
        shape: vec![SIDE, SIDE, CHANNELS],
        beam: Some((0.1 / 3600.0, 0.08 / 3600.0)),
    };
    let mut header = wcs.primary_header();
    header.push("BUNIT", vo_fits::Value::Str("Jy/beam".into()), "");
    header.push("RESTFRQ", vo_fits::Value::Float(230.538e9), "");
    let partial = path.with_extension("part");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&partial).unwrap());
    let mut writer = ImageWriter::start(&mut file, &header).unwrap();
    let mut state = 0x9E3779B97F4A7C15u64;
    let mut plane = vec![0f32; SIDE * SIDE];
    for k in 0..CHANNELS {
        // the line's centre crosses the disc from one side to the other
        let shift = (k as f64 / CHANNELS as f64 - 0.5) * 600.0;
        for (i, v) in plane.iter_mut().enumerate() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = ((state >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.004;
            let (x, y) = ((i % SIDE) as f64 - 1024.0, (i / SIDE) as f64 - 1024.0);
            let disc = (-(x * x + y * y) / (2.0 * 300.0f64.powi(2))).exp();
            let line = (-((x - shift).powi(2)) / (2.0 * 60.0f64.powi(2))).exp();
            *v = noise + (0.01 * disc + 0.2 * disc * line) as f32;
        }
        writer.write(&plane).unwrap();
    }
    writer.finish().unwrap();
    drop(file);
    std::fs::rename(&partial, &path).unwrap();
    path
}

/// Drops the file's pages from the page cache (no mapping of it may be open).
fn evict(path: &Path) {
    let file = std::fs::File::open(path).unwrap();
    file.sync_all().unwrap();
    // SAFETY: a plain system call on an open descriptor.
    let done = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    assert_eq!(done, 0, "posix_fadvise");
}

/// The view of `channel`: every tile a 1024-pixel canvas shows at level 1.
fn view(cube: &Cube, channel: i64) -> f32 {
    let mut total = 0.0;
    for ty in 0..VIEW_TILES {
        for tx in 0..VIEW_TILES {
            total += tile(cube, channel, LEVEL, tx, ty).unwrap().values[0];
        }
    }
    total
}

/// What the viewer reads for the view of `channel`, read raw: its 16 MiB in one read.
fn raw_channel(path: &Path, header_bytes: u64, channel: usize) -> u8 {
    let plane = (SIDE * SIDE * 4) as u64;
    let mut file = std::fs::File::open(path).unwrap();
    file.seek(SeekFrom::Start(header_bytes + channel as u64 * plane))
        .unwrap();
    let mut buffer = vec![0u8; plane as usize];
    file.read_exact(&mut buffer).unwrap();
    buffer[buffer.len() / 2]
}

fn bench(c: &mut Criterion) {
    let path = cube_path();
    let header_bytes = std::fs::metadata(&path).unwrap().len()
        - ((SIDE * SIDE * CHANNELS * 4).div_ceil(2880) * 2880) as u64;
    let mut group = c.benchmark_group("viewer_2GiB");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));

    group.bench_function("first_channel_cold", |b| {
        b.iter_batched(
            || evict(&path),
            |_| {
                let cube = Cube::open(&path).unwrap();
                let info = Info::of(&cube);
                view(&cube, 0) + info.frequency_ghz.len() as f32
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("first_channel_raw_read_cold", |b| {
        b.iter_batched(
            || evict(&path),
            |_| raw_channel(&path, header_bytes, 0),
            BatchSize::PerIteration,
        )
    });

    let channel = std::cell::Cell::new(0i64);
    let next = || {
        channel.set((channel.get() + 1) % CHANNELS as i64);
        channel.get()
    };
    group.bench_function("channel_step_cold", |b| {
        b.iter_batched(
            || {
                evict(&path);
                next();
                Cube::open(&path).unwrap()
            },
            |cube| view(&cube, channel.get()),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("channel_step_cold_read_ahead", |b| {
        b.iter_batched(
            || {
                evict(&path);
                let channel = next();
                let cube = Cube::open(&path).unwrap();
                // what the server asks for while the previous channel is on the screen
                for ty in 0..VIEW_TILES {
                    for tx in 0..VIEW_TILES {
                        prefetch(&cube, channel, LEVEL, tx, ty);
                    }
                }
                std::thread::sleep(Duration::from_millis(150));
                cube
            },
            |cube| view(&cube, channel.get()),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("channel_step_raw_read_cold", |b| {
        b.iter_batched(
            || {
                evict(&path);
                next()
            },
            |channel| raw_channel(&path, header_bytes, channel as usize),
            BatchSize::PerIteration,
        )
    });

    // warm: the whole file in the page cache (the machine has the memory)
    let cube = Cube::open(&path).unwrap();
    for k in 0..CHANNELS as i64 {
        view(&cube, k);
    }
    group.bench_function("channel_step_warm", |b| b.iter(|| view(&cube, next())));
    group.bench_function("channel_step_raw_read_warm", |b| {
        b.iter(|| raw_channel(&path, header_bytes, next() as usize))
    });
    group.bench_function("tile_level0_warm", |b| {
        b.iter(|| tile(&cube, 64, 0, 3, 4).unwrap())
    });
    group.bench_function("tile_level0_raw_read_warm", |b| {
        // the same 256 rows of 1 KiB
        let file = std::fs::File::open(&path).unwrap();
        let mut row = vec![0u8; 256 * 4];
        b.iter(|| {
            use std::os::unix::fs::FileExt;
            for y in 0..256u64 {
                let offset = header_bytes
                    + ((64 * SIDE * SIDE) as u64 + (4 * 256 + y) * SIDE as u64 + 3 * 256) * 4;
                file.read_exact_at(&mut row, offset).unwrap();
            }
            row[0]
        })
    });
    drop(cube);
    group.bench_function("tile_level0_cold", |b| {
        b.iter_batched(
            || {
                evict(&path);
                Cube::open(&path).unwrap()
            },
            |cube| tile(&cube, 64, 0, 3, 4).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("tile_level0_raw_read_cold", |b| {
        b.iter_batched(
            || evict(&path),
            |_| {
                use std::os::unix::fs::FileExt;
                let file = std::fs::File::open(&path).unwrap();
                let mut row = vec![0u8; 256 * 4];
                for y in 0..256u64 {
                    let offset = header_bytes
                        + ((64 * SIDE * SIDE) as u64 + (4 * 256 + y) * SIDE as u64 + 3 * 256) * 4;
                    file.read_exact_at(&mut row, offset).unwrap();
                }
                row[0]
            },
            BatchSize::PerIteration,
        )
    });
    let cube = Cube::open(&path).unwrap();
    for k in 0..CHANNELS as i64 {
        view(&cube, k);
    }
    group.bench_function("tile_overview_level3_warm", |b| {
        b.iter(|| tile(&cube, 64, 3, 0, 0).unwrap())
    });
    group.bench_function("spectrum_warm", |b| {
        b.iter(|| vo_cube::profile(&cube, 1000, 1000).unwrap())
    });
    drop(cube);
    group.bench_function("spectrum_cold", |b| {
        b.iter_batched(
            || {
                evict(&path);
                Cube::open(&path).unwrap()
            },
            |cube| vo_cube::profile(&cube, 1000, 1000).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("spectrum_raw_read_cold", |b| {
        // the same 128 samples, one read each
        b.iter_batched(
            || evict(&path),
            |_| {
                use std::os::unix::fs::FileExt;
                let file = std::fs::File::open(&path).unwrap();
                let mut sample = [0u8; 4];
                let mut total = 0u32;
                for k in 0..CHANNELS as u64 {
                    let offset =
                        header_bytes + (k * (SIDE * SIDE) as u64 + 1000 * SIDE as u64 + 1000) * 4;
                    file.read_exact_at(&mut sample, offset).unwrap();
                    total += sample[0] as u32;
                }
                total
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
