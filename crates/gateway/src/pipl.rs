//! PIPL volume thresholds: which mechanism a transfer abroad needs given
//! how many individuals the exporter has sent abroad since 1 January.
//!
//! The CAC provisions of 22 March 2024 (Order No. 16), for handlers that
//! are not critical information infrastructure operators:
//!
//! | individuals this year | non-sensitive | sensitive |
//! | --- | --- | --- |
//! | no mechanism needed | under 100,000 | none |
//! | standard contract or certification | 100,000 to under 1,000,000 | under 10,000 |
//! | CAC security assessment | 1,000,000 or more | 10,000 or more |
//!
//! The counts come from the store (`audit::PiplCounts`); the thresholds are
//! configurable so tests can cross them with small numbers.

use serde::Deserialize;
use whitelist::{Mechanism, MechanismKind};

/// Default individuals (any personal information) from which a standard
/// contract or certification is needed.
pub const DEFAULT_CONTRACT_FROM: u64 = 100_000;
/// Default individuals from which a CAC security assessment is needed.
pub const DEFAULT_ASSESSMENT_FROM: u64 = 1_000_000;
/// Default individuals with sensitive information from which a CAC security
/// assessment is needed; any sensitive information needs at least a
/// standard contract.
pub const DEFAULT_SENSITIVE_ASSESSMENT_FROM: u64 = 10_000;

/// The `[pipl]` section of `tollgate.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    #[serde(default = "default_contract_from")]
    pub contract_from: u64,
    #[serde(default = "default_assessment_from")]
    pub assessment_from: u64,
    #[serde(default = "default_sensitive_assessment_from")]
    pub sensitive_assessment_from: u64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            contract_from: DEFAULT_CONTRACT_FROM,
            assessment_from: DEFAULT_ASSESSMENT_FROM,
            sensitive_assessment_from: DEFAULT_SENSITIVE_ASSESSMENT_FROM,
        }
    }
}

fn default_contract_from() -> u64 {
    DEFAULT_CONTRACT_FROM
}

fn default_assessment_from() -> u64 {
    DEFAULT_ASSESSMENT_FROM
}

fn default_sensitive_assessment_from() -> u64 {
    DEFAULT_SENSITIVE_ASSESSMENT_FROM
}

/// The mechanism a yearly volume requires, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Below every threshold: no mechanism is required.
    Exempt,
    /// A PIPL standard contract or certification (or an assessment).
    Contract,
    /// A CAC security assessment.
    Assessment,
}

impl Tier {
    /// The tier that `counts` individuals require.
    pub fn of(counts: audit::PiplCounts, thresholds: &Thresholds) -> Tier {
        if counts.individuals >= thresholds.assessment_from
            || counts.sensitive >= thresholds.sensitive_assessment_from
        {
            Tier::Assessment
        } else if counts.individuals >= thresholds.contract_from || counts.sensitive > 0 {
            Tier::Contract
        } else {
            Tier::Exempt
        }
    }

    /// The tier a mechanism satisfies.
    pub fn provided_by(mechanism: &Mechanism) -> Tier {
        match mechanism.kind {
            MechanismKind::CacAssessment => Tier::Assessment,
            MechanismKind::PiplStandardContract | MechanismKind::PiplCertification => {
                Tier::Contract
            }
            _ => Tier::Exempt,
        }
    }

    /// What the tier requires, for reasons.
    pub fn requirement(self) -> &'static str {
        match self {
            Tier::Exempt => "no transfer mechanism",
            Tier::Contract => "a PIPL standard contract or certification",
            Tier::Assessment => "a CAC security assessment",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use audit::PiplCounts;

    fn counts(individuals: u64, sensitive: u64) -> PiplCounts {
        PiplCounts {
            individuals,
            sensitive,
        }
    }

    #[test]
    fn tiers_follow_the_2024_thresholds() {
        let thresholds = Thresholds::default();
        let cases = [
            (counts(0, 0), Tier::Exempt),
            (counts(99_999, 0), Tier::Exempt),
            (counts(100_000, 0), Tier::Contract),
            (counts(999_999, 0), Tier::Contract),
            (counts(1_000_000, 0), Tier::Assessment),
            (counts(5, 1), Tier::Contract),
            (counts(20_000, 9_999), Tier::Contract),
            (counts(20_000, 10_000), Tier::Assessment),
        ];
        for (counts, tier) in cases {
            assert_eq!(Tier::of(counts, &thresholds), tier, "{counts:?}");
        }
    }
}
