//! The ADMIT-style line survey of a cube as the previews serve it: `lines.json` (the lines
//! found with tentative labels, the spectra searched, the noise) and the moment maps of the
//! strongest line, with the redshift the labels use chosen as the manual says: the PI's
//! value first (the cube's ZSOURCE), then the other ALMA observations of the source (the
//! median of their science goals' redshifts), then the shipped catalogue (the redshift of the
//! observation's best-matching OpenNGC object, `alma.object_in_footprint`), then the PI's
//! requested line (RESTFRQ at the strongest line found).

use std::path::{Path, PathBuf};
use vo_preview::Cube;
use vo_spectra::LineList;

/// The redshifts to label with, best first, each with where it came from.
pub(crate) async fn redshifts(
    pool: &vo_db::Pool,
    cube: PathBuf,
    member_ous_uid: &str,
) -> Vec<(f64, String)> {
    let header = actix_web::web::block(move || {
        Cube::open(&cube).ok().map(|c| {
            (
                c.header().float("ZSOURCE"),
                c.text("OBJECT").map(str::to_string),
            )
        })
    })
    .await
    .ok()
    .flatten();
    let mut out = Vec::new();
    let Some((pi_value, object)) = header else {
        return out;
    };
    if let Some(z) = pi_value.filter(|z| z.is_finite()) {
        out.push((z, "the PI's redshift (ZSOURCE)".to_string()));
    }
    let Ok(client) = pool.get().await else {
        return out;
    };
    if let Some(object) = object {
        let found = client
            .query(
                "SELECT DISTINCT v.mous_uid, v.redshift FROM alma.source_velocity v \
                 JOIN ivoa.obscore o ON o.member_ous_uid = v.mous_uid \
                 WHERE o.target_name = $1 AND v.mous_uid <> $2",
                &[&object, &member_ous_uid],
            )
            .await;
        if let Ok(rows) = found {
            let mut z: Vec<f64> = rows
                .iter()
                .map(|r| r.get::<_, f64>(1))
                .filter(|z| z.is_finite())
                .collect();
            if !z.is_empty() {
                z.sort_by(f64::total_cmp);
                out.push((
                    z[z.len() / 2],
                    format!(
                        "the median of {} other ALMA observations of {object}",
                        z.len()
                    ),
                ));
            }
        }
    }
    let catalogue = client
        .query_opt(
            "SELECT c.redshift, c.name FROM alma.object_in_footprint f \
             JOIN archive.catalogue_object c ON c.name = f.object_name \
             JOIN ivoa.obscore o ON o.obs_id = f.footprint_obs_id \
             WHERE o.member_ous_uid = $1 AND f.best_match = 1 AND c.redshift IS NOT NULL \
             ORDER BY f.score DESC LIMIT 1",
            &[&member_ous_uid],
        )
        .await;
    if let Ok(Some(row)) = catalogue {
        let (z, name): (f64, String) = (row.get(0), row.get(1));
        if z.is_finite() {
            out.push((z, format!("the catalogue (OpenNGC): {name}")));
        }
    }
    out
}

fn surveyed(
    path: &Path,
    lines: Option<&LineList>,
    redshifts: &[(f64, String)],
) -> Result<vo_admit::Survey, String> {
    let cube = Cube::open(path).map_err(|e| e.to_string())?;
    let mut redshifts = redshifts.to_vec();
    if redshifts.is_empty() {
        // the PI's requested line, taken to be the strongest found
        if let (Some(rest), Some(first)) = (
            cube.header().float("RESTFRQ"),
            vo_admit::survey(&cube, None, &[]),
        ) {
            if let Some((d, _)) = first
                .lines
                .iter()
                .max_by(|a, b| a.0.peak_snr.total_cmp(&b.0.peak_snr))
            {
                redshifts.push((
                    rest / 1e9 / d.frequency_ghz - 1.0,
                    "the PI's requested line (RESTFRQ) at the strongest line found".into(),
                ));
            }
        }
    }
    vo_admit::survey(&cube, lines, &redshifts).ok_or_else(|| {
        "the line survey needs a cube with a FREQ axis and 8 channels or more".to_string()
    })
}

fn round(v: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (v * scale).round() / scale
}

/// The survey as JSON.
pub(crate) fn survey_json(
    path: &Path,
    lines: Option<&LineList>,
    redshifts: &[(f64, String)],
) -> Result<Vec<u8>, String> {
    let s = surveyed(path, lines, redshifts)?;
    let json = serde_json::json!({
        "note": "ADMIT-style line survey: tentative, not for science",
        "channels": s.channels,
        "frequency_ghz": s.frequency_ghz.iter().map(|f| round(*f, 6)).collect::<Vec<_>>(),
        "noise": s.noise.iter().map(|n| round(*n, 9)).collect::<Vec<_>>(),
        "redshift": s.redshift.as_ref().map(|(z, from)| serde_json::json!({ "z": z, "from": from })),
        "line_list": if lines.is_some() { "the archive's (/reference/lines)" } else { "none: no labels" },
        "lines": s.lines.iter().map(|(d, label)| serde_json::json!({
            "frequency_ghz": round(d.frequency_ghz, 6),
            "width_ghz": round(d.width_ghz, 6),
            "first_channel": d.first_channel,
            "last_channel": d.last_channel,
            "peak_snr": round(d.peak_snr, 1),
            "found_in": d.found.iter().map(|f| format!("{}, {} channel{}", f.spectrum, f.binning, if f.binning == 1 { "" } else { "s" })).collect::<Vec<_>>(),
            "label": label.as_ref().map(|l| serde_json::json!({
                "species": l.species,
                "transition": l.transition,
                "rest_ghz": l.rest_ghz,
                "offset_kms": round(l.offset_kms, 1),
                "tentative": true,
            })),
        })).collect::<Vec<_>>(),
        "spectra": s.spectra.iter().map(|(name, x, y, values)| serde_json::json!({
            "name": name, "x": x, "y": y,
            "values": values.iter().map(|v| round(*v, 9)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "moments": s.moments.as_ref().map(|m| serde_json::json!({
            "moment0_noise": m.moment0_noise,
            "moment0": "moment0.png",
            "moment1": "moment1.png",
        })),
    });
    Ok((json.to_string() + "\n").into_bytes())
}

/// Moment 0 or 1 of the strongest line, as a PNG.
pub(crate) fn moment_png(
    path: &Path,
    lines: Option<&LineList>,
    redshifts: &[(f64, String)],
    which: u8,
) -> Result<Vec<u8>, String> {
    let s = surveyed(path, lines, redshifts)?;
    let strongest = s
        .lines
        .iter()
        .max_by(|a, b| a.0.peak_snr.total_cmp(&b.0.peak_snr))
        .ok_or("no line found in the cube")?;
    let m = s.moments.as_ref().ok_or("no line found in the cube")?;
    let name = strongest
        .1
        .as_ref()
        .map(|l| format!("{} {} (tentative)", l.species, l.transition))
        .unwrap_or_else(|| format!("line at {:.4} GHz", strongest.0.frequency_ghz));
    let (values, what) = if which == 0 {
        (
            m.moment0.clone(),
            format!("Moment 0 of {name} [Jy/beam km/s]"),
        )
    } else {
        (m.moment1.clone(), format!("Moment 1 of {name} [km/s]"))
    };
    vo_preview::render_values(path, values, &what).map_err(|e| e.to_string())
}

/// Surveys every released cube whose survey is not cached yet, now and then every `every`
/// (the queue that makes the previews before anyone asks; a request still makes one on
/// demand, and a changed cube is surveyed again when next asked for).
pub fn start_surveying(
    service: crate::DownloadService,
    pool: vo_db::Pool,
    every: std::time::Duration,
) {
    tokio::spawn(async move {
        loop {
            let cubes = match pool.get().await {
                Ok(client) => client
                    .query(
                        "SELECT f.name, f.path, f.member_ous_uid FROM archive.file f \
                         JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
                         WHERE f.kind = 'product' AND f.content_type = 'application/fits' \
                           AND f.path IS NOT NULL AND f.name LIKE '%.cube.%' AND m.release_date <= now() \
                           AND NOT EXISTS (SELECT 1 FROM archive.files_on_access a \
                                           WHERE a.member_ous_uid = f.member_ous_uid AND a.made_at IS NULL) \
                         ORDER BY f.name",
                        &[],
                    )
                    .await
                    .map(|rows| {
                        rows.iter()
                            .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1), r.get::<_, String>(2)))
                            .collect::<Vec<_>>()
                    })
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            let mut made = 0;
            match cubes {
                Ok(cubes) => {
                    for (name, path, mous) in cubes {
                        if service.previews.describe(&name, "lines.json").await.is_ok() {
                            continue;
                        }
                        let cube = service.data_dir.join(&path);
                        let redshifts = redshifts(&pool, cube.clone(), &mous).await;
                        let lines = service.lines.clone();
                        let done = actix_web::web::block(move || {
                            survey_json(&cube, lines.as_deref(), &redshifts)
                        })
                        .await;
                        if let Ok(Ok(json)) = done {
                            crate::preview::keep(&service.previews, &name, "lines.json", &json)
                                .await;
                            made += 1;
                        }
                    }
                    if made > 0 {
                        tracing::info!(cubes = made, "line surveys made");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "listing cubes to survey"),
            }
            tokio::time::sleep(every).await;
        }
    });
}
