//! Chinese resident identity card numbers (GB 11643-1999).
//!
//! An 18-character number: a 6-digit region code, the birth date as
//! YYYYMMDD, a 3-digit sequence number and a check character computed with
//! ISO 7064 MOD 11-2, which is `X` when its value is 10.

use super::scan::{alphanumeric_at, alphanumeric_before, for_each_digit_run};
use super::{Context, Detector, Match};
use crate::Category;

/// Length of the number, check character included.
const ID_LENGTH: usize = 18;

/// Weights of the first 17 digits (2^(18-i) mod 11 for position i).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check characters indexed by the weighted sum mod 11.
const CHECK_CHARACTERS: &[u8; 11] = b"10X98765432";

/// Birth years accepted. The range rejects 18-digit runs whose "date" is
/// clearly not one, such as zero-padded order numbers.
const BIRTH_YEARS: std::ops::RangeInclusive<u32> = 1900..=2100;

#[derive(Debug)]
pub(crate) struct CnResidentId;

impl Detector for CnResidentId {
    fn category(&self) -> Category {
        Category::CnResidentId
    }

    fn find(&self, text: &[u8], _context: &Context<'_>, out: &mut Vec<Match>) {
        for_each_digit_run(text, |start, run_end| {
            let end = start + ID_LENGTH;
            let shaped = match run_end - start {
                ID_LENGTH => true,
                17 => matches!(text.get(run_end), Some(b'X' | b'x')),
                _ => false,
            };
            if shaped
                && !alphanumeric_before(text, start)
                && !alphanumeric_at(text, end)
                && is_valid(&text[start..end])
            {
                out.push(Match {
                    category: Category::CnResidentId,
                    start,
                    end,
                });
                return end;
            }
            run_end
        });
    }

    fn normalize(&self, value: &[u8], out: &mut Vec<u8>) {
        out.extend(value.iter().map(u8::to_ascii_uppercase));
    }
}

/// Returns whether `id` (18 bytes) has a non-zero first digit, a real birth
/// date and the right check character.
pub(crate) fn is_valid(id: &[u8]) -> bool {
    id.len() == ID_LENGTH
        && id[..17].iter().all(u8::is_ascii_digit)
        && id[0] != b'0'
        && is_birth_date(&id[6..14])
        && check_character(&id[..17]) == id[17].to_ascii_uppercase()
}

/// Computes the check character of 17 digits.
pub(crate) fn check_character(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    CHECK_CHARACTERS[(sum % 11) as usize]
}

/// Returns whether eight digits are a real calendar date YYYYMMDD within
/// [`BIRTH_YEARS`].
fn is_birth_date(digits: &[u8]) -> bool {
    let number = |range: std::ops::Range<usize>| {
        digits[range]
            .iter()
            .fold(0u32, |value, digit| value * 10 + u32::from(digit - b'0'))
    };
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    BIRTH_YEARS.contains(&year)
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        CnResidentId.find(text.as_bytes(), &Context::default(), &mut out);
        out.iter()
            .map(|found| &text[found.start..found.end])
            .collect()
    }

    #[test]
    fn check_character_follows_gb_11643() {
        let cases: [(&str, u8); 3] = [
            ("11010519491231002", b'X'),
            ("44052419800101001", b'3'),
            ("11010119900307103", b'0'),
        ];
        for (digits, expected) in cases {
            assert_eq!(check_character(digits.as_bytes()), expected, "{digits}");
        }
    }

    #[test]
    fn valid_numbers_are_found() {
        for id in [
            "11010519491231002X",
            "440524198001010013",
            "110101199003071030",
        ] {
            assert_eq!(found(id), [id]);
        }
    }

    #[test]
    fn lower_case_x_is_accepted() {
        assert_eq!(found("id 11010519491231002x."), ["11010519491231002x"]);
    }

    #[test]
    fn wrong_check_digit_is_rejected() {
        assert!(found("110105194912310021").is_empty());
        assert!(found("440524198001010014").is_empty());
    }

    #[test]
    fn impossible_birth_dates_are_rejected() {
        // Each body gets its own correct check character, so only the date fails.
        for body in [
            "11010518990101001",
            "11010521010101001",
            "11010519491301001",
            "11010519490230001",
            "11010519000229001",
            "11010519490000001",
        ] {
            let mut id = body.as_bytes().to_vec();
            id.push(check_character(body.as_bytes()));
            assert!(!is_valid(&id), "{body}");
        }
    }

    #[test]
    fn leap_day_is_accepted_in_leap_years() {
        let body = b"11010520000229001";
        let mut id = body.to_vec();
        id.push(check_character(body));
        assert!(is_valid(&id));
    }

    #[test]
    fn leading_zero_is_rejected() {
        let body = b"01010519491231002";
        let mut id = body.to_vec();
        id.push(check_character(body));
        assert!(!is_valid(&id));
    }

    #[test]
    fn longer_alphanumeric_runs_are_rejected() {
        for text in [
            "A11010519491231002X",
            "11010519491231002XA",
            "911010519491231002X",
            "4405241980010100130",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn chinese_text_around_the_number_is_a_boundary() {
        assert_eq!(found("身份证11010519491231002X号"), ["11010519491231002X"]);
    }
}
