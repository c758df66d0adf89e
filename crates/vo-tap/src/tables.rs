//! VOSI tables (VOSI 1.1): the tableset, `detail=min` without columns, and one document per
//! table at `/tap/tables/{schema.table}`.

use crate::TapService;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_catalogue::{Catalogue, ForeignKey, Table};
use vo_endpoint::{escape_xml, xml_response};

const NAMESPACES: &str = "xmlns:vosi=\"http://www.ivoa.net/xml/VOSITables/v1.0\" \
xmlns:vs=\"http://www.ivoa.net/xml/VODataService/v1.1\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

fn element(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        out.push_str(&format!("<{name}>{}</{name}>", escape_xml(v)));
    }
}

fn table_xml(out: &mut String, table: &Table, keys: &[ForeignKey], with_columns: bool, root: bool) {
    if root {
        out.push_str(&format!("<vosi:table {NAMESPACES} type=\"table\">"));
    } else {
        out.push_str("<table type=\"table\">");
    }
    element(out, "name", Some(&table.qualified_name()));
    element(out, "description", Some(&table.description));
    element(out, "utype", table.utype.as_deref());
    if with_columns {
        for c in &table.columns {
            out.push_str(&format!("<column std=\"{}\">", c.std));
            element(out, "name", Some(&c.adql_name()));
            element(out, "description", Some(&c.description));
            element(out, "unit", c.unit.as_deref());
            element(out, "ucd", c.ucd.as_deref());
            element(out, "utype", c.utype.as_deref());
            out.push_str("<dataType xsi:type=\"vs:VOTableType\"");
            if let Some(a) = c.arraysize.as_deref().filter(|a| !a.is_empty()) {
                out.push_str(&format!(" arraysize=\"{}\"", escape_xml(a)));
            }
            if let Some(x) = c.xtype.as_deref().filter(|x| !x.is_empty()) {
                out.push_str(&format!(" extendedType=\"{}\"", escape_xml(x)));
            }
            out.push_str(&format!(">{}</dataType>", escape_xml(&c.datatype)));
            if c.indexed {
                out.push_str("<flag>indexed</flag>");
            }
            if c.principal {
                out.push_str("<flag>principal</flag>");
            }
            out.push_str("</column>");
        }
        for key in keys
            .iter()
            .filter(|k| k.from_table == table.qualified_name())
        {
            out.push_str("<foreignKey>");
            element(out, "targetTable", Some(&key.target_table));
            out.push_str("<fkColumn>");
            element(out, "fromColumn", Some(&key.from_column));
            element(out, "targetColumn", Some(&key.target_column));
            out.push_str("</fkColumn>");
            element(out, "description", Some(&key.description));
            out.push_str("</foreignKey>");
        }
    }
    out.push_str(if root { "</vosi:table>" } else { "</table>" });
}

/// VODataService `schema` elements of every table in the catalogue (without their columns
/// when `with_columns` is false): the VOSI tableset, and the tableset of TAP's registry
/// record.
pub fn schema_elements(catalogue: &Catalogue, with_columns: bool) -> String {
    let rows = catalogue.tap_schema_rows();
    let mut out = String::new();
    for schema in &rows.schemas {
        out.push_str("<schema>");
        element(&mut out, "name", Some(&schema.schema_name));
        element(&mut out, "description", Some(&schema.description));
        for table in catalogue
            .tables
            .iter()
            .filter(|t| t.schema == schema.schema_name)
        {
            table_xml(&mut out, table, &catalogue.keys, with_columns, false);
        }
        out.push_str("</schema>");
    }
    out
}

/// The whole tableset; with `detail=min`, tables without their columns.
pub fn tableset_xml(catalogue: &Catalogue, with_columns: bool) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<vosi:tableset {NAMESPACES}>{}</vosi:tableset>\n",
        schema_elements(catalogue, with_columns)
    )
}

pub async fn tableset(request: HttpRequest, service: web::Data<TapService>) -> HttpResponse {
    let query = request.query_string().to_ascii_lowercase();
    let minimal = query.split('&').any(|p| p == "detail=min");
    xml_response(StatusCode::OK, tableset_xml(&service.catalogue, !minimal))
}

pub async fn table(name: web::Path<String>, service: web::Data<TapService>) -> HttpResponse {
    match service.catalogue.table(&name) {
        Some(table) => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            table_xml(&mut out, table, &service.catalogue.keys, true, true);
            out.push('\n');
            xml_response(StatusCode::OK, out)
        }
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body(format!(
                "no table {name}; the tables are {}\n",
                service
                    .catalogue
                    .tables
                    .iter()
                    .map(|t| t.qualified_name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
    }
}
