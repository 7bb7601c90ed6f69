//! End-to-end behaviour of `Inspector::inspect` and `Inspector::mask_text`.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use inspect::{Category, ContentCoding, InspectError, Inspector, Limits, Report, Request};

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const TEXT: &str = "text/plain";

fn inspect_body(content_type: &str, body: &[u8]) -> Report {
    let request = Request {
        path: "/",
        content_type: Some(content_type),
        body,
        ..Request::default()
    };
    Inspector::default().inspect(&request).unwrap()
}

fn counts(report: &Report) -> Vec<(Category, u64)> {
    report
        .findings
        .iter()
        .map(|finding| (finding.category, finding.count))
        .collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn look_alike_values_produce_no_finding() {
    let values = [
        "ORD-2024-000123",
        "SO20240001234567",
        "fa163e0b-4824-1eda-a3f8-c527d92f08e8",
        "1588723200000",
        "/Date(1588723200000+0000)/",
        "110105194912310021",
        "4111111111111112",
        "pkg@1.2.3",
        "version 1.2.3@beta",
        "2025-08-19T08:32:02+00:00",
        "3362227000",
    ];
    for value in values {
        let json = format!("{{\"value\": \"{value}\"}}");
        assert_eq!(
            counts(&inspect_body(JSON, json.as_bytes())),
            [],
            "{value} in JSON"
        );
        let text = format!("id;{value};end\n");
        assert_eq!(
            counts(&inspect_body(TEXT, text.as_bytes())),
            [],
            "{value} in text"
        );
    }
}

#[test]
fn look_alike_json_numbers_are_ignored() {
    let body = br#"{"ts": 1588723200000, "id": 110105194912310021, "n": 4111111111111112}"#;
    assert_eq!(counts(&inspect_body(JSON, body)), []);
}

#[test]
fn card_sent_as_json_number_is_found() {
    let report = inspect_body(JSON, br#"{"pan": 4111111111111111110}"#);
    assert_eq!(counts(&report), [(Category::PaymentCard, 1)]);
    let card = report.finding(Category::PaymentCard).unwrap();
    assert_eq!(card.samples, ["************1110"]);
    assert_eq!(card.locations, ["$.pan"]);
}

#[test]
fn names_in_nested_json_objects_are_found() {
    let cases: [(&str, &[&str]); 3] = [
        (
            r#"[{"name": {"first": "Jane", "last": "Doe"}},
                {"name": {"first": "Ron", "last": "Gibson"}}]"#,
            &["$[0].name.first", "$[1].name.first", "$[0].name.last"],
        ),
        // HubSpot's contact properties.
        (
            r#"{"properties": {"firstname": {"value": "Jane"}, "lastname": {"value": "Doe"}}}"#,
            &[
                "$.properties.firstname.value",
                "$.properties.lastname.value",
            ],
        ),
        // A FHIR Patient resource's HumanName.
        (
            r#"{"resourceType": "Patient",
                "name": [{"use": "official", "family": "Chalmers", "given": ["Peter", "James"]}]}"#,
            &[
                "$.name[0].family",
                "$.name[0].given[0]",
                "$.name[0].given[1]",
            ],
        ),
    ];
    for (body, locations) in cases {
        let report = inspect_body(JSON, body.as_bytes());
        let names = report.finding(Category::PersonName).expect(body);
        for location in locations {
            assert!(
                names.locations.iter().any(|found| found == location),
                "{location} in {body}"
            );
        }
    }
    // `first` is part of a person's name only under a key that names a
    // person or an organisation.
    let others: [&[u8]; 5] = [
        br#"{"order": {"first": "Jane Doe"}}"#,
        br#"{"fontName": {"family": "Open Sans"}}"#,
        br#"{"filename": {"first": "Quarterly Report", "last": "Budget Draft"}}"#,
        br#"{"hostname": {"first": "Alpha Node"}}"#,
        br#"{"modelName": {"family": "Galaxy Note", "middle": "Ultra"}}"#,
    ];
    for body in others {
        let report = inspect_body(JSON, body);
        assert_eq!(counts(&report), [], "{}", String::from_utf8_lossy(body));
    }
}

/// The rows of a pandas `DataFrame.to_json` export in each orient, as
/// JSON sends them: two people, found under their column names and each
/// counted once.
const PANDAS_ORIENTS: [(&str, &str, [&str; 2]); 5] = [
    (
        "columns",
        r#"{"name": {"0": "John Smith", "1": "Jane Doe"},
            "email": {"0": "john@example.com", "1": "jane@example.org"},
            "dob": {"0": "1985-03-14", "1": "1990-07-01"}}"#,
        ["$.name[\"0\"]", "$.name[\"1\"]"],
    ),
    (
        "index",
        r#"{"0": {"name": "John Smith", "email": "john@example.com", "dob": "1985-03-14"},
            "1": {"name": "Jane Doe", "email": "jane@example.org", "dob": "1990-07-01"}}"#,
        ["$[\"0\"].name", "$[\"1\"].name"],
    ),
    (
        "split",
        r#"{"columns": ["name", "email", "dob"], "index": [0, 1],
            "data": [["John Smith", "john@example.com", "1985-03-14"],
                     ["Jane Doe", "jane@example.org", "1990-07-01"]]}"#,
        ["$.data[0][0]", "$.data[1][0]"],
    ),
    (
        "header row",
        r#"[["name", "email", "dob"],
            ["John Smith", "john@example.com", "1985-03-14"],
            ["Jane Doe", "jane@example.org", "1990-07-01"]]"#,
        ["$[1][0]", "$[2][0]"],
    ),
    (
        "header row in a field",
        r#"{"range": "Sheet1!A1:C3", "values": [["Name", "Email", "Date of birth"],
            ["John Smith", "john@example.com", "1985-03-14"],
            ["Jane Doe", "jane@example.org", "1990-07-01"]]}"#,
        ["$.values[1][0]", "$.values[2][0]"],
    ),
];

#[test]
fn pandas_orients_keep_column_names() {
    for (orient, body, locations) in PANDAS_ORIENTS {
        let report = inspect_body(JSON, body.as_bytes());
        let names = report.finding(Category::PersonName).expect(orient);
        assert_eq!(names.count, 2, "{orient}");
        assert_eq!(names.locations, locations, "{orient}");
        let emails = report.finding(Category::Email).expect(orient);
        assert_eq!(emails.count, 2, "{orient}");
        let birth_dates = report.finding(Category::DateOfBirth).expect(orient);
        assert_eq!(birth_dates.count, 2, "{orient}");
        assert_eq!(report.subjects, 2, "{orient}");
    }
}

/// pandas writes `orient="columns"` with the row labels of the index as
/// keys, such as the customer numbers of `df.set_index("customer_id")`.
/// Each label is a row and each row is one person.
#[test]
fn pandas_columns_keyed_by_labels() {
    let labelled = r#"{"name": {"CUST-00000": "James Smith", "CUST-00001": "Mary Jones"},
        "birthdate": {"CUST-00000": "1950-01-10", "CUST-00001": "1962-05-03"},
        "diagnosis": {"CUST-00000": "E11.9", "CUST-00001": "I10"}}"#;
    let report = inspect_body(JSON, labelled.as_bytes());
    assert_eq!(
        counts(&report),
        [
            (Category::PersonName, 2),
            (Category::DateOfBirth, 2),
            (Category::Health, 2)
        ]
    );
    let names = report.finding(Category::PersonName).unwrap();
    assert_eq!(
        names.locations,
        ["$.name[\"CUST-00000\"]", "$.name[\"CUST-00001\"]"]
    );
    assert_eq!(report.subjects, 2);

    // Digit and label keys in one object.
    let mixed = r#"{"name": {"0": "John Smith", "r1": "Mary Jones"},
        "dob": {"0": "1985-03-14", "r1": "1990-07-01"}}"#;
    let report = inspect_body(JSON, mixed.as_bytes());
    assert_eq!(
        counts(&report),
        [(Category::PersonName, 2), (Category::DateOfBirth, 2)]
    );
    assert_eq!(report.subjects, 2);

    // An object with a known key among its first keys, or with keys
    // without a digit, contains fields of its own, not rows.
    let nested = r#"{"name": {"P1": "John Smith", "email": "jane@example.com"},
        "dob": {"from": "1985-03-14", "to": "1990-07-01"}}"#;
    let report = inspect_body(JSON, nested.as_bytes());
    assert_eq!(counts(&report), [(Category::Email, 1)]);

    // `orient="index"` under labels: each row's object is a record, which
    // two e-mail addresses in one record would not be.
    let rows: serde_json::Map<String, serde_json::Value> = (0..300)
        .map(|index| {
            let row = serde_json::json!({
                "email": format!("customer{index}@example.com"),
                "phone": format!("+49 30 1234{:03}", index % 2),
            });
            (format!("CUST-{index:05}"), row)
        })
        .collect();
    let body = serde_json::Value::Object(rows).to_string();
    let report = inspect_body(JSON, body.as_bytes());
    assert_eq!(report.finding(Category::Email).unwrap().count, 300);
    assert_eq!(report.subjects, 300);
    let emails = &report.finding(Category::Email).unwrap().locations;
    assert_eq!(emails[0], "$[\"CUST-00000\"].email");
}

/// Objects keyed by numbers or labels inside one record, such as the lines
/// of one customer's address, are no table of people.
#[test]
fn row_keys_inside_a_record_are_one_person() {
    for body in [
        r#"{"customer_id": "C-1", "name": "Jane Doe", "phone": {"line1": "+49 30 1234567",
            "line2": "+49 30 1234568", "line3": "+49 30 1234569", "line4": "+49 30 1234560"}}"#,
        r#"{"name": "Jane Doe", "address": {"line1": "Hauptstraße 5", "line2": "10115 Berlin",
            "line3": "Germany"}}"#,
        r#"{"name": "Jane Doe", "phone": {"2023": "+49 30 1234567", "2024": "+49 30 1234567",
            "2025": "+49 30 1234567"}}"#,
    ] {
        let report = inspect_body(JSON, body.as_bytes());
        assert!(report.personal_data, "{body}");
        assert_eq!(report.subjects, 1, "{body}");
    }
}

/// A spreadsheet sent as rows may have title rows of one cell above its
/// header, as a CSV export has title lines.
#[test]
fn header_row_after_title_rows() {
    let header = r#"["name", "city", "dob"],
        ["John Smith", "Berlin", "1985-03-14"],
        ["Mary Jones", "Hamburg", "1990-07-01"]"#;
    for titles in [
        "",
        r#"["Customer export", ""],"#,
        r#"["Customer export"], [], [null, "2026-12-01"],"#,
        r#"["Customer export"], [""], ["Stand"], ["2026-12-01"], ["Berlin office"],"#,
    ] {
        let body = format!("[{titles}{header}]");
        let report = inspect_body(JSON, body.as_bytes());
        assert_eq!(
            counts(&report),
            [(Category::PersonName, 2), (Category::DateOfBirth, 2)],
            "{body}"
        );
        assert_eq!(report.subjects, 2, "{body}");
    }
    // A row of two cells is data, so the row after it is no header.
    let body = format!(r#"[["Customer export", "Berlin"], {header}]"#);
    let report = inspect_body(JSON, body.as_bytes());
    assert_eq!(counts(&report), [], "{body}");
}

/// `orient="values"` sends rows without a header, so the values are scanned
/// without keys, and a first row of data is no header.
#[test]
fn rows_without_header_keep_values() {
    let values = r#"[["John Smith", "john@example.com", "1985-03-14"],
                     ["Jane Doe", "jane@example.org", "1990-07-01"]]"#;
    let report = inspect_body(JSON, values.as_bytes());
    assert_eq!(counts(&report), [(Category::Email, 2)]);
    assert_eq!(report.subjects, 2);
    let pairs = r#"{"contact": [["Jane Doe", "jane@example.org"], ["name", "John Smith"]]}"#;
    let report = inspect_body(JSON, pairs.as_bytes());
    assert_eq!(counts(&report), [(Category::Email, 1)]);
}

/// A pandas export of 2,000 people counts each of them once in every
/// orient.
#[test]
fn pandas_orients_count_every_row() {
    let rows = 2_000;
    let name = |row: usize| format!("Person{} Smith", char::from(b'A' + (row % 26) as u8));
    let email = |row: usize| format!("user{row}@example.com");
    let dob = |row: usize| format!("19{:02}-03-14", 40 + row % 60);

    let column = |value: &dyn Fn(usize) -> String| {
        (0..rows)
            .map(|row| (row.to_string(), serde_json::Value::from(value(row))))
            .collect::<serde_json::Map<_, _>>()
    };
    let columns = serde_json::json!({
        "name": column(&name), "email": column(&email), "dob": column(&dob),
    });

    let index: serde_json::Map<_, _> = (0..rows)
        .map(|row| {
            let record =
                serde_json::json!({"name": name(row), "email": email(row), "dob": dob(row)});
            (row.to_string(), record)
        })
        .collect();

    let data: Vec<_> = (0..rows)
        .map(|row| serde_json::json!([name(row), email(row), dob(row)]))
        .collect();
    let split = serde_json::json!({
        "columns": ["name", "email", "dob"],
        "index": (0..rows).collect::<Vec<_>>(),
        "data": data,
    });

    let mut header_rows = vec![serde_json::json!(["name", "email", "dob"])];
    header_rows.extend(data.iter().cloned());

    let bodies = [
        ("columns", columns),
        ("index", serde_json::Value::from(index)),
        ("split", split),
        ("header row", serde_json::Value::from(header_rows)),
    ];
    for (orient, body) in bodies {
        let report = inspect_body(JSON, body.to_string().as_bytes());
        let names = report.finding(Category::PersonName).expect(orient);
        assert_eq!(names.count, 2_000, "{orient}");
        assert_eq!(report.subjects, 2_000, "{orient}");
    }
}

#[test]
fn name_value_pairs_keyed_by_label() {
    // HubSpot's form submissions and FHIR's ContactPoint.
    let json = br#"{"fields": [
        {"name": "firstname", "value": "Jane"},
        {"name": "phone", "value": "020 7946 0123"},
        {"key": "dob", "value": "1985-03-12"},
        {"label": "ssn", "value": "536221234"}],
      "telecom": [{"system": "email", "value": "jane@example.com"},
                  {"system": "sms", "value": "020 7946 0124"}],
      "webhook": {"propertyName": "mobilephone", "propertyValue": "4155550132"}}"#;
    let report = inspect_body(JSON, json);
    let expected = [
        (Category::PersonName, "$.fields[0].value"),
        (Category::Phone, "$.fields[1].value"),
        (Category::Phone, "$.telecom[1].value"),
        (Category::Phone, "$.webhook.propertyValue"),
        (Category::DateOfBirth, "$.fields[2].value"),
        (Category::UsSsn, "$.fields[3].value"),
        (Category::Email, "$.telecom[0].value"),
    ];
    for (category, location) in expected {
        let finding = report.finding(category).expect(location);
        assert!(
            finding.locations.iter().any(|found| found == location),
            "{location}"
        );
    }
    assert_eq!(report.finding(Category::Phone).unwrap().count, 3);

    // Wrappers nest.
    for body in [
        r#"{"firstname": {"value": {"value": "Jane"}}}"#,
        r#"{"fields": [{"name": "firstname", "value": {"value": "Jane"}}]}"#,
        r#"{"name": {"family": {"value": "Whitfield"}}}"#,
    ] {
        let report = inspect_body(JSON, body.as_bytes());
        assert_eq!(counts(&report), [(Category::PersonName, 1)], "{body}");
    }

    // The label may follow the value, and a label before a value names a
    // field whatever its shape, not a person called `Color`.
    let reversed = br#"[{"value": "4155550132", "system": "phone"},
                        {"value": "536.22.1847", "name": "ssn"},
                        {"name": "Color", "value": "Red"}]"#;
    let report = inspect_body(JSON, reversed);
    assert_eq!(
        counts(&report),
        [(Category::Phone, 1), (Category::UsSsn, 1)]
    );

    // A label is a field name even when it reads like a person's name, in
    // a flat record of members as in an array of pairs.
    for body in [
        r#"{"name": "Jane Doe", "value": "Red"}"#,
        r#"[{"name": "Jane Doe", "value": "Red"}, {"name": "John Smith", "value": "Blue"}]"#,
        r#"{"name" : "Jane Doe" , "value" : "Red"}"#,
    ] {
        let report = inspect_body(JSON, body.as_bytes());
        assert_eq!(counts(&report), [], "{body}");
    }
    // Without a wrapper after it, a label's value is an ordinary member.
    let record = br#"[{"name": "Jane Doe", "email": "jane@example.com"},
                      {"name": "John Smith", "email": "john@example.com"}]"#;
    let report = inspect_body(JSON, record);
    assert_eq!(
        counts(&report),
        [(Category::Email, 2), (Category::PersonName, 2)]
    );

    // A label that names anything keys nothing: AWS tags name servers.
    let tags = br#"{"Tags": [{"Key": "Name", "Value": "Web Server"}]}"#;
    assert_eq!(counts(&inspect_body(JSON, tags)), []);
    let xml = br#"<r><attribute name="Name" value="Web Server"/></r>"#;
    assert_eq!(counts(&inspect_body("application/xml", xml)), []);
}

#[test]
fn xml_wrappers_take_element_key() {
    let cases: [(&str, &str); 4] = [
        (
            r#"<r><attribute name="phone" value="020 7946 0123"/></r>"#,
            "/r/attribute[@name=\"phone\"]/@value",
        ),
        (
            r#"<r><field name="phone"><value>020 7946 0123</value></field></r>"#,
            "/r/field[@name=\"phone\"]/value",
        ),
        (
            "<r><phone><value>020 7946 0123</value></phone></r>",
            "/r/phone/value",
        ),
        (
            r#"<r><phone value="020 7946 0123"/></r>"#,
            "/r/phone/@value",
        ),
    ];
    for (xml, location) in cases {
        let report = inspect_body("application/xml", xml.as_bytes());
        let phones = report.finding(Category::Phone).expect(xml);
        assert_eq!(phones.locations, [location]);
    }

    // An attribute `value` of an element that names nothing stays a value.
    let report = inspect_body(
        "application/xml",
        br#"<r><item value="020 7946 0123"/></r>"#,
    );
    assert_eq!(counts(&report), []);

    // The label may follow the value, and a label beside a value is a
    // field name whatever its shape, not a person called `Color`.
    let xml = br#"<r><attribute value="020 7946 0123" name="phone"/><attribute name="Color" value="Red"/></r>"#;
    let report = inspect_body("application/xml", xml);
    assert_eq!(counts(&report), [(Category::Phone, 1)]);
    let rpc = br#"<struct><member><name>Color</name><value><string>Red</string></value></member></struct>"#;
    assert_eq!(counts(&inspect_body("text/xml", rpc)), []);
}

#[test]
fn xml_rpc_members_are_keyed_by_their_names() {
    // Odoo's external API posts records as XML-RPC structs.
    let xml = br#"<?xml version="1.0"?>
<methodCall><methodName>execute_kw</methodName><params><param><value><struct>
<member><name>name</name><value><string>Jane Doe</string></value></member>
<member><name>phone</name><value><string>0612 345 678</string></value></member>
<member><name>birthday</name><value><string>1985-03-12</string></value></member>
</struct></value></param></params></methodCall>"#;
    let report = inspect_body("text/xml", xml);
    assert_eq!(
        counts(&report),
        [
            (Category::Phone, 1),
            (Category::PersonName, 1),
            (Category::DateOfBirth, 1),
        ]
    );
    let phones = report.finding(Category::Phone).unwrap();
    assert_eq!(
        phones.locations,
        ["/methodCall/params/param/value/struct/member[@name=\"phone\"]/value/string"]
    );
}

#[test]
fn names_sent_as_keys_are_masked_in_locations() {
    let report = inspect_body(
        JSON,
        br#"{"contacts": {"Jane Doe": {"phone": "+44 20 7946 0123"}}}"#,
    );
    let phones = report.finding(Category::Phone).unwrap();
    assert_eq!(phones.locations, ["$.contacts[\"J*** D***\"].phone"]);

    let xml =
        b"<people><person name=\"Jane Doe\"><email>jane@example.com</email></person></people>";
    let report = inspect_body("application/xml", xml);
    let emails = report.finding(Category::Email).unwrap();
    assert_eq!(
        emails.locations,
        ["/people/person[@name=\"J*** D***\"]/email"]
    );

    for key in ["Doe,John", "Jane\\tDoe", "Jane\\u00a0Doe"] {
        let body = format!(r#"{{"contacts": {{"{key}": {{"phone": "+44 20 7946 0123"}}}}}}"#);
        let report = inspect_body(JSON, body.as_bytes());
        let location = &report.finding(Category::Phone).unwrap().locations[0];
        assert!(!location.contains("Doe"), "{location}");
    }

    // A CSV header or a known field name keeps its text.
    let csv = b"First Name,E-Mail Address\nJane,jane@example.com\n";
    let report = inspect_body("text/csv", csv);
    let emails = report.finding(Category::Email).unwrap();
    assert_eq!(emails.locations, ["csv:E-Mail Address row 2"]);
}

#[test]
fn escaped_email_in_json_is_found() {
    let report = inspect_body(JSON, br#"{"email": "jane\u0040example.com"}"#);
    assert_eq!(counts(&report), [(Category::Email, 1)]);
}

#[test]
fn json_keys_are_scanned_and_masked() {
    let report = inspect_body(JSON, br#"{"jane@example.com": {"orders": 3}}"#);
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.count, 1);
    assert_eq!(email.locations, ["$[\"j***@e***.com\"]"]);
}

#[test]
fn form_body_is_percent_decoded() {
    let report = inspect_body(
        FORM,
        b"name=Jane+Doe&email=jane%40example.com&tel=%2B49+30+1234567",
    );
    assert_eq!(
        counts(&report),
        [
            (Category::Email, 1),
            (Category::Phone, 1),
            (Category::PersonName, 1)
        ]
    );
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.locations, ["form:email"]);
    let phone = report.finding(Category::Phone).unwrap();
    assert_eq!(phone.locations, ["form:tel"]);
}

#[test]
fn query_and_path_are_scanned() {
    let request = Request {
        path: "/customers/jane%40example.com/cards",
        query: Some("e_mail=john%40example.org&page=2"),
        ..Request::default()
    };
    let report = Inspector::default().inspect(&request).unwrap();
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.count, 2);
    assert_eq!(email.locations, ["path[1]", "query:e_mail"]);
    assert_eq!(report.decoded_bytes, 0);
}

#[test]
fn text_locations_are_line_numbers() {
    let report = inspect_body(TEXT, b"header\r\nid,mail\r\n1,jane@example.com\r\n");
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.locations, ["line 3"]);
}

#[test]
fn gzip_body_is_decoded_before_scanning() {
    let plain = br#"[{"email": "jane@example.com"}]"#;
    let request = Request {
        path: "/",
        content_type: Some(JSON),
        content_encoding: Some("gzip"),
        body: &gzip(plain),
        ..Request::default()
    };
    let report = Inspector::default().inspect(&request).unwrap();
    assert_eq!(counts(&report), [(Category::Email, 1)]);
    assert_eq!(report.decoded_bytes, plain.len() as u64);
}

#[test]
fn unsupported_encoding_is_an_error() {
    let request = Request {
        path: "/",
        content_encoding: Some("compress"),
        body: b"\x1f\x9d",
        ..Request::default()
    };
    let error = Inspector::default().inspect(&request).unwrap_err();
    assert_eq!(
        error,
        InspectError::UnsupportedEncoding {
            encoding: "compress".to_owned()
        }
    );
}

#[test]
fn gzip_bomb_is_an_error() {
    let bomb = gzip(&vec![0u8; 8 * 1024 * 1024]);
    let request = Request {
        path: "/",
        content_encoding: Some("gzip"),
        body: &bomb,
        ..Request::default()
    };
    let limits = Limits {
        max_decoded_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let error = Inspector::new(limits).inspect(&request).unwrap_err();
    assert_eq!(
        error,
        InspectError::DecodedTooLarge {
            encoding: ContentCoding::Gzip,
            limit: 1024 * 1024
        }
    );
}

#[test]
fn invalid_json_is_an_error_with_offset() {
    let request = Request {
        path: "/",
        content_type: Some("application/vnd.api+json"),
        body: b"{\"email\": jane@example.com}",
        ..Request::default()
    };
    let error = Inspector::default().inspect(&request).unwrap_err();
    assert_eq!(
        error,
        InspectError::InvalidJson {
            offset: 10,
            message: "unexpected character; expected a value".to_owned()
        }
    );
    assert_eq!(
        error.to_string(),
        "invalid JSON at byte 10: unexpected character; expected a value"
    );
}

#[test]
fn nesting_limit_comes_from_limits() {
    let request = Request {
        path: "/",
        content_type: Some(JSON),
        body: b"[[[1]]]",
        ..Request::default()
    };
    let limits = Limits {
        max_nesting_depth: 2,
        ..Limits::default()
    };
    let error = Inspector::new(limits).inspect(&request).unwrap_err();
    assert_eq!(
        error,
        InspectError::JsonTooDeep {
            offset: 2,
            limit: 2
        }
    );
}

#[test]
fn empty_body_has_no_findings() {
    assert_eq!(inspect_body(JSON, b""), Report::default());
}

#[test]
fn stronger_detector_claims_phone_digits() {
    // " 0044 0532 0130 00" inside the IBAN has the shape of a 00-prefixed
    // international number.
    let report = inspect_body(TEXT, b"IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX");
    assert_eq!(counts(&report), [(Category::Iban, 1)]);
    let report = inspect_body(TEXT, b"+378282246310005");
    assert_eq!(counts(&report), [(Category::PaymentCard, 1)]);
}

#[test]
fn records_sharing_an_identifier_are_one_subject() {
    let body = br#"[
        {"email": "jane@example.com", "phone": "+49 30 1234567"},
        {"email": "JANE@example.com"},
        {"mobile": "+49-30-1234567", "card": "4111 1111 1111 1111"},
        {"email": "john@example.com"},
        {"email": "ann@example.com", "iban": "DE89370400440532013000"},
        {"note": "IBAN DE89 3704 0044 0532 0130 00"}
    ]"#;
    let report = inspect_body(JSON, body);
    assert_eq!(report.subjects, 3);
}

#[test]
fn mobile_numbers_written_differently_are_one_subject() {
    let body = b"13812345678\n+86 138 1234 5678\n008613812345678\n";
    let report = inspect_body(TEXT, body);
    assert_eq!(counts(&report), [(Category::Phone, 3)]);
    assert_eq!(report.subjects, 1);
}

#[test]
fn request_parts_outside_records_share_one_record() {
    let request = Request {
        path: "/",
        query: Some("email=jane%40example.com"),
        content_type: Some(FORM),
        body: b"phone=%2B49+30+1234567",
        ..Request::default()
    };
    let report = Inspector::default().inspect(&request).unwrap();
    assert_eq!(report.subjects, 1);
}

#[test]
fn samples_and_locations_are_capped_and_distinct() {
    let lines: String = (0..30)
        .map(|index| format!("user{}@example.com\n", index % 5))
        .collect();
    let report = inspect_body(TEXT, lines.as_bytes());
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.count, 30);
    assert_eq!(email.samples, ["u***@e***.com"]);
    assert_eq!(email.locations.len(), inspect::MAX_LOCATIONS);
    assert_eq!(email.locations[9], "line 10");
    assert_eq!(report.subjects, 5);
}

#[test]
fn findings_follow_category_order_and_set_flags() {
    let report = inspect_body(
        TEXT,
        b"DE89370400440532013000 jane@example.com 11010519491231002X +49 30 1234567",
    );
    assert_eq!(
        counts(&report),
        [
            (Category::Email, 1),
            (Category::Phone, 1),
            (Category::CnResidentId, 1),
            (Category::Iban, 1)
        ]
    );
    assert!(report.personal_data);
    assert!(report.sensitive);
    let sensitivity: Vec<bool> = report
        .findings
        .iter()
        .map(|finding| finding.sensitive)
        .collect();
    assert_eq!(sensitivity, [false, false, true, true]);
}

#[test]
fn email_alone_is_not_sensitive() {
    let report = inspect_body(TEXT, b"jane@example.com");
    assert!(report.personal_data);
    assert!(!report.sensitive);
}

#[test]
fn report_serializes_without_raw_values() {
    let report = inspect_body(JSON, br#"{"email": "jane@example.com"}"#);
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains("jane@example.com"));
    assert!(json.contains("\"category\":\"email\""));
    assert!(!json.contains("decoded_bytes"));
}

#[test]
fn mask_text_masks_paths() {
    let inspector = Inspector::default();
    assert_eq!(
        inspector.mask_text("/v1/customers/jane%40example.com/iban/DE89370400440532013000"),
        "/v1/customers/j***@e***.com/iban/DE****************3000"
    );
    assert_eq!(inspector.mask_text("/v1/orders/12345"), "/v1/orders/12345");
    assert_eq!(
        inspector.mask_text("/u/anna.schmidt%2540example.com"),
        "/u/a***@e***.com"
    );
}

/// A path segment keyed by the one before it is masked like the inspector
/// reads it, and everything `mask_text` masks stays masked.
#[test]
fn mask_path_keys_segments_by_previous() {
    let inspector = Inspector::default();
    let masked = inspector.mask_path("/patients/dob/1985-03-14/visits");
    assert!(!masked.contains("1985"), "{masked}");
    assert!(masked.starts_with("/patients/dob/"), "{masked}");
    assert!(masked.ends_with("/visits"), "{masked}");
    assert_eq!(
        inspector.mask_path("/v1/customers/jane%40example.com/iban/DE89370400440532013000"),
        "/v1/customers/j***@e***.com/iban/DE****************3000"
    );
    assert_eq!(inspector.mask_path("/v1/orders/12345"), "/v1/orders/12345");
}

/// An undeclared Latin-1 body is transcoded from the guessed charset, so
/// the name with its accent is found as well as the address.
#[test]
fn latin_1_text_is_scanned() {
    let report = inspect_body(
        "application/xml",
        b"<Nm>Jos\xe9</Nm><Mail>jose@example.es</Mail>",
    );
    assert_eq!(
        counts(&report),
        [(Category::Email, 1), (Category::PersonName, 1)]
    );
}

fn inspect_request(request: &Request<'_>) -> Result<Report, InspectError> {
    Inspector::default().inspect(request)
}

fn body_error(content_type: Option<&str>, body: &[u8]) -> InspectError {
    let request = Request {
        path: "/",
        content_type,
        body,
        ..Request::default()
    };
    inspect_request(&request).unwrap_err()
}

fn binary(media_type: &str, offset: usize) -> InspectError {
    InspectError::BinaryBody {
        media_type: media_type.to_owned(),
        offset,
    }
}

#[test]
fn binary_bodies_are_errors() {
    let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00jane@example.com";
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    let gzip_file = gzip(b"jane@example.com");
    let utf16: Vec<u8> = "jane@example.com"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let cases: [(Option<&str>, &[u8], InspectError); 5] = [
        (Some("application/zip"), zip, binary("application/zip", 5)),
        (Some("image/png; q=1"), png, binary("image/png", 8)),
        (
            Some("application/gzip"),
            &gzip_file,
            binary(
                "application/gzip",
                gzip_file.iter().position(|&b| b == 0).unwrap(),
            ),
        ),
        (Some(TEXT), &utf16, binary("text/plain", 1)),
        (None, zip, binary("unknown", 5)),
    ];
    for (content_type, body, expected) in cases {
        assert_eq!(body_error(content_type, body), expected, "{content_type:?}");
    }
}

/// A NUL or a run of control bytes makes a body binary whichever way its
/// charset is found: guessed, labelled UTF-8, or after a byte order mark,
/// and in ASCII text as in accented text. The offset counts the byte
/// order mark, so it points into the body as sent.
#[test]
fn control_bytes_are_found_whatever_the_charset_route() {
    let ascii = b"name,email\nJane Doe,jane@example.com\n".repeat(20);
    let utf8 = "name,email\nJürgen Müller,jm@example.de\n"
        .repeat(20)
        .into_bytes();
    for text in [&ascii, &utf8] {
        for (content_type, prefix) in [
            ("text/csv", &b""[..]),
            ("text/csv; charset=utf-8", b""),
            ("text/csv", b"\xef\xbb\xbf"),
        ] {
            for at in [0, 1, 255, 256, 257, text.len() - 1] {
                let mut body = [prefix, text.as_slice()].concat();
                body[prefix.len() + at] = 0;
                let expected = binary("text/csv", prefix.len() + at);
                assert_eq!(body_error(Some(content_type), &body), expected, "{at}");
            }
            let mut body = [prefix, text.as_slice()].concat();
            for at in (100..body.len()).step_by(50) {
                body[at] = 0x02;
            }
            let expected = binary("text/csv", 100);
            assert_eq!(body_error(Some(content_type), &body), expected);
        }
    }
}

#[test]
fn binary_body_message_names_type_and_offset() {
    assert_eq!(
        body_error(Some("application/zip"), b"PK\x03\x04\x14\x00").to_string(),
        "body of type application/zip is binary (control byte at offset 5) and cannot be \
         inspected; only text, JSON, XML, CSV, form and multipart bodies are inspected"
    );
}

#[test]
fn control_bytes_above_one_percent_are_binary() {
    let mut body = b"jane@example.com ".repeat(10);
    body[40] = 0x02;
    body[90] = 0x03;
    assert_eq!(body_error(Some(TEXT), &body), binary("text/plain", 40));
}

#[test]
fn raw_nul_in_a_form_body_is_binary() {
    assert_eq!(
        body_error(Some(FORM), b"a=1&b=\x00jane@example.com"),
        binary("application/x-www-form-urlencoded", 6)
    );
}

#[test]
fn encoded_nul_in_a_form_value_is_text() {
    let report = inspect_body(FORM, b"a=%00&email=jane%40example.com");
    assert_eq!(counts(&report), [(Category::Email, 1)]);
}

#[test]
fn gzip_coded_text_is_checked_after_decoding() {
    let request = Request {
        path: "/",
        content_type: Some(TEXT),
        content_encoding: Some("gzip"),
        body: &gzip(b"jane@example.com\n"),
        ..Request::default()
    };
    let report = inspect_request(&request).unwrap();
    assert_eq!(counts(&report), [(Category::Email, 1)]);
}

#[test]
fn declared_unsupported_charsets_are_errors() {
    let cases = [
        ("text/plain; charset=utf-7", "utf-7"),
        ("application/json; charset=\"ISO-2022-KR\"", "ISO-2022-KR"),
        (
            "application/x-www-form-urlencoded; charset=x-mac-roman2",
            "x-mac-roman2",
        ),
        ("application/octet-stream; charset=ebcdic", "ebcdic"),
    ];
    for (content_type, charset) in cases {
        assert_eq!(
            body_error(Some(content_type), b"a=1"),
            InspectError::UnsupportedCharset {
                charset: charset.to_owned()
            },
            "{content_type}"
        );
    }
}

/// An XML document in EBCDIC, as a mainframe exports it: its declaration
/// cannot be read in an ASCII-based charset, so nothing in it would be.
#[test]
fn ebcdic_xml_rejected_under_any_type() {
    // `<?xml version="1.0" encoding="IBM037"?><email>j@example.com</email>`
    // in code page 037.
    let ascii = br#"<?xml version="1.0" encoding="IBM037"?><email>j@example.com</email>"#;
    let ebcdic: Vec<u8> = ascii.iter().map(|&byte| CP037[usize::from(byte)]).collect();
    for content_type in [Some("application/xml"), Some("text/plain"), None] {
        assert_eq!(
            body_error(content_type, &ebcdic),
            InspectError::UnsupportedCharset {
                charset: "ebcdic".to_owned()
            },
            "{content_type:?}"
        );
    }
}

/// Code page 037 for the printable ASCII characters; 0 elsewhere.
const CP037: [u8; 128] = {
    let mut table = [0u8; 128];
    let printable: &[u8; 95] = b" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    let codes: [u8; 95] = [
        0x40, 0x5A, 0x7F, 0x7B, 0x5B, 0x6C, 0x50, 0x7D, 0x4D, 0x5D, 0x5C, 0x4E, 0x6B, 0x60, 0x4B,
        0x61, 0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0x7A, 0x5E, 0x4C, 0x7E,
        0x6E, 0x6F, 0x7C, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xD1, 0xD2, 0xD3,
        0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xBA,
        0xE0, 0xBB, 0xB0, 0x6D, 0x79, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x91,
        0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8,
        0xA9, 0xC0, 0x4F, 0xD0, 0xA1,
    ];
    let mut index = 0;
    while index < printable.len() {
        table[printable[index] as usize] = codes[index];
        index += 1;
    }
    table
};

#[test]
fn unsupported_charset_message_asks_for_utf8() {
    assert_eq!(
        body_error(Some("text/plain; charset=utf-7"), b"a").to_string(),
        "charset \"utf-7\" is not supported; send UTF-8"
    );
}

#[test]
fn ascii_compatible_charsets_are_scanned() {
    for charset in ["UTF-8", "\"utf8\"", "us-ascii", "ISO-8859-1", "cp1252"] {
        let content_type = format!("text/plain; charset={charset}");
        let report = inspect_body(&content_type, b"jane@example.com");
        assert_eq!(counts(&report), [(Category::Email, 1)], "{charset}");
    }
}

#[test]
fn iban_forms_are_not_phones() {
    for iban in [
        "de89370400440532013000",
        "de89 3704 0044 0532 0130 00",
        "DE89-3704-0044-0532-0130-00",
        "DE89.3704.0044.0532.0130.00",
        "De89370400440532013000",
    ] {
        let report = inspect_body(TEXT, format!("iban {iban} bic").as_bytes());
        assert_eq!(counts(&report), [(Category::Iban, 1)], "{iban}");
        assert!(report.sensitive, "{iban}");
    }
}

#[test]
fn reference_numbers_are_not_personal_data() {
    for text in ["ORDER-2024-000123", "INV 2024 0001 2345"] {
        assert!(!inspect_body(TEXT, text.as_bytes()).personal_data, "{text}");
    }
}

#[test]
fn mask_text_hides_values_in_stored_texts() {
    let inspector = Inspector::default();
    let cases = [
        (
            "invalid Host \"frank.secret@example.com\"",
            "frank.secret@example.com",
        ),
        ("/lookup?email=carol%40example.com", "carol"),
        ("/iban/de89-3704-0044-0532-0130-00", "0532"),
    ];
    for (text, secret) in cases {
        let masked = inspector.mask_text(text);
        assert!(!masked.contains(secret), "{text} -> {masked}");
    }
}

#[test]
fn wide_csv_keeps_every_column_key() {
    // More columns than the key cache has slots, so column names evict
    // each other and are looked up again.
    let columns = 600;
    let header: Vec<String> = (0..columns)
        .map(|index| {
            if index % 50 == 0 {
                format!("phone_{index}")
            } else {
                format!("code_{index}")
            }
        })
        .collect();
    let row: Vec<&str> = (0..columns)
        .map(|index| {
            if index % 50 == 0 {
                "030 1234567"
            } else {
                "A-1"
            }
        })
        .collect();
    let mut body = header.join(",");
    for _ in 0..3 {
        body.push('\n');
        body.push_str(&row.join(","));
    }
    let report = inspect_body("text/csv", body.as_bytes());
    assert_eq!(counts(&report), [(Category::Phone, 36)]);
}

/// Fillers and other values beside the names of a column must not hide
/// them: a sender could add one `n/a` record per real one.
#[test]
fn name_column_ignores_decoy_values() {
    let names = ["John Smith", "Jane Roe", "Zoe Markerfrau"];
    let person_count = |report: &Report| {
        report
            .finding(Category::PersonName)
            .map_or(0, |finding| finding.count)
    };
    for (key, decoys) in [
        ("fullname", &["n/a", "-", "unknown", "?", "N/A"][..]),
        ("fullname", &["1", "2", "3", "4", "5", "6", "7"]),
        ("last_name", &["X1-77", "0", "", "none", "123"]),
        ("name", &["n/a", "-", "TBD", "none", "null"]),
    ] {
        let mut records: Vec<String> = names
            .iter()
            .map(|name| format!("{{\"{key}\": \"{name}\"}}"))
            .collect();
        records.extend(
            decoys
                .iter()
                .map(|decoy| format!("{{\"{key}\": \"{decoy}\"}}")),
        );
        let json = format!("[{}]", records.join(","));
        let report = inspect_body(JSON, json.as_bytes());
        assert_eq!(person_count(&report), 3, "{json}");

        let mut csv = format!("id,{key}\n");
        for (index, value) in names.iter().chain(decoys).enumerate() {
            csv.push_str(&format!("{index},{value}\n"));
        }
        let report = inspect_body("text/csv", csv.as_bytes());
        assert_eq!(person_count(&report), 3, "{csv}");
    }
    // A salutation or a filler alone names no one.
    for filler in ["Herr", "Mr", "xxx", "partner", "Frau"] {
        let json = format!(r#"{{"fullname": "{filler}"}}"#);
        assert_eq!(
            person_count(&inspect_body(JSON, json.as_bytes())),
            0,
            "{filler}"
        );
    }
    // Under a key that may name anything, a column of mostly product codes
    // still counts no names.
    let products = r#"[{"name": "Jane Roe"}, {"name": "X1-77"}, {"name": "X1-78"}]"#;
    assert_eq!(person_count(&inspect_body(JSON, products.as_bytes())), 0);
}

/// A repeated column name, a title or comment line, a title of fewer cells
/// or with another delimiter, or a row of empty cells before the header
/// must not cost every column its name.
#[test]
fn csv_header_after_titles_and_repeats() {
    let header = "Kundennr,Name,Geburtsdatum,Diagnose,Telefon,Telefon";
    let row = "1001,Hans Müller,14.03.1985,Diabetes mellitus Typ 2,030 12345678,0151 12345678";
    for preamble in [
        "",
        "Export 2026-12-01\n",
        "# Kunden\r\n",
        ",,,,,\n",
        "Kunden\n\n",
        "Report,2026-12-01\n",
        "Export; Dezember 2026\n",
        "Kunden,Export\nStand,2026-12-01\n",
        "\"Patienten, Station 3\"\n",
        "\"Export;by;CRM\"\r\n",
    ] {
        let body = format!("{preamble}{header}\n{row}\n");
        let report = inspect_body("text/csv", body.as_bytes());
        assert_eq!(
            counts(&report),
            [
                (Category::Phone, 2),
                (Category::PersonName, 1),
                (Category::DateOfBirth, 1),
                (Category::Health, 1)
            ],
            "{body}"
        );
        let lines = preamble.matches('\n').count();
        let phones = &report.finding(Category::Phone).unwrap().locations;
        assert_eq!(
            phones,
            &[format!("csv:Telefon row {}", lines + 2)],
            "{body}"
        );
    }
    // A title with personal data is scanned as text.
    let body = format!("Export for jane@example.com\n{header}\n{row}\n");
    let report = inspect_body("text/csv", body.as_bytes());
    assert_eq!(report.finding(Category::Email).unwrap().count, 1);
    // A file of one column keeps its header.
    let report = inspect_body("text/csv", b"email\njane@example.com\n");
    let emails = &report.finding(Category::Email).unwrap().locations;
    assert_eq!(emails, &["csv:email row 2"]);
}

/// A report may put more than five lines of one cell above its header. A
/// header of known field names still names the columns after up to 50 of
/// them.
#[test]
fn csv_header_after_many_title_lines() {
    let table = "name,birth_date,diagnosis\nJohn Smith,1985-03-14,Type 2 diabetes mellitus\n";
    for titles in [6, 12, 49] {
        let preamble: String = (0..titles).map(|line| format!("Title {line}\n")).collect();
        let body = format!("{preamble}{table}");
        let report = inspect_body("text/csv", body.as_bytes());
        assert_eq!(
            counts(&report),
            [
                (Category::PersonName, 1),
                (Category::DateOfBirth, 1),
                (Category::Health, 1)
            ],
            "{titles} title lines"
        );
        let names = &report.finding(Category::PersonName).unwrap().locations;
        assert_eq!(names, &[format!("csv:name row {}", titles + 2)]);
    }
    // More title lines than the delimiter is sniffed from.
    let titles: String = (0..20).map(|line| format!("Title {line}\n")).collect();
    let body = format!("{titles}{}", table.replace(',', ";"));
    let report = inspect_body("text/csv", body.as_bytes());
    assert_eq!(report.finding(Category::Health).unwrap().count, 1);
}

/// A document serialised twice: the field contains a JSON string literal
/// whose text is the document. Its keys still give context.
#[test]
fn json_encoded_twice_keeps_keys() {
    let document = r#"{"fullname": "John Smith", "dob": "1985-03-14", "diagnosis": "Type 2 diabetes mellitus"}"#;
    let once = serde_json::to_string(document).unwrap();
    let twice = serde_json::to_string(&once).unwrap();
    for (body, prefix) in [
        (format!(r#"{{"payload": {once}}}"#), "$.payload(json)"),
        (
            format!(r#"{{"payload": {twice}}}"#),
            "$.payload(json)(json)",
        ),
    ] {
        let report = inspect_body(JSON, body.as_bytes());
        assert_eq!(
            counts(&report),
            [
                (Category::PersonName, 1),
                (Category::DateOfBirth, 1),
                (Category::Health, 1)
            ],
            "{body}"
        );
        let names = &report.finding(Category::PersonName).unwrap().locations;
        assert_eq!(names, &[format!("{prefix}.fullname")], "{body}");
    }
}

/// Some mail services use a number as the address; a resident ID, card
/// number or IBAN there is still that sensitive number.
#[test]
fn email_local_part_numbers_reported() {
    for (address, number) in [
        ("440304199001011233@qq.com", Category::CnResidentId),
        ("11010519491231002X@example.cn", Category::CnResidentId),
        ("4111111111111111@example.com", Category::PaymentCard),
        ("card.4111111111111111@example.com", Category::PaymentCard),
        ("4111-1111-1111-1111@example.com", Category::PaymentCard),
        ("4111.1111.1111.1111@example.com", Category::PaymentCard),
        ("pay_4111_1111_1111_1111@example.com", Category::PaymentCard),
        ("DE89370400440532013000@example.com", Category::Iban),
        ("de89370400440532013000@example.com", Category::Iban),
        ("iban.DE89370400440532013000@example.com", Category::Iban),
        ("DE89-3704-0044-0532-0130-00@example.com", Category::Iban),
        ("GB29NWBK60161331926819@example.com", Category::Iban),
    ] {
        for body in [
            format!(r#"{{"x": "{address}"}}"#),
            format!(r#"{{"x": "from {address} today"}}"#),
        ] {
            let report = inspect_body(JSON, body.as_bytes());
            let mut expected = vec![(Category::Email, 1), (number, 1)];
            expected.sort_by_key(|(category, _)| Category::ALL.iter().position(|c| c == category));
            assert_eq!(counts(&report), expected, "{body}");
        }
    }
    // A phone number or a short number as the address stays one address.
    for address in [
        "13812345678@163.com",
        "123456789@qq.com",
        "4111111111111112@example.com",
        "4111-1111-1111-1112@example.com",
        "4111-1111-11111111@example.com",
        "DE88370400440532013000@example.com",
        "XDE89370400440532013000@example.com",
    ] {
        let body = format!(r#"{{"x": "{address}"}}"#);
        assert_eq!(
            counts(&inspect_body(JSON, body.as_bytes())),
            [(Category::Email, 1)],
            "{body}"
        );
    }
}

/// Shapes that once counted thousands of people as one: identifiers
/// listed in one record, and one identifier shared by every record.
#[test]
fn subjects_split_lists_and_shared_identifiers() {
    let emails: Vec<String> = (0..500)
        .map(|index| format!("user{index}@example.com"))
        .collect();
    let subjects =
        |content_type: &str, body: String| inspect_body(content_type, body.as_bytes()).subjects;

    // All in one record: the first four distinct ones of a category may
    // be one person's, each further one is a person of its own.
    let list = serde_json::json!({ "emails": emails }).to_string();
    assert_eq!(subjects(JSON, list), 497);
    assert_eq!(subjects(TEXT, emails.join(", ")), 497);
    let repeated = format!("{0}, {0}, {0}", emails[7]);
    assert_eq!(subjects(TEXT, repeated), 1);

    // A record each, with an account manager's address and a hotline in
    // every one of them.
    let records: Vec<serde_json::Value> = emails
        .iter()
        .map(|email| {
            serde_json::json!({
                "email": email,
                "account_manager": "am@partner.example",
                "hotline": "+49 30 12345678"
            })
        })
        .collect();
    assert_eq!(
        subjects(JSON, serde_json::Value::from(records).to_string()),
        500
    );

    // A table sent by column: the n-th name, birth date and address of
    // the lists are one person, and the first four of each stay in the
    // record.
    let names = ["Jane Doe", "John Smith", "Zoe Roe"];
    let columns = serde_json::json!({
        "fullname": (0..500).map(|index| names[index % 3]).collect::<Vec<_>>(),
        "dob": (0..500).map(|index| format!("19{:02}-03-14", 40 + index % 60)).collect::<Vec<_>>(),
        "email": emails,
    });
    assert_eq!(subjects(JSON, columns.to_string()), 497);
    let given = [
        "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo", "Ida", "Jonas",
    ];
    let family = [
        "Adams", "Baker", "Clarke", "Dunn", "Evans", "Fischer", "Grant", "Hale", "Irwin", "Jones",
    ];
    let distinct_names: Vec<String> = (0..500)
        .map(|index| {
            let middle = char::from(b'A' + (index / 100) as u8);
            format!(
                "{} {middle}. {}",
                given[index % 10],
                family[index / 10 % 10]
            )
        })
        .collect();
    let names_only = serde_json::json!({ "fullname": distinct_names });
    assert_eq!(subjects(JSON, names_only.to_string()), 497);
    // One name repeated is one person, however often the list repeats it.
    let one_name = serde_json::json!({ "fullname": vec!["Jane Doe"; 500] });
    assert_eq!(subjects(JSON, one_name.to_string()), 1);

    // A customer on many orders is still one person, and so is a contact
    // with four phone numbers.
    let orders: Vec<serde_json::Value> = (0..180)
        .map(|order| serde_json::json!({"order": order, "email": emails[order % 3]}))
        .collect();
    assert_eq!(
        subjects(JSON, serde_json::Value::from(orders).to_string()),
        3
    );
    let contact = r#"{"phone": "+49 30 1234567", "mobile": "+49 151 2345678",
                      "fax": "+49 30 1234568", "home": "+49 30 7654321"}"#;
    assert_eq!(subjects(JSON, contact.to_owned()), 1);
}

/// Records that name each other merge into one group through their shared
/// identifiers, but each column of identifiers still names every person.
#[test]
fn subjects_of_linked_records() {
    let subjects = |records: Vec<serde_json::Value>| {
        inspect_body(
            JSON,
            serde_json::Value::from(records).to_string().as_bytes(),
        )
        .subjects
    };
    let email = |index: usize| format!("employee{index}@example.com");

    // Employees with their manager's address, the manager listed before
    // and after the employee's own.
    let staff = (0..400)
        .map(|index| serde_json::json!({"email": email(index), "manager": email(index / 5)}))
        .collect();
    assert_eq!(subjects(staff), 400);
    let staff = (0..400)
        .map(|index| serde_json::json!({"manager": email(index / 5), "email": email(index)}))
        .collect();
    assert_eq!(subjects(staff), 400);

    // A chain: each record refers to the next one's address.
    let chain = (0..400)
        .map(|index| serde_json::json!({"email": email(index), "ref": email(index + 1)}))
        .collect();
    assert_eq!(subjects(chain), 400);

    // Groups of 50 records that share a phone number, under the bound at
    // which a shared identifier stops merging.
    let groups = (0..400)
        .map(|index| {
            let phone = format!("+49 30 1234{:03}", index / 50);
            serde_json::json!({"phone": phone, "email": email(index)})
        })
        .collect();
    assert_eq!(subjects(groups), 400);

    // Records with their own name and birth date that share a sales
    // representative's address, or a doctor's phone number, in groups of 50.
    let first = [
        "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo",
    ];
    let last = [
        "Adams", "Baker", "Clarke", "Dunn", "Evans", "Fischer", "Grant", "Hale",
    ];
    let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
    let patient = |index: usize| {
        let name = format!("{} {}", first[index % 8], last[index / 8 % 8]);
        let dob = born + chrono::Days::new(index as u64 * 7);
        (name, dob.to_string())
    };
    let customers = (0..400)
        .map(|index| {
            let (name, dob) = patient(index);
            let rep = format!("rep{}@corp.example.com", index % 8);
            serde_json::json!({"customer_name": name, "birth_date": dob, "sales_rep": rep})
        })
        .collect();
    assert_eq!(subjects(customers), 400);
    let patients = (0..400)
        .map(|index| {
            let (name, _) = patient(index);
            let phone = format!("+49 30 1234{:03}", index % 8);
            serde_json::json!({"patient_name": name, "diagnosis": "E11.9", "doctor_phone": phone})
        })
        .collect();
    // 64 distinct names among 400 patients: the names give a lower bound
    // only, and no other value separates the patients.
    assert_eq!(subjects(patients), 64);

    // A customer's three addresses in one list stay one person.
    let lists = (0..400)
        .map(|index| serde_json::json!({"emails": [email(index), email(index + 1000), email(index + 2000)]}))
        .collect();
    assert_eq!(subjects(lists), 400);
}

/// An order export of five customers is five people, however many orders
/// each has, and the product names of its order lines are no people.
#[test]
fn subjects_of_repeat_customers() {
    let customers = [
        ("Anna Adams", "anna@example.com", "1971-02-03"),
        ("Ben Baker", "ben@example.com", "1982-04-05"),
        ("Clara Clarke", "clara@example.com", "1993-06-07"),
        ("David Dunn", "david@example.com", "1964-08-09"),
        ("Emma Evans", "emma@example.com", "1955-10-11"),
    ];
    let products = ["Widget Pro", "Office Chair", "Standing Desk", "Cable Kit"];
    let orders: Vec<serde_json::Value> = (0..500)
        .map(|order| {
            let (name, email, born) = customers[order % 5];
            serde_json::json!({
                "order": order,
                "customer_name": name,
                "email": email,
                "birth_date": born,
                "lines": [{"name": products[order % 4], "qty": 1}],
            })
        })
        .collect();
    let body = serde_json::Value::from(orders).to_string();
    assert_eq!(inspect_body(JSON, body.as_bytes()).subjects, 5);
}

/// One customer's orders repeat the customer's address and name in every
/// record, however many there are. Records that share an address but name
/// different people count by their names or birth dates.
#[test]
fn subjects_of_one_customers_orders() {
    let subjects = |records: Vec<serde_json::Value>| {
        let body = serde_json::Value::from(records).to_string();
        inspect_body(JSON, body.as_bytes()).subjects
    };
    let order = |index: usize| {
        serde_json::json!({
            "order_id": format!("SO{index:06}"),
            "customer_email": "purchasing@bigcustomer.de",
            "customer_name": "Hans Mueller",
            "amount": format!("{}.00", index % 900),
        })
    };
    for orders in [64, 65, 200, 1000] {
        assert_eq!(subjects((0..orders).map(order).collect()), 1, "{orders}");
    }
    // Some orders without the name are still the same customer's.
    let some_unnamed = (0..300)
        .map(|index| {
            let mut record = order(index);
            if index % 3 == 0 {
                record.as_object_mut().unwrap().remove("customer_name");
            }
            record
        })
        .collect();
    assert_eq!(subjects(some_unnamed), 1);
    let address_only = (0..300)
        .map(|index| serde_json::json!({"order": index, "email": "h.mueller@bigcustomer.de"}))
        .collect();
    assert_eq!(subjects(address_only), 1);

    // Two customers of one company, with 150 orders each.
    let two_buyers = (0..300)
        .map(|index| {
            let name = ["Hans Mueller", "Petra Schulz"][index % 2];
            serde_json::json!({"customer_email": "purchasing@bigcustomer.de", "customer_name": name})
        })
        .collect();
    assert_eq!(subjects(two_buyers), 2);

    // A shared address beside 64 distinct names, under a key that may name
    // anything, or beside 300 distinct birth dates.
    let given_names = [
        "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo",
    ];
    let family_names = [
        "Adams", "Baker", "Clarke", "Dunn", "Evans", "Fischer", "Grant", "Hale",
    ];
    let named = (0..300)
        .map(|index| {
            let name = format!("{} {}", given_names[index % 8], family_names[index / 8 % 8]);
            serde_json::json!({"name": name, "account_manager": "am@partner.example"})
        })
        .collect();
    assert_eq!(subjects(named), 64);
    let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
    let dated = (0..300)
        .map(|index| {
            let dob = (born + chrono::Days::new(index as u64 * 7)).to_string();
            serde_json::json!({"name": "Jane Doe", "dob": dob, "hotline": "+49 30 12345678"})
        })
        .collect();
    assert_eq!(subjects(dated), 300);
}

/// An order repeats its customer's name in the customer, billing and
/// shipping blocks, and each copy is the same person.
#[test]
fn subjects_of_names_repeated_in_one_order() {
    let order = |index: usize| {
        let (first, last) = (format!("Jon{index}"), format!("Snow{index}"));
        let full = format!("{first} {last}");
        let email = format!("jon.snow{index}@example.com");
        let address = serde_json::json!({
            "first_name": first, "last_name": last, "name": full,
            "address1": format!("{} Main Street", 100 + index), "city": "Springfield", "zip": "40003"
        });
        serde_json::json!({
            "id": 5_000_000_000_u64 + index as u64,
            "email": email,
            "customer": {"email": email, "first_name": first, "last_name": last},
            "billing_address": address,
            "shipping_address": address,
        })
    };
    let single_order = order(1).to_string();
    assert_eq!(inspect_body(JSON, single_order.as_bytes()).subjects, 1);
    let orders: Vec<serde_json::Value> = (0..200).map(order).collect();
    let body = serde_json::json!({ "orders": orders }).to_string();
    assert_eq!(inspect_body(JSON, body.as_bytes()).subjects, 200);

    // Birth dates repeated in one record count once as well.
    let patient = r#"{"dob": "1985-03-14", "insured": {"dob": "1985-03-14"},
        "holder": {"dob": "1985-03-14"}, "guarantor": {"dob": "1985-03-14"},
        "contact": {"dob": "1985-03-14"}, "fullname": "Jane Doe"}"#;
    assert_eq!(inspect_body(JSON, patient.as_bytes()).subjects, 1);
}

/// An XML document sent without an XML type is still read as XML, so its
/// element names give context. Markup that is not well-formed stays text.
#[test]
fn undeclared_xml_read_as_xml() {
    let document = "<patient><fullname>John Smith</fullname><dob>1985-03-14</dob>\
                    <diagnosis>Type 2 diabetes mellitus</diagnosis></patient>";
    for content_type in ["text/plain", "text/html", "application/octet-stream"] {
        let report = inspect_body(content_type, document.as_bytes());
        assert_eq!(
            counts(&report),
            [
                (Category::PersonName, 1),
                (Category::DateOfBirth, 1),
                (Category::Health, 1)
            ],
            "{content_type}"
        );
    }
    let html = "<p>Call <b>Jane<br> at +49 30 1234567</p>";
    let report = inspect_body("text/html", html.as_bytes());
    assert_eq!(counts(&report), [(Category::Phone, 1)]);
}

/// An XML document sent in a field is read with its element names, as a
/// JSON document in a field is.
#[test]
fn xml_field_keeps_element_names() {
    let document = "<patient><fullname>John Smith</fullname><dob>1985-03-14</dob></patient>";
    let body = serde_json::json!({ "payload": document }).to_string();
    let report = inspect_body(JSON, body.as_bytes());
    assert_eq!(
        counts(&report),
        [(Category::PersonName, 1), (Category::DateOfBirth, 1)],
        "{body}"
    );
    let names = &report.finding(Category::PersonName).unwrap().locations;
    assert_eq!(names[0], "$.payload(xml) /patient/fullname");
    // A value that only starts and ends with a tag stays text.
    let body = serde_json::json!({ "note": "<b>call +49 30 1234567</i>" }).to_string();
    let report = inspect_body(JSON, body.as_bytes());
    assert_eq!(counts(&report), [(Category::Phone, 1)]);
}

/// A header may name every column alike, as an export of one field per
/// person does (`name,name`). A known field name repeated is a header,
/// while a row of one repeated word (`open,open`) stays data.
#[test]
fn header_of_one_repeated_name() {
    let report = inspect_body("text/csv", b"name,name\nJohn Smith,Mary Jones\n");
    let names = report.finding(Category::PersonName).expect("names");
    assert_eq!(names.count, 2);
    assert_eq!(names.locations, ["csv:name row 2"]);

    let report = inspect_body("text/csv", b"Telefon;Telefon\n030 12345678;0151 12345678\n");
    let phones = report.finding(Category::Phone).expect("phones");
    assert_eq!(phones.locations, ["csv:Telefon row 2"]);

    let data = inspect_body("text/csv", b"open,open\nJohn Smith,Mary Jones\n");
    assert_eq!(counts(&data), []);

    // The same header in a JSON array of rows, 5,000 columns wide, as a
    // spreadsheet export with one column per person is.
    let columns = 5_000;
    let header = vec!["name"; columns];
    let row: Vec<String> = (0..columns)
        .map(|column| format!("Person{} Smith", char::from(b'A' + (column % 26) as u8)))
        .collect();
    let body = serde_json::json!([header, row]).to_string();
    let report = inspect_body(JSON, body.as_bytes());
    let names = report.finding(Category::PersonName).expect("JSON names");
    assert_eq!(names.count, 5_000);
}

/// A CSV export sent as text, as Windows browsers label `.csv` files, is
/// still read with its column names.
#[test]
fn csv_sent_as_text_read_as_csv() {
    let csv = "Kundennr,Name,Geburtsdatum\n1001,Hans Müller,14.03.1985\n1002,Jane Roe,01.07.1990\n";
    for content_type in [
        "text/plain",
        "application/vnd.ms-excel",
        "application/octet-stream",
        "application/x-www-form-urlencoded",
    ] {
        let report = inspect_body(content_type, csv.as_bytes());
        assert_eq!(
            counts(&report),
            [(Category::PersonName, 2), (Category::DateOfBirth, 2)],
            "{content_type}"
        );
    }
    // Prose with commas stays text, and form pairs stay form pairs.
    let prose = "Dear team, thanks\nfor the call, see you\n";
    assert_eq!(counts(&inspect_body("text/plain", prose.as_bytes())), []);
    let form = "dob=1985-03-14&note=a,b\nc,d";
    let report = inspect_body("application/x-www-form-urlencoded", form.as_bytes());
    assert_eq!(counts(&report), [(Category::DateOfBirth, 1)]);
}

/// A German mobile number in E.164 form passes the Luhn check, but under a
/// phone key it is a phone number. Outside one, and for card numbers too
/// long to be phone numbers, the card wins.
#[test]
fn phone_key_keeps_luhn_valid_numbers() {
    for key in ["phone", "mobile", "Telefon"] {
        let body = format!(r#"{{"{key}": "+4915123000007"}}"#);
        let report = inspect_body(JSON, body.as_bytes());
        assert_eq!(counts(&report), [(Category::Phone, 1)], "{body}");
    }
    let report = inspect_body(JSON, br#"{"phone": "+4111111111111111"}"#);
    assert_eq!(counts(&report), [(Category::PaymentCard, 1)]);
    let report = inspect_body(JSON, br#"{"note": "+4915123000007"}"#);
    assert_eq!(counts(&report), [(Category::PaymentCard, 1)]);
}

/// SMS gateways and the WhatsApp Cloud API send international numbers
/// without their `+`. Under a phone key such a number is a phone number,
/// also when it passes the Luhn check. Outside one, the card wins.
#[test]
fn phone_key_reads_numbers_without_plus() {
    for (key, value) in [
        ("msisdn", "4915112345678"),
        ("mobile", "34612345678"),
        ("wa_id", "34612345678"),
        ("phone_number", "4917612345678"),
        ("phone", "447700900123"),
        ("phone", "48512345678"),
    ] {
        let body = format!(r#"{{"{key}": "{value}"}}"#);
        let report = inspect_body(JSON, body.as_bytes());
        assert_eq!(counts(&report), [(Category::Phone, 1)], "{body}");
    }
    let report = inspect_body(JSON, br#"{"note": "4915112345678"}"#);
    assert_eq!(counts(&report), [(Category::PaymentCard, 1)]);
    for body in [
        r#"{"to": "4917612345678"}"#,
        r#"{"To": "447700900123"}"#,
        r#"{"to": "4915112345678"}"#,
    ] {
        let report = inspect_body(JSON, body.as_bytes());
        assert_eq!(counts(&report), [(Category::Phone, 1)], "{body}");
    }
    // Under `to`, only the international form counts: national numbers,
    // account numbers and dates there are no phone numbers.
    for body in [
        r#"{"to": "0532013000"}"#,
        r#"{"to": "612345678"}"#,
        r#"{"to": "4152568563"}"#,
        r#"{"to": "2024-12-31"}"#,
        r#"{"reply_to": "4917612345678"}"#,
    ] {
        assert_eq!(counts(&inspect_body(JSON, body.as_bytes())), [], "{body}");
    }
    for body in [
        r#"{"order_id": "4917612345678"}"#,
        r#"{"phone": "4900012345678"}"#,
        r#"{"phone": "34123456789"}"#,
    ] {
        assert_eq!(counts(&inspect_body(JSON, body.as_bytes())), [], "{body}");
    }
}

/// Spanish and Polish numbers have nine digits and no trunk prefix. Under a
/// phone key they count when their leading digits are assigned. Nine-digit
/// order numbers under other keys stay clean.
#[test]
fn phone_key_reads_spanish_and_polish_numbers() {
    for (key, value) in [
        ("telefono", "612 345 678"),
        ("movil", "612345678"),
        ("telefono", "912 345 678"),
        ("telefon", "512 345 678"),
        ("phone", "512345678"),
        ("telefon", "22 123 45 67"),
    ] {
        let body = format!(r#"{{"{key}": "{value}"}}"#);
        let report = inspect_body(JSON, body.as_bytes());
        assert_eq!(counts(&report), [(Category::Phone, 1)], "{body}");
    }
    for body in [
        r#"{"order_id": "612345678"}"#,
        r#"{"part_no": "512 345 678"}"#,
        r#"{"telefono": "902 345 678"}"#,
        r#"{"telefon": "212 345 678"}"#,
    ] {
        assert_eq!(counts(&inspect_body(JSON, body.as_bytes())), [], "{body}");
    }
}

/// A YAML list of employees and a text of contact cards count one person
/// per item and per card, not one per line.
#[test]
fn subjects_of_yaml_items_and_text_cards() {
    let yaml = "employees:\n  - id: E1001\n    first_name: Hans\n    last_name: Mueller\n    \
                birth_date: 1985-03-14\n    email: hans.mueller@web.de\n    address:\n      \
                street: Lindenstrasse 12\n      city: Stuttgart\n  - id: E1002\n    \
                first_name: Petra\n    last_name: Schmidt\n    birth_date: 1979-11-02\n";
    assert_eq!(
        inspect_body("application/yaml", yaml.as_bytes()).subjects,
        2
    );
    let cards = "Name: Jane Doe\nMobile: +49 151 23456789\nEmail: jane.doe@example.com\n\n\
                 Name: John Roe\nMobile: +49 151 98765432\nEmail: john.roe@example.com\n";
    assert_eq!(inspect_body("text/plain", cards.as_bytes()).subjects, 2);
}
