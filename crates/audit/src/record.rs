//! The transfer record: what Tollgate writes for every request it decides,
//! and the hash that links each record to the one before it.
//!
//! A record names the parties, the destination, the legal mechanism, the
//! decision and what kinds of personal data the body carried. It never holds
//! raw personal data: findings carry categories, counts and masked samples,
//! and the body is represented by its SHA-256.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use ring::digest;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The outcome of the decision for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Forwarded unchanged.
    Allowed,
    /// Refused; nothing reached the destination.
    Blocked,
    /// Refused until two administrators approve it.
    Held,
    /// Forwarded after personal data was replaced by masks.
    Masked,
}

impl Decision {
    pub const ALL: [Decision; 4] = [
        Decision::Allowed,
        Decision::Blocked,
        Decision::Held,
        Decision::Masked,
    ];

    /// The name used in headers, records, metrics and queries.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::Blocked => "blocked",
            Decision::Held => "held",
            Decision::Masked => "masked",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A decision name that is not one of [`Decision::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown decision {0:?}; expected allowed, blocked, held or masked")]
pub struct UnknownDecision(pub String);

impl FromStr for Decision {
    type Err = UnknownDecision;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Decision::ALL
            .into_iter()
            .find(|decision| decision.as_str() == name)
            .ok_or_else(|| UnknownDecision(name.to_owned()))
    }
}

/// What was found of one personal-data category, without raw values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingSummary {
    pub category: inspect::Category,
    pub count: u64,
    pub sensitive: bool,
    /// Masked examples produced by the inspector.
    pub samples: Vec<String>,
    /// Whether a date of birth belongs to a child under 14.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub minor: bool,
    /// Where in the request the values were found (JSON paths, form keys,
    /// line numbers), never the values themselves.
    pub locations: Vec<String>,
}

impl From<&inspect::Finding> for FindingSummary {
    fn from(finding: &inspect::Finding) -> Self {
        FindingSummary {
            category: finding.category,
            count: finding.count,
            sensitive: finding.sensitive,
            samples: finding.samples.clone(),
            minor: finding.minor,
            locations: finding.locations.clone(),
        }
    }
}

/// One transfer as decided, before the store assigns its place in the log.
///
/// Field order is part of the hash: [`TransferRecord::canonical_json`]
/// serialises the fields in declaration order, so reordering or renaming a
/// field breaks verification of existing logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRecord {
    pub transfer_id: Uuid,
    /// When the request arrived, in UTC.
    #[serde(with = "rfc3339_millis")]
    pub time: DateTime<Utc>,
    /// The client's socket address.
    pub client: String,
    /// The exporting entity whose law decides the transfer, as an ISO 3166-1
    /// alpha-2 country code.
    pub exporter: String,
    /// The exporting entity's name, when `[[exporter]]` entries name one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exporter_name: Option<String>,
    pub method: String,
    /// `http` or `https`.
    pub scheme: String,
    pub host: String,
    pub port: u16,
    /// The request path with detected personal data masked and the query
    /// removed.
    pub path: String,
    /// The whitelist entry that matched, if any.
    pub destination_id: Option<String>,
    /// The destination's country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    pub recipient: Option<String>,
    /// The transfer mechanism the decision relied on or rejected.
    pub mechanism_id: Option<String>,
    pub decision: Decision,
    /// Why the request got its decision, in one sentence.
    pub reason: String,
    /// The status Tollgate answered with itself; `None` when the request was
    /// forwarded and the destination answered.
    pub status: Option<u16>,
    pub personal_data: bool,
    pub sensitive: bool,
    /// Estimated number of distinct individuals in the request.
    pub subjects: u64,
    pub findings: Vec<FindingSummary>,
    /// Body size as received, before content decoding.
    pub body_bytes: u64,
    /// Hex SHA-256 of the body as received.
    pub body_sha256: String,
    pub hold_id: Option<Uuid>,
}

/// A record with its position in the log and its chain hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRecord {
    /// Position in the log, starting at 1 and without gaps.
    pub seq: u64,
    #[serde(flatten)]
    pub record: TransferRecord,
    /// `hash` of the record at `seq - 1`, or [`GENESIS_HASH`] for the first.
    pub prev_hash: String,
    pub hash: String,
}

/// The `prev_hash` of the first record: 64 hex zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl TransferRecord {
    /// Serialises the record as compact JSON in field-declaration order.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).expect("a transfer record always serialises")
    }

    /// Computes the chain hash of this record at position `seq`.
    ///
    /// The hash is hex SHA-256 over `seq` (8 bytes, big endian), the previous
    /// hash as 64 hex characters, and the canonical JSON, so a record cannot
    /// be moved, dropped from the middle or edited without breaking every
    /// hash after it.
    pub fn chain_hash(&self, seq: u64, prev_hash: &str) -> String {
        chain_hash(seq, prev_hash, &self.canonical_json())
    }
}

/// Computes a chain hash: hex SHA-256 over `seq` (8 bytes, big endian),
/// the previous hash as 64 hex characters, and a canonical JSON text.
pub(crate) fn chain_hash(seq: u64, prev_hash: &str, canonical_json: &str) -> String {
    let mut context = digest::Context::new(&digest::SHA256);
    context.update(&seq.to_be_bytes());
    context.update(prev_hash.as_bytes());
    context.update(canonical_json.as_bytes());
    hex::encode(context.finish())
}

/// Hex SHA-256 of a request body.
pub fn body_sha256(body: &[u8]) -> String {
    hex::encode(digest::digest(&digest::SHA256, body))
}

/// RFC 3339 timestamps with millisecond precision and a `Z` suffix, so that
/// the text form, which the hash covers, round-trips exactly through the
/// store.
pub(crate) mod rfc3339_millis {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        time: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&time.to_rfc3339_opts(SecondsFormat::Millis, true))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|time| time.with_timezone(&Utc))
            .map_err(serde::de::Error::custom)
    }
}

/// Formats a time as stored: RFC 3339, milliseconds, `Z`.
pub fn format_time(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Truncates a time to the millisecond precision the store keeps.
pub fn truncate_to_millis(time: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(time.timestamp_millis()).unwrap_or(time)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample_record() -> TransferRecord {
        TransferRecord {
            transfer_id: Uuid::now_v7(),
            time: truncate_to_millis(Utc::now()),
            client: "127.0.0.1:50000".into(),
            exporter: "CN".into(),
            exporter_name: None,
            method: "POST".into(),
            scheme: "https".into(),
            host: "api.partner.example".into(),
            port: 443,
            path: "/v1/customers".into(),
            destination_id: Some("partner".into()),
            country: Some("DE".into()),
            recipient: Some("Partner GmbH".into()),
            mechanism_id: Some("pipl-sc-partner".into()),
            decision: Decision::Held,
            reason: "sensitive personal data requires approval".into(),
            status: Some(403),
            personal_data: true,
            sensitive: true,
            subjects: 2,
            findings: vec![FindingSummary {
                category: inspect::Category::CnResidentId,
                count: 2,
                sensitive: true,
                samples: vec!["110101***********X".into()],
                minor: false,
                locations: vec!["$[0].id_number".into()],
            }],
            body_bytes: 120,
            body_sha256: body_sha256(b"body"),
            hold_id: Some(Uuid::now_v7()),
        }
    }

    #[test]
    fn decision_names_round_trip() {
        for decision in Decision::ALL {
            assert_eq!(decision.as_str().parse::<Decision>(), Ok(decision));
        }
        assert!("allow".parse::<Decision>().is_err());
    }

    #[test]
    fn canonical_json_round_trips() {
        let record = sample_record();
        let parsed: TransferRecord = serde_json::from_str(&record.canonical_json()).unwrap();
        assert_eq!(parsed, record);
        assert_eq!(parsed.canonical_json(), record.canonical_json());
    }

    #[test]
    fn chain_hash_depends_on_every_input() {
        let record = sample_record();
        let hash = record.chain_hash(1, GENESIS_HASH);
        assert_eq!(hash.len(), 64);
        assert_ne!(record.chain_hash(2, GENESIS_HASH), hash);
        assert_ne!(record.chain_hash(1, &"1".repeat(64)), hash);

        let mut edited = record.clone();
        edited.decision = Decision::Allowed;
        assert_ne!(edited.chain_hash(1, GENESIS_HASH), hash);
    }

    #[test]
    fn body_hash_is_hex_sha256() {
        assert_eq!(
            body_sha256(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
