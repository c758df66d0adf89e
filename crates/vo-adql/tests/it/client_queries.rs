//! The 71 ADQL queries real ALMA clients send (../shared/conformance/clients/adql_real.jsonl)
//! translate and run against a demo archive in a throwaway cluster.

use crate::common;

use serde_json::Value;
use vo_catalogue::{Catalogue, Column, Table};

fn upload_catalogue() -> Catalogue {
    let mut catalogue = Catalogue::builtin();
    catalogue.tables.push(Table {
        schema: "TAP_UPLOAD".into(),
        name: "proj_codes".into(),
        pg_schema: "tap_upload".into(),
        pg_name: "proj_codes".into(),
        description: String::new(),
        utype: None,
        columns: vec![std::sync::Arc::new(Column {
            name: "prop_id".into(),
            datatype: "char".into(),
            arraysize: Some("*".into()),
            pg_type: "text".into(),
            ucd: None,
            utype: None,
            xtype: None,
            unit: None,
            description: String::new(),
            indexed: false,
            principal: false,
            std: false,
        })],
    });
    catalogue
}

#[tokio::test]
async fn every_client_query_translates_and_runs() {
    let (_db, client) = common::demo_archive(3, 1500).await;
    let catalogue = upload_catalogue();
    client.batch_execute("CREATE SCHEMA tap_upload; CREATE TABLE tap_upload.proj_codes (prop_id text); INSERT INTO tap_upload.proj_codes VALUES ('2013.1.01365.S')").await.unwrap();

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/clients/adql_real.jsonl");
    let text = std::fs::read_to_string(path).expect("the client queries beside the project");
    let mut failures = Vec::new();
    let mut count = 0;
    let mut rows_total = 0usize;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let record: Value = serde_json::from_str(line).unwrap();
        let adql = record["adql"].as_str().unwrap();
        count += 1;
        let translation = match vo_adql::translate(
            adql,
            &catalogue,
            &vo_adql::Options {
                maxrec: Some(100_000),
            },
        ) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("TRANSLATE {adql}\n    -> {e}"));
                continue;
            }
        };
        match client.query(translation.sql.as_str(), &[]).await {
            Ok(rows) => {
                rows_total += rows.len();
                // the columns the client reads are in the result, with ALMA's names
                if let Some(read) = record["columns_read"].as_array() {
                    let plain = |c: &&str| {
                        c.chars().next().is_some_and(|ch| ch.is_ascii_alphabetic())
                            && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                    };
                    // names the client derives itself (ALminer's RAJ2000, FoV_arcsec, …) are not ours to serve
                    let ours = |c: &&str| {
                        catalogue
                            .tables
                            .iter()
                            .any(|t| t.columns.iter().any(|col| col.name == *c))
                    };
                    for c in read
                        .iter()
                        .filter_map(Value::as_str)
                        .filter(plain)
                        .filter(ours)
                    {
                        if !translation.columns.iter().any(|o| o.name == c)
                            && !adql.to_lowercase().contains("count(")
                        {
                            failures.push(format!("COLUMN {c} missing from result of {adql}"));
                        }
                    }
                }
            }
            Err(e) => failures.push(format!(
                "RUN {adql}\n    SQL {}\n    -> {}",
                translation.sql,
                e.as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or(e.to_string())
            )),
        }
    }
    for f in &failures {
        println!("{f}");
    }
    println!(
        "{count} client queries, {} failed, {rows_total} rows returned in all",
        failures.len()
    );
    assert_eq!(count, 71);
    assert!(
        failures.is_empty(),
        "{} of {count} client queries failed",
        failures.len()
    );
    assert!(rows_total > 0);
}
