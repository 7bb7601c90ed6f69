//! Entry points into single decoders for the fuzz targets in `fuzz/` and
//! the seeded fallback test; not part of the crate's interface.
//!
//! Each function runs one decoder over arbitrary bytes with a sink that
//! renders every location (so that rendering is exercised too) and returns
//! how much came out, which callers check against the input size.

use crate::decode::body::BodyContext;
use crate::decode::form::FormSource;
use crate::decode::nested::{Nested, NestedState};
use crate::decode::{
    charset, content_encoding, delimited, edifact, form, graphql, headers, json, multipart, path,
    xml,
};
use crate::segment::{REQUEST_RECORD, RecordId, Segment, SegmentSink};
use crate::{InspectError, Limits};

/// Counts of what a decoder emitted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Output {
    pub segments: usize,
    /// Bytes of all segment texts together.
    pub text_bytes: usize,
    /// Bytes of all rendered locations together.
    pub location_bytes: usize,
}

#[derive(Debug, Default)]
struct CountingSink {
    output: Output,
    records: RecordId,
}

impl SegmentSink for CountingSink {
    fn begin_record(&mut self) -> RecordId {
        self.records += 1;
        self.records
    }

    fn segment(&mut self, segment: &Segment<'_>) {
        self.output.segments += 1;
        self.output.text_bytes += segment.text.len();
        self.output.location_bytes += segment.location.render().len();
    }
}

/// Output allowed per input byte, in segments and in text bytes. A value
/// is emitted once raw and at most once per nested layer, a key once per
/// value, and a short input may emit a fixed handful of segments.
const MAX_OUTPUT_PER_BYTE: usize = 16;

/// Panics when a decoder emitted more than [`MAX_OUTPUT_PER_BYTE`] times
/// its input, in segments or in text bytes.
pub fn assert_bounded(name: &str, input: &[u8], output: Output) {
    let bound = MAX_OUTPUT_PER_BYTE * (input.len() + 4);
    assert!(
        output.segments <= bound && output.text_bytes <= bound,
        "{name}: {output:?} for {} input bytes",
        input.len()
    );
}

/// Limits small enough that a fuzzer's inputs reach them.
pub fn fuzz_limits() -> Limits {
    Limits {
        max_decoded_bytes: 4 * 1024 * 1024,
        max_nesting_depth: 64,
        max_multipart_parts: 64,
        ..Limits::default()
    }
}

/// Removes the content codings named in `content_encoding`.
pub fn content_coding(body: &[u8], content_encoding: &str) -> Result<usize, InspectError> {
    content_encoding::decode_body(body, Some(content_encoding), &fuzz_limits()).map(|b| b.len())
}

/// Transcodes `body` to UTF-8 by the charset of `content_type`.
pub fn transcode(body: &[u8], content_type: &str, xml: bool) -> Result<usize, InspectError> {
    let limits = fuzz_limits();
    charset::to_utf8(body, Some(content_type), xml, limits.max_decoded_bytes).map(|t| t.len())
}

pub fn json(input: &[u8]) -> Result<Output, InspectError> {
    let mut sink = CountingSink::default();
    json::scan_json(input, fuzz_limits().max_nesting_depth, &mut sink)?;
    Ok(sink.output)
}

pub fn xml(input: &[u8]) -> Result<Output, InspectError> {
    let mut sink = CountingSink::default();
    xml::scan_xml(
        input,
        fuzz_limits().max_nesting_depth,
        REQUEST_RECORD,
        &mut sink,
    )?;
    Ok(sink.output)
}

pub fn csv(input: &[u8], tab: bool) -> Output {
    let mut sink = CountingSink::default();
    delimited::scan_csv(input, tab, REQUEST_RECORD, &mut sink);
    sink.output
}

pub fn form(input: &[u8]) -> Output {
    let mut sink = CountingSink::default();
    form::scan_form(input, FormSource::Body, REQUEST_RECORD, &mut sink);
    sink.output
}

pub fn path(input: &[u8]) -> Output {
    let mut sink = CountingSink::default();
    path::scan_path(input, &mut sink);
    sink.output
}

pub fn multipart(body: &[u8], content_type: &str) -> Result<Output, InspectError> {
    let mut sink = CountingSink::default();
    let limits = fuzz_limits();
    let context = BodyContext {
        limits: &limits,
        multipart_depth: 0,
    };
    multipart::scan_multipart(body, content_type, &context, &mut sink)?;
    Ok(sink.output)
}

pub fn edifact(input: &[u8]) -> Output {
    let mut sink = CountingSink::default();
    edifact::scan_edifact(input, &mut sink);
    sink.output
}

/// Reads `input` as a GraphQL document and passes its literals on; input
/// that is not one yields nothing.
pub fn graphql(input: &[u8]) -> Output {
    let mut sink = CountingSink::default();
    if let Some(literals) = graphql::literals(input) {
        graphql::scan_graphql(input, &literals, REQUEST_RECORD, &mut sink);
    }
    sink.output
}

pub fn headers(headers: &[(&str, &[u8])]) -> Output {
    let mut sink = CountingSink::default();
    headers::scan_headers(headers, &mut sink);
    sink.output
}

/// Scans `value` as a JSON string value would be, with nested decoding.
pub fn nested(value: &[u8]) -> Result<Output, InspectError> {
    let limits = fuzz_limits();
    let mut sink = CountingSink::default();
    let mut state = NestedState::new(
        limits.max_nested_depth,
        limits.max_nested_bytes,
        limits.max_nesting_depth,
    );
    let mut nested = Nested::new(&mut sink, &mut state);
    nested.segment(&Segment {
        text: value,
        key: Some(b"value"),
        location: crate::segment::Location::Form { key: b"value" },
        record: REQUEST_RECORD,
        role: crate::segment::Role::Value,
    });
    state.finish()?;
    Ok(sink.output)
}

/// Wraps `data` in a valid Brotli stream of uncompressed meta-blocks
/// (RFC 7932 §9.2), so that fuzz targets and tests can build `br` bodies
/// without an encoder.
pub fn brotli_stored(data: &[u8]) -> Vec<u8> {
    /// Largest meta-block that a 16-bit `MLEN - 1` field describes.
    const CHUNK: usize = 1 << 16;
    let mut writer = BitWriter::default();
    // WBITS: a single 0 bit selects a 64 KiB window.
    writer.bits(0, 1);
    for chunk in data.chunks(CHUNK) {
        // ISLAST = 0, MNIBBLES = 4 (code 0), MLEN - 1, ISUNCOMPRESSED = 1.
        writer.bits(0, 1);
        writer.bits(0, 2);
        writer.bits(chunk.len() as u32 - 1, 16);
        writer.bits(1, 1);
        writer.align();
        writer.bytes.extend_from_slice(chunk);
    }
    // ISLAST = 1, ISLASTEMPTY = 1.
    writer.bits(0b11, 2);
    writer.align();
    writer.bytes
}

/// Writes bits least significant first, as Brotli packs them.
#[derive(Debug, Default)]
struct BitWriter {
    bytes: Vec<u8>,
    used: u8,
}

impl BitWriter {
    fn bits(&mut self, value: u32, count: u8) {
        for bit in 0..count {
            if self.used == 0 {
                self.bytes.push(0);
            }
            if value >> bit & 1 == 1 {
                if let Some(last) = self.bytes.last_mut() {
                    *last |= 1 << self.used;
                }
            }
            self.used = (self.used + 1) % 8;
        }
    }

    fn align(&mut self) {
        self.used = 0;
    }
}

#[path = "fuzz_seeded.rs"]
pub mod seeded;
