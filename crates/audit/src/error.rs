//! Errors of the audit store.

use std::path::PathBuf;

/// Why a store operation failed. The gateway blocks a request whose record
/// could not be written, so every variant names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("invalid store url {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },

    #[error(
        "the postgres store is not available in this build; \
         use a sqlite:// url in [store] url"
    )]
    PostgresUnsupported,

    #[error("cannot create the store directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "no transfer records at {path}; check [store] url, or start `tollgate serve` \
         with this configuration first"
    )]
    Missing { path: PathBuf },

    #[error("{path} is not a Tollgate store (it has no transfer records table); check [store] url")]
    NotAStore { path: PathBuf },

    #[error("cannot open the store {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error(
        "the store {path} has schema version {found}, newer than this build \
         supports ({supported}); upgrade tollgate"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("store query failed: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("record {seq} in the store is unreadable: {reason}")]
    CorruptRow { seq: i64, reason: String },

    #[error("the store writer has stopped; restart tollgate")]
    WriterStopped,

    #[error("cannot write query output: {0}")]
    Output(String),
}
