//! The per-destination rules beyond the whitelist itself: when requests
//! wait for approval, whether the destination gets data as sent or masked,
//! and which PIPL exemption applies.

use serde::{Deserialize, Serialize};

use crate::mechanism::Found;

/// Rule for holding requests to a destination for two-administrator
/// approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    /// Hold every request that carries personal data.
    Always,
    /// Hold requests that carry sensitive data.
    Sensitive,
    /// Hold requests that carry sensitive data or concern at least
    /// `bulk_threshold` individuals.
    #[default]
    Bulk,
    /// Hold no request.
    Never,
}

/// Why an approval rule holds a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldCause {
    /// `approval = "always"` and the request carries personal data.
    Always,
    /// The request carries sensitive data.
    Sensitive,
    /// The request concerns at least `threshold` individuals.
    Bulk { subjects: u64, threshold: u64 },
}

impl Approval {
    /// Why a request carrying `found` about `subjects` individuals waits
    /// for approval under this rule, if it does.
    pub fn hold_cause(
        self,
        found: &[Found],
        subjects: u64,
        bulk_threshold: u64,
    ) -> Option<HoldCause> {
        let personal = !found.is_empty();
        let sensitive = found.iter().any(|item| item.sensitive);
        match self {
            Approval::Always if personal => Some(HoldCause::Always),
            Approval::Sensitive | Approval::Bulk if sensitive => Some(HoldCause::Sensitive),
            Approval::Bulk if personal && subjects >= bulk_threshold => Some(HoldCause::Bulk {
                subjects,
                threshold: bulk_threshold,
            }),
            _ => None,
        }
    }
}

/// What a destination may receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataPolicy {
    /// The request as the client sent it.
    #[default]
    Full,
    /// Only de-identified data: the gateway forwards a copy with every
    /// detected value replaced by its mask (decision `masked`).
    Masked,
}

/// Grounds on which CAC Order No. 16 (22 March 2024) exempts a transfer
/// from the PIPL security assessment, standard contract and certification
/// whatever the volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiplExemption {
    /// Art. 5(1): necessary to conclude or perform a contract with the
    /// individual, such as cross-border shopping, delivery, payment,
    /// booking or a visa application.
    ContractWithIndividual,
    /// Art. 5(2): cross-border human-resources management under lawful
    /// employment rules or a collective contract.
    CrossBorderHr,
    /// Art. 5(3): an emergency protecting a person's life, health or
    /// property.
    Emergency,
}

impl PiplExemption {
    pub fn as_str(self) -> &'static str {
        match self {
            PiplExemption::ContractWithIndividual => "contract_with_individual",
            PiplExemption::CrossBorderHr => "cross_border_hr",
            PiplExemption::Emergency => "emergency",
        }
    }
}
