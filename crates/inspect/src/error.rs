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
}

impl ContentCoding {
    /// Returns the coding's name as written in `Content-Encoding`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentCoding::Gzip => "gzip",
            ContentCoding::Deflate => "deflate",
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
         x-gzip and deflate, so send the body with one of those"
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

    /// A text or form body that contains a NUL byte, or in which more than
    /// [`crate::MAX_CONTROL_BYTES_PERCENT`] percent of the bytes are other C0
    /// control characters. `offset` is that of the first such byte in the
    /// content-decoded body, and `media_type` is the `Content-Type` without
    /// parameters, or `unknown` when the header is missing.
    #[error(
        "body of type {media_type} is binary (control byte at offset {offset}) and cannot be \
         inspected; only text, JSON and form bodies are inspected"
    )]
    BinaryBody { media_type: String, offset: usize },

    /// A body whose `Content-Type` names a charset other than UTF-8, ASCII,
    /// ISO-8859-1 or windows-1252, or that starts with a UTF-16 or UTF-32
    /// byte order mark. The detectors read ASCII bytes, so text in another
    /// encoding would pass unseen. `charset` keeps at most 40 characters, all
    /// of them printable ASCII.
    #[error("charset {charset:?} is not supported; send UTF-8")]
    UnsupportedCharset { charset: String },
}

/// Maximum characters of a `charset` value copied into an error. Common
/// charset names are far shorter, and the cut value still shows what the
/// client sent.
pub(crate) const MAX_CHARSET_CHARS: usize = 40;

/// Maximum characters of a media type copied into an error: a type and a
/// subtype of up to 127 characters each (RFC 6838 §4.2) and the `/`.
pub(crate) const MAX_MEDIA_TYPE_CHARS: usize = 255;

/// Returns `value` cut to `max_chars` characters, with every character
/// outside printable ASCII replaced by `?`. Errors are logged and stored, so
/// a client must not be able to write control sequences or unbounded text
/// into them.
pub(crate) fn sanitized(value: &str, max_chars: usize) -> String {
    value
        .chars()
        .take(max_chars)
        .map(|c| if matches!(c, ' '..='~') { c } else { '?' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitized_keeps_printable_ascii_only() {
        assert_eq!(sanitized("utf-16\u{1b}[2J\u{4e2d}", 40), "utf-16?[2J?");
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
                 be inspected; only text, JSON and form bodies are inspected",
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
