use super::*;
use crate::decode::testing::{RecordedSegment, RecordingSink};

fn scan(input: &str) -> Result<Vec<RecordedSegment>, InspectError> {
    let mut sink = RecordingSink::default();
    scan_json(input.as_bytes(), 128, &mut sink)?;
    Ok(sink.segments)
}

fn texts(input: &str) -> Vec<String> {
    scan(input)
        .unwrap()
        .into_iter()
        .map(|segment| segment.text)
        .collect()
}

#[test]
fn keys_strings_and_numbers_are_emitted_in_order() {
    assert_eq!(
        texts(r#"{"a": "x", "b": [1, -2.5e3, 0.25, true, null, "y"], "c": {}}"#),
        ["a", "x", "b", "1", "-2500", "0.25", "y", "c"]
    );
}

#[test]
fn escaped_email_is_decoded() {
    assert_eq!(
        texts(r#"{"email": "jane\u0040example.com"}"#),
        ["email", "jane@example.com"]
    );
}

#[test]
fn surrogate_pairs_decode_to_one_character() {
    assert_eq!(texts(r#"["\ud83d\ude00"]"#), ["😀"]);
}

#[test]
fn large_numbers_keep_every_digit() {
    assert_eq!(
        texts(r#"{"pan": 4111111111111111111, "id": 12345678901234567890123}"#),
        [
            "pan",
            "4111111111111111111",
            "id",
            "12345678901234567890123"
        ]
    );
}

#[test]
fn paths_and_nearest_keys_follow_the_document() {
    let segments = scan(r#"{"customers": [{"email": "a"}, {"tags": ["b"]}]}"#).unwrap();
    let summary: Vec<(&str, &str, Option<&str>)> = segments
        .iter()
        .map(|segment| {
            (
                segment.text.as_str(),
                segment.location.as_str(),
                segment.key.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("customers", "$.customers", None),
            ("email", "$.customers[0].email", None),
            ("a", "$.customers[0].email", Some("email")),
            ("tags", "$.customers[1].tags", None),
            ("b", "$.customers[1].tags[0]", Some("tags")),
        ]
    );
}

#[test]
fn outermost_array_elements_are_records() {
    let segments = scan(r#"[{"e": "a"}, {"e": "b", "n": [{"x": "c"}]}]"#).unwrap();
    let records: Vec<(&str, RecordId)> = segments
        .iter()
        .filter(|segment| segment.key.is_some())
        .map(|segment| (segment.text.as_str(), segment.record))
        .collect();
    assert_eq!(records, [("a", 1), ("b", 2), ("c", 2)]);
}

#[test]
fn nested_outermost_array_holds_records() {
    let segments = scan(r#"{"d": {"results": [{"e": "a"}, {"e": "b"}]}, "n": "c"}"#).unwrap();
    let records: Vec<(&str, RecordId)> = segments
        .iter()
        .filter(|segment| segment.key.is_some())
        .map(|segment| (segment.text.as_str(), segment.record))
        .collect();
    assert_eq!(records, [("a", 1), ("b", 2), ("c", REQUEST_RECORD)]);
}

#[test]
fn array_scalars_keep_enclosing_record() {
    let segments = scan(r#"{"to": ["a", "b"]}"#).unwrap();
    assert!(
        segments
            .iter()
            .all(|segment| segment.record == REQUEST_RECORD)
    );
}

/// Returns (text, key, record, role) for every segment of `input`.
fn keyed(input: &str) -> Vec<(String, Option<String>, RecordId, Role)> {
    scan(input)
        .unwrap()
        .into_iter()
        .map(|segment| (segment.text, segment.key, segment.record, segment.role))
        .collect()
}

/// Returns the (text, key, record) of every value of `input`.
fn values(input: &str) -> Vec<(String, Option<String>, RecordId)> {
    keyed(input)
        .into_iter()
        .filter(|segment| segment.3 == Role::Value)
        .map(|(text, key, record, _)| (text, key, record))
        .collect()
}

fn value(text: &str, key: Option<&str>, record: RecordId) -> (String, Option<String>, RecordId) {
    (text.to_owned(), key.map(str::to_owned), record)
}

#[test]
fn row_index_keys_pass_on_the_column_key() {
    let columns = r#"{"name": {"0": "a", "1": "b"}, "email": {"0": "c", "1": "d"}}"#;
    assert_eq!(
        values(columns),
        [
            value("a", Some("name"), 1),
            value("b", Some("name"), 2),
            value("c", Some("email"), 1),
            value("d", Some("email"), 2),
        ]
    );

    // A row label among row indexes is a row too, and a known key keeps
    // its own values.
    assert_eq!(
        values(r#"{"name": {"0": "a", "x1": "b", "email": "c"}}"#),
        [
            value("a", Some("name"), 1),
            value("b", Some("name"), 2),
            value("c", Some("email"), REQUEST_RECORD)
        ]
    );

    // An object of row labels under a known key is a column of rows.
    assert_eq!(
        values(r#"{"name": {"C-1": "a", "C-2": "b"}, "dob": {"C-1": "c"}}"#),
        [
            value("a", Some("name"), 1),
            value("b", Some("name"), 2),
            value("c", Some("dob"), 1),
        ]
    );

    // Under an unknown key, or with a container among them, the labels
    // keep their values.
    for fields in [
        r#"{"misc": {"C-1": "a"}}"#,
        r#"{"name": {"C-1": "a", "C-2": {"x": 1}}}"#,
    ] {
        assert_eq!(
            values(fields)[0],
            value("a", Some("C-1"), REQUEST_RECORD),
            "{fields}"
        );
    }

    // Inside a record, rows belong to that record.
    assert_eq!(
        values(r#"[{"phone": {"0": "a", "1": "b"}}]"#),
        [value("a", Some("phone"), 1), value("b", Some("phone"), 1)]
    );
}

#[test]
fn row_index_objects_are_records() {
    let index = r#"{"0": {"name": "a", "tags": ["x"]}, "1": {"name": "b"}}"#;
    assert_eq!(
        values(index),
        [
            value("a", Some("name"), 1),
            value("x", Some("tags"), 1),
            value("b", Some("name"), 2),
        ]
    );
}

#[test]
fn header_row_keys_the_rows_below() {
    let rows = r#"[["name", "email"], ["a", "b", "c"], ["d", ["e"]]]"#;
    assert_eq!(
        keyed(rows),
        [
            ("name".to_owned(), None, 1, Role::Name),
            ("email".to_owned(), None, 1, Role::Name),
            ("a".to_owned(), Some("name".to_owned()), 2, Role::Value),
            ("b".to_owned(), Some("email".to_owned()), 2, Role::Value),
            ("c".to_owned(), None, 2, Role::Value),
            ("d".to_owned(), Some("name".to_owned()), 3, Role::Value),
            ("e".to_owned(), None, 3, Role::Value),
        ]
    );
    let split = r#"{"columns": ["name", "dob"], "index": [0], "data": [["a", 1985]]}"#;
    assert_eq!(
        values(split)[3..],
        [value("a", Some("name"), 1), value("1985", Some("dob"), 1)]
    );
    // The table ends with its array.
    assert_eq!(
        values(r#"{"t": [["name"], ["a"]], "u": [["b"]]}"#),
        [value("a", Some("name"), 2), value("b", Some("u"), 3)]
    );
}

#[test]
fn rows_without_a_header_keep_the_outer_key() {
    for rows in [
        r#"{"v": [["Jane Doe", "a"], ["b", "c"]]}"#,
        r#"{"v": [["name", "Jane\u0020Doe"], ["b", "c"]]}"#,
        r#"{"v": [["name", 1], ["b", "c"]]}"#,
        r#"{"v": [[], ["b", "c"]]}"#,
    ] {
        let found = values(rows);
        assert!(
            found.iter().all(|(_, key, _)| key.as_deref() == Some("v")),
            "{rows}: {found:?}"
        );
    }
}

#[test]
fn byte_order_mark_and_whitespace_are_accepted() {
    assert_eq!(texts("\u{feff} \r\n\t[\"a\"] \n"), ["a"]);
}

#[test]
fn invalid_documents_report_the_offset() {
    let cases = [
        ("", 0, "unexpected end of input; expected a value"),
        ("{\"a\" 1}", 5, "expected ':' after an object key"),
        ("{\"a\": 1,}", 8, "expected a string key"),
        ("[1,]", 3, "unexpected character; expected a value"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("{\"a\": 1]", 7, "expected ',' or '}'"),
        ("[1", 2, "unexpected end of input inside an array or object"),
        ("[01]", 2, "expected ',' or ']'"),
        ("[1.]", 3, "invalid number; expected a digit after '.'"),
        (
            "[1e]",
            3,
            "invalid number; expected a digit in the exponent",
        ),
        ("[-]", 2, "invalid number; expected a digit"),
        ("[tru]", 1, "invalid literal; expected true, false or null"),
        ("{} {}", 3, "unexpected data after the top-level value"),
        ("{'a': 1}", 1, "expected a string key"),
        ("[\"\\ud800\"]", 2, "lone surrogate in \\u escape"),
    ];
    for (input, offset, message) in cases {
        assert_eq!(
            scan(input).unwrap_err(),
            InspectError::InvalidJson {
                offset,
                message: message.to_owned()
            },
            "{input:?}"
        );
    }
}

#[test]
fn nesting_beyond_the_limit_is_an_error() {
    let mut sink = RecordingSink::default();
    let within = format!("{}{}", "[".repeat(4), "]".repeat(4));
    assert!(scan_json(within.as_bytes(), 4, &mut sink).is_ok());
    let beyond = format!("{}{}", "[".repeat(5), "]".repeat(5));
    assert_eq!(
        scan_json(beyond.as_bytes(), 4, &mut sink).unwrap_err(),
        InspectError::JsonTooDeep {
            offset: 4,
            limit: 4
        }
    );
}

#[test]
fn deep_nesting_does_not_recurse() {
    let depth = 100_000;
    let document = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let mut sink = RecordingSink::default();
    assert!(scan_json(document.as_bytes(), depth, &mut sink).is_ok());
}

#[test]
fn integers_written_with_exponents_are_rewritten() {
    let cases: [(&str, Option<&str>); 9] = [
        ("4111111111111111e0", Some("4111111111111111")),
        ("41111111111111110E-1", Some("4111111111111111")),
        ("411111111111111.1e1", Some("4111111111111111")),
        ("4.111111111111111E+15", Some("4111111111111111")),
        ("-12.0", Some("-12")),
        ("12", None),
        ("12.5", None),
        ("1e-3", None),
        ("1e400", None),
    ];
    for (raw, expected) in cases {
        let digits = integer_digits(raw.as_bytes());
        assert_eq!(digits.as_deref(), expected.map(str::as_bytes), "{raw}");
    }
}
