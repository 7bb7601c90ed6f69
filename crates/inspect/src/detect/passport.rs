//! Passport numbers, under passport context only.
//!
//! Passport numbers carry no check digit outside the machine-readable zone
//! and share their shape with every product and order code, so a value
//! counts only under a key or label such as `passport_no`, `护照`,
//! `Reisepass`, `passeport` or `旅券`. Within that context the number is one
//! token of 6 to 9 letters and digits with at least one digit, which covers
//! US numbers (9 digits, or a letter and 8 digits), Chinese numbers (`E`,
//! `G`, `D`, `S` or `P` and 8 digits, or `E`, a letter and 7 digits) and
//! the formats of most other countries.

use super::context::Context;
use super::roles::Roles;

/// Shortest and longest passport numbers accepted. ICAO 9303 allows up to
/// 9 characters in the document number field; no country issues fewer than
/// 6.
const LENGTHS: std::ops::RangeInclusive<usize> = 6..=9;

/// Returns the end of a passport number that is the token `start..end`.
pub(crate) fn at_token(text: &[u8], start: usize, end: usize, context: &Context) -> Option<usize> {
    let token = &text[start..end];
    let shaped = LENGTHS.contains(&token.len()) && token.iter().any(u8::is_ascii_digit);
    (shaped && context.allows(Roles::PASSPORT, text, start)).then_some(end)
}

/// Writes the number in upper case for counting subjects.
pub(crate) fn normalize(value: &[u8], out: &mut Vec<u8>) {
    out.extend(value.iter().map(u8::to_ascii_uppercase));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;
    use crate::detect::found_texts;

    fn found_with(text: &str, roles: Roles) -> Vec<&str> {
        found_texts(text, roles, Category::Passport)
    }

    #[test]
    fn numbers_under_passport_context_are_found() {
        for number in [
            "123456789",
            "A12345678",
            "E12345678",
            "EA1234567",
            "C01X00T47",
            "X123456",
        ] {
            assert_eq!(found_with(number, Roles::PASSPORT), [number], "{number}");
        }
        assert_eq!(
            found_with("Passport No. E12345678", Roles::NONE),
            ["E12345678"]
        );
        assert_eq!(
            found_with("护照号码：G12345678", Roles::NONE),
            ["G12345678"]
        );
    }

    #[test]
    fn numbers_without_context_are_ignored() {
        for text in ["E12345678", "SKU 123456789", "order A12345678"] {
            assert!(found_with(text, Roles::NONE).is_empty(), "{text}");
        }
    }

    #[test]
    fn other_shapes_are_rejected_under_context() {
        for text in ["12345", "A1234", "ABCDEFGH", "A123456789", "E1234567890"] {
            assert!(found_with(text, Roles::PASSPORT).is_empty(), "{text}");
        }
    }
}
