//! The personal-data categories that detectors report and that transfer
//! mechanisms cover.
//!
//! The names are part of Tollgate's interface: they appear in `tollgate scan`
//! output, in transfer records, in `covers` lists of `mechanisms.toml` and in
//! audit queries, so they never change once published.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Email,
    Phone,
    PersonName,
    PostalAddress,
    DateOfBirth,
    IpAddress,
    CnResidentId,
    UsSsn,
    UkNino,
    Passport,
    PaymentCard,
    Iban,
    BankAccount,
    Health,
    Biometric,
    PreciseLocation,
}

impl Category {
    /// Every category, in the order used for reports.
    pub const ALL: [Category; 16] = [
        Category::Email,
        Category::Phone,
        Category::PersonName,
        Category::PostalAddress,
        Category::DateOfBirth,
        Category::IpAddress,
        Category::CnResidentId,
        Category::UsSsn,
        Category::UkNino,
        Category::Passport,
        Category::PaymentCard,
        Category::Iban,
        Category::BankAccount,
        Category::Health,
        Category::Biometric,
        Category::PreciseLocation,
    ];

    /// The category's name in configuration, records and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Email => "email",
            Category::Phone => "phone",
            Category::PersonName => "person_name",
            Category::PostalAddress => "postal_address",
            Category::DateOfBirth => "date_of_birth",
            Category::IpAddress => "ip_address",
            Category::CnResidentId => "cn_resident_id",
            Category::UsSsn => "us_ssn",
            Category::UkNino => "uk_nino",
            Category::Passport => "passport",
            Category::PaymentCard => "payment_card",
            Category::Iban => "iban",
            Category::BankAccount => "bank_account",
            Category::Health => "health",
            Category::Biometric => "biometric",
            Category::PreciseLocation => "precise_location",
        }
    }

    /// Whether the category is sensitive personal information.
    ///
    /// Sensitive means PIPL Art. 28 (identity numbers, financial accounts,
    /// health, biometrics, whereabouts) or GDPR Art. 9 (health, biometrics).
    /// Such data needs explicit coverage by a transfer mechanism, and a
    /// request that carries it is held for approval.
    pub fn is_sensitive(self) -> bool {
        match self {
            Category::Email
            | Category::Phone
            | Category::PersonName
            | Category::PostalAddress
            | Category::DateOfBirth
            | Category::IpAddress => false,
            Category::CnResidentId
            | Category::UsSsn
            | Category::UkNino
            | Category::Passport
            | Category::PaymentCard
            | Category::Iban
            | Category::BankAccount
            | Category::Health
            | Category::Biometric
            | Category::PreciseLocation => true,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A category name that is not one of [`Category::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown personal-data category {name:?}; expected one of {}",
    known_names()
)]
pub struct UnknownCategory {
    pub name: String,
}

fn known_names() -> String {
    let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    names.join(", ")
}

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|category| category.as_str() == name)
            .ok_or_else(|| UnknownCategory {
                name: name.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for category in Category::ALL {
            assert_eq!(category.as_str().parse::<Category>(), Ok(category));
        }
    }

    #[test]
    fn serde_uses_snake_case_names() {
        for category in Category::ALL {
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{}\"", category.as_str()));
        }
    }

    #[test]
    fn unknown_name_lists_known_ones() {
        let error = "emial".parse::<Category>().unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("unknown personal-data category \"emial\""));
        assert!(message.contains("email, phone"));
    }
}
