//! The single pass over a segment that finds candidates and hands each to
//! the validators that can accept it.
//!
//! The scan walks the text once. A digit starts a digit run, which goes to
//! the numeric validators (ID, card, account, SSN, IP, dates, coordinates,
//! phone, street numbers). A letter starts an alphanumeric token, which
//! goes to the validators of letter-led identifiers (IBAN, national
//! insurance number, passport, ICD-10 code, IPv6) and of dates in a
//! Japanese era (`S60.3.14`). An `@` goes to the e-mail
//! validator and a `+` to the international phone validator. Validators
//! read ahead or behind from their candidate as far as their format needs,
//! so no detector copies the text or scans it again. Validators whose
//! format needs key context (a bare national phone number, a passport
//! number) ask the [`Context`] only once the shape fits.

use super::context::Context;
use super::roles::Roles;
use super::{
    Match, bank_account, cn_resident_id, date_of_birth, email, health, iban, ip_address, location,
    passport, payment_card, phone, postal_address, uk_nino, us_ssn,
};
use crate::Category;
use crate::words::{
    HIGH_BITS, LOW_BITS, ONES, bytes_below, vector_at, vector_from, vector_in_range, word,
};
use wide::u8x16;

/// Returns the end of the run of ASCII digits that starts at `start`.
pub(crate) fn digit_run_end(text: &[u8], start: usize) -> usize {
    text[start..]
        .iter()
        .position(|byte| !byte.is_ascii_digit())
        .map_or(text.len(), |length| start + length)
}

/// Returns the end of the run of ASCII letters and digits that starts at
/// `start`.
pub(crate) fn alphanumeric_run_end(text: &[u8], start: usize) -> usize {
    text[start..]
        .iter()
        .position(|byte| !byte.is_ascii_alphanumeric())
        .map_or(text.len(), |length| start + length)
}

/// Returns whether the byte before `index` is an ASCII letter or digit.
pub(crate) fn alphanumeric_before(text: &[u8], index: usize) -> bool {
    index > 0 && text[index - 1].is_ascii_alphanumeric()
}

/// Returns whether the byte at `index` is an ASCII letter or digit.
pub(crate) fn alphanumeric_at(text: &[u8], index: usize) -> bool {
    text.get(index).is_some_and(u8::is_ascii_alphanumeric)
}

/// Returns whether the byte at `index` is an ASCII digit.
pub(crate) fn digit_at(text: &[u8], index: usize) -> bool {
    text.get(index).is_some_and(u8::is_ascii_digit)
}

/// Appends the ASCII digits of `value` to `out`.
pub(crate) fn push_digits(value: &[u8], out: &mut Vec<u8>) {
    // Sixteen bytes per step, the last step padded with zeros, which are
    // no digits. Each step adds room for sixteen bytes with one store, and
    // each byte is written and kept when it is a digit. The index of the
    // next digit never exceeds the byte's offset in the step, so masking it
    // to the room's length changes nothing and spares a bounds check.
    for offset in (0..value.len()).step_by(16) {
        let bytes = vector_at(value, offset).to_array();
        let start = out.len();
        out.extend_from_slice(&[0; 16]);
        let room = &mut out[start..start + 16];
        let mut digits = 0;
        for byte in bytes {
            room[digits & 15] = byte;
            digits += usize::from(byte.is_ascii_digit());
        }
        out.truncate(start + digits);
    }
}

/// Appends `value` to `out` with its ASCII letters in upper case, as
/// [`u8::to_ascii_uppercase`] maps each byte.
pub(crate) fn push_uppercase(value: &[u8], out: &mut Vec<u8>) {
    push_case_flipped(value, out, b'a', b'z');
}

/// Appends `value` to `out` with its ASCII letters in lower case, as
/// [`u8::to_ascii_lowercase`] maps each byte.
pub(crate) fn push_lowercase(value: &[u8], out: &mut Vec<u8>) {
    push_case_flipped(value, out, b'A', b'Z');
}

/// Appends `value` to `out` with the case bit (0x20) flipped in the bytes
/// from `first` to `last`, which are the ASCII letters of one case.
///
/// It maps sixteen bytes per step and appends each vector with one store,
/// so the room is neither zeroed first nor written a byte at a time. A
/// value longer than one vector ends with its last sixteen bytes, which
/// overlap bytes already written, because a whole read is cheaper than a
/// padded one.
fn push_case_flipped(value: &[u8], out: &mut Vec<u8>, first: u8, last: u8) {
    let flipped = |offset: usize| {
        let bytes = vector_at(value, offset);
        let flip = vector_in_range(bytes, first, last) & u8x16::splat(0x20);
        (bytes ^ flip).to_array()
    };
    let length = value.len();
    let start = out.len();
    if length <= 16 {
        out.extend_from_slice(&flipped(0));
        out.truncate(start + length);
        return;
    }
    out.reserve(length);
    let mut offset = 0;
    while offset + 16 < length {
        out.extend_from_slice(&flipped(offset));
        offset += 16;
    }
    out.truncate(start + length - 16);
    out.extend_from_slice(&flipped(length - 16));
}

/// Parses ASCII digits as a number. The caller bounds the length.
pub(crate) fn number(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0u32, |value, digit| value * 10 + u32::from(digit - b'0'))
}

/// Bytes that separate the digit groups of a written number.
pub(crate) fn is_group_separator(byte: u8) -> bool {
    matches!(byte, b' ' | b'-' | b'.' | b'/' | b'(' | b')')
}

/// The separator between the digit groups of a printed card number, IBAN
/// or resident ID number: one space, tab, `-`, `.`, `/` or `_`, or two
/// spaces. A number uses one separator throughout. That rule and each
/// format's group lengths tell a grouped number from a list of small
/// numbers (`12/34/56`) or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GroupSeparator {
    byte: u8,
    width: usize,
}

impl GroupSeparator {
    /// Returns the separator that starts at `index`, if any. Two spaces are
    /// one separator, so a number grouped with two spaces throughout is
    /// read like one grouped with single spaces.
    pub(crate) fn at(text: &[u8], index: usize) -> Option<GroupSeparator> {
        let byte = *text.get(index)?;
        if !is_identifier_separator(byte) {
            return None;
        }
        let width = if byte == b' ' && text.get(index + 1) == Some(&b' ') {
            2
        } else {
            1
        };
        Some(GroupSeparator { byte, width })
    }

    /// Returns the first byte of the separator.
    pub(crate) fn byte(self) -> u8 {
        self.byte
    }

    /// Returns the separator's length in bytes.
    pub(crate) fn width(self) -> usize {
        self.width
    }
}

/// Returns whether `byte` can start a [`GroupSeparator`].
pub(crate) fn is_identifier_separator(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'-' | b'.' | b'/' | b'_')
}

/// Returns whether the digit run at `start` begins a number rather than
/// continuing one: it touches no letter or digit, no `+`, and is not the
/// next group after digits and a separator (`30` in `+49 30 1234567`).
pub(crate) fn starts_number(text: &[u8], start: usize) -> bool {
    if start == 0 {
        return true;
    }
    let before = text[start - 1];
    if before.is_ascii_alphanumeric() || before == b'+' {
        return false;
    }
    let mut index = start;
    while index > 0 && start - index < 3 && is_group_separator(text[index - 1]) {
        index -= 1;
    }
    !(index < start && index > 0 && text[index - 1].is_ascii_digit())
}

/// Returns whether the digit run `start..run_end` sits where a house number
/// does: before a space, a letter, `/`, `-` or a non-ASCII character, or
/// after a space.
fn is_address_shaped(text: &[u8], start: usize, run_end: usize) -> bool {
    let next = text.get(run_end).copied().unwrap_or(0);
    next == b' '
        || next >= 0x80
        || matches!(next, b'/' | b'-')
        || next.is_ascii_alphabetic()
        || (start > 0 && text[start - 1] == b' ')
}

/// The state of one scan: the text, its context and the matches so far.
struct Scanner<'t, 'o> {
    text: &'t [u8],
    context: &'t Context,
    out: &'o mut Vec<Match>,
    /// Per category, the end of its last match: a category's matches never
    /// overlap each other, as [`super::resolve_overlaps`] expects.
    resume: [usize; Category::ALL.len()],
    /// Whether short digit runs may take [`Scanner::short_run`]: the
    /// context has no label and none of [`SHORT_RUN_ROLES`].
    short_runs: bool,
}

/// Key roles under which a digit run of at most five digits may be more
/// than a house number or a postcode: a national phone number, a passport
/// or account number, or a date of birth written as digit groups.
const SHORT_RUN_ROLES: Roles = Roles::PHONE
    .union(Roles::RECIPIENT)
    .union(Roles::PASSPORT)
    .union(Roles::BANK_ACCOUNT)
    .union(Roles::DATE_OF_BIRTH);

/// Maximum length of a digit run that [`Scanner::short_run`] takes.
const MAX_SHORT_RUN_DIGITS: usize = 5;

/// Returns whether the digit run `start..run_end` can be no more than a
/// house number or a postcode in a context that [`Scanner::short_runs`]
/// allows. Each test rules out the candidates of validators that
/// [`Scanner::any_digit_run`] calls whatever the context:
///
/// - A leading `0` starts an international or national phone number.
/// - A `*` before the run may end an X12 date qualifier (`DMG*D8*`).
/// - A `.` or `:` after it continues an IPv4 or IPv6 address, a pair of
///   coordinates or a dotted number, and a hex letter an IPv6 group.
/// - A separator after three or four digits continues a grouped card,
///   resident ID, social security or NHS number, or a 3-3-4 phone number.
///   After one, two or five digits only an account number, which needs
///   its key or a label, starts that way.
fn is_short_run(text: &[u8], start: usize, run_end: usize) -> bool {
    let length = run_end - start;
    let next = text.get(run_end).copied().unwrap_or(0);
    let before = match start {
        0 => 0,
        _ => text[start - 1],
    };
    length <= MAX_SHORT_RUN_DIGITS
        && text[start] != b'0'
        && before != b'*'
        && !matches!(next, b'.' | b':')
        && !next.is_ascii_hexdigit()
        && (matches!(length, 1 | 2 | 5) || !is_identifier_separator(next))
}

/// Appends every match in `text` to `out`, unsorted and possibly
/// overlapping across categories.
///
/// The scan jumps from anchor to anchor: a digit, `@`, `+` or `:`. Every
/// candidate contains one of them (letter-led identifiers have digits), so
/// runs of letters and punctuation are skipped sixteen bytes at a time. A
/// digit inside a token that starts with letters dispatches that token.
pub(crate) fn scan(text: &[u8], context: &Context, out: &mut Vec<Match>) {
    scan_with::<true>(text, context, out);
}

/// [`scan`], with the shortcut for short digit runs when `SHORTCUTS` is
/// set. Tests compare both settings.
fn scan_with<const SHORTCUTS: bool>(text: &[u8], context: &Context, out: &mut Vec<Match>) {
    let mut scanner = Scanner {
        text,
        context,
        out,
        resume: [0; Category::ALL.len()],
        short_runs: SHORTCUTS && !context.labels && !context.roles.intersects(SHORT_RUN_ROLES),
    };
    let mut index = 0;
    while let Some(at) = next_anchor(text, index) {
        index = match text[at] {
            b'0'..=b'9' => {
                let mut start = at;
                while start > index && text[start - 1].is_ascii_alphabetic() {
                    start -= 1;
                }
                if start < at {
                    scanner.token(start)
                } else {
                    scanner.spaced_nino(at);
                    scanner.digit_run(at)
                }
            }
            b'@' => {
                scanner.at_sign(at);
                at + 1
            }
            b'+' => {
                scanner.plus(at);
                at + 1
            }
            _ => {
                scanner.colon(at);
                at + 1
            }
        };
    }
}

/// Returns the offset of the first anchor at or after `from`.
///
/// Sixteen bytes are tested at a time with vector instructions. Near the
/// end of the text its last sixteen bytes are read, and the marks of the
/// bytes before `from` are shifted out. Texts shorter than a vector take
/// [`next_anchor_in_words`].
fn next_anchor(text: &[u8], from: usize) -> Option<usize> {
    if text.len() < 16 {
        return next_anchor_in_words(text, from);
    }
    let mut index = from;
    while index < text.len() {
        let (bytes, overlap) = vector_from(text, index);
        let marks = anchor_marks(bytes) >> overlap;
        if marks != 0 {
            return Some(index + marks.trailing_zeros() as usize);
        }
        index += 16;
    }
    None
}

/// Returns a bit for each anchor among the sixteen bytes of `bytes`: the
/// digits and `:`, which are the bytes 0x30 to 0x3A, `@` and `+`.
fn anchor_marks(bytes: u8x16) -> u32 {
    let splat = u8x16::splat;
    let marks = vector_in_range(bytes, b'0', b':')
        | bytes.simd_eq(splat(b'@'))
        | bytes.simd_eq(splat(b'+'));
    marks.to_bitmask()
}

/// [`next_anchor`] for texts shorter than a vector, eight bytes at a time.
///
/// Near the end of a text of at least eight bytes, its last eight bytes
/// are read and shifted so that the first untested byte comes first, and
/// the zero bytes shifted in are no anchors.
fn next_anchor_in_words(text: &[u8], from: usize) -> Option<usize> {
    let mut index = from;
    while let Some(chunk) = text.get(index..index + 8) {
        if let Some(offset) = first_anchor(word(chunk)) {
            return Some(index + offset);
        }
        index += 8;
    }
    if index >= text.len() {
        return None;
    }
    if text.len() >= 8 {
        let before = index + 8 - text.len();
        let tail = word(&text[text.len() - 8..]) >> (8 * before);
        return first_anchor(tail).map(|offset| index + offset);
    }
    text[index..]
        .iter()
        .position(|&byte| is_anchor(byte))
        .map(|offset| index + offset)
}

fn is_anchor(byte: u8) -> bool {
    byte.is_ascii_digit() || matches!(byte, b'@' | b'+' | b':')
}

/// Returns the offset of the first anchor among the eight bytes of `word`.
///
/// The digits and `:` are the bytes 0x30 to 0x3A, which XOR with `'0'`
/// turns into the bytes below 11. Adding 0x75 to the low seven bits of
/// such a byte leaves its high bit clear, with no carry into the next
/// byte, so that test marks exactly those bytes. The tests for `@` and `+`
/// may also mark a byte above one they mark correctly, which leaves the
/// lowest mark correct.
fn first_anchor(word: u64) -> Option<usize> {
    let offset = word ^ (ONES * u64::from(b'0'));
    let digit_or_colon = !(((offset & LOW_BITS) + ONES * 0x75) | offset) & HIGH_BITS;
    let equal = |byte: u8| bytes_below(word ^ (ONES * u64::from(byte)), 1);
    let marks = digit_or_colon | equal(b'@') | equal(b'+');
    if marks == 0 {
        return None;
    }
    Some((marks.trailing_zeros() / 8) as usize)
}

impl Scanner<'_, '_> {
    fn push(&mut self, category: Category, start: usize, end: usize) {
        self.push_match(Match {
            category,
            start,
            end,
            minor: false,
        });
    }

    fn push_match(&mut self, found: Match) {
        let resume = &mut self.resume[found.category as usize];
        if found.start >= *resume && found.end > found.start {
            *resume = found.end;
            self.out.push(found);
        }
    }

    fn free(&self, category: Category, start: usize) -> bool {
        start >= self.resume[category as usize]
    }

    /// Dispatches the digit run at `start` and returns its end.
    ///
    /// House numbers and postcodes are most of the digit runs of addresses,
    /// and in most contexts a short run can be nothing else. Such a run
    /// takes [`Scanner::short_run`], and the rest the general path, which
    /// stays out of line so that its size does not slow the short one.
    #[inline(always)]
    fn digit_run(&mut self, start: usize) -> usize {
        let run_end = digit_run_end(self.text, start);
        if self.short_runs && is_short_run(self.text, start, run_end) {
            self.short_run(start, run_end);
        } else {
            self.any_digit_run(start, run_end);
        }
        run_end
    }

    /// Dispatches a digit run for which [`is_short_run`] holds, with the
    /// only validator of [`Scanner::any_digit_run`] that can accept it.
    #[inline(always)]
    fn short_run(&mut self, start: usize, run_end: usize) {
        let text = self.text;
        let address_key = self
            .context
            .roles
            .intersects(Roles::ADDRESS | Roles::STREET);
        if !address_key
            && is_address_shaped(text, start, run_end)
            && self.free(Category::PostalAddress, start)
        {
            if let Some((found_start, end)) = postal_address::at_digit_run(text, start, run_end) {
                self.push(Category::PostalAddress, found_start, end);
            }
        }
    }

    /// Dispatches any digit run `start..run_end`. Each validator is called
    /// only when the run's length and the byte after it fit its format,
    /// which spares most calls on amounts, dates and counters.
    #[inline(never)]
    fn any_digit_run(&mut self, start: usize, run_end: usize) {
        let (text, context) = (self.text, self.context);
        let length = run_end - start;
        let next = text.get(run_end).copied().unwrap_or(0);
        let grouped = matches!(next, b' ' | b'-');

        if !alphanumeric_before(text, start) {
            // Every format in `identity_numbers` has six digits or more, or
            // a separator after a shorter first group, so a short run such
            // as the street number in `Kungsgatan 127, Paris` skips them.
            if length >= 6 || is_identifier_separator(next) {
                self.identity_numbers(start, run_end, grouped);
            }
            let token_end = if next.is_ascii_alphanumeric() {
                alphanumeric_run_end(text, run_end)
            } else {
                run_end
            };
            if let Some(end) = passport::at_token(text, start, token_end, context) {
                self.push(Category::Passport, start, end);
            }
            // A date of birth that starts inside the previous one (at its
            // month or day) would be dropped by `push_match`, so the month
            // and day are not parsed again.
            if matches!(length, 1 | 2 | 4 | 8..=13) && self.free(Category::DateOfBirth, start) {
                if let Some(found) = date_of_birth::at_digit_run(text, start, run_end, context) {
                    self.push_match(found);
                }
            }
        }
        if length <= 3 && next == b'.' {
            if let Some(end) = ip_address::v4_at(text, start, run_end, context) {
                self.push(Category::IpAddress, start, end);
            }
            if let Some((found_start, end)) = location::pair_at(text, start, run_end, context) {
                self.push(Category::PreciseLocation, found_start, end);
            }
        }
        if length <= 4 && (next == b':' || next.is_ascii_hexdigit()) {
            if let Some(end) = ip_address::v6_at(text, start) {
                self.push(Category::IpAddress, start, end);
            }
        }
        // A NANP number may start with its trunk prefix `1` as a group of
        // its own (`1-415-555-2671`).
        let trunk_one = length == 1 && text[start] == b'1' && matches!(next, b' ' | b'-' | b'.');
        if (length >= 2 || trunk_one) && self.free(Category::Phone, start) {
            if let Some((found_start, end)) = phone::at_digit_run(text, start, run_end, context) {
                self.push(Category::Phone, found_start, end);
            }
        }
        // Under an address key the whole value is judged as a field instead.
        let address_key = context.roles.intersects(Roles::ADDRESS | Roles::STREET);
        if length <= 5
            && is_address_shaped(text, start, run_end)
            && !address_key
            && self.free(Category::PostalAddress, start)
        {
            if let Some((found_start, end)) = postal_address::at_digit_run(text, start, run_end) {
                self.push(Category::PostalAddress, found_start, end);
            }
        }
    }

    /// Dispatches the numbers that identify a person or an account: ID,
    /// card, account, social security, NHS and NPI numbers.
    fn identity_numbers(&mut self, start: usize, run_end: usize, grouped: bool) {
        let (text, context) = (self.text, self.context);
        let length = run_end - start;
        if matches!(length, 15 | 17 | 18) {
            if let Some(end) = cn_resident_id::at_digit_run(text, start, run_end, context) {
                self.push(Category::CnResidentId, start, end);
            }
        }
        // Cards and SSNs are also written with dots between their groups.
        // A version is written the same way (`4539.1488.0343.6467`).
        let next = text.get(run_end).copied().unwrap_or(0);
        let dotted = next == b'.' && !context.roles.contains(Roles::VERSION);
        // Cards and resident IDs are grouped by any identifier separator,
        // a rarer one (tab, `/`, `_`) included.
        let separated = grouped || dotted || matches!(next, b'\t' | b'/' | b'_');
        if matches!(length, 4 | 6) && separated {
            if let Some(end) = cn_resident_id::grouped_at(text, start, run_end, context) {
                self.push(Category::CnResidentId, start, end);
            }
        }
        let card_shaped = length >= 13 || (length == 4 && separated);
        if card_shaped && !context.roles.contains(Roles::REFERENCE) {
            if let Some(end) = payment_card::at_digit_run(text, start, run_end) {
                self.push(Category::PaymentCard, start, end);
            }
        }
        if length >= 6 || grouped {
            if let Some(end) = bank_account::at_digit_run(text, start, run_end, context) {
                self.push(Category::BankAccount, start, end);
            }
        }
        if length == 9 || (length == 3 && (grouped || dotted)) {
            if let Some(end) = us_ssn::at_digit_run(text, start, run_end, context) {
                self.push(Category::UsSsn, start, end);
            }
        }
        if length == 10 || (length == 3 && grouped) {
            if let Some((found_start, end)) = health::number_at(text, start, run_end, context) {
                self.push(Category::Health, found_start, end);
            }
        }
    }

    /// Dispatches the alphanumeric token that starts with a letter at
    /// `start` and returns its end.
    fn token(&mut self, start: usize) -> usize {
        let (text, context) = (self.text, self.context);
        let end = alphanumeric_run_end(text, start);
        if alphanumeric_before(text, start) {
            return end;
        }
        // Letter-led identifiers have a digit in their second or third place
        // (IBAN `DE89`, NINO `AB12`, ICD-10 `E11`, passport `E1234…`), a
        // space there (`AB 12 34 56 C`), or are passport-shaped tokens.
        let digit_early = digit_at(text, start + 1) || digit_at(text, start + 2);
        let passport_shaped = (6..=9).contains(&(end - start))
            && (context.roles.contains(Roles::PASSPORT) || context.labels)
            && text[start..end].iter().any(u8::is_ascii_digit);
        if digit_early || passport_shaped || text.get(start + 2) == Some(&b' ') {
            self.letter_led(start, end);
        }
        if self.free(Category::DateOfBirth, start) {
            if let Some(found) = date_of_birth::at_era_letter(text, start, end, context) {
                self.push_match(found);
            }
        }
        if end - start <= 4 && text.get(end) == Some(&b':') {
            if let Some(found_end) = ip_address::v6_at(text, start) {
                self.push(Category::IpAddress, start, found_end);
            }
        }
        end
    }

    fn letter_led(&mut self, start: usize, end: usize) {
        let (text, context) = (self.text, self.context);
        if let Some(found_end) = iban::match_at(text, start) {
            self.push(Category::Iban, start, found_end);
        }
        if let Some(found_end) = uk_nino::at_token(text, start, context) {
            self.push(Category::UkNino, start, found_end);
        }
        if let Some(found_end) = passport::at_token(text, start, end, context) {
            self.push(Category::Passport, start, found_end);
        }
        if let Some(found_end) = health::icd10_at(text, start, context) {
            self.push(Category::Health, start, found_end);
        }
    }

    fn at_sign(&mut self, at: usize) {
        if let Some((start, end)) = email::match_at(self.text, at) {
            self.push(Category::Email, start, end);
        }
    }

    fn plus(&mut self, plus: usize) {
        if let Some(end) = phone::international_at_plus(self.text, plus) {
            self.push(Category::Phone, plus, end);
        }
    }

    /// Dispatches an IPv6 address that starts with `::` at `colon`, or
    /// whose first group of hex letters ends at `colon` (`dead:beef::1`).
    fn colon(&mut self, colon: usize) {
        let text = self.text;
        let mut start = colon;
        if text.get(colon + 1) != Some(&b':') {
            while start > 0 && colon - start < 4 && text[start - 1].is_ascii_hexdigit() {
                start -= 1;
            }
            if start == colon {
                return;
            }
        }
        if let Some(end) = ip_address::v6_at(text, start) {
            self.push(Category::IpAddress, start, end);
        }
    }

    /// Dispatches a national insurance number written in pairs whose first
    /// digit pair starts at `digits` (`AB 12 34 56 C`).
    fn spaced_nino(&mut self, digits: usize) {
        let text = self.text;
        let shaped = digits >= 3
            && text[digits - 1] == b' '
            && text[digits - 3].is_ascii_alphabetic()
            && text[digits - 2].is_ascii_alphabetic()
            && !alphanumeric_before(text, digits - 3);
        if !shaped {
            return;
        }
        if let Some(end) = uk_nino::at_token(text, digits - 3, self.context) {
            self.push(Category::UkNino, digits - 3, end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_anchor_finds_the_first_anchor() {
        for byte in 0..=u8::MAX {
            for position in 0..8 {
                // Neighbours of every kind, so that a carry or borrow across
                // bytes would show.
                for filler in [0x00, b'/', b'0', b';', b'?', b'@', b'+', 0x7F, 0xFF] {
                    let mut bytes = [filler; 8];
                    bytes[position] = byte;
                    let expected = bytes.iter().position(|&other| is_anchor(other));
                    let found = first_anchor(u64::from_le_bytes(bytes));
                    assert_eq!(found, expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn anchor_marks_mark_every_anchor() {
        for byte in 0..=u8::MAX {
            for position in 0..16 {
                for filler in [0x00, b'/', b'0', b';', b'?', b'@', b'+', 0x7F, 0xFF] {
                    let mut bytes = [filler; 16];
                    bytes[position] = byte;
                    let expected = bytes
                        .iter()
                        .enumerate()
                        .filter(|(_, other)| is_anchor(**other))
                        .fold(0, |marks, (index, _)| marks | 1 << index);
                    let found = anchor_marks(u8x16::new(bytes));
                    assert_eq!(found, expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn next_anchor_matches_a_byte_loop() {
        let texts: [&[u8]; 11] = [
            b"",
            b"Jane",
            b"Jane Doe",
            b"Jane Doe Smith 1",
            b"Jane Doe Smith 12",
            b"Hauptstrasse 12, 10115 Berlin",
            b"Rue de Rivoli 7, 75001 Paris x",
            b"mail jane@example.com or +44 20 7946 8712 at 09:30",
            "Müller, 丁桂英 ：no anchors here at all".as_bytes(),
            b"//;;??//;;??//;;??//;;??//;;??//;;??/+",
            b"\xFF\x80/;?\x00\x7F@\xBA\xB0\xB9\xAB\xC0 abc 0 xyz 9 pq : rs",
        ];
        for text in texts {
            for from in 0..=text.len() {
                let expected = text[from..]
                    .iter()
                    .position(|&byte| is_anchor(byte))
                    .map(|offset| from + offset);
                assert_eq!(next_anchor(text, from), expected, "{text:?} from {from}");
            }
        }
    }

    /// Returns the matches of `text` with and without the shortcut for
    /// short digit runs.
    fn both_scans(text: &[u8], context: &Context) -> (Vec<Match>, Vec<Match>) {
        let (mut shortcut, mut general) = (Vec::new(), Vec::new());
        scan_with::<true>(text, context, &mut shortcut);
        scan_with::<false>(text, context, &mut general);
        (shortcut, general)
    }

    /// Contexts of every kind that decides whether short runs are taken.
    fn short_run_contexts() -> Vec<Context> {
        let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 1);
        let roles = [
            Roles::NONE,
            Roles::ADDRESS,
            Roles::STREET,
            Roles::PERSON_NAME,
            Roles::PHONE,
            Roles::RECIPIENT,
            Roles::PASSPORT,
            Roles::BANK_ACCOUNT,
            Roles::DATE_OF_BIRTH,
            Roles::SSN,
            Roles::CN_ID,
            Roles::NHS_NUMBER,
            Roles::NPI,
            Roles::VERSION,
            Roles::REFERENCE,
            Roles::COORDINATES,
            Roles::ADDRESS | Roles::PHONE,
        ];
        let mut contexts: Vec<Context> = roles
            .into_iter()
            .map(|roles| Context::new(roles, today))
            .collect();
        contexts.push(Context::for_masking());
        contexts.push(Context::default());
        contexts.push(Context {
            labels: true,
            ..Context::new(Roles::ADDRESS, today)
        });
        contexts
    }

    #[test]
    fn short_runs_agree_on_random_texts() {
        const PIECES: [&[u8]; 53] = [
            b"0",
            b"1",
            b"7",
            b"12",
            b"127",
            b"2024",
            b"75001",
            b"111",
            b"52",
            b"012",
            b"00",
            b"0049",
            b"030",
            b"1234567",
            b"31/01/1990",
            b"19900131",
            b"db8::1",
            b"fe80",
            b"::",
            b"123456",
            b"4111",
            b"1111",
            b" ",
            b"  ",
            b",",
            b", ",
            b".",
            b":",
            b"-",
            b"/",
            b"_",
            b"\t",
            b"*",
            b"DMG*D8*",
            b"+",
            b"(",
            b")",
            b"a",
            b"F",
            b"X",
            b"Kungsgatan ",
            b"Main Street",
            b"NW",
            b"Tel: ",
            b"DOB: ",
            b"Account ",
            b"passport no ",
            b"@example.com",
            "Straße ".as_bytes(),
            "号".as_bytes(),
            "丸の内".as_bytes(),
            b"\xC3",
            b"\xA9",
        ];
        // A xorshift64* generator, so that every run checks the same values.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move |bound: usize| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound
        };
        let contexts = short_run_contexts();
        let mut text = Vec::new();
        let mut matched = 0;
        for _ in 0..40_000 {
            text.clear();
            for _ in 0..1 + next(10) {
                text.extend_from_slice(PIECES[next(PIECES.len())]);
            }
            for context in &contexts {
                let (shortcut, general) = both_scans(&text, context);
                let printed = String::from_utf8_lossy(&text);
                assert_eq!(shortcut, general, "{printed:?} {context:?}");
                matched += usize::from(!general.is_empty());
            }
        }
        // Matches occur, so the comparison covers the validators too.
        assert!(matched > 10_000, "{matched} texts with matches");
    }

    #[test]
    fn short_runs_agree_from_every_start() {
        let texts: [&[u8]; 10] = [
            b"call 00 49 30 1234567 or 030 1234567 or 00491701234567",
            b"DMG*D8*31/01/1990*D8*1990 12ab::1 7a:0:0:0:0:0:0:1",
            b"Kungsgatan 127, 75001 Paris",
            b"Main Street, 12, 111 52 Stockholm",
            b"Baker Street, 7, London NW1 6XE",
            b"221B Baker Street, Tel: 020 7946 0958, DOB: 31.01.1990",
            b"DMG*D8*19900131 and 10.0.0.1 and 2001:db8::1 and 48.85, 2.29",
            b"4111 1111 1111 1111, 536-22-1234, 943 476 5919, 1-415-555-2671",
            "東京都千代田区丸の内1-1-1, 北京市朝阳区建国路88号, Straße 5".as_bytes(),
            b"Hauptstr. 5\xC3 10115 Berlin\xA9 12/34 5a 77-9",
        ];
        for context in short_run_contexts() {
            for text in texts {
                for start in 0..text.len() {
                    let (shortcut, general) = both_scans(&text[start..], &context);
                    assert_eq!(shortcut, general, "{text:?} from {start} {context:?}");
                }
            }
        }
    }

    #[test]
    fn push_digits_appends_digits() {
        let mut out = b"7|".to_vec();
        push_digits(b"+49 (30) 901-820", &mut out);
        assert_eq!(out, b"7|4930901820");
        push_digits(b"", &mut out);
        push_digits(b"no digits", &mut out);
        assert_eq!(out, b"7|4930901820");
        push_digits("０１2".as_bytes(), &mut out);
        assert_eq!(out, b"7|49309018202");
    }

    #[test]
    fn push_digits_matches_a_byte_filter() {
        // A xorshift64* generator, so that every run checks the same values.
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 33
        };
        let mut value = Vec::new();
        for _ in 0..20_000 {
            value.clear();
            let length = next() as usize % 80;
            // Mostly digits and separators, and now and then any byte.
            for _ in 0..length {
                let random = next();
                let byte = match random % 4 {
                    0 | 1 => b'0' + (random >> 8) as u8 % 10,
                    2 => b" -+()./:\x00"[(random >> 8) as usize % 9],
                    _ => (random >> 8) as u8,
                };
                value.push(byte);
            }
            let prefix = &b"7|"[..next() as usize % 3];
            let mut out = prefix.to_vec();
            push_digits(&value, &mut out);
            let mut expected = prefix.to_vec();
            expected.extend(value.iter().filter(|byte| byte.is_ascii_digit()));
            assert_eq!(out, expected, "{value:?}");
        }
    }

    #[test]
    fn case_copies_append_mapped_bytes() {
        let mut out = b"x".to_vec();
        push_lowercase(b"Zoe.M@Example.COM", &mut out);
        assert_eq!(out, b"xzoe.m@example.com");
        push_uppercase(b"de89 3704", &mut out);
        assert_eq!(out, b"xzoe.m@example.comDE89 3704");
    }

    #[test]
    fn case_copies_match_byte_maps() {
        // A xorshift64* generator, so that every run checks the same values.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33
        };
        let mut value = Vec::new();
        for _ in 0..20_000 {
            value.clear();
            let length = next() as usize % 70;
            // Mostly letters and digits near the case edges, and now and
            // then any byte, including non-ASCII ones.
            for _ in 0..length {
                let random = next();
                let byte = match random % 4 {
                    0 => b"@AZaz`{09 \x00\x7F\xC3\xE1\xFA\xFF"[(random >> 8) as usize % 16],
                    1 => b'a' + (random >> 8) as u8 % 26,
                    2 => b'A' + (random >> 8) as u8 % 26,
                    _ => (random >> 8) as u8,
                };
                value.push(byte);
            }
            let prefix: &[u8] = &value[..length % 5];
            let mut upper = prefix.to_vec();
            push_uppercase(&value, &mut upper);
            let mut expected = prefix.to_vec();
            expected.extend(value.iter().map(u8::to_ascii_uppercase));
            assert_eq!(upper, expected, "upper case of {value:?}");

            let mut lower = prefix.to_vec();
            push_lowercase(&value, &mut lower);
            let mut expected = prefix.to_vec();
            expected.extend(value.iter().map(u8::to_ascii_lowercase));
            assert_eq!(lower, expected, "lower case of {value:?}");
        }
    }

    #[test]
    fn case_copies_cover_every_byte() {
        // Every byte value at every position of values up to 40 bytes.
        for length in 1..=40 {
            for position in 0..length {
                for byte in 0..=u8::MAX {
                    let mut value = vec![b'q'; length];
                    value[position] = byte;
                    let mut upper = Vec::new();
                    push_uppercase(&value, &mut upper);
                    let mut expected = value.to_ascii_uppercase();
                    expected[position] = byte.to_ascii_uppercase();
                    assert_eq!(upper, expected, "upper {byte} at {position} of {length}");

                    let mut lower = Vec::new();
                    push_lowercase(&value, &mut lower);
                    let mut expected = value.clone();
                    expected[position] = byte.to_ascii_lowercase();
                    assert_eq!(lower, expected, "lower {byte} at {position} of {length}");
                }
            }
        }
        let mut out = b"x".to_vec();
        push_uppercase(b"", &mut out);
        push_lowercase(b"", &mut out);
        assert_eq!(out, b"x");
    }
}
