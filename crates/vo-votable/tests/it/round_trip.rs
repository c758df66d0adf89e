//! What the service's own writers produce, in each VOTable serialization, reads back to the
//! same cells — including nulls (declared VALUES, BINARY2 flags, NaN), arrays, non-ASCII text
//! and fixed-width strings.

use std::borrow::Cow;
use vo_results::{writer_for, Cell, Datatype, Ending, Field, Format, ResultMeta};
use vo_votable::read_table;

fn meta() -> ResultMeta {
    ResultMeta {
        fields: vec![
            Field::new("i", Datatype::Int, None),
            Field::new("s", Datatype::Short, None),
            Field::new("l", Datatype::Long, None),
            Field::new("x", Datatype::Double, None),
            Field::new("f", Datatype::Float, None),
            Field::new("b", Datatype::Boolean, None),
            Field::new("name", Datatype::Char, Some("*")),
            Field::new("band", Datatype::Char, Some("4")),
            Field::new("poly", Datatype::Double, Some("*")),
            Field::new("pos", Datatype::Double, Some("2")),
        ],
        ..Default::default()
    }
}

fn rows() -> Vec<Vec<Cell<'static>>> {
    vec![
        vec![
            Cell::Int(-7),
            Cell::Int(-32767),
            Cell::Int(1 << 40),
            Cell::Float(1.5e-300),
            Cell::Float(0.1),
            Cell::Bool(true),
            Cell::Text(Cow::Borrowed("Orion <KL> & ∞")),
            Cell::Text(Cow::Borrowed("B3")),
            Cell::Floats(vec![Some(1.0), Some(2.5), Some(-3.0)]),
            Cell::Floats(vec![Some(10.0), Some(-20.0)]),
        ],
        vec![
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Float(f64::INFINITY),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
        ],
    ]
}

fn written(format: Format) -> String {
    let mut writer = writer_for(format, meta());
    let mut out = Vec::new();
    writer.begin(&mut out);
    for row in rows() {
        writer.row(&mut out, &row);
    }
    writer.end(&mut out, &Ending::Complete);
    String::from_utf8(out).unwrap()
}

fn text(values: &[&str]) -> Vec<Option<String>> {
    values
        .iter()
        .map(|v| (!v.is_empty()).then(|| v.to_string()))
        .collect()
}

#[test]
fn every_votable_serialization_reads_back() {
    for format in [
        Format::VotableTabledata,
        Format::VotableBinary,
        Format::VotableBinary2,
    ] {
        let table = read_table(&written(format)).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!(table.fields.len(), 10, "{format:?}");
        let first = &table.rows[0];
        assert_eq!(first[0].as_deref(), Some("-7"), "{format:?}");
        assert_eq!(first[1].as_deref(), Some("-32767"), "{format:?}");
        assert_eq!(first[2].as_deref(), Some("1099511627776"), "{format:?}");
        assert_eq!(
            first[3].as_deref().map(|v| v.parse::<f64>().unwrap()),
            Some(1.5e-300)
        );
        assert_eq!(
            first[4].as_deref().map(|v| v.parse::<f32>().unwrap()),
            Some(0.1f32)
        );
        assert_eq!(first[5].as_deref(), Some("T"), "{format:?}");
        assert_eq!(first[6].as_deref(), Some("Orion <KL> & ∞"), "{format:?}");
        assert_eq!(
            first[7].as_deref().map(str::trim_end),
            Some("B3"),
            "{format:?}"
        );
        let poly: Vec<f64> = first[8]
            .as_deref()
            .unwrap()
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(poly, vec![1.0, 2.5, -3.0], "{format:?}");
        let second = &table.rows[1];
        for (i, cell) in second.iter().enumerate() {
            if i == 4 {
                assert_eq!(cell.as_deref(), Some("+Inf"), "{format:?}");
            } else {
                assert_eq!(cell, &None, "{format:?}: column {i} of the null row");
            }
        }
    }
}

fn binary2_document(fields: &str, bytes: &[u8]) -> String {
    use base64::Engine;
    format!(
        r#"<VOTABLE version="1.4"><RESOURCE><TABLE>{fields}<DATA><BINARY2><STREAM encoding="base64">{}</STREAM></BINARY2></DATA></TABLE></RESOURCE></VOTABLE>"#,
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[test]
fn astropy_style_binary2_with_unicode_and_fixed_strings() {
    // unicodeChar arraysize="*" (count-prefixed UCS-2) and char arraysize="6" padded with NULs
    let fields = r#"<FIELD name="u" datatype="unicodeChar" arraysize="*"/><FIELD name="c" datatype="char" arraysize="6"/><FIELD name="n" datatype="short"><VALUES null="-1"/></FIELD>"#;
    let mut bytes = vec![0u8];
    bytes.extend(2u32.to_be_bytes());
    bytes.extend([0x00, b'M', 0x22, 0x1e]);
    bytes.extend(b"ab\0\0\0\0");
    bytes.extend(5i16.to_be_bytes());
    bytes.push(0b0010_0000); // third column flagged null
    bytes.extend(0u32.to_be_bytes());
    bytes.extend(b"abcdef");
    bytes.extend(9i16.to_be_bytes());
    let table = read_table(&binary2_document(fields, &bytes)).unwrap();
    assert_eq!(
        table.rows,
        vec![text(&["M∞", "ab", "5"]), text(&["", "abcdef", ""])]
    );
}

#[test]
fn declared_nulls_apply_in_binary_and_tabledata() {
    let doc = r#"<VOTABLE><RESOURCE><TABLE><FIELD name="n" datatype="int"><VALUES null="-99"/></FIELD><FIELD name="m" datatype="int"/><DATA><TABLEDATA><TR><TD>-99</TD><TD>-99</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"#;
    assert_eq!(read_table(doc).unwrap().rows, vec![text(&["", "-99"])]);
    use base64::Engine;
    let mut bytes = Vec::new();
    bytes.extend((-99i32).to_be_bytes());
    bytes.extend((-99i32).to_be_bytes());
    let doc = format!(
        r#"<VOTABLE><RESOURCE><TABLE><FIELD name="n" datatype="int"><VALUES null="-99"/></FIELD><FIELD name="m" datatype="int"/><DATA><BINARY><STREAM encoding="base64">{}</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>"#,
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    );
    assert_eq!(read_table(&doc).unwrap().rows, vec![text(&["", "-99"])]);
}

#[test]
fn broken_streams_are_clear_errors() {
    let fields = r#"<FIELD name="n" datatype="int"/>"#;
    let err = read_table(&binary2_document(fields, &[0, 0, 0])).unwrap_err();
    assert!(
        err.to_string().contains("row 1 needs 4 more bytes"),
        "{err}"
    );
    let doc = r#"<VOTABLE><RESOURCE><TABLE><FIELD name="n" datatype="int"/><DATA><BINARY><STREAM encoding="base64">!!!</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>"#;
    assert!(read_table(doc)
        .unwrap_err()
        .to_string()
        .contains("not valid base64"));
    let doc = r#"<VOTABLE><RESOURCE><TABLE><FIELD name="n" datatype="integer"/><DATA><BINARY><STREAM encoding="base64">AAAAAA==</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>"#;
    assert!(read_table(doc)
        .unwrap_err()
        .to_string()
        .contains("datatype 'integer'"));
    let doc = r#"<VOTABLE><RESOURCE><TABLE><FIELD name="n" datatype="int"/><DATA><BINARY><STREAM href="http://x/y"/></BINARY></DATA></TABLE></RESOURCE></VOTABLE>"#;
    assert!(read_table(doc)
        .unwrap_err()
        .to_string()
        .contains("points elsewhere"));
}
