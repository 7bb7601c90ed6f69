//! Plain-text bodies, scanned line by line over the raw bytes.

use memchr::memchr;

use crate::segment::{Location, Role, Segment, SegmentSink};

/// Emits every non-empty line of `input` as a segment of its own record, with
/// the 1-based line number as location. Lines end at `\n`, and a `\r` before
/// it is dropped. The bytes need not be valid UTF-8: ISO-8859-1 XML and
/// binary noise are scanned as they are.
pub(crate) fn scan_text(input: &[u8], sink: &mut (impl SegmentSink + ?Sized)) {
    let mut line_number = 0u64;
    let mut rest = input;
    while !rest.is_empty() {
        let (line, next) = match memchr(b'\n', rest) {
            Some(end) => (&rest[..end], &rest[end + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        line_number += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let record = sink.begin_record();
        sink.segment(&Segment {
            text: line,
            key: None,
            location: Location::Line(line_number),
            record,
            role: Role::Value,
        });
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
