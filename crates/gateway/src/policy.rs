//! The reloadable part of the configuration: the whitelist, the mechanism
//! registry, the exporter, `resolve` overrides and upstream trust roots.
//!
//! A [`Policy`] is built whole and swapped in atomically, so a request sees
//! either the old policy or the new one, never a mix, and a policy that fails
//! to load never replaces the one serving.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use rustls::RootCertStore;
use whitelist::{ConfigError, HostName, MechanismRegistry, Whitelist};

use crate::config::Config;
use crate::exporter::Exporters;
use crate::pipl::Thresholds;

/// Why a policy could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error(transparent)]
    Config(#[from] ConfigError),

    #[error("[upstream] extra_roots: cannot use {path}: {reason}")]
    ExtraRoot { path: PathBuf, reason: String },

    #[error(
        "[exporter] country is missing but the whitelist has destinations; \
         set it to the ISO 3166-1 alpha-2 code of the exporting entity, e.g. country = \"CN\""
    )]
    MissingExporter,

    /// Checked on every load, reload included, although the listener reads
    /// the file only at start: a reload must not accept a file on which
    /// the next start would fail.
    #[error(transparent)]
    ClientCa(#[from] crate::client_tls::ClientTlsError),
}

/// One consistent set of rules that decides requests.
#[derive(Debug)]
pub struct Policy {
    pub whitelist: Whitelist,
    pub mechanisms: MechanismRegistry,
    /// The exporting entities; one is required whenever the whitelist has
    /// destinations, because the exporter's country decides which law
    /// applies.
    pub exporters: Exporters,
    pub resolve: BTreeMap<HostName, SocketAddr>,
    /// Client configuration for connections to destinations.
    pub upstream_tls: Arc<rustls::ClientConfig>,
    /// PIPL volume thresholds.
    pub pipl: Thresholds,
}

impl Policy {
    /// Loads the whitelist, the mechanisms and the trust roots that `config`
    /// names, and checks that they agree with each other.
    pub fn load(config: &Config) -> Result<Policy, PolicyError> {
        let mechanisms = match &config.mechanisms_file {
            Some(path) => MechanismRegistry::load(path)?,
            None => MechanismRegistry::empty(),
        };
        let whitelist = match &config.whitelist_file {
            Some(path) => Whitelist::load(path)?,
            None => Whitelist::empty(),
        };
        whitelist.check_mechanisms(&mechanisms)?;
        if let Some(path) = &config.proxy_client_ca {
            crate::client_tls::ClientTls::load(path)?;
        }
        if config.exporters.is_empty() && !whitelist.destinations().is_empty() {
            return Err(PolicyError::MissingExporter);
        }
        Ok(Policy {
            whitelist,
            mechanisms,
            exporters: config.exporters.clone(),
            resolve: config.resolve.clone(),
            upstream_tls: Arc::new(upstream_tls_config(&config.extra_roots)?),
            pipl: config.pipl,
        })
    }
}

/// Builds the TLS client configuration for destinations: the Mozilla root
/// store compiled in through `webpki-roots`, plus the operator's extra roots.
fn upstream_tls_config(extra_roots: &[PathBuf]) -> Result<rustls::ClientConfig, PolicyError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for path in extra_roots {
        let error = |reason: String| PolicyError::ExtraRoot {
            path: path.clone(),
            reason,
        };
        let pem = std::fs::read_to_string(path).map_err(|io| error(io.to_string()))?;
        let certificates = certs::pem_to_der_certs(&pem).map_err(|e| error(e.to_string()))?;
        for certificate in certificates {
            roots
                .add(certificate)
                .map_err(|rejected| error(format!("not a usable trust anchor: {rejected}")))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    // Only HTTP/1.1 is spoken upstream, so offer only that.
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}
