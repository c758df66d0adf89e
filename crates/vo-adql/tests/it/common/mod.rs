//! Shared by the integration tests: a throwaway cluster holding a demo archive.

use chrono::{TimeZone, Utc};
use vo_catalogue::Catalogue;
use vo_db::testing::TestCluster;

/// A migrated throwaway cluster with a demo archive of about `rows` rows (no files), drawn
/// from `seed` at a fixed date.
pub async fn demo_archive(seed: u64, rows: usize) -> (TestCluster, tokio_postgres::Client) {
    let db = TestCluster::start().await;
    let mut client = db.client().await;
    let archive = vo_demo::generate(vo_demo::DemoConfig {
        seed,
        rows,
        file_mous: 0,
        small_files: vo_demo::SmallFiles::Absent,
        now: Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap(),
        public_url: "http://127.0.0.1:8080".into(),
    });
    vo_demo::load_archive(
        &mut client,
        &archive,
        &[],
        &Catalogue::builtin(),
        &mut |_| {},
    )
    .await
    .unwrap();
    (db, client)
}

/// The SQL the service runs for `adql` (the built-in catalogue, no row limit).
pub fn sql(adql: &str) -> String {
    vo_adql::translate(adql, &Catalogue::builtin(), &vo_adql::Options::default())
        .unwrap_or_else(|e| panic!("{adql}: {e}"))
        .sql
}

/// The lines of PostgreSQL's plan for `sql` (EXPLAIN, as the planner chooses).
pub async fn plan(client: &tokio_postgres::Client, sql: &str) -> Vec<String> {
    client
        .query(format!("EXPLAIN {sql}").as_str(), &[])
        .await
        .unwrap_or_else(|e| panic!("EXPLAIN {sql}: {e}"))
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The rows the planner expects a plan's top node to give.
pub fn estimated_rows(plan: &[String]) -> f64 {
    plan[0]
        .split("rows=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no estimate in {}", plan[0]))
}

/// The first column of a query's rows (obs_ids), sorted.
pub async fn obs_ids(client: &tokio_postgres::Client, sql: &str) -> Vec<String> {
    let mut ids: Vec<String> = client
        .query(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.get(0))
        .collect();
    ids.sort();
    ids
}
