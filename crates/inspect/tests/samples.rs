//! Reports on the ERP sample payloads in `tests/samples/` at the workspace
//! root, whose sources are listed in `tests/samples/SOURCES.md`.
//!
//! Each expectation was worked out by reading the file. JSON, XML and CSV
//! are parsed, so values carry their keys, element names or column headers;
//! EDI (NACHA, X12) is scanned as plain text, one record per line. Numbers
//! below that look like hits but are not:
//! - the SEPA and camt files hold IBANs that fail ISO 13616 mod 97
//!   (`BG87200500001234567890`, `NL46ABNA0499998748`) or have the wrong
//!   length for their country (`FR15001559627230`, a proprietary account ID);
//! - the PEPPOL telephone `23434234` has eight digits without a trunk
//!   prefix, which no validated region's national format allows;
//! - the NACHA trace numbers (`0042000010000001`) start with `00` but are
//!   unseparated and not under a phone key;
//! - the X12 member ID `999999999` follows the SSN qualifier `34`, but area
//!   999 is never issued, so it is not a social security number.

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
        // 2 of the 5 IBAN strings pass mod 97; the creditor's and debtor's
        // street names (`StrtNm`) are addresses. The creditor `INSURANCE
        // COMPANY TESTX` is a business at its business address, with no
        // valid IBAN, so it is no subject.
        (
            sample!("camt053-bank-statement.xml"),
            XML,
            &[(Category::PostalAddress, 2), (Category::Iban, 2)][..],
            Some(2),
        ),
        // 27 contacts with distinct e-mails (one with a Cyrillic local part)
        // and a first and a last name each, `于` being a one-character
        // Chinese family name.
        (
            sample!("erpnext-demo-contact.json"),
            JSON,
            &[(Category::Email, 27), (Category::PersonName, 54)],
            Some(27),
        ),
        (
            sample!("erpnext-demo-employee.json"),
            JSON,
            &[
                (Category::Email, 10),
                (Category::PersonName, 10),
                (Category::DateOfBirth, 10),
            ],
            Some(10),
        ),
        // `lead_name` holds people; `company_name` is not a person key.
        (
            sample!("erpnext-demo-lead.json"),
            JSON,
            &[(Category::Email, 25), (Category::PersonName, 25)],
            Some(25),
        ),
        // The originator's street line `123 EASY STREET` in five IAT
        // addenda records. An address is no merge key, so each record
        // counts as a subject of its own; subjects are not asserted.
        (
            sample!("nacha-ach-ppd-batch.ach"),
            TEXT,
            &[(Category::PostalAddress, 5)],
            None,
        ),
        // partner1@, buyer@ twice, +1 (650) 555-0111 and the seller's
        // `Rue Jean Jaurès, 42`. The buyer contact's `PersonName` is the
        // placeholder `Buyer`, not a name. The whole invoice is one record,
        // so its two contacts count as one subject; subjects are not
        // asserted.
        (
            sample!("odoo-facturx-cii-invoice-partner.xml"),
            XML,
            &[
                (Category::Email, 3),
                (Category::Phone, 1),
                (Category::PostalAddress, 1),
            ],
            None,
        ),
        // Rows without keys: the street lines (`Snow Street, 25`) are found
        // by their shape; the names are not, since nothing marks them.
        (
            sample!("odoo-impex-contacts-export.json"),
            JSON,
            &[(Category::PostalAddress, 7)],
            Some(7),
        ),
        // US national numbers such as `(623)-853-7197` under the `phone`
        // field, and the street lines of 7 partners. `<field name="name">`
        // contains 25 contacts' names. It also contains partner categories
        // (`Prospects`) and 5 companies whose names carry no company word
        // (`Wood Corner`), which are counted too. That makes 36 names, and
        // 6 subjects from the categories' records, which contain nothing else.
        (
            sample!("odoo-res-partner-demo.xml"),
            XML,
            &[
                (Category::Email, 32),
                (Category::Phone, 28),
                (Category::PersonName, 36),
                (Category::PostalAddress, 7),
            ],
            Some(38),
        ),
        // Street names and additional street lines of three parties.
        (
            sample!("peppol-bis3-ubl-invoice-base-example.xml"),
            XML,
            &[(Category::Email, 1), (Category::PostalAddress, 6)],
            Some(1),
        ),
        // Under the `Contact: Phone` and `Account: Phone` headers, the
        // ten-digit numbers are US phone numbers; the contacts' first and
        // last names are names, the account names are not. Contacts of one
        // account share its phone number, which merges them, and account
        // rows count as subjects too; subjects are not asserted.
        (
            sample!("salesforce-accounts-contacts-export.csv"),
            CSV,
            &[
                (Category::Email, 6),
                (Category::Phone, 20),
                (Category::PersonName, 12),
            ],
            None,
        ),
        // Each row has an e-mail, a phone such as +39-555-123 (8 digits), a
        // first and a last name.
        (
            sample!("sap-cap-incident-customers.csv"),
            CSV,
            &[
                (Category::Email, 3),
                (Category::Phone, 3),
                (Category::PersonName, 6),
            ],
            Some(3),
        ),
        // info@10100001.com and INFO@10100001.COM in one partner's address
        // record, and a street name in each of the two partners' addresses.
        // The name fields hold `Inlandskunde DE 1`, which has a digit.
        (
            sample!("sap-s4hana-business-partner-odata-v2.json"),
            JSON,
            &[(Category::Email, 2), (Category::PostalAddress, 2)],
            Some(2),
        ),
        // DE87200500001234567890 passes mod 97, BG87200500001234567890 does
        // not. The creditor John Doe is a name, `OurCorp` is not.
        (
            sample!("sepa-pain001-credit-transfer.xml"),
            XML,
            &[
                (Category::PersonName, 1),
                (Category::PostalAddress, 1),
                (Category::Iban, 1),
            ],
            Some(1),
        ),
        // Two debtors' names and the creditor's name twice (initiating party
        // and creditor), which has the shape of a name.
        (
            sample!("sepa-pain008-direct-debit-es-iso8859-1.xml"),
            XML,
            &[(Category::PersonName, 4), (Category::Iban, 3)],
            Some(3),
        ),
        // Member John A. Doe: last and first name in `NM1`, `777 ELM ST` in
        // `N3` and the birth date in `DMG`, on three lines that count as
        // three records; subjects are not asserted.
        (
            sample!("x12-834-benefit-enrollment-5010.txt"),
            TEXT,
            &[
                (Category::PersonName, 2),
                (Category::PostalAddress, 1),
                (Category::DateOfBirth, 1),
            ],
            None,
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
            // Descriptive categories become an age band or a word count.
            let starred = !matches!(
                finding.category,
                Category::PostalAddress | Category::DateOfBirth
            );
            for mask in &finding.samples {
                assert!(!starred || mask.contains("***"), "{}: {mask}", sample.file);
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
    assert_eq!(
        iban.locations,
        [
            "/Document/CstmrDrctDbtInitn/PmtInf/CdtrAcct/Id/IBAN",
            "/Document/CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf[1]/DbtrAcct/Id/IBAN",
            "/Document/CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf[2]/DbtrAcct/Id/IBAN"
        ]
    );
}
