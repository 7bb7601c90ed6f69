//! Verification of the hash chain.

use crate::record::{GENESIS_HASH, StoredRecord};
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

/// Replays the log from the first record and stops at the first break.
///
/// NOTE: a plain hash chain cannot show that the newest records were
/// deleted; only a head hash kept outside the gateway can.
pub fn verify(reader: &SqliteReader) -> Result<Verification, StoreError> {
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS_HASH.to_owned();
    let mut broken = None;
    reader.for_each(|stored| {
        if broken.is_some() {
            return Ok(());
        }
        if let Some(problem) = check(&stored, expected_seq, &prev_hash) {
            broken = Some(Verification::Broken {
                seq: stored.seq,
                transfer_id: stored.record.transfer_id.to_string(),
                problem,
            });
            return Ok(());
        }
        expected_seq += 1;
        prev_hash = stored.hash;
        Ok(())
    })?;
    Ok(broken.unwrap_or(Verification::Intact {
        records: expected_seq - 1,
        head: (expected_seq > 1).then_some(prev_hash),
    }))
}

fn check(stored: &StoredRecord, expected_seq: u64, prev_hash: &str) -> Option<String> {
    if stored.seq != expected_seq {
        return Some(format!(
            "expected record {expected_seq} next, found {}: records are missing",
            stored.seq
        ));
    }
    if stored.prev_hash != prev_hash {
        return Some(format!(
            "prev_hash {} does not match the hash of record {} ({prev_hash})",
            stored.prev_hash,
            expected_seq - 1
        ));
    }
    let recomputed = stored.record.chain_hash(stored.seq, prev_hash);
    if stored.hash != recomputed {
        return Some(format!(
            "stored hash {} does not match the record's content (hashes to {recomputed}): \
             the record was changed after it was written",
            stored.hash
        ));
    }
    None
}
