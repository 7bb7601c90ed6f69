//! The decision for one request, as pure functions of the policy, the
//! destination, what inspection found and today's date.
//!
//! The checks run in a fixed order and the first one that stops the request
//! gives the reason:
//!
//! 1. the host matches no whitelist entry, or the port is not allowed: blocked;
//! 2. the entry's quarterly review is overdue: blocked;
//!    the destination resolves to a non-global address the entry does not
//!    allow: blocked;
//! 3. the body could not be fully inspected: blocked;
//! 4. no personal data: allowed;
//!    personal data for an entry with `data = "masked"`: a masked copy is
//!    forwarded (masked), or the request is blocked when no copy free of
//!    personal data can be made;
//! 5. personal data that stays in the exporter's jurisdiction: allowed;
//! 6. personal data crossing a border without a valid mechanism of a kind
//!    the exporter's law recognises, covering every category: blocked;
//! 7. data the entry's approval policy holds (sensitive data by default):
//!    held for two-administrator approval;
//! 8. otherwise: allowed.
//!
//! Steps 1 and 2 also run for a `CONNECT` before any TLS, and all steps run
//! again for every request inside the tunnel.

use std::net::SocketAddr;

use audit::Decision;
use chrono::NaiveDate;
use inspect::{Category, InspectError, MaskError, MaskedRequest, Report};
use whitelist::{
    DataPolicy, Destination, Found, HoldCause, HostName, Mechanism, MechanismKind, Regime, Transfer,
};

use crate::exporter::Exporter;
use crate::pipl::Tier;
use crate::policy::Policy;

/// The outcome of a decision and the sentence that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub decision: Decision,
    pub reason: String,
    /// The mechanism the decision relied on or rejected.
    pub mechanism_id: Option<String>,
}

impl Verdict {
    fn blocked(reason: impl Into<String>) -> Verdict {
        Verdict {
            decision: Decision::Blocked,
            reason: reason.into(),
            mechanism_id: None,
        }
    }

    fn allowed(reason: impl Into<String>) -> Verdict {
        Verdict {
            decision: Decision::Allowed,
            reason: reason.into(),
            mechanism_id: None,
        }
    }

    fn masked(reason: impl Into<String>) -> Verdict {
        Verdict {
            decision: Decision::Masked,
            reason: reason.into(),
            mechanism_id: None,
        }
    }

    fn with_mechanism(mut self, id: Option<&str>) -> Verdict {
        self.mechanism_id = id.map(str::to_owned);
        self
    }
}

/// Steps 1 and 2: finds the whitelist entry for `host:port` and checks that
/// its review is not overdue.
pub fn check_destination<'p>(
    policy: &'p Policy,
    host: &HostName,
    port: u16,
    today: NaiveDate,
) -> Result<&'p Destination, Verdict> {
    let Some(destination) = policy.whitelist.find(host) else {
        return Err(Verdict::blocked(format!(
            "destination {host} is not on the whitelist"
        )));
    };
    if !destination.allows_port(port) {
        let ports: Vec<String> = destination.ports.iter().map(u16::to_string).collect();
        return Err(Verdict::blocked(format!(
            "port {port} is not allowed for destination {} (allowed ports: {})",
            destination.id,
            ports.join(", ")
        )));
    }
    if destination.reviewed_on > today {
        return Err(Verdict::blocked(format!(
            "whitelist entry {} has reviewed_on {} in the future; set it to the date of the \
             last review",
            destination.id, destination.reviewed_on
        )));
    }
    if destination.review_overdue(today) {
        return Err(Verdict::blocked(format!(
            "whitelist review overdue since {} (destination {}, last reviewed on {} by {})",
            destination.review_due(),
            destination.id,
            destination.reviewed_on,
            destination.reviewed_by
        )));
    }
    Ok(destination)
}

/// Checks every address the destination resolved to: a non-global address
/// must be inside the entry's `allow_addresses`.
pub fn check_addresses(destination: &Destination, addresses: &[SocketAddr]) -> Result<(), Verdict> {
    if addresses.is_empty() {
        return Err(Verdict::blocked(format!(
            "destination {} resolved to no address",
            destination.id
        )));
    }
    for address in addresses {
        destination
            .check_address(address.ip())
            .map_err(|error| Verdict::blocked(error.to_string()))?;
    }
    Ok(())
}

/// What step 3 onwards needs to know about one request.
#[derive(Debug, Clone, Copy)]
pub struct TransferInput<'a> {
    /// The entity sending the data; its country decides the law.
    pub exporter: Option<&'a Exporter>,
    pub destination: &'a Destination,
    pub inspection: Result<&'a Report, &'a InspectError>,
    pub today: NaiveDate,
    /// Transfers allowed before under the destination's mechanism, shown
    /// when a derogation is used again.
    pub mechanism_uses: u64,
    /// For an exporter under PIPL: its yearly count of individuals before
    /// and after this request, when the request's individuals could be
    /// counted.
    pub pipl: Option<audit::PiplProjection>,
    /// For a destination with `data = "masked"` and a request with personal
    /// data: the masked copy, or why none could be made.
    pub masking: Option<Result<&'a MaskedRequest, &'a MaskError>>,
}

/// Steps 3 to 8 for a request whose destination passed [`check_destination`]
/// and [`check_addresses`].
pub fn decide_transfer(policy: &Policy, input: &TransferInput<'_>) -> Verdict {
    let destination = input.destination;
    let mechanism_id = destination.mechanism.as_deref();
    let report = match input.inspection {
        Ok(report) => report,
        Err(error) => {
            return Verdict::blocked(format!("body cannot be fully inspected: {error}"))
                .with_mechanism(mechanism_id);
        }
    };
    if !report.personal_data {
        return Verdict::allowed("no personal data found").with_mechanism(mechanism_id);
    }

    let found: Vec<Found> = report.findings.iter().map(Found::from).collect();
    let categories: Vec<Category> = report.categories().collect();
    let listed = category_list(&categories);
    if destination.data == DataPolicy::Masked {
        return masked_verdict(input, &found, report.subjects, &listed)
            .with_mechanism(mechanism_id);
    }
    let Some(exporter) = input.exporter.map(|exporter| exporter.country) else {
        return Verdict::blocked(
            "no exporter country is configured, so the applicable law is unknown",
        );
    };
    let regime = Regime::of(exporter);
    if !whitelist::is_cross_border(exporter, destination.country) {
        return Verdict::allowed(format!(
            "personal data ({listed}) stays within {regime} ({exporter} to {})",
            destination.country
        ))
        .with_mechanism(mechanism_id);
    }

    let pipl = match regime {
        Regime::Pipl => pipl_requirement(policy, input),
        _ => PiplRequirement::Mechanism,
    };
    let Some(id) = mechanism_id else {
        let hold = hold_reason(None, input, &found, report.subjects);
        return match pipl {
            PiplRequirement::Exempt(reason) => {
                Verdict::allowed(format!("personal data ({listed}) {reason}")).held_if(hold)
            }
            PiplRequirement::Volume {
                required: Tier::Exempt,
                ..
            } => {
                let counts = input
                    .pipl
                    .map(|projection| projection.after)
                    .unwrap_or_default();
                Verdict::allowed(format!(
                    "personal data ({listed}) is exempt by volume under PIPL: {} individual(s) \
                     sent abroad this year, below {} and none with sensitive information",
                    counts.individuals, policy.pipl.contract_from
                ))
                .held_if(hold)
            }
            PiplRequirement::Volume { required, .. } => Verdict::blocked(format!(
                "{}, which requires {}, but destination {} has no transfer mechanism",
                volume_text(input),
                required.requirement(),
                destination.id
            )),
            PiplRequirement::Mechanism => Verdict::blocked(format!(
                "personal data ({listed}) would cross from {exporter} to {} under {regime}, \
                 but destination {} has no transfer mechanism",
                destination.country, destination.id
            )),
        };
    };
    let Some(mechanism) = policy.mechanisms.get(id) else {
        return Verdict::blocked(format!(
            "destination {} names mechanism {id}, which is not in the mechanism registry",
            destination.id
        ))
        .with_mechanism(Some(id));
    };
    let transfer = Transfer {
        regime,
        destination,
        found: &found,
        today: input.today,
    };
    if let Err(problem) = whitelist::check_mechanism(mechanism, &transfer) {
        return Verdict::blocked(problem.to_string()).with_mechanism(Some(id));
    }
    let mut crossing = None;
    if let PiplRequirement::Volume { required, before } = pipl {
        if Tier::provided_by(mechanism) < required {
            return Verdict::blocked(format!(
                "{}, which requires {}; mechanism {id} ({}) is not enough",
                volume_text(input),
                required.requirement(),
                mechanism.kind
            ))
            .with_mechanism(Some(id));
        }
        if before < required {
            crossing = Some(format!(
                "{}, crossing the threshold from which PIPL requires {}; the first transfer \
                 past a threshold is held for two-administrator approval",
                volume_text(input),
                required.requirement()
            ));
        }
    }

    Verdict::allowed(format!(
        "personal data ({listed}) covered by mechanism {id} ({})",
        mechanism.kind
    ))
    .with_mechanism(Some(id))
    .held_if(crossing.or_else(|| hold_reason(Some(mechanism), input, &found, report.subjects)))
}

/// What PIPL asks of a transfer abroad, before the mechanism is looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PiplRequirement {
    /// The destination's entry claims an exemption of the CAC provisions
    /// (Art. 5); the text says which.
    Exempt(String),
    /// The yearly volume requires `required`; `before` is what the volume
    /// required before this request.
    Volume { required: Tier, before: Tier },
    /// The volume is unknown (the request's individuals could not be
    /// counted), so a mechanism is required as for any other law.
    Mechanism,
}

fn pipl_requirement(policy: &Policy, input: &TransferInput<'_>) -> PiplRequirement {
    if let Some(exemption) = input.destination.pipl_exemption {
        return PiplRequirement::Exempt(format!(
            "is exempt from PIPL transfer mechanisms under the CAC provisions of 22 March 2024 \
             ({}), as destination {} declares",
            exemption.as_str(),
            input.destination.id
        ));
    }
    match input.pipl {
        Some(projection) => PiplRequirement::Volume {
            required: Tier::of(projection.after, &policy.pipl),
            before: Tier::of(projection.before, &policy.pipl),
        },
        None => PiplRequirement::Mechanism,
    }
}

/// The volume this request brings the exporter to, for reasons.
fn volume_text(input: &TransferInput<'_>) -> String {
    let after = input
        .pipl
        .map(|projection| projection.after)
        .unwrap_or_default();
    format!(
        "this transfer brings the individuals sent abroad this year to {} ({} with sensitive \
         information)",
        after.individuals, after.sensitive
    )
}

/// The decision for a destination that may receive only masked data.
///
/// The masked copy has been inspected again and contains no personal data,
/// so neither a transfer mechanism nor the volume of PIPL applies to it,
/// and it is not counted as a transfer of individuals. Only an entry that
/// requires approval for every transfer still holds it. Without a copy the
/// request is blocked, never sent as it is.
fn masked_verdict(
    input: &TransferInput<'_>,
    found: &[Found],
    subjects: u64,
    listed: &str,
) -> Verdict {
    let destination = input.destination;
    let masked = match input.masking {
        Some(Ok(masked)) => masked,
        Some(Err(error)) => {
            return Verdict::blocked(format!(
                "destination {} may receive only masked data, and personal data ({listed}) \
                 could not be masked: {error}",
                destination.id
            ));
        }
        None => {
            return Verdict::blocked(format!(
                "destination {} may receive only masked data, and personal data ({listed}) \
                 was not masked",
                destination.id
            ));
        }
    };
    let always = matches!(
        destination.hold_cause(found, subjects),
        Some(HoldCause::Always)
    );
    Verdict::masked(format!(
        "personal data ({listed}) masked before forwarding ({} value(s) replaced), because \
         destination {} may receive only masked data",
        masked.masked_values, destination.id
    ))
    .held_if(always.then(|| {
        format!(
            "destination {} requires two-administrator approval for every transfer, masked \
             ones included",
            destination.id
        )
    }))
}

impl Verdict {
    /// Step 7: turns an allowing verdict into a hold when `reason` is set.
    fn held_if(mut self, reason: Option<String>) -> Verdict {
        if let Some(reason) = reason {
            self.decision = Decision::Held;
            self.reason = reason;
        }
        self
    }
}

/// Step 7: why the request waits for two administrators, if it does. A
/// derogation always does, because GDPR Art. 49 allows it only for
/// occasional transfers that someone has judged one by one; otherwise the
/// destination's approval rule decides.
fn hold_reason(
    mechanism: Option<&Mechanism>,
    input: &TransferInput<'_>,
    found: &[Found],
    subjects: u64,
) -> Option<String> {
    let destination = input.destination;
    if let Some(mechanism) = mechanism.filter(|m| m.kind == MechanismKind::Derogation) {
        let ground = mechanism
            .ground
            .map_or_else(String::new, |ground| format!(" ({})", ground.as_str()));
        return Some(format!(
            "transfers under derogation {}{ground} always require two-administrator \
             approval; it was used {} time(s) before",
            mechanism.id, input.mechanism_uses
        ));
    }
    Some(match destination.hold_cause(found, subjects)? {
        HoldCause::Always => format!(
            "destination {} requires two-administrator approval for every transfer of \
             personal data",
            destination.id
        ),
        HoldCause::Sensitive => {
            let sensitive: Vec<Category> = found
                .iter()
                .filter(|item| item.sensitive)
                .map(|item| item.category)
                .collect();
            format!(
                "sensitive personal data ({}) requires two-administrator approval",
                category_list(&sensitive)
            )
        }
        HoldCause::Bulk {
            subjects,
            threshold,
        } => format!(
            "bulk export of about {subjects} individuals (destination {} holds {threshold} or \
             more) requires two-administrator approval",
            destination.id
        ),
    })
}

fn category_list(categories: &[Category]) -> String {
    let names: Vec<&str> = categories
        .iter()
        .map(|category| category.as_str())
        .collect();
    names.join(", ")
}

#[cfg(test)]
mod table_tests;
#[cfg(test)]
mod tests;
