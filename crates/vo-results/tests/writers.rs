//! Each writer on a small table with the awkward values: nulls, arrays, non-finite floats,
//! markup and non-ASCII text, fixed and bounded strings.

use base64::Engine;
use std::borrow::Cow;
use vo_results::{writer_for, Cell, Datatype, Ending, Field, Format, ResultMeta};

fn meta() -> ResultMeta {
    let mut region = Field::new("s_region", Datatype::Char, Some("*"));
    region.xtype = Some("adql:REGION".into());
    region.utype = Some("obscore:Char.SpatialAxis.Coverage.Support.Area".into());
    region.description = Some("Region <covered> & more".into());
    ResultMeta {
        fields: vec![
            Field::new("n", Datatype::Int, None),
            Field::new("x", Datatype::Double, None),
            region,
            Field::new("pos", Datatype::Double, Some("2")),
            Field::new("band", Datatype::Char, Some("4")),
            Field::new("poly", Datatype::Double, Some("*")),
        ],
        infos: vec![("QUERY".into(), "SELECT \"a\" FROM t WHERE x < 3".into())],
        trailing_resources: vec![],
    }
}

fn rows() -> Vec<Vec<Cell<'static>>> {
    vec![
        vec![
            Cell::Int(7),
            Cell::Float(f64::INFINITY),
            Cell::Text(Cow::Borrowed("Circle ICRS 1 2 3 <&> é")),
            Cell::Floats(vec![Some(10.5), Some(-20.25)]),
            Cell::Text(Cow::Borrowed("3")),
            Cell::Floats(vec![
                Some(1.0),
                Some(2.0),
                Some(3.0),
                Some(4.0),
                Some(5.0),
                Some(6.0),
            ]),
        ],
        vec![
            Cell::Null,
            Cell::Float(f64::NAN),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
        ],
    ]
}

fn write(format: Format, ending: Ending) -> Vec<u8> {
    let mut w = writer_for(format, meta());
    let mut out = Vec::new();
    w.begin(&mut out);
    for row in rows() {
        w.row(&mut out, &row);
    }
    w.end(&mut out, &ending);
    out
}

fn well_formed(xml: &[u8]) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}\n{}", String::from_utf8_lossy(xml)),
        }
        buf.clear();
    }
}

#[test]
fn tabledata_carries_every_value_and_the_final_status() {
    let out = write(Format::VotableTabledata, Ending::Overflow);
    well_formed(&out);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("<TR><TD>7</TD><TD>+Inf</TD><TD>Circle ICRS 1 2 3 &lt;&amp;&gt; é</TD><TD>10.5 -20.25</TD><TD>3</TD><TD>1.0 2.0 3.0 4.0 5.0 6.0</TD></TR>"), "{text}");
    assert!(text.contains("<TR><TD/><TD>NaN</TD><TD/><TD/><TD/><TD/></TR>"));
    assert!(text.contains(r#"<FIELD name="s_region" ID="s_region" datatype="char" arraysize="*" utype="obscore:Char.SpatialAxis.Coverage.Support.Area" xtype="adql:REGION"><DESCRIPTION>Region &lt;covered&gt; &amp; more</DESCRIPTION></FIELD>"#));
    let ok = text.find("value=\"OK\"").unwrap();
    let overflow = text.find("value=\"OVERFLOW\"").unwrap();
    assert!(ok < text.find("<TABLE>").unwrap() && overflow > text.find("</TABLE>").unwrap());
}

#[test]
fn an_error_after_rows_is_a_trailing_error_info() {
    let text = String::from_utf8(write(
        Format::VotableTabledata,
        Ending::Error("canceling statement due to statement timeout".into()),
    ))
    .unwrap();
    assert!(text.contains("</TABLE>\n<INFO name=\"QUERY_STATUS\" value=\"ERROR\">canceling statement due to statement timeout</INFO>"));
}

fn stream(out: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(out.to_vec()).unwrap();
    let start = text.find("<STREAM encoding=\"base64\">").unwrap() + 26;
    let end = text.find("</STREAM>").unwrap();
    let b64: String = text[start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

#[test]
fn binary2_has_null_flags_and_big_endian_values() {
    let out = write(Format::VotableBinary2, Ending::Complete);
    well_formed(&out);
    let raw = stream(&out);
    let mut expected = vec![0u8];
    expected.extend_from_slice(&7i32.to_be_bytes());
    expected.extend_from_slice(&f64::INFINITY.to_be_bytes());
    let region = "Circle ICRS 1 2 3 <&> é".as_bytes();
    expected.extend_from_slice(&(region.len() as u32).to_be_bytes());
    expected.extend_from_slice(region);
    expected.extend_from_slice(&10.5f64.to_be_bytes());
    expected.extend_from_slice(&(-20.25f64).to_be_bytes());
    expected.extend_from_slice(b"3\0\0\0");
    expected.extend_from_slice(&6u32.to_be_bytes());
    for v in 1..=6 {
        expected.extend_from_slice(&(v as f64).to_be_bytes());
    }
    // second row: every column but x is null (flags 1011 1100 → n, s_region, pos, band, poly)
    expected.push(0b1011_1100);
    expected.extend_from_slice(&0i32.to_be_bytes());
    assert_eq!(&raw[..expected.len()], &expected[..]);
    assert!(
        f64::from_be_bytes(raw[expected.len()..expected.len() + 8].try_into().unwrap()).is_nan()
    );
}

#[test]
fn binary_declares_integer_nulls() {
    let out = write(Format::VotableBinary, Ending::Complete);
    well_formed(&out);
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.contains(
        "<FIELD name=\"n\" ID=\"n\" datatype=\"int\"><VALUES null=\"-2147483648\"/></FIELD>"
    ));
    let raw = stream(&out);
    assert_eq!(&raw[..4], &7i32.to_be_bytes());
}

#[test]
fn csv_and_tsv() {
    let csv = String::from_utf8(write(Format::Csv, Ending::Complete)).unwrap();
    assert_eq!(
        csv,
        "n,x,s_region,pos,band,poly\r\n7,+Inf,Circle ICRS 1 2 3 <&> é,10.5 -20.25,3,1.0 2.0 3.0 4.0 5.0 6.0\r\n,NaN,,,,\r\n"
    );
    let tsv = String::from_utf8(write(Format::Tsv, Ending::Complete)).unwrap();
    assert!(tsv.starts_with("n\tx\ts_region\tpos\tband\tpoly\n7\t+Inf\t"));
}

#[test]
fn a_long_result_streams_through_a_small_buffer() {
    let mut w = writer_for(Format::VotableBinary2, meta());
    let mut out = Vec::new();
    w.begin(&mut out);
    let mut largest = 0;
    let mut total = 0;
    for _ in 0..100_000 {
        w.row(&mut out, &rows()[0]);
        largest = largest.max(out.len());
        total += out.len();
        out.clear();
    }
    w.end(&mut out, &Ending::Complete);
    assert!(
        total > 10_000_000 && largest < 8_192,
        "{largest} bytes held at most"
    );
}
