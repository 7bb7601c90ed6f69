//! UK national insurance numbers: two letters, six digits and a suffix
//! letter A-D, as `AB123456C` or in pairs as `AB 12 34 56 C`.
//!
//! HMRC never issues a first letter D, F, I, Q, U or V, a second letter D,
//! F, I, O, Q, U or V, nor the prefixes BG, GB, NK, KN, NT, TN and ZZ.
//! Numbers are printed in capitals; lower case counts only under NINO
//! context, because lower-case codes of this shape are usually hashes or
//! generated identifiers.

use super::context::Context;
use super::roles::Roles;
use super::scan::alphanumeric_at;

/// Prefixes that are never issued.
const UNISSUED_PREFIXES: [&[u8; 2]; 7] = [b"BG", b"GB", b"NK", b"KN", b"NT", b"TN", b"ZZ"];

/// Returns the end of a national insurance number that starts at `start`,
/// the first letter of a token.
pub(crate) fn at_token(text: &[u8], start: usize, context: &Context) -> Option<usize> {
    let mut compact = [0u8; 9];
    let end = read(text, start, &mut compact)?;
    if alphanumeric_at(text, end) {
        return None;
    }
    let upper = text[start..end]
        .iter()
        .all(|byte| !byte.is_ascii_lowercase());
    if !upper && !context.allows(Roles::NINO, text, start) {
        return None;
    }
    compact.make_ascii_uppercase();
    is_valid(&compact).then_some(end)
}

/// Reads the compact or the spaced form into `compact`.
fn read(text: &[u8], start: usize, compact: &mut [u8; 9]) -> Option<usize> {
    let spaced = text.get(start + 2) == Some(&b' ');
    let mut position = start;
    for (index, slot) in compact.iter_mut().enumerate() {
        // The spaced form puts a space before each digit pair and the suffix.
        if spaced && matches!(index, 2 | 4 | 6 | 8) {
            if text.get(position) != Some(&b' ') {
                return None;
            }
            position += 1;
        }
        let byte = *text.get(position)?;
        let expected = match index {
            0 | 1 | 8 => byte.is_ascii_alphabetic(),
            _ => byte.is_ascii_digit(),
        };
        if !expected {
            return None;
        }
        *slot = byte;
        position += 1;
    }
    Some(position)
}

/// Returns whether an upper-case compact number could have been issued.
pub(crate) fn is_valid(compact: &[u8; 9]) -> bool {
    let (first, second, suffix) = (compact[0], compact[1], compact[8]);
    !b"DFIQUV".contains(&first)
        && !b"DFIOQUV".contains(&second)
        && !UNISSUED_PREFIXES
            .iter()
            .any(|prefix| prefix.as_slice() == &compact[..2])
        && (b'A'..=b'D').contains(&suffix)
}

/// Writes the compact upper-case form for counting subjects.
pub(crate) fn normalize(value: &[u8], out: &mut Vec<u8>) {
    out.extend(
        value
            .iter()
            .filter(|byte| byte.is_ascii_alphanumeric())
            .map(u8::to_ascii_uppercase),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;
    use crate::detect::found_texts;

    fn found_with(text: &str, roles: Roles) -> Vec<&str> {
        found_texts(text, roles, Category::UkNino)
    }

    #[test]
    fn valid_numbers_are_found() {
        for text in ["AB123456C", "AB 12 34 56 C", "JG103759A", "ZX123456D"] {
            assert_eq!(found_with(text, Roles::NONE), [text], "{text}");
        }
        assert_eq!(found_with("nino: AB123456C.", Roles::NONE), ["AB123456C"]);
    }

    #[test]
    fn unissued_letters_and_suffixes_are_rejected() {
        for text in [
            "DA123456C",
            "FA123456C",
            "QA123456C",
            "VA123456C",
            "AD123456C",
            "AO123456C",
            "AV123456C",
            "BG123456C",
            "GB123456C",
            "NK123456C",
            "KN123456C",
            "NT123456C",
            "TN123456C",
            "ZZ123456C",
            "AB123456E",
            "AB123456",
        ] {
            assert!(found_with(text, Roles::NONE).is_empty(), "{text}");
        }
    }

    #[test]
    fn other_shapes_are_rejected() {
        for text in [
            "AB12345C",
            "AB1234567C",
            "XAB123456C",
            "AB123456CX",
            "AB 123456 C",
            "AB 12 34 56C",
            "SKU-AB123456C9",
        ] {
            assert!(found_with(text, Roles::NONE).is_empty(), "{text}");
        }
    }

    #[test]
    fn lower_case_needs_context() {
        assert!(found_with("ab123456c", Roles::NONE).is_empty());
        assert_eq!(found_with("ab123456c", Roles::NINO), ["ab123456c"]);
    }
}
