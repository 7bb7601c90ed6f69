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

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use tokio::sync::oneshot;
use uuid::Uuid;

mod rows;
mod schema;

use crate::event::{AdminEvent, StoredEvent};
use crate::pipl::{self, PiplCounts, PiplProjection, PiplTally};
use crate::query::Filter;
use crate::record::{GENESIS_HASH, StoredRecord, TransferRecord, format_time};
use crate::{Decision, StoreError, TransferOutcome};
use rows::{
    insert_event, insert_outcome, insert_record, parse_time, stored_event_from_row,
    stored_record_from_row,
};
use schema::{check_version, migrate};

/// Upper bound on records committed in one transaction, so that one batch
/// cannot delay its first caller without limit under a flood of requests.
const MAX_BATCH: usize = 256;

/// How long a connection waits for another process's write lock (for
/// example a CLI command writing while `serve` runs) before failing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

enum Command {
    /// A record, and the individuals it adds to a PIPL tally, written in
    /// one transaction.
    Append(
        Box<(TransferRecord, Option<PiplTally>)>,
        oneshot::Sender<Result<StoredRecord, StoreError>>,
    ),
    Outcome(TransferOutcome),
    AppendEvent(
        Box<AdminEvent>,
        oneshot::Sender<Result<StoredEvent, StoreError>>,
    ),
    CountAllowed(String, oneshot::Sender<Result<u64, StoreError>>),
    ProjectPipl(
        Box<PiplTally>,
        oneshot::Sender<Result<PiplProjection, StoreError>>,
    ),
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
            Command::Append(append, _) => write!(f, "Append({})", append.0.transfer_id),
            Command::Outcome(outcome) => write!(f, "Outcome({})", outcome.transfer_id),
            Command::AppendEvent(event, _) => write!(f, "AppendEvent({})", event.event_id),
            Command::CountAllowed(mechanism, _) => write!(f, "CountAllowed({mechanism})"),
            Command::ProjectPipl(tally, _) => write!(f, "ProjectPipl({})", tally.exporter),
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
        self.append_counted(record, None).await
    }

    /// Appends a record and adds the individuals of `pipl` to their tally
    /// in the same transaction, so a transfer is counted exactly when its
    /// record exists.
    pub async fn append_counted(
        &self,
        record: TransferRecord,
        pipl: Option<PiplTally>,
    ) -> Result<StoredRecord, StoreError> {
        let (reply, response) = oneshot::channel();
        self.commands
            .send(Command::Append(Box::new((record, pipl)), reply))
            .map_err(|_| StoreError::WriterStopped)?;
        response.await.map_err(|_| StoreError::WriterStopped)?
    }

    /// Computes what a request's individuals would do to their tally. It runs
    /// on the writer thread after every append queued before it.
    pub async fn project_pipl(&self, tally: PiplTally) -> Result<PiplProjection, StoreError> {
        let (reply, response) = oneshot::channel();
        self.commands
            .send(Command::ProjectPipl(Box::new(tally), reply))
            .map_err(|_| StoreError::WriterStopped)?;
        response.await.map_err(|_| StoreError::WriterStopped)?
    }

    /// Appends an administrative event and resolves once it is committed.
    pub async fn append_event(&self, event: AdminEvent) -> Result<StoredEvent, StoreError> {
        let (reply, response) = oneshot::channel();
        self.commands
            .send(Command::AppendEvent(Box::new(event), reply))
            .map_err(|_| StoreError::WriterStopped)?;
        response.await.map_err(|_| StoreError::WriterStopped)?
    }

    /// Counts the transfers allowed so far under `mechanism_id`. It runs on
    /// the writer thread, after every append queued before it.
    pub async fn count_allowed(&self, mechanism_id: &str) -> Result<u64, StoreError> {
        let (reply, response) = oneshot::channel();
        self.commands
            .send(Command::CountAllowed(mechanism_id.to_owned(), reply))
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

    /// Calls `visit` for every administrative event, in log order.
    pub fn events(
        &self,
        mut visit: impl FnMut(StoredEvent) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT * FROM events ORDER BY seq")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            visit(stored_event_from_row(row)?)?;
        }
        Ok(())
    }

    /// The whitelist entries that received at least one allowed transfer at
    /// or after `since`.
    pub fn destinations_used_since(
        &self,
        since: &chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT DISTINCT destination_id FROM transfers
             WHERE destination_id IS NOT NULL AND decision IN ('allowed', 'masked')
               AND time >= ?1",
        )?;
        let ids = statement
            .query_map([format_time(since)], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    /// Distinct individuals counted for `exporter` in `year`.
    pub fn pipl_counts(&self, exporter: &str, year: i32) -> Result<PiplCounts, StoreError> {
        pipl::counts(&self.connection, exporter, year)
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

fn run_writer(mut connection: Connection, receiver: mpsc::Receiver<Command>, path: &Path) {
    while let Ok(first) = receiver.recv() {
        let mut writes = Vec::new();
        let mut queries = Vec::new();
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                Command::CountAllowed(..) | Command::ProjectPipl(..) => queries.push(command),
                write => writes.push(write),
            }
            if writes.len() + queries.len() < MAX_BATCH {
                next = receiver.try_recv().ok();
            }
        }
        if !writes.is_empty() {
            write_batch(&mut connection, writes, path);
        }
        // Answered after the batch commits, so a count sees every append
        // that was queued before it.
        for query in queries {
            match query {
                Command::CountAllowed(mechanism, reply) => {
                    let _ = reply.send(count_allowed(&connection, &mechanism));
                }
                Command::ProjectPipl(tally, reply) => {
                    let _ = reply.send(pipl::project(&connection, &tally));
                }
                _ => {}
            }
        }
    }
    tracing::debug!(path = %path.display(), "store writer stopped");
}

fn count_allowed(connection: &Connection, mechanism: &str) -> Result<u64, StoreError> {
    let count: i64 = connection
        .prepare_cached(
            "SELECT COUNT(*) FROM transfers WHERE mechanism_id = ?1 AND decision = 'allowed'",
        )?
        .query_row([mechanism], |row| row.get(0))?;
    Ok(count as u64)
}

/// Commits a batch in one transaction. When that fails, each command is
/// retried in a transaction of its own, so one bad record cannot fail the
/// records that happened to share its batch.
fn write_batch(connection: &mut Connection, batch: Vec<Command>, path: &Path) {
    if batch.len() > 1 {
        let commands: Vec<&Command> = batch.iter().collect();
        if let Ok(committed) = commit(connection, &commands) {
            deliver(batch, committed);
            return;
        }
    }
    for command in batch {
        match commit(connection, &[&command]) {
            Ok(committed) => deliver(vec![command], committed),
            Err(error) => {
                tracing::error!(path = %path.display(), %error, ?command, "store write failed");
                match command {
                    Command::Append(_, reply) => {
                        let _ = reply.send(Err(error));
                    }
                    Command::AppendEvent(_, reply) => {
                        let _ = reply.send(Err(error));
                    }
                    Command::Outcome(_) | Command::CountAllowed(..) | Command::ProjectPipl(..) => {}
                }
            }
        }
    }
}

/// What one command added to a log.
enum Committed {
    Record(Box<StoredRecord>),
    Event(StoredEvent),
    Nothing,
}

/// Answers each caller with what its command committed. A caller may have
/// gone away (its client disconnected); the entry stays in the log anyway.
fn deliver(batch: Vec<Command>, committed: Vec<Committed>) {
    for (command, result) in batch.into_iter().zip(committed) {
        match (command, result) {
            (Command::Append(_, reply), Committed::Record(record)) => {
                let _ = reply.send(Ok(*record));
            }
            (Command::AppendEvent(_, reply), Committed::Event(event)) => {
                let _ = reply.send(Ok(event));
            }
            _ => {}
        }
    }
}

/// The newest entry of one hash-chained table, advanced as entries are
/// added inside a transaction.
struct ChainHead {
    seq: u64,
    hash: String,
}

impl ChainHead {
    /// Reads the head inside the write transaction, so that another process
    /// appending to the same file cannot fork the chain.
    fn read(transaction: &rusqlite::Transaction<'_>, table: &str) -> Result<ChainHead, StoreError> {
        let head: Option<(i64, String)> = transaction
            .query_row(
                &format!("SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1"),
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        Ok(head.map_or_else(
            || ChainHead {
                seq: 0,
                hash: GENESIS_HASH.to_owned(),
            },
            |(seq, hash)| ChainHead {
                seq: seq as u64,
                hash,
            },
        ))
    }

    /// Moves the head to the entry hashed by `hash_at(seq, prev_hash)` and
    /// returns its position, previous hash and hash.
    fn advance(&mut self, hash_at: impl FnOnce(u64, &str) -> String) -> (u64, String, String) {
        let seq = self.seq + 1;
        let hash = hash_at(seq, &self.hash);
        let prev_hash = std::mem::replace(&mut self.hash, hash.clone());
        self.seq = seq;
        (seq, prev_hash, hash)
    }
}

fn commit(
    connection: &mut Connection,
    commands: &[&Command],
) -> Result<Vec<Committed>, StoreError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut records: Option<ChainHead> = None;
    let mut events: Option<ChainHead> = None;
    let mut committed = Vec::with_capacity(commands.len());
    for command in commands {
        let result = match command {
            Command::Append(append, _) => {
                let (record, tally) = &**append;
                let head = match &mut records {
                    Some(head) => head,
                    None => records.insert(ChainHead::read(&transaction, "transfers")?),
                };
                let (seq, prev_hash, hash) = head.advance(|seq, prev| record.chain_hash(seq, prev));
                insert_record(&transaction, seq, record, &prev_hash, &hash)?;
                if let Some(tally) = tally {
                    pipl::add(&transaction, tally, &format_time(&record.time))?;
                }
                Committed::Record(Box::new(StoredRecord {
                    seq,
                    record: record.clone(),
                    prev_hash,
                    hash,
                }))
            }
            Command::AppendEvent(event, _) => {
                let head = match &mut events {
                    Some(head) => head,
                    None => events.insert(ChainHead::read(&transaction, "events")?),
                };
                let (seq, prev_hash, hash) = head.advance(|seq, prev| event.chain_hash(seq, prev));
                insert_event(&transaction, seq, event, &prev_hash, &hash)?;
                Committed::Event(StoredEvent {
                    seq,
                    event: (**event).clone(),
                    prev_hash,
                    hash,
                })
            }
            Command::Outcome(outcome) => {
                insert_outcome(&transaction, outcome)?;
                Committed::Nothing
            }
            Command::CountAllowed(..) | Command::ProjectPipl(..) => Committed::Nothing,
        };
        committed.push(result);
    }
    transaction.commit()?;
    Ok(committed)
}
