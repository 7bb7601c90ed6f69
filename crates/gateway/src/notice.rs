//! The legal risk notice shown with a held request: the facts an operator
//! needs to judge the export and what each approver must check.

use std::fmt::Write;

use inspect::Report;
use whitelist::{Destination, Regime};

use crate::policy::Policy;

/// Builds the notice from the destination, its mechanism and the findings.
pub fn legal_notice(
    policy: &Policy,
    destination: &Destination,
    report: &Report,
    reason: &str,
) -> String {
    let mut notice = String::new();
    let findings: Vec<String> = report
        .findings
        .iter()
        .map(|finding| {
            let marker = if finding.sensitive {
                " (sensitive)"
            } else {
                ""
            };
            format!("{} x{}{marker}", finding.category, finding.count)
        })
        .collect();
    let _ = write!(
        notice,
        "This request would send personal data about an estimated {} individual(s) \
         [{}] to {} in {} ({}) for the purpose \"{}\". ",
        report.subjects,
        findings.join(", "),
        destination.recipient,
        destination.country.name(),
        destination.country,
        destination.purpose,
    );
    if let Some(exporter) = policy.exporter {
        let _ = write!(notice, "The applicable law is {}. ", Regime::of(exporter));
    }
    match destination
        .mechanism
        .as_deref()
        .and_then(|id| policy.mechanisms.get(id))
    {
        Some(mechanism) => {
            let expiry = mechanism.expires_on.map_or_else(
                || "no expiry date".to_owned(),
                |date| format!("expires on {date}"),
            );
            let _ = write!(
                notice,
                "It relies on mechanism {} ({}), signed on {}, {expiry}. ",
                mechanism.id, mechanism.kind, mechanism.signed_on
            );
        }
        None => {
            let _ = write!(notice, "No transfer mechanism is registered for it. ");
        }
    }
    let _ = write!(
        notice,
        "It is held because {}. Before approving, check that the export is necessary for \
         that purpose, that the data is limited to what the recipient needs, that the \
         individuals were informed and, for sensitive data, gave separate consent where \
         the law requires it, and that the mechanism covers these categories.",
        reason
    );
    notice
}
