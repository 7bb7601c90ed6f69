//! `application/x-www-form-urlencoded` decoding, used for form bodies and
//! the query string.

use memchr::memchr;

use crate::decode::percent;
use crate::segment::{Location, REQUEST_RECORD, Segment, SegmentSink};

/// Where a form-encoded string came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormSource {
    Query,
    Body,
}

/// Splits `input` into `&`-separated pairs and emits the decoded key and value
/// of each. The key is the value's context and names its location
/// (`form:email`, `query:email`). Keys are scanned too, because clients do
/// send personal data as keys. The whole form belongs to the request record.
pub(crate) fn scan_form(input: &[u8], source: FormSource, sink: &mut impl SegmentSink) {
    let mut key_buffer = Vec::new();
    let mut value_buffer = Vec::new();
    for pair in input.split(|&byte| byte == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (raw_key, raw_value) = match memchr(b'=', pair) {
            Some(equals) => (&pair[..equals], Some(&pair[equals + 1..])),
            None => (pair, None),
        };
        let key = percent::decode(raw_key, true, &mut key_buffer);
        let location = match source {
            FormSource::Query => Location::Query { key },
            FormSource::Body => Location::Form { key },
        };
        sink.segment(&Segment {
            text: key,
            key: None,
            location,
            record: REQUEST_RECORD,
        });
        if let Some(raw_value) = raw_value {
            let value = percent::decode(raw_value, true, &mut value_buffer);
            sink.segment(&Segment {
                text: value,
                key: Some(key),
                location,
                record: REQUEST_RECORD,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::testing::RecordingSink;

    #[test]
    fn pairs_decode_with_key_as_context() {
        let mut sink = RecordingSink::default();
        scan_form(
            b"email=jane%40example.com&name=Jane+Doe&&flag",
            FormSource::Body,
            &mut sink,
        );
        let expected = [
            ("email", None, "form:email"),
            ("jane@example.com", Some("email"), "form:email"),
            ("name", None, "form:name"),
            ("Jane Doe", Some("name"), "form:name"),
            ("flag", None, "form:flag"),
        ];
        assert_eq!(sink.segments.len(), expected.len());
        for (segment, (text, key, location)) in sink.segments.iter().zip(expected) {
            assert_eq!(segment.text, text);
            assert_eq!(segment.key.as_deref(), key);
            assert_eq!(segment.location, location);
            assert_eq!(segment.record, REQUEST_RECORD);
        }
    }

    #[test]
    fn query_locations_use_the_query_prefix() {
        let mut sink = RecordingSink::default();
        scan_form(b"e%2Dmail=a%40b.example", FormSource::Query, &mut sink);
        assert_eq!(sink.segments[1].text, "a@b.example");
        assert_eq!(sink.segments[1].location, "query:e-mail");
    }

    #[test]
    fn invalid_escapes_are_kept_literally() {
        let mut sink = RecordingSink::default();
        scan_form(b"q=100%25+%zz", FormSource::Query, &mut sink);
        assert_eq!(sink.segments[1].text, "100% %zz");
    }
}
