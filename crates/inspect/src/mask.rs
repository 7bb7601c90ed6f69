//! Masked forms of detected values, for report samples, stored locations and
//! [`crate::Inspector::mask_text`].
//!
//! A mask keeps just enough to recognise a value in a support case, such as
//! the last four digits or the region of an ID number. A fixed number of
//! stars replaces the rest, so a mask reveals nothing beyond its stated parts,
//! not even the value's length. Descriptive categories keep less: a date of
//! birth becomes an age band, an address the count of its words, health and
//! biometric data only their kind.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::Category;
use crate::detect::keys::classify;
use crate::detect::spans::{MaskedSpan, Shape, masked_spans, masked_spans_as};
use crate::detect::{self, MINOR_AGE};
use crate::words::contains_byte;

/// Stars that replace the hidden part of an e-mail local part or domain,
/// and of each word of a name.
const EMAIL_STARS: &str = "***";
/// Stars in a phone mask, before the last four digits.
const PHONE_STARS: &str = "*******";
/// Stars in an ID number mask, between the region code and the check
/// character (the 11 hidden characters of an 18-character number).
const ID_STARS: &str = "***********";
/// Stars in a card mask, before the last four digits (12 of a 16-digit card).
const CARD_STARS: &str = "************";
/// Stars in an IBAN mask, between the country code and the last four
/// characters (16 of a 22-character German IBAN).
const IBAN_STARS: &str = "****************";
/// Stars in an account number mask, before the last four digits.
const ACCOUNT_STARS: &str = "********";
/// The hidden area and group of a social security number.
const SSN_STARS: &str = "***-**-";
/// Stars between the prefix and suffix letters of a national insurance
/// number (its six digits).
const NINO_STARS: &str = "******";
/// Stars after the first character of a passport number.
const PASSPORT_STARS: &str = "********";

/// Digits or characters that masks keep at the end of a number.
const VISIBLE_SUFFIX: usize = 4;
/// Digits of the region code that an ID number mask keeps.
const ID_REGION_DIGITS: usize = 6;
/// Width of the age bands that replace dates of birth, in years.
const AGE_BAND_YEARS: u32 = 5;

/// Returns the masked form of a value that the detector of `category`
/// matched. `today` turns a date of birth into an age band.
///
/// `j***@e***.com` for an e-mail address, `+*******5678` for a phone number,
/// `110101***********X` for a resident ID number, `***-**-6789` for an SSN,
/// `AB******C` for a national insurance number, `E********` for a passport,
/// `************1111` for a card number, `DE****************3000` for an
/// IBAN, `********7890` for an account, `10.*.*.*` for an IP address,
/// `age 35-39` for a date of birth, `J*** D***` for a name, `[address: 3
/// words]`, `[health]`, `[biometric data, 512 bytes]` and `31.2, 121.5`
/// for a location (`48.9` for one coordinate of a pair sent in two fields).
pub(crate) fn mask_value(category: Category, value: &[u8], today: Option<NaiveDate>) -> String {
    match category {
        Category::Email => mask_email(value),
        Category::Phone => format!("+{PHONE_STARS}{}", last_characters(value, is_digit)),
        Category::CnResidentId => mask_resident_id(value),
        Category::UsSsn => format!("{SSN_STARS}{}", last_characters(value, is_digit)),
        Category::UkNino => mask_nino(value),
        Category::Passport => format!("{}{PASSPORT_STARS}", first_character(value)),
        Category::PaymentCard => format!("{CARD_STARS}{}", last_characters(value, is_digit)),
        Category::Iban => mask_iban(value),
        Category::BankAccount => format!("{ACCOUNT_STARS}{}", last_characters(value, is_digit)),
        Category::IpAddress => mask_ip(value),
        Category::DateOfBirth => mask_date_of_birth(value, today),
        Category::PersonName => mask_name(value),
        Category::PostalAddress => mask_address(value),
        Category::Health => "[health]".to_owned(),
        Category::Biometric => format!("[biometric data, {} bytes]", value.len()),
        Category::PreciseLocation => mask_location(value),
    }
}

fn mask_email(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let Some((local, domain)) = text.rsplit_once('@') else {
        return EMAIL_STARS.to_owned();
    };
    let first_local = local.chars().next().unwrap_or('*');
    let first_domain = domain.chars().next().unwrap_or('*');
    let top_level = domain.rsplit('.').next().unwrap_or_default();
    format!("{first_local}{EMAIL_STARS}@{first_domain}{EMAIL_STARS}.{top_level}")
}

fn mask_resident_id(value: &[u8]) -> String {
    let region: String = value
        .iter()
        .take(ID_REGION_DIGITS)
        .map(|&byte| char::from(byte))
        .collect();
    let check = value
        .last()
        .map_or('*', |&byte| char::from(byte.to_ascii_uppercase()));
    format!("{region}{ID_STARS}{check}")
}

fn mask_iban(value: &[u8]) -> String {
    let compact: Vec<u8> = value
        .iter()
        .filter(|byte| byte.is_ascii_alphanumeric())
        .map(u8::to_ascii_uppercase)
        .collect();
    let country = String::from_utf8_lossy(&compact[..2.min(compact.len())]).into_owned();
    let suffix_start = compact.len().saturating_sub(VISIBLE_SUFFIX);
    let suffix = String::from_utf8_lossy(&compact[suffix_start..]).into_owned();
    format!("{country}{IBAN_STARS}{suffix}")
}

fn mask_nino(value: &[u8]) -> String {
    let letters: Vec<char> = value
        .iter()
        .filter(|byte| byte.is_ascii_alphabetic())
        .map(|&byte| char::from(byte.to_ascii_uppercase()))
        .collect();
    let prefix: String = letters.iter().take(2).collect();
    let suffix = letters.get(2).copied().unwrap_or('*');
    format!("{prefix}{NINO_STARS}{suffix}")
}

/// Keeps the first octet of an IPv4 address or the first group of an IPv6
/// address.
fn mask_ip(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    if text.contains(':') {
        let first = text.split(':').next().unwrap_or_default();
        let first = if first.is_empty() { "*" } else { first };
        return format!("{first}:*:*:*");
    }
    let first = text.split('.').next().unwrap_or("*");
    format!("{first}.*.*.*")
}

/// Replaces a date of birth with the band of ages it falls in on `today`,
/// such as `age 35-39`, or with `date of birth` when there is no date to
/// count from.
fn mask_date_of_birth(value: &[u8], today: Option<NaiveDate>) -> String {
    let age = today.and_then(|today| {
        let birth = detect::parse_date_of_birth(value, today)?;
        detect::age_on(birth, today)
    });
    let Some(age) = age else {
        return "date of birth".to_owned();
    };
    let low = age / AGE_BAND_YEARS * AGE_BAND_YEARS;
    let band = format!("age {low}-{}", low + AGE_BAND_YEARS - 1);
    if age < MINOR_AGE {
        format!("{band} (minor)")
    } else {
        band
    }
}

/// Rounds a coordinate pair, or one coordinate sent in a field of its own,
/// to one decimal (about 11 km).
fn mask_location(value: &[u8]) -> String {
    if let Some((latitude, longitude)) = detect::parse_pair(value) {
        return detect::rounded_pair(latitude, longitude);
    }
    let single = std::str::from_utf8(value)
        .ok()
        .and_then(|text| text.trim().parse::<f64>().ok());
    match single {
        Some(coordinate) => format!("{coordinate:.1}"),
        None => "[location]".to_owned(),
    }
}

/// Keeps the first letter of each word of a name (`J*** D***`). A word of
/// one character is hidden entirely, so no mask contains a whole word.
fn mask_name(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| {
            let mut characters = word.chars();
            match (characters.next(), characters.next()) {
                (Some(first), Some(_)) => format!("{first}{EMAIL_STARS}"),
                _ => EMAIL_STARS.to_owned(),
            }
        })
        .collect();
    if words.is_empty() {
        EMAIL_STARS.to_owned()
    } else {
        words.join(" ")
    }
}

/// Replaces an address with the number of its words, which tells a long
/// address from a street name and nothing more.
fn mask_address(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let words = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| !word.is_empty())
        .count();
    let plural = if words == 1 { "" } else { "s" };
    format!("[address: {words} word{plural}]")
}

fn is_digit(byte: u8) -> bool {
    byte.is_ascii_digit()
}

/// Returns the last four bytes of `value` that pass `keep`.
fn last_characters(value: &[u8], keep: fn(u8) -> bool) -> String {
    let kept: Vec<u8> = value.iter().copied().filter(|&byte| keep(byte)).collect();
    let start = kept.len().saturating_sub(VISIBLE_SUFFIX);
    String::from_utf8_lossy(&kept[start..]).into_owned()
}

fn first_character(value: &[u8]) -> char {
    value
        .first()
        .map_or('*', |&byte| char::from(byte.to_ascii_uppercase()))
}

/// Returns whether `value` is exactly a mask of a whole-field category: a
/// masked name (`J*** D***`), `[address: 3 words]`, `[health]`,
/// `[biometric data, 512 bytes]` or `[location]`.
pub(crate) fn is_field_mask(value: &[u8]) -> bool {
    let value = value.trim_ascii();
    if let Some(inner) = value.strip_prefix(b"[").and_then(|v| v.strip_suffix(b"]")) {
        return matches!(inner, b"health" | b"location")
            || inner.starts_with(b"address: ")
            || inner.starts_with(b"biometric data, ");
    }
    if !contains_byte(value, b'*') {
        return false;
    }
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    text.split_whitespace().all(|word| {
        let mut characters = word.chars();
        let first = characters.next();
        let rest = characters.as_str();
        word == EMAIL_STARS || (first.is_some() && rest == EMAIL_STARS)
    })
}

/// Returns `text` with every detected value replaced by its mask, borrowing
/// `text` when nothing was found. See [`mask_text`].
pub(crate) fn redact(text: &[u8]) -> Cow<'_, [u8]> {
    let mut spans = Vec::new();
    masked_spans(text, &mut spans);
    finish(text, spans, &|mask| Cow::Borrowed(mask))
}

/// Returns the value `text`, sent under `key`, with every detected value
/// replaced by its mask, or `None` when nothing was found.
///
/// The value is scanned twice. It is scanned whole, with the roles of its
/// key, as the inspector judges a JSON value, a CSV cell or an XML
/// element's text. It is also scanned as free text, so `key=value` pairs
/// inside it are masked too. `encode`
/// turns each mask into the syntax of the place the value is written to,
/// such as percent-encoding in a query.
pub(crate) fn redact_field(
    key: Option<&[u8]>,
    text: &[u8],
    today: Option<NaiveDate>,
    encode: &dyn Fn(&str) -> Cow<'_, str>,
) -> Option<Vec<u8>> {
    let mut spans = Vec::new();
    masked_spans_as(text, Shape::Free, today, &mut spans);
    if let Some(key) = key {
        masked_spans_as(text, Shape::Field(classify(key)), today, &mut spans);
    }
    match finish(text, spans, encode) {
        Cow::Borrowed(_) => None,
        Cow::Owned(masked) => Some(masked),
    }
}

fn finish<'t>(
    text: &'t [u8],
    mut spans: Vec<MaskedSpan>,
    encode: &dyn Fn(&str) -> Cow<'_, str>,
) -> Cow<'t, [u8]> {
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    merge_overlaps(&mut spans);
    Cow::Owned(replace(text, &spans, encode))
}

/// Returns `text` with every detected value replaced by its mask.
///
/// The text is scanned as it is and, when it contains `%`, percent-decoded
/// too, each after Unicode normalisation, so `jane%40example.com` and
/// full-width digits are found. A value found in a decoded or normalised
/// form replaces its whole original span, so the stored text cannot be
/// decoded back into the value. Both forms are scanned because decoding can
/// also hide a value, as `%41` after a phone number decodes to a letter
/// that ends it. `key=value` pairs give their values the key's context, so
/// `?dob=1990-01-31` and `?name=Jane+Doe` are masked.
pub(crate) fn mask_text(text: &str) -> Cow<'_, str> {
    match redact(text.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        Cow::Owned(masked) => Cow::Owned(String::from_utf8_lossy(&masked).into_owned()),
    }
}

/// Sorts `spans` by start and joins overlapping spans into one that keeps
/// the first span's mask, the longest of those that start together, so
/// every byte of every match is replaced once.
fn merge_overlaps(spans: &mut Vec<MaskedSpan>) {
    spans.sort_by_key(|span| (span.start, std::cmp::Reverse(span.end)));
    let mut merged: Vec<MaskedSpan> = Vec::with_capacity(spans.len());
    for span in spans.drain(..) {
        match merged.last_mut() {
            Some(last) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    *spans = merged;
}

/// Replaces the sorted, non-overlapping `spans` of `text` with their masks,
/// each passed through `encode`.
fn replace(text: &[u8], spans: &[MaskedSpan], encode: &dyn Fn(&str) -> Cow<'_, str>) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut copied = 0;
    for span in spans {
        out.extend_from_slice(&text[copied..span.start]);
        out.extend_from_slice(encode(&span.mask).as_bytes());
        copied = span.end;
    }
    out.extend_from_slice(&text[copied..]);
    out
}

#[cfg(test)]
#[path = "detect/mask_tests.rs"]
mod tests;
