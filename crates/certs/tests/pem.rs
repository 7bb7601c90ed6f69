//! Reading certificates from PEM text and files.

use std::fs;

use certs::{CertError, CertificateAuthority, load_pem_certs, pem_to_der_certs};

#[test]
fn pem_to_der_certs_reads_every_certificate() {
    let first = CertificateAuthority::generate("First CA").unwrap();
    let second = CertificateAuthority::generate("Second CA").unwrap();
    let bundle = format!("{}{}", first.certificate_pem(), second.certificate_pem());

    let certificates = pem_to_der_certs(&bundle).unwrap();

    assert_eq!(
        certificates,
        vec![first.certificate_der(), second.certificate_der()]
    );
}

#[test]
fn pem_to_der_certs_skips_other_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let authority = CertificateAuthority::create(dir.path()).unwrap();
    let key = fs::read_to_string(dir.path().join(certs::CA_KEY_FILE)).unwrap();
    let mixed = format!("{key}{}", authority.certificate_pem());

    let certificates = pem_to_der_certs(&mixed).unwrap();

    assert_eq!(certificates, vec![authority.certificate_der()]);
}

#[test]
fn pem_to_der_certs_rejects_input_without_certificate() {
    let cases = ["", "not PEM at all\n"];
    for input in cases {
        let result = pem_to_der_certs(input);

        assert!(
            matches!(&result, Err(CertError::NoCertificate { .. })),
            "{input:?}: {result:?}"
        );
    }
}

#[test]
fn pem_to_der_certs_rejects_broken_base64() {
    let input = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";

    let result = pem_to_der_certs(input);

    assert!(matches!(&result, Err(CertError::Pem { .. })), "{result:?}");
}

#[test]
fn load_pem_certs_names_file_without_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("partner-ca.pem");
    fs::write(&path, "nothing here\n").unwrap();

    let error = load_pem_certs(&path).unwrap_err();

    assert!(
        error.to_string().contains(&path.display().to_string()),
        "{error}"
    );
}

#[test]
fn load_pem_certs_reads_file() {
    let dir = tempfile::tempdir().unwrap();
    let authority = CertificateAuthority::create(dir.path()).unwrap();

    let certificates = load_pem_certs(authority.pem_path().unwrap()).unwrap();

    assert_eq!(certificates, vec![authority.certificate_der()]);
}
