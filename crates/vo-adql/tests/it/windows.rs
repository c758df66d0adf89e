//! SPECTRAL_WINDOW_OVERLAPS over the demo table: it finds exactly the rows one of whose
//! listed windows overlaps the frequencies (worked out here from the text itself), searches
//! the windows' index with a close estimate, and refuses what it cannot mean.

use crate::common;
use common::{obs_ids, sql};

/// The windows [low, high] (GHz) of an ALMA frequency_support text.
fn windows(support: &str) -> Vec<(f64, f64)> {
    support
        .split(" U ")
        .filter_map(|w| {
            let (frequencies, _) = w.strip_prefix('[')?.split_once("GHz")?;
            let (low, high) = frequencies.split_once("..")?;
            Some((low.parse().ok()?, high.parse().ok()?))
        })
        .collect()
}

#[tokio::test]
async fn a_spectral_window_overlapping_is_found_from_the_windows_index() {
    let (_db, client) = common::demo_archive(24, 6000).await;
    let rows: Vec<(String, String, f64, f64)> = client
        .query(
            "SELECT obs_id, frequency_support, em_min, em_max FROM ivoa.obscore",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    // a frequency in the middle of one row's second window, and a range across the gap
    // between its first two
    let some = windows(&rows[100].1);
    assert!(some.len() >= 2, "{}", rows[100].1);
    let middle = (some[1].0 + some[1].1) / 2.0;
    let (low, high) = (some[0].1 + 0.001, some[1].0 - 0.001);
    assert!(low < high, "a gap between the windows {some:?}");
    for (lo, hi) in [(middle, middle), (low, high), (middle - 0.5, middle + 0.5)] {
        let expected: Vec<String> = {
            let mut ids: Vec<String> = rows
                .iter()
                .filter(|(_, support, _, _)| {
                    windows(support).iter().any(|&(a, b)| a <= hi && b >= lo)
                })
                .map(|(id, ..)| id.clone())
                .collect();
            ids.sort();
            ids
        };
        let adql = format!(
            "SELECT obs_id FROM ivoa.obscore WHERE SPECTRAL_WINDOW_OVERLAPS(frequency_support, {lo}, {hi}) = 1"
        );
        let translated = sql(&adql);
        assert!(
            translated.contains("\"obscore\".spectral_windows && archive.float8range("),
            "{translated}"
        );
        let found = obs_ids(&client, &translated).await;
        assert_eq!(found, expected, "{adql}");
        // the windows find every product of an observation with a window there: more rows
        // than those whose own [em_min, em_max] (their one window) overlaps the range
        let (wl_lo, wl_hi) = (0.299792458 / hi, 0.299792458 / lo);
        let own_window = rows
            .iter()
            .filter(|(_, _, a, b)| *a <= wl_hi && *b >= wl_lo)
            .count();
        assert!(
            !found.is_empty() && own_window < found.len(),
            "{own_window} {}",
            found.len()
        );
        let plan = common::plan(&client, &translated).await;
        assert!(
            plan.iter()
                .any(|l| l.contains("obscore_spectral_windows_idx")),
            "{}",
            plan.join("\n")
        );
        let estimate = common::estimated_rows(&plan);
        let n = found.len() as f64;
        println!(
            "[{lo}, {hi}] GHz: {n} rows (their own window: {own_window}), estimated {estimate}"
        );
        assert!(
            estimate <= 2.0 * n.max(10.0) && n <= 2.0 * estimate.max(10.0),
            "{adql}: estimated {estimate}, found {n}\n{}",
            plan.join("\n")
        );
        // = 0, NOT, and the value, say the same of every row
        let not_found = obs_ids(
            &client,
            &sql(&format!(
                "SELECT obs_id FROM ivoa.obscore WHERE 0 = SPECTRAL_WINDOW_OVERLAPS(frequency_support, {lo}, {hi})"
            )),
        )
        .await;
        assert_eq!(not_found.len() + found.len(), rows.len());
        let negated = obs_ids(
            &client,
            &sql(&format!(
                "SELECT obs_id FROM ivoa.obscore WHERE NOT (SPECTRAL_WINDOW_OVERLAPS(frequency_support, {lo}, {hi}) = 1)"
            )),
        )
        .await;
        assert_eq!(negated, not_found);
        let counted = client
            .query_one(
                &sql(&format!(
                    "SELECT SUM(SPECTRAL_WINDOW_OVERLAPS(frequency_support, {lo}, {hi})) FROM ivoa.obscore"
                )),
                &[],
            )
            .await
            .unwrap();
        assert_eq!(counted.get::<_, i64>(0), found.len() as i64);
    }
    // bounds the query computes: each row's own frequency is in one of its windows; the
    // wrong way round, no range and no row
    let all = sql(
        "SELECT COUNT(*) FROM ivoa.obscore WHERE SPECTRAL_WINDOW_OVERLAPS(frequency_support, frequency - 0.001, frequency + 0.001) = 1",
    );
    let none = sql(
        "SELECT COUNT(*) FROM ivoa.obscore WHERE SPECTRAL_WINDOW_OVERLAPS(frequency_support, frequency + 0.001, frequency - 0.001) = 1",
    );
    for (query, count) in [(all, rows.len() as i64), (none, 0)] {
        let got: i64 = client.query_one(&query, &[]).await.unwrap().get(0);
        assert_eq!(got, count, "{query}");
    }
    // any text, read by the function the stored windows are generated by
    let literal = sql(
        "SELECT SPECTRAL_WINDOW_OVERLAPS('[112.35..114.23GHz,1952.95kHz] U [114.95..115.19GHz,122.06kHz]', 114.5, 114.6), \
                SPECTRAL_WINDOW_OVERLAPS('[112.35..114.23GHz,1952.95kHz] U [114.95..115.19GHz,122.06kHz]', 115.0, 115.0) FROM ivoa.obscore WHERE obs_id = obs_id",
    );
    assert!(literal.contains("archive.spectral_windows('"), "{literal}");
    let row = client.query(&literal, &[]).await.unwrap();
    assert_eq!((row[0].get::<_, i32>(0), row[0].get::<_, i32>(1)), (0, 1));
}

#[test]
fn what_it_cannot_mean_is_refused_with_the_place_and_the_fix() {
    let catalogue = vo_catalogue::Catalogue::builtin();
    let refused = |adql: &str| {
        vo_adql::translate(adql, &catalogue, &vo_adql::Options::default())
            .map(|t| t.sql)
            .expect_err(adql)
    };
    let adql = "SELECT obs_id FROM ivoa.obscore WHERE SPECTRAL_WINDOW_OVERLAPS(frequency_support, 231, 230) = 1";
    let swapped = refused(adql);
    assert_eq!(
        swapped.message,
        "SPECTRAL_WINDOW_OVERLAPS: the low end (231 GHz) is above the high end (230 GHz)"
    );
    assert_eq!(swapped.hint.as_deref(), Some("swap them: (230.0, 231.0)"));
    assert_eq!(
        (swapped.line, swapped.column),
        (1, adql.find("231").unwrap() as u64 + 1)
    );
    for (adql, message) in [
        (
            "SELECT obs_id FROM ivoa.obscore WHERE SPECTRAL_WINDOW_OVERLAPS(frequency_support, 230) = 1",
            "SPECTRAL_WINDOW_OVERLAPS takes 3 arguments, not 2: (frequency_support, low GHz, high GHz)",
        ),
        (
            "SELECT obs_id FROM ivoa.obscore WHERE SPECTRAL_WINDOW_OVERLAPS(em_min, 230, 231) = 1",
            "SPECTRAL_WINDOW_OVERLAPS reads spectral windows from text, and this is a number",
        ),
        (
            "SELECT obs_id FROM ivoa.obscore WHERE SPECTRAL_WINDOW_OVERLAPS(frequency_support, '230', 231) = 1",
            "SPECTRAL_WINDOW_OVERLAPS needs a frequency in GHz here, not a string",
        ),
        (
            "SELECT obs_id FROM ivoa.obscore WHERE SPECTRAL_WINDOW_OVERLAPS(frequency_support, 230, 231)",
            "SPECTRAL_WINDOW_OVERLAPS returns a number in ADQL, not a condition",
        ),
    ] {
        assert_eq!(refused(adql).message, message, "{adql}");
    }
    let bare = refused(
        "SELECT obs_id FROM ivoa.obscore WHERE SPECTRAL_WINDOW_OVERLAPS(frequency_support, 230, 231)",
    );
    assert_eq!(
        bare.hint.as_deref(),
        Some("compare it: 1 = SPECTRAL_WINDOW_OVERLAPS(…)")
    );
}
