//! The weather each execution block was observed in: its precipitable water vapour (PWV).
//! ALMA schedules a band only when the water is low enough for it (the higher the band, the
//! drier); within that, a block takes what the site gives: drawn per block from its uid and
//! the seed (not from the archive's random stream, so adding it changed nothing else).

use crate::files::seed_of;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The highest PWV (mm) a band is observed in (after ALMA's PWV octiles by band).
pub fn pwv_limit_mm(band: u8) -> f64 {
    match band {
        1 | 2 | 3 => 5.2,
        4 => 3.5,
        5 | 6 => 2.6,
        7 => 1.6,
        8 => 1.0,
        9 => 0.65,
        _ => 0.47,
    }
}

/// The PWV (mm) execution block `eb_uid` of a band-`band` member OUS was observed in.
pub fn pwv_mm(seed: u64, eb_uid: &str, band: u8) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(seed_of(&format!("{eb_uid}pwv"), seed));
    // most blocks well below the limit: the site is often drier than a band needs
    let fraction: f64 = rng.gen_range(0.12f64..1.0).powf(1.4);
    (pwv_limit_mm(band) * fraction * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drier_for_higher_bands_and_the_same_every_time() {
        let median = |band: u8| {
            let mut v: Vec<f64> = (0..400)
                .map(|k| pwv_mm(7, &format!("uid://A002/X{k}/X1"), band))
                .collect();
            v.sort_by(f64::total_cmp);
            v[200]
        };
        assert!(
            median(3) > median(7) && median(7) > median(9),
            "{} {} {}",
            median(3),
            median(7),
            median(9)
        );
        for band in 1..=10 {
            for k in 0..100 {
                let p = pwv_mm(1, &format!("uid://A002/X{k}/X2"), band);
                assert!(p > 0.0 && p <= pwv_limit_mm(band), "{band}: {p}");
            }
        }
        assert_eq!(
            pwv_mm(3, "uid://A002/X1/X1", 6),
            pwv_mm(3, "uid://A002/X1/X1", 6)
        );
    }
}
