//! Phone numbers: international numbers, Chinese mobile numbers, and
//! national numbers of other regions under phone context.
//!
//! An international number starts with `+` or `00`, then an assigned
//! country code (ITU-T E.164 Annex list), and has 7 to 15 digits in all
//! (E.164 §6). For China, the US and Canada, the UK, Germany, France, Japan,
//! India, Brazil, Spain and Poland the national significant number must also
//! have the region's length (see [`super::phone_regions`]). Spaces, `-`, `.`, `/`,
//! `_`, `(` and `)` may separate digit groups. A `00` prefix also starts many
//! zero-padded identifiers (`0042000010000001` in a NACHA trace number), so
//! an unseparated `00` number counts only under phone context.
//!
//! A Chinese mobile number is 11 digits with an allocated `1xx` prefix,
//! optionally behind `0086` or grouped 3-4-4, and counts anywhere: no other
//! common identifier has that shape. A bare national number of another
//! region (`4152568563`, `020 7946 0018`, `030 12345678`) looks like any
//! other ten-digit identifier, so it counts only under phone context: a key
//! such as `phone`, `Contact: Phone` or `电话`, or a label such as `Tel:`.
//! So does an international number of one of those regions written without
//! its prefix (`4917612345678`).
//! In free text, a NANP number also counts without one when it is written
//! with its area code in brackets or after the trunk prefix 1
//! (`(415) 555-2671`, `1-415-555-2671`), which ten digits of an identifier
//! rarely take. Plain 3-3-4 groups (`415-555-2671`) are also part, ticket
//! and invoice numbers, so they still need a key or label.
//!
//! Digits that touch an ASCII letter belong to an alphanumeric token (an
//! order reference, a hash, the tail of an IBAN) and are never part of a
//! phone number.
//!
//! NOTE: a signed decimal such as `+3.14159265` has the shape of an
//! international number (`+31` is the Netherlands) and is reported as one.

use super::context::Context;
use super::phone_regions::{
    is_cn_mobile_prefix, is_nanp, valid_international, valid_international_without_prefix,
    valid_national, valid_nine_digit_national,
};
use super::roles::Roles;
use super::scan::{
    alphanumeric_at, alphanumeric_before, digit_at, digit_run_end, is_group_separator, push_digits,
    starts_number,
};
use crate::words::{contains_byte, non_digit_bytes, word};

/// Minimum digits of an international number, country code included. Short
/// national numbers (Niue has 4 digits) are below it, because fewer than 7
/// digits after a `+` are more often a signed count than a phone number.
pub(crate) const MIN_INTERNATIONAL_DIGITS: usize = 7;

/// Maximum digits of an international number (E.164 §6.1).
pub(crate) const MAX_INTERNATIONAL_DIGITS: usize = 15;

/// Maximum consecutive separators between two digit groups, enough for
/// `) (`, `) ` and ` - `.
const MAX_SEPARATOR_RUN: usize = 3;

/// Digits of a Chinese mobile number without the country code.
const CN_MOBILE_DIGITS: usize = 11;

/// The international prefix and country code of China as written before a
/// mobile number without separators.
const CN_INTERNATIONAL_PREFIX: &[u8] = b"0086";

/// The country code of China, prefixed to bare mobile numbers when subjects
/// are counted.
const CN_COUNTRY_CODE: &[u8] = b"86";

/// Returns the end of an international number whose `+` is at `plus`.
pub(crate) fn international_at_plus(text: &[u8], plus: usize) -> Option<usize> {
    international_end(text, plus, plus + 1, &Context::default())
}

/// Returns whether `digits`, all the digits written after a `+`, are a
/// valid international number: the test that [`international_at_plus`]
/// makes when the number ends with the last digit group.
pub(crate) fn valid_international_digits(digits: &[u8]) -> bool {
    matches!(digits.first(), Some(b'1'..=b'9')) && valid_international(digits)
}

/// Returns whether `value` is exactly a Chinese mobile number of
/// [`CN_MOBILE_DIGITS`] ASCII digits without separators (`13812345678`),
/// which [`at_digit_run`] reads whole when the value is its only digit run.
pub(crate) fn is_bare_cn_mobile(value: &[u8]) -> bool {
    // Two words that overlap cover the eleven bytes.
    value.len() == CN_MOBILE_DIGITS
        && is_cn_mobile_prefix(value)
        && non_digit_bytes(word(&value[..8])) | non_digit_bytes(word(&value[3..])) == 0
}
const _: () = assert!(CN_MOBILE_DIGITS == 11);

/// Returns the span of a phone number that starts with the digit run
/// `start..run_end`: a `00` international number, a Chinese mobile number,
/// or a national number under phone context.
///
/// Marked inline so that the scan, which calls it for nearly every digit
/// run, can inline its early rejections whichever codegen unit it is in.
#[inline]
pub(crate) fn at_digit_run(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<(usize, usize)> {
    // Each form needs one of these: a `00` prefix, eleven digits or three
    // in a group for a Chinese mobile number, or a phone key or a possible
    // label for a national number. Runs in other fields rarely have any.
    let length = run_end - start;
    let possible = text[start] == b'0'
        || length >= CN_MOBILE_DIGITS
        || (length == 3 && matches!(text.get(run_end), Some(b' ' | b'-')))
        || context
            .roles
            .intersects(Roles::PHONE.union(Roles::RECIPIENT))
        || context.labels;
    if !possible {
        return None;
    }
    read_at_digit_run(text, start, run_end, context)
}

/// [`at_digit_run`] without its test of whether any form can start here.
fn read_at_digit_run(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<(usize, usize)> {
    // After a `+` or inside a longer number, the run was already tried.
    if !starts_number(text, start) {
        return None;
    }
    if text[start..].starts_with(b"00") {
        if let Some(end) = international_end(text, start, start + 2, context) {
            return Some((start, end));
        }
    }
    if !alphanumeric_at(text, run_end) {
        if let Some(end) = cn_mobile_end(text, start, run_end) {
            return Some((start, end));
        }
    }
    if context.labels
        && let Some(span) = nanp_in_text(text, start, run_end)
    {
        return Some(span);
    }
    national(text, start, context)
}

/// Returns the span of a NANP number in a form that counts in free text
/// without a label: `(415) 555-2671`, `1 (415) 555-2671`, or 3-3-4 digits
/// after a trunk `1` with one `-` or `.` throughout (`1-415-555-2671`).
/// Ten digits grouped otherwise, such as the part number `415-555-2671`
/// or the invoice number `2024-480-3819`, still need a phone key or label.
/// A letter or a further group after the number (`415-555-2671-12`) makes
/// it part of a longer identifier.
fn nanp_in_text(text: &[u8], start: usize, run_end: usize) -> Option<(usize, usize)> {
    let mut digits = [0u8; NANP_DIGITS];
    let (match_start, end) = match (run_end - start, text.get(run_end)) {
        (1, Some(&separator)) if text[start] == b'1' => {
            let area = run_end + 1;
            match separator {
                b' ' if text.get(area) == Some(&b'(') => {
                    (start, nanp_parenthesised(text, area + 1, &mut digits)?)
                }
                b'-' | b'.' => (start, nanp_separated(text, area, separator, &mut digits)?),
                _ => return None,
            }
        }
        (3, Some(b')')) if start > 0 && text[start - 1] == b'(' => {
            (start - 1, nanp_parenthesised(text, start, &mut digits)?)
        }
        _ => return None,
    };
    let continued = alphanumeric_at(text, end)
        || (text.get(end).is_some_and(|&byte| is_group_separator(byte)) && digit_at(text, end + 1));
    (!continued && is_nanp(&digits)).then_some((match_start, end))
}

/// Digits of a NANP number without the trunk prefix.
const NANP_DIGITS: usize = 10;

/// Reads `(415) 555-2671` from the area code at `area`, the parenthesis
/// before it, into `digits`, and returns the end.
fn nanp_parenthesised(text: &[u8], area: usize, digits: &mut [u8; NANP_DIGITS]) -> Option<usize> {
    let area_end = exact_digits_end(text, area, 3)?;
    if text.get(area_end) != Some(&b')') {
        return None;
    }
    let mut exchange = area_end + 1;
    if text.get(exchange) == Some(&b' ') {
        exchange += 1;
    }
    let exchange_end = exact_digits_end(text, exchange, 3)?;
    let separator = *text.get(exchange_end)?;
    if !matches!(separator, b'-' | b'.') {
        return None;
    }
    let end = exact_digits_end(text, exchange_end + 1, 4)?;
    digits[..3].copy_from_slice(&text[area..area_end]);
    digits[3..6].copy_from_slice(&text[exchange..exchange_end]);
    digits[6..].copy_from_slice(&text[exchange_end + 1..end]);
    Some(end)
}

/// Reads `415-555-2671` from `area` with `separator` between the groups
/// into `digits`, and returns the end.
fn nanp_separated(
    text: &[u8],
    area: usize,
    separator: u8,
    digits: &mut [u8; NANP_DIGITS],
) -> Option<usize> {
    let area_end = exact_digits_end(text, area, 3)?;
    if text.get(area_end) != Some(&separator) {
        return None;
    }
    let exchange_end = exact_digits_end(text, area_end + 1, 3)?;
    if text.get(exchange_end) != Some(&separator) {
        return None;
    }
    let end = exact_digits_end(text, exchange_end + 1, 4)?;
    digits[..3].copy_from_slice(&text[area..area_end]);
    digits[3..6].copy_from_slice(&text[area_end + 1..exchange_end]);
    digits[6..].copy_from_slice(&text[exchange_end + 1..end]);
    Some(end)
}

/// Returns the end of a run of exactly `count` digits at `start`.
fn exact_digits_end(text: &[u8], start: usize, count: usize) -> Option<usize> {
    let end = start + count;
    let exact = end <= text.len() && digit_run_end(text, start) == end;
    exact.then_some(end)
}

/// Returns the end of an international number whose prefix (`+` or `00`)
/// starts at `start` and whose country code starts at `first_digit`.
fn international_end(
    text: &[u8],
    start: usize,
    first_digit: usize,
    context: &Context,
) -> Option<usize> {
    if alphanumeric_before(text, start) || (start > 0 && text[start - 1] == b'+') {
        return None;
    }
    if !matches!(text.get(first_digit), Some(b'1'..=b'9')) {
        return None;
    }
    let groups = DigitGroups::read(text, first_digit)?;
    let (end, separated) = groups.longest_prefix(valid_international)?;
    let double_zero = first_digit == start + 2;
    if double_zero && !separated && !context.allows(Roles::PHONE, text, start) {
        return None;
    }
    Some(end)
}

/// Returns the span of a national number under phone context that starts
/// at `start`, with an opening parenthesis just before it included. An
/// international number without its prefix (`4917612345678`) counts here
/// too, for the regions whose plans are checked.
// Inline across codegen units: the scan calls it for most digit runs.
#[inline]
fn national(text: &[u8], start: usize, context: &Context) -> Option<(usize, usize)> {
    let opening = start > 0 && text[start - 1] == b'(';
    let match_start = if opening { start - 1 } else { start };
    // Outside phone fields most digit runs stop at one of these two cheap
    // checks, before their groups are read.
    if !context.roles.contains(Roles::PHONE) {
        if context.roles.contains(Roles::RECIPIENT) {
            return international_without_prefix(text, start, opening);
        }
        // Without a phone key, only a label before the number allows it.
        if !context.may_allow(Roles::PHONE, text, match_start) {
            return None;
        }
        let digits = grouped_digit_count(text, start);
        if !(MIN_NATIONAL_DIGITS..=MAX_NATIONAL_DIGITS).contains(&digits)
            || !context.allows(Roles::PHONE, text, match_start)
        {
            return None;
        }
    }
    let groups = DigitGroups::read(text, start)?;
    if groups.overflowed || alphanumeric_at(text, groups.end) {
        return None;
    }
    let digits = groups.digits();
    let valid = valid_national(digits)
        || ((valid_nine_digit_national(digits)
            || (!opening && valid_international_without_prefix(digits)))
            && keyed_or_labelled(text, match_start, context));
    valid.then_some((match_start, groups.end))
}

/// Returns the span of an international number without its prefix that
/// starts at `start`, under a recipient key (see [`Roles::RECIPIENT`]).
#[cold]
#[inline(never)]
fn international_without_prefix(
    text: &[u8],
    start: usize,
    opening: bool,
) -> Option<(usize, usize)> {
    let groups = DigitGroups::read(text, start)?;
    let valid = !opening
        && !groups.overflowed
        && !alphanumeric_at(text, groups.end)
        && valid_international_without_prefix(groups.digits());
    valid.then_some((start, groups.end))
}

/// Returns whether a phone key or a phone label gives a number at `start`
/// its context. Masking gives all free text the phone role without either,
/// and these forms are too common among other identifiers for that.
fn keyed_or_labelled(text: &[u8], start: usize, context: &Context) -> bool {
    !context.labels || context.labelled(Roles::PHONE, text, start)
}

/// Fewest and most digits of a national number in the validated regions,
/// trunk prefix included (a German number has 6 to 14).
const MIN_NATIONAL_DIGITS: usize = 6;
const MAX_NATIONAL_DIGITS: usize = 14;

/// Counts the digits of the groups from `start`, as [`DigitGroups::read`]
/// would join them, without storing them.
fn grouped_digit_count(text: &[u8], start: usize) -> usize {
    let mut digits = 0;
    let mut position = start;
    loop {
        let group_end = digit_run_end(text, position);
        digits += group_end - position;
        let separators_end = separator_run_end(text, group_end);
        if separators_end == group_end
            || !digit_at(text, separators_end)
            || digits > MAX_NATIONAL_DIGITS
        {
            return digits;
        }
        position = separators_end;
    }
}

/// The digit groups of a written number, read from its first digit.
#[derive(Debug)]
struct DigitGroups {
    digits: [u8; MAX_INTERNATIONAL_DIGITS],
    length: usize,
    /// After each group: its end as an offset from `first_digit`, the digit
    /// count so far, and whether a separator came before that group's end.
    /// A number of at most 15 digits with separator runs of at most
    /// [`MAX_SEPARATOR_RUN`] bytes ends within 60 bytes, so a byte can store
    /// the offset and the struct stays small to create and return.
    ends: [(u8, u8, bool); MAX_INTERNATIONAL_DIGITS],
    /// The offset of the first digit.
    first_digit: usize,
    groups: usize,
    /// The end of the last group read.
    end: usize,
    /// Whether more digits followed than fit in an international number.
    overflowed: bool,
}

impl DigitGroups {
    /// Reads groups from `first_digit`. A group followed by a letter belongs
    /// to another token and ends the number before it. Returns `None` when
    /// the first group touches a letter or is too long for any phone number.
    fn read(text: &[u8], first_digit: usize) -> Option<DigitGroups> {
        let mut groups = DigitGroups {
            digits: [0; MAX_INTERNATIONAL_DIGITS],
            length: 0,
            ends: [(0, 0, false); MAX_INTERNATIONAL_DIGITS],
            first_digit,
            groups: 0,
            end: first_digit,
            overflowed: false,
        };
        let mut position = first_digit;
        let mut separated = false;
        loop {
            let group_end = digit_run_end(text, position);
            if alphanumeric_at(text, group_end) {
                if groups.groups == 0 {
                    return None;
                }
                break;
            }
            let group = &text[position..group_end];
            if groups.length + group.len() > MAX_INTERNATIONAL_DIGITS {
                if groups.groups == 0 {
                    return None;
                }
                groups.overflowed = true;
                break;
            }
            groups.digits[groups.length..groups.length + group.len()].copy_from_slice(group);
            groups.length += group.len();
            // Both fit in a byte: see the field's documentation.
            debug_assert!(group_end - first_digit <= usize::from(u8::MAX));
            groups.ends[groups.groups] = (
                (group_end - first_digit) as u8,
                groups.length as u8,
                separated,
            );
            groups.groups += 1;
            groups.end = group_end;

            let separators_end = separator_run_end(text, group_end);
            if separators_end == group_end || !digit_at(text, separators_end) {
                break;
            }
            separated = true;
            position = separators_end;
        }
        Some(groups)
    }

    fn digits(&self) -> &[u8] {
        &self.digits[..self.length]
    }

    /// Returns the end of the longest run of whole groups whose digits pass
    /// `valid`, and whether it contains a separator.
    fn longest_prefix(&self, valid: fn(&[u8]) -> bool) -> Option<(usize, bool)> {
        self.ends[..self.groups]
            .iter()
            .rev()
            .find(|&&(_, length, _)| valid(&self.digits[..usize::from(length)]))
            .map(|&(end, _, separated)| (self.first_digit + usize::from(end), separated))
    }
}

fn separator_run_end(text: &[u8], from: usize) -> usize {
    let mut end = from;
    while end < text.len()
        && end - from < MAX_SEPARATOR_RUN
        && matches!(text[end], b' ' | b'-' | b'.' | b'/' | b'(' | b')' | b'_')
    {
        end += 1;
    }
    end
}

/// Returns the end of a Chinese mobile number that starts with the digit run
/// `start..run_end`.
// Inline across codegen units: the scan calls it for most digit runs.
#[inline]
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

/// Writes the digits that identify a number for counting subjects.
///
/// International numbers become their E.164 digits, without a `(0)` trunk
/// group: `+86 138-1234-5678`, `008613812345678` and `13812345678` all
/// become `8613812345678`, and `+44 (0)20 7946 0958` becomes
/// `442079460958`. Other national numbers keep their national digits,
/// because their region is not known for sure: `030 1234567` and
/// `+49 30 1234567` count as two numbers.
pub(crate) fn normalize(value: &[u8], out: &mut Vec<u8>) {
    let international = match value {
        [b'+', rest @ ..] => Some(rest),
        [b'0', b'0', rest @ ..] => Some(rest),
        _ => None,
    };
    if let Some(rest) = international {
        // Looking for a parenthesis first spares comparing three bytes at
        // every position, and most numbers have none.
        let trunk = contains_byte(rest, b'(')
            .then(|| {
                memchr::memchr_iter(b'(', rest).find(|&open| rest[open + 1..].starts_with(b"0)"))
            })
            .flatten();
        match trunk {
            Some(position) => {
                push_digits(&rest[..position], out);
                push_digits(&rest[position + 3..], out);
            }
            None => push_number_digits(rest, out),
        }
        return;
    }
    // A bare Chinese mobile number, as a column of them sends it, is
    // copied after its country code without inserting the code before
    // digits already written.
    if is_bare_cn_mobile(value) {
        out.extend_from_slice(CN_COUNTRY_CODE);
        out.extend_from_slice(value);
        return;
    }
    let start = out.len();
    push_number_digits(value, out);
    let national = &out[start..];
    if national.len() == CN_MOBILE_DIGITS && is_cn_mobile_prefix(national) {
        out.splice(start..start, CN_COUNTRY_CODE.iter().copied());
    }
}

/// Lengths of text that [`push_number_digits`] reads in two words: more
/// than one word, at most two.
const NUMBER_BYTES: std::ops::RangeInclusive<usize> = 9..=16;

/// Appends the ASCII digits of `text` to `out`, as `push_digits` does.
///
/// A phone number of [`NUMBER_BYTES`], as most are written, is read in two
/// words, its first eight bytes and the rest. The few separators of each
/// word are then removed by shifting the bytes above each one down,
/// instead of testing and storing every byte.
fn push_number_digits(text: &[u8], out: &mut Vec<u8>) {
    let length = text.len();
    if !NUMBER_BYTES.contains(&length) {
        push_digits(text, out);
        return;
    }
    let head = word(&text[..8]);
    // The last eight bytes, moved down past those that the head repeats,
    // so that the bytes after the text are zero.
    let repeated = 8 * (16 - length) as u32;
    let tail = word(&text[length - 8..]) >> repeated;
    let tail_bytes = u64::MAX >> repeated;
    let (head, head_others) = without_marked_bytes(head, non_digit_bytes(head));
    let (tail, tail_others) = without_marked_bytes(tail, non_digit_bytes(tail) & tail_bytes);
    let head_digits = 8 - head_others;
    let tail_digits = length - 8 - tail_others;
    let digits = (u128::from(tail) << (8 * head_digits)) | u128::from(head);
    let start = out.len();
    out.extend_from_slice(&digits.to_le_bytes());
    out.truncate(start + head_digits + tail_digits);
}

/// Removes the bytes of `word` whose high bit `marks` sets, moving the
/// bytes above each one down, and returns the word and the count of the
/// bytes removed.
pub(crate) fn without_marked_bytes(mut word: u64, mut marks: u64) -> (u64, usize) {
    let mut removed = 0;
    // Removing the highest byte first leaves the offsets of the others.
    while marks != 0 {
        let high_bit = u64::BITS - 1 - marks.leading_zeros();
        let below = (1u64 << (high_bit - 7)) - 1;
        word = (word & below) | ((word >> 8) & !below);
        marks &= below;
        removed += 1;
    }
    (word, removed)
}

#[cfg(test)]
#[path = "phone_tests.rs"]
mod tests;
