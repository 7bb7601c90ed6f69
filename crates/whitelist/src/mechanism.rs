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

pub use check::{Found, MechanismProblem, Transfer, check_mechanism};
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
    /// The contracting parties (SCC Annex I.A, IDTA Part 1).
    #[serde(default)]
    pub parties: Vec<String>,
    /// Categories of data subjects the mechanism covers (SCC Annex I.B),
    /// such as "customers" or "employees"; for the records.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Date of the transfer impact assessment (SCC Clause 14), for `scc`,
    /// `idta` and `bcr`. `tollgate check` warns when it is missing.
    #[serde(default, deserialize_with = "toml_date::optional_local_date")]
    pub tia_on: Option<NaiveDate>,
    /// Day a PIPL standard contract was filed with the provincial CAC
    /// office; required for `pipl_standard_contract`, whose `reference` is
    /// the filing number.
    #[serde(default, deserialize_with = "toml_date::optional_local_date")]
    pub filed_on: Option<NaiveDate>,
    /// The GDPR Art. 49 ground of a `derogation`; required for that kind
    /// only.
    #[serde(default)]
    pub ground: Option<DerogationGround>,
}

/// The situations of GDPR Art. 49(1) in which a transfer may rely on a
/// derogation, and the compelling-legitimate-interests fallback of its
/// second subparagraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DerogationGround {
    /// (a) explicit consent after being informed of the risks.
    ExplicitConsent,
    /// (b) a contract between the data subject and the controller.
    ContractWithSubject,
    /// (c) a contract concluded in the data subject's interest.
    ContractInSubjectInterest,
    /// (d) important reasons of public interest.
    PublicInterest,
    /// (e) legal claims.
    LegalClaims,
    /// (f) vital interests of the data subject or others.
    VitalInterests,
    /// (g) a transfer from a public register.
    PublicRegister,
    /// Compelling legitimate interests: non-repetitive, few data subjects,
    /// with notice to the supervisory authority.
    CompellingLegitimateInterests,
}

impl DerogationGround {
    /// The name used in `mechanisms.toml`, records and notices.
    pub fn as_str(self) -> &'static str {
        match self {
            DerogationGround::ExplicitConsent => "explicit_consent",
            DerogationGround::ContractWithSubject => "contract_with_subject",
            DerogationGround::ContractInSubjectInterest => "contract_in_subject_interest",
            DerogationGround::PublicInterest => "public_interest",
            DerogationGround::LegalClaims => "legal_claims",
            DerogationGround::VitalInterests => "vital_interests",
            DerogationGround::PublicRegister => "public_register",
            DerogationGround::CompellingLegitimateInterests => "compelling_legitimate_interests",
        }
    }
}

/// How long a CAC security assessment stays valid after approval (Order
/// No. 16 of 22 March 2024, Art. 9): three years.
pub const CAC_ASSESSMENT_YEARS: u32 = 3;

/// The field that a cross-field rule reports against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Kind,
    Module,
    ExpiresOn,
    Suspended,
    FiledOn,
    Ground,
}

impl Mechanism {
    /// The last day the mechanism is in force: `expires_on`, or for a CAC
    /// security assessment without one, three years after approval.
    pub fn effective_expiry(&self) -> Option<NaiveDate> {
        if self.expires_on.is_some() || self.kind != MechanismKind::CacAssessment {
            return self.expires_on;
        }
        self.signed_on
            .checked_add_months(chrono::Months::new(12 * CAC_ASSESSMENT_YEARS))
            .and_then(|day| day.pred_opt())
    }

    /// Checks the rules that relate several fields and returns the field to
    /// point at with the message.
    pub(crate) fn validate(&self) -> Result<(), (Field, String)> {
        self.validate_module()?;
        self.validate_dates()?;
        self.validate_kind_fields()?;
        self.validate_suspension()
    }

    fn validate_module(&self) -> Result<(), (Field, String)> {
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
        Ok(())
    }

    fn validate_dates(&self) -> Result<(), (Field, String)> {
        let id = &self.id;
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
        if self.kind == MechanismKind::CacAssessment {
            let limit = self
                .signed_on
                .checked_add_months(chrono::Months::new(12 * CAC_ASSESSMENT_YEARS));
            if let (Some(expires_on), Some(limit)) = (self.expires_on, limit)
                && expires_on >= limit
            {
                return Err((
                    Field::ExpiresOn,
                    format!(
                        "expires_on {expires_on} of CAC assessment {id:?} is more than \
                         {CAC_ASSESSMENT_YEARS} years after signed_on {}; an assessment is \
                         valid for {CAC_ASSESSMENT_YEARS} years, so renew it",
                        self.signed_on
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Checks the fields that only some kinds have or need.
    fn validate_kind_fields(&self) -> Result<(), (Field, String)> {
        let id = &self.id;
        let kind = self.kind;
        let needs_reference = matches!(
            kind,
            MechanismKind::PiplStandardContract
                | MechanismKind::CacAssessment
                | MechanismKind::Consent
        );
        let has_reference = self
            .reference
            .as_deref()
            .is_some_and(|reference| !reference.trim().is_empty());
        if needs_reference && !has_reference {
            let what = match kind {
                MechanismKind::PiplStandardContract => "the CAC filing number",
                MechanismKind::CacAssessment => "the CAC approval number",
                _ => "where the separate-consent records are kept",
            };
            return Err((
                Field::Kind,
                format!(
                    "mechanism {id:?} of kind \"{kind}\" needs reference = \"...\" with {what}"
                ),
            ));
        }
        match (kind, self.filed_on) {
            (MechanismKind::PiplStandardContract, None) => {
                return Err((
                    Field::Kind,
                    format!(
                        "mechanism {id:?} is a PIPL standard contract but has no filed_on; add \
                         the day it was filed with the provincial CAC office"
                    ),
                ));
            }
            (MechanismKind::PiplStandardContract, Some(filed_on)) if filed_on < self.signed_on => {
                return Err((
                    Field::FiledOn,
                    format!(
                        "filed_on {filed_on} of mechanism {id:?} is before signed_on {}; a \
                         standard contract is filed after it takes effect",
                        self.signed_on
                    ),
                ));
            }
            (MechanismKind::PiplStandardContract, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err((
                    Field::FiledOn,
                    format!(
                        "filed_on applies only to kind \"pipl_standard_contract\", but \
                         mechanism {id:?} has kind \"{kind}\"; remove the filed_on line"
                    ),
                ));
            }
        }
        match (kind, self.ground) {
            (MechanismKind::Derogation, None) => Err((
                Field::Kind,
                format!(
                    "mechanism {id:?} is a derogation but has no ground; add ground = one of \
                     explicit_consent, contract_with_subject, contract_in_subject_interest, \
                     public_interest, legal_claims, vital_interests, public_register, \
                     compelling_legitimate_interests (GDPR Art. 49)"
                ),
            )),
            (MechanismKind::Derogation, Some(_)) | (_, None) => Ok(()),
            (_, Some(_)) => Err((
                Field::Ground,
                format!(
                    "ground applies only to kind \"derogation\", but mechanism {id:?} has kind \
                     \"{kind}\"; remove the ground line"
                ),
            )),
        }
    }

    fn validate_suspension(&self) -> Result<(), (Field, String)> {
        let id = &self.id;
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
