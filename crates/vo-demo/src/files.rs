//! Files for the member OUSes that have them (every one, by default): FITS cubes (one per
//! source and spectral window) and continuum images with correct WCS, holding the
//! continuum (with its spectral index) and every line of `lines::LINES` the window covers
//! at the source's redshift, over noise; packaged like ALMA: `<code>_uid___…_001_of_001.tar`
//! (products) and `<code>_uid___…_auxiliary.tar` (scripts, logs, reports) — both kept as
//! the files they hold and assembled when downloaded (vo-archive's package layout) — one
//! stored `<code>_uid___….asdm.sdm.tar` per execution block (raw data) and
//! `member.uid___….README.txt`.
//!
//! Layout under the data directory: `products/<code>/science_goal.uid___…/group.uid___…/
//! member.uid___…/{product,script,log,qa}/*` and `packages/<code>/*.tar|*.txt`.

use crate::calibrators::FluxModel;
use crate::fields::SCIENCE;
use crate::lines::lines_between;
use crate::model::{Archive, DemoConfig, MemberOus, Project, SmallFiles, Source, Spw};
use crate::morphology::{self, Morphology};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use vo_archive::{PackageEntry, PackageLayout};
use vo_fits::{
    write_image_f32, CelestialWcs, ImageWcs, LinearAxis, Projection, StokesAxis, Value,
    SPEED_OF_LIGHT,
};
use vo_ingest::FileRecord;

/// The pixels along each sky axis of cubes and continuum images, and the channels of a
/// cube: small for most member OUSes, large for the `file_mous` ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProductSize {
    pub cube_pixels: usize,
    pub channels: usize,
    pub image_pixels: usize,
}

pub const SMALL: ProductSize = ProductSize {
    cube_pixels: 32,
    channels: 48,
    image_pixels: 96,
};
pub const LARGE: ProductSize = ProductSize {
    cube_pixels: 80,
    channels: 128,
    image_pixels: 192,
};

impl MemberOus {
    pub fn product_size(&self) -> ProductSize {
        if self.large_files {
            LARGE
        } else {
            SMALL
        }
    }
}

/// `uid://A001/X12a3/Xe9` → `uid___A001_X12a3_Xe9`.
pub fn uid_dir(uid: &str) -> String {
    uid.replace("uid://", "uid___").replace('/', "_")
}

pub(crate) fn seed_of(name: &str, seed: u64) -> u64 {
    let digest = Sha256::digest(format!("{seed}:{name}").as_bytes());
    u64::from_le_bytes(digest[..8].try_into().unwrap())
}

fn member_dir(p: &Project, m: &MemberOus) -> PathBuf {
    PathBuf::from(&p.code)
        .join(format!("science_goal.{}", uid_dir(&m.goal_uid)))
        .join(format!("group.{}", uid_dir(&m.group_uid)))
        .join(format!("member.{}", uid_dir(&m.uid)))
}

struct Product {
    name: String,
    body: Body,
    description: String,
}

/// A small file of a delivery (scripts, logs, reports, raw data's metadata).
struct TextFile {
    name: String,
    bytes: Vec<u8>,
    description: String,
}

/// A file's bytes, or only its size when it is planned (made on first access).
enum Body {
    Bytes(Vec<u8>),
    Planned(u64),
}

impl Body {
    fn len(&self) -> u64 {
        match self {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::Planned(len) => *len,
        }
    }
}

/// The channels of a window: (first channel's centre, width), GHz.
fn channels_of(w: &Spw, channels: usize) -> (f64, f64) {
    let step = (w.hi_ghz - w.lo_ghz) / channels as f64;
    (w.lo_ghz + step / 2.0, step)
}

/// The pixels across the beam's major axis of an image whose beam is coarse for its field.
const PIXELS_PER_BEAM: f64 = 5.0;

fn image_wcs(
    m: &MemberOus,
    source: &Source,
    spw: &Spw,
    pixels: usize,
    channels: usize,
) -> ImageWcs {
    let beam = m.resolution_arcsec / 3600.0;
    // the field and a little more; but a beam wider than PIXELS_PER_BEAM pixels is sampled by
    // that many, as ALMA's pipeline chooses its cell size (the image then reaches further)
    let pixel = (source.fov * 1.15 / pixels as f64).max(beam * 1.1 / PIXELS_PER_BEAM);
    let (first, step) = channels_of(spw, channels);
    ImageWcs {
        celestial: CelestialWcs {
            projection: Projection::Sin,
            crval: (source.ra, source.dec),
            crpix: ((pixels as f64 + 1.0) / 2.0, (pixels as f64 + 1.0) / 2.0),
            cdelt: (-pixel, pixel),
            pc: None,
        },
        spectral: Some(LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: first * 1e9,
            crpix: 1.0,
            cdelt: step * 1e9,
        }),
        stokes: Some(StokesAxis { codes: vec![1] }),
        shape: vec![pixels, pixels, channels, 1],
        beam: Some((beam * 1.1, beam * 0.9)),
    }
}

/// The velocity gradient across the line emission of `source`'s cubes, `pixels` wide (km/s
/// per pixel along x and y): a rotating disk or galaxy turning at an angle drawn from the
/// seed (apart from the archive's random stream), its velocity changing by 0.8 of the line
/// width over four σ of the emitting source (lx, ly ± 2σ).
pub fn velocity_gradient(seed: u64, m: &MemberOus, source: &Source, pixels: usize) -> (f64, f64) {
    let mut rng =
        ChaCha8Rng::seed_from_u64(seed_of(&format!("{}{}gradient", m.uid, source.name), seed));
    let angle: f64 = rng.gen_range(0.0..std::f64::consts::TAU);
    let sigma_pixels = 2.0 * pixels as f64 / 48.0;
    let per_pixel = 0.8 * m.line_width_kms / (4.0 * sigma_pixels);
    (per_pixel * angle.cos(), per_pixel * angle.sin())
}

/// The beam's major axis (FWHM) in pixels of an image.
fn beam_in_pixels(wcs: &ImageWcs) -> f64 {
    wcs.beam
        .map_or(0.0, |(major, _)| major / wcs.celestial.cdelt.1.abs())
}

/// The standard normal cumulative distribution (Abramowitz & Stegun 7.1.26 for erf,
/// within 1.5e-7).
fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-z * z).exp();
    0.5 * (1.0 + if x < 0.0 { -erf } else { erf })
}

/// One line in a window: observed frequency and FWHM (GHz), and peak (Jy/beam).
struct LineEmission {
    centre_ghz: f64,
    fwhm_ghz: f64,
    peak: f64,
}

impl LineEmission {
    /// The line's mean over a channel `lo..hi` (GHz): narrow lines in wide channels are
    /// diluted, never missed.
    fn over_channel(&self, lo: f64, hi: f64) -> f64 {
        self.shifted_over_channel(lo, hi, 0.0)
    }

    /// The same, the line moved by `velocity_kms` (positive: away, to lower frequency).
    fn shifted_over_channel(&self, lo: f64, hi: f64, velocity_kms: f64) -> f64 {
        let factor = 1.0 - velocity_kms * 1000.0 / SPEED_OF_LIGHT;
        let (centre, fwhm) = (self.centre_ghz * factor, self.fwhm_ghz * factor);
        let sigma = fwhm / (8.0 * 2f64.ln()).sqrt();
        let area = self.peak * sigma * (2.0 * std::f64::consts::PI).sqrt();
        area * (normal_cdf((hi - centre) / sigma) - normal_cdf((lo - centre) / sigma)) / (hi - lo)
    }
}

/// What a source emits: continuum S(ν) = flux (ν/ν0)^index at the centre, and its lines.
struct Emission {
    continuum_jy: f64,
    reference_ghz: f64,
    index: f64,
    lines: Vec<LineEmission>,
}

/// The pixels of a cube or image (FITS order: x fastest, then y, then channel): the
/// continuum in the source's shape, the line emission from a compact source offset from its
/// centre, Gaussian noise on top. Jy/beam.
#[allow(clippy::too_many_arguments)]
fn pixels(
    rng: &mut ChaCha8Rng,
    emission: &Emission,
    shape: &Morphology,
    beam_pixels: f64,
    gradient: (f64, f64),
    size: usize,
    first_ghz: f64,
    step_ghz: f64,
    channels: usize,
) -> Vec<f32> {
    let n = size as f64;
    let scale = n / 48.0;
    let (lx, ly) = (
        n / 2.0 + rng.gen_range(-8.0..8.0) * scale,
        n / 2.0 + rng.gen_range(-8.0..8.0) * scale,
    );
    let line_width = 2.0 * scale;
    let continuum_map = shape.observed(size, beam_pixels);
    let noise = 0.0005;
    let mut data = Vec::with_capacity(size * size * channels);
    for k in 0..channels {
        let centre = first_ghz + k as f64 * step_ghz;
        let continuum =
            emission.continuum_jy * (centre / emission.reference_ghz).powf(emission.index);
        let (lo, hi) = (centre - step_ghz / 2.0, centre + step_ghz / 2.0);
        for j in 0..size {
            for i in 0..size {
                let (x, y) = (i as f64 + 1.0, j as f64 + 1.0);
                let c = continuum * continuum_map[j * size + i];
                // the line source turns: its velocity changes across it (km/s per pixel)
                let weight = (-((x - lx).powi(2) + (y - ly).powi(2))
                    / (2.0 * line_width * line_width))
                    .exp();
                let l = if weight > 1e-6 {
                    let velocity = gradient.0 * (x - lx) + gradient.1 * (y - ly);
                    weight
                        * emission
                            .lines
                            .iter()
                            .map(|l| l.shifted_over_channel(lo, hi, velocity))
                            .sum::<f64>()
                } else {
                    0.0
                };
                // Box-Muller noise
                let (u1, u2): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen());
                let g = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
                data.push((c + l + noise * g) as f32);
            }
        }
    }
    data
}

/// A line's mean over its brightest channel is at least this (Jy/beam, 40 times the noise):
/// a narrow line in a wide channel is diluted, and would otherwise drown in the noise.
const LEAST_LINE_JY: f64 = 0.02;

/// The emission a member OUS's sources have in a window of channels `step_ghz` wide: their
/// continuum and every line the window covers at their redshift (the targeted one
/// brightest), with the science's widths.
fn emission(rng: &mut ChaCha8Rng, p: &Project, m: &MemberOus, w: &Spw, step_ghz: f64) -> Emission {
    let science = SCIENCE
        .iter()
        .find(|s| s.category == p.category)
        .expect("a project's category is one of SCIENCE's");
    let width_kms = m.line_width_kms;
    let lines = lines_between(w.lo_ghz, w.hi_ghz, m.redshift)
        .map(|(line, observed)| {
            let mut emission = LineEmission {
                centre_ghz: observed,
                fwhm_ghz: observed * width_kms * 1000.0 / SPEED_OF_LIGHT,
                peak: 1.0,
            };
            let diluted =
                emission.over_channel(observed - step_ghz / 2.0, observed + step_ghz / 2.0);
            let peak: f64 = if w.line.as_deref() == Some(line.0) {
                rng.gen_range(0.08..0.3)
            } else {
                rng.gen_range(0.02..0.07)
            };
            emission.peak = peak.max(LEAST_LINE_JY / diluted);
            emission
        })
        .collect();
    Emission {
        continuum_jy: rng.gen_range(0.002..0.02),
        reference_ghz: 100.0,
        index: rng.gen_range(science.spectral_index.0..science.spectral_index.1),
        lines,
    }
}

fn iso_from_mjd(mjd: f64) -> String {
    let t =
        chrono::DateTime::from_timestamp_millis(((mjd - 40587.0) * 86_400_000.0).round() as i64)
            .unwrap_or_default();
    t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
}

/// A FITS product of `source`: its bytes for `data`, or (no data) its size, which the
/// header and the axes decide. `redshift`: the source's, for science targets.
fn fits_file(
    p: &Project,
    m: &MemberOus,
    source: &Source,
    wcs: &ImageWcs,
    data: Option<&[f32]>,
    rest_ghz: Option<f64>,
    redshift: Option<f64>,
) -> Body {
    let mut header = wcs.primary_header();
    header.push("BUNIT", Value::Str("Jy/beam".into()), "brightness unit");
    header.push("BTYPE", Value::Str("Intensity".into()), "");
    header.push("OBJECT", Value::Str(source.name.clone()), "");
    header.push("TELESCOP", Value::Str("ALMA".into()), "");
    header.push("INSTRUME", Value::Str("ALMA".into()), "");
    header.push(
        "OBSERVER",
        Value::Str(p.pi_name.clone()),
        "PI of the project",
    );
    header.push("ALMA-TTL", Value::Str(p.title.clone()), "project title");
    header.push(
        "ALMA-SB",
        Value::Str(m.schedblock_name.clone()),
        "scheduling block",
    );
    header.push("PROPCODE", Value::Str(p.code.clone()), "ALMA project code");
    if let Some(rest) = rest_ghz {
        header.push("RESTFRQ", Value::Float(rest * 1e9), "rest frequency [Hz]");
    }
    header.push(
        "SPECSYS",
        Value::Str("LSRK".into()),
        "spectral reference frame",
    );
    if let Some(z) = redshift {
        header.push("ZSOURCE", Value::Float(z), "redshift of the source");
    }
    let (start, end) = (
        m.ebs.first().unwrap().start_mjd,
        m.ebs.last().unwrap().end_mjd,
    );
    let exposure: f64 = m
        .ebs
        .iter()
        .map(|e| (e.end_mjd - e.start_mjd) * 86400.0 * 0.55)
        .sum();
    header.push("TIMESYS", Value::Str("UTC".into()), "");
    header.push(
        "DATE-OBS",
        Value::Str(iso_from_mjd(start)),
        "start of observation",
    );
    header.push("DATE-BEG", Value::Str(iso_from_mjd(start)), "");
    header.push("DATE-END", Value::Str(iso_from_mjd(end)), "");
    header.push("MJD-OBS", Value::Float(start), "start of observation [d]");
    header.push("MJD-BEG", Value::Float(start), "");
    header.push("MJD-END", Value::Float(end), "");
    header.push(
        "XPOSURE",
        Value::Float((exposure * 100.0).round() / 100.0),
        "exposure time [s]",
    );
    let Some(data) = data else {
        let pixels: usize = wcs.shape.iter().product();
        let data_len = (pixels * 4).div_ceil(vo_fits::BLOCK) * vo_fits::BLOCK;
        return Body::Planned((header.to_bytes().len() + data_len) as u64);
    };
    let mut bytes = Vec::with_capacity(data.len() * 4 + 8 * 2880);
    write_image_f32(&mut bytes, &header, data).expect("writing to memory");
    Body::Bytes(bytes)
}

/// A source's shape, drawn from the seed for its science (the same in every product of it).
pub fn shape_of(archive: &Archive, p: &Project, m: &MemberOus, source: &Source) -> Morphology {
    shape_drawn(archive.config.seed, p, m, source)
}

fn shape_drawn(seed: u64, p: &Project, m: &MemberOus, source: &Source) -> Morphology {
    let mut rng =
        ChaCha8Rng::seed_from_u64(seed_of(&format!("{}{}shape", m.uid, source.name), seed));
    morphology::draw(&mut rng, p.category, m.is_mosaic)
}

/// The band the continuum images (and the calibrator's) cover: the whole tuning.
fn continuum_band(m: &MemberOus) -> Spw {
    Spw {
        lo_ghz: m.spws.iter().map(|w| w.lo_ghz).fold(f64::MAX, f64::min),
        hi_ghz: m.spws.iter().map(|w| w.hi_ghz).fold(0.0, f64::max),
        line: None,
        ..m.spws[0].clone()
    }
}

/// A science target's cube in one spectral window.
fn cube_name(m: &MemberOus, source: &Source, w: &Spw) -> String {
    format!(
        "member.{}.{}_sci.spw{}.cube.I.pbcor.fits",
        uid_dir(&m.uid),
        source.name,
        w.id
    )
}

/// The phase calibrator's image over every spectral window.
fn calibrator_image_name(m: &MemberOus, calibrator: &Source) -> String {
    let ids: Vec<String> = m.spws.iter().map(|w| w.id.to_string()).collect();
    format!(
        "member.{}.{}_ph.spw{}.mfs.I.pbcor.fits",
        uid_dir(&m.uid),
        calibrator.name,
        ids.join("_")
    )
}

/// The product an ObsCore row describes — a science target's cube in one spectral window,
/// or (`calibrator`) the phase calibrator's image — and the preview kind that shows it
/// (vo-archive's preview kinds).
pub(crate) fn row_product(
    m: &MemberOus,
    source: &Source,
    w: &Spw,
    calibrator: bool,
) -> (String, &'static str) {
    if calibrator {
        (calibrator_image_name(m, source), "continuum")
    } else {
        (cube_name(m, source, w), "peak")
    }
}

/// The FITS products of a member OUS; with `pixels` false, only their names and sizes.
fn products(seed: u64, p: &Project, m: &MemberOus, pixels_too: bool) -> Vec<Product> {
    let prefix = format!("member.{}", uid_dir(&m.uid));
    let size = m.product_size();
    let mut out = Vec::new();
    let ids: Vec<String> = m.spws.iter().map(|w| w.id.to_string()).collect();
    let continuum_band = continuum_band(m);
    for source in &m.sources {
        let shape = shape_drawn(seed, p, m, source);
        for w in &m.spws {
            let mut rng = ChaCha8Rng::seed_from_u64(seed_of(
                &format!("{}{}{}", m.uid, source.name, w.id),
                seed,
            ));
            let wcs = image_wcs(m, source, w, size.cube_pixels, size.channels);
            let (first, step) = channels_of(w, size.channels);
            let data = pixels_too.then(|| {
                let emission = emission(&mut rng, p, m, w, step);
                pixels(
                    &mut rng,
                    &emission,
                    &shape,
                    beam_in_pixels(&wcs),
                    velocity_gradient(seed, m, source, size.cube_pixels),
                    size.cube_pixels,
                    first,
                    step,
                    size.channels,
                )
            });
            // the rest frequency of the targeted line, else of the first line in the window
            let covered: Vec<_> = lines_between(w.lo_ghz, w.hi_ghz, m.redshift).collect();
            let rest = covered
                .iter()
                .find(|(line, _)| w.line.as_deref() == Some(line.0))
                .or(covered.first())
                .map(|(line, _)| line.1);
            out.push(Product {
                name: cube_name(m, source, w),
                body: fits_file(p, m, source, &wcs, data.as_deref(), rest, Some(m.redshift)),
                description: format!(
                    "Spectral cube of {} in spectral window {}",
                    source.name, w.id
                ),
            });
        }
        let mut rng =
            ChaCha8Rng::seed_from_u64(seed_of(&format!("{}{}cont", m.uid, source.name), seed));
        let wcs = image_wcs(m, source, &continuum_band, size.image_pixels, 1);
        let (first, step) = channels_of(&continuum_band, 1);
        let data = pixels_too.then(|| {
            let mut continuum = emission(&mut rng, p, m, &continuum_band, step);
            continuum.lines.clear();
            pixels(
                &mut rng,
                &continuum,
                &shape,
                beam_in_pixels(&wcs),
                (0.0, 0.0),
                size.image_pixels,
                first,
                step,
                1,
            )
        });
        out.push(Product {
            name: format!(
                "{prefix}.{}_sci.spw{}.cont.I.pbcor.fits",
                source.name,
                ids.join("_")
            ),
            body: fits_file(p, m, source, &wcs, data.as_deref(), None, Some(m.redshift)),
            description: format!("Continuum image of {}", source.name),
        });
    }
    // the phase calibrator, a point source of the Calibrator Catalogue's flux density
    if let Some(calibrator) = m.calibrator_source() {
        let model = FluxModel::of(seed, &calibrator.name);
        let mjd = m.ebs[0].start_mjd;
        let wcs = image_wcs(m, &calibrator, &continuum_band, size.cube_pixels, 1);
        let (first, step) = channels_of(&continuum_band, 1);
        let data = pixels_too.then(|| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed_of(
                &format!("{}{}calibrator", m.uid, calibrator.name),
                seed,
            ));
            let emission = Emission {
                continuum_jy: model.flux_jy(mjd, 100.0),
                reference_ghz: 100.0,
                index: model.index,
                lines: Vec::new(),
            };
            pixels(
                &mut rng,
                &emission,
                &Morphology::point(),
                beam_in_pixels(&wcs),
                (0.0, 0.0),
                size.cube_pixels,
                first,
                step,
                1,
            )
        });
        out.push(Product {
            name: calibrator_image_name(m, &calibrator),
            body: fits_file(p, m, &calibrator, &wcs, data.as_deref(), None, None),
            description: format!(
                "Image of the phase calibrator {} (its flux history: alma.calibrator_flux)",
                calibrator.name
            ),
        });
    }
    out
}

fn auxiliary(p: &Project, m: &MemberOus) -> Vec<TextFile> {
    let prefix = format!("member.{}", uid_dir(&m.uid));
    let mut out = vec![
        TextFile {
            name: format!("{prefix}.scriptForPI.py"),
            bytes: format!("# ALMA data reduction script for {} {}\n# Restores the calibrated measurement sets from the raw data.\nimport os\nfor eb in {:?}:\n    print('calibrating', eb)\n", p.code, m.uid, m.ebs.iter().map(|e| uid_dir(&e.uid)).collect::<Vec<_>>()).into_bytes(),
            description: "Script restoring the calibrated data".into(),
        },
        TextFile {
            name: format!("{prefix}.scriptForImaging.py"),
            bytes: format!("# Imaging script for {}\ntclean(vis='calibrated.ms', imagename='{}', specmode='cube', cell='{:.4}arcsec')\n", m.uid, m.sources[0].name, m.resolution_arcsec / 5.0).into_bytes(),
            description: "Imaging script".into(),
        },
        TextFile {
            name: format!("{prefix}.qa2_report.html"),
            bytes: format!("<html><body><h1>QA2 report {}</h1><p>Status: {}</p></body></html>\n", m.uid, if m.qa2_passed { "Pass" } else { "Fail" }).into_bytes(),
            description: "QA2 report".into(),
        },
        TextFile {
            name: format!("{prefix}.casa_commands.log"),
            bytes: format!("# CASA commands run by the pipeline for {}\nhifa_importdata(vis={:?})\nhifa_flagdata()\nhif_makeimages()\n", m.uid, m.ebs.iter().map(|e| uid_dir(&e.uid)).collect::<Vec<_>>()).into_bytes(),
            description: "Pipeline log".into(),
        },
    ];
    for eb in &m.ebs {
        let e = uid_dir(&eb.uid);
        out.push(TextFile {
            name: format!("{e}.ms.scriptForCalibration.py"),
            bytes: format!("# Calibration script for {e}\napplycal(vis='{e}.ms', gaintable=['{e}.ms.tsys', '{e}.ms.bandpass'])\n").into_bytes(),
            description: "Calibration script".into(),
        });
        out.push(TextFile {
            name: format!("{e}.qa0_report.html"),
            bytes: format!(
                "<html><body><h1>QA0 report {}</h1><p>MJD {:.5} to {:.5}</p></body></html>\n",
                eb.uid, eb.start_mjd, eb.end_mjd
            )
            .into_bytes(),
            description: "QA0 report".into(),
        });
    }
    out
}

fn raw(m: &MemberOus, eb_uid: &str) -> Vec<TextFile> {
    let e = uid_dir(eb_uid);
    vec![
        TextFile { name: format!("{e}/ASDM.xml"), bytes: format!("<?xml version=\"1.0\"?>\n<ASDM><Entity entityId=\"{eb_uid}\"/><Table><Name>Main</Name></Table></ASDM>\n").into_bytes(), description: String::new() },
        TextFile { name: format!("{e}/SBSummary.xml"), bytes: format!("<?xml version=\"1.0\"?>\n<SBSummaryTable><sbSummaryUID>{}</sbSummaryUID></SBSummaryTable>\n", m.schedblock_name).into_bytes(), description: String::new() },
    ]
}

fn readme(p: &Project, m: &MemberOus) -> String {
    let sources: Vec<&str> = m.sources.iter().map(|s| s.name.as_str()).collect();
    format!(
        "ALMA data delivery\n==================\nProject:      {}\nTitle:        {}\nPI:           {}\nMember OUS:   {}\nGroup OUS:    {}\nScience goal: {}\nArray:        {}\nBand:         {}\n\
         Sources:      {}\nSource velocity: {:.1} km/s (optical, c·z; redshift z = {:.6})\n\n\
         Directories: calibration, log, product (FITS images), qa, script, raw.\n\
         To restore the calibrated measurement sets run: casa -c *scriptForPI.py in the script directory.\n\
         Acknowledgement: This paper makes use of the following ALMA data: ADS/JAO.ALMA#{}.\n",
        p.code,
        p.title,
        p.pi_name,
        m.uid,
        m.group_uid,
        m.goal_uid,
        m.array,
        m.band,
        sources.join(", "),
        m.redshift * SPEED_OF_LIGHT / 1000.0,
        m.redshift,
        p.code
    )
}

/// What a file is, in archive.file terms.
struct Kind {
    kind: &'static str,
    semantics: &'static str,
    content_type: &'static str,
}

const PRODUCT_PACKAGE: Kind = Kind {
    kind: "product-package",
    semantics: "#this",
    content_type: "application/x-tar",
};
const AUXILIARY_PACKAGE: Kind = Kind {
    kind: "auxiliary-package",
    semantics: "#auxiliary",
    content_type: "application/x-tar",
};
const RAW_PACKAGE: Kind = Kind {
    kind: "raw-package",
    semantics: "#progenitor",
    content_type: "application/x-tar",
};
const PRODUCT: Kind = Kind {
    kind: "product",
    semantics: "#this",
    content_type: "application/fits",
};
const README: Kind = Kind {
    kind: "readme",
    semantics: "#documentation",
    content_type: "text/plain",
};

fn checksum(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The record of one of `m`'s files: at `path` (relative to the data directory) unless it
/// is only inside `package`; its checksum once it is made.
#[allow(clippy::too_many_arguments)]
fn record(
    m: &MemberOus,
    name: &str,
    path: Option<&Path>,
    size: u64,
    sha256: Option<String>,
    kind: &Kind,
    package: Option<&str>,
    description: &str,
) -> FileRecord {
    FileRecord {
        name: name.to_string(),
        member_ous_uid: m.uid.clone(),
        path: path.map(|p| p.display().to_string()),
        package_name: package.map(str::to_string),
        kind: kind.kind.into(),
        semantics: kind.semantics.into(),
        content_type: kind.content_type.into(),
        size_bytes: size as i64,
        sha256,
        description: description.to_string(),
    }
}

/// Where one member OUS's files go: written under `data_dir`, or (`write` false) only
/// planned — named and sized, made on first access.
struct Store<'a> {
    data_dir: &'a Path,
    write: bool,
}

impl Store<'_> {
    /// Stores `body` at `relative`; its checksum, if it was written. A file is written
    /// under a temporary name and renamed into place, so a reader never sees part of it
    /// (two makers of the same file write the same bytes).
    fn put(&self, relative: &Path, body: &Body) -> std::io::Result<Option<String>> {
        let Body::Bytes(bytes) = body else {
            return Ok(None);
        };
        if !self.write {
            return Ok(None);
        }
        let path = self.data_dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut partial = path.clone().into_os_string();
        partial.push(format!(".{}.partial", std::process::id()));
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, &path)?;
        Ok(Some(checksum(bytes)))
    }

    /// The record of a package kept as the files it holds (`entries`, relative to the
    /// data directory): the size of the tar assembled from them on download, and its
    /// checksum once they are written.
    fn package(
        &self,
        name: &str,
        entries: Vec<PackageEntry>,
        m: &MemberOus,
        kind: &Kind,
        description: &str,
    ) -> std::io::Result<FileRecord> {
        let layout = PackageLayout::new(entries);
        let sha256 = if self.write {
            let mut hasher = Sha256::new();
            layout.write(self.data_dir, &mut hasher)?;
            Some(format!("{:x}", hasher.finalize()))
        } else {
            None
        };
        Ok(record(
            m,
            name,
            None,
            layout.len(),
            sha256,
            kind,
            None,
            description,
        ))
    }
}

/// The delivery of one member OUS: its files written under the data directory (or only
/// planned), and their records in registration order (each package before its files).
fn member_files(
    seed: u64,
    p: &Project,
    m: &MemberOus,
    store: &Store,
) -> std::io::Result<Vec<FileRecord>> {
    let mut records = Vec::new();
    let member = member_dir(p, m);
    let product_dir = Path::new("products").join(&member).join("product");
    let package_dir = Path::new("packages").join(&p.code);
    let base = format!("{}_{}", p.code, uid_dir(&m.uid));

    let product_tar = format!("{base}_001_of_001.tar");
    let mut entries = Vec::new();
    let mut inner = Vec::new();
    for f in products(seed, p, m, store.write) {
        let relative = product_dir.join(&f.name);
        let sha256 = store.put(&relative, &f.body)?;
        inner.push(record(
            m,
            &f.name,
            Some(&relative),
            f.body.len(),
            sha256,
            &PRODUCT,
            Some(&product_tar),
            &f.description,
        ));
        entries.push(PackageEntry {
            path: relative,
            size: f.body.len(),
        });
    }
    records.push(store.package(
        &product_tar,
        entries,
        m,
        &PRODUCT_PACKAGE,
        "Product package: FITS images and cubes",
    )?);
    records.append(&mut inner);

    let aux_tar = format!("{base}_auxiliary.tar");
    let mut entries = Vec::new();
    for f in auxiliary(p, m) {
        let (sub, content_type) = if f.name.ends_with(".py") {
            ("script", "text/plain")
        } else if f.name.ends_with(".log") {
            ("log", "text/plain")
        } else {
            ("qa", "text/html")
        };
        let kind = Kind {
            kind: "auxiliary",
            semantics: "#auxiliary",
            content_type,
        };
        let relative = Path::new("products").join(&member).join(sub).join(&f.name);
        let body = Body::Bytes(f.bytes);
        let sha256 = store.put(&relative, &body)?;
        inner.push(record(
            m,
            &f.name,
            Some(&relative),
            body.len(),
            sha256,
            &kind,
            Some(&aux_tar),
            &f.description,
        ));
        entries.push(PackageEntry {
            path: relative,
            size: body.len(),
        });
    }
    records.push(store.package(
        &aux_tar,
        entries,
        m,
        &AUXILIARY_PACKAGE,
        "Auxiliary package: scripts, logs and reports",
    )?);
    records.append(&mut inner);

    // raw data are kept only in their package: one tar per execution block
    for eb in &m.ebs {
        let raw_tar = format!("{}_{}.asdm.sdm.tar", p.code, uid_dir(&eb.uid));
        let files = raw(m, &eb.uid);
        let entries: Vec<(String, &[u8])> = files
            .iter()
            .map(|f| (f.name.clone(), f.bytes.as_slice()))
            .collect();
        let mut tar = Vec::new();
        vo_archive::write_tar(&mut tar, &entries)?;
        let relative = package_dir.join(&raw_tar);
        let body = Body::Bytes(tar);
        let sha256 = store.put(&relative, &body)?;
        records.push(record(
            m,
            &raw_tar,
            Some(&relative),
            body.len(),
            sha256,
            &RAW_PACKAGE,
            None,
            &format!("Raw data (execution block {})", eb.uid),
        ));
    }

    let readme_name = format!("member.{}.README.txt", uid_dir(&m.uid));
    let relative = package_dir.join(&readme_name);
    let body = Body::Bytes(readme(p, m).into_bytes());
    let sha256 = store.put(&relative, &body)?;
    records.push(record(
        m,
        &readme_name,
        Some(&relative),
        body.len(),
        sha256,
        &README,
        None,
        "README of the delivery",
    ));
    Ok(records)
}

/// Whether a member OUS's files are written when the archive is loaded (large ones always;
/// small ones unless they are made on first access).
fn written_at_load(archive: &Archive, m: &MemberOus) -> bool {
    m.has_files && (m.large_files || archive.config.small_files == SmallFiles::Written)
}

/// Writes the files of every member OUS whose files are written at load under `data_dir`,
/// and the manifest of every product's shape; returns the records to register.
pub fn write_files(archive: &Archive, data_dir: &Path) -> std::io::Result<Vec<FileRecord>> {
    let mut records = Vec::new();
    let mut manifest = String::from("# product\tmember_ous\tsource\tclass\tparameters\n");
    let mut gradients = String::from(
        "# product\tvelocity gradient of the line emission in its cubes, km/s per pixel along x\tand along y\n",
    );
    let store = Store {
        data_dir,
        write: true,
    };
    for (p, m) in archive.members().filter(|(_, m)| m.has_files) {
        for source in &m.sources {
            let shape = shape_of(archive, p, m, source);
            let (gx, gy) =
                velocity_gradient(archive.config.seed, m, source, m.product_size().cube_pixels);
            gradients.push_str(&format!(
                "member.{}.{}_sci\t{gx:.4}\t{gy:.4}\n",
                uid_dir(&m.uid),
                source.name
            ));
            manifest.push_str(&format!(
                "member.{}.{}_sci\t{}\t{}\t{}\t{}\n",
                uid_dir(&m.uid),
                source.name,
                m.uid,
                source.name,
                shape.class.name(),
                shape.describe()
            ));
        }
        if written_at_load(archive, m) {
            records.extend(member_files(archive.config.seed, p, m, &store)?);
        }
    }
    // each product's shape, and the families of related projects, for scoring similarity
    // search (beside the data, not served)
    std::fs::create_dir_all(data_dir)?;
    std::fs::write(data_dir.join(MANIFEST), manifest)?;
    std::fs::write(data_dir.join(GRADIENTS_MANIFEST), gradients)?;
    let mut families = String::from("# family\tprojects (related: one programme's proposals)\n");
    for (k, codes) in archive.families.iter().enumerate() {
        families.push_str(&format!("{}\t{}\n", k + 1, codes.join(",")));
    }
    std::fs::write(data_dir.join(FAMILIES_MANIFEST), families)?;
    Ok(records)
}

/// Every FITS product written under `data_dir` (its `products/` tree), sorted: for the tests
/// and benchmarks that measure the demo's products as the archive stores them.
pub fn product_files(data_dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut pending = vec![data_dir.join("products")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "fits") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The records of the member OUSes whose files are made on first access, one member OUS
/// at a time (uid, its records): names and sizes, no checksums yet.
pub fn planned_files(archive: &Archive) -> impl Iterator<Item = (String, Vec<FileRecord>)> + '_ {
    let store = Store {
        data_dir: Path::new(""),
        write: false,
    };
    archive
        .members()
        .filter(|(_, m)| m.has_files && !written_at_load(archive, m))
        .map(move |(p, m)| {
            let records = member_files(archive.config.seed, p, m, &store)
                .expect("planning writes nothing, so it cannot fail");
            (m.uid.clone(), records)
        })
}

/// Makes the files of member OUS `m` (of project `p`, drawn under `config`) under
/// `data_dir`: the files [`planned_files`] registered, byte for byte.
pub(crate) fn make_member_files(
    config: &DemoConfig,
    p: &Project,
    m: &MemberOus,
    data_dir: &Path,
) -> std::io::Result<Vec<FileRecord>> {
    member_files(
        config.seed,
        p,
        m,
        &Store {
            data_dir,
            write: true,
        },
    )
}

/// The manifest of the families of related projects, under the data directory.
pub const FAMILIES_MANIFEST: &str = "demo-project-families.tsv";

/// The manifest of the line emission's velocity gradients, under the data directory.
pub const GRADIENTS_MANIFEST: &str = "demo-velocity-gradients.tsv";

/// The manifest of the products' shapes, under the data directory.
pub const MANIFEST: &str = "demo-morphology.tsv";
