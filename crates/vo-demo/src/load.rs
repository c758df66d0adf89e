//! Loading the demo archive: the hierarchy tables with COPY, then rows and files through the
//! ingest loader.

use crate::calibrators::flux_histories;
use crate::files::planned_files;
use crate::model::{Archive, Delivery, DemoConfig, SmallFiles};
use crate::rows::obscore_rows;
use bytes::Bytes;
use futures_util::SinkExt;
use tokio_postgres::Client;
use vo_catalogue::Catalogue;
use vo_ingest::{copy_escape, FileRecord, IngestErrors, LoadReport, Loader};

#[derive(Debug, Clone, PartialEq)]
pub struct DemoReport {
    pub projects: usize,
    pub members: usize,
    pub rows: LoadReport,
}

fn line(values: &[Option<String>]) -> String {
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        match v {
            Some(v) => copy_escape(v, &mut out),
            None => out.push_str("\\N"),
        }
    }
    out.push('\n');
    out
}

/// COPY lines into a staging copy of `table` and insert the rows not present yet.
async fn copy_insert(
    tx: &tokio_postgres::Transaction<'_>,
    table: &str,
    columns: &str,
    lines: Vec<String>,
) -> Result<(), tokio_postgres::Error> {
    let staging = format!("staging_{}", table.replace('.', "_"));
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE {staging} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"
    ))
    .await?;
    let sink = tx
        .copy_in::<_, Bytes>(&format!("COPY {staging} ({columns}) FROM STDIN"))
        .await?;
    futures_util::pin_mut!(sink);
    for chunk in lines.chunks(5000) {
        sink.send(Bytes::from(chunk.concat())).await?;
    }
    sink.finish().await?;
    tx.batch_execute(&format!(
        "INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} ON CONFLICT DO NOTHING"
    ))
    .await
}

fn ts(t: chrono::DateTime<chrono::Utc>) -> Option<String> {
    Some(t.to_rfc3339())
}

/// Loads the archive (hierarchy, rows, files). Existing records are kept; rows with the
/// same obs_id are replaced, so loading twice changes nothing.
pub async fn load_archive(
    client: &mut Client,
    archive: &Archive,
    files: &[FileRecord],
    catalogue: &Catalogue,
    progress: &mut dyn FnMut(u64),
) -> Result<DemoReport, IngestErrors> {
    let s = |v: &str| Some(v.to_string());
    let (mut projects, mut goals, mut groups, mut members, mut ebs, mut publications, mut links) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for p in &archive.projects {
        projects.push(line(&[
            s(&p.code),
            s(&p.title),
            s(&p.pi_name),
            s(&pi_userid(&p.pi_name)),
            s(&archive.abstract_of(p)),
            s(&p.co_investigators),
            s(&p.keywords),
            s(p.category),
            s(p.proposal_type),
            s(&p.cycle),
            s(&p.is_ddt.to_string()),
        ]));
        for g in &p.goals {
            goals.push(line(&[
                s(&g.uid),
                s(&p.code),
                s(&g.name),
                s(&g.redshift.to_string()),
            ]));
            for (group_uid, ms) in &g.groups {
                groups.push(line(&[s(group_uid), s(&g.uid), s(&p.code)]));
                for m in ms {
                    let observed_until = chrono::DateTime::from_timestamp(
                        ((m.ebs.last().unwrap().end_mjd - 40587.0) * 86400.0) as i64,
                        0,
                    )
                    .unwrap();
                    members.push(line(&[
                        s(&m.uid),
                        s(group_uid),
                        s(&p.code),
                        s(m.array),
                        s(&m.schedblock_name),
                        s(if m.qa2_passed { "Pass" } else { "Fail" }),
                        ts(observed_until),
                        // no release date until the data are delivered
                        (m.delivery == Delivery::Delivered)
                            .then_some(m.release)
                            .and_then(ts),
                        s(m.delivery.label()),
                    ]));
                    for e in &m.ebs {
                        ebs.push(line(&[
                            s(&e.uid),
                            s(&m.uid),
                            s(&e.start_mjd.to_string()),
                            s(&e.end_mjd.to_string()),
                            s(e.qa0),
                            s(&crate::weather::pwv_mm(archive.config.seed, &e.uid, m.band)
                                .to_string()),
                        ]));
                    }
                }
            }
        }
        for publication in &p.publications {
            publications.push(line(&[
                s(&publication.bibcode),
                s(&publication.title),
                s(&publication.first_author),
                s(&publication.authors),
                s(&publication.abstract_text),
                s(&publication.year.to_string()),
            ]));
            links.push(line(&[s(&p.code), s(&publication.bibcode)]));
        }
    }
    let member_count = members.len();
    let tx = client.transaction().await?;
    copy_insert(&tx, "archive.project", "code, title, pi_name, pi_userid, abstract, co_investigators, science_keyword, scientific_category, proposal_type, proposal_cycle, is_ddt", projects).await?;
    copy_insert(
        &tx,
        "archive.science_goal",
        "uid, project_code, name, redshift",
        goals,
    )
    .await?;
    copy_insert(
        &tx,
        "archive.group_ous",
        "uid, science_goal_uid, project_code",
        groups,
    )
    .await?;
    copy_insert(&tx, "archive.member_ous", "uid, group_ous_uid, project_code, array_name, schedblock_name, qa2_status, observed_until, release_date, delivery", members).await?;
    copy_insert(
        &tx,
        "archive.execution_block",
        "uid, member_ous_uid, start_mjd, end_mjd, qa0_status, pwv_mm",
        ebs,
    )
    .await?;
    copy_insert(
        &tx,
        "archive.publication",
        "bibcode, title, first_author, authors, abstract, year",
        publications,
    )
    .await?;
    copy_insert(
        &tx,
        "archive.project_publication",
        "project_code, bibcode",
        links,
    )
    .await?;
    // the Calibrator Catalogue is the demo's own: drawn again whole
    let fluxes = flux_histories(archive)
        .into_iter()
        .map(|f| {
            line(&[
                s(f.calibrator),
                s(&f.ra.to_string()),
                s(&f.dec.to_string()),
                s(&f.mjd.to_string()),
                s(&f.band.to_string()),
                s(&f.ghz.to_string()),
                s(&f.flux_jy.to_string()),
                s(&f.error_jy.to_string()),
                s(if f.eb_uid.is_some() {
                    "execution block"
                } else {
                    "grid monitoring"
                }),
                f.eb_uid,
            ])
        })
        .collect();
    tx.batch_execute("TRUNCATE alma.calibrator_flux").await?;
    copy_insert(
        &tx,
        "alma.calibrator_flux",
        "calibrator_name, cal_ra, cal_dec, measured_mjd, flux_band, flux_frequency, \
         flux_density, flux_density_error, measured_by, flux_eb_uid",
        fluxes,
    )
    .await?;
    tx.commit().await?;

    let loader = Loader::new(catalogue);
    let rows = obscore_rows(archive, catalogue.obscore()).map(Ok);
    let mut report = loader.load(client, rows, files, progress).await?;
    report.files += register_planned_files(client, archive).await?;
    record_origin(client, &archive.config).await?;
    Ok(DemoReport {
        projects: archive.projects.len(),
        members: member_count,
        rows: report,
    })
}

const FILE_COLUMNS: &str = "name, member_ous_uid, path, package_name, kind, semantics, \
     content_type, size_bytes, sha256, description";

/// Registers the files made on first access (names and sizes; checksums once made) with
/// COPY, a member OUS at a time, and lists their member OUSes in archive.files_on_access.
/// Returns how many files it registered.
async fn register_planned_files(
    client: &mut Client,
    archive: &Archive,
) -> Result<u64, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.batch_execute(&format!(
        "DELETE FROM archive.files_on_access; \
         CREATE TEMP TABLE staging_planned_file ON COMMIT DROP AS \
         SELECT {FILE_COLUMNS} FROM archive.file WITH NO DATA"
    ))
    .await?;
    let sink = tx
        .copy_in::<_, Bytes>(&format!(
            "COPY staging_planned_file ({FILE_COLUMNS}) FROM STDIN"
        ))
        .await?;
    futures_util::pin_mut!(sink);
    let (mut members, mut count, mut buffer) = (Vec::new(), 0u64, String::new());
    for (member, records) in planned_files(archive) {
        members.push(member);
        for f in records {
            buffer.push_str(&line(&[
                Some(f.name),
                Some(f.member_ous_uid),
                f.path,
                f.package_name,
                Some(f.kind),
                Some(f.semantics),
                Some(f.content_type),
                Some(f.size_bytes.to_string()),
                f.sha256,
                Some(f.description),
            ]));
            count += 1;
        }
        if buffer.len() > 1 << 20 {
            sink.send(Bytes::from(std::mem::take(&mut buffer))).await?;
        }
    }
    sink.send(Bytes::from(buffer)).await?;
    sink.finish().await?;
    // a package and the files it holds arrive in one statement: the foreign key between
    // them is checked at its end
    tx.batch_execute(&format!(
        "INSERT INTO archive.file ({FILE_COLUMNS}) SELECT {FILE_COLUMNS} FROM staging_planned_file \
         ON CONFLICT (name) DO UPDATE SET member_ous_uid = EXCLUDED.member_ous_uid, \
           path = EXCLUDED.path, package_name = EXCLUDED.package_name, kind = EXCLUDED.kind, \
           semantics = EXCLUDED.semantics, content_type = EXCLUDED.content_type, \
           size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, \
           description = EXCLUDED.description"
    ))
    .await?;
    tx.execute(
        "INSERT INTO archive.files_on_access (member_ous_uid) SELECT unnest($1::text[])",
        &[&members],
    )
    .await?;
    tx.commit().await?;
    Ok(count)
}

/// Records how this archive was drawn, so that its files can be made again from the seed.
async fn record_origin(client: &Client, config: &DemoConfig) -> Result<(), tokio_postgres::Error> {
    let small_files = match config.small_files {
        SmallFiles::Written => "written",
        SmallFiles::OnFirstAccess => "on-first-access",
        SmallFiles::Absent => "none",
    };
    client
        .execute(
            "INSERT INTO archive.demo_origin \
               (seed, rows, file_mous, small_files, reference_time, public_url) \
             VALUES ($1, $2, $3, $4, to_timestamp($5::float8), $6) \
             ON CONFLICT (one_row) DO UPDATE SET seed = EXCLUDED.seed, rows = EXCLUDED.rows, \
               file_mous = EXCLUDED.file_mous, small_files = EXCLUDED.small_files, \
               reference_time = EXCLUDED.reference_time, public_url = EXCLUDED.public_url",
            &[
                &(config.seed as i64),
                &(config.rows as i64),
                &(config.file_mous as i64),
                &small_files,
                &(config.now.timestamp() as f64),
                &config.public_url,
            ],
        )
        .await?;
    Ok(())
}

/// The archive account name of a PI, ALMA-style: the first name's initial and the last
/// name, lower case, ASCII letters only ("Smith, Jane" → "jsmith"). Accounts are not made
/// by the demo; an operator creates them (`voarchive user create jsmith`).
pub fn pi_userid(pi_name: &str) -> String {
    let (last, first) = pi_name.split_once(',').unwrap_or((pi_name, ""));
    let letters = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_ascii_alphabetic())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let initial: String = letters(first).chars().take(1).collect();
    format!("{initial}{}", letters(last))
}

#[cfg(test)]
mod pi_userid_tests {
    #[test]
    fn account_names_from_pi_names() {
        assert_eq!(super::pi_userid("Smith, Jane"), "jsmith");
        assert_eq!(super::pi_userid("O'Neil, Ana María"), "aoneil");
    }
}
