use super::*;
use crate::detect::scan::scan;

fn today() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 6, 15)
}

fn found_with(text: &str, roles: Roles, today: Option<NaiveDate>) -> Vec<(String, bool)> {
    let context = Context::new(roles, today);
    let mut matches = Vec::new();
    scan(text.as_bytes(), &context, &mut matches);
    matches
        .iter()
        .filter(|found| found.category == Category::DateOfBirth)
        .map(|found| (text[found.start..found.end].to_owned(), found.minor))
        .collect()
}

fn found(text: &str) -> Vec<String> {
    found_with(text, Roles::DATE_OF_BIRTH, today())
        .into_iter()
        .map(|(value, _)| value)
        .collect()
}

#[test]
fn accepted_forms_are_found() {
    for (text, expected) in [
        ("1990-01-31", "1990-01-31"),
        ("1990/1/31", "1990/1/31"),
        ("1990.01.31", "1990.01.31"),
        ("1990-01-31T00:00:00Z", "1990-01-31"),
        ("31/01/1990", "31/01/1990"),
        ("01/31/1990", "01/31/1990"),
        ("31.01.1990", "31.01.1990"),
        ("31-01-1990", "31-01-1990"),
        ("19900131", "19900131"),
        ("1990年1月31日", "1990年1月31日"),
        ("1990年01月31日", "1990年01月31日"),
        ("/Date(633744000000)/", "633744000000"),
        ("/Date(-86400000)/", "-86400000"),
    ] {
        assert_eq!(found(text), [expected], "{text}");
    }
}

#[test]
fn impossible_and_implausible_dates_are_rejected() {
    for text in [
        "1990-02-30",
        "1990-13-01",
        "31/13/1990",
        "19900231",
        "1899-12-31",
        "2025-06-16",
        "2030-01-01",
        "1990-01",
        "1990-01-31x",
        "199001311",
    ] {
        assert!(found(text).is_empty(), "{text}");
    }
}

#[test]
fn dates_need_birth_date_context() {
    assert!(found_with("1990-01-31", Roles::NONE, today()).is_empty());
    assert!(found_with("joined 1990-01-31", Roles::NONE, today()).is_empty());
    assert_eq!(found_with("DOB: 1990-01-31", Roles::NONE, today()).len(), 1);
    assert_eq!(
        found_with("出生日期：1990年1月31日", Roles::NONE, today()).len(),
        1
    );
    assert_eq!(
        found_with("DMG*D8*19670330*M~", Roles::NONE, today()).len(),
        1
    );
}

#[test]
fn children_under_fourteen_are_minors() {
    let cases = [
        ("2011-06-16", true),
        ("2011-06-15", false),
        ("2020-01-01", true),
        ("1990-01-31", false),
    ];
    for (text, minor) in cases {
        let found = found_with(text, Roles::DATE_OF_BIRTH, today());
        assert_eq!(found, [(text.to_owned(), minor)], "{text}");
    }
}

#[test]
fn without_today_no_match_is_a_minor() {
    let found = found_with("2020-01-01", Roles::DATE_OF_BIRTH, None);
    assert_eq!(found, [("2020-01-01".to_owned(), false)]);
    assert!(found_with("2026-01-02", Roles::DATE_OF_BIRTH, None).is_empty());
}

#[test]
fn two_digit_year_takes_latest_past_century() {
    let today = today().unwrap();
    let date = |year, month, day| NaiveDate::from_ymd_opt(year, month, day);
    for (text, expected) in [
        ("15.06.25", date(2025, 6, 15)),
        ("16.06.25", date(1925, 6, 16)),
        ("29.02.00", date(2000, 2, 29)),
        ("29.02.25", None),
        ("02/29/24", date(2024, 2, 29)),
        ("1.2.03", date(2003, 2, 1)),
        ("14-03-85", None),
        ("14.03/85", None),
    ] {
        let run_end = digit_run_end(text.as_bytes(), 0);
        let parsed = two_digit_year(text.as_bytes(), 0, run_end, today);
        assert_eq!(parsed.map(|(date, _)| date), expected, "{text}");
    }
}

#[test]
fn two_digit_year_needs_the_key_role() {
    assert_eq!(found("14.03.85"), ["14.03.85"]);
    assert!(found_with("DOB: 14.03.85", Roles::NONE, today()).is_empty());
    let without_today = found_with("01.01.26", Roles::DATE_OF_BIRTH, None);
    assert_eq!(without_today, [("01.01.26".to_owned(), false)]);
}

#[test]
fn epoch_values_under_the_key_are_found() {
    for text in [
        "479606400000",
        "-157766400000",
        "479606400",
        "-157766400",
        "1262304000000",
    ] {
        assert_eq!(found(text), [text], "{text}");
    }
}

#[test]
fn epoch_dates_need_key_and_whole_value() {
    for text in [
        "199001311",
        "1900000000000",
        "1760000000",
        "12345678",
        "born 479606400000",
        "479606400000 ms",
    ] {
        assert_eq!(found(text), Vec::<String>::new(), "{text}");
    }
    for roles in [Roles::NONE, Roles::PHONE] {
        let found = found_with("479606400000", roles, today());
        assert_eq!(found, [], "{roles:?}");
    }
}

#[test]
fn epoch_values_flag_minors() {
    // 2015-01-01 and 1985-03-14 in milliseconds.
    let found = found_with("1420070400000", Roles::DATE_OF_BIRTH, today());
    assert_eq!(found, [("1420070400000".to_owned(), true)]);
    let found = found_with("479606400", Roles::DATE_OF_BIRTH, today());
    assert_eq!(found, [("479606400".to_owned(), false)]);
}

#[test]
fn parsed_epoch_values_match_the_scan() {
    let today = today().unwrap();
    let cases = [
        ("479606400000", "1985-03-14"),
        ("-157766400000", "1965-01-01"),
        ("479606400", "1985-03-14"),
    ];
    for (value, expected) in cases {
        let expected = NaiveDate::parse_from_str(expected, "%Y-%m-%d").ok();
        assert_eq!(parse_value(value.as_bytes(), today), expected, "{value}");
    }
}
