//! A per-client limit on requests in flight, as actix-web middleware:
//! `App::new().wrap(ClientLimit::new(8))`.
//!
//! Every request holds one of its client's slots from when it enters until its response body
//! has been completely sent or dropped — a streamed TAP result can run for minutes, and it
//! holds a database connection and a worker the whole time. Without a limit one user (or one
//! script looping over a target list) could start enough long queries at once to take every
//! connection and starve everyone else. A request over its client's limit is answered at once
//! with 429 Too Many Requests and `Retry-After: 1`, without reaching the endpoint; long queries
//! belong in asynchronous jobs (`/tap/async`), which the job queue schedules.
//!
//! The count is shared by every clone of one `ClientLimit`, so build it once, outside the
//! `HttpServer::new` closure, and clone it into each worker's `App`: a `ClientLimit::new` per
//! worker would count per worker thread instead of per server.

use std::collections::HashMap;
use std::future::{ready, Ready};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header;
use actix_web::{Error, HttpResponse};
use futures_util::future::LocalBoxFuture;

/// Requests in flight per client key. A key is removed when its count reaches 0, so the map
/// holds only clients with something in flight.
type Counts = Arc<Mutex<HashMap<String, usize>>>;

/// Who a request counts against: its client as [`crate::ServiceAddress::client`] says (the
/// peer's address; behind a configured trusted proxy, the forwarded client). Forwarding
/// headers from anyone else are ignored: a client could otherwise escape its limit by
/// claiming a new address on each request, or use up somebody else's slots.
fn client_key(req: &ServiceRequest) -> String {
    crate::client_of(req.request())
}

fn lock(counts: &Mutex<HashMap<String, usize>>) -> MutexGuard<'_, HashMap<String, usize>> {
    // The critical sections cannot panic half-way, so a poisoned map is still consistent.
    counts.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Middleware limiting each client to `max_in_flight` requests at once (0: no limit).
/// Clones share their counts.
#[derive(Clone, Debug)]
pub struct ClientLimit {
    max_in_flight: usize,
    counts: Counts,
}

impl ClientLimit {
    /// At most `max_in_flight` requests from one client at once; 0 means no limit.
    pub fn new(max_in_flight: usize) -> Self {
        ClientLimit {
            max_in_flight,
            counts: Counts::default(),
        }
    }

    /// The limit per client (0: none).
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }

    /// How many requests from `client` (a key as [`client_key`] makes it, e.g. `10.1.2.3`)
    /// are in flight now. Always 0 when there is no limit: nothing is counted then.
    pub fn in_flight(&self, client: &str) -> usize {
        lock(&self.counts).get(client).copied().unwrap_or(0)
    }

    /// How many clients have requests in flight (the size of the map).
    #[cfg(test)]
    fn clients(&self) -> usize {
        lock(&self.counts).len()
    }

    /// Takes a slot for `client`: `Ok(Some(guard))` holding it, `Ok(None)` when there is no
    /// limit, `Err(client)` when the client already has `max_in_flight` requests in flight.
    fn admit(&self, client: String) -> Result<Option<InFlightGuard>, String> {
        if self.max_in_flight == 0 {
            return Ok(None);
        }
        let mut counts = lock(&self.counts);
        let count = counts.entry(client.clone()).or_insert(0);
        // A new entry is 0 < max_in_flight, so a refusal never leaves a 0 entry behind.
        if *count >= self.max_in_flight {
            return Err(client);
        }
        *count += 1;
        drop(counts);
        Ok(Some(InFlightGuard {
            counts: Arc::clone(&self.counts),
            client,
        }))
    }
}

/// One request's slot; gives it back when dropped.
#[derive(Debug)]
struct InFlightGuard {
    counts: Counts,
    client: String,
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        let mut counts = lock(&self.counts);
        if let Some(count) = counts.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.client);
            }
        }
    }
}

/// The 429 answer to a request over its client's limit.
fn too_many(client: &str, max_in_flight: usize) -> HttpResponse {
    HttpResponse::TooManyRequests()
        .insert_header((header::RETRY_AFTER, "1"))
        .content_type("text/plain; charset=utf-8")
        .body(format!(
            "too many requests at once from {client}: at most {max_in_flight} may run \
             together; wait for one to finish, or use an asynchronous job (/tap/async) for \
             long queries\n"
        ))
}

impl<S, B> Transform<S, ServiceRequest> for ClientLimit
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<crate::ObservedBody>>;
    type Error = Error;
    type Transform = ClientLimitMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ClientLimitMiddleware {
            service,
            limit: self.clone(),
        }))
    }
}

/// The service [`ClientLimit`] wraps around an inner one.
pub struct ClientLimitMiddleware<S> {
    service: S,
    limit: ClientLimit,
}

impl<S, B> Service<ServiceRequest> for ClientLimitMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<crate::ObservedBody>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let guard = match self.limit.admit(client_key(&req)) {
            Ok(guard) => guard,
            Err(client) => {
                tracing::info!(
                    client = %client,
                    limit = self.limit.max_in_flight,
                    "refused: too many requests in flight"
                );
                let response = too_many(&client, self.limit.max_in_flight);
                return Box::pin(ready(Ok(req.into_response(response).map_into_right_body())));
            }
        };
        // The guard moves into the future (dropped with it if the request is abandoned or
        // fails) and from there into the response body.
        let response = self.service.call(req);
        Box::pin(async move {
            let response = response.await?;
            Ok(response
                // the slot is held until the answer's body has ended
                .map_body(move |_, body| {
                    crate::ObservedBody::new(body.boxed(), move |_| drop(guard))
                })
                .map_into_left_body())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::UNKNOWN_CLIENT;
    use actix_web::body::to_bytes;
    use actix_web::http::StatusCode;
    use actix_web::{test, web, App};
    use bytes::Bytes;
    use std::collections::VecDeque;
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::sync::mpsc;

    type Chunk = Result<Bytes, std::io::Error>;

    /// What the test handler streams: one receiver per request, in order, and how many
    /// requests reached it.
    #[derive(Default)]
    struct Bodies {
        receivers: Mutex<VecDeque<mpsc::Receiver<Chunk>>>,
        calls: AtomicUsize,
    }

    /// A handler whose body streams whatever the test sends, until the sender is dropped.
    async fn streamed(bodies: web::Data<Bodies>) -> HttpResponse {
        bodies.calls.fetch_add(1, Ordering::SeqCst);
        let mut receiver = bodies
            .receivers
            .lock()
            .unwrap()
            .pop_front()
            .expect("a body prepared for each request that reaches the handler");
        HttpResponse::Ok().streaming(futures_util::stream::poll_fn(move |cx| {
            receiver.poll_recv(cx)
        }))
    }

    /// `n` bodies for the handler, and the senders that control them.
    fn bodies(n: usize) -> (web::Data<Bodies>, Vec<mpsc::Sender<Chunk>>) {
        let bodies = web::Data::new(Bodies::default());
        let mut senders = Vec::new();
        for _ in 0..n {
            let (sender, receiver) = mpsc::channel(4);
            bodies.receivers.lock().unwrap().push_back(receiver);
            senders.push(sender);
        }
        (bodies, senders)
    }

    /// A request from `peer` (`ip:port`).
    fn from(peer: &str) -> test::TestRequest {
        let peer: SocketAddr = peer.parse().unwrap();
        test::TestRequest::default().uri("/").peer_addr(peer)
    }

    const A: &str = "10.1.2.3";

    #[actix_web::test]
    async fn third_request_from_one_client_is_refused_until_one_finishes() {
        let limit = ClientLimit::new(2);
        let (bodies, mut senders) = bodies(4);
        let app = test::init_service(
            App::new()
                .app_data(bodies.clone())
                .wrap(limit.clone())
                .route("/", web::get().to(streamed)),
        )
        .await;

        // Two requests from A (different connections, so different ports), bodies unfinished.
        let first = test::call_service(&app, from("10.1.2.3:40001").to_request()).await;
        let second = test::call_service(&app, from("10.1.2.3:40002").to_request()).await;
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(second.status(), StatusCode::OK);
        assert_eq!(limit.in_flight(A), 2);

        // The third from A is refused at once, without reaching the handler.
        let third = test::call_service(&app, from("10.1.2.3:40003").to_request()).await;
        assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(third.headers().get(header::RETRY_AFTER).unwrap(), "1");
        assert_eq!(
            third.headers().get(header::CONTENT_TYPE).unwrap(),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            test::read_body(third).await,
            "too many requests at once from 10.1.2.3: at most 2 may run together; wait for \
             one to finish, or use an asynchronous job (/tap/async) for long queries\n"
        );
        assert_eq!(bodies.calls.load(Ordering::SeqCst), 2);
        assert_eq!(limit.in_flight(A), 2);

        // Another client is served meanwhile.
        let other = test::call_service(&app, from("10.9.8.7:5000").to_request()).await;
        assert_eq!(other.status(), StatusCode::OK);
        assert_eq!(limit.in_flight("10.9.8.7"), 1);

        // Finishing the first body gives its slot back, even before the body is dropped.
        senders[0]
            .send(Ok(Bytes::from_static(b"rows")))
            .await
            .unwrap();
        drop(senders.remove(0));
        let mut first_body = first.into_body();
        assert_eq!(to_bytes(&mut first_body).await.unwrap(), "rows");
        assert_eq!(limit.in_flight(A), 1);

        // So A is served again, and is at its limit again.
        let fourth = test::call_service(&app, from("10.1.2.3:40004").to_request()).await;
        assert_eq!(fourth.status(), StatusCode::OK);
        assert_eq!(limit.in_flight(A), 2);
        let fifth = test::call_service(&app, from("10.1.2.3:40005").to_request()).await;
        assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);

        // Dropping an unfinished body (the client went away) gives its slot back too.
        drop(second);
        assert_eq!(limit.in_flight(A), 1);
        drop((first_body, fourth, other, senders));
        assert_eq!(limit.in_flight(A), 0);
        assert_eq!(limit.clients(), 0);
    }

    #[actix_web::test]
    async fn limit_zero_never_refuses() {
        let limit = ClientLimit::new(0);
        let (bodies, _senders) = bodies(20);
        let app = test::init_service(
            App::new()
                .app_data(bodies.clone())
                .wrap(limit.clone())
                .route("/", web::get().to(streamed)),
        )
        .await;
        let mut open = Vec::new();
        for port in 0..20 {
            let response = test::call_service(
                &app,
                from(&format!("10.1.2.3:{}", 40000 + port)).to_request(),
            )
            .await;
            assert_eq!(response.status(), StatusCode::OK);
            open.push(response);
        }
        assert_eq!(bodies.calls.load(Ordering::SeqCst), 20);
        assert_eq!(limit.clients(), 0, "nothing is counted without a limit");
    }

    #[actix_web::test]
    async fn map_is_empty_once_every_response_is_gone() {
        let limit = ClientLimit::new(3);
        let (bodies, mut senders) = bodies(7);
        let app = test::init_service(
            App::new()
                .app_data(bodies.clone())
                .wrap(limit.clone())
                .route("/", web::get().to(streamed)),
        )
        .await;
        let mut open = Vec::new();
        for peer in ["10.0.0.1:1", "10.0.0.1:2", "[2001:db8::1]:3", "10.0.0.2:4"] {
            open.push(test::call_service(&app, from(peer).to_request()).await);
        }
        // No peer address: all such requests share one key.
        for _ in 0..3 {
            let request = test::TestRequest::default().uri("/").to_request();
            open.push(test::call_service(&app, request).await);
        }
        let refused = test::call_service(&app, test::TestRequest::default().to_request()).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(open.iter().all(|r| r.status() == StatusCode::OK));
        assert_eq!(limit.in_flight("10.0.0.1"), 2);
        assert_eq!(
            limit.in_flight("2001:db8:0:0::/64"),
            1,
            "IPv6 clients are counted by /64"
        );
        assert_eq!(limit.in_flight(UNKNOWN_CLIENT), 3);
        assert_eq!(limit.clients(), 4);
        drop(refused);

        // Some bodies run to their end, the others are dropped unfinished.
        for (response, sender) in open.drain(..3).zip(senders.drain(..3)) {
            sender.send(Ok(Bytes::from_static(b"x"))).await.unwrap();
            drop(sender);
            assert_eq!(test::read_body(response).await, "x");
        }
        assert_eq!(limit.clients(), 2);
        drop(open);
        assert_eq!(limit.clients(), 0);
    }
}
