//! `tollgate audit query` and `tollgate audit verify`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use audit::{Filter, OutputFormat, RecordWriter, Verification};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};

use crate::cli::time::parse_time;
use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// JSON Lines: one record per line.
    Json,
    /// CSV with a header row.
    Csv,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Records at or after this time (RFC 3339, a UTC date, or an age such as 7d).
    #[arg(long, value_name = "TIME", value_parser = time_argument)]
    since: Option<DateTime<Utc>>,
    /// Records before this time (same forms as --since).
    #[arg(long, value_name = "TIME", value_parser = time_argument)]
    until: Option<DateTime<Utc>>,
    /// A whitelist entry id or a destination host.
    #[arg(long, value_name = "ID_OR_HOST")]
    destination: Option<String>,
    /// allowed, blocked, held or masked.
    #[arg(long)]
    decision: Option<audit::Decision>,
    /// A personal-data category such as email or cn_resident_id.
    #[arg(long)]
    category: Option<inspect::Category>,
    /// At most this many records, oldest first.
    #[arg(long)]
    limit: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
}

fn open_reader(config_path: Option<&Path>) -> anyhow::Result<audit::SqliteReader> {
    let config = Config::load(config_path)?;
    audit::open_reader(&config.store_url).context("cannot open the transfer records")
}

/// Parses a `--since` or `--until` value, so clap reports a bad one as a
/// usage error.
fn time_argument(text: &str) -> Result<DateTime<Utc>, String> {
    parse_time(text, Utc::now())
}

pub fn query(config_path: Option<&Path>, args: &QueryArgs) -> anyhow::Result<ExitCode> {
    if let (Some(since), Some(until)) = (args.since, args.until)
        && since >= until
    {
        anyhow::bail!(
            "--since {} is not before --until {}, so no record can match; swap them",
            since.to_rfc3339(),
            until.to_rfc3339()
        );
    }
    let filter = Filter {
        since: args.since,
        until: args.until,
        destination: args.destination.clone(),
        decision: args.decision,
        category: args.category,
        limit: args.limit,
    };
    let reader = open_reader(config_path)?;
    let format = match args.format {
        Format::Json => OutputFormat::Json,
        Format::Csv => OutputFormat::Csv,
    };
    let stdout = std::io::stdout().lock();
    let mut writer = RecordWriter::new(format, std::io::BufWriter::new(stdout))?;
    reader.query(&filter, |record| writer.write(&record))?;
    writer.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// Replays both logs, transfers and administrative events, and prints one
/// line for each.
pub fn verify(config_path: Option<&Path>) -> anyhow::Result<ExitCode> {
    let reader = open_reader(config_path)?;
    let mut stdout = std::io::stdout().lock();
    let mut intact = true;
    let logs = [
        ("transfer", audit::verify(&reader)?),
        ("event", audit::verify_events(&reader)?),
    ];
    for (log, verification) in logs {
        match verification {
            Verification::Intact { records, head } => {
                let head = head.unwrap_or_else(|| "none (empty log)".into());
                writeln!(
                    stdout,
                    "ok: {records} {log} records verified; head hash {head}"
                )?;
            }
            Verification::Broken {
                seq,
                transfer_id,
                problem,
            } => {
                intact = false;
                writeln!(
                    stdout,
                    "broken: {log} record {seq} ({transfer_id}) does not verify: {problem}"
                )?;
            }
        }
    }
    Ok(if intact {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Prints the administrative events (reviews, reloads) as JSON Lines.
pub fn events(config_path: Option<&Path>) -> anyhow::Result<ExitCode> {
    let reader = open_reader(config_path)?;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    reader.events(|stored| {
        serde_json::to_writer(&mut stdout, &stored)
            .map_err(|error| audit::StoreError::Output(error.to_string()))?;
        writeln!(stdout).map_err(|error| audit::StoreError::Output(error.to_string()))
    })?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
