//! US social security numbers: AAA-GG-SSSS.
//!
//! The groups are separated by dashes or by spaces, the same separator both
//! times, or not at all; dots count too, under SSN context only. The area is
//! never 000, 666 or 900-999, the group never 00 and the serial never 0000,
//! because the Social Security Administration issues none of them. Numbers
//! printed in advertising and examples are excluded too. Nine unseparated
//! digits look like any other identifier, so they count only under SSN context:
//! a key or label such as `ssn` or `social_security_number`, or an X12 element
//! qualified as an SSN (`NM1*…*34*` or `REF*SY*`).

use super::context::Context;
use super::roles::Roles;
use super::scan::{alphanumeric_at, digit_at, digit_run_end, number, push_digits, starts_number};

/// Numbers published as examples that people copy into forms: the one on a
/// wallet insert sold in 1938, the one printed in a 1962 advertisement, and
/// the sequence `123-45-6789`.
const PUBLISHED_NUMBERS: [&[u8; 9]; 3] = [b"078051120", b"219099999", b"123456789"];

/// Returns the end of an SSN that starts with the digit run
/// `start..run_end`.
pub(crate) fn at_digit_run(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<usize> {
    if !starts_number(text, start) {
        return None;
    }
    let mut digits = [0u8; 9];
    let end = match run_end - start {
        9 => {
            let keyed = context.allows(Roles::SSN, text, start) || x12_qualified(text, start);
            if !keyed || alphanumeric_at(text, run_end) {
                return None;
            }
            digits.copy_from_slice(&text[start..run_end]);
            run_end
        }
        3 => {
            let end = separated_end(text, start, &mut digits)?;
            // Dots are common between groups of other numbers, so a dotted
            // SSN (`536.22.1234`) counts only under SSN context.
            if text[start + 3] == b'.' && !context.allows(Roles::SSN, text, start) {
                return None;
            }
            end
        }
        _ => return None,
    };
    is_valid(&digits).then_some(end)
}

/// Reads `AAA-GG-SSSS`, `AAA GG SSSS` or `AAA.GG.SSSS` from `start` into
/// `digits`.
fn separated_end(text: &[u8], start: usize, digits: &mut [u8; 9]) -> Option<usize> {
    let separator = *text.get(start + 3)?;
    if !matches!(separator, b'-' | b' ' | b'.') {
        return None;
    }
    let group = start + 4;
    let serial = group + 3;
    let end = serial + 4;
    let shaped = digit_run_end(text, group) == group + 2
        && text.get(group + 2) == Some(&separator)
        && end <= text.len()
        && digit_run_end(text, serial) == end
        && !alphanumeric_at(text, end)
        // A further group makes it part of a longer number.
        && !(text.get(end) == Some(&separator) && digit_at(text, end + 1));
    if !shaped {
        return None;
    }
    digits[..3].copy_from_slice(&text[start..start + 3]);
    digits[3..5].copy_from_slice(&text[group..group + 2]);
    digits[5..].copy_from_slice(&text[serial..end]);
    Some(end)
}

/// Returns whether nine digits are an SSN that could have been issued.
pub(crate) fn is_valid(digits: &[u8; 9]) -> bool {
    let area = number(&digits[..3]);
    let group = number(&digits[3..5]);
    let serial = number(&digits[5..]);
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !PUBLISHED_NUMBERS.contains(&digits)
}

/// Returns whether the nine digits at `start` are an X12 element that its
/// segment qualifies as an SSN: after qualifier `34` in an `NM1` segment or
/// in a `REF*SY` segment.
fn x12_qualified(text: &[u8], start: usize) -> bool {
    let before = &text[..start];
    if before.ends_with(b"REF*SY*") {
        return true;
    }
    if !before.ends_with(b"*34*") {
        return false;
    }
    let segment_start = before
        .iter()
        .rposition(|&byte| byte == b'~' || byte == b'\n')
        .map_or(0, |index| index + 1);
    let segment = before[segment_start..].trim_ascii_start();
    segment.starts_with(b"NM1*")
}

/// Writes the nine digits for counting subjects.
pub(crate) fn normalize(value: &[u8], out: &mut Vec<u8>) {
    push_digits(value, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;
    use crate::detect::found_texts;

    fn found_with(text: &str, roles: Roles) -> Vec<&str> {
        found_texts(text, roles, Category::UsSsn)
    }

    fn found(text: &str) -> Vec<&str> {
        found_with(text, Roles::NONE)
    }

    #[test]
    fn separated_numbers_are_found_without_context() {
        for text in ["536-22-8726", "536 22 8726", "ssn: 536-22-8726."] {
            let expected = text.trim_start_matches("ssn: ").trim_end_matches('.');
            assert_eq!(found(text), [expected], "{text}");
        }
    }

    #[test]
    fn dotted_numbers_need_context() {
        assert!(found("536.22.8726").is_empty());
        assert_eq!(found_with("536.22.8726", Roles::SSN), ["536.22.8726"]);
        assert_eq!(found("SSN: 536.22.8726"), ["536.22.8726"]);
        // The separator is the same both times.
        assert!(found_with("536.22-8726", Roles::SSN).is_empty());
    }

    #[test]
    fn unseparated_numbers_need_context() {
        assert!(found("536228726").is_empty());
        assert_eq!(found_with("536228726", Roles::SSN), ["536228726"]);
        assert_eq!(found("SSN 536228726"), ["536228726"]);
        assert_eq!(found("social_security_number=536228726"), ["536228726"]);
    }

    #[test]
    fn unissued_numbers_are_rejected() {
        for number in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "999-99-9999",
            "536-00-8726",
            "536-22-0000",
            "078-05-1120",
            "219-09-9999",
            "123-45-6789",
        ] {
            assert!(found(number).is_empty(), "{number}");
            let compact = number.replace('-', "");
            assert!(found_with(&compact, Roles::SSN).is_empty(), "{compact}");
        }
    }

    #[test]
    fn other_shapes_are_rejected() {
        for text in [
            "536-22 8726",
            "536-22-87260",
            "1536-22-8726",
            "536-22-8726-1",
            "A536-22-8726",
            "536-22-8726B",
            "12345-6789",
            "2024-01-01",
            "+1 536-22-8726",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn x12_qualifiers_give_context() {
        let member = "NM1*IL*1*DOE*JOHN*A***34*536228726~";
        assert_eq!(found(member), ["536228726"]);
        assert_eq!(found("REF*SY*536228726~"), ["536228726"]);
        assert!(found("NM1*IL*1*DOE*JOHN*A***34*999999999~").is_empty());
        assert!(found("N1*P5*PAYER*FI*536228726~").is_empty());
    }
}
