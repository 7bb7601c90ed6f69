//! The charsets whose bodies the detectors can read.
//!
//! Every detector looks for ASCII bytes (`@`, digits, letters), so it reads
//! a body correctly only when the body's charset encodes ASCII as ASCII and
//! never uses those bytes for anything else. UTF-8 and the Latin-1 family do.
//! UTF-16, GBK and Shift_JIS do not: an e-mail address in UTF-16 has a NUL
//! after every letter, and a GBK or Shift_JIS trail byte can be any of them.
//! Until the inspector transcodes such bodies, it rejects them.

use crate::InspectError;
use crate::decode::media_type;
use crate::error::{MAX_CHARSET_CHARS, sanitized};

/// Charset names, lower-case, whose bodies are scanned as they are. ASCII
/// is a subset of each, so every ASCII byte means its ASCII character.
const SUPPORTED_CHARSETS: [&str; 9] = [
    "utf-8",
    "utf8",
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "latin1",
    "l1",
    "windows-1252",
    "cp1252",
];

/// Byte order marks of encodings that are not ASCII-compatible, with the
/// name reported for each. The UTF-32 marks come first because the UTF-32LE
/// mark starts with the UTF-16LE one.
const FOREIGN_BYTE_ORDER_MARKS: [(&[u8], &str); 4] = [
    (b"\xff\xfe\x00\x00", "utf-32le"),
    (b"\x00\x00\xfe\xff", "utf-32be"),
    (b"\xff\xfe", "utf-16le"),
    (b"\xfe\xff", "utf-16be"),
];

/// Rejects a body that the detectors cannot read: one whose `Content-Type`
/// has a `charset` parameter outside [`SUPPORTED_CHARSETS`] (compared
/// case-insensitively, quotes removed), or whose bytes start with a UTF-16
/// or UTF-32 byte order mark. Every `charset` parameter is checked, because
/// servers differ in which of several they use.
pub(crate) fn check_charset(content_type: Option<&str>, body: &[u8]) -> Result<(), InspectError> {
    if let Some(content_type) = content_type {
        for (name, value) in media_type::parameters(content_type) {
            let supported = SUPPORTED_CHARSETS
                .iter()
                .any(|charset| value.eq_ignore_ascii_case(charset));
            if name == "charset" && !supported {
                return Err(InspectError::UnsupportedCharset {
                    charset: sanitized(&value, MAX_CHARSET_CHARS),
                });
            }
        }
    }
    let foreign = FOREIGN_BYTE_ORDER_MARKS
        .iter()
        .find(|(mark, _)| body.starts_with(mark));
    match foreign {
        Some((_, charset)) => Err(InspectError::UnsupportedCharset {
            charset: (*charset).to_owned(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected_charset(content_type: &str, body: &[u8]) -> Option<String> {
        match check_charset(Some(content_type), body) {
            Ok(()) => None,
            Err(InspectError::UnsupportedCharset { charset }) => Some(charset),
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    #[test]
    fn ascii_compatible_charsets_are_accepted() {
        for content_type in [
            "text/plain",
            "text/plain; charset=utf-8",
            "text/plain; charset=UTF8",
            "application/json; charset=\"utf-8\"",
            "text/csv; charset=US-ASCII",
            "text/plain; charset=ascii",
            "application/xml; charset=ISO-8859-1",
            "text/plain; charset=latin1",
            "text/plain; charset=L1",
            "text/plain; charset=Windows-1252",
            "text/plain; charset=cp1252",
            "text/plain; format=flowed",
        ] {
            assert_eq!(rejected_charset(content_type, b"a"), None, "{content_type}");
        }
    }

    #[test]
    fn other_charsets_are_rejected_by_name() {
        let cases = [
            ("text/plain; charset=utf-16", "utf-16"),
            ("application/json; charset=UTF-16LE", "UTF-16LE"),
            ("text/csv; charset=\"gbk\"", "gbk"),
            ("application/zip; charset=shift_jis", "shift_jis"),
            ("text/plain; charset=", ""),
            ("text/plain; charset=utf-8; charset=utf-16", "utf-16"),
        ];
        for (content_type, charset) in cases {
            assert_eq!(
                rejected_charset(content_type, b"a").as_deref(),
                Some(charset),
                "{content_type}"
            );
        }
    }

    #[test]
    fn rejected_charset_is_sanitized() {
        let long = format!("text/plain; charset=\"\u{1b}[31m{}\"", "x".repeat(100));
        let charset = rejected_charset(&long, b"a").unwrap();
        assert_eq!(charset.len(), MAX_CHARSET_CHARS);
        assert!(charset.starts_with("?[31m"), "{charset}");
    }

    #[test]
    fn foreign_byte_order_marks_are_rejected() {
        let cases: [(&[u8], &str); 4] = [
            (b"\xff\xfeh\x00", "utf-16le"),
            (b"\xfe\xff\x00h", "utf-16be"),
            (b"\xff\xfe\x00\x00h\x00\x00\x00", "utf-32le"),
            (b"\x00\x00\xfe\xffh", "utf-32be"),
        ];
        for (body, charset) in cases {
            assert_eq!(
                check_charset(None, body),
                Err(InspectError::UnsupportedCharset {
                    charset: charset.to_owned()
                }),
                "{charset}"
            );
        }
    }

    #[test]
    fn utf8_byte_order_mark_is_accepted() {
        assert_eq!(check_charset(None, b"\xef\xbb\xbfjane@example.com"), Ok(()));
    }
}
