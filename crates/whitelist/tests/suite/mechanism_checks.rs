//! `check_mechanism`: one row per problem, plus the valid case.

use chrono::NaiveDate;
use inspect::Category;
use whitelist::{Found, Mechanism, MechanismKind, MechanismProblem, Regime, check_mechanism};

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
    }
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
        let found: Vec<Found> = row.categories.iter().copied().map(Found::from).collect();
        let result = check_mechanism(&row.mechanism, row.regime, &found, date(row.today));
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
    let problem = check_mechanism(
        &mechanism,
        Regime::Gdpr,
        &[Found::from(Category::Iban)],
        date("2026-06-01"),
    )
    .unwrap_err();
    assert!(
        matches!(problem, MechanismProblem::Expired { .. }),
        "{problem:?}"
    );
}
