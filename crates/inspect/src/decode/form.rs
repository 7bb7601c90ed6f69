//! `application/x-www-form-urlencoded` decoding, used for form bodies and
//! the query string.

use encoding_rs::Encoding;
use memchr::memchr;

use crate::decode::{charset, percent};
use crate::segment::{Location, RecordId, Role, Segment, SegmentSink};

/// The request part that a form-encoded string came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormSource {
    Query,
    Body,
}

/// Splits `input` into pairs (see [`pairs`]) and emits the decoded key and
/// value of each. The key is the value's context and names its location
/// (`form:email`, `query:email`). Keys are scanned too, because clients do
/// send personal data as keys. The whole form belongs to `record`: the
/// request record for the query and a form body.
pub(crate) fn scan_form(
    input: &[u8],
    source: FormSource,
    record: RecordId,
    sink: &mut (impl SegmentSink + ?Sized),
) {
    scan_form_in(input, source, record, None, sink);
}

/// Scans `input` like [`scan_form`]. With `encoding`, the charset a form
/// body declared, every decoded key and value that is not ASCII is
/// transcoded to UTF-8: escapes such as `%D0%D5` stand for bytes in that
/// charset, so the body cannot be transcoded before it is percent-decoded.
pub(crate) fn scan_form_in(
    input: &[u8],
    source: FormSource,
    record: RecordId,
    encoding: Option<&'static Encoding>,
    sink: &mut (impl SegmentSink + ?Sized),
) {
    let mut key_buffer = Vec::new();
    let mut key_text = Vec::new();
    let mut value_buffer = Vec::new();
    let mut value_text = Vec::new();
    for pair in pairs(input) {
        let (raw_key, raw_value) = match memchr(b'=', pair) {
            Some(equals) => (&pair[..equals], Some(&pair[equals + 1..])),
            None => (pair, None),
        };
        let key = percent::decode(raw_key, true, &mut key_buffer);
        let key = transcoded(key, encoding, &mut key_text);
        let location = match source {
            FormSource::Query => Location::Query { key },
            FormSource::Body => Location::Form { key },
        };
        // A lone "key" that is a JSON document is a payload posted as form
        // data (`%7B%22name%22…`); as a value it is parsed with its keys.
        let payload = raw_value.is_none()
            && matches!(key.first(), Some(b'{' | b'['))
            && raw_key.len() > MIN_PAYLOAD_BYTES;
        sink.segment(&Segment {
            text: key,
            key: None,
            location,
            record,
            role: if payload { Role::Value } else { Role::Name },
        });
        if let Some(raw_value) = raw_value {
            let value = percent::decode(raw_value, true, &mut value_buffer);
            let value = transcoded(value, encoding, &mut value_text);
            sink.segment(&Segment {
                text: value,
                key: Some(key),
                location,
                record,
                role: Role::Value,
            });
        }
    }
}

/// Shortest lone key that is looked at as a posted JSON document.
const MIN_PAYLOAD_BYTES: usize = 8;

/// Returns the non-empty pairs of `input`, split at every `&` and at each
/// `;` that starts a pair of its own (`x=1;first_name=Zoe`).
///
/// Browsers and the WHATWG URL standard separate pairs with `&` alone, but
/// HTML 4 asked servers to accept `;` as well, and CGI libraries, older
/// Python and Rack still do. A destination of that kind reads
/// `first_name=Zoe` as a field where a WHATWG reading gives one value of
/// `x`, and the name would pass without its key. A `;` counts only where a
/// key and `=` follow it, so a value that merely contains one (the
/// coordinates `52.520008;13.404954`, the text `a; b`) stays whole.
fn pairs(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    input
        .split(|&byte| byte == b'&')
        .flat_map(|pair| {
            let mut rest = Some(pair);
            std::iter::from_fn(move || {
                let pair = rest?;
                let mut search = 0;
                while let Some(offset) = memchr(b';', &pair[search..]) {
                    let at = search + offset;
                    if starts_pair(&pair[at + 1..]) {
                        rest = Some(&pair[at + 1..]);
                        return Some(&pair[..at]);
                    }
                    search = at + 1;
                }
                rest = None;
                Some(pair)
            })
        })
        .filter(|pair| !pair.is_empty())
}

/// Returns whether `text`, what follows a `;` in a pair, starts with a key
/// and `=`: a form key of letters, digits and the punctuation that form
/// keys use (`first_name`, `user[email]`, `e%2Dmail`, `given+name`).
fn starts_pair(text: &[u8]) -> bool {
    let key_length = text
        .iter()
        .position(|&byte| {
            !(byte.is_ascii_alphanumeric()
                || matches!(byte, b'_' | b'-' | b'.' | b'[' | b']' | b'%' | b'+'))
        })
        .unwrap_or(text.len());
    key_length > 0 && text.get(key_length) == Some(&b'=')
}

/// Returns `bytes` decoded from `encoding` into `buffer`, or `bytes` itself
/// when there is no encoding or nothing but ASCII. Without an encoding, a
/// value whose escapes are not UTF-8 (`%D5%C5` from a GBK system) is
/// decoded from the charset `chardetng` guesses for it.
fn transcoded<'b>(
    bytes: &'b [u8],
    encoding: Option<&'static Encoding>,
    buffer: &'b mut Vec<u8>,
) -> &'b [u8] {
    let encoding = encoding.or_else(|| {
        (!bytes.is_ascii())
            .then(|| charset::guess_unlabelled(bytes))
            .flatten()
    });
    match encoding {
        Some(encoding) if !bytes.is_ascii() => {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            buffer.clear();
            buffer.extend_from_slice(text.as_bytes());
            buffer
        }
        _ => bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::testing::RecordingSink;
    use crate::segment::REQUEST_RECORD;

    #[test]
    fn pairs_decode_with_key_as_context() {
        let mut sink = RecordingSink::default();
        scan_form(
            b"email=jane%40example.com&name=Jane+Doe&&flag",
            FormSource::Body,
            REQUEST_RECORD,
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

    fn texts(input: &[u8]) -> Vec<(String, Option<String>)> {
        let mut sink = RecordingSink::default();
        scan_form(input, FormSource::Body, REQUEST_RECORD, &mut sink);
        sink.segments
            .iter()
            .map(|segment| (segment.text.clone(), segment.key.clone()))
            .collect()
    }

    #[test]
    fn pairs_split_at_semicolon_before_key() {
        let pair = |key: &str, value: &str| {
            [
                (key.to_owned(), None),
                (value.to_owned(), Some(key.to_owned())),
            ]
        };
        let expected: Vec<_> = [
            pair("x", "1"),
            pair("first_name", "Zoe"),
            pair("last_name", "Markerfrau"),
            pair("user[email]", "zoe@example.com"),
        ]
        .concat();
        assert_eq!(
            texts(b"x=1;first_name=Zoe;last_name=Markerfrau&user[email]=zoe%40example.com"),
            expected
        );
        // A lone key before the semicolon, and the keys of a `;` pair are
        // percent-decoded like any other.
        assert_eq!(
            texts(b"flag;e%2Dmail=a%40b.example;;"),
            [
                ("flag".to_owned(), None),
                ("e-mail".to_owned(), None),
                ("a@b.example;;".to_owned(), Some("e-mail".to_owned())),
            ]
        );
    }

    #[test]
    fn pairs_keep_semicolon_in_value() {
        for (input, value) in [
            (&b"gps=52.520008;13.404954"[..], "52.520008;13.404954"),
            (b"note=a;+b", "a; b"),
            (b"note=a;=b", "a;=b"),
            (b"note=1;2", "1;2"),
        ] {
            let segments = texts(input);
            assert_eq!(segments.len(), 2, "{input:?}");
            assert_eq!(segments[1].0, value);
        }
    }

    #[test]
    fn query_locations_use_the_query_prefix() {
        let mut sink = RecordingSink::default();
        scan_form(
            b"e%2Dmail=a%40b.example",
            FormSource::Query,
            REQUEST_RECORD,
            &mut sink,
        );
        assert_eq!(sink.segments[1].text, "a@b.example");
        assert_eq!(sink.segments[1].location, "query:e-mail");
    }

    #[test]
    fn escapes_in_a_declared_charset_are_transcoded() {
        let mut sink = RecordingSink::default();
        let gbk = Some(encoding_rs::GBK);
        scan_form_in(
            b"%D0%D5%C3%FB=%D5%C5",
            FormSource::Body,
            REQUEST_RECORD,
            gbk,
            &mut sink,
        );
        assert_eq!(sink.segments[1].text, "张");
        assert_eq!(sink.segments[1].key.as_deref(), Some("姓名"));
        assert_eq!(sink.segments[1].location, "form:姓名");
    }

    #[test]
    fn invalid_escapes_are_kept_literally() {
        let mut sink = RecordingSink::default();
        scan_form(
            b"q=100%25+%zz",
            FormSource::Query,
            REQUEST_RECORD,
            &mut sink,
        );
        assert_eq!(sink.segments[1].text, "100% %zz");
    }
}
