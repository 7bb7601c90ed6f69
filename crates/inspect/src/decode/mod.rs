//! Decoding of requests into text segments.
//!
//! One module per decoder: content codings, media types, percent-encoding,
//! form bodies, JSON and plain text. [`scan_request`] routes the parts of a
//! request to them and hands every resulting segment to the detection driver.

pub(crate) mod content_encoding;
pub(crate) mod form;
pub(crate) mod json;
pub(crate) mod json_path;
pub(crate) mod json_string;
pub(crate) mod media_type;
pub(crate) mod percent;
pub(crate) mod text;

#[cfg(test)]
pub(crate) mod testing;

use crate::segment::{Location, REQUEST_RECORD, Segment, SegmentSink};
use crate::{InspectError, Limits, Request};
use form::FormSource;
use media_type::BodyFormat;

/// Emits the segments of a request: the percent-decoded path, the query
/// string and the body, which must already be content-decoded.
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
    // A request without a body (a GET that still names a content type) has
    // nothing to parse.
    if body.is_empty() {
        return Ok(());
    }
    match media_type::body_format(request.content_type) {
        BodyFormat::Json => json::scan_json(body, limits.max_nesting_depth, sink)?,
        BodyFormat::Form => form::scan_form(body, FormSource::Body, sink),
        BodyFormat::Text => text::scan_text(body, sink),
    }
    Ok(())
}
