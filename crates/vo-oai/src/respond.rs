//! The answers: one OAI-PMH document per request, its records read from the store.

use crate::arguments::{self, Format, Listing, Request, SET};
use crate::token::Token;
use crate::OaiRegistry;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use chrono::Utc;
use vo_endpoint::{escape_xml, xml_response, Params};
use vo_registry::{datestamp, Selection, StoredRecord};

const ENVELOPE: &str = "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">";

/// The document around a verb's answer (or errors): the time, and the request echoed.
fn document(registry: &OaiRegistry, echoed: &[(String, String)], body: &str) -> HttpResponse {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(ENVELOPE);
    out.push_str(&format!(
        "<responseDate>{}</responseDate><request",
        datestamp(Utc::now())
    ));
    for (name, value) in echoed {
        out.push_str(&format!(" {name}=\"{}\"", escape_xml(value)));
    }
    out.push_str(&format!(">{}</request>", escape_xml(&registry.base_url)));
    out.push_str(body);
    out.push_str("</OAI-PMH>\n");
    xml_response(StatusCode::OK, out)
}

fn error(code: &str, message: &str) -> String {
    format!("<error code=\"{code}\">{}</error>", escape_xml(message))
}

/// The header of a record: identifier, datestamp, set, and whether it is deleted.
fn header(out: &mut String, record: &StoredRecord) {
    out.push_str(if record.deleted {
        "<header status=\"deleted\">"
    } else {
        "<header>"
    });
    out.push_str(&format!(
        "<identifier>{}</identifier><datestamp>{}</datestamp><setSpec>{SET}</setSpec></header>",
        escape_xml(&record.ivoid),
        datestamp(record.updated)
    ));
}

fn record(out: &mut String, record: &StoredRecord, format: Format) {
    out.push_str("<record>");
    header(out, record);
    if !record.deleted {
        out.push_str("<metadata>");
        out.push_str(match format {
            Format::IvoVor => &record.resource,
            Format::OaiDc => &record.dublin_core,
        });
        out.push_str("</metadata>");
    }
    out.push_str("</record>");
}

fn unavailable(e: impl std::fmt::Display) -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .insert_header(("Retry-After", "30"))
        .content_type("text/plain; charset=utf-8")
        .body(format!(
            "the registry's records cannot be read now, try again later: {e}\n"
        ))
}

fn identify(registry: &OaiRegistry, earliest: &str, own_record: Option<&StoredRecord>) -> String {
    let mut out = String::from("<Identify>");
    out.push_str(&format!(
        "<repositoryName>{}</repositoryName><baseURL>{}</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>{}</adminEmail><earliestDatestamp>{earliest}</earliestDatestamp><deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity>",
        escape_xml(&registry.repository_name),
        escape_xml(&registry.base_url),
        escape_xml(&registry.admin_email),
    ));
    if let Some(own) = own_record.filter(|r| !r.deleted) {
        out.push_str("<description>");
        out.push_str(&own.resource);
        out.push_str("</description>");
    }
    out.push_str("</Identify>");
    out
}

const METADATA_FORMATS: &str = "<ListMetadataFormats>\
<metadataFormat><metadataPrefix>ivo_vor</metadataPrefix><schema>http://www.ivoa.net/xml/RegistryInterface/RegistryInterface-v1.0.xsd</schema><metadataNamespace>http://www.ivoa.net/xml/RegistryInterface/v1.0</metadataNamespace></metadataFormat>\
<metadataFormat><metadataPrefix>oai_dc</metadataPrefix><schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema><metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace></metadataFormat>\
</ListMetadataFormats>";

const SETS: &str = "<ListSets><set><setSpec>ivo_managed</setSpec><setName>The resources whose authority this registry manages</setName></set></ListSets>";

/// One page of a list, with the token that continues it (or the empty one that ends a split
/// list).
async fn list(
    registry: &OaiRegistry,
    client: &tokio_postgres::Client,
    listing: &Listing,
    with_records: bool,
) -> Result<String, tokio_postgres::Error> {
    if listing.unknown_set {
        return Ok(error(
            "noRecordsMatch",
            "no such set: the one set is ivo_managed (see ListSets)",
        ));
    }
    let selection = Selection {
        from: listing.from,
        until: listing.until,
        after: listing.resume.as_ref().map(|t| t.after.clone()),
    };
    let page = vo_registry::list(client, &selection, registry.page_size.max(1)).await?;
    if page.records.is_empty() {
        return Ok(error(
            "noRecordsMatch",
            if listing.resume.is_some() {
                "no records follow this resumption token's position any more"
            } else {
                "no record changed in that time (see Identify's earliestDatestamp)"
            },
        ));
    }
    let element = if with_records {
        "ListRecords"
    } else {
        "ListIdentifiers"
    };
    let mut out = format!("<{element}>");
    for r in &page.records {
        if with_records {
            record(&mut out, r, listing.format);
        } else {
            header(&mut out, r);
        }
    }
    let cursor = listing.resume.as_ref().map_or(0, |t| t.cursor);
    if page.more || listing.resume.is_some() {
        let complete = vo_registry::count(client, &selection).await?;
        let attributes = format!("completeListSize=\"{complete}\" cursor=\"{cursor}\"");
        if page.more {
            let last = page.records.last().expect("a page has records");
            let token = Token {
                prefix: listing.format.prefix().to_string(),
                set: listing.resume.as_ref().and_then(|t| t.set.clone()),
                from: listing.from,
                until: listing.until,
                after: (last.updated, last.ivoid.clone()),
                cursor: cursor + page.records.len(),
            };
            out.push_str(&format!(
                "<resumptionToken {attributes}>{}</resumptionToken>",
                token.encode()
            ));
        } else {
            out.push_str(&format!("<resumptionToken {attributes}/>"));
        }
    }
    out.push_str(&format!("</{element}>"));
    Ok(out)
}

/// The answer to a request whose parameters were read (or could not be).
pub async fn answer(
    registry: &OaiRegistry,
    pool: &vo_db::Pool,
    params: Result<Params, String>,
) -> HttpResponse {
    let params = match params {
        Ok(p) => p,
        Err(message) => return document(registry, &[], &error("badArgument", &message)),
    };
    let pairs = params.pairs();
    let request = match arguments::parse(pairs) {
        Ok(r) => r,
        Err(refusal) => {
            let echoed: &[(String, String)] = if refusal.hides_arguments() {
                &[]
            } else {
                pairs
            };
            return document(registry, echoed, &error(refusal.code(), refusal.message()));
        }
    };
    let client = match vo_endpoint::connect(pool).await {
        Ok(c) => c,
        Err(f) => return unavailable(f.message),
    };
    let body = match &request {
        Request::Identify => {
            let earliest = vo_registry::earliest(&client).await;
            let own = vo_registry::get(&client, &registry.registry_ivoid).await;
            match (earliest, own) {
                (Ok(earliest), Ok(own)) => Ok(identify(
                    registry,
                    &datestamp(earliest.unwrap_or_else(Utc::now)),
                    own.as_ref(),
                )),
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
        Request::ListMetadataFormats { identifier } => match identifier {
            None => Ok(METADATA_FORMATS.to_string()),
            Some(id) => vo_registry::get(&client, id)
                .await
                .map(|found| match found {
                    Some(_) => METADATA_FORMATS.to_string(),
                    None => error("idDoesNotExist", &format!("no record {id}")),
                }),
        },
        Request::ListSets => Ok(SETS.to_string()),
        Request::GetRecord { identifier, format } => vo_registry::get(&client, identifier)
            .await
            .map(|found| match found {
                Some(found) => {
                    let mut out = String::from("<GetRecord>");
                    record(&mut out, &found, *format);
                    out.push_str("</GetRecord>");
                    out
                }
                None => error(
                    "idDoesNotExist",
                    &format!("no record {identifier} (ListIdentifiers lists them)"),
                ),
            }),
        Request::ListIdentifiers(listing) => list(registry, &client, listing, false).await,
        Request::ListRecords(listing) => list(registry, &client, listing, true).await,
    };
    match body {
        Ok(body) => document(registry, pairs, &body),
        Err(e) => unavailable(e),
    }
}
