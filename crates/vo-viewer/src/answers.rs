//! The four answers: the cube's facts, tiles, a pixel's spectrum, a box's statistics.

use actix_web::http::header::{HeaderValue, CACHE_CONTROL, VARY};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use vo_catalogue::routes;
use vo_cube::{cutout_of, region_stats, Info, PixelBox};
use vo_endpoint::{base_url, json_query_params, json_response};

use crate::opened::{product, Product};
use crate::params::{number, optional_whole, whole};
use crate::ViewerService;

fn round(v: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (v * scale).round() / scale
}

/// A JSON answer cached as the product's release allows.
fn cached(product: &Product, value: serde_json::Value) -> HttpResponse {
    let mut response = json_response(StatusCode::OK, value);
    let headers = response.headers_mut();
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(product.cache_control()),
    );
    headers.insert(VARY, HeaderValue::from_static("Authorization"));
    response
}

const CHANNEL: &str = "the 0-based channel (GET /cube/NAME says how many there are)";

/// An answer, or the error answer that stopped it on the way.
type Answer = Result<HttpResponse, HttpResponse>;

fn either(answer: Answer) -> HttpResponse {
    answer.unwrap_or_else(|refusal| refusal)
}

pub(crate) async fn info(
    request: HttpRequest,
    name: web::Path<String>,
    service: web::Data<ViewerService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    either(info_answer(&request, &name, &service, &pool).await)
}

async fn info_answer(
    request: &HttpRequest,
    name: &str,
    service: &ViewerService,
    pool: &vo_db::Pool,
) -> Answer {
    let product = product(request, pool, service, name).await?;
    let info = product.read(|cube| Ok(Info::of(cube))).await?;
    let base = base_url(request);
    Ok(cached(
        &product,
        serde_json::json!({
            "name": product.name,
            "released": product.released,
            "nx": info.nx,
            "ny": info.ny,
            "channels": info.channels,
            "levels": info.levels,
            "tile": info.tile,
            "unit": info.unit,
            "object": info.object,
            "beam": info.beam.map(|(major, minor, pa)| serde_json::json!({
                "major_arcsec": round(major, 4), "minor_arcsec": round(minor, 4), "pa_deg": round(pa, 2),
            })),
            "pixel_arcsec": round(info.pixel_arcsec, 6),
            "centre": info.centre.map(|(ra, dec)| serde_json::json!({ "ra": round(ra, 7), "dec": round(dec, 7) })),
            "frequency_ghz": info.frequency_ghz.iter().map(|f| round(*f, 7)).collect::<Vec<_>>(),
            "rest_ghz": info.rest_ghz,
            "velocity_kms": info.velocity_kms.iter().map(|v| round(*v, 4)).collect::<Vec<_>>(),
            "download": routes::download(&base, &product.name),
            "soda": routes::soda_sync(&base),
        }),
    ))
}

pub(crate) async fn tiles(
    request: HttpRequest,
    name: web::Path<String>,
    service: web::Data<ViewerService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    either(tiles_answer(&request, &name, &service, &pool).await)
}

async fn tiles_answer(
    request: &HttpRequest,
    name: &str,
    service: &ViewerService,
    pool: &vo_db::Pool,
) -> Answer {
    let params = json_query_params(request)?;
    let column = "a tile column, from the left (0-based); x1 defaults to x0";
    let row = "a tile row, from the bottom (0-based); y1 defaults to y0";
    let channel = whole(&params, "channel", CHANNEL)?;
    let level = whole(
        &params,
        "level",
        "0 for full resolution, each level up halves it",
    )?;
    let x0 = whole(&params, "x0", column)?;
    let y0 = whole(&params, "y0", row)?;
    let x = (x0, optional_whole(&params, "x1", column)?.unwrap_or(x0));
    let y = (y0, optional_whole(&params, "y1", row)?.unwrap_or(y0));
    let product = product(request, pool, service, name).await?;
    let tiles = product
        .read(move |cube| {
            let tiles = vo_cube::tiles(cube, channel, level, x, y)?;
            // a viewer stepping through channels asks for these tiles of the next one next
            for ((tx, ty), _) in &tiles {
                vo_cube::prefetch(cube, channel + 1, level, *tx as i64, *ty as i64);
            }
            Ok(tiles)
        })
        .await?;
    let mut bytes = Vec::with_capacity(tiles.iter().map(|(_, t)| 16 + t.values.len() * 4).sum());
    for ((tx, ty), tile) in &tiles {
        for n in [*tx, *ty, tile.width, tile.height] {
            bytes.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for v in &tile.values {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header(("X-Tiles", tiles.len().to_string()))
        .insert_header((CACHE_CONTROL, product.cache_control()))
        .insert_header((VARY, "Authorization"))
        .body(bytes))
}

pub(crate) async fn spectrum(
    request: HttpRequest,
    name: web::Path<String>,
    service: web::Data<ViewerService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    either(spectrum_answer(&request, &name, &service, &pool).await)
}

async fn spectrum_answer(
    request: &HttpRequest,
    name: &str,
    service: &ViewerService,
    pool: &vo_db::Pool,
) -> Answer {
    let params = json_query_params(request)?;
    let x = whole(&params, "x", "the pixel's column, 0-based from the left")?;
    let y = whole(&params, "y", "the pixel's row, 0-based from the bottom")?;
    let product = product(request, pool, service, name).await?;
    let p = product
        .read(move |cube| vo_cube::profile(cube, x, y))
        .await?;
    Ok(cached(
        &product,
        serde_json::json!({
                "x": p.x,
                "y": p.y,
                "ra": p.ra_dec.map(|(ra, _)| round(ra, 7)),
                "dec": p.ra_dec.map(|(_, dec)| round(dec, 7)),
                "values": p.values,
        }),
    ))
}

pub(crate) async fn stats(
    request: HttpRequest,
    name: web::Path<String>,
    service: web::Data<ViewerService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    either(stats_answer(&request, &name, &service, &pool).await)
}

async fn stats_answer(
    request: &HttpRequest,
    name: &str,
    service: &ViewerService,
    pool: &vo_db::Pool,
) -> Answer {
    let params = json_query_params(request)?;
    let corner = "a corner of the box, in 0-based pixels (x from the left, y from the bottom)";
    let channels = "the channel range of the cutout (0-based, both ends kept; leave out for all)";
    let channel = whole(&params, "channel", CHANNEL)?;
    let corners = [
        (
            number(&params, "x0", corner)?,
            number(&params, "y0", corner)?,
        ),
        (
            number(&params, "x1", corner)?,
            number(&params, "y1", corner)?,
        ),
    ];
    let first = optional_whole(&params, "first", channels)?;
    let last = optional_whole(&params, "last", channels)?;
    let band = match (first, last) {
        (None, None) => None,
        (Some(f), Some(l)) => Some((f, l)),
        (Some(one), None) | (None, Some(one)) => Some((one, one)),
    };
    let product = product(request, pool, service, name).await?;
    let (s, cut) = product
        .read(move |cube| {
            let region = PixelBox::clipped(cube, corners)?;
            Ok((
                region_stats(cube, channel, &region)?,
                cutout_of(cube, &region, band)?,
            ))
        })
        .await?;
    let polygon = cut
        .polygon
        .iter()
        // every digit: the corners sit a hundredth of a pixel inside the box
        .map(|(ra, dec)| format!("{ra} {dec}"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut cutout = format!(
        "{}?ID={}&POLYGON={}",
        routes::soda_sync(&base_url(request)),
        product.name,
        polygon.replace(' ', "%20")
    );
    if let Some((lo, hi)) = cut.band_m {
        cutout.push_str(&format!("&BAND={lo:e}%20{hi:e}"));
    }
    let r = s.region;
    Ok(cached(
        &product,
        serde_json::json!({
            "channel": s.channel,
            "box": { "x0": r.x0, "y0": r.y0, "x1": r.x1, "y1": r.y1 },
            "pixels": s.pixels,
            "samples": s.samples,
            "stride": s.stride,
            "blank": s.blank,
            "min": s.min, "max": s.max, "mean": s.mean, "std": s.std, "rms": s.rms, "sum": s.sum,
            "flux_jy": s.flux_jy,
            "brightest": s.brightest.map(|(x, y)| serde_json::json!({ "x": x, "y": y })),
            "polygon": cut.polygon.iter().map(|(ra, dec)| [round(*ra, 8), round(*dec, 8)]).collect::<Vec<_>>(),
            "band_m": cut.band_m.map(|(lo, hi)| [lo, hi]),
            "cutout": cutout,
        }),
    ))
}
