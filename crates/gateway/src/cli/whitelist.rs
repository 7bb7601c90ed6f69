//! `tollgate whitelist review|due|unused`: the quarterly review of
//! destinations.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use audit::{AdminEvent, EventKind};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use whitelist::Whitelist;

use crate::cli::time::parse_time;
use crate::config::Config;

/// A review due within this many days is listed as due soon.
pub const DUE_SOON_DAYS: i64 = 14;

#[derive(Debug, Subcommand)]
pub enum WhitelistCommand {
    /// Record a review of one destination: rewrites its reviewed_on and
    /// reviewed_by in whitelist.toml, keeping comments, and logs the review.
    Review(ReviewArgs),
    /// List every destination with the date its next review is due.
    Due(DueArgs),
    /// List destinations that received no transfer in a period, as
    /// candidates for removal.
    Unused(UnusedArgs),
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The destination's id in whitelist.toml.
    id: String,
    /// Who reviewed it (a name or team), stored in reviewed_by.
    #[arg(long, value_name = "NAME", value_parser = reviewer_name)]
    by: String,
    /// What was checked, kept in the event log.
    #[arg(long, value_name = "TEXT", default_value = "")]
    note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Debug, Args)]
pub struct UnusedArgs {
    /// The period: destinations without an allowed transfer since this time
    /// (RFC 3339, a UTC date, or an age such as 90d).
    #[arg(long, value_name = "TIME", default_value = "90d", value_parser = time_argument)]
    since: DateTime<Utc>,
}

fn time_argument(text: &str) -> Result<DateTime<Utc>, String> {
    parse_time(text, Utc::now())
}

pub async fn run(
    config_path: Option<&Path>,
    command: &WhitelistCommand,
) -> anyhow::Result<ExitCode> {
    let config = Config::load(config_path)?;
    let path = config.whitelist_file.clone().ok_or_else(|| {
        anyhow::anyhow!(
            "no whitelist is configured; set [whitelist] file in the configuration and pass \
             it with --config"
        )
    })?;
    match command {
        WhitelistCommand::Review(args) => review(&config, &path, args).await,
        WhitelistCommand::Due(args) => due(&path, args),
        WhitelistCommand::Unused(args) => unused(&config, &path, args),
    }
}

/// Checks a `--by` value: a reviewer must be named, on one line, because
/// the name goes into reviewed_by and into the event log.
fn reviewer_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("name the reviewer (a person or team); an empty name is not a review".into());
    }
    if name.chars().any(char::is_control) {
        return Err("the reviewer's name must be one line without control characters".into());
    }
    Ok(name.to_owned())
}

async fn review(config: &Config, path: &Path, args: &ReviewArgs) -> anyhow::Result<ExitCode> {
    let today = Utc::now().date_naive();
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let rewritten = whitelist::review::record_review(&text, path, &args.id, today, &args.by)?;
    let store = audit::Store::open(&config.store_url).context("cannot open the transfer store")?;
    write_replacing(path, &rewritten)?;
    let event = AdminEvent::now(EventKind::WhitelistReview, &args.by, &args.id, &args.note);
    store
        .append_event(event)
        .await
        .context("the review was written to the whitelist but not to the event log")?;

    let whitelist = Whitelist::parse(&rewritten, path)?;
    let due = whitelist
        .get(&args.id)
        .map(|destination| destination.review_due().to_string())
        .unwrap_or_default();
    writeln!(
        std::io::stdout(),
        "recorded the review of {} by {} on {today}; the next review is due on {due}.\n\
         Reload the gateway (SIGHUP, or POST /api/reload on the admin listener) to apply it.",
        args.id,
        args.by
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Replaces `path` with `text` atomically: a temporary file in the same
/// directory, with the same permissions, synced and renamed over it.
fn write_replacing(path: &Path, text: &str) -> anyhow::Result<()> {
    let temporary = PathBuf::from(format!("{}.tollgate-new", path.display()));
    let permissions = std::fs::metadata(path)?.permissions();
    let mut file = std::fs::File::create(&temporary)
        .with_context(|| format!("cannot write {}", temporary.display()))?;
    file.write_all(text.as_bytes())?;
    file.set_permissions(permissions)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

#[derive(Debug, Serialize)]
struct Due {
    id: String,
    reviewed_on: NaiveDate,
    reviewed_by: String,
    due_on: NaiveDate,
    status: &'static str,
}

fn due(path: &Path, args: &DueArgs) -> anyhow::Result<ExitCode> {
    let whitelist = Whitelist::load(path)?;
    let today = Utc::now().date_naive();
    let mut rows: Vec<Due> = whitelist
        .destinations()
        .iter()
        .map(|destination| {
            let due_on = destination.review_due();
            let status = if destination.review_overdue(today) {
                "overdue"
            } else if (due_on - today).num_days() <= DUE_SOON_DAYS {
                "due soon"
            } else {
                "ok"
            };
            Due {
                id: destination.id.clone(),
                reviewed_on: destination.reviewed_on,
                reviewed_by: destination.reviewed_by.clone(),
                due_on,
                status,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.due_on.cmp(&b.due_on).then_with(|| a.id.cmp(&b.id)));

    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(&rows)?)?,
        Format::Text => {
            for row in &rows {
                writeln!(
                    stdout,
                    "{:<9} {}  due {}  (reviewed {} by {})",
                    row.status, row.id, row.due_on, row.reviewed_on, row.reviewed_by
                )?;
            }
        }
    }
    let overdue = rows.iter().any(|row| row.status == "overdue");
    Ok(if overdue {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn unused(config: &Config, path: &Path, args: &UnusedArgs) -> anyhow::Result<ExitCode> {
    let whitelist = Whitelist::load(path)?;
    let used = match audit::open_reader(&config.store_url) {
        Ok(reader) => reader.destinations_used_since(&args.since)?,
        Err(audit::StoreError::Missing { .. }) => Vec::new(),
        Err(error) => return Err(error).context("cannot open the transfer records"),
    };
    let mut stdout = std::io::stdout().lock();
    let since = args.since.format("%Y-%m-%d %H:%M UTC");
    for destination in whitelist.destinations() {
        if !used.contains(&destination.id) {
            writeln!(
                stdout,
                "{}: no allowed transfer since {since} (recipient {}, purpose {:?})",
                destination.id, destination.recipient, destination.purpose
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
