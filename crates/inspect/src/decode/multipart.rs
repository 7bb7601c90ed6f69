//! Multipart bodies (`multipart/form-data`, `multipart/mixed` and every
//! other `multipart/*`, RFC 2046 §5.1 and RFC 7578).
//!
//! Parts are split at their boundary here, without a crate, since the body
//! is already in memory. Each part is decoded by its own headers:
//! `Content-Transfer-Encoding`, then `Content-Encoding`, then its
//! `Content-Type` (default `text/plain`), so a CSV, JSON or XML upload is
//! decoded as such and a nested multipart recurses. A part without a file
//! name and of plain text type is a form field: one value keyed by its
//! name. A part of unknown type whose file name ends in `.csv`, `.tsv`,
//! `.json` or `.xml` is decoded by the extension. The part's name is
//! scanned as a field name, because a client can send a value as the name.
//!
//! Locations: `multipart:<name>` for a field, `multipart:<name>(<file>)`
//! followed by the location inside a file (`line 3`, `$.email`,
//! `csv:email row 2`). The preamble and epilogue, which servers ignore but
//! which still travel, are scanned as text under the name `preamble` and
//! `epilogue`.
//!
//! A part of type `application/http` or `message/http`, as in an OData
//! `$batch`, contains an HTTP message whose body is decoded by the message's
//! own headers ([`http_message`]).

use std::borrow::Cow;

use memchr::memmem;

use crate::InspectError;
use crate::decode::body::{BodyContext, scan_body};
use crate::decode::multipart_headers::each_header;
use crate::decode::multipart_headers::{PartHeaders, for_each_other_header, parse_part_headers};
use crate::decode::{
    charset, content_encoding, http_message, media_type, percent, text, transfer_encoding,
};
use crate::segment::{Location, PartName, RecordId, Role, Segment, SegmentSink};

/// Maximum boundary length that RFC 2046 §5.1.1 allows.
const MAX_BOUNDARY_CHARS: usize = 70;

/// Scans the multipart `body` whose `Content-Type` is `content_type`.
pub(crate) fn scan_multipart(
    body: &[u8],
    content_type: &str,
    context: &BodyContext<'_>,
    sink: &mut dyn SegmentSink,
) -> Result<(), InspectError> {
    if context.multipart_depth >= context.limits.max_multipart_depth {
        return Err(InspectError::MultipartTooDeep {
            limit: context.limits.max_multipart_depth,
        });
    }
    let boundary = boundary(content_type)?;
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary.as_bytes());
    let inner = BodyContext {
        limits: context.limits,
        multipart_depth: context.multipart_depth + 1,
    };
    let mut splitter = Splitter::new(body, &delimiter)?;
    scan_extra(splitter.preamble(), b"preamble", sink);
    let mut parts = 0;
    while let Some((offset, part)) = splitter.next_part()? {
        parts += 1;
        if parts > context.limits.max_multipart_parts {
            return Err(InspectError::TooManyParts {
                limit: context.limits.max_multipart_parts,
            });
        }
        scan_part(part, offset, &inner, sink)?;
    }
    scan_extra(splitter.epilogue(), b"epilogue", sink);
    Ok(())
}

/// Returns the `boundary` parameter, checked against RFC 2046 §5.1.1.
pub(crate) fn boundary(content_type: &str) -> Result<String, InspectError> {
    let error = |message: &str| InspectError::MultipartBoundary {
        message: message.to_owned(),
    };
    let boundary = media_type::parameters(content_type)
        .find(|(name, _)| name == "boundary")
        .map(|(_, value)| value.into_owned())
        .ok_or_else(|| error("the content-type has no boundary parameter"))?;
    if boundary.is_empty() || boundary.len() > MAX_BOUNDARY_CHARS {
        return Err(error("a boundary has 1 to 70 characters"));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c);
    if !boundary.chars().all(allowed) || boundary.ends_with(' ') {
        return Err(error(
            "a boundary has letters, digits and '()+_,-./:=? only, and does not end in a space",
        ));
    }
    Ok(boundary)
}

/// Finds the delimiter lines of a multipart body.
pub(crate) struct Splitter<'b> {
    body: &'b [u8],
    finder: memmem::Finder<'b>,
    delimiter_length: usize,
    /// Offset of the first delimiter.
    first: usize,
    /// Offset of the next part's content, after a delimiter line.
    next: Option<usize>,
    /// Offset of the epilogue, once the closing delimiter is found.
    end: Option<usize>,
}

impl<'b> Splitter<'b> {
    pub(crate) fn new(body: &'b [u8], delimiter: &'b [u8]) -> Result<Self, InspectError> {
        let finder = memmem::Finder::new(delimiter);
        let first = find_delimiter(&finder, body, 0)?.ok_or(InspectError::InvalidMultipart {
            offset: 0,
            message: "the boundary never occurs in the body".to_owned(),
        })?;
        let mut splitter = Splitter {
            body,
            finder,
            delimiter_length: delimiter.len(),
            first,
            next: None,
            end: None,
        };
        splitter.after_delimiter(first)?;
        Ok(splitter)
    }

    pub(crate) fn preamble(&self) -> &'b [u8] {
        &self.body[..self.first]
    }

    pub(crate) fn epilogue(&self) -> &'b [u8] {
        self.end.map_or(&[][..], |end| &self.body[end..])
    }

    /// Reads what follows the delimiter at `at`: `--` closes the body, else
    /// optional spaces and a line break start the next part.
    fn after_delimiter(&mut self, at: usize) -> Result<(), InspectError> {
        let after = at + self.delimiter_length;
        let rest = &self.body[after..];
        if rest.starts_with(b"--") {
            // The epilogue starts on the line after the closing delimiter.
            let line = memchr::memchr(b'\n', rest).map_or(rest.len(), |at| at + 1);
            let (closing_line, _) = rest.split_at(line);
            // Python's `email` package reads on past a closing line with
            // text after it, so parts there would reach such a server.
            if !closing_line[2..].trim_ascii().is_empty() {
                return Err(InspectError::InvalidMultipart {
                    offset: after + 2,
                    message: "text follows the closing delimiter on its line".to_owned(),
                });
            }
            let end = after + line;
            if find_delimiter(&self.finder, self.body, end)?.is_some() {
                return Err(InspectError::InvalidMultipart {
                    offset: end,
                    message: "a delimiter follows the closing delimiter".to_owned(),
                });
            }
            self.next = None;
            self.end = Some(end);
            return Ok(());
        }
        let padding = rest
            .iter()
            .take_while(|&&byte| byte == b' ' || byte == b'\t')
            .count();
        let line_break = match &rest[padding..] {
            [b'\r', b'\n', ..] => 2,
            [b'\n', ..] => 1,
            _ => {
                return Err(InspectError::InvalidMultipart {
                    offset: after + padding,
                    message: "a delimiter line must end after the boundary".to_owned(),
                });
            }
        };
        self.next = Some(after + padding + line_break);
        Ok(())
    }

    /// Returns the next part with its offset, or `None` after the closing
    /// delimiter. A body that ends without one is an error: it was cut
    /// short, and its last part may be incomplete.
    pub(crate) fn next_part(&mut self) -> Result<Option<(usize, &'b [u8])>, InspectError> {
        let Some(start) = self.next else {
            return Ok(None);
        };
        let Some(at) = find_delimiter(&self.finder, self.body, start)? else {
            return Err(InspectError::InvalidMultipart {
                offset: self.body.len(),
                message: "the body ends without a closing delimiter".to_owned(),
            });
        };
        // The line break before a delimiter belongs to the delimiter.
        let mut end = at;
        if end > start && self.body[end - 1] == b'\n' {
            end -= 1;
            if end > start && self.body[end - 1] == b'\r' {
                end -= 1;
            }
        }
        self.after_delimiter(at)?;
        Ok(Some((start, &self.body[start..end.max(start)])))
    }
}

/// Returns the offset of the first delimiter at or after `from` that starts
/// a line. A delimiter after a bare carriage return is an error: Werkzeug
/// takes it for a line start and reads a part there, which the rule of
/// RFC 2046 (a delimiter after CRLF) would leave inside the part before.
fn find_delimiter(
    finder: &memmem::Finder<'_>,
    body: &[u8],
    from: usize,
) -> Result<Option<usize>, InspectError> {
    let mut search = from;
    loop {
        let Some(found) = finder.find(&body[search..]) else {
            return Ok(None);
        };
        let at = search + found;
        match at.checked_sub(1).map(|before| body[before]) {
            None | Some(b'\n') => return Ok(Some(at)),
            Some(b'\r') => {
                return Err(InspectError::InvalidMultipart {
                    offset: at,
                    message: "a boundary follows a carriage return without a line feed; \
                              end every line with CRLF"
                        .to_owned(),
                });
            }
            Some(_) => search = at + 1,
        }
    }
}

/// Scans the preamble or epilogue as text unless it is blank.
fn scan_extra(extra: &[u8], name: &[u8], sink: &mut dyn SegmentSink) {
    if extra.trim_ascii().is_empty() {
        return;
    }
    let part = PartName {
        name,
        filename: None,
    };
    text::scan_text(extra, &mut PartSink { sink, part: &part });
}

/// Decodes one part and scans it.
fn scan_part(
    part: &[u8],
    offset: usize,
    context: &BodyContext<'_>,
    sink: &mut dyn SegmentSink,
) -> Result<(), InspectError> {
    let (headers, content_offset) = parse_part_headers(part, offset)?;
    let (block, content) = part.split_at(content_offset - offset);
    let content = transfer_encoding::decode(
        content,
        headers.transfer_encoding.as_deref(),
        content_offset,
    )?;
    let content = match headers.content_encoding.as_deref() {
        Some(coding) => Cow::Owned(
            content_encoding::decode_body(&content, Some(coding), context.limits)?.into_owned(),
        ),
        None => content,
    };
    let name = PartName {
        name: headers.name.as_deref().unwrap_or_default(),
        filename: headers.filename.as_deref(),
    };
    scan_header_values(block, &name, sink);
    let content_type = effective_type(&headers);
    if http_message::is_http_message(&content_type) {
        return scan_http_message(&content, content_offset, &name, context, sink);
    }
    if name.filename.is_none() && media_type::body_format(Some(&content_type)).is_text() {
        return scan_field(&content, &content_type, &name, context, sink);
    }
    scan_body(
        Some(&content_type),
        &content,
        context,
        &mut PartSink { sink, part: &name },
    )
}

/// Returns the part's `Content-Type`, or one chosen by the file name's
/// extension when the declared type is generic.
pub(crate) fn effective_type(headers: &PartHeaders) -> String {
    let declared = headers.content_type.as_deref().unwrap_or("text/plain");
    let essence = media_type::essence(declared);
    let generic = [
        "text/plain",
        "application/octet-stream",
        "application/vnd.ms-excel",
    ];
    let extension = headers
        .filename
        .as_deref()
        .and_then(|filename| filename.rsplit(|&byte| byte == b'.').next())
        .map(<[u8]>::to_ascii_lowercase);
    let by_extension = match extension.as_deref() {
        Some(b"csv") => Some("text/csv"),
        Some(b"tsv") => Some("text/tab-separated-values"),
        Some(b"json") => Some("application/json"),
        Some(b"xml") => Some("application/xml"),
        _ => None,
    };
    match by_extension {
        Some(media_type) if generic.contains(&essence.as_str()) => {
            // Keep the declared parameters, the charset above all.
            let parameters = declared.find(';').map_or("", |at| &declared[at..]);
            format!("{media_type}{parameters}")
        }
        _ => declared.to_owned(),
    }
}

/// Scans the name of a part as a field name, and its file name and the
/// values of its headers other than the four that decoding reads, each
/// keyed by its header's name: they reach the destination with the part.
/// `Content-ID` is skipped, because its value is a message identifier in
/// the form of an address (`<root.message@cxf.apache.org>`, RFC 2392)
/// that the sender generates.
fn scan_header_values(block: &[u8], part: &PartName<'_>, sink: &mut dyn SegmentSink) {
    if !part.name.is_empty() {
        sink.segment(&Segment {
            text: part.name,
            key: None,
            location: Location::Part { part, inner: None },
            record: crate::segment::REQUEST_RECORD,
            role: Role::Name,
        });
    }
    let mut emit = |key: &[u8], text: &[u8]| {
        sink.segment(&Segment {
            text,
            key: Some(key),
            location: Location::Part { part, inner: None },
            record: crate::segment::REQUEST_RECORD,
            role: Role::Value,
        });
    };
    if let Some(filename) = part.filename {
        emit(b"filename", filename);
    }
    for_each_other_header(block, |name, value| {
        if !name.eq_ignore_ascii_case("content-id") {
            emit(name.as_bytes(), value.as_bytes());
        }
    });
}

/// Scans a part that contains an HTTP message. The start line is one
/// value, percent-decoded as the path is. Each header value is keyed by its
/// name, and the body is decoded by its own `Content-Type` and
/// `Content-Encoding` within the limits of a part. Every header travels to the destination inside the
/// part, so framing headers are scanned too, and so is a line without a
/// colon, as a value without a key.
fn scan_http_message(
    content: &[u8],
    offset: usize,
    part: &PartName<'_>,
    context: &BodyContext<'_>,
    sink: &mut dyn SegmentSink,
) -> Result<(), InspectError> {
    let message = http_message::parse(content, offset)?;
    let mut emit = |key: Option<&[u8]>, text: &[u8]| {
        sink.segment(&Segment {
            text,
            key,
            location: Location::Part { part, inner: None },
            record: crate::segment::REQUEST_RECORD,
            role: Role::Value,
        });
    };

    let (start, end) = message.start_line;
    let mut buffer = Vec::new();
    emit(
        None,
        percent::decode(&content[start..end], false, &mut buffer),
    );
    let (start, end) = message.header_block;

    let block = &content[start..end];
    each_header(block, |name, value| {
        emit(Some(name.trim().as_bytes()), value.trim().as_bytes());
    });
    let colonless = block.split(|&byte| byte == b'\n').filter(|line| {
        !line.starts_with(b" ") && !line.starts_with(b"\t") && !line.contains(&b':')
    });
    for line in colonless {
        let line = line.trim_ascii();
        if !line.is_empty() {
            emit(None, line);
        }
    }

    let body = &content[message.body.0..message.body.1];
    let body = match message.content_encoding.as_deref() {
        Some(coding) => content_encoding::decode_body(body, Some(coding), context.limits)?,
        None => Cow::Borrowed(body),
    };
    scan_body(
        message.content_type.as_deref(),
        &body,
        context,
        &mut PartSink { sink, part },
    )
}

/// Scans a form field: one value, keyed by the part's name.
fn scan_field(
    content: &[u8],
    content_type: &str,
    name: &PartName<'_>,
    context: &BodyContext<'_>,
    sink: &mut dyn SegmentSink,
) -> Result<(), InspectError> {
    let text = charset::to_utf8(
        content,
        Some(content_type),
        false,
        context.limits.max_decoded_bytes,
    )?;
    crate::decode::body::reject_binary(&text, 0, Some(content_type))?;
    if text.trim_ascii().is_empty() {
        return Ok(());
    }
    sink.segment(&Segment {
        text: &text,
        key: Some(name.name),
        location: Location::Part {
            part: name,
            inner: None,
        },
        record: crate::segment::REQUEST_RECORD,
        role: Role::Value,
    });
    Ok(())
}

/// Passes segments of a part on, with the part's name in front of their
/// locations.
struct PartSink<'a, 'p> {
    sink: &'a mut dyn SegmentSink,
    part: &'p PartName<'p>,
}

impl SegmentSink for PartSink<'_, '_> {
    fn begin_record(&mut self) -> RecordId {
        self.sink.begin_record()
    }

    fn segment(&mut self, segment: &Segment<'_>) {
        self.sink.segment(&Segment {
            location: Location::Part {
                part: self.part,
                inner: Some(&segment.location),
            },
            ..*segment
        });
    }
}

#[cfg(test)]
#[path = "multipart_tests.rs"]
mod tests;
