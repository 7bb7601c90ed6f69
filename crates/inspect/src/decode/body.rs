//! Routing of a content-decoded body, or of one multipart part, to its
//! decoder.
//!
//! The order is fixed: choose the format from the media type (or an XML
//! declaration at the start of a plain-text body), transcode to UTF-8,
//! check for binary content, then parse once. The binary check comes after
//! transcoding because UTF-16 text has NULs before it and none after.

use crate::decode::multipart::scan_multipart;
use crate::decode::{
    binary, charset, delimited, edifact, form, graphql, json, media_type, text, xml, xml_structure,
};
use crate::error::{MAX_MEDIA_TYPE_CHARS, sanitized};
use crate::segment::{REQUEST_RECORD, SegmentSink};
use crate::{InspectError, Limits};
use form::FormSource;
use media_type::BodyFormat;

/// The limits and multipart depth that a body decoder needs besides the
/// body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyContext<'l> {
    pub limits: &'l Limits,
    pub multipart_depth: usize,
}

/// Scans `body` in the format its `Content-Type` names. An empty body has nothing to
/// parse, whatever its type.
///
/// A JSON body needs no binary check, because its parser rejects raw
/// control characters; every other format is checked (a multipart body
/// part by part).
///
/// The function is generic over the sink, so that the tokenizers call the
/// sink of a request directly, without a virtual call per value.
pub(crate) fn scan_body(
    content_type: Option<&str>,
    body: &[u8],
    context: &BodyContext<'_>,
    sink: &mut impl SegmentSink,
) -> Result<(), InspectError> {
    if body.is_empty() {
        return Ok(());
    }
    let format = declared_format(content_type, body);
    if format == BodyFormat::Multipart {
        return scan_multipart(body, content_type.unwrap_or_default(), context, sink);
    }
    let limits = context.limits;
    if format == BodyFormat::Form
        && let Some(encoding) = charset::form_encoding(content_type, body)?
    {
        reject_binary(body, 0, content_type)?;
        form::scan_form_in(body, FormSource::Body, REQUEST_RECORD, Some(encoding), sink);
        return Ok(());
    }
    let transcoded = charset::transcode(
        body,
        content_type,
        format == BodyFormat::Xml,
        format != BodyFormat::Json,
        limits.max_decoded_bytes,
    )?;
    let text = transcoded.text;
    let format = sniffed(format, &text, limits.max_nesting_depth);
    if format != BodyFormat::Json && !transcoded.free_of_controls {
        // Checked before percent-decoding: `%00` in a form value is text.
        reject_binary(&text, transcoded.bom_bytes, content_type)?;
    }
    match format {
        BodyFormat::Json => json::scan_json(&text, limits.max_nesting_depth, sink)?,
        BodyFormat::Form => form::scan_form(&text, FormSource::Body, REQUEST_RECORD, sink),
        BodyFormat::Xml => xml::scan_xml(&text, limits.max_nesting_depth, REQUEST_RECORD, sink)?,
        BodyFormat::Csv { tab } => delimited::scan_csv(&text, tab, REQUEST_RECORD, sink),
        BodyFormat::Text if edifact::is_edifact(content_type, &text) => {
            edifact::scan_edifact(&text, sink);
        }
        BodyFormat::Text
            if let Some(literals) = graphql::document_literals(content_type, &text) =>
        {
            graphql::scan_graphql(&text, &literals, REQUEST_RECORD, sink);
        }
        BodyFormat::Text | BodyFormat::Multipart => text::scan_text(&text, sink),
    }
    if transcoded.hides_ascii {
        scan_as_sent(body, format, limits, sink);
    }
    Ok(())
}

/// Scans the bytes of a body transcoded from UTF-16, UTF-32 or ISO-2022-JP
/// once more as they were sent. A byte order mark or a label in front of
/// ASCII text turns it into CJK characters for the inspector, while a
/// destination that ignores them reads the ASCII. Real text in such a
/// charset yields nothing here: its ASCII letters are split by NULs or
/// escape sequences. The bytes as sent need not parse in the body's format,
/// so a JSON or XML body that does not is scanned as text.
fn scan_as_sent(body: &[u8], format: BodyFormat, limits: &Limits, sink: &mut impl SegmentSink) {
    match format {
        BodyFormat::Json if json::is_valid(body, limits.max_nesting_depth) => {
            let _ = json::scan_json(body, limits.max_nesting_depth, sink);
        }
        BodyFormat::Xml if xml::is_well_formed(body, limits.max_nesting_depth) => {
            let _ = xml::scan_xml(body, limits.max_nesting_depth, REQUEST_RECORD, sink);
        }
        BodyFormat::Form => form::scan_form(body, FormSource::Body, REQUEST_RECORD, sink),
        BodyFormat::Csv { tab } => delimited::scan_csv(body, tab, REQUEST_RECORD, sink),
        _ => text::scan_text(body, sink),
    }
}

/// Returns the format that `Content-Type` names, or XML for a text body
/// that starts with an XML declaration.
pub(crate) fn declared_format(content_type: Option<&str>, body: &[u8]) -> BodyFormat {
    let format = media_type::body_format(content_type);
    if format == BodyFormat::Text && media_type::starts_with_xml_declaration(body) {
        BodyFormat::Xml
    } else {
        format
    }
}

/// Returns the format a body is in whatever its label: JSON for a form,
/// CSV or text body that is a JSON object or array, XML for a text body
/// that is a well-formed XML document, and CSV for a text or form body
/// that is a table with a header row. A destination that parses it as such reads
/// names and dates of birth under their keys, which a scan as form data
/// or text would miss.
pub(crate) fn sniffed(format: BodyFormat, text: &[u8], max_depth: usize) -> BodyFormat {
    let relabelled = matches!(
        format,
        BodyFormat::Form | BodyFormat::Csv { .. } | BodyFormat::Text
    );
    let start = text.iter().position(|byte| !byte.is_ascii_whitespace());
    let opening = start.map(|start| &text[start..]).unwrap_or_default();
    if relabelled && matches!(opening.first(), Some(b'{' | b'[')) && json::is_valid(text, max_depth)
    {
        return BodyFormat::Json;
    }
    let opens_element =
        matches!(opening, [b'<', next, ..] if next.is_ascii_alphabetic() || *next == b'?');
    if format == BodyFormat::Text
        && opens_element
        && xml_structure::analyze(text, max_depth).is_ok()
    {
        return BodyFormat::Xml;
    }
    // A CSV export sent as text/plain, application/octet-stream or
    // application/vnd.ms-excel (which Windows gives `.csv` files), or as
    // form data whose first line contains no `=` and so names no field.
    let first_line = &text[..memchr::memchr(b'\n', text).unwrap_or(text.len())];
    let table_format =
        format == BodyFormat::Text || (format == BodyFormat::Form && !first_line.contains(&b'='));
    if table_format && delimited::looks_like_table(text) {
        return BodyFormat::Csv { tab: false };
    }
    format
}

/// Returns [`InspectError::BinaryBody`] when `body` is binary, with the
/// offset of the byte counted from `start`, where `body` starts in the
/// bytes as sent.
pub(crate) fn reject_binary(
    body: &[u8],
    start: usize,
    content_type: Option<&str>,
) -> Result<(), InspectError> {
    let Some(offset) = binary::binary_offset(body) else {
        return Ok(());
    };
    let offset = start + offset;
    let essence = content_type.map(media_type::essence).unwrap_or_default();
    let media_type = if essence.is_empty() {
        "unknown".to_owned()
    } else {
        sanitized(&essence, MAX_MEDIA_TYPE_CHARS)
    };
    Err(InspectError::BinaryBody { media_type, offset })
}
