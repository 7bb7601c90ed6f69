//! Administrative events: changes to what decides transfers, such as a
//! whitelist review or a configuration reload, kept in a hash-chained log
//! beside the transfer records so an auditor can see who changed the rules
//! and when.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::record::{chain_hash, rfc3339_millis};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A whitelist entry was reviewed; `subject` is the entry id.
    WhitelistReview,
    /// The configuration was reloaded and the new policy is in force.
    ConfigReload,
    /// A reload was rejected; the previous policy kept serving.
    ConfigReloadRejected,
}

impl EventKind {
    pub const ALL: [EventKind; 3] = [
        EventKind::WhitelistReview,
        EventKind::ConfigReload,
        EventKind::ConfigReloadRejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::WhitelistReview => "whitelist_review",
            EventKind::ConfigReload => "config_reload",
            EventKind::ConfigReloadRejected => "config_reload_rejected",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventKind {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        EventKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| format!("unknown event kind {name:?}"))
    }
}

/// One administrative event. Field order is part of the hash, as for
/// transfer records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminEvent {
    pub event_id: Uuid,
    #[serde(with = "rfc3339_millis")]
    pub time: DateTime<Utc>,
    pub kind: EventKind,
    /// Who caused it: an administrator's name, or `signal`/`api` for
    /// reloads.
    pub actor: String,
    /// What it concerns: a whitelist entry id or a configuration file.
    pub subject: String,
    /// Free text: a review note, or the error of a rejected reload.
    pub detail: String,
}

impl AdminEvent {
    /// Creates an event happening now.
    pub fn now(kind: EventKind, actor: &str, subject: &str, detail: &str) -> AdminEvent {
        AdminEvent {
            event_id: Uuid::now_v7(),
            time: crate::truncate_to_millis(Utc::now()),
            kind,
            actor: actor.to_owned(),
            subject: subject.to_owned(),
            detail: detail.to_owned(),
        }
    }

    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).expect("an event always serialises")
    }

    /// Computes the chain hash of this event at position `seq` of the
    /// event log, the same way as for transfer records.
    pub fn chain_hash(&self, seq: u64, prev_hash: &str) -> String {
        chain_hash(seq, prev_hash, &self.canonical_json())
    }
}

/// An event with its position in the event log and its chain hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvent {
    pub seq: u64,
    #[serde(flatten)]
    pub event: AdminEvent,
    pub prev_hash: String,
    pub hash: String,
}
