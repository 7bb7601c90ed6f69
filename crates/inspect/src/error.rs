//! The reasons an inspection can fail.
//!
//! Every error means that the body could not be fully inspected, and the
//! gateway blocks such a request rather than forward data it has not seen.

use std::fmt;

/// A compression scheme of `Content-Encoding` that the inspector decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentCoding {
    /// `gzip` or `x-gzip` (RFC 1952), one or more members.
    Gzip,
    /// `deflate`: a zlib stream (RFC 1950) or, as some servers send it, a raw
    /// deflate stream (RFC 1951).
    Deflate,
    /// `br`: a Brotli stream (RFC 7932).
    Brotli,
    /// `zstd`: one or more Zstandard frames (RFC 8878), with a window of at
    /// most 8 MiB as RFC 9659 requires of the content coding.
    Zstd,
}

impl ContentCoding {
    /// Returns the coding's name as written in `Content-Encoding`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentCoding::Gzip => "gzip",
            ContentCoding::Deflate => "deflate",
            ContentCoding::Brotli => "br",
            ContentCoding::Zstd => "zstd",
        }
    }
}

impl fmt::Display for ContentCoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a body could not be fully inspected. Every variant makes the gateway
/// block the request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InspectError {
    #[error(
        "unsupported content-encoding {encoding:?}; the inspector decodes only identity, gzip, \
         x-gzip, deflate, br and zstd, so send the body with one of those"
    )]
    UnsupportedEncoding { encoding: String },

    #[error("content-encoding lists {count} codings; at most {limit} stacked codings are decoded")]
    TooManyEncodings { count: usize, limit: usize },

    #[error("body of {size} bytes exceeds max_decoded_bytes ({limit} bytes)")]
    BodyTooLarge { size: usize, limit: usize },

    #[error("{encoding} body expands beyond max_decoded_bytes ({limit} bytes)")]
    DecodedTooLarge {
        encoding: ContentCoding,
        limit: usize,
    },

    #[error(
        "{encoding} body expands beyond max_expansion_ratio ({ratio} times its {encoded_bytes} \
         encoded bytes); a body this compressible is treated as a decompression bomb"
    )]
    ExpansionRatioExceeded {
        encoding: ContentCoding,
        ratio: usize,
        encoded_bytes: usize,
    },

    #[error("corrupt {encoding} body: {message}")]
    CorruptEncoding {
        encoding: ContentCoding,
        message: String,
    },

    #[error("truncated {encoding} body: the compressed stream ends before its end marker")]
    TruncatedEncoding { encoding: ContentCoding },

    #[error(
        "{encoding} body has {bytes} bytes after the end of the compressed stream; \
         those bytes cannot be inspected"
    )]
    TrailingData {
        encoding: ContentCoding,
        bytes: usize,
    },

    #[error("invalid JSON at byte {offset}: {message}")]
    InvalidJson { offset: usize, message: String },

    #[error("JSON nesting deeper than max_nesting_depth ({limit}) at byte {offset}")]
    JsonTooDeep { offset: usize, limit: usize },

    /// XML that is not well-formed: a mismatched or unclosed tag, a broken
    /// attribute, an unterminated comment or CDATA section. `offset` is a
    /// byte offset in the body after content decoding and transcoding to
    /// UTF-8.
    #[error("invalid XML at byte {offset}: {message}")]
    InvalidXml { offset: usize, message: String },

    /// An XML document that declares entities in its DOCTYPE, or refers to
    /// an entity other than the five predefined ones. Declared entities are
    /// never expanded: external ones would need a fetch, and nested internal
    /// ones expand exponentially ("billion laughs"). `name` keeps at most 40
    /// printable ASCII characters.
    #[error(
        "XML entity {name:?} at byte {offset} is not expanded; send the document without \
         entity declarations, using character references such as &#64; instead"
    )]
    XmlEntity { offset: usize, name: String },

    #[error("XML nesting deeper than max_nesting_depth ({limit}) at byte {offset}")]
    XmlTooDeep { offset: usize, limit: usize },

    /// A multipart body whose `Content-Type` has no `boundary` parameter, or
    /// one that RFC 2046 §5.1.1 does not allow (empty, longer than 70
    /// characters, or with characters outside its set).
    #[error("multipart body has no valid boundary parameter: {message}")]
    MultipartBoundary { message: String },

    /// A multipart body that does not follow its boundary: no first or
    /// closing delimiter, or a part without a header block.
    #[error("invalid multipart body at byte {offset}: {message}")]
    InvalidMultipart { offset: usize, message: String },

    #[error("multipart body has more than max_multipart_parts ({limit}) parts")]
    TooManyParts { limit: usize },

    #[error("multipart bodies nested deeper than max_multipart_depth ({limit})")]
    MultipartTooDeep { limit: usize },

    /// A multipart part with a `Content-Transfer-Encoding` other than
    /// `7bit`, `8bit`, `binary`, `base64` and `quoted-printable`. `encoding`
    /// keeps at most 40 printable ASCII characters.
    #[error(
        "unsupported content-transfer-encoding {encoding:?} in a multipart part; use base64, \
         quoted-printable, 7bit, 8bit or binary"
    )]
    UnsupportedTransferEncoding { encoding: String },

    #[error("invalid {encoding} content in a multipart part at byte {offset}")]
    InvalidTransferEncoding {
        encoding: &'static str,
        offset: usize,
    },

    /// A value whose nested encodings (base64, JSON or form data inside a
    /// string, double percent-encoding) go deeper than the limit. The
    /// innermost layer would pass uninspected, so the request is rejected.
    #[error(
        "a value is encoded more than max_nested_depth ({limit}) times (base64, JSON or form \
         data inside a string, percent-encoding); its innermost content cannot be inspected"
    )]
    NestedTooDeep { limit: usize },

    #[error("values nested inside other values decode to more than max_nested_bytes ({limit})")]
    NestedTooLarge { limit: usize },

    /// A compressed body that carries data outside its content: the file
    /// name, comment or extra field of a gzip member header, or a zstd
    /// skippable frame with data. Decoders pass over it, so the inspector
    /// never reads it, yet it reaches the destination with the body.
    #[error(
        "{encoding} body carries {part}, which would reach the destination uninspected; \
         compress without it (gzip -n leaves out the file name)"
    )]
    CodingMetadata {
        encoding: ContentCoding,
        part: &'static str,
    },

    /// A base64 value that contains data the inspector cannot read as text: a
    /// ZIP archive (an XLSX or DOCX file among them), compressed data that
    /// does not decompress, or compressed data whose content is binary.
    /// That content would pass uninspected, so the request is rejected.
    #[error(
        "a base64 value contains {format} data that cannot be inspected ({reason}); send the \
         content as text, or as a multipart part of its own type"
    )]
    NestedBinary {
        format: &'static str,
        reason: &'static str,
    },

    /// A body or multipart part other than JSON that contains a NUL byte
    /// after transcoding, or in which more than
    /// [`crate::MAX_CONTROL_BYTES_PERCENT`] percent of the bytes are other C0
    /// control characters. `offset` is that of the first such byte in the
    /// content-decoded body or part, byte order mark included, or in the
    /// text transcoded from its charset when that was not UTF-8.
    /// `media_type` is the body's or part's `Content-Type` without
    /// parameters, or `unknown` when the header is missing.
    #[error(
        "body of type {media_type} is binary (control byte at offset {offset}) and cannot be \
         inspected; only text, JSON, XML, CSV, form and multipart bodies are inspected"
    )]
    BinaryBody { media_type: String, offset: usize },

    /// A body whose `Content-Type` (or XML declaration) names a charset that
    /// the inspector cannot transcode. That is a label unknown to the WHATWG
    /// Encoding Standard and not UTF-32, or one of the labels that the
    /// standard maps to its `replacement` encoding (ISO-2022-KR, HZ-GB-2312),
    /// whose decoder discards the text. `charset` keeps at most 40
    /// characters, all of them printable ASCII.
    #[error("charset {charset:?} is not supported; send UTF-8")]
    UnsupportedCharset { charset: String },

    /// A body declared as UTF-16 or UTF-32 without a byte order mark that
    /// has no NUL byte. Text in those charsets has a NUL in every ASCII
    /// character, so the body is most likely ASCII or UTF-8 under a wrong
    /// label. A server that ignores the label reads it in full, while the
    /// inspector, decoding as declared, would see only CJK characters.
    #[error(
        "body declared as charset {charset:?} has no NUL byte, so it is not in that charset; \
         fix the charset parameter or add a byte order mark"
    )]
    CharsetMismatch { charset: String },
}

/// Maximum characters of a `charset` value copied into an error. Common
/// charset names are far shorter, and the cut value still shows what the
/// client sent.
pub(crate) const MAX_CHARSET_CHARS: usize = 40;

/// Maximum characters of a media type copied into an error: a type and a
/// subtype of up to 127 characters each (RFC 6838 §4.2) and the `/`.
pub(crate) const MAX_MEDIA_TYPE_CHARS: usize = 255;

/// Maximum run of digits in a client-chosen token that is repeated in an
/// error. Charset labels and media types have at most five in a row
/// (`gb18030`, `iso-10646`), while ID, phone and card numbers have more.
const MAX_ECHOED_DIGIT_RUN: usize = 5;

/// Maximum number of digits in all in a repeated token (`iso-8859-15` has
/// six).
const MAX_ECHOED_DIGITS: usize = 8;

/// Returns `value` cut to `max_chars` characters, with every character
/// outside printable ASCII replaced by `?`, for repeating a client-chosen
/// token (a coding, a charset label, a media type) in an error. Errors are
/// logged, stored and hash-chained, so a client must not be able to write
/// control sequences, unbounded text or personal data into them. A value
/// with an `@`, or with more digits than such tokens have, is replaced by
/// its length.
pub fn sanitized(value: &str, max_chars: usize) -> String {
    let text: String = value
        .chars()
        .take(max_chars)
        .map(|c| if matches!(c, ' '..='~') { c } else { '?' })
        .collect();
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let longest_run = text
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    if text.contains('@') || digits > MAX_ECHOED_DIGITS || longest_run > MAX_ECHOED_DIGIT_RUN {
        return format!("[{} characters withheld]", value.chars().count());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitized_keeps_printable_ascii_only() {
        assert_eq!(sanitized("utf-16\u{1b}[2J\u{4e2d}", 40), "utf-16?[2J?");
    }

    #[test]
    fn sanitized_withholds_values_like_personal_data() {
        assert_eq!(
            sanitized("identity, x11010519491231002X", 100),
            "[29 characters withheld]"
        );
        assert_eq!(
            sanitized("jane@example.com", 100),
            "[16 characters withheld]"
        );
        assert_eq!(
            sanitized("x-49-30-1234-5678-9", 100),
            "[19 characters withheld]"
        );
        for token in [
            "gb18030",
            "iso-8859-15",
            "x-iso-10646-ucs-4",
            "windows-1252",
            "br",
        ] {
            assert_eq!(sanitized(token, 100), token);
        }
    }

    #[test]
    fn sanitized_cuts_long_values() {
        assert_eq!(sanitized(&"x".repeat(100), MAX_CHARSET_CHARS).len(), 40);
    }

    #[test]
    fn error_messages_name_the_value() {
        let cases = [
            (
                InspectError::BinaryBody {
                    media_type: "application/zip".to_owned(),
                    offset: 10,
                },
                "body of type application/zip is binary (control byte at offset 10) and cannot \
                 be inspected; only text, JSON, XML, CSV, form and multipart bodies are inspected",
            ),
            (
                InspectError::UnsupportedCharset {
                    charset: "utf-16".to_owned(),
                },
                "charset \"utf-16\" is not supported; send UTF-8",
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(error.to_string(), expected);
        }
    }
}
