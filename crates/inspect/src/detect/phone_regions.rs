//! Numbering rules of the regions whose phone numbers are validated beyond
//! the general E.164 length: China, the US and Canada (NANP), the UK,
//! Germany, France, Japan, India, Brazil, Spain and Poland.
//!
//! The rules check lengths and leading digits as the regions' numbering
//! plans set them, not whether a number is allocated, so they accept some
//! unallocated numbers. They are written by hand instead of taken from
//! libphonenumber's metadata, because they run on candidate digit runs of
//! every request and must cost a few comparisons.

/// The assigned country codes of three digits, by their first two digits.
/// Codes of one digit (1, 7) and two digits are listed in
/// [`TWO_DIGIT_CODES`].
const THREE_DIGIT_CODES: &[u16] = &[
    211, 212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233,
    234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252,
    253, 254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297,
    298, 299, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376,
    377, 378, 380, 381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505,
    506, 507, 508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675,
    676, 677, 678, 679, 680, 681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 800, 808, 850,
    852, 853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888, 960, 961, 962, 963, 964, 965, 966,
    967, 968, 970, 971, 972, 973, 974, 975, 976, 977, 979, 992, 993, 994, 995, 996, 998,
];

/// The assigned country codes of two digits.
const TWO_DIGIT_CODES: &[u16] = &[
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// The length of the assigned country code that each number of up to three
/// digits is, or 0. [`country_code_length`] reads it with one lookup per
/// candidate length instead of a search of the lists.
const CODE_LENGTHS: [u8; 1000] = {
    let mut lengths = [0u8; 1000];
    lengths[1] = 1;
    lengths[7] = 1;
    let mut index = 0;
    while index < TWO_DIGIT_CODES.len() {
        lengths[TWO_DIGIT_CODES[index] as usize] = 2;
        index += 1;
    }
    let mut index = 0;
    while index < THREE_DIGIT_CODES.len() {
        lengths[THREE_DIGIT_CODES[index] as usize] = 3;
        index += 1;
    }
    lengths
};

/// Returns the length of the assigned country code that starts `digits`.
pub(crate) fn country_code_length(digits: &[u8]) -> Option<usize> {
    let mut value = 0;
    for (length, &digit) in digits.iter().take(3).enumerate() {
        value = value * 10 + usize::from(digit - b'0');
        if usize::from(CODE_LENGTHS[value]) == length + 1 {
            return Some(length + 1);
        }
    }
    None
}

/// Returns whether `digits` (country code first, no prefix) is a valid
/// international number.
pub(crate) fn valid_international(digits: &[u8]) -> bool {
    let total = (super::phone::MIN_INTERNATIONAL_DIGITS..=super::phone::MAX_INTERNATIONAL_DIGITS)
        .contains(&digits.len());
    let Some(code_length) = country_code_length(digits) else {
        return false;
    };
    if !total {
        return false;
    }
    let (code, national) = digits.split_at(code_length);
    // People often keep the trunk zero after the country code (`+49 030 …`);
    // the lengths below are without it.
    let significant = national.strip_prefix(b"0").unwrap_or(national);
    let length = significant.len();
    match code {
        b"1" => is_nanp(national),
        b"86" => is_cn_mobile(national) || is_cn_landline_significant(significant),
        b"44" => (9..=10).contains(&length),
        b"49" => (5..=13).contains(&length),
        b"33" => length == 9,
        b"81" => (9..=10).contains(&length),
        b"91" => length == 10,
        b"55" => (10..=11).contains(&length),
        b"34" => is_es_national(national),
        b"48" => is_pl_national(national),
        _ => true,
    }
}

/// The country codes whose national numbers [`valid_international`]
/// checks against a numbering plan beyond the E.164 length.
const PLANNED_CODES: [&[u8]; 10] = [
    b"1", b"86", b"44", b"49", b"33", b"81", b"91", b"55", b"34", b"48",
];

/// Returns whether `digits` is an international number written without
/// its `+` or `00` prefix (`4917612345678`, as SMS gateways and the
/// WhatsApp Cloud API send it), for a value under phone context.
///
/// Only the regions of [`PLANNED_CODES`] count, and the national number
/// may not keep its trunk zero. Any other digit run of 7 to 15 digits
/// starts with some country code, so the plan of the region is the only
/// evidence that the digits are a phone number.
pub(crate) fn valid_international_without_prefix(digits: &[u8]) -> bool {
    let Some(code_length) = country_code_length(digits) else {
        return false;
    };
    let (code, national) = digits.split_at(code_length);
    PLANNED_CODES.contains(&code)
        && national.first().is_some_and(|&digit| digit != b'0')
        && valid_international(digits)
}

/// Returns whether `digits` is a national number of one of the validated
/// regions, as written inside that region (with its trunk prefix).
pub(crate) fn valid_national(digits: &[u8]) -> bool {
    NATIONAL_RULES.iter().any(|(_, rule)| rule(digits))
}

/// A check of the national digits of one region.
type NationalRule = fn(&[u8]) -> bool;

/// The national formats accepted under phone context, by region.
pub(crate) const NATIONAL_RULES: [(&str, NationalRule); 8] = [
    ("CN", |digits| {
        is_cn_mobile(digits) || is_cn_landline(digits)
    }),
    ("US", |digits| {
        is_nanp(digits) || (digits.len() == 11 && digits[0] == b'1' && is_nanp(&digits[1..]))
    }),
    ("GB", |digits| {
        trunk_number(digits, 10..=11) && matches!(digits[1], b'1'..=b'3' | b'5' | b'7'..=b'9')
    }),
    ("DE", |digits| trunk_number(digits, 6..=14)),
    ("FR", |digits| trunk_number(digits, 10..=10)),
    ("JP", |digits| trunk_number(digits, 10..=11)),
    ("IN", |digits| {
        (digits.len() == 10 && matches!(digits[0], b'6'..=b'9')) || trunk_number(digits, 11..=11)
    }),
    ("BR", |digits| {
        let digits = digits.strip_prefix(b"0").unwrap_or(digits);
        let area = digits.len() >= 2 && digits[0] != b'0' && digits[1] != b'0';
        match digits.len() {
            10 => area && matches!(digits[2], b'2'..=b'5'),
            11 => area && digits[2] == b'9',
            _ => false,
        }
    }),
];

/// Returns whether `digits` is a national number of a region whose numbers
/// have nine digits and no trunk prefix: Spain and Poland.
///
/// Most nine-digit identifiers have that shape too, so unlike
/// [`valid_national`] these count only under a phone key or after a phone
/// label, never for the phone context that masking gives all free text.
pub(crate) fn valid_nine_digit_national(digits: &[u8]) -> bool {
    is_es_national(digits) || is_pl_national(digits)
}

/// Returns whether `digits` is a Spanish number: nine digits without a
/// trunk prefix, a mobile number starting with 6 or 71-74, or a
/// geographic number starting with 81-88 or 91-98. Numbers starting with
/// 80 or 90 are toll-free and premium-rate services.
fn is_es_national(digits: &[u8]) -> bool {
    if digits.len() != 9 {
        return false;
    }
    match digits[0] {
        b'6' => true,
        b'7' => (b'1'..=b'4').contains(&digits[1]),
        b'8' | b'9' => (b'1'..=b'8').contains(&digits[1]),
        _ => false,
    }
}

/// The first two digits of Polish geographic numbers (two-digit area
/// codes) and mobile numbers, as the national numbering plan assigns them.
const PL_PREFIXES: &[u8] = &[
    12, 13, 14, 15, 16, 17, 18, 22, 23, 24, 25, 29, 32, 33, 34, 41, 42, 43, 44, 45, 46, 48, 50, 51,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 65, 66, 67, 68, 69, 71, 72, 73, 74, 75, 76, 77,
    78, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 94, 95,
];

/// Returns whether `digits` is a Polish number: nine digits without a
/// trunk prefix whose first two are an area code or a mobile prefix.
fn is_pl_national(digits: &[u8]) -> bool {
    digits.len() == 9 && PL_PREFIXES.contains(&((digits[0] - b'0') * 10 + (digits[1] - b'0')))
}

/// Returns whether `digits` is a trunk prefix `0`, a non-zero digit, and a
/// total length in `lengths`.
fn trunk_number(digits: &[u8], lengths: std::ops::RangeInclusive<usize>) -> bool {
    lengths.contains(&digits.len()) && digits[0] == b'0' && digits[1] != b'0'
}

/// Returns whether `digits` is a ten-digit NANP number: area code and
/// exchange code both start with 2-9.
pub(crate) fn is_nanp(digits: &[u8]) -> bool {
    digits.len() == 10
        && matches!(digits[0], b'2'..=b'9')
        && matches!(digits[3], b'2'..=b'9')
        && digits[1..3] != *b"11"
}

fn is_cn_mobile(digits: &[u8]) -> bool {
    digits.len() == 11 && is_cn_mobile_prefix(digits)
}

/// Returns whether `digits` is a Chinese landline number with its trunk
/// zero: area code `10`, `2x` (two digits) or `3xx`-`9xx` (three digits)
/// and a subscriber number of 7 or 8 digits.
fn is_cn_landline(digits: &[u8]) -> bool {
    if digits.len() < 10 || digits[0] != b'0' {
        return false;
    }
    let area_digits = match digits[1] {
        b'1' if digits[2] == b'0' => 2,
        b'2' => 2,
        b'3'..=b'9' => 3,
        _ => return false,
    };
    (7..=8).contains(&(digits.len() - 1 - area_digits))
}

/// Returns whether a national significant number (without the trunk zero)
/// is a Chinese landline number.
fn is_cn_landline_significant(digits: &[u8]) -> bool {
    let mut with_trunk = [b'0'; 12];
    if digits.len() >= with_trunk.len() {
        return false;
    }
    with_trunk[1..=digits.len()].copy_from_slice(digits);
    is_cn_landline(&with_trunk[..=digits.len()])
}

/// Returns whether the first three digits are an allocated Chinese mobile
/// prefix: 13x, 145-149, 15x, 162, 165-167, 17x, 18x and 19x.
pub(crate) fn is_cn_mobile_prefix(digits: &[u8]) -> bool {
    match digits {
        [b'1', b'3' | b'5' | b'7' | b'8' | b'9', _, ..] => true,
        [b'1', b'4', third, ..] => (b'5'..=b'9').contains(third),
        [b'1', b'6', third, ..] => matches!(third, b'2' | b'5' | b'6' | b'7'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(region: &str) -> NationalRule {
        NATIONAL_RULES
            .iter()
            .find(|(name, _)| *name == region)
            .unwrap()
            .1
    }

    #[test]
    fn national_examples_pass_their_region() {
        let cases = [
            ("CN", "13812345678"),
            ("CN", "01012345678"),
            ("CN", "075512345678"),
            ("CN", "02112345678"),
            ("US", "4152568563"),
            ("US", "14152568563"),
            ("GB", "02079460018"),
            ("GB", "07700900123"),
            ("DE", "03012345678"),
            ("DE", "015112345678"),
            ("FR", "0123456789"),
            ("JP", "0312345678"),
            ("JP", "09012345678"),
            ("IN", "9876543210"),
            ("IN", "09876543210"),
            ("BR", "11912345678"),
            ("BR", "1132345678"),
        ];
        for (region, digits) in cases {
            assert!(rule(region)(digits.as_bytes()), "{region} {digits}");
        }
    }

    #[test]
    fn nine_digit_plans_check_leading_digits() {
        let cases = [
            ("612345678", true),
            ("712345678", true),
            ("912345678", true),
            ("512345678", true),
            ("221234567", true),
            ("902345678", false),
            ("802345678", false),
            ("212345678", false),
            ("112345678", false),
            ("61234567", false),
            ("6123456789", false),
        ];
        for (digits, expected) in cases {
            assert_eq!(
                valid_nine_digit_national(digits.as_bytes()),
                expected,
                "{digits}"
            );
        }
    }

    #[test]
    fn national_rules_reject_other_shapes() {
        for digits in [
            "0123456789012345",
            "00491234567",
            "5551234",
            "23434234",
            "1588723200000",
            "4111111111",
        ] {
            assert!(!valid_national(digits.as_bytes()), "{digits}");
        }
    }

    #[test]
    fn numbers_without_prefix_need_a_checked_plan() {
        let cases = [
            ("4917612345678", true),
            ("34612345678", true),
            ("447700900123", true),
            ("14155550100", true),
            ("49017612345678", false),
            ("35312345678", false),
            ("4912", false),
            ("2812345678", false),
        ];
        for (digits, expected) in cases {
            assert_eq!(
                valid_international_without_prefix(digits.as_bytes()),
                expected,
                "{digits}"
            );
        }
    }

    #[test]
    fn country_codes_are_recognised() {
        let cases = [
            ("14155550100", Some(1)),
            ("74951234567", Some(1)),
            ("4930123456", Some(2)),
            ("8613812345678", Some(2)),
            ("35312345678", Some(3)),
            ("85212345678", Some(3)),
            ("2812345678", None),
            ("0123", None),
        ];
        for (digits, expected) in cases {
            assert_eq!(country_code_length(digits.as_bytes()), expected, "{digits}");
        }
    }

    #[test]
    fn country_code_table_follows_the_lists() {
        // Every prefix of one to four digits, against a search of the lists.
        let listed = |digits: &[u8]| -> Option<usize> {
            let value = |length: usize| -> Option<u16> {
                let text = std::str::from_utf8(digits.get(..length)?).unwrap();
                Some(text.parse().unwrap())
            };
            match digits.first()? {
                b'1' | b'7' => Some(1),
                _ if TWO_DIGIT_CODES.contains(&value(2)?) => Some(2),
                _ if THREE_DIGIT_CODES.contains(&value(3)?) => Some(3),
                _ => None,
            }
        };
        for length in 1..=4 {
            for number in 0..10usize.pow(length) {
                let digits = format!("{number:0width$}", width = length as usize);
                let digits = digits.as_bytes();
                assert_eq!(country_code_length(digits), listed(digits), "{number}");
            }
        }
    }

    #[test]
    fn international_lengths_follow_the_region() {
        let cases = [
            ("16505550111", true),
            ("1650555011", false),
            ("16501550111", false),
            ("8613812345678", true),
            ("861012345678", true),
            ("442079460958", true),
            ("4420794609", false),
            ("49301234567", true),
            ("49020022", true),
            ("33123456789", true),
            ("3312345678", false),
            ("819012345678", true),
            ("919876543210", true),
            ("5511912345678", true),
            ("39555123", true),
            ("281234567", false),
            ("34612345678", true),
            ("34512345678", false),
            ("3461234567", false),
            ("48512345678", true),
            ("48212345678", false),
        ];
        for (digits, expected) in cases {
            assert_eq!(valid_international(digits.as_bytes()), expected, "{digits}");
        }
    }
}
