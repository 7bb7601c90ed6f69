//! Inspects one generated corpus and prints the throughput, so that the
//! peak memory of an inspection can be measured from outside:
//!
//! ```text
//! cargo build --release -p inspect-bench --example throughput
//! /usr/bin/time -v target/release/examples/throughput dense-json 32
//! ```
//!
//! Arguments: the corpus shape (`sparse-json`, `dense-json`, `sparse-csv`
//! or `dense-csv`), the size in MiB (default 32) and the number of runs
//! (default 3).

use std::process::ExitCode;
use std::time::Instant;

use inspect::{Inspector, Limits, Request};
use inspect_bench::{Shape, generate};

const DEFAULT_MIB: usize = 32;
const DEFAULT_RUNS: usize = 3;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let Some(shape) = arguments.first().and_then(|name| Shape::from_name(name)) else {
        eprintln!("usage: throughput sparse-json|dense-json|sparse-csv|dense-csv [MiB] [runs]");
        return ExitCode::FAILURE;
    };
    let mebibytes = arguments
        .get(1)
        .and_then(|value| value.parse().ok())
        .unwrap_or(DEFAULT_MIB);
    let runs = arguments
        .get(2)
        .and_then(|value| value.parse().ok())
        .unwrap_or(DEFAULT_RUNS);

    let body = generate(shape, mebibytes << 20);
    let request = Request {
        path: "/api/import",
        content_type: Some(shape.content_type()),
        body: &body,
        ..Request::default()
    };
    let inspector = Inspector::new(Limits::default());
    for run in 1..=runs {
        let started = Instant::now();
        let report = match inspector.inspect(&request) {
            Ok(report) => report,
            Err(error) => {
                eprintln!("inspection failed: {error}");
                return ExitCode::FAILURE;
            }
        };
        let seconds = started.elapsed().as_secs_f64();
        let rate = body.len() as f64 / seconds / f64::from(1 << 20);
        let findings: Vec<String> = report
            .findings
            .iter()
            .map(|finding| format!("{}={}", finding.category, finding.count))
            .collect();
        println!(
            "{} {} bytes run {run}: {rate:.1} MiB/s, {} subjects, {}",
            shape.name(),
            body.len(),
            report.subjects,
            findings.join(" ")
        );
    }
    ExitCode::SUCCESS
}
