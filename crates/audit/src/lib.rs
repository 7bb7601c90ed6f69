//! Transfer records: the durable, tamper-evident log of every decision
//! Tollgate makes, and the queries auditors run over it.
//!
//! Each record is chained to its predecessor by SHA-256, so an edit,
//! reordering or deletion inside the log is found by [`verify`]. Records
//! hold categories, counts, masked samples and hashes, never raw personal
//! data. The embedded SQLite store is the default; [`Store`] is the seam
//! where a PostgreSQL store for several replicas plugs in.

mod error;
mod event;
mod pipl;
mod query;
mod record;
mod sqlite;
mod url;
mod verify;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use error::StoreError;
pub use event::{AdminEvent, EventKind, StoredEvent};
pub use pipl::{PiplCounts, PiplProjection, PiplTally, SubjectKey};
pub use query::{Filter, OutputFormat, RecordWriter};
pub use record::{
    Decision, FindingSummary, GENESIS_HASH, StoredRecord, TransferRecord, UnknownDecision,
    body_sha256, format_time, truncate_to_millis,
};
pub use sqlite::{SqliteReader, SqliteStore};
pub use url::StoreUrl;
pub use verify::{Verification, verify, verify_events};

/// What happened after an allowed request was forwarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferOutcome {
    pub transfer_id: Uuid,
    pub completed_at: DateTime<Utc>,
    /// The destination's status code, when it answered.
    pub upstream_status: Option<u16>,
    /// Why forwarding failed, when it did.
    pub error: Option<String>,
}

/// The store the gateway writes to.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
}

impl Store {
    /// Opens the store that `url` names, creating an SQLite database when
    /// missing.
    pub fn open(url: &StoreUrl) -> Result<Store, StoreError> {
        match url {
            StoreUrl::Sqlite(path) => Ok(Store::Sqlite(SqliteStore::open(path)?)),
            StoreUrl::Postgres(_) => Err(StoreError::PostgresUnsupported),
        }
    }

    /// Appends a record; resolves once it is durable.
    pub async fn append(&self, record: TransferRecord) -> Result<StoredRecord, StoreError> {
        self.append_counted(record, None).await
    }

    /// Appends a record and, in the same transaction, adds the individuals
    /// of `pipl` to their yearly tally.
    pub async fn append_counted(
        &self,
        record: TransferRecord,
        pipl: Option<PiplTally>,
    ) -> Result<StoredRecord, StoreError> {
        match self {
            Store::Sqlite(store) => store.append_counted(record, pipl).await,
        }
    }

    /// What `tally` would do to its exporter's yearly counts.
    pub async fn project_pipl(&self, tally: PiplTally) -> Result<PiplProjection, StoreError> {
        match self {
            Store::Sqlite(store) => store.project_pipl(tally).await,
        }
    }

    /// Appends an administrative event; resolves once it is durable.
    pub async fn append_event(&self, event: AdminEvent) -> Result<StoredEvent, StoreError> {
        match self {
            Store::Sqlite(store) => store.append_event(event).await,
        }
    }

    /// Counts the transfers allowed so far under `mechanism_id`.
    pub async fn count_allowed(&self, mechanism_id: &str) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(store) => store.count_allowed(mechanism_id).await,
        }
    }

    /// Queues the outcome of a forwarded request (best effort).
    pub fn record_outcome(&self, outcome: TransferOutcome) {
        match self {
            Store::Sqlite(store) => store.record_outcome(outcome),
        }
    }
}

/// Opens the store that `url` names for reading.
pub fn open_reader(url: &StoreUrl) -> Result<SqliteReader, StoreError> {
    match url {
        StoreUrl::Sqlite(path) => SqliteReader::open(path),
        StoreUrl::Postgres(_) => Err(StoreError::PostgresUnsupported),
    }
}
