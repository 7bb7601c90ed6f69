//! The `[store] url` setting: which store to open and where.

use std::path::{Path, PathBuf};

use crate::StoreError;

/// A parsed store URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// An SQLite database file, already resolved against the configuration
    /// file's directory when it was relative.
    Sqlite(PathBuf),
    /// A PostgreSQL connection string, for several replicas sharing one log.
    Postgres(String),
}

impl StoreUrl {
    /// Parses `url`, resolving a relative SQLite path against `base_dir`.
    ///
    /// `sqlite://data/tollgate.db` is relative, `sqlite:///var/lib/t.db` is
    /// absolute; `postgres://` and `postgresql://` URLs are kept as given.
    pub fn parse(url: &str, base_dir: &Path) -> Result<StoreUrl, StoreError> {
        if let Some(rest) = url.strip_prefix("sqlite://") {
            if rest.is_empty() || rest == "/" {
                return Err(StoreError::InvalidUrl {
                    url: url.to_owned(),
                    reason: "the database path is empty".into(),
                });
            }
            let path = Path::new(rest);
            let path = if path.is_absolute() {
                path.to_path_buf()
            } else {
                base_dir.join(path)
            };
            return Ok(StoreUrl::Sqlite(path));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(StoreUrl::Postgres(url.to_owned()));
        }
        Err(StoreError::InvalidUrl {
            url: url.to_owned(),
            reason: "expected sqlite://PATH, sqlite:///ABSOLUTE/PATH or postgres://USER@HOST/DB"
                .into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_sqlite_path_joins_base_dir() {
        let url = StoreUrl::parse("sqlite://data/t.db", Path::new("/etc/tollgate")).unwrap();
        assert_eq!(
            url,
            StoreUrl::Sqlite(PathBuf::from("/etc/tollgate/data/t.db"))
        );
    }

    #[test]
    fn absolute_sqlite_path_is_kept() {
        let url = StoreUrl::parse("sqlite:///var/lib/t.db", Path::new("/etc")).unwrap();
        assert_eq!(url, StoreUrl::Sqlite(PathBuf::from("/var/lib/t.db")));
    }

    #[test]
    fn postgres_url_is_kept() {
        let url = StoreUrl::parse("postgres://tollgate@127.0.0.1/test", Path::new("/")).unwrap();
        assert_eq!(
            url,
            StoreUrl::Postgres("postgres://tollgate@127.0.0.1/test".into())
        );
    }

    #[test]
    fn unknown_scheme_is_rejected() {
        let error = StoreUrl::parse("mysql://x", Path::new("/")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid store url \"mysql://x\": expected sqlite://PATH, \
             sqlite:///ABSOLUTE/PATH or postgres://USER@HOST/DB"
        );
    }

    #[test]
    fn empty_sqlite_path_is_rejected() {
        let error = StoreUrl::parse("sqlite://", Path::new("/")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid store url \"sqlite://\": the database path is empty"
        );
    }
}
