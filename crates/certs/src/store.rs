//! The authority's directory: `ca.pem` (certificate, world-readable) and
//! `ca-key.pem` (PKCS#8 private key, owner-only).
//!
//! Creating never overwrites an existing file, and loading rejects a key file
//! that group or others can access, a key that does not match the
//! certificate, a certificate that is not a CA and one outside its validity
//! period. A directory with only one of the two files is an error, never a
//! reason to generate a new authority silently: clients would stop trusting
//! the gateway without warning.

use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{Issuer, KeyPair, PublicKeyData};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use x509_parser::time::ASN1Time;

use crate::authority::CertificateAuthority;
use crate::error::CertError;

/// File name of the authority's certificate inside its directory.
pub const CA_CERTIFICATE_FILE: &str = "ca.pem";

/// File name of the authority's private key inside its directory.
pub const CA_KEY_FILE: &str = "ca-key.pem";

/// Mode of `ca.pem`, because the certificate is public and every client
/// imports it.
const CERTIFICATE_MODE: u32 = 0o644;

/// Mode of `ca-key.pem`, because anyone who can read the key can impersonate
/// any host to every client that trusts the authority.
const KEY_MODE: u32 = 0o600;

/// Mode of directories created for the CA: readable by the owner only.
const DIR_MODE: u32 = 0o700;

/// Permission bits for group and others. Any of them on the key file lets
/// someone besides the owner read, change or execute it.
const GROUP_OTHER_BITS: u32 = 0o077;

/// Common name used when the host name cannot be read.
const DEFAULT_COMMON_NAME: &str = "Tollgate Local CA";

/// Files that hold the kernel's host name, read in this order. Linux only,
/// because the standard library has no stable host-name call.
const HOSTNAME_FILES: [&str; 2] = ["/proc/sys/kernel/hostname", "/etc/hostname"];

/// The two file paths of an authority directory.
struct AuthorityPaths {
    certificate: PathBuf,
    key: PathBuf,
}

impl AuthorityPaths {
    fn new(dir: &Path) -> Self {
        Self {
            certificate: dir.join(CA_CERTIFICATE_FILE),
            key: dir.join(CA_KEY_FILE),
        }
    }
}

impl CertificateAuthority {
    /// Generates a new authority and writes it to `dir`, creating `dir` and
    /// its parents.
    ///
    /// The common name is `Tollgate Local CA (<hostname>)`, so users with
    /// several gateways can tell their certificates apart. The key file is
    /// created with mode 0600 by `open` itself, so it is never readable by
    /// others, even for a moment. Fails with [`CertError::AlreadyExists`]
    /// when either file exists.
    pub fn create(dir: &Path) -> Result<Self, CertError> {
        let paths = AuthorityPaths::new(dir);
        for path in [&paths.certificate, &paths.key] {
            if path_exists(path)? {
                return Err(CertError::AlreadyExists { path: path.clone() });
            }
        }

        let mut authority = Self::generate(&default_common_name())?;
        // Directories created here are private (0700): the key's directory
        // is often the gateway's data directory, which also holds the store.
        fs::DirBuilder::new()
            .recursive(true)
            .mode(DIR_MODE)
            .create(dir)
            .map_err(|source| CertError::CreateDir {
                path: dir.to_owned(),
                source,
            })?;
        write_new_file(&paths.key, KEY_MODE, authority.key_pem().as_bytes())?;
        let written = write_new_file(
            &paths.certificate,
            CERTIFICATE_MODE,
            authority.certificate_pem.as_bytes(),
        );
        if let Err(error) = written {
            // Without its certificate the key is useless, and leaving it would
            // make the next start fail with an incomplete-directory error.
            let _ = fs::remove_file(&paths.key);
            return Err(error);
        }

        authority.pem_path = Some(paths.certificate);
        Ok(authority)
    }

    /// Loads the authority from `dir/ca.pem` and `dir/ca-key.pem`.
    ///
    /// Checks, in order: the key file's mode gives group and others no
    /// access, the key parses as PKCS#8, the certificate file contains exactly
    /// one certificate, the key matches the certificate's public key, the
    /// certificate has basic constraints CA:true, and the current time lies
    /// within its validity period.
    pub fn load(dir: &Path) -> Result<Self, CertError> {
        let paths = AuthorityPaths::new(dir);
        check_key_mode(&paths.key)?;
        let key_pem = read_to_string(&paths.key)?;
        let key = KeyPair::from_pem(&key_pem).map_err(|source| CertError::InvalidKey {
            path: paths.key.clone(),
            source,
        })?;

        let certificate_pem = read_to_string(&paths.certificate)?;
        let certificate_der = parse_single_certificate(&paths.certificate, &certificate_pem)?;
        let not_after = check_certificate(&paths, &certificate_der, &key)?;
        let issuer = Issuer::from_ca_cert_der(&certificate_der, key).map_err(|error| {
            CertError::InvalidCertificate {
                path: paths.certificate.clone(),
                reason: error.to_string(),
            }
        })?;

        Ok(Self {
            issuer,
            certificate_pem,
            certificate_der,
            not_after,
            pem_path: Some(paths.certificate),
        })
    }

    /// Loads the authority in `dir`, or creates it when neither file exists.
    ///
    /// Returns `true` alongside the authority when it was created, so the
    /// caller can tell the operator to distribute the new `ca.pem`. Fails with
    /// [`CertError::Incomplete`] when only one of the two files exists.
    pub fn load_or_create(dir: &Path) -> Result<(Self, bool), CertError> {
        let paths = AuthorityPaths::new(dir);
        let certificate_exists = path_exists(&paths.certificate)?;
        let key_exists = path_exists(&paths.key)?;
        match (certificate_exists, key_exists) {
            (true, true) => Ok((Self::load(dir)?, false)),
            (false, false) => Ok((Self::create(dir)?, true)),
            (true, false) => Err(CertError::Incomplete {
                present: paths.certificate,
                missing: paths.key,
            }),
            (false, true) => Err(CertError::Incomplete {
                present: paths.key,
                missing: paths.certificate,
            }),
        }
    }
}

fn path_exists(path: &Path) -> Result<bool, CertError> {
    path.try_exists().map_err(|source| CertError::Read {
        path: path.to_owned(),
        source,
    })
}

fn read_to_string(path: &Path) -> Result<String, CertError> {
    fs::read_to_string(path).map_err(|source| CertError::Read {
        path: path.to_owned(),
        source,
    })
}

/// Creates `path` with `mode` and writes `contents`, failing if it exists.
fn write_new_file(path: &Path, mode: u32, contents: &[u8]) -> Result<(), CertError> {
    let write_error = |source: io::Error| CertError::Write {
        path: path.to_owned(),
        source,
    };
    let mut file: File = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|source| match source.kind() {
            io::ErrorKind::AlreadyExists => CertError::AlreadyExists {
                path: path.to_owned(),
            },
            _ => write_error(source),
        })?;
    // The umask may have cleared bits of `mode` (0644 becomes 0640 under
    // umask 027, which would hide the certificate from clients). Setting the
    // mode on the still-empty file restores exactly `mode`; it never adds
    // bits beyond it.
    file.set_permissions(Permissions::from_mode(mode))
        .map_err(write_error)?;
    file.write_all(contents).map_err(write_error)?;
    file.sync_all().map_err(write_error)
}

fn check_key_mode(path: &Path) -> Result<(), CertError> {
    let metadata = fs::metadata(path).map_err(|source| CertError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mode = metadata.permissions().mode() & 0o7777;
    if mode & GROUP_OTHER_BITS != 0 {
        return Err(CertError::KeyPermissions {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

fn parse_single_certificate(path: &Path, pem: &str) -> Result<CertificateDer<'static>, CertError> {
    let invalid = |reason: String| CertError::InvalidCertificate {
        path: path.to_owned(),
        reason,
    };
    let mut certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| invalid(error.to_string()))?;
    match certificates.len() {
        1 => Ok(certificates.remove(0)),
        0 => Err(invalid("no certificate found".to_owned())),
        count => Err(invalid(format!("found {count} certificates"))),
    }
}

/// Checks that `key` matches the certificate and that the certificate is a
/// CA within its validity period; returns its `not_after`.
fn check_certificate(
    paths: &AuthorityPaths,
    der: &CertificateDer<'_>,
    key: &KeyPair,
) -> Result<SystemTime, CertError> {
    let path = &paths.certificate;
    let (_, certificate) = x509_parser::parse_x509_certificate(der).map_err(|error| {
        CertError::InvalidCertificate {
            path: path.clone(),
            reason: error.to_string(),
        }
    })?;

    if certificate.public_key().raw != key.subject_public_key_info().as_slice() {
        return Err(CertError::KeyMismatch {
            key_path: paths.key.clone(),
            cert_path: path.clone(),
        });
    }

    // A malformed or duplicated basic constraints extension counts as absent.
    let is_ca = certificate
        .basic_constraints()
        .ok()
        .flatten()
        .is_some_and(|constraints| constraints.value.ca);
    if !is_ca {
        return Err(CertError::NotCa { path: path.clone() });
    }

    let validity = certificate.validity();
    let now = ASN1Time::now();
    if validity.not_after < now {
        return Err(CertError::Expired {
            path: path.clone(),
            not_after: format_time(validity.not_after),
        });
    }
    if validity.not_before > now {
        return Err(CertError::NotYetValid {
            path: path.clone(),
            not_before: format_time(validity.not_before),
        });
    }
    Ok(to_system_time(validity.not_after))
}

fn format_time(time: ASN1Time) -> String {
    time.to_rfc2822()
        .unwrap_or_else(|_| format!("{} seconds after the Unix epoch", time.timestamp()))
}

fn to_system_time(time: ASN1Time) -> SystemTime {
    let seconds = time.timestamp();
    match u64::try_from(seconds) {
        Ok(after_epoch) => UNIX_EPOCH + Duration::from_secs(after_epoch),
        Err(_) => UNIX_EPOCH - Duration::from_secs(seconds.unsigned_abs()),
    }
}

/// Returns `Tollgate Local CA (<hostname>)`, or `Tollgate Local CA` when no
/// host name can be read.
fn default_common_name() -> String {
    HOSTNAME_FILES
        .iter()
        .filter_map(|file| fs::read_to_string(file).ok())
        .map(|contents| contents.trim().to_owned())
        .find(|hostname| !hostname.is_empty())
        .map_or_else(
            || DEFAULT_COMMON_NAME.to_owned(),
            |hostname| format!("{DEFAULT_COMMON_NAME} ({hostname})"),
        )
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;

    const DAY: Duration = Duration::from_secs(24 * 60 * 60);

    /// Writes `authority` to `dir` the way `create` does.
    fn write_authority(dir: &Path, authority: &CertificateAuthority) {
        let paths = AuthorityPaths::new(dir);
        write_new_file(&paths.key, KEY_MODE, authority.key_pem().as_bytes()).unwrap();
        write_new_file(
            &paths.certificate,
            CERTIFICATE_MODE,
            authority.certificate_pem().as_bytes(),
        )
        .unwrap();
    }

    #[test]
    fn load_rejects_expired_authority() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let authority =
            CertificateAuthority::generate_valid_between("expired", now - 10 * DAY, now - DAY)
                .unwrap();
        write_authority(dir.path(), &authority);

        let error = CertificateAuthority::load(dir.path()).unwrap_err();

        assert!(matches!(error, CertError::Expired { .. }), "{error}");
    }

    #[test]
    fn load_rejects_not_yet_valid_authority() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let authority =
            CertificateAuthority::generate_valid_between("future", now + DAY, now + 10 * DAY)
                .unwrap();
        write_authority(dir.path(), &authority);

        let error = CertificateAuthority::load(dir.path()).unwrap_err();

        assert!(matches!(error, CertError::NotYetValid { .. }), "{error}");
    }

    #[test]
    fn default_common_name_starts_with_product_name() {
        assert!(default_common_name().starts_with(DEFAULT_COMMON_NAME));
    }
}
