//! Writing a table as this crate reads it back: TABLEDATA, FIELDs with their datatype,
//! arraysize, unit and xtype, absent cells as empty `<TD/>`. Used to keep an uploaded table
//! in one checked, canonical form (whatever serialization it arrived in).

use crate::Table;
use quick_xml::escape::escape;

fn attribute(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        out.push_str(&format!(" {name}=\"{}\"", escape(value)));
    }
}

/// The table as a VOTable 1.4 document in TABLEDATA.
pub fn write_tabledata(table: &Table) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VOTABLE version=\"1.4\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\"><RESOURCE><TABLE>\n",
    );
    for field in &table.fields {
        out.push_str("<FIELD");
        attribute(&mut out, "name", Some(&field.name));
        attribute(&mut out, "datatype", Some(&field.datatype));
        attribute(&mut out, "arraysize", field.arraysize.as_deref());
        attribute(&mut out, "unit", field.unit.as_deref());
        attribute(&mut out, "xtype", field.xtype.as_deref());
        out.push_str("/>\n");
    }
    out.push_str("<DATA><TABLEDATA>\n");
    for row in &table.rows {
        out.push_str("<TR>");
        for cell in row {
            match cell {
                Some(text) => {
                    out.push_str("<TD>");
                    out.push_str(&escape(text.as_str()));
                    out.push_str("</TD>");
                }
                None => out.push_str("<TD/>"),
            }
        }
        out.push_str("</TR>\n");
    }
    out.push_str("</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_table, Field};

    #[test]
    fn what_is_written_reads_back_the_same() {
        let field =
            |name: &str, datatype: &str, arraysize: Option<&str>, xtype: Option<&str>| Field {
                name: name.into(),
                datatype: datatype.into(),
                arraysize: arraysize.map(String::from),
                unit: Some("deg".into()),
                xtype: xtype.map(String::from),
                null: None,
            };
        let table = Table {
            fields: vec![
                field("name \"x\" <&>", "char", Some("*"), None),
                field("pos", "double", Some("2"), Some("point")),
                field("n", "int", None, None),
            ],
            rows: vec![
                vec![
                    Some("a&b <c> \"d\" 'e' é😀".into()),
                    Some("10.5 -20.25".into()),
                    Some("7".into()),
                ],
                vec![None, None, None],
                vec![
                    Some(" leading and trailing ".into()),
                    Some("0 0".into()),
                    Some("-1".into()),
                ],
            ],
        };
        assert_eq!(read_table(&write_tabledata(&table)).unwrap(), table);
    }
}
