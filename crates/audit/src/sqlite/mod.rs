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

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use tokio::sync::oneshot;
use uuid::Uuid;

mod rows;
mod schema;
mod writer;

use crate::event::{AdminEvent, StoredEvent};
use crate::pipl::{self, PiplCounts, PiplProjection, PiplTally};
use crate::query::Filter;
use crate::record::{StoredRecord, TransferRecord, format_time};
use crate::{Decision, StoreError, TransferOutcome};
use rows::{parse_time, stored_event_from_row, stored_record_from_row};
use schema::{check_version, migrate};
use writer::{Command, run_writer};

/// How long a connection waits for another process's write lock (for
/// example a CLI command writing while `serve` runs) before failing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A handle to the SQLite store; cheap to clone and share across tasks.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    path: PathBuf,
    commands: mpsc::Sender<Command>,
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
