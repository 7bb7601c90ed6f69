//! TLS between clients and the proxy listener, with client certificates.
//!
//! When `[proxy] client_ca` is set, clients reach the proxy over TLS (an
//! HTTPS proxy, such as curl's `--proxy https://...`) and must present a
//! certificate issued by that CA. The certificate's subject then maps the
//! client to its exporter, and unlike a proxy user name it is
//! authenticated. The proxy's own certificate is minted by the Tollgate CA,
//! which clients trust already for interception, for the server name the
//! client sends, or for the address it connected to when it sends none.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use certs::{CertificateSubject, LeafCache};
use rustls::RootCertStore;
use rustls::server::danger::ClientCertVerifier;
use rustls::server::{Acceptor, VerifierBuilderError, WebPkiClientVerifier};
use tokio::net::TcpStream;
use tokio_rustls::LazyConfigAcceptor;
use tokio_rustls::server::TlsStream;

use crate::connect::FixedCertificate;

/// Time a client has to complete the TLS handshake with the proxy
/// listener, so a silent connection cannot hold a task.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);

/// An error in the client certificate authority file.
#[derive(Debug, thiserror::Error)]
pub enum ClientTlsError {
    #[error("[proxy] client_ca = {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: certs::CertError,
    },
    #[error(
        "[proxy] client_ca = {}: {reason}; expected the PEM certificate of the CA that \
         issues client certificates",
        path.display()
    )]
    Verifier { path: PathBuf, reason: String },
}

/// The verifier of client certificates, built once when the gateway starts.
pub struct ClientTls {
    verifier: Arc<dyn ClientCertVerifier>,
}

impl std::fmt::Debug for ClientTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientTls").finish_non_exhaustive()
    }
}

impl ClientTls {
    /// Loads the CA certificates in `path` that client certificates must
    /// chain to.
    pub fn load(path: &Path) -> Result<ClientTls, ClientTlsError> {
        let certificates = certs::load_pem_certs(path).map_err(|source| ClientTlsError::Read {
            path: path.to_owned(),
            source,
        })?;
        let verifier_error = |reason: String| ClientTlsError::Verifier {
            path: path.to_owned(),
            reason,
        };
        let mut roots = RootCertStore::empty();
        for certificate in certificates {
            if !certs::is_certificate_authority(&certificate) {
                let subject = certs::certificate_subject(&certificate)
                    .map_or_else(|| "a certificate".to_owned(), |s| s.distinguished_name);
                return Err(verifier_error(format!(
                    "{subject} is not a CA certificate (its basic constraints lack CA:TRUE)"
                )));
            }
            roots
                .add(certificate)
                .map_err(|error| verifier_error(error.to_string()))?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|error: VerifierBuilderError| verifier_error(error.to_string()))?;
        Ok(ClientTls { verifier })
    }

    /// Completes the TLS handshake on an accepted connection and returns
    /// the stream with the subject of the verified client certificate.
    /// The error is a sentence for the log.
    pub async fn accept(
        &self,
        leaves: &LeafCache,
        stream: TcpStream,
    ) -> Result<(TlsStream<TcpStream>, Option<CertificateSubject>), String> {
        let local: SocketAddr = stream
            .local_addr()
            .map_err(|error| format!("the connection has no local address: {error}"))?;
        let handshake = async {
            let start = LazyConfigAcceptor::new(Acceptor::default(), stream)
                .await
                .map_err(|error| format!("invalid TLS ClientHello: {error}"))?;
            let name = start
                .client_hello()
                .server_name()
                .map_or_else(|| local.ip().to_string(), str::to_owned);
            let key = leaves
                .certified_key(&name)
                .map_err(|error| format!("no certificate for {name:?}: {error}"))?;
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let mut config = rustls::ServerConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("ring supports the default protocol versions")
                .with_client_cert_verifier(Arc::clone(&self.verifier))
                .with_cert_resolver(Arc::new(FixedCertificate(key)));
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            start.into_stream(Arc::new(config)).await.map_err(|error| {
                format!(
                    "TLS handshake failed: {error}; the client needs a certificate from the \
                     [proxy] client_ca and must trust the Tollgate CA"
                )
            })
        };
        let tls = tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake)
            .await
            .map_err(|_| {
                format!(
                    "TLS handshake timed out after {} s",
                    HANDSHAKE_TIMEOUT.as_secs()
                )
            })??;
        let subject = tls
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|chain| chain.first())
            .and_then(certs::certificate_subject);
        Ok((tls, subject))
    }
}
