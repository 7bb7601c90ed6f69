//! One read of a whole body for the checks that precede parsing.
//!
//! Before a body is parsed, its charset is guessed (is it ASCII, is it
//! UTF-8, does it contain the escape byte of ISO-2022-JP) and, unless it is
//! JSON, it is checked for the control bytes of binary data. Each check is
//! a fast fold, but on a body larger than the caches each separate pass
//! reads it from memory again, and that read costs more than the folds.
//! So the body is read in chunks that fit in the cache, and every check
//! runs on a chunk before the next one is read.

use wide::u8x16;

use crate::decode::binary;

/// Bytes read at a time: small enough to stay in a core's L2 cache while
/// every check reads them, large enough that the work per chunk costs
/// little.
const CHUNK_BYTES: usize = 64 * 1024;

/// The facts about a body's bytes that [`ByteProfile::of`] collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ByteProfile {
    /// The escape byte, which starts an ISO-2022-JP sequence.
    pub escape: bool,
    /// The body is valid UTF-8 (ASCII included).
    pub utf8: bool,
    /// Whether the body contains a C0 control byte other than tab, LF and
    /// CR. Only such bytes can make [`binary::binary_offset`] find the body
    /// binary. `None` when the caller did not ask.
    pub controls: Option<bool>,
}

impl ByteProfile {
    /// Profiles `bytes`, looking for control bytes only when `controls`.
    pub(crate) fn of(bytes: &[u8], controls: bool) -> ByteProfile {
        Self::in_chunks(bytes, controls, CHUNK_BYTES)
    }

    fn in_chunks(bytes: &[u8], controls: bool, chunk_bytes: usize) -> ByteProfile {
        let mut flags = Flags::default();
        // Bytes before `valid_to` are valid UTF-8; a sequence cut by the end
        // of a chunk is validated again with the next one.
        let mut valid_to = 0;
        let mut utf8 = true;
        for (index, chunk) in bytes.chunks(chunk_bytes).enumerate() {
            let (start, end) = (index * chunk_bytes, index * chunk_bytes + chunk.len());
            let chunk_flags = if controls {
                Flags::of::<true>(chunk)
            } else {
                Flags::of::<false>(chunk)
            };
            flags.add(chunk_flags);
            if !utf8 {
                continue;
            }
            if !chunk_flags.non_ascii {
                // An ASCII byte cannot finish a sequence the last chunk cut.
                utf8 = valid_to == start;
                valid_to = end;
                continue;
            }
            match simdutf8::compat::from_utf8(&bytes[valid_to..end]) {
                Ok(_) => valid_to = end,
                Err(error) if error.error_len().is_none() => valid_to += error.valid_up_to(),
                Err(_) => utf8 = false,
            }
        }
        ByteProfile {
            escape: flags.escape,
            utf8: utf8 && valid_to == bytes.len(),
            controls: controls.then_some(flags.controls),
        }
    }
}

/// Bytes read per step of [`Flags::of`]: four vectors of sixteen, so
/// that the work of a step hides the cost of the loop.
const STEP_BYTES: usize = 64;

/// The byte kinds found in one chunk of a body.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    non_ascii: bool,
    escape: bool,
    /// A control byte of binary data ([`binary::is_suspicious`]), when
    /// looked for.
    controls: bool,
}

impl Flags {
    /// Reads `chunk` [`STEP_BYTES`] per step with vector instructions and
    /// no branch inside a step, and looks for control bytes only when
    /// `CONTROLS`. The bytes after the last full step are read one at a
    /// time.
    ///
    /// The escape byte is itself a control byte. So with `CONTROLS`, the
    /// steps look for control bytes alone, and only a chunk that has one
    /// is searched for the escape byte afterwards.
    fn of<const CONTROLS: bool>(chunk: &[u8]) -> Flags {
        let [escape, last_control, tab, newline, carriage_return] =
            [0x1b, 0x1f, b'\t', b'\n', b'\r'].map(u8x16::splat);
        let (mut any, mut escapes, mut controls) = (u8x16::ZERO, u8x16::ZERO, u8x16::ZERO);
        let mut steps = chunk.chunks_exact(STEP_BYTES);
        for step in &mut steps {
            for vector in step.chunks_exact(16) {
                let bytes = u8x16::new(vector.try_into().unwrap_or_default());
                any |= bytes;
                if CONTROLS {
                    // A byte up to 0x1F is its own minimum with 0x1F.
                    let below_space = bytes.min(last_control).simd_eq(bytes);
                    let line_bytes = bytes.simd_eq(tab)
                        | bytes.simd_eq(newline)
                        | bytes.simd_eq(carriage_return);
                    controls |= below_space & !line_bytes;
                } else {
                    escapes |= bytes.simd_eq(escape);
                }
            }
        }
        let rest = steps.remainder();
        let controls =
            CONTROLS && (controls.any() || rest.iter().any(|&byte| binary::is_suspicious(byte)));
        let escape = if CONTROLS {
            controls && memchr::memchr(0x1b, chunk).is_some()
        } else {
            escapes.any() || rest.contains(&0x1b)
        };
        Flags {
            non_ascii: any.to_bitmask() != 0 || !rest.is_ascii(),
            escape,
            controls,
        }
    }

    fn add(&mut self, other: Flags) {
        self.non_ascii |= other.non_ascii;
        self.escape |= other.escape;
        self.controls |= other.controls;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares the profile in chunks of several sizes, sequences cut at
    /// every place included, with the same checks made on the whole body.
    fn assert_profile_matches_whole_checks(bytes: &[u8]) {
        let expected = ByteProfile {
            escape: bytes.contains(&0x1b),
            utf8: std::str::from_utf8(bytes).is_ok(),
            controls: Some(bytes.iter().any(|&byte| binary::is_suspicious(byte))),
        };
        for chunk_bytes in [1, 2, 3, 5, 7, 64, CHUNK_BYTES] {
            let profile = ByteProfile::in_chunks(bytes, true, chunk_bytes);
            assert_eq!(profile, expected, "{bytes:?} in chunks of {chunk_bytes}");
            let without = ByteProfile::in_chunks(bytes, false, chunk_bytes);
            assert_eq!(without.controls, None);
            assert_eq!(without.utf8, expected.utf8, "{bytes:?} {chunk_bytes}");
            assert_eq!(without.escape, expected.escape, "{bytes:?} {chunk_bytes}");
        }
    }

    #[test]
    fn chunked_profile_matches_whole_checks() {
        let texts: [&[u8]; 9] = [
            b"",
            b"plain ascii, with\ttabs\r\nand lines",
            "Jürgen Müller, Hauptstraße 5".as_bytes(),
            "中文 ✓ 😀 mixed".as_bytes(),
            b"\x1b$B\x24\x22\x1b(B",
            b"Latin-1 Jos\xe9 and more",
            b"cut at the end \xe4\xb8",
            b"\xf0\x9f\x98",
            b"stray continuation \x80 byte",
        ];
        for text in texts {
            assert_profile_matches_whole_checks(text);
        }
    }

    #[test]
    fn profiles_every_byte_at_every_offset() {
        for length in [1, 2, 9, 255, 256, 257] {
            for at in [0, length / 2, length - 1] {
                for byte in 0..=0xffu8 {
                    let mut bytes = vec![b'a'; length];
                    bytes[at] = byte;
                    assert_profile_matches_whole_checks(&bytes);
                }
            }
        }
    }

    #[test]
    fn cut_sequences_validate_whole() {
        // Every multi-byte sequence, at every offset of a short body, with
        // ASCII, another sequence or a broken one after it.
        for character in ["é", "中", "😀"] {
            for tail in ["", "a", "é", "\u{80}"] {
                for offset in 0..8 {
                    let mut bytes = vec![b'x'; offset];
                    bytes.extend_from_slice(character.as_bytes());
                    bytes.extend_from_slice(tail.as_bytes());
                    assert_profile_matches_whole_checks(&bytes);
                    // The same with the last byte missing or doubled.
                    assert_profile_matches_whole_checks(&bytes[..bytes.len() - 1]);
                    let mut doubled = bytes.clone();
                    doubled.push(*bytes.last().unwrap());
                    assert_profile_matches_whole_checks(&doubled);
                }
            }
        }
    }
}
