//! Contents of the authority certificate and of the leaves it mints.

use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use certs::{CA_VALIDITY, CLOCK_SKEW_ALLOWANCE, CertError, CertificateAuthority, LEAF_VALIDITY};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::oid_registry::OID_KEY_TYPE_EC_PUBLIC_KEY;

/// Slack for the seconds that pass between minting and checking.
const TIMING_TOLERANCE: Duration = Duration::from_secs(60);

fn seconds_since_epoch(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn assert_close(actual: i64, expected: i64, field: &str) {
    let tolerance = TIMING_TOLERANCE.as_secs() as i64;
    assert!(
        (actual - expected).abs() <= tolerance,
        "{field}: {actual} is not within {tolerance}s of {expected}"
    );
}

fn parse(der: &[u8]) -> X509Certificate<'_> {
    x509_parser::parse_x509_certificate(der).unwrap().1
}

#[test]
fn authority_certificate_is_constrained_ca() {
    let authority = CertificateAuthority::generate("Test CA").unwrap();
    let der = authority.certificate_der();
    let certificate = parse(&der);

    let constraints = certificate.basic_constraints().unwrap().unwrap().value;
    assert!(constraints.ca);
    assert_eq!(constraints.path_len_constraint, Some(0));
    let usage = certificate.key_usage().unwrap().unwrap().value;
    assert!(usage.key_cert_sign());
    assert!(usage.crl_sign());
    assert!(usage.digital_signature());
    assert_eq!(certificate.subject().to_string(), "CN=Test CA, O=Tollgate");
    assert_eq!(
        certificate.public_key().algorithm.algorithm,
        OID_KEY_TYPE_EC_PUBLIC_KEY
    );
}

#[test]
fn authority_validity_starts_before_now() {
    let now = seconds_since_epoch(SystemTime::now());
    let authority = CertificateAuthority::generate("Test CA").unwrap();
    let der = authority.certificate_der();
    let validity = parse(&der).validity().clone();

    let skew = CLOCK_SKEW_ALLOWANCE.as_secs() as i64;
    let lifetime = CA_VALIDITY.as_secs() as i64;
    assert_close(validity.not_before.timestamp(), now - skew, "not_before");
    assert_close(validity.not_after.timestamp(), now + lifetime, "not_after");
    assert_eq!(
        seconds_since_epoch(authority.not_after()),
        validity.not_after.timestamp()
    );
}

#[test]
fn authority_serial_numbers_differ() {
    let first = CertificateAuthority::generate("Test CA").unwrap();
    let second = CertificateAuthority::generate("Test CA").unwrap();
    let first_der = first.certificate_der();
    let second_der = second.certificate_der();

    assert_ne!(
        parse(&first_der).raw_serial(),
        parse(&second_der).raw_serial()
    );
}

#[test]
fn leaf_for_dns_name_has_single_dns_san() {
    let authority = CertificateAuthority::generate("Test CA").unwrap();

    let leaf = authority
        .issue_leaf("api.partner.example", LEAF_VALIDITY)
        .unwrap();

    let certificate = parse(&leaf.chain[0]);
    let names = &certificate
        .subject_alternative_name()
        .unwrap()
        .unwrap()
        .value
        .general_names;
    assert_eq!(names, &[GeneralName::DNSName("api.partner.example")]);
    assert_eq!(certificate.subject().to_string(), "CN=api.partner.example");
}

#[test]
fn leaf_for_ip_literal_has_single_ip_san() {
    let cases = ["127.0.0.1", "::1"];
    let authority = CertificateAuthority::generate("Test CA").unwrap();
    for host in cases {
        let leaf = authority.issue_leaf(host, LEAF_VALIDITY).unwrap();

        let certificate = parse(&leaf.chain[0]);
        let names = &certificate
            .subject_alternative_name()
            .unwrap()
            .unwrap()
            .value
            .general_names;
        assert_eq!(names.len(), 1, "{host}");
        let GeneralName::IPAddress(octets) = names[0] else {
            panic!("{host}: expected an IP address SAN, found {:?}", names[0]);
        };
        let expected = match host.parse::<IpAddr>().unwrap() {
            IpAddr::V4(address) => address.octets().to_vec(),
            IpAddr::V6(address) => address.octets().to_vec(),
        };
        assert_eq!(octets, expected.as_slice(), "{host}");
    }
}

#[test]
fn leaf_is_server_auth_end_entity() {
    let authority = CertificateAuthority::generate("Test CA").unwrap();

    let leaf = authority
        .issue_leaf("api.partner.example", LEAF_VALIDITY)
        .unwrap();

    let certificate = parse(&leaf.chain[0]);
    let extended_usage = certificate.extended_key_usage().unwrap().unwrap().value;
    assert!(extended_usage.server_auth);
    let usage = certificate.key_usage().unwrap().unwrap().value;
    assert!(usage.digital_signature());
    assert!(!usage.key_cert_sign());
    assert!(!certificate.is_ca());
    assert_eq!(
        certificate.public_key().algorithm.algorithm,
        OID_KEY_TYPE_EC_PUBLIC_KEY
    );
}

#[test]
fn leaf_chain_ends_with_authority() {
    let authority = CertificateAuthority::generate("Test CA").unwrap();

    let leaf = authority.issue_leaf("a.example", LEAF_VALIDITY).unwrap();

    assert_eq!(leaf.chain.len(), 2);
    assert_eq!(leaf.chain[1], authority.certificate_der());
    let ca_der = authority.certificate_der();
    let ca = parse(&ca_der);
    parse(&leaf.chain[0])
        .verify_signature(Some(ca.public_key()))
        .unwrap();
}

#[test]
fn leaf_validity_follows_request() {
    let now = seconds_since_epoch(SystemTime::now());
    let authority = CertificateAuthority::generate("Test CA").unwrap();

    let leaf = authority.issue_leaf("a.example", LEAF_VALIDITY).unwrap();

    let certificate = parse(&leaf.chain[0]);
    let validity = certificate.validity();
    let skew = CLOCK_SKEW_ALLOWANCE.as_secs() as i64;
    let lifetime = LEAF_VALIDITY.as_secs() as i64;
    assert_close(validity.not_before.timestamp(), now - skew, "not_before");
    assert_close(validity.not_after.timestamp(), now + lifetime, "not_after");
    assert_eq!(
        seconds_since_epoch(leaf.not_after),
        validity.not_after.timestamp()
    );
}

#[test]
fn leaf_never_outlives_authority() {
    let authority = CertificateAuthority::generate("Test CA").unwrap();

    let leaf = authority.issue_leaf("a.example", CA_VALIDITY * 2).unwrap();

    assert_eq!(leaf.not_after, authority.not_after());
}

#[test]
fn leaves_for_same_host_differ() {
    let authority = CertificateAuthority::generate("Test CA").unwrap();

    let first = authority.issue_leaf("a.example", LEAF_VALIDITY).unwrap();
    let second = authority.issue_leaf("a.example", LEAF_VALIDITY).unwrap();

    let first_certificate = parse(&first.chain[0]);
    let second_certificate = parse(&second.chain[0]);
    assert_ne!(
        first_certificate.raw_serial(),
        second_certificate.raw_serial()
    );
    assert_ne!(
        first_certificate.public_key().raw,
        second_certificate.public_key().raw
    );
}

#[test]
fn issue_leaf_rejects_invalid_hosts() {
    let cases = [
        "",
        "bad host.example",
        "[::1]",
        "münchen.example",
        "a..example",
    ];
    let authority = CertificateAuthority::generate("Test CA").unwrap();
    for host in cases {
        let result = authority.issue_leaf(host, LEAF_VALIDITY);

        assert!(
            matches!(&result, Err(CertError::InvalidHost { host: h }) if h == host),
            "{host:?}: {result:?}"
        );
    }
}

#[test]
fn leaf_certified_key_keeps_chain() {
    let authority = CertificateAuthority::generate("Test CA").unwrap();
    let leaf = authority.issue_leaf("a.example", LEAF_VALIDITY).unwrap();

    let key = leaf.certified_key().unwrap();

    assert_eq!(key.cert, leaf.chain);
    assert!(key.keys_match().is_ok());
}
