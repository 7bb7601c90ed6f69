//! The writer thread: the one connection that writes, its command queue,
//! and group commit of records and events into their hash chains.

use std::path::Path;
use std::sync::mpsc;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use tokio::sync::oneshot;

use super::rows::{insert_event, insert_outcome, insert_record};
use crate::event::{AdminEvent, StoredEvent};
use crate::pipl::{self, PiplProjection, PiplTally};
use crate::record::{GENESIS_HASH, StoredRecord, TransferRecord, format_time};
use crate::{StoreError, TransferOutcome};

/// Upper bound on records committed in one transaction, so that one batch
/// cannot delay its first caller without limit under a flood of requests.
const MAX_BATCH: usize = 256;

pub(super) enum Command {
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

pub(super) fn run_writer(
    mut connection: Connection,
    receiver: mpsc::Receiver<Command>,
    path: &Path,
) {
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
