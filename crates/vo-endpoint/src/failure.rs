//! A request that failed before any answer began, and the error document it gets; a
//! database connection, or the 503 a client sees when there is none.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use deadpool_postgres::Object;
use vo_results::error_votable;

/// A request that failed before any row was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub status: StatusCode,
    pub message: String,
}

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, message)
    }

    /// The DALI error document.
    pub fn response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", crate::AUTHENTICATE_CHALLENGE));
        }
        response
            .content_type("application/x-votable+xml")
            .body(error_votable(&self.message))
    }
}

/// A connection from the pool, or the 503 a client should see when there is none.
pub async fn connect(pool: &vo_db::Pool) -> Result<Object, Failure> {
    connected(pool.get().await)
}

/// What a pool gave: the connection, or the 503 a client should see when there was none.
pub fn connected(got: Result<Object, deadpool_postgres::PoolError>) -> Result<Object, Failure> {
    got.map_err(|e| {
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the database is not available, try again later: {e}"),
        )
    })
}
