//! VOSI capabilities with TAPRegExt: languages and every supported feature and UDF, output
//! formats, upload methods and the limits this service enforces (the same numbers).

use crate::TapService;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_endpoint::{
    base_url, capabilities_document, escape_xml, param_http_capability, vosi_capabilities,
    xml_response,
};
use vo_results::Format;

fn output_format(out: &mut String, format: Format) {
    let ivo_id = match format {
        Format::VotableTabledata => Some("ivo://ivoa.net/std/TAPRegExt#output-votable-td"),
        Format::VotableBinary => Some("ivo://ivoa.net/std/TAPRegExt#output-votable-binary"),
        Format::VotableBinary2 => Some("ivo://ivoa.net/std/TAPRegExt#output-votable-binary2"),
        Format::Csv | Format::Tsv | Format::Fits | Format::Parquet => None,
    };
    match ivo_id {
        Some(id) => out.push_str(&format!("<outputFormat ivo-id=\"{id}\">")),
        None => out.push_str("<outputFormat>"),
    }
    out.push_str(&format!("<mime>{}</mime>", escape_xml(format.mime_type())));
    for alias in format
        .aliases()
        .iter()
        .filter(|a| **a != format.mime_type())
    {
        out.push_str(&format!("<alias>{}</alias>", escape_xml(alias)));
    }
    out.push_str("</outputFormat>");
}

fn language(out: &mut String) {
    out.push_str("<language><name>ADQL</name>");
    out.push_str("<version ivo-id=\"ivo://ivoa.net/std/ADQL#v2.1\">2.1</version>");
    out.push_str("<version ivo-id=\"ivo://ivoa.net/std/ADQL#v2.0\">2.0</version>");
    out.push_str("<description>ADQL 2.1 over PostgreSQL and pgSphere; positions are ICRS degrees</description>");
    out.push_str("<languageFeatures type=\"ivo://ivoa.net/std/TAPRegExt#features-udf\">");
    for (_, _, form, description) in vo_adql::USER_DEFINED_FUNCTIONS {
        out.push_str(&format!(
            "<feature><form>{}</form><description>{}</description></feature>",
            escape_xml(form),
            escape_xml(description)
        ));
    }
    out.push_str("</languageFeatures>");
    for (kind, forms) in vo_adql::LANGUAGE_FEATURES {
        out.push_str(&format!("<languageFeatures type=\"{kind}\">"));
        for form in *forms {
            out.push_str(&format!("<feature><form>{form}</form></feature>"));
        }
        out.push_str("</languageFeatures>");
    }
    out.push_str("</language>");
}

/// The limits of requests and clients that TAPRegExt has no element for, as the server
/// enforces them (the capability's description says them).
#[derive(Debug, Clone, Default)]
pub struct ServerLimits {
    /// Requests in flight per client (0: no limit).
    pub per_client_requests: usize,
    pub quotas: vo_uws_service::Quotas,
}

/// TAP's `capability` elements (TAPRegExt's, VOSI's, DALI examples), the service at
/// `public_url`: its VOSI capabilities document, and its registry record.
pub fn capability_elements(
    service: &TapService,
    server: &ServerLimits,
    body_seconds: u64,
    public_url: &str,
) -> String {
    let tap_url = &format!("{public_url}{}", vo_catalogue::routes::TAP);
    let limits = &service.limits;
    let mut out = String::new();
    out.push_str("<capability standardID=\"ivo://ivoa.net/std/TAP\" xsi:type=\"tr:TableAccess\">");
    let per_client = match server.per_client_requests {
        0 => String::new(),
        n => format!(" At most {n} requests of one client (an IP address, an IPv6 /64) run at once; more get 429."),
    };
    let (anonymous, account) = (server.quotas.anonymous, server.quotas.account);
    out.push_str(&format!(
        "<description>Uploaded tables (inline, or by http/https URL; VOTable in TABLEDATA, BINARY or BINARY2) may have at most {} rows; a request body or fetched table at most {} bytes, arriving within {} s. Synchronous queries may run {} s; asynchronous jobs as their execution duration says. A query has at most {} bytes and nests at most {} levels; its polygons have at most {} vertices and its circles at most a {}° radius.{per_client} Asynchronous jobs of one client, over every service: at most {} queued or executing, {} kept and {} bytes kept (anonymous, per address); {}, {} and {} for a signed-in account.</description>",
        limits.upload_rows,
        limits.upload_bytes,
        body_seconds,
        limits.sync_seconds,
        vo_adql::MAX_QUERY_BYTES,
        vo_adql::MAX_NESTING,
        vo_region::MAX_POLYGON_VERTICES,
        vo_region::MAX_CIRCLE_RADIUS_DEG,
        anonymous.active_jobs,
        anonymous.jobs,
        anonymous.job_bytes,
        account.active_jobs,
        account.jobs,
        account.job_bytes,
    ));
    out.push_str(&format!(
        "<interface xsi:type=\"vs:ParamHTTP\" role=\"std\" version=\"1.1\"><accessURL use=\"base\">{}</accessURL></interface>",
        escape_xml(tap_url)
    ));
    language(&mut out);
    for format in Format::all() {
        output_format(&mut out, format);
    }
    for method in ["inline", "http", "https"] {
        out.push_str(&format!(
            "<uploadMethod ivo-id=\"ivo://ivoa.net/std/TAPRegExt#upload-{method}\"/>"
        ));
    }
    out.push_str(&format!(
        "<retentionPeriod><default>{}</default><hard>{}</hard></retentionPeriod>",
        limits.jobs.retention_seconds, limits.jobs.retention_hard_seconds
    ));
    out.push_str(&format!(
        "<executionDuration><default>{}</default><hard>{}</hard></executionDuration>",
        limits.jobs.execution_seconds, limits.jobs.execution_hard_seconds
    ));
    out.push_str(&format!(
        "<outputLimit><default unit=\"row\">{}</default><hard unit=\"row\">{}</hard></outputLimit>",
        limits.maxrec_default, limits.maxrec_hard
    ));
    out.push_str(&format!(
        "<uploadLimit><hard unit=\"byte\">{}</hard></uploadLimit>",
        limits.upload_bytes
    ));
    out.push_str("</capability>");
    vosi_capabilities(&mut out, tap_url);
    param_http_capability(
        &mut out,
        "ivo://ivoa.net/std/VOSI#tables-1.1",
        &format!("{tap_url}/tables"),
    );
    out.push_str(&format!(
        "<capability standardID=\"ivo://ivoa.net/std/DALI#examples\"><interface xsi:type=\"vr:WebBrowser\"><accessURL use=\"full\">{}/examples</accessURL></interface></capability>",
        escape_xml(tap_url)
    ));
    out
}

pub async fn capabilities(request: HttpRequest, service: web::Data<TapService>) -> HttpResponse {
    let server = request
        .app_data::<web::Data<ServerLimits>>()
        .map(|l| l.get_ref().clone())
        .unwrap_or_default();
    let body_seconds = vo_endpoint::BodyDeadline::of(&request).0.as_secs();
    xml_response(
        StatusCode::OK,
        capabilities_document(&capability_elements(
            &service,
            &server,
            body_seconds,
            &base_url(&request),
        )),
    )
}
