//! One row per decision reason, over a small policy written in TOML.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use audit::Decision;
use chrono::NaiveDate;
use inspect::{Category, Finding, InspectError, Report};
use whitelist::{CountryCode, HostName, MechanismRegistry, Whitelist};

use super::*;
use crate::exporter::{Exporter, Exporters};
use crate::policy::Policy;

const WHITELIST: &str = r#"
[[destination]]
id = "partner-de"
hosts = ["api.partner.example"]
country = "DE"
recipient = "Partner GmbH"
purpose = "order fulfilment"
mechanism = "pipl-sc-partner"
reviewed_on = 2026-11-01
reviewed_by = "dpo"
allow_addresses = ["127.0.0.1/32"]

[[destination]]
id = "crm-us"
hosts = ["*.crm.example"]
country = "US"
recipient = "CRM Inc."
purpose = "sales"
mechanism = "scc-crm"
reviewed_on = 2026-11-01
reviewed_by = "dpo"

[[destination]]
id = "no-mechanism-sg"
hosts = ["sg.example"]
country = "SG"
recipient = "SG Pte"
purpose = "analytics"
reviewed_on = 2026-11-01
reviewed_by = "dpo"

[[destination]]
id = "domestic-cn"
hosts = ["cn.example"]
country = "CN"
recipient = "Branch Co."
purpose = "accounting"
reviewed_on = 2026-11-01
reviewed_by = "dpo"

[[destination]]
id = "hk-office"
hosts = ["hk.example"]
country = "HK"
recipient = "HK Ltd."
purpose = "accounting"
mechanism = "pipl-sc-hk"
reviewed_on = 2026-11-01
reviewed_by = "dpo"
approval = "always"

[[destination]]
id = "stale"
hosts = ["stale.example"]
country = "DE"
recipient = "Old GmbH"
purpose = "archive"
mechanism = "pipl-sc-partner"
reviewed_on = 2026-08-01
reviewed_by = "dpo"

[[destination]]
id = "school-us"
hosts = ["school.example"]
country = "US"
recipient = "School Software Inc."
purpose = "enrolment"
mechanism = "scc-dob"
reviewed_on = 2026-11-01
reviewed_by = "dpo"

[[destination]]
id = "expired-sg"
hosts = ["expired.example"]
country = "SG"
recipient = "SG Pte"
purpose = "archive"
mechanism = "pipl-sc-expired"
reviewed_on = 2026-11-01
reviewed_by = "dpo"
approval = "never"
"#;

const MECHANISMS: &str = r#"
[[mechanism]]
id = "pipl-sc-partner"
kind = "pipl_standard_contract"
filed_on = 2025-01-10
reference = "CAC filing 2025-0001"
signed_on = 2025-01-01
covers = ["email", "phone", "iban", "cn_resident_id"]
sensitive = true

[[mechanism]]
id = "pipl-sc-hk"
kind = "pipl_standard_contract"
filed_on = 2025-01-10
reference = "CAC filing 2025-0001"
signed_on = 2025-01-01
covers = ["email"]

[[mechanism]]
id = "scc-crm"
kind = "scc"
module = 2
signed_on = 2025-01-01
covers = ["email"]

[[mechanism]]
id = "scc-dob"
kind = "scc"
module = 1
signed_on = 2025-01-01
covers = ["date_of_birth"]

[[mechanism]]
id = "pipl-sc-expired"
kind = "pipl_standard_contract"
filed_on = 2025-01-10
reference = "CAC filing 2025-0001"
signed_on = 2024-01-01
expires_on = 2026-06-30
covers = ["email"]
"#;

fn policy(exporter: &str) -> Policy {
    let mechanisms = MechanismRegistry::parse(MECHANISMS, Path::new("mechanisms.toml")).unwrap();
    let whitelist = Whitelist::parse(WHITELIST, Path::new("whitelist.toml")).unwrap();
    whitelist.check_mechanisms(&mechanisms).unwrap();
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(rustls::RootCertStore::empty())
    .with_no_client_auth();
    Policy {
        whitelist,
        mechanisms,
        exporters: Exporters::single(Exporter {
            name: None,
            country: exporter.parse::<CountryCode>().unwrap(),
        }),
        resolve: Default::default(),
        upstream_tls: Arc::new(tls),
        pipl: Default::default(),
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

fn report(categories: &[Category]) -> Report {
    Report {
        personal_data: !categories.is_empty(),
        sensitive: categories.iter().any(|c| c.is_sensitive()),
        subjects: u64::from(!categories.is_empty()),
        findings: categories
            .iter()
            .map(|category| Finding {
                category: *category,
                count: 1,
                sensitive: category.is_sensitive(),
                samples: Vec::new(),
                minor: false,
                locations: Vec::new(),
            })
            .collect(),
        decoded_bytes: 10,
        subject_keys: Vec::new(),
    }
}

/// Runs steps 3 to 8 for `destination` on [`today`], with no earlier uses
/// of its mechanism.
fn run(
    policy: &Policy,
    destination: &whitelist::Destination,
    inspection: Result<&Report, &InspectError>,
) -> Verdict {
    let input = TransferInput {
        exporter: policy.exporters.default_exporter(),
        destination,
        inspection,
        today: today(),
        mechanism_uses: 0,
        pipl: None,
        masking: None,
    };
    decide_transfer(policy, &input)
}

/// Decides a request to `host` carrying `categories` under a policy for
/// `exporter`, running every step.
fn decide(exporter: &str, host: &str, port: u16, categories: &[Category]) -> Verdict {
    let policy = policy(exporter);
    let host = HostName::parse(host).unwrap();
    let destination = match check_destination(&policy, &host, port, today()) {
        Ok(destination) => destination,
        Err(verdict) => return verdict,
    };
    let report = report(categories);
    run(&policy, destination, Ok(&report))
}

/// Exporter, host, port, categories found, expected decision, and a part of
/// the expected reason.
type Row = (
    &'static str,
    &'static str,
    u16,
    &'static [Category],
    Decision,
    &'static str,
);

#[test]
fn decision_reasons() {
    use Category::*;
    use Decision::*;

    let rows: [Row; 14] = [
        (
            "CN",
            "unknown.example",
            443,
            &[],
            Blocked,
            "destination unknown.example is not on the whitelist",
        ),
        (
            "CN",
            "api.partner.example",
            8443,
            &[],
            Blocked,
            "port 8443 is not allowed for destination partner-de (allowed ports: 443, 80)",
        ),
        (
            "CN",
            "stale.example",
            443,
            &[],
            Blocked,
            "whitelist review overdue since 2026-11-01",
        ),
        (
            "CN",
            "api.partner.example",
            443,
            &[],
            Allowed,
            "no personal data found",
        ),
        (
            "CN",
            "cn.example",
            443,
            &[Email, CnResidentId],
            Allowed,
            "personal data (email, cn_resident_id) stays within PIPL (CN to CN)",
        ),
        (
            "DE",
            "api.partner.example",
            443,
            &[Email],
            Allowed,
            "personal data (email) stays within GDPR (DE to DE)",
        ),
        (
            "CN",
            "sg.example",
            443,
            &[Email],
            Blocked,
            "personal data (email) would cross from CN to SG under PIPL, but destination no-mechanism-sg has no transfer mechanism",
        ),
        (
            "CN",
            "api.partner.example",
            443,
            &[Email, Phone],
            Allowed,
            "personal data (email, phone) covered by mechanism pipl-sc-partner (pipl_standard_contract)",
        ),
        (
            "CN",
            "api.partner.example",
            443,
            &[Email, CnResidentId],
            Held,
            "sensitive personal data (cn_resident_id) requires two-administrator approval",
        ),
        (
            "CN",
            "api.partner.example",
            443,
            &[PersonName],
            Blocked,
            "does not cover person_name",
        ),
        (
            "CN",
            "a.crm.example",
            443,
            &[Email],
            Blocked,
            "is not recognised under PIPL",
        ),
        (
            "CN",
            "hk.example",
            443,
            &[Email],
            Held,
            "destination hk-office requires two-administrator approval for every transfer of personal data",
        ),
        (
            "CN",
            "expired.example",
            443,
            &[Email],
            Blocked,
            "expired on 2026-06-30",
        ),
        (
            "DE",
            "a.crm.example",
            443,
            &[Email],
            Allowed,
            "personal data (email) covered by mechanism scc-crm (scc)",
        ),
    ];
    for (exporter, host, port, categories, decision, reason) in rows {
        let verdict = decide(exporter, host, port, categories);
        assert_eq!(
            verdict.decision, decision,
            "{exporter} -> {host}: {}",
            verdict.reason
        );
        assert!(
            verdict.reason.contains(reason),
            "{exporter} -> {host}: expected {reason:?} in {:?}",
            verdict.reason
        );
    }
}

#[test]
fn minor_date_of_birth_is_sensitive() {
    let mut minor = report(&[Category::DateOfBirth]);
    minor.findings[0].minor = true;
    minor.findings[0].sensitive = true;
    minor.sensitive = true;

    // The contract covers dates of birth, but not sensitive data.
    let policy = policy("DE");
    let host = HostName::parse("school.example").unwrap();
    let destination = check_destination(&policy, &host, 443, today()).unwrap();

    let adult = report(&[Category::DateOfBirth]);
    let verdict = run(&policy, destination, Ok(&adult));
    assert_eq!(verdict.decision, Decision::Allowed, "{}", verdict.reason);

    let verdict = run(&policy, destination, Ok(&minor));
    assert_eq!(verdict.decision, Decision::Blocked);
    assert_eq!(
        verdict.reason,
        "mechanism scc-dob does not permit sensitive data (date_of_birth)"
    );
}

#[test]
fn hong_kong_is_abroad_for_pipl() {
    let verdict = decide("CN", "hk.example", 443, &[Category::Phone]);
    assert_eq!(verdict.decision, Decision::Blocked);
    assert!(
        verdict.reason.contains("does not cover phone"),
        "{}",
        verdict.reason
    );
}

#[test]
fn sensitive_data_needs_sensitive_coverage() {
    // The SCC covers only email; under GDPR the card number is not covered.
    let verdict = decide("DE", "a.crm.example", 443, &[Category::PaymentCard]);
    assert_eq!(verdict.decision, Decision::Blocked);
    assert_eq!(verdict.mechanism_id.as_deref(), Some("scc-crm"));
}

#[test]
fn inspection_failure_blocks() {
    let policy = policy("CN");
    let host = HostName::parse("api.partner.example").unwrap();
    let destination = check_destination(&policy, &host, 443, today()).unwrap();
    let error = InspectError::UnsupportedEncoding {
        encoding: "br".into(),
    };
    let verdict = run(&policy, destination, Err(&error));
    assert_eq!(verdict.decision, Decision::Blocked);
    assert!(
        verdict
            .reason
            .starts_with("body cannot be fully inspected: "),
        "{}",
        verdict.reason
    );
}

#[test]
fn address_rules() {
    let policy = policy("CN");
    let partner = policy.whitelist.get("partner-de").unwrap();
    let crm = policy.whitelist.get("crm-us").unwrap();
    let loopback: SocketAddr = "127.0.0.1:8443".parse().unwrap();
    let private: SocketAddr = "10.0.0.5:443".parse().unwrap();
    let public: SocketAddr = "93.184.215.14:443".parse().unwrap();

    assert!(check_addresses(partner, &[loopback]).is_ok());
    assert!(check_addresses(crm, &[public]).is_ok());

    let verdict = check_addresses(crm, &[public, loopback]).unwrap_err();
    assert_eq!(verdict.decision, Decision::Blocked);
    assert!(verdict.reason.contains("127.0.0.1"), "{}", verdict.reason);

    let verdict = check_addresses(partner, &[private]).unwrap_err();
    assert!(
        verdict.reason.contains("allow_addresses"),
        "{}",
        verdict.reason
    );

    let verdict = check_addresses(partner, &[]).unwrap_err();
    assert!(
        verdict.reason.contains("resolved to no address"),
        "{}",
        verdict.reason
    );
}

#[test]
fn missing_exporter_blocks_personal_data() {
    let mut policy = policy("CN");
    policy.exporters = Exporters::default();
    let host = HostName::parse("api.partner.example").unwrap();
    let destination = check_destination(&policy, &host, 443, today()).unwrap();
    let verdict = run(&policy, destination, Ok(&report(&[Category::Email])));
    assert_eq!(verdict.decision, Decision::Blocked);
    assert!(
        verdict.reason.contains("no exporter country"),
        "{}",
        verdict.reason
    );
}
