//! CSV and TSV bodies: each cell keyed by its column header, each row a
//! record.
//!
//! The delimiter is sniffed from the first lines among `,` `;` `\t` `|`
//! (TSV is always `\t`). Up to five title or comment lines of one cell
//! before a wider row, or up to 50 before a header of known field names,
//! are scanned as text (see [`preamble`]), and so is the metadata record
//! above the header of a DATEV export. The first row
//! after them is a header when it looks like one: half its cells distinct
//! or all of them known field names, mostly not numbers, none containing
//! an `@` or a long digit run. Quoted
//! cells may span lines, rows may have any number of cells, and
//! the parser reads bytes, so cells in a legacy charset (already transcoded
//! when declared) are scanned as they are.

use std::collections::HashSet;

#[cfg(test)]
use csv::ByteRecord;

use wide::u8x16;

use crate::decode::csv_records::{Record, Records};
use crate::detect::keys::classify;
use crate::detect::{ColumnShapes, Roles};
use crate::segment::{CsvColumn, Location, REQUEST_RECORD, RecordId, Role, Segment, SegmentSink};
use crate::words::find_marked;

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
/// its own; the header row belongs to `record`. Parsing never fails, so
/// every byte of the body is scanned as some cell.
///
/// A row of more than [`MAX_PART_CELLS`] cells arrives in parts, so a
/// header names at most that many columns. Its further cells are scanned
/// as names of numbered columns, and the cells of a data row beyond the
/// header are keyed by their number.
///
/// [`MAX_PART_CELLS`]: crate::decode::csv_records::MAX_PART_CELLS
pub(crate) fn scan_csv(
    input: &[u8],
    tab: bool,
    record: RecordId,
    sink: &mut (impl SegmentSink + ?Sized),
) {
    let (delimiter, input) = match separator_line(input) {
        Some((delimiter, rest)) if !tab => (delimiter, rest),
        _ if tab => (b'\t', input),
        _ => (sniff_delimiter(input), input),
    };
    let (preamble_bytes, preamble_lines) = preamble(input, delimiter);
    for (line, text) in input[..preamble_bytes]
        .split(|&byte| byte == b'\n')
        .enumerate()
    {
        let column = CsvColumn::Number(1);
        emit_cell(
            sink,
            text,
            None,
            (0, column),
            line as u64 + 1,
            record,
            Role::Value,
        );
    }
    let input = &input[preamble_bytes..];
    // Row numbers count the preamble's lines, so that they name the line
    // of the file.
    let header_row = preamble_lines + 1;
    let mut records = Records::new(input, delimiter);
    let Some(first) = records.next_record() else {
        return;
    };
    let mut index = first.len();
    let mut continues = first.continues;
    let header: Option<Vec<Vec<u8>>> = if looks_like_header(first.iter()) {
        Some(first.iter().map(<[u8]>::to_vec).collect())
    } else {
        let data = sink.begin_record();
        let mut shapes = ColumnShapes::default();
        emit_part(sink, &[], first, 0, (header_row, data), &mut shapes);
        // The rest of a first row too long for one part.
        while continues && let Some(part) = records.next_record() {
            emit_part(sink, &[], part, index, (header_row, data), &mut shapes);
            index += part.len();
            continues = part.continues;
        }
        None
    };
    // Column names and keys borrow the header's cells for the whole body.
    let header: Option<Vec<&[u8]>> = header
        .as_ref()
        .map(|cells| cells.iter().map(Vec::as_slice).collect());
    let header = header.unwrap_or_default();
    // Each column's key and name, worked out once for the whole table.
    let columns: Vec<(&[u8], CsvColumn<'_>)> = header
        .iter()
        .enumerate()
        .map(|(index, &name)| (name, column(name, index)))
        .collect();
    for (index, &(name, column)) in columns.iter().enumerate() {
        emit_cell(
            sink,
            name,
            None,
            (index, column),
            header_row,
            record,
            Role::Name,
        );
    }
    // The rest of a header too long for one part names no column.
    while continues && let Some(part) = records.next_record() {
        for (offset, name) in part.iter().enumerate() {
            let number = CsvColumn::Number((index + offset) as u64 + 1);
            emit_cell(
                sink,
                name,
                None,
                (index + offset, number),
                header_row,
                record,
                Role::Name,
            );
        }
        index += part.len();
        continues = part.continues;
    }
    // The header's cells key every row and stay unchanged until the end.
    sink.begin_table(&header);
    let mut shapes = ColumnShapes::new(columns.len());
    let mut row_number = header_row;
    let mut data = REQUEST_RECORD;
    let mut index = 0;
    while let Some(part) = records.next_record() {
        if index == 0 {
            row_number += 1;
            data = sink.begin_record();
        }
        emit_part(sink, &columns, part, index, (row_number, data), &mut shapes);
        index = if part.continues {
            index + part.len()
        } else {
            0
        };
    }
    sink.end_table();
}

/// Emits the cells of `part`, whose first cell is in the column at
/// `first_index`. The cells are keyed and named by `columns`, and cells
/// beyond the header, or of a table without one, by their number. A cell
/// of the shape of a value that the sink ruled out by its shape in the
/// same column is passed as a repeat (see [`ColumnShapes`]).
///
/// Inlined into the loops over rows, so that the state of the table is
/// set up once for the body rather than by a call for each row, which
/// cost about 130 instructions per row of eight cells (callgrind, x86-64).
#[inline(always)]
fn emit_part(
    sink: &mut (impl SegmentSink + ?Sized),
    columns: &[(&[u8], CsvColumn<'_>)],
    part: Record<'_>,
    first_index: usize,
    (row_number, record): (u64, RecordId),
    shapes: &mut ColumnShapes,
) {
    for (offset, cell) in part.iter().enumerate() {
        let index = first_index + offset;
        let (key, column) = match columns.get(index) {
            Some(&(name, column)) => (Some(name), column),
            None => (None, CsvColumn::Number(index as u64 + 1)),
        };
        if shapes.rules_out(index, cell) {
            sink.repeat_plain_cell();
            continue;
        }
        let ruled_out = emit_cell(
            sink,
            cell,
            key,
            (index, column),
            row_number,
            record,
            Role::Value,
        );
        if ruled_out {
            shapes.remember(index, cell);
        }
    }
}

/// Names the column of header cell `name`: by the name, or by its number
/// when the cell is blank.
fn column(name: &[u8], index: usize) -> CsvColumn<'_> {
    if name.trim_ascii().is_empty() {
        CsvColumn::Number(index as u64 + 1)
    } else {
        CsvColumn::Header(name)
    }
}

// Inlined so that the cell's location is built where the segment is, not
// written by the caller and read back, which stalls the load.
#[inline(always)]
fn emit_cell(
    sink: &mut (impl SegmentSink + ?Sized),
    text: &[u8],
    key: Option<&[u8]>,
    (index, column): (usize, CsvColumn<'_>),
    row: u64,
    record: RecordId,
    role: Role,
) -> bool {
    if text.iter().all(u8::is_ascii_whitespace) {
        return false;
    }
    let segment = Segment {
        text,
        key,
        location: Location::Csv { column, row },
        record,
        role,
    };
    sink.cell(&segment, index)
}

/// Returns the delimiter that a `sep=` line at the start of `input` names
/// (`sep=;`, which Excel writes and reads and hides from view), and the
/// body after that line. Returns `None` for a body without one.
pub(crate) fn separator_line(input: &[u8]) -> Option<(u8, &[u8])> {
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let (prefix, rest) = body.split_at_checked(4)?;
    if !prefix.eq_ignore_ascii_case(b"sep=") {
        return None;
    }
    let (&delimiter, after) = rest.split_first()?;
    if matches!(delimiter, b'\r' | b'\n' | b'"') {
        return None;
    }
    // Tools that write the line as a row of a wider table pad it with
    // delimiters (`sep=;;;`).
    let padding = after.iter().take_while(|&&byte| byte == delimiter).count();
    let after = &after[padding..];
    let after = after.strip_prefix(b"\r").unwrap_or(after);
    match after {
        [] => Some((delimiter, after)),
        [b'\n', rest @ ..] => Some((delimiter, rest)),
        _ => None,
    }
}

/// Returns the candidate delimiter that splits the most of the first lines
/// into the same number of fields, counting only delimiters outside double
/// quotes. A tie goes to the higher number of fields, then to the earlier
/// candidate. Without any candidate, `,`. A title line above the header
/// (`Export; December`) is outvoted by the rows below it.
pub(crate) fn sniff_delimiter(input: &[u8]) -> u8 {
    let counts = DelimiterCounts::of(input);
    let mut best: Option<(usize, (usize, usize))> = None;
    for candidate in 0..DELIMITERS.len() {
        let (count, lines) = counts.modal(candidate);
        let score = (lines, count);
        if count > 0 && best.is_none_or(|(_, best_score)| score > best_score) {
            best = Some((candidate, score));
        }
    }
    best.map_or(b',', |(candidate, _)| DELIMITERS[candidate])
}

/// The number of each candidate delimiter, outside double quotes, in each
/// of the first [`SNIFF_LINES`] lines of a body, from its first line with
/// a candidate.
struct DelimiterCounts {
    counts: [[usize; DELIMITERS.len()]; SNIFF_LINES],
    lines: usize,
}

impl DelimiterCounts {
    /// Counts the delimiters of the first lines of `input`. Only quotes,
    /// line feeds and candidates change the counts, so the bytes between
    /// them are passed over sixteen at a time. A body of one column has no
    /// candidate, so a loop over single bytes would read all of
    /// [`SNIFF_BYTES`].
    fn of(input: &[u8]) -> DelimiterCounts {
        let sample = &input[..input.len().min(SNIFF_BYTES)];
        let mut counts = [[0usize; DELIMITERS.len()]; SNIFF_LINES];
        let mut lines = 0;
        let mut quoted = false;
        let [quotes, newlines, commas, semicolons, tabs, pipes] =
            [b'"', b'\n', b',', b';', b'\t', b'|'].map(u8x16::splat);
        let mut position = 0;
        while lines < SNIFF_LINES {
            let Some(offset) = find_marked(
                &sample[position..],
                |chunk| {
                    chunk.simd_eq(quotes)
                        | chunk.simd_eq(newlines)
                        | chunk.simd_eq(commas)
                        | chunk.simd_eq(semicolons)
                        | chunk.simd_eq(tabs)
                        | chunk.simd_eq(pipes)
                },
                |byte| byte == b'"' || byte == b'\n' || DELIMITERS.contains(&byte),
            ) else {
                break;
            };
            let byte = sample[position + offset];
            position += offset + 1;
            match byte {
                b'"' => quoted = !quoted,
                // Leading lines without any candidate, such as a block of
                // titles, are left out, so that the lines counted are the
                // table's.
                b'\n' if !quoted && (lines > 0 || counts[0] != [0; DELIMITERS.len()]) => {
                    lines += 1;
                }
                _ if !quoted => {
                    if let Some(candidate) = DELIMITERS.iter().position(|&d| d == byte) {
                        counts[lines][candidate] += 1;
                    }
                }
                _ => {}
            }
        }
        // A last line without a newline counts when the sample is the body.
        let lines = if lines < SNIFF_LINES && sample.len() == input.len() {
            lines + 1
        } else {
            lines.max(1)
        };
        DelimiterCounts { counts, lines }
    }

    /// Returns the most frequent non-zero number of `DELIMITERS[candidate]`
    /// per line, with the number of lines that have it, or `(0, 0)` when no
    /// line has the candidate. A tie goes to the number of the later line,
    /// because title lines come before the table.
    fn modal(&self, candidate: usize) -> (usize, usize) {
        let counts = &self.counts[..self.lines];
        let mut best = (0, 0);
        for line in counts.iter().rev() {
            let count = line[candidate];
            if count == 0 {
                continue;
            }
            let lines = counts
                .iter()
                .filter(|other| other[candidate] == count)
                .count();
            if lines > best.1 {
                best = (count, lines);
            }
        }
        best
    }
}

/// Maximum number of title or comment lines that [`preamble`] passes over
/// before any header.
const MAX_PREAMBLE_LINES: u64 = 5;

/// Maximum number of lines of one cell that [`preamble`] passes over before
/// a header of known field names. A report may carry a title block of
/// query, filter and date lines, and a header of known names after them is
/// no data row. The bound keeps a one-column file, which has no header of
/// several cells, from being read up to its end on every request, and is
/// an estimate of the longest title block.
const MAX_TITLE_LINES: u64 = 50;

/// Returns the length in bytes and in lines of the title or comment lines
/// before a header: `Export 2026-12-01`, `# customers`, a row of empty
/// cells, a blank line, `Report,2026-12-01` above a header of more cells.
///
/// A title line is a line of one quoted cell or an unquoted line with at
/// most one non-empty cell. An unquoted line with fewer delimiters than
/// most of the first lines have is a title too, when a header of that many
/// follows. The title lines end at a line of at least two cells. Taken as
/// the header, a title line would leave the real header a data row and
/// every column without its name. A file of one column has no title lines.
/// Up to [`MAX_TITLE_LINES`] lines of one cell may come before a header of
/// known field names (see [`is_known_header`]). The metadata record of a
/// DATEV export is the only line before its header, whatever its width
/// (see [`is_datev_header_record`]).
pub(crate) fn preamble(input: &[u8], delimiter: u8) -> (usize, u64) {
    let filled_cells = |line: &[u8]| {
        line.split(|&byte| byte == delimiter)
            .filter(|cell| !cell.trim_ascii().is_empty())
            .count()
    };
    let width = DELIMITERS
        .iter()
        .position(|&candidate| candidate == delimiter)
        .map_or(0, |candidate| DelimiterCounts::of(input).modal(candidate).0);
    let delimiters = |line: &[u8]| line.iter().filter(|&&byte| byte == delimiter).count();
    let mut end = 0;
    let mut lines = input.split(|&byte| byte == b'\n').enumerate();
    while let Some((index, line)) = lines.next() {
        let index = index as u64;
        if end >= input.len() || index > MAX_TITLE_LINES {
            return (0, 0);
        }
        let line_text = line.strip_suffix(b"\r").unwrap_or(line);
        if index == 0 && is_datev_header_record(line_text, delimiter) {
            return (line.len() + 1, 1);
        }
        // A title in quotes (`"Patients, ward 3"`) is one cell.
        let quoted_title = line_text.len() >= 2
            && line_text.starts_with(b"\"")
            && line_text.ends_with(b"\"")
            && !line_text[1..line_text.len() - 1].contains(&b'"');
        if quoted_title {
            end += line.len() + 1;
            continue;
        }
        if line.contains(&b'"') {
            return (0, 0);
        }
        let filled = filled_cells(line);
        if index > MAX_PREAMBLE_LINES {
            // Every line before is a title of one cell, because a title of
            // more cells needs its header within the first lines.
            match filled {
                0 | 1 => {
                    end += line.len() + 1;
                    continue;
                }
                _ if is_known_header(line_text, delimiter) => return (end, index),
                _ => return (0, 0),
            }
        }
        if filled >= 2 {
            // A narrower line is a title only when a header of more names
            // follows within the preamble, because data rows may end in
            // empty cells that their header lacks.
            let window = (MAX_PREAMBLE_LINES - index) as usize;
            let wider_header = delimiters(line) < width
                && lines
                    .clone()
                    .take(window)
                    .map(|(_, next)| next)
                    .find(|next| delimiters(next) >= width)
                    .is_some_and(|next| {
                        filled_cells(next) > filled
                            && looks_like_header(next.split(|&byte| byte == delimiter))
                    });
            if !wider_header {
                return (end, index);
            }
        }
        end += line.len() + 1;
    }
    (0, 0)
}

/// Returns whether `line`, the first line of a file, is the metadata
/// record that DATEV's EXTF and DTVF exports write above their column
/// names: `"EXTF";700;16;"Debitoren/Kreditoren";…`, a format name, its
/// version and the data category.
fn is_datev_header_record(line: &[u8], delimiter: u8) -> bool {
    let Some(rest) = line
        .strip_prefix(b"\"EXTF\"")
        .or_else(|| line.strip_prefix(b"\"DTVF\""))
    else {
        return false;
    };
    // The format name ends at the first delimiter, and the version and the
    // data category follow as numbers.
    let number = |cell: Option<&[u8]>| {
        cell.is_some_and(|cell| !cell.is_empty() && cell.iter().all(u8::is_ascii_digit))
    };
    let mut cells = rest.split(|&byte| byte == delimiter);
    cells.next().is_some_and(<[u8]>::is_empty) && number(cells.next()) && number(cells.next())
}

/// Returns whether `line` is a header that [`looks_like_header`] accepts
/// and of which at least half the non-empty cells are known field names.
/// The key tables do not know every column name (`email` gives no role,
/// because an address is found by its shape), so `name,email` passes.
fn is_known_header(line: &[u8], delimiter: u8) -> bool {
    let cells = || {
        line.split(move |&byte| byte == delimiter)
            .map(<[u8]>::trim_ascii)
            .filter(|cell| !cell.is_empty())
    };
    let known = cells().filter(|cell| classify(cell) != Roles::NONE).count();
    known > 0 && known * 2 >= cells().count() && looks_like_header(cells())
}

/// Returns whether `text` is a CSV table with a header: a first line of two
/// or more names that [`looks_like_header`] accepts, split by the sniffed
/// delimiter, and a second line with as many delimiters. A CSV file in a
/// field or in a body sent as text is read with its column names, because
/// they mark names and birth dates.
pub(crate) fn looks_like_table(text: &[u8]) -> bool {
    let Some(first_end) = memchr::memchr(b'\n', text) else {
        return false;
    };
    let delimiter = sniff_delimiter(text);
    let first = text[..first_end]
        .strip_suffix(b"\r")
        .unwrap_or(&text[..first_end]);
    let rest = &text[first_end + 1..];
    let second = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
    let delimiters = |line: &[u8]| line.iter().filter(|&&byte| byte == delimiter).count();
    let columns = delimiters(first);
    let named = first
        .split(|&byte| byte == delimiter)
        .filter(|cell| !cell.trim_ascii().is_empty())
        .count();
    columns >= 1
        && named >= 2
        && !first.contains(&b'"')
        && delimiters(second) == columns
        && looks_like_header(first.split(|&byte| byte == delimiter))
}

/// Returns whether a first row is a header. Its one cell, or at least two
/// distinct cells, make up at least half of its non-empty cells, because
/// an export may repeat `Telefon`, or all its distinct cells are known
/// field names (`name,name`). A row of data may repeat one value
/// (`open,open,closed`), but rarely a field name. More than half of the
/// cells are not numbers, and none contains an `@` or a run of
/// [`DATA_DIGIT_RUN`] digits.
pub(crate) fn looks_like_header<'c>(row: impl IntoIterator<Item = &'c [u8]>) -> bool {
    let cells: Vec<&[u8]> = row
        .into_iter()
        .map(<[u8]>::trim_ascii)
        .filter(|cell| !cell.is_empty())
        .collect();
    if cells.is_empty() {
        return false;
    }
    let numeric = cells.iter().filter(|cell| is_number(cell)).count();
    let data_like = cells
        .iter()
        .any(|cell| cell.contains(&b'@') || longest_digit_run(cell) >= DATA_DIGIT_RUN);
    if data_like || numeric * 2 >= cells.len() {
        return false;
    }
    // A set, because a first row may have thousands of cells, and comparing
    // each with every earlier one costs the square of their number.
    let distinct: HashSet<&[u8]> = cells.iter().copied().collect();
    let varied = (cells.len() == 1 || distinct.len() >= 2) && distinct.len() * 2 >= cells.len();
    varied || distinct.iter().all(|cell| classify(cell) != Roles::NONE)
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
