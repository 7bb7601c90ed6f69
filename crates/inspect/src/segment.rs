//! Decoded text segments, the unit that decoders produce and detectors scan.
//!
//! A decoder turns one part of a request (the path, the query, a header
//! value, a JSON string, a form value, a line of text) into a [`Segment`]
//! and hands it to a [`SegmentSink`]. The segment borrows the decoder's
//! buffers, so nothing is copied per detector, and its location is rendered
//! into a string only when a detector finds something in it.

use std::fmt::Write as _;

use crate::decode::json_path::JsonPathRef;
use crate::mask;

/// Identifier of a record: the unit whose identifiers are assumed to belong
/// to one person when subjects are counted.
pub(crate) type RecordId = u64;

/// The record for the path, the query, the headers, a form body and any part
/// of a JSON document outside the elements of its outermost array.
pub(crate) const REQUEST_RECORD: RecordId = 0;

/// One piece of decoded text with the metadata that detectors and the report
/// need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment<'s> {
    /// The decoded bytes, not necessarily valid UTF-8.
    pub text: &'s [u8],
    /// The name this value was sent under (the nearest JSON object key, a
    /// form key, a header name or a cookie name), if any.
    pub key: Option<&'s [u8]>,
    pub location: Location<'s>,
    pub record: RecordId,
}

/// Where a segment came from in the request.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Location<'s> {
    /// The request path.
    Path,
    /// A key or value of the query string, named by its decoded key.
    Query { key: &'s [u8] },
    /// A key or value of a form body, named by its decoded key.
    Form { key: &'s [u8] },
    /// The name or value of a request header other than `Cookie`.
    Header { name: &'s [u8] },
    /// The name or value of one pair of a `Cookie` header, named by its
    /// decoded cookie name.
    Cookie { name: &'s [u8] },
    /// A line of a plain-text body, counted from 1.
    Line(u64),
    /// A key or value of a JSON body.
    Json(JsonPathRef<'s>),
}

impl Location<'_> {
    /// Renders the location as stored in reports, for example `form:email`,
    /// `header:x-user-email`, `cookie:session`, `line 3` or
    /// `$.customers[3].email`.
    ///
    /// Keys are sent by the client and may themselves be personal data (a JSON
    /// object keyed by e-mail address), so every detected value in a key is
    /// replaced by its mask before it is written.
    pub(crate) fn render(&self) -> String {
        match self {
            Location::Path => "path".to_owned(),
            Location::Query { key } => format!("query:{}", masked_key(key)),
            Location::Form { key } => format!("form:{}", masked_key(key)),
            Location::Header { name } => format!("header:{}", masked_key(name)),
            Location::Cookie { name } => format!("cookie:{}", masked_key(name)),
            Location::Line(number) => format!("line {number}"),
            Location::Json(path) => path.render(),
        }
    }
}

/// Returns `key` as text with every detected value masked.
pub(crate) fn masked_key(key: &[u8]) -> String {
    String::from_utf8_lossy(&mask::redact(key)).into_owned()
}

/// Appends `text` to `out` as a JSON string literal, quotes included.
pub(crate) fn push_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                // `write!` into a `String` never returns an error.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The receiver of decoded segments; the detection driver implements it.
pub(crate) trait SegmentSink {
    /// Allocates the identifier for a new record.
    fn begin_record(&mut self) -> RecordId;

    /// Scans one segment.
    fn segment(&mut self, segment: &Segment<'_>);
}
