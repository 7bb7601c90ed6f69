//! Postal addresses: street lines with a house number found anywhere, and
//! whole fields under address keys (see [`is_address_value`]).
//!
//! A street line needs both a street word and a house number, in one of
//! these shapes:
//!
//! - number first, capitalised words, a street suffix: `777 ELM ST`,
//!   `10 Downing Street`, `1600 Pennsylvania Avenue`;
//! - number first, then a street-type word: `12 rue de Rivoli`;
//! - a street word, then the number: `Snow Street, 25`, `Hauptstraße 5`,
//!   `Lindenstr. 12a`, `Via Roma 10`;
//! - Chinese and Japanese addresses: a number followed by `号`, `號`, `番地`,
//!   `番` or `丁目`, after a run of CJK characters that names an
//!   administrative division (`省 市 区 县 路 街`, `都 道 府 県 町 村`), as in
//!   `上海市浦东新区世纪大道100号` or `東京都千代田区丸の内1丁目`.
//!
//! A city or a postcode alone is not an address, and neither is a number
//! next to an ordinary word.

use wide::u8x16;

use super::keys::is_cjk;
use super::roles::Roles;
use super::scan::{alphanumeric_at, alphanumeric_run_end, digit_at, digit_run_end};
use super::street_words::{
    CJK_DIVISIONS, CJK_NUMBER_MARKERS, STREET_ENDINGS, STREET_SUFFIXES, STREET_TYPES, UNIT_WORDS,
};
use crate::words::{contains_byte, trim_ascii_whitespace, vector_from, vector_in_range};

/// Most words of a street name before its suffix (`Martin Luther King Jr
/// Blvd` has four).
const MAX_STREET_WORDS: usize = 4;

/// Digits of a house number.
const HOUSE_NUMBER_DIGITS: std::ops::RangeInclusive<usize> = 1..=5;

/// Bytes searched before a CJK house number for the start of its address.
const MAX_CJK_ADDRESS_BYTES: usize = 120;

/// Longest unit number after a unit word (`306`, `12B`).
const MAX_UNIT_CHARS: usize = 6;

/// Longest address value judged under an address key, in characters.
const MAX_ADDRESS_CHARS: usize = 300;

/// Returns the span of a street line whose house number is the digit run
/// `start..run_end`.
// Inline across codegen units: the scan calls it for most digit runs.
#[inline]
pub(crate) fn at_digit_run(text: &[u8], start: usize, run_end: usize) -> Option<(usize, usize)> {
    if !HOUSE_NUMBER_DIGITS.contains(&(run_end - start)) {
        return None;
    }
    // Every marker is non-ASCII, so an ASCII byte after the number spares
    // comparing each of them.
    let cjk_next = text.get(run_end).is_some_and(|&byte| byte >= 0x80);
    if let Some(end) = CJK_NUMBER_MARKERS
        .iter()
        .filter(|_| cjk_next)
        .find(|marker| text[run_end..].starts_with(marker.as_bytes()))
        .map(|marker| run_end + marker.len())
    {
        let (address_start, divisions) = cjk_start(text, start)?;
        return (divisions >= 1).then_some((address_start, end));
    }
    if start > 0 && text[start - 1] >= 0x80 && text.get(run_end) == Some(&b'-') {
        // Japanese block numbers (`丸の内1-1-1`) need a prefecture and a
        // city or ward before them.
        let end = chome_end(text, run_end)?;
        let (address_start, divisions) = cjk_start(text, start)?;
        return (divisions >= 2).then_some((address_start, end));
    }
    let number_end = house_number_end(text, run_end)?;
    if start > 0 && text[start - 1].is_ascii_alphanumeric() {
        return None;
    }
    number_first(text, number_end)
        .map(|end| (start, end))
        .or_else(|| street_before(text, start).map(|street_start| (street_start, number_end)))
}

/// Returns the end of `-`-joined digit groups after the first one, as in
/// `1-1-1`.
fn chome_end(text: &[u8], run_end: usize) -> Option<usize> {
    let mut end = run_end;
    while text.get(end) == Some(&b'-') && text.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end += 1;
        while text.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    (end > run_end && !alphanumeric_at(text, end)).then_some(end)
}

/// Returns the end of a unit designator after a street line ending at
/// `end`: ` Apt. 306`, ` Suite 939`, ` #12`.
fn unit_end(text: &[u8], end: usize) -> Option<usize> {
    if text.get(end) != Some(&b' ') {
        return None;
    }
    let word_start = end + 1;
    let number_start = if text.get(word_start) == Some(&b'#') {
        word_start + 1
    } else {
        let word_end = word_end(text, word_start);
        let word = lower(&text[word_start..word_end]);
        if !word.is_in(UNIT_WORDS) {
            return None;
        }
        let dotted = usize::from(text.get(word_end) == Some(&b'.'));
        let space = word_end + dotted;
        (text.get(space) == Some(&b' ')).then_some(space + 1)?
    };
    let number_end = alphanumeric_run_end(text, number_start);
    let has_digit = text[number_start..number_end]
        .iter()
        .any(u8::is_ascii_digit);
    (has_digit && number_end - number_start <= MAX_UNIT_CHARS).then_some(number_end)
}

/// Returns the end of a house number whose digits end at `run_end`, with an
/// optional letter (`45a`) or a second number after `/` or `-` (`6/6`,
/// `13-38`).
fn house_number_end(text: &[u8], run_end: usize) -> Option<usize> {
    let mut run_end = run_end;
    if matches!(text.get(run_end), Some(b'/' | b'-')) && digit_at(text, run_end + 1) {
        run_end = digit_run_end(text, run_end + 1);
    }
    let end = match text.get(run_end) {
        Some(letter) if letter.is_ascii_alphabetic() && !alphanumeric_at(text, run_end + 1) => {
            run_end + 1
        }
        _ => run_end,
    };
    (!alphanumeric_at(text, end)).then_some(end)
}

/// Reads the words after a house number ending at `number_end` and returns
/// the end of the street name when it has a suffix or a street type.
fn number_first(text: &[u8], number_end: usize) -> Option<usize> {
    if text.get(number_end) != Some(&b' ') {
        return None;
    }
    let mut position = number_end + 1;
    for index in 0..MAX_STREET_WORDS {
        let word_end = word_end(text, position);
        if word_end == position {
            return None;
        }
        let word = lower(&text[position..word_end]);
        if index == 0 && word.is_in(STREET_TYPES) {
            return name_after_type(text, word_end);
        }
        if !is_capitalised(&text[position..word_end]) {
            return None;
        }
        if index > 0 && word.is_in_sorted(STREET_SUFFIXES) {
            let dotted = text.get(word_end) == Some(&b'.');
            let end = if dotted { word_end + 1 } else { word_end };
            return Some(unit_end(text, end).unwrap_or(end));
        }
        if text.get(word_end) != Some(&b' ') {
            return None;
        }
        position = word_end + 1;
    }
    None
}

/// Returns the end of the name after a street-type word (`de Rivoli` after
/// `rue`), which needs at least one capitalised word.
fn name_after_type(text: &[u8], type_end: usize) -> Option<usize> {
    let mut end = None;
    let mut position = type_end;
    for _ in 0..MAX_STREET_WORDS {
        if text.get(position) != Some(&b' ') {
            break;
        }
        let word_end = word_end(text, position + 1);
        if word_end == position + 1 {
            break;
        }
        if is_capitalised(&text[position + 1..word_end]) {
            end = Some(word_end);
        }
        position = word_end;
    }
    end
}

/// Returns the start of a street name that ends just before the house
/// number at `number_start`, separated from it by a space or `, `.
fn street_before(text: &[u8], number_start: usize) -> Option<usize> {
    let before = &text[..number_start];
    let name_end = before
        .strip_suffix(b", ")
        .or_else(|| before.strip_suffix(b" "))?
        .len();
    let mut words = [(0usize, 0usize); MAX_STREET_WORDS];
    let mut count = 0;
    let mut end = name_end;
    while count < MAX_STREET_WORDS {
        let start = word_start(text, end);
        if start == end || !is_capitalised(&text[start..end]) && count == 0 {
            break;
        }
        words[count] = (start, end);
        count += 1;
        if start == 0 || text[start - 1] != b' ' {
            break;
        }
        end = start - 1;
    }
    let (last_start, last_end) = *words[..count].first()?;
    let last = lower(&text[last_start..last_end]);
    if last.ends_with_any(STREET_ENDINGS) {
        return Some(last_start);
    }
    if last.is_in_sorted(STREET_SUFFIXES) {
        // The capitalised words right before the suffix name the street.
        let name = words[1..count]
            .iter()
            .take_while(|(start, end)| is_capitalised(&text[*start..*end]))
            .last();
        return name.map(|(start, _)| *start);
    }
    // `Via Roma 10`: a street type among the words before the number.
    words[1..count]
        .iter()
        .find(|(start, end)| lower(&text[*start..*end]).is_in(STREET_TYPES))
        .map(|(start, _)| *start)
}

/// Returns the end of the word (letters, apostrophes, a final dot) at
/// `start`.
fn word_end(text: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < text.len() && is_word_byte(text[end]) {
        end += 1;
    }
    if end > start && text.get(end) == Some(&b'.') && !alphanumeric_at(text, end + 1) {
        // Keep an abbreviation's dot (`Str.`) with the word only when the
        // word is an ending that needs it.
        let word = lower(&text[start..=end]);
        if word.ends_with_any(STREET_ENDINGS) {
            end += 1;
        }
    }
    end
}

/// Returns the start of the word that ends at `end`.
fn word_start(text: &[u8], end: usize) -> usize {
    let mut start = end;
    if start > 0 && text[start - 1] == b'.' {
        start -= 1;
    }
    while start > 0 && is_word_byte(text[start - 1]) {
        start -= 1;
    }
    start
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || matches!(byte, b'\'' | b'-') || byte >= 0x80
}

fn is_capitalised(word: &[u8]) -> bool {
    let first = String::from_utf8_lossy(word).chars().next();
    first.is_some_and(char::is_uppercase)
}

/// Longest word end that is compared with the street words, in bytes.
const MAX_COMPARED_BYTES: usize = 64;

/// The last [`MAX_COMPARED_BYTES`] of a word with ASCII letters in lower
/// case, on the stack: the street words are compared many times per body,
/// and only their ASCII letters have case.
struct LowerWord {
    bytes: [u8; MAX_COMPARED_BYTES],
    length: usize,
}

impl LowerWord {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.length]
    }

    fn is_in(&self, words: &[&str]) -> bool {
        words.iter().any(|word| word.as_bytes() == self.as_bytes())
    }

    /// Returns whether the word is one of the sorted `words`.
    fn is_in_sorted(&self, words: &[&str]) -> bool {
        words
            .binary_search_by(|word| word.as_bytes().cmp(self.as_bytes()))
            .is_ok()
    }

    fn ends_with_any(&self, endings: &[&str]) -> bool {
        endings
            .iter()
            .any(|ending| self.as_bytes().ends_with(ending.as_bytes()))
    }
}

fn lower(word: &[u8]) -> LowerWord {
    let mut tail = &word[word.len().saturating_sub(MAX_COMPARED_BYTES)..];
    while tail.first().is_some_and(|byte| byte & 0xC0 == 0x80) {
        tail = &tail[1..];
    }
    let mut lowered = LowerWord {
        bytes: [0; MAX_COMPARED_BYTES],
        length: tail.len(),
    };
    lowered.bytes[..tail.len()].copy_from_slice(tail);
    lowered.bytes[..tail.len()].make_ascii_lowercase();
    lowered
}

/// Returns the start of a Chinese or Japanese address whose house number
/// starts at `number_start` (the run of CJK characters and digits before
/// it) and the number of administrative divisions in that run.
fn cjk_start(text: &[u8], number_start: usize) -> Option<(usize, usize)> {
    let window_start = number_start.saturating_sub(MAX_CJK_ADDRESS_BYTES);
    let mut from = window_start;
    while from < number_start && text[from] & 0xC0 == 0x80 {
        from += 1;
    }
    let window = std::str::from_utf8(&text[from..number_start]).ok()?;
    let mut start = number_start;
    let mut divisions = 0;
    for (offset, character) in window.char_indices().rev() {
        let part = is_cjk(character) || character.is_ascii_digit() || character == '-';
        if !part {
            break;
        }
        if CJK_DIVISIONS.contains(&character) {
            divisions += 1;
        }
        start = from + offset;
    }
    (start < number_start).then_some((start, divisions))
}

/// Returns whether a whole field value under an address key is an address:
/// 3 to 300 characters with a letter, not an e-mail address or URL, and for
/// a general address key two words or CJK address characters. A street key
/// accepts a single street name (`Lindenstrasse`).
pub(crate) fn is_address_value(value: &[u8], roles: Roles) -> bool {
    if let Some(address) = byte_address_value(value, roles) {
        return address;
    }
    let Ok(text) = std::str::from_utf8(value) else {
        // Text in a legacy charset: judged on its ASCII words alone.
        return is_address_value(&ascii_words(value), roles);
    };
    is_text_address_value(text, roles)
}

/// [`is_address_value`] for text in any script.
fn is_text_address_value(text: &str, roles: Roles) -> bool {
    let text = text.trim();
    let characters = text.chars().count();
    if !(3..=MAX_ADDRESS_CHARS).contains(&characters)
        || !text.chars().any(char::is_alphabetic)
        || text.contains('@')
        || has_scheme_separator(text.as_bytes())
        || text.starts_with("www.")
    {
        return false;
    }
    if roles.contains(Roles::STREET) {
        return true;
    }
    has_two_words(text) || text.chars().any(|c| CJK_DIVISIONS.contains(&c))
}

/// [`is_address_value`] for valid UTF-8 of ASCII and two-byte characters
/// from U+00C0 on (Latin letters with marks, Greek, Cyrillic, Hebrew,
/// Arabic and others), judged on its bytes without decoding. Returns
/// `None` for other text and for text whose only letters are non-ASCII,
/// which the general rules judge.
///
/// No character of this text is whitespace or one of [`CJK_DIVISIONS`]
/// unless it is ASCII, so [`str::trim`] and the word separators need only
/// the ASCII whitespace of [`char::is_whitespace`]. Each character has one
/// byte that is no continuation byte.
///
/// The text is read in blocks of up to 64 bytes, a bit per byte, sixteen
/// bytes per vector step. The words and the UTF-8 of a block are then
/// checked once on its bit masks, and bytes that only matter somewhere in
/// the value (letters, `@`, `:`) are gathered across all steps.
fn byte_address_value(value: &[u8], roles: Roles) -> Option<bool> {
    let splat = u8x16::splat;
    let text = trim_ascii_whitespace(value);
    let (mut letters, mut marks) = (splat(0), splat(0));
    let mut two_words = false;
    // Whether a word has started, whether the last byte of the previous
    // block is in a word, and whether it is a lead byte.
    let (mut word_seen, mut in_word, mut lead_before) = (false, false, false);
    // Each continuation byte follows a lead byte, so a text of 6 to 300
    // bytes has 3 to 300 characters, and only other lengths need the count
    // of continuation bytes.
    let count_characters = !(6..=MAX_ADDRESS_CHARS).contains(&text.len());
    let (mut non_ascii_seen, mut continuations) = (false, 0);
    // Whether the text has other bytes than this UTF-8. The blocks are
    // still read, because an `@` anywhere decides the value.
    let mut other_text = false;

    for block in (0..text.len()).step_by(64) {
        let length = (text.len() - block).min(64);
        let (mut separators, mut non_ascii, mut leads, mut following) = (0u64, 0u64, 0u64, 0u64);
        for offset in (0..length).step_by(16) {
            let (bytes, overlap) = vector_from(text, block + offset);
            let bits = |marked: u8x16| u64::from(marked.to_bitmask() >> overlap) << offset;
            letters |= vector_in_range(bytes | splat(0x20), b'a', b'z');
            marks |= bytes.simd_eq(splat(b'@')) | bytes.simd_eq(splat(b':'));
            separators |= bits(
                bytes.simd_eq(splat(b' '))
                    | bytes.simd_eq(splat(b','))
                    | vector_in_range(bytes, b'\t', b'\r'),
            );
            let high = bits(bytes);
            if high != 0 {
                non_ascii |= high;
                leads |= bits(vector_in_range(bytes, 0xC3, 0xDF));
                following |= bits(vector_in_range(bytes, 0x80, 0xBF));
            }
        }

        // Zeros pad a text shorter than a vector, and they are no
        // separators.
        let in_block = u64::MAX >> (64 - length);
        let last = length - 1;
        let word_bytes = !separators & in_block;
        let starts = word_bytes & !(word_bytes << 1 | u64::from(in_word));
        two_words |= starts != 0 && (word_seen || starts & (starts - 1) != 0);
        word_seen |= starts != 0;
        in_word = word_bytes >> last & 1 != 0;

        if (non_ascii != 0 || lead_before) && !other_text {
            // A continuation byte follows each lead byte and no other byte.
            let expected = (leads << 1 | u64::from(lead_before)) & in_block;
            other_text = non_ascii & !(leads | following) != 0 || following != expected;
            lead_before = leads >> last & 1 != 0;
            non_ascii_seen = true;
            if count_characters {
                continuations += following.count_ones() as usize;
            }
        }
    }
    // Once a value with an `@` is rejected, every mark is a colon.
    let colon = marks.any();
    if colon && contains_byte(text, b'@') {
        return Some(false);
    }
    if other_text || lead_before {
        return None;
    }
    if !letters.any() {
        return (!non_ascii_seen).then_some(false);
    }
    let characters = text.len() - continuations;
    let characters_fit = !count_characters || (3..=MAX_ADDRESS_CHARS).contains(&characters);
    let address = characters_fit
        && !(colon && has_scheme_separator(text))
        && !text.starts_with(b"www.")
        && (roles.contains(Roles::STREET) || two_words);
    Some(address)
}

/// Returns whether `text` has two words separated by whitespace or commas,
/// stopping at the start of the second.
fn has_two_words(text: &str) -> bool {
    let mut words = 0;
    let mut in_word = false;
    for character in text.chars() {
        let separator = character.is_whitespace() || character == ',';
        if !separator && !in_word {
            words += 1;
            if words == 2 {
                return true;
            }
        }
        in_word = !separator;
    }
    false
}

/// Returns whether `text` contains `://`. Looking for a colon first
/// avoids setting up a substring searcher for every value, and most values
/// have none.
fn has_scheme_separator(text: &[u8]) -> bool {
    contains_byte(text, b':')
        && memchr::memchr_iter(b':', text).any(|colon| text[colon + 1..].starts_with(b"//"))
}

/// Returns `value` with every non-ASCII byte replaced by `?`.
fn ascii_words(value: &[u8]) -> Vec<u8> {
    value
        .iter()
        .map(|&byte| if byte.is_ascii() { byte } else { b'?' })
        .collect()
}

#[cfg(test)]
#[path = "postal_address_tests.rs"]
mod tests;
