//! The in-memory certificate authority and the leaf certificates it signs.
//!
//! This module only builds certificates. Reading and writing the authority's
//! files is in `store.rs`.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256, SanType, SerialNumber,
};
use ring::rand::{SecureRandom, SystemRandom};
use rustls_pki_types::{CertificateDer, DnsName, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::error::CertError;
use crate::leaf::LeafCertificate;

/// Validity of a generated certificate authority: 10 years.
///
/// Every client has to import `ca.pem` by hand, so a short lifetime would
/// mean repeated manual work on every client. The key stays on the gateway
/// host in a file with mode 0600, and an expired authority fails to load with
/// an error that explains how to replace it.
pub const CA_VALIDITY: Duration = Duration::from_secs(10 * 365 * 24 * 60 * 60);

/// How far `not_before` is set in the past, for both the authority and its
/// leaves, so that clients whose clock runs behind the gateway's still accept
/// a certificate minted a moment ago.
pub const CLOCK_SKEW_ALLOWANCE: Duration = Duration::from_secs(60 * 60);

/// Organization (O) in the authority's subject, so users can recognise the
/// certificate in their trust store.
pub const CA_ORGANIZATION: &str = "Tollgate";

/// Length of a random serial number in bytes. 16 bytes carry 126 random bits
/// (two bits of the first byte are fixed) and stay under the 20-octet limit
/// that RFC 5280 sets for X.509 serial numbers.
const SERIAL_NUMBER_BYTES: usize = 16;

/// A certificate authority: an ECDSA P-256 key and its self-signed CA
/// certificate, able to sign leaf certificates for intercepted hosts.
///
/// The authority is immutable after construction and is shared between tasks
/// behind an `Arc`.
pub struct CertificateAuthority {
    pub(crate) issuer: Issuer<'static, KeyPair>,
    pub(crate) certificate_pem: String,
    pub(crate) certificate_der: CertificateDer<'static>,
    pub(crate) not_after: SystemTime,
    pub(crate) pem_path: Option<PathBuf>,
}

impl CertificateAuthority {
    /// Generates a new authority in memory with subject
    /// `CN=<common_name>, O=Tollgate`, valid from [`CLOCK_SKEW_ALLOWANCE`] ago
    /// for [`CA_VALIDITY`].
    ///
    /// The certificate has basic constraints CA:true with path length 0, so it
    /// can sign leaves but no intermediate authorities.
    pub fn generate(common_name: &str) -> Result<Self, CertError> {
        let now = SystemTime::now();
        Self::generate_valid_between(common_name, now - CLOCK_SKEW_ALLOWANCE, now + CA_VALIDITY)
    }

    /// Generates an authority with an explicit validity period, which lets
    /// tests build expired or not-yet-valid authorities.
    pub(crate) fn generate_valid_between(
        common_name: &str,
        not_before: SystemTime,
        not_after: SystemTime,
    ) -> Result<Self, CertError> {
        let not_after = truncate_to_seconds(not_after);
        let mut params = CertificateParams::default();
        params.not_before = not_before.into();
        params.not_after = not_after.into();
        params.serial_number = Some(random_serial_number()?);
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        params
            .distinguished_name
            .push(DnType::OrganizationName, CA_ORGANIZATION);
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];

        let key = generate_key()?;
        let certificate = params
            .self_signed(&key)
            .map_err(|source| CertError::Signing {
                subject: common_name.to_owned(),
                source,
            })?;
        Ok(Self {
            certificate_pem: certificate.pem(),
            certificate_der: certificate.der().clone(),
            issuer: Issuer::new(params, key),
            not_after,
            pem_path: None,
        })
    }

    /// Returns the authority's certificate in PEM form, as clients import it.
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// Returns the authority's certificate in DER form, for a rustls root
    /// store or the end of a certificate chain.
    pub fn certificate_der(&self) -> CertificateDer<'static> {
        self.certificate_der.clone()
    }

    /// Returns the end of the authority certificate's validity period.
    pub fn not_after(&self) -> SystemTime {
        self.not_after
    }

    /// Returns the path of `ca.pem` for an authority that was created or
    /// loaded from a directory, and `None` for one generated in memory.
    pub fn pem_path(&self) -> Option<&Path> {
        self.pem_path.as_deref()
    }

    /// Mints a leaf certificate for `host` with a fresh P-256 key.
    ///
    /// `host` is a DNS name, already normalised by the caller, or an IP
    /// literal without brackets, which becomes an IP address SAN. The leaf
    /// carries exactly one SAN (the host), CN=host, extended key usage
    /// serverAuth and key usage digitalSignature. It is valid from
    /// [`CLOCK_SKEW_ALLOWANCE`] ago until `now + validity`, cut to the
    /// authority's own `not_after` because no client accepts a leaf that
    /// outlives its issuer.
    pub fn issue_leaf(&self, host: &str, validity: Duration) -> Result<LeafCertificate, CertError> {
        let subject_alt_name = subject_alt_name(host)?;
        self.issue(
            host,
            vec![subject_alt_name],
            ExtendedKeyUsagePurpose::ServerAuth,
            validity,
        )
    }

    /// Mints a client certificate with CN=`name`, no SAN and extended key
    /// usage clientAuth, valid like a leaf from [`Self::issue_leaf`].
    ///
    /// Tollgate's proxy listener can require client certificates and map
    /// their subjects to exporters. An operator may issue them from any CA,
    /// and tests issue them from this one.
    pub fn issue_client(
        &self,
        name: &str,
        validity: Duration,
    ) -> Result<LeafCertificate, CertError> {
        self.issue(
            name,
            Vec::new(),
            ExtendedKeyUsagePurpose::ClientAuth,
            validity,
        )
    }

    fn issue(
        &self,
        host: &str,
        subject_alt_names: Vec<SanType>,
        usage: ExtendedKeyUsagePurpose,
        validity: Duration,
    ) -> Result<LeafCertificate, CertError> {
        let now = SystemTime::now();
        let requested_not_after = now.checked_add(validity).unwrap_or(self.not_after);
        let not_after = truncate_to_seconds(requested_not_after.min(self.not_after));

        let mut params = CertificateParams::default();
        params.not_before = (now - CLOCK_SKEW_ALLOWANCE).into();
        params.not_after = not_after.into();
        params.serial_number = Some(random_serial_number()?);
        params.subject_alt_names = subject_alt_names;
        params.distinguished_name = DistinguishedName::new();
        params.distinguished_name.push(DnType::CommonName, host);
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![usage];
        params.use_authority_key_identifier_extension = true;

        let key = generate_key()?;
        let certificate =
            params
                .signed_by(&key, &self.issuer)
                .map_err(|source| CertError::Signing {
                    subject: host.to_owned(),
                    source,
                })?;
        let key_der = PrivatePkcs8KeyDer::from(key.serialize_der());
        Ok(LeafCertificate {
            host: host.to_owned(),
            chain: vec![certificate.der().clone(), self.certificate_der()],
            key: PrivateKeyDer::Pkcs8(key_der),
            not_after,
        })
    }

    /// Returns the authority's private key as PKCS#8 PEM, for `ca-key.pem`.
    pub(crate) fn key_pem(&self) -> String {
        self.issuer.key().serialize_pem()
    }
}

impl fmt::Debug for CertificateAuthority {
    /// Formats the authority without its private key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateAuthority")
            .field("pem_path", &self.pem_path)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

/// Builds the single SAN of a leaf: an IP address SAN for an IP literal,
/// otherwise a DNS name SAN, after checking the DNS name syntax.
fn subject_alt_name(host: &str) -> Result<SanType, CertError> {
    if let Ok(address) = IpAddr::from_str(host) {
        return Ok(SanType::IpAddress(address));
    }
    let invalid = || CertError::InvalidHost {
        host: host.to_owned(),
    };
    DnsName::try_from(host).map_err(|_| invalid())?;
    let ia5 = host.try_into().map_err(|_| invalid())?;
    Ok(SanType::DnsName(ia5))
}

fn generate_key() -> Result<KeyPair, CertError> {
    KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(CertError::KeyGeneration)
}

/// Draws a positive random serial number, so two certificates minted for the
/// same host never share one.
fn random_serial_number() -> Result<SerialNumber, CertError> {
    let mut bytes = [0u8; SERIAL_NUMBER_BYTES];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| CertError::Random)?;
    // DER integers are signed, so a clear top bit keeps the serial positive.
    bytes[0] &= 0x7f;
    // A non-zero first byte keeps the serial above zero, which X.509 requires,
    // and its encoding at the full 16 bytes.
    bytes[0] |= 0x01;
    Ok(SerialNumber::from_slice(&bytes))
}

/// Drops sub-second precision, which X.509 times cannot encode, so that the
/// `not_after` this crate reports equals the one in the certificate.
fn truncate_to_seconds(time: SystemTime) -> SystemTime {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since_epoch) => UNIX_EPOCH + Duration::from_secs(since_epoch.as_secs()),
        Err(_) => time,
    }
}
