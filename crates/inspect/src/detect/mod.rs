//! Detectors of personal data: one module per category, a single scan that
//! feeds them (see [`scan`]), and key context (see [`keys`]).
//!
//! Pattern categories (e-mail, phone, identity, card and account numbers,
//! IP addresses, dates of birth, coordinates, street lines) are found by
//! [`find_all`] in one pass over a segment. Categories that only a field's
//! key can reveal (names, addresses under address keys, health text,
//! biometric data, coordinates in separate fields) are judged from the
//! whole value by [`fields`]. Overlapping pattern matches are resolved so
//! that a digit run that a strong detector claims is not counted again by a
//! weaker one: an ID number is not also a phone, and an e-mail's digits are
//! not a phone.

mod bank_account;
mod biometric;
mod cn_resident_id;
pub(crate) mod columns;
pub(crate) mod context;
mod date_of_birth;
mod dates;
mod email;
pub(crate) mod fields;
mod health;
mod iban;
mod iban_registry;
mod ip_address;
mod japanese_eras;
pub(crate) mod key_cache;
mod key_tables;
pub(crate) mod keys;
mod location;
mod month_names;
mod name_words;
mod passport;
mod payment_card;
mod person_name;
mod phone;
mod phone_regions;
mod postal_address;
pub(crate) mod roles;
pub(crate) mod scan;
pub(crate) mod spans;
mod street_words;
mod uk_nino;
mod us_ssn;
mod value_shapes;
pub(crate) mod x12;

use crate::Category;
use crate::words::{byte_bits, bytes_equal, contains_byte, find_byte, non_digit_bytes, word};
pub(crate) use context::Context;
pub(crate) use date_of_birth::{MINOR_AGE, parse_value as parse_date_of_birth};
pub(crate) use dates::age_on;
use email::WholeAddress;
pub(crate) use email::is_role_mailbox;
pub(crate) use location::{parse_pair, rounded_pair};
pub(crate) use person_name::{NameShape, name_shape};
pub(crate) use roles::Roles;
pub(crate) use value_shapes::{ColumnShapes, ShapeMemo, rules_out_patterns};

/// A validated match: `text[start..end]` is a value of `category`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    pub category: Category,
    pub start: usize,
    pub end: usize,
    /// Whether a date of birth belongs to a child under [`MINOR_AGE`] on the
    /// request's date; always false for other categories.
    pub minor: bool,
}

/// Strength of each category when matches overlap, indexed by category
/// (0 is strongest). An e-mail claims the digits of its local part and an
/// IBAN its own digits. An ID number wins over a Luhn-valid 18-digit card. A
/// number under an account key is an account even when it passes the card
/// check, and every identifier wins over a phone number inside it.
const RANK: [u8; Category::ALL.len()] = {
    let order = [
        Category::Email,
        Category::Iban,
        Category::CnResidentId,
        Category::BankAccount,
        Category::PaymentCard,
        Category::UsSsn,
        Category::UkNino,
        Category::Passport,
        Category::Health,
        Category::DateOfBirth,
        Category::IpAddress,
        Category::PreciseLocation,
        Category::Phone,
        Category::PostalAddress,
        Category::PersonName,
        Category::Biometric,
    ];
    let mut rank = [0u8; Category::ALL.len()];
    let mut index = 0;
    while index < order.len() {
        rank[order[index] as usize] = index as u8;
        index += 1;
    }
    rank
};

fn rank(category: Category) -> u8 {
    RANK[category as usize]
}

/// Returns the offset of the `@` in `text` when it has exactly one.
fn only_at_sign(text: &[u8]) -> Option<usize> {
    if let Some(bits) = byte_bits(text, b'@') {
        let single = bits != 0 && bits & (bits - 1) == 0;
        return single.then_some(bits.trailing_zeros() as usize);
    }
    let at = find_byte(text, b'@')?;
    (!contains_byte(&text[at + 1..], b'@')).then_some(at)
}

/// Scans `text` and leaves in `out` (cleared first) the non-overlapping
/// pattern matches in ascending order. The exception is an ID or card
/// number inside an e-mail address, which follows its address (see
/// [`add_numbers_in_local_parts`]).
pub(crate) fn find_all(text: &[u8], context: &Context, out: &mut Vec<Match>) {
    if value_shapes::rules_out_patterns(text, context) {
        out.clear();
        return;
    }
    find_all_not_ruled_out(text, context, out);
}

/// Finds the matches of `text` like [`find_all`], for text that the caller
/// has checked [`rules_out_patterns`] does not rule out under `context`.
pub(crate) fn find_all_not_ruled_out(text: &[u8], context: &Context, out: &mut Vec<Match>) {
    out.clear();
    // None of these shortcuts takes a value with an `@`, so they go before
    // the e-mail shortcut, which would have to search such a value for one.
    // Each rejects most other values at their first bytes.
    let whole = whole_iban(text)
        .or_else(|| whole_date_of_birth(text, context))
        .or_else(|| whole_phone(text, context))
        .or_else(|| whole_cn_mobile(text, context));
    if let Some(whole) = whole {
        out.push(whole);
        return;
    }
    if let Some(at) = whole_email(text) {
        out.push(whole_match(Category::Email, text));
        out.extend(number_in_local_part(&text[..at], context));
        return;
    }
    scan::scan(text, context, out);
    if context
        .roles
        .intersects(Roles::PHONE.union(Roles::RECIPIENT))
    {
        drop_cards_in_phone_numbers(out);
    }
    resolve_overlaps(out);
    add_numbers_in_local_parts(text, context, out);
}

/// Length of the tail of an e-mail address's local part that is tested
/// before a card number, resident ID number or IBAN is looked for there. A
/// card has at least 13 digits. The tail must end with a digit and start
/// with a digit or a separator.
const MIN_LOCAL_PART_NUMBER_DIGITS: usize = 13;

/// Adds, after each e-mail match of `out`, the number that ends its local
/// part (see [`number_in_local_part`]).
fn add_numbers_in_local_parts(text: &[u8], context: &Context, out: &mut Vec<Match>) {
    let mut index = 0;
    while index < out.len() {
        let found = out[index];
        index += 1;
        if found.category != Category::Email {
            continue;
        }
        let Some(at) = find_byte(&text[found.start..found.end], b'@') else {
            continue;
        };
        let local = &text[found.start..found.start + at];
        if let Some(number) = number_in_local_part(local, context) {
            let number = Match {
                start: found.start + number.start,
                end: found.start + number.end,
                ..number
            };
            out.insert(index, number);
            index += 1;
        }
    }
}

/// Returns the resident ID, card number or IBAN that ends the local part
/// `local` of an e-mail address (`440304199001011233@qq.com`). The address
/// outranks every match inside it, so the overlap rules drop them. Some
/// mail services use a number as the address, and these numbers are
/// sensitive data of their own, so the report names them too.
///
/// NOTE: a number is read only when the local part ends with a digit, so
/// an IBAN that ends with a letter (`…MTLCAST001S`) is not read here.
///
/// Inlined, so that the test of two bytes that rules out most addresses
/// costs no call.
#[inline(always)]
fn number_in_local_part(local: &[u8], context: &Context) -> Option<Match> {
    // The number ends the local part, with a resident ID's check character
    // `X` at most after its digits. Testing the first and last character
    // of its tail first spares the loop for most addresses.
    let digits_end = match local.last() {
        Some(b'X' | b'x') => local.len() - 1,
        _ => local.len(),
    };
    let digits_start = digits_end.checked_sub(MIN_LOCAL_PART_NUMBER_DIGITS)?;
    let grouped = |byte: u8| byte.is_ascii_digit() || matches!(byte, b'-' | b'.' | b'_');
    if !local[digits_end - 1].is_ascii_digit() || !grouped(local[digits_start]) {
        return None;
    }
    number_ending_local_part(local, digits_start, digits_end, context)
}

/// Finishes [`number_in_local_part`] for a local part whose last
/// [`MIN_LOCAL_PART_NUMBER_DIGITS`] characters before `digits_end` end with
/// a digit and start with a digit or a separator.
#[inline(never)]
fn number_ending_local_part(
    local: &[u8],
    digits_start: usize,
    digits_end: usize,
    context: &Context,
) -> Option<Match> {
    let unseparated = local[digits_start..digits_end]
        .iter()
        .all(u8::is_ascii_digit);
    let found = if unseparated {
        let run_start = local[..digits_end]
            .iter()
            .rposition(|byte| !byte.is_ascii_digit())
            .map_or(0, |last| last + 1);
        cn_resident_id::at_digit_run(local, run_start, digits_end, context)
            .map(|end| (Category::CnResidentId, run_start, end))
            .or_else(|| {
                payment_card::at_digit_run(local, run_start, digits_end)
                    .map(|end| (Category::PaymentCard, run_start, end))
            })
    } else {
        None
    };
    let (category, start, end) = found
        .or_else(|| {
            grouped_card_ending(local).map(|start| (Category::PaymentCard, start, local.len()))
        })
        .or_else(|| iban_ending(local).map(|start| (Category::Iban, start, local.len())))?;
    Some(Match {
        category,
        start,
        end,
        minor: false,
    })
}

/// Returns the start of a card number in groups that ends the local part
/// `local` (`4111-1111-1111-1111`). The groups follow the card reader's
/// rules with the separators a local part allows (`-`, `.`, `_`).
fn grouped_card_ending(local: &[u8]) -> Option<usize> {
    let grouped = |byte: &u8| byte.is_ascii_digit() || matches!(byte, b'-' | b'.' | b'_');
    let token_start = local
        .iter()
        .rposition(|byte| !grouped(byte))
        .map_or(0, |last| last + 1);
    let start = token_start + local[token_start..].iter().position(u8::is_ascii_digit)?;
    let run_end = scan::digit_run_end(local, start);
    (payment_card::at_digit_run(local, start, run_end)? == local.len()).then_some(start)
}

/// Returns the start of an IBAN that ends the local part `local`, in its
/// electronic form or in groups (`DE89370400440532013000`,
/// `iban.DE89-3704-0044-0532-0130-00`).
fn iban_ending(local: &[u8]) -> Option<usize> {
    (0..local.len().saturating_sub(iban::MIN_LENGTH) + 1)
        .rev()
        .filter(|&start| {
            local[start].is_ascii_alphabetic()
                && !scan::alphanumeric_before(local, start)
                && local.get(start + 2).is_some_and(u8::is_ascii_digit)
        })
        .find(|&start| iban::match_at(local, start) == Some(local.len()))
}

/// Returns the offset of the `@` of `text` when the whole of it is one
/// e-mail address, as a column or field of addresses contains.
///
/// The scan would find the same address at the only `@`, and an address is
/// the strongest category: every other match lies inside it and is
/// dropped when overlaps are resolved. Finding the address first spares
/// the scan of its local part, whose digits go to the number validators.
fn whole_email(text: &[u8]) -> Option<usize> {
    let at = only_at_sign(text)?;
    match email::whole_address_by_bits(text, at) {
        Some(WholeAddress::Address) => return Some(at),
        Some(WholeAddress::NotAddress) => return None,
        Some(WholeAddress::Undecided) | None => {}
    }
    let whole = match email::whole_ascii_address(text, at) {
        Some(whole) => whole,
        None => email::match_at(text, at)? == (0, text.len()),
    };
    whole.then_some(at)
}

/// Returns the match of `text` when the whole of it is one IBAN, as a
/// column or field of account numbers contains.
///
/// The scan reads an IBAN at the letters that start the value with
/// [`iban::match_at`], which [`iban::is_whole`] agrees with. Only an
/// e-mail address outranks an IBAN, and an IBAN contains no `@`, so every
/// other match inside it would be dropped when overlaps are resolved.
/// Taking the IBAN first spares the scan of its digits, which go to the
/// account, card, ID, phone and date validators.
fn whole_iban(text: &[u8]) -> Option<Match> {
    // `is_whole` makes the same test of the first four bytes, but testing
    // them here rejects the values of other columns before the country
    // lookup (0.5% of the instructions on the dense corpora).
    let shaped = matches!(text, [first, second, third, fourth, ..]
        if first.is_ascii_alphabetic()
            && second.is_ascii_alphabetic()
            && third.is_ascii_digit()
            && fourth.is_ascii_digit());
    if !shaped {
        return None;
    }
    iban::is_whole(text).then(|| whole_match(Category::Iban, text))
}

/// Returns the match of `text` when the whole of it is a date of birth
/// `YYYY-MM-DD` under a date-of-birth key and no other, as a column or
/// field of birth dates contains.
///
/// The scan reads the same date at its first digit run, which
/// [`date_of_birth::whole_iso_date`] reads at fixed offsets instead.
/// Under that key alone no label is read, so no category stronger than a
/// date of birth matches in eight digits grouped four, two and two. A card
/// number has at least 13 digits. ID, social security and health numbers
/// have runs of other lengths. Account and passport numbers need their own
/// key or a label, and IBANs and national insurance numbers need letters.
/// The weaker matches inside the date (phone, address, IP address) would
/// be dropped when overlaps are resolved.
fn whole_date_of_birth(text: &[u8], context: &Context) -> Option<Match> {
    if context.roles != Roles::DATE_OF_BIRTH || !value_shapes::is_date(text) {
        return None;
    }
    date_of_birth::whole_iso_date(text, context)
}

/// Maximum digits of a number that [`whole_phone`] takes: fewer than a
/// card number (13) or a Chinese ID number (15) has.
const MAX_WHOLE_PHONE_DIGITS: usize = 12;
const _: () = assert!(MAX_WHOLE_PHONE_DIGITS <= SPACED_DIGITS_BUFFER);

/// Returns the match of `text` when the whole of it is an international
/// phone number of digit groups between single spaces (`+44 20 7946 8712`)
/// under a phone key and no other, as a column or field of phone numbers
/// contains.
///
/// The scan reads the number at its `+`. Every digit run after it follows
/// a `+` or a digit and one space, so it starts no number of its own, and
/// the social security, health, account and national phone readers pass it
/// over. Card and ID numbers need more digits than
/// [`MAX_WHOLE_PHONE_DIGITS`]. Passport, date-of-birth and account numbers
/// need their own key, because no label precedes the runs. The other
/// stronger categories need letters, `@`, `.` or `:`. The weaker matches
/// inside the number (addresses) would be dropped when overlaps are
/// resolved.
///
/// The scan's reader joins every group of such a value into one number and
/// takes the longest run of whole groups that is valid, so it spans the
/// whole value exactly when all of its digits are valid. Testing the
/// digits directly spares reading the groups again.
fn whole_phone(text: &[u8], context: &Context) -> Option<Match> {
    let [b'+', groups @ ..] = text else {
        return None;
    };
    if context.roles != Roles::PHONE {
        return None;
    }
    let mut digits = [0u8; SPACED_DIGITS_BUFFER];
    let count = spaced_digits(groups, &mut digits)?;
    phone::valid_international_digits(&digits[..count]).then(|| whole_match(Category::Phone, text))
}

/// Returns the match of `text` when the whole of it is a Chinese mobile
/// number of bare digits (`13812345678`) under a phone key and no other,
/// as a column or field of phone numbers contains.
///
/// The scan reads such a value as one digit run at offset 0, where no label
/// can precede it, so only the key gives context. The phone reader takes
/// the run whole as a mobile number. No other reader matches eleven digits
/// under a phone key alone. Card numbers have at least 13 digits, and ID,
/// social security and health numbers have runs of other lengths. Passport
/// numbers have 6 to 9 characters, and account numbers and dates of birth
/// need their own key.
fn whole_cn_mobile(text: &[u8], context: &Context) -> Option<Match> {
    if context.roles != Roles::PHONE || !phone::is_bare_cn_mobile(text) {
        return None;
    }
    Some(whole_match(Category::Phone, text))
}

/// Returns a match of `category` that spans all of `text`.
fn whole_match(category: Category, text: &[u8]) -> Match {
    Match {
        category,
        start: 0,
        end: text.len(),
        minor: false,
    }
}

/// Bytes of the buffer that [`spaced_digits`] fills: every byte of the
/// texts that it reads in two words.
const SPACED_DIGITS_BUFFER: usize = 16;

/// Copies the digits of `text` to the start of `digits` and returns their
/// count when `text` is groups of ASCII digits separated by single spaces,
/// with at most [`MAX_WHOLE_PHONE_DIGITS`] digits in all. The bytes of
/// `digits` after the count are unspecified.
///
/// Text of 9 to 16 bytes, an international number in most groupings, is
/// read in two words, its first eight bytes and the rest, and tested with
/// word operations. The few spaces of each word are then removed by
/// shifting the bytes above each one down.
fn spaced_digits(text: &[u8], digits: &mut [u8; SPACED_DIGITS_BUFFER]) -> Option<usize> {
    let length = text.len();
    if !(9..=SPACED_DIGITS_BUFFER).contains(&length) {
        return spaced_digits_bytewise(text, digits);
    }
    let head = word(&text[..8]);
    // The last eight bytes, moved down past those that the head repeats,
    // so that the bytes after the text are zero.
    let repeated = 8 * (SPACED_DIGITS_BUFFER - length) as u32;
    let tail = word(&text[length - 8..]) >> repeated;
    let tail_bytes = u64::MAX >> repeated;
    let head_spaces = bytes_equal(head, b' ');
    let tail_spaces = bytes_equal(tail, b' ') & tail_bytes;
    let others = (non_digit_bytes(head) & !head_spaces)
        | (non_digit_bytes(tail) & tail_bytes & !tail_spaces);
    // Two spaces in a row, within a word or as the last byte of the head
    // and the first of the tail.
    let doubled = (head_spaces & (head_spaces >> 8))
        | (tail_spaces & (tail_spaces >> 8))
        | ((head_spaces >> 56) & tail_spaces);
    if others | doubled != 0 || text[0] == b' ' || text[length - 1] == b' ' {
        return None;
    }

    let (head, head_removed) = phone::without_marked_bytes(head, head_spaces);
    let (tail, tail_removed) = phone::without_marked_bytes(tail, tail_spaces);
    let head_digits = 8 - head_removed;
    let count = head_digits + (length - 8 - tail_removed);
    if count > MAX_WHOLE_PHONE_DIGITS {
        return None;
    }
    *digits = ((u128::from(tail) << (8 * head_digits)) | u128::from(head)).to_le_bytes();
    Some(count)
}

/// Does the work of [`spaced_digits`] one byte at a time, for text of any
/// length.
fn spaced_digits_bytewise(text: &[u8], digits: &mut [u8; SPACED_DIGITS_BUFFER]) -> Option<usize> {
    let mut count = 0;
    // Set before the first byte, so that a leading space is rejected.
    let mut after_space = true;
    for &byte in text {
        match byte {
            b'0'..=b'9' => {
                if count == MAX_WHOLE_PHONE_DIGITS {
                    return None;
                }
                digits[count] = byte;
                count += 1;
                after_space = false;
            }
            b' ' if !after_space => after_space = true,
            _ => return None,
        }
    }
    (!after_space).then_some(count)
}

/// Returns the spans of every match of `category` in `text` before overlaps
/// with other categories are resolved, for testing one detector.
#[cfg(test)]
pub(crate) fn find_category(
    text: &[u8],
    context: &Context,
    category: Category,
) -> Vec<(usize, usize)> {
    let mut matches = Vec::new();
    scan::scan(text, context, &mut matches);
    matches
        .iter()
        .filter(|found| found.category == category)
        .map(|found| (found.start, found.end))
        .collect()
}

/// Returns the text of every match of `category` in `text` found under a
/// key with `roles`, like [`find_category`], for a detector's own tests.
#[cfg(test)]
pub(crate) fn found_texts(text: &str, roles: Roles, category: Category) -> Vec<&str> {
    let context = Context::new(roles, None);
    find_category(text.as_bytes(), &context, category)
        .into_iter()
        .map(|(start, end)| &text[start..end])
        .collect()
}

/// Drops the card numbers that an international phone number contains,
/// for a value under a phone key. `+4915123000007`, a German mobile
/// number, passes the Luhn check. So does `4915112345678`, a number of the
/// same kind as SMS gateways send it without its `+`. Cards are not
/// written after a `+`. A Visa or Mastercard number of 16 digits is
/// also longer than any international phone number, which ITU-T E.164 caps
/// at 15 digits. So only a card of 13 to 15 digits that is also a valid
/// phone number of its country is read as a phone here. National numbers
/// start with a trunk `0` or have at most 11 digits, so a card rarely lies
/// inside one. Outside a phone or recipient key, the card wins.
fn drop_cards_in_phone_numbers(matches: &mut Vec<Match>) {
    let phones: Vec<(usize, usize)> = matches
        .iter()
        .filter(|found| found.category == Category::Phone)
        .map(|found| (found.start, found.end))
        .collect();
    if phones.is_empty() {
        return;
    }
    matches.retain(|found| {
        found.category != Category::PaymentCard
            || !phones
                .iter()
                .any(|&(start, end)| start <= found.start && found.end <= end)
    });
}

/// Sorts `matches` by start and drops every match that overlaps a stronger
/// one. Between matches of the same strength, the longer wins.
///
/// One sweep suffices because each category's own matches never overlap: a
/// match can only collide with the one kept just before it.
fn resolve_overlaps(matches: &mut Vec<Match>) {
    if matches.len() < 2 {
        return;
    }
    matches.sort_unstable_by_key(|found| (found.start, rank(found.category)));
    let mut kept = 0;
    for index in 1..matches.len() {
        let candidate = matches[index];
        let last = matches[kept];
        if candidate.start >= last.end {
            kept += 1;
            matches[kept] = candidate;
        } else if beats(&candidate, &last) {
            matches[kept] = candidate;
        }
    }
    matches.truncate(kept + 1);
}

fn beats(candidate: &Match, kept: &Match) -> bool {
    let (candidate_rank, kept_rank) = (rank(candidate.category), rank(kept.category));
    candidate_rank < kept_rank
        || (candidate_rank == kept_rank && candidate.end - candidate.start > kept.end - kept.start)
}

/// Writes the canonical form of an identifier to `out` and returns true, or
/// returns false for categories that do not identify a person on their own
/// (names, addresses, dates, IP addresses, health and biometric data,
/// coordinates). The canonical form makes one identifier written two ways
/// (`+86 138 1234 5678`, `13812345678`) count as one when subjects are
/// counted.
pub(crate) fn identifier(category: Category, value: &[u8], out: &mut Vec<u8>) -> bool {
    match category {
        Category::Email => email::normalize(value, out),
        Category::Phone => phone::normalize(value, out),
        Category::CnResidentId => cn_resident_id::normalize(value, out),
        Category::UsSsn => us_ssn::normalize(value, out),
        Category::UkNino => uk_nino::normalize(value, out),
        Category::Passport => passport::normalize(value, out),
        Category::PaymentCard => payment_card::normalize(value, out),
        Category::Iban => iban::normalize(value, out),
        Category::BankAccount => bank_account::normalize(value, out),
        Category::PersonName
        | Category::PostalAddress
        | Category::DateOfBirth
        | Category::IpAddress
        | Category::Health
        | Category::Biometric
        | Category::PreciseLocation => return false,
    }
    true
}

#[cfg(test)]
#[path = "mod_tests.rs"]
mod tests;
