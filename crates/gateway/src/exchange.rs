//! One HTTP request through the gateway: read the body, inspect it, decide,
//! write the transfer record, then forward or refuse.
//!
//! The record is committed before the first byte goes upstream, and a
//! request whose record cannot be written is refused, so the log never
//! misses a transfer that happened.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use audit::Decision;
use bytes::Bytes;
use certs::CertificateSubject;
use chrono::Utc;
use http::header::{self, HeaderValue};
use http::request::Parts;
use http::uri::PathAndQuery;
use http::{HeaderMap, Method, Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use inspect::{InspectError, MaskedRequest, Report};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;
use whitelist::{DataPolicy, Destination, HostName, MechanismKind, Regime};

use crate::decide::{self, Verdict};
use crate::exporter::{self, Exporter};
use crate::gateway::{BODY_BUDGET_UNIT, Gateway};
use crate::headers;
use crate::notice::{self, NoticeFacts};
use crate::outcome::{self, ObservedBody};
use crate::policy::Policy;
use crate::record::{self, Facts};
use crate::respond::{self, Refusal, ResponseBody};
use crate::target::{self, Target};
use crate::telemetry;
use crate::upstream::{self, Route, Scheme, UpstreamSlot};

/// Time allowed to receive a whole request body, so a client that stalls
/// mid-body cannot pin a buffer forever.
const BODY_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// The client connection a request came on, as the gateway sees it.
#[derive(Debug)]
pub struct ClientContext {
    pub client: SocketAddr,
    /// The subject of the client's certificate, verified when the proxy
    /// listener requires client certificates.
    pub certificate: Option<Arc<CertificateSubject>>,
    /// Set for requests inside an intercepted `CONNECT` tunnel.
    pub tunnel: Option<Tunnel>,
    /// The destination connection this client connection reuses.
    pub upstream: UpstreamSlot,
}

/// The authorised target of a `CONNECT` tunnel.
#[derive(Debug, Clone)]
pub struct Tunnel {
    pub scheme: Scheme,
    pub host: HostName,
    pub port: u16,
    /// Addresses resolved and checked when the tunnel was opened.
    pub addresses: Vec<SocketAddr>,
    /// The proxy user name the `CONNECT` carried, which maps the tunnel's
    /// requests to their exporter.
    pub proxy_user: Option<String>,
    /// The client certificate of the connection the `CONNECT` came on.
    pub certificate: Option<Arc<CertificateSubject>>,
}

/// A refusal: the verdict, the status to answer with, and the matched
/// destination when there was one.
#[derive(Debug)]
pub struct Outcome<'a> {
    verdict: Verdict,
    status: StatusCode,
    destination: Option<&'a Destination>,
    /// Whether to close the client connection after the response, because
    /// the request's body was not read to its end or its framing is suspect.
    close: bool,
}

impl<'a> Outcome<'a> {
    pub fn refuse(verdict: Verdict, status: StatusCode) -> Outcome<'a> {
        Outcome {
            verdict,
            status,
            destination: None,
            close: false,
        }
    }

    pub fn blocked(reason: impl Into<String>, status: StatusCode) -> Outcome<'a> {
        Outcome::refuse(
            Verdict {
                decision: Decision::Blocked,
                reason: reason.into(),
                mechanism_id: None,
            },
            status,
        )
    }

    pub fn for_destination(mut self, destination: &'a Destination) -> Outcome<'a> {
        self.destination = Some(destination);
        self
    }

    fn closing(mut self) -> Outcome<'a> {
        self.close = true;
        self
    }
}

/// Handles one request that is not a `CONNECT`.
pub async fn handle(
    gateway: Arc<Gateway>,
    context: Arc<ClientContext>,
    request: Request<Incoming>,
) -> Response<ResponseBody> {
    let scheme = context.tunnel.as_ref().map_or(Scheme::Http, |t| t.scheme);
    let mut facts = Facts::new(context.client, request.method(), scheme);
    let policy = gateway.policy();
    let (parts, body) = request.into_parts();
    let proxy_user = match &context.tunnel {
        Some(tunnel) => tunnel.proxy_user.clone(),
        None => exporter::proxy_user(&parts.headers),
    };
    facts.exporter = policy
        .exporters
        .select_for(
            context.client.ip(),
            context.certificate.as_deref(),
            proxy_user.as_deref(),
        )
        .cloned();

    let target = match target::target_of(&parts, context.tunnel.as_ref()) {
        Ok(target) => target,
        Err(reason) => {
            facts.host = target::host_hint(&parts);
            let outcome = Outcome::blocked(reason, StatusCode::BAD_REQUEST);
            return refuse(&gateway, &policy, facts, outcome).await;
        }
    };
    facts.scheme = target.scheme;
    facts.host = target.host.to_string();
    facts.port = target.port;
    facts.path = target.path.clone();

    if let Some(reason) = target::framing_problem(&parts.method, &parts.headers) {
        let outcome = Outcome::blocked(reason, StatusCode::BAD_REQUEST).closing();
        return refuse(&gateway, &policy, facts, outcome).await;
    }

    let limits = BodyLimits {
        max_body_bytes: gateway.max_body_bytes(),
        max_buffered_bytes: gateway.max_buffered_bytes(),
        budget: gateway.body_budget(),
    };
    // The reservation lives until the response is produced, so the bytes
    // it covers count against the budget while they are held.
    let (body, _reservation) = match read_body(&parts.headers, body, &limits).await {
        Ok(body) => body,
        Err(problem) => {
            let outcome = Outcome::blocked(problem.reason, problem.status).closing();
            return refuse(&gateway, &policy, facts, outcome).await;
        }
    };
    facts.body_bytes = body.len() as u64;
    facts.body_sha256 = audit::body_sha256(&body);

    let identity_key = counts_volumes(facts.exporter.as_ref()).then(|| gateway.identity_key());
    let work_bytes = inspected_bytes(gateway.inspector(), &parts, body.len());
    let inspection = gateway
        .cpu_work()
        .run(work_bytes, || {
            inspect_request(&gateway, &parts, &target, &body, identity_key)
        })
        .await;
    facts.report = inspection.as_ref().ok().cloned();

    let today = facts.time.date_naive();
    let destination = match decide::check_destination(&policy, &target.host, target.port, today) {
        Ok(destination) => destination,
        Err(verdict) => {
            let outcome = Outcome::refuse(verdict, StatusCode::FORBIDDEN);
            return refuse(&gateway, &policy, facts, outcome).await;
        }
    };
    let addresses = match route_addresses(&policy, &context, &target).await {
        Ok(addresses) => addresses,
        Err(error) => {
            let outcome = Outcome::blocked(error.to_string(), StatusCode::BAD_GATEWAY)
                .for_destination(destination);
            return refuse(&gateway, &policy, facts, outcome).await;
        }
    };
    if let Err(verdict) = decide::check_addresses(destination, &addresses) {
        let outcome = Outcome::refuse(verdict, StatusCode::FORBIDDEN).for_destination(destination);
        return refuse(&gateway, &policy, facts, outcome).await;
    }

    let uses = mechanism_uses(&gateway, &policy, destination, facts.transfer_id).await;
    let mechanism_uses = match uses {
        Ok(uses) => uses,
        Err(response) => return response,
    };
    let tally = pipl_tally(&facts, destination);
    let pipl = match &tally {
        Some(tally) => match gateway.store().project_pipl(tally.clone()).await {
            Ok(projection) => Some(projection),
            Err(error) => return record::store_failure(&gateway, facts.transfer_id, &error),
        },
        None => None,
    };
    let masking = match &inspection {
        Ok(report) if report.personal_data && destination.data == DataPolicy::Masked => {
            let masked = gateway.cpu_work().run(work_bytes, || {
                with_inspect_request(&parts, &target, &body, None, |request| {
                    gateway.inspector().mask_request(request)
                })
            });
            Some(masked.await)
        }
        _ => None,
    };
    let input = decide::TransferInput {
        exporter: facts.exporter.as_ref(),
        destination,
        inspection: inspection.as_ref(),
        today,
        mechanism_uses,
        pipl,
        masking: masking.as_ref().map(Result::as_ref),
    };
    let verdict = decide::decide_transfer(&policy, &input);
    let (parts, body, tally) = match (verdict.decision, masking) {
        (Decision::Allowed, _) => (parts, body, tally),
        // A masked copy carries no identifiers, so its individuals are not
        // counted as sent abroad.
        (Decision::Masked, Some(Ok(masked))) => {
            let (parts, body) = masked_parts(parts, masked);
            (parts, body, None)
        }
        _ => {
            let outcome =
                Outcome::refuse(verdict, StatusCode::FORBIDDEN).for_destination(destination);
            return refuse(&gateway, &policy, facts, outcome).await;
        }
    };

    let record = record::build_record(&gateway, &facts, Some(destination), &verdict, None, None);
    if let Err(response) = record::commit_counted(&gateway, record, tally).await {
        return response;
    }
    let route = Route {
        scheme: target.scheme,
        host: target.host.clone(),
        port: target.port,
        addresses,
    };
    let upstream_request = upstream_request(parts, &target, body);
    forward(
        &gateway,
        &policy,
        &context,
        &facts,
        &route,
        upstream_request,
        verdict.decision,
    )
    .await
}

/// Replaces the path, query, headers and body of a request with their
/// masked copies. The body is sent without its content coding and without
/// digests of the original body, which no longer match.
fn masked_parts(mut parts: Parts, masked: MaskedRequest) -> (Parts, Bytes) {
    let path_and_query = match &masked.query {
        Some(query) => format!("{}?{query}", masked.path),
        None => masked.path.clone(),
    };
    // Masks are percent-encoded, so the masked path is as valid as the
    // original; the original stays if it somehow is not.
    if let Ok(path_and_query) = PathAndQuery::try_from(path_and_query) {
        let mut uri = parts.uri.clone().into_parts();
        uri.path_and_query = Some(path_and_query);
        if let Ok(uri) = Uri::from_parts(uri) {
            parts.uri = uri;
        }
    }
    let mut headers = HeaderMap::with_capacity(masked.headers.len());
    for (name, value) in masked.headers {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(&value),
        ) {
            headers.append(name, value);
        }
    }
    for stale in [
        header::CONTENT_ENCODING.as_str(),
        "content-md5",
        "digest",
        "content-digest",
        "repr-digest",
    ] {
        headers.remove(stale);
    }
    parts.headers = headers;
    (parts, Bytes::from(masked.body))
}

struct BodyProblem {
    status: StatusCode,
    reason: String,
}

/// Largest first allocation for a body, whatever length it declares.
const INITIAL_BODY_CAPACITY: usize = 64 * 1024;

/// The limits on buffering one request body.
struct BodyLimits<'a> {
    max_body_bytes: u64,
    max_buffered_bytes: u64,
    budget: &'a Arc<Semaphore>,
}

/// Permits of the body budget held for one buffered body.
struct Reservation {
    budget: Arc<Semaphore>,
    permit: Option<OwnedSemaphorePermit>,
}

impl Reservation {
    /// Extends the reservation to cover `bytes`, or returns false when the
    /// budget has no room left.
    fn cover(&mut self, bytes: u64) -> bool {
        let needed = usize::try_from(bytes.div_ceil(BODY_BUDGET_UNIT)).unwrap_or(usize::MAX);
        let held = self
            .permit
            .as_ref()
            .map_or(0, OwnedSemaphorePermit::num_permits);
        if needed <= held {
            return true;
        }
        let Ok(more) = u32::try_from(needed - held) else {
            return false;
        };
        match Arc::clone(&self.budget).try_acquire_many_owned(more) {
            Ok(permit) => {
                match &mut self.permit {
                    Some(held) => held.merge(permit),
                    None => self.permit = Some(permit),
                }
                true
            }
            Err(_) => false,
        }
    }
}

/// Buffers the whole body, up to `max_body_bytes`, while the bodies of all
/// requests together stay within `max_buffered_bytes`. The budget covers
/// bytes as they arrive, not the declared length, so clients that announce
/// large bodies and stall hold only what they sent.
async fn read_body(
    headers: &HeaderMap,
    mut body: Incoming,
    limits: &BodyLimits<'_>,
) -> Result<(Bytes, Reservation), BodyProblem> {
    let limit = limits.max_body_bytes;
    let too_large = || BodyProblem {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        reason: format!("request body exceeds max_body_bytes ({limit} bytes)"),
    };
    let busy = || BodyProblem {
        status: StatusCode::SERVICE_UNAVAILABLE,
        reason: format!(
            "Tollgate is already buffering max_buffered_bytes ({} bytes) of request bodies; \
             retry shortly",
            limits.max_buffered_bytes
        ),
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let mut reservation = Reservation {
        budget: Arc::clone(limits.budget),
        permit: None,
    };

    // The buffer grows with the bytes received; a declared length only
    // sizes its first allocation, up to INITIAL_BODY_CAPACITY.
    let capacity = usize::try_from(declared.unwrap_or(0))
        .unwrap_or(0)
        .min(INITIAL_BODY_CAPACITY);
    let read = async {
        let mut buffer = Vec::with_capacity(capacity);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|error| BodyProblem {
                status: StatusCode::BAD_REQUEST,
                reason: format!("request body could not be read: {}", error_chain(&error)),
            })?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            let length = (buffer.len() + data.len()) as u64;
            if length > limit {
                return Err(too_large());
            }
            if !reservation.cover(length) {
                return Err(busy());
            }
            buffer.extend_from_slice(&data);
        }
        Ok(Bytes::from(buffer))
    };
    match tokio::time::timeout(BODY_READ_TIMEOUT, read).await {
        Err(_) => Err(BodyProblem {
            status: StatusCode::REQUEST_TIMEOUT,
            reason: format!(
                "request body not received within {} s",
                BODY_READ_TIMEOUT.as_secs()
            ),
        }),
        Ok(Ok(body)) => Ok((body, reservation)),
        Ok(Err(problem)) => Err(problem),
    }
}

/// Renders an error with its sources, since hyper's own message for a
/// broken chunked body ("error reading a body from connection") does not
/// say what was wrong.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Whether the exporter's law sets yearly volume thresholds (PIPL), so the
/// request's individuals must be identified for counting.
fn counts_volumes(exporter: Option<&Exporter>) -> bool {
    exporter.is_some_and(|exporter| Regime::of(exporter.country) == Regime::Pipl)
}

/// The individuals this request adds to its exporter's yearly PIPL count:
/// only for a PIPL exporter sending personal data abroad to a destination
/// without an exemption.
fn pipl_tally(facts: &Facts, destination: &Destination) -> Option<audit::PiplTally> {
    let exporter = facts
        .exporter
        .as_ref()
        .filter(|e| counts_volumes(Some(e)))?;
    let report = facts
        .report
        .as_ref()
        .filter(|report| report.personal_data)?;
    if !whitelist::is_cross_border(exporter.country, destination.country)
        || destination.pipl_exemption.is_some()
        || report.subject_keys.is_empty()
    {
        return None;
    }
    Some(audit::PiplTally {
        exporter: exporter.label(),
        year: chrono::Datelike::year(&facts.time),
        subjects: report.subject_keys.clone(),
    })
}

/// Returns the bytes an inspection of a body of `body_bytes` may read, for
/// [`crate::cpu_work::CpuWork::run`]. A body under a `Content-Encoding`
/// may expand by the inspector's maximum ratio, so a 60 KiB gzip body that
/// decodes to 6 MiB takes a permit like a 6 MiB body.
fn inspected_bytes(inspector: &inspect::Inspector, parts: &Parts, body_bytes: usize) -> usize {
    if parts.headers.contains_key(header::CONTENT_ENCODING) {
        body_bytes.saturating_mul(inspector.limits().max_expansion_ratio)
    } else {
        body_bytes
    }
}

fn inspect_request(
    gateway: &Gateway,
    parts: &Parts,
    target: &Target,
    body: &Bytes,
    identity_key: Option<&[u8; 32]>,
) -> Result<Report, InspectError> {
    let started = Instant::now();
    let result = with_inspect_request(parts, target, body, identity_key, |request| {
        gateway.inspector().inspect(request)
    });
    if let Ok(report) = &result {
        telemetry::observe_inspection(report, started.elapsed());
    }
    result
}

/// Calls `inspect` with the request in the inspector's form: the path and
/// query that were decided on, the headers, and the body as received.
fn with_inspect_request<T>(
    parts: &Parts,
    target: &Target,
    body: &[u8],
    identity_key: Option<&[u8; 32]>,
    inspect: impl FnOnce(&inspect::Request<'_>) -> T,
) -> T {
    let content_encoding = target::content_encoding(&parts.headers);
    // `framing_problem` has rejected a Content-Type that is repeated or not
    // ASCII, so the first value is the only one.
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let headers: Vec<(&str, &[u8])> = parts
        .headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()))
        .collect();
    let request = inspect::Request {
        path: &target.path,
        query: target.query.as_deref(),
        content_type,
        content_encoding: content_encoding.as_deref(),
        headers: &headers,
        body,
        today: Some(Utc::now().date_naive()),
        identity_key,
    };
    inspect(&request)
}

/// Counts earlier transfers under the destination's mechanism when it is a
/// derogation, whose approvers must see how often it was used; other kinds
/// skip the query. A store failure blocks the request like a failed record.
async fn mechanism_uses(
    gateway: &Gateway,
    policy: &Policy,
    destination: &Destination,
    transfer_id: Uuid,
) -> Result<u64, Response<ResponseBody>> {
    let Some(mechanism) = destination
        .mechanism
        .as_deref()
        .and_then(|id| policy.mechanisms.get(id))
        .filter(|mechanism| mechanism.kind == MechanismKind::Derogation)
    else {
        return Ok(0);
    };
    gateway
        .store()
        .count_allowed(&mechanism.id)
        .await
        .map_err(|error| record::store_failure(gateway, transfer_id, &error))
}

/// The addresses to dial: those checked when the tunnel opened, or a fresh
/// resolution for a plain request.
async fn route_addresses(
    policy: &Policy,
    context: &ClientContext,
    target: &Target,
) -> Result<Vec<SocketAddr>, upstream::UpstreamError> {
    match &context.tunnel {
        Some(tunnel) => Ok(tunnel.addresses.clone()),
        None => upstream::resolve(policy, &target.host, target.port).await,
    }
}

/// Rewrites the request for the destination: origin-form target, no
/// hop-by-hop headers, no approval token, the buffered body with its length.
fn upstream_request(mut parts: Parts, target: &Target, body: Bytes) -> Request<Full<Bytes>> {
    // The path and query that were inspected, unchanged, in origin-form.
    let path_and_query = parts
        .uri
        .path_and_query()
        .cloned()
        .unwrap_or_else(|| PathAndQuery::from_static("/"));
    parts.uri = Uri::from(path_and_query);

    headers::remove_hop_by_hop(&mut parts.headers);
    headers::remove_tollgate_headers(&mut parts.headers);

    // The destination gets the host that was decided, never the client's
    // own Host value. Behind a shared front end, Host selects the tenant, so
    // a different value would send the data somewhere that was not checked.
    // RFC 9112 section 3.2.2 also asks a proxy to replace it.
    let host = if target.port == target.scheme.default_port() {
        authority_host(&target.host)
    } else {
        format!("{}:{}", authority_host(&target.host), target.port)
    };
    let host = HeaderValue::from_str(&host).expect("a normalised host is a valid header value");
    parts.headers.insert(header::HOST, host);

    if body.is_empty() && !method_expects_body(&parts.method) {
        parts.headers.remove(header::CONTENT_LENGTH);
    } else {
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    }
    headers::append_via(&mut parts.headers);
    parts.version = http::Version::HTTP_11;
    Request::from_parts(parts, Full::new(body))
}

fn authority_host(host: &HostName) -> String {
    match host.ip() {
        Some(std::net::IpAddr::V6(ip)) => format!("[{ip}]"),
        _ => host.to_string(),
    }
}

fn method_expects_body(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH)
}

async fn forward(
    gateway: &Gateway,
    policy: &Policy,
    context: &ClientContext,
    facts: &Facts,
    route: &Route,
    request: Request<Full<Bytes>>,
    decision: Decision,
) -> Response<ResponseBody> {
    let started = Instant::now();
    let result = context
        .upstream
        .send(&policy.upstream_tls, route, request)
        .await;
    match result {
        Ok(response) => {
            telemetry::observe_upstream(started.elapsed());
            let (mut parts, body) = response.into_parts();
            headers::remove_hop_by_hop(&mut parts.headers);
            headers::remove_tollgate_headers(&mut parts.headers);
            headers::append_via(&mut parts.headers);
            let status = parts.status.as_u16();
            let body = ObservedBody::new(body, gateway.store().clone(), facts.transfer_id, status);
            let mut response = Response::from_parts(parts, body.boxed());
            respond::mark(&mut response, facts.transfer_id, decision);
            response
        }
        Err(error) => {
            outcome::record_failure(gateway.store(), facts.transfer_id, error.to_string());
            telemetry::count_upstream_error();
            tracing::warn!(
                transfer.id = %facts.transfer_id,
                destination.host = %route.host,
                %error,
                "forwarding failed"
            );
            let refusal = Refusal {
                decision,
                reason: format!("the request was {decision} but could not be delivered: {error}"),
                transfer_id: facts.transfer_id,
                hold_id: None,
                categories: Vec::new(),
                notice: None,
            };
            respond::refusal(StatusCode::BAD_GATEWAY, &refusal, false)
        }
    }
}

/// Records a refusal and builds its response.
pub async fn refuse(
    gateway: &Gateway,
    policy: &Policy,
    facts: Facts,
    outcome: Outcome<'_>,
) -> Response<ResponseBody> {
    let hold_id = (outcome.verdict.decision == Decision::Held).then(Uuid::now_v7);
    let record = record::build_record(
        gateway,
        &facts,
        outcome.destination,
        &outcome.verdict,
        Some(outcome.status),
        hold_id,
    );
    let reason = record.reason.clone();
    let host = record.host.clone();
    if let Err(response) = record::commit(gateway, record).await {
        return response;
    }
    let categories = facts
        .report
        .as_ref()
        .map(|report| report.categories().collect())
        .unwrap_or_default();
    let mechanism = outcome
        .destination
        .and_then(|destination| destination.mechanism.as_deref())
        .and_then(|id| policy.mechanisms.get(id));
    let notice = notice::legal_notice(&NoticeFacts {
        decision: outcome.verdict.decision,
        reason: &reason,
        host: &host,
        exporter: facts.exporter.as_ref(),
        destination: outcome.destination,
        mechanism,
        report: facts.report.as_ref(),
    });
    let refusal = Refusal {
        decision: outcome.verdict.decision,
        reason,
        transfer_id: facts.transfer_id,
        hold_id,
        categories,
        notice,
    };
    respond::refusal(outcome.status, &refusal, outcome.close)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut builder = Request::post("http://api.partner.example/v1/orders");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn encoded_bodies_count_at_their_expansion_limit() {
        let inspector = inspect::Inspector::default();
        let plain = parts(&[("content-type", "application/json")]);
        assert_eq!(inspected_bytes(&inspector, &plain, 1000), 1000);
        let gzip = parts(&[("content-encoding", "gzip")]);
        assert_eq!(inspected_bytes(&inspector, &gzip, 1000), 100_000);
        assert_eq!(inspected_bytes(&inspector, &gzip, usize::MAX), usize::MAX);
    }
}
