//! `tollgate check`: validates the configuration and lists what needs an
//! administrator's action (overdue reviews, expired or suspended
//! mechanisms, an expiring CA) or soon will.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;
use clap::{Args, ValueEnum};

use crate::config::Config;
use crate::policy::Policy;
use crate::selfcheck::{self, Severity};

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

pub fn run(config_path: Option<&Path>, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load(config_path)?;
    let policy = Policy::load(&config)?;
    let items = selfcheck::inspect(&config, &policy, Utc::now().date_naive());

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
