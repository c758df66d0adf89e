//! TOP limits the SELECT it stands in, wherever that is: a derived table, a subquery, a WITH
//! body, each operand of a set operation — run in PostgreSQL and counted.

use crate::common;
use common::sql;

#[tokio::test]
async fn top_limits_its_own_select_at_every_level() {
    let (_db, client) = common::demo_archive(31, 300).await;
    let count = |adql: &'static str| {
        let client = &client;
        async move {
            let translated = sql(adql);
            client
                .query_one(&translated, &[])
                .await
                .unwrap_or_else(|e| panic!("{adql}\n{translated}: {e}"))
                .get::<_, i64>(0)
        }
    };
    let rows = count("SELECT COUNT(*) FROM ivoa.obscore").await;
    assert!(rows >= 300, "{rows}");
    for (adql, expected) in [
        ("SELECT COUNT(*) FROM (SELECT TOP 20 obs_id FROM ivoa.obscore) AS t", 20),
        (
            "SELECT COUNT(*) FROM ivoa.obscore AS a, (SELECT TOP 3 obs_id FROM ivoa.obscore) AS c",
            3 * rows,
        ),
        (
            "SELECT COUNT(*) FROM ivoa.obscore WHERE obs_id IN (SELECT TOP 7 obs_id FROM ivoa.obscore ORDER BY obs_id)",
            7,
        ),
        (
            "WITH few AS (SELECT TOP 5 obs_id FROM ivoa.obscore) SELECT COUNT(*) FROM few",
            5,
        ),
        (
            "SELECT COUNT(*) FROM (SELECT TOP 4 obs_id FROM ivoa.obscore \
             UNION ALL SELECT TOP 6 obs_id FROM ivoa.obscore) AS u",
            10,
        ),
    ] {
        assert_eq!(count(adql).await, expected, "{adql}\n{}", sql(adql));
    }
}
