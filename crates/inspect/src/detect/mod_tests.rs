use super::*;

fn categories_with(text: &str, roles: Roles) -> Vec<(Category, &str)> {
    let mut matches = Vec::new();
    find_all(text.as_bytes(), &Context::new(roles, None), &mut matches);
    matches
        .iter()
        .map(|found| (found.category, &text[found.start..found.end]))
        .collect()
}

fn categories(text: &str) -> Vec<(Category, &str)> {
    categories_with(text, Roles::NONE)
}

fn found(category: Category, start: usize, end: usize) -> Match {
    Match {
        category,
        start,
        end,
        minor: false,
    }
}

#[test]
fn every_pattern_category_is_found_in_one_text() {
    let text = "mail jane@example.com, tel +49 30 1234567, id 11010519491231002X, \
                card 4111 1111 1111 1111, iban DE89 3704 0044 0532 0130 00 BIC, \
                ssn 536-22-8726, nino AB123456C, ip 203.0.113.7, \
                at 31.230416, 121.473701, home 10 Downing Street";
    assert_eq!(
        categories(text),
        [
            (Category::Email, "jane@example.com"),
            (Category::Phone, "+49 30 1234567"),
            (Category::CnResidentId, "11010519491231002X"),
            (Category::PaymentCard, "4111 1111 1111 1111"),
            (Category::Iban, "DE89 3704 0044 0532 0130 00"),
            (Category::UsSsn, "536-22-8726"),
            (Category::UkNino, "AB123456C"),
            (Category::IpAddress, "203.0.113.7"),
            (Category::PreciseLocation, "31.230416, 121.473701"),
            (Category::PostalAddress, "10 Downing Street"),
        ]
    );
}

#[test]
fn context_categories_are_found_under_their_labels() {
    let text = "DOB: 1990-01-31; passport: E12345678; account: 0532013000; \
                NHS: 943 476 5919; diagnosis: E11.9";
    assert_eq!(
        categories(text),
        [
            (Category::DateOfBirth, "1990-01-31"),
            (Category::Passport, "E12345678"),
            (Category::BankAccount, "0532013000"),
            (Category::Health, "943 476 5919"),
            (Category::Health, "E11.9"),
        ]
    );
}

#[test]
fn email_claims_digits_of_local_part() {
    assert_eq!(
        categories("13812345678@163.com"),
        [(Category::Email, "13812345678@163.com")]
    );
}

#[test]
fn id_number_claims_the_phone_inside_it() {
    // 138… is a valid mobile prefix inside the ID's digits only when the
    // scan starts there, which the ID prevents.
    assert_eq!(
        categories_with("11010519491231002X", Roles::PHONE),
        [(Category::CnResidentId, "11010519491231002X")]
    );
}

#[test]
fn iban_claims_digits_that_the_phone_detector_matches() {
    let text = "DE89 3704 0044 0532 0130 00";
    assert_eq!(
        find_category(
            text.as_bytes(),
            &Context::new(Roles::PHONE, None),
            Category::Phone
        )
        .len(),
        0
    );
    assert_eq!(
        categories_with(text, Roles::PHONE | Roles::BANK_ACCOUNT),
        [(Category::Iban, text)]
    );
}

#[test]
fn account_key_turns_a_card_into_an_account() {
    assert_eq!(
        categories("4111111111111111"),
        [(Category::PaymentCard, "4111111111111111")]
    );
    assert_eq!(
        categories_with("4111111111111111", Roles::BANK_ACCOUNT),
        [(Category::BankAccount, "4111111111111111")]
    );
}

#[test]
fn stronger_match_replaces_an_overlapping_weaker_one() {
    let mut matches = vec![
        found(Category::Phone, 0, 20),
        found(Category::PaymentCard, 2, 18),
    ];
    resolve_overlaps(&mut matches);
    assert_eq!(matches, [found(Category::PaymentCard, 2, 18)]);
}

#[test]
fn ranks_are_distinct() {
    let mut ranks: Vec<u8> = Category::ALL
        .iter()
        .map(|category| rank(*category))
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    assert_eq!(ranks.len(), Category::ALL.len());
}

#[test]
fn identifiers_exclude_descriptive_categories() {
    let mut out = Vec::new();
    for category in Category::ALL {
        out.clear();
        let expected = !matches!(
            category,
            Category::PersonName
                | Category::PostalAddress
                | Category::DateOfBirth
                | Category::IpAddress
                | Category::Health
                | Category::Biometric
                | Category::PreciseLocation
        );
        assert_eq!(identifier(category, b"x", &mut out), expected, "{category}");
    }
}

#[test]
fn whole_address_shortcut_matches_the_scan() {
    let values = [
        "jane@example.com",
        "anna.123456789@example.com",
        "+4930123456@example.de",
        "11010519491231002X@example.cn",
        "4111111111111111@cards.example",
        "DE89370400440532013000@bank.example",
        "536-22-8726@example.com",
        "jane@example.com.",
        ".jane@example.com",
        "jane@example.com x",
        "jane@@example.com",
        "a@b.co@example.com",
        "logo@2x.png",
        "jane@localhost",
        "丁桂英@foxmail.com",
    ];
    assert_shortcut_matches_the_scan(&values);
}

#[test]
fn whole_email_matches_scan_everywhere() {
    // Addresses of 14 to 66 bytes, around the lengths read sixteen bytes
    // per step, with each byte replaced by bytes that end or change an
    // address, in turn.
    let edge_bytes = [
        b'a', b'Z', b'7', b'.', b'-', b'_', b'+', b'@', b' ', b'`', b'{', b':', 0x00, 0x7F, 0x80,
        0xC3,
    ];
    let roles = [Roles::NONE, Roles::PHONE];
    for length in 14..=66usize {
        let domain = "mail-1.example.com";
        let local = "4111111111111111".repeat(5);
        let local = &local[..length.saturating_sub(domain.len() + 1).max(1)];
        let address = format!("{local}@{domain}");
        for position in 0..address.len() {
            for byte in edge_bytes {
                let mut changed = address.clone().into_bytes();
                changed[position] = byte;
                let Ok(value) = String::from_utf8(changed) else {
                    continue;
                };
                for roles in roles {
                    assert_find_all_matches_the_scan(&value, &Context::new(roles, None));
                }
            }
        }
    }
}

#[test]
fn whole_iban_shortcut_matches_the_scan() {
    let values = [
        "DE89370400440532013000",
        "DE89 3704 0044 0532 0130 00",
        "DE89-3704-0044-0532-0130-00",
        "DE89.3704.0044.0532.0130.00",
        "de89370400440532013000",
        "GB82WEST12345698765432",
        "GB82 WEST 1234 5698 7654 32",
        "FR1420041010050500013M02606",
        // The BBAN contains a Chinese ID number, a card number, a phone.
        "DE84110105194912310020",
        "DE95411111111111111100",
        "DE34138123456780000000",
        // Not a whole IBAN.
        "DE88370400440532013000",
        "DE89370400440532013000 x",
        "DE893704004405320130001",
        "DE89 3704-0044 0532 0130 00",
        "DE89",
        "DE8",
        "AB12 34 56 C",
        "E11.9",
        "X1234567",
        "GB82WEST12345698765432@bank.example",
    ];
    assert_shortcut_matches_the_scan(&values);
}

#[test]
fn whole_date_of_birth_shortcut_matches_the_scan() {
    // Every day from 1890 to 2031, impossible months and days, and years
    // from 0000 to 9999 (a `00` year reads as a phone prefix). Each date
    // is tried with and without today's date for the minor flag, under
    // the date-of-birth key alone and with a second role.
    let mut values = Vec::new();
    for year in (1890..=2031).chain([0, 1, 12, 99, 999, 9999]) {
        for month in 0..=13 {
            for day in [0, 1, 9, 13, 28, 29, 30, 31, 32, 99] {
                values.push(format!("{year:04}-{month:02}-{day:02}"));
            }
        }
    }

    let todays = [None, chrono::NaiveDate::from_ymd_opt(2026, 12, 1)];
    let roles = [
        Roles::DATE_OF_BIRTH,
        Roles::DATE_OF_BIRTH | Roles::PHONE,
        Roles::DATE_OF_BIRTH | Roles::BANK_ACCOUNT,
    ];

    let (mut shortcuts, mut minors) = (0, 0);
    for value in &values {
        for today in todays {
            for roles in roles {
                let context = Context::new(roles, today);
                assert_find_all_matches_the_scan(value, &context);
                if let Some(found) = whole_date_of_birth(value.as_bytes(), &context) {
                    shortcuts += 1;
                    minors += usize::from(found.minor);
                }
            }
        }
    }

    // The shortcut took most of the plausible birth dates, and minors
    // among them.
    assert!(shortcuts > 15_000, "{shortcuts}");
    assert!(minors > 1_000, "{minors}");
}

#[test]
fn whole_phone_shortcut_matches_the_scan() {
    // Numbers after `+` in one to five groups of one to seven digits, from
    // a fixed-seed generator, after country codes of one to three digits.
    // Some groups are shaped like card (4-4-4-1), social security (3-2-4),
    // health (3-3-4) and ID numbers, and some numbers pass the digit limit.
    // Each number is also tried with two spaces, a trailing space, dashes
    // and a letter.
    let mut values = Vec::new();
    let mut random = crate::test_random::Xorshift::new(0x9E37_79B9_7F4A_7C15u64);
    let mut next = |bound: u64| random.below(bound);
    let codes = ["1", "7", "33", "44", "49", "86", "91", "353", "880", "999"];
    let shapes: [&[usize]; 13] = [
        &[4, 4, 4, 1],
        &[4, 4, 5],
        &[4, 4, 4],
        &[3, 2, 4],
        &[3, 3, 4],
        &[2, 4, 4],
        &[7],
        &[4, 4, 3],
        &[1, 1, 1, 1, 1],
        &[6, 4],
        &[10],
        &[4, 4, 4, 2],
        &[2, 2, 2, 2, 2],
    ];

    for code in codes {
        for shape in shapes {
            for _ in 0..60 {
                let mut number = format!("+{code}");
                for &length in shape {
                    number.push(' ');
                    for _ in 0..length {
                        number.push(char::from(b'0' + next(10) as u8));
                    }
                }
                values.push(number.replace(' ', "  "));
                values.push(format!("{number} "));
                values.push(number.replace(' ', "-"));
                values.push(format!("{number}x"));
                values.push(number);
            }
        }
    }

    let roles = [
        Roles::PHONE,
        Roles::NONE,
        Roles::PHONE | Roles::PASSPORT,
        Roles::PHONE | Roles::SSN,
    ];

    let mut shortcuts = 0;
    for value in &values {
        for roles in roles {
            let context = Context::new(roles, None);
            assert_find_all_matches_the_scan(value, &context);
            shortcuts += usize::from(whole_phone(value.as_bytes(), &context).is_some());
        }
    }
    assert!(shortcuts > 1_000, "{shortcuts}");
}

#[test]
fn whole_cn_mobile_shortcut_matches_the_scan() {
    // Runs of ten to twelve digits after every two-digit start, some with
    // a leading `0086` or a letter, from a fixed-seed generator.
    let mut random = crate::test_random::Xorshift::new(0x2545_F491_4F6C_DD1Du64);
    let mut next = |bound: u64| random.below(bound);
    let mut values = Vec::new();
    for head in 0..100 {
        for length in [10, 11, 12] {
            for _ in 0..20 {
                let mut number = format!("{head:02}");
                while number.len() < length {
                    number.push(char::from(b'0' + next(10) as u8));
                }
                values.push(format!("0086{number}"));
                values.push(format!("{number}x"));
                values.push(number);
            }
        }
    }

    let roles = [
        Roles::PHONE,
        Roles::NONE,
        Roles::PHONE | Roles::BANK_ACCOUNT,
        Roles::PHONE | Roles::DATE_OF_BIRTH,
        Roles::PHONE | Roles::PASSPORT,
    ];

    let mut shortcuts = 0;
    for value in &values {
        for roles in roles {
            let context = Context::new(roles, None);
            assert_find_all_matches_the_scan(value, &context);
            shortcuts += usize::from(whole_cn_mobile(value.as_bytes(), &context).is_some());
        }
    }
    assert!(shortcuts > 100, "{shortcuts}");
}

#[test]
fn spaced_digits_are_told_apart() {
    for (text, expected) in [
        ("44 20 7946 8712", Some("442079468712")),
        ("1", Some("1")),
        ("123456789012", Some("123456789012")),
        ("1234567890123", None),
        ("", None),
        (" 44", None),
        ("44 ", None),
        ("44  20", None),
        ("44-20", None),
        ("44 2O", None),
    ] {
        let mut digits = [0u8; SPACED_DIGITS_BUFFER];
        let found = spaced_digits(text.as_bytes(), &mut digits)
            .map(|count| String::from_utf8(digits[..count].to_vec()).unwrap());
        assert_eq!(found.as_deref(), expected, "{text:?}");
    }
}

#[test]
fn spaced_digits_agree_with_bytewise_reading() {
    // Groups of one to seven digits in texts of 1 to 24 bytes from a
    // fixed-seed generator, then every edge byte at every position.
    let read = |text: &[u8], bytewise: bool| {
        let mut digits = [0u8; SPACED_DIGITS_BUFFER];
        let count = match bytewise {
            true => spaced_digits_bytewise(text, &mut digits),
            false => spaced_digits(text, &mut digits),
        };
        count.map(|count| digits[..count].to_vec())
    };
    let mut random = crate::test_random::Xorshift::new(0x9E37_79B9_7F4A_7C15u64);
    let mut next = |bound: u64| random.below(bound);
    let mut texts = Vec::new();
    for _ in 0..20_000 {
        let mut text = Vec::new();
        for group in 0..1 + next(6) {
            if group > 0 {
                text.push(b' ');
            }
            for _ in 0..1 + next(7) {
                text.push(b'0' + next(10) as u8);
            }
        }
        texts.push(text);
    }
    for length in 1..=24 {
        let base: Vec<u8> = (0..length)
            .map(|index| if index % 3 == 2 { b' ' } else { b'5' })
            .collect();
        for position in 0..length {
            for byte in [
                b' ', b'0', b'9', b'/', b':', b'-', b'+', 0x00, 0x80, 0xA0, 0xB0,
            ] {
                let mut text = base.clone();
                text[position] = byte;
                texts.push(text);
            }
        }
    }
    let mut found = 0;
    for text in &texts {
        let expected = read(text, true);
        assert_eq!(read(text, false), expected, "{text:?}");
        found += usize::from(expected.is_some());
    }
    assert!(found > 5_000, "{found}");
}

/// Asserts that [`find_all`], with its shortcuts for whole values, gives
/// the matches of the full scan for each of `values` under several keys.
fn assert_shortcut_matches_the_scan(values: &[&str]) {
    let roles = [
        Roles::NONE,
        Roles::PHONE,
        Roles::BANK_ACCOUNT,
        Roles::DATE_OF_BIRTH,
        Roles::PASSPORT,
        Roles::HEALTH,
    ];
    for value in values {
        for roles in roles {
            assert_find_all_matches_the_scan(value, &Context::new(roles, None));
        }
    }
}

/// Asserts that [`find_all`] gives the matches of the full scan for
/// `value` under `context`.
fn assert_find_all_matches_the_scan(value: &str, context: &Context) {
    let mut expected = Vec::new();
    scan::scan(value.as_bytes(), context, &mut expected);
    if context
        .roles
        .intersects(Roles::PHONE.union(Roles::RECIPIENT))
    {
        drop_cards_in_phone_numbers(&mut expected);
    }
    resolve_overlaps(&mut expected);
    add_numbers_in_local_parts(value.as_bytes(), context, &mut expected);
    let mut actual = Vec::new();
    find_all(value.as_bytes(), context, &mut actual);
    assert_eq!(actual, expected, "{value} {context:?}");
}

#[test]
fn only_at_sign_found_at_every_offset() {
    for length in 1..=70 {
        for at in 0..length {
            let mut text = vec![b'a'; length];
            text[at] = b'@';
            assert_eq!(only_at_sign(&text), Some(at), "{length} {at}");
            for second in 0..length {
                if second != at {
                    let mut twice = text.clone();
                    twice[second] = b'@';
                    assert_eq!(only_at_sign(&twice), None, "{length} {at} {second}");
                }
            }
        }
        assert_eq!(only_at_sign(&vec![b'a'; length]), None);
    }
}
