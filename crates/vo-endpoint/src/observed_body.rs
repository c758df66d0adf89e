//! A response body that says when it ends: after its last chunk, after an error, or when it
//! is dropped unfinished (the client left) — once, with the bytes it gave. What holds a
//! request's resources until its answer is sent (a client's slot) or counts answers (the
//! server's metrics) waits on this instead of on the handler.

use actix_web::body::{BodySize, BoxBody, MessageBody};
use bytes::Bytes;
use std::pin::Pin;
use std::task::{Context, Poll};

/// How a body ended: the bytes it gave, and whether it gave all it had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyEnd {
    pub bytes: u64,
    pub whole: bool,
}

/// `body`, calling `on_end` once when it ends.
pub struct ObservedBody {
    body: BoxBody,
    bytes: u64,
    on_end: Option<Box<dyn FnOnce(BodyEnd)>>,
}

impl ObservedBody {
    pub fn new(body: BoxBody, on_end: impl FnOnce(BodyEnd) + 'static) -> ObservedBody {
        ObservedBody {
            body,
            bytes: 0,
            on_end: Some(Box::new(on_end)),
        }
    }

    fn end(&mut self, whole: bool) {
        if let Some(on_end) = self.on_end.take() {
            on_end(BodyEnd {
                bytes: self.bytes,
                whole,
            });
        }
    }
}

impl MessageBody for ObservedBody {
    type Error = <BoxBody as MessageBody>::Error;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        // BoxBody is Unpin, and so is this
        let this = self.get_mut();
        let next = Pin::new(&mut this.body).poll_next(cx);
        match &next {
            Poll::Ready(Some(Ok(chunk))) => this.bytes += chunk.len() as u64,
            Poll::Ready(None) => this.end(true),
            Poll::Ready(Some(Err(_))) => this.end(false),
            Poll::Pending => {}
        }
        next
    }
}

impl Drop for ObservedBody {
    fn drop(&mut self) {
        // a body with nothing in it is never polled: it was sent whole
        let empty = matches!(self.body.size(), BodySize::None | BodySize::Sized(0));
        self.end(empty);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    fn observed(body: BoxBody) -> (ObservedBody, Rc<RefCell<Vec<BodyEnd>>>) {
        let ends = Rc::new(RefCell::new(Vec::new()));
        let seen = ends.clone();
        (
            ObservedBody::new(body, move |end| seen.borrow_mut().push(end)),
            ends,
        )
    }

    #[actix_web::test]
    async fn a_body_read_to_its_end_ends_once_whole_with_its_bytes() {
        let (body, ends) = observed(BoxBody::new("twelve bytes"));
        let read = actix_web::body::to_bytes(body).await.unwrap();
        assert_eq!(read.len(), 12);
        assert_eq!(
            *ends.borrow(),
            vec![BodyEnd {
                bytes: 12,
                whole: true
            }]
        );
    }

    #[test]
    fn a_body_dropped_unread_ends_cut_short_and_an_empty_one_whole() {
        let (body, ends) = observed(BoxBody::new("not read"));
        drop(body);
        assert_eq!(
            *ends.borrow(),
            vec![BodyEnd {
                bytes: 0,
                whole: false
            }]
        );
        let (empty, ends) = observed(BoxBody::new(()));
        drop(empty);
        assert!(ends.borrow()[0].whole);
    }
}
