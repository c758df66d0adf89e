//! The times and durations a client may set: EXECUTIONDURATION, DESTRUCTION, AFTER —
//! checked and capped by the service's limits.

use crate::AsyncLimits;
use chrono::{DateTime, Duration as Span, Utc};

/// Seconds a job may run: what it asks for, at most the hard limit; 0 (UWS: no limit)
/// gets the hard limit. A negative or unreadable value is refused.
pub fn execution_duration(value: &str, limits: &AsyncLimits) -> Result<i32, String> {
    let hard = limits.execution_hard_seconds.min(i32::MAX as u64) as i64;
    match value.trim().parse::<i64>() {
        Ok(0) => Ok(hard as i32),
        Ok(n) if n > 0 => Ok(n.min(hard) as i32),
        Ok(n) => Err(format!(
            "EXECUTIONDURATION={n} is not a duration: give the seconds the job may run (1 to {hard}), or 0 for the most this service allows ({hard} s)"
        )),
        Err(_) => Err(format!(
            "EXECUTIONDURATION '{}' is not a whole number of seconds (1 to {hard}, or 0 for the most this service allows)",
            value.chars().take(40).collect::<String>()
        )),
    }
}

/// An ISO 8601 time, with or without a zone (UTC assumed).
pub fn iso_time(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value.trim())
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(
                value.trim().trim_end_matches('Z'),
                "%Y-%m-%dT%H:%M:%S%.f",
            )
            .map(|t| t.and_utc())
        })
        .ok()
}

/// When a job is destroyed: what it asks for, at most the longest retention.
pub fn destruction_time(value: &str, limits: &AsyncLimits) -> Result<DateTime<Utc>, String> {
    let latest = Utc::now() + Span::seconds(limits.retention_hard_seconds as i64);
    let parsed = iso_time(value).ok_or_else(|| {
        format!("DESTRUCTION '{value}' is not an ISO 8601 time (e.g. 2030-01-01T00:00:00Z)")
    })?;
    Ok(parsed.min(latest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_times_are_capped_by_the_limits() {
        let limits = AsyncLimits::default();
        let hard = limits.execution_hard_seconds as i32;
        assert_eq!(execution_duration("60", &limits).unwrap(), 60);
        assert_eq!(execution_duration("0", &limits).unwrap(), hard);
        assert_eq!(execution_duration("999999999", &limits).unwrap(), hard);
        assert!(execution_duration("soon", &limits).is_err());
        for negative in ["-1", "-99999"] {
            let e = execution_duration(negative, &limits).unwrap_err();
            assert!(e.contains("is not a duration"), "{e}");
        }
        assert!(execution_duration("99999999999999999999", &limits).is_err());
        assert_eq!(
            iso_time("2030-01-02T03:04:05").unwrap(),
            iso_time("2030-01-02T03:04:05Z").unwrap()
        );
        assert!(
            iso_time("2030-01-02T03:04:05+01:00").unwrap()
                < iso_time("2030-01-02T03:04:05Z").unwrap()
        );
        let far = destruction_time("2999-01-01T00:00:00Z", &limits).unwrap();
        assert!(far <= Utc::now() + Span::seconds(limits.retention_hard_seconds as i64));
        assert!(destruction_time("tomorrow", &limits).is_err());
    }
}
