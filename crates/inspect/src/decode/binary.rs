//! Detection of binary bodies, which a text scan cannot inspect.
//!
//! The detectors read ASCII bytes, so a zip archive, an image, a gzip file
//! sent as `application/gzip` or UTF-16 text would pass as "no personal
//! data" if scanned as text. Text in UTF-8, ASCII and the Latin-1 family
//! has no use for a NUL byte, which ends a string in C, and few uses for C0
//! control characters other than tab, line breaks, form feed and escape. A
//! NUL, or many of those other control bytes, marks a body as binary.

/// Maximum share of C0 control bytes, in percent of the body, that a text
/// body may contain. Tab, LF, CR, FF and ESC are not counted, and a NUL is
/// never allowed. Text may carry the odd stray control byte, while random
/// or compressed bytes are about 10% control bytes (27 of 256 values).
pub const MAX_CONTROL_BYTES_PERCENT: usize = 1;

/// Returns the offset of the byte that makes `body` binary: its first NUL,
/// or, when more than [`MAX_CONTROL_BYTES_PERCENT`] percent of its bytes
/// are other C0 control characters, the first of those. Returns `None` for
/// text, including an empty body.
///
/// Each block of [`BLOCK_BYTES`] is folded without a branch per byte,
/// which the compiler turns into vector instructions. Text has few counted
/// control bytes, so only the blocks that contain one are read byte by byte.
pub(crate) fn binary_offset(body: &[u8]) -> Option<usize> {
    let mut controls = 0usize;
    let mut first_control = None;
    for (index, block) in body.chunks(BLOCK_BYTES).enumerate() {
        // Tabs and line breaks are common and never counted. The rarer
        // form feed and escape are not counted either, which the byte loop
        // checks.
        let suspicious = block
            .iter()
            .fold(false, |found, &byte| found | is_suspicious(byte));
        if !suspicious {
            continue;
        }
        let start = index * BLOCK_BYTES;
        for (offset, &byte) in block.iter().enumerate() {
            if byte == 0 {
                return Some(start + offset);
            }
            if is_counted_control(byte) {
                controls += 1;
                first_control.get_or_insert(start + offset);
            }
        }
    }
    if controls * 100 > body.len() * MAX_CONTROL_BYTES_PERCENT {
        first_control
    } else {
        None
    }
}

/// Bytes folded at once by [`binary_offset`].
const BLOCK_BYTES: usize = 256;

/// Returns whether `byte` is a C0 control character other than the
/// common tab and line breaks: only a block with such a byte is read byte
/// by byte.
#[inline]
pub(crate) fn is_suspicious(byte: u8) -> bool {
    byte < 0x20 && byte != b'\t' && byte != b'\n' && byte != b'\r'
}

/// Returns whether `byte` is a C0 control character that text rarely
/// contains: any but tab, LF, FF, CR and ESC.
fn is_counted_control(byte: u8) -> bool {
    byte < 0x20 && byte != b'\t' && byte != b'\n' && byte != 0x0c && byte != b'\r' && byte != 0x1b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_not_binary() {
        let cases: [&[u8]; 5] = [
            b"",
            b"plain text\r\n\twith tabs\x0c and a form feed",
            b"\x1b[1mbold\x1b[0m terminal output",
            "UTF-8 text: \u{4e2d}\u{6587}".as_bytes(),
            b"Latin-1 Jos\xe9",
        ];
        for body in cases {
            assert_eq!(binary_offset(body), None, "{body:?}");
        }
    }

    #[test]
    fn nul_byte_is_binary_at_its_offset() {
        assert_eq!(binary_offset(b"PK\x03\x04\x14\x00"), Some(5));
        let mut long = vec![b'a'; 1000];
        long[700] = 0;
        assert_eq!(binary_offset(&long), Some(700));
    }

    #[test]
    fn utf16_text_is_binary() {
        let utf16: Vec<u8> = "jane@example.com"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(binary_offset(&utf16), Some(1));
    }

    #[test]
    fn many_control_bytes_are_binary_at_the_first() {
        let mut body = vec![b'a'; 1000];
        for offset in [300, 400, 500, 600, 700, 800, 900, 950, 960, 970, 980] {
            body[offset] = 0x01;
        }
        assert_eq!(binary_offset(&body), Some(300));
    }

    #[test]
    fn control_bytes_are_found_at_every_offset() {
        // Lengths around the blocks that are folded at once.
        let lengths = (0..10).chain([255, 256, 257, 511, 512, 513]);
        for length in lengths {
            for at in 0..length {
                for byte in 0..=0xffu8 {
                    let mut word = vec![b'a'; length];
                    word[at] = byte;
                    // One counted control byte in under 100 is too many.
                    let binary = byte == 0 || (is_counted_control(byte) && length < 100);
                    let expected = binary.then_some(at);
                    assert_eq!(binary_offset(&word), expected, "{length} {at} {byte}");
                }
            }
        }
        let all: Vec<u8> = (0..=255u8).cycle().take(10_000).skip(1).collect();
        assert_eq!(binary_offset(&all), Some(255));
    }

    #[test]
    fn one_percent_of_control_bytes_is_text() {
        let mut body = vec![b'a'; 1000];
        for offset in (0..1000).step_by(100) {
            body[offset] = 0x7;
        }
        assert_eq!(binary_offset(&body), None);
    }
}
