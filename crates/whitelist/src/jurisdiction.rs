//! Which data protection law governs an exporter, when a transfer crosses a
//! border under that law, and which mechanisms that law accepts.
//!
//! The exporter's country decides the regime: GDPR in the European Economic
//! Area, UK GDPR in the United Kingdom, and PIPL in mainland China. Hong
//! Kong, Macao and Taiwan have their own ISO codes and their own laws, so a
//! transfer from mainland China to any of them is cross-border under PIPL.

mod tables;

use std::fmt;

use crate::country::CountryCode;
use crate::mechanism::MechanismKind;

pub use tables::{AdequacyDecision, RecipientAttribute, Scope, Tables, tables};

/// The data protection regime that governs an exporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Regime {
    /// EU GDPR: the exporter is in the European Economic Area.
    Gdpr,
    /// UK GDPR with the Data Protection Act 2018: the exporter is in `GB`.
    UkGdpr,
    /// China's Personal Information Protection Law: the exporter is in `CN`.
    Pipl,
    /// Any other country, whose transfer rules Tollgate does not encode.
    Other(CountryCode),
}

/// GDPR Chapter V: adequacy decisions (Art. 45), standard contractual
/// clauses (Art. 46(2)(c)), binding corporate rules (Art. 47), and the
/// derogations of Art. 49, of which explicit consent (Art. 49(1)(a)) has its
/// own kind.
const GDPR_KINDS: &[MechanismKind] = &[
    MechanismKind::Adequacy,
    MechanismKind::Scc,
    MechanismKind::Bcr,
    MechanismKind::Consent,
    MechanismKind::Derogation,
];

/// UK GDPR Chapter V as amended by the Data Protection Act 2018: UK adequacy
/// regulations, the International Data Transfer Agreement, EU SCCs used with
/// the UK Addendum, binding corporate rules, consent and other derogations.
const UK_GDPR_KINDS: &[MechanismKind] = &[
    MechanismKind::Adequacy,
    MechanismKind::Idta,
    MechanismKind::Scc,
    MechanismKind::Bcr,
    MechanismKind::Consent,
    MechanismKind::Derogation,
];

/// PIPL Art. 38: a CAC security assessment, a personal information
/// protection certification, or the CAC standard contract. Consent under
/// Art. 39 is required in addition to one of these, never instead, so it is
/// not a mechanism on its own here.
const PIPL_KINDS: &[MechanismKind] = &[
    MechanismKind::PiplStandardContract,
    MechanismKind::PiplCertification,
    MechanismKind::CacAssessment,
];

impl Regime {
    /// The regime of an exporter located in `exporter`.
    pub fn of(exporter: CountryCode) -> Regime {
        let tables = tables();
        if tables.eea.contains(&exporter) {
            Regime::Gdpr
        } else if tables.uk.contains(&exporter) {
            Regime::UkGdpr
        } else if tables.pipl.contains(&exporter) {
            Regime::Pipl
        } else {
            Regime::Other(exporter)
        }
    }

    /// Whether `country` is inside this regime's area, where data moves
    /// without a cross-border transfer.
    pub fn covers(self, country: CountryCode) -> bool {
        let tables = tables();
        match self {
            Regime::Gdpr => tables.eea.contains(&country),
            Regime::UkGdpr => tables.uk.contains(&country),
            Regime::Pipl => tables.pipl.contains(&country),
            Regime::Other(home) => home == country,
        }
    }

    /// The adequacy decision of this regime for `country`, if there is one.
    pub fn adequacy(self, country: CountryCode) -> Option<&'static AdequacyDecision> {
        let tables = tables();
        let list = match self {
            Regime::Gdpr => &tables.eu_adequacy,
            Regime::UkGdpr => &tables.uk_adequacy,
            Regime::Pipl | Regime::Other(_) => return None,
        };
        list.iter().find(|decision| decision.country == country)
    }

    /// Whether this regime accepts mechanisms of `kind` for cross-border
    /// transfers. [`Regime::Other`] accepts every kind, because Tollgate
    /// has no table for other laws and leaves that judgement to the
    /// administrator who registers the mechanism.
    pub fn recognises(self, kind: MechanismKind) -> bool {
        match self {
            Regime::Gdpr => GDPR_KINDS.contains(&kind),
            Regime::UkGdpr => UK_GDPR_KINDS.contains(&kind),
            Regime::Pipl => PIPL_KINDS.contains(&kind),
            Regime::Other(_) => true,
        }
    }
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Regime::Gdpr => f.write_str("GDPR"),
            Regime::UkGdpr => f.write_str("UK GDPR"),
            Regime::Pipl => f.write_str("PIPL"),
            Regime::Other(country) => write!(f, "the law of {}", country.name()),
        }
    }
}

/// Whether sending data from `exporter` to `destination` is a cross-border
/// transfer: true when `destination` is outside the area of the exporter's
/// regime (the EEA for GDPR, mainland China for PIPL, the country itself
/// otherwise).
pub fn is_cross_border(exporter: CountryCode, destination: CountryCode) -> bool {
    !Regime::of(exporter).covers(destination)
}
