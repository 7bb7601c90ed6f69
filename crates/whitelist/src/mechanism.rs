//! Legal transfer mechanisms: the contracts, decisions, filings and
//! consents that make a cross-border transfer lawful.
//!
//! A [`Mechanism`] is one `[[mechanism]]` table of `mechanisms.toml`, and
//! [`MechanismRegistry`] is the whole file. [`check_mechanism`] decides
//! whether one mechanism covers one request on one day.

mod check;
mod registry;

use std::fmt;

use chrono::NaiveDate;
use inspect::Category;
use serde::{Deserialize, Deserializer, Serialize};

use crate::id;
use crate::text_value;
use crate::toml_date;

pub use check::{Found, MechanismProblem, check_mechanism};
pub use registry::MechanismRegistry;

/// The SCC modules of Commission Implementing Decision (EU) 2021/914:
/// 1 controller to controller, 2 controller to processor, 3 processor to
/// processor, 4 processor to controller.
pub const SCC_MODULES: std::ops::RangeInclusive<u8> = 1..=4;

/// The legal instrument behind a mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MechanismKind {
    /// An adequacy decision or regulation for the destination country.
    Adequacy,
    /// EU standard contractual clauses (also used with the UK Addendum).
    Scc,
    /// The UK International Data Transfer Agreement.
    Idta,
    /// Binding corporate rules.
    Bcr,
    /// A PIPL standard contract filed with the provincial CAC office.
    PiplStandardContract,
    /// A PIPL personal information protection certification.
    PiplCertification,
    /// A security assessment passed with the Cyberspace Administration of China.
    CacAssessment,
    /// Explicit consent of the data subject to the transfer.
    Consent,
    /// Another derogation for a specific situation, such as a contract with
    /// the data subject.
    Derogation,
}

impl MechanismKind {
    /// Returns the name used in `mechanisms.toml` and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            MechanismKind::Adequacy => "adequacy",
            MechanismKind::Scc => "scc",
            MechanismKind::Idta => "idta",
            MechanismKind::Bcr => "bcr",
            MechanismKind::PiplStandardContract => "pipl_standard_contract",
            MechanismKind::PiplCertification => "pipl_certification",
            MechanismKind::CacAssessment => "cac_assessment",
            MechanismKind::Consent => "consent",
            MechanismKind::Derogation => "derogation",
        }
    }
}

impl fmt::Display for MechanismKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One transfer mechanism.
///
/// Deserialising checks each field alone; the rules that relate fields
/// (`module` against `kind`, `expires_on` after `signed_on`, a reason for a
/// suspension) are checked by [`MechanismRegistry::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mechanism {
    #[serde(deserialize_with = "id::deserialize")]
    pub id: String,
    pub kind: MechanismKind,
    /// SCC module, present exactly when `kind` is `scc`.
    #[serde(default)]
    pub module: Option<u8>,
    /// Day the mechanism takes effect.
    #[serde(deserialize_with = "toml_date::local_date")]
    pub signed_on: NaiveDate,
    /// Last day the mechanism is in force, if it ends.
    #[serde(default, deserialize_with = "toml_date::optional_local_date")]
    pub expires_on: Option<NaiveDate>,
    /// Personal-data categories the mechanism covers; never empty.
    #[serde(deserialize_with = "deserialize_covers")]
    pub covers: Vec<Category>,
    /// Whether the mechanism allows sensitive categories at all, on top of
    /// listing them in `covers`.
    #[serde(default)]
    pub sensitive: bool,
    /// Whether transfers under this mechanism are stopped for now.
    #[serde(default)]
    pub suspended: bool,
    /// Reason for the suspension, required when `suspended` is true.
    #[serde(default)]
    pub suspended_reason: Option<String>,
    /// Contract id, filing number or decision number.
    #[serde(default)]
    pub reference: Option<String>,
    /// The contracting parties.
    #[serde(default)]
    pub parties: Vec<String>,
}

/// The field that a cross-field rule reports against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Kind,
    Module,
    ExpiresOn,
    Suspended,
}

impl Mechanism {
    /// Checks the rules that relate several fields and returns the field to
    /// point at with the message.
    pub(crate) fn validate(&self) -> Result<(), (Field, String)> {
        let id = &self.id;
        match (self.kind, self.module) {
            (MechanismKind::Scc, None) => {
                return Err((
                    Field::Kind,
                    format!(
                        "mechanism {id:?} has kind \"scc\" but no module; add module = 1, 2, 3 or 4 \
                         (1 controller to controller, 2 controller to processor, 3 processor to \
                         processor, 4 processor to controller)"
                    ),
                ));
            }
            (MechanismKind::Scc, Some(module)) if !SCC_MODULES.contains(&module) => {
                return Err((
                    Field::Module,
                    format!(
                        "module {module} of mechanism {id:?} is not an SCC module; use 1, 2, 3 or 4"
                    ),
                ));
            }
            (kind, Some(_)) if kind != MechanismKind::Scc => {
                return Err((
                    Field::Module,
                    format!(
                        "module applies only to kind \"scc\", but mechanism {id:?} has kind \
                         {:?}; remove the module line",
                        kind.as_str()
                    ),
                ));
            }
            _ => {}
        }
        if let Some(expires_on) = self.expires_on.filter(|&day| day <= self.signed_on) {
            return Err((
                Field::ExpiresOn,
                format!(
                    "expires_on {expires_on} of mechanism {id:?} is not after signed_on {}; \
                     check both dates",
                    self.signed_on
                ),
            ));
        }
        let has_reason = self
            .suspended_reason
            .as_deref()
            .is_some_and(|reason| !reason.trim().is_empty());
        if self.suspended && !has_reason {
            return Err((
                Field::Suspended,
                format!(
                    "mechanism {id:?} is suspended but has no suspended_reason; add \
                     suspended_reason = \"...\" saying why"
                ),
            ));
        }
        Ok(())
    }
}

fn deserialize_covers<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Category>, D::Error> {
    let names = Vec::<CategoryName>::deserialize(deserializer)?;
    if names.is_empty() {
        return Err(serde::de::Error::custom(
            "covers is empty; list the personal-data categories the mechanism covers, such as \
             [\"email\", \"person_name\"]",
        ));
    }
    Ok(names.into_iter().map(|name| name.0).collect())
}

/// One `covers` entry, parsed with [`Category`]'s `FromStr` so that an
/// unknown name is reported at the entry with the list of valid names.
struct CategoryName(Category);

impl<'de> Deserialize<'de> for CategoryName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let category = text_value::deserialize_with(deserializer, "a category name", str::parse)?;
        Ok(CategoryName(category))
    }
}
