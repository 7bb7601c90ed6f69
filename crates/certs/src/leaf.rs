//! A minted leaf certificate and its conversion into a rustls signing key.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use rustls::sign::CertifiedKey;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::CertError;

/// A leaf certificate minted by [`CertificateAuthority::issue_leaf`], with its
/// private key.
///
/// [`CertificateAuthority::issue_leaf`]: crate::CertificateAuthority::issue_leaf
pub struct LeafCertificate {
    /// The host the leaf was minted for, as passed to `issue_leaf`.
    pub host: String,
    /// `[leaf, ca]`: the leaf first, then the authority's certificate, in the
    /// order a TLS server sends them.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's PKCS#8 private key.
    pub key: PrivateKeyDer<'static>,
    /// End of the leaf's validity period, in whole seconds as encoded in the
    /// certificate.
    pub not_after: SystemTime,
}

impl LeafCertificate {
    /// Loads the key with rustls' ring provider and pairs it with the chain,
    /// ready for a `ResolvesServerCert` implementation.
    pub fn certified_key(&self) -> Result<Arc<CertifiedKey>, CertError> {
        let signing_key =
            rustls::crypto::ring::sign::any_supported_type(&self.key).map_err(|source| {
                CertError::LeafKey {
                    host: self.host.clone(),
                    source,
                }
            })?;
        Ok(Arc::new(CertifiedKey::new(self.chain.clone(), signing_key)))
    }
}

impl LeafCertificate {
    /// Returns the private key and the chain as PEM, the form that HTTP
    /// clients such as curl (`--cert`) and reqwest (`Identity::from_pem`)
    /// load a client identity from.
    pub fn to_pem(&self) -> String {
        let mut blocks = vec![pem::Pem::new("PRIVATE KEY", self.key.secret_der().to_vec())];
        blocks.extend(
            self.chain
                .iter()
                .map(|certificate| pem::Pem::new("CERTIFICATE", certificate.to_vec())),
        );
        pem::encode_many(&blocks)
    }
}

impl fmt::Debug for LeafCertificate {
    /// Formats the leaf without its private key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeafCertificate")
            .field("host", &self.host)
            .field("chain_len", &self.chain.len())
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}
