//! International bank account numbers (ISO 13616).
//!
//! An IBAN is a registry country code, two check digits and a BBAN of letters
//! and digits, with the country's exact length. It counts only when the ISO
//! 7064 MOD 97-10 check over the rearranged number gives 1. Letters are
//! accepted in either case and compared in upper case, because people and forms
//! write `de89…` as often as `DE89…`. The printed form groups the characters in
//! fours, the last group shorter. People also separate the groups with dashes,
//! dots, slashes, underscores, tabs or two spaces (see [`GroupSeparator`]), one
//! of them throughout, and some group the characters after the first four in
//! threes (`DE89 370 400 …`). The country length ends the match, so a word
//! after the IBAN (`… 0130 00 BIC COBADEFF`) is never taken as part of it.

use super::iban_registry::iban_length;
use super::scan::{GroupSeparator, alphanumeric_at, alphanumeric_before, push_uppercase};
use crate::words::{ONES, non_digit_bytes, word};

/// Maximum IBAN length in ISO 13616.
const MAX_LENGTH: usize = 34;

/// Minimum IBAN length in the registry (Norway, see `iban_registry`).
pub(crate) const MIN_LENGTH: usize = 15;

/// Characters per group in the printed form.
const GROUP_LENGTH: usize = 4;

/// Characters per group of a BBAN grouped in threes after the first group
/// of four.
const BBAN_GROUP_OF_THREE: usize = 3;

/// Check digits that ISO 13616 never produces: the computation yields 02 to
/// 98.
const INVALID_CHECK_DIGITS: [&[u8; 2]; 3] = [b"00", b"01", b"99"];

/// Writes the characters of `value`, a matched IBAN, without separators in
/// upper case for counting subjects, so every printed form of one IBAN
/// normalises to its electronic form.
pub(crate) fn normalize(value: &[u8], out: &mut Vec<u8>) {
    // A matched IBAN of its country's length has no separators, so
    // reading the length spares testing every byte.
    let electronic = match value {
        [first, second, ..] => {
            iban_length(first.to_ascii_uppercase(), second.to_ascii_uppercase())
                == Some(value.len())
        }
        _ => false,
    };
    if electronic || value.iter().all(u8::is_ascii_alphanumeric) {
        push_uppercase(value, out);
        return;
    }
    out.extend(
        value
            .iter()
            .filter(|byte| byte.is_ascii_alphanumeric())
            .map(u8::to_ascii_uppercase),
    );
}

/// Returns the end of a valid IBAN starting at `start`.
pub(crate) fn match_at(text: &[u8], start: usize) -> Option<usize> {
    let head = text.get(start..start + GROUP_LENGTH)?;
    if !head[2].is_ascii_digit() || !head[3].is_ascii_digit() || alphanumeric_before(text, start) {
        return None;
    }
    let length = iban_length(head[0].to_ascii_uppercase(), head[1].to_ascii_uppercase())?;
    if alphanumeric_at(text, start + GROUP_LENGTH) {
        // The electronic form, without separators, is checked where it
        // lies, so its groups are not copied. Its first four bytes passed
        // the tests above.
        // The check also rejects a byte that is no letter or digit.
        let iban = text.get(start..start + length)?;
        let valid = !alphanumeric_at(text, start + length) && has_valid_check(iban);
        return valid.then_some(start + length);
    }
    let mut compact = [0u8; MAX_LENGTH];
    // Some people group the BBAN in threes after the printed first group
    // (`DE89 370 400 …`). That reading is tried only when fours fail, so
    // a printed IBAN costs nothing more.
    let end = collect(text, start, &mut compact[..length], GROUP_LENGTH)
        .or_else(|| collect(text, start, &mut compact[..length], BBAN_GROUP_OF_THREE))?;
    if alphanumeric_at(text, end) {
        return None;
    }
    has_valid_check(&compact[..length]).then_some(end)
}

/// Returns whether the whole of `text` is one valid IBAN, as
/// `match_at(text, 0) == Some(text.len())` would return.
///
/// A column of account numbers sends IBANs in their electronic form, which
/// is tested here without the steps that an IBAN inside other text needs.
/// No byte precedes it, and only its length decides whether a letter or
/// digit follows it.
#[inline]
pub(crate) fn is_whole(text: &[u8]) -> bool {
    let [first, second, third, fourth, fifth, ..] = *text else {
        return false;
    };
    if !third.is_ascii_digit() || !fourth.is_ascii_digit() {
        return false;
    }
    let Some(length) = iban_length(first.to_ascii_uppercase(), second.to_ascii_uppercase()) else {
        return false;
    };
    if fifth.is_ascii_alphanumeric() {
        // `match_at` reads the electronic form to the country's length
        // and rejects a letter or digit after it.
        return text.len() == length && has_valid_check(text);
    }
    match_at(text, 0) == Some(text.len())
}

/// Returns whether `iban` consists of ASCII letters and digits, has check
/// digits that ISO 13616 issues, and passes the MOD 97-10 check.
fn has_valid_check(iban: &[u8]) -> bool {
    let check_digits = &iban[2..4];
    let issued = !INVALID_CHECK_DIGITS
        .iter()
        .any(|digits| digits.as_slice() == check_digits);
    issued && mod97(iban) == Some(1)
}

/// Copies exactly `compact.len()` IBAN characters starting at `start` into
/// `compact`, in upper case, and returns the offset after the last one.
/// Group boundaries lie after the first four characters and then after
/// every `bban_group` characters.
///
/// Either every group boundary has the same separator or none has one,
/// so a number and an unrelated word after it are not joined.
fn collect(text: &[u8], start: usize, compact: &mut [u8], bban_group: usize) -> Option<usize> {
    let mut position = start;
    // Set at the first group boundary: the separator used there, if any.
    let mut grouping: Option<Option<GroupSeparator>> = None;
    for (count, slot) in compact.iter_mut().enumerate() {
        if count >= GROUP_LENGTH && (count - GROUP_LENGTH) % bban_group == 0 {
            let separator = GroupSeparator::at(text, position);
            if *grouping.get_or_insert(separator) != separator {
                return None;
            }
            position += separator.map_or(0, GroupSeparator::width);
        }
        let byte = *text.get(position)?;
        if !byte.is_ascii_alphanumeric() {
            return None;
        }
        *slot = byte.to_ascii_uppercase();
        position += 1;
    }
    Some(position)
}

/// Computes the ISO 7064 MOD 97-10 remainder of an IBAN: the first four
/// characters move to the end and every letter, in either case, becomes
/// two digits (A = 10 … Z = 35). Returns `None` when a byte is no ASCII
/// letter or digit. No big integer is needed, because the value is reduced
/// modulo 97 often enough to stay within a `u64` (see [`digits_mod97`] and
/// [`characters_mod97`]).
pub(crate) fn mod97(iban: &[u8]) -> Option<u32> {
    let (head, rest) = iban.split_at(GROUP_LENGTH.min(iban.len()));
    let value = match digits_mod97(rest) {
        Some(value) => value,
        None => characters_mod97(rest)?,
    };
    // An IBAN starts with two letters and two check digits, which become
    // six digits appended at once. The value is below 97
    // here, so the sum stays far within a `u64`.
    if let [first, second, tens, units] = *head
        && first.is_ascii_alphabetic()
        && second.is_ascii_alphabetic()
        && tens.is_ascii_digit()
        && units.is_ascii_digit()
    {
        let letters = letter_value(first) * 100 + letter_value(second);
        let check = u64::from(tens - b'0') * 10 + u64::from(units - b'0');
        return Some(((value * 1_000_000 + letters * 100 + check) % 97) as u32);
    }
    Some((head.iter().try_fold(value, fold_character)? % 97) as u32)
}

/// Returns the MOD 97-10 remainder of `rest`, the characters of an IBAN
/// after its first four, when they are at most [`MAX_DIGITS_AT_ONCE`]
/// digits, as most BBANs are. Returns `None` for any other `rest`.
///
/// The value is reduced once at the end: 10^8 leaves 81 modulo 97, so each
/// word of eight digits multiplies the value by 81 instead. Three words
/// then stay below 6.7 × 10^11 and seven more digits below 6.7 × 10^18,
/// within a `u64`.
fn digits_mod97(rest: &[u8]) -> Option<u64> {
    if rest.len() > MAX_DIGITS_AT_ONCE {
        return None;
    }
    let mut chunks = rest.chunks_exact(8);
    let mut value = 0u64;
    for chunk in &mut chunks {
        let bytes = word(chunk);
        if non_digit_bytes(bytes) != 0 {
            return None;
        }
        value = value * 81 + eight_digits(bytes);
    }
    for &byte in chunks.remainder() {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u64::from(byte - b'0');
    }
    Some(value % 97)
}

/// Maximum characters that [`digits_mod97`] reads before one reduction:
/// three words and seven digits, more than the 30 after the first four of
/// the longest IBAN.
const MAX_DIGITS_AT_ONCE: usize = 31;

/// Returns the MOD 97-10 remainder of `rest`, the characters of an IBAN
/// after its first four, or `None` when a byte is no ASCII letter or digit.
/// The value is reduced after every eight characters.
fn characters_mod97(rest: &[u8]) -> Option<u64> {
    let mut chunks = rest.chunks_exact(8);
    let mut value = 0u64;
    for chunk in &mut chunks {
        let bytes = word(chunk);
        // A run of eight digits, most of a BBAN, is read as one number.
        value = if non_digit_bytes(bytes) == 0 {
            value * 100_000_000 + eight_digits(bytes)
        } else {
            chunk.iter().try_fold(value, fold_character)?
        } % 97;
    }
    Some(chunks.remainder().iter().try_fold(value, fold_character)? % 97)
}

/// Returns the two-digit value of an ASCII letter in either case
/// (A = 10 … Z = 35).
fn letter_value(letter: u8) -> u64 {
    // Setting bit 5 lowers an upper-case letter and keeps a lower-case one.
    u64::from((letter | 0x20) - b'a') + 10
}

/// Appends one IBAN character to `value`, a digit as one decimal digit and
/// a letter as two. From a value below 97, eight characters stay below
/// 97 × 10^16, far within a `u64`. Returns `None` for a byte that is no
/// ASCII letter or digit.
fn fold_character(value: u64, &byte: &u8) -> Option<u64> {
    if byte.is_ascii_digit() {
        Some(value * 10 + u64::from(byte - b'0'))
    } else if byte.is_ascii_alphabetic() {
        // Setting bit 5 lowers an upper-case letter and keeps a lower-case
        // one.
        Some(value * 100 + u64::from((byte | 0x20) - b'a') + 10)
    } else {
        None
    }
}

/// Returns the number that eight ASCII digits, read little-endian into
/// `bytes`, spell with the first byte most significant. Each step joins
/// neighbouring groups of digits into one of twice the width: pairs, then
/// fours, then all eight.
fn eight_digits(bytes: u64) -> u64 {
    let digits = bytes - ONES * u64::from(b'0');
    let pairs = (digits * 10 + (digits >> 8)) & 0x00FF_00FF_00FF_00FF;
    let fours = (pairs * 100 + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    (fours * 10_000 + (fours >> 32)) & 0xFFFF_FFFF
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let context = crate::detect::Context::default();
        crate::detect::find_category(text.as_bytes(), &context, crate::Category::Iban)
            .into_iter()
            .map(|(start, end)| &text[start..end])
            .collect()
    }

    #[test]
    fn mod97_rejects_non_alphanumeric_bytes() {
        let iban = b"DE89370400440532013000AB";
        for length in 0..=iban.len() {
            assert!(mod97(&iban[..length]).is_some(), "{length}");
            for position in 0..length {
                for byte in [b' ', b'-', b'/', b':', b'@', b'`', b'{', 0x80, 0xC3] {
                    let mut bytes = iban[..length].to_vec();
                    bytes[position] = byte;
                    assert_eq!(mod97(&bytes), None, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn eight_digits_read_as_one_number() {
        for number in [
            0u64, 1, 9, 10, 12_345_678, 87_654_321, 99_999_999, 40_000_007,
        ] {
            let text = format!("{number:08}");
            let bytes = word(text.as_bytes());
            assert_eq!(eight_digits(bytes), number, "{text}");
        }
    }

    #[test]
    fn mod97_follows_the_character_by_character_reduction() {
        // Reference: one reduction per character, letters in either case
        // and digits in runs that start at every offset of a word.
        let reference = |iban: &[u8]| -> u32 {
            let (head, rest) = iban.split_at(4.min(iban.len()));
            rest.iter().chain(head).fold(0u32, |value, &byte| {
                if byte.is_ascii_digit() {
                    (value * 10 + u32::from(byte - b'0')) % 97
                } else {
                    (value * 100 + u32::from(byte.to_ascii_uppercase() - b'A') + 10) % 97
                }
            })
        };
        let alphabet = b"0123456789012345678901234567890123456789ABCXYZabcxyz";
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = (state % 40) as usize;
            let iban: Vec<u8> = (0..length)
                .map(|index| {
                    let pick = (state >> (index % 57)) as usize + index * 7;
                    alphabet[pick % alphabet.len()]
                })
                .collect();
            assert_eq!(
                mod97(&iban),
                Some(reference(&iban)),
                "{:?}",
                String::from_utf8_lossy(&iban)
            );
        }
    }

    #[test]
    fn whole_ibans_agree_with_match_at() {
        // Valid IBANs of several countries in electronic and printed form
        // and in either case, cut, extended, and with edge bytes at every
        // position.
        let ibans = [
            "DE89370400440532013000",
            "GB29NWBK60161331926819",
            "NL77ABNA0574908765",
            "FR1420041010050500013M02606",
            "NO9386011117947",
            "BY13NBRB3600900000002Z00AB00",
            "DE89 3704 0044 0532 0130 00",
            "DE89-370-400-440-532-013-000",
            "de89370400440532013000",
        ];
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for iban in ibans {
            let bytes = iban.as_bytes();
            for end in 0..=bytes.len() {
                texts.push(bytes[..end].to_vec());
            }
            for tail in [b"0".as_slice(), b"A", b" ", b" x", b"-"] {
                texts.push([bytes, tail].concat());
            }
            for position in 0..bytes.len() {
                for byte in [b'0', b'9', b'A', b'z', b' ', b'-', b'.', b'@', 0x80, 0xC3] {
                    let mut changed = bytes.to_vec();
                    changed[position] = byte;
                    texts.push(changed);
                }
            }
        }
        let mut wholes = 0;
        for text in &texts {
            let expected = match_at(text, 0) == Some(text.len());
            assert_eq!(
                is_whole(text),
                expected,
                "{:?}",
                String::from_utf8_lossy(text)
            );
            wholes += usize::from(expected);
        }
        assert!(wholes >= ibans.len(), "{wholes}");
    }

    #[test]
    fn mod97_reads_letter_heads_at_once() {
        // Heads of two letters in either case and two digits, and heads of
        // other bytes, before the same BBAN.
        let reference = |iban: &[u8]| -> Option<u32> {
            let (head, rest) = iban.split_at(4.min(iban.len()));
            let value = rest.iter().chain(head).try_fold(0u64, |value, byte| {
                fold_character(value, byte).map(|next| next % 97)
            })?;
            Some(value as u32)
        };
        let heads: Vec<[u8; 4]> = [b'A', b'Z', b'a', b'z', b'0', b'9', b'-']
            .into_iter()
            .flat_map(|first| {
                [b'B', b'y', b'5', b'/']
                    .into_iter()
                    .flat_map(move |second| {
                        [*b"00", *b"89", *b"9A", *b":0"]
                            .into_iter()
                            .map(move |[tens, units]| [first, second, tens, units])
                    })
            })
            .collect();
        for head in heads {
            for rest in [b"370400440532013000".as_slice(), b"NWBK60161331926819", b""] {
                let iban = [head.as_slice(), rest].concat();
                assert_eq!(mod97(&iban), reference(&iban), "{iban:?}");
            }
        }
    }

    #[test]
    fn mod97_of_digit_runs_matches_the_characters() {
        // BBANs of digits alone, read a word at a time, at every length and
        // with a byte that is no digit at every position, after heads of
        // letters in either case, digits and other bytes.
        let reference = |iban: &[u8]| -> Option<u32> {
            let (head, rest) = iban.split_at(4.min(iban.len()));
            let value = characters_mod97(rest)?;
            Some((head.iter().try_fold(value, fold_character)? % 97) as u32)
        };
        let heads: [&[u8]; 8] = [
            b"DE89", b"gb29", b"Xy00", b"1234", b"DE8", b"D-89", b"DEA9", b"",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for head in heads {
            for length in 0..=40 {
                for _ in 0..20 {
                    let mut iban = head.to_vec();
                    for _ in 0..length {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        iban.push(b'0' + (state % 10) as u8);
                    }
                    assert_eq!(mod97(&iban), reference(&iban), "{iban:?}");
                    if head.len() < 4 {
                        continue;
                    }
                    for position in 4..iban.len() {
                        for byte in [b'A', b'z', b'/', b':', b' ', 0x80, b'0' + 0x80] {
                            let mut changed = iban.clone();
                            changed[position] = byte;
                            assert_eq!(mod97(&changed), reference(&changed), "{changed:?}");
                        }
                    }
                }
            }
        }
        // The largest digits overflow no sum, at the longest run read
        // with one reduction and past it.
        for length in [MAX_DIGITS_AT_ONCE, MAX_DIGITS_AT_ONCE + 1, 36] {
            let nines = [b"DE99".as_slice(), &vec![b'9'; length]].concat();
            assert_eq!(mod97(&nines), reference(&nines), "{length}");
        }
    }

    #[test]
    fn mod97_of_valid_ibans_is_one() {
        for iban in [
            "DE89370400440532013000",
            "GB29NWBK60161331926819",
            "NL77ABNA0574908765",
            "FR1420041010050500013M02606",
            "NO9386011117947",
            "BY13NBRB3600900000002Z00AB00",
        ] {
            assert_eq!(mod97(iban.as_bytes()), Some(1), "{iban}");
        }
    }

    /// Returns the match of the copying path alone, which reads every
    /// printed form.
    fn match_by_copy(text: &[u8]) -> Option<usize> {
        let length = iban_length(text[0].to_ascii_uppercase(), text[1].to_ascii_uppercase())?;
        let mut compact = [0u8; MAX_LENGTH];
        let end = collect(text, 0, &mut compact[..length], GROUP_LENGTH)?;
        let valid = !alphanumeric_at(text, end) && has_valid_check(&compact[..length]);
        valid.then_some(end)
    }

    #[test]
    fn electronic_form_matches_the_copying_path() {
        // Every byte of valid IBANs replaced by a lower-case letter, an
        // upper-case one, a digit, a separator and other bytes, and the
        // IBANs cut short or followed by more text.
        let ibans = [
            "DE89370400440532013000",
            "GB29NWBK60161331926819",
            "FR1420041010050500013M02606",
            "NO9386011117947",
            "de89370400440532013000",
            "gb29nwbk60161331926819",
        ];
        let replacements = [b'a', b'Z', b'0', b'7', b' ', b'-', b'.', b'_', b'@', 0xC3];
        for iban in ibans {
            let mut cases = vec![iban.as_bytes().to_vec()];
            for index in 0..iban.len() {
                for &byte in &replacements {
                    let mut changed = iban.as_bytes().to_vec();
                    changed[index] = byte;
                    cases.push(changed);
                }
            }
            for length in 5..iban.len() {
                cases.push(iban.as_bytes()[..length].to_vec());
            }
            for tail in [" x", "0", "a", "-1", ".", "\u{e9}"] {
                cases.push(format!("{iban}{tail}").into_bytes());
            }
            for case in cases {
                let shaped = case[2].is_ascii_digit() && case[3].is_ascii_digit();
                let expected = if shaped { match_by_copy(&case) } else { None };
                assert_eq!(
                    match_at(&case, 0),
                    expected,
                    "{:?}",
                    String::from_utf8_lossy(&case)
                );
            }
        }
    }

    #[test]
    fn valid_ibans_are_found() {
        for iban in [
            "DE89370400440532013000",
            "DE89 3704 0044 0532 0130 00",
            "GB29 NWBK 6016 1331 9268 19",
            "NO9386011117947",
            "ES5621001111301111111111",
        ] {
            assert_eq!(found(iban), [iban], "{iban}");
        }
    }

    #[test]
    fn altered_check_digits_are_rejected() {
        for text in [
            "DE88370400440532013000",
            "NL46ABNA0499998748",
            "BG87200500001234567890",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn length_must_match_the_country() {
        assert!(found("DE8937040044053201300").is_empty());
        assert!(found("DE893704004405320130001").is_empty());
        assert!(found("FR15001559627230").is_empty());
    }

    #[test]
    fn unregistered_countries_are_rejected() {
        assert!(found("US12345678901234567890").is_empty());
    }

    #[test]
    fn reserved_check_digits_are_rejected() {
        // Each number passes mod 97 but carries check digits that ISO 13616
        // never issues.
        for iban in [
            "DE00370400440532013050",
            "DE01370400440532013032",
            "DE99370400440532013014",
        ] {
            assert_eq!(mod97(iban.as_bytes()), Some(1), "{iban}");
            assert!(found(iban).is_empty(), "{iban}");
        }
    }

    #[test]
    fn word_after_iban_is_excluded() {
        assert_eq!(
            found("IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX"),
            ["DE89 3704 0044 0532 0130 00"]
        );
        assert_eq!(
            found("<IBAN>DE89370400440532013000</IBAN>"),
            ["DE89370400440532013000"]
        );
    }

    #[test]
    fn iban_inside_a_longer_token_is_rejected() {
        assert!(found("XDE89370400440532013000").is_empty());
        assert!(found("DE89370400440532013000X").is_empty());
        assert_eq!(found("DE89370400440532013000 0").len(), 1);
    }

    #[test]
    fn inconsistent_grouping_is_rejected() {
        for text in [
            "DE89 37040044 0532 0130 00",
            "DE893704 0044 0532 0130 00",
            "DE89 3704-0044 0532 0130 00",
            "DE89-3704-0044-0532-0130.00",
            "DE89  3704 0044 0532 0130 00",
            "DE89_3704_0044_0532_0130-00",
            "DE89   3704   0044   0532   0130   00",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn lower_and_mixed_case_ibans_are_found() {
        for iban in [
            "de89370400440532013000",
            "de89 3704 0044 0532 0130 00",
            "De89370400440532013000",
            "gb29 nwbk 6016 1331 9268 19",
            "GB29nwbk60161331926819",
        ] {
            assert_eq!(found(iban), [iban], "{iban}");
        }
    }

    #[test]
    fn other_separators_are_found() {
        for iban in [
            "DE89-3704-0044-0532-0130-00",
            "DE89.3704.0044.0532.0130.00",
            "de89-3704-0044-0532-0130-00",
            "NO93.8601.1117.947",
            "DE89_3704_0044_0532_0130_00",
            "DE89/3704/0044/0532/0130/00",
            "DE89\t3704\t0044\t0532\t0130\t00",
            "DE89  3704  0044  0532  0130  00",
        ] {
            assert_eq!(found(iban), [iban], "{iban}");
        }
    }

    #[test]
    fn separated_iban_ends_at_the_country_length() {
        assert_eq!(
            found("iban: DE89-3704-0044-0532-0130-00-XYZ."),
            ["DE89-3704-0044-0532-0130-00"]
        );
        assert_eq!(
            found("DE89.3704.0044.0532.0130.00."),
            ["DE89.3704.0044.0532.0130.00"]
        );
    }

    #[test]
    fn lower_case_with_bad_check_digits_is_rejected() {
        assert!(found("de88370400440532013000").is_empty());
        assert!(found("de88-3704-0044-0532-0130-00").is_empty());
    }

    #[test]
    fn normalization_removes_separators_and_case() {
        for value in [
            "de89 3704 0044 0532 0130 00",
            "DE89-3704-0044-0532-0130-00",
            "De89.3704.0044.0532.0130.00",
            "DE89370400440532013000",
        ] {
            let mut out = Vec::new();
            normalize(value.as_bytes(), &mut out);
            assert_eq!(out, b"DE89370400440532013000", "{value}");
        }
    }
}
