//! `check_mechanism`: one row per problem, plus the valid case.

use chrono::NaiveDate;
use inspect::Category;
use whitelist::{
    Destination, Found, Mechanism, MechanismKind, MechanismProblem, Regime, Transfer, Whitelist,
    check_mechanism,
};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn scc() -> Mechanism {
    Mechanism {
        id: "scc-acme".to_owned(),
        kind: MechanismKind::Scc,
        module: Some(2),
        signed_on: date("2025-03-01"),
        expires_on: Some(date("2026-01-31")),
        covers: vec![Category::Email, Category::PersonName, Category::Health],
        sensitive: false,
        suspended: false,
        suspended_reason: None,
        reference: Some("ACME-DPA-2025".to_owned()),
        parties: vec!["Example GmbH".to_owned(), "Acme Inc.".to_owned()],
        subjects: vec!["customers".to_owned()],
        tia_on: Some(date("2025-02-15")),
        filed_on: None,
        ground: None,
    }
}

/// A destination in `country`, with the recipient attributes given as
/// extra TOML lines.
fn destination(country: &str, extra: &str) -> Destination {
    let text = format!(
        "[[destination]]\nid = \"dest\"\nhosts = [\"api.example.com\"]\ncountry = \"{country}\"\n\
         recipient = \"R\"\npurpose = \"P\"\nreviewed_on = 2025-11-01\nreviewed_by = \"x\"\n{extra}"
    );
    let whitelist = Whitelist::parse(&text, std::path::Path::new("whitelist.toml")).unwrap();
    whitelist.destinations()[0].clone()
}

/// Checks `mechanism` for a transfer of `categories` to the US on `today`.
fn check(
    mechanism: &Mechanism,
    regime: Regime,
    categories: &[Category],
    today: &str,
) -> Result<(), MechanismProblem> {
    let found: Vec<Found> = categories.iter().copied().map(Found::from).collect();
    let destination = destination("US", "");
    let transfer = Transfer {
        regime,
        destination: &destination,
        found: &found,
        today: date(today),
    };
    check_mechanism(mechanism, &transfer)
}

struct Row {
    name: &'static str,
    mechanism: Mechanism,
    regime: Regime,
    categories: Vec<Category>,
    today: &'static str,
    expected: Result<(), &'static str>,
}

fn rows() -> Vec<Row> {
    let suspended = Mechanism {
        suspended: true,
        suspended_reason: Some("recipient under investigation".to_owned()),
        ..scc()
    };
    let sensitive_allowed = Mechanism {
        sensitive: true,
        ..scc()
    };
    vec![
        Row {
            name: "valid",
            mechanism: scc(),
            regime: Regime::Gdpr,
            categories: vec![Category::Email, Category::PersonName],
            today: "2025-12-01",
            expected: Ok(()),
        },
        Row {
            name: "valid on last day",
            mechanism: scc(),
            regime: Regime::UkGdpr,
            categories: vec![Category::Email],
            today: "2026-01-31",
            expected: Ok(()),
        },
        Row {
            name: "valid sensitive when allowed",
            mechanism: sensitive_allowed,
            regime: Regime::Gdpr,
            categories: vec![Category::Health],
            today: "2025-12-01",
            expected: Ok(()),
        },
        Row {
            name: "not recognised",
            mechanism: scc(),
            regime: Regime::Pipl,
            categories: vec![Category::Email],
            today: "2025-12-01",
            expected: Err("mechanism scc-acme (scc) is not recognised under PIPL"),
        },
        Row {
            name: "not yet signed",
            mechanism: scc(),
            regime: Regime::Gdpr,
            categories: vec![Category::Email],
            today: "2025-02-28",
            expected: Err("mechanism scc-acme is not in force before 2025-03-01"),
        },
        Row {
            name: "expired",
            mechanism: scc(),
            regime: Regime::Gdpr,
            categories: vec![Category::Email],
            today: "2026-02-01",
            expected: Err("mechanism scc-acme expired on 2026-01-31"),
        },
        Row {
            name: "suspended",
            mechanism: suspended,
            regime: Regime::Gdpr,
            categories: vec![Category::Email],
            today: "2025-12-01",
            expected: Err("mechanism scc-acme is suspended: recipient under investigation"),
        },
        Row {
            name: "not covered",
            mechanism: scc(),
            regime: Regime::Gdpr,
            categories: vec![
                Category::CnResidentId,
                Category::Email,
                Category::Iban,
                Category::CnResidentId,
            ],
            today: "2025-12-01",
            expected: Err("mechanism scc-acme does not cover cn_resident_id, iban"),
        },
        Row {
            name: "sensitive not permitted",
            mechanism: scc(),
            regime: Regime::Gdpr,
            categories: vec![Category::Email, Category::Health],
            today: "2025-12-01",
            expected: Err("mechanism scc-acme does not permit sensitive data (health)"),
        },
    ]
}

#[test]
fn check_mechanism_table() {
    for row in rows() {
        let result = check(&row.mechanism, row.regime, &row.categories, row.today);
        let actual = result.map_err(|problem| problem.to_string());
        let expected = row.expected.map_err(str::to_owned);
        assert_eq!(actual, expected, "{}", row.name);
    }
}

#[test]
fn checks_run_in_documented_order() {
    // Expired, suspended and missing a category at once: expiry wins.
    let mechanism = Mechanism {
        suspended: true,
        suspended_reason: Some("audit".to_owned()),
        ..scc()
    };
    let problem = check(&mechanism, Regime::Gdpr, &[Category::Iban], "2026-06-01").unwrap_err();
    assert!(
        matches!(problem, MechanismProblem::Expired { .. }),
        "{problem:?}"
    );
}

fn adequacy(id: &str) -> Mechanism {
    Mechanism {
        id: id.to_owned(),
        kind: MechanismKind::Adequacy,
        module: None,
        expires_on: None,
        tia_on: None,
        parties: Vec::new(),
        subjects: Vec::new(),
        ..scc()
    }
}

#[test]
fn adequacy_depends_on_country_and_recipient() {
    let mechanism = adequacy("adequacy");
    let found = [Found::from(Category::Email)];
    let cases = [
        ("CH", Regime::Gdpr, "", Ok(())),
        ("JP", Regime::Gdpr, "appi_covered = true", Ok(())),
        ("US", Regime::Gdpr, "dpf_certified = true", Ok(())),
        ("US", Regime::UkGdpr, "dpf_certified = true", Ok(())),
        ("DE", Regime::UkGdpr, "", Ok(())),
        (
            "US",
            Regime::Gdpr,
            "",
            Err(
                "mechanism adequacy relies on the GDPR adequacy decision for US, which covers \
                 only recipients with dpf_certified = true; set it on destination dest once \
                 the recipient's status is checked",
            ),
        ),
        (
            "SG",
            Regime::Gdpr,
            "",
            Err(
                "mechanism adequacy relies on adequacy, but GDPR has no adequacy decision for \
                 Singapore (SG); use SCCs or another mechanism",
            ),
        ),
        (
            "CN",
            Regime::UkGdpr,
            "",
            Err(
                "mechanism adequacy relies on adequacy, but UK GDPR has no adequacy decision \
                 for China (CN); use SCCs or another mechanism",
            ),
        ),
    ];
    for (country, regime, extra, expected) in cases {
        let destination = destination(country, extra);
        let transfer = Transfer {
            regime,
            destination: &destination,
            found: &found,
            today: date("2026-06-01"),
        };
        let result = check_mechanism(&mechanism, &transfer).map_err(|p| p.to_string());
        assert_eq!(
            result,
            expected.map_err(str::to_owned),
            "{country} under {regime}"
        );
    }
}

#[test]
fn adequacy_ends_with_its_decision() {
    let mechanism = adequacy("adequacy-gb");
    let destination = destination("GB", "");
    let found = [Found::from(Category::Email)];
    let transfer = Transfer {
        regime: Regime::Gdpr,
        destination: &destination,
        found: &found,
        today: date("2032-01-01"),
    };
    let problem = check_mechanism(&mechanism, &transfer).unwrap_err();
    assert_eq!(
        problem.to_string(),
        "mechanism adequacy-gb relies on the GDPR adequacy decision for GB, which ended on \
         2031-12-27"
    );
}
