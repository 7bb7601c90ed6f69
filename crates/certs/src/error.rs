//! The error type of this crate.

use std::io;
use std::path::PathBuf;

/// Failures of the certificate authority, of leaf minting and of PEM reading.
///
/// Variants about files name the path, so an operator can act on the message
/// alone.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    #[error("failed to generate a P-256 key pair: {0}")]
    KeyGeneration(#[source] rcgen::Error),

    #[error("failed to sign the certificate for {subject}: {source}")]
    Signing {
        subject: String,
        #[source]
        source: rcgen::Error,
    },

    #[error("failed to read random bytes for a certificate serial number")]
    Random,

    #[error("failed to create directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error(
        "{path} already exists; remove it or use the existing certificate authority in that directory"
    )]
    AlreadyExists { path: PathBuf },

    #[error("failed to write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("failed to read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error(
        "incomplete certificate authority: {present} exists but {missing} is missing; restore {missing}, or remove {present} to create a new certificate authority"
    )]
    Incomplete { present: PathBuf, missing: PathBuf },

    #[error(
        "{path} has mode {mode:04o}; it must be readable by its owner only: run chmod 600 {path}"
    )]
    KeyPermissions { path: PathBuf, mode: u32 },

    #[error("invalid private key in {path}: {source}; expected a PKCS#8 PEM private key")]
    InvalidKey {
        path: PathBuf,
        #[source]
        source: rcgen::Error,
    },

    #[error("invalid certificate in {path}: {reason}; expected one PEM certificate")]
    InvalidCertificate { path: PathBuf, reason: String },

    #[error(
        "the private key in {key_path} does not match the certificate in {cert_path}; restore the matching pair or remove both files to create a new certificate authority"
    )]
    KeyMismatch {
        key_path: PathBuf,
        cert_path: PathBuf,
    },

    #[error(
        "the certificate in {path} is not a certificate authority (basic constraints lack CA:true); use a CA certificate or remove it and its key to create a new one"
    )]
    NotCa { path: PathBuf },

    #[error(
        "the certificate authority in {path} expired on {not_after}; remove it and its key to create a new one, then make clients trust the new certificate"
    )]
    Expired { path: PathBuf, not_after: String },

    #[error(
        "the certificate authority in {path} is not valid before {not_before}; check the system clock"
    )]
    NotYetValid { path: PathBuf, not_before: String },

    #[error(
        "invalid host name {host:?} for a leaf certificate; expected a DNS name or an IP address"
    )]
    InvalidHost { host: String },

    #[error("failed to load the leaf private key for {host} with the ring provider: {source}")]
    LeafKey {
        host: String,
        #[source]
        source: rustls::Error,
    },

    /// `origin` is a file path, or "PEM input" for text without one.
    #[error("invalid PEM in {origin}: {source}")]
    Pem {
        origin: String,
        #[source]
        source: rustls_pki_types::pem::Error,
    },

    #[error("no certificate found in {origin}; expected a -----BEGIN CERTIFICATE----- block")]
    NoCertificate { origin: String },
}
