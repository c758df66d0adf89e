//! A reminder of a member OUS's release date (manual §3.3.3: the release date of proprietary
//! data links to a calendar event): one iCalendar (RFC 5545) event at the release time in
//! UTC, with a stable UID (the same observation gives the same event, so importing it again
//! updates rather than duplicates it) and an alarm when it starts.

use chrono::{DateTime, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Trigger};

/// What the reminder says about one member OUS.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseFacts {
    pub member_ous_uid: String,
    pub project_code: String,
    pub release_date: DateTime<Utc>,
    /// The observation's target names, as the archive lists them.
    pub targets: Vec<String>,
}

/// The member OUS's release facts; None when there is no such member OUS or it has no
/// release date yet.
pub async fn release_facts(
    client: &tokio_postgres::Client,
    member_ous_uid: &str,
) -> Result<Option<ReleaseFacts>, tokio_postgres::Error> {
    let row = client
        .query_opt(
            "SELECT m.uid, m.project_code, extract(epoch FROM m.release_date)::float8, \
                    coalesce((SELECT array_agg(DISTINCT o.target_name ORDER BY o.target_name) \
                              FROM ivoa.obscore o WHERE o.member_ous_uid = m.uid), '{}') \
             FROM archive.member_ous m WHERE m.uid = $1 AND m.release_date IS NOT NULL",
            &[&member_ous_uid],
        )
        .await?;
    Ok(row.and_then(|r| {
        let seconds: f64 = r.get(2);
        Some(ReleaseFacts {
            member_ous_uid: r.get(0),
            project_code: r.get(1),
            release_date: DateTime::from_timestamp(seconds.floor() as i64, 0)?,
            targets: r.get(3),
        })
    }))
}

/// The iCalendar document of the reminder. `base` is the service's public URL (the event
/// links to the observation's query there, and its UID is made in the URL's host);
/// `now` stamps it.
pub fn release_reminder(facts: &ReleaseFacts, base: &str, now: DateTime<Utc>) -> String {
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or(base)
        .split(['/', ':'])
        .next()
        .unwrap_or("archive");
    let uid_part: String = facts
        .member_ous_uid
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let query = format!(
        "{}/#mous={}",
        base.trim_end_matches('/'),
        facts.member_ous_uid.replace('/', "%2F").replace(':', "%3A")
    );
    let targets = if facts.targets.is_empty() {
        String::new()
    } else {
        format!(" ({})", facts.targets.join(", "))
    };
    let summary = format!("ALMA data of {}{targets} become public", facts.project_code);
    let description = format!(
        "The proprietary period of {} in project {} ends at {} UTC; its data can then be \
         downloaded by anyone: {query}",
        facts.member_ous_uid,
        facts.project_code,
        facts.release_date.format("%Y-%m-%d %H:%M")
    );
    let event = Event::new()
        .uid(&format!("release-{uid_part}@{host}"))
        .timestamp(now)
        .starts(facts.release_date)
        .ends(facts.release_date + chrono::Duration::hours(1))
        .summary(&summary)
        .description(&description)
        .url(&query)
        .alarm(Alarm::display(
            &summary,
            Trigger::before_start(chrono::Duration::zero()),
        ))
        .done();
    let mut calendar = Calendar::new();
    calendar.push(event);
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn one_event_at_the_release_in_utc_with_a_stable_uid_and_an_alarm() {
        let facts = ReleaseFacts {
            member_ous_uid: "uid://A001/X1b2/X3c".into(),
            project_code: "2023.1.00087.S".into(),
            release_date: Utc.with_ymd_and_hms(2027, 2, 21, 14, 30, 0).unwrap(),
            targets: vec!["SgrA".into()],
        };
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
        let text = release_reminder(&facts, "https://archive.example/alma", now);
        let later = release_reminder(
            &facts,
            "https://archive.example/alma",
            now + chrono::Duration::days(3),
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(
            text.contains("UID:release-uid---A001-X1b2-X3c@archive.example\r\n"),
            "{text}"
        );
        assert!(later.contains("UID:release-uid---A001-X1b2-X3c@archive.example\r\n"));
        assert!(text.contains("DTSTART:20270221T143000Z\r\n"), "{text}");
        assert!(
            text.contains("BEGIN:VALARM\r\n") && text.contains("ACTION:DISPLAY"),
            "{text}"
        );
        assert!(
            text.contains("SUMMARY:ALMA data of 2023.1.00087.S (SgrA) become public"),
            "{text}"
        );
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 1);
    }
}
