//! Each request's id, for following one request through the logs of a fleet's balancer, its
//! nodes and PostgreSQL: a trusted proxy's `X-Request-Id`, else a new one. The front door
//! assigns it, answers it in `X-Request-Id`, names it in the request's log lines, and while
//! the request's code runs [`current_request_id`] gives it (a query puts it into
//! PostgreSQL's `application_name`).

use actix_web::HttpMessage;
use std::cell::RefCell;
use std::rc::Rc;

/// The header a request id travels in.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The longest id taken from a proxy; longer ones, or ones with other than visible ASCII
/// letters, digits and `-_.:`, are replaced by a new one.
const MAX_FORWARDED_ID: usize = 64;

/// A request's id, kept in its extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub Rc<str>);

thread_local! {
    /// The id of the request whose code runs on this thread just now.
    static CURRENT: RefCell<Option<Rc<str>>> = const { RefCell::new(None) };
}

/// The id of the request whose code runs on this thread just now, if any.
pub fn current_request_id() -> Option<String> {
    crate::thread_slot::read(&CURRENT)
}

/// Runs `poll` with `id` as the current request id; the one before is current again after,
/// also when `poll` unwinds.
pub(crate) fn with_request_id<T>(id: &Rc<str>, poll: impl FnOnce() -> T) -> T {
    crate::thread_slot::with_in(&CURRENT, id, poll)
}

/// The id of `request`: the one a trusted proxy sent, if it is a sensible one, else a new
/// one (16 hexadecimal digits, random); kept in the request's extensions.
pub(crate) fn assign(request: &actix_web::HttpRequest) -> Rc<str> {
    let forwarded = crate::ServiceAddress::of(request)
        .forwarded_header(request, REQUEST_ID_HEADER)
        .filter(|id| {
            id.len() <= MAX_FORWARDED_ID
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        });
    let id: Rc<str> = Rc::from(forwarded.unwrap_or_else(new_id));
    request.extensions_mut().insert(RequestId(Rc::clone(&id)));
    id
}

/// A new id: 64 random bits.
fn new_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_sixteen_hex_digits_and_differ() {
        let (a, b) = (new_id(), new_id());
        assert_eq!(a.len(), 16);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn the_current_id_is_the_innermost_and_restored_after() {
        assert_eq!(current_request_id(), None);
        let (outer, inner): (Rc<str>, Rc<str>) = (Rc::from("outer"), Rc::from("inner"));
        with_request_id(&outer, || {
            assert_eq!(current_request_id().as_deref(), Some("outer"));
            with_request_id(&inner, || {
                assert_eq!(current_request_id().as_deref(), Some("inner"))
            });
            assert_eq!(current_request_id().as_deref(), Some("outer"));
        });
        assert_eq!(current_request_id(), None);
    }
}
