//! Decoding of JSON string literals (RFC 8259 §7).
//!
//! A string without escapes is returned as a range of the input, so the
//! common case copies nothing. Escapes are decoded into a reusable buffer.

use memchr::memchr2;

use crate::InspectError;

/// A decoded string: either a range of the input or the scratch buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodedString {
    Borrowed { start: usize, end: usize },
    Scratch,
}

/// Decodes the string literal whose opening quote is at `*position`, leaves
/// `*position` after the closing quote and writes escaped strings into
/// `scratch`.
///
/// Bytes that are not valid UTF-8 are passed through unchanged, because the
/// detectors work on bytes and rejecting them would only hide the rest of the
/// document from inspection.
pub(crate) fn decode_string(
    input: &[u8],
    position: &mut usize,
    scratch: &mut Vec<u8>,
) -> Result<DecodedString, InspectError> {
    let start = *position + 1;
    let mut cursor = start;
    let mut escaped = false;
    loop {
        let Some(found) = memchr2(b'"', b'\\', &input[cursor..]) else {
            return Err(invalid(input.len(), "unterminated string"));
        };
        let stop = cursor + found;
        reject_control_characters(input, cursor, stop)?;
        if escaped {
            scratch.extend_from_slice(&input[cursor..stop]);
        }
        if input[stop] == b'"' {
            *position = stop + 1;
            return Ok(if escaped {
                DecodedString::Scratch
            } else {
                DecodedString::Borrowed { start, end: stop }
            });
        }
        if !escaped {
            escaped = true;
            scratch.clear();
            scratch.extend_from_slice(&input[start..stop]);
        }
        cursor = decode_escape(input, stop, scratch)?;
    }
}

fn reject_control_characters(input: &[u8], from: usize, to: usize) -> Result<(), InspectError> {
    match input[from..to].iter().position(|&byte| byte < 0x20) {
        Some(offset) => Err(invalid(
            from + offset,
            "unescaped control character in string",
        )),
        None => Ok(()),
    }
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
            DecodedString::Borrowed { start, end } => input[start..end].to_vec(),
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
        assert_eq!(decoded, DecodedString::Borrowed { start: 1, end: 4 });
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
