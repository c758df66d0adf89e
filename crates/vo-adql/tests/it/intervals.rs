//! ObsCore's intervals over the demo table: spectral and temporal conditions in their usual
//! spellings search the range indexes, are estimated close to the rows they find, and
//! find exactly the rows the plain comparisons find.

use crate::common;
use common::{obs_ids, sql};

#[tokio::test]
async fn interval_conditions_use_the_range_indexes_and_keep_their_answers() {
    let (_db, client) = common::demo_archive(23, 6000).await;
    // a wavelength inside many rows' windows, and a date inside many rows' observations;
    // and a wavelength where windows start (which a strict bound keeps them out at)
    let (lambda, mjd, start): (f64, f64, f64) = {
        let row = client
            .query_one(
                "SELECT (em_min + em_max) / 2, (t_min + t_max) / 2, em_min FROM ivoa.obscore ORDER BY obs_id LIMIT 1 OFFSET 100",
                &[],
            )
            .await
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    // one row whose window holds λ loses its start, and one whose observation holds the
    // date loses its end: the comparisons are unknown for them, so neither may be found
    let unknown_ends = [
        (
            "em_min",
            format!("em_min <= {lambda} AND em_max >= {lambda}"),
        ),
        ("t_max", format!("t_min <= {mjd} AND t_max >= {mjd}")),
    ];
    for (column, condition) in &unknown_ends {
        let updated = client
            .execute(
                &format!(
                    "UPDATE ivoa.obscore SET {column} = NULL WHERE obs_id = \
                     (SELECT min(obs_id) FROM ivoa.obscore WHERE {condition})"
                ),
                &[],
            )
            .await
            .unwrap();
        assert_eq!(updated, 1, "{condition}");
    }
    client.batch_execute("ANALYZE ivoa.obscore").await.unwrap();
    let (lo, hi) = (lambda * 0.995, lambda * 1.005);
    let cases = [
        // a frequency inside the window, as astroquery and the web form send it
        (
            format!("em_min <= {lambda} AND em_max >= {lambda}"),
            "obscore_em_range_idx",
            true,
        ),
        (
            format!("{lambda} BETWEEN em_min AND em_max"),
            "obscore_em_range_idx",
            true,
        ),
        (
            format!("em_max >= {lambda} AND {lambda} >= em_min"),
            "obscore_em_range_idx",
            true,
        ),
        // a range overlapping the window (SIA2 BAND), inside another condition; and with
        // strict bounds (the range and an inequality for each), also for a value inside
        (
            format!("dataproduct_type = 'cube' AND (em_min <= {hi} AND em_max >= {lo})"),
            "obscore_em_range_idx",
            true,
        ),
        (
            format!("dataproduct_type = 'cube' AND (em_min < {hi} AND em_max > {lo})"),
            "obscore_em_range_idx",
            true,
        ),
        (
            format!("em_min < {lambda} AND {lambda} < em_max"),
            "obscore_em_range_idx",
            true,
        ),
        (
            format!("em_min < {start} AND em_max > {start}"),
            "obscore_em_range_idx",
            true,
        ),
        // the window inside a narrow range
        (
            format!("em_min >= {lo} AND em_max <= {}", hi * 1.02),
            "obscore_em_range_idx",
            false,
        ),
        // a date inside the observation (SIA2 TIME), and two frequencies (an OR of two)
        (
            format!("t_min <= {mjd} AND t_max >= {mjd}"),
            "obscore_t_range_idx",
            true,
        ),
        (
            format!(
                "(em_min <= {lambda} AND em_max >= {lambda}) OR (em_min <= {} AND em_max >= {})",
                lambda * 1.3,
                lambda * 1.3
            ),
            "obscore_em_range_idx",
            true,
        ),
    ];
    for (condition, index, replaced) in &cases {
        let adql = format!("SELECT obs_id FROM ivoa.obscore WHERE {condition}");
        let translated = sql(&adql);
        // the same answer as the comparisons alone, written straight in SQL
        let plain = obs_ids(
            &client,
            &format!("SELECT obs_id FROM ivoa.obscore WHERE {condition}"),
        )
        .await;
        let got = obs_ids(&client, &translated).await;
        assert!(!plain.is_empty(), "{condition} finds rows");
        assert_eq!(got, plain, "{condition}\n{translated}");
        // a value inside and an overlap are the range alone (with both ends known, and an
        // inequality for a strict bound); containments keep their comparisons beside it
        let mut rest = translated.clone();
        for (start, end) in [("em_min", "em_max"), ("t_min", "t_max")] {
            rest = rest
                .replace(
                    &format!("archive.float8range(LEAST(\"obscore\".{start}, \"obscore\".{end}), GREATEST(\"obscore\".{start}, \"obscore\".{end}), '[]')"),
                    "",
                )
                .replace(&format!("\"obscore\".{start} IS NOT NULL"), "")
                .replace(&format!("\"obscore\".{end} IS NOT NULL"), "");
            for column in [start, end] {
                let inequality = format!("\"obscore\".{column} <> ");
                while let Some(at) = rest.find(&inequality) {
                    let value_end = rest[at + inequality.len()..]
                        .find([' ', ')'])
                        .map_or(rest.len(), |n| at + inequality.len() + n);
                    rest.replace_range(at..value_end, "");
                }
            }
        }
        let compared = rest.contains("\"obscore\".em_m") || rest.contains("\"obscore\".t_m");
        assert_eq!(compared, !replaced, "{condition}\n{translated}");
        assert_eq!(
            translated.contains("IS NOT NULL"),
            *replaced,
            "{translated}"
        );
        // the planner, free to choose, searches the range index and estimates the rows:
        // the range alone within 2×; beside the comparisons within 6× (it takes the range
        // and the comparisons it implies as independent, so it errs low; without the range
        // it erred 10× high)
        let plan = common::plan(&client, &translated).await;
        assert!(
            plan.iter().any(|l| l.contains(index)),
            "{condition}: {index} not used\n{}",
            plan.join("\n")
        );
        let estimate = common::estimated_rows(&plan);
        let found = got.len() as f64;
        println!("{condition}: estimated {estimate} rows, found {found}");
        let factor = if *replaced { 2.0 } else { 6.0 };
        assert!(
            estimate <= factor * found.max(10.0) && found <= factor * estimate.max(10.0),
            "{condition}: estimated {estimate} rows, found {found}\n{}",
            plan.join("\n")
        );
    }
    // conditions that bound one end only, with a column on both sides, or a wide interval
    // (a sequential scan's work: the range would only cost it) are left as written
    for condition in [
        "em_min <= 0.001",
        "em_min <= em_max",
        "em_min >= 0.0010902 AND em_max <= 0.0014208",
        "t_min >= 58000 AND t_max <= 58400",
    ] {
        let translated = sql(&format!(
            "SELECT obs_id FROM ivoa.obscore WHERE {condition}"
        ));
        assert!(!translated.contains("float8range"), "{translated}");
    }
    // a term that bounds two intervals at once stays, even where one range is said exactly
    let translated = sql(
        "SELECT obs_id FROM ivoa.obscore WHERE 0.001 BETWEEN em_min AND t_max AND em_max >= 0.001",
    );
    assert!(translated.contains("BETWEEN"), "{translated}");
    assert!(translated.contains("float8range"), "{translated}");
    // nor under NOT (where a false range and unknown comparisons would keep different rows)
    let translated =
        sql("SELECT obs_id FROM ivoa.obscore WHERE NOT (em_min <= 0.001 AND em_max >= 0.001)");
    assert!(!translated.contains("float8range"), "{translated}");
    // a subquery's own conditions are judged on their own, even under NOT
    let translated = sql(
        "SELECT obs_id FROM ivoa.obscore AS o WHERE NOT EXISTS (SELECT * FROM ivoa.obscore AS x \
         WHERE x.em_min <= 0.001 AND x.em_max >= 0.001 AND x.obs_id = o.obs_id)",
    );
    assert!(translated.contains("float8range"), "{translated}");
}
