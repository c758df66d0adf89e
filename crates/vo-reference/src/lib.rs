//! The spectral reference endpoints.
//!
//! Owns: `/reference/lines` — the line list (species, transition, rest frequency, upper-level
//! energy, category, rank, source) in JSON, for the page to draw at any redshift;
//! `/reference/atmosphere?pwv=…&from=…&to=…&points=…` — the ALMA site's zenith transmission
//! over a frequency range at a PWV, as many points as asked (a wide range keeps narrow lines:
//! each point is the lowest over the frequencies it stands for); loading both from the
//! reference directory when the server starts.
//! Does not own: the data and their interpolation (vo-spectra), or where the directory is
//! (the binary's configuration).

use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use std::path::Path;
use std::sync::Arc;
use vo_endpoint::{json_failure, json_query_params, json_response};
use vo_spectra::{Atmosphere, LineList};

/// The reference data, each None when its file is missing or unreadable (the endpoints then
/// say so).
#[derive(Clone, Default)]
pub struct Reference {
    lines: Option<Arc<LineList>>,
    atmosphere: Option<Arc<Atmosphere>>,
}

/// The files under the reference directory.
pub const LINES_FILE: &str = "lines.tsv";
pub const ATMOSPHERE_FILE: &str = "atmosphere.tsv";

impl Reference {
    /// Reads `lines.tsv` and `atmosphere.tsv` under `dir`, logging what is missing.
    pub fn load(dir: &Path) -> Reference {
        let read = |file: &str| match std::fs::read_to_string(dir.join(file)) {
            Ok(text) => Some(text),
            Err(e) => {
                tracing::warn!(file = %dir.join(file).display(), error = %e, "no spectral reference file (deploy/spectra.py writes it)");
                None
            }
        };
        let lines = read(LINES_FILE).and_then(|t| match LineList::parse(&t) {
            Ok(list) => Some(Arc::new(list)),
            Err(e) => {
                tracing::warn!(error = %e, "the line list cannot be read");
                None
            }
        });
        let atmosphere = read(ATMOSPHERE_FILE).and_then(|t| match Atmosphere::parse(&t) {
            Ok(a) => Some(Arc::new(a)),
            Err(e) => {
                tracing::warn!(error = %e, "the atmosphere table cannot be read");
                None
            }
        });
        Reference { lines, atmosphere }
    }

    /// The line list, if it was read.
    pub fn lines(&self) -> Option<&LineList> {
        self.lines.as_deref()
    }

    /// The line list, shared (for the line survey's labels).
    pub fn shared_lines(&self) -> Option<Arc<LineList>> {
        self.lines.clone()
    }
}

fn not_installed(what: &str, file: &str) -> HttpResponse {
    json_failure(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("this server has no {what}: {file} is missing from its reference directory (deploy/spectra.py writes it)"),
    )
}

async fn lines(reference: web::Data<Reference>) -> HttpResponse {
    let Some(list) = reference.lines() else {
        return not_installed("line list", LINES_FILE);
    };
    let mut categories: Vec<&str> = list.lines().iter().map(|l| l.category.as_str()).collect();
    categories.sort();
    categories.dedup();
    let mut response = json_response(
        StatusCode::OK,
        serde_json::json!({
            "categories": categories,
            "lines": list.lines().iter().map(|l| serde_json::json!({
                "species": l.species,
                "transition": l.transition,
                "rest_ghz": l.rest_ghz,
                "upper_energy_k": l.upper_energy_k,
                "category": l.category,
                "rank": l.rank,
                "source": l.source,
            })).collect::<Vec<_>>(),
        }),
    );
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("public, max-age=86400"),
    );
    response
}

/// The most points one curve has.
const MOST_POINTS: usize = 4000;

async fn atmosphere(request: HttpRequest, reference: web::Data<Reference>) -> HttpResponse {
    let Some(table) = reference.atmosphere.as_deref() else {
        return not_installed("atmosphere table", ATMOSPHERE_FILE);
    };
    let params = match json_query_params(&request) {
        Ok(params) => params,
        Err(refusal) => return refusal,
    };
    let (lo_table, hi_table) = table.range_ghz();
    let number = |name: &str, default: f64| -> Result<f64, HttpResponse> {
        match params.get(name).map(|v| v.trim().parse::<f64>()) {
            None => Ok(default),
            Some(Ok(v)) if v.is_finite() => Ok(v),
            Some(_) => Err(json_failure(
                StatusCode::BAD_REQUEST,
                format!(
                    "{name} must be a number ({name}={:?})",
                    params.get(name).unwrap_or("")
                ),
            )),
        }
    };
    let (pwv, from, to, points) = match (
        number("pwv", 1.0),
        number("from", lo_table),
        number("to", hi_table),
        number("points", 500.0),
    ) {
        (Ok(p), Ok(f), Ok(t), Ok(n)) => (p, f, t, n),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => return e,
    };
    if !(0.0..=20.0).contains(&pwv) {
        return json_failure(
            StatusCode::BAD_REQUEST,
            format!("pwv is precipitable water vapour in mm, 0 to 20 (the table has {:?}; others are interpolated in optical depth)", table.pwv_columns()),
        );
    }
    if !(from < to) || to < lo_table || from > hi_table {
        return json_failure(
            StatusCode::BAD_REQUEST,
            format!(
                "from and to are GHz, from < to, overlapping the table's {lo_table}-{hi_table} GHz"
            ),
        );
    }
    if !(2.0..=MOST_POINTS as f64).contains(&points) || points.fract() != 0.0 {
        return json_failure(
            StatusCode::BAD_REQUEST,
            format!("points is a whole number from 2 to {MOST_POINTS}"),
        );
    }
    let curve = table.curve(from, to, pwv, points as usize);
    let mut response = json_response(
        StatusCode::OK,
        serde_json::json!({
            "pwv_mm": pwv,
            "table_pwv_mm": table.pwv_columns(),
            "site": "ALMA, Llano de Chajnantor, 5040 m; zenith",
            "frequency_ghz": curve.iter().map(|p| (p.0 * 1e4).round() / 1e4).collect::<Vec<_>>(),
            "transmission": curve.iter().map(|p| (p.1 * 1e4).round() / 1e4).collect::<Vec<_>>(),
        }),
    );
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("public, max-age=86400"),
    );
    response
}

/// Registers `/reference/lines` and `/reference/atmosphere`.
pub fn configure(reference: Reference) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let base = vo_catalogue::routes::REFERENCE;
        cfg.app_data(web::Data::new(reference))
            .service(web::resource(format!("{base}/lines")).get(lines))
            .service(web::resource(format!("{base}/atmosphere")).get(atmosphere));
    }
}
