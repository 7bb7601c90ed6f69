//! UN/EDIFACT interchanges: party names, contact persons, phone numbers and
//! e-mail addresses in their segments, and masked copies that keep every
//! segment.

use chrono::NaiveDate;
use inspect::{Category, Inspector, Report, Request};

const ORDERS: &str = "UNA:+.? 'UNB+UNOC:3+4012345000009:14+4098765000002:14+240401:1200+00000000000778'\
    UNH+1+ORDERS:D:96A:UN:EAN008'BGM+220+PO-2024-0042+9'DTM+137:20240401:102'\
    NAD+BY+4012345000009::9'NAD+DP+++Hans Mueller+Lindenstrasse 12+Stuttgart++70173+DE'\
    CTA+DL+:Hans Mueller'COM+0711 1234567:TE'COM+hans.mueller@web.de:EM'\
    LIN+1++4027380675693:SRV'QTY+21:2'UNS+S'UNT+12+1'UNZ+1+00000000000778'";

fn request<'a>(content_type: &'a str, body: &'a [u8]) -> Request<'a> {
    Request {
        path: "/edi",
        content_type: Some(content_type),
        body,
        today: NaiveDate::from_ymd_opt(2026, 12, 5),
        ..Request::default()
    }
}

fn inspect(content_type: &str, body: &str) -> Report {
    Inspector::default()
        .inspect(&request(content_type, body.as_bytes()))
        .unwrap()
}

fn count(report: &Report, category: Category) -> u64 {
    report.finding(category).map_or(0, |finding| finding.count)
}

#[test]
fn orders_parties_and_contacts_are_found() {
    let report = inspect("application/EDIFACT", ORDERS);
    assert_eq!(count(&report, Category::PersonName), 2, "{report:?}");
    assert_eq!(count(&report, Category::Phone), 1, "{report:?}");
    assert_eq!(count(&report, Category::Email), 1, "{report:?}");
    assert!(count(&report, Category::PostalAddress) >= 1, "{report:?}");
    assert_eq!(report.subjects, 1, "{report:?}");
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.samples, ["h***@w***.de"]);
}

#[test]
fn interchange_as_plain_text_is_recognised() {
    let report = inspect("text/plain", ORDERS);
    assert_eq!(count(&report, Category::PersonName), 2, "{report:?}");
    assert_eq!(count(&report, Category::Phone), 1, "{report:?}");
}

#[test]
fn company_parties_are_not_people() {
    let body = ORDERS
        .replacen("Hans Mueller", "Schrauben Handel GmbH", 1)
        .replace("CTA+DL+:Hans Mueller'", "");
    let report = inspect("application/EDIFACT", &body);
    assert_eq!(count(&report, Category::PersonName), 0, "{report:?}");
}

#[test]
fn masked_copy_keeps_every_segment() {
    let masked = Inspector::default()
        .mask_request(&request("application/EDIFACT", ORDERS.as_bytes()))
        .unwrap();
    let text = String::from_utf8(masked.body).unwrap();
    for value in [
        "Hans",
        "Mueller",
        "1234567",
        "hans.mueller",
        "Lindenstrasse",
    ] {
        assert!(!text.contains(value), "{value} in {text}");
    }
    let tags = |text: &str| -> Vec<String> {
        text.split('\'')
            .map(|segment| segment.split('+').next().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(tags(&text), tags(ORDERS));
    assert!(text.contains("'COM+h***@w***.de:EM'"), "{text}");
    assert!(text.contains(":TE'"), "{text}");
    assert!(text.contains("'UNZ+1+00000000000778'"), "{text}");
}

#[test]
fn segment_without_elements_is_scanned() {
    let body = "UNB+UNOC:3+X'jane.doe@example.com'UNZ+1'";
    let report = inspect("application/EDIFACT", body);
    assert_eq!(count(&report, Category::Email), 1, "{report:?}");
    let masked = Inspector::default()
        .mask_request(&request("application/EDIFACT", body.as_bytes()))
        .unwrap();
    let text = String::from_utf8(masked.body).unwrap();
    assert!(!text.contains("jane.doe"), "{text}");
    assert!(text.contains("'UNZ+1'"), "{text}");
}

#[test]
fn interchange_without_release_character_is_read() {
    // A space in the release position of `UNA` means the interchange has
    // no release character, so the spaces in names and streets are data.
    let body = ORDERS.replacen("UNA:+.? '", "UNA:+.  '", 1);
    let report = inspect("application/EDIFACT", &body);
    assert_eq!(count(&report, Category::PersonName), 2, "{report:?}");
    assert_eq!(count(&report, Category::Phone), 1, "{report:?}");
    let name = report.finding(Category::PersonName).unwrap();
    assert!(
        name.samples.iter().any(|sample| sample.contains(' ')),
        "{name:?}"
    );

    let masked = Inspector::default()
        .mask_request(&request("application/EDIFACT", body.as_bytes()))
        .unwrap();
    let text = String::from_utf8(masked.body).unwrap();
    assert!(!text.contains("Mueller"), "{text}");
    assert!(!text.contains("1234567"), "{text}");
    assert!(text.contains("'UNZ+1+00000000000778'"), "{text}");
}
