//! Tollgate's local certificate authority.
//!
//! The gateway intercepts TLS to inspect outbound requests. Clients trust the
//! authority's certificate (`ca.pem`), and for each intercepted host the
//! gateway presents a leaf certificate that this crate mints on demand and
//! caches ([`LeafCache`]). The test suite also mints its test servers'
//! certificates here, so no test depends on certificates from elsewhere.
//!
//! Keys are ECDSA P-256, generated and signed with `ring`. Nothing here
//! installs a process-wide rustls crypto provider; callers pass
//! `rustls::crypto::ring::default_provider()` to their configs explicitly.

mod authority;
mod cache;
mod error;
mod leaf;
mod pem;
mod store;
mod subject;

pub use authority::{CA_ORGANIZATION, CA_VALIDITY, CLOCK_SKEW_ALLOWANCE, CertificateAuthority};
pub use cache::{DEFAULT_LEAF_CACHE_CAPACITY, LEAF_RENEW_BEFORE, LEAF_VALIDITY, LeafCache};
pub use error::CertError;
pub use leaf::LeafCertificate;
pub use pem::{load_pem_certs, pem_to_der_certs};
pub use store::{CA_CERTIFICATE_FILE, CA_KEY_FILE};
pub use subject::{CertificateSubject, certificate_subject, is_certificate_authority};
