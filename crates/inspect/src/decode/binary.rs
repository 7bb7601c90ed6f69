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

/// Bytes checked per step. Each step is a loop without branches, which the
/// compiler can vectorise, and a `u8` counter cannot overflow within it.
const CHUNK_BYTES: usize = 64;

/// Returns the offset of the byte that makes `body` binary: its first NUL,
/// or, when more than [`MAX_CONTROL_BYTES_PERCENT`] percent of its bytes
/// are other C0 control characters, the first of those. Returns `None` for
/// text, including an empty body.
///
/// The body is read once. Only a chunk that contains a NUL or the first
/// counted control byte is read a second time, to find its offset.
pub(crate) fn binary_offset(body: &[u8]) -> Option<usize> {
    let mut controls = 0usize;
    let mut first_control = None;
    for (index, chunk) in body.chunks(CHUNK_BYTES).enumerate() {
        let chunk_start = index * CHUNK_BYTES;
        let mut has_nul = false;
        let mut chunk_controls = 0u8;
        for &byte in chunk {
            has_nul |= byte == 0;
            chunk_controls += u8::from(is_counted_control(byte));
        }
        if has_nul {
            return memchr::memchr(0, chunk).map(|offset| chunk_start + offset);
        }
        if chunk_controls > 0 {
            controls += usize::from(chunk_controls);
            if first_control.is_none() {
                let offset = chunk.iter().position(|&byte| is_counted_control(byte));
                first_control = offset.map(|offset| chunk_start + offset);
            }
        }
    }
    if controls * 100 > body.len() * MAX_CONTROL_BYTES_PERCENT {
        first_control
    } else {
        None
    }
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
    fn one_percent_of_control_bytes_is_text() {
        let mut body = vec![b'a'; 1000];
        for offset in (0..1000).step_by(100) {
            body[offset] = 0x7;
        }
        assert_eq!(binary_offset(&body), None);
    }
}
