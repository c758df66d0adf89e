//! The survey of a cube: noise per channel, the spectra searched, the lines found and
//! labelled, and the strongest line's moments.

use crate::detect::{find, merge, subtract_continuum, Detection, Found};
use crate::moments::{moments, Moments};
use vo_preview::{maps, Cube};
use vo_spectra::{observed_ghz, LineList};

/// A tentative label: the list's line nearest the detection at the redshift used.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub species: String,
    pub transition: String,
    pub rest_ghz: f64,
    /// Where the line would be at the redshift used.
    pub expected_ghz: f64,
    /// The detection's offset from it, km/s.
    pub offset_kms: f64,
}

/// A cube's survey.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    pub channels: usize,
    /// Each channel's centre, GHz.
    pub frequency_ghz: Vec<f64>,
    /// Each channel's robust noise (1.4826 × MAD of its plane), in the cube's unit.
    pub noise: Vec<f64>,
    /// The lines found, by frequency, each with its label if one fits.
    pub lines: Vec<(Detection, Option<Label>)>,
    /// The spectra searched: (which, x, y, values).
    pub spectra: Vec<(&'static str, usize, usize, Vec<f64>)>,
    /// Moments of the strongest line.
    pub moments: Option<Moments>,
    /// The redshift labels were matched at, and where it came from.
    pub redshift: Option<(f64, String)>,
}

/// How far a label may sit from its line, km/s: lines of the sources' own motions.
const LABEL_KMS: f64 = 300.0;

fn median(values: &mut [f64]) -> f64 {
    let mid = values.len() / 2;
    *values.select_nth_unstable_by(mid, f64::total_cmp).1
}

/// Surveys `cube` (it needs a FREQ axis and two channels or more; None otherwise). Labels
/// come from `list` at the first redshift of `redshifts` (each with where it came from, in
/// the manual's order: the PI's value, other observations of the source, …).
pub fn survey(cube: &Cube, list: Option<&LineList>, redshifts: &[(f64, String)]) -> Option<Survey> {
    let axis = cube.frequency_axis()?;
    if cube.channels < 8 {
        return None;
    }
    let frequency = |k: f64| axis.value(k + 1.0) / 1e9;
    let channel_ghz = (frequency(1.0) - frequency(0.0)).abs();
    let (nx, ny) = (cube.nx, cube.ny);
    let pixels = nx * ny;
    // the noise of every channel
    let mut plane = vec![0.0f32; pixels];
    let mut noise = Vec::with_capacity(cube.channels);
    for k in 0..cube.channels {
        cube.read(k, 0, &mut plane);
        let mut finite: Vec<f64> = plane
            .iter()
            .filter(|v| v.is_finite())
            .map(|v| *v as f64)
            .collect();
        if finite.is_empty() {
            noise.push(f64::NAN);
            continue;
        }
        let centre = median(&mut finite);
        let mut deviations: Vec<f64> = finite.iter().map(|v| (v - centre).abs()).collect();
        noise.push(1.4826 * median(&mut deviations));
    }
    let continuum = maps::median(cube).values;
    let peak = maps::peak(cube).values;
    // where to look: the line peak (peak over the continuum, smoothed over 3 × 3), the
    // continuum peak
    let line_map: Vec<f64> = (0..pixels)
        .map(|p| (peak[p] - continuum[p]) as f64)
        .collect();
    let smoothed = |p: usize| {
        let (x, y) = ((p % nx) as i64, (p / nx) as i64);
        let mut sum = 0.0;
        for dy in -1..=1 {
            for dx in -1..=1 {
                let (u, v) = (
                    (x + dx).clamp(0, nx as i64 - 1),
                    (y + dy).clamp(0, ny as i64 - 1),
                );
                let value = line_map[(v * nx as i64 + u) as usize];
                if value.is_finite() {
                    sum += value;
                }
            }
        }
        sum
    };
    let brightest = (0..pixels).max_by(|a, b| smoothed(*a).total_cmp(&smoothed(*b)))?;
    let continuum_peak = (0..pixels)
        .filter(|p| continuum[*p].is_finite())
        .max_by(|a, b| continuum[*a].total_cmp(&continuum[*b]))?;
    let at = |p: usize| (p % nx, p / nx);
    let spectrum_at = |p: usize| -> Vec<f64> {
        let (x, y) = at(p);
        maps::spectrum(cube, x, y)
            .into_iter()
            .map(|v| v as f64)
            .collect()
    };
    // an aperture a beam wide (two pixels at least) around the line peak
    let beam = cube
        .wcs()
        .beam
        .map_or(2.0, |(major, _)| major / cube.wcs().celestial.cdelt.1.abs())
        .max(2.0);
    let (bx, by) = at(brightest);
    let radius = beam / 2.0;
    let mut aperture = vec![0.0f64; cube.channels];
    let mut inside = 0;
    for y in 0..ny {
        for x in 0..nx {
            if ((x as f64 - bx as f64).powi(2) + (y as f64 - by as f64).powi(2)).sqrt() <= radius {
                inside += 1;
                for (k, v) in maps::spectrum(cube, x, y).into_iter().enumerate() {
                    aperture[k] += v as f64;
                }
            }
        }
    }
    for v in &mut aperture {
        *v /= inside.max(1) as f64;
    }
    // each spectrum with its noise: a pixel's is its channel's; an aperture's mean, lower by
    // the square root of the (independent) pixels in it
    let aperture_noise: Vec<f64> = noise
        .iter()
        .map(|n| n / (inside.max(1) as f64).sqrt())
        .collect();
    let (cx, cy) = at(continuum_peak);
    let spectra = vec![
        (
            "brightest pixel",
            bx,
            by,
            spectrum_at(brightest),
            noise.clone(),
        ),
        (
            "continuum peak",
            cx,
            cy,
            spectrum_at(continuum_peak),
            noise.clone(),
        ),
        ("aperture", bx, by, aperture, aperture_noise),
    ];
    let mut all = Vec::new();
    for (name, _, _, values, noises) in &spectra {
        for binning in [1, 2, 4] {
            all.extend(find(
                values,
                noises,
                binning,
                &frequency,
                channel_ghz * binning as f64,
                Found {
                    spectrum: name,
                    binning,
                },
            ));
        }
    }
    let found = merge(all);
    let redshift = redshifts.first().cloned();
    let lines: Vec<(Detection, Option<Label>)> = found
        .into_iter()
        .map(|d| {
            let label = match (list, &redshift) {
                (Some(list), Some((z, _))) => {
                    let tolerance = d.frequency_ghz * LABEL_KMS / 299_792.458 + d.width_ghz / 2.0;
                    list.nearest(d.frequency_ghz, *z, tolerance).map(|l| {
                        let expected = observed_ghz(l.rest_ghz, *z);
                        Label {
                            species: l.species.clone(),
                            transition: l.transition.clone(),
                            rest_ghz: l.rest_ghz,
                            expected_ghz: expected,
                            offset_kms: 299_792.458 * (expected - d.frequency_ghz) / expected,
                        }
                    })
                }
                _ => None,
            };
            (d, label)
        })
        .collect();
    let strongest = lines
        .iter()
        .max_by(|a, b| a.0.peak_snr.total_cmp(&b.0.peak_snr))
        .map(|(d, _)| d.clone());
    let moments = strongest.map(|d| {
        moments(
            cube,
            d.first_channel,
            d.last_channel,
            &|k| frequency(k as f64),
            d.frequency_ghz,
            &continuum,
            &noise,
        )
    });
    // the spectra themselves, continuum subtracted, for drawing
    let spectra = spectra
        .into_iter()
        .map(|(name, x, y, values, noises)| (name, x, y, subtract_continuum(&values, &noises)))
        .collect();
    Some(Survey {
        channels: cube.channels,
        frequency_ghz: (0..cube.channels).map(|k| frequency(k as f64)).collect(),
        noise,
        lines,
        spectra,
        moments,
        redshift,
    })
}
