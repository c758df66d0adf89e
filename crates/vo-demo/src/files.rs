//! Files for the member OUSes marked `has_files`: FITS cubes (one per source and spectral
//! window) and continuum images with correct WCS, holding continuum and line emission over
//! noise; packaged like ALMA: `<code>_uid___…_001_of_001.tar` (products),
//! `<code>_uid___…_auxiliary.tar` (scripts, logs, reports), one `<code>_uid___….asdm.sdm.tar`
//! per execution block (raw data) and `member.uid___….README.txt`.
//!
//! Layout under the data directory: `products/<code>/science_goal.uid___…/group.uid___…/
//! member.uid___…/{product,script,log,qa}/*` and `packages/<code>/*.tar|*.txt`.

use crate::model::{Archive, MemberOus, Project, Source, Spw};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use vo_fits::{write_image_f32, CelestialWcs, ImageWcs, LinearAxis, Projection, StokesAxis, Value};
use vo_ingest::FileRecord;

/// Pixels along each sky axis and channels per cube.
pub const IMAGE_PIXELS: usize = 48;
pub const CUBE_CHANNELS: usize = 24;

/// `uid://A001/X12a3/Xe9` → `uid___A001_X12a3_Xe9`.
pub fn uid_dir(uid: &str) -> String {
    uid.replace("uid://", "uid___").replace('/', "_")
}

fn seed_of(name: &str, seed: u64) -> u64 {
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
    bytes: Vec<u8>,
    description: String,
}

fn image_wcs(m: &MemberOus, source: &Source, spw: Option<&Spw>, channels: usize) -> ImageWcs {
    let pixel = source.fov * 1.15 / IMAGE_PIXELS as f64;
    let spectral = spw.map(|w| {
        let step = (w.hi_ghz - w.lo_ghz) * 1e9 / channels as f64;
        LinearAxis {
            ctype: "FREQ".into(),
            unit: "Hz".into(),
            crval: w.lo_ghz * 1e9 + step / 2.0,
            crpix: 1.0,
            cdelt: step,
        }
    });
    let beam = m.resolution_arcsec / 3600.0;
    ImageWcs {
        celestial: CelestialWcs {
            projection: Projection::Sin,
            crval: (source.ra, source.dec),
            crpix: (
                (IMAGE_PIXELS as f64 + 1.0) / 2.0,
                (IMAGE_PIXELS as f64 + 1.0) / 2.0,
            ),
            cdelt: (-pixel, pixel),
            pc: None,
        },
        spectral,
        stokes: Some(StokesAxis { codes: vec![1] }),
        shape: vec![IMAGE_PIXELS, IMAGE_PIXELS, channels, 1],
        beam: Some((beam * 1.1, beam * 0.9)),
    }
}

/// Emission model: a continuum source near the centre, and (for a line window) a compact,
/// offset line source peaking mid-band; Gaussian noise on top. Jy/beam.
fn pixels(rng: &mut ChaCha8Rng, channels: usize, line: bool) -> Vec<f32> {
    let n = IMAGE_PIXELS as f64;
    let (cx, cy) = (
        n / 2.0 + rng.gen_range(-3.0..3.0),
        n / 2.0 + rng.gen_range(-3.0..3.0),
    );
    let (lx, ly) = (
        n / 2.0 + rng.gen_range(-10.0..10.0),
        n / 2.0 + rng.gen_range(-10.0..10.0),
    );
    let continuum = rng.gen_range(0.002..0.02);
    let line_peak = rng.gen_range(0.02..0.2);
    let line_centre = channels as f64 / 2.0 + rng.gen_range(-3.0..3.0);
    let line_width = rng.gen_range(1.5..4.0);
    let noise = 0.0005;
    let mut data = Vec::with_capacity(IMAGE_PIXELS * IMAGE_PIXELS * channels);
    for k in 0..channels {
        let spectral = if line {
            (-(k as f64 - line_centre).powi(2) / (2.0 * line_width * line_width)).exp()
        } else {
            0.0
        };
        for j in 0..IMAGE_PIXELS {
            for i in 0..IMAGE_PIXELS {
                let (x, y) = (i as f64 + 1.0, j as f64 + 1.0);
                let c =
                    continuum * (-((x - cx).powi(2) + (y - cy).powi(2)) / (2.0 * 3.0 * 3.0)).exp();
                let l = line_peak
                    * spectral
                    * (-((x - lx).powi(2) + (y - ly).powi(2)) / (2.0 * 2.0 * 2.0)).exp();
                // Box-Muller noise
                let (u1, u2): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen());
                let g = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
                data.push((c + l + noise * g) as f32);
            }
        }
    }
    data
}

fn iso_from_mjd(mjd: f64) -> String {
    let t =
        chrono::DateTime::from_timestamp_millis(((mjd - 40587.0) * 86_400_000.0).round() as i64)
            .unwrap_or_default();
    t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
}

fn fits_bytes(
    p: &Project,
    m: &MemberOus,
    source: &Source,
    wcs: &ImageWcs,
    data: &[f32],
    rest_ghz: Option<f64>,
) -> Vec<u8> {
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
    let mut bytes = Vec::with_capacity(data.len() * 4 + 8 * 2880);
    write_image_f32(&mut bytes, &header, data).expect("writing to memory");
    bytes
}

fn products(archive: &Archive, p: &Project, m: &MemberOus) -> Vec<Product> {
    let prefix = format!("member.{}", uid_dir(&m.uid));
    let mut out = Vec::new();
    for source in &m.sources {
        for w in &m.spws {
            let mut rng = ChaCha8Rng::seed_from_u64(seed_of(
                &format!("{}{}{}", m.uid, source.name, w.id),
                archive.config.seed,
            ));
            let wcs = image_wcs(m, source, Some(w), CUBE_CHANNELS);
            let data = pixels(&mut rng, CUBE_CHANNELS, w.line.is_some());
            out.push(Product {
                name: format!("{prefix}.{}_sci.spw{}.cube.I.pbcor.fits", source.name, w.id),
                bytes: fits_bytes(p, m, source, &wcs, &data, None),
                description: format!(
                    "Spectral cube of {} in spectral window {}",
                    source.name, w.id
                ),
            });
        }
        let ids: Vec<String> = m.spws.iter().map(|w| w.id.to_string()).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(seed_of(
            &format!("{}{}cont", m.uid, source.name),
            archive.config.seed,
        ));
        let continuum_band = Spw {
            lo_ghz: m.spws.iter().map(|w| w.lo_ghz).fold(f64::MAX, f64::min),
            hi_ghz: m.spws.iter().map(|w| w.hi_ghz).fold(0.0, f64::max),
            ..m.spws[0].clone()
        };
        let wcs = image_wcs(m, source, Some(&continuum_band), 1);
        let data = pixels(&mut rng, 1, false);
        out.push(Product {
            name: format!(
                "{prefix}.{}_sci.spw{}.cont.I.pbcor.fits",
                source.name,
                ids.join("_")
            ),
            bytes: fits_bytes(p, m, source, &wcs, &data, None),
            description: format!("Continuum image of {}", source.name),
        });
    }
    out
}

fn auxiliary(p: &Project, m: &MemberOus) -> Vec<Product> {
    let prefix = format!("member.{}", uid_dir(&m.uid));
    let mut out = vec![
        Product {
            name: format!("{prefix}.scriptForPI.py"),
            bytes: format!("# ALMA data reduction script for {} {}\n# Restores the calibrated measurement sets from the raw data.\nimport os\nfor eb in {:?}:\n    print('calibrating', eb)\n", p.code, m.uid, m.ebs.iter().map(|e| uid_dir(&e.uid)).collect::<Vec<_>>()).into_bytes(),
            description: "Script restoring the calibrated data".into(),
        },
        Product {
            name: format!("{prefix}.scriptForImaging.py"),
            bytes: format!("# Imaging script for {}\ntclean(vis='calibrated.ms', imagename='{}', specmode='cube', cell='{:.4}arcsec')\n", m.uid, m.sources[0].name, m.resolution_arcsec / 5.0).into_bytes(),
            description: "Imaging script".into(),
        },
        Product {
            name: format!("{prefix}.qa2_report.html"),
            bytes: format!("<html><body><h1>QA2 report {}</h1><p>Status: {}</p></body></html>\n", m.uid, if m.qa2_passed { "Pass" } else { "Fail" }).into_bytes(),
            description: "QA2 report".into(),
        },
        Product {
            name: format!("{prefix}.casa_commands.log"),
            bytes: format!("# CASA commands run by the pipeline for {}\nhifa_importdata(vis={:?})\nhifa_flagdata()\nhif_makeimages()\n", m.uid, m.ebs.iter().map(|e| uid_dir(&e.uid)).collect::<Vec<_>>()).into_bytes(),
            description: "Pipeline log".into(),
        },
    ];
    for eb in &m.ebs {
        let e = uid_dir(&eb.uid);
        out.push(Product {
            name: format!("{e}.ms.scriptForCalibration.py"),
            bytes: format!("# Calibration script for {e}\napplycal(vis='{e}.ms', gaintable=['{e}.ms.tsys', '{e}.ms.bandpass'])\n").into_bytes(),
            description: "Calibration script".into(),
        });
        out.push(Product {
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

fn raw(m: &MemberOus, eb_uid: &str) -> Vec<Product> {
    let e = uid_dir(eb_uid);
    vec![
        Product { name: format!("{e}/ASDM.xml"), bytes: format!("<?xml version=\"1.0\"?>\n<ASDM><Entity entityId=\"{eb_uid}\"/><Table><Name>Main</Name></Table></ASDM>\n").into_bytes(), description: String::new() },
        Product { name: format!("{e}/SBSummary.xml"), bytes: format!("<?xml version=\"1.0\"?>\n<SBSummaryTable><sbSummaryUID>{}</sbSummaryUID></SBSummaryTable>\n", m.schedblock_name).into_bytes(), description: String::new() },
    ]
}

fn readme(p: &Project, m: &MemberOus) -> String {
    format!(
        "ALMA data delivery\n==================\nProject:      {}\nTitle:        {}\nPI:           {}\nMember OUS:   {}\nGroup OUS:    {}\nScience goal: {}\nArray:        {}\nBand:         {}\n\n\
         Directories: calibration, log, product (FITS images), qa, script, raw.\n\
         To restore the calibrated measurement sets run: casa -c *scriptForPI.py in the script directory.\n\
         Acknowledgement: This paper makes use of the following ALMA data: ADS/JAO.ALMA#{}.\n",
        p.code, p.title, p.pi_name, m.uid, m.group_uid, m.goal_uid, m.array, m.band, p.code
    )
}

fn write_tar(path: &Path, entries: &[(String, &[u8])]) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut builder = tar::Builder::new(std::io::BufWriter::new(file));
    for (name, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        builder.append_data(&mut header, name, *data)?;
    }
    builder
        .into_inner()?
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()
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

fn record(
    m: &MemberOus,
    name: &str,
    path: Option<&Path>,
    bytes: &[u8],
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
        size_bytes: bytes.len() as i64,
        sha256: Some(format!("{:x}", Sha256::digest(bytes))),
        description: description.to_string(),
    }
}

/// Writes a package tar under `package_dir` and returns its record.
fn write_package(
    data_dir: &Path,
    package_dir: &Path,
    name: &str,
    entries: &[(String, &[u8])],
    m: &MemberOus,
    kind: &Kind,
    description: &str,
) -> std::io::Result<FileRecord> {
    let relative = package_dir.join(name);
    write_tar(&data_dir.join(&relative), entries)?;
    let bytes = std::fs::read(data_dir.join(&relative))?;
    Ok(record(
        m,
        name,
        Some(&relative),
        &bytes,
        kind,
        None,
        description,
    ))
}

/// Writes the files of every member OUS marked `has_files` under `data_dir` and returns the
/// records to register.
pub fn write_files(archive: &Archive, data_dir: &Path) -> std::io::Result<Vec<FileRecord>> {
    let mut records = Vec::new();
    for (p, m) in archive.members().filter(|(_, m)| m.has_files) {
        let member = member_dir(p, m);
        let product_dir = Path::new("products").join(&member).join("product");
        let package_dir = Path::new("packages").join(&p.code);
        std::fs::create_dir_all(data_dir.join(&product_dir))?;
        std::fs::create_dir_all(data_dir.join(&package_dir))?;
        let base = format!("{}_{}", p.code, uid_dir(&m.uid));

        let products = products(archive, p, m);
        let product_tar = format!("{base}_001_of_001.tar");
        let entries: Vec<(String, &[u8])> = products
            .iter()
            .map(|f| {
                (
                    member.join("product").join(&f.name).display().to_string(),
                    f.bytes.as_slice(),
                )
            })
            .collect();
        records.push(write_package(
            data_dir,
            &package_dir,
            &product_tar,
            &entries,
            m,
            &PRODUCT_PACKAGE,
            "Product package: FITS images and cubes",
        )?);
        for f in &products {
            let relative = product_dir.join(&f.name);
            std::fs::write(data_dir.join(&relative), &f.bytes)?;
            records.push(record(
                m,
                &f.name,
                Some(&relative),
                &f.bytes,
                &PRODUCT,
                Some(&product_tar),
                &f.description,
            ));
        }

        let aux = auxiliary(p, m);
        let aux_tar = format!("{base}_auxiliary.tar");
        let aux_dir = |f: &Product| {
            let sub = if f.name.ends_with(".py") {
                "script"
            } else if f.name.ends_with(".log") {
                "log"
            } else {
                "qa"
            };
            Path::new("products").join(&member).join(sub)
        };
        let entries: Vec<(String, &[u8])> = aux
            .iter()
            .map(|f| {
                (
                    aux_dir(f)
                        .strip_prefix("products")
                        .expect("under products")
                        .join(&f.name)
                        .display()
                        .to_string(),
                    f.bytes.as_slice(),
                )
            })
            .collect();
        records.push(write_package(
            data_dir,
            &package_dir,
            &aux_tar,
            &entries,
            m,
            &AUXILIARY_PACKAGE,
            "Auxiliary package: scripts, logs and reports",
        )?);
        for f in &aux {
            let content_type = if f.name.ends_with(".html") {
                "text/html"
            } else {
                "text/plain"
            };
            let kind = Kind {
                kind: "auxiliary",
                semantics: "#auxiliary",
                content_type,
            };
            let relative = aux_dir(f).join(&f.name);
            std::fs::create_dir_all(data_dir.join(aux_dir(f)))?;
            std::fs::write(data_dir.join(&relative), &f.bytes)?;
            records.push(record(
                m,
                &f.name,
                Some(&relative),
                &f.bytes,
                &kind,
                Some(&aux_tar),
                &f.description,
            ));
        }

        for eb in &m.ebs {
            let raw_tar = format!("{}_{}.asdm.sdm.tar", p.code, uid_dir(&eb.uid));
            let files = raw(m, &eb.uid);
            let entries: Vec<(String, &[u8])> = files
                .iter()
                .map(|f| (f.name.clone(), f.bytes.as_slice()))
                .collect();
            records.push(write_package(
                data_dir,
                &package_dir,
                &raw_tar,
                &entries,
                m,
                &RAW_PACKAGE,
                &format!("Raw data (execution block {})", eb.uid),
            )?);
        }

        let readme_name = format!("member.{}.README.txt", uid_dir(&m.uid));
        let relative = package_dir.join(&readme_name);
        let text = readme(p, m);
        std::fs::write(data_dir.join(&relative), &text)?;
        records.push(record(
            m,
            &readme_name,
            Some(&relative),
            text.as_bytes(),
            &README,
            None,
            "README of the delivery",
        ));
    }
    Ok(records)
}
