//! `Content-Encoding` decoding with limits on size and expansion.
//!
//! Compressed bodies are decoded in bounded chunks, and decoding stops as soon
//! as the output passes a limit, so a decompression bomb costs at most the
//! limit in memory and never the full expanded size. This module parses the
//! header, keeps the limits and decodes gzip and deflate. [`super::brotli`]
//! and [`super::zstd`] decode the other two codings within the same
//! [`Bounds`].

use std::borrow::Cow;
use std::io::{self, Read};

use flate2::bufread::{DeflateDecoder, GzDecoder, ZlibDecoder};

use crate::error::{MAX_CHARSET_CHARS, sanitized};
use crate::{ContentCoding, InspectError, Limits};

/// Maximum number of codings in one `Content-Encoding` header. Real clients
/// send one; more only multiply the work of decoding.
pub const MAX_STACKED_CODINGS: usize = 4;

/// Decoded size below which the expansion ratio is not checked. A small body
/// can compress far better than 100:1 (a run of spaces, a repeated key) and
/// still be cheap to scan, so only output past this size counts as a bomb.
pub const EXPANSION_RATIO_FLOOR_BYTES: usize = 1024 * 1024;

/// Size of the buffer that each read from a decoder fills.
pub(crate) const CHUNK_BYTES: usize = 64 * 1024;

/// One token of `Content-Encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coding {
    Identity,
    Compressed(ContentCoding),
}

/// Decodes `body` as `content_encoding` describes it.
///
/// Codings are listed in the order they were applied, so they are removed in
/// reverse. The expansion ratio of every layer is measured against the body as
/// received, so stacked codings cannot multiply their ratios. An identity body
/// larger than `max_decoded_bytes` is an error as well, because the limit
/// bounds the bytes scanned whatever the encoding.
pub(crate) fn decode_body<'b>(
    body: &'b [u8],
    content_encoding: Option<&str>,
    limits: &Limits,
) -> Result<Cow<'b, [u8]>, InspectError> {
    let codings = parse_codings(content_encoding.unwrap_or(""))?;
    let mut decoded = Cow::Borrowed(body);
    for coding in codings.iter().rev() {
        let Coding::Compressed(coding) = *coding else {
            continue;
        };
        if decoded.is_empty() {
            break;
        }
        decoded = Cow::Owned(decompress(&decoded, coding, body.len(), limits)?);
    }
    if decoded.len() > limits.max_decoded_bytes {
        return Err(InspectError::BodyTooLarge {
            size: decoded.len(),
            limit: limits.max_decoded_bytes,
        });
    }
    Ok(decoded)
}

fn parse_codings(header: &str) -> Result<Vec<Coding>, InspectError> {
    let tokens: Vec<&str> = header
        .split(',')
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .collect();
    if tokens.len() > MAX_STACKED_CODINGS {
        return Err(InspectError::TooManyEncodings {
            count: tokens.len(),
            limit: MAX_STACKED_CODINGS,
        });
    }
    tokens.into_iter().map(parse_coding).collect()
}

fn parse_coding(token: &str) -> Result<Coding, InspectError> {
    let coding = if token.eq_ignore_ascii_case("identity") {
        Coding::Identity
    } else if token.eq_ignore_ascii_case("gzip") || token.eq_ignore_ascii_case("x-gzip") {
        Coding::Compressed(ContentCoding::Gzip)
    } else if token.eq_ignore_ascii_case("deflate") {
        Coding::Compressed(ContentCoding::Deflate)
    } else if token.eq_ignore_ascii_case("br") {
        Coding::Compressed(ContentCoding::Brotli)
    } else if token.eq_ignore_ascii_case("zstd") {
        Coding::Compressed(ContentCoding::Zstd)
    } else {
        return Err(InspectError::UnsupportedEncoding {
            encoding: sanitized(token, MAX_CHARSET_CHARS),
        });
    };
    Ok(coding)
}

pub(crate) fn decompress(
    input: &[u8],
    coding: ContentCoding,
    received_bytes: usize,
    limits: &Limits,
) -> Result<Vec<u8>, InspectError> {
    let bounds = Bounds::new(coding, received_bytes, limits);
    match coding {
        ContentCoding::Gzip => decompress_gzip(input, &bounds),
        ContentCoding::Deflate if has_zlib_header(input) => {
            let mut decoder = ZlibDecoder::new(input);
            let output = read_bounded(&mut decoder, &bounds)?;
            reject_trailing(coding, decoder.get_ref())?;
            Ok(output)
        }
        ContentCoding::Deflate => {
            let mut decoder = DeflateDecoder::new(input);
            let output = read_bounded(&mut decoder, &bounds)?;
            reject_trailing(coding, decoder.get_ref())?;
            Ok(output)
        }
        ContentCoding::Brotli => super::brotli::decode(input, &bounds),
        ContentCoding::Zstd => super::zstd::decode(input, &bounds),
    }
}

/// Returns whether `input` starts with a valid zlib header (RFC 1950 §2.2):
/// compression method 8, a window of at most 32 KiB and a header checksum
/// that makes the first two bytes a multiple of 31. A raw deflate stream
/// passes this check only by chance.
/// Decodes the members of a gzip body one at a time, so that the header of
/// each is checked: a file name, comment or extra field would reach the
/// destination with the body, and no decoder reads them. Trailing bytes
/// after the last member fail as an invalid header.
fn decompress_gzip(input: &[u8], bounds: &Bounds) -> Result<Vec<u8>, InspectError> {
    let mut output = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let mut decoder = GzDecoder::new(rest);
        read_bounded_into(&mut decoder, bounds, &mut output)?;
        if let Some(header) = decoder.header() {
            let part = if header.filename().is_some() {
                Some("a file name in its header")
            } else if header.comment().is_some() {
                Some("a comment in its header")
            } else if header.extra().is_some() {
                Some("an extra field in its header")
            } else {
                None
            };
            if let Some(part) = part {
                return Err(InspectError::CodingMetadata {
                    encoding: ContentCoding::Gzip,
                    part,
                });
            }
        }
        rest = decoder.into_inner();
    }
    Ok(output)
}

pub(crate) fn has_zlib_header(input: &[u8]) -> bool {
    let [cmf, flg, ..] = *input else {
        return false;
    };
    let method = cmf & 0x0f;
    let window_bits = cmf >> 4;
    method == 8 && window_bits <= 7 && (u16::from(cmf) << 8 | u16::from(flg)) % 31 == 0
}

pub(crate) fn reject_trailing(coding: ContentCoding, rest: &[u8]) -> Result<(), InspectError> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(InspectError::TrailingData {
            encoding: coding,
            bytes: rest.len(),
        })
    }
}

/// The output limits of one decoding layer.
pub(crate) struct Bounds {
    coding: ContentCoding,
    max_decoded_bytes: usize,
    max_expansion_ratio: usize,
    received_bytes: usize,
    ratio_limit_bytes: usize,
}

impl Bounds {
    pub(crate) fn new(coding: ContentCoding, received_bytes: usize, limits: &Limits) -> Self {
        let ratio_limit_bytes = received_bytes
            .saturating_mul(limits.max_expansion_ratio)
            .max(EXPANSION_RATIO_FLOOR_BYTES);
        Bounds {
            coding,
            max_decoded_bytes: limits.max_decoded_bytes,
            max_expansion_ratio: limits.max_expansion_ratio,
            received_bytes,
            ratio_limit_bytes,
        }
    }

    pub(crate) fn coding(&self) -> ContentCoding {
        self.coding
    }

    /// Returns an error when `decoded_bytes` of output pass a limit.
    pub(crate) fn check(&self, decoded_bytes: usize) -> Result<(), InspectError> {
        if decoded_bytes > self.max_decoded_bytes {
            return Err(InspectError::DecodedTooLarge {
                encoding: self.coding,
                limit: self.max_decoded_bytes,
            });
        }
        if decoded_bytes > self.ratio_limit_bytes {
            return Err(InspectError::ExpansionRatioExceeded {
                encoding: self.coding,
                ratio: self.max_expansion_ratio,
                encoded_bytes: self.received_bytes,
            });
        }
        Ok(())
    }
}

pub(crate) fn read_bounded(
    decoder: &mut impl Read,
    bounds: &Bounds,
) -> Result<Vec<u8>, InspectError> {
    let mut output = Vec::new();
    read_bounded_into(decoder, bounds, &mut output)?;
    Ok(output)
}

/// Appends the output of `decoder` to `output`, checking the limits against
/// the whole of `output`.
pub(crate) fn read_bounded_into(
    decoder: &mut impl Read,
    bounds: &Bounds,
    output: &mut Vec<u8>,
) -> Result<(), InspectError> {
    let mut chunk = vec![0u8; CHUNK_BYTES];
    loop {
        let read = match decoder.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(stream_error(bounds.coding, &error)),
        };
        bounds.check(output.len() + read)?;
        output.extend_from_slice(&chunk[..read]);
    }
}

pub(crate) fn stream_error(coding: ContentCoding, error: &io::Error) -> InspectError {
    if error.kind() == io::ErrorKind::UnexpectedEof {
        InspectError::TruncatedEncoding { encoding: coding }
    } else {
        InspectError::CorruptEncoding {
            encoding: coding,
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
#[path = "content_encoding_tests.rs"]
mod tests;
