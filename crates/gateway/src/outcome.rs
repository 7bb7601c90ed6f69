//! The outcome of a forwarded request, recorded when the destination's
//! response has been streamed to the client in full, or has failed.
//!
//! The record of the transfer itself is written before forwarding; the
//! outcome says whether the destination answered and whether its response
//! arrived whole, which a status code alone does not show once the body is
//! streaming.

use std::pin::Pin;
use std::task::{Context, Poll};

use audit::{Store, TransferOutcome};
use bytes::Bytes;
use chrono::Utc;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use uuid::Uuid;

/// Records the outcome of a request that got no response at all.
pub fn record_failure(store: &Store, transfer_id: Uuid, error: String) {
    store.record_outcome(TransferOutcome {
        transfer_id,
        completed_at: Utc::now(),
        upstream_status: None,
        error: Some(error),
    });
}

/// A destination's response body that records the transfer's outcome when
/// it ends, fails, or is dropped before its end.
#[derive(Debug)]
pub struct ObservedBody {
    inner: Incoming,
    pending: Option<Pending>,
}

#[derive(Debug)]
struct Pending {
    store: Store,
    transfer_id: Uuid,
    status: u16,
}

impl ObservedBody {
    pub fn new(inner: Incoming, store: Store, transfer_id: Uuid, status: u16) -> ObservedBody {
        ObservedBody {
            inner,
            pending: Some(Pending {
                store,
                transfer_id,
                status,
            }),
        }
    }

    fn finish(&mut self, error: Option<String>) {
        if let Some(pending) = self.pending.take() {
            pending.store.record_outcome(TransferOutcome {
                transfer_id: pending.transfer_id,
                completed_at: Utc::now(),
                upstream_status: Some(pending.status),
                error,
            });
        }
    }
}

impl Body for ObservedBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_frame(context);
        match &polled {
            Poll::Ready(None) => this.finish(None),
            Poll::Ready(Some(Err(error))) => {
                this.finish(Some(format!("the response body ended early: {error}")));
            }
            Poll::Ready(Some(Ok(_))) | Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for ObservedBody {
    fn drop(&mut self) {
        if self.inner.is_end_stream() {
            self.finish(None);
        } else {
            self.finish(Some(
                "the client stopped reading before the response ended".into(),
            ));
        }
    }
}
