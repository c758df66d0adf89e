//! The loader: one transaction, rows streamed through COPY into a staging table, then
//! upserted into ivoa.obscore (keyed by obs_id) with their footprints, hierarchy and files;
//! a load as large as the archive builds the indexes afterwards (`rebuild`).

use crate::error::{IngestError, IngestErrors};
use crate::row::RawRow;
use crate::validate::{Hierarchy, Validator};
use bytes::Bytes;
use futures_util::SinkExt;
use std::collections::{BTreeMap, HashMap};
use tokio_postgres::Client;
use vo_catalogue::Catalogue;

pub use vo_archive::FileRecord;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadReport {
    pub inserted: u64,
    pub updated: u64,
    pub files: u64,
    /// Where the load's time went, step by step, in order.
    pub steps: Vec<(&'static str, std::time::Duration)>,
}

impl LoadReport {
    /// The steps' times as one line: `read and copied 3.1 s, upserted 2.9 s, …`.
    pub fn steps_line(&self) -> String {
        self.steps
            .iter()
            .map(|(step, took)| format!("{step} {:.1} s", took.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Times the steps of a load.
struct Steps {
    done: Vec<(&'static str, std::time::Duration)>,
    since: std::time::Instant,
}

impl Steps {
    fn start() -> Steps {
        Steps {
            done: Vec::new(),
            since: std::time::Instant::now(),
        }
    }

    /// Notes that `step` has just ended.
    fn ended(&mut self, step: &'static str) {
        let now = std::time::Instant::now();
        self.done.push((step, now - self.since));
        self.since = now;
    }
}

pub struct Loader {
    validator: Validator,
    column_list: String,
    update_list: String,
    /// Problems kept before the rest are only counted.
    pub max_errors: usize,
}

const COPY_BATCH_BYTES: usize = 512 * 1024;

impl Loader {
    pub fn new(catalogue: &Catalogue) -> Loader {
        let table = catalogue.obscore();
        let names: Vec<String> = table.columns.iter().map(|c| c.sql_name()).collect();
        let update_list = names
            .iter()
            .filter(|n| n.as_str() != "obs_id")
            .map(|n| format!("{n} = EXCLUDED.{n}"))
            .collect::<Vec<_>>()
            .join(", ");
        Loader {
            validator: Validator::new(table),
            column_list: names.join(", "),
            update_list: format!("{update_list}, s_region_bound = EXCLUDED.s_region_bound"),
            max_errors: 100,
        }
    }

    /// Loads rows and files. Either everything is loaded, or nothing is and every problem
    /// found (up to `max_errors`) is returned. `progress` is called with the rows read so far.
    pub async fn load(
        &self,
        client: &mut Client,
        rows: impl Iterator<Item = Result<RawRow, IngestError>>,
        files: &[FileRecord],
        progress: &mut dyn FnMut(u64),
    ) -> Result<LoadReport, IngestErrors> {
        let mut steps = Steps::start();
        let tx = client.transaction().await?;
        tx.batch_execute(&format!(
            "CREATE TEMP TABLE obscore_staging ON COMMIT DROP AS
               SELECT {}, s_region_bound, NULL::text AS footprint FROM ivoa.obscore WITH NO DATA",
            self.column_list
        ))
        .await?;
        let sink = tx
            .copy_in::<_, Bytes>("COPY obscore_staging FROM STDIN")
            .await?;
        futures_util::pin_mut!(sink);

        let mut errors: Vec<IngestError> = Vec::new();
        let mut truncated = false;
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut hierarchy: BTreeMap<String, Hierarchy> = BTreeMap::new();
        let mut buffer = String::with_capacity(COPY_BATCH_BYTES + 8192);
        let mut count = 0u64;
        let mut push_error = |errors: &mut Vec<IngestError>, e: IngestError| {
            if errors.len() < self.max_errors {
                errors.push(e);
            } else {
                truncated = true;
            }
        };
        for row in rows {
            count += 1;
            if count % 10_000 == 0 {
                progress(count);
            }
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    push_error(&mut errors, e);
                    continue;
                }
            };
            let location = row.location.clone();
            match self.validator.validate(row) {
                Err(list) => list.into_iter().for_each(|e| push_error(&mut errors, e)),
                Ok(valid) => {
                    if let Some(first) = seen.get(&valid.obs_id) {
                        push_error(
                            &mut errors,
                            IngestError {
                                location,
                                column: Some("obs_id".into()),
                                reason: format!("'{}' repeats the obs_id of {first}", valid.obs_id),
                            },
                        );
                        continue;
                    }
                    seen.insert(valid.obs_id.clone(), location.place.clone());
                    if !errors.is_empty() {
                        continue;
                    }
                    hierarchy
                        .entry(valid.hierarchy.member_ous_uid.clone())
                        .or_insert(valid.hierarchy);
                    buffer.push_str(&valid.copy_line);
                    if buffer.len() >= COPY_BATCH_BYTES {
                        sink.send(Bytes::from(std::mem::take(&mut buffer))).await?;
                    }
                }
            }
        }
        progress(count);
        if !errors.is_empty() {
            // dropping the unfinished sink aborts the COPY; dropping tx rolls back
            return Err(IngestErrors {
                errors,
                truncated,
                database: None,
            });
        }
        if !buffer.is_empty() {
            sink.send(Bytes::from(buffer)).await?;
        }
        sink.finish().await?;
        steps.ended("read, checked and copied");

        // a load as large as the archive: its indexes are built afterwards, once, and its
        // foreign keys checked afterwards, once
        let rebuilt = if crate::rebuild::worth_it(&tx, "ivoa.obscore", count as i64).await? {
            let mut restore = crate::rebuild::drop_indexes(&tx, "ivoa.obscore").await?;
            restore.extend(crate::rebuild::drop_indexes(&tx, "archive.obscore_footprint").await?);
            restore.extend(crate::rebuild::drop_foreign_keys(&tx, "ivoa.obscore").await?);
            restore
                .extend(crate::rebuild::drop_foreign_keys(&tx, "archive.obscore_footprint").await?);
            restore
        } else {
            Vec::new()
        };
        steps.ended("indexes and keys dropped");
        insert_hierarchy(&tx, hierarchy.values()).await?;
        steps.ended("projects and OUSes");
        let counts = tx
            .query_one(
                &format!(
                    "WITH up AS (
                       INSERT INTO ivoa.obscore ({cols}, s_region_bound)
                       SELECT {cols}, s_region_bound FROM obscore_staging
                       ON CONFLICT (obs_id) DO UPDATE SET {updates}
                       RETURNING (xmax = 0) AS inserted)
                     SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up",
                    cols = self.column_list,
                    updates = self.update_list
                ),
                &[],
            )
            .await?;
        steps.ended("rows upserted");
        tx.batch_execute(
            "DELETE FROM archive.obscore_footprint f USING obscore_staging s WHERE f.obs_id = s.obs_id;
             INSERT INTO archive.obscore_footprint (obs_id, piece, hole_of, circle, polygon)
             SELECT s.obs_id, (p->>'piece')::smallint, (p->>'hole_of')::smallint, (p->>'circle')::scircle, (p->>'polygon')::spoly
             FROM obscore_staging s CROSS JOIN LATERAL jsonb_array_elements(s.footprint::jsonb) p;",
        )
        .await?;
        steps.ended("footprints");
        crate::rebuild::restore(&tx, &rebuilt).await?;
        steps.ended("indexes built and keys checked");
        // the member OUSes' release (manual §3.1): the rows' release date where they give
        // one, else the policy's, counted from the last observation — for delivered data
        // only (data in progress or in QA3 have none); then the published rows say what the
        // archive tables say
        tx.batch_execute(
            "UPDATE archive.member_ous m SET
                observed_until = coalesce(m.observed_until, s.until),
                release_date = CASE WHEN m.delivery = 'Delivered'
                                    THEN coalesce(m.release_date, s.release,
                                                  archive.policy_release_date(m.project_code, s.until))
                               END
             FROM (SELECT member_ous_uid,
                          to_timestamp((max(t_max) - 40587.0) * 86400.0) AS until,
                          max(CASE WHEN obs_release_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
                                   THEN substr(obs_release_date, 1, 19)::timestamp AT TIME ZONE 'UTC' END) AS release
                   FROM obscore_staging GROUP BY member_ous_uid) s
             WHERE m.uid = s.member_ous_uid;
             SELECT archive.sync_release();",
        )
        .await?;
        steps.ended("release dates");
        let files_loaded = insert_files(&tx, files).await?;
        steps.ended("files");
        // what the query form completes: the values as loaded; the catalogue's objects in
        // the loaded footprints
        tx.batch_execute(
            "REFRESH MATERIALIZED VIEW archive.completion;
             SELECT archive.match_objects(array(SELECT obs_id FROM obscore_staging));",
        )
        .await?;
        steps.ended("completion and catalogue objects");
        tx.commit().await?;
        steps.ended("committed");
        // the planner's statistics and the visibility map follow the load at once
        // (autovacuum would take a while): the interval ranges' estimates come from their
        // indexes' statistics, and counts by band or type are answered from the indexes
        // alone once the pages are marked all-visible (VACUUM runs outside a transaction)
        client
            .batch_execute("VACUUM (ANALYZE) ivoa.obscore")
            .await?;
        client
            .batch_execute("ANALYZE archive.obscore_footprint")
            .await?;
        steps.ended("vacuumed and analysed");
        let (inserted, updated): (i64, i64) = (counts.get(0), counts.get(1));
        Ok(LoadReport {
            inserted: inserted as u64,
            updated: updated as u64,
            files: files_loaded,
            steps: steps.done,
        })
    }
}

fn split_code(code: &str) -> (String, String, bool) {
    let parts: Vec<&str> = code.split('.').collect();
    let cycle = format!(
        "{}.{}",
        parts.first().unwrap_or(&""),
        parts.get(1).unwrap_or(&"")
    );
    let is_ddt = parts
        .get(1)
        .is_some_and(|c| c.chars().all(|ch| ch.is_ascii_alphabetic()));
    (parts.last().unwrap_or(&"S").to_string(), cycle, is_ddt)
}

/// Creates the projects, group and member OUSes rows refer to, keeping existing ones as
/// they are (the archive's own records are richer than what a row carries): each kind
/// copied into a temporary table, then inserted in one statement (a load of a million rows
/// names some 50,000 projects and 150,000 member OUSes).
async fn insert_hierarchy<'a>(
    tx: &tokio_postgres::Transaction<'_>,
    rows: impl Iterator<Item = &'a Hierarchy>,
) -> Result<(), tokio_postgres::Error> {
    let mut projects: BTreeMap<&str, &Hierarchy> = BTreeMap::new();
    let mut groups: BTreeMap<&str, &str> = BTreeMap::new();
    let mut members = Vec::new();
    for h in rows {
        projects.entry(&h.project_code).or_insert(h);
        if let Some(g) = &h.group_ous_uid {
            groups.entry(g).or_insert(&h.project_code);
        }
        let qa2 = match h.qa2_passed.as_deref() {
            Some("F") => "Fail",
            Some("X") => "SemiPass",
            _ => "Pass",
        };
        members.push(vec![
            Some(h.member_ous_uid.clone()),
            h.group_ous_uid.clone(),
            Some(h.project_code.clone()),
            Some(h.schedblock_name.clone()),
            Some(qa2.to_string()),
        ]);
    }
    let text = |names: &[&str]| -> Vec<(String, &'static str)> {
        names.iter().map(|n| (n.to_string(), "text")).collect()
    };
    let project_rows: Vec<Vec<Option<String>>> = projects
        .into_iter()
        .map(|(code, h)| {
            let (kind, cycle, is_ddt) = split_code(code);
            vec![
                Some(code.to_string()),
                Some(h.title.clone()),
                Some(h.pi_name.clone()),
                Some(h.abstract_text.clone()),
                Some(h.co_investigators.clone()),
                Some(h.science_keyword.clone()),
                Some(h.scientific_category.clone()),
                Some(kind),
                Some(cycle),
                Some(is_ddt.to_string()),
            ]
        })
        .collect();
    let mut project_columns = text(&[
        "code",
        "title",
        "pi_name",
        "abstract",
        "co_investigators",
        "science_keyword",
        "scientific_category",
        "proposal_type",
        "proposal_cycle",
    ]);
    project_columns.push(("is_ddt".into(), "boolean"));
    vo_db::load_temporary_table(
        tx.client(),
        "loaded_project",
        &project_columns,
        &project_rows,
    )
    .await?;
    let group_rows: Vec<Vec<Option<String>>> = groups
        .into_iter()
        .map(|(uid, code)| vec![Some(uid.to_string()), Some(code.to_string())])
        .collect();
    vo_db::load_temporary_table(
        tx.client(),
        "loaded_group_ous",
        &text(&["uid", "project_code"]),
        &group_rows,
    )
    .await?;
    vo_db::load_temporary_table(
        tx.client(),
        "loaded_member_ous",
        &text(&[
            "uid",
            "group_ous_uid",
            "project_code",
            "schedblock_name",
            "qa2_status",
        ]),
        &members,
    )
    .await?;
    tx.batch_execute(
        "INSERT INTO archive.project (code, title, pi_name, abstract, co_investigators, science_keyword, scientific_category, proposal_type, proposal_cycle, is_ddt)
           SELECT code, title, pi_name, abstract, co_investigators, science_keyword, scientific_category, proposal_type, proposal_cycle, is_ddt
           FROM loaded_project ORDER BY code ON CONFLICT (code) DO NOTHING;
         INSERT INTO archive.group_ous (uid, project_code)
           SELECT uid, project_code FROM loaded_group_ous ORDER BY uid ON CONFLICT (uid) DO NOTHING;
         INSERT INTO archive.member_ous (uid, group_ous_uid, project_code, schedblock_name, qa2_status)
           SELECT uid, group_ous_uid, project_code, schedblock_name, qa2_status
           FROM loaded_member_ous ORDER BY uid ON CONFLICT (uid) DO NOTHING;
         DROP TABLE loaded_project, loaded_group_ous, loaded_member_ous;",
    )
    .await
}

/// Registers files (packages first, so the files inside can name them); re-registering a
/// name replaces its record.
async fn insert_files(
    tx: &tokio_postgres::Transaction<'_>,
    files: &[FileRecord],
) -> Result<u64, tokio_postgres::Error> {
    let statement = tx
        .prepare(
            "INSERT INTO archive.file (name, member_ous_uid, path, package_name, kind, semantics, content_type, size_bytes, sha256, description)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (name) DO UPDATE SET member_ous_uid = EXCLUDED.member_ous_uid, path = EXCLUDED.path, package_name = EXCLUDED.package_name,
               kind = EXCLUDED.kind, semantics = EXCLUDED.semantics, content_type = EXCLUDED.content_type, size_bytes = EXCLUDED.size_bytes,
               sha256 = EXCLUDED.sha256, description = EXCLUDED.description",
        )
        .await?;
    let mut ordered: Vec<&FileRecord> = files.iter().filter(|f| f.package_name.is_none()).collect();
    ordered.extend(files.iter().filter(|f| f.package_name.is_some()));
    for f in &ordered {
        tx.execute(
            &statement,
            &[
                &f.name,
                &f.member_ous_uid,
                &f.path,
                &f.package_name,
                &f.kind,
                &f.semantics,
                &f.content_type,
                &f.size_bytes,
                &f.sha256,
                &f.description,
            ],
        )
        .await?;
    }
    Ok(ordered.len() as u64)
}
