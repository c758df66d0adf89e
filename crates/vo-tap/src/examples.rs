//! `/tap/examples`: the DALI 1.1 examples document (XHTML with RDFa), rendered from
//! `schema/examples.toml`.

use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use std::sync::OnceLock;
use vo_endpoint::escape_xml;

/// The RDFa vocabulary DALI 1.1 names for examples.
const VOCABULARY: &str = "http://www.ivoa.net/rdf/examples#";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    example: Vec<Example>,
}

/// One example query.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub id: String,
    pub name: String,
    pub description: String,
    pub tables: Vec<String>,
    pub query: String,
    /// The table the query expects as `TAP_UPLOAD.<table>`.
    pub upload: Option<ExampleUpload>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleUpload {
    pub table: String,
    pub columns: Vec<String>,
}

/// The service's examples.
pub fn examples() -> &'static [Example] {
    static EXAMPLES: OnceLock<Vec<Example>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let file: ExampleFile = toml::from_str(include_str!("../../../schema/examples.toml"))
            .expect("schema/examples.toml is checked by the tests");
        file.example
    })
}

fn element(out: &mut String, tag: &str, attributes: &str, text: &str) {
    out.push_str(&format!(
        "<{tag}{attributes}>{}</{tag}>\n",
        escape_xml(text)
    ));
}

/// The examples document.
pub fn examples_xhtml(tap_url: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n\
         <meta charset=\"UTF-8\"/>\n<title>TAP examples</title>\n</head>\n",
    );
    out.push_str(&format!("<body vocab=\"{VOCABULARY}\">\n"));
    element(&mut out, "h1", "", "Example queries");
    out.push_str(&format!(
        "<p>Each query runs on this service's TAP endpoint, <a href=\"{0}\">{0}</a>, with \
         LANG=ADQL; TOPCAT lists them under its Examples menu.</p>\n",
        escape_xml(tap_url)
    ));
    for example in examples() {
        let id = escape_xml(&example.id);
        out.push_str(&format!(
            "<div typeof=\"example\" id=\"{id}\" resource=\"#{id}\">\n"
        ));
        element(&mut out, "h2", " property=\"name\"", &example.name);
        element(&mut out, "p", "", example.description.trim());
        element(&mut out, "pre", " property=\"query\"", example.query.trim());
        if let Some(upload) = &example.upload {
            out.push_str(&format!(
                "<p>Upload a table with the column{} {} as:</p>\n",
                if upload.columns.len() == 1 { "" } else { "s" },
                escape_xml(&upload.columns.join(", "))
            ));
            out.push_str(
                "<p property=\"generic-parameter\" typeof=\"keyval\">\
                 <code property=\"key\">UPLOAD</code>=",
            );
            element(
                &mut out,
                "code",
                " property=\"value\"",
                &format!("{0},param:{0}", upload.table),
            );
            out.push_str("</p>\n");
        }
        out.push_str("<p>Tables: ");
        for table in &example.tables {
            element(&mut out, "span", " property=\"table\"", table);
        }
        out.push_str("</p>\n</div>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

pub async fn examples_page(request: HttpRequest) -> HttpResponse {
    let tap_url = format!("{}/tap", vo_endpoint::base_url(&request));
    HttpResponse::Ok()
        .content_type("application/xhtml+xml; charset=utf-8")
        .body(examples_xhtml(&tap_url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_translates_against_the_catalogue() {
        let mut catalogue = vo_catalogue::Catalogue::builtin();
        for example in examples() {
            if let Some(upload) = &example.upload {
                let fields: String = upload
                    .columns
                    .iter()
                    .map(|c| format!("<FIELD name=\"{c}\" datatype=\"char\" arraysize=\"*\"/>"))
                    .collect();
                let votable = format!(
                    "<VOTABLE><RESOURCE><TABLE>{fields}<DATA><TABLEDATA/></DATA></TABLE></RESOURCE></VOTABLE>"
                );
                let spec = crate::upload::UploadSpec {
                    name: upload.table.clone(),
                    uri: format!("param:{}", upload.table),
                };
                let (_, declared) =
                    crate::upload::read_upload(&spec, votable.as_bytes(), &Default::default())
                        .unwrap();
                catalogue.tables.push(declared);
            }
            vo_adql::translate(&example.query, &catalogue, &vo_adql::Options::default())
                .unwrap_or_else(|e| panic!("example {}: {e}", example.id));
        }
        assert!(examples().len() >= 6);
    }

    #[test]
    fn the_document_is_well_formed_and_marks_each_example() {
        let xhtml = examples_xhtml("http://example.org/tap");
        let mut reader = quick_xml::Reader::from_str(&xhtml);
        let mut queries = 0;
        loop {
            match reader.read_event().expect("well-formed XHTML") {
                quick_xml::events::Event::Start(e)
                    if e.try_get_attribute("property")
                        .unwrap()
                        .is_some_and(|a| a.value.as_ref() == b"query") =>
                {
                    queries += 1
                }
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(queries, examples().len());
    }
}
