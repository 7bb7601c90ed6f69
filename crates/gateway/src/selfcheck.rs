//! The self-inspection: what needs an administrator's action now, or will
//! soon. `tollgate check` prints it, and `serve` runs it at start, after
//! every reload and once a week, logging each item and exporting counts as
//! metrics.
//!
//! Items: overdue reviews and reviews due within two weeks; mechanisms
//! that are suspended, expired, expiring within 30 days, SCCs without a
//! transfer impact assessment date and PIPL standard contracts filed late;
//! a store URL this build cannot open; the CA certificate's expiry.

use std::time::{Duration, SystemTime};

use chrono::NaiveDate;
use serde::Serialize;
use whitelist::MechanismKind;

use crate::config::Config;
use crate::policy::Policy;

/// A review due within this many days is reported as a warning.
pub const REVIEW_WARNING_DAYS: i64 = 14;
/// Working days within which a PIPL standard contract must be filed with the
/// provincial CAC office after it takes effect, counted here as 14 calendar
/// days (two working weeks) because holidays vary by province.
pub const PIPL_FILING_DAYS: i64 = 14;
/// A mechanism expiring within this many days is reported as a warning.
pub const MECHANISM_WARNING_DAYS: i64 = 30;
/// A CA certificate expiring within this time is reported as a warning.
pub const CA_WARNING: Duration = Duration::from_secs(90 * 24 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Requests are being blocked or will be at once.
    Action,
    /// Will need action soon.
    Warning,
}

#[derive(Debug, Serialize)]
pub struct Item {
    pub severity: Severity,
    pub subject: String,
    pub message: String,
}

/// Time between two self-inspections of a running gateway.
pub const INTERVAL: Duration = Duration::from_secs(7 * 24 * 3600);

/// Runs the self-inspection of a running gateway: logs every item (a
/// warning for those needing action now) and sets the gauges
/// `tollgate_selfcheck_items{severity}`, `tollgate_reviews_overdue`,
/// `tollgate_reviews_due_soon` and `tollgate_ca_expiry_seconds`.
pub fn run_and_report(config: &Config, policy: &Policy, today: NaiveDate) {
    let items = inspect(config, policy, today);
    for item in &items {
        match item.severity {
            Severity::Action => {
                tracing::warn!(subject = %item.subject, message = %item.message, "self-inspection: action needed");
            }
            Severity::Warning => {
                tracing::info!(subject = %item.subject, message = %item.message, "self-inspection: due soon");
            }
        }
    }
    for (severity, label) in [(Severity::Action, "action"), (Severity::Warning, "warning")] {
        let count = items
            .iter()
            .filter(|item| item.severity == severity)
            .count();
        metrics::gauge!(SELFCHECK_ITEMS, "severity" => label).set(count as f64);
    }
    let destinations = policy.whitelist.destinations();
    let overdue = destinations
        .iter()
        .filter(|destination| destination.review_overdue(today))
        .count();
    let due_soon = destinations
        .iter()
        .filter(|destination| {
            !destination.review_overdue(today)
                && (destination.review_due() - today).num_days() <= REVIEW_WARNING_DAYS
        })
        .count();
    metrics::gauge!(REVIEWS_OVERDUE).set(overdue as f64);
    metrics::gauge!(REVIEWS_DUE_SOON).set(due_soon as f64);
    for (exporter, counts) in pipl_counts(config, policy, chrono::Datelike::year(&today)) {
        metrics::gauge!(PIPL_INDIVIDUALS, "exporter" => exporter.clone(), "data" => "all")
            .set(counts.individuals as f64);
        metrics::gauge!(PIPL_INDIVIDUALS, "exporter" => exporter, "data" => "sensitive")
            .set(counts.sensitive as f64);
    }
    if let Ok(authority) = certs::CertificateAuthority::load(&config.ca_dir) {
        let remaining = authority
            .not_after()
            .duration_since(SystemTime::now())
            .unwrap_or_default();
        metrics::gauge!(CA_EXPIRY_SECONDS).set(remaining.as_secs_f64());
    }
    tracing::info!(items = items.len(), "self-inspection finished");
}

pub const SELFCHECK_ITEMS: &str = "tollgate_selfcheck_items";
pub const REVIEWS_OVERDUE: &str = "tollgate_reviews_overdue";
pub const REVIEWS_DUE_SOON: &str = "tollgate_reviews_due_soon";
pub const CA_EXPIRY_SECONDS: &str = "tollgate_ca_expiry_seconds";
/// Individuals sent abroad this year per PIPL exporter; the exporter label
/// comes from the configuration, so the series stay few.
pub const PIPL_INDIVIDUALS: &str = "tollgate_pipl_individuals";

/// Share of a PIPL threshold from which the count is reported as nearing
/// it, so the next mechanism can be put in place in time.
const PIPL_WARNING_SHARE: f64 = 0.8;

/// Runs every check of the self-inspection on `today`.
pub fn inspect(config: &Config, policy: &Policy, today: NaiveDate) -> Vec<Item> {
    let mut items = store_items(config);
    items.extend(pipl_items(config, policy, today));
    items.extend(review_items(policy, today));
    items.extend(mechanism_items(policy, today));
    items.extend(ca_items(config));
    items
}

/// The yearly PIPL counts of every exporter under PIPL, from the store.
pub fn pipl_counts(
    config: &Config,
    policy: &Policy,
    year: i32,
) -> Vec<(String, audit::PiplCounts)> {
    let Ok(reader) = audit::open_reader(&config.store_url) else {
        return Vec::new();
    };
    policy
        .exporters
        .all()
        .into_iter()
        .filter(|exporter| whitelist::Regime::of(exporter.country) == whitelist::Regime::Pipl)
        .filter_map(|exporter| {
            let label = exporter.label();
            let counts = reader.pipl_counts(&label, year).ok()?;
            Some((label, counts))
        })
        .collect()
}

fn pipl_items(config: &Config, policy: &Policy, today: NaiveDate) -> Vec<Item> {
    let thresholds = &policy.pipl;
    let year = chrono::Datelike::year(&today);
    let mut items = Vec::new();
    for (exporter, counts) in pipl_counts(config, policy, year) {
        let limits = [
            (
                counts.individuals,
                thresholds.contract_from,
                "a PIPL standard contract or certification",
            ),
            (
                counts.individuals,
                thresholds.assessment_from,
                "a CAC security assessment",
            ),
            (
                counts.sensitive,
                thresholds.sensitive_assessment_from,
                "a CAC security assessment",
            ),
        ];
        for (count, threshold, requirement) in limits {
            let near = count as f64 >= threshold as f64 * PIPL_WARNING_SHARE;
            if near && count < threshold {
                items.push(Item {
                    severity: Severity::Warning,
                    subject: format!("PIPL volume of {exporter}"),
                    message: format!(
                        "{count} of {threshold} individuals in {year}; from {threshold}, \
                         transfers abroad require {requirement}"
                    ),
                });
            }
        }
    }
    items
}

fn store_items(config: &Config) -> Vec<Item> {
    match &config.store_url {
        audit::StoreUrl::Sqlite(_) => Vec::new(),
        audit::StoreUrl::Postgres(_) => vec![Item {
            severity: Severity::Action,
            subject: "[store] url".into(),
            message: audit::StoreError::PostgresUnsupported.to_string(),
        }],
    }
}

fn review_items(policy: &Policy, today: NaiveDate) -> Vec<Item> {
    let mut items = Vec::new();
    for destination in policy.whitelist.destinations() {
        let due = destination.review_due();
        let subject = format!("destination {}", destination.id);
        if destination.reviewed_on > today {
            items.push(Item {
                severity: Severity::Action,
                subject,
                message: format!(
                    "reviewed_on {} is in the future, which would skip the quarterly review; \
                     requests are blocked until it is the date of the last review",
                    destination.reviewed_on
                ),
            });
        } else if destination.review_overdue(today) {
            items.push(Item {
                severity: Severity::Action,
                subject,
                message: format!(
                    "whitelist review overdue since {due}; requests are blocked until \
                     a review updates reviewed_on and reviewed_by"
                ),
            });
        } else if (due - today).num_days() <= REVIEW_WARNING_DAYS {
            items.push(Item {
                severity: Severity::Warning,
                subject,
                message: format!("whitelist review due on {due}"),
            });
        }
    }
    items
}

fn mechanism_items(policy: &Policy, today: NaiveDate) -> Vec<Item> {
    let mut items = Vec::new();
    for mechanism in policy.mechanisms.iter() {
        let subject = format!("mechanism {}", mechanism.id);
        let used = policy
            .whitelist
            .destinations()
            .iter()
            .any(|destination| destination.mechanism.as_deref() == Some(mechanism.id.as_str()));
        // A stopped mechanism that no destination names blocks nothing.
        let stopped = if used {
            Severity::Action
        } else {
            Severity::Warning
        };
        if mechanism.suspended {
            items.push(Item {
                severity: stopped,
                subject: subject.clone(),
                message: format!(
                    "suspended: {}",
                    mechanism
                        .suspended_reason
                        .as_deref()
                        .unwrap_or("no reason given")
                ),
            });
        }
        if mechanism.signed_on > today {
            items.push(Item {
                severity: Severity::Warning,
                subject: subject.clone(),
                message: format!(
                    "signed_on {} is in the future; transfers that rely on it are blocked until \
                     then",
                    mechanism.signed_on
                ),
            });
        }
        if let Some(expires_on) = mechanism.effective_expiry() {
            if today > expires_on {
                items.push(Item {
                    severity: stopped,
                    subject: subject.clone(),
                    message: format!("expired on {expires_on}"),
                });
            } else if (expires_on - today).num_days() <= MECHANISM_WARNING_DAYS {
                items.push(Item {
                    severity: Severity::Warning,
                    subject: subject.clone(),
                    message: format!("expires on {expires_on}"),
                });
            }
        }
        let assessed = matches!(
            mechanism.kind,
            MechanismKind::Scc | MechanismKind::Idta | MechanismKind::Bcr
        );
        if assessed && mechanism.tia_on.is_none() {
            items.push(Item {
                severity: Severity::Warning,
                subject: subject.clone(),
                message: "no transfer impact assessment date (tia_on); SCC Clause 14 requires an \
                          assessment before transfers start"
                    .into(),
            });
        }
        if let Some(filed_on) = mechanism.filed_on
            && (filed_on - mechanism.signed_on).num_days() > PIPL_FILING_DAYS
        {
            items.push(Item {
                severity: Severity::Warning,
                subject,
                message: format!(
                    "filed on {filed_on}, more than {PIPL_FILING_DAYS} days after it took effect \
                     on {}; a standard contract must be filed within 10 working days",
                    mechanism.signed_on
                ),
            });
        }
    }
    items
}

fn ca_items(config: &Config) -> Vec<Item> {
    let subject = format!("CA in {}", config.ca_dir.display());
    let authority = match certs::CertificateAuthority::load(&config.ca_dir) {
        Ok(authority) => authority,
        Err(error) => {
            let missing = !config.ca_dir.join(certs::CA_CERTIFICATE_FILE).exists()
                && !config.ca_dir.join(certs::CA_KEY_FILE).exists();
            return vec![if missing {
                Item {
                    severity: Severity::Warning,
                    subject,
                    message: "not created yet; `tollgate serve` or `tollgate ca init` creates it"
                        .into(),
                }
            } else {
                Item {
                    severity: Severity::Action,
                    subject,
                    message: error.to_string(),
                }
            }];
        }
    };
    let remaining = authority
        .not_after()
        .duration_since(SystemTime::now())
        .unwrap_or_default();
    if remaining < CA_WARNING {
        let days = remaining.as_secs() / 86_400;
        return vec![Item {
            severity: Severity::Warning,
            subject,
            message: format!(
                "the CA certificate expires in {days} day(s); create a new CA and \
                 distribute it to clients"
            ),
        }];
    }
    Vec::new()
}
