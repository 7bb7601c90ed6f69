//! Payment card numbers (ISO/IEC 7812 primary account numbers).
//!
//! A candidate is 13 to 19 digits, written as one run or in groups separated
//! by single spaces or single dashes (the same separator throughout). It
//! counts only with a Luhn-valid check digit and an issuer prefix (IIN) and
//! length of a known network, which keeps order numbers and timestamps out.

use super::scan::{digit_at, digit_run_end, for_each_digit_run, push_digits};
use super::{Context, Detector, Match};
use crate::Category;

/// Shortest and longest primary account numbers that ISO/IEC 7812 allows.
const MIN_DIGITS: usize = 13;
const MAX_DIGITS: usize = 19;

/// Length of the first group of a grouped number (`4111 1111 …`,
/// `3782 822463 10005`).
const FIRST_GROUP_DIGITS: usize = 4;

/// Lengths of the groups after the first one, except the last, which may be
/// as short as one digit. Printed cards use groups of 4 to 6 digits, and the
/// bound keeps lists of small numbers from joining into one candidate.
const MIDDLE_GROUP_DIGITS: std::ops::RangeInclusive<usize> = 4..=6;
const LAST_GROUP_DIGITS: std::ops::RangeInclusive<usize> = 1..=6;

#[derive(Debug)]
pub(crate) struct PaymentCard;

impl Detector for PaymentCard {
    fn category(&self) -> Category {
        Category::PaymentCard
    }

    fn find(&self, text: &[u8], _context: &Context<'_>, out: &mut Vec<Match>) {
        let mut digits = DigitBuffer::default();
        for_each_digit_run(text, |start, run_end| {
            let end = grouped_end(text, start, run_end, &mut digits)
                .or_else(|| ungrouped_end(text, start, run_end, &mut digits));
            match end {
                Some(end) => {
                    out.push(Match {
                        category: Category::PaymentCard,
                        start,
                        end,
                    });
                    end
                }
                None => run_end,
            }
        });
    }

    fn normalize(&self, value: &[u8], out: &mut Vec<u8>) {
        push_digits(value, out);
    }
}

/// The digits of one candidate, without separators.
#[derive(Debug, Default)]
struct DigitBuffer {
    digits: [u8; MAX_DIGITS],
    length: usize,
}

impl DigitBuffer {
    fn as_slice(&self) -> &[u8] {
        &self.digits[..self.length]
    }

    /// Appends `run`, returning false when the total would exceed
    /// [`MAX_DIGITS`].
    fn push(&mut self, run: &[u8]) -> bool {
        let end = self.length + run.len();
        if end > MAX_DIGITS {
            return false;
        }
        self.digits[self.length..end].copy_from_slice(run);
        self.length = end;
        true
    }
}

/// Returns the end of a valid card number written in groups from `start`.
fn grouped_end(
    text: &[u8],
    start: usize,
    run_end: usize,
    digits: &mut DigitBuffer,
) -> Option<usize> {
    if run_end - start != FIRST_GROUP_DIGITS {
        return None;
    }
    let separator = *text.get(run_end)?;
    if !matches!(separator, b' ' | b'-') {
        return None;
    }
    digits.length = 0;
    digits.push(&text[start..run_end]);
    let mut end = run_end;
    let mut groups = 1;
    let mut last_group_digits = 0;
    while text.get(end) == Some(&separator) && digit_at(text, end + 1) {
        // A group followed by another one is a middle group.
        if groups > 1 && !MIDDLE_GROUP_DIGITS.contains(&last_group_digits) {
            return None;
        }
        let group_start = end + 1;
        let group_end = digit_run_end(text, group_start);
        if !digits.push(&text[group_start..group_end]) {
            return None;
        }
        last_group_digits = group_end - group_start;
        groups += 1;
        end = group_end;
    }
    let shaped = groups > 1 && LAST_GROUP_DIGITS.contains(&last_group_digits);
    (shaped && is_valid(digits.as_slice())).then_some(end)
}

/// Returns the end of a valid card number written as the single run
/// `start..run_end`.
fn ungrouped_end(
    text: &[u8],
    start: usize,
    run_end: usize,
    digits: &mut DigitBuffer,
) -> Option<usize> {
    let run = &text[start..run_end];
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&run.len()) {
        return None;
    }
    digits.length = 0;
    digits.push(run);
    is_valid(digits.as_slice()).then_some(run_end)
}

/// Returns whether `digits` has a known issuer prefix and length and a valid
/// Luhn check digit.
pub(crate) fn is_valid(digits: &[u8]) -> bool {
    (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len())
        && has_known_issuer(digits)
        && luhn_valid(digits)
}

/// Returns whether the issuer prefix and length belong to a known network.
fn has_known_issuer(digits: &[u8]) -> bool {
    let length = digits.len();
    let prefix = |count: usize| {
        digits[..count]
            .iter()
            .fold(0u32, |value, digit| value * 10 + u32::from(digit - b'0'))
    };
    let visa = prefix(1) == 4 && matches!(length, 13 | 16 | 19);
    let mastercard =
        length == 16 && ((51..=55).contains(&prefix(2)) || (2221..=2720).contains(&prefix(4)));
    let amex = length == 15 && matches!(prefix(2), 34 | 37);
    let long = (16..=19).contains(&length);
    let discover =
        long && (prefix(4) == 6011 || (644..=649).contains(&prefix(3)) || prefix(2) == 65);
    let jcb = long && (3528..=3589).contains(&prefix(4));
    let unionpay = long && prefix(2) == 62;
    let diners =
        (14..=19).contains(&length) && (prefix(2) == 36 || (300..=305).contains(&prefix(3)));
    visa || mastercard || amex || discover || jcb || unionpay || diners
}

/// Returns whether `digits` passes the Luhn (mod 10) check.
pub(crate) fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, digit)| {
            let value = u32::from(digit - b'0');
            if position % 2 == 1 {
                let doubled = value * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                value
            }
        })
        .sum();
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        PaymentCard.find(text.as_bytes(), &Context::default(), &mut out);
        out.iter()
            .map(|found| &text[found.start..found.end])
            .collect()
    }

    #[test]
    fn luhn_accepts_valid_and_rejects_altered_numbers() {
        let cases = [
            ("4111111111111111", true),
            ("4111111111111112", false),
            ("79927398713", true),
            ("79927398710", false),
            ("0", true),
            ("378282246310005", true),
            ("378282246310006", false),
        ];
        for (digits, expected) in cases {
            assert_eq!(luhn_valid(digits.as_bytes()), expected, "{digits}");
        }
    }

    #[test]
    fn known_networks_are_found() {
        let cards = [
            "4222222222222",
            "4111111111111111",
            "4111111111111111110",
            "5555555555554444",
            "2223003122003222",
            "378282246310005",
            "6011111111111117",
            "6250941006528599",
            "3530111333300000",
            "6212345678901234569",
            "36227206271667",
            "30569309025904",
        ];
        for card in cards {
            assert_eq!(found(card), [card], "{card}");
        }
    }

    #[test]
    fn grouped_numbers_are_found() {
        for text in [
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "3782 822463 10005",
            "6212 3456 7890 1234 569",
        ] {
            assert_eq!(found(text), [text], "{text}");
        }
    }

    #[test]
    fn mixed_separators_are_not_one_number() {
        assert!(found("4111 1111-1111 1111").is_empty());
    }

    #[test]
    fn unknown_issuers_and_lengths_are_rejected() {
        // Each is Luhn-valid, so only the issuer table rejects it.
        for digits in ["1234567812345670", "9482348239847239874", "411111111111116"] {
            assert!(luhn_valid(digits.as_bytes()), "{digits}");
            assert!(found(digits).is_empty(), "{digits}");
        }
    }

    #[test]
    fn luhn_failure_is_rejected() {
        assert!(found("4111111111111112").is_empty());
    }

    #[test]
    fn longer_digit_runs_are_rejected() {
        assert!(found("14111111111111111").is_empty());
        assert!(found("41111111111111111").is_empty());
        assert!(found("4111 1111 1111 1111 1111").is_empty());
    }

    #[test]
    fn surrounding_punctuation_is_a_boundary() {
        assert_eq!(
            found("pan=4111111111111111;exp=12/25"),
            ["4111111111111111"]
        );
        assert_eq!(found("-4111111111111111"), ["4111111111111111"]);
    }
}
