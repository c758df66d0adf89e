//! An ADQL query turned into a [`QueryPlan`]: translated against the catalogue, with the
//! result fields carrying the catalogue's metadata. TAP sends its QUERY here; SIA2 builds ADQL
//! from its parameters and sends that.

use crate::{QueryPlan, UploadTable};
use std::time::Duration;
use vo_endpoint::Failure;
use vo_results::{Datatype, Field, Format};

/// The result fields of a translation, with the catalogue's metadata where a column is
/// selected as it is.
pub fn result_fields(columns: &[vo_adql::OutputColumn]) -> Vec<Field> {
    columns
        .iter()
        .map(|c| match &c.meta {
            Some(m) => Field {
                name: c.name().to_string(),
                datatype: Datatype::parse(&m.datatype).unwrap_or(Datatype::Char),
                arraysize: m.arraysize.clone(),
                unit: m.unit.clone(),
                ucd: m.ucd.clone(),
                utype: m.utype.clone(),
                xtype: m.xtype.clone(),
                description: Some(m.description.clone()).filter(|d| !d.is_empty()),
            },
            None => {
                let mut f = Field::new(
                    c.name().to_string(),
                    Datatype::parse(c.datatype).unwrap_or(Datatype::Double),
                    c.arraysize,
                );
                f.xtype = c.xtype.map(String::from);
                f
            }
        })
        .collect()
}

/// What a query needs besides its ADQL.
pub struct AdqlRequest<'a> {
    pub catalogue: &'a vo_catalogue::Catalogue,
    pub maxrec: u64,
    pub format: Format,
    pub timeout: Duration,
    pub uploads: Vec<UploadTable>,
    /// The DataLink service's URL: a result with a `member_ous_uid` column then carries a
    /// DataLink service descriptor for it (so pyvo's `iter_datalinks()` works).
    pub datalink_url: Option<String>,
}

/// The column a DataLink ID comes from.
const DATALINK_ID_COLUMN: &str = "member_ous_uid";

/// The descriptor of the DataLink service, its ID parameter referring to the result's
/// `member_ous_uid` FIELD (whose XML ID is its name).
fn datalink_descriptor(url: &str) -> String {
    vo_results::ServiceDescriptor {
        id: "datalink".into(),
        standard_id: "ivo://ivoa.net/std/DataLink#links-1.1".into(),
        access_url: url.to_string(),
        description: Some(
            "The files, raw data, previews and cutouts of each row's member OUS".into(),
        ),
        input_params: vec![vo_results::InputParam {
            name: "ID".into(),
            datatype: "char",
            arraysize: Some("*".into()),
            ucd: Some("meta.id;meta.main".into()),
            ref_field: Some(DATALINK_ID_COLUMN.into()),
            ..Default::default()
        }],
    }
    .to_xml()
}

/// Translates `adql` and plans it; a translation error is a 400 with its position.
pub fn plan_adql(adql: &str, request: AdqlRequest) -> Result<QueryPlan, Failure> {
    let translation = vo_adql::translate(
        adql,
        request.catalogue,
        &vo_adql::Options {
            maxrec: Some(request.maxrec),
            parameterise: true,
        },
    )
    .map_err(|e| Failure::bad_request(e.to_string()))?;
    let fields = result_fields(&translation.columns);
    let trailing_resources = match &request.datalink_url {
        Some(url) if fields.iter().any(|f| f.name == DATALINK_ID_COLUMN) => {
            vec![datalink_descriptor(url)]
        }
        _ => Vec::new(),
    };
    Ok(QueryPlan {
        fields,
        maxrec: translation.overflow_limit.map(|l| l - 1),
        sql: translation.sql,
        parameters: translation.parameters,
        format: request.format,
        infos: vec![("QUERY".into(), adql.to_string())],
        trailing_resources,
        timeout: request.timeout,
        uploads: request.uploads,
        stall: crate::run::DEFAULT_STALL,
    })
}
