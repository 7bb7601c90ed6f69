//! Payment card numbers (ISO/IEC 7812 primary account numbers).
//!
//! A candidate is 13 to 19 digits, written as one run or in groups of 4 to
//! 6 digits after a first group of 4. The groups are separated by a space,
//! tab, dash, dot, slash, underscore or two spaces, the same
//! [`GroupSeparator`] throughout. It
//! counts only with a Luhn-valid check digit and an issuer prefix (IIN) and
//! length of a known network, which keeps order numbers and timestamps out.

use super::scan::{
    GroupSeparator, alphanumeric_at, alphanumeric_before, digit_at, digit_run_end, push_digits,
};

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

/// Returns the end of a card number that starts with the digit run
/// `start..run_end`. The number must not touch a letter on either side: a
/// Luhn-valid run inside an alphanumeric token is part of a reference, not
/// a card.
pub(crate) fn at_digit_run(text: &[u8], start: usize, run_end: usize) -> Option<usize> {
    if alphanumeric_before(text, start) {
        return None;
    }
    let mut digits = DigitBuffer::default();
    let end = grouped_end(text, start, run_end, &mut digits)
        .or_else(|| ungrouped_end(text, start, run_end, &mut digits))?;
    let product_code = digits.length == EAN_13_DIGITS && is_gtin(digits.as_slice());
    (!alphanumeric_at(text, end) && !product_code).then_some(end)
}

/// Digits of an EAN-13 (GTIN-13) product code.
const EAN_13_DIGITS: usize = 13;

/// Returns whether `digits` carry a valid GS1 check digit (weights 3 and 1
/// from the right, excluding the check digit). A 13-digit number that is a
/// valid product code is taken for one: EAN-13 codes fill product data,
/// while 13-digit Visa numbers have not been issued for decades.
fn is_gtin(digits: &[u8]) -> bool {
    let (body, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(position, digit)| u32::from(digit - b'0') * if position % 2 == 0 { 3 } else { 1 })
        .sum();
    (10 - sum % 10) % 10 == u32::from(check[0] - b'0')
}

/// Writes the digits without separators for counting subjects.
pub(crate) fn normalize(value: &[u8], out: &mut Vec<u8>) {
    push_digits(value, out);
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
    let separator = GroupSeparator::at(text, run_end)?;
    // Dotted groups that continue a longer dotted sequence (an OID such as
    // `1.3.6.1.4000.1000.2000.3000`), and slashed or underscored groups
    // after more digits (`12/2024/1111/…`), are not one number.
    let continues = start > 0
        && text[start - 1] == separator.byte()
        && match separator.byte() {
            b'.' => true,
            b'/' | b'_' => start > 1 && text[start - 2].is_ascii_digit(),
            _ => false,
        };
    if continues {
        return None;
    }
    digits.length = 0;
    digits.push(&text[start..run_end]);
    let mut end = run_end;
    let mut groups = 1;
    let mut last_group_digits = 0;
    while GroupSeparator::at(text, end) == Some(separator)
        && digit_at(text, end + separator.width())
    {
        // A group followed by another one is a middle group.
        if groups > 1 && !MIDDLE_GROUP_DIGITS.contains(&last_group_digits) {
            return None;
        }
        let group_start = end + separator.width();
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
        let context = crate::detect::Context::default();
        crate::detect::find_category(text.as_bytes(), &context, crate::Category::PaymentCard)
            .into_iter()
            .map(|(start, end)| &text[start..end])
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
    fn dotted_groups_are_one_number() {
        assert_eq!(found("4539.1488.0343.6467"), ["4539.1488.0343.6467"]);
        assert!(found("4539.1488-0343.6467").is_empty());
        assert!(found("1.3.6.1.4.1.4000.1000.2000.3000").is_empty());
        assert!(found("node.4000.1000.2000.3000").is_empty());
        // A dated reference splits into groups no card has.
        assert!(found("2024.03.15.0001").is_empty());
    }

    #[test]
    fn longer_digit_runs_are_rejected() {
        assert!(found("14111111111111111").is_empty());
        assert!(found("41111111111111111").is_empty());
        assert!(found("4111 1111 1111 1111 1111").is_empty());
    }

    #[test]
    fn thirteen_digit_product_codes_are_not_cards() {
        for code in ["4002843328644", "4007882180178", "4500647700777"] {
            assert!(is_gtin(code.as_bytes()), "{code}");
            assert!(found(code).is_empty(), "{code}");
        }
    }

    #[test]
    fn numbers_touching_letters_are_rejected() {
        for text in [
            "ID4111111111111111",
            "4111111111111111X",
            "x4111 1111 1111 1111",
            "4111 1111 1111 1111y",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
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
