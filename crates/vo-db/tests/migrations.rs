//! Migrations on a throwaway cluster: the schema appears, TAP_SCHEMA matches the catalogue,
//! the live ObsCore table and ObsPlan view match schema/obscore.toml and obsplan.toml, and
//! migrating again changes nothing.

use vo_catalogue::Catalogue;
use vo_db::testing::{strings, TestCluster};

#[tokio::test]
async fn migrations_build_the_schema_and_are_idempotent() {
    let db = TestCluster::start().await;
    let mut client = db.client().await;

    let versions = vo_db::schema_versions(&client).await.unwrap();
    assert_eq!(versions.len(), vo_db::MIGRATIONS.len());
    assert!(
        vo_db::migrate(&mut client, &Catalogue::builtin())
            .await
            .unwrap()
            .is_empty(),
        "second run applies nothing"
    );

    // TAP_SCHEMA read back gives the catalogue it was written from
    let read = vo_db::read_catalogue(&client).await.unwrap();
    let builtin = Catalogue::builtin();
    assert_eq!(read.tables.len(), builtin.tables.len());
    for (a, b) in read.tables.iter().zip(&builtin.tables) {
        assert_eq!(a.qualified_name(), b.qualified_name());
        assert_eq!(a.sql_name(), b.sql_name());
        let names =
            |t: &vo_catalogue::Table| -> Vec<(String, String, Option<String>, Option<String>)> {
                t.columns
                    .iter()
                    .map(|c| {
                        (
                            c.name.clone(),
                            c.datatype.clone(),
                            c.unit.clone(),
                            c.xtype.clone(),
                        )
                    })
                    .collect()
            };
        assert_eq!(names(a), names(b));
    }

    // every file in schema/migrations is embedded, in order
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/migrations");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        vo_db::MIGRATIONS
            .iter()
            .map(|m| m.1.to_string())
            .collect::<Vec<_>>()
    );

    // each live data table (ivoa.obscore, the ivoa.obsplan view) has exactly the catalogue's
    // columns, with matching types
    let catalogue = Catalogue::builtin();
    for table in catalogue.tables.iter().filter(|t| t.schema != "TAP_SCHEMA") {
        let live = client
            .query(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                 WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                &[&format!("{}.{}", table.pg_schema, table.pg_name)],
            )
            .await
            .unwrap();
        let hidden = ["row_id", "s_point", "s_region_bound", "spectral_windows"];
        let mut visible: Vec<(String, String)> = live
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .filter(|(n, _): &(String, String)| !hidden.contains(&n.as_str()))
            .collect();
        let mut expected: Vec<(String, String)> = table
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.pg_type.clone()))
            .collect();
        visible.sort();
        expected.sort();
        assert_eq!(visible, expected, "{}", table.qualified_name());
    }

    // TAP_SCHEMA lists each obscore column once with its metadata
    let rows = client.query("SELECT column_name, unit, xtype FROM tap_schema.columns WHERE table_name = 'ivoa.obscore'", &[]).await.unwrap();
    assert_eq!(rows.len(), 78);
    let region = rows
        .iter()
        .find(|r| r.get::<_, String>(0) == "s_region")
        .unwrap();
    assert_eq!(
        region.get::<_, Option<String>>(2).as_deref(),
        Some("adql:REGION")
    );
    let tables: i64 = client
        .query_one("SELECT count(*) FROM tap_schema.tables", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables as usize, catalogue.tables.len());

    // every column marked indexed has an index (s_ra/s_dec through s_point, s_region through its bound)
    let index_defs: Vec<String> = strings(
        &client,
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'ivoa' AND tablename = 'obscore'",
    )
    .await;
    for column in catalogue.obscore().columns.iter().filter(|c| c.indexed) {
        let needle = match column.name.as_str() {
            "s_ra" | "s_dec" => "(s_point)".to_string(),
            "s_region" => "(s_region_bound)".to_string(),
            _ => format!("({})", column.name),
        };
        let quoted = format!("(\"{}\")", column.name);
        assert!(
            index_defs
                .iter()
                .any(|d| d.contains(&needle) || d.contains(&quoted)),
            "no index for {}",
            column.name
        );
    }

    // pgSphere works, including the generated point column and GiST operators
    let inside: bool = client
        .query_one(
            "SELECT spoint(radians(10.0), radians(20.0)) @ scircle '<(10d,20d),1d>'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(inside);
}

/// A database made by an earlier release (jobs with one result each, in `uws.job`) keeps
/// its jobs' results when 0006 moves them to `uws.result`.
#[tokio::test]
async fn uws_results_migration_keeps_earlier_results() {
    let db = TestCluster::start().await;
    db.cluster.ensure_database("earlier").await.unwrap();
    let mut client = vo_db::connect(&db.cluster.connection_string("earlier"))
        .await
        .unwrap();
    // the database as the release before 0006 left it, with two of its jobs
    vo_db::migrate_until(&mut client, &Catalogue::builtin(), 5)
        .await
        .unwrap();
    client
        .batch_execute(
            "INSERT INTO uws.job (job_id, phase, execution_duration, destruction, parameters, \
                                  result_content_type, result_size, result_rows) \
             VALUES ('done', 'COMPLETED', 60, now() + interval '1 day', '[]', 'text/csv', 42, 3), \
                    ('failed', 'ERROR', 60, now() + interval '1 day', '[]', NULL, NULL, NULL)",
        )
        .await
        .unwrap();
    let applied = vo_db::migrate(&mut client, &Catalogue::builtin())
        .await
        .unwrap();
    assert_eq!(applied[0], "0006_uws_results.sql");
    let rows = client
        .query(
            "SELECT j.job_id, j.service, r.result_id, r.content_type, r.size, r.rows \
             FROM uws.job j LEFT JOIN uws.result r USING (job_id) ORDER BY j.job_id",
            &[],
        )
        .await
        .unwrap();
    let seen: Vec<(
        String,
        String,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<i64>,
    )> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "done".into(),
                "tap".into(),
                Some("result".into()),
                Some("text/csv".into()),
                Some(42),
                Some(3)
            ),
            ("failed".into(), "tap".into(), None, None, None, None),
        ]
    );
}

/// The role queries run as reads what TAP publishes and nothing private.
#[tokio::test]
async fn the_query_role_reads_only_published_tables() {
    let db = TestCluster::start().await;
    let client = db.client().await;
    let as_query_role = |sql: &str| {
        let sql = format!("BEGIN; SET LOCAL ROLE voarchive_query; {sql}; COMMIT");
        let client = &client;
        async move {
            let outcome = client.batch_execute(&sql).await;
            let _ = client.batch_execute("ROLLBACK").await;
            outcome.map_err(|e| {
                e.as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or_default()
            })
        }
    };
    for allowed in [
        "SELECT count(*) FROM ivoa.obscore",
        "SELECT count(*) FROM ivoa.obsplan",
        "SELECT count(*) FROM tap_schema.columns",
        "SELECT count(*) FROM archive.obscore_footprint",
        "CREATE TEMPORARY TABLE upload_t (a integer)",
    ] {
        assert_eq!(as_query_role(allowed).await, Ok(()), "{allowed}");
    }
    for denied in [
        "SELECT * FROM auth.account",
        "SELECT * FROM auth.token",
        "SELECT * FROM archive.delegation",
        "SELECT * FROM archive.project",
        "SELECT * FROM archive.file",
        "SELECT * FROM uws.job",
        "DELETE FROM ivoa.obscore",
        "CREATE TABLE ivoa.planted (a integer)",
    ] {
        let outcome = as_query_role(denied).await;
        assert!(
            outcome
                .as_ref()
                .is_err_and(|m| m.contains("permission denied")),
            "{denied}: {outcome:?}"
        );
    }
}
