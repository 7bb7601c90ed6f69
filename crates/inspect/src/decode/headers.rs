//! Request headers: the name and value of every header that can carry
//! personal data, with `Cookie` split into its pairs.
//!
//! Clients put identifiers in custom headers (`x-user-email`), in `Referer`
//! URLs and in cookies, and all of them reach the destination with the body.
//! Only headers that never reach the destination as the client sent them
//! are skipped.

use std::borrow::Cow;

use memchr::{memchr, memchr_iter};

use crate::decode::percent;
use crate::segment::{Location, REQUEST_RECORD, Role, Segment, SegmentSink};

/// Headers whose values never reach the destination as sent: the gateway
/// replaces `host` and `content-length`, removes the hop-by-hop headers,
/// `proxy-authorization` and its own `tollgate-approval`, and accepts only
/// the codings it decodes in `content-encoding`. Every other header goes
/// upstream unchanged, `accept-language` and `content-type` included, so it
/// is scanned.
const FRAMING_HEADERS: [&str; 12] = [
    "host",
    "content-length",
    "content-encoding",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "upgrade",
    "proxy-connection",
    "proxy-authorization",
    "tollgate-approval",
];

/// Emits the name and value of every header outside [`FRAMING_HEADERS`],
/// in order, all in the request record.
///
/// A value is scanned percent-decoded, with `+` kept, as the path is, so an
/// address in a `Referer` query (`?email=jane%40example.com`) is found. The
/// value's context is the header name. A `cookie` header is split into
/// pairs instead (see [`scan_cookie`]). Header names are compared
/// case-insensitively, though HTTP/2 and the gateway send them lower-case.
pub(crate) fn scan_headers(headers: &[(&str, &[u8])], sink: &mut (impl SegmentSink + ?Sized)) {
    let mut value_buffer = Vec::new();
    for &(name, value) in headers {
        if is_framing_header(name) {
            continue;
        }
        if name.eq_ignore_ascii_case("cookie") {
            scan_cookie(value, sink);
            continue;
        }
        let name = name.as_bytes();
        let location = Location::Header { name };
        // Names are scanned like form keys, because a client can build a
        // header name from an identifier.
        sink.segment(&Segment {
            text: name,
            key: None,
            location,
            record: REQUEST_RECORD,
            role: Role::Name,
        });
        let value = percent::decode(value, false, &mut value_buffer);
        for part in value_parts(value) {
            sink.segment(&Segment {
                text: &part,
                key: Some(name),
                location,
                record: REQUEST_RECORD,
                role: Role::Value,
            });
        }
    }
}

/// Authentication schemes (RFC 9110 and common extensions) whose
/// credentials follow as one token, in lower case.
const AUTH_SCHEMES: [&[u8]; 9] = [
    b"apikey",
    b"basic",
    b"bearer",
    b"digest",
    b"hawk",
    b"negotiate",
    b"ntlm",
    b"oauth",
    b"token",
];

/// Returns the parts of a header value to scan, each as a value of its
/// own, so that what is encoded inside is decoded once and counted once:
///
/// - the scheme and the credentials after a known authentication scheme
///   (`Basic`, `Bearer`) in any header, or a JSON Web Token after any
///   word, so that the credentials are decoded as a whole;
/// - else the value with each RFC 2047 encoded word (`=?UTF-8?B?...?=`)
///   replaced by its text;
/// - else the value as sent.
///
/// Two words after another first word stay one value, because under
/// `x-author-name` they are a name (`Klaus Weber`). A token of 16 or more
/// base64 characters in them is still decoded inside the value.
fn value_parts<'v>(value: &'v [u8]) -> Vec<Cow<'v, [u8]>> {
    let mut words = value
        .split(|&byte| byte == b' ')
        .filter(|word| !word.is_empty());
    if let (Some(scheme), Some(token), None) = (words.next(), words.next(), words.next())
        && (AUTH_SCHEMES
            .iter()
            .any(|known| scheme.eq_ignore_ascii_case(known))
            || token.starts_with(b"eyJ"))
    {
        return vec![Cow::Borrowed(scheme), Cow::Borrowed(token)];
    }
    if memchr::memmem::find(value, b"=?").is_some()
        && let Some(decoded) = with_encoded_words_decoded(value)
    {
        return vec![Cow::Owned(decoded)];
    }
    vec![Cow::Borrowed(value)]
}

/// Returns `value` with every RFC 2047 encoded word `=?charset?B|Q?text?=`
/// replaced by its text, or `None` when it has none. A charset that
/// `encoding_rs` does not know is read as UTF-8. A word next to other
/// text is text, and the bytes of a word in a charset that is not
/// ASCII-compatible follow its text, read as UTF-8.
fn with_encoded_words_decoded(value: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(value.len());
    let mut decoded_any = false;
    let mut rest = value;
    while let Some(start) = memchr::memmem::find(rest, b"=?") {
        let word = &rest[start + 2..];
        let mut fields = word.splitn(4, |&byte| byte == b'?');
        let (Some(charset), Some(coding), Some(text), Some(after)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            break;
        };
        // RFC 2047 §5 separates an encoded word from adjacent text, so
        // `1234567=?UTF-8?B?QUFB?=` is text, and decoding it would join
        // `AAA` to the number.
        let at = value.len() - rest.len() + start;
        let separated = at
            .checked_sub(1)
            .is_none_or(|before| is_word_edge(value[before]));
        let after = after
            .strip_prefix(b"=")
            .filter(|after| after.first().is_none_or(|&byte| is_word_edge(byte)))
            .filter(|_| separated);
        let bytes = match coding {
            b"B" | b"b" => {
                let mut out = Vec::new();
                super::base64::decode_transfer(text, &mut out)
                    .ok()
                    .map(|()| out)
            }
            b"Q" | b"q" => Some(quoted_printable_word(text)),
            _ => None,
        };
        let (Some(after), Some(bytes)) = (after, bytes) else {
            // Not an encoded word: kept as sent up to the text after `=?`.
            out.extend_from_slice(&rest[..start + 2]);
            rest = word;
            continue;
        };
        let encoding = encoding_rs::Encoding::for_label(charset).unwrap_or(encoding_rs::UTF_8);
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes);
        out.extend_from_slice(&rest[..start]);
        out.extend_from_slice(text.as_bytes());
        // A charset such as UTF-16 or ISO-2022-KR turns ASCII bytes into
        // other characters, so a word that names one would hide an
        // address. Its bytes are scanned as UTF-8 as well.
        if had_errors || !encoding.is_ascii_compatible() {
            out.push(b' ');
            out.extend_from_slice(String::from_utf8_lossy(&bytes).as_bytes());
        }
        decoded_any = true;
        rest = after;
    }
    out.extend_from_slice(rest);
    decoded_any.then_some(out)
}

/// Returns whether `byte` may stand next to an encoded word: whitespace,
/// or a delimiter of structured header values.
fn is_word_edge(byte: u8) -> bool {
    byte.is_ascii_whitespace() || b"\"(),;<>".contains(&byte)
}

/// Decodes the `Q` form of an encoded word: `_` is a space and `=XX` a byte.
fn quoted_printable_word(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut index = 0;
    while index < text.len() {
        match text[index] {
            b'_' => out.push(b' '),
            b'=' if index + 2 < text.len() => {
                let hex = std::str::from_utf8(&text[index + 1..index + 3]).ok();
                match hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        index += 2;
                    }
                    None => out.push(b'='),
                }
            }
            byte => out.push(byte),
        }
        index += 1;
    }
    out
}

pub(crate) fn is_framing_header(name: &str) -> bool {
    FRAMING_HEADERS
        .iter()
        .any(|framing| name.eq_ignore_ascii_case(framing))
}

/// Emits the name and value of every `name=value` pair of a `Cookie` header
/// value. Pairs are separated by `;` and optional spaces, and a value in
/// double quotes is unquoted.
///
/// Values are percent-decoded like form values, with `+` as a space, which
/// is how PHP and Java servers read cookies. RFC 6265 gives `+` no meaning,
/// and other servers keep it. So a value in which a `+` could start an
/// international phone number (`tel=+4930123456`) is scanned a second time
/// with `+` kept, because as a space that `+` would hide the number.
///
/// NOTE: digits after such a `+` that another detector finds either way,
/// such as a card number, are counted twice.
fn scan_cookie(header: &[u8], sink: &mut (impl SegmentSink + ?Sized)) {
    let mut name_buffer = Vec::new();
    let mut value_buffer = Vec::new();
    for pair in header.split(|&byte| byte == b';') {
        let pair = pair.trim_ascii();
        if pair.is_empty() {
            continue;
        }
        let (raw_name, raw_value) = match memchr(b'=', pair) {
            Some(equals) => (pair[..equals].trim_ascii(), Some(&pair[equals + 1..])),
            None => (pair, None),
        };
        let name = percent::decode(raw_name, false, &mut name_buffer);
        let location = Location::Cookie { name };
        sink.segment(&Segment {
            text: name,
            key: None,
            location,
            record: REQUEST_RECORD,
            role: Role::Name,
        });
        let Some(raw_value) = raw_value else {
            continue;
        };
        let raw_value = unquoted(raw_value.trim_ascii());
        let mut emit_value = |plus_as_space| {
            let value = percent::decode(raw_value, plus_as_space, &mut value_buffer);
            sink.segment(&Segment {
                text: value,
                key: Some(name),
                location,
                record: REQUEST_RECORD,
                role: Role::Value,
            });
        };
        emit_value(true);
        if has_leading_plus(raw_value) {
            emit_value(false);
        }
    }
}

/// Returns whether a `+` in `value` starts a number: it is followed by a
/// digit and not preceded by a letter or digit.
fn has_leading_plus(value: &[u8]) -> bool {
    memchr_iter(b'+', value).any(|plus| {
        let after_is_digit = value.get(plus + 1).is_some_and(u8::is_ascii_digit);
        let before_is_alphanumeric = plus > 0 && value[plus - 1].is_ascii_alphanumeric();
        after_is_digit && !before_is_alphanumeric
    })
}

/// Returns `value` without the double quotes around it, if it has both.
fn unquoted(value: &[u8]) -> &[u8] {
    value
        .strip_prefix(b"\"")
        .and_then(|inner| inner.strip_suffix(b"\""))
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::testing::RecordingSink;

    fn scanned(headers: &[(&str, &[u8])]) -> Vec<(String, Option<String>, String)> {
        let mut sink = RecordingSink::default();
        scan_headers(headers, &mut sink);
        sink.segments
            .into_iter()
            .map(|segment| (segment.text, segment.key, segment.location))
            .collect()
    }

    fn owned(text: &str, key: Option<&str>, location: &str) -> (String, Option<String>, String) {
        (text.to_owned(), key.map(str::to_owned), location.to_owned())
    }

    #[test]
    fn header_names_and_values_are_scanned_in_order() {
        let segments = scanned(&[
            ("x-user-email", b"jane@example.com"),
            ("referer", b"https://shop.example/?email=jane%40example.com"),
            ("x-user-email", b"john+a@example.com"),
        ]);
        let expected = [
            owned("x-user-email", None, "header:x-user-email"),
            owned(
                "jane@example.com",
                Some("x-user-email"),
                "header:x-user-email",
            ),
            owned("referer", None, "header:referer"),
            owned(
                "https://shop.example/?email=jane@example.com",
                Some("referer"),
                "header:referer",
            ),
            owned("x-user-email", None, "header:x-user-email"),
            owned(
                "john+a@example.com",
                Some("x-user-email"),
                "header:x-user-email",
            ),
        ];
        assert_eq!(segments, expected);
    }

    #[test]
    fn credentials_and_encoded_words_are_scanned_once() {
        let segments = scanned(&[
            ("authorization", b"Basic YW5uYTpwdw=="),
            (
                "x-from",
                b"=?UTF-8?B?SsO2cmc=?= <jorg@example.com>, =?x?Q?Ann?=",
            ),
            ("x-note", b"=?broken and =?UTF-8?Q?a=40b.de?="),
        ]);
        let values: Vec<&str> = segments
            .iter()
            .filter(|(_, key, _)| key.is_some())
            .map(|(text, _, _)| text.as_str())
            .collect();
        assert_eq!(
            values,
            [
                "Basic",
                "YW5uYTpwdw==",
                "J\u{f6}rg <jorg@example.com>, Ann",
                "=?broken and a@b.de",
            ]
        );
    }

    #[test]
    fn framing_headers_are_skipped() {
        let headers: Vec<(&str, &[u8])> = FRAMING_HEADERS
            .iter()
            .map(|name| (*name, b"jane@example.com".as_slice()))
            .chain([("Content-Length", b"jane@example.com".as_slice())])
            .collect();
        assert_eq!(scanned(&headers), []);
    }

    #[test]
    fn cookie_pairs_are_split_and_decoded() {
        let segments = scanned(&[(
            "cookie",
            b"sid=abc; email=jane%40example.com;name=\"Jane+Doe\" ;flag",
        )]);
        let expected = [
            owned("sid", None, "cookie:sid"),
            owned("abc", Some("sid"), "cookie:sid"),
            owned("email", None, "cookie:email"),
            owned("jane@example.com", Some("email"), "cookie:email"),
            owned("name", None, "cookie:name"),
            owned("Jane Doe", Some("name"), "cookie:name"),
            owned("flag", None, "cookie:flag"),
        ];
        assert_eq!(segments, expected);
    }

    #[test]
    fn leading_plus_cookie_is_scanned_twice() {
        let segments = scanned(&[("cookie", b"tel=+4930123456")]);
        let values: Vec<&str> = segments[1..]
            .iter()
            .map(|(text, ..)| text.as_str())
            .collect();
        assert_eq!(values, [" 4930123456", "+4930123456"]);
    }

    #[test]
    fn plus_inside_a_word_is_only_a_space() {
        for (value, expected) in [
            ("a+b", false),
            ("jane+news@example.com", false),
            ("1+2", false),
            ("+", false),
            ("+4930123456", true),
            ("tel:+4930123456", true),
            ("(+49)", true),
        ] {
            assert_eq!(has_leading_plus(value.as_bytes()), expected, "{value}");
        }
    }

    #[test]
    fn every_segment_is_in_the_request_record() {
        let mut sink = RecordingSink::default();
        scan_headers(&[("x-a", b"1"), ("cookie", b"b=2")], &mut sink);
        assert!(
            sink.segments
                .iter()
                .all(|segment| segment.record == REQUEST_RECORD)
        );
    }
}
