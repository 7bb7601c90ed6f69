//! Audit queries and their output formats.

use std::io::Write;

use chrono::{DateTime, Utc};

use crate::record::{StoredRecord, format_time};
use crate::{Decision, StoreError};

/// Which records a query returns. Every field narrows the result; the
/// default returns the whole log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Records at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Records strictly before this time.
    pub until: Option<DateTime<Utc>>,
    /// A whitelist entry id or a destination host name.
    pub destination: Option<String>,
    pub decision: Option<Decision>,
    /// Records whose findings include this category.
    pub category: Option<inspect::Category>,
    /// At most this many records, oldest first.
    pub limit: Option<u64>,
}

/// How `audit query` prints records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON object per line (JSON Lines).
    Json,
    /// RFC 4180 CSV with a header row; findings flattened to
    /// `category:count` pairs.
    Csv,
}

/// Writes records in one of the [`OutputFormat`]s as they are produced.
#[derive(Debug)]
pub struct RecordWriter<W: Write> {
    format: OutputFormat,
    json: Option<W>,
    csv: Option<csv::Writer<W>>,
}

const CSV_HEADER: [&str; 28] = [
    "seq",
    "transfer_id",
    "time",
    "client",
    "exporter",
    "exporter_name",
    "method",
    "scheme",
    "host",
    "port",
    "path",
    "destination_id",
    "country",
    "recipient",
    "mechanism_id",
    "decision",
    "reason",
    "status",
    "personal_data",
    "sensitive",
    "subjects",
    "categories",
    "samples",
    "body_bytes",
    "body_sha256",
    "hold_id",
    "prev_hash",
    "hash",
];

impl<W: Write> RecordWriter<W> {
    pub fn new(format: OutputFormat, output: W) -> Result<Self, StoreError> {
        match format {
            OutputFormat::Json => Ok(RecordWriter {
                format,
                json: Some(output),
                csv: None,
            }),
            OutputFormat::Csv => {
                let mut writer = csv::Writer::from_writer(output);
                writer.write_record(CSV_HEADER).map_err(csv_error)?;
                Ok(RecordWriter {
                    format,
                    json: None,
                    csv: Some(writer),
                })
            }
        }
    }

    pub fn write(&mut self, record: &StoredRecord) -> Result<(), StoreError> {
        match self.format {
            OutputFormat::Json => {
                let output = self.json.as_mut().expect("json writer");
                serde_json::to_writer(&mut *output, record).map_err(io_error)?;
                output.write_all(b"\n").map_err(io_error)
            }
            OutputFormat::Csv => {
                let writer = self.csv.as_mut().expect("csv writer");
                writer.write_record(csv_row(record)).map_err(csv_error)
            }
        }
    }

    pub fn finish(mut self) -> Result<(), StoreError> {
        if let Some(mut output) = self.json.take() {
            output.flush().map_err(io_error)?;
        }
        if let Some(mut writer) = self.csv.take() {
            writer.flush().map_err(io_error)?;
        }
        Ok(())
    }
}

fn csv_row(stored: &StoredRecord) -> Vec<String> {
    let record = &stored.record;
    let optional = |value: &Option<String>| value.clone().unwrap_or_default();
    let categories: Vec<String> = record
        .findings
        .iter()
        .map(|finding| format!("{}:{}", finding.category, finding.count))
        .collect();
    let samples: Vec<String> = record
        .findings
        .iter()
        .flat_map(|finding| finding.samples.iter().cloned())
        .collect();
    vec![
        stored.seq.to_string(),
        record.transfer_id.to_string(),
        format_time(&record.time),
        record.client.clone(),
        record.exporter.clone(),
        optional(&record.exporter_name),
        record.method.clone(),
        record.scheme.clone(),
        record.host.clone(),
        record.port.to_string(),
        record.path.clone(),
        optional(&record.destination_id),
        optional(&record.country),
        optional(&record.recipient),
        optional(&record.mechanism_id),
        record.decision.to_string(),
        record.reason.clone(),
        record
            .status
            .map(|status| status.to_string())
            .unwrap_or_default(),
        record.personal_data.to_string(),
        record.sensitive.to_string(),
        record.subjects.to_string(),
        categories.join(";"),
        samples.join(";"),
        record.body_bytes.to_string(),
        record.body_sha256.clone(),
        record.hold_id.map(|id| id.to_string()).unwrap_or_default(),
        stored.prev_hash.clone(),
        stored.hash.clone(),
    ]
}

fn io_error(error: impl std::fmt::Display) -> StoreError {
    StoreError::Output(error.to_string())
}

fn csv_error(error: csv::Error) -> StoreError {
    StoreError::Output(error.to_string())
}
