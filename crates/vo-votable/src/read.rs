//! Reading the first TABLE of a VOTable document: FIELDs (with their `VALUES null`) and
//! cells, from TABLEDATA or from an inline BINARY/BINARY2 stream.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::binary::{read_stream, BinaryKind};

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub datatype: String,
    pub arraysize: Option<String>,
    pub unit: Option<String>,
    pub xtype: Option<String>,
    /// The value standing for null (`<VALUES null="...">`), if declared.
    pub null: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub fields: Vec<Field>,
    /// Cells as text; `None` for an empty `<TD/>`.
    pub rows: Vec<Vec<Option<String>>>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum VotableError {
    #[error("not well-formed XML at byte {position}: {message}")]
    Xml { position: u64, message: String },
    #[error("no TABLE with FIELDs in the document")]
    NoTable,
    #[error("the document ends inside its TABLE (truncated?)")]
    Truncated,
    #[error("row {row} has {found} cells but the table has {expected} FIELDs")]
    CellCount {
        row: usize,
        found: usize,
        expected: usize,
    },
    #[error("the table uses {0} serialization; send TABLEDATA, BINARY or BINARY2")]
    Serialization(String),
    #[error("the BINARY stream is not readable: {0}")]
    Stream(String),
    #[error("{0}")]
    Field(String),
}

fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn field(e: &quick_xml::events::BytesStart) -> Field {
    Field {
        name: attr(e, b"name").unwrap_or_default(),
        datatype: attr(e, b"datatype").unwrap_or_else(|| "char".into()),
        arraysize: attr(e, b"arraysize"),
        unit: attr(e, b"unit"),
        xtype: attr(e, b"xtype"),
        null: None,
    }
}

/// Reads the first TABLE of the document.
pub fn read_table(xml: &str) -> Result<Table, VotableError> {
    let mut reader = Reader::from_str(xml);
    let mut fields: Vec<Field> = Vec::new();
    let mut rows: Vec<Vec<Option<String>>> = Vec::new();
    let mut in_table = false;
    let mut in_field = false;
    let mut binary: Option<BinaryKind> = None;
    let mut stream: Option<String> = None;
    let mut row: Option<Vec<Option<String>>> = None;
    let mut cell: Option<String> = None;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| VotableError::Xml {
            position,
            message: e.to_string(),
        })?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.local_name().as_ref() {
                b"TABLE" if !empty => in_table = true,
                b"FIELD" if in_table => {
                    fields.push(field(e));
                    in_field = !empty;
                }
                b"VALUES" if in_field => {
                    if let Some(last) = fields.last_mut() {
                        last.null = attr(e, b"null");
                    }
                }
                b"BINARY" if in_table => binary = Some(BinaryKind::Binary),
                b"BINARY2" if in_table => binary = Some(BinaryKind::Binary2),
                b"FITS" if in_table => {
                    return Err(VotableError::Serialization("FITS".into()));
                }
                b"STREAM" if binary.is_some() => {
                    if let Some(href) = attr(e, b"href") {
                        return Err(VotableError::Stream(format!(
                            "its STREAM points elsewhere ({href}); put the data inline"
                        )));
                    }
                    if let Some(enc) = attr(e, b"encoding").filter(|v| v != "base64") {
                        return Err(VotableError::Stream(format!(
                            "STREAM encoding '{enc}' is not read; use base64"
                        )));
                    }
                    stream = Some(String::new());
                }
                b"TR" if in_table && !empty => row = Some(Vec::new()),
                b"TR" if in_table && !fields.is_empty() => {
                    return Err(VotableError::CellCount {
                        row: rows.len() + 1,
                        found: 0,
                        expected: fields.len(),
                    })
                }
                b"TD" if empty => {
                    if let Some(r) = row.as_mut() {
                        r.push(None);
                    }
                }
                b"TD" if row.is_some() => cell = Some(String::new()),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Text(t) if cell.is_some() || stream.is_some() => {
                let text = t.unescape().map_err(|e| VotableError::Xml {
                    position,
                    message: e.to_string(),
                })?;
                cell.as_mut().or(stream.as_mut()).unwrap().push_str(&text);
            }
            Event::CData(t) if cell.is_some() => cell
                .as_mut()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&t)),
            Event::End(e) => match e.local_name().as_ref() {
                b"FIELD" => in_field = false,
                b"TD" => {
                    if let (Some(r), Some(c)) = (row.as_mut(), cell.take()) {
                        let null = fields.get(r.len()).and_then(|f| f.null.as_deref());
                        let is_null = c.is_empty() || null.is_some_and(|n| n.trim() == c.trim());
                        r.push(if is_null { None } else { Some(c) });
                    }
                }
                b"TR" => {
                    if let Some(r) = row.take() {
                        if r.len() != fields.len() {
                            return Err(VotableError::CellCount {
                                row: rows.len() + 1,
                                found: r.len(),
                                expected: fields.len(),
                            });
                        }
                        rows.push(r);
                    }
                }
                b"STREAM" => {
                    if let (Some(kind), Some(text)) = (binary, stream.take()) {
                        rows = read_stream(&text, &fields, kind)?;
                    }
                }
                b"TABLE" if in_table => break,
                _ => {}
            },
            Event::Eof if in_table => return Err(VotableError::Truncated),
            Event::Eof => break,
            _ => {}
        }
    }
    if fields.is_empty() {
        return Err(VotableError::NoTable);
    }
    Ok(Table { fields, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_document_is_an_error() {
        let xml = "<VOTABLE><RESOURCE><TABLE><FIELD name=\"a\" datatype=\"int\"/><DATA><TABLEDATA><TR><TD>1</TD>";
        assert_eq!(read_table(xml), Err(VotableError::Truncated));
    }

    #[test]
    fn reads_fields_and_cells() {
        let xml = r#"<?xml version="1.0"?><!-- astropy --><VOTABLE version="1.4"><RESOURCE type="results"><TABLE>
            <FIELD name="obs_id" datatype="char" arraysize="*"/><FIELD name="s_ra" datatype="double" unit="deg"><DESCRIPTION>x</DESCRIPTION></FIELD>
            <DATA><TABLEDATA><TR><TD>a&amp;b</TD><TD>1.5</TD></TR><TR><TD/><TD></TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"#;
        let t = read_table(xml).unwrap();
        assert_eq!(t.fields.len(), 2);
        assert_eq!(t.fields[1].unit.as_deref(), Some("deg"));
        assert_eq!(
            t.rows,
            vec![
                vec![Some("a&b".to_string()), Some("1.5".to_string())],
                vec![None, None]
            ]
        );
    }

    #[test]
    fn errors_are_specific() {
        assert_eq!(read_table("<VOTABLE/>"), Err(VotableError::NoTable));
        let bad = r#"<VOTABLE><RESOURCE><TABLE><FIELD name="a"/><DATA><TABLEDATA><TR><TD>1</TD><TD>2</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"#;
        assert_eq!(
            read_table(bad),
            Err(VotableError::CellCount {
                row: 1,
                found: 2,
                expected: 1
            })
        );
        let fits = r#"<VOTABLE><RESOURCE><TABLE><FIELD name="a"/><DATA><FITS><STREAM href="x.fits"/></FITS></DATA></TABLE></RESOURCE></VOTABLE>"#;
        assert!(matches!(
            read_table(fits),
            Err(VotableError::Serialization(_))
        ));
        assert!(matches!(
            read_table("<VOTABLE><RESOURCE><TABLE></RESOURCE>"),
            Err(VotableError::Xml { .. }) | Err(VotableError::NoTable)
        ));
    }
}
