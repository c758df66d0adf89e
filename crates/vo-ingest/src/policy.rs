//! ALMA facts used when deriving rows: receiver bands and the proprietary period.

use chrono::{DateTime, Months, Utc};

/// ALMA receiver bands and their sky-frequency ranges in GHz.
pub const ALMA_BANDS: &[(u8, f64, f64)] = &[
    (1, 35.0, 50.0),
    (2, 67.0, 116.0),
    (3, 84.0, 116.0),
    (4, 125.0, 163.0),
    (5, 163.0, 211.0),
    (6, 211.0, 275.0),
    (7, 275.0, 373.0),
    (8, 385.0, 500.0),
    (9, 602.0, 720.0),
    (10, 787.0, 950.0),
];

/// The band observing at a frequency (GHz). Band 3 is preferred over band 2 where they overlap,
/// as nearly all data there were taken with band 3.
pub fn alma_band(frequency_ghz: f64) -> Option<u8> {
    ALMA_BANDS
        .iter()
        .rev()
        .find(|(b, lo, hi)| *b != 2 && (*lo..=*hi).contains(&frequency_ghz))
        .or_else(|| {
            ALMA_BANDS
                .iter()
                .find(|(_, lo, hi)| (*lo..=*hi).contains(&frequency_ghz))
        })
        .map(|b| b.0)
}

/// When data become public (manual §3.1): 12 months after observation for regular, large and
/// other programmes; at once for DDT (cycle letter A, B, …) unless an exception gives months.
pub fn release_date_for(
    project_code: &str,
    observed_until: DateTime<Utc>,
    exception_months: Option<u32>,
) -> DateTime<Utc> {
    let cycle = project_code.split('.').nth(1).unwrap_or("1");
    let is_ddt = cycle.chars().all(|c| c.is_ascii_alphabetic());
    let months = exception_months.unwrap_or(if is_ddt { 0 } else { 12 });
    observed_until
        .checked_add_months(Months::new(months))
        .unwrap_or(observed_until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn bands() {
        assert_eq!(alma_band(115.27), Some(3));
        assert_eq!(alma_band(230.5), Some(6));
        assert_eq!(alma_band(70.0), Some(2));
        assert_eq!(alma_band(345.8), Some(7));
        assert_eq!(alma_band(680.0), Some(9));
        assert_eq!(alma_band(550.0), None);
    }

    #[test]
    fn proprietary_period() {
        let t = Utc.with_ymd_and_hms(2023, 3, 31, 12, 0, 0).unwrap();
        assert_eq!(
            release_date_for("2022.1.00123.S", t, None),
            Utc.with_ymd_and_hms(2024, 3, 31, 12, 0, 0).unwrap()
        );
        assert_eq!(release_date_for("2022.A.00005.S", t, None), t);
        assert_eq!(
            release_date_for("2022.A.00005.S", t, Some(6)),
            Utc.with_ymd_and_hms(2023, 9, 30, 12, 0, 0).unwrap()
        );
    }
}
