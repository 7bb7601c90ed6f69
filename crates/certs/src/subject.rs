//! The subject of a client certificate, by which the gateway maps a client
//! to the legal entity that exports its data.

use rustls_pki_types::CertificateDer;

/// The subject of a certificate that the TLS layer has already verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSubject {
    /// The distinguished name as x509-parser renders it, such as
    /// `CN=erp-shanghai, O=Example (Shanghai) Co., Ltd.`.
    pub distinguished_name: String,
    /// The first common name (CN), when there is one in UTF-8 or ASCII.
    pub common_name: Option<String>,
}

/// Reads the subject of `der`, or `None` when it is not a parsable X.509
/// certificate.
pub fn certificate_subject(der: &CertificateDer<'_>) -> Option<CertificateSubject> {
    let (_, certificate) = x509_parser::parse_x509_certificate(der).ok()?;
    let subject = certificate.subject();
    let common_name = subject
        .iter_common_name()
        .next()
        .and_then(|name| name.as_str().ok())
        .map(str::to_owned);
    Some(CertificateSubject {
        distinguished_name: subject.to_string(),
        common_name,
    })
}

/// Returns whether `der` is a certificate whose basic constraints mark it
/// as a certificate authority, as a trust anchor for client certificates
/// must be.
pub fn is_certificate_authority(der: &CertificateDer<'_>) -> bool {
    let Ok((_, certificate)) = x509_parser::parse_x509_certificate(der) else {
        return false;
    };
    certificate
        .basic_constraints()
        .ok()
        .flatten()
        .is_some_and(|constraints| constraints.value.ca)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::CertificateAuthority;

    #[test]
    fn client_certificate_subject_names_its_holder() {
        let authority = CertificateAuthority::generate("Test Clients CA").unwrap();
        let client = authority
            .issue_client("erp-shanghai", Duration::from_secs(600))
            .unwrap();
        let subject = certificate_subject(&client.chain[0]).unwrap();
        assert_eq!(subject.common_name.as_deref(), Some("erp-shanghai"));
        assert_eq!(subject.distinguished_name, "CN=erp-shanghai");
    }

    #[test]
    fn client_identity_pem_has_key_and_chain() {
        let authority = CertificateAuthority::generate("Test Clients CA").unwrap();
        let client = authority
            .issue_client("erp-berlin", Duration::from_secs(600))
            .unwrap();
        let pem = client.to_pem();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert_eq!(pem.matches("-----BEGIN CERTIFICATE-----").count(), 2);
        assert_eq!(crate::pem_to_der_certs(&pem).unwrap(), client.chain);
    }

    #[test]
    fn only_authorities_are_authorities() {
        let authority = CertificateAuthority::generate("Test Clients CA").unwrap();
        assert!(is_certificate_authority(&authority.certificate_der()));
        let client = authority
            .issue_client("erp-berlin", Duration::from_secs(600))
            .unwrap();
        assert!(!is_certificate_authority(&client.chain[0]));
    }

    #[test]
    fn garbage_has_no_subject() {
        assert_eq!(
            certificate_subject(&CertificateDer::from(vec![1, 2, 3])),
            None
        );
    }
}
