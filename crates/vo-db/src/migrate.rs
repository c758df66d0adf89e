//! Schema migrations: the SQL files of `schema/migrations`, applied in order, each once,
//! recorded in `public.vo_schema_version`; then TAP_SCHEMA is rewritten from the catalogue.

use tokio_postgres::Client;
use vo_catalogue::Catalogue;

/// (version, name, SQL) of every migration, in order.
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (
        1,
        "0001_archive.sql",
        include_str!("../../../schema/migrations/0001_archive.sql"),
    ),
    (
        2,
        "0002_obscore.sql",
        include_str!("../../../schema/migrations/0002_obscore.sql"),
    ),
    (
        3,
        "0003_tap_schema.sql",
        include_str!("../../../schema/migrations/0003_tap_schema.sql"),
    ),
    (
        4,
        "0004_uws.sql",
        include_str!("../../../schema/migrations/0004_uws.sql"),
    ),
    (
        5,
        "0005_obsplan.sql",
        include_str!("../../../schema/migrations/0005_obsplan.sql"),
    ),
    (
        6,
        "0006_uws_results.sql",
        include_str!("../../../schema/migrations/0006_uws_results.sql"),
    ),
    (
        7,
        "0007_access.sql",
        include_str!("../../../schema/migrations/0007_access.sql"),
    ),
    (
        8,
        "0008_release_due.sql",
        include_str!("../../../schema/migrations/0008_release_due.sql"),
    ),
    (
        9,
        "0009_limits.sql",
        include_str!("../../../schema/migrations/0009_limits.sql"),
    ),
    (
        10,
        "0010_one_access_rule.sql",
        include_str!("../../../schema/migrations/0010_one_access_rule.sql"),
    ),
    (
        11,
        "0011_science_goal_redshift.sql",
        include_str!("../../../schema/migrations/0011_science_goal_redshift.sql"),
    ),
    (
        12,
        "0012_anonymous_job_owner.sql",
        include_str!("../../../schema/migrations/0012_anonymous_job_owner.sql"),
    ),
    (
        13,
        "0013_delivery_state.sql",
        include_str!("../../../schema/migrations/0013_delivery_state.sql"),
    ),
    (
        14,
        "0014_files_on_access.sql",
        include_str!("../../../schema/migrations/0014_files_on_access.sql"),
    ),
    (
        15,
        "0015_alma_tables.sql",
        include_str!("../../../schema/migrations/0015_alma_tables.sql"),
    ),
    (
        16,
        "0016_completion.sql",
        include_str!("../../../schema/migrations/0016_completion.sql"),
    ),
    (
        17,
        "0017_objects_in_footprints.sql",
        include_str!("../../../schema/migrations/0017_objects_in_footprints.sql"),
    ),
    (
        18,
        "0018_similarity.sql",
        include_str!("../../../schema/migrations/0018_similarity.sql"),
    ),
    (
        19,
        "0019_weather.sql",
        include_str!("../../../schema/migrations/0019_weather.sql"),
    ),
    (
        20,
        "0020_catalogue_redshift.sql",
        include_str!("../../../schema/migrations/0020_catalogue_redshift.sql"),
    ),
    (
        21,
        "0021_publications.sql",
        include_str!("../../../schema/migrations/0021_publications.sql"),
    ),
    (
        22,
        "0022_requests.sql",
        include_str!("../../../schema/migrations/0022_requests.sql"),
    ),
    (
        23,
        "0023_interval_indexes.sql",
        include_str!("../../../schema/migrations/0023_interval_indexes.sql"),
    ),
    (
        24,
        "0024_indexes_for_counts_and_loads.sql",
        include_str!("../../../schema/migrations/0024_indexes_for_counts_and_loads.sql"),
    ),
    (
        25,
        "0025_job_leases.sql",
        include_str!("../../../schema/migrations/0025_job_leases.sql"),
    ),
    (
        26,
        "0026_obscore_optional_columns.sql",
        include_str!("../../../schema/migrations/0026_obscore_optional_columns.sql"),
    ),
    (
        27,
        "0027_registry_records.sql",
        include_str!("../../../schema/migrations/0027_registry_records.sql"),
    ),
    (
        28,
        "0028_interval_indexes_spgist.sql",
        include_str!("../../../schema/migrations/0028_interval_indexes_spgist.sql"),
    ),
    (
        29,
        "0029_interval_order.sql",
        include_str!("../../../schema/migrations/0029_interval_order.sql"),
    ),
    (
        30,
        "0030_spectral_windows.sql",
        include_str!("../../../schema/migrations/0030_spectral_windows.sql"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("database error: {0}")]
    Db(#[from] tokio_postgres::Error),
    #[error("migration {name} failed: {source}")]
    Migration {
        name: String,
        source: tokio_postgres::Error,
    },
    #[error("{0}")]
    PgSphere(String),
    #[error("the database has schema version {found}, newer than this release knows ({known}); upgrade the software")]
    TooNew { found: i32, known: i32 },
}

/// The applied migrations as (version, name, applied at).
pub async fn schema_versions(
    client: &Client,
) -> Result<Vec<(i32, String, String)>, tokio_postgres::Error> {
    let exists = client.query_opt("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'vo_schema_version'", &[]).await?.is_some();
    if !exists {
        return Ok(Vec::new());
    }
    let rows = client.query("SELECT version, name, to_char(applied_at, 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM public.vo_schema_version ORDER BY version", &[]).await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// Brings the database to the current schema and rewrites TAP_SCHEMA. Returns the names of
/// the migrations it applied (empty when the schema was current).
pub async fn migrate(
    client: &mut Client,
    catalogue: &Catalogue,
) -> Result<Vec<String>, MigrateError> {
    let last = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
    migrate_until(client, catalogue, last).await
}

/// Like [`migrate`], but applies migrations only up to version `last` (to build a database
/// as an earlier release left it, and test the migrations that follow).
pub async fn migrate_until(
    client: &mut Client,
    catalogue: &Catalogue,
    last: i32,
) -> Result<Vec<String>, MigrateError> {
    client
        .batch_execute("SELECT pg_advisory_lock(727274)")
        .await?;
    let result = migrate_locked(client, catalogue, last).await;
    client
        .batch_execute("SELECT pg_advisory_unlock(727274)")
        .await?;
    result
}

async fn migrate_locked(
    client: &mut Client,
    catalogue: &Catalogue,
    last: i32,
) -> Result<Vec<String>, MigrateError> {
    crate::pgsphere::ensure_pgsphere(client)
        .await
        .map_err(MigrateError::PgSphere)?;
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS public.vo_schema_version (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await?;
    let current: i32 = client
        .query_one(
            "SELECT coalesce(max(version), 0) FROM public.vo_schema_version",
            &[],
        )
        .await?
        .get(0);
    let known = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
    if current > known {
        return Err(MigrateError::TooNew {
            found: current,
            known,
        });
    }
    let mut applied = Vec::new();
    for &(version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current && m.0 <= last) {
        let tx = client.transaction().await?;
        tx.batch_execute(sql)
            .await
            .map_err(|source| MigrateError::Migration {
                name: name.to_string(),
                source,
            })?;
        tx.execute(
            "INSERT INTO public.vo_schema_version (version, name) VALUES ($1, $2)",
            &[&version, &name],
        )
        .await?;
        tx.commit().await?;
        tracing::info!(version, name, "applied migration");
        applied.push(name.to_string());
    }
    crate::tap_schema::write_tap_schema(client, catalogue).await?;
    Ok(applied)
}
