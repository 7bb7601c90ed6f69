//! Values that carry another encoding inside them.
//!
//! Clients wrap data in a second layer: a JSON string that contains a whole
//! JSON document, a field whose value is base64, form data inside a JSON
//! string, or an address percent-encoded twice (`jane%2540example.com`).
//! [`Nested`] sits between the decoders and the detection driver, looks at
//! every value segment and decodes such a layer, up to
//! [`crate::Limits::max_nested_depth`] layers deep and
//! [`crate::Limits::max_nested_bytes`] bytes in all.
//!
//! A value that is a complete JSON document or form data is scanned as
//! such *instead of* as a string, since the decoded keys and values contain
//! every character of it and scanning both would count each match twice.
//! Form data with a `+` is the exception: a `+` decodes to a space.
//! A base64 or percent-encoded value is scanned both as sent and decoded,
//! because the decoding may be a coincidence. The payload of a JSON Web
//! Token is decoded like base64.

use crate::decode::form::{self, FormSource};
use crate::decode::json_string::{self, DecodedString};
use crate::decode::{
    base64, binary, content_encoding, delimited, graphql, json, percent, text, xml, xml_structure,
    xml_text,
};
use crate::plain_values::{PlainShape, plain_shape};
use crate::segment::{Location, Nesting, RecordId, Role, Segment, SegmentSink};
use crate::{ContentCoding, InspectError, Limits};

/// Share of characters, in percent, that must be printable for decoded
/// base64 to count as text. Binary data (images, keys, hashes) decodes to
/// about 12% control bytes and mostly invalid UTF-8.
const MIN_PRINTABLE_PERCENT: usize = 95;

/// The limits and the first error of one inspection's nested decoding.
#[derive(Debug)]
pub(crate) struct NestedState {
    max_depth: usize,
    max_bytes: usize,
    bytes_left: usize,
    max_json_depth: usize,
    error: Option<InspectError>,
}

impl NestedState {
    pub(crate) fn new(max_depth: usize, max_bytes: usize, max_json_depth: usize) -> Self {
        NestedState {
            max_depth,
            max_bytes,
            bytes_left: max_bytes,
            max_json_depth,
            error: None,
        }
    }

    /// Returns the first error that nested decoding met, if any.
    pub(crate) fn finish(self) -> Result<(), InspectError> {
        self.error.map_or(Ok(()), Err)
    }

    fn fail(&mut self, error: InspectError) {
        self.error.get_or_insert(error);
    }
}

/// A sink that decodes nested encodings in values before passing segments
/// on to `sink`.
pub(crate) struct Nested<'a, 'f, S: SegmentSink + ?Sized> {
    sink: &'a mut S,
    state: &'a mut NestedState,
    depth: usize,
    /// For the sink inside a JSON or form value: the value's location, put
    /// in front of every location found inside.
    frame: Option<(&'f Location<'f>, Nesting)>,
    scratch: Vec<u8>,
}

impl<S: SegmentSink + ?Sized> std::fmt::Debug for Nested<'_, '_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Nested")
            .field("depth", &self.depth)
            .finish()
    }
}

impl<'a, S: SegmentSink + ?Sized> Nested<'a, 'static, S> {
    pub(crate) fn new(sink: &'a mut S, state: &'a mut NestedState) -> Self {
        Nested {
            sink,
            state,
            depth: 0,
            frame: None,
            scratch: Vec::new(),
        }
    }
}

/// The encoding found inside a value.
enum Layer {
    Json,
    /// A well-formed XML document or fragment with one root.
    Xml,
    /// A CSV table with a header row (see [`delimited::looks_like_table`]).
    Csv,
    /// A GraphQL document, with the literals that [`graphql::literals`]
    /// read from it.
    GraphQl(Vec<graphql::Literal>),
    /// A JSON string literal, the value encoded as JSON once more, decoded
    /// into `scratch`.
    JsonString,
    Form,
    Base64,
    /// Text written as hex digits, two per byte, decoded into `scratch`.
    Hex,
    Percent,
    /// HTML or XML character references (`&#64;`, `&amp;`), resolved into
    /// `scratch`.
    References,
    /// Base64 of data in a binary format that [`Container`] names, decoded
    /// into `scratch`.
    Container(Container),
    /// Base64 of at least [`MIN_BINARY_BYTES`] of binary data in no known
    /// format, such as random bytes or an encrypted blob.
    Binary,
    /// Lines of text of which at least one is a [`text::labelled_line`],
    /// such as YAML or a `key: value` dump in a notes field.
    // NOTE: such a value is scanned line by line instead of whole, so a
    // field rule of its own key no longer judges all of its lines at once.
    LabelledLines,
}

/// Decoded bytes from which a base64 value of binary data in no known
/// format fails the request, as a binary body does. Shorter binary values
/// are mostly keys, hashes, signatures and nonces: a SHA-256 digest is 32
/// bytes, an RSA signature 256 to 512. The formats of
/// [`UNREAD_SIGNATURES`] fail at any length.
///
/// NOTE: binary data under this length in a format without a signature
/// here (raw deflate, an encrypted blob) still passes unread.
const MIN_BINARY_BYTES: usize = 4096;

/// A binary format recognised at the start of decoded base64: compressed
/// data is decompressed and inspected, an archive is rejected.
#[derive(Debug, Clone, Copy)]
enum Container {
    Gzip,
    Zlib,
    Zstd,
    Zip,
    /// A format that is not read: a document, an image or compressed data
    /// of another kind, by its name.
    Unread(&'static str),
}

/// Signatures of the binary formats that fail a base64 value whatever its
/// length. The inspector cannot read them, and a 1 KiB xz file can contain
/// a thousand rows. The JPEG signature is short, so it counts only from
/// [`MIN_JPEG_BYTES`].
const UNREAD_SIGNATURES: [(&[u8], &str); 7] = [
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF8", "GIF"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"BZh", "bzip2"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
];

/// Decoded bytes from which a value that starts like a JPEG image is taken
/// for one.
const MIN_JPEG_BYTES: usize = 256;

impl Container {
    /// Returns the format whose signature starts `bytes`. A zlib header
    /// has only two bytes, one in about 1,000 random pairs, so a zlib
    /// stream that fails to decompress is taken for a value that merely
    /// starts like one.
    fn of(bytes: &[u8]) -> Option<Container> {
        match bytes {
            [0x1f, 0x8b, ..] => Some(Container::Gzip),
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(Container::Zstd),
            [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Some(Container::Zip),
            [0xff, 0xd8, 0xff, ..] if bytes.len() >= MIN_JPEG_BYTES => {
                Some(Container::Unread("JPEG"))
            }
            _ if content_encoding::has_zlib_header(bytes) => Some(Container::Zlib),
            _ => UNREAD_SIGNATURES
                .iter()
                .find(|(signature, _)| bytes.starts_with(signature))
                .map(|&(_, name)| Container::Unread(name)),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Container::Gzip => "gzip",
            Container::Zlib => "zlib",
            Container::Zstd => "zstd",
            Container::Zip => "ZIP",
            Container::Unread(name) => name,
        }
    }
}

impl<S: SegmentSink + ?Sized> Nested<'_, '_, S> {
    fn child<'c, 'g>(
        &'c mut self,
        frame: Option<(&'g Location<'g>, Nesting)>,
    ) -> Nested<'c, 'g, S> {
        Nested {
            sink: &mut *self.sink,
            state: &mut *self.state,
            depth: self.depth + 1,
            frame,
            scratch: Vec::new(),
        }
    }

    /// Returns the layer inside `text`, decoding base64 and percent-escapes
    /// into `self.scratch`.
    fn layer(&mut self, text: &[u8]) -> Option<Layer> {
        if looks_like_json(text) && json::is_valid(text, self.state.max_json_depth) {
            return Some(Layer::Json);
        }
        if let Some(literals) = graphql::value_literals(text) {
            return Some(Layer::GraphQl(literals));
        }
        if looks_like_xml(text) && xml_structure::analyze(text, self.state.max_json_depth).is_ok() {
            return Some(Layer::Xml);
        }
        if delimited::looks_like_table(text) {
            return Some(Layer::Csv);
        }
        if text.len() >= 2
            && text[0] == b'"'
            && text[text.len() - 1] == b'"'
            && json_string_literal(text, &mut self.scratch)
        {
            return Some(Layer::JsonString);
        }
        if let Some(payload) = json_web_token_payload(text)
            && base64::decode_value(payload, &mut self.scratch)
            && is_mostly_printable(&self.scratch)
        {
            return Some(Layer::Base64);
        }
        match data_uri(text) {
            Some(DataUri::Base64(payload))
                if base64::decode_value(payload, &mut self.scratch)
                    && let Some(layer) = self.decoded_layer(payload) =>
            {
                return Some(layer);
            }
            Some(DataUri::Text(payload)) => {
                percent::decode_to(payload, &mut self.scratch);
                return Some(Layer::Percent);
            }
            _ => {}
        }
        let candidates = Candidates::of(text);
        // Hex digits are base64 symbols too, but hex of text decodes to
        // control bytes as base64, so hex is tried first.
        if candidates.base64
            && text.len() >= base64::MIN_VALUE_CHARS
            && hex_text(text, &mut self.scratch)
        {
            return Some(Layer::Hex);
        }
        if candidates.base64
            && text.len() >= base64::MIN_VALUE_CHARS
            && (first_byte_may_be_text(text)
                || text.len() >= MIN_BINARY_BYTES
                || starts_like_binary_format(text))
            && base64::decode_value(text, &mut self.scratch)
            && let Some(layer) = self.decoded_layer(text)
        {
            return Some(layer);
        }
        if candidates.form && looks_like_form(text) {
            return Some(Layer::Form);
        }
        if candidates.percent && percent::has_escape(text) {
            percent::decode_to(text, &mut self.scratch);
            return Some(Layer::Percent);
        }
        if candidates.reference && resolve_references(text, &mut self.scratch) {
            return Some(Layer::References);
        }
        if candidates.line_feed && has_labelled_line(text) {
            return Some(Layer::LabelledLines);
        }
        if text.len() > base64::MIN_VALUE_CHARS && base64::has_symbol_run(text) {
            return self.decode_runs(text);
        }
        None
    }

    /// Decodes into `self.scratch` the base64 runs inside `text` that
    /// decode to text, one per line, and returns their layer: base64 after
    /// a label or a space (`file: SGFsbG8…`), which the value as a whole
    /// does not decode as. Without such runs, the first run that decodes to
    /// gzip, zlib, zstd or ZIP data (`file: H4sI…`) is the layer.
    // NOTE: a container is not read when the same value also has a run of
    // text, and a run of an image or a PDF document passes as text.
    fn decode_runs(&mut self, text: &[u8]) -> Option<Layer> {
        self.scratch.clear();
        let mut decoded = Vec::new();
        let mut container = None;
        for run in base64::symbol_runs(text) {
            // A value that is one run was tried as a whole.
            if run.len() == text.len()
                || !(first_byte_may_be_text(run)
                    || run.len() >= MIN_BINARY_BYTES
                    || starts_like_binary_format(run))
                || !base64::decode_value(run, &mut decoded)
            {
                continue;
            }
            if first_byte_may_be_text(run) && is_mostly_printable(&decoded) {
                if !self.scratch.is_empty() {
                    self.scratch.push(b'\n');
                }
                self.scratch.extend_from_slice(&decoded);
            } else if container.is_none()
                && let Some(format) = Container::of(&decoded)
                && !matches!(format, Container::Unread(_))
            {
                container = Some((format, std::mem::take(&mut decoded)));
            }
        }
        if !self.scratch.is_empty() {
            return Some(Layer::Base64);
        }
        let (format, bytes) = container?;
        self.scratch = bytes;
        Some(Layer::Container(format))
    }

    /// Returns the layer of the base64 data decoded into `self.scratch`:
    /// text, a container, or binary data of [`MIN_BINARY_BYTES`] or more.
    ///
    /// Text in UTF-16 or a single-byte legacy charset is transcoded into
    /// `scratch` and read as text. `encoded` is the base64 text: the number
    /// of symbols it uses separates encoded data from a long hex string, a
    /// run of digits or a DNA sequence that only fits the alphabet.
    fn decoded_layer(&mut self, encoded: &[u8]) -> Option<Layer> {
        if is_mostly_printable(&self.scratch) {
            return Some(Layer::Base64);
        }
        if let Some(container) = Container::of(&self.scratch) {
            return Some(Layer::Container(container));
        }
        if let Some(text) = legacy_text(&self.scratch) {
            self.scratch = text;
            return Some(Layer::Base64);
        }
        let binary =
            self.scratch.len() >= MIN_BINARY_BYTES && distinct_bytes(encoded) >= MIN_BASE64_SYMBOLS;
        binary.then_some(Layer::Binary)
    }

    /// Decodes the layer inside `segment`, if any, and returns whether the
    /// segment itself still has to be passed on.
    fn expand(&mut self, segment: &Segment<'_>) -> bool {
        let Some(layer) = self.layer(segment.text) else {
            return true;
        };
        if self.depth >= self.state.max_depth {
            self.state.fail(InspectError::NestedTooDeep {
                limit: self.state.max_depth,
            });
            return true;
        }
        let decoded_bytes = match layer {
            Layer::Json
            | Layer::Xml
            | Layer::Csv
            | Layer::Form
            | Layer::LabelledLines
            | Layer::GraphQl(_) => segment.text.len(),
            Layer::Base64 | Layer::Hex | Layer::Percent | Layer::JsonString | Layer::References => {
                self.scratch.len()
            }
            // Counted once decompressed, by `expand_container`.
            Layer::Container(_) | Layer::Binary => 0,
        };
        if decoded_bytes > self.state.bytes_left {
            self.state.fail(InspectError::NestedTooLarge {
                limit: self.state.max_bytes,
            });
            return true;
        }
        self.state.bytes_left -= decoded_bytes;
        match layer {
            Layer::Json => {
                let max_json_depth = self.state.max_json_depth;
                let mut child = self.child(Some((&segment.location, Nesting::Json)));
                // `layer` validated the document, so scanning returns `Ok`.
                let _ =
                    json::scan_json_in(segment.text, max_json_depth, segment.record, &mut child);
                false
            }
            Layer::Csv => {
                let mut child = self.child(Some((&segment.location, Nesting::Csv)));
                delimited::scan_csv(segment.text, false, segment.record, &mut child);
                false
            }
            Layer::Xml => {
                let max_depth = self.state.max_json_depth;
                let mut child = self.child(Some((&segment.location, Nesting::Xml)));
                // `layer` checked the structure, so scanning returns `Ok`.
                let _ = xml::scan_xml(segment.text, max_depth, segment.record, &mut child);
                false
            }
            Layer::Form => {
                // Form decoding reads `+` as a space, which would hide the
                // `+` of an international phone number, so such a value is
                // also scanned as sent.
                let keep_raw = memchr::memchr(b'+', segment.text).is_some();
                let mut child = self.child(Some((&segment.location, Nesting::Form)));
                form::scan_form(segment.text, FormSource::Body, segment.record, &mut child);
                keep_raw
            }
            Layer::GraphQl(literals) => {
                let mut child = self.child(Some((&segment.location, Nesting::GraphQl)));
                graphql::scan_graphql(segment.text, &literals, segment.record, &mut child);
                false
            }
            Layer::LabelledLines => {
                let mut child = self.child(Some((&segment.location, Nesting::Text)));
                scan_labelled_lines(segment, &mut child);
                false
            }
            Layer::Base64 => self.emit_decoded(segment, Nesting::Base64),
            Layer::Hex => self.emit_decoded(segment, Nesting::Hex),
            Layer::JsonString => self.emit_decoded(segment, Nesting::Json),
            Layer::Percent => self.emit_decoded(segment, Nesting::Percent),
            Layer::References => self.emit_decoded(segment, Nesting::References),
            Layer::Container(container) => self.expand_container(segment, container),
            Layer::Binary => {
                self.state.fail(InspectError::NestedBinary {
                    format: "binary",
                    reason: "only text and gzip, zlib or zstd data are read",
                });
                true
            }
        }
    }

    /// Decompresses the data of `container` in `self.scratch`, decoded from
    /// the base64 value `segment`, and scans it as text inside the value.
    /// An archive, data that fails to decompress (but for a stream that
    /// only starts like zlib) and content that is binary fail the request.
    /// Returns whether the segment itself still has to be passed on.
    fn expand_container(&mut self, segment: &Segment<'_>, container: Container) -> bool {
        let fail = |state: &mut NestedState, reason| {
            let format = container.name();
            state.fail(InspectError::NestedBinary { format, reason });
            true
        };
        let coding = match container {
            Container::Gzip => ContentCoding::Gzip,
            Container::Zlib => ContentCoding::Deflate,
            Container::Zstd => ContentCoding::Zstd,
            Container::Zip => return fail(self.state, "archives are not opened"),
            Container::Unread(_) => return fail(self.state, "the format is not read"),
        };
        // The nested budget bounds the output, and the ratio is measured
        // against the compressed bytes, as for a compressed body.
        let limits = Limits {
            max_decoded_bytes: self.state.bytes_left,
            ..Limits::default()
        };
        let decompressed = match content_encoding::decompress(
            &self.scratch,
            coding,
            self.scratch.len(),
            &limits,
        ) {
            Ok(decompressed) => decompressed,
            Err(InspectError::DecodedTooLarge { .. }) => {
                self.state.fail(InspectError::NestedTooLarge {
                    limit: self.state.max_bytes,
                });
                return true;
            }
            Err(InspectError::ExpansionRatioExceeded { .. }) => {
                return fail(self.state, "it expands beyond max_expansion_ratio");
            }
            Err(_) if matches!(container, Container::Zlib) => return true,
            Err(_) => return fail(self.state, "it does not decompress"),
        };
        if binary::binary_offset(&decompressed).is_some() {
            return fail(self.state, "it decompresses to binary data");
        }
        self.state.bytes_left -= decompressed.len();
        self.scratch = decompressed;
        self.emit_decoded(segment, Nesting::Compressed(container.name()))
    }

    /// Passes `segment` on to the sink, with the frame of this layer around
    /// its location, after decoding any layer in it.
    #[inline(always)]
    fn pass_on(&mut self, segment: &Segment<'_>) {
        self.pass_on_classified(segment, None);
    }

    /// Passes on `segment` like [`Nested::pass_on`], with the plain shape of
    /// the value when the caller has already classified its bytes.
    #[inline(always)]
    fn pass_on_classified(&mut self, segment: &Segment<'_>, shape: Option<PlainShape>) {
        if self.state.error.is_some() {
            return;
        }
        let framed;
        let segment = match self.frame {
            Some((outer, coding)) => {
                framed = Segment {
                    location: Location::Nested {
                        outer,
                        coding,
                        inner: Some(&segment.location),
                    },
                    ..*segment
                };
                &framed
            }
            None => segment,
        };
        if segment.role == Role::Value {
            // A value that shows no sign of a layer skips the search for one.
            let shape = shape.unwrap_or_else(|| plain_shape(segment.text));
            if shape != PlainShape::Other {
                self.sink.plain_value(segment, shape);
                return;
            }
            if !self.expand(segment) {
                return;
            }
        }
        self.sink.segment(segment);
    }

    /// Passes on `segment` and then the text in `self.scratch` decoded from
    /// it, which is scanned for further layers.
    fn emit_decoded(&mut self, segment: &Segment<'_>, coding: Nesting) -> bool {
        self.sink.segment(segment);
        let decoded = std::mem::take(&mut self.scratch);
        let location = Location::Nested {
            outer: &segment.location,
            coding,
            inner: None,
        };
        self.child(None).segment(&Segment {
            text: &decoded,
            key: segment.key,
            location,
            record: segment.record,
            role: Role::Value,
        });
        self.scratch = decoded;
        false
    }
}

impl<S: SegmentSink + ?Sized> SegmentSink for Nested<'_, '_, S> {
    fn begin_record(&mut self) -> RecordId {
        self.sink.begin_record()
    }

    fn begin_table(&mut self, columns: &[&[u8]]) {
        self.sink.begin_table(columns);
    }

    fn end_table(&mut self) {
        self.sink.end_table();
    }

    fn segment(&mut self, segment: &Segment<'_>) {
        self.pass_on(segment);
    }

    #[inline(always)]
    fn cell(&mut self, segment: &Segment<'_>, column: usize) -> bool {
        // Table cells are never inside another layer, but a frame would
        // need the general path.
        if self.frame.is_none() && segment.role == Role::Value {
            if self.state.error.is_some() {
                return false;
            }
            let shape = plain_shape(segment.text);
            if shape != PlainShape::Other {
                return self.sink.plain_cell(segment, column, shape);
            }
        }
        self.pass_on(segment);
        false
    }

    // A value of a ruled-out shape has the same plain shape, which depends
    // only on the classes of its bytes, and only a cell without a frame
    // can have been ruled out.
    fn repeat_plain_cell(&mut self) {
        if self.state.error.is_none() {
            self.sink.repeat_plain_cell();
        }
    }

    // The raw spans matter only to masking, which reads JSON through its
    // own sink and never through this layer.
    #[inline(always)]
    fn member(&mut self, value: &Segment<'_>, _spans: [(usize, usize); 2]) {
        if self.state.error.is_some() {
            return;
        }
        let shape = plain_shape(value.text);
        if self.frame.is_none() && shape != PlainShape::Other {
            self.sink.plain_member(value, shape);
        } else {
            self.segment(&value.member_name());
            // A frame changes the location, not the text that was classified.
            self.pass_on_classified(value, Some(shape));
        }
    }
}

/// Returns whether a line of `text` is a [`text::labelled_line`].
fn has_labelled_line(text: &[u8]) -> bool {
    text.split(|&byte| byte == b'\n')
        .any(|line| text::labelled_line(line.strip_suffix(b"\r").unwrap_or(line)).is_some())
}

/// Passes every non-empty line of the value `segment` to `sink`, numbered
/// from 1: the value of a [`text::labelled_line`] keyed by its label, and
/// any other line keyed by the segment's own key.
fn scan_labelled_lines(segment: &Segment<'_>, sink: &mut impl SegmentSink) {
    for (index, line) in segment.text.split(|&byte| byte == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.trim_ascii().is_empty() {
            continue;
        }
        let (text, key) = match text::labelled_line(line) {
            Some(labelled) => (&line[labelled.value], Some(&line[labelled.label])),
            None => (line, segment.key),
        };
        sink.segment(&Segment {
            text,
            key,
            location: Location::Line(index as u64 + 1),
            record: segment.record,
            role: Role::Value,
        });
    }
}

/// Writes `text` into `out` with its character references resolved
/// (`john.doe&#64;example.com`, `&#x40;`, `&amp;`), as web forms and HTML
/// templates escape text. Unknown references stay as they are. Returns
/// whether one was resolved.
fn resolve_references(text: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    let mut resolved = false;
    let mut rest = text;
    while let Some(ampersand) = memchr::memchr(b'&', rest) {
        out.extend_from_slice(&rest[..ampersand]);
        let after = &rest[ampersand + 1..];
        // Names and numbers of references are short.
        let end = memchr::memchr(b';', &after[..after.len().min(MAX_REFERENCE_BYTES)]);
        match end.and_then(|end| Some((end, xml_text::resolve(&after[..end])?))) {
            Some((end, character)) => {
                xml_text::push_char(out, character);
                resolved = true;
                rest = &after[end + 1..];
            }
            None => {
                out.push(b'&');
                rest = after;
            }
        }
    }
    out.extend_from_slice(rest);
    resolved
}

/// Maximum bytes after an `&` searched for the `;` that ends a reference,
/// enough for the longest one, `#x10FFFF;`.
const MAX_REFERENCE_BYTES: usize = 10;

/// Decodes `text` into `out` when the whole of it is one JSON string
/// literal (`"{\"name\": \"Jane\"}"`). A client that encodes a document
/// as a JSON string and then puts that string in a field sends one.
/// Returns whether `text` was such a literal.
fn json_string_literal(text: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    let mut position = 0;
    match json_string::decode_string(text, &mut position, out) {
        Ok(decoded) if position == text.len() => {
            if let DecodedString::Borrowed(borrowed) = decoded {
                out.extend_from_slice(borrowed);
            }
            true
        }
        _ => false,
    }
}

/// The data of a `data:` URI (RFC 2397), which web clients and ERP
/// attachments use to embed a file in one field.
enum DataUri<'t> {
    /// Base64 data: `data:text/csv;base64,…`.
    Base64(&'t [u8]),
    /// Text, percent-encoded where it needs to be: `data:text/csv,a%2Cb`.
    Text(&'t [u8]),
}

/// Returns the data of `text` when it is a `data:` URI.
fn data_uri(text: &[u8]) -> Option<DataUri<'_>> {
    let scheme = text.get(..5)?;
    if !scheme.eq_ignore_ascii_case(b"data:") {
        return None;
    }
    let comma = memchr::memchr(b',', text)?;
    let parameters = &text[..comma];
    let data = &text[comma + 1..];
    let base64 = parameters.len() >= 7
        && parameters[parameters.len() - 7..].eq_ignore_ascii_case(b";base64");
    Some(if base64 {
        DataUri::Base64(data)
    } else {
        DataUri::Text(data)
    })
}

/// Returns the payload of a JSON Web Token (RFC 7519): three base64url
/// parts joined by dots, the first a JSON header (`eyJ` is base64 of
/// `{"`). Tokens carry names, e-mail addresses and phone numbers in their
/// payload, in bodies, queries and cookies as much as in headers.
fn json_web_token_payload(text: &[u8]) -> Option<&[u8]> {
    if !text.starts_with(b"eyJ") {
        return None;
    }
    let mut parts = text.split(|&byte| byte == b'.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(_header), Some(payload), Some(_signature), None) => Some(payload),
        _ => None,
    }
}

/// Maximum length of a value whose bytes [`Candidates::of`] classifies in
/// one table-driven pass. Most field values are shorter, and for longer
/// ones `memchr` finds `=` and `%` faster than a byte loop.
const SHORT_VALUE_BYTES: usize = 64;

/// Classes of [`BYTE_CLASSES`].
const EQUALS: u8 = 1;
const PERCENT: u8 = 2;
/// A byte that [`base64::decode_value`] rejects: outside both alphabets,
/// `=` and line breaks.
const NOT_BASE64: u8 = 4;
const AMPERSAND: u8 = 8;
const LINE_FEED: u8 = 16;

/// The class bits of every byte value.
const BYTE_CLASSES: [u8; 256] = byte_classes!(|byte| match byte {
    b'=' => EQUALS,
    b'%' => PERCENT | NOT_BASE64,
    b'&' => AMPERSAND | NOT_BASE64,
    b'\n' => LINE_FEED,
    _ if base64::is_value_byte(byte) => 0,
    _ => NOT_BASE64,
});

/// The layers that a value may hold, judged from the bytes it contains: a
/// false field means the layer's own check would fail, so it is skipped.
#[derive(Debug, Clone, Copy)]
struct Candidates {
    base64: bool,
    /// The value has an `=`, which form data needs.
    form: bool,
    /// The value has a `%`, which a percent-escape needs.
    percent: bool,
    /// The value has an `&`, which a character reference needs.
    reference: bool,
    /// The value has a line feed, which [`Layer::LabelledLines`] needs.
    line_feed: bool,
}

impl Candidates {
    fn of(text: &[u8]) -> Candidates {
        if text.len() > SHORT_VALUE_BYTES {
            return Candidates {
                base64: true,
                form: memchr::memchr(b'=', text).is_some(),
                percent: memchr::memchr(b'%', text).is_some(),
                reference: memchr::memchr(b'&', text).is_some(),
                line_feed: memchr::memchr(b'\n', text).is_some(),
            };
        }
        // One pass with a table lookup per byte replaces a `memchr` call
        // per layer, whose setup costs more than a short value's bytes.
        let classes = text.iter().fold(0, |classes, &byte| {
            classes | BYTE_CLASSES[usize::from(byte)]
        });
        Candidates {
            base64: classes & NOT_BASE64 == 0,
            form: classes & EQUALS != 0,
            percent: classes & PERCENT != 0,
            reference: classes & AMPERSAND != 0,
            line_feed: classes & LINE_FEED != 0,
        }
    }
}

/// Returns whether `text` starts with an XML element or declaration and
/// ends with a tag, ignoring whitespace: a document or fragment sent in a
/// field (`"<patient><name>…</name></patient>"`).
fn looks_like_xml(text: &[u8]) -> bool {
    let trimmed = text.trim_ascii();
    matches!(trimmed, [b'<', next, .., b'>'] if next.is_ascii_alphabetic() || *next == b'?')
}

/// Returns whether `text` is wrapped in `{}` or `[]`, ignoring whitespace.
fn looks_like_json(text: &[u8]) -> bool {
    let trimmed = text.trim_ascii();
    matches!(
        (trimmed.first(), trimmed.last()),
        (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']'))
    )
}

/// Returns whether `text` is form data: `key=value` pairs joined by `&`,
/// with keys of URL-safe characters and no whitespace anywhere. A single
/// pair counts (`email=jane%40example.com`), but not a string whose only
/// `=` are trailing base64 padding.
fn looks_like_form(text: &[u8]) -> bool {
    // Base64 padding (`…Dw==`) is not a pair with an empty value.
    let padding = text.iter().rev().take_while(|&&byte| byte == b'=').count();
    let unpadded = &text[..text.len() - padding];
    if memchr::memchr(b'=', unpadded).is_none() || text.iter().any(u8::is_ascii_whitespace) {
        return false;
    }
    let mut pairs = 0;
    for pair in text.split(|&byte| byte == b'&') {
        if pair.is_empty() {
            continue;
        }
        let Some(equals) = memchr::memchr(b'=', pair) else {
            return false;
        };
        let key = &pair[..equals];
        let key_ok = !key.is_empty()
            && key
                .iter()
                .all(|&byte| byte.is_ascii_alphanumeric() || b"_-.[]%+*~".contains(&byte));
        if !key_ok {
            return false;
        }
        pairs += 1;
    }
    pairs > 0
}

/// Marks a byte that is no base64 character in [`SEXTETS`].
const NOT_SEXTET: u8 = 0x80;

/// The 6-bit value of each byte as a base64 character of either alphabet
/// (`+/` or `-_`), or [`NOT_SEXTET`]. In the first-byte check, which the
/// plain-value shortcut runs on most account numbers and codes, a lookup
/// costs less than the branches of [`base64::sextet_value`].
const SEXTETS: [u8; 256] = {
    let mut table = [NOT_SEXTET; 256];
    let mut byte = 0;
    while byte < 256 {
        let character = byte as u8;
        table[byte] = match character {
            b'A'..=b'Z' => character - b'A',
            b'a'..=b'z' => character - b'a' + 26,
            b'0'..=b'9' => character - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => NOT_SEXTET,
        };
        byte += 1;
    }
    table
};

/// Returns false when the base64 value `text` cannot decode to mostly
/// printable text, judged from its first decoded byte alone: a byte that
/// cannot start UTF-8, or a control character in a value too short to
/// absorb one. Account numbers and codes that happen to use the base64
/// alphabet (`DE89…` decodes to a form feed) are rejected without decoding.
#[inline]
pub(crate) fn first_byte_may_be_text(text: &[u8]) -> bool {
    let [first, second, ..] = *text else {
        return true;
    };
    let (first, second) = (SEXTETS[usize::from(first)], SEXTETS[usize::from(second)]);
    if (first | second) & NOT_SEXTET != 0 {
        return true;
    }
    let class = LEAD_BYTE_CLASSES[usize::from(first << 2 | second >> 4)];
    // Four characters decode to three bytes, and a text has at most one
    // character per byte. Among fewer characters than
    // `100 / (100 - MIN_PRINTABLE_PERCENT)`, one control character is too
    // many.
    let max_characters = text.len() / 4 * 3 + 2;
    let too_short = max_characters * (100 - MIN_PRINTABLE_PERCENT) < 100;
    let rejected = if too_short {
        LEAD_INVALID | LEAD_CONTROL
    } else {
        LEAD_INVALID
    };
    class & rejected == 0
}

/// Marks a byte that cannot start a UTF-8 character in [`LEAD_BYTE_CLASSES`].
const LEAD_INVALID: u8 = 1;

/// Marks a control character other than tab, line feed and carriage return
/// in [`LEAD_BYTE_CLASSES`].
const LEAD_CONTROL: u8 = 2;

/// The [`LEAD_INVALID`] and [`LEAD_CONTROL`] marks of each byte value, for
/// the first decoded byte that [`first_byte_may_be_text`] judges.
const LEAD_BYTE_CLASSES: [u8; 256] = {
    let mut table = [0; 256];
    let mut index = 0;
    while index < 256 {
        let byte = index as u8;
        if matches!(byte, 0x80..=0xC1 | 0xF5..=0xFF) {
            table[index] = LEAD_INVALID;
        } else if (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7F {
            table[index] = LEAD_CONTROL;
        }
        index += 1;
    }
    table
};

/// Returns whether base64 `text` starts with the encoded signature of a
/// format whose first byte rules out text: xz, PNG and JPEG data, and
/// UTF-16 text with a byte order mark, in either base64 alphabet. Such a
/// value is decoded, so that the format is refused or the text read,
/// however short it is.
#[inline]
pub(crate) fn starts_like_binary_format(text: &[u8]) -> bool {
    // Every signature starts with a byte whose top six bits encode as `/`
    // (`_` in the URL alphabet) or `i`, which rules out most values at
    // once. The test is inlined into callers and the rest is not.
    matches!(text.first(), Some(b'/' | b'_' | b'i')) && has_binary_signature(text)
}

/// Compares the first three bytes that base64 `text` decodes to with the
/// signatures that [`starts_like_binary_format`] lists.
#[inline(never)]
fn has_binary_signature(text: &[u8]) -> bool {
    const SIGNATURES: [&[u8]; 5] = [
        b"\xfd7z",
        b"\x89PN",
        b"\xff\xd8\xff",
        b"\xff\xfe",
        b"\xfe\xff",
    ];
    // The first four characters hold the first three bytes.
    let Some(&[a, b, c, d]) = text.first_chunk::<4>() else {
        return false;
    };
    let (Some(a), Some(b), Some(c), Some(d)) = (
        base64::sextet_value(a),
        base64::sextet_value(b),
        base64::sextet_value(c),
        base64::sextet_value(d),
    ) else {
        return false;
    };
    let bytes = [a << 2 | b >> 4, b << 4 | c >> 2, c << 6 | d];
    SIGNATURES
        .iter()
        .any(|signature| bytes.starts_with(signature))
}

/// Distinct symbols from which a base64 value of binary data counts as
/// encoded data: random bytes use nearly all 64, while hex digits, decimal
/// digits and DNA bases use 22, 10 and 4.
const MIN_BASE64_SYMBOLS: usize = 40;

/// Returns how many distinct byte values `bytes` holds.
fn distinct_bytes(bytes: &[u8]) -> usize {
    let mut seen = [false; 256];
    for &byte in bytes {
        seen[usize::from(byte)] = true;
    }
    seen.iter().filter(|&&seen| seen).count()
}

/// Returns `bytes` transcoded to UTF-8 when they are text in UTF-16 or
/// windows-1252, which systems on Windows write. UTF-16 has a byte order
/// mark or a NUL beside most letters; windows-1252 text must pass
/// [`looks_like_single_byte_text`]. Returns `None` for anything else.
fn legacy_text(bytes: &[u8]) -> Option<Vec<u8>> {
    let pairs = bytes.len() / 2;
    let zeros_at = |start: usize| {
        bytes
            .iter()
            .skip(start)
            .step_by(2)
            .filter(|&&byte| byte == 0)
            .count()
    };
    let encoding = match bytes {
        [0xff, 0xfe, ..] => encoding_rs::UTF_16LE,
        [0xfe, 0xff, ..] => encoding_rs::UTF_16BE,
        _ if pairs >= 8 && zeros_at(1) * 10 >= pairs * 9 => encoding_rs::UTF_16LE,
        _ if pairs >= 8 && zeros_at(0) * 10 >= pairs * 9 => encoding_rs::UTF_16BE,
        _ if looks_like_single_byte_text(bytes) => encoding_rs::WINDOWS_1252,
        _ => return None,
    };
    let (text, _, malformed) = encoding.decode(bytes);
    let text = text.into_owned().into_bytes();
    (!malformed && is_mostly_printable(&text)).then_some(text)
}

/// Returns whether `bytes` reads as text in a single-byte charset: no
/// control bytes but tab and line breaks, at most a quarter of the bytes
/// outside ASCII, and at least half of them ASCII letters, digits or
/// spaces. Most short binary values, a decoded card number among them,
/// fail one of these.
fn looks_like_single_byte_text(bytes: &[u8]) -> bool {
    let control =
        |byte: u8| (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7f;
    let high = bytes.iter().filter(|&&byte| byte >= 0x80).count();
    let wordlike = bytes
        .iter()
        .filter(|&&byte| byte.is_ascii_alphanumeric() || byte == b' ')
        .count();
    !bytes.iter().any(|&byte| control(byte))
        && high * 4 <= bytes.len()
        && wordlike * 2 >= bytes.len()
}

/// Returns whether `bytes` is UTF-8 text with at least
/// [`MIN_PRINTABLE_PERCENT`] percent printable characters (tab and line
/// breaks count as printable).
/// Decodes `text` into `out` (cleared first) and returns true when it is
/// an even number of hex digits that encode text, as a file or a record
/// written in hex is. A hash, a key or a GUID without dashes decodes to
/// binary bytes and is left alone.
fn hex_text(text: &[u8], out: &mut Vec<u8>) -> bool {
    if text.len() % 2 != 0 || !text.iter().all(u8::is_ascii_hexdigit) {
        return false;
    }
    let digit = |byte: u8| match byte {
        b'0'..=b'9' => byte - b'0',
        _ => (byte | 0x20) - b'a' + 10,
    };
    out.clear();
    out.extend(
        text.chunks_exact(2)
            .map(|pair| digit(pair[0]) << 4 | digit(pair[1])),
    );
    is_mostly_printable(out)
}

fn is_mostly_printable(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let mut total = 0usize;
    let mut printable = 0usize;
    for c in text.chars() {
        total += 1;
        if !c.is_control() || matches!(c, '\t' | '\n' | '\r') {
            printable += 1;
        }
    }
    total > 0 && printable * 100 >= total * MIN_PRINTABLE_PERCENT
}

#[cfg(test)]
#[path = "nested_tests.rs"]
mod tests;
