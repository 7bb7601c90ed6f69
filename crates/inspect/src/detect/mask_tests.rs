use super::*;

fn today() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 6, 15)
}

/// One value per category, with its expected mask on 2025-06-15.
const EXAMPLES: [(Category, &str, &str); 22] = [
    (Category::Email, "jane.doe@example.com", "j***@e***.com"),
    (Category::Email, "даниил@example.com", "д***@e***.com"),
    (Category::Phone, "+49 30 12345678", "+*******5678"),
    (Category::Phone, "13812345678", "+*******5678"),
    (Category::PersonName, "Jane Doe", "J*** D***"),
    (Category::PersonName, "于", "***"),
    (
        Category::PostalAddress,
        "Hauptstraße 5, 10115 Berlin",
        "[address: 4 words]",
    ),
    (Category::DateOfBirth, "1990-01-31", "age 35-39"),
    (Category::DateOfBirth, "2015-03-01", "age 10-14 (minor)"),
    (Category::IpAddress, "203.0.113.7", "203.*.*.*"),
    (Category::IpAddress, "2001:db8::1", "2001:*:*:*"),
    (
        Category::CnResidentId,
        "11010519491231002x",
        "110105***********X",
    ),
    (Category::UsSsn, "536-22-8726", "***-**-8726"),
    (Category::UkNino, "AB 12 34 56 C", "AB******C"),
    (Category::Passport, "E12345678", "E********"),
    (
        Category::PaymentCard,
        "4111 1111 1111 1111",
        "************1111",
    ),
    (
        Category::Iban,
        "DE89 3704 0044 0532 0130 00",
        "DE****************3000",
    ),
    (Category::BankAccount, "0532013000", "********3000"),
    (Category::Health, "Type 2 diabetes", "[health]"),
    (
        Category::Biometric,
        "AAECAwQFBgc=",
        "[biometric data, 12 bytes]",
    ),
    (
        Category::PreciseLocation,
        "31.230416, 121.473701",
        "31.2, 121.5",
    ),
    (Category::Iban, "NO9386011117947", "NO****************7947"),
];

#[test]
fn each_category_has_its_documented_mask() {
    for (category, value, expected) in EXAMPLES {
        assert_eq!(
            mask_value(category, value.as_bytes(), today()),
            expected,
            "{value}"
        );
    }
}

#[test]
fn every_category_has_an_example() {
    for category in Category::ALL {
        assert!(
            EXAMPLES.iter().any(|(example, _, _)| *example == category),
            "{category}"
        );
    }
}

#[test]
fn masks_never_contain_the_raw_value() {
    let short_values = [
        (Category::Email, "a@b.co"),
        (Category::Phone, "+1234567"),
        (Category::PaymentCard, "4222222222222"),
        (Category::BankAccount, "123456"),
        (Category::PersonName, "Jo"),
        (Category::PersonName, "张三"),
        (Category::Passport, "123456"),
        (Category::IpAddress, "1.2.3.4"),
        (Category::PreciseLocation, "10.0000, 20.0000"),
        (Category::DateOfBirth, "19900131"),
    ];
    let all = EXAMPLES
        .iter()
        .map(|(category, value, _)| (*category, *value))
        .chain(short_values);
    for (category, value) in all {
        for day in [today(), None] {
            let mask = mask_value(category, value.as_bytes(), day);
            assert!(!mask.contains(value), "{value} -> {mask}");
        }
    }
}

#[test]
fn date_of_birth_without_today_has_no_age() {
    assert_eq!(
        mask_value(Category::DateOfBirth, b"1990-01-31", None),
        "date of birth"
    );
}

#[test]
fn mask_length_does_not_depend_on_value_length() {
    let short = mask_value(Category::PaymentCard, b"4222222222222", None);
    let long = mask_value(Category::PaymentCard, b"4111111111111111110", None);
    assert_eq!(short.len(), long.len());
}

#[test]
fn mask_text_replaces_every_value() {
    let text = "/users/jane@example.com/cards/4111111111111111";
    assert_eq!(
        mask_text(text),
        "/users/j***@e***.com/cards/************1111"
    );
}

#[test]
fn mask_text_masks_percent_encoded_values() {
    assert_eq!(
        mask_text("/users/jane%40example.com/orders"),
        "/users/j***@e***.com/orders"
    );
}

#[test]
fn mask_text_borrows_clean_text() {
    assert!(matches!(
        mask_text("/orders/12345?page=2"),
        Cow::Borrowed(_)
    ));
    assert!(matches!(mask_text("/100%/done"), Cow::Borrowed(_)));
}

#[test]
fn mask_text_hides_host_error_address() {
    let masked = mask_text("invalid Host \"frank.secret@example.com\"");
    assert!(!masked.contains("frank.secret@example.com"), "{masked}");
}

#[test]
fn mask_text_hides_a_percent_encoded_query_value() {
    let masked = mask_text("/lookup?email=carol%40example.com");
    assert!(!masked.contains("carol"), "{masked}");
}

#[test]
fn mask_text_masks_every_iban_form() {
    for iban in [
        "DE89370400440532013000",
        "de89370400440532013000",
        "de89 3704 0044 0532 0130 00",
        "DE89-3704-0044-0532-0130-00",
        "DE89.3704.0044.0532.0130.00",
        "De89370400440532013000",
    ] {
        let text = format!("/accounts/{iban}/statements");
        assert_eq!(
            mask_text(&text),
            "/accounts/DE****************3000/statements",
            "{iban}"
        );
    }
}

#[test]
fn mask_text_masks_what_a_phone_key_allows() {
    let masked = mask_text("/lookup?phone=004930123456789");
    assert!(!masked.contains("004930123456789"), "{masked}");
    let masked = mask_text("/lookup?phone=4152568563");
    assert!(!masked.contains("4152568563"), "{masked}");
}

#[test]
fn mask_text_masks_values_that_decoding_would_hide() {
    let masked = mask_text("/call/+4915112345678%41");
    assert!(!masked.contains("4915112345678"), "{masked}");
}

#[test]
fn mask_text_masks_raw_and_encoded_values_together() {
    assert_eq!(
        mask_text("jane@example.com/john%40example.org/+49 30 1234567"),
        "j***@e***.com/j***@e***.org/+*******4567"
    );
}

#[test]
fn mask_text_sees_through_unicode_evasions() {
    for (text, secret) in [
        ("/id/１１０１０５１９４９１２３１００２Ｘ", "１１０１０５"),
        ("/u/jane＠example．com", "jane"),
        ("/id/110105\u{200b}19491231002X", "19491231002X"),
    ] {
        let masked = mask_text(text);
        assert!(!masked.contains(secret), "{text} -> {masked}");
    }
}
