//! Verification of the hash chain.

use crate::record::GENESIS_HASH;
use crate::{SqliteReader, StoreError};

/// The result of replaying the whole log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every record links to its predecessor and hashes to its stored hash.
    Intact {
        records: u64,
        /// The hash of the newest record, which commits to the whole log.
        head: Option<String>,
    },
    /// The first record that does not verify; every later record is suspect.
    Broken {
        seq: u64,
        transfer_id: String,
        problem: String,
    },
}

/// Replays the transfer log from the first record and stops at the first
/// break.
///
/// NOTE: a plain hash chain cannot show that the newest records were
/// deleted; only a head hash kept outside the gateway can.
pub fn verify(reader: &SqliteReader) -> Result<Verification, StoreError> {
    let mut replay = Replay::new();
    reader.for_each(|stored| {
        let recomputed = stored.record.chain_hash(stored.seq, &replay.prev_hash);
        let id = stored.record.transfer_id.to_string();
        replay.step(stored.seq, &stored.prev_hash, &stored.hash, &recomputed, id);
        Ok(())
    })?;
    Ok(replay.finish())
}

/// Replays the administrative event log the same way; `transfer_id` in a
/// [`Verification::Broken`] result holds the event id.
pub fn verify_events(reader: &SqliteReader) -> Result<Verification, StoreError> {
    let mut replay = Replay::new();
    reader.events(|stored| {
        let recomputed = stored.event.chain_hash(stored.seq, &replay.prev_hash);
        let id = stored.event.event_id.to_string();
        replay.step(stored.seq, &stored.prev_hash, &stored.hash, &recomputed, id);
        Ok(())
    })?;
    Ok(replay.finish())
}

/// The state of a replay: the next expected position and the hash it must
/// link to, or the first break found.
struct Replay {
    expected_seq: u64,
    prev_hash: String,
    broken: Option<Verification>,
}

impl Replay {
    fn new() -> Replay {
        Replay {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_owned(),
            broken: None,
        }
    }

    /// Checks one entry, given the hash its content hashes to after the
    /// current head.
    fn step(&mut self, seq: u64, prev_hash: &str, hash: &str, recomputed: &str, id: String) {
        if self.broken.is_some() {
            return;
        }
        if let Some(problem) = self.problem(seq, prev_hash, hash, recomputed) {
            self.broken = Some(Verification::Broken {
                seq,
                transfer_id: id,
                problem,
            });
            return;
        }
        self.expected_seq += 1;
        self.prev_hash = hash.to_owned();
    }

    fn problem(&self, seq: u64, prev_hash: &str, hash: &str, recomputed: &str) -> Option<String> {
        let expected_seq = self.expected_seq;
        if seq != expected_seq {
            return Some(format!(
                "expected record {expected_seq} next, found {seq}: records are missing"
            ));
        }
        if prev_hash != self.prev_hash {
            return Some(format!(
                "prev_hash {prev_hash} does not match the hash of record {} ({})",
                expected_seq - 1,
                self.prev_hash
            ));
        }
        if hash != recomputed {
            return Some(format!(
                "stored hash {hash} does not match the record's content (hashes to \
                 {recomputed}): the record was changed after it was written"
            ));
        }
        None
    }

    fn finish(self) -> Verification {
        self.broken.unwrap_or(Verification::Intact {
            records: self.expected_seq - 1,
            head: (self.expected_seq > 1).then_some(self.prev_hash),
        })
    }
}
