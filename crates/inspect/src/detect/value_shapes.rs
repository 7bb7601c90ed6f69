//! Whole values whose shape rules out every pattern detector: plain
//! numbers, calendar dates, ISO 8601 timestamps and document codes such as
//! `SO-2024-040000` under a key without roles.
//!
//! ERP records carry an amount, a counter, a timestamp or a document number
//! in nearly every record. The scan offers each digit run of such a value to
//! the date, phone, card, account, IP address, coordinate and street
//! validators in turn, and a timestamp has six digit runs. Recognising the
//! whole value once costs a few dozen byte compares and spares those calls.
//!
//! The shapes are narrow on purpose, so that without key context none of
//! the validators accepts them:
//!
//! - Chinese mobile numbers need 11 digits in one run, and card and ID
//!   numbers at least 13 digits, in one run or in groups joined by spaces
//!   or dashes with at least four digits in each group but the last.
//!   Plain numbers and timestamps have no such run or groups, and a code
//!   has at most [`MAX_CODE_DIGITS`] digits in all;
//! - international phone numbers start with `+` or `00`, and the shapes
//!   exclude both where a number can start;
//! - an IPv4 address needs three dots, a coordinate pair two decimals, a
//!   street line a space next to its number, and a dashed social security
//!   number three digit groups;
//! - IBANs, national insurance, passport numbers and ICD-10 codes are
//!   tokens that start with letters followed by digits. In these shapes a
//!   dash sets letters off from digits, or the letter follows a digit, as
//!   the `T` of a timestamp does;
//! - dates of birth, national phone numbers, accounts and the remaining
//!   passport and health numbers need a key role or a label. A label is
//!   set off from its value by a space, `:`, `=` or `#`, and in these
//!   shapes only a digit precedes those bytes.
//!
//! A key role that can turn digits into a finding (a phone, a date of
//! birth, an account) disables the shortcut. The tests compare the
//! shortcut with the full scan on generated values of every shape.
//!
//! A column of a table, or a key in the records of a JSON array, repeats a
//! few shapes: every order number of an export has the same letters,
//! dashes and number of digits. So the shapes of ruled-out values
//! ([`ShapeTemplate`]) are kept: per column by the CSV decoder
//! ([`ColumnShapes`]) and per key by the collector ([`ShapeMemo`]). The
//! next values are tested against them first, in a few word operations
//! instead of the checks.

use super::context::Context;
use super::roles::Roles;
use crate::words::{HIGH_BITS, LOW_BITS, ONES, non_digit_bytes, word};

/// Maximum digits before the decimal point of a plain number. Chinese
/// mobile numbers have 11 digits and card numbers at least 13, and both are
/// found without key context.
const MAX_INTEGER_DIGITS: usize = 9;

/// Maximum digits after the decimal point of a plain number, and of the
/// fraction of a second in a timestamp.
const MAX_FRACTION_DIGITS: usize = 9;

/// Maximum letters in the prefix or suffix of a document code.
const MAX_CODE_LETTERS: usize = 8;

/// Maximum digits of one group of a document code: a Chinese mobile number
/// has 11 in one run.
const MAX_CODE_GROUP_DIGITS: usize = 10;

/// Maximum digits of a document code in all: a card number has at least 13.
const MAX_CODE_DIGITS: usize = 12;

/// Key roles under which the shapes still contain nothing. Both roles only
/// suppress findings: a reference is not a card number and a version is not
/// an IPv4 address.
const INERT_ROLES: Roles = Roles::REFERENCE.union(Roles::VERSION);

/// Returns whether `text`, a whole segment value, is a plain number, a
/// date, a timestamp or a document code under a context in which the scan
/// is certain to find nothing in it.
#[inline]
pub(crate) fn rules_out_patterns(text: &[u8], context: &Context) -> bool {
    let first = match text.first() {
        Some(&byte) => byte,
        None => return false,
    };
    if !INERT_ROLES.contains(context.roles) {
        return false;
    }
    if first.is_ascii_alphabetic() {
        return is_code(text);
    }
    if !(first.is_ascii_digit() || first == b'-') {
        return false;
    }
    // Digits after `00` may be an international phone number whose groups
    // are separated by dots or dashes (`0049-301-234567`), with no key.
    let unsigned = text.strip_prefix(b"-").unwrap_or(text);
    if unsigned.starts_with(b"00") {
        return false;
    }
    is_plain_number(text) || is_date_or_timestamp(text)
}

/// Maximum length of a value whose shape a [`ShapeTemplate`] records:
/// three words, enough for codes, amounts and timestamps with a fraction
/// of a second.
const TEMPLATE_BYTES: usize = 24;

/// The shape of a value that [`rules_out_patterns`] ruled out: its length,
/// which bytes are digits, and every other byte as it is.
///
/// The shape checks read digits only as digits, except that a value whose
/// first digits are `00` is never ruled out (the checks in
/// [`rules_out_patterns`] and [`is_code`]). So under the same key roles a
/// value of the same shape is ruled out too, unless its first two digits
/// are both `0`. A column of codes, amounts or timestamps repeats a few
/// shapes, and testing a value against the shape of the last one costs a
/// few word operations where the checks walk its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShapeTemplate {
    length: usize,
    /// The words that [`shape_words`] reads, with zero where a digit goes.
    literal: [u64; 3],
    /// 0xFF at the bytes of the words that are not digits.
    literal_mask: [u64; 3],
    /// The high bit of every byte of the words where a digit goes.
    digits: [u64; 3],
    /// The offset of the first digit when a digit follows it: a value of
    /// this shape with `00` there is not ruled out.
    zero_pair: Option<usize>,
}

impl ShapeTemplate {
    /// Returns the shape of `text`, a value that [`rules_out_patterns`]
    /// ruled out, or `None` when it is longer than [`TEMPLATE_BYTES`].
    pub(crate) fn of(text: &[u8]) -> Option<ShapeTemplate> {
        let words = shape_words(text)?;
        let mut template = ShapeTemplate {
            length: text.len(),
            literal: [0; 3],
            literal_mask: [0; 3],
            digits: [0; 3],
            zero_pair: None,
        };
        for (index, word) in words.into_iter().enumerate() {
            let digits = !non_digit_bytes(word) & HIGH_BITS;
            // Spreads each digit's high bit over its byte.
            let literal_mask = !((digits >> 7) * 0xFF);
            template.digits[index] = digits;
            template.literal_mask[index] = literal_mask;
            template.literal[index] = word & literal_mask;
        }
        let first_digit = text.iter().position(u8::is_ascii_digit);
        template.zero_pair =
            first_digit.filter(|&first| text.get(first + 1).is_some_and(u8::is_ascii_digit));
        Some(template)
    }

    /// Returns whether `text` has this shape and is ruled out like the
    /// value the shape was taken from.
    #[inline(always)]
    pub(crate) fn rules_out(&self, text: &[u8]) -> bool {
        if text.len() != self.length {
            return false;
        }
        let Some(words) = shape_words(text) else {
            return false;
        };
        // Words past the length are zero in both, so only the used ones are
        // compared.
        let used = self.length.div_ceil(8).max(1);
        let mut differences = 0;
        #[allow(
            clippy::needless_range_loop,
            reason = "one counter over four arrays ran 9 M fewer instructions \
                      per 4 MiB of sparse CSV than an enumerated slice"
        )]
        for index in 0..used {
            let word = words[index];
            differences |= (word ^ self.literal[index]) & self.literal_mask[index]
                | non_digit_bytes(word) & self.digits[index];
        }
        differences == 0
            && self
                .zero_pair
                .is_none_or(|first| text[first..first + 2] != *b"00")
    }
}

/// Entries of a [`ShapeMemo`]: four lengths for each of 64 keys, about
/// 26 KiB, which stays in a core's L2 cache.
const MEMO_SLOTS: usize = 256;

/// Lengths modulo this number get an entry of their own per key, so that
/// amounts of several lengths keep a shape for each.
const MEMO_LENGTHS: usize = 4;

/// The shapes of values that [`rules_out_patterns`] ruled out, by the key
/// they were sent under (whose roles stay the same) and their length,
/// direct-mapped. The next value of the same shape under the key is then
/// ruled out by [`ShapeTemplate::rules_out`]. An entry of another key or
/// length only costs a miss. Table cells keep their shapes by column
/// instead, in the CSV decoder ([`ColumnShapes`]).
#[derive(Debug, Default)]
pub(crate) struct ShapeMemo {
    /// One plus the key's id, zero for an empty entry, and the shape.
    /// Empty until [`MEMO_AFTER`] values were offered.
    entries: Vec<(u32, ShapeTemplate)>,
    /// Values offered to [`ShapeMemo::remember`] so far, up to
    /// [`MEMO_AFTER`].
    offered: u32,
}

/// Values ruled out before the memo is allocated and used, so that a small
/// request does not pay for filling its entries.
const MEMO_AFTER: u32 = 32;

impl ShapeMemo {
    /// Returns whether `text`, under the key with id `key`, has the shape
    /// of a value remembered for that key.
    #[inline(always)]
    pub(crate) fn rules_out(&self, key: u32, text: &[u8]) -> bool {
        let Some((tag, template)) = self.entries.get(slot(key, text)) else {
            return false;
        };
        *tag == key.wrapping_add(1) && template.rules_out(text)
    }

    /// Remembers the shape of `text`, which the checks ruled out under the
    /// key with id `key`.
    pub(crate) fn remember(&mut self, key: u32, text: &[u8]) {
        if self.offered < MEMO_AFTER {
            self.offered += 1;
            return;
        }
        let Some(template) = ShapeTemplate::of(text) else {
            return;
        };
        if self.entries.is_empty() {
            self.entries = vec![(0, template); MEMO_SLOTS];
        }
        self.entries[slot(key, text)] = (key.wrapping_add(1), template);
    }
}

/// The shapes of values ruled out in each column of one table, one for
/// each length modulo [`MEMO_LENGTHS`]. The CSV decoder keeps them: a cell
/// of such a shape skips the byte classes, the sink's checks and the
/// shape checks alike.
#[derive(Debug, Default)]
pub(crate) struct ColumnShapes {
    columns: Vec<[Option<ShapeTemplate>; MEMO_LENGTHS]>,
}

impl ColumnShapes {
    /// Returns an empty memo for a table of `columns` named columns.
    pub(crate) fn new(columns: usize) -> ColumnShapes {
        ColumnShapes {
            columns: vec![[None; MEMO_LENGTHS]; columns],
        }
    }

    /// Returns whether `text` in `column` has the shape of a value ruled
    /// out there before.
    #[inline(always)]
    pub(crate) fn rules_out(&self, column: usize, text: &[u8]) -> bool {
        self.columns
            .get(column)
            .and_then(|shapes| shapes[text.len() % MEMO_LENGTHS].as_ref())
            .is_some_and(|template| template.rules_out(text))
    }

    /// Remembers the shape of `text`, which the sink ruled out by its
    /// shape in `column`.
    pub(crate) fn remember(&mut self, column: usize, text: &[u8]) {
        if let Some(shapes) = self.columns.get_mut(column) {
            shapes[text.len() % MEMO_LENGTHS] = ShapeTemplate::of(text);
        }
    }
}

#[inline(always)]
fn slot(key: u32, text: &[u8]) -> usize {
    (key as usize * MEMO_LENGTHS + text.len() % MEMO_LENGTHS) % MEMO_SLOTS
}

/// Reads `text`, of at most [`TEMPLATE_BYTES`], into three words without a
/// loop over its bytes. Reads that overlap cover lengths that are not a
/// multiple of the read, so every byte of a word is a byte of `text`, or
/// zero in texts of under four bytes. Two texts of one length therefore
/// have equal words when their bytes are equal.
#[inline(always)]
fn shape_words(text: &[u8]) -> Option<[u64; 3]> {
    let length = text.len();
    let read = |at: usize, bytes: usize| -> u64 {
        let mut word = [0u8; 8];
        word[..bytes].copy_from_slice(&text[at..at + bytes]);
        u64::from_le_bytes(word)
    };
    let words = match length {
        0 => [0; 3],
        1 => [u64::from(text[0]), 0, 0],
        2..4 => [read(0, 2) | read(length - 2, 2) << 16, 0, 0],
        4..8 => [read(0, 4) | read(length - 4, 4) << 32, 0, 0],
        8..=16 => [read(0, 8), read(length - 8, 8), 0],
        17..=TEMPLATE_BYTES => [read(0, 8), read(8, 8), read(length - 8, 8)],
        _ => return None,
    };
    Some(words)
}

/// Returns whether `text` is a document code: 1 to [`MAX_CODE_LETTERS`]
/// letters, one or two groups of a dash and 1 to [`MAX_CODE_GROUP_DIGITS`]
/// digits, and an optional dash and letters (`SO-2024-040000`,
/// `SKU-12345-B`). The first group must not start with `00`, and the
/// groups hold at most [`MAX_CODE_DIGITS`] digits.
fn is_code(text: &[u8]) -> bool {
    let prefix = leading_letters(text);
    if !(1..=MAX_CODE_LETTERS).contains(&prefix) {
        return false;
    }
    let mut rest = &text[prefix..];
    let mut groups = 0;
    let mut digits = 0;
    while let [b'-', after_dash @ ..] = rest {
        let group = leading_digits(after_dash);
        if group == 0 {
            break;
        }
        if group > MAX_CODE_GROUP_DIGITS || (groups == 0 && after_dash.starts_with(b"00")) {
            return false;
        }
        groups += 1;
        digits += group;
        rest = &after_dash[group..];
    }
    if !(1..=2).contains(&groups) || digits > MAX_CODE_DIGITS {
        return false;
    }
    match rest {
        [] => true,
        [b'-', suffix @ ..] => {
            (1..=MAX_CODE_LETTERS).contains(&suffix.len())
                && leading_letters(suffix) == suffix.len()
        }
        _ => false,
    }
}

/// Returns whether `text` is an optional minus sign, 1 to
/// [`MAX_INTEGER_DIGITS`] digits and an optional decimal point followed by
/// 1 to [`MAX_FRACTION_DIGITS`] digits (`-12`, `1234.50`).
fn is_plain_number(text: &[u8]) -> bool {
    let unsigned = text.strip_prefix(b"-").unwrap_or(text);
    let integer = leading_digits(unsigned);
    if integer == 0 || integer > MAX_INTEGER_DIGITS {
        return false;
    }
    match &unsigned[integer..] {
        [] => true,
        [b'.', fraction @ ..] => is_fraction(fraction),
        _ => false,
    }
}

/// Returns whether `text` is a date `YYYY-MM-DD`, optionally followed by
/// `T` or a space, a time `hh:mm:ss`, a fraction of a second, and `Z` or an
/// offset `+hh:mm` or `-hh:mm`. The digits are not range-checked, because
/// the shape alone rules out the detectors.
fn is_date_or_timestamp(text: &[u8]) -> bool {
    let Some((date, rest)) = text.split_first_chunk::<10>() else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let Some((&separator, rest)) = rest.split_first() else {
        return true;
    };
    if !matches!(separator, b'T' | b' ') {
        return false;
    }
    let Some((time, mut rest)) = rest.split_first_chunk::<8>() else {
        return false;
    };
    if !TIME.matches(u64::from_le_bytes(*time)) {
        return false;
    }
    if let [b'.', after_point @ ..] = rest {
        let digits = leading_digits(after_point);
        if digits == 0 || digits > MAX_FRACTION_DIGITS {
            return false;
        }
        rest = &after_point[digits..];
    }
    match rest {
        [] | [b'Z'] => true,
        [b'+' | b'-', offset @ ..] => offset.len() == 5 && matches_template(offset, b"dd:dd"),
        _ => false,
    }
}

/// Returns whether `text` is exactly a date `YYYY-MM-DD`, digits not
/// range-checked.
pub(crate) fn is_date(text: &[u8]) -> bool {
    // Two overlapping words cover the ten bytes of the date.
    text.len() == 10 && DATE_HEAD.matches(word(&text[..8])) && DATE_TAIL.matches(word(&text[2..]))
}

/// Returns whether `text` is 1 to [`MAX_FRACTION_DIGITS`] digits.
fn is_fraction(text: &[u8]) -> bool {
    (1..=MAX_FRACTION_DIGITS).contains(&text.len()) && leading_digits(text) == text.len()
}

/// Returns the number of ASCII letters at the start of `text`.
#[inline]
fn leading_letters(text: &[u8]) -> usize {
    // The first eight bytes are tested in one word. Most values that
    // start with a letter have a non-letter among them.
    let mut start = 0;
    if let Some(first) = text.first_chunk::<8>() {
        let non_letters = non_letter_bytes(u64::from_le_bytes(*first));
        if non_letters != 0 {
            return (non_letters.trailing_zeros() / 8) as usize;
        }
        start = 8;
    }
    text[start..]
        .iter()
        .position(|byte| !byte.is_ascii_alphabetic())
        .map_or(text.len(), |offset| start + offset)
}

/// Returns the high bit of every byte of `word` that is no ASCII letter.
fn non_letter_bytes(word: u64) -> u64 {
    // Setting bit 5 lowers an upper-case letter and moves no other byte
    // into `a..=z`. Below the high bit, adding 0x1F carries into it from
    // `a` upwards and adding 0x05 from the byte after `z` upwards, and no
    // sum carries into the next byte.
    let lowered = (word | (ONES * 0x20)) & LOW_BITS;
    let from_a = lowered + ONES * (0x80 - u64::from(b'a'));
    let after_z = lowered + ONES * (0x80 - u64::from(b'z') - 1);
    !(from_a & !after_z & !word) & HIGH_BITS
}

/// Returns the number of ASCII digits at the start of `text`.
#[inline]
fn leading_digits(text: &[u8]) -> usize {
    text.iter()
        .position(|byte| !byte.is_ascii_digit())
        .unwrap_or(text.len())
}

/// Eight bytes of a fixed layout, `d` for a digit and any other byte for
/// itself, tested in one word.
struct WordTemplate {
    /// The literal bytes, zero where a digit goes.
    literal: u64,
    /// 0xFF at the literal bytes.
    literal_mask: u64,
    /// The high bit of every byte where a digit goes.
    digits: u64,
}

impl WordTemplate {
    const fn new(template: &[u8; 8]) -> WordTemplate {
        let (mut literal, mut literal_mask, mut digits) = (0, 0, 0);
        let mut index = 0;
        while index < 8 {
            let shift = 8 * index;
            if template[index] == b'd' {
                digits |= 0x80 << shift;
            } else {
                literal |= (template[index] as u64) << shift;
                literal_mask |= 0xFF << shift;
            }
            index += 1;
        }
        WordTemplate {
            literal,
            literal_mask,
            digits,
        }
    }

    /// Returns whether the eight bytes of `word`, read little-endian,
    /// follow the template.
    fn matches(&self, word: u64) -> bool {
        (word ^ self.literal) & self.literal_mask == 0 && non_digit_bytes(word) & self.digits == 0
    }
}

/// The first eight and the last eight bytes of a date `YYYY-MM-DD`.
const DATE_HEAD: WordTemplate = WordTemplate::new(b"dddd-dd-");
const DATE_TAIL: WordTemplate = WordTemplate::new(b"dd-dd-dd");
/// A time `hh:mm:ss`.
const TIME: WordTemplate = WordTemplate::new(b"dd:dd:dd");

/// Returns whether `text` has the length of `template` and a digit wherever
/// `template` has `d` and the same byte elsewhere.
fn matches_template(text: &[u8], template: &[u8]) -> bool {
    text.len() == template.len()
        && text
            .iter()
            .zip(template)
            .all(|(&byte, &expected)| match expected {
                b'd' => byte.is_ascii_digit(),
                _ => byte == expected,
            })
}

#[cfg(test)]
#[path = "value_shapes_tests.rs"]
mod tests;
