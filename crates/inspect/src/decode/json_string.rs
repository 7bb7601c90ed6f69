//! Decoding of JSON string literals (RFC 8259 §7).
//!
//! A string without escapes is returned as a range of the input, so the
//! common case copies nothing. Escapes are decoded into a reusable buffer.

use memchr::memchr2;
use wide::u8x16;

use crate::InspectError;
use crate::words::find_marked;

/// A decoded string: either a slice of the input or the scratch buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodedString<'a> {
    Borrowed(&'a [u8]),
    Scratch,
}

/// Decodes the string literal whose opening quote is at `*position`, leaves
/// `*position` after the closing quote and writes escaped strings into
/// `scratch`.
///
/// Bytes that are not valid UTF-8 are passed through unchanged, because the
/// detectors work on bytes and rejecting them would only hide the rest of the
/// document from inspection.
#[inline(always)]
pub(crate) fn decode_string<'a>(
    input: &'a [u8],
    position: &mut usize,
    scratch: &mut Vec<u8>,
) -> Result<DecodedString<'a>, InspectError> {
    // Most strings have no escape: this path is inlined into the tokenizer
    // and ends at the first special byte when it is the closing quote.
    let start = *position + 1;
    let rest = input.get(start..).unwrap_or_default();
    if let Some(found) = find_special(rest)
        && let Some((text, [b'"', ..])) = rest.split_at_checked(found)
    {
        *position = start + found + 1;
        return Ok(DecodedString::Borrowed(text));
    }
    decode_escaped_string(input, position, scratch)
}

/// Decodes a string literal like [`decode_string`] once its fast path has
/// met an escape, a control character or the end of the input.
fn decode_escaped_string<'a>(
    input: &'a [u8],
    position: &mut usize,
    scratch: &mut Vec<u8>,
) -> Result<DecodedString<'a>, InspectError> {
    let start = *position + 1;
    let mut cursor = start;
    let mut escaped = false;
    loop {
        let Some(found) = find_special(&input[cursor..]) else {
            return Err(invalid(input.len(), "unterminated string"));
        };
        let stop = cursor + found;
        if escaped {
            scratch.extend_from_slice(&input[cursor..stop]);
        }
        match input[stop] {
            b'"' => {
                *position = stop + 1;
                return Ok(if escaped {
                    DecodedString::Scratch
                } else {
                    DecodedString::Borrowed(&input[start..stop])
                });
            }
            b'\\' => {
                if !escaped {
                    escaped = true;
                    scratch.clear();
                    scratch.extend_from_slice(&input[start..stop]);
                }
                cursor = decode_escape(input, stop, scratch)?;
            }
            // A control character in a string that never ends is reported
            // as the missing end, which is the larger problem.
            _ if memchr2(b'"', b'\\', &input[stop..]).is_none() => {
                return Err(invalid(input.len(), "unterminated string"));
            }
            _ => return Err(invalid(stop, "unescaped control character in string")),
        }
    }
}

/// Returns the offset of the first quote, backslash or control character
/// (below 0x20) in `bytes`: the end of a string, an escape or an error.
/// `bytes` runs to the end of the body, so the search reads sixteen bytes
/// per step nearly everywhere, which beats `memchr2` on the short strings
/// of JSON records and finds control characters in the same pass.
#[inline]
fn find_special(bytes: &[u8]) -> Option<usize> {
    let (quote, backslash) = (u8x16::splat(b'"'), u8x16::splat(b'\\'));
    let (last_control, zero) = (u8x16::splat(0x1F), u8x16::splat(0));
    find_marked(
        bytes,
        |chunk| {
            // Subtracting 0x1F with saturation leaves zero exactly where a
            // byte is a control character.
            chunk.simd_eq(quote)
                | chunk.simd_eq(backslash)
                | chunk.saturating_sub(last_control).simd_eq(zero)
        },
        |byte| byte == b'"' || byte == b'\\' || byte < 0x20,
    )
}

/// Decodes the escape at `backslash` into `out` and returns the offset after
/// it.
fn decode_escape(input: &[u8], backslash: usize, out: &mut Vec<u8>) -> Result<usize, InspectError> {
    let Some(&kind) = input.get(backslash + 1) else {
        return Err(invalid(input.len(), "unterminated string"));
    };
    let simple = match kind {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'u' => return decode_unicode_escape(input, backslash, out),
        _ => return Err(invalid(backslash, "invalid escape sequence")),
    };
    out.push(simple);
    Ok(backslash + 2)
}

/// Decodes `\uXXXX`, joining a UTF-16 surrogate pair written as two escapes.
/// A surrogate without its partner is an error, because it has no UTF-8 form.
fn decode_unicode_escape(
    input: &[u8],
    backslash: usize,
    out: &mut Vec<u8>,
) -> Result<usize, InspectError> {
    let unit = hex4(input, backslash + 2)?;
    let (scalar, next) = match unit {
        0xD800..=0xDBFF => {
            let low_start = backslash + 6;
            if input.get(low_start..low_start + 2) != Some(b"\\u") {
                return Err(invalid(backslash, "lone surrogate in \\u escape"));
            }
            let low = hex4(input, low_start + 2)?;
            if !(0xDC00..=0xDFFF).contains(&low) {
                return Err(invalid(backslash, "lone surrogate in \\u escape"));
            }
            let scalar = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
            (scalar, low_start + 6)
        }
        0xDC00..=0xDFFF => return Err(invalid(backslash, "lone surrogate in \\u escape")),
        unit => (u32::from(unit), backslash + 6),
    };
    // Surrogates were handled above, so every remaining value is a scalar value.
    let character = char::from_u32(scalar).unwrap_or(char::REPLACEMENT_CHARACTER);
    let mut buffer = [0u8; 4];
    out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
    Ok(next)
}

fn hex4(input: &[u8], start: usize) -> Result<u16, InspectError> {
    let Some(digits) = input.get(start..start + 4) else {
        return Err(invalid(input.len().min(start), "truncated \\u escape"));
    };
    let mut value = 0u16;
    for (offset, &digit) in digits.iter().enumerate() {
        let nibble = match digit {
            b'0'..=b'9' => digit - b'0',
            b'a'..=b'f' => digit - b'a' + 10,
            b'A'..=b'F' => digit - b'A' + 10,
            _ => return Err(invalid(start + offset, "invalid hex digit in \\u escape")),
        };
        value = value << 4 | u16::from(nibble);
    }
    Ok(value)
}

pub(crate) fn invalid(offset: usize, message: &str) -> InspectError {
    InspectError::InvalidJson {
        offset,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(literal: &str) -> Result<Vec<u8>, InspectError> {
        let input = literal.as_bytes();
        let mut position = 0;
        let mut scratch = Vec::new();
        let decoded = decode_string(input, &mut position, &mut scratch)?;
        assert_eq!(position, input.len(), "{literal}");
        Ok(match decoded {
            DecodedString::Borrowed(text) => text.to_vec(),
            DecodedString::Scratch => scratch,
        })
    }

    #[test]
    fn escapes_decode() {
        let cases: [(&str, &str); 7] = [
            (r#""plain""#, "plain"),
            (r#""jane\u0040example.com""#, "jane@example.com"),
            (r#""a\"b\\c\/d""#, "a\"b\\c/d"),
            (r#""\b\f\n\r\t""#, "\u{8}\u{c}\n\r\t"),
            (r#""\u00e1\u4E2D""#, "á中"),
            (r#""\ud83d\ude00""#, "😀"),
            (r#""""#, ""),
        ];
        for (literal, expected) in cases {
            assert_eq!(decode(literal).unwrap(), expected.as_bytes(), "{literal}");
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let mut position = 0;
        let mut scratch = Vec::new();
        let decoded = decode_string(b"\"abc\"", &mut position, &mut scratch).unwrap();
        assert_eq!(decoded, DecodedString::Borrowed(b"abc"));
    }

    #[test]
    fn special_bytes_are_found_at_every_offset() {
        for length in 0..40 {
            for special in [b'"', b'\\', 0x1f, 0x00] {
                for at in 0..length {
                    let mut bytes = vec![b'a'; length];
                    bytes[at] = special;
                    if at + 1 < length {
                        bytes[at + 1] = b'"';
                    }
                    assert_eq!(find_special(&bytes), Some(at), "{length} {at} {special}");
                }
            }
            let clean: Vec<u8> = (0..length)
                .map(|index| 0x20 + (index % 0x60) as u8)
                .filter(|&byte| byte != b'"' && byte != b'\\')
                .collect();
            assert_eq!(find_special(&clean), None, "{length}");
        }
        // Every byte value, in the vector steps and in the tail.
        for value in 0..=u8::MAX {
            let special = value == b'"' || value == b'\\' || value < 0x20;
            for at in [0, 7, 15, 16, 31, 33, 35] {
                let mut bytes = vec![b'a'; 36];
                bytes[at] = value;
                let expected = special.then_some(at);
                assert_eq!(find_special(&bytes), expected, "{value:#x} {at}");
            }
        }
        assert_eq!(find_special("aé\u{80}ÿ\t".as_bytes()), Some(7));
        assert_eq!(find_special("ab!#ÿ€\\".as_bytes()), Some(9));
    }

    #[test]
    fn malformed_strings_are_errors_with_offsets() {
        let cases = [
            (r#""\ud83d""#, 1, "lone surrogate in \\u escape"),
            (r#""\ud83dx""#, 1, "lone surrogate in \\u escape"),
            (r#""\ud83d\u0041""#, 1, "lone surrogate in \\u escape"),
            (r#""\ude00""#, 1, "lone surrogate in \\u escape"),
            (r#""\x""#, 1, "invalid escape sequence"),
            (r#""\u12g4""#, 5, "invalid hex digit in \\u escape"),
            ("\"a\tb\"", 2, "unescaped control character in string"),
            (r#""open"#, 5, "unterminated string"),
        ];
        for (literal, offset, message) in cases {
            assert_eq!(
                decode(literal).unwrap_err(),
                invalid(offset, message),
                "{literal}"
            );
        }
    }
}
