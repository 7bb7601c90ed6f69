//! The example configuration files in the repository's `examples/` folder.

use std::path::PathBuf;

use chrono::NaiveDate;
use whitelist::{Found, MechanismRegistry, Regime, Transfer, Whitelist, check_mechanism};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

#[test]
fn example_files_load_and_agree() {
    let whitelist = Whitelist::load(&example("whitelist.toml")).unwrap();
    let registry = MechanismRegistry::load(&example("mechanisms.toml")).unwrap();
    assert!(!whitelist.destinations().is_empty());
    assert!(!registry.is_empty());
    whitelist.check_mechanisms(&registry).unwrap();
}

#[test]
fn example_mechanisms_are_in_force_for_their_regime() {
    let registry = MechanismRegistry::load(&example("mechanisms.toml")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let whitelist = Whitelist::load(&example("whitelist.toml")).unwrap();
    let cases = [
        ("acme-crm", "scc-acme-crm", Regime::Gdpr),
        ("lumen-analytics", "pipl-sc-lumen-sg", Regime::Pipl),
    ];
    for (destination, mechanism, regime) in cases {
        let destination = whitelist.get(destination).unwrap();
        let mechanism = registry.get(mechanism).unwrap();
        let found: Vec<Found> = mechanism.covers.iter().copied().map(Found::from).collect();
        let transfer = Transfer {
            regime,
            destination,
            found: &found,
            today,
        };
        let result = check_mechanism(mechanism, &transfer);
        assert!(result.is_ok(), "{}: {result:?}", mechanism.id);
    }
}

#[test]
fn review_of_example_keeps_comments_and_layout() {
    let path = example("whitelist.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let rewritten =
        whitelist::review::record_review(&text, &path, "lumen-analytics", day, "Wang Li").unwrap();

    let before: Vec<&str> = text.lines().collect();
    let after: Vec<&str> = rewritten.lines().collect();
    assert_eq!(before.len(), after.len());
    let changed: Vec<(&str, &str)> = before
        .iter()
        .zip(&after)
        .filter(|(old, new)| old != new)
        .map(|(old, new)| (*old, *new))
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert_eq!(changed[0].1, "reviewed_on = 2026-12-04");
    assert_eq!(changed[1].1, "reviewed_by = \"Wang Li\"");
    assert_eq!(
        before
            .iter()
            .filter(|line| line.trim_start().starts_with('#'))
            .count(),
        after
            .iter()
            .filter(|line| line.trim_start().starts_with('#'))
            .count()
    );
}
