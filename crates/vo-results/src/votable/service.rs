//! DataLink service descriptors (DataLink 1.1 §4): `RESOURCE type="meta" utype="adhoc:service"`
//! elements that tell a client how to call a related service (DataLink, SODA) for a row.

use super::push_escaped;

/// One input parameter of a service descriptor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputParam {
    pub name: String,
    pub datatype: &'static str,
    pub arraysize: Option<String>,
    pub unit: Option<String>,
    pub ucd: Option<String>,
    pub xtype: Option<String>,
    /// A fixed value (e.g. the dataset's ID), or empty.
    pub value: String,
    /// The ID of the FIELD whose value the client passes (per row).
    pub ref_field: Option<String>,
    pub description: Option<String>,
    /// The allowed range (DALI: `<VALUES><MIN/><MAX/></VALUES>`) as written values.
    pub min: Option<String>,
    pub max: Option<String>,
    /// The allowed values (`<OPTION>`s).
    pub options: Vec<String>,
}

/// A service descriptor: its XML ID (what `service_def` cells refer to), the standard it
/// implements, where to call it and its inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceDescriptor {
    pub id: String,
    pub standard_id: String,
    pub access_url: String,
    pub description: Option<String>,
    pub input_params: Vec<InputParam>,
}

fn attribute(out: &mut Vec<u8>, name: &str, value: &str) {
    out.push(b' ');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"=\"");
    push_escaped(out, value);
    out.push(b'"');
}

/// A fixed char PARAM without an ID attribute: astroquery compares a PARAM's ID, which
/// astropy defaults to its name.
fn char_param(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(b"<PARAM");
    attribute(out, "name", name);
    attribute(out, "datatype", "char");
    attribute(out, "arraysize", "*");
    attribute(out, "value", value);
    out.extend_from_slice(b"/>\n");
}

impl ServiceDescriptor {
    /// The RESOURCE element.
    pub fn to_xml(&self) -> String {
        let mut out = Vec::new();
        out.extend_from_slice(b"<RESOURCE type=\"meta\" utype=\"adhoc:service\"");
        attribute(&mut out, "ID", &self.id);
        out.extend_from_slice(b">\n");
        if let Some(d) = &self.description {
            out.extend_from_slice(b"<DESCRIPTION>");
            push_escaped(&mut out, d);
            out.extend_from_slice(b"</DESCRIPTION>\n");
        }
        char_param(&mut out, "standardID", &self.standard_id);
        char_param(&mut out, "accessURL", &self.access_url);
        out.extend_from_slice(b"<GROUP name=\"inputParams\">\n");
        for p in &self.input_params {
            out.extend_from_slice(b"<PARAM");
            attribute(&mut out, "name", &p.name);
            attribute(&mut out, "datatype", p.datatype);
            if let Some(a) = &p.arraysize {
                attribute(&mut out, "arraysize", a);
            }
            for (name, value) in [("unit", &p.unit), ("ucd", &p.ucd), ("xtype", &p.xtype)] {
                if let Some(v) = value {
                    attribute(&mut out, name, v);
                }
            }
            if let Some(r) = &p.ref_field {
                attribute(&mut out, "ref", r);
            }
            attribute(&mut out, "value", &p.value);
            out.push(b'>');
            if let Some(d) = &p.description {
                out.extend_from_slice(b"<DESCRIPTION>");
                push_escaped(&mut out, d);
                out.extend_from_slice(b"</DESCRIPTION>");
            }
            if p.min.is_some() || p.max.is_some() || !p.options.is_empty() {
                out.extend_from_slice(b"<VALUES>");
                if let Some(min) = &p.min {
                    out.extend_from_slice(b"<MIN");
                    attribute(&mut out, "value", min);
                    out.extend_from_slice(b"/>");
                }
                if let Some(max) = &p.max {
                    out.extend_from_slice(b"<MAX");
                    attribute(&mut out, "value", max);
                    out.extend_from_slice(b"/>");
                }
                for option in &p.options {
                    out.extend_from_slice(b"<OPTION");
                    attribute(&mut out, "value", option);
                    out.extend_from_slice(b"/>");
                }
                out.extend_from_slice(b"</VALUES>");
            }
            out.extend_from_slice(b"</PARAM>\n");
        }
        out.extend_from_slice(b"</GROUP>\n</RESOURCE>");
        String::from_utf8(out).expect("UTF-8")
    }
}

/// Turns any text into a valid XML ID (an NCName) — letters, digits, `_`, `-`, `.`, not
/// starting with a digit, `-` or `.` — so that identifiers derived from file names stay valid.
pub fn xml_id(text: &str) -> String {
    let mut id: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert(0, '_');
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ncnames() {
        assert_eq!(
            xml_id("DataLink.2017.1.01185.S_x.tar"),
            "DataLink.2017.1.01185.S_x.tar"
        );
        assert_eq!(xml_id("2017 a+b"), "_2017_a_b");
    }

    #[test]
    fn descriptor_has_params_without_ids_and_values_ranges() {
        let d = ServiceDescriptor {
            id: "soda.x".into(),
            standard_id: "ivo://ivoa.net/std/SODA#sync-1.0".into(),
            access_url: "http://h/soda/sync".into(),
            description: None,
            input_params: vec![InputParam {
                name: "BAND".into(),
                datatype: "double",
                arraysize: Some("2".into()),
                unit: Some("m".into()),
                xtype: Some("interval".into()),
                min: Some("0.001".into()),
                max: Some("0.002".into()),
                ..Default::default()
            }],
        };
        let xml = d.to_xml();
        assert!(xml.contains("<PARAM name=\"standardID\" datatype=\"char\" arraysize=\"*\" value=\"ivo://ivoa.net/std/SODA#sync-1.0\"/>"), "{xml}");
        assert!(
            xml.contains("<VALUES><MIN value=\"0.001\"/><MAX value=\"0.002\"/></VALUES>"),
            "{xml}"
        );
        assert!(!xml.contains(" ID=\"standardID\""));
    }
}
