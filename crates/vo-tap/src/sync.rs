//! `/tap/sync`: a query answered in the same HTTP exchange.

use crate::TapService;
use actix_web::{web, HttpRequest, HttpResponse};
use std::time::Duration;
use vo_endpoint::Params;
use vo_query::respond_with_rows;

pub async fn sync(
    request: HttpRequest,
    params: Params,
    service: web::Data<TapService>,
    pool: web::Data<vo_db::Pool>,
) -> HttpResponse {
    let timeout = Duration::from_secs(service.limits.sync_seconds);
    match crate::plan(&params, &service, timeout, &vo_endpoint::base_url(&request)).await {
        Ok(plan) => {
            respond_with_rows(
                &request,
                &vo_db::Reads::or_primary(service.reads.as_ref(), &pool),
                plan,
                "; run it as an asynchronous job (/tap/async) for more time",
            )
            .await
        }
        Err(failure) => failure.response(),
    }
}
