//! Regimes, cross-border decisions and recognised mechanism kinds.

use whitelist::{CountryCode, MechanismKind, Regime, is_cross_border};

fn country(code: &str) -> CountryCode {
    code.parse().unwrap()
}

#[test]
fn cross_border_table() {
    let cases = [
        ("DE", "FR", false),
        ("DE", "DE", false),
        ("DE", "NO", false),
        ("IS", "LI", false),
        ("DE", "US", true),
        ("DE", "CH", true),
        ("DE", "GB", true),
        ("GB", "DE", true),
        ("GB", "GB", false),
        ("CN", "CN", false),
        ("CN", "HK", true),
        ("CN", "MO", true),
        ("CN", "TW", true),
        ("HK", "CN", true),
        ("US", "US", false),
        ("US", "CA", true),
    ];
    for (exporter, destination, expected) in cases {
        assert_eq!(
            is_cross_border(country(exporter), country(destination)),
            expected,
            "{exporter} to {destination}"
        );
    }
}

#[test]
fn regime_of_exporter() {
    let cases = [
        ("DE", Regime::Gdpr),
        ("NO", Regime::Gdpr),
        ("GB", Regime::UkGdpr),
        ("CN", Regime::Pipl),
        ("HK", Regime::Other(country("HK"))),
        ("US", Regime::Other(country("US"))),
    ];
    for (code, expected) in cases {
        assert_eq!(Regime::of(country(code)), expected, "{code}");
    }
}

#[test]
fn regime_display() {
    assert_eq!(Regime::Gdpr.to_string(), "GDPR");
    assert_eq!(Regime::UkGdpr.to_string(), "UK GDPR");
    assert_eq!(Regime::Pipl.to_string(), "PIPL");
    assert_eq!(
        Regime::Other(country("SG")).to_string(),
        "the law of Singapore"
    );
}

#[test]
fn recognised_kinds_table() {
    use MechanismKind::*;
    let all = [
        Adequacy,
        Scc,
        Idta,
        Bcr,
        PiplStandardContract,
        PiplCertification,
        CacAssessment,
        Consent,
        Derogation,
    ];
    let expected: [(Regime, &[MechanismKind]); 4] = [
        (Regime::Gdpr, &[Adequacy, Scc, Bcr, Consent, Derogation]),
        (
            Regime::UkGdpr,
            &[Adequacy, Idta, Scc, Bcr, Consent, Derogation],
        ),
        (
            Regime::Pipl,
            &[PiplStandardContract, PiplCertification, CacAssessment],
        ),
        (Regime::Other(country("US")), &all),
    ];
    for (regime, recognised) in expected {
        for kind in all {
            assert_eq!(
                regime.recognises(kind),
                recognised.contains(&kind),
                "{regime} {kind}"
            );
        }
    }
}
