//! The records in PostgreSQL (`archive.registry_record`), dated by their last change.

use crate::record::Draft;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use std::collections::HashMap;
use tokio_postgres::{Client, Error, Transaction};

/// What a refresh did to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    New,
    Changed,
    Deleted,
}

/// A record as served.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub ivoid: String,
    pub resource: String,
    pub dublin_core: String,
    pub updated: DateTime<Utc>,
    pub deleted: bool,
}

/// Records in datestamp order, and whether more follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub records: Vec<StoredRecord>,
    pub more: bool,
}

/// Which records a harvest asks for: changed from `from` until `until` (both inclusive), after
/// the position a resumption token gives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub after: Option<(DateTime<Utc>, String)>,
}

/// Stores `drafts` as the records published now: a new or changed one (its fingerprint
/// differs) is dated `now`, an unchanged one keeps its date, one no longer published is
/// marked deleted. Returns what changed; the caller commits.
pub async fn refresh(
    transaction: &Transaction<'_>,
    drafts: &[Draft],
    now: DateTime<Utc>,
) -> Result<Vec<(String, Change)>, Error> {
    // datestamps are to the second
    let now = now.duration_trunc(TimeDelta::seconds(1)).unwrap_or(now);
    let stored: HashMap<String, (String, DateTime<Utc>, bool)> = transaction
        .query(
            "SELECT ivoid, fingerprint, created, deleted FROM archive.registry_record FOR UPDATE",
            &[],
        )
        .await?
        .into_iter()
        .map(|row| (row.get(0), (row.get(1), row.get(2), row.get(3))))
        .collect();
    let mut changes = Vec::new();
    for draft in drafts {
        let fingerprint = draft.fingerprint();
        let (created, change) = match stored.get(&draft.ivoid) {
            Some((same, _, false)) if *same == fingerprint => continue,
            Some((_, created, _)) => (*created, Change::Changed),
            None => (now, Change::New),
        };
        transaction
            .execute(
                "INSERT INTO archive.registry_record \
                   (ivoid, xsi_type, resource, dublin_core, fingerprint, created, updated, deleted) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, false) \
                 ON CONFLICT (ivoid) DO UPDATE SET xsi_type = $2, resource = $3, \
                   dublin_core = $4, fingerprint = $5, updated = $7, deleted = false",
                &[
                    &draft.ivoid,
                    &draft.xsi_type,
                    &draft.resource_xml(created, now),
                    &draft.dublin_core_xml(now),
                    &fingerprint,
                    &created,
                    &now,
                ],
            )
            .await?;
        changes.push((draft.ivoid.clone(), change));
    }
    for (ivoid, (_, _, deleted)) in &stored {
        if !deleted && !drafts.iter().any(|d| &d.ivoid == ivoid) {
            transaction
                .execute(
                    "UPDATE archive.registry_record SET deleted = true, updated = $2 WHERE ivoid = $1",
                    &[ivoid, &now],
                )
                .await?;
            changes.push((ivoid.clone(), Change::Deleted));
        }
    }
    Ok(changes)
}

fn stored(row: &tokio_postgres::Row) -> StoredRecord {
    StoredRecord {
        ivoid: row.get(0),
        resource: row.get(1),
        dublin_core: row.get(2),
        updated: row.get(3),
        deleted: row.get(4),
    }
}

const COLUMNS: &str = "ivoid, resource, dublin_core, updated, deleted";

/// Up to `limit` records of the selection, in datestamp (then identifier) order.
pub async fn list(client: &Client, selection: &Selection, limit: usize) -> Result<Page, Error> {
    let (after_time, after_id) = match &selection.after {
        Some((time, id)) => (Some(*time), id.clone()),
        None => (None, String::new()),
    };
    let mut rows = client
        .query(
            &format!(
                "SELECT {COLUMNS} FROM archive.registry_record \
                 WHERE ($1::timestamptz IS NULL OR updated >= $1) \
                   AND ($2::timestamptz IS NULL OR updated <= $2) \
                   AND ($3::timestamptz IS NULL OR (updated, ivoid) > ($3, $4)) \
                 ORDER BY updated, ivoid LIMIT $5"
            ),
            &[
                &selection.from,
                &selection.until,
                &after_time,
                &after_id,
                &(limit as i64 + 1),
            ],
        )
        .await?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    Ok(Page {
        records: rows.iter().map(stored).collect(),
        more,
    })
}

/// How many records the selection holds, ignoring its resumption position.
pub async fn count(client: &Client, selection: &Selection) -> Result<i64, Error> {
    client
        .query_one(
            "SELECT count(*) FROM archive.registry_record \
             WHERE ($1::timestamptz IS NULL OR updated >= $1) \
               AND ($2::timestamptz IS NULL OR updated <= $2)",
            &[&selection.from, &selection.until],
        )
        .await
        .map(|row| row.get(0))
}

/// One record.
pub async fn get(client: &Client, ivoid: &str) -> Result<Option<StoredRecord>, Error> {
    client
        .query_opt(
            &format!("SELECT {COLUMNS} FROM archive.registry_record WHERE ivoid = $1"),
            &[&ivoid],
        )
        .await
        .map(|row| row.as_ref().map(stored))
}

/// The earliest datestamp of any record (OAI-PMH's earliestDatestamp).
pub async fn earliest(client: &Client) -> Result<Option<DateTime<Utc>>, Error> {
    client
        .query_one("SELECT min(updated) FROM archive.registry_record", &[])
        .await
        .map(|row| row.get(0))
}

/// Planck's constant times the speed of light (J m): a wavelength's photon energy is this
/// over it.
const HC: f64 = 6.626_070_15e-34 * 299_792_458.0;

/// The spectral (as photon energies, J) and time (MJD) ranges of the holdings.
pub async fn holdings_ranges(
    client: &impl tokio_postgres::GenericClient,
) -> Result<crate::Holdings, Error> {
    let row = client
        .query_one(
            "SELECT min(em_min), max(em_max), min(t_min), max(t_max) FROM ivoa.obscore",
            &[],
        )
        .await?;
    let (em_min, em_max): (Option<f64>, Option<f64>) = (row.get(0), row.get(1));
    let (t_min, t_max): (Option<f64>, Option<f64>) = (row.get(2), row.get(3));
    Ok(crate::Holdings {
        moc: None,
        // the longest wavelength is the lowest energy
        spectral_joules: em_min
            .zip(em_max)
            .filter(|(short, _)| *short > 0.0)
            .map(|(short, long)| (HC / long, HC / short)),
        temporal_mjd: t_min.zip(t_max),
    })
}
