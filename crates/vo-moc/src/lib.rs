//! The archive's sky coverage for clients, the page's sky view and the registry records:
//! `/moc/holdings[?public=true][&band=N][&depth=D][&format=fits|json|ascii]`, the union of the
//! footprints (`s_region`) of every observation — or of the public ones, or of one band's —
//! as an IVOA MOC 2.0, made on first request and kept for a while.
//!
//! Owns: the parameters and their errors (JSON, naming the parameter and its range), which
//! observations a variant covers, the cache, the media types. Does not own: making the map
//! (vo-coverage) or reading footprints (vo-region).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use vo_coverage::{SkyMoc, DEFAULT_DEPTH, MOST_DEPTH};
use vo_endpoint::{connect, json_failure, json_query_params};

/// The most cell ranges one map may hold (about 80 MB as FITS): a finer depth over a large
/// archive is refused with the advice to ask a coarser one.
const MOST_RANGES: usize = 5_000_000;

/// Which observations a map covers and how fine it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Variant {
    public: bool,
    band: Option<u8>,
    depth: u8,
}

impl Variant {
    fn name(&self) -> String {
        let mut name = "alma-holdings".to_string();
        if self.public {
            name.push_str("-public");
        }
        if let Some(band) = self.band {
            name.push_str(&format!("-band{band}"));
        }
        format!("{name}-depth{}", self.depth)
    }
}

/// Maps made, each with when; one is made at a time.
#[derive(Clone)]
pub struct Coverages {
    made: Arc<Mutex<HashMap<Variant, (Instant, Arc<SkyMoc>)>>>,
    making: Arc<tokio::sync::Mutex<()>>,
    keep: Duration,
}

impl Coverages {
    /// Maps are made again when older than `keep` (new observations then appear in them).
    pub fn new(keep: Duration) -> Coverages {
        Coverages {
            made: Arc::default(),
            making: Arc::default(),
            keep,
        }
    }

    fn fresh(&self, variant: &Variant) -> Option<Arc<SkyMoc>> {
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        made.get(variant)
            .filter(|(at, _)| at.elapsed() < self.keep)
            .map(|(_, moc)| moc.clone())
    }
}

fn bad(message: String) -> HttpResponse {
    json_failure(StatusCode::BAD_REQUEST, message)
}

fn variant(request: &HttpRequest) -> Result<(Variant, String), HttpResponse> {
    let params = json_query_params(request)?;
    let public = match params.get("public").map(|v| v.trim().to_ascii_lowercase()) {
        None => false,
        Some(v) if v == "true" || v == "1" => true,
        Some(v) if v == "false" || v == "0" || v.is_empty() => false,
        Some(v) => {
            return Err(bad(format!(
                "public={v:?}: true (public data only) or false (all data)"
            )))
        }
    };
    let band = match params.get("band").map(str::trim).filter(|b| !b.is_empty()) {
        None => None,
        Some(b) => match b.parse::<u8>() {
            Ok(n) if (1..=10).contains(&n) => Some(n),
            _ => return Err(bad(format!("band={b:?}: an ALMA band, 1 to 10"))),
        },
    };
    let depth = match params.get("depth").map(str::trim).filter(|d| !d.is_empty()) {
        None => DEFAULT_DEPTH,
        Some(d) => match d.parse::<u8>() {
            Ok(n) if n <= MOST_DEPTH => n,
            _ => {
                return Err(bad(format!(
                    "depth={d:?}: a HEALPix depth, 0 to {MOST_DEPTH} (cells of {:.2}″ at {MOST_DEPTH}, {:.1}″ at {DEFAULT_DEPTH}, the default)",
                    vo_coverage::cell_arcsec(MOST_DEPTH),
                    vo_coverage::cell_arcsec(DEFAULT_DEPTH)
                )))
            }
        },
    };
    let format = params
        .get("format")
        .map(|f| f.trim().to_ascii_lowercase())
        .unwrap_or_else(|| "fits".into());
    if !matches!(format.as_str(), "fits" | "json" | "ascii") {
        return Err(bad(format!(
            "format={format:?}: fits (the default), json or ascii"
        )));
    }
    Ok((
        Variant {
            public,
            band,
            depth,
        },
        format,
    ))
}

/// The footprints of the variant's observations, each once.
async fn footprints(pool: &vo_db::Pool, variant: &Variant) -> Result<Vec<String>, HttpResponse> {
    let client = connect(pool).await.map_err(|f| f.json_response())?;
    let band = variant.band.map(|b| b.to_string()).unwrap_or_default();
    client
        .query(
            "SELECT DISTINCT s_region FROM ivoa.obscore WHERE s_region IS NOT NULL \
             AND (NOT $1 OR data_rights = 'Public') \
             AND ($2 = '' OR ' ' || band_list || ' ' LIKE '% ' || $2 || ' %')",
            &[&variant.public, &band],
        )
        .await
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .map_err(|e| json_failure(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))
}

/// The map of a variant: kept, or made now (one at a time).
async fn map_of(
    coverages: &Coverages,
    pool: &vo_db::Pool,
    variant: Variant,
) -> Result<Arc<SkyMoc>, HttpResponse> {
    if let Some(moc) = coverages.fresh(&variant) {
        return Ok(moc);
    }
    let _one_at_a_time = coverages.making.lock().await;
    if let Some(moc) = coverages.fresh(&variant) {
        return Ok(moc);
    }
    let regions = footprints(pool, &variant).await?;
    let started = Instant::now();
    let count = regions.len();
    let depth = variant.depth;
    let made = web::block(move || {
        let mocs = regions
            .iter()
            .filter_map(|text| vo_region::parse_stcs(text).ok())
            .map(|region| vo_coverage::region_moc(&region, depth))
            .collect();
        vo_coverage::union(mocs, depth)
    })
    .await;
    let moc = match made {
        Ok(moc) => Arc::new(moc),
        Err(e) => {
            return Err(json_failure(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the map could not be made now: {e}"),
            ))
        }
    };
    tracing::info!(
        variant = variant.name(),
        footprints = count,
        ranges = vo_coverage::ranges(&moc),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "coverage map made"
    );
    coverages
        .made
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(variant, (Instant::now(), moc.clone()));
    Ok(moc)
}

/// The coverage of every observation at `depth` (at most the finest served), as an ASCII
/// MOC: for the registry records.
pub async fn holdings_ascii(
    coverages: &Coverages,
    pool: &vo_db::Pool,
    depth: u8,
) -> Result<String, String> {
    let variant = Variant {
        public: false,
        band: None,
        depth: depth.min(MOST_DEPTH),
    };
    match map_of(coverages, pool, variant).await {
        Ok(moc) => Ok(vo_coverage::to_ascii(&moc)),
        Err(answer) => Err(format!(
            "the coverage map cannot be made now ({})",
            answer.status()
        )),
    }
}

async fn holdings(
    request: HttpRequest,
    pool: web::Data<vo_db::Pool>,
    coverages: web::Data<Coverages>,
) -> HttpResponse {
    let (variant, format) = match variant(&request) {
        Ok(v) => v,
        Err(answer) => return answer,
    };
    let moc = match map_of(&coverages, &pool, variant).await {
        Ok(moc) => moc,
        Err(answer) => return answer,
    };
    if vo_coverage::ranges(&moc) > MOST_RANGES {
        return json_failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the map at depth {} holds {} cell ranges, more than the {MOST_RANGES} served: ask a coarser depth",
                variant.depth,
                vo_coverage::ranges(&moc)
            ),
        );
    }
    let name = variant.name();
    let (body, content_type, extension) = match format.as_str() {
        "json" => (
            vo_coverage::to_json(&moc).into_bytes(),
            "application/json",
            "json",
        ),
        "ascii" => (
            vo_coverage::to_ascii(&moc).into_bytes(),
            "text/plain; charset=utf-8",
            "txt",
        ),
        _ => (
            vo_coverage::to_fits(&moc, &name),
            "application/fits",
            "fits",
        ),
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"{name}.{extension}\""),
        ))
        .insert_header(("Cache-Control", "public, max-age=600"))
        .body(body)
}

/// Registers `/moc/holdings`. The application provides `web::Data<vo_db::Pool>`.
pub fn configure(coverages: Coverages) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(coverages)).service(
            web::resource(format!("{}/holdings", vo_catalogue::routes::MOC)).get(holdings),
        );
    }
}
