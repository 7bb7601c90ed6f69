//! Plain-text bodies, scanned line by line over the raw bytes, and the
//! `label: value` lines of YAML and configuration dumps.

use std::ops::Range;

use memchr::memchr;

use crate::detect::Roles;
use crate::detect::keys::{MAX_KEY_BYTES, classify};
use crate::segment::{Location, RecordId, Role, Segment, SegmentSink};

/// The label and the value of a line such as `dob: "1985-03-14"`, as
/// ranges of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabelledLine {
    pub label: Range<usize>,
    pub value: Range<usize>,
}

/// Returns the label and value of `line` when it is `label: value` or
/// `label = value` and the label names a field, so that the value can be
/// judged under it as under a key. Indentation and a YAML list dash before
/// the label are skipped, and one pair of quotes around the value is
/// removed.
///
/// The label is words (letters, digits, spaces, `_`, `-`, `.` or non-ASCII
/// characters) that start with a letter, and a `:` must be followed by a
/// space, as in YAML, so `https://…` and `12:30` are no labels. A value
/// with a `:` and a space or an `=` of its own contains more labels
/// (`name: Jane, DOB: 1990-01-31`) and is left to the inline label lookup,
/// which a key would turn off.
pub(crate) fn labelled_line(line: &[u8]) -> Option<LabelledLine> {
    let indent = line.len() - line.trim_ascii_start().len();
    let mut start = indent;
    if line[start..].starts_with(b"- ") {
        start += 2;
    }
    let separator = start
        + line[start..]
            .iter()
            .position(|&byte| matches!(byte, b':' | b'='))?;
    let after = line.get(separator + 1).copied();
    if line[separator] == b':' && !matches!(after, None | Some(b' ' | b'\t')) {
        return None;
    }
    let label = line[start..separator].trim_ascii_end();
    let label_ok = label.len() <= MAX_KEY_BYTES
        && label
            .first()
            .is_some_and(|&byte| byte.is_ascii_alphabetic() || byte >= 0x80)
        && label.iter().all(|&byte| {
            byte.is_ascii_alphanumeric()
                || matches!(byte, b' ' | b'_' | b'-' | b'.')
                || byte >= 0x80
        });
    if !label_ok {
        return None;
    }

    let rest = &line[separator + 1..];
    let leading = rest.len() - rest.trim_ascii_start().len();
    let mut value =
        separator + 1 + leading..line.len() - (rest.len() - rest.trim_ascii_end().len());
    if value.is_empty() {
        return None;
    }
    if let [quote @ (b'"' | b'\''), .., last] = &line[value.clone()]
        && quote == last
        && value.len() >= 2
    {
        value = value.start + 1..value.end - 1;
    }
    let text = &line[value.clone()];
    let more_labels = memchr(b'=', text).is_some()
        || text
            .windows(2)
            .any(|pair| pair[0] == b':' && pair[1] == b' ');
    if text.is_empty() || more_labels || classify(label) == Roles::NONE {
        return None;
    }
    Some(LabelledLine {
        label: start..start + label.len(),
        value,
    })
}

/// Emits every non-empty line of `input` as a segment, with the 1-based
/// line number as location. Lines end at `\n`, and a `\r` before it is
/// dropped. The bytes need not be valid UTF-8: ISO-8859-1 XML and binary
/// noise are scanned as they are. Of a [`labelled_line`], only the value is
/// emitted, keyed by its label.
///
/// A line of free text is a record of its own. Lines of a block describe one
/// thing, such as a contact card or one item of a YAML list, so they share a
/// record: `label: value` lines, YAML keys that open a mapping (`address:`)
/// and YAML list items (`- id: E1001`). A block ends at a blank line, at a
/// list item, which starts the next block, and at a label it already has
/// (`name:` for a second person).
pub(crate) fn scan_text(input: &[u8], sink: &mut (impl SegmentSink + ?Sized)) {
    let mut line_number = 0u64;
    let mut rest = input;
    let mut block = Block::default();
    while !rest.is_empty() {
        let (line, next) = match memchr(b'\n', rest) {
            Some(end) => (&rest[..end], &rest[end + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        line_number += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.trim_ascii().is_empty() {
            block.end();
            if line.is_empty() {
                continue;
            }
        }
        let labelled = labelled_line(line);
        let trimmed = line.trim_ascii();
        if trimmed.starts_with(b"- ") {
            block.end();
        }
        let record = match &labelled {
            Some(labelled) => block.record_for(&line[labelled.label.clone()], sink),
            None if is_block_line(trimmed) => block.record(sink),
            None => sink.begin_record(),
        };
        let (text, key) = match labelled {
            Some(labelled) => (&line[labelled.value], Some(&line[labelled.label])),
            None => (line, None),
        };
        sink.segment(&Segment {
            text,
            key,
            location: Location::Line(line_number),
            record,
            role: Role::Value,
        });
    }
}

/// Returns whether a trimmed line that is no [`labelled_line`] still
/// belongs to a block: a YAML list item, a key that opens a mapping
/// (`address:`) or a `label: value` line whose label names no field
/// (`id: E1001`).
fn is_block_line(line: &[u8]) -> bool {
    line.starts_with(b"- ") || line.ends_with(b":") || line.windows(2).any(|pair| pair == b": ")
}

/// Labels kept per block to notice a repeated one. A block with more
/// labels than this still ends at a repeat of its first ones.
const MAX_BLOCK_LABELS: usize = 32;

/// The record of the current block of lines and the labels it has.
#[derive(Default)]
struct Block<'t> {
    record: Option<RecordId>,
    labels: Vec<&'t [u8]>,
}

impl<'t> Block<'t> {
    fn end(&mut self) {
        self.record = None;
        self.labels.clear();
    }

    /// Returns the block's record, starting one if needed.
    fn record(&mut self, sink: &mut (impl SegmentSink + ?Sized)) -> RecordId {
        *self.record.get_or_insert_with(|| sink.begin_record())
    }

    /// Returns the record of a line labelled `label`, which starts a new
    /// block when the current one has the label already.
    fn record_for(&mut self, label: &'t [u8], sink: &mut (impl SegmentSink + ?Sized)) -> RecordId {
        if self
            .labels
            .iter()
            .any(|seen| seen.eq_ignore_ascii_case(label))
        {
            self.end();
        }
        if self.labels.len() < MAX_BLOCK_LABELS {
            self.labels.push(label);
        }
        self.record(sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::testing::RecordingSink;

    #[test]
    fn lines_are_numbered_from_one_and_skip_blanks() {
        let mut sink = RecordingSink::default();
        scan_text(b"first\r\n\nthird\nlast", &mut sink);
        let lines: Vec<(&str, &str)> = sink
            .segments
            .iter()
            .map(|segment| (segment.text.as_str(), segment.location.as_str()))
            .collect();
        assert_eq!(
            lines,
            [("first", "line 1"), ("third", "line 3"), ("last", "line 4")]
        );
    }

    #[test]
    fn labelled_lines_split_into_label_and_value() {
        let cases = [
            ("dob: \"1985-03-14\"", Some(("dob", "1985-03-14"))),
            ("  dob: '1985-03-14'  ", Some(("dob", "1985-03-14"))),
            (
                "- Date of birth: 14.03.1985",
                Some(("Date of birth", "14.03.1985")),
            ),
            (
                "geburtsdatum = 1985-03-14",
                Some(("geburtsdatum", "1985-03-14")),
            ),
            (
                "geburtsdatum=1985-03-14",
                Some(("geburtsdatum", "1985-03-14")),
            ),
            ("name: John Smith", Some(("name", "John Smith"))),
            (
                "dob: 1985-03-14T10:30:00",
                Some(("dob", "1985-03-14T10:30:00")),
            ),
            ("patient:", None),
            ("dob: \"\"", None),
            ("status: active", None),
            ("https://example.com/dob", None),
            ("dob:1985-03-14", None),
            ("12:30 dob: x", None),
            ("name: Jane, DOB: 1990-01-31", None),
            ("note: a=b", None),
            ("see jane@example.com: dob: 1", None),
        ];
        for (line, expected) in cases {
            let found = labelled_line(line.as_bytes())
                .map(|labelled| (&line[labelled.label], &line[labelled.value]));
            assert_eq!(found, expected, "{line:?}");
        }
    }

    #[test]
    fn labelled_lines_are_keyed_by_their_label() {
        let mut sink = RecordingSink::default();
        scan_text(b"patient:\n  dob: \"1985-03-14\"\nnote: hello\n", &mut sink);
        let segments: Vec<(&str, Option<&str>)> = sink
            .segments
            .iter()
            .map(|segment| (segment.text.as_str(), segment.key.as_deref()))
            .collect();
        assert_eq!(
            segments,
            [
                ("patient:", None),
                ("1985-03-14", Some("dob")),
                ("note: hello", None)
            ]
        );
    }

    #[test]
    fn blocks_of_labelled_lines_share_a_record() {
        let mut sink = RecordingSink::default();
        let text = b"employees:\n  - id: E1\n    first_name: Hans\n    email: h@x.de\n    \
            address:\n      street: Main 1\n  - id: E2\n    first_name: Petra\n\n\
            Name: Ann\nPhone: 1\nName: Bob\nPhone: 2\nThanks\n";
        scan_text(text, &mut sink);
        let records: Vec<u64> = sink.segments.iter().map(|segment| segment.record).collect();
        // `employees:`, the first item, the second item, Ann, Bob, and the
        // closing line.
        assert_ne!(records[0], records[1]);
        assert_eq!(records[1], records[5]);
        assert_ne!(records[5], records[6]);
        assert_eq!(records[6], records[7]);
        assert_ne!(records[7], records[8]);
        assert_eq!(records[8], records[9]);
        assert_ne!(records[9], records[10]);
        assert_eq!(records[10], records[11]);
        assert_ne!(records[11], records[12]);
        assert_eq!(records.len(), 13);
    }

    #[test]
    fn each_line_is_its_own_record() {
        let mut sink = RecordingSink::default();
        scan_text(b"a\nb\n", &mut sink);
        assert_ne!(sink.segments[0].record, sink.segments[1].record);
    }

    #[test]
    fn invalid_utf8_is_passed_through() {
        let mut sink = RecordingSink::default();
        scan_text(b"Jos\xe9\n", &mut sink);
        assert_eq!(sink.segments[0].bytes, b"Jos\xe9");
    }
}
