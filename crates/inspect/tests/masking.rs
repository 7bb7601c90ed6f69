//! Masked copies of the ERP sample payloads in `tests/samples/` at the
//! workspace root.
//!
//! A copy must hold none of the values that the inspector matched in the
//! original, must parse in the original's format, and must inspect clean
//! (which `mask_request` checks itself). Two samples cannot be masked, and
//! the reasons they give are asserted: one is ISO-8859-1, and the X12 file
//! names people in segment positions that only the X12 reader recognises.

use chrono::NaiveDate;
use inspect::{Inspector, MaskError, Request};

fn content_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("csv") => "text/csv",
        _ => "text/plain",
    }
}

fn samples() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/samples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext != "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

#[test]
fn samples_masked_or_refused_with_reason() {
    let inspector = Inspector::default();
    let mut masked_files = 0;
    for (name, body) in samples() {
        let request = Request {
            path: "/import",
            content_type: Some(content_type(&name)),
            body: &body,
            today: NaiveDate::from_ymd_opt(2026, 12, 4),
            ..Request::default()
        };
        let result = inspector.mask_request(&request);
        match name.as_str() {
            "sepa-pain008-direct-debit-es-iso8859-1.xml" => {
                assert!(matches!(result, Err(MaskError::NotUtf8 { .. })), "{name}");
                continue;
            }
            "x12-834-benefit-enrollment-5010.txt" => {
                let error = result.unwrap_err();
                assert!(
                    matches!(&error, MaskError::Residual { categories } if categories.len() == 1),
                    "{name}: {error}"
                );
                continue;
            }
            _ => {}
        }
        let masked = result.unwrap_or_else(|error| panic!("{name}: {error}"));
        masked_files += 1;
        assert!(masked.masked_values > 0, "{name}: nothing masked");
        let text = String::from_utf8(masked.body.clone()).unwrap();
        for found in inspector.evaluate(&request).unwrap() {
            assert!(
                !text.contains(&found.value),
                "{name}: {} value at {} is still in the copy",
                found.category,
                found.location
            );
        }
        match content_type(&name) {
            "application/json" => {
                let original: serde_json::Value = serde_json::from_slice(&body).unwrap();
                let copy: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|error| panic!("{name}: copy is not JSON: {error}"));
                assert_eq!(keys(&original), keys(&copy), "{name}");
            }
            "text/csv" => assert_eq!(
                text.lines().count(),
                String::from_utf8_lossy(&body)
                    .lines()
                    .filter(|line| !line.is_empty())
                    .count(),
                "{name}"
            ),
            _ => {}
        }
    }
    assert_eq!(masked_files, 13);
}

/// Returns every object key path of a JSON document, in document order.
fn keys(value: &serde_json::Value) -> Vec<String> {
    fn walk(value: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map {
                    let path = format!("{prefix}.{key}");
                    out.push(path.clone());
                    walk(child, &path, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, &format!("{prefix}[{index}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out
}

/// Inspects and masks `body` sent as `content_type`, and returns the
/// report and the masked copy as text.
fn inspect_and_mask(content_type: &str, body: &[u8]) -> (inspect::Report, String) {
    let request = Request {
        path: "/import",
        content_type: Some(content_type),
        body,
        ..Request::default()
    };
    let inspector = Inspector::default();
    let report = inspector.inspect(&request).unwrap();
    let masked = inspector.mask_request(&request).unwrap();
    (report, String::from_utf8(masked.body).unwrap())
}

fn category_names(report: &inspect::Report) -> Vec<&'static str> {
    report
        .categories()
        .map(|category| category.as_str())
        .collect()
}

#[test]
fn csv_separator_line_masked_copy() {
    // Excel writes `sep=;` above the header when it saves with semicolons.
    let body = b"sep=;\r\nfirst_name;phone;dob\r\nJane;020 7946 0958;1985-03-12\r\n";
    let (report, text) = inspect_and_mask("text/csv", body);
    assert_eq!(
        category_names(&report),
        ["phone", "person_name", "date_of_birth"]
    );
    let phones = report.finding(inspect::Category::Phone).unwrap();
    assert_eq!(phones.locations, ["csv:phone row 2"]);
    assert!(
        text.starts_with("sep=;\r\nfirst_name;phone;dob\r\n"),
        "{text}"
    );
    assert!(!text.contains("020 7946 0958"), "{text}");
}

#[test]
fn xml_name_value_pairs_masked() {
    let body = br#"<?xml version="1.0"?>
<methodCall><params><param><value><struct>
<member><name>firstname</name><value><string>Jane</string></value></member>
<member><name>birthdate</name><value><string>1985-03-12</string></value></member>
</struct></value></param></params>
<r><firstname value="Jane"/><lastname><value>Doe</value></lastname>
<attribute value="020 7946 0123" name="phone"/></r></methodCall>"#;
    let (report, text) = inspect_and_mask("text/xml", body);
    assert_eq!(
        category_names(&report),
        ["phone", "person_name", "date_of_birth"]
    );
    for value in ["Jane", "Doe", "1985-03-12", "020 7946 0123"] {
        assert!(!text.contains(value), "{value} in {text}");
    }
    assert!(text.contains("<name>firstname</name>"), "{text}");
}

#[test]
fn xml_field_labels_kept_unmasked() {
    let body = br#"<r><field name="Notes">hello</field><field name="EMAIL">jane@example.com</field><field name="Phone Number">+44 20 7946 0958</field></r>"#;
    let (report, text) = inspect_and_mask("application/xml", body);
    assert_eq!(category_names(&report), ["email", "phone"]);
    for label in [
        r#"name="Notes""#,
        r#"name="EMAIL""#,
        r#"name="Phone Number""#,
    ] {
        assert!(text.contains(label), "{label} in {text}");
    }
    assert!(!text.contains("jane@example.com"), "{text}");
}

#[test]
fn form_pairs_after_semicolons_masked() {
    let body = b"ref=7;first_name=Zoe;last_name=Markerfrau&email=zoe%40example.com";
    let (report, text) = inspect_and_mask("application/x-www-form-urlencoded", body);
    assert_eq!(category_names(&report), ["email", "person_name"]);
    for value in ["Zoe", "Markerfrau", "zoe%40example.com"] {
        assert!(!text.contains(value), "{value} in {text}");
    }
    assert!(text.starts_with("ref=7;first_name="), "{text}");
}

#[test]
fn masked_csv_keeps_title_line() {
    let body = b"Export for jane@example.com\nName,Telefon,Telefon\nHans M\xc3\xbcller,030 12345678,0151 12345678\n";
    let (report, text) = inspect_and_mask("text/csv", body);
    assert_eq!(category_names(&report), ["email", "phone", "person_name"]);
    assert!(text.contains("\nName,Telefon,Telefon\n"), "{text}");
    for value in [
        "jane@example.com",
        "Müller",
        "030 12345678",
        "0151 12345678",
    ] {
        assert!(!text.contains(value), "{value} in {text}");
    }
}

/// Masking does not rewrite character references, so a value found only
/// through them is left in the copy, and the check of the copy refuses it
/// rather than send it.
#[test]
fn masking_rejects_character_references() {
    let body = br#"{"note": "write to john.doe&#64;example.com"}"#;
    let request = Request {
        path: "/import",
        content_type: Some("application/json"),
        body,
        ..Request::default()
    };
    let masked = Inspector::default().mask_request(&request);
    assert!(
        matches!(masked, Err(inspect::MaskError::Residual { ref categories }) if categories == &[inspect::Category::Email]),
        "{masked:?}"
    );
}

/// A path segment is masked with the one before it as its key, as the
/// inspector reads it.
#[test]
fn path_segment_masked_under_previous() {
    let request = Request {
        path: "/patients/dob/1985-03-14/visits",
        today: chrono::NaiveDate::from_ymd_opt(2025, 6, 15),
        ..Request::default()
    };
    let inspector = Inspector::default();
    let report = inspector.inspect(&request).unwrap();
    assert_eq!(category_names(&report), ["date_of_birth"]);
    let masked = inspector.mask_request(&request).unwrap();
    assert!(masked.path.starts_with("/patients/dob/"), "{}", masked.path);
    assert!(masked.path.ends_with("/visits"), "{}", masked.path);
    assert!(!masked.path.contains("1985"), "{}", masked.path);
}

/// A `label: value` line of a text body is masked under its label, as the
/// inspector reads it.
#[test]
fn labelled_text_lines_masked() {
    let body = b"patient:\n  name: \"John Smith\"\n  dob: 1985-03-14\nstatus: active\n";
    let (report, text) = inspect_and_mask("text/plain", body);
    assert_eq!(category_names(&report), ["person_name", "date_of_birth"]);
    for value in ["John Smith", "1985-03-14"] {
        assert!(!text.contains(value), "{value} in {text}");
    }
    assert!(text.contains("status: active"), "{text}");
}

#[test]
fn written_out_birth_dates_masked() {
    let values = [
        "14 March 1985",
        "March 14, 1985",
        "14. März 1985",
        "昭和60年3月14日",
        "S60.3.14",
    ];
    for value in values {
        let body = serde_json::json!({ "dob": value, "note": format!("DOB: {value}") });
        let (report, text) = inspect_and_mask("application/json", body.to_string().as_bytes());
        let found = report.finding(inspect::Category::DateOfBirth).unwrap();
        assert_eq!(found.count, 2, "{value}");
        assert!(!text.contains(value), "{value}: {text}");
    }
    // A two-digit year counts only under a birth-date key.
    let body = br#"{"dob": "14.03.85"}"#;
    let (report, text) = inspect_and_mask("application/json", body);
    assert_eq!(category_names(&report), ["date_of_birth"]);
    assert!(!text.contains("14.03.85"), "{text}");
}

/// Phone numbers that count only under a phone key or label are masked
/// there, and left alone under other keys, where they were not found.
#[test]
fn keyed_phone_forms_masked_under_their_key() {
    let body = br#"{"msisdn": "4915112345678", "movil": "612 345 678",
        "note": "Tel: 512 345 678", "to": "447700900123",
        "order_id": "4917612345678"}"#;
    let (report, text) = inspect_and_mask("application/json", body);
    assert_eq!(category_names(&report), ["phone"]);
    assert_eq!(report.finding(inspect::Category::Phone).unwrap().count, 4);
    for value in [
        "4915112345678",
        "612 345 678",
        "512 345 678",
        "447700900123",
    ] {
        assert!(!text.contains(value), "{value} in {text}");
    }
    assert!(text.contains("4917612345678"), "{text}");
}

/// Epoch birth dates and the display names of Odoo references are masked.
#[test]
fn epoch_dates_and_reference_names_masked() {
    let body = br#"{"birthDate": 479606400000, "partner_id": [26, "Brandon Freeman"]}"#;
    let (report, text) = inspect_and_mask("application/json", body);
    assert_eq!(category_names(&report), ["person_name", "date_of_birth"]);
    for value in ["479606400000", "Brandon Freeman"] {
        assert!(!text.contains(value), "{value} in {text}");
    }
    assert!(text.contains("[26,"), "{text}");
}

/// The masked copy of a DATEV export keeps its metadata record and masks
/// the names under DATEV's column names.
#[test]
fn datev_export_masked_under_its_header() {
    let body = "\"EXTF\";700;16;\"Debitoren/Kreditoren\";5\r\n\
        \"Konto\";\"Name (Adressattyp natürl. Person)\";\"Vorname (Adressattyp natürl. Person)\"\r\n\
        10001;\"Mueller\";\"Hans\"\r\n";
    let (report, text) = inspect_and_mask("text/csv", body.as_bytes());
    assert_eq!(category_names(&report), ["person_name"]);
    assert!(text.starts_with("\"EXTF\";700;16;"), "{text}");
    for value in ["Mueller", "Hans"] {
        assert!(!text.contains(value), "{value} in {text}");
    }
}
