//! Decoding of request bodies and detection of personal data in them.
//!
//! This crate is pure: it takes bytes and header values and returns a
//! [`Report`], with no I/O, no clock and no global state, so every decision
//! that rests on it can be tested without a network.
//!
//! An inspection runs in three stages. [`decode`] removes the content coding
//! within [`Limits`] and splits the path, query, headers and body into text
//! segments, each with its location and the key it was sent under.
//! [`detect`] runs one detector per category over each segment, validating
//! only candidates. The collector turns the matches into [`Finding`]s with
//! masked samples and estimates the number of people they describe.

/// Builds, at compile time, a `[u8; 256]` table that maps every byte value
/// (bound to `$byte` as a `u8`) to the class bits of `$class`. The
/// scanners test a byte against several classes with one lookup.
macro_rules! byte_classes {
    (|$byte:ident| $class:expr) => {{
        let mut classes = [0u8; 256];
        let mut index = 0;
        while index < 256 {
            let $byte = index as u8;
            classes[index] = $class;
            index += 1;
        }
        classes
    }};
}

mod category;
mod clean_values;
mod collect;
mod confusables;
mod decode;
mod detect;
mod error;
mod identities;
mod mask;
mod masking;
mod normalize;
mod normalize_tables;
mod plain_values;
mod record_context;
mod report;
mod segment;
mod subjects;
#[cfg(test)]
mod test_random;
mod words;

use std::borrow::Cow;
use std::collections::hash_map::RandomState;

pub use category::{Category, UnknownCategory};
pub use collect::{MAX_LOCATIONS, MAX_SAMPLES};
pub use decode::binary::MAX_CONTROL_BYTES_PERCENT;
pub use decode::content_encoding::{EXPANSION_RATIO_FLOOR_BYTES, MAX_STACKED_CODINGS};
#[doc(hidden)]
pub use decode::fuzzing;
pub use error::{ContentCoding, InspectError, sanitized};
pub use identities::SubjectKey;
pub use masking::{MaskError, MaskedRequest};
pub use report::{Finding, Report};

use collect::Collector;

/// Default of [`Limits::max_nested_depth`]. Real payloads nest one layer
/// (a JSON document in a string, a base64 field) and seldom two; three
/// leaves room for a base64 JSON document that holds form data.
pub const DEFAULT_MAX_NESTED_DEPTH: usize = 3;

/// Default of [`Limits::max_nested_bytes`]. A decoded layer is never larger
/// than the value it came from, so this only caps the work of scanning the
/// same bytes again; half of the default decoded body leaves room for log
/// batches whose every line embeds a JSON document.
pub const DEFAULT_MAX_NESTED_BYTES: usize = 64 * 1024 * 1024;

/// Default of [`Limits::max_multipart_parts`]. Upload forms have a few
/// dozen fields; a thousand parts is far past any form a person fills in,
/// and each part costs a header parse and a dispatch.
pub const DEFAULT_MAX_MULTIPART_PARTS: usize = 1000;

/// Default of [`Limits::max_multipart_depth`]. `multipart/form-data` may
/// hold a `multipart/mixed` of files (RFC 2388, since deprecated), which is
/// two levels; a third is allowed for mail-like bodies, more is only a way
/// to multiply parsing work.
pub const DEFAULT_MAX_MULTIPART_DEPTH: usize = 3;

/// Limits that bound the work and memory of one inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum size of a body after content decoding, in bytes, and after
    /// transcoding to UTF-8.
    pub max_decoded_bytes: usize,
    /// Maximum ratio of decoded size to the size of the body as received, for
    /// compressed bodies. Output below [`EXPANSION_RATIO_FLOOR_BYTES`] is
    /// never rejected for its ratio.
    pub max_expansion_ratio: usize,
    /// Maximum nesting depth of JSON arrays and objects and of XML elements.
    pub max_nesting_depth: usize,
    /// Maximum number of encodings nested in one value (base64, JSON or form
    /// data inside a string, double percent-encoding). A value still encoded
    /// at this depth is an error, since its content would pass unseen.
    pub max_nested_depth: usize,
    /// Maximum bytes decoded from nested encodings in one request, all
    /// values and layers together.
    pub max_nested_bytes: usize,
    /// Maximum number of parts of one multipart body, nested ones counted
    /// per body.
    pub max_multipart_parts: usize,
    /// Maximum nesting of multipart bodies inside multipart parts.
    pub max_multipart_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_decoded_bytes: 128 * 1024 * 1024,
            max_expansion_ratio: 100,
            max_nesting_depth: 128,
            max_nested_depth: DEFAULT_MAX_NESTED_DEPTH,
            max_nested_bytes: DEFAULT_MAX_NESTED_BYTES,
            max_multipart_parts: DEFAULT_MAX_MULTIPART_PARTS,
            max_multipart_depth: DEFAULT_MAX_MULTIPART_DEPTH,
        }
    }
}

/// One HTTP request as the inspector sees it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    /// The path without the query, as sent (percent-encoded).
    pub path: &'a str,
    /// The query string without the leading `?`.
    pub query: Option<&'a str>,
    /// The `Content-Type` header value.
    pub content_type: Option<&'a str>,
    /// The `Content-Encoding` header value.
    pub content_encoding: Option<&'a str>,
    /// The request headers as (name, raw value) pairs in the order received,
    /// names in lower case. A name may repeat. Framing headers such as
    /// `host`, `content-type` and `accept` are skipped. Every other value is
    /// scanned as percent-decoded text, and `cookie` is split into its pairs.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The complete body as received, before content decoding.
    pub body: &'a [u8],
    /// Today's date (UTC), for ages: a date of birth less than 14 years
    /// before it marks its finding `minor`. The inspector has no clock of
    /// its own; without a date, no finding is marked `minor`.
    pub today: Option<chrono::NaiveDate>,
    /// An HMAC key with which to describe the individuals in
    /// [`Report::subject_keys`], for counting them across requests. The
    /// gateway sets it only for exporters whose law counts volumes (PIPL).
    pub identity_key: Option<&'a [u8; 32]>,
}

/// One detected value with its raw text, returned by
/// [`Inspector::evaluate`] only.
#[cfg(feature = "evaluation")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluatedMatch {
    pub category: Category,
    /// The matched text after decoding and normalisation, as UTF-8 (lossy).
    /// For categories found from a field's key (names, addresses), the whole
    /// field value.
    pub value: String,
    /// The location as rendered in reports.
    pub location: String,
    /// Whether the match is a date of birth of a child under 14.
    pub minor: bool,
}

/// The entry point: decodes a request and runs every detector over it.
///
/// Each inspector draws a random key when it is created and hashes
/// identifiers with it while counting subjects, so hashes from two inspectors
/// cannot be compared.
#[derive(Debug, Clone, Default)]
pub struct Inspector {
    limits: Limits,
    subject_key: RandomState,
}

impl Inspector {
    pub fn new(limits: Limits) -> Self {
        Inspector {
            limits,
            subject_key: RandomState::new(),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Inspects the path, query, headers and body of a request.
    ///
    /// The body is content-decoded first (gzip, deflate, br, zstd), then
    /// transcoded to UTF-8 when a byte order mark, its `charset` or an XML
    /// declaration names another charset. Its format follows `Content-Type`:
    /// JSON (`application/json`, `*+json`), form
    /// (`application/x-www-form-urlencoded`), XML (`application/xml`,
    /// `text/xml`, `*+xml`, or a body that starts with an XML declaration),
    /// CSV (`text/csv`, `text/tab-separated-values`), multipart (`multipart/*`,
    /// each part by its own headers) or plain text for everything else.
    /// Values that hide base64, JSON, form data or percent-escapes are
    /// decoded and scanned again. An error means that some part of the
    /// request could not be inspected.
    // Kept out of line so that a profile can select one inspection by this
    // symbol (`callgrind --toggle-collect='*Inspector*inspect*'`). It runs
    // once per request, so the call costs nothing measurable.
    #[inline(never)]
    pub fn inspect(&self, request: &Request<'_>) -> Result<Report, InspectError> {
        let body = decode::content_encoding::decode_body(
            request.body,
            request.content_encoding,
            &self.limits,
        )?;
        let mut collector = Collector::new(&self.subject_key, request.today)
            .with_identity_key(request.identity_key);
        decode::scan_request(request, &body, &self.limits, &mut collector)?;
        Ok(collector.finish(body.len() as u64))
    }

    /// Inspects a request like [`Inspector::inspect`] and returns every
    /// match with its raw value, for measuring detector quality against a
    /// labelled corpus. Raw values must never be logged or stored; the
    /// gateway does not enable the `evaluation` feature.
    #[cfg(feature = "evaluation")]
    pub fn evaluate(&self, request: &Request<'_>) -> Result<Vec<EvaluatedMatch>, InspectError> {
        let body = decode::content_encoding::decode_body(
            request.body,
            request.content_encoding,
            &self.limits,
        )?;
        let mut collector = Collector::new(&self.subject_key, request.today)
            .with_identity_key(request.identity_key);
        collector.keep_matches();
        decode::scan_request(request, &body, &self.limits, &mut collector)?;
        Ok(collector.finish_with_matches())
    }

    /// Returns `text` with every detected value replaced by its masked form.
    ///
    /// Values hidden behind percent-encoding are found and masked too, so the
    /// raw request path can be passed as it was sent. Matches that only a
    /// known key allows, such as an unseparated `00`-prefixed phone number,
    /// are masked as well.
    pub fn mask_text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        mask::mask_text(text)
    }

    /// Returns the request path `path` with every detected value replaced
    /// by its masked form, each segment judged with the segment before it
    /// as its key, as [`Inspector::inspect`] reads the path
    /// (`/patients/dob/1985-03-14`). The result also passes through
    /// [`Inspector::mask_text`].
    pub fn mask_path<'t>(&self, path: &'t str) -> Cow<'t, str> {
        match masking::mask_path(path.as_bytes(), None, &|mask| Cow::Borrowed(mask)) {
            Some(masked) => {
                let masked = String::from_utf8_lossy(&masked).into_owned();
                Cow::Owned(mask::mask_text(&masked).into_owned())
            }
            None => mask::mask_text(path),
        }
    }
}
