//! Phone numbers: international numbers in E.164 form and Chinese mobile
//! numbers.
//!
//! An international number starts with `+` or `00`, then a country code
//! whose first digit is 1-9, and has 7 to 15 digits in all (ITU-T E.164 §6).
//! Spaces, `-`, `.`, `(` and `)` may separate digit groups. A `00` prefix
//! also starts many zero-padded identifiers (`0042000010000001` in a NACHA
//! trace number), so an unseparated `00` number counts only under a phone key.
//!
//! A Chinese mobile number is 11 digits with an allocated `1xx` prefix,
//! optionally behind `0086` or grouped 3-4-4 by spaces or dashes. Bare
//! national numbers of other countries (`4158526633`) look like any other
//! ten-digit identifier and are not detected in this version.
//!
//! Digits that touch an ASCII letter belong to an alphanumeric token (an
//! order reference, a hash, the tail of an IBAN) and are never part of a
//! phone number.
//!
//! NOTE: a signed decimal such as `+3.14159265` has the shape of an
//! international number and is reported as one.

use super::scan::{alphanumeric_at, alphanumeric_before, digit_at, digit_run_end, push_digits};
use super::{Context, Detector, Match};
use crate::Category;

/// Minimum digits of an international number, country code included. Short
/// national numbers (Niue has 4 digits) are below it, because fewer than 7
/// digits after a `+` are more often a signed count than a phone number.
const MIN_INTERNATIONAL_DIGITS: usize = 7;

/// Maximum digits of an international number (E.164 §6.1).
const MAX_INTERNATIONAL_DIGITS: usize = 15;

/// Maximum consecutive separators between two digit groups, enough for
/// `) (`, `) ` and ` - `.
const MAX_SEPARATOR_RUN: usize = 3;

/// Digits of a Chinese mobile number without the country code.
const CN_MOBILE_DIGITS: usize = 11;

/// The international prefix and country code of China as written before a
/// mobile number without separators.
const CN_INTERNATIONAL_PREFIX: &[u8] = b"0086";

#[derive(Debug)]
pub(crate) struct Phone;

/// The prefix of an international number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    Plus,
    DoubleZero,
}

impl Detector for Phone {
    fn category(&self) -> Category {
        Category::Phone
    }

    fn find(&self, text: &[u8], context: &Context<'_>, out: &mut Vec<Match>) {
        let mut index = 0;
        while index < text.len() {
            let byte = text[index];
            let found = if byte == b'+' {
                international_end(text, index, Prefix::Plus, context).map(|end| (index, end))
            } else if byte.is_ascii_digit() {
                let run_end = digit_run_end(text, index);
                match digit_run_match(text, index, run_end, context) {
                    Some(found) => Some(found),
                    None => {
                        index = run_end;
                        continue;
                    }
                }
            } else {
                None
            };
            match found {
                Some((start, end)) => {
                    out.push(Match {
                        category: Category::Phone,
                        start,
                        end,
                    });
                    index = end;
                }
                None => index += 1,
            }
        }
    }

    /// Writes the digits with the country code: `+86 138-1234-5678`,
    /// `008613812345678` and `13812345678` all become `8613812345678`.
    fn normalize(&self, value: &[u8], out: &mut Vec<u8>) {
        match value {
            [b'+', rest @ ..] | [b'0', b'0', rest @ ..] => push_digits(rest, out),
            national => {
                out.extend_from_slice(b"86");
                push_digits(national, out);
            }
        }
    }
}

/// Matches a phone number that starts with the digit run `start..run_end`.
fn digit_run_match(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context<'_>,
) -> Option<(usize, usize)> {
    if text[start..].starts_with(b"00") {
        if let Some(end) = international_end(text, start, Prefix::DoubleZero, context) {
            return Some((start, end));
        }
    }
    // After a `+`, the run was already tried as an international number.
    if start > 0 && text[start - 1] == b'+' {
        return None;
    }
    if alphanumeric_before(text, start) || alphanumeric_at(text, run_end) {
        return None;
    }
    cn_mobile_end(text, start, run_end).map(|end| (start, end))
}

/// Returns the end of an international number whose prefix starts at `start`.
fn international_end(
    text: &[u8],
    start: usize,
    prefix: Prefix,
    context: &Context<'_>,
) -> Option<usize> {
    if alphanumeric_before(text, start) || (start > 0 && text[start - 1] == b'+') {
        return None;
    }
    let first_digit = match prefix {
        Prefix::Plus => start + 1,
        Prefix::DoubleZero => start + 2,
    };
    if !matches!(text.get(first_digit), Some(b'1'..=b'9')) {
        return None;
    }

    let (end, separated) = digit_groups_end(text, first_digit)?;
    let unseparated_zero_prefix = prefix == Prefix::DoubleZero && !separated;
    if unseparated_zero_prefix && !context.is_keyed_as(Category::Phone) {
        return None;
    }
    Some(end)
}

/// Reads separated digit groups from `first_digit` and returns the end of the
/// longest prefix with an allowed digit count, and whether that prefix
/// contains a separator. A group followed by a letter belongs to another
/// token and ends the number before it.
fn digit_groups_end(text: &[u8], first_digit: usize) -> Option<(usize, bool)> {
    let mut digits = 0;
    let mut position = first_digit;
    let mut separated = false;
    let mut end = None;
    loop {
        let group_end = digit_run_end(text, position);
        if alphanumeric_at(text, group_end) {
            break;
        }
        digits += group_end - position;
        if digits > MAX_INTERNATIONAL_DIGITS {
            // A trailing group that overflows (a year after the number) is
            // left out, but an unseparated overlong run is no phone number.
            if !separated {
                return None;
            }
            break;
        }
        if digits >= MIN_INTERNATIONAL_DIGITS {
            end = Some((group_end, separated));
        }

        let separators_end = separator_run_end(text, group_end);
        if separators_end == group_end || !digit_at(text, separators_end) {
            break;
        }
        separated = true;
        position = separators_end;
    }
    end
}

fn separator_run_end(text: &[u8], from: usize) -> usize {
    let mut end = from;
    while end < text.len()
        && end - from < MAX_SEPARATOR_RUN
        && matches!(text[end], b' ' | b'-' | b'.' | b'(' | b')')
    {
        end += 1;
    }
    end
}

/// Returns the end of a Chinese mobile number that starts with the digit run
/// `start..run_end`.
fn cn_mobile_end(text: &[u8], start: usize, run_end: usize) -> Option<usize> {
    let run = &text[start..run_end];
    let national = run.strip_prefix(CN_INTERNATIONAL_PREFIX).unwrap_or(run);
    if national.len() == CN_MOBILE_DIGITS {
        return is_cn_mobile_prefix(national).then_some(run_end);
    }
    // Grouped 3-4-4 with one separator used twice.
    if run.len() != 3 || !is_cn_mobile_prefix(run) {
        return None;
    }
    let separator = *text.get(run_end)?;
    if !matches!(separator, b' ' | b'-') {
        return None;
    }
    let second_end = four_digits_end(text, run_end + 1)?;
    if text.get(second_end) != Some(&separator) {
        return None;
    }
    let end = four_digits_end(text, second_end + 1)?;
    (!alphanumeric_at(text, end)).then_some(end)
}

/// Returns the end of a run of exactly four digits starting at `start`.
fn four_digits_end(text: &[u8], start: usize) -> Option<usize> {
    let end = start + 4;
    let exact = end <= text.len() && digit_run_end(text, start) == end;
    exact.then_some(end)
}

/// Returns whether the first three digits are an allocated mobile prefix:
/// 13x, 145-149, 15x, 162, 165-167, 17x, 18x and 19x.
fn is_cn_mobile_prefix(digits: &[u8]) -> bool {
    match digits {
        [b'1', b'3' | b'5' | b'7' | b'8' | b'9', _, ..] => true,
        [b'1', b'4', third, ..] => (b'5'..=b'9').contains(third),
        [b'1', b'6', third, ..] => matches!(third, b'2' | b'5' | b'6' | b'7'),
        _ => false,
    }
}

#[cfg(test)]
#[path = "phone_tests.rs"]
mod tests;
