//! CSV and TSV bodies: each cell keyed by its column header, each row a
//! record.
//!
//! The delimiter is sniffed from the first lines among `,` `;` `\t` `|`
//! (TSV is always `\t`). The first row is a header when it looks like one:
//! distinct cells, mostly not numbers, none holding an `@` or a long digit
//! run. Quoted cells may span lines, rows may have any number of cells, and
//! the parser reads bytes, so cells in a legacy charset (already transcoded
//! when declared) are scanned as they are.

use csv::{ByteRecord, ReaderBuilder};

use crate::decode::text;
use crate::segment::{CsvColumn, Location, RecordId, Role, Segment, SegmentSink};

/// Bytes at the start of the body that the delimiter is sniffed from.
/// Enough for a header and a few rows of a wide export.
const SNIFF_BYTES: usize = 64 * 1024;

/// Complete lines the delimiter is sniffed from.
const SNIFF_LINES: usize = 10;

/// Candidate delimiters, the most common first: ties go to the earlier.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Shortest digit run that marks a first-row cell as data (a phone, card or
/// account number), never a column name.
const DATA_DIGIT_RUN: usize = 6;

/// Scans `input` as CSV, or as TSV when `tab`. Each data row is a record of
/// its own; the header row belongs to `record`. If the parser fails, the
/// body is scanned as plain text, which still sees every byte.
pub(crate) fn scan_csv(
    input: &[u8],
    tab: bool,
    record: RecordId,
    sink: &mut (impl SegmentSink + ?Sized),
) {
    let delimiter = if tab { b'\t' } else { sniff_delimiter(input) };
    if scan_rows(input, delimiter, record, sink).is_err() {
        text::scan_text(input, sink);
    }
}

fn scan_rows(
    input: &[u8],
    delimiter: u8,
    record: RecordId,
    sink: &mut (impl SegmentSink + ?Sized),
) -> Result<(), csv::Error> {
    let mut reader = ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut first = ByteRecord::new();
    if !reader.read_byte_record(&mut first)? {
        return Ok(());
    }
    let header = if looks_like_header(&first) {
        Some(first)
    } else {
        emit_row(sink, None, &first, 1);
        None
    };
    let mut row_number = 1u64;
    let mut row = ByteRecord::new();
    if let Some(header) = &header {
        for (index, name) in header.iter().enumerate() {
            let column = column(Some(header), index);
            emit_cell(sink, name, None, column, 1, record, Role::Name);
        }
    }
    while reader.read_byte_record(&mut row)? {
        row_number += 1;
        emit_row(sink, header.as_ref(), &row, row_number);
    }
    Ok(())
}

fn emit_row(
    sink: &mut (impl SegmentSink + ?Sized),
    header: Option<&ByteRecord>,
    row: &ByteRecord,
    row_number: u64,
) {
    let record = sink.begin_record();
    for (index, cell) in row.iter().enumerate() {
        let key = header.and_then(|header| header.get(index));
        let column = column(header, index);
        emit_cell(sink, cell, key, column, row_number, record, Role::Value);
    }
}

fn column(header: Option<&ByteRecord>, index: usize) -> CsvColumn<'_> {
    match header.and_then(|header| header.get(index)) {
        Some(name) if !name.trim_ascii().is_empty() => CsvColumn::Header(name),
        _ => CsvColumn::Number(index as u64 + 1),
    }
}

fn emit_cell(
    sink: &mut (impl SegmentSink + ?Sized),
    text: &[u8],
    key: Option<&[u8]>,
    column: CsvColumn<'_>,
    row: u64,
    record: RecordId,
    role: Role,
) {
    if text.trim_ascii().is_empty() {
        return;
    }
    sink.segment(&Segment {
        text,
        key,
        location: Location::Csv { column, row },
        record,
        role,
    });
}

/// Returns the candidate delimiter that splits the first lines into the
/// same number of fields most often, counting only delimiters outside
/// double quotes; a tie goes to the higher count in the first line, then to
/// the earlier candidate. Without any candidate, `,`.
pub(crate) fn sniff_delimiter(input: &[u8]) -> u8 {
    let sample = &input[..input.len().min(SNIFF_BYTES)];
    let mut counts = [[0usize; 4]; SNIFF_LINES];
    let mut lines = 0;
    let mut quoted = false;
    for &byte in sample {
        if lines == SNIFF_LINES {
            break;
        }
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => lines += 1,
            _ if !quoted => {
                if let Some(candidate) = DELIMITERS.iter().position(|&d| d == byte) {
                    counts[lines][candidate] += 1;
                }
            }
            _ => {}
        }
    }
    // A last line without a newline counts when the sample holds the body.
    let lines = if lines < SNIFF_LINES && sample.len() == input.len() {
        lines + 1
    } else {
        lines.max(1)
    };
    let counts = &counts[..lines];
    let score = |candidate: usize| {
        let first = counts[0][candidate];
        let consistent = counts
            .iter()
            .filter(|line| first > 0 && line[candidate] == first)
            .count();
        (consistent, first)
    };
    let mut best: Option<(usize, (usize, usize))> = None;
    for candidate in 0..DELIMITERS.len() {
        let candidate_score = score(candidate);
        if candidate_score.1 > 0 && best.is_none_or(|(_, best_score)| candidate_score > best_score)
        {
            best = Some((candidate, candidate_score));
        }
    }
    best.map_or(b',', |(candidate, _)| DELIMITERS[candidate])
}

/// Returns whether a first row is a header: its non-empty cells are
/// distinct, more than half of them are not numbers, and none holds an `@`
/// or a run of [`DATA_DIGIT_RUN`] digits.
fn looks_like_header(row: &ByteRecord) -> bool {
    let cells: Vec<&[u8]> = row
        .iter()
        .map(<[u8]>::trim_ascii)
        .filter(|cell| !cell.is_empty())
        .collect();
    if cells.is_empty() {
        return false;
    }
    let numeric = cells.iter().filter(|cell| is_number(cell)).count();
    let distinct = cells
        .iter()
        .enumerate()
        .all(|(index, cell)| !cells[..index].contains(cell));
    let data_like = cells
        .iter()
        .any(|cell| cell.contains(&b'@') || longest_digit_run(cell) >= DATA_DIGIT_RUN);
    distinct && numeric * 2 < cells.len() && !data_like
}

fn is_number(cell: &[u8]) -> bool {
    let digits = cell.iter().filter(|byte| byte.is_ascii_digit()).count();
    digits > 0
        && cell
            .iter()
            .all(|&byte| byte.is_ascii_digit() || b"+-.,eE%".contains(&byte))
}

fn longest_digit_run(cell: &[u8]) -> usize {
    cell.split(|byte| !byte.is_ascii_digit())
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
#[path = "delimited_tests.rs"]
mod tests;
