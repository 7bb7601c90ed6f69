//! The spans of free text (a request path, a query, a host name, a
//! decision's reason) that a mask must cover, for [`crate::mask::mask_text`].
//!
//! Free text has no key, so it is scanned with [`Context::for_masking`],
//! which accepts the distinctive key-only forms and inline labels. A
//! `key=value` pair (split at `?`, `&` and `;`) gives its value the key's
//! roles as well, and whole-field categories are judged on such values, so
//! `?name=Jane%20Doe` and `?dob=1990-01-31` are masked. Every span is
//! mapped back through Unicode normalisation and percent-decoding to the
//! bytes of the original text.

use memchr::memchr;

use super::fields::{self, Field};
use super::keys::classify;
use super::{Context, Roles, find_all};
use crate::Category;
use crate::decode::percent;
use crate::mask::mask_value;
use crate::normalize::{normalize, original_span};

/// A range of the original text and the mask that replaces it.
#[derive(Debug)]
pub(crate) struct MaskedSpan {
    pub start: usize,
    pub end: usize,
    pub mask: String,
}

/// Appends the masked span of every value found in `text` as it is and, when
/// it contains `%`, in its percent-decoded form.
pub(crate) fn masked_spans(text: &[u8], out: &mut Vec<MaskedSpan>) {
    spans_of(text, None, out);
    if memchr(b'%', text).is_some() {
        let mut decoded = Vec::new();
        let mut offsets = Vec::new();
        percent::decode_with_offsets(text, &mut decoded, &mut offsets);
        spans_of(&decoded, Some(&offsets), out);
    }
}

/// Scans `scanned`, which is the original text or its decoded form;
/// `decoded_offsets` maps offsets of the decoded form to the original.
fn spans_of(scanned: &[u8], decoded_offsets: Option<&[usize]>, out: &mut Vec<MaskedSpan>) {
    let mut normalized = Vec::new();
    let mut offsets = Vec::new();
    let changed = normalize(scanned, &mut normalized, Some(&mut offsets));
    let text = if changed {
        normalized.as_slice()
    } else {
        scanned
    };
    let to_original = |start: usize, end: usize| {
        let (start, end) = if changed {
            original_span(&offsets, start, end)
        } else {
            (start, end)
        };
        match decoded_offsets {
            Some(decoded) => (decoded[start], decoded[end]),
            None => (start, end),
        }
    };

    let mut matches = Vec::new();
    let mut found_fields = Vec::new();
    for (start, end, roles) in parts(text) {
        let value = &text[start..end];
        let context = Context {
            roles: roles | Context::for_masking().roles,
            ..Context::for_masking()
        };
        find_all(value, &context, &mut matches);
        for found in &matches {
            let (span_start, span_end) = to_original(start + found.start, start + found.end);
            let mask = mask_value(found.category, &value[found.start..found.end], None);
            out.push(MaskedSpan {
                start: span_start,
                end: span_end,
                mask,
            });
        }
        if !roles.intersects(Roles::FIELD_ROLES) {
            continue;
        }
        found_fields.clear();
        fields::detect(value, roles, &mut found_fields);
        let trimmed = value.trim_ascii_start();
        let value_start = start + value.len() - trimmed.len();
        let trimmed = trimmed.trim_ascii_end();
        for category in found_fields
            .iter()
            .filter_map(|field| field_category(*field))
        {
            let (span_start, span_end) = to_original(value_start, value_start + trimmed.len());
            out.push(MaskedSpan {
                start: span_start,
                end: span_end,
                mask: mask_value(category, trimmed, None),
            });
        }
    }
}

/// Returns the category of a whole-field finding whose value is masked.
fn field_category(field: Field) -> Option<Category> {
    match field {
        Field::Name { .. } => Some(Category::PersonName),
        Field::Address => Some(Category::PostalAddress),
        Field::Health => Some(Category::Health),
        Field::Biometric => Some(Category::Biometric),
        Field::Latitude(_)
        | Field::Longitude(_)
        | Field::Coordinate(_)
        | Field::Blank
        | Field::NotName => None,
    }
}

/// Splits `text` at `?`, `&` and `;` into parts, and each `key=value` part
/// into its key and its value, which gets the key's roles.
fn parts(text: &[u8]) -> Vec<(usize, usize, Roles)> {
    let mut parts = Vec::new();
    let mut start = 0;
    for piece in text.split(|&byte| matches!(byte, b'?' | b'&' | b';')) {
        let end = start + piece.len();
        match memchr(b'=', piece) {
            Some(equals) => {
                let key = &piece[..equals];
                let name = key.rsplit(|&byte| byte == b'/').next().unwrap_or(key);
                parts.push((start, start + equals, Roles::NONE));
                parts.push((start + equals + 1, end, classify(name)));
            }
            None => parts.push((start, end, Roles::NONE)),
        }
        start = end + 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> Vec<(&str, String)> {
        let mut spans = Vec::new();
        masked_spans(text.as_bytes(), &mut spans);
        spans
            .into_iter()
            .map(|span| (&text[span.start..span.end], span.mask))
            .collect()
    }

    #[test]
    fn pairs_give_values_their_key() {
        assert_eq!(
            masked("/lookup?dob=1990-01-31&page=2"),
            [("1990-01-31", "date of birth".to_owned())]
        );
        assert_eq!(
            masked("/search?name=Jane%20Doe"),
            [("Jane%20Doe", "J*** D***".to_owned())]
        );
        assert_eq!(
            masked("/v1/orders?passport=E12345678"),
            [("E12345678", "E********".to_owned())]
        );
    }

    #[test]
    fn normalised_values_cover_their_original_bytes() {
        let text = "/users/\u{ff11}\u{ff13}\u{ff18}\u{ff11}\u{ff12}\u{ff13}\u{ff14}\u{ff15}\u{ff16}\u{ff17}\u{ff18}";
        let spans = masked(text);
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].0, &text["/users/".len()..]);
        assert_eq!(spans[0].1, "+*******5678");
    }

    #[test]
    fn order_numbers_stay_visible() {
        for text in [
            "/v1/orders/12345",
            "/v1/orders/123456789012",
            "/v1/items?sku=AB12345",
        ] {
            assert!(masked(text).is_empty(), "{text}");
        }
    }
}
