//! Creating and loading an authority directory (`ca.pem`, `ca-key.pem`).

use std::fs::{self, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use certs::{CA_CERTIFICATE_FILE, CA_KEY_FILE, CertError, CertificateAuthority};

fn mode_of(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn write_file(path: &Path, mode: u32, contents: &str) {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .unwrap();
    file.set_permissions(Permissions::from_mode(mode)).unwrap();
    file.write_all(contents.as_bytes()).unwrap();
}

#[test]
fn create_writes_certificate_and_key_with_modes() {
    let dir = tempfile::tempdir().unwrap();

    CertificateAuthority::create(dir.path()).unwrap();

    assert_eq!(mode_of(&dir.path().join(CA_CERTIFICATE_FILE)), 0o644);
    assert_eq!(mode_of(&dir.path().join(CA_KEY_FILE)), 0o600);
}

#[test]
fn create_writes_pem_contents() {
    let dir = tempfile::tempdir().unwrap();

    let authority = CertificateAuthority::create(dir.path()).unwrap();

    let certificate = fs::read_to_string(dir.path().join(CA_CERTIFICATE_FILE)).unwrap();
    let key = fs::read_to_string(dir.path().join(CA_KEY_FILE)).unwrap();
    assert_eq!(certificate, authority.certificate_pem());
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"), "{key}");
}

#[test]
fn create_makes_missing_parent_directories() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("data").join("ca");

    let authority = CertificateAuthority::create(&nested).unwrap();

    assert_eq!(
        authority.pem_path(),
        Some(nested.join(CA_CERTIFICATE_FILE).as_path())
    );
    assert!(nested.join(CA_KEY_FILE).is_file());
}

#[test]
fn create_names_authority_after_product() {
    let dir = tempfile::tempdir().unwrap();

    let authority = CertificateAuthority::create(dir.path()).unwrap();

    let der = authority.certificate_der();
    let (_, certificate) = x509_parser::parse_x509_certificate(&der).unwrap();
    let subject = certificate.subject().to_string();
    assert!(subject.contains("CN=Tollgate Local CA"), "{subject}");
    assert!(subject.contains("O=Tollgate"), "{subject}");
}

#[test]
fn create_refuses_to_overwrite_existing_files() {
    let cases = [CA_CERTIFICATE_FILE, CA_KEY_FILE];
    for existing in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(existing);
        write_file(&path, 0o600, "keep me");

        let error = CertificateAuthority::create(dir.path()).unwrap_err();

        assert!(
            matches!(&error, CertError::AlreadyExists { path: p } if *p == path),
            "{existing}: {error}"
        );
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(
            message.contains("remove it or use the existing"),
            "{message}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "keep me", "{existing}");
    }
}

#[test]
fn load_round_trips_created_authority() {
    let dir = tempfile::tempdir().unwrap();
    let created = CertificateAuthority::create(dir.path()).unwrap();

    let loaded = CertificateAuthority::load(dir.path()).unwrap();

    assert_eq!(loaded.certificate_der(), created.certificate_der());
    assert_eq!(loaded.certificate_pem(), created.certificate_pem());
    assert_eq!(loaded.not_after(), created.not_after());
    assert_eq!(loaded.pem_path(), created.pem_path());
}

#[test]
fn loaded_authority_issues_leaves_under_same_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let created = CertificateAuthority::create(dir.path()).unwrap();
    let loaded = CertificateAuthority::load(dir.path()).unwrap();

    let leaf = loaded
        .issue_leaf("api.partner.example", certs::LEAF_VALIDITY)
        .unwrap();

    let (_, leaf_certificate) = x509_parser::parse_x509_certificate(&leaf.chain[0]).unwrap();
    let ca_der = created.certificate_der();
    let (_, ca_certificate) = x509_parser::parse_x509_certificate(&ca_der).unwrap();
    assert_eq!(leaf.chain[1], ca_der);
    assert_eq!(leaf_certificate.issuer(), ca_certificate.subject());
    leaf_certificate
        .verify_signature(Some(ca_certificate.public_key()))
        .unwrap();
}

#[test]
fn load_rejects_key_readable_by_group() {
    let dir = tempfile::tempdir().unwrap();
    CertificateAuthority::create(dir.path()).unwrap();
    let key_path = dir.path().join(CA_KEY_FILE);
    fs::set_permissions(&key_path, Permissions::from_mode(0o640)).unwrap();

    let error = CertificateAuthority::load(dir.path()).unwrap_err();

    let path = key_path.display();
    assert_eq!(
        error.to_string(),
        format!(
            "{path} has mode 0640; it must be readable by its owner only: run chmod 600 {path}"
        )
    );
}

#[test]
fn load_accepts_key_readable_by_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    CertificateAuthority::create(dir.path()).unwrap();
    let key_path = dir.path().join(CA_KEY_FILE);
    fs::set_permissions(&key_path, Permissions::from_mode(0o400)).unwrap();

    let loaded = CertificateAuthority::load(dir.path());

    assert!(loaded.is_ok(), "{:?}", loaded.err());
}

#[test]
fn load_rejects_mismatched_key_and_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    CertificateAuthority::create(dir.path()).unwrap();
    CertificateAuthority::create(other.path()).unwrap();
    let key_path = dir.path().join(CA_KEY_FILE);
    fs::copy(other.path().join(CA_KEY_FILE), &key_path).unwrap();

    let error = CertificateAuthority::load(dir.path()).unwrap_err();

    assert!(
        matches!(&error, CertError::KeyMismatch { key_path: p, .. } if *p == key_path),
        "{error}"
    );
}

#[test]
fn load_rejects_certificate_that_is_not_ca() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["not-a-ca.example".to_owned()]).unwrap();
    let certificate = params.self_signed(&key).unwrap();
    write_file(&dir.path().join(CA_KEY_FILE), 0o600, &key.serialize_pem());
    write_file(
        &dir.path().join(CA_CERTIFICATE_FILE),
        0o644,
        &certificate.pem(),
    );

    let error = CertificateAuthority::load(dir.path()).unwrap_err();

    assert!(matches!(error, CertError::NotCa { .. }), "{error}");
}

fn is_invalid_key(error: &CertError) -> bool {
    matches!(error, CertError::InvalidKey { .. })
}

fn is_invalid_certificate(error: &CertError) -> bool {
    matches!(error, CertError::InvalidCertificate { .. })
}

#[test]
fn load_rejects_invalid_files() {
    let valid = tempfile::tempdir().unwrap();
    let authority = CertificateAuthority::create(valid.path()).unwrap();
    let valid_key = fs::read_to_string(valid.path().join(CA_KEY_FILE)).unwrap();
    let two_certificates = authority.certificate_pem().repeat(2);
    type Check = fn(&CertError) -> bool;
    // (case, certificate file contents, key file contents, expected error)
    let cases: [(&str, &str, &str, Check); 3] = [
        (
            "key not PEM",
            authority.certificate_pem(),
            "not a key",
            is_invalid_key,
        ),
        (
            "certificate file empty",
            "",
            &valid_key,
            is_invalid_certificate,
        ),
        (
            "certificate file with two certificates",
            &two_certificates,
            &valid_key,
            is_invalid_certificate,
        ),
    ];
    for (case, certificate, key, is_expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        write_file(&dir.path().join(CA_CERTIFICATE_FILE), 0o644, certificate);
        write_file(&dir.path().join(CA_KEY_FILE), 0o600, key);

        let error = CertificateAuthority::load(dir.path()).unwrap_err();

        assert!(is_expected(&error), "{case}: {error}");
    }
}

#[test]
fn load_reports_missing_directory() {
    let dir = tempfile::tempdir().unwrap();

    let error = CertificateAuthority::load(&dir.path().join("absent")).unwrap_err();

    assert!(matches!(error, CertError::Read { .. }), "{error}");
}

#[test]
fn load_or_create_creates_then_loads() {
    let dir = tempfile::tempdir().unwrap();

    let (created, was_created) = CertificateAuthority::load_or_create(dir.path()).unwrap();
    let (loaded, was_created_again) = CertificateAuthority::load_or_create(dir.path()).unwrap();

    assert!(was_created);
    assert!(!was_created_again);
    assert_eq!(loaded.certificate_der(), created.certificate_der());
}

#[test]
fn load_or_create_rejects_directory_with_one_file() {
    // (file removed after creation, file that remains)
    let cases = [
        (CA_KEY_FILE, CA_CERTIFICATE_FILE),
        (CA_CERTIFICATE_FILE, CA_KEY_FILE),
    ];
    for (removed, remaining) in cases {
        let dir = tempfile::tempdir().unwrap();
        CertificateAuthority::create(dir.path()).unwrap();
        let remaining_before = fs::read(dir.path().join(remaining)).unwrap();
        fs::remove_file(dir.path().join(removed)).unwrap();

        let error = CertificateAuthority::load_or_create(dir.path()).unwrap_err();

        assert!(
            matches!(
                &error,
                CertError::Incomplete { present, missing }
                    if *present == dir.path().join(remaining)
                        && *missing == dir.path().join(removed)
            ),
            "removed {removed}: {error}"
        );
        let remaining_after = fs::read(dir.path().join(remaining)).unwrap();
        assert_eq!(remaining_after, remaining_before, "removed {removed}");
        assert!(!dir.path().join(removed).exists(), "removed {removed}");
    }
}

#[test]
fn in_memory_authority_has_no_pem_path() {
    let authority = CertificateAuthority::generate("Test CA").unwrap();

    assert_eq!(authority.pem_path(), None);
}
