//! `/resolve` and `/sesame`.

use crate::refresh::Names;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use vo_endpoint::{json_failure, json_query_params, json_response};
use vo_names::{Resolution, MAX_NAME_CHARS};

/// Why a name is refused for its length, if it is.
fn too_long(name: &str) -> Option<String> {
    let length = name.chars().count();
    (length > MAX_NAME_CHARS).then(|| {
        format!("the name is {length} characters long; names are at most {MAX_NAME_CHARS}")
    })
}

/// A name as Sesame's query string carries it (the whole query), percent-decoded (`+` is
/// kept: names hold it).
fn name_in(raw: &str) -> Result<String, String> {
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(raw).collect();
    let name = String::from_utf8(bytes)
        .map_err(|_| "the name is not UTF-8 text (percent-encode it as UTF-8)".to_string())?;
    match too_long(&name) {
        Some(problem) => Err(problem),
        None => Ok(name),
    }
}

/// `GET /resolve?name=NAME`: the object as JSON, or 404 with "did you mean" names.
pub async fn resolve(request: HttpRequest, names: web::Data<Names>) -> HttpResponse {
    let params = match json_query_params(&request) {
        Ok(params) => params,
        Err(refusal) => return refusal,
    };
    let Some(name) = params.get("name").map(str::to_string) else {
        return json_failure(
            StatusCode::BAD_REQUEST,
            "give the name to resolve: /resolve?name=M83",
        );
    };
    if let Some(problem) = too_long(&name) {
        return json_failure(StatusCode::BAD_REQUEST, problem);
    }
    let resolver = names.resolver();
    match resolver.resolve(&name) {
        Resolution::Found {
            object,
            archive_target,
        } => json_response(
            StatusCode::OK,
            serde_json::json!({
                "name": name,
                "found": true,
                "object": object.name,
                "ra": object.ra,
                "dec": object.dec,
                "position": vo_names::sexagesimal(object.ra, object.dec),
                "type": object.kind.as_ref().map(|k| &k.0),
                "type_description": object.kind.as_ref().map(|k| &k.1),
                "aliases": object.aliases,
                "source": object.origin.label(),
                "archive_target": archive_target.map(|t| &t.name),
            }),
        ),
        Resolution::NotFound { suggestions } => json_response(
            StatusCode::NOT_FOUND,
            serde_json::json!({
                "name": name,
                "found": false,
                "error": if suggestions.is_empty() {
                    format!("no object is called {name:?} in the archive's targets or OpenNGC")
                } else {
                    format!(
                        "no object is called {name:?}; did you mean {}?",
                        suggestions.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
                    )
                },
                "suggestions": suggestions,
            }),
        ),
    }
}

/// `GET /sesame/[-oOPTIONS/]DB?NAME`, as CDS's `nph-sesame`: plain text, or XML with an
/// `x` among the options. DB (S, N, V, A or combinations) names remote databases this
/// service stands in for: all of them answer from the local resolver.
pub async fn sesame(request: HttpRequest, names: web::Data<Names>) -> HttpResponse {
    let path = request.match_info().get("path").unwrap_or("");
    let xml = path
        .split('/')
        .any(|part| part.starts_with("-o") && part.contains('x'));
    let name = match name_in(request.query_string()) {
        Ok(name) => name,
        Err(why) => {
            return HttpResponse::BadRequest()
                .content_type("text/plain; charset=utf-8")
                .body(format!("#! {why}\n"))
        }
    };
    let resolver = names.resolver();
    let resolution = resolver.resolve(&name);
    if xml {
        HttpResponse::Ok()
            .content_type("text/xml; charset=utf-8")
            .body(vo_names::sesame_xml(&name, &resolution))
    } else {
        HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body(vo_names::sesame_plain(&name, &resolution))
    }
}
