//! Download requests (the Request Handler, manual §3.4): the files a visitor chose, kept under
//! an unguessable id with their owner, and listed back along ALMA's hierarchy (project →
//! science goal → group OUS → member OUS, with its scheduling block and QA2 state).
//!
//! Who may download which of them is the reader's business at download time ([`Reader`]); a
//! request only remembers the choice.

use crate::holdings::{file_from, HoldingsError, KIND_ORDER, SELECT_FILES};
use crate::{ArchivedFile, Identifier};
use rand::RngCore;
use tokio_postgres::Client;

/// The most files one request may hold.
pub const MOST_FILES: usize = 5000;
/// The most requests one owner (or one address, for anonymous visitors) may make in a day.
pub const MOST_REQUESTS_A_DAY: i64 = 500;

/// One requested file and where it sits.
#[derive(Debug, Clone)]
pub struct RequestedFile {
    pub file: ArchivedFile,
    pub science_goal_uid: Option<String>,
    pub group_ous_uid: Option<String>,
    pub schedblock_name: String,
    /// `Pass` or `SemiPass`.
    pub qa2_status: String,
}

/// A request as kept.
#[derive(Debug, Clone)]
pub struct DownloadRequest {
    pub id: String,
    pub owner: Option<String>,
    pub email: Option<String>,
    /// When it was made, and when its files were ready and the owner told (ISO 8601, UTC).
    pub created_at: String,
    pub ready_at: Option<String>,
    pub notified_at: Option<String>,
    pub notify_error: Option<String>,
    pub files: Vec<RequestedFile>,
}

/// Keeps a request of `names` for `owner`; the new id, or why not (an unknown file, too
/// many files, too many requests today).
pub async fn create_request(
    client: &Client,
    owner: Option<&str>,
    address: &str,
    email: Option<&str>,
    names: &[String],
) -> Result<Result<String, String>, HoldingsError> {
    let mut names: Vec<String> = names
        .iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Ok(Err(
            "the request names no file: give file=NAME for each file".into(),
        ));
    }
    if names.len() > MOST_FILES {
        return Ok(Err(format!(
            "{} files requested; at most {MOST_FILES} in one request",
            names.len()
        )));
    }
    if let Some(bad) = names
        .iter()
        .find(|n| !matches!(Identifier::parse(n), Ok(Identifier::FileName(ref f)) if f == *n))
    {
        return Ok(Err(format!("{bad:?} is not a file name of this archive")));
    }
    let known: Vec<String> = client
        .query(
            "SELECT name FROM archive.file WHERE name = ANY($1)",
            &[&names],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if let Some(missing) = names.iter().find(|n| !known.contains(n)) {
        return Ok(Err(format!("no file {missing} in this archive")));
    }
    let today: i64 = client
        .query_one(
            "SELECT count(*) FROM archive.download_request \
             WHERE owner IS NOT DISTINCT FROM $1 AND ($1 IS NOT NULL OR client = $2) \
               AND created_at > now() - interval '1 day'",
            &[&owner, &address],
        )
        .await?
        .get(0);
    if today >= MOST_REQUESTS_A_DAY {
        return Ok(Err(format!(
            "{today} requests made in the last day; at most {MOST_REQUESTS_A_DAY} a day"
        )));
    }
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    client
        .execute(
            "WITH made AS (INSERT INTO archive.download_request (id, owner, client, email) \
                           VALUES ($1, $2, $3, $4)) \
             INSERT INTO archive.download_request_file (request_id, file_name) SELECT $1, unnest($5::text[])",
            &[&id, &owner, &address, &email, &names],
        )
        .await?;
    Ok(Ok(id))
}

/// What the Request Handler offers to choose from: a member OUS's README, its product and
/// auxiliary files one by one, and its raw data packages.
const CHOICE_KINDS: [&str; 4] = ["readme", "product", "auxiliary", "raw-package"];

/// The sql selecting requested files with their place in the hierarchy, `condition` on `f`/`m`.
fn hierarchy_sql(joins: &str, condition: &str) -> String {
    format!(
        "{} LEFT JOIN archive.group_ous g ON g.uid = m.group_ous_uid {joins} \
         WHERE {condition} \
         ORDER BY m.project_code, g.science_goal_uid, m.group_ous_uid, m.uid, {KIND_ORDER}",
        SELECT_FILES.replacen(
            " FROM archive.file f",
            ", g.science_goal_uid, m.group_ous_uid, m.schedblock_name, m.qa2_status FROM archive.file f",
            1
        )
    )
}

fn requested_from(r: &tokio_postgres::Row) -> RequestedFile {
    RequestedFile {
        file: file_from(r),
        science_goal_uid: r.get(13),
        group_ous_uid: r.get(14),
        schedblock_name: r.get(15),
        qa2_status: r.get(16),
    }
}

/// What can be requested of these member OUSes (at most 1000): their README, each product and
/// auxiliary file, and their raw data packages, along the hierarchy.
pub async fn choices(
    client: &Client,
    member_ous_uids: &[String],
) -> Result<Vec<RequestedFile>, HoldingsError> {
    let uids: Vec<&String> = member_ous_uids.iter().take(1000).collect();
    let kinds: Vec<&str> = CHOICE_KINDS.to_vec();
    Ok(client
        .query(
            &hierarchy_sql("", "m.uid = ANY($1) AND f.kind = ANY($2)"),
            &[&uids, &kinds],
        )
        .await?
        .iter()
        .map(requested_from)
        .collect())
}

/// The request `id` with its files along the hierarchy; None when there is none.
pub async fn load_request(
    client: &Client,
    id: &str,
) -> Result<Option<DownloadRequest>, HoldingsError> {
    let Some(row) = client
        .query_opt(
            "SELECT id, owner, email, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), \
                    to_char(ready_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), \
                    to_char(notified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), notify_error \
             FROM archive.download_request WHERE id = $1",
            &[&id],
        )
        .await?
    else {
        return Ok(None);
    };
    let sql = hierarchy_sql(
        "JOIN archive.download_request_file r ON r.file_name = f.name",
        "r.request_id = $1",
    );
    let files = client
        .query(&sql, &[&id])
        .await?
        .iter()
        .map(requested_from)
        .collect();
    Ok(Some(DownloadRequest {
        id: row.get(0),
        owner: row.get(1),
        email: row.get(2),
        created_at: row.get(3),
        ready_at: row.get(4),
        notified_at: row.get(5),
        notify_error: row.get(6),
        files,
    }))
}

/// Records that the request's files are ready, and whether telling its owner worked.
pub async fn mark_ready(
    client: &Client,
    id: &str,
    notified: Result<bool, String>,
) -> Result<(), HoldingsError> {
    let (told, error) = match notified {
        Ok(told) => (told, None),
        Err(e) => (false, Some(e)),
    };
    client
        .execute(
            "UPDATE archive.download_request SET ready_at = coalesce(ready_at, now()), \
             notified_at = CASE WHEN $2 THEN now() ELSE notified_at END, notify_error = $3 WHERE id = $1",
            &[&id, &told, &error],
        )
        .await?;
    Ok(())
}
