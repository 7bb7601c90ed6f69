//! Cyrillic and Greek letters that look like Latin ones, read as those
//! Latin letters in an IBAN country code.
//!
//! Text normalisation keeps every script as it is, so that names and
//! addresses in Cyrillic or Greek are not rewritten. An IBAN country code
//! typed or pasted with a look-alike letter (`DЕ89…` with a Cyrillic `Е`)
//! would then pass the IBAN reader by. So normalisation rewrites a
//! look-alike letter that is part of a token of two letters and two digits
//! (see [`iban_code_letter`]). E-mail addresses need no such rewrite,
//! because the e-mail reader accepts letters of every script.
//!
//! The map is small on purpose. It contains only the capital and small
//! letters whose usual glyphs cannot be distinguished from a Latin letter.
//! Unicode's confusables list has many more, most of them similar only in
//! some fonts. Greek small letters other than omicron are left out, because
//! each differs from its Latin look-alike in common fonts (`ν` and `v`, `ι`
//! and `i`). Every letter here is two bytes in UTF-8, with a lead byte from
//! 0xCE to 0xD4.

/// Look-alike letters and the upper-case Latin letter each one is read as.
const LATIN_LOOK_ALIKES: [(char, u8); 43] = [
    // Cyrillic capital letters.
    ('А', b'A'),
    ('В', b'B'),
    ('Е', b'E'),
    ('К', b'K'),
    ('М', b'M'),
    ('Н', b'H'),
    ('О', b'O'),
    ('Р', b'P'),
    ('С', b'C'),
    ('Т', b'T'),
    ('Х', b'X'),
    ('І', b'I'),
    ('Ј', b'J'),
    ('Ѕ', b'S'),
    // Cyrillic small letters.
    ('а', b'A'),
    ('е', b'E'),
    ('о', b'O'),
    ('р', b'P'),
    ('с', b'C'),
    ('х', b'X'),
    ('у', b'Y'),
    ('і', b'I'),
    ('ј', b'J'),
    ('ѕ', b'S'),
    // Greek capital letters.
    ('Α', b'A'),
    ('Β', b'B'),
    ('Ε', b'E'),
    ('Ζ', b'Z'),
    ('Η', b'H'),
    ('Ι', b'I'),
    ('Κ', b'K'),
    ('Μ', b'M'),
    ('Ν', b'N'),
    ('Ο', b'O'),
    ('Ρ', b'P'),
    ('Τ', b'T'),
    ('Υ', b'Y'),
    ('Χ', b'X'),
    // Greek small omicron, and Cyrillic small letters of minority
    // languages.
    ('ο', b'O'),
    ('ԁ', b'D'),
    ('һ', b'H'),
    ('ԛ', b'Q'),
    ('ԝ', b'W'),
];

/// Lead bytes of the two-byte UTF-8 forms of Greek and Cyrillic letters.
const LEAD_BYTES: std::ops::RangeInclusive<u8> = 0xCE..=0xD4;

/// Returns the upper-case Latin letter for the look-alike letter that
/// starts at `index` when that letter is part of an IBAN country code.
/// Such a token is two letters (ASCII or look-alikes) and two ASCII digits
/// after a character that is no letter or digit. Returns `None` for every
/// other character.
///
/// Inlined, so that the test of the lead byte, which rules out the
/// characters of other scripts, costs normalisation no call.
#[inline]
pub(crate) fn iban_code_letter(text: &[u8], index: usize) -> Option<u8> {
    if !LEAD_BYTES.contains(&text[index]) {
        return None;
    }
    look_alike_code_letter(text, index)
}

/// Finishes [`iban_code_letter`] for a Greek or Cyrillic letter.
fn look_alike_code_letter(text: &[u8], index: usize) -> Option<u8> {
    let latin = latin_letter_at(text, index)?;
    let after = index + 2;
    // The second letter of the code: a letter before it, digits after it.
    if digits_at(text, after) {
        let first_start = if index > 0 && text[index - 1].is_ascii_alphabetic() {
            index - 1
        } else {
            latin_letter_ending_at(text, index)?;
            index - 2
        };
        return starts_token(text, first_start).then_some(latin);
    }
    // The first letter of the code: a letter after it, then digits.
    let second_end = match text.get(after) {
        Some(byte) if byte.is_ascii_alphabetic() => after + 1,
        _ => {
            latin_letter_at(text, after)?;
            after + 2
        }
    };
    (starts_token(text, index) && digits_at(text, second_end)).then_some(latin)
}

/// Returns whether the bytes at `index` and after it are ASCII digits.
fn digits_at(text: &[u8], index: usize) -> bool {
    text.get(index..index + 2)
        .is_some_and(|pair| pair.iter().all(u8::is_ascii_digit))
}

/// Returns whether the character before `index` is no letter or digit.
fn starts_token(text: &[u8], index: usize) -> bool {
    !char_ending_at(text, index).is_some_and(char::is_alphanumeric)
}

/// Returns the Latin letter for the two-byte look-alike at `index`.
fn latin_letter_at(text: &[u8], index: usize) -> Option<u8> {
    let bytes = text.get(index..index + 2)?;
    latin_letter(std::str::from_utf8(bytes).ok()?.chars().next()?)
}

/// Returns the Latin letter for the two-byte look-alike that ends at `end`.
fn latin_letter_ending_at(text: &[u8], end: usize) -> Option<u8> {
    latin_letter_at(text, end.checked_sub(2)?)
}

/// Decodes the UTF-8 character that ends at `end`.
fn char_ending_at(text: &[u8], end: usize) -> Option<char> {
    let start = (end.saturating_sub(4)..end)
        .rev()
        .find(|&index| text[index] & 0xC0 != 0x80)?;
    let character = std::str::from_utf8(&text[start..end])
        .ok()?
        .chars()
        .next()?;
    (character.len_utf8() == end - start).then_some(character)
}

/// Returns the upper-case Latin letter that `character` looks like, if it
/// is in the map.
fn latin_letter(character: char) -> Option<u8> {
    LATIN_LOOK_ALIKES
        .iter()
        .find(|(look_alike, _)| *look_alike == character)
        .map(|&(_, latin)| latin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_look_alike_is_two_bytes() {
        for (character, latin) in LATIN_LOOK_ALIKES {
            assert_eq!(character.len_utf8(), 2, "{character}");
            let lead = character.to_string().as_bytes()[0];
            assert!(LEAD_BYTES.contains(&lead), "{character}");
            assert!(latin.is_ascii_uppercase(), "{character}");
        }
    }

    fn code_letter(text: &str, character: char) -> Option<u8> {
        let index = text.find(character).unwrap();
        iban_code_letter(text.as_bytes(), index)
    }

    #[test]
    fn look_alikes_in_iban_codes_read_as_latin() {
        assert_eq!(code_letter("DЕ89", 'Е'), Some(b'E'));
        assert_eq!(code_letter("ЕS91", 'Е'), Some(b'E'));
        assert_eq!(code_letter("iban ΑΤ61", 'Α'), Some(b'A'));
        assert_eq!(code_letter("iban ΑΤ61", 'Τ'), Some(b'T'));
        assert_eq!(code_letter("(dе89)", 'е'), Some(b'E'));
    }

    #[test]
    fn other_letters_stay() {
        assert_eq!(code_letter("ДЕ89", 'Е'), None);
        assert_eq!(code_letter("ЖDЕ89", 'Е'), None);
        assert_eq!(code_letter("xDЕ89", 'Е'), None);
        assert_eq!(code_letter("DЕ8", 'Е'), None);
        assert_eq!(code_letter("DЕX9", 'Е'), None);
        assert_eq!(code_letter("в 2023 году", 'в'), None);
        assert_eq!(code_letter("Москва", 'М'), None);
    }
}
