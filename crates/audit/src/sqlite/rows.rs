//! Conversion between records and rows.

use chrono::{DateTime, Utc};
use rusqlite::{Row, params};
use uuid::Uuid;

use crate::StoreError;
use crate::TransferOutcome;
use crate::event::{AdminEvent, StoredEvent};
use crate::record::{StoredRecord, TransferRecord, format_time};

pub(super) fn insert_record(
    transaction: &rusqlite::Transaction<'_>,
    seq: u64,
    record: &TransferRecord,
    prev_hash: &str,
    hash: &str,
) -> Result<(), StoreError> {
    let findings = serde_json::to_string(&record.findings).expect("findings serialise");
    transaction
        .prepare_cached(
            "INSERT INTO transfers (seq, transfer_id, time, client, exporter, method, scheme,
             host, port, path, destination_id, country, recipient, mechanism_id, decision,
             reason, status, personal_data, sensitive, subjects, findings, body_bytes,
             body_sha256, hold_id, prev_hash, hash, exporter_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
             ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
        )?
        .execute(params![
            seq as i64,
            record.transfer_id.to_string(),
            format_time(&record.time),
            record.client,
            record.exporter,
            record.method,
            record.scheme,
            record.host,
            record.port,
            record.path,
            record.destination_id,
            record.country,
            record.recipient,
            record.mechanism_id,
            record.decision.as_str(),
            record.reason,
            record.status,
            record.personal_data,
            record.sensitive,
            record.subjects as i64,
            findings,
            record.body_bytes as i64,
            record.body_sha256,
            record.hold_id.map(|id| id.to_string()),
            prev_hash,
            hash,
            record.exporter_name,
        ])?;
    Ok(())
}

pub(super) fn insert_outcome(
    transaction: &rusqlite::Transaction<'_>,
    outcome: &TransferOutcome,
) -> Result<(), StoreError> {
    transaction
        .prepare_cached("INSERT OR REPLACE INTO transfer_outcomes VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            outcome.transfer_id.to_string(),
            format_time(&outcome.completed_at),
            outcome.upstream_status,
            outcome.error,
        ])?;
    Ok(())
}

pub(super) fn stored_record_from_row(row: &Row<'_>) -> Result<StoredRecord, StoreError> {
    let seq: i64 = row.get("seq")?;
    let corrupt = |reason: String| StoreError::CorruptRow { seq, reason };

    let transfer_id: String = row.get("transfer_id")?;
    let decision: String = row.get("decision")?;
    let findings: String = row.get("findings")?;
    let hold_id: Option<String> = row.get("hold_id")?;
    let time: String = row.get("time")?;

    let record = TransferRecord {
        transfer_id: Uuid::parse_str(&transfer_id)
            .map_err(|error| corrupt(format!("transfer_id: {error}")))?,
        time: parse_time(&time, seq)?,
        client: row.get("client")?,
        exporter: row.get("exporter")?,
        exporter_name: row.get("exporter_name")?,
        method: row.get("method")?,
        scheme: row.get("scheme")?,
        host: row.get("host")?,
        port: row.get("port")?,
        path: row.get("path")?,
        destination_id: row.get("destination_id")?,
        country: row.get("country")?,
        recipient: row.get("recipient")?,
        mechanism_id: row.get("mechanism_id")?,
        decision: decision
            .parse()
            .map_err(|error| corrupt(format!("decision: {error}")))?,
        reason: row.get("reason")?,
        status: row.get("status")?,
        personal_data: row.get("personal_data")?,
        sensitive: row.get("sensitive")?,
        subjects: row.get::<_, i64>("subjects")? as u64,
        findings: serde_json::from_str(&findings)
            .map_err(|error| corrupt(format!("findings: {error}")))?,
        body_bytes: row.get::<_, i64>("body_bytes")? as u64,
        body_sha256: row.get("body_sha256")?,
        hold_id: hold_id
            .map(|id| Uuid::parse_str(&id))
            .transpose()
            .map_err(|error| corrupt(format!("hold_id: {error}")))?,
    };
    Ok(StoredRecord {
        seq: seq as u64,
        record,
        prev_hash: row.get("prev_hash")?,
        hash: row.get("hash")?,
    })
}

pub(super) fn parse_time(text: &str, seq: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|error| StoreError::CorruptRow {
            seq,
            reason: format!("time {text:?}: {error}"),
        })
}

pub(super) fn insert_event(
    transaction: &rusqlite::Transaction<'_>,
    seq: u64,
    event: &AdminEvent,
    prev_hash: &str,
    hash: &str,
) -> Result<(), StoreError> {
    transaction
        .prepare_cached("INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?
        .execute(params![
            seq as i64,
            event.event_id.to_string(),
            format_time(&event.time),
            event.kind.as_str(),
            event.actor,
            event.subject,
            event.detail,
            prev_hash,
            hash,
        ])?;
    Ok(())
}

pub(super) fn stored_event_from_row(row: &Row<'_>) -> Result<StoredEvent, StoreError> {
    let seq: i64 = row.get("seq")?;
    let corrupt = |reason: String| StoreError::CorruptRow { seq, reason };
    let event_id: String = row.get("event_id")?;
    let kind: String = row.get("kind")?;
    let time: String = row.get("time")?;
    let event = AdminEvent {
        event_id: Uuid::parse_str(&event_id)
            .map_err(|error| corrupt(format!("event_id: {error}")))?,
        time: parse_time(&time, seq)?,
        kind: kind.parse().map_err(corrupt)?,
        actor: row.get("actor")?,
        subject: row.get("subject")?,
        detail: row.get("detail")?,
    };
    Ok(StoredEvent {
        seq: seq as u64,
        event,
        prev_hash: row.get("prev_hash")?,
        hash: row.get("hash")?,
    })
}
