//! Masked copies of requests, for destinations that may receive only
//! de-identified data.
//!
//! A masked copy keeps the request's shape, so the destination can still
//! parse it: a JSON document stays the same document with masked strings in
//! place of detected values, a CSV file keeps its columns, an XML document
//! its elements. Every value is judged with its key, as the inspector
//! judges it, and replaced by the mask that report samples show. The body
//! loses its content coding, because the gateway sends the copy as plain
//! bytes with a new length.
//!
//! Masking is checked, not trusted: the copy is inspected again, and a copy
//! in which anything is still found is an error, never a transfer. That
//! covers values the rewriting cannot reach, such as an address inside a
//! base64 field. Bodies in charsets other than UTF-8 are not rewritten at
//! all, because a copy that changes their encoding could not be checked the
//! same way. A multipart body keeps its framing and has each part masked
//! by its own type ([`multipart`]).

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use quick_xml::events::{BytesStart, Event};

use crate::decode::csv_records::Records;
use crate::decode::headers::is_framing_header;
use crate::decode::media_type::{self, BodyFormat};
use crate::decode::xml_path::XmlPath;
use crate::decode::xml_structure::{self, entity_error, invalid, position};
use crate::decode::{
    body, charset, content_encoding, delimited, edifact, graphql, json, percent, xml, xml_text,
};
use crate::mask::redact_field;
use crate::segment::{REQUEST_RECORD, RecordId, Role, Segment, SegmentSink};
use crate::{Category, InspectError, Inspector, Request};

/// A request with every detected value replaced by its mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedRequest {
    /// The path as sent, with masks percent-encoded in place of values.
    pub path: String,
    /// The query string without `?`, masked like the path.
    pub query: Option<String>,
    /// Every header of [`Request::headers`], in order, with masked values.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body without content coding, in its own format, as UTF-8.
    pub body: Vec<u8>,
    /// The number of values that were replaced.
    pub masked_values: usize,
}

/// The reason a masked copy of a request could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaskError {
    /// The request could not be decoded, so it could not be rewritten.
    Inspect(InspectError),
    /// The body's format is one that masking does not rewrite.
    UnsupportedFormat { media_type: String },
    /// The body is not UTF-8 text.
    NotUtf8 { media_type: String },
    /// The masked copy was inspected again and still contains personal data.
    Residual { categories: Vec<Category> },
}

impl fmt::Display for MaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MaskError::Inspect(error) => write!(f, "the body cannot be masked: {error}"),
            MaskError::UnsupportedFormat { media_type } => write!(
                f,
                "a {media_type} body cannot be masked; only JSON, CSV, XML, form and text \
                 bodies can, so send the data in one of those formats"
            ),
            MaskError::NotUtf8 { media_type } => write!(
                f,
                "the {media_type} body is not UTF-8, and only UTF-8 bodies can be masked; \
                 send it as UTF-8"
            ),
            MaskError::Residual { categories } => {
                let names: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
                write!(
                    f,
                    "the masked copy still contains personal data ({}), for example in an \
                     encoded value that masking cannot rewrite",
                    names.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for MaskError {}

impl From<InspectError> for MaskError {
    fn from(error: InspectError) -> Self {
        MaskError::Inspect(error)
    }
}

impl Inspector {
    /// Returns a copy of `request` with every detected value masked, after
    /// checking that an inspection of the copy finds no personal data.
    ///
    /// The path, the query and header values are masked as free text with
    /// masks percent-encoded; the body by its format (see the module
    /// documentation). Dates of birth become age bands counted from
    /// `request.today`.
    pub fn mask_request(&self, request: &Request<'_>) -> Result<MaskedRequest, MaskError> {
        let today = request.today;
        let mut masked_values = 0;
        let mut count = |changed: &Option<Vec<u8>>| masked_values += usize::from(changed.is_some());

        let path = mask_path(request.path.as_bytes(), today, &percent_encode);
        count(&path);
        let query = request.query.map(|query| {
            let masked = redact_field(None, query.as_bytes(), today, &percent_encode);
            count(&masked);
            masked.map_or_else(|| query.to_owned(), lossy)
        });
        let headers = request
            .headers
            .iter()
            .map(|&(name, value)| {
                let masked = if is_framing_header(name) {
                    None
                } else {
                    redact_field(Some(name.as_bytes()), value, today, &percent_encode)
                };
                count(&masked);
                (name.to_owned(), masked.unwrap_or_else(|| value.to_vec()))
            })
            .collect();

        let body =
            content_encoding::decode_body(request.body, request.content_encoding, &self.limits)?;
        let (body, body_values) = mask_body(request.content_type, &body, today, &self.limits, 0)?;
        masked_values += body_values;

        let masked = MaskedRequest {
            path: path.map_or_else(|| request.path.to_owned(), lossy),
            query,
            headers,
            body,
            masked_values,
        };
        self.check_masked(request, &masked)?;
        Ok(masked)
    }

    /// Inspects `masked` as a new request and fails when anything is found.
    fn check_masked(&self, request: &Request<'_>, masked: &MaskedRequest) -> Result<(), MaskError> {
        let headers: Vec<(&str, &[u8])> = masked
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_slice()))
            .collect();
        let copy = Request {
            path: &masked.path,
            query: masked.query.as_deref(),
            content_type: request.content_type,
            content_encoding: None,
            headers: &headers,
            body: &masked.body,
            today: request.today,
            identity_key: None,
        };
        let report = self.inspect(&copy)?;
        if report.personal_data {
            return Err(MaskError::Residual {
                categories: report.categories().collect(),
            });
        }
        Ok(())
    }
}

fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// Masks a content-decoded body by its format and returns it with the
/// number of values replaced. `depth` counts the multipart bodies that
/// contain it.
fn mask_body(
    content_type: Option<&str>,
    body: &[u8],
    today: Option<NaiveDate>,
    limits: &crate::Limits,
    depth: usize,
) -> Result<(Vec<u8>, usize), MaskError> {
    if body.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let media_type = || {
        let essence = content_type.map(media_type::essence).unwrap_or_default();
        if essence.is_empty() {
            "untyped".to_owned()
        } else {
            essence
        }
    };
    let format = body::declared_format(content_type, body);
    if format == BodyFormat::Multipart {
        let content_type = content_type.unwrap_or_default();
        return multipart::mask_multipart(content_type, body, today, limits, depth);
    }
    if format == BodyFormat::Form
        && charset::form_encoding(content_type, body)?
            .is_some_and(|encoding| encoding != encoding_rs::UTF_8)
    {
        return Err(MaskError::NotUtf8 {
            media_type: media_type(),
        });
    }
    let text = match charset::to_utf8(
        body,
        content_type,
        format == BodyFormat::Xml,
        limits.max_decoded_bytes,
    )? {
        Cow::Borrowed(text) if std::str::from_utf8(text).is_ok() => text,
        _ => {
            return Err(MaskError::NotUtf8 {
                media_type: media_type(),
            });
        }
    };
    let format = body::sniffed(format, text, limits.max_nesting_depth);
    let mut edits = Edits::default();
    match format {
        BodyFormat::Json => {
            let mut sink = JsonMasker {
                today,
                edits: &mut edits,
                span: (0, 0),
            };
            json::scan_json(text, limits.max_nesting_depth, &mut sink)?;
        }
        BodyFormat::Xml => mask_xml(text, today, &mut edits)?,
        BodyFormat::Csv { tab } => return Ok(mask_csv(text, tab, today)),
        BodyFormat::Form => {
            if let Some(masked) = redact_field(None, text, today, &percent_encode) {
                return Ok((masked, 1));
            }
        }
        BodyFormat::Text if edifact::is_edifact(content_type, text) => {
            mask_edifact(text, today, &mut edits);
        }
        BodyFormat::Text if let Some(literals) = graphql::document_literals(content_type, text) => {
            mask_graphql(text, &literals, today, &mut edits);
        }
        BodyFormat::Text | BodyFormat::Multipart => {
            if let Some(masked) = redact_field(None, text, today, &|mask| Cow::Borrowed(mask)) {
                return Ok((masked, 1));
            }
        }
    }
    let count = edits.replacements.len();
    Ok((edits.apply(text), count))
}

/// Masks each component of an EDIFACT interchange with the key the
/// inspector gives it, with release characters before the separators of
/// the mask, so the interchange keeps its segments and elements.
fn mask_edifact(text: &[u8], today: Option<NaiveDate>, edits: &mut Edits) {
    let release = edifact::release_character(text);
    edifact::for_each_component(text, |event| {
        let edifact::Event::Component(component) = event else {
            return;
        };
        let value = edifact::unescaped(&text[component.start..component.end], release);
        if let Some(masked) = redact_field(component.key, &value, today, &no_encoding) {
            edits.push(
                component.start,
                component.end,
                edifact::escaped(text, &masked),
            );
        }
    });
}

/// Replacements of byte ranges of a body, in ascending order.
#[derive(Debug, Default)]
struct Edits {
    replacements: Vec<(usize, usize, Vec<u8>)>,
}

impl Edits {
    fn push(&mut self, start: usize, end: usize, replacement: Vec<u8>) {
        self.replacements.push((start, end, replacement));
    }

    fn apply(mut self, text: &[u8]) -> Vec<u8> {
        self.replacements.sort_by_key(|&(start, _, _)| start);
        let mut out = Vec::with_capacity(text.len());
        let mut copied = 0;
        for (start, end, replacement) in &self.replacements {
            if *start < copied {
                continue;
            }
            out.extend_from_slice(&text[copied..*start]);
            out.extend_from_slice(replacement);
            copied = *end;
        }
        out.extend_from_slice(&text[copied..]);
        out
    }
}

/// Receives the JSON tokenizer's keys and values with the byte range each
/// was read from, and replaces the range of every value that changes.
struct JsonMasker<'e> {
    today: Option<NaiveDate>,
    edits: &'e mut Edits,
    /// The raw range of the key or value that the next segment decodes.
    span: (usize, usize),
}

impl SegmentSink for JsonMasker<'_> {
    fn begin_record(&mut self) -> RecordId {
        REQUEST_RECORD
    }

    fn raw_span(&mut self, start: usize, end: usize) {
        self.span = (start, end);
    }

    fn segment(&mut self, segment: &Segment<'_>) {
        // A value that is a GraphQL document is masked literal by literal,
        // as the inspector reads it.
        let (key, literals) = match segment.role {
            Role::Name => (None, None),
            Role::Value => (segment.key, graphql::value_literals(segment.text)),
        };
        let masked = match literals {
            Some(literals) => {
                let mut edits = Edits::default();
                mask_graphql(segment.text, &literals, self.today, &mut edits);
                (!edits.replacements.is_empty()).then(|| edits.apply(segment.text))
            }
            None => redact_field(key, segment.text, self.today, &|mask| Cow::Borrowed(mask)),
        };
        if let Some(masked) = masked {
            let (start, end) = self.span;
            self.edits.push(start, end, json_string(&masked));
        }
    }
}

/// Masks each literal of the GraphQL document `text` under its argument's
/// name, as the inspector judges it. A masked string or number becomes a
/// string literal, and a masked comment stays a comment.
fn mask_graphql(
    text: &[u8],
    literals: &[graphql::Literal],
    today: Option<NaiveDate>,
    edits: &mut Edits,
) {
    let mut scratch = Vec::new();
    for literal in literals {
        let key = literal.key.map(|(start, end)| &text[start..end]);
        let value = literal.value(text, &mut scratch);
        let Some(masked) = redact_field(key, value, today, &no_encoding) else {
            continue;
        };
        let replacement = match literal.kind {
            graphql::LiteralKind::Comment => {
                let mut comment = b"#".to_vec();
                comment.extend(masked.iter().map(|&byte| match byte {
                    b'\r' | b'\n' => b' ',
                    _ => byte,
                }));
                comment
            }
            _ => json_string(&masked),
        };
        let (start, end) = literal.span;
        edits.push(start, end, replacement);
    }
}

/// Writes `text` as a JSON string literal, which is also a GraphQL one.
fn json_string(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b'"');
    for &byte in text {
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0..=0x1f => out.extend_from_slice(format!("\\u{byte:04x}").as_bytes()),
            _ => out.push(byte),
        }
    }
    out.push(b'"');
    out
}

/// Rewrites a CSV or TSV body cell by cell: each cell is masked with its
/// column header as key and written back, quoted when it needs to be. The
/// header row and unchanged cells keep their text; empty lines are dropped,
/// as the parser skips them.
fn mask_csv(text: &[u8], tab: bool, today: Option<NaiveDate>) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(text.len());
    let (delimiter, text) = match delimited::separator_line(text) {
        Some((delimiter, rest)) if !tab => {
            // The `sep=` line names no data and is kept as sent.
            out.extend_from_slice(&text[..text.len() - rest.len()]);
            (delimiter, rest)
        }
        _ if tab => (b'\t', text),
        _ => (delimited::sniff_delimiter(text), text),
    };
    // Title and comment lines before the header are masked as text and
    // kept, so the header is found where the inspector finds it.
    let (preamble_bytes, _) = delimited::preamble(text, delimiter);
    let (preamble, text) = text.split_at(preamble_bytes);
    let mut count = 0;
    match redact_field(None, preamble, today, &|mask| Cow::Borrowed(mask)) {
        Some(masked) => {
            out.extend_from_slice(&masked);
            count += 1;
        }
        None => out.extend_from_slice(preamble),
    }
    let terminator: &[u8] = if memchr::memmem::find(text, b"\r\n").is_some() {
        b"\r\n"
    } else {
        b"\n"
    };
    let mut records = Records::new(text, delimiter);
    let mut header: Option<Vec<Vec<u8>>> = None;
    let mut first = true;
    while let Some(record) = records.next_record() {
        let cells: Vec<&[u8]> = record.iter().collect();
        if first {
            first = false;
            if delimited::looks_like_header(cells.iter().copied()) {
                header = Some(cells.iter().map(|cell| cell.to_vec()).collect());
                write_row(
                    &mut out,
                    cells.iter().map(|&cell| Cow::Borrowed(cell)),
                    delimiter,
                );
                out.extend_from_slice(terminator);
                continue;
            }
        }
        let masked = cells.iter().enumerate().map(|(index, &cell)| {
            let key = header
                .as_ref()
                .and_then(|names| names.get(index))
                .map(Vec::as_slice);
            match redact_field(key, cell, today, &|mask| Cow::Borrowed(mask)) {
                Some(masked) => {
                    count += 1;
                    Cow::Owned(masked)
                }
                None => Cow::Borrowed(cell),
            }
        });
        let masked: Vec<Cow<'_, [u8]>> = masked.collect();
        write_row(&mut out, masked.into_iter(), delimiter);
        out.extend_from_slice(terminator);
    }
    (out, count)
}

fn write_row<'c>(out: &mut Vec<u8>, cells: impl Iterator<Item = Cow<'c, [u8]>>, delimiter: u8) {
    for (index, cell) in cells.enumerate() {
        if index > 0 {
            out.push(delimiter);
        }
        let quoted = cell.first() == Some(&b' ')
            || cell
                .iter()
                .any(|&byte| matches!(byte, b'"' | b'\r' | b'\n') || byte == delimiter);
        if quoted {
            out.push(b'"');
            for &byte in cell.iter() {
                if byte == b'"' {
                    out.push(b'"');
                }
                out.push(byte);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(&cell);
        }
    }
}

/// Rewrites an XML body. The text of each element (text, character
/// references and CDATA together) and each attribute value is masked with
/// the key the inspector gives it ([`XmlPath::key`],
/// [`XmlPath::attribute_key`]). Markup in which nothing is found keeps its
/// bytes.
fn mask_xml(text: &[u8], today: Option<NaiveDate>, edits: &mut Edits) -> Result<(), MaskError> {
    let mut reader = xml_structure::reader(text);
    let mut path = XmlPath::default();
    let mut run: Option<(usize, Vec<u8>)> = None;
    loop {
        let offset = position(&reader);
        let event = reader
            .read_event()
            .map_err(|error| invalid(&reader, &error))?;
        let end = position(&reader);
        match event {
            Event::Text(piece) => run_text(&mut run, offset).extend_from_slice(&piece),
            Event::CData(piece) => run_text(&mut run, offset).extend_from_slice(&piece),
            Event::GeneralRef(reference) => match xml_text::resolve(&reference) {
                Some(c) => xml_text::push_char(run_text(&mut run, offset), c),
                None => return Err(entity_error(offset, &reference).into()),
            },
            // Text continues across a comment or processing instruction, as
            // in the inspector; a masked run replaces the comment with it.
            Event::Comment(comment) => {
                if let Some(masked) = redact_field(None, &comment, today, &no_encoding) {
                    let mut replacement = b"<!--".to_vec();
                    replacement.extend_from_slice(&masked);
                    replacement.extend_from_slice(b"-->");
                    edits.push(offset, end, replacement);
                }
            }
            Event::PI(_) => {}
            other => {
                if let Some((start, decoded)) = run.take() {
                    mask_text_run(&mut path, start, offset, &decoded, today, edits);
                }
                match other {
                    Event::Start(start) => {
                        path.push(start.local_name().as_ref(), None);
                        let span = TagSpan {
                            offset,
                            end,
                            empty: false,
                            has_text: xml::text_follows(text, end),
                        };
                        mask_attributes(&start, &mut path, span, today, edits)?;
                    }
                    Event::Empty(start) => {
                        path.push(start.local_name().as_ref(), None);
                        let span = TagSpan {
                            offset,
                            end,
                            empty: true,
                            has_text: false,
                        };
                        mask_attributes(&start, &mut path, span, today, edits)?;
                        path.pop();
                    }
                    Event::End(_) => path.pop(),
                    Event::Eof => return Ok(()),
                    _ => {}
                }
            }
        }
    }
}

/// Masks the text run `start..end` of the innermost element. The text of
/// an XML-RPC `<name>` labels its parent, as in the inspector, and only
/// its patterns are masked.
fn mask_text_run(
    path: &mut XmlPath,
    start: usize,
    end: usize,
    decoded: &[u8],
    today: Option<NaiveDate>,
    edits: &mut Edits,
) {
    let trimmed = decoded.trim_ascii();
    let label = xml::is_label_text(path, trimmed);
    let key = if label { None } else { path.key() };
    if let Some(masked) = redact_field(key, decoded, today, &no_encoding) {
        edits.push(start, end, xml_escape(&masked));
    }
    if label {
        path.label_parent(trimmed);
    }
}

fn no_encoding(mask: &str) -> Cow<'_, str> {
    Cow::Borrowed(mask)
}

fn run_text(run: &mut Option<(usize, Vec<u8>)>, offset: usize) -> &mut Vec<u8> {
    &mut run.get_or_insert_with(|| (offset, Vec::new())).1
}

/// A start or empty tag at `offset..end` of an XML body.
#[derive(Debug, Clone, Copy)]
struct TagSpan {
    offset: usize,
    end: usize,
    empty: bool,
    /// Whether text follows the tag directly (see [`xml::text_follows`]).
    has_text: bool,
}

/// Labels the element that `path` has just opened, as the inspector does,
/// and rewrites its tag when one of its attribute values changes. A label
/// that names a field has only its patterns masked, as the inspector scans
/// it as a name.
fn mask_attributes(
    start: &BytesStart<'_>,
    path: &mut XmlPath,
    span: TagSpan,
    today: Option<NaiveDate>,
    edits: &mut Edits,
) -> Result<(), MaskError> {
    let offset = span.offset;
    let has_wrapper = xml::label_element(path, start, offset)?;
    let mut changed = false;
    let mut tag = b"<".to_vec();
    tag.extend_from_slice(start.name().as_ref());
    // The inspection of the masked copy rejects repeated attributes.
    for attribute in start.attributes().with_checks(false) {
        let attribute = xml::checked(attribute, offset)?;
        let value = xml::unescaped_value(&attribute, offset)?;
        let name = attribute.key.local_name().into_inner();
        let key = if xml::labels_field(name, &value, has_wrapper || span.has_text) {
            None
        } else {
            Some(path.attribute_key(name))
        };
        let masked = redact_field(key, &value, today, &no_encoding);
        changed |= masked.is_some();
        tag.push(b' ');
        tag.extend_from_slice(attribute.key.as_ref());
        tag.extend_from_slice(b"=\"");
        tag.extend_from_slice(&xml_escape(masked.as_deref().unwrap_or(&value)));
        tag.push(b'"');
    }
    if !changed {
        return Ok(());
    }
    tag.extend_from_slice(if span.empty { b"/>" } else { b">" });
    edits.push(offset, span.end, tag);
    Ok(())
}

fn xml_escape(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for &byte in text {
        match byte {
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'&' => out.extend_from_slice(b"&amp;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            _ => out.push(byte),
        }
    }
    out
}

/// Masks each `/`-separated segment of `path` as free text keyed by the
/// decoded segment before it, as the inspector reads the path
/// ([`crate::decode::path`]), with each mask passed through `encode`.
/// Returns `None` when nothing was masked.
pub(crate) fn mask_path(
    path: &[u8],
    today: Option<NaiveDate>,
    encode: &dyn Fn(&str) -> Cow<'_, str>,
) -> Option<Vec<u8>> {
    let mut masked = Vec::with_capacity(path.len());
    let mut changed = false;
    let mut key_buffer = Vec::new();
    let mut previous: &[u8] = b"";
    for (index, segment) in path.split(|&byte| byte == b'/').enumerate() {
        if index > 0 {
            masked.push(b'/');
        }
        let key = (!previous.is_empty())
            .then(|| percent::decode(previous, false, &mut key_buffer).to_vec());
        match redact_field(key.as_deref(), segment, today, encode) {
            Some(redacted) => {
                masked.extend_from_slice(&redacted);
                changed = true;
            }
            None => masked.extend_from_slice(segment),
        }
        previous = segment;
    }
    changed.then_some(masked)
}

/// Percent-encodes a mask for a path, query or header: everything but
/// unreserved characters and `*` (RFC 3986 section 2.3).
fn percent_encode(mask: &str) -> Cow<'_, str> {
    let keep =
        |byte: u8| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'*');
    if mask.bytes().all(keep) {
        return Cow::Borrowed(mask);
    }
    let mut out = String::with_capacity(mask.len() * 3);
    for byte in mask.bytes() {
        if keep(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Cow::Owned(out)
}

#[path = "masking_multipart.rs"]
mod multipart;

#[cfg(test)]
#[path = "masking_tests.rs"]
mod tests;
