//! Plans reused: queries that differ only in their numbers are one statement on a query
//! session, prepared once and executed with each query's numbers, which give each its own
//! rows; north and south (a minus sign) alike.

use chrono::{TimeZone, Utc};
use std::time::Duration;
use vo_db::testing::TestCluster;
use vo_query::{plan_adql, start_query, AdqlRequest, Outcome, QueryPlan, QUERY_ROLE};
use vo_results::Format;

fn plan(adql: &str, catalogue: &vo_catalogue::Catalogue) -> QueryPlan {
    plan_adql(
        adql,
        AdqlRequest {
            catalogue,
            maxrec: 100,
            format: Format::Csv,
            timeout: Duration::from_secs(10),
            uploads: Vec::new(),
            datalink_url: None,
        },
    )
    .unwrap()
}

/// Runs the plan where `reads` sends it: its body and how it ended.
async fn run(reads: &vo_db::Reads, plan: QueryPlan) -> (String, Outcome) {
    let Ok(mut run) = start_query(reads, plan, "").await else {
        panic!("the query did not start");
    };
    let mut body = Vec::new();
    while let Some(chunk) = run.chunks.recv().await {
        body.extend_from_slice(&chunk.unwrap());
    }
    (
        String::from_utf8(body).unwrap(),
        run.finished.await.unwrap(),
    )
}

/// The rows of a query of three columns.
async fn triples<A, B, C>(client: &tokio_postgres::Client, sql: &str) -> Vec<(A, B, C)>
where
    A: for<'a> tokio_postgres::types::FromSql<'a>,
    B: for<'a> tokio_postgres::types::FromSql<'a>,
    C: for<'a> tokio_postgres::types::FromSql<'a>,
{
    let rows = client.query(sql, &[]).await.unwrap();
    rows.iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

#[actix_web::test]
async fn queries_differing_in_their_numbers_share_one_prepared_statement() {
    let db = TestCluster::start().await;
    let mut admin = db.client().await;
    let catalogue = vo_catalogue::Catalogue::builtin();
    let archive = vo_demo::generate(vo_demo::DemoConfig {
        seed: 5,
        rows: 300,
        file_mous: 0,
        small_files: vo_demo::SmallFiles::Absent,
        now: Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap(),
        public_url: "http://127.0.0.1:8080".into(),
    });
    vo_demo::load_archive(&mut admin, &archive, &[], &catalogue, &mut |_| {})
        .await
        .unwrap();
    // eight observations at different positions
    let targets: Vec<(String, f64, f64)> = triples(
        &admin,
        "SELECT DISTINCT ON (round(s_ra::numeric, 2)) obs_id, s_ra, s_dec FROM ivoa.obscore \
         ORDER BY round(s_ra::numeric, 2), obs_id LIMIT 8",
    )
    .await;
    assert_eq!(targets.len(), 8);
    let pool = vo_db::make_pool(&db.params(), 2).unwrap();
    // one session, so that every query meets the statements of the ones before
    let sessions =
        vo_db::make_query_pool(&db.params(), 1, 1, QUERY_ROLE, Duration::from_secs(10)).unwrap();
    let reads = vo_db::Reads::primary_only(pool, Some(sessions));
    for (obs_id, ra, dec) in &targets {
        let adql = format!(
            "SELECT obs_id FROM ivoa.obscore \
             WHERE CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', {ra}, {dec}, 0.0003)) = 1"
        );
        let (body, outcome) = run(&reads, plan(&adql, &catalogue)).await;
        // each cone finds its own observation: the numbers reach the statement
        assert!(
            matches!(outcome, Outcome::Complete { rows, .. } if rows >= 1),
            "{outcome:?}"
        );
        assert!(body.contains(obs_id.as_str()), "{obs_id}: {body}");
    }
    let session = reads
        .primary()
        .sessions
        .as_ref()
        .unwrap()
        .get()
        .await
        .unwrap();
    let prepared: Vec<(String, i64, i64)> = triples(
        &session,
        "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements \
         WHERE statement LIKE '%scircle%' AND statement NOT LIKE '%pg_prepared_statements%'",
    )
    .await;
    assert_eq!(prepared.len(), 1, "{prepared:?}");
    let (statement, generic, custom) = &prepared[0];
    assert!(statement.contains("$1::numeric"), "{statement}");
    assert_eq!(generic + custom, 8, "{prepared:?}");
}
