//! Transcoding of bodies to UTF-8 before they are parsed.
//!
//! Every detector reads ASCII bytes (`@`, digits, letters), and keys such as
//! `身份证号` are compared as UTF-8. A body in UTF-16 has a NUL after every
//! ASCII letter, and a GBK or Shift_JIS trail byte can be any ASCII byte, so
//! such a body is transcoded once, as a whole, before any parser reads it.
//!
//! The charset comes from, in this order: a byte order mark, the `charset`
//! parameter of `Content-Type`, and for XML the first bytes of the document
//! (XML 1.0 Appendix F: the UTF-16 and UTF-32 forms of `<?`, then the
//! `encoding` of the XML declaration). A body with none of them is kept as
//! it is: UTF-8 or an ASCII-compatible charset, which the detectors read as
//! it is.
//!
//! Malformed input in a declared charset becomes U+FFFD, one per bad
//! sequence, and decoding goes on. The WHATWG decoders that `encoding_rs`
//! implements never swallow an ASCII byte into a bad sequence, so every
//! ASCII character after the damage is still seen.

use std::borrow::Cow;

use encoding_rs::{Encoding, ISO_2022_JP, UTF_8, UTF_16BE, UTF_16LE};

use crate::InspectError;
use crate::decode::binary::binary_offset;
use crate::decode::media_type;
use crate::decode::profile::ByteProfile;
use crate::error::{MAX_CHARSET_CHARS, sanitized};

/// How far into an XML body its declaration is looked for. The declaration
/// must come first; its longest legal form with spaces fits easily.
const XML_DECLARATION_BYTES: usize = 512;

/// The charset of a body, as far as transcoding needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    /// UTF-8 or unknown: the bytes are scanned as they are.
    AsIs,
    Encoding(&'static Encoding),
    Utf32 {
        big_endian: bool,
    },
}

/// A detected charset and the length of the byte order mark to remove.
struct Detected {
    charset: Charset,
    bom_bytes: usize,
    /// A charset of 16 or 32 bits per unit that only a label names: the
    /// bytes must look like it.
    declared_wide: Option<String>,
    /// The profile of the whole body, when the charset had to be guessed.
    profile: Option<ByteProfile>,
}

/// Returns `body` as UTF-8: borrowed when no transcoding is needed (a UTF-8
/// byte order mark is cut off), owned otherwise.
///
/// An unknown `charset` label is an error, because the bytes cannot be
/// read. So is a body declared as UTF-16 or UTF-32, without a byte order
/// mark, that contains no NUL byte. ASCII text in those charsets always has
/// NULs, so such a body is almost surely mislabelled ASCII. Decoded as
/// declared, every address in it would turn into CJK characters that no
/// detector matches, while a server that ignores the label reads it plainly.
/// The transcoded body may not exceed `max_bytes`.
pub(crate) fn to_utf8<'b>(
    body: &'b [u8],
    content_type: Option<&str>,
    xml: bool,
    max_bytes: usize,
) -> Result<Cow<'b, [u8]>, InspectError> {
    transcode(body, content_type, xml, false, max_bytes).map(|transcoded| transcoded.text)
}

/// A body transcoded to UTF-8 by [`transcode`].
pub(crate) struct Transcoded<'b> {
    pub text: Cow<'b, [u8]>,
    /// The body came from a charset in which ASCII text does not read as
    /// itself (UTF-16, UTF-32, ISO-2022-JP), so a destination that ignores
    /// the label or the byte order mark reads other text than `text`.
    pub hides_ascii: bool,
    /// `text` is known to hold no control byte that could make it binary,
    /// so the binary check may be skipped. Only found when asked for.
    pub free_of_controls: bool,
    /// The length of the UTF-8 byte order mark cut off a body that is
    /// otherwise kept as it is: `text` starts this far into the body.
    pub bom_bytes: usize,
}

/// Transcodes `body` like [`to_utf8`] and tells whether its charset hides
/// ASCII text. With `controls`, the read of the body that guesses its
/// charset also looks for control bytes, for a caller that checks the text
/// for binary data (see [`Transcoded::free_of_controls`]).
pub(crate) fn transcode<'b>(
    body: &'b [u8],
    content_type: Option<&str>,
    xml: bool,
    controls: bool,
    max_bytes: usize,
) -> Result<Transcoded<'b>, InspectError> {
    let detected = detect(body, content_type, xml, controls)?;
    let hides_ascii = match detected.charset {
        Charset::Utf32 { .. } => true,
        Charset::Encoding(encoding) => !encoding.is_ascii_compatible(),
        Charset::AsIs => false,
    };
    let bytes = &body[detected.bom_bytes..];
    if let Some(charset) = detected.declared_wide
        && memchr::memchr(0, bytes).is_none()
        && !bytes.is_empty()
    {
        return Err(InspectError::CharsetMismatch { charset });
    }
    // The profile describes the whole body, which is the text when no byte
    // order mark was cut off and the bytes stay as they are.
    let free_of_controls = detected.bom_bytes == 0
        && detected
            .profile
            .is_some_and(|profile| profile.controls == Some(false));
    let decoded = match detected.charset {
        Charset::AsIs => {
            return Ok(Transcoded {
                text: Cow::Borrowed(bytes),
                hides_ascii,
                free_of_controls,
                bom_bytes: detected.bom_bytes,
            });
        }
        Charset::Encoding(encoding) => match encoding.decode_without_bom_handling(bytes).0 {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        },
        Charset::Utf32 { big_endian } => Cow::Owned(decode_utf32(bytes, big_endian)),
    };
    if decoded.len() > max_bytes {
        return Err(InspectError::BodyTooLarge {
            size: decoded.len(),
            limit: max_bytes,
        });
    }
    let free_of_controls = free_of_controls && matches!(decoded, Cow::Borrowed(_));
    Ok(Transcoded {
        text: decoded,
        hides_ascii,
        free_of_controls,
        bom_bytes: 0,
    })
}

/// Returns the encoding that a form body's escapes are in: its declared
/// charset when that is ASCII-compatible and not UTF-8. Such a body is not
/// transcoded as a whole (see [`super::form::scan_form_in`]).
pub(crate) fn form_encoding(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Option<&'static Encoding>, InspectError> {
    if byte_order_mark(body).is_some() {
        return Ok(None);
    }
    let declared = match content_type {
        Some(content_type) => declared_charset(content_type)?,
        None => None,
    };
    Ok(match declared {
        Some((Charset::Encoding(encoding), _)) if encoding.is_ascii_compatible() => Some(encoding),
        _ => None,
    })
}

/// The first four bytes of an XML declaration, `<?xm`, in EBCDIC (XML 1.0,
/// appendix F). Read as ASCII they are `Lo§”`, which no text starts with.
const EBCDIC_XML_DECLARATION: [u8; 4] = [0x4C, 0x6F, 0xA7, 0x94];

fn detect(
    body: &[u8],
    content_type: Option<&str>,
    xml: bool,
    controls: bool,
) -> Result<Detected, InspectError> {
    // Whatever the declared type: mainframe exports arrive unlabelled, and
    // an EBCDIC body read in any ASCII-based charset shows nothing.
    if body.starts_with(&EBCDIC_XML_DECLARATION) {
        return Err(InspectError::UnsupportedCharset {
            charset: "ebcdic".to_owned(),
        });
    }
    if let Some((charset, bom_bytes)) = byte_order_mark(body) {
        return Ok(Detected {
            charset,
            bom_bytes,
            declared_wide: None,
            profile: None,
        });
    }
    let declared = match content_type {
        Some(content_type) => declared_charset(content_type)?,
        None => None,
    };
    if let Some((charset, label)) = declared {
        let wide = matches!(charset, Charset::Utf32 { .. })
            || charset == Charset::Encoding(UTF_16LE)
            || charset == Charset::Encoding(UTF_16BE);
        let mut profile = None;
        let charset = if wide {
            wide_order(charset, body)
        } else if matches!(charset, Charset::AsIs) || charset == Charset::Encoding(UTF_8) {
            // A body labelled UTF-8 that is not UTF-8 was mislabelled by the
            // system that exported it.
            guess_as_is(body, controls, &mut profile).map_or(charset, Charset::Encoding)
        } else {
            charset
        };
        return Ok(Detected {
            charset,
            bom_bytes: 0,
            declared_wide: wide.then_some(label),
            profile,
        });
    }
    let charset = if xml {
        xml_charset(body)?
    } else {
        Charset::AsIs
    };
    let mut profile = None;
    let charset = match charset {
        Charset::AsIs => {
            guess_as_is(body, controls, &mut profile).map_or(Charset::AsIs, Charset::Encoding)
        }
        labelled => labelled,
    };
    Ok(Detected {
        charset,
        bom_bytes: 0,
        declared_wide: None,
        profile,
    })
}

/// Maximum bytes that the charset guess reads. Read whole, an unlabelled
/// Latin-1 export went through at 6 MiB/s, so a 128 MiB body would hold
/// the request for about 20 seconds. A quarter of a MiB of text that
/// starts outside ASCII gives the guess plenty to tell charsets apart.
const MAX_GUESS_BYTES: usize = 256 * 1024;

/// Guesses the charset of a body that names none, when it cannot be read
/// as it is: bytes that are not UTF-8 (a GBK or Shift_JIS export sent
/// without a label), or 7-bit text with the escape sequences of ISO-2022-JP.
/// Scanned as they are, such bodies hide full-width digits and every
/// non-ASCII key and name. `chardetng` makes the guess that browsers make.
pub(crate) fn guess_unlabelled(bytes: &[u8]) -> Option<&'static Encoding> {
    guess_profiled(bytes, &ByteProfile::of(bytes, false))
}

/// Profiles `body` into `profile`, with control bytes when `controls`,
/// and guesses its charset like [`guess_unlabelled`].
fn guess_as_is(
    body: &[u8],
    controls: bool,
    profile: &mut Option<ByteProfile>,
) -> Option<&'static Encoding> {
    let profiled = profile.insert(ByteProfile::of(body, controls));
    guess_profiled(body, profiled)
}

/// Does what [`guess_unlabelled`] does, for bytes whose profile is known.
fn guess_profiled(bytes: &[u8], profile: &ByteProfile) -> Option<&'static Encoding> {
    if !profile.escape && profile.utf8 {
        return None;
    }
    // Binary data is no text in any charset; the binary check rejects it
    // with the offset of the byte as sent.
    if profile.controls != Some(false) && binary_offset(bytes).is_some() {
        return None;
    }
    // Only bytes outside ASCII and the escape byte of ISO-2022-JP tell
    // charsets apart, so the guess reads from the first of them.
    let start = bytes
        .iter()
        .position(|&byte| byte >= 0x80 || byte == 0x1b)
        .unwrap_or(0);
    let sample = &bytes[start..];
    let sample = &sample[..sample.len().min(MAX_GUESS_BYTES)];
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(sample, sample.len() == bytes.len() - start);
    let guess = detector.guess(None, false);
    (guess != UTF_8 && (guess.is_ascii_compatible() || guess == ISO_2022_JP)).then_some(guess)
}

/// Returns the charset named by a byte order mark and the mark's length.
/// The UTF-32LE mark starts with the UTF-16LE one, so it is tried first.
fn byte_order_mark(body: &[u8]) -> Option<(Charset, usize)> {
    let marks: [(&[u8], Charset); 5] = [
        (b"\xff\xfe\x00\x00", Charset::Utf32 { big_endian: false }),
        (b"\x00\x00\xfe\xff", Charset::Utf32 { big_endian: true }),
        (b"\xef\xbb\xbf", Charset::AsIs),
        (b"\xff\xfe", Charset::Encoding(UTF_16LE)),
        (b"\xfe\xff", Charset::Encoding(UTF_16BE)),
    ];
    marks
        .into_iter()
        .find(|(mark, _)| body.starts_with(mark))
        .map(|(mark, charset)| (charset, mark.len()))
}

/// Returns the charset of the `charset` parameters of `content_type` with
/// the label as sent, or an error for the first label that is not known.
fn declared_charset(content_type: &str) -> Result<Option<(Charset, String)>, InspectError> {
    let mut found = None;
    for (name, value) in media_type::parameters(content_type) {
        if name != "charset" {
            continue;
        }
        let charset = charset_for_label(&value)?;
        found.get_or_insert((charset, sanitized(&value, MAX_CHARSET_CHARS)));
    }
    Ok(found)
}

/// Maps a charset label to a charset: the WHATWG Encoding Standard's labels,
/// plus the UTF-32 labels that it leaves out.
fn charset_for_label(label: &str) -> Result<Charset, InspectError> {
    let trimmed = label.trim();
    let utf32 = [
        ("utf-32", false),
        ("utf32", false),
        ("utf-32le", false),
        ("utf-32be", true),
        ("ucs-4", true),
    ];
    if let Some((_, big_endian)) = utf32
        .iter()
        .find(|(name, _)| trimmed.eq_ignore_ascii_case(name))
    {
        return Ok(Charset::Utf32 {
            big_endian: *big_endian,
        });
    }
    match Encoding::for_label_no_replacement(trimmed.as_bytes()) {
        Some(encoding) if encoding == UTF_8 => Ok(Charset::AsIs),
        Some(encoding) => Ok(Charset::Encoding(encoding)),
        None => Err(InspectError::UnsupportedCharset {
            charset: shown_label(label),
        }),
    }
}

/// Returns an unknown charset label as it may appear in an error, which
/// goes to the log, the record and the client. A label that looks like a
/// charset name, with a digit, `-` or `_` (`utf-7`, `x_mac_roman`) or one
/// of a few names without them (`ebcdic`), is shown. Any other label
/// (`charset=Whitfield`) may be data and is withheld.
fn shown_label(label: &str) -> String {
    const NAMES: [&str; 6] = ["ebcdic", "ascii", "binary", "unicode", "ansi", "macintosh"];
    let label = label.trim();
    let charset_like = label
        .bytes()
        .any(|byte| byte.is_ascii_digit() || matches!(byte, b'-' | b'_'))
        || NAMES.iter().any(|name| label.eq_ignore_ascii_case(name));
    if charset_like {
        sanitized(label, MAX_CHARSET_CHARS)
    } else {
        format!("[{} characters withheld]", label.chars().count())
    }
}

/// Bytes at the start of a body whose NULs decide its byte order.
const BYTE_ORDER_SAMPLE: usize = 1024;

/// Picks the byte order of a UTF-16 or UTF-32 body declared without one
/// (`utf-16`, `utf-32`): the one that puts its NUL bytes, which ASCII
/// characters have in their high byte, where they belong. Without NULs the
/// label's own order applies (little-endian for a bare `utf-16`, as the
/// WHATWG standard and Windows do).
fn wide_order(charset: Charset, body: &[u8]) -> Charset {
    let sample = &body[..body.len().min(BYTE_ORDER_SAMPLE)];
    let unit = if matches!(charset, Charset::Utf32 { .. }) {
        4
    } else {
        2
    };
    let mut first = 0usize;
    let mut last = 0usize;
    for (offset, &byte) in sample.iter().enumerate() {
        if byte == 0 {
            match offset % unit {
                0 => first += 1,
                position if position == unit - 1 => last += 1,
                _ => {}
            }
        }
    }
    let big_endian = match first.cmp(&last) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => return charset,
    };
    match charset {
        Charset::Utf32 { .. } => Charset::Utf32 { big_endian },
        Charset::Encoding(_) if big_endian => Charset::Encoding(UTF_16BE),
        Charset::Encoding(_) => Charset::Encoding(UTF_16LE),
        Charset::AsIs => charset,
    }
}

/// Returns the charset of an XML body without byte order mark or declared
/// charset: UTF-16 or UTF-32 when its first character `<` has NUL bytes,
/// else the `encoding` of its declaration. A declaration that names UTF-16
/// or UTF-32 is ignored: it was just read as ASCII, so the bytes are not.
fn xml_charset(body: &[u8]) -> Result<Charset, InspectError> {
    let charset = match body {
        [b'<', 0, 0, 0, ..] => Charset::Utf32 { big_endian: false },
        [0, 0, 0, b'<', ..] => Charset::Utf32 { big_endian: true },
        [b'<', 0, b'?', 0, ..] => Charset::Encoding(UTF_16LE),
        [0, b'<', 0, b'?', ..] => Charset::Encoding(UTF_16BE),
        _ => match xml_declared_encoding(body) {
            Some(label) => match charset_for_label(label)? {
                Charset::Utf32 { .. } => Charset::AsIs,
                Charset::Encoding(encoding) if encoding == UTF_16LE || encoding == UTF_16BE => {
                    Charset::AsIs
                }
                charset => charset,
            },
            None => Charset::AsIs,
        },
    };
    Ok(charset)
}

/// Returns the `encoding` value of an XML declaration at the start of
/// `body`, if there is one.
fn xml_declared_encoding(body: &[u8]) -> Option<&str> {
    let head = &body[..body.len().min(XML_DECLARATION_BYTES)];
    let rest = head.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(rest, b"?>")?;
    let declaration = &rest[..end];
    let at = memchr::memmem::find(declaration, b"encoding")?;
    let after = declaration[at + b"encoding".len()..].trim_ascii_start();
    let after = after.strip_prefix(b"=")?.trim_ascii_start();
    let (&quote, value) = after.split_first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let close = memchr::memchr(quote, value)?;
    std::str::from_utf8(&value[..close]).ok()
}

/// Decodes UTF-32, which `encoding_rs` leaves out. A unit that is not a
/// Unicode scalar value, and a last unit cut short, become U+FFFD.
fn decode_utf32(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let mut units = bytes.chunks_exact(4);
    for unit in units.by_ref() {
        let unit = [unit[0], unit[1], unit[2], unit[3]];
        let value = if big_endian {
            u32::from_be_bytes(unit)
        } else {
            u32::from_le_bytes(unit)
        };
        let character = char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER);
        let mut buffer = [0u8; 4];
        out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
    }
    if !units.remainder().is_empty() {
        out.extend_from_slice("\u{fffd}".as_bytes());
    }
    out
}

#[cfg(test)]
#[path = "charset_tests.rs"]
mod tests;
