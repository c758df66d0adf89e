//! What every request passes before an endpoint sees it, and every answer on its way out, as
//! actix-web middleware: `App::new().wrap(FrontDoor)`.
//!
//! In: a request line or headers over the limits ([`MAX_URI_BYTES`], [`MAX_HEADER_BYTES`]) are
//! answered 414/431 before anything reads them; a request addressed to a host this service
//! does not answer to is a 400 ([`crate::ServiceAddress::host_problem`]).
//! Every request gets an id (`request_id`), answered in `X-Request-Id`, named with the
//! request in the panic log and current while its code runs.
//! Through: a panic anywhere in a handler, or in a streamed body, is caught — the request is
//! answered 500 with a message (or its body is ended), the panic is logged with the request
//! that caused it, and the process and its other requests go on.
//! Out: an error answer without a body (actix's own 404/405, extractor errors) gets a text
//! one saying what went wrong; a 405 says which methods the resource takes.

use std::cell::RefCell;
use std::future::{ready, Future, Ready};
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::StatusCode;
use actix_web::{Error, HttpResponse};

use crate::request_id::{self, with_request_id, REQUEST_ID_HEADER};
use bytes::Bytes;
use futures_util::future::LocalBoxFuture;
use futures_util::FutureExt;

/// The most header bytes (names and values) a request may carry; no client of this service
/// needs more than a few kB (a long bearer token, cookies). The HTTP layer itself stops at
/// 128 KiB for the whole request head, with a bare 431.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The longest request target (path and query string): long queries belong in a POST body.
pub const MAX_URI_BYTES: usize = 32 * 1024;

thread_local! {
    /// The request (or job) whose code runs on this thread just now, for the panic log.
    static CURRENT: RefCell<Option<Rc<str>>> = const { RefCell::new(None) };
}

/// What this thread is working on, if a request or job has said so (the panic hook logs it;
/// a query's own task names itself after its request).
pub fn current_work() -> Option<String> {
    crate::thread_slot::read(&CURRENT)
}

/// A future (or body) that names its work for the panic log while it is polled, and makes
/// its request's id current (`id`; none for a job).
struct Described<F> {
    inner: F,
    what: Rc<str>,
    id: Option<Rc<str>>,
}

/// Runs `poll` with `what` named as this thread's current work; what was named before is
/// named again afterwards, also when `poll` unwinds.
fn working_on<T>(what: &Rc<str>, poll: impl FnOnce() -> T) -> T {
    crate::thread_slot::with_in(&CURRENT, what, poll)
}

impl<F: Future + Unpin> Future for Described<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        match &this.id {
            Some(id) => with_request_id(id, || {
                working_on(&this.what, || Pin::new(&mut this.inner).poll(cx))
            }),
            None => working_on(&this.what, || Pin::new(&mut this.inner).poll(cx)),
        }
    }
}

/// Runs `work`, naming it `what` for the panic log while it runs (job workers use this, and
/// a query's own task, which keeps its request's id).
pub fn described<F: Future>(what: String, work: F) -> impl Future<Output = F::Output> {
    Described {
        inner: Box::pin(work),
        what: Rc::from(what),
        id: crate::current_request_id().map(Rc::from),
    }
}

/// A short description of a request for logs: method, path (and a cut query), client.
fn describe(request: &ServiceRequest) -> String {
    let query: String = request.query_string().chars().take(200).collect();
    format!(
        "{} {}{}{} from {}",
        request.method(),
        request.path(),
        if query.is_empty() { "" } else { "?" },
        query,
        crate::client_of(request.request())
    )
}

fn text(status: StatusCode, message: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(message + "\n")
}

/// The refusal of a request whose head is over the limits or addressed elsewhere.
fn refusal(request: &ServiceRequest) -> Option<HttpResponse> {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if target > MAX_URI_BYTES {
        return Some(text(
            StatusCode::URI_TOO_LONG,
            format!(
                "the request target is {target} bytes long, more than this service's limit of {MAX_URI_BYTES}; send long parameters in a POST body"
            ),
        ));
    }
    if let Some(refused) = header_refusal(request.headers()) {
        return Some(refused);
    }
    crate::ServiceAddress::of(request.request())
        .host_problem(request.request())
        .map(|problem| text(StatusCode::BAD_REQUEST, problem))
}

/// The 431 answer for headers over the limit, or `None` when they are within it.
fn header_refusal(headers: &HeaderMap) -> Option<HttpResponse> {
    let size: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    (size > MAX_HEADER_BYTES).then(|| {
        text(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "the request's headers take {size} bytes, more than this service's limit of {MAX_HEADER_BYTES}; send fewer or shorter headers"
            ),
        )
    })
}

/// What an error answer without a body says.
fn explanation(status: StatusCode, headers: &HeaderMap, path: &str) -> String {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => match headers.get(header::ALLOW) {
            Some(allow) => format!(
                "{path} does not take this method; it takes {}",
                allow.to_str().unwrap_or("other methods")
            ),
            None => format!("{path} does not take this method"),
        },
        StatusCode::NOT_FOUND => format!("nothing here answers {path}"),
        _ => format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("error")
        ),
    }
}

/// The middleware; see the module documentation.
#[derive(Clone, Copy, Debug, Default)]
pub struct FrontDoor;

impl<S, B> Transform<S, ServiceRequest> for FrontDoor
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<GuardedBody>>;
    type Error = Error;
    type Transform = FrontDoorMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(FrontDoorMiddleware {
            service: Rc::new(service),
        }))
    }
}

/// The service [`FrontDoor`] wraps around an inner one.
pub struct FrontDoorMiddleware<S> {
    service: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for FrontDoorMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<GuardedBody>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let id = request_id::assign(request.request());
        let id_header = header::HeaderValue::from_str(&id).ok();
        if let Some(refused) = refusal(&request) {
            let mut refused = request.into_response(refused);
            if let Some(value) = id_header {
                refused
                    .headers_mut()
                    .insert(header::HeaderName::from_static(REQUEST_ID_HEADER), value);
            }
            return Box::pin(ready(Ok(refused.map_into_right_body())));
        }
        let what: Rc<str> = Rc::from(format!("{} [request {id}]", describe(&request)));
        let path = request.path().to_string();
        let service = Rc::clone(&self.service);
        let handled = Described {
            inner: AssertUnwindSafe(async move { service.call(request).await }.boxed_local())
                .catch_unwind(),
            what: Rc::clone(&what),
            id: Some(id),
        };
        Box::pin(async move {
            let mut response = match handled.await {
                Ok(result) => result?,
                Err(_) => {
                    // the panic hook has logged the panic with this request; the request
                    // itself went with the unwinding, so the answer is an error actix writes
                    return Err(actix_web::error::InternalError::new(
                        "the service failed on this request (an internal error, logged); \
                         please report it with the time and the request\n",
                        StatusCode::INTERNAL_SERVER_ERROR,
                    )
                    .into());
                }
            };
            if let Some(value) = id_header {
                response
                    .headers_mut()
                    .insert(header::HeaderName::from_static(REQUEST_ID_HEADER), value);
            }
            let status = response.status();
            let empty = matches!(
                response.response().body().size(),
                BodySize::None | BodySize::Sized(0)
            );
            if (status.is_client_error() || status.is_server_error()) && empty {
                let headers = response.headers().clone();
                let message = explanation(status, &headers, &path);
                let request = response.request().clone();
                let mut filled = text(status, message);
                for (name, value) in headers
                    .iter()
                    .filter(|(n, _)| *n != header::CONTENT_TYPE && *n != header::CONTENT_LENGTH)
                {
                    filled.headers_mut().insert(name.clone(), value.clone());
                }
                return Ok(ServiceResponse::new(request, filled).map_into_right_body());
            }
            Ok(response
                .map_body(move |_, body| GuardedBody {
                    body: Some(body.boxed()),
                    what,
                })
                .map_into_left_body())
        })
    }
}

/// A response body that names its request for the panic log while it is polled, and ends
/// (as an error, which aborts the transfer) instead of unwinding when it panics.
pub struct GuardedBody {
    body: Option<BoxBody>,
    what: Rc<str>,
}

impl MessageBody for GuardedBody {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.body
            .as_ref()
            .map_or(BodySize::Sized(0), MessageBody::size)
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        let Some(body) = this.body.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = working_on(&this.what, || {
            std::panic::catch_unwind(AssertUnwindSafe(|| Pin::new(&mut *body).poll_next(cx)))
        });
        match polled {
            Ok(Poll::Ready(Some(Err(e)))) => Poll::Ready(Some(Err(e.into()))),
            Ok(Poll::Ready(Some(Ok(bytes)))) => Poll::Ready(Some(Ok(bytes))),
            Ok(Poll::Ready(None)) => Poll::Ready(None),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => {
                this.body = None;
                Poll::Ready(Some(Err(
                    "the response failed while it was sent (an internal error, logged)".into(),
                )))
            }
        }
    }
}

/// Logs every panic with the request or job that was being handled on its thread, then lets
/// the default hook print it. Installed once by the server at start.
pub fn log_panics_with_their_requests() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(
            work = current_work().as_deref().unwrap_or("(no request)"),
            location,
            "panic: {message}"
        );
        default(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{test, web, App};

    async fn boom() -> HttpResponse {
        panic!("a bug in a handler")
    }

    async fn streamed_boom() -> HttpResponse {
        let mut sent = false;
        HttpResponse::Ok().streaming(futures_util::stream::poll_fn(move |_| {
            if sent {
                panic!("a bug while streaming")
            }
            sent = true;
            Poll::Ready(Some(Ok::<_, std::io::Error>(Bytes::from_static(b"first"))))
        }))
    }

    #[actix_web::test]
    async fn panics_are_500s_with_a_message_and_errors_get_a_body() {
        let app = test::init_service(
            App::new()
                .wrap(FrontDoor)
                .service(
                    web::resource("/sync")
                        .route(web::get().to(HttpResponse::Ok))
                        .route(web::post().to(HttpResponse::Ok)),
                )
                .route("/boom", web::get().to(boom))
                .route("/stream", web::get().to(streamed_boom)),
        )
        .await;
        let failed =
            test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request())
                .await
                .unwrap_err()
                .error_response();
        assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = actix_web::body::to_bytes(failed.into_body()).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("the service failed on this request"));

        // the service still answers after the panic
        let ok = test::call_service(&app, test::TestRequest::get().uri("/sync").to_request()).await;
        assert_eq!(ok.status(), StatusCode::OK);

        let response =
            test::call_service(&app, test::TestRequest::delete().uri("/sync").to_request()).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        let allow = response
            .headers()
            .get(header::ALLOW)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
        let body = String::from_utf8(test::read_body(response).await.to_vec()).unwrap();
        assert!(
            body.starts_with("/sync does not take this method; it takes"),
            "{body}"
        );

        let response =
            test::call_service(&app, test::TestRequest::get().uri("/stream").to_request()).await;
        assert_eq!(response.status(), StatusCode::OK);
        let mut body = response.into_body();
        let first = std::future::poll_fn(|cx| Pin::new(&mut body).poll_next(cx)).await;
        assert_eq!(first.unwrap().unwrap(), Bytes::from_static(b"first"));
        let second = std::future::poll_fn(|cx| Pin::new(&mut body).poll_next(cx)).await;
        assert!(
            second.unwrap().is_err(),
            "a panic while streaming ends the body with an error"
        );
    }

    #[actix_web::test]
    async fn heads_over_the_limits_and_foreign_hosts_are_refused_with_a_message() {
        let app = test::init_service(
            App::new()
                .wrap(FrontDoor)
                .route("/", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let long = format!("/?x={}", "a".repeat(MAX_URI_BYTES));
        let response =
            test::call_service(&app, test::TestRequest::get().uri(&long).to_request()).await;
        assert_eq!(response.status(), StatusCode::URI_TOO_LONG);
        assert!(String::from_utf8_lossy(&test::read_body(response).await).contains("POST body"));
        let response = test::call_service(
            &app,
            test::TestRequest::get()
                .insert_header(("X-Big", "a".repeat(MAX_HEADER_BYTES)))
                .to_request(),
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
        );
        let response = test::call_service(
            &app,
            test::TestRequest::get()
                .insert_header((header::HOST, "evil.example.com"))
                .to_request(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let response = test::call_service(&app, test::TestRequest::get().to_request()).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}
