//! Base64 (RFC 4648) decoding for values that hide text and for multipart
//! parts sent with `Content-Transfer-Encoding: base64`.
//!
//! Two entry points with different strictness. [`decode_value`] decides
//! whether a string is base64 at all, so it accepts one alphabet per string
//! and line breaks only, and needs [`MIN_VALUE_CHARS`] characters. Transfer
//! encoding is declared, so [`decode_transfer`] skips all whitespace and
//! fails only on a character outside both alphabets.

/// Fewest base64 characters for a value to be decoded: 12 bytes of text.
/// Shorter strings of letters and digits (codes, short IDs, words) decode
/// to printable text by chance often enough to waste work, and 12 bytes
/// hold little personal data that a detector could confirm.
pub(crate) const MIN_VALUE_CHARS: usize = 16;

/// Returns whether [`decode_value`] accepts `byte` other than as `=`
/// padding: a letter or digit of either alphabet or a line break.
pub(crate) const fn is_value_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'-' | b'_' | b'\r' | b'\n')
}

/// Whether each byte value is a character of either alphabet: no padding,
/// no line break.
static SYMBOLS: [bool; 256] = {
    let mut symbols = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let value = byte as u8;
        symbols[byte] = value.is_ascii_alphanumeric() || matches!(value, b'+' | b'/' | b'-' | b'_');
        byte += 1;
    }
    symbols
};

fn is_symbol(byte: u8) -> bool {
    SYMBOLS[usize::from(byte)]
}

/// Returns whether `text` contains [`MIN_VALUE_CHARS`] characters of either
/// alphabet in a row, the shortest run that [`symbol_runs`] returns.
///
/// A window of that many bytes is judged from its last byte backwards, and
/// the next window starts after the last byte that is no symbol. Words and
/// numbers in free text are short, so most windows end at once and the
/// search reads about one byte in ten of such text.
#[inline]
pub(crate) fn has_symbol_run(text: &[u8]) -> bool {
    let mut start = 0;
    while let Some(window) = text.get(start..start + MIN_VALUE_CHARS) {
        match window.iter().rposition(|&byte| !is_symbol(byte)) {
            Some(offset) => start += offset + 1,
            None => return true,
        }
    }
    false
}

/// Returns the runs of at least [`MIN_VALUE_CHARS`] characters of either
/// alphabet in `text`, each with up to two `=` of padding after it: base64
/// written inside a longer value (`attachment: SGFsbG8…`).
pub(crate) fn symbol_runs(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let start = rest.iter().position(|&byte| is_symbol(byte))?;
            let symbols = rest[start..]
                .iter()
                .position(|&byte| !is_symbol(byte))
                .unwrap_or(rest.len() - start);
            let padding = rest[start + symbols..]
                .iter()
                .take(2)
                .take_while(|&&byte| byte == b'=')
                .count();
            let (run, after) = rest[start..].split_at(symbols + padding);
            rest = after;
            if symbols >= MIN_VALUE_CHARS {
                return Some(run);
            }
        }
    })
}

/// Returns the 6-bit value of a character of either alphabet (`+/` or
/// `-_`), with the alphabet it belongs to: 1 for standard, 2 for URL-safe,
/// 0 for the characters both share.
fn sextet(byte: u8) -> Option<(u8, u8)> {
    let value = match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => return Some((62, 1)),
        b'/' => return Some((63, 1)),
        b'-' => return Some((62, 2)),
        b'_' => return Some((63, 2)),
        _ => return None,
    };
    Some((value, 0))
}

/// Returns the 6-bit value of a character of either alphabet.
pub(crate) fn sextet_value(byte: u8) -> Option<u8> {
    sextet(byte).map(|(value, _)| value)
}

/// Collects bits into bytes.
#[derive(Default)]
struct Accumulator {
    bits: u32,
    count: u8,
}

impl Accumulator {
    fn push(&mut self, value: u8, out: &mut Vec<u8>) {
        self.bits = self.bits << 6 | u32::from(value);
        self.count += 6;
        if self.count >= 8 {
            self.count -= 8;
            out.push((self.bits >> self.count) as u8);
            self.bits &= (1 << self.count) - 1;
        }
    }
}

/// Decodes `input` into `out` (cleared first) when the whole string is
/// base64: one alphabet, `=` padding only at the end and only as much as
/// the length needs, line breaks (`\r`, `\n`) allowed, at least
/// [`MIN_VALUE_CHARS`] characters. Returns whether it was.
///
/// The string is checked first and decoded only when it passes, four
/// characters to three bytes at a time, so values that merely use the
/// alphabet (account numbers, codes) cost no decoding.
pub(crate) fn decode_value(input: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    let mut alphabet = 0u8;
    let mut characters = 0usize;
    let mut padding = 0usize;
    for &byte in input {
        if byte == b'\r' || byte == b'\n' {
            continue;
        }
        if byte == b'=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return false;
        }
        let Some((_, kind)) = sextet(byte) else {
            return false;
        };
        if kind != 0 {
            if alphabet != 0 && alphabet != kind {
                return false;
            }
            alphabet = kind;
        }
        characters += 1;
    }
    let remainder = characters % 4;
    let padding_fits = padding == 0 || (remainder + padding) % 4 == 0;
    let valid = characters >= MIN_VALUE_CHARS && remainder != 1 && padding <= 2 && padding_fits;
    if valid {
        decode_checked(input, characters, out);
    }
    valid
}

/// Decodes `input`, whose `characters` base64 characters were checked, into
/// `out`. Line breaks and padding are skipped.
fn decode_checked(input: &[u8], characters: usize, out: &mut Vec<u8>) {
    out.reserve(characters / 4 * 3 + 2);
    let mut group = 0u32;
    let mut count = 0;
    for &byte in input {
        let Some((value, _)) = sextet(byte) else {
            continue;
        };
        group = group << 6 | u32::from(value);
        count += 1;
        if count == 4 {
            out.extend_from_slice(&[(group >> 16) as u8, (group >> 8) as u8, group as u8]);
            group = 0;
            count = 0;
        }
    }
    // Two leftover characters carry one byte and three carry two. The
    // remaining low bits are padding.
    match count {
        2 => out.push((group >> 4) as u8),
        3 => out.extend_from_slice(&[(group >> 10) as u8, (group >> 2) as u8]),
        _ => {}
    }
}

/// Decodes base64 transfer encoding into `out` (cleared first), skipping
/// whitespace. Returns the offset of the first character outside both
/// alphabets, or of a character after padding that ends no quantum, as the
/// error.
///
/// Padding that completes a quantum of four characters may be followed by
/// more base64: encoders that append separately encoded chunks write such
/// bodies, and each chunk decodes on its own.
pub(crate) fn decode_transfer(input: &[u8], out: &mut Vec<u8>) -> Result<(), usize> {
    out.clear();
    let mut accumulator = Accumulator::default();
    let mut padded = false;
    // Characters of the current quantum, padding included, modulo 4.
    let mut quantum = 0u8;
    for (offset, &byte) in input.iter().enumerate() {
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'=' => {
                padded = true;
                quantum = (quantum + 1) % 4;
            }
            _ => {
                let Some((value, _)) = sextet(byte) else {
                    return Err(offset);
                };
                if padded {
                    if quantum != 0 {
                        return Err(offset);
                    }
                    // A new chunk: the bits left over from the last one
                    // were padding.
                    accumulator = Accumulator::default();
                    padded = false;
                }
                accumulator.push(value, out);
                quantum = (quantum + 1) % 4;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(input: &str) -> Option<String> {
        let mut out = Vec::new();
        decode_value(input.as_bytes(), &mut out).then(|| String::from_utf8_lossy(&out).into())
    }

    #[test]
    fn symbol_runs_are_found_inside_text() {
        let runs = |text: &str| -> Vec<String> {
            symbol_runs(text.as_bytes())
                .map(|run| String::from_utf8_lossy(run).into())
                .collect()
        };
        assert_eq!(
            runs("file: amFuZUBleGFtcGxlLmNvbQ== and 0123456789abcdef!"),
            ["amFuZUBleGFtcGxlLmNvbQ==", "0123456789abcdef"]
        );
        // Padding beyond two and runs of fifteen are left out.
        assert_eq!(
            runs("x YWJjZGVmZ2hpamtsbW5v==="),
            ["YWJjZGVmZ2hpamtsbW5v=="]
        );
        assert!(runs("a 0123456789abcde b").is_empty());
        for text in [
            "amFuZUBleGFtcGxlLmNvbQ",
            "-> amFuZUBleGFtcGxlLmNvbQ",
            "amFuZUBleGFtcGxlLmNvbQ <-",
            "ab cd ef gh ij kl mn op qr st ab 0123456789abcdef",
        ] {
            assert!(has_symbol_run(text.as_bytes()), "{text}");
            assert_eq!(runs(text).len(), 1, "{text}");
        }
        for text in [
            "",
            "0123456789abcde",
            "2024-03-05T12:00:00Z",
            "Baker Street 12, London",
            "jane.doe1234@example.com",
        ] {
            assert!(!has_symbol_run(text.as_bytes()), "{text}");
            assert!(runs(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn values_in_every_form_decode() {
        let cases = [
            ("amFuZUBleGFtcGxlLmNvbQ==", "jane@example.com"),
            ("amFuZUBleGFtcGxlLmNvbQ", "jane@example.com"),
            ("amFuZUBleGFt\r\ncGxlLmNvbQ==", "jane@example.com"),
            ("Pz8_Pz8_Pz8_Pz8_", "????????????"),
            ("Pz8/Pz8/Pz8/Pz8/", "????????????"),
        ];
        for (input, expected) in cases {
            assert_eq!(value(input).as_deref(), Some(expected), "{input}");
        }
    }

    #[test]
    fn non_base64_values_are_rejected() {
        for input in [
            "amFuZUBleGFt",
            "short",
            "Pz8_Pz8/Pz8_Pz8/",
            "amFuZUBl=eGFtcGxlLmNvbQ",
            "amFuZUBleGFtcGxlLmNvbQ===",
            "jane doe example com",
            "amFuZUBleGFtcGxlLmNvb",
        ] {
            assert_eq!(value(input), None, "{input}");
        }
    }

    #[test]
    fn values_decode_like_transfer_encoding() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for length in MIN_VALUE_CHARS..MIN_VALUE_CHARS + 8 {
            if length % 4 == 1 {
                continue;
            }
            let input: Vec<u8> = (0..length)
                .map(|index| alphabet[(index * 7 + length) % alphabet.len()])
                .collect();
            let (mut decoded, mut expected) = (Vec::new(), Vec::new());
            assert!(decode_value(&input, &mut decoded), "{length}");
            decode_transfer(&input, &mut expected).unwrap();
            assert_eq!(decoded, expected, "{length}");
        }
    }

    #[test]
    fn transfer_encoding_skips_whitespace() {
        let mut out = Vec::new();
        decode_transfer(b"amFu ZUBl\r\neGFt cGxl LmNv bQ==\r\n", &mut out).unwrap();
        assert_eq!(out, b"jane@example.com");
        assert_eq!(decode_transfer(b"amFu*", &mut out), Err(4));
    }

    #[test]
    fn transfer_encoding_reads_padded_chunks() {
        let mut out = Vec::new();
        decode_transfer(b"amFuZQ==\r\nQGV4YW1wbGUuY29t", &mut out).unwrap();
        assert_eq!(out, b"jane@example.com");
        decode_transfer(b"YQ==Yg==YzE=", &mut out).unwrap();
        assert_eq!(out, b"abc1");
        // Padding that ends no quantum cannot start a new chunk.
        assert_eq!(decode_transfer(b"YQ=Yg==", &mut out), Err(3));
        assert_eq!(decode_transfer(b"YWI=Yg=c", &mut out), Err(7));
    }
}
