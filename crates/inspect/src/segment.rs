//! Decoded text segments, the unit that decoders produce and detectors scan.
//!
//! A decoder turns one part of a request (the path, the query, a header
//! value, a JSON string, a form value, a line of text) into a [`Segment`]
//! and hands it to a [`SegmentSink`]. The segment borrows the decoder's
//! buffers, so nothing is copied per detector, and its location is rendered
//! into a string only when a detector finds something in it.

use std::fmt::Write as _;

use crate::Category;
use crate::decode::json_path::JsonPathRef;
use crate::decode::xml_path::XmlPathRef;
use crate::detect::{self, keys::MAX_KEY_BYTES};
use crate::mask;
use crate::plain_values::PlainShape;

/// Identifier of a record: the unit whose identifiers are assumed to belong
/// to one person when subjects are counted.
pub(crate) type RecordId = u64;

/// The record for the path, the query, the headers, a form body and any part
/// of a JSON or XML document outside its records.
pub(crate) const REQUEST_RECORD: RecordId = 0;

/// One piece of decoded text with the metadata that detectors and the report
/// need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment<'s> {
    /// The decoded bytes, not necessarily valid UTF-8.
    pub text: &'s [u8],
    /// The name this value was sent under (the nearest JSON object key, a
    /// form key, a header name, a cookie name, a CSV column header, an XML
    /// element or attribute name, a multipart part name), if any.
    pub key: Option<&'s [u8]>,
    pub location: Location<'s>,
    pub record: RecordId,
    pub role: Role,
}

impl<'s> Segment<'s> {
    /// Returns the key of a member's value (see [`SegmentSink::member`])
    /// as a field name at the same location.
    pub(crate) fn member_name(&self) -> Segment<'s> {
        Segment {
            text: self.key.unwrap_or_default(),
            key: None,
            role: Role::Name,
            ..*self
        }
    }
}

/// Whether a segment is a name or a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A key, header name, cookie name or column header. Scanned, because
    /// clients do send identifiers as keys, but never decoded further.
    Name,
    /// A value or a line of text, which may itself hold an encoded payload
    /// (base64, JSON, form data, percent-escapes) that is decoded and
    /// scanned as well.
    Value,
}

/// Where a segment came from in the request.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Location<'s> {
    /// One `/`-separated segment of the request path, counted from 0.
    Path(u64),
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
    /// A literal of a GraphQL document, named by the argument, field or
    /// variable it is the value of, or empty for a comment and the names
    /// of the document.
    Argument { key: &'s [u8] },
    /// A key or value of a JSON body.
    Json(JsonPathRef<'s>),
    /// Element text, an attribute value, a comment or a processing
    /// instruction of an XML body.
    Xml(XmlPathRef<'s>),
    /// A cell or header of a CSV body. `row` counts records from 1,
    /// header included, as a spreadsheet numbers them.
    Csv { column: CsvColumn<'s>, row: u64 },
    /// Something inside one part of a multipart body; `inner` is `None`
    /// when the part is a single form value.
    Part {
        part: &'s PartName<'s>,
        inner: Option<&'s Location<'s>>,
    },
    /// Something decoded from a value at `outer`; `inner` places it within
    /// the decoded JSON or form data.
    Nested {
        outer: &'s Location<'s>,
        coding: Nesting,
        inner: Option<&'s Location<'s>>,
    },
}

/// How a CSV column is named in locations.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CsvColumn<'s> {
    Header(&'s [u8]),
    /// The column number, counted from 1, of a file without a header row.
    Number(u64),
}

/// The name and file name of a multipart part.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PartName<'s> {
    pub name: &'s [u8],
    pub filename: Option<&'s [u8]>,
}

/// An encoding found inside a value and removed before scanning again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nesting {
    Base64,
    Hex,
    Json,
    Xml,
    Csv,
    Form,
    Percent,
    /// HTML or XML character references.
    References,
    /// Compressed data inside a base64 value, by the name of its format.
    Compressed(&'static str),
    /// Lines of `label: value` text, each value keyed by its label.
    Text,
    /// A GraphQL document, each literal keyed by its argument.
    GraphQl,
}

impl Nesting {
    fn as_str(self) -> &'static str {
        match self {
            Nesting::Base64 => "base64",
            Nesting::Hex => "hex",
            Nesting::Json => "json",
            Nesting::Xml => "xml",
            Nesting::Csv => "csv",
            Nesting::Form => "form",
            Nesting::Percent => "percent",
            Nesting::References => "html",
            Nesting::Compressed(format) => format,
            Nesting::Text => "text",
            Nesting::GraphQl => "graphql",
        }
    }
}

impl Location<'_> {
    /// Renders the location as stored in reports, for example `form:email`,
    /// `header:x-user-email`, `cookie:session`, `line 3`, `path[1]`,
    /// `$.customers[3].email`, `/Document/PmtInf/CdtTrfTxInf[1]/Cdtr/Nm`,
    /// `csv:email row 3`, `multipart:upload(customers.csv) csv:email row 3`
    /// or `$.note(base64)`.
    ///
    /// Keys are sent by the client and may themselves be personal data (a JSON
    /// object keyed by e-mail address), so every detected value in a key is
    /// replaced by its mask before it is written.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) {
        // `write!` into a `String` never returns an error.
        let _ = match self {
            Location::Path(index) => write!(out, "path[{index}]"),
            Location::Query { key } => write!(out, "query:{}", masked_label(key)),
            Location::Form { key } => write!(out, "form:{}", masked_label(key)),
            Location::Header { name } => write!(out, "header:{}", masked_key(name)),
            Location::Cookie { name } => write!(out, "cookie:{}", masked_label(name)),
            Location::Line(number) => write!(out, "line {number}"),
            Location::Argument { key } => write!(out, "graphql:{}", masked_label(key)),
            Location::Json(path) => {
                out.push_str(&path.render());
                Ok(())
            }
            Location::Xml(path) => {
                path.render_into(out);
                Ok(())
            }
            Location::Csv { column, row } => match column {
                CsvColumn::Header(name) => write!(out, "csv:{} row {row}", masked_key(name)),
                CsvColumn::Number(number) => write!(out, "csv:column {number} row {row}"),
            },
            Location::Part { part, inner } => {
                let _ = write!(out, "multipart:{}", masked_label(part.name));
                if let Some(filename) = part.filename {
                    let _ = write!(out, "({})", masked_label(filename));
                }
                if let Some(inner) = inner {
                    out.push(' ');
                    inner.render_into(out);
                }
                Ok(())
            }
            Location::Nested {
                outer,
                coding,
                inner,
            } => {
                outer.render_into(out);
                render_nested(out, *coding, *inner);
                Ok(())
            }
        };
    }
}

/// Appends the suffix of a nested location: `(base64)`, `(percent)`,
/// `(json).email` or `(form:email)`.
fn render_nested(out: &mut String, coding: Nesting, inner: Option<&Location<'_>>) {
    out.push('(');
    out.push_str(coding.as_str());
    match inner {
        Some(Location::Form { key } | Location::Query { key } | Location::Argument { key }) => {
            out.push(':');
            out.push_str(&masked_label(key));
            out.push(')');
        }
        Some(Location::Json(path)) => {
            out.push(')');
            let rendered = path.render();
            out.push_str(rendered.strip_prefix('$').unwrap_or(&rendered));
        }
        Some(other) => {
            out.push_str(") ");
            other.render_into(out);
        }
        None => out.push(')'),
    }
}

/// Returns `key` as text with every detected value masked.
pub(crate) fn masked_key(key: &[u8]) -> String {
    // A key longer than any field name is data sent as a key (a whole JSON
    // document posted as form data), and names or addresses in it would
    // pass the pattern masks, so only its length is kept.
    if key.len() > MAX_KEY_BYTES {
        return format!("[key of {} bytes]", key.len());
    }
    String::from_utf8_lossy(&mask::redact(key)).into_owned()
}

/// Masks `key` like [`masked_key`], and also masks it as a person's name
/// when it has two or more words, is no known field name and has the shape
/// of a name. Clients send names as JSON keys (`{"Jane Doe": {…}}`), XML labels
/// (`<person name="Jane Doe">`) and form keys, where the pattern masks pass
/// them. One-word keys (`IBAN`, `邮箱`) have the shape of a name too often,
/// and CSV headers and HTTP header names do not take this mask, because
/// headers such as `Order Date` have the same shape.
// NOTE: a name used as a key is masked only here, in locations. It is not
// counted, and a masked copy still carries it.
pub(crate) fn masked_label(key: &[u8]) -> String {
    if key.len() <= MAX_KEY_BYTES && detect::keys::classify(key) == detect::Roles::NONE {
        // `Doe,John`, `Jane\tDoe` and `Jane\u{a0}Doe` are judged as
        // `Doe John` and `Jane Doe`.
        let words = String::from_utf8_lossy(key)
            .replace([',', '\t', '\u{a0}'], " ")
            .into_bytes();
        if words.contains(&b' ') && detect::name_shape(&words, false) == detect::NameShape::Person {
            return mask::mask_value(Category::PersonName, &words, None);
        }
    }
    masked_key(key)
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

    /// Scans a value in which [`crate::plain_values::plain_shape`] found no
    /// encoded layer. Its `shape` is what the pattern scan can still find,
    /// which depends on the roles of the value's key.
    fn plain_value(&mut self, segment: &Segment<'_>, _shape: PlainShape) {
        self.segment(segment);
    }

    /// Scans an object member whose value is a scalar under the member's
    /// own key. `value` was read from the input at `spans[1]` and carries
    /// that key. The key, read from `spans[0]`, is also scanned as a field
    /// name at the same location, as [`Segment::member_name`] returns it. A
    /// sink may look the key up once for both.
    fn member(&mut self, value: &Segment<'_>, spans: [(usize, usize); 2]) {
        self.raw_span(spans[0].0, spans[0].1);
        self.segment(&value.member_name());
        self.raw_span(spans[1].0, spans[1].1);
        self.segment(value);
    }

    /// Scans a member like [`SegmentSink::member`] whose value
    /// [`crate::plain_values::plain_shape`] classified as `shape`.
    fn plain_member(&mut self, value: &Segment<'_>, shape: PlainShape) {
        self.segment(&value.member_name());
        self.plain_value(value, shape);
    }

    /// Opens a table whose column names, `columns`, stay in memory and
    /// unchanged until [`SegmentSink::end_table`]. Until then, a key slice
    /// with the address and length of one of them is that column name,
    /// which the sink may recognise by its address alone.
    fn begin_table(&mut self, _columns: &[&[u8]]) {}

    /// Closes the table opened by [`SegmentSink::begin_table`].
    fn end_table(&mut self) {}

    /// Scans a cell of a table in the column at `column`, counted from
    /// zero in the order of [`SegmentSink::begin_table`]'s names. A sink
    /// may handle it like any segment. Tables have many small cells, so a
    /// sink may inline its handling of cells without inlining that of
    /// every other segment.
    ///
    /// Returns true when the value was ruled out by its shape alone (see
    /// [`crate::detect::ColumnShapes`]). Nothing was then found in it, and
    /// no state changed beyond what [`SegmentSink::repeat_plain_cell`]
    /// changes. So the decoder may pass a later cell of the same shape in
    /// the same column of the table to that method instead.
    fn cell(&mut self, segment: &Segment<'_>, _column: usize) -> bool {
        self.segment(segment);
        false
    }

    /// Scans a cell like [`SegmentSink::cell`] whose value
    /// [`crate::plain_values::plain_shape`] classified as `shape`, and
    /// returns what that method returns.
    fn plain_cell(&mut self, segment: &Segment<'_>, _column: usize, shape: PlainShape) -> bool {
        self.plain_value(segment, shape);
        false
    }

    /// Receives a cell of the same shape as one that
    /// [`SegmentSink::cell`] ruled out by its shape, in the same column.
    fn repeat_plain_cell(&mut self) {}

    /// Receives the byte range of the input that the next segment was
    /// decoded from, from decoders that know it (JSON). Only masking, which
    /// rewrites those ranges, needs it.
    fn raw_span(&mut self, _start: usize, _end: usize) {}
}
