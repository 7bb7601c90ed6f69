use chrono::NaiveDate;

use super::*;
use crate::detect::Match;
use crate::detect::scan::scan;

/// Values per generated shape; each is scanned under every context below.
const GENERATED_VALUES: usize = 20_000;

/// A xorshift64* generator, so that every run checks the same values.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: u64) -> usize {
        (self.next() % bound) as usize
    }

    fn digits(&mut self, count: usize, out: &mut String) {
        for _ in 0..count {
            out.push(char::from(b'0' + self.below(10) as u8));
        }
    }
}

/// Returns the contexts under which the shortcut may apply, with and
/// without a request date, which decides whether a date of birth is in the
/// future.
fn inert_contexts() -> Vec<Context> {
    let today = NaiveDate::from_ymd_opt(2026, 12, 4);
    let roles = [
        Roles::NONE,
        Roles::REFERENCE,
        Roles::VERSION,
        Roles::REFERENCE | Roles::VERSION,
    ];
    roles
        .into_iter()
        .flat_map(|roles| [Context::new(roles, None), Context::new(roles, today)])
        .collect()
}

fn plain_number(random: &mut Random) -> String {
    let mut value = String::new();
    if random.below(4) == 0 {
        value.push('-');
    }
    let integer = 1 + random.below(MAX_INTEGER_DIGITS as u64);
    random.digits(integer, &mut value);
    let fraction = random.below(MAX_FRACTION_DIGITS as u64 + 1);
    if fraction > 0 {
        value.push('.');
        random.digits(fraction, &mut value);
    }
    value
}

fn timestamp(random: &mut Random) -> String {
    let mut value = String::new();
    random.digits(4, &mut value);
    value.push('-');
    random.digits(2, &mut value);
    value.push('-');
    random.digits(2, &mut value);
    if random.below(5) == 0 {
        return value;
    }

    value.push(if random.below(2) == 0 { 'T' } else { ' ' });
    for part in 0..3 {
        if part > 0 {
            value.push(':');
        }
        random.digits(2, &mut value);
    }

    let fraction = random.below(MAX_FRACTION_DIGITS as u64 + 1);
    if fraction > 0 {
        value.push('.');
        random.digits(fraction, &mut value);
    }

    match random.below(4) {
        0 => {}
        1 => value.push('Z'),
        sign => {
            value.push(if sign == 2 { '+' } else { '-' });
            random.digits(2, &mut value);
            value.push(':');
            random.digits(2, &mut value);
        }
    }
    value
}

fn letters(random: &mut Random, count: usize, out: &mut String) {
    for _ in 0..count {
        let letter = b'A' + random.below(26) as u8;
        let letter = if random.below(3) == 0 {
            letter.to_ascii_lowercase()
        } else {
            letter
        };
        out.push(char::from(letter));
    }
}

/// Returns a document code within the bounds of [`is_code`], whose first
/// digit group may start with `00`.
fn code(random: &mut Random) -> String {
    let mut value = String::new();
    let prefix = 1 + random.below(MAX_CODE_LETTERS as u64);
    letters(random, prefix, &mut value);
    let groups = 1 + random.below(2);
    let mut left = MAX_CODE_DIGITS;
    for _ in 0..groups {
        let most = left.min(MAX_CODE_GROUP_DIGITS);
        if most == 0 {
            break;
        }
        let length = 1 + random.below(most as u64);
        left -= length;
        value.push('-');
        random.digits(length, &mut value);
    }
    if random.below(3) == 0 {
        value.push('-');
        let suffix = 1 + random.below(MAX_CODE_LETTERS as u64);
        letters(random, suffix, &mut value);
    }
    value
}

/// Returns whether the shortcut may leave `value` to the scan although it
/// was generated in one of its shapes: its first digits start with `00`.
fn starts_with_double_zero(value: &str) -> bool {
    let digits = value.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '-');
    digits.starts_with("00")
}

/// Asserts that the full scan finds nothing in `value` under every context
/// in which the shortcut skips it, and returns whether it skips it.
fn assert_scan_finds_nothing(value: &str) -> bool {
    let mut matches: Vec<Match> = Vec::new();
    let mut recognised = false;
    for context in inert_contexts() {
        if !rules_out_patterns(value.as_bytes(), &context) {
            continue;
        }
        recognised = true;
        matches.clear();
        scan(value.as_bytes(), &context, &mut matches);
        assert!(
            matches.is_empty(),
            "{value:?} under {:?}: {matches:?}",
            context.roles
        );
    }
    recognised
}

/// Checks `GENERATED_VALUES` values of `generate` and asserts that the
/// shortcut recognised more than nine in ten of them, so that the check
/// covered it. Only values whose first digits are `00` may go unrecognised.
fn check_generated(seed: u64, generate: fn(&mut Random) -> String) {
    let mut random = Random(seed);
    let mut recognised = 0;
    for _ in 0..GENERATED_VALUES {
        let value = generate(&mut random);
        if assert_scan_finds_nothing(&value) {
            recognised += 1;
        } else {
            assert!(
                starts_with_double_zero(&value),
                "{value:?} is not recognised"
            );
        }
    }
    assert!(recognised * 10 > GENERATED_VALUES * 9, "{recognised}");
}

#[test]
fn generated_plain_numbers_hold_no_pattern() {
    check_generated(0x5DEE_CE66_D1CE_4E5B, plain_number);
}

#[test]
fn generated_timestamps_hold_no_pattern() {
    check_generated(0x2545_F491_4F6C_DD1D, timestamp);
}

#[test]
fn generated_codes_hold_no_pattern() {
    check_generated(0x9E37_79B9_7F4A_7C15, code);
}

#[test]
fn chosen_values_hold_no_pattern() {
    let values = [
        "0",
        "-0",
        "999999999",
        "049301234",
        "138123456",
        "19900131",
        "127.0",
        "12.345678",
        "-33.8688197",
        "1990-01-31",
        "2024-03-15T12:30:00Z",
        "2024-03-15 12:30:00",
        "2024-03-15T12:30:00.123456789+01:00",
        "0100-00-00T00:00:00-00:00",
        "SO-2024-040000",
        "SKU-12345-B",
        "INV-2024-00123",
        "DE-8937040044",
        "AB-123456-C",
        "E-1199",
        "Tel-1381234567",
        "dob-19900131",
        "ssn-536228726",
    ];
    for value in values {
        assert!(
            assert_scan_finds_nothing(value),
            "{value:?} is not recognised"
        );
    }
}

#[test]
fn other_values_are_scanned() {
    let context = Context::new(Roles::NONE, None);
    let values = [
        "",
        "1234567890",
        "13812345678",
        "4111111111111111",
        "005.177330042",
        "-0049-30-12",
        "0060-82-03 32:14:14Z",
        "12.",
        ".5",
        "--1",
        "1.2.3.4",
        "1,5",
        "12 Main Street",
        "2024-03-15T12:30",
        "2024-03-15T12:30:00+0100",
        "2024-03-15T12:30:00.",
        "2024-03-15T12:30:00.1234567890",
        "2024-03-15Z",
        "2024/03/15",
        "+1 415 555 0100",
        "SO-0049-301234",
        "SO-2024-0400-0001",
        "SKU-13812345678",
        "CARD-411111-1111111",
        "SO2024-04",
        "SO-",
        "SO-2024-B-1",
        "SO-2024-",
        "SO 2024",
        "ABCDEFGHI-1",
        "DE89370400440532013000",
    ];
    for value in values {
        assert!(
            !rules_out_patterns(value.as_bytes(), &context),
            "{value:?} is recognised"
        );
    }
}

#[test]
fn key_roles_disable_the_shortcut() {
    let roles = [
        Roles::PHONE,
        Roles::DATE_OF_BIRTH,
        Roles::BANK_ACCOUNT,
        Roles::SSN,
        Roles::NHS_NUMBER,
        Roles::DATE_OF_BIRTH | Roles::REFERENCE,
    ];
    for roles in roles {
        let context = Context::new(roles, None);
        assert!(
            !rules_out_patterns(b"1990-01-31", &context),
            "shortcut under {roles:?}"
        );
    }
    // The shortcut would be wrong here: under a birth-date key this value
    // is a finding.
    let mut matches = Vec::new();
    let context = Context::new(Roles::DATE_OF_BIRTH, None);
    scan(b"1990-01-31", &context, &mut matches);
    assert_eq!(matches.len(), 1);
}

/// Returns `value` with each digit replaced by a random one. Now and then
/// its first two digits become `00`, its first letter changes or a byte
/// becomes a separator. The result has the same length and often the
/// same shape.
fn variant(random: &mut Random, value: &str) -> String {
    let mut bytes: Vec<u8> = value
        .bytes()
        .map(|byte| {
            if byte.is_ascii_digit() {
                b'0' + random.below(10) as u8
            } else {
                byte
            }
        })
        .collect();
    let first_digit = bytes.iter().position(u8::is_ascii_digit);
    match (random.below(6), first_digit) {
        (0, Some(first)) if bytes.get(first + 1).is_some_and(u8::is_ascii_digit) => {
            bytes[first] = b'0';
            bytes[first + 1] = b'0';
        }
        (1, _) => {
            if let Some(letter) = bytes.iter_mut().find(|byte| byte.is_ascii_alphabetic()) {
                *letter = if *letter == b'Q' { b'R' } else { b'Q' };
            }
        }
        (2, _) if !bytes.is_empty() => {
            let at = random.below(bytes.len() as u64);
            bytes[at] = [b'-', b'.', b' ', b':', b'+', b'@'][random.below(6)];
        }
        _ => {}
    }
    String::from_utf8(bytes).unwrap()
}

/// A value with the shape of a ruled-out value is ruled out only when the
/// shape checks rule it out too, under every set of inert roles. A value
/// of the same shape without `00` in front is always recognised.
#[test]
fn templates_agree_with_checks() {
    let mut random = Random(0x6A09_E667_F3BC_C908);
    let generators: [fn(&mut Random) -> String; 3] = [plain_number, timestamp, code];
    let mut recognised = 0;
    for round in 0..GENERATED_VALUES {
        let value = generators[round % generators.len()](&mut random);
        let context = Context::new(Roles::NONE, None);
        if !rules_out_patterns(value.as_bytes(), &context) {
            continue;
        }
        let Some(template) = ShapeTemplate::of(value.as_bytes()) else {
            assert!(value.len() > TEMPLATE_BYTES, "{value:?}");
            continue;
        };
        assert!(template.rules_out(value.as_bytes()), "{value:?}");
        for _ in 0..4 {
            let other = variant(&mut random, &value);
            let by_template = template.rules_out(other.as_bytes());
            if by_template {
                recognised += 1;
            }
            for context in inert_contexts() {
                let by_checks = rules_out_patterns(other.as_bytes(), &context);
                assert!(!by_template || by_checks, "{other:?} after {value:?}");
            }
            let same_shape = other
                .bytes()
                .zip(value.bytes())
                .all(|(a, b)| a == b || (a.is_ascii_digit() && b.is_ascii_digit()));
            if same_shape && !starts_with_double_zero(&other) {
                assert!(by_template, "{other:?} after {value:?}");
            }
        }
    }
    assert!(recognised > GENERATED_VALUES, "{recognised}");
}

#[test]
fn templates_separate_lengths_and_shapes() {
    let template = ShapeTemplate::of(b"SO-2024-040000").unwrap();
    assert!(template.rules_out(b"SO-1999-000001"));
    assert!(!template.rules_out(b"SO-0024-040000"));
    assert!(!template.rules_out(b"SO-2024-04000"));
    assert!(!template.rules_out(b"SO-2024-0400000"));
    assert!(!template.rules_out(b"SO-2024-04000A"));
    assert!(!template.rules_out(b"so-2024-040000"));
    let long = "1".repeat(TEMPLATE_BYTES + 1);
    assert_eq!(ShapeTemplate::of(long.as_bytes()), None);
    for length in 1..=TEMPLATE_BYTES {
        let digits = "7".repeat(length);
        let template = ShapeTemplate::of(digits.as_bytes()).unwrap();
        assert!(
            template.rules_out("3".repeat(length).as_bytes()),
            "{length}"
        );
        let mut changed = "3".repeat(length).into_bytes();
        for at in 0..length {
            changed[at] = b'x';
            assert!(!template.rules_out(&changed), "{length} {at}");
            changed[at] = b'3';
        }
    }
}

#[test]
fn memo_keeps_shapes_by_key_and_length() {
    let mut memo = ShapeMemo::default();
    // The first values only count towards the memo's allocation.
    for _ in 0..MEMO_AFTER {
        memo.remember(3, b"SO-2024-040000");
    }
    assert!(!memo.rules_out(3, b"SO-1999-000001"));
    memo.remember(3, b"SO-2024-040000");
    memo.remember(3, b"12.50");
    memo.remember(3, b"1234.50");
    assert!(memo.rules_out(3, b"SO-1999-000001"));
    assert!(memo.rules_out(3, b"99.99"));
    assert!(memo.rules_out(3, b"1000.01"));
    assert!(!memo.rules_out(3, b"SO-0049-301234"));
    assert!(!memo.rules_out(4, b"SO-1999-000001"));
    assert!(!memo.rules_out(3, b"SO-1999-00000"));
    // A key that maps to the same entries replaces the shape of its length.
    let other = 3 + (MEMO_SLOTS / MEMO_LENGTHS) as u32;
    memo.remember(other, b"AB-12");
    assert!(memo.rules_out(other, b"AB-99"));
    assert!(!memo.rules_out(other, b"CD-34"));
    assert!(!memo.rules_out(3, b"99.99"));
    assert!(memo.rules_out(3, b"1000.01"));
}

#[test]
fn leading_letters_agree_with_bytes() {
    // Every byte at every position of letter runs of 0 to 20 bytes, and
    // the bytes next to `A`, `Z`, `a` and `z` in particular.
    let reference = |text: &[u8]| {
        text.iter()
            .position(|byte| !byte.is_ascii_alphabetic())
            .unwrap_or(text.len())
    };
    for length in 0..=20 {
        let base: Vec<u8> = (0..length).map(|index| b"aZkQ"[index % 4]).collect();
        assert_eq!(leading_letters(&base), length);
        for position in 0..length {
            for byte in 0..=u8::MAX {
                let mut text = base.clone();
                text[position] = byte;
                assert_eq!(leading_letters(&text), reference(&text), "{text:?}");
            }
        }
    }
}
