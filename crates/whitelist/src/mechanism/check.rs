//! Whether a mechanism covers one transfer on one day.

use chrono::NaiveDate;
use inspect::Category;

use super::{Mechanism, MechanismKind};
use crate::country::CountryCode;
use crate::destination::Destination;
use crate::jurisdiction::Regime;

/// A personal-data category found in a request, and whether it was found
/// in a sensitive form: a category that is always sensitive, or a date of
/// birth of a child under 14 (PIPL Art. 28 counts minors' data as
/// sensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub category: Category,
    pub sensitive: bool,
}

impl From<Category> for Found {
    fn from(category: Category) -> Found {
        Found {
            category,
            sensitive: category.is_sensitive(),
        }
    }
}

impl From<&inspect::Finding> for Found {
    fn from(finding: &inspect::Finding) -> Found {
        Found {
            category: finding.category,
            sensitive: finding.sensitive,
        }
    }
}

/// Reason a mechanism does not cover a transfer. The message is a sentence
/// fragment naming the mechanism and the fact, for use as a block reason in
/// transfer records and responses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MechanismProblem {
    #[error("mechanism {id} ({kind}) is not recognised under {regime}")]
    NotRecognised {
        id: String,
        kind: MechanismKind,
        regime: Regime,
    },

    #[error("mechanism {id} is not in force before {signed_on}")]
    NotYetSigned { id: String, signed_on: NaiveDate },

    #[error("mechanism {id} expired on {expires_on}")]
    Expired { id: String, expires_on: NaiveDate },

    #[error(
        "mechanism {id} relies on adequacy, but {regime} has no adequacy decision for {} \
         ({country}); use SCCs or another mechanism",
        country.name()
    )]
    NoAdequacy {
        id: String,
        country: CountryCode,
        regime: Regime,
    },

    #[error(
        "mechanism {id} relies on the {regime} adequacy decision for {country}, which ended on {expires_on}"
    )]
    AdequacyEnded {
        id: String,
        country: CountryCode,
        regime: Regime,
        expires_on: NaiveDate,
    },

    #[error(
        "mechanism {id} relies on the {regime} adequacy decision for {country}, which covers \
         only recipients with {attribute} = true; set it on destination {destination} once \
         the recipient's status is checked"
    )]
    AdequacyNeedsAttribute {
        id: String,
        country: CountryCode,
        regime: Regime,
        attribute: &'static str,
        destination: String,
    },

    #[error("mechanism {id} is suspended: {reason}")]
    Suspended { id: String, reason: String },

    #[error("mechanism {id} does not cover {}", join(missing))]
    NotCovered { id: String, missing: Vec<Category> },

    #[error("mechanism {id} does not permit sensitive data ({})", join(categories))]
    SensitiveNotPermitted {
        id: String,
        categories: Vec<Category>,
    },
}

fn join(categories: &[Category]) -> String {
    let names: Vec<&str> = categories
        .iter()
        .map(|category| category.as_str())
        .collect();
    names.join(", ")
}

/// One cross-border transfer, as a mechanism check sees it.
#[derive(Debug, Clone, Copy)]
pub struct Transfer<'a> {
    /// The exporter's regime.
    pub regime: Regime,
    pub destination: &'a Destination,
    /// What the request carries.
    pub found: &'a [Found],
    pub today: NaiveDate,
}

/// Checks whether `mechanism` covers `transfer`.
///
/// The checks run in a fixed order and the first failure is returned:
/// 1. the regime does not recognise the kind,
/// 2. for `adequacy`: the regime has a decision for the destination's
///    country, still in force, and the recipient has the attribute a
///    partial decision requires,
/// 3. `signed_on` is after `today`,
/// 4. `today` is after the last valid day ([`Mechanism::effective_expiry`]),
/// 5. the mechanism is suspended,
/// 6. a category is missing from `covers`,
/// 7. a category found in sensitive form is present while `sensitive` is
///    false.
///
/// Reported categories are listed once each, in [`Category::ALL`] order.
pub fn check_mechanism(
    mechanism: &Mechanism,
    transfer: &Transfer<'_>,
) -> Result<(), MechanismProblem> {
    let id = || mechanism.id.clone();
    let Transfer {
        regime,
        found,
        today,
        ..
    } = *transfer;
    if !regime.recognises(mechanism.kind) {
        return Err(MechanismProblem::NotRecognised {
            id: id(),
            kind: mechanism.kind,
            regime,
        });
    }
    if mechanism.kind == MechanismKind::Adequacy {
        check_adequacy(mechanism, transfer)?;
    }
    if mechanism.signed_on > today {
        return Err(MechanismProblem::NotYetSigned {
            id: id(),
            signed_on: mechanism.signed_on,
        });
    }
    if let Some(expires_on) = mechanism.effective_expiry().filter(|&last| today > last) {
        return Err(MechanismProblem::Expired {
            id: id(),
            expires_on,
        });
    }
    if mechanism.suspended {
        let reason = mechanism
            .suspended_reason
            .clone()
            .unwrap_or_else(|| "no reason given".to_owned());
        return Err(MechanismProblem::Suspended { id: id(), reason });
    }
    let missing = sorted_unique(found, |item| !mechanism.covers.contains(&item.category));
    if !missing.is_empty() {
        return Err(MechanismProblem::NotCovered { id: id(), missing });
    }
    if !mechanism.sensitive {
        let sensitive = sorted_unique(found, |item| item.sensitive);
        if !sensitive.is_empty() {
            return Err(MechanismProblem::SensitiveNotPermitted {
                id: id(),
                categories: sensitive,
            });
        }
    }
    Ok(())
}

fn check_adequacy(mechanism: &Mechanism, transfer: &Transfer<'_>) -> Result<(), MechanismProblem> {
    let country = transfer.destination.country;
    let regime = transfer.regime;
    let id = || mechanism.id.clone();
    let Some(decision) = regime.adequacy(country) else {
        return Err(MechanismProblem::NoAdequacy {
            id: id(),
            country,
            regime,
        });
    };
    if let Some(expires_on) = decision.expires_on.filter(|&last| transfer.today > last) {
        return Err(MechanismProblem::AdequacyEnded {
            id: id(),
            country,
            regime,
            expires_on,
        });
    }
    if let Some(attribute) = decision.requires
        && !transfer.destination.has_attribute(attribute)
    {
        return Err(MechanismProblem::AdequacyNeedsAttribute {
            id: id(),
            country,
            regime,
            attribute: attribute.field(),
            destination: transfer.destination.id.clone(),
        });
    }
    Ok(())
}

fn sorted_unique(found: &[Found], include: impl Fn(&Found) -> bool) -> Vec<Category> {
    let mut selected: Vec<Category> = found
        .iter()
        .filter(|item| include(item))
        .map(|item| item.category)
        .collect();
    selected.sort_unstable();
    selected.dedup();
    selected
}
