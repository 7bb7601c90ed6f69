//! ISO 3166-1 alpha-2 country codes.
//!
//! Destinations and exporters are located by country because the transfer
//! rules of GDPR, UK GDPR and PIPL are decided by where the data goes. The
//! table of valid codes is generated (see `country/table.rs`) so that the
//! set of codes and their names match a published source exactly.

mod table;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text_value;

use table::COUNTRIES;

/// A code that is not an ISO 3166-1 alpha-2 code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown country code {code:?}; use an ISO 3166-1 alpha-2 code such as \"DE\"")]
pub struct UnknownCountry {
    pub code: String,
}

/// A validated ISO 3166-1 alpha-2 country code, stored in uppercase.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode {
    /// Index into the generated table. Codes order alphabetically because
    /// the table is sorted.
    index: u8,
}

impl CountryCode {
    /// Parses a code in any letter case.
    pub fn parse(code: &str) -> Result<CountryCode, UnknownCountry> {
        let upper = code.to_ascii_uppercase();
        COUNTRIES
            .binary_search_by(|(candidate, _)| (*candidate).cmp(upper.as_str()))
            .ok()
            .and_then(|index| u8::try_from(index).ok())
            .map(|index| CountryCode { index })
            .ok_or_else(|| UnknownCountry {
                code: code.to_owned(),
            })
    }

    /// The two uppercase letters.
    pub fn as_str(self) -> &'static str {
        COUNTRIES[usize::from(self.index)].0
    }

    /// The English short name from ISO 3166-1, for example "Korea, Republic
    /// of" for `KR`.
    pub fn name(self) -> &'static str {
        COUNTRIES[usize::from(self.index)].1
    }

    /// Whether the country belongs to the European Economic Area, where GDPR
    /// applies and data moves freely between members. The member list is the
    /// shipped table `data/regions.toml`.
    pub fn is_eea(self) -> bool {
        crate::jurisdiction::tables().eea.contains(&self)
    }

    /// Every code, in alphabetical order.
    pub fn all() -> impl Iterator<Item = CountryCode> {
        (0..COUNTRIES.len()).map(|index| CountryCode {
            // The table has 249 rows, so every index fits in a u8.
            index: index as u8,
        })
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({:?})", self.as_str())
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CountryCode {
    type Err = UnknownCountry;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        CountryCode::parse(code)
    }
}

impl Serialize for CountryCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        text_value::deserialize_with(deserializer, "a country code", CountryCode::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert_eq!(COUNTRIES.len(), 249);
        assert!(COUNTRIES.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn parse_accepts_any_case() {
        let code = CountryCode::parse("de").unwrap();
        assert_eq!(code.as_str(), "DE");
        assert_eq!(code.name(), "Germany");
    }

    #[test]
    fn unknown_code_message_names_value() {
        let error = CountryCode::parse("XX").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown country code \"XX\"; use an ISO 3166-1 alpha-2 code such as \"DE\""
        );
    }

    #[test]
    fn serde_uses_two_letter_string() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Row {
            country: CountryCode,
        }
        let row: Row = toml::from_str("country = \"gb\"").unwrap();
        assert_eq!(row.country.as_str(), "GB");
        assert_eq!(toml::to_string(&row).unwrap(), "country = \"GB\"\n");
    }

    #[test]
    fn eea_membership() {
        let cases = [
            ("DE", true),
            ("GR", true),
            ("NO", true),
            ("IS", true),
            ("LI", true),
            ("CH", false),
            ("GB", false),
            ("US", false),
        ];
        for (code, expected) in cases {
            assert_eq!(
                CountryCode::parse(code).unwrap().is_eea(),
                expected,
                "{code}"
            );
        }
    }
}
