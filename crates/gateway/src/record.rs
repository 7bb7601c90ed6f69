//! Transfer records for decided requests: the facts gathered on the way,
//! the record built from them, and the durable write that must succeed
//! before a request is forwarded or answered.

use std::net::SocketAddr;
use std::time::Instant;

use audit::{Decision, FindingSummary, TransferRecord};
use chrono::{DateTime, Utc};
use http::{Method, Response, StatusCode};
use inspect::Report;
use uuid::Uuid;
use whitelist::Destination;

use crate::decide::Verdict;
use crate::exporter::Exporter;
use crate::gateway::Gateway;
use crate::respond::{self, Refusal, ResponseBody};
use crate::telemetry;
use crate::upstream::Scheme;

/// The facts gathered for one request, which become its transfer record.
#[derive(Debug)]
pub struct Facts {
    pub transfer_id: Uuid,
    pub time: DateTime<Utc>,
    pub client: SocketAddr,
    pub method: String,
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
    pub path: String,
    pub body_bytes: u64,
    pub body_sha256: String,
    pub report: Option<Report>,
    /// The exporting entity the client maps to, if any is configured.
    pub exporter: Option<Exporter>,
}

impl Facts {
    pub fn new(client: SocketAddr, method: &Method, scheme: Scheme) -> Facts {
        Facts {
            transfer_id: Uuid::now_v7(),
            time: audit::truncate_to_millis(Utc::now()),
            client,
            method: method.to_string(),
            scheme,
            host: String::new(),
            port: scheme.default_port(),
            path: String::new(),
            body_bytes: 0,
            body_sha256: audit::body_sha256(b""),
            report: None,
            exporter: None,
        }
    }
}

/// Builds the transfer record for a decided request.
///
/// Free text that can hold client input (host, path, reason) passes through
/// the inspector's masking, so a crafted target or `Host` value cannot write
/// personal data into the append-only log.
pub fn build_record(
    gateway: &Gateway,
    facts: &Facts,
    destination: Option<&Destination>,
    verdict: &Verdict,
    status: Option<StatusCode>,
    hold_id: Option<Uuid>,
) -> TransferRecord {
    let report = facts.report.as_ref();
    let mask = |text: &str| gateway.inspector().mask_text(text).into_owned();
    TransferRecord {
        transfer_id: facts.transfer_id,
        time: facts.time,
        client: facts.client.to_string(),
        exporter: facts
            .exporter
            .as_ref()
            .map(|exporter| exporter.country.as_str().to_owned())
            .unwrap_or_default(),
        exporter_name: facts
            .exporter
            .as_ref()
            .and_then(|exporter| exporter.name.clone()),
        method: facts.method.clone(),
        scheme: facts.scheme.as_str().to_owned(),
        host: mask(&facts.host),
        port: facts.port,
        path: gateway.inspector().mask_path(&facts.path).into_owned(),
        destination_id: destination.map(|d| d.id.clone()),
        country: destination.map(|d| d.country.as_str().to_owned()),
        recipient: destination.map(|d| d.recipient.clone()),
        mechanism_id: verdict
            .mechanism_id
            .clone()
            .or_else(|| destination.and_then(|d| d.mechanism.clone())),
        decision: verdict.decision,
        reason: mask(&verdict.reason),
        status: status.map(|status| status.as_u16()),
        personal_data: report.is_some_and(|r| r.personal_data),
        sensitive: report.is_some_and(|r| r.sensitive),
        subjects: report.map_or(0, |r| r.subjects),
        findings: report
            .map(|r| r.findings.iter().map(FindingSummary::from).collect())
            .unwrap_or_default(),
        body_bytes: facts.body_bytes,
        body_sha256: facts.body_sha256.clone(),
        hold_id,
    }
}

/// Writes a record durably and logs the decision. On failure returns the
/// response that blocks the request instead.
pub async fn commit(
    gateway: &Gateway,
    record: TransferRecord,
) -> Result<(), Response<ResponseBody>> {
    commit_counted(gateway, record, None).await
}

/// Like [`commit`], and adds the individuals of `tally` to their exporter's
/// yearly PIPL count in the same transaction.
pub async fn commit_counted(
    gateway: &Gateway,
    record: TransferRecord,
    tally: Option<audit::PiplTally>,
) -> Result<(), Response<ResponseBody>> {
    let started = Instant::now();
    let transfer_id = record.transfer_id;
    let decision = record.decision;
    let fields = (
        record.client.clone(),
        record.host.clone(),
        record.country.clone().unwrap_or_default(),
        record.reason.clone(),
    );
    match gateway.store().append_counted(record, tally).await {
        Ok(_) => {
            gateway.note_store_result(None);
            telemetry::observe_record(started.elapsed());
            telemetry::count_decision(decision);
            let (client, host, country, reason) = fields;
            tracing::info!(
                transfer.id = %transfer_id,
                %client,
                destination.host = %host,
                destination.country = %country,
                %decision,
                %reason,
                "decision"
            );
            Ok(())
        }
        Err(error) => Err(store_failure(gateway, transfer_id, &error)),
    }
}

/// Notes a failed store operation and builds the 503 that blocks the
/// request, because nothing may be forwarded without its record.
pub fn store_failure(
    gateway: &Gateway,
    transfer_id: Uuid,
    error: &audit::StoreError,
) -> Response<ResponseBody> {
    gateway.note_store_result(Some(error.to_string()));
    telemetry::count_record_error();
    telemetry::count_decision(Decision::Blocked);
    tracing::error!(transfer.id = %transfer_id, %error, "transfer store failed; request blocked");
    let refusal = Refusal {
        decision: Decision::Blocked,
        reason: format!("the transfer record could not be written: {error}"),
        transfer_id,
        hold_id: None,
        categories: Vec::new(),
        notice: None,
    };
    respond::refusal(StatusCode::SERVICE_UNAVAILABLE, &refusal, true)
}
