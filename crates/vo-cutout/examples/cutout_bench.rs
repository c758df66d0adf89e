//! The SODA cutout bench's Rust half (driven by `conformance/bench/soda_cutout.sh`).
//!
//!   cutout_bench generate CUBE        writes a 2 GiB float32 cube (1024×1024×512×1, RA, DEC,
//!                                     FREQ, STOKES) plane by plane, unless CUBE holds it
//!   cutout_bench run CUBE RUNS OUT    plans a CIRCLE + BAND cutout of 200×200×100 pixels,
//!                                     times RUNS raw reads of its bytes (one pread per row)
//!                                     and RUNS cutouts (open, plan, write_fits to /dev/null),
//!                                     checks both give the same bytes, writes one to OUT
//!   cutout_bench once CUBE            times one cutout (for a cold page cache)
//!
//! `run` prints `box X0 Y0 Z0 NX NY NZ` (0-based origin), `request …`, then `raw SECONDS
//! BYTES`, `span_bytes N` (file bytes from each plane's first box pixel to its last),
//! `plan SECONDS` (Cube::open + plan alone) and `cutout SECONDS BYTES FILE_BYTES` (medians; BYTES are the box's pixel bytes,
//! FILE_BYTES the whole FITS output).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::time::Instant;
use vo_cutout::{write_fits, Cube, CutoutRequest};
use vo_fits::{read_hdus, CelestialWcs, ImageWcs, LinearAxis, Projection, StokesAxis, Value};
use vo_region::Shape;

const SHAPE: [usize; 4] = [1024, 1024, 512, 1];
const BOX: [usize; 3] = [200, 200, 100];
use vo_fits::SPEED_OF_LIGHT;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", cube] => generate(Path::new(cube)),
        ["run", cube, runs, out] => runs
            .parse()
            .map_err(|_| format!("RUNS must be a positive integer, found '{runs}'").into())
            .and_then(|runs| run(Path::new(cube), runs, Path::new(out))),
        ["once", cube] => once(Path::new(cube)),
        _ => Err("usage: cutout_bench generate CUBE | run CUBE RUNS OUT | once CUBE".into()),
    };
    if let Err(error) = outcome {
        eprintln!("cutout_bench: {error}");
        std::process::exit(1);
    }
}

/// An ALMA band-6-like cube: 0.1″ pixels, 488 kHz channels from 230.5 GHz, Stokes I.
fn bench_wcs() -> ImageWcs {
    ImageWcs {
        celestial: CelestialWcs {
            projection: Projection::Sin,
            crval: (68.2303, 25.3437),
            crpix: (513.0, 513.0),
            cdelt: (-0.1 / 3600.0, 0.1 / 3600.0),
            pc: None,
        },
        spectral: Some(LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: 230.5e9,
            crpix: 1.0,
            cdelt: 488_281.25,
        }),
        stokes: Some(StokesAxis { codes: vec![1] }),
        shape: SHAPE.to_vec(),
        beam: Some((0.5 / 3600.0, 0.4 / 3600.0)),
    }
}

fn generate(path: &Path) -> Result<()> {
    let mut header = bench_wcs().primary_header();
    for (keyword, value) in [
        ("BUNIT", Value::Str("Jy/beam".into())),
        ("OBJECT", Value::Str("bench".into())),
        ("TELESCOP", Value::Str("ALMA".into())),
        ("MJD-OBS", Value::Float(59_000.25)),
        ("MJD-BEG", Value::Float(59_000.25)),
        ("MJD-END", Value::Float(59_000.30)),
    ] {
        header.push(keyword, value, "");
    }
    let header = header.to_bytes();
    let plane = SHAPE[0] * SHAPE[1];
    let data_len = (plane * SHAPE[2] * SHAPE[3] * 4) as u64;
    let total = header.len() as u64 + data_len.div_ceil(2880) * 2880;
    if std::fs::metadata(path).is_ok_and(|m| m.len() == total) {
        println!("cube: {} (kept from an earlier run)", path.display());
        return Ok(());
    }
    let partial = path.with_extension("partial");
    let mut out = BufWriter::with_capacity(1 << 22, File::create(&partial)?);
    out.write_all(&header)?;
    let mut bytes = vec![0u8; plane * 4];
    for z in 0..SHAPE[2] * SHAPE[3] {
        for (i, chunk) in bytes.chunks_exact_mut(4).enumerate() {
            let (x, y) = (i % SHAPE[0], i / SHAPE[0]);
            let v = ((x * 7 + y * 13 + z * 17) % 1000) as f32 * 1e-3;
            chunk.copy_from_slice(&v.to_be_bytes());
        }
        out.write_all(&bytes)?;
    }
    out.write_all(&vec![
        0u8;
        (total - header.len() as u64 - data_len) as usize
    ])?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&partial, path)?;
    println!("cube: {} (generated, {total} bytes)", path.display());
    Ok(())
}

/// A CIRCLE around the edge between pixels 512 and 513 with a radius of 99.9 pixels
/// (→ pixels 413..=612) and a BAND over channels 200.6..300.4 (→ channels 201..=300).
fn bench_request(wcs: &ImageWcs) -> Result<CutoutRequest> {
    let (ra, dec) = wcs
        .celestial
        .pixel_to_world(512.5, 512.5)
        .ok_or("the bench cube's centre is outside its projection")?;
    let axis = wcs
        .spectral
        .as_ref()
        .ok_or("the bench cube has no FREQ axis")?;
    let (a, b) = (
        SPEED_OF_LIGHT / axis.value(200.6),
        SPEED_OF_LIGHT / axis.value(300.4),
    );
    Ok(CutoutRequest {
        spatial: Some(Shape::Circle {
            ra,
            dec,
            radius: 99.9 * wcs.celestial.cdelt.1.abs(),
        }),
        band: Some((a.min(b), a.max(b))),
        ..Default::default()
    })
}

fn median(mut seconds: Vec<f64>) -> f64 {
    seconds.sort_by(f64::total_cmp);
    seconds[seconds.len() / 2]
}

/// Reads the box's rows with one pread each: the bytes a cutout has to copy, and no more.
fn raw_read(path: &Path, data_offset: u64, origin: [usize; 3], into: &mut [u8]) -> Result<()> {
    let file = File::open(path)?;
    let row = BOX[0] * 4;
    let mut rows = into.chunks_exact_mut(row);
    for z in origin[2]..origin[2] + BOX[2] {
        for y in origin[1]..origin[1] + BOX[1] {
            let pixel = (z * SHAPE[1] + y) * SHAPE[0] + origin[0];
            let target = rows.next().ok_or("row buffer too short")?;
            file.read_exact_at(target, data_offset + pixel as u64 * 4)?;
        }
    }
    Ok(())
}

fn cutout(path: &Path, request: &CutoutRequest, out: &mut impl Write) -> Result<()> {
    let cube = Cube::open(path)?;
    let cutout = cube.plan(request)?;
    write_fits(&[(&cube, &cutout)], out)?;
    Ok(())
}

fn run(path: &Path, runs: usize, out_path: &Path) -> Result<()> {
    if runs == 0 {
        return Err("RUNS must be at least 1".into());
    }
    let cube = Cube::open(path)?;
    let request = bench_request(cube.wcs())?;
    let plan = cube.plan(&request)?;
    let cuts = plan.cuts();
    let origin = [cuts[0].start, cuts[1].start, cuts[2].start];
    if plan.shape() != [BOX[0], BOX[1], BOX[2], 1] {
        return Err(format!("the request planned {:?}, not {BOX:?}", plan.shape()).into());
    }
    println!(
        "box {} {} {} {} {} {}",
        origin[0], origin[1], origin[2], BOX[0], BOX[1], BOX[2]
    );
    println!("request {request}");
    let span_bytes = BOX[2] * ((BOX[1] - 1) * SHAPE[0] + BOX[0]) * 4;
    println!("span_bytes {span_bytes}");
    let data_offset = read_hdus(path)?[0].data_offset;
    let bytes = BOX.iter().product::<usize>() * 4;

    // same bytes both ways
    let mut raw = vec![0u8; bytes];
    raw_read(path, data_offset, origin, &mut raw)?;
    let mut written = Vec::new();
    write_fits(&[(&cube, &plan)], &mut written)?;
    let header_len = plan.header_bytes(false).len();
    if written[header_len..header_len + bytes] != raw[..] {
        return Err("the cutout's data differ from the raw read of the same box".into());
    }
    std::fs::write(out_path, &written)?;

    let mut raw_times = Vec::with_capacity(runs);
    let mut cutout_times = Vec::with_capacity(runs);
    let mut plan_times = Vec::with_capacity(runs);
    let mut sink = File::create("/dev/null")?;
    for _ in 0..runs {
        let start = Instant::now();
        raw_read(path, data_offset, origin, &mut raw)?;
        raw_times.push(start.elapsed().as_secs_f64());
        let start = Instant::now();
        cutout(path, &request, &mut sink)?;
        cutout_times.push(start.elapsed().as_secs_f64());
        let start = Instant::now();
        Cube::open(path)?.plan(&request)?;
        plan_times.push(start.elapsed().as_secs_f64());
    }
    println!("raw {:.6} {bytes}", median(raw_times));
    println!("plan {:.6}", median(plan_times));
    println!(
        "cutout {:.6} {bytes} {}",
        median(cutout_times),
        written.len()
    );
    Ok(())
}

fn once(path: &Path) -> Result<()> {
    let request = bench_request(Cube::open(path)?.wcs())?;
    let start = Instant::now();
    cutout(path, &request, &mut File::create("/dev/null")?)?;
    println!("once {:.6}", start.elapsed().as_secs_f64());
    Ok(())
}
