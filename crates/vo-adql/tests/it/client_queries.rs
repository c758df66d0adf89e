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
    let mut parameterised = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let record: Value = serde_json::from_str(line).unwrap();
        let adql = record["adql"].as_str().unwrap();
        count += 1;
        let translation = match vo_adql::translate(
            adql,
            &catalogue,
            &vo_adql::Options {
                maxrec: Some(100_000),
                ..Default::default()
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
                // as the service sends it: literal numbers as parameters, the same rows
                match same_rows_with_parameters(&client, adql, &catalogue, &translation.sql).await {
                    Ok(true) => parameterised += 1,
                    Ok(false) => {}
                    Err(problem) => failures.push(format!("PARAMETERS {adql}\n    -> {problem}")),
                }
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
                        if !translation.columns.iter().any(|o| o.name() == c)
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
        "{count} client queries, {} failed, {rows_total} rows returned in all; {parameterised} with parameters",
        failures.len()
    );
    assert_eq!(count, 71);
    // most client queries hold numbers (cones, ranges, TOP is not one)
    assert!(parameterised >= 30, "{parameterised}");
    assert!(
        failures.is_empty(),
        "{} of {count} client queries failed",
        failures.len()
    );
    assert!(rows_total > 0);
}

/// Whether `adql` translated with its numbers as parameters gives the rows `literal_sql`
/// gives (compared as the text of every row, in order when the query orders them, else
/// sorted); false when it holds no number; an error names what differs.
async fn same_rows_with_parameters(
    client: &tokio_postgres::Client,
    adql: &str,
    catalogue: &Catalogue,
    literal_sql: &str,
) -> Result<bool, String> {
    let options = vo_adql::Options {
        maxrec: Some(100_000),
        parameterise: true,
    };
    let t = vo_adql::translate(adql, catalogue, &options).map_err(|e| e.to_string())?;
    if t.parameters.is_empty() {
        if t.sql != literal_sql {
            return Err(format!("no parameters, yet other SQL: {}", t.sql));
        }
        return Ok(false);
    }
    // an ordered result keeps its order (its rows numbered as they come), any other is sorted
    let ordered = adql.to_lowercase().contains("order by");
    let wrap = |sql: &str| {
        if ordered {
            format!(
                "SELECT coalesce(string_agg(r::text, E'\\n' ORDER BY n), '') \
                 FROM (SELECT q, row_number() OVER () AS n FROM ({sql}) q) r"
            )
        } else {
            format!(
                "SELECT coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '') FROM ({sql}) r"
            )
        }
    };
    let literal: String = client
        .query_one(wrap(literal_sql).as_str(), &[])
        .await
        .map_err(|e| e.to_string())?
        .get(0);
    let statement = client
        .prepare(wrap(&t.sql).as_str())
        .await
        .map_err(|e| format!("{e:?} in {}", t.sql))?;
    let values: Vec<vo_db::TextParameter> = t
        .parameters
        .iter()
        .map(|v| vo_db::TextParameter(v))
        .collect();
    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = values
        .iter()
        .map(|v| v as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect();
    let bound: String = client
        .query_one(&statement, &params)
        .await
        .map_err(|e| format!("{e:?} in {}", t.sql))?
        .get(0);
    if bound != literal {
        return Err(format!(
            "other rows with parameters {:?}: {}",
            t.parameters, t.sql
        ));
    }
    Ok(true)
}

/// A range's bounds stay literal numbers (PostgreSQL's plan for any value of a parameter
/// counts every range at 0.5% of the rows); a cone's numbers, the same plan whatever they
/// are, and an equality's, become parameters.
#[test]
fn the_bounds_of_a_range_stay_literal_and_a_cones_numbers_become_parameters() {
    let options = vo_adql::Options {
        maxrec: None,
        parameterise: true,
    };
    let translate = |adql: &str| {
        vo_adql::translate(adql, &Catalogue::builtin(), &options)
            .unwrap_or_else(|e| panic!("{adql}: {e}"))
    };
    let t = translate(
        "SELECT obs_id FROM ivoa.obscore WHERE t_max BETWEEN 58119.0 AND -58848 \
         AND frequency >= 84 AND 116 > frequency AND band_list = 3 AND s_fov < 2 * 0.01 \
         AND CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 83.8, -5.4, 0.1)) = 1",
    );
    for literal in ["BETWEEN 58119.0 AND -58848", ">= 84)", "(116 >"] {
        assert!(t.sql.contains(literal), "{literal} in {}", t.sql);
    }
    // the cone's three numbers, and the product's two (not a bound itself)
    assert_eq!(
        t.parameters,
        ["2", "0.01", "83.8", "-5.4", "0.1"],
        "{}",
        t.sql
    );
    // equal numbers share one parameter, as before
    let t = translate("SELECT obs_id FROM ivoa.obscore WHERE s_ra = 10 OR s_dec = 10");
    assert_eq!(t.parameters, ["10"], "{}", t.sql);
}
