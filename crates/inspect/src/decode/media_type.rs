//! Parsing of `Content-Type`: the media type that chooses the body format,
//! and the parameters (RFC 9110 §8.3.1), of which the inspector reads
//! `charset`.

use std::borrow::Cow;

/// The format that splits a decoded body into segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyFormat {
    /// `application/json` and every `+json` type.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/xml`, `text/xml` and every `+xml` type.
    Xml,
    /// `text/csv` and its aliases; `tab` for `text/tab-separated-values`,
    /// whose delimiter is not sniffed.
    Csv { tab: bool },
    /// Every `multipart/*` type.
    Multipart,
    /// Everything else, scanned line by line.
    Text,
}

impl BodyFormat {
    pub(crate) fn is_text(self) -> bool {
        self == BodyFormat::Text
    }
}

/// Media types of comma-separated values.
const CSV_TYPES: [&str; 4] = [
    "text/csv",
    "application/csv",
    "text/x-csv",
    "text/comma-separated-values",
];

/// Returns the format for a `Content-Type` value.
///
/// The media type is compared case-insensitively and its parameters
/// (`charset` and others) are ignored. A missing or unknown type falls back to
/// plain text, which still finds values in any textual format.
pub(crate) fn body_format(content_type: Option<&str>) -> BodyFormat {
    let Some(content_type) = content_type else {
        return BodyFormat::Text;
    };
    let essence = essence(content_type);
    let has_suffix = |suffix: &str| essence.ends_with(suffix) && essence.contains('/');
    if essence == "application/json" || has_suffix("+json") {
        BodyFormat::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyFormat::Form
    } else if essence == "application/xml" || essence == "text/xml" || has_suffix("+xml") {
        BodyFormat::Xml
    } else if CSV_TYPES.contains(&essence.as_str()) {
        BodyFormat::Csv { tab: false }
    } else if essence == "text/tab-separated-values" {
        BodyFormat::Csv { tab: true }
    } else if essence.starts_with("multipart/") {
        BodyFormat::Multipart
    } else {
        BodyFormat::Text
    }
}

/// Returns whether a body of unknown or plain-text type is an XML document:
/// it starts with an XML declaration, after an optional byte order mark, in
/// UTF-8, UTF-16 or UTF-32. A body that merely starts with `<` may be HTML
/// or a fragment and stays text.
pub(crate) fn starts_with_xml_declaration(body: &[u8]) -> bool {
    const DECLARATIONS: [&[u8]; 7] = [
        b"<?xml",
        b"\xef\xbb\xbf<?xml",
        b"\xff\xfe<\x00?\x00",
        b"\xfe\xff\x00<\x00?",
        b"<\x00?\x00x\x00",
        b"\x00<\x00?\x00x",
        b"\xff\xfe\x00\x00<\x00\x00\x00",
    ];
    DECLARATIONS
        .iter()
        .any(|declaration| body.starts_with(declaration))
}

/// Returns the media type of a `Content-Type` value without its parameters,
/// trimmed and lower-cased.
pub(crate) fn essence(content_type: &str) -> String {
    let end = content_type.find(';').unwrap_or(content_type.len());
    content_type[..end].trim().to_ascii_lowercase()
}

/// Returns the parameters of a `Content-Type` value as (name, value) pairs in
/// order, names lower-cased and quoted values unquoted.
///
/// A quoted value may contain `;` and backslash escapes. The parser is
/// lenient as servers are: it trims spaces around `=`, reads an unterminated
/// quoted value to the end, and returns a name without `=` with an empty
/// value.
pub(crate) fn parameters(content_type: &str) -> impl Iterator<Item = (String, Cow<'_, str>)> {
    // Read one at a time, so that a header of a million parameters keeps
    // only the one being read.
    let mut rest = content_type
        .find(';')
        .map_or("", |first| &content_type[first + 1..]);
    std::iter::from_fn(move || {
        while !rest.is_empty() {
            let name_end = rest.find(['=', ';']).unwrap_or(rest.len());
            let name = rest[..name_end].trim().to_ascii_lowercase();
            rest = &rest[name_end..];
            let value = match rest.strip_prefix('=') {
                Some(after_equals) => {
                    let (value, after_value) = parameter_value(after_equals.trim_start());
                    rest = after_value;
                    value
                }
                None => Cow::Borrowed(""),
            };
            // Skip to the next parameter, past anything after a quoted value.
            rest = rest
                .find(';')
                .map_or("", |semicolon| &rest[semicolon + 1..]);
            if !name.is_empty() {
                return Some((name, value));
            }
        }
        None
    })
}

/// Reads a token or quoted-string value at the start of `input` and returns
/// it with the text after it.
fn parameter_value(input: &str) -> (Cow<'_, str>, &str) {
    let Some(quoted) = input.strip_prefix('"') else {
        let end = input.find(';').unwrap_or(input.len());
        return (Cow::Borrowed(input[..end].trim_end()), &input[end..]);
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return (Cow::Owned(value), &quoted[index + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            c => value.push(c),
        }
    }
    (Cow::Owned(value), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_map_to_formats() {
        let cases = [
            (None, BodyFormat::Text),
            (Some("application/json"), BodyFormat::Json),
            (Some("Application/JSON; charset=utf-8"), BodyFormat::Json),
            (Some(" application/json ;charset=UTF-8"), BodyFormat::Json),
            (Some("application/vnd.api+json"), BodyFormat::Json),
            (Some("application/problem+JSON"), BodyFormat::Json),
            (Some("application/x-www-form-urlencoded"), BodyFormat::Form),
            (
                Some("APPLICATION/X-WWW-FORM-URLENCODED; charset=utf-8"),
                BodyFormat::Form,
            ),
            (Some("application/xml"), BodyFormat::Xml),
            (Some("text/xml; charset=utf-8"), BodyFormat::Xml),
            (Some("application/soap+xml"), BodyFormat::Xml),
            (Some("text/csv"), BodyFormat::Csv { tab: false }),
            (Some("application/csv"), BodyFormat::Csv { tab: false }),
            (
                Some("text/tab-separated-values"),
                BodyFormat::Csv { tab: true },
            ),
            (
                Some("multipart/form-data; boundary=x"),
                BodyFormat::Multipart,
            ),
            (Some("multipart/mixed; boundary=x"), BodyFormat::Multipart),
            (Some("+xml"), BodyFormat::Text),
            (Some("text/html"), BodyFormat::Text),
            (Some("application/jsonl"), BodyFormat::Text),
            (Some("+json"), BodyFormat::Text),
            (Some(""), BodyFormat::Text),
        ];
        for (content_type, expected) in cases {
            assert_eq!(body_format(content_type), expected, "{content_type:?}");
        }
    }

    #[test]
    fn essence_drops_parameters() {
        assert_eq!(essence(" Application/ZIP ; name=a.zip"), "application/zip");
        assert_eq!(essence("text/plain"), "text/plain");
    }

    #[test]
    fn parameters_are_parsed_in_order() {
        let cases: [(&str, &[(&str, &str)]); 7] = [
            ("text/plain", &[]),
            ("text/plain; charset=UTF-8", &[("charset", "UTF-8")]),
            (
                "text/plain;CHARSET=\"utf-16\";format=flowed",
                &[("charset", "utf-16"), ("format", "flowed")],
            ),
            (
                "text/plain; name=\"a;b\\\"c\"; charset=gbk",
                &[("name", "a;b\"c"), ("charset", "gbk")],
            ),
            ("text/plain; charset = latin1 ", &[("charset", "latin1")]),
            ("text/plain; ;charset", &[("charset", "")]),
            ("text/plain; charset=\"utf-8", &[("charset", "utf-8")]),
        ];
        for (content_type, expected) in cases {
            let parsed: Vec<_> = parameters(content_type).collect();
            let parsed: Vec<(&str, &str)> = parsed
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_ref()))
                .collect();
            assert_eq!(parsed, expected, "{content_type}");
        }
    }
}
