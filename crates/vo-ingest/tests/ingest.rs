//! Ingest against a throwaway cluster: rows load with their footprints and hierarchy,
//! re-ingesting replaces rather than duplicates, and any bad row loads nothing.

use vo_catalogue::Catalogue;
use vo_db::testing::{scalar, strings, TestCluster};
use vo_ingest::{read_csv, read_votable, Loader};

const HEADER: &str = "obs_id,proposal_id,member_ous_uid,group_ous_uid,target_name,s_ra,s_dec,s_region,dataproduct_type,calib_level,data_rights,frequency,band_list,obs_title,pi_name,\"lastModified\"";

fn row(n: u32, region: &str, rights: &str) -> String {
    format!(
        "uid://A001/X10/X{n}.source.M83.spw.25,2017.1.00079.S,uid://A001/X10/X{n},uid://A001/X10/X1,M83,204.25,-29.86,\"{region}\",cube,2,{rights},114.07,3,\"Mapping, M83\",\"Koda, Jin\",2019-12-11T20:57:17.290"
    )
}

/// The CSV header line of the rows `row` writes, with `extra_columns` (",name,…") after.
fn header(extra_columns: &str) -> String {
    format!(
        "{}{extra_columns}",
        HEADER.replace("\"lastModified\"", "lastModified")
    )
}

fn csv(rows: &[String]) -> String {
    format!("{}\n{}\n", header(""), rows.join("\n"))
}

/// A CSV file of rows `row` writes (a circle of 0.01° on M83, public), each followed by
/// its `extra` values for the `extra_columns` (",name,…").
fn csv_with(extra_columns: &str, rows: &[(u32, &str)]) -> String {
    let lines: Vec<String> = rows
        .iter()
        .map(|(n, extra)| {
            format!(
                "{}{extra}",
                row(*n, "Circle ICRS 204.25 -29.86 0.01", "Public")
            )
        })
        .collect();
    format!("{}\n{}\n", header(extra_columns), lines.join("\n"))
}

/// Loads the CSV `text` as the file `name`: the problems' text if it is refused.
async fn load_csv(
    client: &mut tokio_postgres::Client,
    name: &str,
    text: &str,
) -> Result<(), String> {
    let catalogue = Catalogue::builtin();
    let rows = read_csv(catalogue.obscore(), name, text.as_bytes()).unwrap();
    Loader::new(&catalogue)
        .load(client, rows, &[], &mut |_| {})
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn loads_replaces_and_refuses_bad_input_whole() {
    let db = TestCluster::start().await;
    let mut client = db.client().await;
    let catalogue = Catalogue::builtin();
    let table = catalogue.obscore();
    let loader = Loader::new(&catalogue);

    let union = "Union ICRS ( Polygon 204.20 -29.90 204.30 -29.90 204.30 -29.80 204.20 -29.80 Not (Polygon 204.24 -29.86 204.26 -29.86 204.26 -29.84) Circle 204.40 -29.85 0.01)";
    let good = csv(&[
        row(2, "Circle ICRS 204.25 -29.86 0.01", "Public"),
        row(3, union, "Proprietary"),
    ]);
    let rows = read_csv(table, "good.csv", good.as_bytes()).unwrap();
    let report = loader
        .load(&mut client, rows, &[], &mut |_| {})
        .await
        .unwrap();
    assert_eq!((report.inserted, report.updated), (2, 0));
    assert_eq!(
        scalar(&client, "SELECT count(*) FROM ivoa.obscore").await,
        2
    );
    // the union is three pieces: outer polygon, its hole, a circle
    assert_eq!(scalar(&client, "SELECT count(*) FROM archive.obscore_footprint WHERE obs_id LIKE 'uid://A001/X10/X3.%'").await, 3);
    assert_eq!(
        scalar(
            &client,
            "SELECT count(*) FROM archive.obscore_footprint WHERE hole_of = 0"
        )
        .await,
        1
    );
    // the hierarchy rows exist, and the text is stored as given
    assert_eq!(
        scalar(
            &client,
            "SELECT count(*) FROM archive.member_ous WHERE project_code = '2017.1.00079.S'"
        )
        .await,
        2
    );
    let stored: String = client
        .query_one(
            "SELECT s_region FROM ivoa.obscore WHERE obs_id LIKE '%X3.%'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(stored, union);
    let lm: String = client
        .query_one("SELECT \"lastModified\" FROM ivoa.obscore LIMIT 1", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(lm, "2019-12-11T20:57:17.290");
    // geometry through the indexed representation: a point in the hole is not inside piece 0 minus its hole
    let in_hole: i64 = scalar(
        &client,
        "SELECT count(*) FROM archive.obscore_footprint f WHERE f.hole_of IS NULL AND f.polygon @> spoint '(204.255d,-29.855d)'
           AND NOT EXISTS (SELECT 1 FROM archive.obscore_footprint h WHERE h.obs_id = f.obs_id AND h.hole_of = f.piece AND h.polygon @> spoint '(204.255d,-29.855d)')",
    )
    .await;
    assert_eq!(in_hole, 0);

    // re-ingesting the same file replaces the rows
    let rows = read_csv(table, "good.csv", good.as_bytes()).unwrap();
    let report = loader
        .load(&mut client, rows, &[], &mut |_| {})
        .await
        .unwrap();
    assert_eq!((report.inserted, report.updated), (0, 2));
    assert_eq!(
        scalar(&client, "SELECT count(*) FROM ivoa.obscore").await,
        2
    );
    assert_eq!(
        scalar(&client, "SELECT count(*) FROM archive.obscore_footprint").await,
        4
    );

    // one bad row among good ones: every problem reported with its line and column, nothing loaded
    let bad = csv(&[
        row(4, "Circle ICRS 204.25 -29.86 0.01", "Public"),
        row(5, "Polygon ICRS 1 2 3", "Public"),
        row(6, "Circle ICRS 204.25 -29.86 0.01", "public"),
        row(4, "Circle ICRS 204.25 -29.86 0.01", "Public"),
    ]);
    let rows = read_csv(table, "bad.csv", bad.as_bytes()).unwrap();
    let errors = loader
        .load(&mut client, rows, &[], &mut |_| {})
        .await
        .unwrap_err();
    let text = errors.to_string();
    assert!(
        text.contains("bad.csv, line 3: column s_region: not ALMA STC-S"),
        "{text}"
    );
    assert!(
        text.contains(
            "bad.csv, line 4: column data_rights: 'public' must be one of Public, Proprietary"
        ),
        "{text}"
    );
    assert!(
        text.contains("bad.csv, line 5: column obs_id:")
            && text.contains("repeats the obs_id of line 2"),
        "{text}"
    );
    assert!(text.ends_with("nothing was loaded"));
    assert_eq!(
        scalar(&client, "SELECT count(*) FROM ivoa.obscore").await,
        2
    );
    assert_eq!(
        scalar(
            &client,
            "SELECT count(*) FROM ivoa.obscore WHERE obs_id LIKE '%X4.%'"
        )
        .await,
        0
    );

    // a misspelt header is refused before any row, with a suggestion
    let misspelt = good.replacen("s_ra,", "s_raa,", 1);
    let errors = read_csv(table, "typo.csv", misspelt.as_bytes())
        .err()
        .unwrap();
    assert!(
        errors[0]
            .to_string()
            .contains("column s_raa: no such column in ivoa.obscore; did you mean s_ra?"),
        "{}",
        errors[0]
    );

    // a row naming a project the archive does not know yet creates it
    let unknown_parent = csv(&[row(7, "Circle ICRS 204.25 -29.86 0.01", "Public")])
        .replace("2017.1.00079.S", "2017.1.00080.S");
    let rows = read_csv(table, "new-project.csv", unknown_parent.as_bytes()).unwrap();
    loader
        .load(&mut client, rows, &[], &mut |_| {})
        .await
        .unwrap();
    assert_eq!(
        scalar(&client, "SELECT count(*) FROM archive.project").await,
        2
    );

    // the same rows as a VOTable load too
    let votable = format!(
        r#"<?xml version="1.0"?><VOTABLE version="1.4"><RESOURCE><TABLE>{}<DATA><TABLEDATA>
           <TR><TD>uid://A001/X11/X1.source.X.spw.1</TD><TD>2018.1.00001.S</TD><TD>uid://A001/X11/X1</TD><TD/><TD>Orion</TD><TD>83.8</TD><TD>-5.4</TD>
           <TD>Circle ICRS 83.8 -5.4 0.01</TD><TD>image</TD><TD>2</TD><TD>Public</TD><TD>230.5</TD><TD>6</TD><TD>t</TD><TD>p</TD><TD>2020-01-01T00:00:00.000</TD></TR>
           </TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"#,
        HEADER
            .split(',')
            .map(|n| format!(
                r#"<FIELD name="{}" datatype="char" arraysize="*"/>"#,
                n.trim_matches('"')
            ))
            .collect::<String>()
    );
    let rows = read_votable(table, "rows.xml", &votable).unwrap();
    let report = loader
        .load(&mut client, rows.into_iter(), &[], &mut |_| {})
        .await
        .unwrap();
    assert_eq!(report.inserted, 1);
    let group: Option<String> = client
        .query_one(
            "SELECT group_ous_uid FROM ivoa.obscore WHERE proposal_id = '2018.1.00001.S'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(group, None);
}

/// The release policy at ingest (manual §3.1): a row's own release date is kept; without
/// one, 12 months after the member OUS's last observation — none for DDT — and
/// ivoa.obscore's rights follow against the clock.
#[tokio::test]
async fn release_dates_follow_the_policy() {
    let db = TestCluster::start().await;
    let mut client = db.client().await;
    let catalogue = Catalogue::builtin();
    let loader = Loader::new(&catalogue);
    // t_max 60000 = 2023-02-25; 61000 = 2025-11-21
    let line = |n: u32, code: &str, rights: &str, t_max: u32, release: &str| {
        row(n, "Circle ICRS 204.25 -29.86 0.01", rights)
            .replace("uid://A001/X10/", "uid://A001/X20/")
            .replace("2017.1.00079.S", code)
            + &format!(",{},{t_max},{release}", t_max - 1)
    };
    let text = format!(
        "{},t_min,t_max,obs_release_date\n{}\n{}\n{}\n",
        HEADER.replace("\"lastModified\"", "lastModified"),
        line(1, "2017.1.00079.S", "Proprietary", 60000, ""),
        line(2, "2017.A.00002.S", "Proprietary", 61000, ""),
        line(
            3,
            "2017.1.00079.S",
            "Public",
            60000,
            "2099-01-01T00:00:00.000"
        ),
    );
    let rows = read_csv(catalogue.obscore(), "policy.csv", text.as_bytes()).unwrap();
    loader
        .load(&mut client, rows, &[], &mut |_| {})
        .await
        .unwrap();
    let releases = strings(
        &client,
        "SELECT m.uid || ' ' || to_char(m.release_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' ' || o.data_rights \
         FROM archive.member_ous m JOIN ivoa.obscore o ON o.member_ous_uid = m.uid ORDER BY m.uid",
    )
    .await;
    assert_eq!(
        releases,
        [
            "uid://A001/X20/X1 2024-02-25 Public",
            "uid://A001/X20/X2 2025-11-21 Public",
            "uid://A001/X20/X3 2099-01-01 Proprietary",
        ]
    );
}

/// The index definitions of ObsCore's two tables, sorted.
async fn index_definitions(client: &tokio_postgres::Client) -> Vec<String> {
    let mut defs = strings(
        client,
        "SELECT indexdef FROM pg_indexes WHERE (schemaname, tablename) IN (('ivoa', 'obscore'), ('archive', 'obscore_footprint'))",
    )
    .await;
    defs.sort();
    defs
}

/// The foreign keys of ObsCore's two tables (name and definition), sorted.
async fn foreign_keys(client: &tokio_postgres::Client) -> Vec<String> {
    let mut keys = strings(
        client,
        "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
         FROM pg_constraint
         WHERE contype = 'f' AND conrelid IN ('ivoa.obscore'::regclass, 'archive.obscore_footprint'::regclass)",
    )
    .await;
    keys.sort();
    keys
}

async fn index_oid(client: &tokio_postgres::Client) -> i64 {
    scalar(
        client,
        "SELECT 'ivoa.obscore_t_min_idx'::regclass::oid::bigint",
    )
    .await
}

#[tokio::test]
async fn a_load_as_large_as_the_archive_builds_the_same_indexes_afterwards() {
    let db = TestCluster::start().await;
    let mut client = db.client().await;
    let catalogue = Catalogue::builtin();
    let loader = Loader::new(&catalogue);
    let before = index_definitions(&client).await;
    let keys_before = foreign_keys(&client).await;
    assert_eq!(keys_before.len(), 3, "{keys_before:?}");
    let first_oid = index_oid(&client).await;

    // 20,000 rows into an empty archive: the indexes are dropped and built again, the same,
    // and the foreign keys dropped and added again, the same
    let rows: Vec<String> = (1..=20_000)
        .map(|n| row(n, "Circle ICRS 204.25 -29.86 0.01", "Public"))
        .collect();
    let text = csv(&rows);
    let read = read_csv(catalogue.obscore(), "big.csv", text.as_bytes()).unwrap();
    let report = loader
        .load(&mut client, read, &[], &mut |_| {})
        .await
        .unwrap();
    assert_eq!(report.inserted, 20_000);
    // where the time went, step by step, the dropped and rebuilt indexes among them
    let steps: Vec<&str> = report.steps.iter().map(|(step, _)| *step).collect();
    assert_eq!(
        steps.first(),
        Some(&"read, checked and copied"),
        "{steps:?}"
    );
    assert_eq!(steps.last(), Some(&"vacuumed and analysed"), "{steps:?}");
    for step in [
        "indexes and keys dropped",
        "rows upserted",
        "footprints",
        "indexes built and keys checked",
    ] {
        assert!(steps.contains(&step), "{step}: {steps:?}");
    }
    assert!(
        report.steps_line().contains("rows upserted "),
        "{}",
        report.steps_line()
    );
    let rebuilt_oid = index_oid(&client).await;
    assert_ne!(rebuilt_oid, first_oid, "the indexes were built again");
    assert_eq!(foreign_keys(&client).await, keys_before);
    // and the keys hold again: a footprint of no row is refused
    let refused = client
        .batch_execute(
            "INSERT INTO archive.obscore_footprint (obs_id, piece, circle)
             VALUES ('uid://A001/X10/Xnone', 0, '<(1d, 1d), 1d>')",
        )
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        Some(&tokio_postgres::error::SqlState::FOREIGN_KEY_VIOLATION),
        "{refused}"
    );
    assert_eq!(
        scalar(&client, "SELECT count(*) FROM archive.obscore_footprint").await,
        20_000
    );
    // and they answer: an indexed lookup finds the row
    client
        .batch_execute("SET enable_seqscan = off")
        .await
        .unwrap();
    assert_eq!(
        scalar(
            &client,
            "SELECT count(*) FROM ivoa.obscore WHERE member_ous_uid = 'uid://A001/X10/X777'"
        )
        .await,
        1
    );
    client.batch_execute("RESET enable_seqscan").await.unwrap();

    // a small load into the large archive keeps its indexes (maintained row by row)
    let small = csv(&[row(30_001, "Circle ICRS 204.25 -29.86 0.01", "Public")]);
    let read = read_csv(catalogue.obscore(), "small.csv", small.as_bytes()).unwrap();
    loader
        .load(&mut client, read, &[], &mut |_| {})
        .await
        .unwrap();
    assert_eq!(
        index_oid(&client).await,
        rebuilt_oid,
        "the indexes were kept"
    );
    assert_eq!(index_definitions(&client).await, before);
    assert_eq!(foreign_keys(&client).await, keys_before);
}

/// Another archive's ObsCore rows naming ObsCore 1.1's optional columns load, their values
/// checked like any other column's.
#[tokio::test]
async fn rows_with_the_obscore_optional_columns_load() {
    let db = TestCluster::start().await;
    let mut client = db.client().await;
    let catalogue = Catalogue::builtin();
    let table = catalogue.obscore();
    let loader = Loader::new(&catalogue);
    let header = header(
        ",obs_creator_did,target_class,dataproduct_subtype,s_pixel_scale,em_ucd,preview,source_table",
    );
    let optional = ",ivo://other.archive/obs?42,Galaxy,cube.I.pbcor,0.05,em.freq,https://other.archive/p/42.png,other.obscore";
    let text = format!(
        "{header}\n{}{optional}\n",
        row(40, "Circle ICRS 204.25 -29.86 0.01", "Public")
    );
    let rows = read_csv(table, "other.csv", text.as_bytes()).unwrap();
    loader
        .load(&mut client, rows, &[], &mut |_| {})
        .await
        .unwrap();
    assert_eq!(
        strings(
            &client,
            "SELECT concat_ws('|', obs_creator_did, target_class, dataproduct_subtype, s_pixel_scale, em_ucd, preview, source_table) FROM ivoa.obscore"
        )
        .await,
        ["ivo://other.archive/obs?42|Galaxy|cube.I.pbcor|0.05|em.freq|https://other.archive/p/42.png|other.obscore"]
    );

    // a pixel scale that is not a number is named, and nothing loads
    let bad = text.replace(",0.05,", ",fine,");
    let problems = match read_csv(table, "bad.csv", bad.as_bytes()) {
        Err(errors) => errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        Ok(rows) => match loader.load(&mut client, rows, &[], &mut |_| {}).await {
            Err(e) => vec![e.to_string()],
            Ok(report) => panic!("loaded: {report:?}"),
        },
    };
    assert!(
        problems
            .iter()
            .any(|p| p.contains("line 2") && p.contains("s_pixel_scale")),
        "{problems:?}"
    );
}

/// An interval whose start comes after its stop is refused, naming both values and the fix;
/// in order, it loads (and the table's own checks hold the same rule).
#[tokio::test]
async fn an_interval_the_other_way_round_is_refused() {
    let db = TestCluster::start().await;
    let mut client = db.client().await;
    let columns = ",em_min,em_max,t_min,t_max";
    let text = csv_with(
        columns,
        &[
            (50, ",0.0013,0.0014,58500,58501"),
            (51, ",0.0014,0.0013,58501,58500"),
        ],
    );
    let problems = load_csv(&mut client, "swapped.csv", &text)
        .await
        .unwrap_err();
    for expected in [
        "swapped.csv, line 3: column em_max: em_max (0.0013) is less than em_min (0.0014): an interval's start comes first; swap the two values",
        "swapped.csv, line 3: column t_max: t_max (58500) is less than t_min (58501)",
    ] {
        assert!(problems.contains(expected), "{problems}");
    }
    assert!(!problems.contains("line 2"), "{problems}");

    let text = csv_with(columns, &[(50, ",0.0013,0.0014,58500,58501")]);
    load_csv(&mut client, "ordered.csv", &text).await.unwrap();
    let refused = client
        .batch_execute("UPDATE ivoa.obscore SET em_min = em_max * 2")
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        Some(&tokio_postgres::error::SqlState::CHECK_VIOLATION),
        "{refused}"
    );
}

#[tokio::test]
async fn spectral_windows_are_read_from_frequency_support_or_refused_by_window() {
    let db = TestCluster::start().await;
    let mut client = db.client().await;
    let alma = "\"[112.35..114.23GHz,1952.95kHz,8mJy/beam@10km/s,360.2uJy/beam@native, XX YY] U [114.95..115.19GHz,122.06kHz,8.2mJy/beam@10km/s,1mJy/beam@native, XX YY]\"";
    let text = csv_with(
        ",frequency_support",
        &[
            (60, &format!(",{alma}")),
            (
                61,
                ",\"[112.35..114.23GHz,1952.95kHz] U 114.95..115.19GHz\"",
            ),
            (62, ",\"[114.23..112.35GHz,1952.95kHz]\""),
        ],
    );
    let problems = load_csv(&mut client, "windows.csv", &text)
        .await
        .unwrap_err();
    for expected in [
        "windows.csv, line 3: column frequency_support: window 2 ('114.95..115.19GHz') is not [low..highGHz,…]: ALMA writes each window as [95.06..96.94GHz,1128.91kHz,…] and joins them with ' U '",
        "windows.csv, line 4: column frequency_support: window 1 runs from 114.23 GHz down to 112.35 GHz: write its low frequency first",
    ] {
        assert!(problems.contains(expected), "{problems}");
    }
    assert!(!problems.contains("line 2"), "{problems}");

    // the windows, as the archive stores them; a row that lists none has its own
    // [em_min, em_max] as its one window, when it has both
    let text = csv_with(
        ",frequency_support,em_min,em_max",
        &[
            (60, &format!(",{alma},0.0026245,0.0026683")),
            (61, ",\"\",0.0026245,0.0026683"),
            (62, ",,,"),
        ],
    );
    load_csv(&mut client, "windows.csv", &text).await.unwrap();
    let stored: Vec<(String, Option<String>)> = client
        .query(
            "SELECT obs_id, spectral_windows::text FROM ivoa.obscore ORDER BY obs_id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        stored,
        vec![
            (
                "uid://A001/X10/X60.source.M83.spw.25".to_string(),
                Some("{[112.35,114.23],[114.95,115.19]}".to_string())
            ),
            (
                "uid://A001/X10/X61.source.M83.spw.25".to_string(),
                Some("{[112.35335531986657,114.22840845875403]}".to_string())
            ),
            ("uid://A001/X10/X62.source.M83.spw.25".to_string(), None),
        ]
    );
}
