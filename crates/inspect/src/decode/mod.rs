//! Decoding of requests into text segments.
//!
//! One module per decoder: content codings ([`content_encoding`],
//! [`brotli`], [`zstd`]), charsets, percent-encoding, the path, headers,
//! form bodies, JSON, XML, CSV, multipart and plain text, and [`nested`]
//! for encodings hidden inside values. [`scan_request`] routes the parts of
//! a request to them and hands every resulting segment to the detection
//! driver.

pub(crate) mod base64;
pub(crate) mod binary;
pub(crate) mod body;
pub(crate) mod brotli;
pub(crate) mod charset;
pub(crate) mod content_encoding;
pub(crate) mod csv_records;
pub(crate) mod delimited;
pub(crate) mod edifact;
pub(crate) mod form;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod graphql;
pub(crate) mod headers;
pub(crate) mod http_message;
pub(crate) mod json;
pub(crate) mod json_path;
pub(crate) mod json_string;
pub(crate) mod media_type;
pub(crate) mod multipart;
pub(crate) mod multipart_headers;
pub(crate) mod nested;
pub(crate) mod path;
pub(crate) mod percent;
pub(crate) mod profile;
pub(crate) mod text;
pub(crate) mod transfer_encoding;
pub(crate) mod xml;
pub(crate) mod xml_path;
pub(crate) mod xml_structure;
pub(crate) mod xml_text;
pub(crate) mod zstd;

#[cfg(test)]
pub(crate) mod testing;

use crate::segment::{REQUEST_RECORD, SegmentSink};
use crate::{InspectError, Limits, Request};
use body::BodyContext;
use form::FormSource;
use nested::{Nested, NestedState};

/// Emits the segments of a request: the path segment by segment, the query
/// string, the headers and the body, which must already be content-decoded.
/// Every value passes through [`Nested`], which decodes encodings hidden in
/// it.
pub(crate) fn scan_request(
    request: &Request<'_>,
    body: &[u8],
    limits: &Limits,
    sink: &mut impl SegmentSink,
) -> Result<(), InspectError> {
    let mut state = NestedState::new(
        limits.max_nested_depth,
        limits.max_nested_bytes,
        limits.max_nesting_depth,
    );
    let mut nested = Nested::new(sink, &mut state);
    path::scan_path(request.path.as_bytes(), &mut nested);
    if let Some(query) = request.query {
        form::scan_form(
            query.as_bytes(),
            FormSource::Query,
            REQUEST_RECORD,
            &mut nested,
        );
    }
    headers::scan_headers(request.headers, &mut nested);
    let context = BodyContext {
        limits,
        multipart_depth: 0,
    };
    body::scan_body(request.content_type, body, &context, &mut nested)?;
    state.finish()
}
