//! Detector behaviour seen through `Inspector`. One table lists values that
//! must be found under the key that gives them context, one per category at
//! least, and another lists look-alikes that must not. Further tests cover
//! key tokens, minors, overlaps, masks and Unicode evasions.

use chrono::NaiveDate;
use inspect::{Category, EvaluatedMatch, Inspector, Report, Request};

const JSON: &str = "application/json";
const TEXT: &str = "text/plain";

fn today() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 6, 15)
}

fn request<'a>(content_type: &'a str, body: &'a [u8]) -> Request<'a> {
    Request {
        path: "/",
        content_type: Some(content_type),
        body,
        today: today(),
        ..Request::default()
    }
}

/// Sends `{"<key>": "<value>"}` and returns what was found.
fn evaluate_field(key: &str, value: &str) -> Vec<EvaluatedMatch> {
    let body = serde_json::json!({ key: value }).to_string();
    Inspector::default()
        .evaluate(&request(JSON, body.as_bytes()))
        .unwrap()
}

fn inspect(content_type: &str, body: &str) -> Report {
    Inspector::default()
        .inspect(&request(content_type, body.as_bytes()))
        .unwrap()
}

fn categories(found: &[EvaluatedMatch]) -> Vec<Category> {
    found.iter().map(|found| found.category).collect()
}

/// Values found under their key, as (category, key, value, expected match).
const POSITIVES: &[(Category, &str, &str, &str)] = &[
    (
        Category::Email,
        "email",
        "jane.doe@example.com",
        "jane.doe@example.com",
    ),
    (Category::Phone, "phone", "+49 30 1234567", "+49 30 1234567"),
    (Category::Phone, "mobile", "13812345678", "13812345678"),
    (Category::Phone, "phone", "(415) 256-8563", "(415) 256-8563"),
    (Category::Phone, "phone", "1-415-555-2671", "1-415-555-2671"),
    (Category::Phone, "phone", "1.415.555.2671", "1.415.555.2671"),
    (
        Category::Phone,
        "phone",
        "1 (415) 555-2671",
        "1 (415) 555-2671",
    ),
    (
        Category::Phone,
        "phone",
        "(415) 555-2671 ext. 12",
        "(415) 555-2671",
    ),
    (
        Category::Phone,
        "phone",
        "+1 (415) 555-2671",
        "+1 (415) 555-2671",
    ),
    (
        Category::Phone,
        "phone",
        "0049 30 1234567",
        "0049 30 1234567",
    ),
    (
        Category::Phone,
        "phone",
        "+49 (0)30 1234567",
        "+49 (0)30 1234567",
    ),
    (
        Category::Phone,
        "phone",
        "+33 (0)1 23 45 67 89",
        "+33 (0)1 23 45 67 89",
    ),
    (Category::Phone, "tel", "020 7946 0018", "020 7946 0018"),
    (Category::Phone, "telefon", "030 12345678", "030 12345678"),
    (Category::Phone, "電話", "03-1234-5678", "03-1234-5678"),
    (Category::Phone, "电话", "010-12345678", "010-12345678"),
    (Category::Phone, "phone", "01 23 45 67 89", "01 23 45 67 89"),
    (Category::Phone, "phone", "98765 43210", "98765 43210"),
    (
        Category::Phone,
        "phone",
        "(11) 91234-5678",
        "(11) 91234-5678",
    ),
    (Category::PersonName, "first_name", "Jane", "Jane"),
    (Category::PersonName, "fullName", "Jane Doe", "Jane Doe"),
    (Category::PersonName, "姓名", "张三", "张三"),
    (Category::PersonName, "name", "Jane Doe", "Jane Doe"),
    (
        Category::PostalAddress,
        "address",
        "Hauptstraße 5, 10115 Berlin",
        "Hauptstraße 5, 10115 Berlin",
    ),
    (
        Category::PostalAddress,
        "收货地址",
        "上海市浦东新区世纪大道100号",
        "上海市浦东新区世纪大道100号",
    ),
    (
        Category::PostalAddress,
        "notes",
        "ship to 777 ELM ST",
        "777 ELM ST",
    ),
    (Category::DateOfBirth, "dob", "1990-01-31", "1990-01-31"),
    (
        Category::DateOfBirth,
        "Geburtsdatum",
        "31.01.1990",
        "31.01.1990",
    ),
    (
        Category::DateOfBirth,
        "出生日期",
        "1990年1月31日",
        "1990年1月31日",
    ),
    (Category::IpAddress, "client", "203.0.113.7", "203.0.113.7"),
    (
        Category::IpAddress,
        "client",
        "2001:db8::8a2e:370:7334",
        "2001:db8::8a2e:370:7334",
    ),
    (
        Category::CnResidentId,
        "id",
        "11010519491231002X",
        "11010519491231002X",
    ),
    (
        Category::CnResidentId,
        "note",
        "ID 110105 19491231 002X",
        "110105 19491231 002X",
    ),
    (
        Category::CnResidentId,
        "id_card",
        "110105-1949-1231-002x",
        "110105-1949-1231-002x",
    ),
    (
        Category::CnResidentId,
        "身份证号",
        "110105491231002",
        "110105491231002",
    ),
    (Category::UsSsn, "note", "536-22-8726", "536-22-8726"),
    (Category::UsSsn, "ssn", "536228726", "536228726"),
    (Category::UkNino, "note", "AB 12 34 56 C", "AB 12 34 56 C"),
    (Category::Passport, "passport_no", "E12345678", "E12345678"),
    (Category::Passport, "护照", "G12345678", "G12345678"),
    (
        Category::PaymentCard,
        "note",
        "4111 1111 1111 1111",
        "4111 1111 1111 1111",
    ),
    (
        Category::Iban,
        "note",
        "DE89 3704 0044 0532 0130 00",
        "DE89 3704 0044 0532 0130 00",
    ),
    (
        Category::BankAccount,
        "account_number",
        "0532013000",
        "0532013000",
    ),
    (
        Category::BankAccount,
        "银行卡号",
        "6222020200001234567",
        "6222020200001234567",
    ),
    (
        Category::Health,
        "diagnosis",
        "Type 2 diabetes",
        "Type 2 diabetes",
    ),
    (Category::Health, "condition", "E11.9", "E11.9"),
    (
        Category::Health,
        "nhs_number",
        "943 476 5919",
        "943 476 5919",
    ),
    (Category::Health, "npi", "1234567893", "1234567893"),
    (
        Category::Biometric,
        "faceFeature",
        "AAECAwQFBgcICQ==",
        "AAECAwQFBgcICQ==",
    ),
    (
        Category::PreciseLocation,
        "gps",
        "31.230416, 121.473701",
        "31.230416, 121.473701",
    ),
];

/// Look-alikes that must produce no finding, as (key, value).
const NEGATIVES: &[(&str, &str)] = &[
    ("phone_type", "4152568563"),
    ("note", "1 415 555 2671"),
    ("phone", "1-415-155-2671"),
    ("phone", "1-015-555-2671"),
    ("order_id", "4152568563"),
    ("tel", "2024-01-31"),
    ("name", "SO-2024-000123"),
    ("name", "ACME GmbH"),
    ("username", "jdoe"),
    ("filename", "Jane Doe.pdf"),
    ("company_name", "Doe & Partners"),
    ("city", "Berlin"),
    ("zip", "10115"),
    ("email_address", "not an address 5"),
    ("date_of_joining", "1990-01-31"),
    ("dob", "2030-01-01"),
    ("dob", "1990-02-30"),
    ("version", "1.2.3.4"),
    ("build", "v1.2.3.4"),
    ("oid", "1.3.6.1.4.1"),
    ("id", "110105194912310021"),
    ("id_number", "990105491231002"),
    ("ssn", "999999999"),
    ("ssn", "078-05-1120"),
    ("note", "900-12-3456"),
    ("note", "DA123456C"),
    ("sku", "E12345678"),
    ("note", "4111111111111112"),
    ("ean", "4002843328644"),
    ("note", "DE88370400440532013000"),
    ("reference", "0532013000"),
    ("condition", "new"),
    (
        "fingerprint",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ),
    ("location", "Warehouse 3"),
    ("note", "31.23, 121.47"),
];

#[test]
fn every_category_is_found_under_its_key() {
    for &(category, key, value, expected) in POSITIVES {
        let found = evaluate_field(key, value);
        let values: Vec<&str> = found
            .iter()
            .filter(|found| found.category == category)
            .map(|found| found.value.as_str())
            .collect();
        assert_eq!(values, [expected], "{category} {key}={value}");
    }
}

#[test]
fn positive_table_covers_every_category() {
    for category in Category::ALL {
        assert!(
            POSITIVES.iter().any(|(listed, ..)| *listed == category),
            "{category}"
        );
    }
}

#[test]
fn look_alikes_produce_no_finding() {
    for &(key, value) in NEGATIVES {
        let found = evaluate_field(key, value);
        assert!(found.is_empty(), "{key}={value}: {found:?}");
    }
}

#[test]
fn context_comes_from_whole_key_tokens() {
    // `public` contains `lic`, `hotel` and `telemetry` contain `tel`,
    // `nominal` contains `nom` and `filename` contains `name`. None of them
    // is context, because keys match as whole tokens.
    for key in ["public", "hotel", "telemetry", "phonebook", "nominal"] {
        assert!(evaluate_field(key, "4152568563").is_empty(), "{key}");
    }
    for key in ["nominal", "filename", "username", "publicName2"] {
        assert!(evaluate_field(key, "Jane Doe").is_empty(), "{key}");
    }
    assert_eq!(
        categories(&evaluate_field("nom", "Dupont")),
        [Category::PersonName]
    );
    assert_eq!(
        categories(&evaluate_field("hotel_phone", "4152568563")),
        [Category::Phone]
    );
}

#[test]
fn bare_national_numbers_need_phone_context() {
    for value in ["4152568563", "020 7946 0018", "030 12345678"] {
        assert!(evaluate_field("value", value).is_empty(), "{value}");
        assert_eq!(
            categories(&evaluate_field("phone", value)),
            [Category::Phone],
            "{value}"
        );
    }
    assert_eq!(
        categories(&evaluate_field("value", "13812345678")),
        [Category::Phone]
    );
}

#[test]
fn minors_are_flagged_with_a_fixed_today() {
    let cases = [
        ("2011-06-16", true),
        ("2011-06-15", false),
        ("1990-01-31", false),
    ];
    for (value, minor) in cases {
        let found = evaluate_field("birthDate", value);
        assert_eq!(found.len(), 1, "{value}");
        assert_eq!(found[0].minor, minor, "{value}");
    }
    let report = inspect(JSON, r#"[{"dob": "2015-03-01"}, {"dob": "1980-03-01"}]"#);
    let finding = report.finding(Category::DateOfBirth).unwrap();
    assert!(finding.minor);
    assert!(finding.sensitive);
    assert!(report.sensitive);
    assert_eq!(finding.samples, ["age 10-14 (minor)", "age 45-49"]);
}

/// Jackson writes a `java.util.Date` as epoch milliseconds, and HubSpot
/// sends them as a string under a `value` wrapper. Under a birth-date key
/// both are dates of birth, and the same numbers elsewhere are not.
#[test]
fn epoch_birth_dates_are_found_under_their_key() {
    let body = r#"{"employees": [
        {"birthDate": 479606400000, "hireDate": 1420070400000},
        {"birthDate": -157766400000, "hireDate": 1425168000000},
        {"date_of_birth": {"value": "479606400000"}},
        {"dob": 1420070400}
    ]}"#;
    let report = inspect(JSON, body);
    let finding = report.finding(Category::DateOfBirth).unwrap();
    assert_eq!(finding.count, 4);
    assert!(finding.minor);
    assert_eq!(
        finding.samples,
        ["age 40-44", "age 60-64", "age 10-14 (minor)"]
    );
    let report = inspect(JSON, r#"{"created": 479606400000, "id": "479606400"}"#);
    assert!(report.finding(Category::DateOfBirth).is_none());
}

#[test]
fn adult_birth_dates_are_not_sensitive() {
    let report = inspect(JSON, r#"{"dob": "1980-03-01"}"#);
    let finding = report.finding(Category::DateOfBirth).unwrap();
    assert!(!finding.minor);
    assert!(!finding.sensitive);
    assert!(!report.sensitive);
}

#[test]
fn strongest_match_wins_overlaps() {
    // A mobile-number prefix inside an ID number, an e-mail's digits and an
    // IBAN's digits are not phones.
    let cases = [
        ("phone", "11010519491231002X", Category::CnResidentId),
        ("phone", "13812345678@163.com", Category::Email),
        ("phone", "DE89 3704 0044 0532 0130 00", Category::Iban),
    ];
    for (key, value, category) in cases {
        assert_eq!(
            categories(&evaluate_field(key, value)),
            [category],
            "{value}"
        );
    }
}

#[test]
fn latitude_and_longitude_fields_pair_within_a_record() {
    let body = r#"[{"lat": 48.8584, "lng": 2.2945}, {"lat": 48.8584}, {"lng": 2.2945}]"#;
    let found = Inspector::default()
        .evaluate(&request(JSON, body.as_bytes()))
        .unwrap();
    let values: Vec<&str> = found.iter().map(|found| found.value.as_str()).collect();
    assert_eq!(values, ["48.8584", "2.2945"]);
    assert!(
        found
            .iter()
            .all(|found| found.category == Category::PreciseLocation)
    );
}

/// A name sent with a title, a degree, a note in brackets or underscores
/// under a key that names a person is still a name, and the whole value
/// is reported.
#[test]
fn names_with_additions_are_found() {
    for value in [
        "John Smith (VIP)",
        "John Smith, PhD",
        "Dr. John Smith",
        "John_Smith",
        "Smith, John",
        "Prof. Dr. Dipl.-Ing. Max Mustermann",
    ] {
        let found = evaluate_field("fullname", value);
        assert_eq!(categories(&found), [Category::PersonName], "{value}");
        assert_eq!(found[0].value, value);
        assert_eq!(found[0].location, "$.fullname");
    }
    for value in ["Inlandskunde DE 1 (VIP)", "Order 1234 (urgent)", "SKU_1234"] {
        assert_eq!(evaluate_field("fullname", value), [], "{value}");
    }
    // Under `name`, which names products and teams as well, a note keeps
    // the value from being a name.
    for value in [
        "Standing Desk (Oak)",
        "Widget Pro - Blue",
        "Server Rack [42U]",
    ] {
        assert_eq!(evaluate_field("name", value), [], "{value}");
    }
}

/// A note beside a name, a leading label, a ticket number or an emoji
/// leaves the name a name under every key that names a person, and a mail
/// address in angle brackets is found beside it.
#[test]
fn names_with_notes_are_found() {
    for value in [
        "John Smith - VIP",
        "John Smith \u{2013} VIP",
        "John Smith [VIP]",
        "John Smith / key account",
        "VIP: John Smith",
        "John Smith #123",
        "John Smith \u{1f642}",
    ] {
        for key in ["fullname", "contact_person", "Ansprechpartner"] {
            let found = evaluate_field(key, value);
            assert_eq!(categories(&found), [Category::PersonName], "{key}={value}");
            assert_eq!(found[0].value, value, "{key}={value}");
        }
    }
    for value in ["John Smith<john@x.com>", "John Smith <john@x.com>"] {
        let found = categories(&evaluate_field("fullname", value));
        assert!(found.contains(&Category::PersonName), "{value}: {found:?}");
        assert!(found.contains(&Category::Email), "{value}: {found:?}");
    }
}

/// Notes around values that are no person's name leave them so.
#[test]
fn notes_leave_other_names_alone() {
    for value in [
        "Inlandskunde DE 1",
        "Inlandskunde DE 1 - VIP",
        "Inlandskunde DE 1 [VIP]",
        "Order 1234 / urgent",
        "Ticket: 1234",
        "ACME GmbH - Sales",
        "ACME GmbH [Sales]",
        "ACME GmbH #4",
        "- VIP",
        "#123",
    ] {
        assert_eq!(evaluate_field("name", value), [], "{value}");
    }
}

#[test]
fn name_columns_vote() {
    let names = "name\nJane Doe\nJohn Smith\nAmy Taylor\n1004155\n";
    let report = inspect("text/csv", names);
    assert_eq!(report.finding(Category::PersonName).unwrap().count, 3);
    let codes = "name\nAlpha One\n1004155\n1004156\n1004157\n";
    assert!(
        inspect("text/csv", codes)
            .finding(Category::PersonName)
            .is_none()
    );
}

/// Returns how many person names `body` yields, 0 when none.
fn name_count(content_type: &str, body: &str) -> u64 {
    inspect(content_type, body)
        .finding(Category::PersonName)
        .map_or(0, |finding| finding.count)
}

/// Products, teams, departments, places and services have the shape of a
/// name under a key that may name anything, but no given name or family
/// name among their words, so they are not people.
#[test]
fn business_names_under_generic_keys_are_no_people() {
    let cases = [
        (
            JSON,
            r#"[{"sku": "A-1", "name": "Standing Desk", "price": "499.00"},
                {"sku": "A-2", "name": "Office Chair", "price": "189.00"},
                {"sku": "A-3", "name": "Monitor Arm", "price": "79.00"}]"#,
        ),
        (
            "text/csv",
            "sku,name,price
A-1,Standing Desk,499.00
A-2,Office Chair,189.00
",
        ),
        (JSON, r#"{"name": "Finance Department"}"#),
        (JSON, r#"{"name": "Support Desk"}"#),
        (
            JSON,
            r#"{"contact": "Support Desk", "email": "support@example.com"}"#,
        ),
        (
            JSON,
            r#"[{"contact": "Sales Team", "phone": "+49 30 901820"},
                {"contact": "Support Desk", "email": "help@example.com"}]"#,
        ),
        (JSON, r#"{"name": "New York"}"#),
        (JSON, r#"[{"name": "New York"}, {"name": "Berlin Mitte"}]"#),
        (
            TEXT,
            "name: Order Service
version: 2
owner: platform
",
        ),
    ];
    for (content_type, body) in cases {
        assert_eq!(name_count(content_type, body), 0, "{body}");
    }
}

/// People under a key that may name anything are found by a common given
/// name or family name among their words, or by the e-mail addresses,
/// phone numbers or birth dates of their records.
#[test]
fn people_under_generic_keys_are_found() {
    let cases = [
        (
            JSON,
            r#"{"name": "Jane Doe", "email": "jane@example.com"}"#,
            1,
        ),
        (JSON, r#"{"name": "Jane Doe"}"#, 1),
        (JSON, r#"{"contact": "Jane Doe"}"#, 1),
        (
            "text/csv",
            "id,name,email
1,Jane Doe,jane@example.com
2,Dikman Shervashidze,d@example.com
             3,Zurab Tsereteli,z@example.com
",
            3,
        ),
        // Rare names alone are confirmed by the e-mail addresses beside them.
        (
            JSON,
            r#"[{"name": "Dikman Shervashidze", "email": "d@example.com"},
                {"name": "Zurab Tsereteli", "phone": "+995 32 2123456"}]"#,
            2,
        ),
        (
            JSON,
            r#"[{"name": "Jürgen Müller"}, {"name": "Hans-Peter Schmidt"},
                {"name": "François Dupont"}, {"name": "Élodie Lefèvre"}]"#,
            4,
        ),
        (JSON, r#"[{"name": "王小明"}, {"name": "欧阳娜娜"}]"#, 2),
        (
            JSON,
            r#"[{"name": "佐藤 太郎"}, {"name": "Yuki Tanaka"}]"#,
            2,
        ),
        (
            TEXT,
            "name: Jane Doe
email: jane@example.com
",
            1,
        ),
    ];
    for (content_type, body, expected) in cases {
        assert_eq!(name_count(content_type, body), expected, "{body}");
    }
}

/// Under a key that names a person, no evidence is needed.
#[test]
fn person_keys_need_no_listed_names() {
    assert_eq!(
        name_count(JSON, r#"{"fullname": "Dikman Shervashidze"}"#),
        1
    );
    assert_eq!(name_count(JSON, r#"{"name": "Dikman Shervashidze"}"#), 0);
}

#[test]
fn every_category_is_masked_without_its_raw_value() {
    for &(category, key, value, expected) in POSITIVES {
        let body = serde_json::json!({ key: value }).to_string();
        let report = inspect(JSON, &body);
        let finding = report
            .finding(category)
            .unwrap_or_else(|| panic!("{category} {key}={value}"));
        for mask in &finding.samples {
            assert!(!mask.contains(expected), "{category}: {expected} -> {mask}");
        }
    }
}

#[test]
fn mask_text_masks_every_pattern_category() {
    let inspector = Inspector::default();
    let cases = [
        "/users/jane.doe@example.com",
        "/call/+49 30 1234567",
        "/ids/11010519491231002X",
        "/ssn/536-22-8726",
        "/nino/AB123456C",
        "/cards/4111111111111111",
        "/iban/DE89370400440532013000",
        "/from/203.0.113.7",
        "/at/31.230416,121.473701",
        "/lookup?dob=1990-01-31",
        "/lookup?passport=E12345678",
        "/lookup?account=0532013000",
        "/lookup?name=Jane%20Doe",
    ];
    for text in cases {
        let masked = inspector.mask_text(text);
        assert_ne!(masked, text, "{text}");
        let secret = text.rsplit(['/', '=']).next().unwrap();
        assert!(!masked.contains(secret), "{text} -> {masked}");
    }
}

#[test]
fn full_width_id_number_is_found() {
    let found = evaluate_field("note", "１１０１０５１９４９１２３１００２Ｘ");
    assert_eq!(categories(&found), [Category::CnResidentId]);
    assert_eq!(found[0].value, "11010519491231002X");
}

#[test]
fn full_width_email_is_found() {
    let found = evaluate_field("note", "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ");
    assert_eq!(categories(&found), [Category::Email]);
    assert_eq!(found[0].value, "jane@example.com");
}

#[test]
fn ideographic_full_stop_email_is_found() {
    for value in [
        "john\u{3002}doe\u{ff20}example\u{3002}com",
        "john.doe@example\u{ff61}com",
    ] {
        let found = evaluate_field("note", value);
        assert_eq!(categories(&found), [Category::Email], "{value}");
        assert_eq!(found[0].value, "john.doe@example.com", "{value}");
    }
    let sentence = evaluate_field("note", "请联系客服\u{3002}谢谢");
    assert!(sentence.is_empty(), "{sentence:?}");
}

#[test]
fn look_alike_iban_country_code_is_found() {
    // Cyrillic `Е`, Greek `Α` and `Τ`, Cyrillic small `е` and `о`.
    for value in [
        "D\u{415}89370400440532013000",
        "D\u{415}89 3704 0044 0532 0130 00",
        "\u{391}\u{3a4}611904300234573201",
        "d\u{435}89370400440532013000",
        "N\u{43e}9386011117947",
    ] {
        let text = format!("IBAN: {value}.");
        let found = evaluate_field("note", &text);
        assert_eq!(categories(&found), [Category::Iban], "{value}");
        assert!(found[0].value.is_ascii(), "{value}: {}", found[0].value);
    }
    // No look-alike of `D`, a letter before the code, a wrong check.
    for value in [
        "\u{414}\u{415}89370400440532013000",
        "\u{416}D\u{415}89370400440532013000",
        "D\u{415}88370400440532013000",
    ] {
        let found = evaluate_field("note", value);
        assert!(found.is_empty(), "{value}: {found:?}");
    }
}

#[test]
fn look_alike_iban_counts_as_its_latin_form() {
    let report = inspect(
        JSON,
        "[{\"iban\": \"D\u{415}89370400440532013000\"},
          {\"iban\": \"DE89 3704 0044 0532 0130 00\"}]",
    );
    assert_eq!(report.finding(Category::Iban).unwrap().count, 2);
    assert_eq!(report.subjects, 1);
}

#[test]
fn spaced_and_dashed_phone_is_found() {
    for value in [
        "138 1234 5678",
        "138-1234-5678",
        "+86 138\u{3000}1234\u{3000}5678",
    ] {
        assert_eq!(
            categories(&evaluate_field("note", value)),
            [Category::Phone],
            "{value}"
        );
    }
}

#[test]
fn zero_width_evasions_are_found() {
    let id = evaluate_field("note", "110105\u{200b}1949\u{200d}1231002X");
    assert_eq!(categories(&id), [Category::CnResidentId]);
    let email = evaluate_field("note", "jane\u{2060}@exam\u{feff}ple.com");
    assert_eq!(categories(&email), [Category::Email]);
}

#[test]
fn labels_in_free_text_give_context() {
    let report = inspect(
        TEXT,
        "Patient DOB: 1990-01-31, Tel: 030 12345678, SSN 536228726\n",
    );
    let found: Vec<Category> = report.categories().collect();
    assert_eq!(
        found,
        [Category::Phone, Category::DateOfBirth, Category::UsSsn]
    );
}

/// Lines of `key: value` text, as YAML and configuration dumps write them,
/// as (line, category found with the line's label as its key).
const LABELLED_LINES: &[(&str, Category)] = &[
    ("dob: \"1985-03-14\"", Category::DateOfBirth),
    ("dob: '1985-03-14'", Category::DateOfBirth),
    ("Date of birth: 14.03.1985", Category::DateOfBirth),
    ("geburtsdatum = 1985-03-14", Category::DateOfBirth),
    ("  birth_date: 1985-03-14", Category::DateOfBirth),
    ("- dob: 1985-03-14", Category::DateOfBirth),
    ("name: John Smith", Category::PersonName),
    ("  full_name: \"John Smith\"", Category::PersonName),
    ("IBAN: DE89 3704 0044 0532 0130 00", Category::Iban),
];

#[test]
fn labelled_lines_of_text_give_context() {
    for &(line, category) in LABELLED_LINES {
        let body = format!("patient:\n{line}\nstatus: active\n");
        let found: Vec<Category> = inspect(TEXT, &body).categories().collect();
        assert_eq!(found, [category], "text {line:?}");
        let found = categories(&evaluate_field("notes", &body));
        assert_eq!(found, [category], "json {line:?}");
    }
}

#[test]
fn labelled_lines_without_a_value_find_nothing() {
    let body = "name: active\nstatus: shipped\ntitle: Invoice 2024-03-14\n";
    let found: Vec<Category> = inspect(TEXT, body).categories().collect();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn names_and_addresses_count_as_subjects_without_identifiers() {
    let report = inspect(JSON, r#"[{"name": "Jane Doe"}, {"name": "John Smith"}]"#);
    assert_eq!(report.subjects, 2);
    let merged = inspect(
        JSON,
        r#"[{"name": "Jane Doe", "email": "jane@example.com"},
            {"address": "Hauptstraße 5, Berlin", "email": "JANE@example.com"}]"#,
    );
    assert_eq!(merged.subjects, 1);
}

#[test]
fn rarer_group_separators_are_found() {
    let cases = [
        (Category::Iban, "DE89  3704  0044  0532  0130  00"),
        (Category::Iban, "DE89\t3704\t0044\t0532\t0130\t00"),
        (Category::Iban, "DE89/3704/0044/0532/0130/00"),
        (Category::Iban, "DE89_3704_0044_0532_0130_00"),
        (Category::PaymentCard, "4111/1111/1111/1111"),
        (Category::PaymentCard, "4111_1111_1111_1111"),
        (Category::PaymentCard, "4111\t1111\t1111\t1111"),
        (Category::PaymentCard, "4111  1111  1111  1111"),
        (Category::CnResidentId, "1101 0519 4912 3100 2X"),
        (Category::CnResidentId, "1101-0519-4912-3100-2X"),
        (Category::CnResidentId, "110105/19491231/002X"),
        (Category::CnResidentId, "110105_19491231_002X"),
    ];
    for (category, value) in cases {
        let text = format!("see {value} here");
        let found = evaluate_field("note", &text);
        assert_eq!(categories(&found), [category], "{value}");
        assert_eq!(found[0].value, value, "{value}");
    }
}

#[test]
fn mixed_or_short_groups_do_not_join() {
    for value in [
        "12/34/56",
        "2024/03/15",
        "4111/1111 1111/1111",
        "4111  1111 1111 1111",
        "4111_1111_1111_1112",
        "4111///1111///1111///1111",
        "DE89_3704-0044_0532_0130_00",
        "DE89   3704   0044   0532   0130   00",
        "1101 0519 4912 3100 21",
        "1101 0519 49123100 2X",
        "1101/0519 4912/3100 2X",
        "2024/1234/5678/9012",
        "12/4111/1111/1111/1111",
        "7_4111_1111_1111_1111",
    ] {
        let found = evaluate_field("note", value);
        assert!(found.is_empty(), "{value}: {found:?}");
    }
}

/// Groupings that people type besides the printed ones, in free text.
#[test]
fn other_groupings_are_found_in_free_text() {
    let cases = [
        (Category::Iban, "DE89 370 400 440 532 013 000"),
        (Category::Iban, "DE89-370-400-440-532-013-000"),
        (Category::PaymentCard, "3782-822463-10005"),
        (Category::PaymentCard, "3056-930902-5904"),
        (Category::Phone, "1-415-555-2671"),
        (Category::Phone, "1.415.555.2671"),
        (Category::Phone, "(415) 555-2671"),
    ];
    for (category, value) in cases {
        let text = format!("see {value} here");
        let found = evaluate_field("note", &text);
        assert_eq!(categories(&found), [category], "{value}");
        assert_eq!(found[0].value, value, "{value}");
        let report = inspect(TEXT, &text);
        assert_eq!(
            report.categories().collect::<Vec<_>>(),
            [category],
            "{value}"
        );
    }
}

/// Shapes close to those groupings that are no card, IBAN or phone
/// number. Visa numbers have 13, 16 or 19 digits, so a 15-digit number
/// with a Visa prefix is none. Rows of two-digit readings are no card,
/// although one in ten of them passes the Luhn check as any digits do.
/// Dates, invoice and part numbers in 3-3-4 groups, and NANP numbers whose
/// area or exchange code starts with 0 or 1 are no phone numbers.
#[test]
fn other_groupings_keep_their_checks() {
    for value in [
        "4111-111111-11111",
        "41 11 11 11 11 11 11 11",
        "41-11-11-11-11-11-11-11",
        "49 42 45 48 49 49 41 43",
        "415-555-2671",
        "415.555.2671",
        "Ordered SKU 415-555-2671 x2",
        "Replaced part ABC-415-555-2671",
        "DE89 370 400 440 532 013 001",
        "DE89 370 4004 40 532 013 000",
        "INV-2024-480-3819",
        "2024-480-3819",
        "415-555-2671-12",
        "115.555.2671",
        "(415) 155-2671",
        "1-415-555-26712",
        "15.03.1985",
    ] {
        let found = evaluate_field("note", value);
        assert!(found.is_empty(), "{value}: {found:?}");
    }
}

#[test]
fn underscored_phone_under_phone_key() {
    for value in ["+1_415_555_2671", "+49_30_1234567"] {
        let found = evaluate_field("phone", value);
        assert_eq!(categories(&found), [Category::Phone], "{value}");
        assert_eq!(found[0].value, value, "{value}");
    }
}

#[test]
fn nanp_trunk_prefix_after_label() {
    let report = inspect(TEXT, "Call us, Tel: 1-415-555-2671, or write.\n");
    let found: Vec<Category> = report.categories().collect();
    assert_eq!(found, [Category::Phone]);
}

/// Keys that name a date of birth in the languages the detector reads.
const BIRTH_DATE_KEYS: [&str; 5] = [
    "dob",
    "date_of_birth",
    "Geburtsdatum",
    "生年月日",
    "date_de_naissance",
];

/// Returns the dates of birth found in `value` sent under `key`.
fn birth_dates(key: &str, value: &str) -> Vec<String> {
    evaluate_field(key, value)
        .into_iter()
        .filter(|found| found.category == Category::DateOfBirth)
        .map(|found| found.value)
        .collect()
}

#[test]
fn birth_dates_with_month_names_are_found() {
    let values = [
        "14 March 1985",
        "March 14, 1985",
        "14-Mar-1985",
        "Mar 14 1985",
        "Mar. 14, 1985",
        "14 mar. 1985",
        "14 MARCH 1985",
        "14. März 1985",
        "14. MÄRZ 1985",
        "14 mrz 1985",
        "14 mars 1985",
        "14 de marzo de 1985",
        "14 marzo 1985",
        "14 maart 1985",
        "1 août 1985",
        "14th March 1985",
    ];
    for value in values {
        for key in BIRTH_DATE_KEYS {
            assert_eq!(birth_dates(key, value), [value], "{key}={value}");
        }
    }
}

#[test]
fn month_name_birth_dates_follow_age_rules() {
    let minor = evaluate_field("dob", "16 June 2011");
    assert_eq!(categories(&minor), [Category::DateOfBirth]);
    assert!(minor[0].minor);
    let adult = evaluate_field("dob", "June 15, 2011");
    assert_eq!(categories(&adult), [Category::DateOfBirth]);
    assert!(!adult[0].minor);
    for value in [
        "16 June 2025",
        "14 March 2030",
        "14 March 1885",
        "31 February 1985",
        "14 Marsch 1985",
        "14 March 1985x",
    ] {
        assert!(birth_dates("dob", value).is_empty(), "{value}");
    }
}

#[test]
fn month_name_dates_mask_as_age_bands() {
    let report = inspect(
        JSON,
        r#"[{"dob": "14 March 1985"}, {"dob": "16 Jun 2011"}]"#,
    );
    let finding = report.finding(Category::DateOfBirth).unwrap();
    assert_eq!(finding.samples, ["age 40-44", "age 10-14 (minor)"]);
    let masked = Inspector::default().mask_text("/lookup?dob=March%2014,%201985");
    assert!(!masked.contains("1985"), "{masked}");
}

#[test]
fn month_name_dates_need_birth_date_context() {
    for (key, value) in [
        ("order_date", "14 March 2024"),
        ("invoice_date", "March 14, 2024"),
        ("note", "Invoice date: 14 March 2024"),
        ("note", "shipped on 14-Mar-2024"),
        ("note", "Meeting on Mar 14 1985"),
    ] {
        let found = evaluate_field(key, value);
        assert!(found.is_empty(), "{key}={value}: {found:?}");
    }
    let report = inspect(
        TEXT,
        "Patient DOB: March 14, 1985\nGeburtsdatum: 14. März 1985\n",
    );
    assert_eq!(report.finding(Category::DateOfBirth).unwrap().count, 2);
}

#[test]
fn two_digit_years_under_birth_date_keys() {
    for key in BIRTH_DATE_KEYS {
        assert_eq!(birth_dates(key, "14.03.85"), ["14.03.85"], "{key}");
        assert_eq!(birth_dates(key, "03/14/85"), ["03/14/85"], "{key}");
        assert_eq!(birth_dates(key, "1/5/90"), ["1/5/90"], "{key}");
    }
    let report = inspect(JSON, r#"[{"dob": "14.03.85"}, {"dob": "03/14/85"}]"#);
    let finding = report.finding(Category::DateOfBirth).unwrap();
    assert_eq!(finding.samples, ["age 40-44"]);
}

#[test]
fn two_digit_years_pivot_on_today() {
    // Today is 2025-06-15: a year ending in 25 is 2025 up to today and
    // 1925 after it.
    let today = evaluate_field("dob", "15.06.25");
    assert_eq!(categories(&today), [Category::DateOfBirth]);
    assert!(today[0].minor);
    let tomorrow = evaluate_field("dob", "16.06.25");
    assert_eq!(categories(&tomorrow), [Category::DateOfBirth]);
    assert!(!tomorrow[0].minor);
    let report = inspect(JSON, r#"[{"dob": "16.06.25"}, {"dob": "01/02/00"}]"#);
    let finding = report.finding(Category::DateOfBirth).unwrap();
    assert_eq!(finding.samples, ["age 95-99", "age 25-29"]);
}

#[test]
fn two_digit_years_need_a_birth_date_key() {
    for (key, value) in [
        ("dob", "85-03-14"),
        ("dob", "31.02.85"),
        ("dob", "14.03.851"),
        ("dob", "14.03.8"),
        ("order_date", "14.03.85"),
        ("note", "DOB: 14.03.85"),
        ("note", "version 1.2.85"),
    ] {
        let found = evaluate_field(key, value);
        assert!(found.is_empty(), "{key}={value}: {found:?}");
    }
}

#[test]
fn japanese_era_birth_dates_are_found() {
    let cases = [
        ("昭和60年3月14日", "昭和60年3月14日"),
        ("平成2年1月5日", "平成2年1月5日"),
        ("令和元年5月1日", "令和元年5月1日"),
        ("大正15年12月24日", "大正15年12月24日"),
        ("S60.3.14", "S60.3.14"),
        ("H2.1.5", "H2.1.5"),
        ("R1.5.1", "R1.5.1"),
        ("昭和６０年３月１４日", "昭和60年3月14日"),
        ("Ｓ６０．３．１４", "S60.3.14"),
    ];
    for (value, expected) in cases {
        for key in BIRTH_DATE_KEYS {
            assert_eq!(birth_dates(key, value), [expected], "{key}={value}");
        }
    }
    let report = inspect(
        TEXT,
        "生年月日：昭和60年3月14日\n生年月日 H2.1.5\n生年月日: 令和元年5月1日\n",
    );
    assert_eq!(report.finding(Category::DateOfBirth).unwrap().count, 3);
}

#[test]
fn japanese_era_dates_follow_age_rules() {
    let report = inspect(
        JSON,
        r#"[{"dob": "昭和60年3月14日"}, {"dob": "令和元年5月1日"}]"#,
    );
    let finding = report.finding(Category::DateOfBirth).unwrap();
    assert!(finding.minor);
    assert_eq!(finding.samples, ["age 40-44", "age 5-9 (minor)"]);
    for value in [
        "昭和70年1月1日",
        "昭和64年1月8日",
        "平成1年1月7日",
        "平成31年5月1日",
        "令和8年1月1日",
        "明治30年1月1日",
        "昭和0年1月1日",
        "S70.1.1",
        "X60.3.14",
        "S60.2.30",
    ] {
        assert!(birth_dates("dob", value).is_empty(), "{value}");
    }
}

#[test]
fn japanese_era_dates_need_birth_date_context() {
    for (key, value) in [
        ("order_date", "令和6年5月1日"),
        ("note", "注文日：令和6年5月1日"),
        ("invoice_date", "R6.5.1"),
        ("note", "発行日 H30.4.1"),
    ] {
        let found = evaluate_field(key, value);
        assert!(found.is_empty(), "{key}={value}: {found:?}");
    }
}

/// SAP writes a contact person's first name as `NAMEV` beside the family
/// name in `NAME1`.
#[test]
fn sap_contact_first_name_is_a_name() {
    let body = b"<DEBMAS07><E1KNVKM><NAMEV>Klaus</NAMEV><NAME1>Weber</NAME1>\
                 <TELF1>089 7654321</TELF1></E1KNVKM></DEBMAS07>";
    let report = Inspector::default()
        .inspect(&Request {
            content_type: Some("application/xml"),
            body,
            ..Request::default()
        })
        .unwrap();
    let names = report.finding(Category::PersonName).unwrap();
    assert_eq!(names.count, 2);
}

/// An author, a signer, a tenant or an insured person is a person, so the
/// name before such a word is a person's name, in a header as in a body.
#[test]
fn names_of_authors_and_signers_are_found() {
    let body = br#"{"author_name": "Hans Mueller", "signer_name": "Petra Schmidt",
        "tenant_name": "Jane Roe", "insured_name": "John Smith"}"#;
    let headers: &[(&str, &[u8])] = &[("x-author-name", b"Klaus Weber")];
    let report = Inspector::default()
        .inspect(&Request {
            content_type: Some("application/json"),
            body,
            headers,
            ..Request::default()
        })
        .unwrap();
    let names = report.finding(Category::PersonName).unwrap();
    assert_eq!(names.count, 5, "{:?}", names.locations);
}
