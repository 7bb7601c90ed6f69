//! Bank account numbers other than IBANs, under account context only.
//!
//! Domestic account numbers have no common format or public checksum: a US
//! DFI account has up to 17 digits, a German Kontonummer up to 10, a Chinese
//! bank card 16 to 19. So a value counts only under a key or label such as
//! `account_number`, `acctNo`, `bank_account`, `Kontonummer`, `DFI
//! account`, `账号`, `银行卡号` or `开户`: one run of 6 to 34 digits, or
//! groups separated by single spaces or dashes (the same throughout).
//! Chinese bank cards outside such context are found as payment cards,
//! because they carry the UnionPay `62` prefix and a Luhn check digit.

use super::context::Context;
use super::roles::Roles;
use super::scan::{alphanumeric_at, digit_at, digit_run_end, push_digits, starts_number};

/// Shortest and longest account numbers accepted: 6 digits rules out short
/// codes, and 34 is the longest BBAN that ISO 13616 allows.
const DIGITS: std::ops::RangeInclusive<usize> = 6..=34;

/// Returns the end of an account number that starts with the digit run
/// `start..run_end`.
// Inline across codegen units: most digit runs stop at its first check.
#[inline]
pub(crate) fn at_digit_run(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<usize> {
    if !context.may_allow(Roles::BANK_ACCOUNT, text, start) {
        return None;
    }
    if !starts_number(text, start) {
        return None;
    }
    let (end, digits) = grouped_end(text, start, run_end);
    let shaped = DIGITS.contains(&digits) && !alphanumeric_at(text, end);
    (shaped && context.allows(Roles::BANK_ACCOUNT, text, start)).then_some(end)
}

/// Returns the end and digit count of the groups from `start`, separated by
/// one space or dash used throughout.
fn grouped_end(text: &[u8], start: usize, run_end: usize) -> (usize, usize) {
    let mut end = run_end;
    let mut digits = run_end - start;
    let separator = text.get(run_end).copied();
    let Some(separator @ (b' ' | b'-')) = separator else {
        return (end, digits);
    };
    while text.get(end) == Some(&separator) && digit_at(text, end + 1) {
        let group_end = digit_run_end(text, end + 1);
        if alphanumeric_at(text, group_end) {
            break;
        }
        digits += group_end - end - 1;
        end = group_end;
    }
    (end, digits)
}

/// Writes the digits for counting subjects.
pub(crate) fn normalize(value: &[u8], out: &mut Vec<u8>) {
    push_digits(value, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;
    use crate::detect::found_texts;

    fn found_with(text: &str, roles: Roles) -> Vec<&str> {
        found_texts(text, roles, Category::BankAccount)
    }

    #[test]
    fn numbers_under_account_context_are_found() {
        for number in [
            "123456",
            "0532013000",
            "6222 0202 0000 1234 567",
            "12-345-678901",
            "1234567890123456789012345678901234",
        ] {
            assert_eq!(
                found_with(number, Roles::BANK_ACCOUNT),
                [number],
                "{number}"
            );
        }
        assert_eq!(
            found_with("Kontonummer: 0532013000", Roles::NONE),
            ["0532013000"]
        );
        assert_eq!(
            found_with("银行卡号：6222020200001234567", Roles::NONE),
            ["6222020200001234567"]
        );
    }

    #[test]
    fn numbers_without_context_are_ignored() {
        for text in ["0532013000", "order 12345678", "my account 12345678"] {
            assert!(found_with(text, Roles::NONE).is_empty(), "{text}");
        }
    }

    #[test]
    fn other_shapes_are_rejected_under_context() {
        for text in [
            "12345",
            "12345678901234567890123456789012345",
            "ACC12345678",
            "12345678X",
        ] {
            assert!(found_with(text, Roles::BANK_ACCOUNT).is_empty(), "{text}");
        }
    }
}
