//! Reading extra trust roots, such as a partner's private CA, from PEM text.

use std::fs;
use std::path::Path;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::error::CertError;

/// Name used in errors for PEM text that did not come from a file.
const PEM_INPUT_ORIGIN: &str = "PEM input";

/// Parses every `CERTIFICATE` block in `pem`, skipping other block types such
/// as private keys.
///
/// Fails with [`CertError::NoCertificate`] when there is none, because a
/// trust-root file without certificates is a configuration mistake.
pub fn pem_to_der_certs(pem: &str) -> Result<Vec<CertificateDer<'static>>, CertError> {
    parse_certificates(pem.as_bytes(), PEM_INPUT_ORIGIN)
}

/// Reads the PEM file at `path` and parses it like [`pem_to_der_certs`], with
/// `path` in any error.
pub fn load_pem_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, CertError> {
    let contents = fs::read(path).map_err(|source| CertError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_certificates(&contents, &path.display().to_string())
}

fn parse_certificates(pem: &[u8], origin: &str) -> Result<Vec<CertificateDer<'static>>, CertError> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| CertError::Pem {
            origin: origin.to_owned(),
            source,
        })?;
    if certificates.is_empty() {
        return Err(CertError::NoCertificate {
            origin: origin.to_owned(),
        });
    }
    Ok(certificates)
}
