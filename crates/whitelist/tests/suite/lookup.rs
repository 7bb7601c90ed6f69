//! `Whitelist::find`, `get` and approval rules.

use std::path::Path;

use inspect::Category;
use whitelist::{Approval, Found, HoldCause, HostName, Whitelist};

const TEXT: &str = r#"
[[destination]]
id = "wildcard-short"
hosts = ["*.example.com"]
country = "US"
recipient = "Example Inc."
purpose = "everything under example.com"
reviewed_on = 2026-01-01
reviewed_by = "dpo"

[[destination]]
id = "wildcard-long"
hosts = ["*.eu.example.com"]
country = "IE"
recipient = "Example Ireland Ltd."
purpose = "EU region"
reviewed_on = 2026-01-01
reviewed_by = "dpo"

[[destination]]
id = "exact"
hosts = ["api.eu.example.com", "192.0.2.10", "[2001:db8::10]"]
country = "IE"
recipient = "Example Ireland Ltd."
purpose = "API"
reviewed_on = 2026-01-01
reviewed_by = "dpo"
approval = "always"
"#;

fn whitelist() -> Whitelist {
    Whitelist::parse(TEXT, Path::new("whitelist.toml")).unwrap()
}

#[test]
fn find_prefers_most_specific_pattern() {
    let whitelist = whitelist();
    let cases = [
        ("api.eu.example.com", Some("exact")),
        ("API.EU.EXAMPLE.COM.", Some("exact")),
        ("web.eu.example.com", Some("wildcard-long")),
        ("a.b.eu.example.com", Some("wildcard-long")),
        ("eu.example.com", Some("wildcard-short")),
        ("www.example.com", Some("wildcard-short")),
        ("example.com", None),
        ("badexample.com", None),
        ("192.0.2.10", Some("exact")),
        ("2001:db8::10", Some("exact")),
        ("192.0.2.11", None),
        ("other.test", None),
    ];
    for (host, expected) in cases {
        let host = HostName::parse(host).unwrap();
        let found = whitelist
            .find(&host)
            .map(|destination| destination.id.as_str());
        assert_eq!(found, expected, "{host}");
    }
}

#[test]
fn get_by_id() {
    let whitelist = whitelist();
    assert_eq!(
        whitelist.get("exact").map(|d| d.approval),
        Some(Approval::Always)
    );
    assert_eq!(
        whitelist.get("wildcard-long").map(|d| d.approval),
        Some(Approval::Bulk)
    );
    assert!(whitelist.get("missing").is_none());
}

#[test]
fn empty_whitelist_finds_nothing() {
    let whitelist = Whitelist::empty();
    assert!(whitelist.destinations().is_empty());
    assert!(
        whitelist
            .find(&HostName::parse("example.com").unwrap())
            .is_none()
    );
}

fn found(categories: &[Category]) -> Vec<Found> {
    categories.iter().copied().map(Found::from).collect()
}

#[test]
fn approval_hold_cause_table() {
    let none: &[Category] = &[];
    let plain: &[Category] = &[Category::Email];
    let sensitive: &[Category] = &[Category::Email, Category::Health];
    let bulk = Some(HoldCause::Bulk {
        subjects: 1000,
        threshold: 1000,
    });
    let cases = [
        (Approval::Always, none, 1, None),
        (Approval::Always, plain, 1, Some(HoldCause::Always)),
        (Approval::Always, sensitive, 1, Some(HoldCause::Always)),
        (Approval::Sensitive, none, 1, None),
        (Approval::Sensitive, plain, 1000, None),
        (
            Approval::Sensitive,
            sensitive,
            1,
            Some(HoldCause::Sensitive),
        ),
        (Approval::Bulk, plain, 999, None),
        (Approval::Bulk, plain, 1000, bulk.clone()),
        (Approval::Bulk, sensitive, 1, Some(HoldCause::Sensitive)),
        (Approval::Bulk, none, 5000, None),
        (Approval::Never, plain, 1000, None),
        (Approval::Never, sensitive, 1, None),
    ];
    for (approval, categories, subjects, expected) in cases {
        assert_eq!(
            approval.hold_cause(&found(categories), subjects, 1000),
            expected,
            "{approval:?} {categories:?} {subjects}"
        );
    }
}
