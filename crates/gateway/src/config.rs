//! `tollgate.toml`: the gateway's own settings, their built-in defaults, and
//! the resolution of the paths they name.
//!
//! Paths in the file are relative to the file's own directory; without a
//! file, the built-in defaults are relative to the working directory. Unknown
//! keys are errors, so a typo cannot silently fall back to a default.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use whitelist::{ConfigError, HostName};

use crate::exporter::{ExporterSection, Exporters};
use crate::pipl::{PiplSection, Thresholds};

/// Default proxy listener: loopback only, so a fresh install exposes
/// nothing to the network until an operator says so.
pub const DEFAULT_PROXY_LISTEN: &str = "127.0.0.1:3128";
/// Default admin listener (API, web UI, `/metrics`).
pub const DEFAULT_ADMIN_LISTEN: &str = "127.0.0.1:9090";
/// Default store, relative to the configuration directory.
pub const DEFAULT_STORE_URL: &str = "sqlite://tollgate-data/tollgate.db";
/// Default CA directory, relative to the configuration directory.
pub const DEFAULT_CA_DIR: &str = "tollgate-data/ca";
/// Default cap on a buffered request body: 32 MiB, large enough for typical
/// ERP batch exports while bounding the memory one request can pin.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;
/// Default cap on all request bodies buffered at once: 1 GiB, 32 bodies of
/// the default maximum size, so slow or many clients cannot exhaust memory.
pub const DEFAULT_MAX_BUFFERED_BYTES: u64 = 1024 * 1024 * 1024;
/// Default number of client connections served at once; further clients
/// wait in the listen queue until one closes.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// Largest accepted `max_connections`: far above what one process can
/// serve, and within what the connection semaphore can count.
pub const MAX_CONNECTIONS_LIMIT: usize = 1_000_000;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    proxy: ProxySection,
    #[serde(default)]
    admin: AdminSection,
    #[serde(default)]
    store: StoreSection,
    #[serde(default)]
    ca: CaSection,
    #[serde(default)]
    exporter: ExporterSection,
    #[serde(default)]
    upstream: UpstreamSection,
    #[serde(default)]
    whitelist: FileSection,
    #[serde(default)]
    mechanisms: FileSection,
    #[serde(default)]
    pipl: PiplSection,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProxySection {
    #[serde(default = "default_proxy_listen")]
    listen: SocketAddr,
    #[serde(default = "default_max_body_bytes")]
    max_body_bytes: toml::Spanned<u64>,
    /// CA certificates (PEM) that client certificates must chain to; when
    /// set, the listener speaks TLS and requires a client certificate.
    client_ca: Option<PathBuf>,
    #[serde(default = "default_max_buffered_bytes")]
    max_buffered_bytes: toml::Spanned<u64>,
    #[serde(default = "default_max_connections")]
    max_connections: toml::Spanned<usize>,
}

impl Default for ProxySection {
    fn default() -> Self {
        ProxySection {
            listen: default_proxy_listen(),
            max_body_bytes: default_max_body_bytes(),
            client_ca: None,
            max_buffered_bytes: default_max_buffered_bytes(),
            max_connections: default_max_connections(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminSection {
    #[serde(default = "default_admin_listen")]
    listen: SocketAddr,
}

impl Default for AdminSection {
    fn default() -> Self {
        AdminSection {
            listen: default_admin_listen(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreSection {
    #[serde(default = "default_store_url")]
    url: toml::Spanned<String>,
}

impl Default for StoreSection {
    fn default() -> Self {
        StoreSection {
            url: default_store_url(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaSection {
    #[serde(default = "default_ca_dir")]
    dir: PathBuf,
}

impl Default for CaSection {
    fn default() -> Self {
        CaSection {
            dir: PathBuf::from(DEFAULT_CA_DIR),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpstreamSection {
    #[serde(default)]
    extra_roots: Vec<PathBuf>,
    #[serde(default)]
    resolve: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSection {
    file: Option<PathBuf>,
}

fn default_proxy_listen() -> SocketAddr {
    DEFAULT_PROXY_LISTEN.parse().expect("valid default")
}

fn default_admin_listen() -> SocketAddr {
    DEFAULT_ADMIN_LISTEN.parse().expect("valid default")
}

fn default_store_url() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, DEFAULT_STORE_URL.to_owned())
}

fn default_ca_dir() -> PathBuf {
    PathBuf::from(DEFAULT_CA_DIR)
}

fn default_max_body_bytes() -> toml::Spanned<u64> {
    toml::Spanned::new(0..0, DEFAULT_MAX_BODY_BYTES)
}

fn default_max_buffered_bytes() -> toml::Spanned<u64> {
    toml::Spanned::new(0..0, DEFAULT_MAX_BUFFERED_BYTES)
}

fn default_max_connections() -> toml::Spanned<usize> {
    toml::Spanned::new(0..0, DEFAULT_MAX_CONNECTIONS)
}

/// The settings of one gateway, with every path resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// The configuration file, or `None` when running on built-in defaults.
    pub source: Option<PathBuf>,
    pub proxy_listen: SocketAddr,
    pub max_body_bytes: u64,
    /// All request bodies buffered at once, in bytes.
    pub max_buffered_bytes: u64,
    pub max_connections: usize,
    /// With a value, the proxy listener requires TLS with a client
    /// certificate that chains to these CA certificates.
    pub proxy_client_ca: Option<PathBuf>,
    pub admin_listen: SocketAddr,
    pub store_url: audit::StoreUrl,
    pub ca_dir: PathBuf,
    /// The exporting entities and how clients map to them.
    pub exporters: Exporters,
    pub extra_roots: Vec<PathBuf>,
    /// Connect to this address instead of resolving the host name; the
    /// request's own port is not used.
    pub resolve: BTreeMap<HostName, SocketAddr>,
    /// PIPL volume thresholds (individuals per calendar year).
    pub pipl: Thresholds,
    /// The key that turns identifiers into keyed hashes for PIPL counting.
    pub pipl_key_file: PathBuf,
    pub whitelist_file: Option<PathBuf>,
    pub mechanisms_file: Option<PathBuf>,
}

impl Config {
    /// The built-in defaults, relative to the working directory.
    pub fn defaults() -> Result<Config, ConfigError> {
        Config::resolve(FileConfig::default(), None, Path::new("."), "")
    }

    /// Loads `path`, or the built-in defaults when `path` is `None`.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let Some(path) = path else {
            return Config::defaults();
        };
        let (file, text): (FileConfig, String) = whitelist::error::load_toml(path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        Config::resolve(file, Some(path), base, &text)
    }

    fn resolve(
        file: FileConfig,
        source: Option<&Path>,
        base: &Path,
        text: &str,
    ) -> Result<Config, ConfigError> {
        let source_path = source.unwrap_or(Path::new("tollgate.toml"));
        let url = &file.store.url;
        let store_url = audit::StoreUrl::parse(url.get_ref(), base).map_err(|error| {
            ConfigError::at_span(
                source_path,
                text,
                url.span(),
                format!("[store] url: {error}"),
            )
        })?;
        let max_body_bytes = *file.proxy.max_body_bytes.get_ref();
        if max_body_bytes == 0 {
            return Err(ConfigError::at_span(
                source_path,
                text,
                file.proxy.max_body_bytes.span(),
                "[proxy] max_body_bytes must be at least 1",
            ));
        }
        let max_buffered_bytes = *file.proxy.max_buffered_bytes.get_ref();
        if max_buffered_bytes < max_body_bytes {
            return Err(ConfigError::at_span(
                source_path,
                text,
                file.proxy.max_buffered_bytes.span(),
                format!(
                    "[proxy] max_buffered_bytes ({max_buffered_bytes}) is below max_body_bytes \
                     ({max_body_bytes}), so the largest allowed body could never be buffered; \
                     raise it to at least {max_body_bytes}"
                ),
            ));
        }
        let max_connections = *file.proxy.max_connections.get_ref();
        if !(1..=MAX_CONNECTIONS_LIMIT).contains(&max_connections) {
            return Err(ConfigError::at_span(
                source_path,
                text,
                file.proxy.max_connections.span(),
                format!("[proxy] max_connections must be between 1 and {MAX_CONNECTIONS_LIMIT}"),
            ));
        }

        let exporters =
            Exporters::from_section(file.exporter).map_err(|message| ConfigError::Invalid {
                path: source_path.to_path_buf(),
                location: None,
                message: format!("[exporter]: {message}"),
            })?;

        let mut resolve = BTreeMap::new();
        for (host, address) in file.upstream.resolve {
            let name = HostName::parse(host.get_ref()).map_err(|error| {
                ConfigError::at_span(
                    source_path,
                    text,
                    host.span(),
                    format!("[upstream] resolve: {error}"),
                )
            })?;
            let address = address.get_ref().parse::<SocketAddr>().map_err(|_| {
                ConfigError::at_span(
                    source_path,
                    text,
                    address.span(),
                    format!(
                        "[upstream] resolve: {:?} for {:?} is not an IP address with a \
                         port; write it as \"127.0.0.1:8443\" or \"[::1]:8443\"",
                        address.get_ref(),
                        host.get_ref()
                    ),
                )
            })?;
            resolve.insert(name, address);
        }

        Ok(Config {
            source: source.map(Path::to_path_buf),
            proxy_listen: file.proxy.listen,
            max_body_bytes,
            max_buffered_bytes,
            max_connections,
            proxy_client_ca: file.proxy.client_ca.map(|path| base.join(path)),
            admin_listen: file.admin.listen,
            store_url,
            ca_dir: base.join(file.ca.dir),
            exporters,
            extra_roots: file
                .upstream
                .extra_roots
                .iter()
                .map(|path| base.join(path))
                .collect(),
            resolve,
            pipl: file.pipl.thresholds(),
            pipl_key_file: base.join(file.pipl.key_file),
            whitelist_file: file.whitelist.file.map(|path| base.join(path)),
            mechanisms_file: file.mechanisms.file.map(|path| base.join(path)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads `text` from a temporary `tollgate.toml` and returns the error
    /// message with the directory removed.
    fn load_error(text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tollgate.toml");
        std::fs::write(&path, text).unwrap();
        let message = Config::load(Some(&path)).unwrap_err().to_string();
        message.replace(&format!("{}/", dir.path().display()), "")
    }

    #[test]
    fn defaults_match_documented_values() {
        let config = Config::defaults().unwrap();
        assert_eq!(config.proxy_listen.to_string(), "127.0.0.1:3128");
        assert_eq!(config.admin_listen.to_string(), "127.0.0.1:9090");
        assert_eq!(config.max_body_bytes, 33_554_432);
        assert_eq!(
            config.store_url,
            audit::StoreUrl::Sqlite(PathBuf::from("./tollgate-data/tollgate.db"))
        );
        assert_eq!(config.ca_dir, PathBuf::from("./tollgate-data/ca"));
        assert!(config.whitelist_file.is_none());
    }

    #[test]
    fn paths_are_relative_to_config_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tollgate.toml");
        std::fs::write(
            &path,
            r#"
            [ca]
            dir = "ca"
            [whitelist]
            file = "whitelist.toml"
            [upstream]
            extra_roots = ["roots/partner.pem"]
            resolve = { "API.Partner.Example." = "127.0.0.1:8443" }
            "#,
        )
        .unwrap();
        let config = Config::load(Some(&path)).unwrap();
        assert_eq!(config.ca_dir, dir.path().join("ca"));
        assert_eq!(
            config.whitelist_file,
            Some(dir.path().join("whitelist.toml"))
        );
        assert_eq!(
            config.extra_roots,
            vec![dir.path().join("roots/partner.pem")]
        );
        let host = HostName::parse("api.partner.example").unwrap();
        assert_eq!(config.resolve[&host].to_string(), "127.0.0.1:8443");
    }

    #[test]
    fn unknown_key_is_rejected_with_line() {
        let message = load_error("[proxy]\nlisten = \"127.0.0.1:3128\"\nmax_body = 5\n");
        assert!(message.contains("3:1"), "{message}");
        assert!(message.contains("unknown field `max_body`"), "{message}");
    }

    #[test]
    fn invalid_listen_address_is_rejected() {
        let message = load_error("[proxy]\nlisten = \"localhost\"\n");
        assert!(message.contains("2:10"), "{message}");
        assert!(message.contains("invalid socket address"), "{message}");
    }

    #[test]
    fn unknown_exporter_country_is_rejected() {
        let message = load_error("[exporter]\ncountry = \"XX\"\n");
        assert!(message.contains("2:11"), "{message}");
        assert!(message.contains("unknown country code \"XX\""), "{message}");
    }

    #[test]
    fn invalid_store_url_is_rejected() {
        let message = load_error("[store]\nurl = \"mysql://db\"\n");
        assert!(
            message.starts_with("tollgate.toml:2:7: [store] url: invalid store url \"mysql://db\""),
            "{message}"
        );
    }

    #[test]
    fn zero_body_limit_is_rejected() {
        let message = load_error("[proxy]\nmax_body_bytes = 0\n");
        assert_eq!(
            message,
            "tollgate.toml:2:18: [proxy] max_body_bytes must be at least 1"
        );
    }

    #[test]
    fn buffer_limits_are_checked_with_line() {
        let message = load_error("[proxy]\nmax_body_bytes = 4096\nmax_buffered_bytes = 1024\n");
        assert_eq!(
            message,
            "tollgate.toml:3:22: [proxy] max_buffered_bytes (1024) is below max_body_bytes \
             (4096), so the largest allowed body could never be buffered; raise it to at least \
             4096"
        );
        let message = load_error("[proxy]\nmax_connections = 0\n");
        assert_eq!(
            message,
            "tollgate.toml:2:19: [proxy] max_connections must be between 1 and 1000000"
        );
        let message = load_error("[proxy]\nmax_connections = 9223372036854775807\n");
        assert!(message.contains("between 1 and 1000000"), "{message}");
    }

    #[test]
    fn resolve_address_error_quotes_value() {
        for address in ["not-an-address", "127.0.0.1", "::1:8443", "example.com:443"] {
            let message = load_error(&format!(
                "[upstream]\nresolve = {{ \"api.example\" = \"{address}\" }}\n"
            ));
            assert!(message.contains("2:29"), "{message}");
            assert!(
                message.contains(&format!("{address:?} for \"api.example\"")),
                "{message}"
            );
            assert!(message.contains("\"[::1]:8443\""), "{message}");
        }
    }

    #[test]
    fn invalid_resolve_host_is_rejected_with_line() {
        let message = load_error("[upstream]\nresolve = { \"bad host\" = \"127.0.0.1:1\" }\n");
        assert!(message.contains("2:13"), "{message}");
        assert!(message.contains("[upstream] resolve:"), "{message}");
    }
}
