//! Decoding of requests into text segments.
//!
//! One module per decoder: content codings, media types, charsets,
//! percent-encoding, headers, form bodies, JSON and plain text.
//! [`scan_request`] routes the parts of a request to them and hands every
//! resulting segment to the detection driver.

pub(crate) mod binary;
pub(crate) mod charset;
pub(crate) mod content_encoding;
pub(crate) mod form;
pub(crate) mod headers;
pub(crate) mod json;
pub(crate) mod json_path;
pub(crate) mod json_string;
pub(crate) mod media_type;
pub(crate) mod percent;
pub(crate) mod text;

#[cfg(test)]
pub(crate) mod testing;

use crate::error::{MAX_MEDIA_TYPE_CHARS, sanitized};
use crate::segment::{Location, REQUEST_RECORD, Segment, SegmentSink};
use crate::{InspectError, Limits, Request};
use form::FormSource;
use media_type::BodyFormat;

/// Emits the segments of a request: the percent-decoded path, the query
/// string, the headers and the body, which must already be content-decoded.
///
/// A non-empty body is rejected when its charset is not ASCII-compatible,
/// and a text or form body also when it is binary, because the detectors
/// would read such a body as noise and find nothing. JSON needs no binary
/// check, because its parser rejects raw control characters.
pub(crate) fn scan_request(
    request: &Request<'_>,
    body: &[u8],
    limits: &Limits,
    sink: &mut impl SegmentSink,
) -> Result<(), InspectError> {
    let mut path_buffer = Vec::new();
    let path = percent::decode(request.path.as_bytes(), false, &mut path_buffer);
    if !path.is_empty() {
        sink.segment(&Segment {
            text: path,
            key: None,
            location: Location::Path,
            record: REQUEST_RECORD,
        });
    }
    if let Some(query) = request.query {
        form::scan_form(query.as_bytes(), FormSource::Query, sink);
    }
    headers::scan_headers(request.headers, sink);
    // A request without a body (a GET that still names a content type) has
    // nothing to parse.
    if body.is_empty() {
        return Ok(());
    }
    charset::check_charset(request.content_type, body)?;
    match media_type::body_format(request.content_type) {
        BodyFormat::Json => json::scan_json(body, limits.max_nesting_depth, sink)?,
        BodyFormat::Form => {
            // Checked before percent-decoding: `%00` in a value is text.
            reject_binary(body, request.content_type)?;
            form::scan_form(body, FormSource::Body, sink);
        }
        BodyFormat::Text => {
            reject_binary(body, request.content_type)?;
            text::scan_text(body, sink);
        }
    }
    Ok(())
}

/// Returns [`InspectError::BinaryBody`] when `body` is binary.
fn reject_binary(body: &[u8], content_type: Option<&str>) -> Result<(), InspectError> {
    let Some(offset) = binary::binary_offset(body) else {
        return Ok(());
    };
    let essence = content_type.map(media_type::essence).unwrap_or_default();
    let media_type = if essence.is_empty() {
        "unknown".to_owned()
    } else {
        sanitized(&essence, MAX_MEDIA_TYPE_CHARS)
    };
    Err(InspectError::BinaryBody { media_type, offset })
}
