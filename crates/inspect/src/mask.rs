//! Masked forms of detected values, for report samples, stored locations and
//! [`crate::Inspector::mask_text`].
//!
//! A mask keeps just enough to recognise a value in a support case, such as
//! the last four digits or the region of an ID number. A fixed number of
//! stars replaces the rest, so a mask reveals nothing beyond its stated parts,
//! not even the value's length.

use std::borrow::Cow;

use memchr::memchr;

use crate::Category;
use crate::decode::percent;
use crate::detect::{self, Context, Match};

/// Stars that replace the hidden part of an e-mail local part or domain.
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

/// Digits or characters that masks keep at the end of a number.
const VISIBLE_SUFFIX: usize = 4;
/// Digits of the region code that an ID number mask keeps.
const ID_REGION_DIGITS: usize = 6;

/// Returns the masked form of a value that the detector of `category`
/// matched.
///
/// `j***@e***.com` for an e-mail address, `+*******5678` for a phone number,
/// `110101***********X` for a resident ID number, `************1111` for a
/// card number and `DE****************3000` for an IBAN. Categories without
/// a detector in this version are replaced by stars entirely.
pub(crate) fn mask_value(category: Category, value: &[u8]) -> String {
    match category {
        Category::Email => mask_email(value),
        Category::Phone => format!("+{PHONE_STARS}{}", last_digits(value)),
        Category::CnResidentId => mask_resident_id(value),
        Category::PaymentCard => format!("{CARD_STARS}{}", last_digits(value)),
        Category::Iban => mask_iban(value),
        _ => "*".repeat(EMAIL_STARS.len()),
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

/// Returns the last four ASCII digits of `value`.
fn last_digits(value: &[u8]) -> String {
    let digits: Vec<u8> = value.iter().copied().filter(u8::is_ascii_digit).collect();
    let start = digits.len().saturating_sub(VISIBLE_SUFFIX);
    String::from_utf8_lossy(&digits[start..]).into_owned()
}

/// Returns `text` with every detected value replaced by its mask, borrowing
/// `text` when nothing was found.
pub(crate) fn redact(text: &[u8]) -> Cow<'_, [u8]> {
    let mut matches = Vec::new();
    detect::find_all(text, &Context::for_masking(), &mut matches);
    if matches.is_empty() {
        return Cow::Borrowed(text);
    }
    let spans: Vec<MaskedSpan> = matches
        .iter()
        .map(|found| MaskedSpan::new(found, text, found.start, found.end))
        .collect();
    Cow::Owned(replace(text, &spans))
}

/// Returns `text` with every detected value replaced by its mask.
///
/// The detectors run over `text` as it is and, when it contains `%`, over
/// its percent-decoded form too, so `jane%40example.com` in a request path
/// is found. A value found in the decoded form replaces its whole encoded
/// span, so the stored text cannot be decoded back into the value. Both
/// passes run because decoding can also hide a value, as `%41` after a
/// phone number decodes to a letter that ends it.
pub(crate) fn mask_text(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let context = Context::for_masking();
    let mut matches = Vec::new();
    detect::find_all(bytes, &context, &mut matches);
    let mut spans: Vec<MaskedSpan> = matches
        .iter()
        .map(|found| MaskedSpan::new(found, bytes, found.start, found.end))
        .collect();

    if memchr(b'%', bytes).is_some() {
        let mut decoded = Vec::new();
        let mut offsets = Vec::new();
        percent::decode_with_offsets(bytes, &mut decoded, &mut offsets);
        detect::find_all(&decoded, &context, &mut matches);
        spans.extend(matches.iter().map(|found| {
            MaskedSpan::new(found, &decoded, offsets[found.start], offsets[found.end])
        }));
    }
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    merge_overlaps(&mut spans);
    Cow::Owned(String::from_utf8_lossy(&replace(bytes, &spans)).into_owned())
}

/// A range of the original text and the mask that replaces it.
#[derive(Debug)]
struct MaskedSpan {
    start: usize,
    end: usize,
    mask: String,
}

impl MaskedSpan {
    /// Masks the match `found` in `scanned` (the text or its decoded form),
    /// which covers `start..end` of the original text.
    fn new(found: &Match, scanned: &[u8], start: usize, end: usize) -> Self {
        let value = &scanned[found.start..found.end];
        MaskedSpan {
            start,
            end,
            mask: mask_value(found.category, value),
        }
    }
}

/// Sorts `spans` by start and joins overlapping spans into one that keeps
/// the first span's mask, so every byte of every match is replaced once.
fn merge_overlaps(spans: &mut Vec<MaskedSpan>) {
    spans.sort_by_key(|span| span.start);
    let mut merged: Vec<MaskedSpan> = Vec::with_capacity(spans.len());
    for span in spans.drain(..) {
        match merged.last_mut() {
            Some(last) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    *spans = merged;
}

/// Replaces the sorted, non-overlapping `spans` of `text` with their masks.
fn replace(text: &[u8], spans: &[MaskedSpan]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut copied = 0;
    for span in spans {
        out.extend_from_slice(&text[copied..span.start]);
        out.extend_from_slice(span.mask.as_bytes());
        copied = span.end;
    }
    out.extend_from_slice(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_category_has_its_documented_mask() {
        let cases = [
            (Category::Email, "jane.doe@example.com", "j***@e***.com"),
            (Category::Email, "даниил@example.com", "д***@e***.com"),
            (Category::Phone, "+49 30 12345678", "+*******5678"),
            (Category::Phone, "13812345678", "+*******5678"),
            (
                Category::CnResidentId,
                "11010519491231002x",
                "110105***********X",
            ),
            (
                Category::PaymentCard,
                "4111 1111 1111 1111",
                "************1111",
            ),
            (
                Category::Iban,
                "DE89 3704 0044 0532 0130 00",
                "DE****************3000",
            ),
            (Category::Iban, "NO9386011117947", "NO****************7947"),
        ];
        for (category, value, expected) in cases {
            assert_eq!(mask_value(category, value.as_bytes()), expected, "{value}");
        }
    }

    #[test]
    fn masks_never_contain_the_raw_value() {
        let values = [
            (Category::Email, "a@b.co"),
            (Category::Email, "jane@example.com"),
            (Category::Phone, "+1234567"),
            (Category::Phone, "+49 30 12345678"),
            (Category::CnResidentId, "11010519491231002X"),
            (Category::PaymentCard, "4222222222222"),
            (Category::PaymentCard, "4111111111111111"),
            (Category::Iban, "NO9386011117947"),
            (Category::Iban, "DE89370400440532013000"),
        ];
        for (category, value) in values {
            let mask = mask_value(category, value.as_bytes());
            assert!(!mask.contains(value), "{value} -> {mask}");
        }
    }

    #[test]
    fn mask_length_does_not_depend_on_value_length() {
        let short = mask_value(Category::PaymentCard, b"4222222222222");
        let long = mask_value(Category::PaymentCard, b"4111111111111111110");
        assert_eq!(short.len(), long.len());
    }

    #[test]
    fn mask_text_replaces_every_value() {
        let text = "/users/jane@example.com/cards/4111111111111111";
        assert_eq!(
            mask_text(text),
            "/users/j***@e***.com/cards/************1111"
        );
    }

    #[test]
    fn mask_text_masks_percent_encoded_values() {
        assert_eq!(
            mask_text("/users/jane%40example.com/orders"),
            "/users/j***@e***.com/orders"
        );
    }

    #[test]
    fn mask_text_borrows_clean_text() {
        assert!(matches!(
            mask_text("/orders/12345?page=2"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(mask_text("/100%/done"), Cow::Borrowed(_)));
    }

    #[test]
    fn mask_text_hides_host_error_address() {
        let masked = mask_text("invalid Host \"frank.secret@example.com\"");
        assert!(!masked.contains("frank.secret@example.com"), "{masked}");
    }

    #[test]
    fn mask_text_hides_a_percent_encoded_query_value() {
        let masked = mask_text("/lookup?email=carol%40example.com");
        assert!(!masked.contains("carol"), "{masked}");
    }

    #[test]
    fn mask_text_masks_every_iban_form() {
        for iban in [
            "DE89370400440532013000",
            "de89370400440532013000",
            "de89 3704 0044 0532 0130 00",
            "DE89-3704-0044-0532-0130-00",
            "DE89.3704.0044.0532.0130.00",
            "De89370400440532013000",
        ] {
            let text = format!("/accounts/{iban}/statements");
            assert_eq!(
                mask_text(&text),
                "/accounts/DE****************3000/statements",
                "{iban}"
            );
        }
    }

    #[test]
    fn mask_text_masks_what_a_phone_key_allows() {
        let masked = mask_text("/lookup?phone=004930123456789");
        assert!(!masked.contains("004930123456789"), "{masked}");
    }

    #[test]
    fn mask_text_masks_values_that_decoding_would_hide() {
        let masked = mask_text("/call/+4915112345678%41");
        assert!(!masked.contains("4915112345678"), "{masked}");
    }

    #[test]
    fn mask_text_masks_raw_and_encoded_values_together() {
        assert_eq!(
            mask_text("jane@example.com/john%40example.org/+49 30 1234567"),
            "j***@e***.com/j***@e***.org/+*******4567"
        );
    }
}
