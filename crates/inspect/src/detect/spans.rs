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

use chrono::NaiveDate;
use memchr::memchr;

use super::fields::{self, Field};
use super::keys::classify;
use super::{Context, Roles, find_all};
use crate::Category;
use crate::decode::percent;
use crate::decode::text::labelled_line;
use crate::mask::mask_value;
use crate::normalize::{normalize, original_span};

/// A range of the original text and the mask that replaces it.
#[derive(Debug)]
pub(crate) struct MaskedSpan {
    pub start: usize,
    pub end: usize,
    pub mask: String,
}

/// The split of the text to mask into parts, and the roles each part gets.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    /// Free text: `key=value` pairs give their values the key's roles.
    Free,
    /// One field value sent under a key with these roles, judged whole, as
    /// a JSON value, a CSV cell or an XML element's text is.
    Field(Roles),
}

/// Appends the masked span of every value found in `text` as it is and, when
/// it contains `%`, in its percent-decoded form.
pub(crate) fn masked_spans(text: &[u8], out: &mut Vec<MaskedSpan>) {
    masked_spans_as(text, Shape::Free, None, out);
}

/// Appends the masked spans of `text`, split as `shape` describes. `today` turns
/// dates of birth into age bands.
pub(crate) fn masked_spans_as(
    text: &[u8],
    shape: Shape,
    today: Option<NaiveDate>,
    out: &mut Vec<MaskedSpan>,
) {
    spans_with_escapes(text, shape, today, out);
    if matches!(shape, Shape::Free) && memchr(b'+', text).is_some() {
        // Form data and queries write spaces as `+`; the replacement keeps
        // every offset, so the spans found apply to `text` as they are.
        let spaced: Vec<u8> = text
            .iter()
            .map(|&byte| if byte == b'+' { b' ' } else { byte })
            .collect();
        spans_with_escapes(&spaced, shape, today, out);
    }
}

fn spans_with_escapes(
    text: &[u8],
    shape: Shape,
    today: Option<NaiveDate>,
    out: &mut Vec<MaskedSpan>,
) {
    spans_of(text, None, shape, today, out);
    if memchr(b'%', text).is_none() {
        return;
    }
    // Each layer of percent-encoding is removed and scanned in turn, so a
    // doubly encoded `jane%2540example.com` is found too. `to_original`
    // maps offsets of the current layer to the original text.
    let mut current = text.to_vec();
    let mut to_original: Vec<usize> = (0..=text.len()).collect();
    for _ in 0..MAX_PERCENT_LAYERS {
        let mut decoded = Vec::new();
        let mut offsets = Vec::new();
        percent::decode_with_offsets(&current, &mut decoded, &mut offsets);
        if decoded == current {
            return;
        }
        let composed: Vec<usize> = offsets.iter().map(|&offset| to_original[offset]).collect();
        spans_of(&decoded, Some(&composed), shape, today, out);
        if memchr(b'%', &decoded).is_none() {
            return;
        }
        current = decoded;
        to_original = composed;
    }
}

/// Layers of percent-encoding removed when masking free text; the
/// inspector's own limit on nested encodings is the same.
const MAX_PERCENT_LAYERS: usize = crate::DEFAULT_MAX_NESTED_DEPTH;

/// Scans `scanned`, which is the original text or its decoded form;
/// `decoded_offsets` maps offsets of the decoded form to the original.
fn spans_of(
    scanned: &[u8],
    decoded_offsets: Option<&[usize]>,
    shape: Shape,
    today: Option<NaiveDate>,
    out: &mut Vec<MaskedSpan>,
) {
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
    let parts = match shape {
        Shape::Free => parts(text),
        Shape::Field(roles) => vec![(0, text.len(), roles)],
    };
    for (start, end, roles) in parts {
        let value = &text[start..end];
        // Under a phone or recipient key, labels are not read, as the
        // inspector reads no labels under a key with roles. Some phone
        // forms count only under such a key or after a label, and the
        // phone role that masking gives all text is neither (see
        // `phone.rs`).
        let context = Context {
            roles: roles | Context::for_masking().roles,
            labels: !roles.intersects(Roles::PHONE.union(Roles::RECIPIENT)),
            ..Context::for_masking()
        };
        find_all(value, &context, &mut matches);
        for found in &matches {
            let (span_start, span_end) = to_original(start + found.start, start + found.end);
            let mask = mask_value(found.category, &value[found.start..found.end], today);
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
            .filter_map(|field| field_category(*field, shape))
        {
            let (span_start, span_end) = to_original(value_start, value_start + trimmed.len());
            out.push(MaskedSpan {
                start: span_start,
                end: span_end,
                mask: mask_value(category, trimmed, today),
            });
        }
    }
}

/// Returns the category of a whole-field finding whose value is masked. A
/// single coordinate is masked (rounded) only in a field of its own, since
/// free text may hold any decimal number after a `lat=`.
fn field_category(field: Field, shape: Shape) -> Option<Category> {
    match field {
        Field::Name { .. } => Some(Category::PersonName),
        Field::Address => Some(Category::PostalAddress),
        // Whether the record is about a person is not known here, so
        // health text without clinical words is masked as well.
        Field::Health | Field::UncertainHealth => Some(Category::Health),
        Field::Biometric => Some(Category::Biometric),
        Field::Latitude(_) | Field::Longitude(_) | Field::Coordinate(_) => match shape {
            Shape::Field(_) => Some(Category::PreciseLocation),
            Shape::Free => None,
        },
        Field::Blank | Field::NotName | Field::Organisation | Field::Place | Field::Equipment => {
            None
        }
    }
}

/// Splits `text` at `?`, `&` and `;` into parts, and each `key=value` part
/// into its key and its value, which gets the key's roles. The value of a
/// `label: value` line is a part of its own too, with the label's roles.
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
    // A `label: value` line gives its value the label's roles, as the
    // inspector reads text (see `labelled_line`).
    let mut line_start = 0;
    for line in text.split(|&byte| byte == b'\n') {
        if let Some(labelled) = labelled_line(line) {
            let roles = classify(&line[labelled.label]);
            parts.push((
                line_start + labelled.value.start,
                line_start + labelled.value.end,
                roles,
            ));
        }
        line_start += line.len() + 1;
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
