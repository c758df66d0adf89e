//! The web query page: `/` serves a single-page application modelled on the ALMA archive's
//! query interface, built only on this service's own TAP, DataLink and download endpoints.
//!
//! Owns: the page's files (embedded at build time from `app/`, with Aladin Lite's
//! single-file build from npm), `/` and `/web/{file}` (ETags, `Cache-Control: no-cache`),
//! `/web/config.json` (what the operator configured: the sky view's HiPS survey, the rows a
//! query asks for), and a Content-Security-Policy that lets the page talk only to this
//! service (and to the configured HiPS survey, if any).
//! Does not own: queries, links or downloads — the page calls the protocol endpoints like
//! any other client.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

/// One embedded file of the page.
pub struct Asset {
    pub path: &'static str,
    pub bytes: &'static [u8],
    pub etag: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// What the operator can set for the page (`[web]` in the configuration).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WebPage {
    /// The sky view's background: any HiPS base URL. None: footprints over a coordinate grid,
    /// and no request leaves this service.
    pub hips_url: Option<String>,
    /// MAXREC of the page's queries.
    pub max_rows: u64,
}

impl Default for WebPage {
    fn default() -> Self {
        WebPage {
            hips_url: None,
            max_rows: 2000,
        }
    }
}

impl WebPage {
    /// Refuses settings the page cannot use: a survey that is not an http(s) URL, no rows.
    pub fn check(&self) -> Result<(), String> {
        if let Some(url) = &self.hips_url {
            if origin(url).is_none() {
                return Err(format!(
                    "web.hips_url must be an http:// or https:// HiPS base URL, not {url:?}"
                ));
            }
        }
        if self.max_rows == 0 {
            return Err("web.max_rows must be at least 1".into());
        }
        Ok(())
    }
}

/// Registers `/` and `/web/…`.
pub fn configure(page: WebPage) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let page = web::Data::new(page);
        cfg.service(
            web::resource("/")
                .app_data(page.clone())
                .route(web::get().to(index))
                .route(web::head().to(index)),
        )
        .service(
            web::resource("/web/config.json")
                .app_data(page.clone())
                .route(web::get().to(config)),
        )
        .service(
            web::resource("/web/{file:.*}")
                .app_data(page)
                .route(web::get().to(file))
                .route(web::head().to(file)),
        );
    }
}

/// The embedded file at `path`, if there is one.
pub fn asset(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The page may load and fetch only from this service; images and tiles also from the
/// configured HiPS survey, and it may talk to a SAMP hub on the user's own machine (the Web
/// Profile's fixed address). WebAssembly (Aladin Lite's core, which it loads from a data:
/// URL) is allowed to compile.
fn content_security_policy(page: &WebPage) -> String {
    let hips = page
        .hips_url
        .as_deref()
        .and_then(origin)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:{hips}; connect-src 'self' data:{hips} {SAMP_HUB}; worker-src 'self' blob:; \
         frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
    )
}

/// Where web pages find a SAMP hub (SAMP 1.3, Web Profile).
const SAMP_HUB: &str = "http://localhost:21012 http://127.0.0.1:21012";

/// `scheme://host[:port]` of an http(s) URL.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && !host.contains(char::is_whitespace)).then(|| format!("{scheme}://{host}"))
}

fn serve(request: &HttpRequest, page: &WebPage, path: &str) -> HttpResponse {
    let Some(asset) = asset(path) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body(format!(
                "no such file of the web page: /web/{path} (the page starts at /)"
            ));
    };
    let fresh = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == asset.etag));
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, asset.etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Content-Type-Options", "nosniff"));
    if path.ends_with(".html") {
        response.insert_header(("Content-Security-Policy", content_security_policy(page)));
    }
    if fresh {
        return response.finish();
    }
    // for HEAD the server sends these headers, GET's Content-Length among them, and no body
    response.content_type(content_type(path)).body(asset.bytes)
}

async fn index(request: HttpRequest, page: web::Data<WebPage>) -> HttpResponse {
    serve(&request, &page, "index.html")
}

async fn file(
    request: HttpRequest,
    page: web::Data<WebPage>,
    path: web::Path<String>,
) -> HttpResponse {
    serve(&request, &page, &path)
}

async fn config(page: web::Data<WebPage>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(page.get_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_and_its_scripts_are_embedded() {
        for path in ["index.html", "style.css", "js/main.js"] {
            assert!(asset(path).is_some(), "{path} is embedded");
        }
        assert!(asset("package.json").is_none());
        assert!(ASSETS.iter().all(|a| !a.path.contains("node_modules")));
    }

    #[test]
    fn settings_are_checked() {
        assert!(WebPage::default().check().is_ok());
        let bad = WebPage {
            hips_url: Some("alasky/DSS".into()),
            max_rows: 10,
        };
        assert!(bad.check().unwrap_err().contains("web.hips_url"));
        let none = WebPage {
            hips_url: None,
            max_rows: 0,
        };
        assert!(none.check().unwrap_err().contains("max_rows"));
    }

    #[test]
    fn origins_of_hips_urls() {
        assert_eq!(
            origin("https://alasky.cds.unistra.fr/DSS/DSS2Merged/").as_deref(),
            Some("https://alasky.cds.unistra.fr")
        );
        assert_eq!(origin("http://h:8000").as_deref(), Some("http://h:8000"));
        assert_eq!(origin("javascript:alert(1)"), None);
        assert_eq!(origin("ftp://h/x"), None);
    }

    #[test]
    fn the_policy_names_only_this_service_and_the_samp_hub_without_a_survey() {
        let policy = content_security_policy(&WebPage::default());
        assert!(policy
            .contains("connect-src 'self' data: http://localhost:21012 http://127.0.0.1:21012;"));
        assert_eq!(policy.matches("http").count(), 2, "{policy}");
        let with = content_security_policy(&WebPage {
            hips_url: Some("https://alasky.cds.unistra.fr/DSS/DSS2Merged".into()),
            max_rows: 10,
        });
        assert!(with.contains(
            "connect-src 'self' data: https://alasky.cds.unistra.fr http://localhost:21012"
        ));
    }
}
