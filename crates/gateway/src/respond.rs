//! Responses that Tollgate produces itself: refusals (blocked, held, body
//! too large, malformed request) and upstream failures.
//!
//! Each carries `Tollgate-Transfer-Id`, `Tollgate-Decision` and
//! `Tollgate-Reason`, and a JSON body with `decision`, `reason`,
//! `transfer_id`, and for holds `hold_id` and the legal risk notice.

use std::convert::Infallible;

use audit::Decision;
use bytes::Bytes;
use http::header::{self, HeaderValue};
use http::{Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Empty, Full};
use serde::Serialize;
use uuid::Uuid;

use crate::headers;
use crate::notice::Notice;

/// The body type of every response the proxy sends: either bytes Tollgate
/// made or the destination's body streamed through.
pub type ResponseBody = BoxBody<Bytes, hyper::Error>;

/// The JSON body of a refusal.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub decision: Decision,
    pub reason: String,
    pub transfer_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold_id: Option<Uuid>,
    /// Personal-data categories found in the request.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<inspect::Category>,
    /// The legal risk notice for the operator and the approvers, in
    /// English and Chinese.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
}

/// Builds the response for a refusal with `status` (403 for policy
/// decisions, 413, 400 or 502 for the others).
pub fn refusal(status: StatusCode, refusal: &Refusal, close: bool) -> Response<ResponseBody> {
    let mut body = serde_json::to_vec_pretty(refusal).expect("a refusal serialises");
    body.push(b'\n');
    let mut response = Response::new(full(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if close {
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    headers.insert(headers::REASON, headers::reason_value(&refusal.reason));
    mark(&mut response, refusal.transfer_id, refusal.decision);
    response
}

/// Sets `Tollgate-Transfer-Id` and `Tollgate-Decision`, replacing any that a
/// destination sent.
pub fn mark<B>(response: &mut Response<B>, transfer_id: Uuid, decision: Decision) {
    let headers = response.headers_mut();
    headers.insert(
        headers::TRANSFER_ID,
        HeaderValue::from_str(&transfer_id.to_string()).expect("a uuid is a valid header value"),
    );
    headers.insert(
        headers::DECISION,
        HeaderValue::from_static(decision.as_str()),
    );
}

/// The empty `200` that opens an accepted tunnel. It carries no decision:
/// each request inside the tunnel gets its own.
pub fn tunnel_established() -> Response<ResponseBody> {
    Response::new(empty())
}

pub fn full(bytes: impl Into<Bytes>) -> ResponseBody {
    Full::new(bytes.into())
        .map_err(|never: Infallible| match never {})
        .boxed()
}

pub fn empty() -> ResponseBody {
    Empty::new()
        .map_err(|never: Infallible| match never {})
        .boxed()
}
