//! PIPL volume: distinct individuals whose personal information each
//! exporter under PIPL sent abroad since 1 January (UTC), sensitive and
//! non-sensitive apart, which the CAC provisions of 22 March 2024 compare
//! against their thresholds.
//!
//! Individuals are known only by keyed hashes (HMAC-SHA-256 with a secret
//! of the gateway's) of their identifiers, never by the identifiers
//! themselves. A request's individual is the same as a stored one when any
//! of its identifier hashes is already stored for that exporter and year.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::StoreError;

pub use inspect::SubjectKey;

/// The individuals of one request, for one exporter and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiplTally {
    /// The exporting entity, as recorded (its name, or its country).
    pub exporter: String,
    pub year: i32,
    pub subjects: Vec<SubjectKey>,
}

/// Distinct individuals counted so far in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PiplCounts {
    /// Individuals whose personal information was sent abroad.
    pub individuals: u64,
    /// Those of them whose sensitive personal information was sent.
    pub sensitive: u64,
}

/// The counts before a request and what they would become after it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PiplProjection {
    pub before: PiplCounts,
    pub after: PiplCounts,
}

/// Counts stored individuals of `exporter` in `year`.
pub(crate) fn counts(
    connection: &Connection,
    exporter: &str,
    year: i32,
) -> Result<PiplCounts, StoreError> {
    let (individuals, sensitive): (i64, Option<i64>) = connection
        .prepare_cached(
            "SELECT COUNT(*), SUM(sensitive) FROM pipl_subjects WHERE exporter = ?1 AND year = ?2",
        )?
        .query_row(params![exporter, year], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    Ok(PiplCounts {
        individuals: individuals as u64,
        sensitive: sensitive.unwrap_or(0) as u64,
    })
}

/// What the counts would be after adding `tally`.
pub(crate) fn project(
    connection: &Connection,
    tally: &PiplTally,
) -> Result<PiplProjection, StoreError> {
    let before = counts(connection, &tally.exporter, tally.year)?;
    let mut after = before;
    for subject in &tally.subjects {
        match known_subject(connection, tally, subject)? {
            None => {
                after.individuals += 1;
                after.sensitive += u64::from(subject.sensitive);
            }
            Some((_, was_sensitive)) => {
                after.sensitive += u64::from(subject.sensitive && !was_sensitive);
            }
        }
    }
    Ok(PiplProjection { before, after })
}

/// Stores the individuals of `tally` inside the transaction that writes
/// the transfer's record.
pub(crate) fn add(
    transaction: &Transaction<'_>,
    tally: &PiplTally,
    time: &str,
) -> Result<(), StoreError> {
    for subject in &tally.subjects {
        let id = match known_subject(transaction, tally, subject)? {
            Some((id, was_sensitive)) => {
                if subject.sensitive && !was_sensitive {
                    transaction
                        .prepare_cached("UPDATE pipl_subjects SET sensitive = 1 WHERE id = ?1")?
                        .execute([id])?;
                }
                id
            }
            None => {
                transaction
                    .prepare_cached(
                        "INSERT INTO pipl_subjects (exporter, year, sensitive, first_seen)
                         VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![tally.exporter, tally.year, subject.sensitive, time])?;
                transaction.last_insert_rowid()
            }
        };
        for identifier in &subject.identifiers {
            transaction
                .prepare_cached(
                    "INSERT OR IGNORE INTO pipl_identifiers (exporter, year, identifier, subject)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    tally.exporter,
                    tally.year,
                    identifier.as_slice(),
                    id
                ])?;
        }
    }
    Ok(())
}

/// The stored individual that shares an identifier with `subject`, and
/// whether it is already counted as sensitive.
fn known_subject(
    connection: &Connection,
    tally: &PiplTally,
    subject: &SubjectKey,
) -> Result<Option<(i64, bool)>, StoreError> {
    for identifier in &subject.identifiers {
        let found: Option<(i64, bool)> = connection
            .prepare_cached(
                "SELECT s.id, s.sensitive FROM pipl_identifiers i
                 JOIN pipl_subjects s ON s.id = i.subject
                 WHERE i.exporter = ?1 AND i.year = ?2 AND i.identifier = ?3",
            )?
            .query_row(
                params![tally.exporter, tally.year, identifier.as_slice()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}
