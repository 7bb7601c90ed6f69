//! Masked copies of multipart bodies.
//!
//! The copy keeps every delimiter, header name and byte of framing. What
//! the inspector scans is masked in place: the preamble and epilogue, the
//! values of part headers other than the four that decoding reads and
//! `Content-ID`, and each part's content by its own type, so a nested
//! multipart recurses. A part that contains an HTTP message (an OData
//! `$batch`) has its start line, header values and body masked, and its
//! `Content-Length` set to the masked body's length.
//!
//! A part under a transfer or content coding other than identity keeps its
//! bytes, and so do a part's name and file name. If anything is found in
//! them, the inspection of the copy fails it, as for every masked copy.

use chrono::NaiveDate;

use super::{Edits, MaskError, mask_body, no_encoding, percent_encode};
use crate::decode::multipart::{Splitter, boundary, effective_type};
use crate::decode::multipart_headers::parse_part_headers;
use crate::decode::{http_message, media_type};
use crate::mask::redact_field;
use crate::{InspectError, Limits};

/// Masks the multipart `body` of type `content_type`, nested in `depth`
/// other multipart bodies, and returns it with the number of values
/// replaced.
pub(super) fn mask_multipart(
    content_type: &str,
    body: &[u8],
    today: Option<NaiveDate>,
    limits: &Limits,
    depth: usize,
) -> Result<(Vec<u8>, usize), MaskError> {
    if depth >= limits.max_multipart_depth {
        return Err(InspectError::MultipartTooDeep {
            limit: limits.max_multipart_depth,
        }
        .into());
    }
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary(content_type)?.as_bytes());
    let mut splitter = Splitter::new(body, &delimiter)?;
    let mut edits = Edits::default();
    let mut count = mask_text(splitter.preamble(), 0, today, &mut edits);
    let mut parts = 0;
    while let Some((offset, part)) = splitter.next_part()? {
        parts += 1;
        if parts > limits.max_multipart_parts {
            return Err(InspectError::TooManyParts {
                limit: limits.max_multipart_parts,
            }
            .into());
        }
        count += mask_part(part, offset, today, limits, depth, &mut edits)?;
    }
    let epilogue = splitter.epilogue();
    count += mask_text(epilogue, body.len() - epilogue.len(), today, &mut edits);
    Ok((edits.apply(body), count))
}

/// Masks the preamble or epilogue `text` at `start` as free text.
fn mask_text(text: &[u8], start: usize, today: Option<NaiveDate>, edits: &mut Edits) -> usize {
    match redact_field(None, text, today, &no_encoding) {
        Some(masked) => {
            edits.push(start, start + text.len(), masked);
            1
        }
        None => 0,
    }
}

/// Masks the header values and the content of the part at `offset`.
fn mask_part(
    part: &[u8],
    offset: usize,
    today: Option<NaiveDate>,
    limits: &Limits,
    depth: usize,
    edits: &mut Edits,
) -> Result<usize, MaskError> {
    let (headers, content_offset) = parse_part_headers(part, offset)?;
    let (block, content) = part.split_at(content_offset - offset);
    let read_by_decoding = |name: &str| {
        [
            "content-disposition",
            "content-type",
            "content-transfer-encoding",
            "content-encoding",
            "content-id",
        ]
        .iter()
        .any(|known| name.eq_ignore_ascii_case(known))
    };
    let mut count = mask_header_values(block, offset, &read_by_decoding, today, edits);
    let identity = headers.transfer_encoding.as_deref().is_none_or(|coding| {
        ["7bit", "8bit", "binary"].contains(&coding.to_ascii_lowercase().as_str())
    });
    if !identity || headers.content_encoding.is_some() {
        return Ok(count);
    }
    let content_type = effective_type(&headers);
    let (masked, replaced) = if http_message::is_http_message(&content_type) {
        mask_http_message(content, content_offset, today, limits, depth)?
    } else if headers.filename.is_none() && media_type::body_format(Some(&content_type)).is_text() {
        // A form field, scanned as one value under the part's name.
        let name = headers.name.as_deref().unwrap_or_default();
        match redact_field(Some(name), content, today, &no_encoding) {
            Some(masked) => (masked, 1),
            None => (Vec::new(), 0),
        }
    } else {
        mask_body(Some(&content_type), content, today, limits, depth + 1)?
    };
    if replaced > 0 {
        edits.push(content_offset, content_offset + content.len(), masked);
        count += replaced;
    }
    Ok(count)
}

/// Masks an HTTP message: the start line as a path, every header value, and
/// the body by its `Content-Type`.
/// A `Content-Length` is rewritten to the masked body's length. A body
/// under a `Content-Encoding` keeps its bytes.
fn mask_http_message(
    content: &[u8],
    offset: usize,
    today: Option<NaiveDate>,
    limits: &Limits,
    depth: usize,
) -> Result<(Vec<u8>, usize), MaskError> {
    let message = http_message::parse(content, offset)?;
    let mut edits = Edits::default();
    let mut count = 0;
    let (start, end) = message.start_line;
    if let Some(masked) = redact_field(None, &content[start..end], today, &percent_encode) {
        edits.push(start, end, masked);
        count += 1;
    }
    let (block_start, block_end) = message.header_block;
    let block = &content[block_start..block_end];
    count += mask_header_values(block, block_start, &|_| false, today, &mut edits);
    let (body_start, body_end) = message.body;
    if message.content_encoding.is_none() {
        let body = &content[body_start..body_end];
        let (masked, replaced) = mask_body(
            message.content_type.as_deref(),
            body,
            today,
            limits,
            depth + 1,
        )?;
        if replaced > 0 {
            for (name, value_start, value_end) in header_values(block, block_start) {
                if name.eq_ignore_ascii_case(b"content-length") {
                    edits.push(
                        value_start,
                        value_end,
                        masked.len().to_string().into_bytes(),
                    );
                }
            }
            edits.push(body_start, body_end, masked);
            count += replaced;
        }
    }
    Ok((edits.apply(content), count))
}

/// Masks the value of each header of `block`, which starts at `start`,
/// keyed by its name, unless `skip` returns true for the name. A folded
/// line is masked as free text.
fn mask_header_values(
    block: &[u8],
    start: usize,
    skip: &dyn Fn(&str) -> bool,
    today: Option<NaiveDate>,
    edits: &mut Edits,
) -> usize {
    let mut count = 0;
    for (name, value_start, value_end) in header_values(block, start) {
        let name_text = String::from_utf8_lossy(name);
        if skip(&name_text) {
            continue;
        }
        let key = (!name.is_empty()).then_some(name);
        let value = &block[value_start - start..value_end - start];
        if let Some(masked) = redact_field(key, value, today, &no_encoding) {
            edits.push(value_start, value_end, masked);
            count += 1;
        }
    }
    count
}

/// Returns the name and the trimmed value range of each line of a header
/// block that starts at `start`. A folded line (one that starts with a
/// space or tab) and a line without a colon have an empty name, and the
/// whole line is the value.
fn header_values(block: &[u8], start: usize) -> Vec<(&[u8], usize, usize)> {
    let mut values = Vec::new();
    let mut line_start = 0;
    for line in block.split(|&byte| byte == b'\n') {
        let line_offset = line_start;
        line_start += line.len() + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let (name, value_offset) = if line.starts_with(b" ") || line.starts_with(b"\t") {
            (&line[..0], 0)
        } else {
            match memchr::memchr(b':', line) {
                Some(colon) => (line[..colon].trim_ascii(), colon + 1),
                None => (&line[..0], 0),
            }
        };
        let value = &line[value_offset..];
        let leading = value.len() - value.trim_ascii_start().len();
        let value_start = start + line_offset + value_offset + leading;
        let value_end = value_start + value.trim_ascii().len();
        if value_end > value_start {
            values.push((name, value_start, value_end));
        }
    }
    values
}
