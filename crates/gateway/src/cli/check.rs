//! `tollgate check`: validates the configuration and lists what needs an
//! administrator's action (overdue reviews, expired or suspended
//! mechanisms, an expiring CA) or soon will.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use chrono::{NaiveDate, Utc};
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::config::Config;
use crate::policy::Policy;

/// A review due within this many days is reported as a warning.
const REVIEW_WARNING_DAYS: i64 = 14;
/// A mechanism expiring within this many days is reported as a warning.
const MECHANISM_WARNING_DAYS: i64 = 30;
/// A CA certificate expiring within this time is reported as a warning.
const CA_WARNING: Duration = Duration::from_secs(90 * 24 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Severity {
    /// Requests are being blocked or will be at once.
    Action,
    /// Will need action soon.
    Warning,
}

#[derive(Debug, Serialize)]
struct Item {
    severity: Severity,
    subject: String,
    message: String,
}

pub fn run(config_path: Option<&Path>, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load(config_path)?;
    let policy = Policy::load(&config)?;
    let today = Utc::now().date_naive();
    let mut items = store_items(&config);
    items.extend(review_items(&policy, today));
    items.extend(mechanism_items(&policy, today));
    items.extend(ca_items(&config));

    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(&items)?)?,
        Format::Text => {
            let destinations = policy.whitelist.destinations().len();
            let mechanisms = policy.mechanisms.iter().count();
            writeln!(
                stdout,
                "configuration valid: {destinations} destination(s), {mechanisms} mechanism(s)"
            )?;
            for item in &items {
                let label = match item.severity {
                    Severity::Action => "ACTION",
                    Severity::Warning => "warning",
                };
                writeln!(stdout, "{label}: {}: {}", item.subject, item.message)?;
            }
        }
    }
    let needs_action = items.iter().any(|item| item.severity == Severity::Action);
    Ok(if needs_action {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
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
        if destination.review_overdue(today) {
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
        if let Some(expires_on) = mechanism.expires_on {
            if today > expires_on {
                items.push(Item {
                    severity: stopped,
                    subject,
                    message: format!("expired on {expires_on}"),
                });
            } else if (expires_on - today).num_days() <= MECHANISM_WARNING_DAYS {
                items.push(Item {
                    severity: Severity::Warning,
                    subject,
                    message: format!("expires on {expires_on}"),
                });
            }
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
