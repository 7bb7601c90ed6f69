use super::*;

use crate::Category;
use crate::detect::find_category;
use crate::detect::keys::classify;

fn found_with(text: &str, key: Option<&str>) -> Vec<String> {
    let roles = key.map_or(Roles::NONE, |key| classify(key.as_bytes()));
    let context = Context::new(roles, None);
    find_category(text.as_bytes(), &context, Category::Phone)
        .into_iter()
        .map(|(start, end)| text[start..end].to_owned())
        .collect()
}

fn found(text: &str) -> Vec<String> {
    found_with(text, None)
}

fn normalized(value: &str) -> String {
    let mut out = Vec::new();
    normalize(value.as_bytes(), &mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn international_numbers_are_found() {
    for number in [
        "+49 30 1234567",
        "+1 (650) 555-0111",
        "+39-555-123",
        "+4915112345678",
        "+44 20 7946 0958",
        "+33.1.23.45.67.89",
        "0049 30 1234567",
        "+86 138 1234 5678",
        "+49 - 30 1234567",
    ] {
        assert_eq!(found(number), [number], "{number}");
    }
}

#[test]
fn international_numbers_stop_at_punctuation() {
    assert_eq!(found("(+44 20 7946 0958)"), ["+44 20 7946 0958"]);
    assert_eq!(found("tel: +49 30 1234567."), ["+49 30 1234567"]);
    assert_eq!(found("+49 30 1234567, 2014"), ["+49 30 1234567"]);
}

#[test]
fn overflowing_trailing_group_is_left_out() {
    assert_eq!(found("+49 30 1234567 20142015"), ["+49 30 1234567"]);
}

#[test]
fn malformed_international_numbers_are_rejected() {
    for text in [
        "+0123456789",
        "+123456",
        "+1234567890123456",
        "2025-08-19T08:32:02+00:00",
        "/Date(1588723200000+0000)/",
        "a+4915112345678",
        "+4915112345678x",
        "1e+1234567",
    ] {
        assert!(found(text).is_empty(), "{text}");
    }
}

#[test]
fn unseparated_double_zero_needs_a_phone_key() {
    assert!(found("0042000010000001").is_empty());
    assert!(found_with("0042000010000001", Some("trace")).is_empty());
    assert_eq!(
        found_with("004930123456789", Some("phone")),
        ["004930123456789"]
    );
}

#[test]
fn chinese_mobile_numbers_are_found() {
    for number in [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "14512345678",
        "16212345678",
        "16712345678",
        "19912345678",
        "+8613812345678",
        "008613812345678",
        "+86 13812345678",
        "+86-138-1234-5678",
    ] {
        assert_eq!(found(number), [number], "{number}");
    }
}

#[test]
fn mobile_number_in_chinese_text_is_found() {
    assert_eq!(found("手机13812345678联系"), ["13812345678"]);
}

#[test]
fn malformed_mobile_numbers_are_rejected() {
    for text in [
        "12812345678",
        "14012345678",
        "16012345678",
        "16812345678",
        "113812345678",
        "1381234567",
        "138123456789",
        "138 1234-5678",
        "138 12345 678",
        "138 1234 56789",
        "3362227000",
        "4158526633",
        "1588723200000",
    ] {
        assert!(found(text).is_empty(), "{text}");
    }
}

#[test]
fn digits_touching_a_letter_are_not_phones() {
    for text in [
        "a13812345678",
        "13812345678b",
        "ID13812345678",
        "138 1234 5678x",
        "x0049 30 1234567",
        "DE88370400440532013000",
        "de89370400440532013000",
        "+4930123456a",
        "+49 30 1234567b",
    ] {
        assert!(found(text).is_empty(), "{text}");
    }
}

#[test]
fn group_touching_a_letter_ends_the_number() {
    assert_eq!(found("+49 30 1234567 2014x"), ["+49 30 1234567"]);
}

#[test]
fn reference_numbers_are_not_phones() {
    for text in ["ORDER-2024-000123", "INV 2024 0001 2345"] {
        assert!(found(text).is_empty(), "{text}");
    }
}

#[test]
fn normalization_keeps_country_code_and_digits() {
    let cases = [
        ("+86 138-1234-5678", "8613812345678"),
        ("008613812345678", "8613812345678"),
        ("13812345678", "8613812345678"),
        ("138 1234 5678", "8613812345678"),
        ("+1 (650) 555-0111", "16505550111"),
        ("0049 30 1234567", "49301234567"),
    ];
    for (value, expected) in cases {
        assert_eq!(normalized(value), expected, "{value}");
        // Appended after what the buffer already holds.
        let mut out = b"x".to_vec();
        normalize(value.as_bytes(), &mut out);
        assert_eq!(out, format!("x{expected}").as_bytes(), "{value}");
    }
}

#[test]
fn number_digits_match_digit_copy() {
    // Texts of 0 to 24 bytes of digits and separators from a fixed-seed
    // generator, then every edge byte at every position of a number.
    let mut random = crate::test_random::Xorshift::new(0x2545_F491_4F6C_DD1Du64);
    let mut next = |bound: u64| random.below(bound);
    let bytes = b"0123456789 -().+/x";
    let mut texts: Vec<Vec<u8>> = Vec::new();
    for length in 0..=24 {
        for _ in 0..300 {
            texts.push(
                (0..length)
                    .map(|_| bytes[next(bytes.len() as u64) as usize])
                    .collect(),
            );
        }
    }
    for length in 0..=24 {
        let number: Vec<u8> = (0..length).map(|index| b'0' + (index % 10) as u8).collect();
        for position in 0..length {
            for byte in [b' ', b'/', b':', b'0', b'9', 0x00, 0x80, 0xB0, 0xFF] {
                let mut changed = number.clone();
                changed[position] = byte;
                texts.push(changed);
            }
        }
    }
    for text in &texts {
        let mut expected = b"x".to_vec();
        push_digits(text, &mut expected);
        let mut out = b"x".to_vec();
        push_number_digits(text, &mut out);
        assert_eq!(out, expected, "{:?}", String::from_utf8_lossy(text));
    }
}

#[test]
fn bare_cn_mobile_normalization_matches_digit_copy() {
    // Runs of 10 to 12 digits after every two-digit start, alone and with
    // a separator, a letter or a `+` at every position, from a fixed-seed
    // generator. The result is compared with the digits copied one by one
    // and the country code inserted before a mobile number.
    let reference = |value: &[u8]| -> Vec<u8> {
        let mut out = b"x".to_vec();
        if matches!(value, [b'+', ..] | [b'0', b'0', ..]) {
            normalize(value, &mut out);
            return out;
        }
        let digits: Vec<u8> = value.iter().copied().filter(u8::is_ascii_digit).collect();
        if digits.len() == 11 && crate::detect::phone_regions::is_cn_mobile_prefix(&digits) {
            out.extend_from_slice(b"86");
        }
        out.extend_from_slice(&digits);
        out
    };
    let mut random = crate::test_random::Xorshift::new(0x9E37_79B9_7F4A_7C15u64);
    let mut next = |bound: u64| random.below(bound);
    let mut values = Vec::new();
    for head in 0..100 {
        for length in [10, 11, 12] {
            let mut number = format!("{head:02}").into_bytes();
            while number.len() < length {
                number.push(b'0' + next(10) as u8);
            }
            for position in 0..number.len() {
                for byte in [b' ', b'-', b'x', b'+', 0x80] {
                    let mut changed = number.clone();
                    changed[position] = byte;
                    values.push(changed);
                }
            }
            values.push(number);
        }
    }
    for value in &values {
        let mut out = b"x".to_vec();
        normalize(value, &mut out);
        assert_eq!(
            out,
            reference(value),
            "{:?}",
            String::from_utf8_lossy(value)
        );
    }
}

#[test]
fn early_rejection_loses_no_number() {
    // Digit runs of 1 to 14 digits after the prefixes 0, 00, 0086, 1, 138
    // and 8, alone, grouped by spaces and dashes, after a label and inside
    // other text. Under keys with and without the phone role, the gated
    // reader finds what the full one finds.
    let mut texts = Vec::new();
    for length in 1..=14 {
        for first in ["0", "1", "8", "00", "0086", "138"] {
            let digits = format!("{first}{}", "5".repeat(length));
            for (before, after) in [("", ""), ("Tel: ", ""), ("Street ", " 5"), ("(", ")")] {
                texts.push(format!("{before}{digits}{after}"));
            }
            texts.push(format!("{digits} 1234 5678"));
            texts.push(format!("{digits}-1234-5678"));
            texts.push(format!("{digits} 123 4567"));
        }
    }
    let keys = [
        Roles::NONE,
        Roles::PHONE,
        Roles::ADDRESS,
        Roles::BANK_ACCOUNT,
        Roles::DATE_OF_BIRTH,
    ];
    for text in &texts {
        let bytes = text.as_bytes();
        for roles in keys {
            let context = Context::new(roles, None);
            let mut start = 0;
            while let Some(offset) = bytes[start..].iter().position(u8::is_ascii_digit) {
                let run_start = start + offset;
                let run_end = crate::detect::scan::digit_run_end(bytes, run_start);
                assert_eq!(
                    at_digit_run(bytes, run_start, run_end, &context),
                    read_at_digit_run(bytes, run_start, run_end, &context),
                    "{text:?} at {run_start} {roles:?}"
                );
                start = run_end;
            }
        }
    }
}
