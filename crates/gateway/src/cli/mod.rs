//! The `tollgate` command line: argument parsing and dispatch to one
//! module per subcommand.

mod audit;
mod ca;
mod check;
mod scan;
mod serve;
mod time;
mod whitelist;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::telemetry::LogFormat;

#[derive(Debug, Parser)]
#[command(
    name = "tollgate",
    version,
    about = "Egress gateway that inspects outbound requests for personal data, \
             enforces transfer rules and records every transfer"
)]
struct Cli {
    /// Configuration file (TOML); without it the built-in defaults apply,
    /// with paths relative to the working directory.
    #[arg(long, global = true, value_name = "FILE", env = "TOLLGATE_CONFIG")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the proxy and admin listeners.
    Serve {
        /// Log line format on standard error.
        #[arg(long, value_enum, default_value = "text")]
        log_format: LogFormat,
    },
    /// Manage the local certificate authority.
    #[command(subcommand)]
    Ca(CaCommand),
    /// Query and verify transfer records.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Inspect a file for personal data and print the JSON report.
    Scan(scan::ScanArgs),
    /// Validate the configuration and report what needs action.
    Check(check::CheckArgs),
    /// Review destinations and list reviews that are due.
    #[command(subcommand)]
    Whitelist(whitelist::WhitelistCommand),
}

#[derive(Debug, Subcommand)]
enum CaCommand {
    /// Create the CA in the configured directory, unless it exists.
    Init,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Print transfer records matching the filters, oldest first.
    Query(audit::QueryArgs),
    /// Replay the hash chains; exit 1 and name the first broken record.
    Verify,
    /// Print administrative events (reviews, reloads) as JSON Lines.
    Events,
}

/// Exit status for invalid configuration or arguments.
const EXIT_CONFIG: u8 = 2;

/// Runs the command line and returns the process exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("tollgate: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let config = cli.config.as_deref();
    let result = match cli.command {
        Command::Serve { log_format } => runtime.block_on(serve::run(config, log_format)),
        Command::Ca(CaCommand::Init) => ca::init(config),
        Command::Audit(AuditCommand::Query(args)) => audit::query(config, &args),
        Command::Audit(AuditCommand::Verify) => audit::verify(config),
        Command::Audit(AuditCommand::Events) => audit::events(config),
        Command::Scan(args) => scan::run(config, &args),
        Command::Check(args) => check::run(config, &args),
        Command::Whitelist(command) => runtime.block_on(whitelist::run(config, &command)),
    };
    match result {
        Ok(code) => code,
        // A reader that stops early (`tollgate audit query | head`) is not
        // an error of the command.
        Err(error)
            if error
                .chain()
                .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
                .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("tollgate: {}", describe(&error));
            if error.downcast_ref::<::whitelist::ConfigError>().is_some()
                || error.downcast_ref::<crate::policy::PolicyError>().is_some()
            {
                ExitCode::from(EXIT_CONFIG)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Joins an error and its causes with `: `, skipping a cause whose text the
/// message already contains, because many errors repeat their source in
/// their own message.
fn describe(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_skips_repeated_causes() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let error = anyhow::Error::new(io).context("cannot read ca.pem: no such file");
        let error = error.context("CA in tollgate-data/ca");
        assert_eq!(
            describe(&error),
            "CA in tollgate-data/ca: cannot read ca.pem: no such file"
        );
    }
}
