//! Chinese resident identity card numbers (GB 11643-1999).
//!
//! An 18-character number: a 6-digit region code, the birth date as
//! YYYYMMDD, a 3-digit sequence number and a check character computed with
//! ISO 7064 MOD 11-2, which is `X` when its value is 10. The region code
//! must start with a province code, and the birth date must be a real date
//! that is not after the request's date when one is given.
//!
//! The legacy 15-digit form (region code, YYMMDD in the 1900s, sequence
//! number, no check character) has too little structure to tell it from
//! other 15-digit numbers, so it counts only under ID context (a key such
//! as `id_number`, `身份证号` or `sfz`).

use chrono::{Datelike, NaiveDate};

use super::context::Context;
use super::dates::is_real_date;
use super::roles::Roles;
use super::scan::{GroupSeparator, alphanumeric_at, digit_run_end, number};

/// Length of the number, check character included.
const ID_LENGTH: usize = 18;

/// Length of the legacy number issued until 1999.
const LEGACY_LENGTH: usize = 15;

/// Weights of the first 17 digits (2^(18-i) mod 11 for position i).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check characters indexed by the weighted sum mod 11.
const CHECK_CHARACTERS: &[u8; 11] = b"10X98765432";

/// Birth years accepted. The range rejects 18-digit runs whose "date" is
/// clearly not one, such as zero-padded order numbers.
const BIRTH_YEARS: std::ops::RangeInclusive<u32> = 1900..=2100;

/// The two-digit province codes of GB/T 2260 that start a region code:
/// North China 11-15, the North-East 21-23, the East 31-37, the
/// Centre-South 41-46, the South-West 50-54, the North-West 61-65, Taiwan
/// 71, Hong Kong 81, Macao 82 and 91 for residence permits of foreigners.
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 91,
];

/// Returns the end of an ID number that starts with the digit run
/// `start..run_end`, which touches no letter or digit before it.
pub(crate) fn at_digit_run(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<usize> {
    let length = run_end - start;
    let shaped = match length {
        ID_LENGTH => true,
        17 => matches!(text.get(run_end), Some(b'X' | b'x')),
        LEGACY_LENGTH => {
            let legacy = !alphanumeric_at(text, run_end)
                && is_valid_legacy(&text[start..run_end])
                && context.allows(Roles::CN_ID, text, start);
            return legacy.then_some(run_end);
        }
        _ => false,
    };
    let end = start + ID_LENGTH;
    let valid = shaped && !alphanumeric_at(text, end) && is_valid(&text[start..end], context.today);
    valid.then_some(end)
}

/// Returns the end of an ID number written in groups that start with the
/// digit run `start..run_end` and one [`GroupSeparator`], used between
/// every two groups. Two groupings are read: the 6-digit region code and
/// the remaining 12 characters in two or three groups
/// (`110105 19491231 002X`, `110105-1949-1231-002X`), or groups of four
/// with two characters last (`1101 0519 4912 3100 2X`).
///
/// Inlined, so that the test of the second group, which rules out the
/// dates and amounts that start with four digits, costs no call.
#[inline]
pub(crate) fn grouped_at(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<usize> {
    let separator = GroupSeparator::at(text, run_end)?;
    let fours = run_end - start == 4;
    if fours {
        let second = run_end + separator.width();
        let second_end = second + 4;
        let shaped = digit_run_end(text, second) == second_end
            && GroupSeparator::at(text, second_end) == Some(separator);
        if !shaped {
            return None;
        }
    }
    grouped_end(text, start, run_end, separator, context)
}

/// Finishes [`grouped_at`] once the first groups fit.
fn grouped_end(
    text: &[u8],
    start: usize,
    run_end: usize,
    separator: GroupSeparator,
    context: &Context,
) -> Option<usize> {
    let first = run_end - start;
    // The region code and three groups, or five groups of four.
    let max_groups = if first == 4 { 5 } else { 4 };
    let mut id = [0u8; ID_LENGTH];
    id[..first].copy_from_slice(&text[start..run_end]);
    let mut length = first;
    let mut index = run_end;
    let mut groups = 1;
    while length < ID_LENGTH
        && groups < max_groups
        && GroupSeparator::at(text, index) == Some(separator)
    {
        let group_start = index + separator.width();
        let mut end = group_start;
        while end < text.len()
            && text[end].is_ascii_digit()
            && length + end - group_start < ID_LENGTH
        {
            end += 1;
        }
        if length + end - group_start == 17 && matches!(text.get(end), Some(b'X' | b'x')) {
            end += 1;
        }
        let group_length = end - group_start;
        let last = length + group_length == ID_LENGTH;
        // Groups of four hold four characters each, but the last two.
        let fits = if first == 4 {
            group_length == if last { 2 } else { 4 }
        } else {
            group_length > 0
        };
        if !fits {
            return None;
        }
        id[length..length + group_length].copy_from_slice(&text[group_start..end]);
        length += group_length;
        index = end;
        groups += 1;
    }
    let valid = length == ID_LENGTH
        && groups >= 3
        && !alphanumeric_at(text, index)
        && is_valid(&id, context.today);
    valid.then_some(index)
}

/// Writes the number without separators and in upper case for counting
/// subjects.
pub(crate) fn normalize(value: &[u8], out: &mut Vec<u8>) {
    out.extend(
        value
            .iter()
            .filter(|byte| byte.is_ascii_alphanumeric())
            .map(u8::to_ascii_uppercase),
    );
}

/// Returns whether `id` (18 bytes) has a province code, a real birth date
/// not after `today`, and the right check character.
pub(crate) fn is_valid(id: &[u8], today: Option<NaiveDate>) -> bool {
    id.len() == ID_LENGTH
        && id[..17].iter().all(u8::is_ascii_digit)
        && has_province(id)
        && is_birth_date(number(&id[6..10]), &id[10..14], today)
        && check_character(&id[..17]) == id[17].to_ascii_uppercase()
}

/// Returns whether a 15-digit legacy number has a province code and a real
/// birth date in the 1900s.
fn is_valid_legacy(id: &[u8]) -> bool {
    id.len() == LEGACY_LENGTH
        && has_province(id)
        && is_birth_date(1900 + number(&id[6..8]), &id[8..12], None)
}

fn has_province(id: &[u8]) -> bool {
    PROVINCES.contains(&(number(&id[..2]) as u8))
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

/// Returns whether `year` and four digits MMDD are a real date within
/// [`BIRTH_YEARS`] and not after `today`.
fn is_birth_date(year: u32, month_day: &[u8], today: Option<NaiveDate>) -> bool {
    let (month, day) = (number(&month_day[..2]), number(&month_day[2..]));
    if !BIRTH_YEARS.contains(&year) || !is_real_date(year, month, day) {
        return false;
    }
    let Some(today) = today else {
        return true;
    };
    let today = (today.year() as u32, today.month(), today.day());
    (year, month, day) <= today
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        found_with(text, Roles::NONE, None)
    }

    fn found_with(text: &str, roles: Roles, today: Option<NaiveDate>) -> Vec<&str> {
        let context = Context::new(roles, today);
        crate::detect::find_category(text.as_bytes(), &context, crate::Category::CnResidentId)
            .into_iter()
            .map(|(start, end)| &text[start..end])
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
            assert!(!is_valid(&id, None), "{body}");
        }
    }

    #[test]
    fn leap_day_is_accepted_in_leap_years() {
        let body = b"11010520000229001";
        let mut id = body.to_vec();
        id.push(check_character(body));
        assert!(is_valid(&id, None));
    }

    #[test]
    fn leading_zero_is_rejected() {
        let body = b"01010519491231002";
        let mut id = body.to_vec();
        id.push(check_character(body));
        assert!(!is_valid(&id, None));
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

    fn with_check(body: &str) -> String {
        let mut id = body.to_owned();
        id.push(char::from(check_character(body.as_bytes())));
        id
    }

    #[test]
    fn region_must_start_with_a_province_code() {
        for (body, valid) in [
            ("11010519491231002", true),
            ("91010519491231002", true),
            ("82010519491231002", true),
            ("10010519491231002", false),
            ("16010519491231002", false),
            ("24010519491231002", false),
            ("47010519491231002", false),
            ("70010519491231002", false),
            ("99010519491231002", false),
        ] {
            assert_eq!(is_valid(with_check(body).as_bytes(), None), valid, "{body}");
        }
    }

    #[test]
    fn birth_date_after_today_is_rejected() {
        let id = with_check("11010520200101001");
        let before = NaiveDate::from_ymd_opt(2019, 12, 31);
        let after = NaiveDate::from_ymd_opt(2020, 1, 1);
        assert!(!is_valid(id.as_bytes(), before));
        assert!(is_valid(id.as_bytes(), after));
        assert!(is_valid(id.as_bytes(), None));
    }

    #[test]
    fn legacy_numbers_need_id_context() {
        let legacy = "110105491231002";
        assert!(found(legacy).is_empty());
        assert_eq!(found_with(legacy, Roles::CN_ID, None), [legacy]);
        let text = format!("身份证号：{legacy}");
        assert_eq!(found(&text), [legacy]);
    }

    #[test]
    fn invalid_legacy_numbers_are_rejected() {
        for legacy in ["110105491331002", "990105491231002", "1101054912310021"] {
            assert!(
                found_with(legacy, Roles::CN_ID, None).is_empty(),
                "{legacy}"
            );
        }
    }
}
