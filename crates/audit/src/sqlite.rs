//! The embedded SQLite store.
//!
//! One writer thread owns the write connection and commits records in
//! batches: every request that is waiting when a commit starts shares its
//! fsync, so durability costs one disk flush per batch rather than one per
//! request. A caller's future resolves only after the batch holding its
//! record is committed with `synchronous = FULL`, which is what lets the
//! gateway promise that no byte goes upstream before the record is durable.

use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::query::Filter;
use crate::record::{GENESIS_HASH, StoredRecord, TransferRecord, format_time};
use crate::{Decision, StoreError, TransferOutcome};

/// Schema version kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

/// Upper bound on records committed in one transaction, so that one batch
/// cannot delay its first caller without limit under a flood of requests.
const MAX_BATCH: usize = 256;

/// How long a connection waits for another process's write lock (for
/// example a CLI command writing while `serve` runs) before failing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

const SCHEMA: &str = r#"
CREATE TABLE transfers (
    seq            INTEGER PRIMARY KEY,
    transfer_id    TEXT NOT NULL UNIQUE,
    time           TEXT NOT NULL,
    client         TEXT NOT NULL,
    exporter       TEXT NOT NULL,
    method         TEXT NOT NULL,
    scheme         TEXT NOT NULL,
    host           TEXT NOT NULL,
    port           INTEGER NOT NULL,
    path           TEXT NOT NULL,
    destination_id TEXT,
    country        TEXT,
    recipient      TEXT,
    mechanism_id   TEXT,
    decision       TEXT NOT NULL,
    reason         TEXT NOT NULL,
    status         INTEGER,
    personal_data  INTEGER NOT NULL,
    sensitive      INTEGER NOT NULL,
    subjects       INTEGER NOT NULL,
    findings       TEXT NOT NULL,
    body_bytes     INTEGER NOT NULL,
    body_sha256    TEXT NOT NULL,
    hold_id        TEXT,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX transfers_time ON transfers (time);
CREATE INDEX transfers_destination ON transfers (destination_id, time);
CREATE INDEX transfers_host ON transfers (host, time);

-- The log is append-only; corrections are new records, never edits.
CREATE TRIGGER transfers_no_update BEFORE UPDATE ON transfers
BEGIN SELECT RAISE(ABORT, 'transfer records are append-only'); END;
CREATE TRIGGER transfers_no_delete BEFORE DELETE ON transfers
BEGIN SELECT RAISE(ABORT, 'transfer records are append-only'); END;

-- What happened after an allowed request was forwarded. Not part of the
-- hash chain, because it is written after the response starts.
CREATE TABLE transfer_outcomes (
    transfer_id     TEXT PRIMARY KEY REFERENCES transfers (transfer_id),
    completed_at    TEXT NOT NULL,
    upstream_status INTEGER,
    error           TEXT
);
"#;

enum Command {
    Append(
        Box<TransferRecord>,
        oneshot::Sender<Result<StoredRecord, StoreError>>,
    ),
    Outcome(TransferOutcome),
}

/// A handle to the SQLite store; cheap to clone and share across tasks.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    path: PathBuf,
    commands: mpsc::Sender<Command>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Command::Append(record, _) => write!(f, "Append({})", record.transfer_id),
            Command::Outcome(outcome) => write!(f, "Outcome({})", outcome.transfer_id),
        }
    }
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `path` and starts its
    /// writer thread.
    ///
    /// A missing parent directory is created with mode 0700 and a missing
    /// database file with mode 0600, because records name destinations and
    /// clients even though they hold no personal data.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let connection = open_connection(path, true)?;
        let (commands, receiver) = mpsc::channel();
        let thread_path = path.to_path_buf();
        thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || run_writer(connection, receiver, &thread_path))
            .map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source: rusqlite::Error::ToSqlConversionFailure(Box::new(source)),
            })?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            commands,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a record and resolves once it is committed durably.
    pub async fn append(&self, record: TransferRecord) -> Result<StoredRecord, StoreError> {
        let (reply, response) = oneshot::channel();
        self.commands
            .send(Command::Append(Box::new(record), reply))
            .map_err(|_| StoreError::WriterStopped)?;
        response.await.map_err(|_| StoreError::WriterStopped)?
    }

    /// Queues the outcome of a forwarded request. Outcomes are best effort:
    /// a failure is logged by the writer, never returned to the request.
    pub fn record_outcome(&self, outcome: TransferOutcome) {
        if self.commands.send(Command::Outcome(outcome)).is_err() {
            tracing::warn!("store writer stopped; transfer outcome not recorded");
        }
    }
}

/// Read access for queries and verification, from the CLI or the admin API.
#[derive(Debug)]
pub struct SqliteReader {
    connection: Connection,
}

impl SqliteReader {
    /// Opens an existing database read-only.
    pub fn open(path: &Path) -> Result<SqliteReader, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let connection = open_connection(path, false)?;
        Ok(SqliteReader { connection })
    }

    /// Calls `visit` for each record matching `filter`, in log order.
    pub fn query(
        &self,
        filter: &Filter,
        mut visit: impl FnMut(StoredRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT * FROM transfers
             WHERE (?1 IS NULL OR time >= ?1)
               AND (?2 IS NULL OR time < ?2)
               AND (?3 IS NULL OR destination_id = ?3 OR host = ?3)
               AND (?4 IS NULL OR decision = ?4)
               AND (?5 IS NULL OR EXISTS (
                     SELECT 1 FROM json_each(transfers.findings)
                     WHERE json_extract(json_each.value, '$.category') = ?5))
             ORDER BY seq
             LIMIT ?6",
        )?;
        let limit = filter.limit.map_or(-1, |limit| limit as i64);
        let mut rows = statement.query(params![
            filter.since.as_ref().map(format_time),
            filter.until.as_ref().map(format_time),
            filter.destination,
            filter.decision.map(Decision::as_str),
            filter.category.map(inspect::Category::as_str),
            limit,
        ])?;
        while let Some(row) = rows.next()? {
            visit(stored_record_from_row(row)?)?;
        }
        Ok(())
    }

    /// Calls `visit` for every record in log order, for verification.
    pub fn for_each(
        &self,
        visit: impl FnMut(StoredRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.query(&Filter::default(), visit)
    }

    /// The outcome recorded for a transfer, if any.
    pub fn outcome(&self, transfer_id: Uuid) -> Result<Option<TransferOutcome>, StoreError> {
        let outcome = self
            .connection
            .query_row(
                "SELECT completed_at, upstream_status, error FROM transfer_outcomes
                 WHERE transfer_id = ?1",
                [transfer_id.to_string()],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, Option<u16>>(1)?,
                        row.get::<_, Option<String>>(2)?,
                    ))
                },
            )
            .optional()?;
        let Some((completed_at, upstream_status, error)) = outcome else {
            return Ok(None);
        };
        Ok(Some(TransferOutcome {
            transfer_id,
            completed_at: parse_time(&completed_at, 0)?,
            upstream_status,
            error,
        }))
    }
}

fn open_connection(path: &Path, create: bool) -> Result<Connection, StoreError> {
    if create {
        prepare_file(path)?;
    }
    let flags = if create {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let open_error = |source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    };
    let connection = Connection::open_with_flags(path, flags).map_err(open_error)?;
    connection.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
    if create {
        connection
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            .map_err(open_error)?;
        migrate(&connection, path)?;
    } else if check_version(&connection, path)? == 0 {
        return Err(StoreError::NotAStore {
            path: path.to_path_buf(),
        });
    }
    Ok(connection)
}

fn prepare_file(path: &Path) -> Result<(), StoreError> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .map_err(|source| StoreError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
    }
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source: rusqlite::Error::ToSqlConversionFailure(Box::new(source)),
        })?;
    Ok(())
}

fn check_version(connection: &Connection, path: &Path) -> Result<i64, StoreError> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

fn migrate(connection: &Connection, path: &Path) -> Result<(), StoreError> {
    if check_version(connection, path)? == 0 {
        connection.execute_batch(&format!(
            "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        ))?;
    }
    Ok(())
}

fn run_writer(mut connection: Connection, receiver: mpsc::Receiver<Command>, path: &Path) {
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(command) => batch.push(command),
                Err(_) => break,
            }
        }
        write_batch(&mut connection, batch, path);
    }
    tracing::debug!(path = %path.display(), "store writer stopped");
}

/// Commits a batch in one transaction. When that fails, each command is
/// retried in a transaction of its own, so one bad record cannot fail the
/// records that happened to share its batch.
fn write_batch(connection: &mut Connection, batch: Vec<Command>, path: &Path) {
    if batch.len() > 1 {
        let records: Vec<&Command> = batch.iter().collect();
        if let Ok(stored) = commit(connection, &records) {
            deliver(batch, stored);
            return;
        }
    }
    for command in batch {
        match commit(connection, &[&command]) {
            Ok(stored) => deliver(vec![command], stored),
            Err(error) => {
                tracing::error!(path = %path.display(), %error, ?command, "store write failed");
                match command {
                    Command::Append(_, reply) => {
                        let _ = reply.send(Err(error));
                    }
                    Command::Outcome(_) => {}
                }
            }
        }
    }
}

fn deliver(batch: Vec<Command>, stored: Vec<StoredRecord>) {
    let mut stored = stored.into_iter();
    for command in batch {
        if let Command::Append(_, reply) = command {
            let record = stored.next().expect("one stored record per append");
            // The caller may have gone away (client disconnected); the record
            // stays in the log either way.
            let _ = reply.send(Ok(record));
        }
    }
}

fn commit(
    connection: &mut Connection,
    commands: &[&Command],
) -> Result<Vec<StoredRecord>, StoreError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read the head inside the write transaction, so that another process
    // appending to the same file cannot fork the chain.
    let head: Option<(i64, String)> = transaction
        .query_row(
            "SELECT seq, hash FROM transfers ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let (mut seq, mut prev_hash) = head
        .map(|(seq, hash)| (seq as u64, hash))
        .unwrap_or((0, GENESIS_HASH.to_owned()));

    let mut stored = Vec::new();
    for command in commands {
        match command {
            Command::Append(record, _) => {
                seq += 1;
                let hash = record.chain_hash(seq, &prev_hash);
                insert_record(&transaction, seq, record, &prev_hash, &hash)?;
                stored.push(StoredRecord {
                    seq,
                    record: (**record).clone(),
                    prev_hash: std::mem::replace(&mut prev_hash, hash.clone()),
                    hash,
                });
            }
            Command::Outcome(outcome) => insert_outcome(&transaction, outcome)?,
        }
    }
    transaction.commit()?;
    Ok(stored)
}

fn insert_record(
    transaction: &rusqlite::Transaction<'_>,
    seq: u64,
    record: &TransferRecord,
    prev_hash: &str,
    hash: &str,
) -> Result<(), StoreError> {
    let findings = serde_json::to_string(&record.findings).expect("findings serialise");
    transaction
        .prepare_cached(
            "INSERT INTO transfers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
             ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
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
        ])?;
    Ok(())
}

fn insert_outcome(
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

fn stored_record_from_row(row: &Row<'_>) -> Result<StoredRecord, StoreError> {
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

fn parse_time(text: &str, seq: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|error| StoreError::CorruptRow {
            seq,
            reason: format!("time {text:?}: {error}"),
        })
}
