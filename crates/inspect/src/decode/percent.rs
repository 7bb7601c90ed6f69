//! Percent-decoding of paths, query strings and form bodies (RFC 3986 §2.1).

use memchr::{memchr, memchr2};

/// Percent-decodes `input`, borrowing it when there is nothing to decode.
///
/// With `plus_as_space`, `+` decodes to a space as in
/// `application/x-www-form-urlencoded`. An escape that is not `%` followed by
/// two hex digits is kept literally, as browsers and most servers do, so the
/// bytes a server would see are the bytes scanned.
pub(crate) fn decode<'a>(
    input: &'a [u8],
    plus_as_space: bool,
    scratch: &'a mut Vec<u8>,
) -> &'a [u8] {
    let needs_decoding = if plus_as_space {
        memchr2(b'%', b'+', input).is_some()
    } else {
        memchr(b'%', input).is_some()
    };
    if !needs_decoding {
        return input;
    }
    scratch.clear();
    decode_into(input, plus_as_space, scratch, None);
    scratch
}

/// Returns whether `input` holds at least one valid `%XX` escape.
pub(crate) fn has_escape(input: &[u8]) -> bool {
    memchr::memchr_iter(b'%', input).any(|at| escaped_byte(&input[at + 1..]).is_some())
}

/// Percent-decodes `input` into `output` (cleared first), keeping `+`.
pub(crate) fn decode_to(input: &[u8], output: &mut Vec<u8>) {
    output.clear();
    decode_into(input, false, output, None);
}

/// Percent-decodes `input` into `output` (cleared first) and records in
/// `offsets` the input offset of every output byte, plus one final entry for
/// the input length, so that a range found in the output maps back to the
/// input.
pub(crate) fn decode_with_offsets(input: &[u8], output: &mut Vec<u8>, offsets: &mut Vec<usize>) {
    output.clear();
    offsets.clear();
    decode_into(input, false, output, Some(offsets));
    offsets.push(input.len());
}

fn decode_into(
    input: &[u8],
    plus_as_space: bool,
    output: &mut Vec<u8>,
    mut offsets: Option<&mut Vec<usize>>,
) {
    let mut index = 0;
    while index < input.len() {
        let (byte, width) = match input[index] {
            b'%' => match escaped_byte(&input[index + 1..]) {
                Some(byte) => (byte, 3),
                None => (b'%', 1),
            },
            b'+' if plus_as_space => (b' ', 1),
            byte => (byte, 1),
        };
        output.push(byte);
        if let Some(offsets) = offsets.as_deref_mut() {
            offsets.push(index);
        }
        index += width;
    }
}

fn escaped_byte(rest: &[u8]) -> Option<u8> {
    let [high, low, ..] = *rest else {
        return None;
    };
    Some(hex_value(high)? << 4 | hex_value(low)?)
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(input: &str, plus_as_space: bool) -> Vec<u8> {
        let mut scratch = Vec::new();
        decode(input.as_bytes(), plus_as_space, &mut scratch).to_vec()
    }

    #[test]
    fn escapes_decode_to_bytes() {
        let cases: [(&str, bool, &[u8]); 8] = [
            ("jane%40example.com", true, b"jane@example.com"),
            ("a+b", true, b"a b"),
            ("a+b", false, b"a+b"),
            ("%e4%B8%AD", false, "中".as_bytes()),
            ("100%", true, b"100%"),
            ("%zz%4", true, b"%zz%4"),
            ("%%41", true, b"%A"),
            ("%FF", false, b"\xff"),
        ];
        for (input, plus_as_space, expected) in cases {
            assert_eq!(decoded(input, plus_as_space), expected, "{input}");
        }
    }

    #[test]
    fn plain_input_is_borrowed() {
        let input = b"/users/42";
        let mut scratch = Vec::new();
        let output = decode(input, true, &mut scratch);
        assert!(std::ptr::eq(output, input.as_slice()));
    }

    #[test]
    fn offsets_map_output_back_to_input() {
        let mut output = Vec::new();
        let mut offsets = Vec::new();
        decode_with_offsets(b"a%40b", &mut output, &mut offsets);
        assert_eq!(output, b"a@b");
        assert_eq!(offsets, [0, 1, 4, 5]);
    }
}
