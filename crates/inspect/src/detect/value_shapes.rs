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

use super::context::Context;
use super::roles::Roles;
use crate::words::{non_digit_bytes, word};

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
    text.iter()
        .position(|byte| !byte.is_ascii_alphabetic())
        .unwrap_or(text.len())
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
