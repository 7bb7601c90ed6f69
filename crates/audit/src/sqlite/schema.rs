//! The SQLite schema and its migrations.

use std::path::Path;

use rusqlite::Connection;

use crate::StoreError;

/// Schema version kept in `PRAGMA user_version`.
pub(super) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

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

pub(super) fn check_version(connection: &Connection, path: &Path) -> Result<i64, StoreError> {
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

/// Version 2: administrative events (reviews, reloads), chained like the
/// transfers but in a log of their own, so that events never shift the
/// positions of transfer records.
const EVENTS: &str = r#"
CREATE TABLE events (
    seq       INTEGER PRIMARY KEY,
    event_id  TEXT NOT NULL UNIQUE,
    time      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX events_time ON events (time);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
"#;

/// Version 3: the exporting entity's name, for gateways shared by several
/// legal entities.
const EXPORTER_NAME: &str = "ALTER TABLE transfers ADD COLUMN exporter_name TEXT;";

/// Version 4: the individuals each PIPL exporter sent abroad per year, by
/// keyed hashes of their identifiers (see `audit::pipl`).
const PIPL: &str = r#"
CREATE TABLE pipl_subjects (
    id         INTEGER PRIMARY KEY,
    exporter   TEXT NOT NULL,
    year       INTEGER NOT NULL,
    sensitive  INTEGER NOT NULL,
    first_seen TEXT NOT NULL
);
CREATE INDEX pipl_subjects_year ON pipl_subjects (exporter, year);
CREATE TABLE pipl_identifiers (
    exporter   TEXT NOT NULL,
    year       INTEGER NOT NULL,
    identifier BLOB NOT NULL,
    subject    INTEGER NOT NULL REFERENCES pipl_subjects (id),
    PRIMARY KEY (exporter, year, identifier)
) WITHOUT ROWID;
"#;

/// The statements that bring a store from version `index` to `index + 1`.
const MIGRATIONS: [&str; 4] = [SCHEMA, EVENTS, EXPORTER_NAME, PIPL];

/// Brings the store to [`SCHEMA_VERSION`], one migration per transaction.
pub(super) fn migrate(connection: &Connection, path: &Path) -> Result<(), StoreError> {
    let version = check_version(connection, path)?;
    for (index, statements) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let next = index + 1;
        connection.execute_batch(&format!(
            "BEGIN IMMEDIATE; {statements} PRAGMA user_version = {next}; COMMIT;"
        ))?;
    }
    Ok(())
}
