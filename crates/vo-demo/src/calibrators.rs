//! The demo's Calibrator Catalogue. Every phase calibrator is a quasar whose flux density
//! varies slowly with time and falls with frequency as a power law. ALMA's grid monitoring
//! measures it in band 3 (91.5 and 103.5 GHz) and band 7 (343.5 GHz) every two weeks or
//! so, and every execution block that uses it measures it at its own frequency. These
//! measurements are the rows of `alma.calibrator_flux`; a delivery's image of its phase
//! calibrator shows the same flux.

use crate::fields::CALIBRATORS;
use crate::files::seed_of;
use crate::model::{Archive, MemberOus};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::f64::consts::TAU;

/// A calibrator's flux density S(t, ν) = S₁₀₀ · 10^(Σₖ aₖ sin(2π t / Pₖ + φₖ)) · (ν / 100 GHz)^α:
/// S₁₀₀ between 0.3 and 3 Jy, α between −0.9 and −0.2, variations of up to a few tenths
/// of a dex over months to years.
#[derive(Debug, Clone, PartialEq)]
pub struct FluxModel {
    pub s100_jy: f64,
    pub index: f64,
    /// (amplitude in dex, period in days, phase) of each slow variation.
    pub variations: Vec<(f64, f64, f64)>,
}

impl FluxModel {
    /// The calibrator's flux model, drawn from the seed.
    pub fn of(seed: u64, calibrator: &str) -> FluxModel {
        let mut rng = ChaCha8Rng::seed_from_u64(seed_of(&format!("{calibrator} flux"), seed));
        FluxModel {
            s100_jy: (rng.gen_range(0.3f64.ln()..3f64.ln())).exp(),
            index: rng.gen_range(-0.9..-0.2),
            variations: (0..3)
                .map(|_| {
                    (
                        rng.gen_range(0.02..0.12),
                        rng.gen_range(150.0..2500.0),
                        rng.gen_range(0.0..TAU),
                    )
                })
                .collect(),
        }
    }

    /// The flux density (Jy) at time `mjd` and frequency `ghz`.
    pub fn flux_jy(&self, mjd: f64, ghz: f64) -> f64 {
        let dex: f64 = self
            .variations
            .iter()
            .map(|(amplitude, period, phase)| amplitude * (TAU * mjd / period + phase).sin())
            .sum();
        self.s100_jy * 10f64.powf(dex) * (ghz / 100.0).powf(self.index)
    }
}

/// One row of the Calibrator Catalogue's flux histories.
#[derive(Debug, Clone, PartialEq)]
pub struct FluxMeasurement {
    pub calibrator: &'static str,
    pub ra: f64,
    pub dec: f64,
    pub mjd: f64,
    pub band: u8,
    pub ghz: f64,
    pub flux_jy: f64,
    pub error_jy: f64,
    /// The execution block that measured it; None for grid monitoring.
    pub eb_uid: Option<String>,
}

/// The relative uncertainty of a flux measurement in `band` (ALMA's 5% in bands 1–4, 7.5%
/// in 5–7, 10% above).
fn relative_error(band: u8) -> f64 {
    match band {
        0..=4 => 0.05,
        5..=7 => 0.075,
        _ => 0.1,
    }
}

/// A measurement of `model` at (mjd, ghz): the model with a Gaussian error of the band's
/// size, drawn from `rng`.
fn measure(rng: &mut ChaCha8Rng, model: &FluxModel, mjd: f64, band: u8, ghz: f64) -> (f64, f64) {
    let flux = model.flux_jy(mjd, ghz);
    let sigma = flux * relative_error(band);
    // Box-Muller
    let (u1, u2): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen());
    let g = (-2.0 * u1.ln()).sqrt() * (TAU * u2).cos();
    let round = |v: f64| (v * 1e4).round() / 1e4;
    (round(flux + sigma * g), round(sigma))
}

/// The frequency (GHz) at which an execution block of `m` measures its calibrator: the
/// centre of its tuning, where the delivery's calibrator image is.
pub fn measured_ghz(m: &MemberOus) -> f64 {
    let lo = m.spws.iter().map(|w| w.lo_ghz).fold(f64::MAX, f64::min);
    let hi = m.spws.iter().map(|w| w.hi_ghz).fold(0.0, f64::max);
    (lo + hi) / 2.0
}

/// Grid monitoring starts with the first ALMA science observations (2011-09-30).
const MONITORING_FROM_MJD: f64 = 55834.0;

/// The flux histories: every calibrator's grid monitoring up to the archive's reference
/// time, then every execution block's measurement of its calibrator, in the archive's
/// order.
pub fn flux_histories(archive: &Archive) -> Vec<FluxMeasurement> {
    let seed = archive.config.seed;
    let now_mjd = archive.config.now.timestamp() as f64 / 86400.0 + 40587.0;
    let mut out = Vec::new();
    for &(calibrator, ra, dec) in CALIBRATORS {
        let model = FluxModel::of(seed, calibrator);
        let mut rng = ChaCha8Rng::seed_from_u64(seed_of(&format!("{calibrator} monitoring"), seed));
        let mut mjd = MONITORING_FROM_MJD + rng.gen_range(0.0..14.0);
        while mjd < now_mjd {
            for (band, ghz) in [(3, 91.465), (3, 103.499), (7, 343.483)] {
                let (flux_jy, error_jy) = measure(&mut rng, &model, mjd, band, ghz);
                out.push(FluxMeasurement {
                    calibrator,
                    ra,
                    dec,
                    mjd: (mjd * 1e5).round() / 1e5,
                    band,
                    ghz,
                    flux_jy,
                    error_jy,
                    eb_uid: None,
                });
            }
            mjd += rng.gen_range(10.0..18.0);
        }
    }
    for (_, m) in archive.members() {
        let Some((calibrator, ra, dec)) = m.calibrator else {
            continue;
        };
        let model = FluxModel::of(seed, calibrator);
        let ghz = (measured_ghz(m) * 1e3).round() / 1e3;
        for eb in &m.ebs {
            let mut rng = ChaCha8Rng::seed_from_u64(seed_of(&format!("{} flux", eb.uid), seed));
            let (flux_jy, error_jy) = measure(&mut rng, &model, eb.start_mjd, m.band, ghz);
            out.push(FluxMeasurement {
                calibrator,
                ra,
                dec,
                mjd: eb.start_mjd,
                band: m.band,
                ghz,
                flux_jy,
                error_jy,
                eb_uid: Some(eb.uid.clone()),
            });
        }
    }
    out
}
