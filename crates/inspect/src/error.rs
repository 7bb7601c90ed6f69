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
}
