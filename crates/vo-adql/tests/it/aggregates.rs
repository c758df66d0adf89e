//! Counts by the columns clients group by are answered from indexes alone after a load
//! (its VACUUM sets the visibility map), with the same answer as a sequential scan.

use crate::common;
use common::sql;

async fn counts(client: &tokio_postgres::Client, sql: &str) -> Vec<String> {
    let mut rows: Vec<String> = client
        .query(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| {
            format!(
                "{:?}|{:?}",
                r.get::<_, Option<String>>(0),
                r.get::<_, i64>(r.len() - 1)
            )
        })
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn counts_by_band_and_type_read_indexes_only() {
    let (_db, client) = common::demo_archive(29, 4000).await;
    for adql in [
        "SELECT band_list, dataproduct_type, COUNT(*) AS n FROM ivoa.obscore GROUP BY band_list, dataproduct_type",
        "SELECT band_list, COUNT(*) AS n FROM ivoa.obscore GROUP BY band_list",
        "SELECT data_rights, COUNT(*) AS n FROM ivoa.obscore GROUP BY data_rights",
        "SELECT dataproduct_type, COUNT(*) AS n FROM ivoa.obscore GROUP BY dataproduct_type",
    ] {
        let translated = sql(adql);
        let plan = common::plan(&client, &translated).await;
        assert!(
            plan.iter().any(|l| l.contains("Index Only Scan")),
            "{adql}\n{}",
            plan.join("\n")
        );
        // the same counts as a sequential scan of the rows
        let from_index = counts(&client, &translated).await;
        client
            .batch_execute("SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off")
            .await
            .unwrap();
        let from_rows = counts(&client, &translated).await;
        client.batch_execute("RESET ALL").await.unwrap();
        assert!(!from_index.is_empty());
        assert_eq!(from_index, from_rows, "{adql}");
    }
}
