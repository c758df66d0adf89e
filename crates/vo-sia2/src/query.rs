//! `/sia2/query`.

use crate::Sia2Service;
use actix_web::{web, HttpRequest, HttpResponse};
use std::time::Duration;
use vo_endpoint::{base_url, maxrec, response_format, Failure, Params};
use vo_query::{plan_adql, respond_with_rows, AdqlRequest, QueryPlan};

pub async fn query(
    request: HttpRequest,
    params: Params,
    service: web::Data<Sia2Service>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    match plan(&params, &service, &base_url(&request)) {
        Ok(plan) => {
            respond_with_rows(
                &request,
                &vo_db::Reads::or_primary(service.reads.as_ref(), &pool),
                plan,
                "; narrow the search (POS, BAND, TIME)",
            )
            .await
        }
        Err(failure) => failure.response(),
    }
}

/// The plan of a SIA2 query: its constraints as ADQL, through the TAP planner. `base` is
/// the service's URL (for the DataLink descriptor).
pub fn plan(params: &Params, service: &Sia2Service, base: &str) -> Result<QueryPlan, Failure> {
    let adql = crate::adql_for(params).map_err(|e| Failure::bad_request(e.to_string()))?;
    plan_adql(
        &adql,
        AdqlRequest {
            catalogue: &service.catalogue,
            maxrec: maxrec(params, service.maxrec_default, service.maxrec_hard)?,
            format: response_format(params, &["RESPONSEFORMAT"])?,
            timeout: Duration::from_secs(service.seconds),
            uploads: Vec::new(),
            datalink_url: Some(vo_catalogue::routes::datalink_sync(base)),
        },
    )
}
