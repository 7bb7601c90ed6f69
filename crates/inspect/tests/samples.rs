//! Reports on the ERP sample payloads in `tests/samples/` at the workspace
//! root, whose sources are listed in `tests/samples/SOURCES.md`.
//!
//! Each expectation was worked out by reading the file. XML, CSV and EDI are
//! scanned as plain text, so their records are lines. Numbers below that look
//! like hits but are not:
//! - the SEPA and camt files hold IBANs that fail ISO 13616 mod 97
//!   (`BG87200500001234567890`, `NL46ABNA0499998748`) or have the wrong
//!   length for their country (`FR15001559627230`, a proprietary account ID);
//! - the Odoo partner phones (`(623)-853-7197`), the PEPPOL telephone
//!   (`23434234`) and the Salesforce phones (`4158526633`) are national
//!   numbers without a country code, which this version does not detect;
//! - the NACHA trace numbers (`0042000010000001`) start with `00` but are
//!   unseparated and not under a phone key;
//! - the X12 member ID `999999999` is a US SSN, a category without a
//!   detector in this version.

use inspect::{Category, Inspector, Limits, Report, Request};

struct Sample {
    file: &'static str,
    body: &'static [u8],
    content_type: &'static str,
    /// Expected categories with their match counts, in report order.
    findings: &'static [(Category, u64)],
    /// Expected subjects, where records separate people cleanly.
    subjects: Option<u64>,
}

const JSON: &str = "application/json";
const XML: &str = "application/xml";
const CSV: &str = "text/csv";
const TEXT: &str = "text/plain";

macro_rules! sample {
    ($file:literal) => {
        (
            $file,
            include_bytes!(concat!("../../../tests/samples/", $file)) as &[u8],
        )
    };
}

fn samples() -> Vec<Sample> {
    let table = [
        // 2 of the 5 IBAN strings pass mod 97; one statement line each.
        (
            sample!("camt053-bank-statement.xml"),
            XML,
            &[(Category::Iban, 2)][..],
            Some(2),
        ),
        // 27 contacts with distinct e-mails, one of them with a Cyrillic local part.
        (
            sample!("erpnext-demo-contact.json"),
            JSON,
            &[(Category::Email, 27)],
            Some(27),
        ),
        (
            sample!("erpnext-demo-employee.json"),
            JSON,
            &[(Category::Email, 10)],
            Some(10),
        ),
        (
            sample!("erpnext-demo-lead.json"),
            JSON,
            &[(Category::Email, 25)],
            Some(25),
        ),
        (sample!("nacha-ach-ppd-batch.ach"), TEXT, &[], Some(0)),
        // partner1@, buyer@ twice and +1 (650) 555-0111. Phone and e-mail of
        // one contact sit on different lines, so line records count 3 people
        // where the invoice names 2; subjects are not asserted.
        (
            sample!("odoo-facturx-cii-invoice-partner.xml"),
            XML,
            &[(Category::Email, 3), (Category::Phone, 1)],
            None,
        ),
        // Names and addresses only.
        (
            sample!("odoo-impex-contacts-export.json"),
            JSON,
            &[],
            Some(0),
        ),
        (
            sample!("odoo-res-partner-demo.xml"),
            XML,
            &[(Category::Email, 32)],
            Some(32),
        ),
        (
            sample!("peppol-bis3-ubl-invoice-base-example.xml"),
            XML,
            &[(Category::Email, 1)],
            Some(1),
        ),
        (
            sample!("salesforce-accounts-contacts-export.csv"),
            CSV,
            &[(Category::Email, 6)],
            Some(6),
        ),
        // Each row has an e-mail and a phone such as +39-555-123 (8 digits).
        (
            sample!("sap-cap-incident-customers.csv"),
            CSV,
            &[(Category::Email, 3), (Category::Phone, 3)],
            Some(3),
        ),
        // info@10100001.com and INFO@10100001.COM in one address record.
        (
            sample!("sap-s4hana-business-partner-odata-v2.json"),
            JSON,
            &[(Category::Email, 2)],
            Some(1),
        ),
        // DE87200500001234567890 passes mod 97, BG87200500001234567890 does not.
        (
            sample!("sepa-pain001-credit-transfer.xml"),
            XML,
            &[(Category::Iban, 1)],
            Some(1),
        ),
        (
            sample!("sepa-pain008-direct-debit-es-iso8859-1.xml"),
            XML,
            &[(Category::Iban, 3)],
            Some(3),
        ),
        (
            sample!("x12-834-benefit-enrollment-5010.txt"),
            TEXT,
            &[],
            Some(0),
        ),
    ];
    table
        .into_iter()
        .map(|((file, body), content_type, findings, subjects)| Sample {
            file,
            body,
            content_type,
            findings,
            subjects,
        })
        .collect()
}

fn inspect(sample: &Sample) -> Report {
    let request = Request {
        path: "/api/import",
        content_type: Some(sample.content_type),
        body: sample.body,
        ..Request::default()
    };
    Inspector::new(Limits::default())
        .inspect(&request)
        .unwrap_or_else(|error| panic!("{}: {error}", sample.file))
}

#[test]
fn every_sample_is_listed() {
    assert_eq!(samples().len(), 15);
}

#[test]
fn samples_yield_the_expected_categories_and_counts() {
    for sample in samples() {
        let report = inspect(&sample);
        let found: Vec<(Category, u64)> = report
            .findings
            .iter()
            .map(|finding| (finding.category, finding.count))
            .collect();
        assert_eq!(found, sample.findings, "{}", sample.file);
    }
}

#[test]
fn samples_yield_the_expected_subjects() {
    for sample in samples() {
        if let Some(subjects) = sample.subjects {
            assert_eq!(inspect(&sample).subjects, subjects, "{}", sample.file);
        }
    }
}

#[test]
fn sample_flags_follow_the_findings() {
    for sample in samples() {
        let report = inspect(&sample);
        assert_eq!(
            report.personal_data,
            !sample.findings.is_empty(),
            "{}",
            sample.file
        );
        let sensitive = sample
            .findings
            .iter()
            .any(|(category, _)| category.is_sensitive());
        assert_eq!(report.sensitive, sensitive, "{}", sample.file);
        assert_eq!(
            report.decoded_bytes,
            sample.body.len() as u64,
            "{}",
            sample.file
        );
    }
}

#[test]
fn sample_masks_hide_the_values() {
    for sample in samples() {
        for finding in inspect(&sample).findings {
            for mask in &finding.samples {
                assert!(mask.contains("***"), "{}: {mask}", sample.file);
                let body = String::from_utf8_lossy(sample.body);
                assert!(
                    !body.contains(mask.as_str()),
                    "{}: {mask} appears in the body",
                    sample.file
                );
            }
        }
    }
}

#[test]
fn json_locations_name_the_key() {
    let sample = samples()
        .into_iter()
        .find(|sample| sample.file == "erpnext-demo-employee.json")
        .unwrap();
    let report = inspect(&sample);
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.locations.len(), inspect::MAX_LOCATIONS);
    assert_eq!(email.locations[0], "$[0].user_id");
    assert_eq!(
        email.samples,
        ["D***@e***.com", "Z***@e***.com", "H***@e***.com"]
    );
}

#[test]
fn iso_8859_1_bytes_do_not_hide_ibans() {
    let sample = samples()
        .into_iter()
        .find(|sample| sample.file == "sepa-pain008-direct-debit-es-iso8859-1.xml")
        .unwrap();
    assert!(std::str::from_utf8(sample.body).is_err());
    let report = inspect(&sample);
    let iban = report.finding(Category::Iban).unwrap();
    assert_eq!(iban.locations, ["line 43", "line 86", "line 115"]);
}
