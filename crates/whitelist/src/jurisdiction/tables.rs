//! The jurisdiction tables shipped with Tollgate: which countries form each
//! regime's area, and which countries have an adequacy decision under GDPR
//! and UK GDPR.
//!
//! The tables are TOML files in `crates/whitelist/data/`, each with its
//! sources and the date it was last checked, so a reviewer can compare them
//! with the official lists. They are compiled into the binary and parsed on
//! first use; a parse error is a bug in the shipped data, caught by tests.

use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::country::CountryCode;
use crate::toml_date;

const REGIONS: &str = include_str!("../../data/regions.toml");
const EU_ADEQUACY: &str = include_str!("../../data/eu-adequacy.toml");
const UK_ADEQUACY: &str = include_str!("../../data/uk-adequacy.toml");

/// How much of a country an adequacy decision covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every recipient in the country.
    Full,
    /// Only recipients with the attribute the decision `requires`.
    Partial,
}

/// A fact about a recipient that a partial adequacy decision depends on.
/// Each is a boolean field of a whitelist entry, set by the administrator
/// after checking the public list it refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientAttribute {
    /// Listed in the EU-US Data Privacy Framework (or its UK Extension).
    DpfCertified,
    /// Subject to Canada's PIPEDA.
    PipedaCovered,
    /// A business covered by Japan's APPI that applies the Supplementary
    /// Rules.
    AppiCovered,
    /// Covered by Korea's PIPA, outside the excluded data types.
    PipaCovered,
}

impl RecipientAttribute {
    /// The whitelist field that records this attribute.
    pub fn field(self) -> &'static str {
        match self {
            RecipientAttribute::DpfCertified => "dpf_certified",
            RecipientAttribute::PipedaCovered => "pipeda_covered",
            RecipientAttribute::AppiCovered => "appi_covered",
            RecipientAttribute::PipaCovered => "pipa_covered",
        }
    }
}

/// One adequacy decision for one country.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdequacyDecision {
    pub country: CountryCode,
    /// The decision or regulation, as cited in records and notices.
    pub reference: String,
    pub scope: Scope,
    /// The recipient attribute a partial decision depends on.
    #[serde(default)]
    pub requires: Option<RecipientAttribute>,
    /// The last day the decision applies, when it has a sunset date.
    #[serde(default, deserialize_with = "toml_date::optional_local_date")]
    pub expires_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdequacyTable {
    #[serde(deserialize_with = "toml_date::local_date")]
    as_of: NaiveDate,
    decision: Vec<AdequacyDecision>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Region {
    #[allow(dead_code)]
    name: String,
    countries: Vec<CountryCode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionTable {
    #[serde(deserialize_with = "toml_date::local_date")]
    as_of: NaiveDate,
    gdpr: Region,
    uk_gdpr: Region,
    pipl: Region,
}

/// The parsed tables.
#[derive(Debug)]
pub struct Tables {
    /// The European Economic Area, where GDPR applies.
    pub eea: Vec<CountryCode>,
    pub uk: Vec<CountryCode>,
    /// Mainland China, where PIPL applies.
    pub pipl: Vec<CountryCode>,
    pub eu_adequacy: Vec<AdequacyDecision>,
    /// UK adequacy, including a full decision for every EEA state, which
    /// the UK treats as adequate (DPA 2018 Schedule 21).
    pub uk_adequacy: Vec<AdequacyDecision>,
    /// The date each table was last checked against its sources:
    /// regions, EU adequacy, UK adequacy.
    pub as_of: [NaiveDate; 3],
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let regions: RegionTable = parse("regions.toml", REGIONS);
    let eu: AdequacyTable = parse("eu-adequacy.toml", EU_ADEQUACY);
    let mut uk: AdequacyTable = parse("uk-adequacy.toml", UK_ADEQUACY);
    uk.decision.extend(
        regions
            .gdpr
            .countries
            .iter()
            .map(|&country| AdequacyDecision {
                country,
                reference: "DPA 2018 Schedule 21 (EEA state)".to_owned(),
                scope: Scope::Full,
                requires: None,
                expires_on: None,
                note: None,
            }),
    );
    Tables {
        eea: regions.gdpr.countries,
        uk: regions.uk_gdpr.countries,
        pipl: regions.pipl.countries,
        eu_adequacy: eu.decision,
        uk_adequacy: uk.decision,
        as_of: [regions.as_of, eu.as_of, uk.as_of],
    }
});

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
    toml::from_str(text)
        .unwrap_or_else(|error| panic!("the shipped table {name} is invalid: {error}"))
}

/// The shipped tables, parsed on first use.
pub fn tables() -> &'static Tables {
    &TABLES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_tables_parse() {
        let tables = tables();
        assert_eq!(tables.eea.len(), 30);
        assert_eq!(tables.uk.len(), 1);
        assert_eq!(tables.pipl.len(), 1);
        assert_eq!(tables.eu_adequacy.len(), 16);
        assert_eq!(tables.uk_adequacy.len(), 15 + 30);
    }

    #[test]
    fn partial_decisions_name_their_attribute() {
        let tables = tables();
        for decision in tables.eu_adequacy.iter().chain(&tables.uk_adequacy) {
            let partial = decision.scope == Scope::Partial;
            assert_eq!(partial, decision.requires.is_some(), "{}", decision.country);
        }
    }

    #[test]
    fn no_country_is_listed_twice() {
        let tables = tables();
        for list in [&tables.eu_adequacy, &tables.uk_adequacy] {
            let mut countries: Vec<CountryCode> = list.iter().map(|d| d.country).collect();
            countries.sort();
            let before = countries.len();
            countries.dedup();
            assert_eq!(before, countries.len());
        }
    }
}
