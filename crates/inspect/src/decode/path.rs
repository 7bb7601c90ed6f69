//! The request path, scanned one segment at a time.
//!
//! The path is split on `/` before percent-decoding, so an encoded slash
//! (`%2F`) stays inside its segment, as servers that route on raw segments
//! see it. Identifiers sit in one segment (`/customers/jane%40example.com`);
//! none of the detected formats contains a `/`, so nothing is lost by not
//! scanning across segments, and each finding names its segment.
//!
//! A segment is keyed by the one before it, because REST paths name a
//! field and then give its value (`/patients/dob/1985-03-14`,
//! `/users/by-ssn/536228726`). A date of birth or an unseparated social
//! security number is found only under a key that names it.

use crate::decode::percent;
use crate::segment::{Location, REQUEST_RECORD, Role, Segment, SegmentSink};

/// Emits every non-empty segment of `path`, percent-decoded with `+` kept,
/// as a value in the request record, keyed by the decoded segment just
/// before it when that one is not empty. Segments are counted from 0 after
/// the leading `/`, empty ones included, so `path[1]` of `/a//b` is the
/// empty one between the slashes.
pub(crate) fn scan_path(path: &[u8], sink: &mut (impl SegmentSink + ?Sized)) {
    let path = path.strip_prefix(b"/").unwrap_or(path);
    // The decoded segment and the one before it, which keys it.
    let mut buffer = Vec::new();
    let mut previous = Vec::new();
    let mut has_previous = false;
    for (index, raw) in path.split(|&byte| byte == b'/').enumerate() {
        if raw.is_empty() {
            has_previous = false;
            continue;
        }
        let text = percent::decode(raw, false, &mut buffer);
        sink.segment(&Segment {
            text,
            key: has_previous.then_some(previous.as_slice()),
            location: Location::Path(index as u64),
            record: REQUEST_RECORD,
            role: Role::Value,
        });
        previous.clear();
        previous.extend_from_slice(text);
        has_previous = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::testing::RecordingSink;

    #[test]
    fn segments_are_decoded_and_numbered() {
        let mut sink = RecordingSink::default();
        scan_path(b"/customers/jane%40example.com//a%2Fb/", &mut sink);
        let segments: Vec<(&str, &str)> = sink
            .segments
            .iter()
            .map(|segment| (segment.text.as_str(), segment.location.as_str()))
            .collect();
        assert_eq!(
            segments,
            [
                ("customers", "path[0]"),
                ("jane@example.com", "path[1]"),
                ("a/b", "path[3]")
            ]
        );
    }

    #[test]
    fn segments_are_keyed_by_the_one_before() {
        let mut sink = RecordingSink::default();
        scan_path(b"/patients/d%6Fb/1985-03-14//x", &mut sink);
        let keys: Vec<Option<&str>> = sink
            .segments
            .iter()
            .map(|segment| segment.key.as_deref())
            .collect();
        assert_eq!(keys, [None, Some("patients"), Some("dob"), None]);
    }

    #[test]
    fn root_path_has_no_segments() {
        let mut sink = RecordingSink::default();
        scan_path(b"/", &mut sink);
        assert!(sink.segments.is_empty());
    }
}
