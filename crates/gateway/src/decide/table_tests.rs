//! The decision table: one row per decision reason, over one policy that
//! has a destination for every mechanism kind and state. Today is fixed at
//! 2026-12-04.

use std::path::Path;
use std::sync::Arc;

use audit::Decision;
use chrono::NaiveDate;
use inspect::{Category, Finding, Report};
use whitelist::{CountryCode, HostName, MechanismRegistry, Whitelist};

use super::*;
use crate::exporter::{Exporter, Exporters};
use crate::policy::Policy;

/// One destination per line of the table below; each host is
/// `<id>.example` and every entry was reviewed recently unless noted.
const DESTINATIONS: &[(&str, &str, &str, &str)] = &[
    // id, country, mechanism, extra lines
    ("fr-payroll", "FR", "", ""),
    ("cn-branch", "CN", "", ""),
    ("hk-office", "HK", "pipl-sc-hk", ""),
    ("sg-none", "SG", "", ""),
    ("ch-adequate", "CH", "adequacy", ""),
    ("us-adequate-dpf", "US", "adequacy", "dpf_certified = true"),
    ("us-adequate", "US", "adequacy", ""),
    ("sg-adequate", "SG", "adequacy", ""),
    ("us-scc", "US", "scc-valid", ""),
    ("us-scc-expired", "US", "scc-expired", ""),
    ("us-scc-future", "US", "scc-future", ""),
    ("us-scc-suspended", "US", "scc-suspended", ""),
    ("us-scc-sensitive", "US", "scc-sensitive", ""),
    ("us-idta", "US", "idta", ""),
    ("us-bcr", "US", "bcr", ""),
    ("sg-pipl-sc", "SG", "pipl-sc", ""),
    ("sg-pipl-cert", "SG", "pipl-cert", ""),
    ("sg-cac", "SG", "cac", ""),
    ("sg-cac-old", "SG", "cac-old", ""),
    ("us-consent", "US", "consent", ""),
    ("us-derogation", "US", "derogation", ""),
    ("us-always", "US", "scc-sensitive", "approval = \"always\""),
    (
        "us-sensitive",
        "US",
        "scc-sensitive",
        "approval = \"sensitive\"",
    ),
    ("us-bulk", "US", "scc-sensitive", "bulk_threshold = 50"),
    ("us-never", "US", "scc-sensitive", "approval = \"never\""),
    ("us-stale", "US", "scc-valid", "reviewed_on = 2026-08-01"),
    (
        "us-monthly",
        "US",
        "scc-valid",
        "reviewed_on = 2026-10-20\nreview_interval_months = 1",
    ),
    ("us-due-soon", "US", "scc-valid", "reviewed_on = 2026-09-10"),
    ("us-future", "US", "scc-valid", "reviewed_on = 2099-01-01"),
    ("sg-hr", "SG", "", "pipl_exemption = \"cross_border_hr\""),
    ("us-masked", "US", "scc-valid", "data = \"masked\""),
    (
        "us-masked-always",
        "US",
        "",
        "data = \"masked\"\napproval = \"always\"",
    ),
];

const MECHANISMS: &str = r#"
[[mechanism]]
id = "pipl-sc-hk"
kind = "pipl_standard_contract"
signed_on = 2025-01-01
filed_on = 2025-01-08
reference = "HK-1"
covers = ["email"]

[[mechanism]]
id = "adequacy"
kind = "adequacy"
signed_on = 2000-07-26
covers = ["email", "phone"]

[[mechanism]]
id = "scc-valid"
kind = "scc"
module = 2
signed_on = 2025-01-01
covers = ["email", "phone", "iban"]

[[mechanism]]
id = "scc-expired"
kind = "scc"
module = 2
signed_on = 2023-01-01
expires_on = 2026-06-30
covers = ["email"]

[[mechanism]]
id = "scc-future"
kind = "scc"
module = 1
signed_on = 2027-01-01
covers = ["email"]

[[mechanism]]
id = "scc-suspended"
kind = "scc"
module = 3
signed_on = 2025-01-01
covers = ["email"]
suspended = true
suspended_reason = "sub-processor under review"

[[mechanism]]
id = "scc-sensitive"
kind = "scc"
module = 4
signed_on = 2025-01-01
covers = ["email", "health", "date_of_birth"]
sensitive = true

[[mechanism]]
id = "idta"
kind = "idta"
signed_on = 2025-01-01
covers = ["email"]

[[mechanism]]
id = "bcr"
kind = "bcr"
signed_on = 2024-01-01
covers = ["email"]

[[mechanism]]
id = "pipl-sc"
kind = "pipl_standard_contract"
signed_on = 2025-01-01
filed_on = 2025-01-08
reference = "SG-1"
covers = ["email", "cn_resident_id"]
sensitive = true

[[mechanism]]
id = "pipl-cert"
kind = "pipl_certification"
signed_on = 2025-01-01
covers = ["email"]

[[mechanism]]
id = "cac"
kind = "cac_assessment"
signed_on = 2025-01-01
reference = "CAC-1"
covers = ["email"]

[[mechanism]]
id = "cac-old"
kind = "cac_assessment"
signed_on = 2023-06-01
reference = "CAC-0"
covers = ["email"]

[[mechanism]]
id = "consent"
kind = "consent"
signed_on = 2025-01-01
reference = "consent register CR-7"
covers = ["email"]

[[mechanism]]
id = "derogation"
kind = "derogation"
signed_on = 2025-01-01
ground = "contract_with_subject"
covers = ["email"]
"#;

fn whitelist_text() -> String {
    let mut text = String::new();
    for (id, country, mechanism, extra) in DESTINATIONS {
        text.push_str(&format!(
            "[[destination]]\nid = \"{id}\"\nhosts = [\"{id}.example\"]\ncountry = \"{country}\"\n\
             recipient = \"Recipient of {id}\"\npurpose = \"testing\"\nreviewed_by = \"dpo\"\n"
        ));
        if !mechanism.is_empty() {
            text.push_str(&format!("mechanism = \"{mechanism}\"\n"));
        }
        if !extra.contains("reviewed_on") {
            text.push_str("reviewed_on = 2026-11-20\n");
        }
        text.push_str(extra);
        text.push('\n');
    }
    text
}

fn policy(exporter: &str) -> Policy {
    let mechanisms = MechanismRegistry::parse(MECHANISMS, Path::new("mechanisms.toml")).unwrap();
    let whitelist = Whitelist::parse(&whitelist_text(), Path::new("whitelist.toml")).unwrap();
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

/// A report of `categories` about `subjects` individuals; a date of birth
/// listed as `minor` is a child's.
fn report(categories: &[Category], subjects: u64, minor: bool) -> Report {
    let findings: Vec<Finding> = categories
        .iter()
        .map(|&category| {
            let child = minor && category == Category::DateOfBirth;
            Finding {
                category,
                count: subjects,
                sensitive: category.is_sensitive() || child,
                samples: Vec::new(),
                minor: child,
                locations: Vec::new(),
            }
        })
        .collect();
    Report {
        personal_data: !findings.is_empty(),
        sensitive: findings.iter().any(|finding| finding.sensitive),
        subjects,
        findings,
        decoded_bytes: 100,
        subject_keys: Vec::new(),
    }
}

struct Row {
    exporter: &'static str,
    destination: &'static str,
    categories: &'static [Category],
    subjects: u64,
    minor: bool,
    /// PIPL counts before and after the request: individuals, sensitive.
    pipl: Option<[u64; 4]>,
    /// For a masked destination: whether a masked copy without personal
    /// data was made (`Some(false)`: one was made and still held email).
    masked: Option<bool>,
    decision: Decision,
    reason: &'static str,
}

const fn row(
    exporter: &'static str,
    destination: &'static str,
    categories: &'static [Category],
    decision: Decision,
    reason: &'static str,
) -> Row {
    Row {
        exporter,
        destination,
        categories,
        subjects: 1,
        minor: false,
        pipl: None,
        masked: None,
        decision,
        reason,
    }
}

/// A row for an exporter in China whose yearly count goes from
/// `before` to `after` (individuals, sensitive).
const fn pipl_row(
    destination: &'static str,
    categories: &'static [Category],
    before: (u64, u64),
    after: (u64, u64),
    decision: Decision,
    reason: &'static str,
) -> Row {
    Row {
        pipl: Some([before.0, before.1, after.0, after.1]),
        ..row("CN", destination, categories, decision, reason)
    }
}

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    use Category::*;
    use Decision::*;
    let email: &'static [Category] = &[Email];
    vec![
        // Steps 1 and 2: the whitelist and its review.
        row("DE", "unknown", email, Blocked, "destination unknown.example is not on the whitelist"),
        row("DE", "us-stale", email, Blocked, "whitelist review overdue since 2026-11-01"),
        row("DE", "us-monthly", email, Blocked, "whitelist review overdue since 2026-11-20"),
        row("DE", "us-due-soon", email, Allowed, "covered by mechanism scc-valid"),
        row("DE", "us-future", email, Blocked, "whitelist entry us-future has reviewed_on 2099-01-01 in the future"),
        // Steps 4 and 5: no personal data, or data that stays home.
        row("DE", "sg-none", &[], Allowed, "no personal data found"),
        row("DE", "fr-payroll", &[Email, Iban], Allowed, "stays within GDPR (DE to FR)"),
        row("CN", "cn-branch", &[Email, CnResidentId], Allowed, "stays within PIPL (CN to CN)"),
        row("GB", "fr-payroll", email, Blocked, "has no transfer mechanism"),
        // Step 6: mechanisms of every kind and state.
        row("CN", "hk-office", email, Allowed, "covered by mechanism pipl-sc-hk"),
        row("CN", "hk-office", &[Phone], Blocked, "mechanism pipl-sc-hk does not cover phone"),
        row("DE", "sg-none", email, Blocked, "destination sg-none has no transfer mechanism"),
        row("DE", "ch-adequate", email, Allowed, "covered by mechanism adequacy (adequacy)"),
        row("DE", "us-adequate-dpf", email, Allowed, "covered by mechanism adequacy"),
        row("DE", "us-adequate", email, Blocked, "covers only recipients with dpf_certified = true"),
        row("DE", "sg-adequate", email, Blocked, "GDPR has no adequacy decision for Singapore"),
        row("GB", "us-adequate-dpf", email, Allowed, "covered by mechanism adequacy"),
        row("DE", "us-scc", email, Allowed, "covered by mechanism scc-valid (scc)"),
        row("DE", "us-scc-expired", email, Blocked, "mechanism scc-expired expired on 2026-06-30"),
        row("DE", "us-scc-future", email, Blocked, "mechanism scc-future is not in force before 2027-01-01"),
        row("DE", "us-scc-suspended", email, Blocked, "mechanism scc-suspended is suspended: sub-processor under review"),
        row("DE", "us-scc", &[Email, PersonName], Blocked, "mechanism scc-valid does not cover person_name"),
        row("DE", "us-scc", &[Iban], Blocked, "mechanism scc-valid does not permit sensitive data (iban)"),
        row("GB", "us-idta", email, Allowed, "covered by mechanism idta (idta)"),
        row("DE", "us-idta", email, Blocked, "mechanism idta (idta) is not recognised under GDPR"),
        row("DE", "us-bcr", email, Allowed, "covered by mechanism bcr (bcr)"),
        row("CN", "sg-pipl-sc", email, Allowed, "covered by mechanism pipl-sc (pipl_standard_contract)"),
        row("CN", "sg-pipl-cert", email, Allowed, "covered by mechanism pipl-cert (pipl_certification)"),
        row("CN", "sg-cac", email, Allowed, "covered by mechanism cac (cac_assessment)"),
        row("CN", "sg-cac-old", email, Blocked, "mechanism cac-old expired on 2026-05-31"),
        row("CN", "us-scc", email, Blocked, "mechanism scc-valid (scc) is not recognised under PIPL"),
        row("DE", "us-consent", email, Allowed, "covered by mechanism consent (consent)"),
        row("CN", "us-consent", email, Blocked, "mechanism consent (consent) is not recognised under PIPL"),
        // Step 7: holds.
        row("DE", "us-derogation", email, Held, "transfers under derogation derogation (contract_with_subject) always require two-administrator approval; it was used 0 time(s) before"),
        row("CN", "sg-pipl-sc", &[Email, CnResidentId], Held, "sensitive personal data (cn_resident_id) requires two-administrator approval"),
        row("DE", "us-always", email, Held, "destination us-always requires two-administrator approval for every transfer"),
        row("DE", "us-sensitive", &[Email, Health], Held, "sensitive personal data (health)"),
        Row { subjects: 500, ..row("DE", "us-sensitive", email, Allowed, "covered by mechanism scc-sensitive") },
        Row { subjects: 49, ..row("DE", "us-bulk", email, Allowed, "covered by mechanism scc-sensitive") },
        Row { subjects: 50, ..row("DE", "us-bulk", email, Held, "bulk export of about 50 individuals (destination us-bulk holds 50 or more)") },
        row("DE", "us-never", &[Email, Health], Allowed, "covered by mechanism scc-sensitive"),
        Row { minor: true, ..row("DE", "us-scc-sensitive", &[DateOfBirth], Held, "sensitive personal data (date_of_birth)") },
        Row { minor: true, ..row("DE", "us-never", &[DateOfBirth], Allowed, "covered by mechanism scc-sensitive") },
        // PIPL volume thresholds and exemptions.
        pipl_row("sg-none", email, (10, 0), (11, 0), Allowed, "exempt by volume under PIPL: 11 individual(s) sent abroad this year, below 100000"),
        pipl_row("sg-none", email, (99_999, 0), (100_000, 0), Blocked, "this transfer brings the individuals sent abroad this year to 100000 (0 with sensitive information), which requires a PIPL standard contract or certification, but destination sg-none has no transfer mechanism"),
        pipl_row("sg-none", &[CnResidentId], (10, 0), (11, 1), Blocked, "which requires a PIPL standard contract or certification"),
        pipl_row("sg-pipl-sc", email, (99_999, 0), (100_000, 0), Held, "crossing the threshold from which PIPL requires a PIPL standard contract or certification"),
        pipl_row("sg-pipl-sc", email, (100_000, 0), (100_001, 0), Allowed, "covered by mechanism pipl-sc"),
        pipl_row("sg-pipl-sc", email, (999_999, 0), (1_000_000, 0), Blocked, "which requires a CAC security assessment; mechanism pipl-sc (pipl_standard_contract) is not enough"),
        pipl_row("sg-pipl-sc", &[Email, CnResidentId], (5_000, 9_999), (5_001, 10_000), Blocked, "which requires a CAC security assessment"),
        pipl_row("sg-cac", email, (999_999, 0), (1_000_000, 0), Held, "crossing the threshold from which PIPL requires a CAC security assessment"),
        row("DE", "us-masked", &[], Allowed, "no personal data found"),
        row("DE", "us-masked", email, Blocked, "destination us-masked may receive only masked data, and personal data (email) was not masked"),
        Row { masked: Some(true), ..row("DE", "us-masked", email, Masked, "personal data (email) masked before forwarding (2 value(s) replaced)") },
        Row { masked: Some(true), ..row("CN", "us-masked-always", &[CnResidentId], Held, "destination us-masked-always requires two-administrator approval for every transfer, masked ones included") },
        Row { masked: Some(false), ..row("DE", "us-masked", email, Blocked, "could not be masked: the masked copy still contains personal data (email)") },
        pipl_row("sg-hr", email, (500_000, 0), (500_001, 0), Allowed, "exempt from PIPL transfer mechanisms under the CAC provisions of 22 March 2024 (cross_border_hr)"),
    ]
}

fn projection(
    [before, before_sensitive, after, after_sensitive]: [u64; 4],
) -> audit::PiplProjection {
    let counts = |individuals, sensitive| audit::PiplCounts {
        individuals,
        sensitive,
    };
    audit::PiplProjection {
        before: counts(before, before_sensitive),
        after: counts(after, after_sensitive),
    }
}

#[test]
fn decision_table() {
    let rows = rows();
    assert!(rows.len() >= 30);
    for row in rows {
        let policy = policy(row.exporter);
        let host = HostName::parse(&format!("{}.example", row.destination)).unwrap();
        let label = format!("{} -> {}", row.exporter, row.destination);
        let verdict = match check_destination(&policy, &host, 443, today()) {
            Err(verdict) => verdict,
            Ok(destination) => {
                let report = report(row.categories, row.subjects, row.minor);
                let copy = MaskedRequest {
                    path: "/".to_owned(),
                    query: None,
                    headers: Vec::new(),
                    body: Vec::new(),
                    masked_values: 2,
                };
                let residual = MaskError::Residual {
                    categories: vec![Category::Email],
                };
                let input = TransferInput {
                    exporter: policy.exporters.default_exporter(),
                    destination,
                    inspection: Ok(&report),
                    today: today(),
                    mechanism_uses: 0,
                    pipl: row.pipl.map(projection),
                    masking: row
                        .masked
                        .map(|made| if made { Ok(&copy) } else { Err(&residual) }),
                };
                decide_transfer(&policy, &input)
            }
        };
        assert_eq!(
            verdict.decision, row.decision,
            "{label}: {}",
            verdict.reason
        );
        assert!(
            verdict.reason.contains(row.reason),
            "{label}: expected {:?} in {:?}",
            row.reason,
            verdict.reason
        );
    }
}

#[test]
fn derogation_hold_counts_earlier_uses() {
    let policy = policy("DE");
    let host = HostName::parse("us-derogation.example").unwrap();
    let destination = check_destination(&policy, &host, 443, today()).unwrap();
    let report = report(&[Category::Email], 1, false);
    let input = TransferInput {
        exporter: policy.exporters.default_exporter(),
        destination,
        inspection: Ok(&report),
        today: today(),
        mechanism_uses: 7,
        pipl: None,
        masking: None,
    };
    let verdict = decide_transfer(&policy, &input);
    assert_eq!(verdict.decision, Decision::Held);
    assert!(
        verdict.reason.ends_with("it was used 7 time(s) before"),
        "{}",
        verdict.reason
    );
}
