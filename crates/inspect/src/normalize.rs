//! Unicode normalisation of decoded text before detection.
//!
//! People and input methods write the same identifier in several ways:
//! full-width digits (`１３８１２３４５６７８`), an ideographic space or a
//! full-width hyphen between groups, Arabic-Indic digits, or a zero-width
//! space inside a number that a detector would otherwise see as two short
//! runs. Detectors work on ASCII, so this module rewrites every such
//! character first:
//!
//! - characters whose NFKC compatibility form is ASCII become that form
//!   (full-width letters, digits and punctuation, circled digits,
//!   ligatures), using the `unicode-normalization` tables;
//! - space characters become an ASCII space and dashes a `-`;
//! - an ideographic full stop between ASCII letters or digits becomes `.`;
//! - a Cyrillic or Greek look-alike of a Latin letter in an IBAN country
//!   code becomes that letter (see [`confusables`]);
//! - decimal digits of every script become ASCII digits;
//! - invisible format characters are removed.
//!
//! Every other character is kept as it is, so text in Chinese, Cyrillic or any
//! other script is not rewritten outside IBAN country codes. ASCII text is
//! returned without a copy, after one vectorised check, and so is non-ASCII
//! text in which nothing changes. The rewrite can record, for each output byte,
//! the offset of the input character it came from, so that a match in the
//! normalised text can be masked in the original.

use crate::confusables;
use crate::normalize_tables::{
    DASHES, DECIMAL_ZEROS, IDEOGRAPHIC_SPACE, INVISIBLE, SPACES, STABLE, in_ranges,
};

/// Maximum ASCII bytes that one character's compatibility form may expand
/// to. ASCII forms such as `(10)` from U+247D stay well within it, and longer
/// forms (U+FDFA, an Arabic ligature) are not ASCII anyway.
const MAX_EXPANSION: usize = 18;

/// The rewrite of one input character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rewrite {
    Keep,
    Remove,
    Ascii(u8),
    /// An ASCII string of the given length in the scratch buffer.
    Expanded(usize),
    /// An ideographic full stop, which becomes `.` only between ASCII
    /// letters or digits (see [`between_ascii_alphanumerics`]).
    FullStop,
}

/// Normalises `text` into `out` and returns whether anything changed. When
/// it returns false, `out` is left in an unspecified state and `text` is
/// what should be scanned.
///
/// When `offsets` is given and something changed, it receives one entry per
/// output byte (the offset in `text` of the character that produced it)
/// plus a final entry equal to `text.len()`.
#[inline]
pub(crate) fn normalize(text: &[u8], out: &mut Vec<u8>, offsets: Option<&mut Vec<usize>>) -> bool {
    // Most segments are ASCII; this check is inlined into the caller so
    // that they pay neither a call nor the rewrite loop.
    if is_ascii(text) {
        return false;
    }
    normalize_non_ascii(text, out, offsets)
}

/// Returns whether every byte of `text` is ASCII, ORing eight bytes at a
/// time: for the short values of records this is cheaper than the
/// standard library's check, which aligns its reads first.
fn is_ascii(text: &[u8]) -> bool {
    let mut chunks = text.chunks_exact(8);
    let mut bits = 0u64;
    for chunk in &mut chunks {
        bits |= u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    }
    let tail = chunks
        .remainder()
        .iter()
        .fold(0u8, |bits, &byte| bits | byte);
    bits & u64::from_le_bytes([0x80; 8]) == 0 && tail < 0x80
}

fn normalize_non_ascii(
    text: &[u8],
    out: &mut Vec<u8>,
    mut offsets: Option<&mut Vec<usize>>,
) -> bool {
    let mut changed = false;
    let mut copied = 0;
    let mut index = 0;
    let mut scratch = [0u8; MAX_EXPANSION];
    while index < text.len() {
        if text[index] < 0x80 {
            index += 1;
            continue;
        }
        let Some((character, width)) = decode_char(&text[index..]) else {
            // Invalid UTF-8 (ISO-8859-1 text) is kept byte by byte.
            index += 1;
            continue;
        };
        let rewrite = match rewrite_char(character, &mut scratch) {
            Rewrite::Keep => match confusables::iban_code_letter(text, index) {
                Some(latin) => Rewrite::Ascii(latin),
                None => Rewrite::Keep,
            },
            Rewrite::FullStop if between_ascii_alphanumerics(text, index, index + width) => {
                Rewrite::Ascii(b'.')
            }
            Rewrite::FullStop => Rewrite::Keep,
            rewrite => rewrite,
        };
        if rewrite != Rewrite::Keep {
            if !changed {
                out.clear();
                if let Some(offsets) = offsets.as_deref_mut() {
                    offsets.clear();
                }
                changed = true;
            }
            copy_unchanged(text, copied, index, out, offsets.as_deref_mut());
            let replacement: &[u8] = match rewrite {
                Rewrite::Ascii(byte) => &[byte],
                Rewrite::Expanded(length) => &scratch[..length],
                Rewrite::Keep | Rewrite::Remove | Rewrite::FullStop => &[],
            };
            out.extend_from_slice(replacement);
            if let Some(offsets) = offsets.as_deref_mut() {
                offsets.extend(std::iter::repeat_n(index, replacement.len()));
            }
            copied = index + width;
        }
        index += width;
    }
    if changed {
        copy_unchanged(text, copied, text.len(), out, offsets.as_deref_mut());
        if let Some(offsets) = offsets {
            offsets.push(text.len());
        }
    }
    changed
}

/// Returns whether `character` is the ideographic full stop or its
/// half-width form, which Chinese and Japanese input methods type in place
/// of `.`.
fn is_ideographic_full_stop(character: char) -> bool {
    matches!(character, '\u{3002}' | '\u{FF61}')
}

/// Returns whether the bytes just before `start` and at `end` are ASCII
/// letters or digits. An ideographic full stop between two of them
/// separates the labels of a host name or an address typed with an input
/// method (`john。doe＠example。com`). At the end of a sentence it follows
/// other characters and stays as it is.
fn between_ascii_alphanumerics(text: &[u8], start: usize, end: usize) -> bool {
    start > 0
        && text[start - 1].is_ascii_alphanumeric()
        && text.get(end).is_some_and(u8::is_ascii_alphanumeric)
}

fn copy_unchanged(
    text: &[u8],
    from: usize,
    to: usize,
    out: &mut Vec<u8>,
    offsets: Option<&mut Vec<usize>>,
) {
    out.extend_from_slice(&text[from..to]);
    if let Some(offsets) = offsets {
        offsets.extend(from..to);
    }
}

/// Maps the normalised span `start..end` back to the original text through
/// `offsets` as filled by [`normalize`]. The end is extended to the end of
/// the last original character, so an expanded character is never cut.
pub(crate) fn original_span(offsets: &[usize], start: usize, mut end: usize) -> (usize, usize) {
    let last = offsets.len() - 1;
    while end > start && end < last && offsets[end] == offsets[end - 1] {
        end += 1;
    }
    (offsets[start], offsets[end.min(last)])
}

/// Decides what one non-ASCII character becomes.
fn rewrite_char(character: char, scratch: &mut [u8; MAX_EXPANSION]) -> Rewrite {
    let code = u32::from(character);
    if in_ranges(code, &STABLE) {
        return Rewrite::Keep;
    }
    if in_ranges(code, &INVISIBLE) {
        return Rewrite::Remove;
    }
    if code == IDEOGRAPHIC_SPACE || in_ranges(code, &SPACES) {
        return Rewrite::Ascii(b' ');
    }
    if in_ranges(code, &DASHES) {
        return Rewrite::Ascii(b'-');
    }
    if is_ideographic_full_stop(character) {
        return Rewrite::FullStop;
    }
    if let Some(digit) = decimal_digit(code) {
        return Rewrite::Ascii(b'0' + digit);
    }
    compatibility_ascii(character, scratch)
}

/// Returns the value of a non-ASCII decimal digit.
fn decimal_digit(code: u32) -> Option<u8> {
    let block = DECIMAL_ZEROS.partition_point(|&zero| zero <= code);
    let zero = *DECIMAL_ZEROS.get(block.checked_sub(1)?)?;
    let digit = code - zero;
    (digit <= 9).then_some(digit as u8)
}

/// Returns the NFKC compatibility form of `character` when that form is
/// ASCII and differs from the character.
fn compatibility_ascii(character: char, scratch: &mut [u8; MAX_EXPANSION]) -> Rewrite {
    let mut length = 0;
    let mut ascii = true;
    unicode_normalization::char::decompose_compatible(character, |part| {
        if !part.is_ascii() || length == MAX_EXPANSION {
            ascii = false;
            return;
        }
        scratch[length] = part as u8;
        length += 1;
    });
    match length {
        _ if !ascii => Rewrite::Keep,
        0 => Rewrite::Keep,
        1 => Rewrite::Ascii(scratch[0]),
        _ => Rewrite::Expanded(length),
    }
}

/// Decodes the UTF-8 character at the start of `bytes`, if valid.
fn decode_char(bytes: &[u8]) -> Option<(char, usize)> {
    let width = match bytes[0] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let encoded = bytes.get(..width)?;
    let character = std::str::from_utf8(encoded).ok()?.chars().next()?;
    Some((character, width))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(text: &str) -> Option<String> {
        let mut out = Vec::new();
        normalize(text.as_bytes(), &mut out, None).then(|| String::from_utf8(out).unwrap())
    }

    #[test]
    fn ascii_and_stable_text_is_unchanged() {
        for text in [
            "jane@example.com",
            "张三 北京市",
            "Ярослав",
            "Müller Straße",
        ] {
            assert_eq!(normalized(text), None, "{text}");
        }
    }

    #[test]
    fn compatibility_and_script_digits_become_ascii() {
        let cases = [
            ("１３８１２３４５６７８", "13812345678"),
            ("１３８　１２３４　５６７８", "138 1234 5678"),
            ("０１０－１２３４５６７８", "010-12345678"),
            ("jane＠example．com", "jane@example.com"),
            ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
            ("१२३", "123"),
            ("138\u{2011}1234\u{2013}5678", "138-1234-5678"),
            ("138\u{a0}1234", "138 1234"),
            ("①②", "12"),
            ("电话：１３８", "电话:138"),
        ];
        for (text, expected) in cases {
            assert_eq!(normalized(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn invisible_characters_are_removed() {
        let cases = [
            ("138\u{200b}1234\u{200c}5678", "13812345678"),
            ("jane\u{ad}@exam\u{feff}ple.com", "jane@example.com"),
            ("\u{202e}1101\u{2060}05", "110105"),
        ];
        for (text, expected) in cases {
            assert_eq!(normalized(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn ascii_check_looks_at_every_byte() {
        for length in 0..24 {
            assert!(is_ascii(&vec![b'a'; length]), "{length}");
            for at in 0..length {
                let mut text = vec![b'a'; length];
                text[at] = 0x80;
                assert!(!is_ascii(&text), "{length} {at}");
            }
        }
    }

    #[test]
    fn invalid_utf8_is_kept() {
        let mut out = Vec::new();
        assert!(normalize(b"Jos\xe9 \xef\xbc\x91", &mut out, None));
        assert_eq!(out, b"Jos\xe9 1");
    }

    #[test]
    fn offsets_map_matches_back_to_the_original() {
        let text = "tel \u{ff11}\u{ff13}\u{200b}8 end";
        let mut out = Vec::new();
        let mut offsets = Vec::new();
        assert!(normalize(text.as_bytes(), &mut out, Some(&mut offsets)));
        assert_eq!(out, b"tel 138 end");
        assert_eq!(offsets.len(), out.len() + 1);
        let (start, end) = original_span(&offsets, 4, 7);
        assert_eq!(&text[start..end], "\u{ff11}\u{ff13}\u{200b}8");
    }

    #[test]
    fn expanded_characters_are_never_cut() {
        let text = "\u{2121}";
        let mut out = Vec::new();
        let mut offsets = Vec::new();
        assert!(normalize(text.as_bytes(), &mut out, Some(&mut offsets)));
        assert_eq!(out, b"TEL");
        assert_eq!(original_span(&offsets, 0, 2), (0, text.len()));
    }
}
