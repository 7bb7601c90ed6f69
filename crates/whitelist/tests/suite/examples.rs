//! The example configuration files in the repository's `examples/` folder.

use std::path::PathBuf;

use chrono::NaiveDate;
use inspect::Category;
use whitelist::{Found, MechanismRegistry, Regime, Whitelist, check_mechanism};

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
    let scc = registry.get("scc-acme-crm").unwrap();
    let covered = |categories: &[Category]| -> Vec<Found> {
        categories.iter().copied().map(Found::from).collect()
    };
    assert!(check_mechanism(scc, Regime::Gdpr, &covered(&scc.covers), today).is_ok());
    let pipl = registry.get("pipl-sc-lumen-sg").unwrap();
    assert!(check_mechanism(pipl, Regime::Pipl, &covered(&pipl.covers), today).is_ok());
}
