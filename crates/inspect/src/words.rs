//! Tests on eight bytes at once, in a `u64` read little-endian, and a
//! search sixteen bytes at a time with vector instructions. The scanners
//! that look for a few byte values in long runs of text use them: string
//! ends in JSON, delimiters in CSV, control bytes in text bodies and the
//! anchors of the pattern scan.
//!
//! Each word test leaves the high bit of a byte set where the byte
//! matches. Setting or masking the high bit before an addition or
//! subtraction keeps every carry and borrow inside its own byte, so these
//! tests are exact.

use wide::u8x16;

/// Bytes with every byte set to one.
pub(crate) const ONES: u64 = u64::from_le_bytes([1; 8]);
/// Bytes with only the high bit of every byte set.
pub(crate) const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);
/// Bytes with all but the high bit of every byte set.
pub(crate) const LOW_BITS: u64 = u64::from_le_bytes([0x7f; 8]);

/// Returns the high bit of every zero byte of `word`. Adding 0x7F to the
/// low seven bits of each byte carries into its high bit unless they are
/// all zero, and no carry crosses into the next byte.
#[inline]
pub(crate) fn zero_bytes(word: u64) -> u64 {
    !(((word & LOW_BITS) + LOW_BITS) | word) & HIGH_BITS
}

/// Returns the high bit of every byte of `word` that equals `byte`.
#[inline]
pub(crate) fn bytes_equal(word: u64, byte: u8) -> u64 {
    zero_bytes(word ^ (ONES * u64::from(byte)))
}

/// Returns the high bit of every byte of `word` below `limit` (at most
/// 0x80), and possibly of a byte above a marked one. Subtracting `limit`
/// from a byte below it borrows from the next byte, so only the lowest
/// mark is certain. This is the cheaper test when only the first match
/// counts.
#[inline]
pub(crate) fn bytes_below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGH_BITS
}

/// Returns the high bit of every byte of `word` that is not an ASCII
/// digit. After XOR with `'0'` a digit is a byte below 10. Adding 0x76 to
/// the low seven bits carries into the high bit from 10 upwards, and a byte
/// whose high bit was set is no digit either.
#[inline]
pub(crate) fn non_digit_bytes(word: u64) -> u64 {
    let offset = word ^ (ONES * u64::from(b'0'));
    (((offset & LOW_BITS) + ONES * 0x76) | offset) & HIGH_BITS
}

/// Returns the offset of the first `byte` in `text`. Field values are
/// short, and for them testing eight bytes at a time costs less than
/// setting up `memchr`, which takes over from [`SHORT_TEXT_BYTES`] on.
pub(crate) fn find_byte(text: &[u8], byte: u8) -> Option<usize> {
    if text.len() >= SHORT_TEXT_BYTES {
        return memchr::memchr(byte, text);
    }
    let mut chunks = text.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let marks = bytes_equal(word(chunk), byte);
        if marks != 0 {
            return Some(offset + (marks.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    let rest = chunks.remainder();
    rest.iter()
        .position(|&other| other == byte)
        .map(|index| offset + index)
}

/// Lengths of text that [`byte_bits`] reads: at least one vector, and at
/// most one bit per byte of a `u64`.
const BYTE_BITS_LENGTHS: std::ops::RangeInclusive<usize> = 16..=64;

/// Returns the bits of the bytes of `text` that equal `byte`, bit `i` for
/// the byte at offset `i`, when `text` has 16 to 64 bytes. For such text,
/// testing sixteen bytes per step costs less than [`find_byte`], and every
/// match is found in one pass.
pub(crate) fn byte_bits(text: &[u8], byte: u8) -> Option<u64> {
    let length = text.len();
    if !BYTE_BITS_LENGTHS.contains(&length) {
        return None;
    }
    let target = u8x16::splat(byte);
    let bits_at = |offset: usize| {
        let bytes = u8x16::new(text[offset..offset + 16].try_into().unwrap_or_default());
        u64::from(bytes.simd_eq(target).to_bitmask()) << offset
    };
    // The last step reads the last sixteen bytes, which may overlap the
    // step before. A byte read twice sets the same bit.
    let mut bits = bits_at(length - 16);
    for offset in (0..length - 16).step_by(16) {
        bits |= bits_at(offset);
    }
    Some(bits)
}

/// Returns whether `text` contains `byte`, with [`find_byte`].
pub(crate) fn contains_byte(text: &[u8], byte: u8) -> bool {
    find_byte(text, byte).is_some()
}

/// Returns the offset of the first byte of `text` that `marks` marks. For a
/// vector of sixteen bytes, `marks` sets every bit of each marked byte, and
/// `is_marked` returns whether one byte is marked.
///
/// Sixteen bytes are tested per step with vector instructions. The
/// searches that use this one run over the rest of a body, where a step
/// rarely lacks sixteen bytes to read, so only the last few bytes of a
/// body are tested one at a time.
#[inline(always)]
pub(crate) fn find_marked(
    text: &[u8],
    marks: impl Fn(u8x16) -> u8x16,
    is_marked: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut offset = 0;
    while let Some(chunk) = text.get(offset..offset + 16) {
        let bytes = u8x16::new(chunk.try_into().unwrap_or_default());
        let found = marks(bytes).to_bitmask();
        if found != 0 {
            return Some(offset + found.trailing_zeros() as usize);
        }
        offset += 16;
    }
    text[offset..]
        .iter()
        .position(|&byte| is_marked(byte))
        .map(|index| offset + index)
}

/// Returns whether `text` contains `first` or `second`, testing sixteen
/// bytes per step. For a field value this costs less than two searches.
/// Neither byte may be zero, because zeros pad text of fewer than eight
/// bytes.
pub(crate) fn contains_either_byte(text: &[u8], first: u8, second: u8) -> bool {
    debug_assert!(first != 0 && second != 0, "zeros pad a short word");
    let length = text.len();
    // Reads may overlap, because testing a byte twice changes no result.
    // Text shorter than a vector is read as one or two words.
    if length < 16 {
        let marks = |word: u64| bytes_equal(word, first) | bytes_equal(word, second);
        let found = match text.get(..8) {
            Some(head) => marks(word(head)) | marks(word(&text[length - 8..])),
            None => marks(short_word(text)),
        };
        return found != 0;
    }
    let (first, second) = (u8x16::splat(first), u8x16::splat(second));
    let marks_at = |offset: usize| {
        let bytes = u8x16::new(text[offset..offset + 16].try_into().unwrap_or_default());
        bytes.simd_eq(first) | bytes.simd_eq(second)
    };
    // Text of up to two vectors, most field values, is read as its first
    // and last sixteen bytes without a loop.
    if length <= 32 {
        return (marks_at(0) | marks_at(length - 16)).any();
    }
    (0..length - 16)
        .step_by(16)
        .any(|offset| marks_at(offset).any())
        || marks_at(length - 16).any()
}

/// Reads the sixteen bytes of `text` from `offset` on as a vector, with
/// zeros in place of the bytes past its end. Short field values are read
/// whole this way without a call to `memcpy`.
#[inline]
pub(crate) fn vector_at(text: &[u8], offset: usize) -> u8x16 {
    if let Some(chunk) = text.get(offset..offset + 16) {
        return u8x16::new(chunk.try_into().unwrap_or_default());
    }
    let rest = &text[offset.min(text.len())..];
    let length = rest.len();
    // Two overlapping reads cover every length. The second is shifted so
    // that only its bytes past the first read remain.
    let (low, high) = if length >= 8 {
        let high = word(&rest[length - 8..]);
        (
            word(&rest[..8]),
            high.checked_shr(8 * (16 - length) as u32).unwrap_or(0),
        )
    } else {
        (short_word(rest), 0)
    };
    let mut bytes = [0; 16];
    bytes[..8].copy_from_slice(&low.to_le_bytes());
    bytes[8..].copy_from_slice(&high.to_le_bytes());
    u8x16::new(bytes)
}

/// Reads the sixteen bytes of `text` from `offset` on as a vector, and
/// returns with it how many bytes the read starts before `offset`: none
/// when sixteen bytes remain. Otherwise a text of at least sixteen bytes is
/// read from its last sixteen, which start before `offset`, and a shorter
/// one through [`vector_at`], with zeros past its end. Shifting a bit mask
/// of the vector right by the returned count puts bit `i` at byte
/// `offset + i`.
#[inline]
pub(crate) fn vector_from(text: &[u8], offset: usize) -> (u8x16, u32) {
    if let Some(chunk) = text.get(offset..offset + 16) {
        return (u8x16::new(chunk.try_into().unwrap_or_default()), 0);
    }
    let length = text.len();
    match length.checked_sub(16) {
        Some(last) => {
            let chunk = &text[last..];
            let overlap = (offset - last) as u32;
            (u8x16::new(chunk.try_into().unwrap_or_default()), overlap)
        }
        None => (vector_at(text, offset), 0),
    }
}

/// Reads up to 7 bytes as a little-endian word, with zeros past them.
#[inline]
fn short_word(bytes: &[u8]) -> u64 {
    let length = bytes.len();
    let read = |at: usize| u64::from(bytes[at]) << (8 * at);
    match length {
        0 => 0,
        1..=3 => read(0) | read(length / 2) | read(length - 1),
        _ => {
            let first = u32::from_le_bytes(bytes[..4].try_into().unwrap_or_default());
            let last = u32::from_le_bytes(bytes[length - 4..].try_into().unwrap_or_default());
            u64::from(first) | u64::from(last) << (8 * (length - 4))
        }
    }
}

/// Sets every bit of each byte of `bytes` from `low` to `high`, both
/// included, which are the bytes that clamping to the range leaves
/// unchanged.
#[inline]
pub(crate) fn vector_in_range(bytes: u8x16, low: u8, high: u8) -> u8x16 {
    let clamped = bytes.max(u8x16::splat(low)).min(u8x16::splat(high));
    clamped.simd_eq(bytes)
}

/// Returns whether `byte` is whitespace by [`char::is_whitespace`], which
/// unlike [`u8::is_ascii_whitespace`] includes the vertical tab.
pub(crate) const fn is_ascii_whitespace(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ')
}

/// Returns `value` without leading and trailing [`is_ascii_whitespace`]
/// bytes, as [`str::trim`] would.
pub(crate) fn trim_ascii_whitespace(value: &[u8]) -> &[u8] {
    // Most field values start and end with a byte above the space.
    if let (Some(&first), Some(&last)) = (value.first(), value.last())
        && first > b' '
        && last > b' '
    {
        return value;
    }
    let start = value
        .iter()
        .position(|&byte| !is_ascii_whitespace(byte))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|&byte| !is_ascii_whitespace(byte))
        .map_or(start, |last| last + 1);
    &value[start..end]
}

/// Length from which [`find_byte`] calls `memchr`.
const SHORT_TEXT_BYTES: usize = 64;

/// Reads `chunk`, eight bytes from `chunks_exact(8)`, as a little-endian
/// word. A chunk of another length reads as zero.
#[inline]
pub(crate) fn word(chunk: &[u8]) -> u64 {
    u64::from_le_bytes(chunk.try_into().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bytes_are_marked_exactly() {
        for target in [0u8, b',', b'\n', 0x7f, 0x80, 0xff] {
            for other in 0..=255u8 {
                for at in 0..8 {
                    let mut bytes = [other; 8];
                    bytes[at] = target;
                    let marks = bytes_equal(word(&bytes), target);
                    let lowest = bytes_below(word(&bytes) ^ (ONES * u64::from(target)), 1);
                    assert_eq!(lowest.trailing_zeros(), marks.trailing_zeros());
                    let expected: u64 = (0..8)
                        .filter(|&index| bytes[index] == target)
                        .map(|index| 0x80 << (8 * index))
                        .sum();
                    assert_eq!(marks, expected, "{target:#x} {other:#x} {at}");
                }
            }
        }
    }

    #[test]
    fn bytes_are_found_in_text_of_every_length() {
        for length in 0..80 {
            let text = vec![b'a'; length];
            assert!(!contains_byte(&text, b'@'), "{length}");
            for at in 0..length {
                let mut text = text.clone();
                text[at] = b'@';
                assert!(contains_byte(&text, b'@'), "{length} {at}");
                assert_eq!(find_byte(&text, b'@'), Some(at), "{length} {at}");
                // A second match later in the text does not move the first.
                if at + 1 < length {
                    text[length - 1] = b'@';
                    assert_eq!(find_byte(&text, b'@'), Some(at), "{length} {at}");
                }
            }
        }
    }

    #[test]
    fn byte_bits_mark_every_match() {
        for length in 0..80 {
            let mut text = vec![b'a'; length];
            for at in (0..length).step_by(3) {
                text[at] = b'@';
            }
            let expected: u64 = (0..length)
                .filter(|&at| text[at] == b'@')
                .map(|at| 1u64.checked_shl(at as u32).unwrap_or(0))
                .sum();
            let found = byte_bits(&text, b'@');
            if (16..=64).contains(&length) {
                assert_eq!(found, Some(expected), "{length}");
            } else {
                assert_eq!(found, None, "{length}");
            }
        }
    }

    #[test]
    fn either_byte_is_found_at_every_offset() {
        for length in 0..72 {
            let text = vec![b'a'; length];
            assert!(!contains_either_byte(&text, b'[', b'*'), "{length}");
            for at in 0..length {
                for byte in [b'[', b'*'] {
                    let mut text = text.clone();
                    text[at] = byte;
                    assert!(contains_either_byte(&text, b'[', b'*'), "{length} {at}");
                }
            }
        }
    }

    #[test]
    fn vectors_read_text_of_every_length() {
        let text: Vec<u8> = (1..=40).collect();
        for length in 0..=text.len() {
            for offset in (0..=length).step_by(16) {
                let mut expected = [0; 16];
                let end = length.min(offset + 16);
                expected[..end - offset].copy_from_slice(&text[offset..end]);
                let read = vector_at(&text[..length], offset).to_array();
                assert_eq!(read, expected, "{length} {offset}");
            }
        }
    }

    #[test]
    fn vector_ranges_include_both_ends() {
        let bytes = u8x16::new(std::array::from_fn(|index| 0x26 + index as u8));
        let marks = vector_in_range(bytes, b',', b'.').to_bitmask();
        assert_eq!(marks, 0b111 << (b',' - 0x26));
    }

    #[test]
    fn non_digits_are_marked_exactly() {
        for byte in 0..=255u8 {
            for other in [b'0', b'9', b'/', b':', 0x80, 0xb0] {
                for at in 0..8 {
                    let mut bytes = [other; 8];
                    bytes[at] = byte;
                    let expected: u64 = (0..8)
                        .filter(|&index| !bytes[index].is_ascii_digit())
                        .map(|index| 0x80 << (8 * index))
                        .sum();
                    let marks = non_digit_bytes(word(&bytes));
                    assert_eq!(marks, expected, "{byte:#x} {other:#x} {at}");
                }
            }
        }
    }
}
