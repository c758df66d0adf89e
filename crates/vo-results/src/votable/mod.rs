//! VOTable 1.4 documents: the header every serialization shares, the ending with its
//! QUERY_STATUS, and error documents.

mod binary;
mod service;
mod tabledata;

pub use service::{xml_id, InputParam, ServiceDescriptor};

pub(crate) use binary::BinaryWriter;
pub(crate) use tabledata::TabledataWriter;

use crate::{Datatype, Ending, Field, ResultMeta};

const OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<VOTABLE version=\"1.4\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://www.ivoa.net/xml/VOTable/v1.3 http://www.ivoa.net/xml/VOTable/v1.3\">\n";

/// Escapes text for XML content and attributes; characters XML 1.0 cannot carry become U+FFFD.
pub fn escape_xml(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    push_escaped(&mut out, text);
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

pub(crate) fn push_escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    // most text has nothing to escape: find the next byte that does, eight at a time
    while let Some(offset) = first_special(&bytes[start..]) {
        let i = start + offset;
        let replacement: &[u8] = match bytes[i] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            // a parser turns a literal carriage return (and CR LF) into a line feed
            b'\r' => b"&#13;",
            _ => "\u{fffd}".as_bytes(),
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(replacement);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Each byte of `word` with its high bit set where the byte is below 0x20 or one of `&<>"`
/// (and possibly elsewhere after such a byte: the borrow of the subtraction carries on), none
/// set where no byte is: a quick test for eight bytes at once.
fn maybe_special(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    control
        | zero_byte(word ^ (ONES * u64::from(b'&')))
        | zero_byte(word ^ (ONES * u64::from(b'<')))
        | zero_byte(word ^ (ONES * u64::from(b'>')))
        | zero_byte(word ^ (ONES * u64::from(b'"')))
}

/// The position of the first byte XML cannot hold as it is ([`XML_SPECIAL`]).
fn first_special(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
        if maybe_special(word) != 0 {
            // the exact test within these eight (tab and line feed are flagged, not special)
            if let Some(i) = bytes[at..at + 8]
                .iter()
                .position(|&b| XML_SPECIAL[usize::from(b)])
            {
                return Some(at + i);
            }
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| XML_SPECIAL[usize::from(b)])
        .map(|i| at + i)
}

/// The bytes XML text and attribute values cannot hold as they are: markup characters, the
/// carriage return (as `&#13;`), and control characters other than tab and newline (written
/// as U+FFFD).
static XML_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b as u8, b'\t' | b'\n');
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table
};

fn push_attribute(out: &mut Vec<u8>, name: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        out.push(b' ');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"=\"");
        push_escaped(out, v);
        out.push(b'"');
    }
}

/// Whether a column name can serve as an XML ID (an NCName).
fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The null value BINARY (which has no null flags) declares for an integer column.
pub(crate) fn binary_null(datatype: Datatype) -> Option<i64> {
    match datatype {
        Datatype::Short => Some(i16::MIN as i64),
        Datatype::Int => Some(i32::MIN as i64),
        Datatype::Long => Some(i64::MIN),
        _ => None,
    }
}

/// Everything up to and including `<DATA>`.
pub(crate) fn write_header(out: &mut Vec<u8>, meta: &ResultMeta, declare_integer_nulls: bool) {
    write_table_start(out, meta, declare_integer_nulls);
    out.extend_from_slice(b"<DATA>\n");
}

/// A VOTable with the result's metadata and no data (the VO-Parquet convention's content),
/// ending with its status.
pub(crate) fn metadata_document(meta: &ResultMeta, ending: &Ending) -> String {
    let mut out = Vec::new();
    write_table_start(&mut out, meta, false);
    write_ending_after_table(&mut out, meta, ending);
    String::from_utf8(out).expect("the writer writes UTF-8")
}

/// The document start, the INFOs, `<TABLE>` and its FIELDs.
fn write_table_start(out: &mut Vec<u8>, meta: &ResultMeta, declare_integer_nulls: bool) {
    out.extend_from_slice(OPEN.as_bytes());
    out.extend_from_slice(
        b"<RESOURCE type=\"results\">\n<INFO name=\"QUERY_STATUS\" value=\"OK\"/>\n",
    );
    for (name, value) in &meta.infos {
        out.extend_from_slice(b"<INFO");
        push_attribute(out, "name", Some(name));
        out.extend_from_slice(b" value=\"");
        push_escaped(out, value);
        out.extend_from_slice(b"\"/>\n");
    }
    out.extend_from_slice(b"<TABLE>\n");
    let mut ids: Vec<&str> = Vec::new();
    for field in &meta.fields {
        out.extend_from_slice(b"<FIELD");
        push_attribute(out, "name", Some(&field.name));
        if is_ncname(&field.name) && !ids.contains(&field.name.as_str()) {
            ids.push(&field.name);
            push_attribute(out, "ID", Some(&field.name));
        }
        push_attribute(out, "datatype", Some(field.datatype.name()));
        push_attribute(out, "arraysize", field.arraysize.as_deref());
        push_attribute(out, "unit", field.unit.as_deref());
        push_attribute(out, "ucd", field.ucd.as_deref());
        push_attribute(out, "utype", field.utype.as_deref());
        push_attribute(out, "xtype", field.xtype.as_deref());
        let null = if declare_integer_nulls && field.arraysize.is_none() {
            binary_null(field.datatype)
        } else {
            None
        };
        let description = field.description.as_deref().filter(|d| !d.is_empty());
        if description.is_none() && null.is_none() {
            out.extend_from_slice(b"/>\n");
            continue;
        }
        out.extend_from_slice(b">");
        if let Some(d) = description {
            out.extend_from_slice(b"<DESCRIPTION>");
            push_escaped(out, d);
            out.extend_from_slice(b"</DESCRIPTION>");
        }
        if let Some(n) = null {
            out.extend_from_slice(format!("<VALUES null=\"{n}\"/>").as_bytes());
        }
        out.extend_from_slice(b"</FIELD>\n");
    }
}

/// Everything after `</DATA>`: the table's end, the final QUERY_STATUS, further resources.
pub(crate) fn write_ending(out: &mut Vec<u8>, meta: &ResultMeta, ending: &Ending) {
    out.extend_from_slice(b"</DATA>\n");
    write_ending_after_table(out, meta, ending);
}

fn write_ending_after_table(out: &mut Vec<u8>, meta: &ResultMeta, ending: &Ending) {
    out.extend_from_slice(b"</TABLE>\n");
    match ending {
        Ending::Complete => {}
        Ending::Overflow => {
            out.extend_from_slice(b"<INFO name=\"QUERY_STATUS\" value=\"OVERFLOW\"/>\n")
        }
        Ending::Error(message) => {
            out.extend_from_slice(b"<INFO name=\"QUERY_STATUS\" value=\"ERROR\">");
            push_escaped(out, message);
            out.extend_from_slice(b"</INFO>\n");
        }
    }
    out.extend_from_slice(b"</RESOURCE>\n");
    for resource in &meta.trailing_resources {
        out.extend_from_slice(resource.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(b"</VOTABLE>\n");
}

/// A complete error document (DALI): `QUERY_STATUS=ERROR` with the message, no table.
pub fn error_votable(message: &str) -> String {
    let mut out = Vec::new();
    out.extend_from_slice(OPEN.as_bytes());
    out.extend_from_slice(
        b"<RESOURCE type=\"results\">\n<INFO name=\"QUERY_STATUS\" value=\"ERROR\">",
    );
    push_escaped(&mut out, message);
    out.extend_from_slice(b"</INFO>\n</RESOURCE>\n</VOTABLE>\n");
    String::from_utf8(out).expect("UTF-8")
}

/// Shared by the writers: a field's declared shape and type decide how a cell is written.
pub(crate) fn fields(meta: &ResultMeta) -> &[Field] {
    &meta.fields
}

#[cfg(test)]
mod escaping_tests {
    use super::escape_xml;

    #[test]
    fn the_word_at_a_time_search_finds_what_the_byte_at_a_time_one_does() {
        // every special and ordinary byte at every position of texts of 0 to 24 bytes
        let probes = [
            b'&', b'<', b'>', b'"', b'\r', 0x01, 0x1f, b'\t', b'\n', b' ', b'a', 0x7f, 0xc3,
        ];
        for len in 0..24 {
            for at in 0..len.max(1) {
                for &probe in &probes {
                    let mut text = vec![b'x'; len];
                    if len > 0 {
                        text[at] = probe;
                    }
                    let plain = text
                        .iter()
                        .position(|&b| super::XML_SPECIAL[usize::from(b)]);
                    assert_eq!(super::first_special(&text), plain, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn markup_and_control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(escape_xml(""), "");
        assert_eq!(escape_xml("plain text, ünïcödé"), "plain text, ünïcödé");
        assert_eq!(
            escape_xml("a&b<c>\"d\u{1}e\tf\ng\rh\u{1f}"),
            "a&amp;b&lt;c&gt;&quot;d\u{fffd}e\tf\ng&#13;h\u{fffd}"
        );
        assert_eq!(escape_xml("<<&&"), "&lt;&lt;&amp;&amp;");
    }
}
