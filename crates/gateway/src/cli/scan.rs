//! `tollgate scan`: the inspector on a file, for testing detectors and
//! checking an export before it is sent.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use inspect::{Inspector, Limits, Request};

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// File to scan, or - for standard input.
    #[arg(default_value = "-")]
    file: PathBuf,
    /// Media type of the content, e.g. application/json; guessed from the
    /// file extension when absent.
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,
    /// Content coding applied to the file, e.g. gzip.
    #[arg(long, value_name = "ENCODING")]
    content_encoding: Option<String>,
}

/// Largest input `scan` reads, matching the gateway's default body limit
/// times the decoded-size factor, so that scanning a file never needs more
/// memory than inspecting a request could.
const MAX_SCAN_BYTES: u64 = 4 * crate::config::DEFAULT_MAX_BODY_BYTES;

pub fn run(_config: Option<&Path>, args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let body = read_input(&args.file)?;
    let content_type = args
        .content_type
        .clone()
        .or_else(|| guess_content_type(&args.file).map(str::to_owned));
    let inspector = Inspector::new(Limits::default());
    let request = Request {
        content_type: content_type.as_deref(),
        content_encoding: args.content_encoding.as_deref(),
        body: &body,
        today: Some(chrono::Utc::now().date_naive()),
        ..Request::default()
    };
    let report = inspector
        .inspect(&request)
        .with_context(|| format!("cannot inspect {}", args.file.display()))?;
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, &report)?;
    writeln!(stdout).context("cannot write the report to standard output")?;
    Ok(ExitCode::SUCCESS)
}

fn read_input(file: &Path) -> anyhow::Result<Vec<u8>> {
    let mut body = Vec::new();
    if file == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(MAX_SCAN_BYTES + 1)
            .read_to_end(&mut body)
            .context("cannot read standard input")?;
    } else {
        std::fs::File::open(file)
            .with_context(|| format!("cannot open {}", file.display()))?
            .take(MAX_SCAN_BYTES + 1)
            .read_to_end(&mut body)
            .with_context(|| format!("cannot read {}", file.display()))?;
    }
    if body.len() as u64 > MAX_SCAN_BYTES {
        anyhow::bail!(
            "{} is larger than the scan limit of {MAX_SCAN_BYTES} bytes",
            file.display()
        );
    }
    Ok(body)
}

fn guess_content_type(file: &Path) -> Option<&'static str> {
    let extension = file.extension()?.to_str()?.to_ascii_lowercase();
    Some(match extension.as_str() {
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "txt" | "ach" | "edi" => "text/plain",
        _ => return None,
    })
}
