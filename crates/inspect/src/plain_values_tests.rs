use std::collections::hash_map::RandomState;
use std::path::Path;

use super::*;
use crate::collect::Collector;
use crate::{Limits, Report, Request, decode};

#[test]
fn shapes_of_typical_values() {
    let cases: [(&str, PlainShape); 27] = [
        ("open", PlainShape::NoAnchor),
        ("Steel bracket, black", PlainShape::NoAnchor),
        ("2024-03-15T12:30:00Z", PlainShape::Anchored),
        ("2024-03-15", PlainShape::Anchored),
        ("SO-2024-040000", PlainShape::Anchored),
        ("1234.50", PlainShape::Anchored),
        ("jane@example.com", PlainShape::Anchored),
        ("+49 30 1234567", PlainShape::Anchored),
        ("50%", PlainShape::Other),
        ("a=b", PlainShape::Other),
        ("{}", PlainShape::Other),
        // Latin letters that normalisation keeps take the shortcut.
        // Characters that it may rewrite, and other scripts, do not.
        ("Müller", PlainShape::NoAnchor),
        ("Hauptstraße 5, 80331 München", PlainShape::Anchored),
        ("Łódź", PlainShape::NoAnchor),
        ("\u{0133}sselmeer", PlainShape::Other),
        ("Stra\u{017F}e", PlainShape::Other),
        // A JSON string literal inside the value.
        ("\"Müller\"", PlainShape::Other),
        ("Caf\u{00A0}e", PlainShape::Other),
        ("Москва", PlainShape::Other),
        ("１２", PlainShape::Other),
        // Sixteen base64 characters may hide text.
        ("amFuZUBleGFtcGxl", PlainShape::Other),
        // Base64 characters that would decode to a form feed or an invalid
        // UTF-8 lead byte first hide no text: an IBAN, a long code.
        ("DE89370400440532013000", PlainShape::Anchored),
        ("CHECKSUMVERIFIEDOK", PlainShape::NoAnchor),
        // The same first byte in a value long enough to absorb it.
        ("FR7630006000011234567890189", PlainShape::Other),
        ("eyJhbGciOi.eyJzdWIiOi.sig", PlainShape::Other),
        // Sixteen base64 characters after a label, and fifteen.
        ("file: amFuZUBleGFtcGxl", PlainShape::Other),
        ("file: amFuZUBleGFtcGx", PlainShape::Anchored),
    ];
    for (value, expected) in cases {
        assert_eq!(plain_shape(value.as_bytes()), expected, "{value}");
    }
    // ISO-8859-1 text and a lead byte without its trail byte.
    assert_eq!(plain_shape(b"M\xFCller"), PlainShape::Other);
    assert_eq!(plain_shape(b"M\xC3"), PlainShape::Other);
}

/// Inspects `request` with and without the shortcut and returns both
/// reports, hashed with one key so that they compare.
fn both_reports(request: &Request<'_>) -> (Report, Report) {
    // The generated values stack form data, base64 and tokens deeper than
    // the default allows, which would fail the whole body both ways.
    let limits = Limits {
        max_nested_depth: 8,
        ..Limits::default()
    };
    let key = RandomState::new();
    let run = |collector: Collector<'_>| {
        let mut collector = collector.with_identity_key(request.identity_key);
        let body =
            decode::content_encoding::decode_body(request.body, request.content_encoding, &limits);
        let body = body.expect("decodable body");
        let scanned = decode::scan_request(request, &body, &limits, &mut collector);
        assert!(scanned.is_ok(), "{scanned:?}");
        collector.finish(body.len() as u64)
    };
    let with = run(Collector::new(&key, request.today));
    let without = without_shortcut(|| run(Collector::new(&key, request.today)));
    (with, without)
}

/// A deterministic generator of values over the bytes that matter to the
/// shortcut, the detectors and the layer checks.
struct Values(u64);

impl Values {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn value(&mut self) -> String {
        const PIECES: [&str; 39] = [
            "0",
            "4",
            "9",
            "12",
            "2024",
            "-",
            "/",
            ".",
            " ",
            ",",
            "T",
            ":",
            "Z",
            "SO",
            "ab",
            "Jane",
            "Doe",
            "DE",
            "x",
            "_",
            "=",
            "%",
            "@",
            "+",
            "[",
            "]",
            "\"",
            "é",
            "@example.com",
            "+4930123456",
            "DE89370400440532013000",
            "%40",
            "4111111111111111",
            "eyJhbGciOi",
            "amFuZUBleGFtcGxlLmNvbQ",
            "１２",
            // A JSON Web Token whose payload contains an e-mail address.
            "eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImphbmVAZXhhbXBsZS5jb20ifQ.c2ln",
            "dead:beef::cafe",
            "４１１１１１１１１１１１１１１１",
        ];
        let pieces = 1 + self.next() % 8;
        (0..pieces)
            .map(|_| PIECES[(self.next() % PIECES.len() as u64) as usize])
            .collect()
    }
}

#[test]
fn shortcut_changes_no_report_on_generated_records() {
    // Keys without roles, with inert and with context roles, and with
    // field roles. A key that is personal data itself and a member sent
    // twice check that a member's key and value count as two segments.
    const KEYS: [&str; 12] = [
        "status",
        "order_id",
        "reference",
        "version",
        "phone",
        "date_of_birth",
        "iban",
        "name",
        "street",
        "note",
        "jane.doe@example.com",
        "phone",
    ];

    let mut values = Values(0x9E37_79B9_7F4A_7C15);
    let mut records = Vec::new();
    for _ in 0..3000 {
        let mut fields: Vec<String> = KEYS
            .iter()
            .map(|key| format!("{key:?}: {:?}", values.value()))
            .collect();
        // The same member twice in a row.
        fields.push(fields[KEYS.len() - 1].clone());
        records.push(format!("{{{}}}", fields.join(", ")));
    }

    let body = format!("[{}]", records.join(",\n"));
    assert_same_reports(&body, "application/json");
}

#[test]
fn shortcut_changes_no_report_on_generated_csv_rows() {
    // The same kinds of columns, a column without a name, and rows with
    // fewer and more cells than the header. A header names each column
    // once.
    const HEADER: [&str; 9] = [
        "status",
        "order_id",
        "version",
        "phone",
        "",
        "name",
        "note",
        "mobile",
        "date_of_birth",
    ];

    // Most cells of the name column hold names, so that it counts as one.
    const NAMES: [&str; 4] = ["Jane Doe", "Hans Müller", "Amy Taylor", "Wei Zhang"];
    let name_column = HEADER.iter().position(|&name| name == "name").unwrap_or(0);

    let mut values = Values(0x2545_F491_4F6C_DD1D);
    let mut body = HEADER.join(",");
    for row in 0..3000 {
        body.push('\n');
        let cells = HEADER.len() - 1 + row % 3;
        let row: Vec<String> = (0..cells)
            .map(|column| {
                if column == name_column && row % 4 != 0 {
                    NAMES[row % NAMES.len()].to_owned()
                } else {
                    format!("\"{}\"", values.value().replace('"', "\"\""))
                }
            })
            .collect();
        body.push_str(&row.join(","));
    }
    assert_same_reports(&body, "text/csv");
}

/// Columns or keys that repeat a few shapes (codes, amounts, timestamps),
/// so that most values are tested against the shape of an earlier one, as
/// CSV and as JSON. Some digits start with `00`, which may begin an
/// international phone number and which the shape checks leave to the
/// scan, and some values have the same length but another shape.
#[test]
fn shortcut_changes_no_report_on_repeated_shapes() {
    const KEYS: [&str; 6] = ["order_id", "ref", "amount", "created_at", "line", "email"];
    let mut values = Values(0x6A09_E667_F3BC_C908);
    let mut digits = |count: usize, zeros: bool| -> String {
        (0..count)
            .map(|index| {
                if zeros && index < 2 {
                    '0'
                } else {
                    char::from(b'0' + (values.next() % 10) as u8)
                }
            })
            .collect()
    };
    let mut rows = Vec::new();
    for row in 0..3000 {
        let zeros = row % 7 == 3;
        let order = format!("SO-{}-{}", digits(4, zeros), digits(6, false));
        let reference = match row % 5 {
            0 => format!("TEL-{}", digits(12, true)),
            1 => format!("TEL {}", digits(12, false)),
            _ => format!("TEL-{}", digits(12, zeros)),
        };
        let amount = format!("{}.{}", digits(1 + row % 3, zeros), digits(2, false));
        let created = format!(
            "{}-{}-{}T{}:{}:{}Z",
            digits(4, zeros),
            digits(2, false),
            digits(2, false),
            digits(2, false),
            digits(2, false),
            digits(2, false)
        );
        let line = digits(1 + row % 2, zeros);
        let email = if row % 10 == 0 {
            "jane.doe@example.com"
        } else {
            ""
        };
        rows.push([order, reference, amount, created, line, email.to_owned()]);
    }

    let mut csv = KEYS.join(",");
    for row in &rows {
        csv.push('\n');
        csv.push_str(&row.join(","));
    }
    assert_same_reports(&csv, "text/csv");

    let records: Vec<String> = rows
        .iter()
        .map(|row| {
            let members: Vec<String> = KEYS
                .iter()
                .zip(row)
                .map(|(key, value)| format!("{key:?}: {value:?}"))
                .collect();
            format!("{{{}}}", members.join(", "))
        })
        .collect();
    assert_same_reports(&format!("[{}]", records.join(",\n")), "application/json");
}

#[test]
fn shortcut_changes_no_report_on_base64_alphabet_values() {
    // Values of letters and digits only, like IBANs, account numbers and
    // base64 text. They cover every pair of first characters and lengths
    // around the one from which a control byte no longer rejects a value.
    let alphabet = b"ABDEFGHIMNQRSUZaejmtwz019+/";
    let mut values = vec![
        "DE89370400440532013000".to_owned(),
        "GB29NWBK60161331926819".to_owned(),
        "FR7630006000011234567890189".to_owned(),
        "amFuZUBleGFtcGxlLmNvbQ".to_owned(),
        "KzQ5IDMwIDEyMzQ1Njc4".to_owned(),
    ];

    for &first in alphabet {
        for &second in alphabet {
            for length in [16, 22, 23, 24, 28] {
                let mut value = vec![first, second];
                value.extend((0..length - 2).map(|index| b"7Q0w"[index % 4]));
                values.push(String::from_utf8(value).expect("ASCII"));
            }
        }
    }

    // Each value goes under an account key and a plain one, in CSV and JSON.
    let rows: Vec<String> = values
        .iter()
        .map(|value| format!("{value},{value},jane@example.com"))
        .collect();
    let body = format!("iban,code,email\n{}\n", rows.join("\n"));
    assert_same_reports(&body, "text/csv");

    let records: Vec<String> = values
        .iter()
        .map(|value| {
            format!(
                "{{\"iban\": \"{value}\", \"code\": \"{value}\", \"email\": \"jane@example.com\"}}"
            )
        })
        .collect();
    assert_same_reports(&format!("[{}]", records.join(",")), "application/json");
}

/// Inspects `body`, generated to hold personal data, with and without the
/// shortcut and checks that both reports are the same.
fn assert_same_reports(body: &str, content_type: &str) {
    let request = Request {
        path: "/import",
        content_type: Some(content_type),
        body: body.as_bytes(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
        ..Request::default()
    };

    let (with, without) = both_reports(&request);
    assert!(with.personal_data);
    assert_eq!(with, without);
}

#[test]
fn shortcut_changes_no_report_on_corpus_and_samples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("tests/corpus");
    let labels = std::fs::read(corpus.join("labels.json")).expect("corpus labels");
    let labels: serde_json::Value = serde_json::from_slice(&labels).expect("labels JSON");
    let mut files = Vec::new();
    for file in labels["files"].as_array().expect("labelled files") {
        let text = |field: &str| file[field].as_str().map(str::to_owned);
        let name = text("file").expect("file name");
        files.push((
            corpus.join(name),
            text("content_type"),
            text("content_encoding"),
        ));
    }
    let samples = root.join("../../tests/samples");
    for entry in std::fs::read_dir(&samples).expect("samples directory") {
        let path = entry.expect("directory entry").path();
        let content_type = match path.extension().and_then(|extension| extension.to_str()) {
            Some("json") => "application/json",
            Some("csv") => "text/csv",
            Some("xml") => "application/xml",
            Some("md") => continue,
            _ => "text/plain",
        };
        files.push((path, Some(content_type.to_owned()), None));
    }
    assert!(files.len() >= 45, "only {} files", files.len());
    for (path, content_type, content_encoding) in files {
        let body = std::fs::read(&path).expect("test file");
        let request = Request {
            path: "/import",
            content_type: content_type.as_deref(),
            content_encoding: content_encoding.as_deref(),
            body: &body,
            ..Request::default()
        };
        let (with, without) = both_reports(&request);
        assert_eq!(with, without, "{}", path.display());
    }
}

#[test]
fn member_sent_twice_counts_twice() {
    let body = br#"[{"phone": "+4930123456", "phone": "+4930123456"}]"#;
    let request = Request {
        path: "/import",
        content_type: Some("application/json"),
        body,
        ..Request::default()
    };
    let (with, without) = both_reports(&request);
    assert_eq!(with.findings[0].count, 2);
    assert_eq!(with, without);
}

/// Values with Latin letters of two bytes, which the shortcut takes, and
/// with characters that normalisation rewrites, in JSON members and CSV
/// cells under keys without roles, with context roles and with field
/// roles.
#[test]
fn shortcut_changes_no_report_on_latin_letters() {
    const KEYS: [&str; 6] = ["status", "name", "street", "phone", "iban", "note"];
    const VALUES: [&str; 14] = [
        "Hans Müller",
        "Hauptstraße 5, 80331 München",
        "Łódź, ul. Piotrkowska 12",
        "José Nuñez",
        "\"Müller\"",
        "\"Jürgen\\u0040example.com\"",
        "Jürgen@example.com",
        "Tel. ＋49 30 123456 ß",
        "Stra\u{017F}e 12",
        "\u{0132}sselmeer 4",
        "ÄÖÜ 4111 1111 1111 1111",
        "DE89 3704 0044 0532 0130 00 Ä",
        "Größe: 12",
        "São Paulo",
    ];

    let mut records = Vec::new();
    let mut rows = vec![KEYS.join(",")];
    for round in 0..VALUES.len() {
        let cells: Vec<&str> = (0..KEYS.len())
            .map(|column| VALUES[(round + column) % VALUES.len()])
            .collect();
        let members: Vec<String> = KEYS
            .iter()
            .zip(&cells)
            .map(|(key, value)| format!("{key:?}: {value:?}"))
            .collect();
        records.push(format!("{{{}}}", members.join(", ")));
        let quoted: Vec<String> = cells
            .iter()
            .map(|value| format!("\"{}\"", value.replace('"', "\"\"")))
            .collect();
        rows.push(quoted.join(","));
    }
    assert_same_reports(&format!("[{}]", records.join(",")), "application/json");
    assert_same_reports(&rows.join("\n"), "text/csv");
}

/// Returns what [`non_ascii_is_plain`] returns, reading one byte per step.
fn non_ascii_is_plain_bytewise(text: &[u8]) -> bool {
    if text.len() >= 2 && text[0] == b'"' && text[text.len() - 1] == b'"' {
        return false;
    }
    let mut index = 0;
    while let Some(&lead) = text.get(index) {
        if lead < 0x80 {
            index += 1;
            continue;
        }
        let Some(&trail) = text.get(index + 1) else {
            return false;
        };
        let code = u32::from(lead & 0x1F) << 6 | u32::from(trail & 0x3F);
        if !(0xC3..=0xC5).contains(&lead) || trail & 0xC0 != 0x80 || !in_ranges(code, &STABLE) {
            return false;
        }
        index += 2;
    }
    true
}

#[test]
fn ascii_runs_skip_like_byte_steps() {
    // Letters and broken sequences at every position of values up to
    // three words long, and the ASCII run before each.
    let pieces: [&[u8]; 8] = [
        "ü".as_bytes(),
        "ß".as_bytes(),
        "Ł".as_bytes(),
        "Я".as_bytes(),
        b"\xC3",
        b"\x80",
        b"\xFF",
        b"\"",
    ];
    for length in 0..26 {
        for at in 0..=length {
            for piece in pieces {
                let mut text = vec![b'a'; length];
                text.splice(at..at, piece.iter().copied());
                let mut twice = text.clone();
                twice.extend_from_slice(piece);
                for text in [&text, &twice] {
                    assert_eq!(
                        non_ascii_is_plain(text),
                        non_ascii_is_plain_bytewise(text),
                        "{text:?}"
                    );
                    let run = text.iter().take_while(|byte| byte.is_ascii()).count();
                    assert_eq!(ascii_prefix(text), run, "{text:?}");
                }
            }
        }
    }
}

/// Returns what [`shape_of`] returns, with every test made and the
/// results joined at the end.
fn shape_of_reference(text: &[u8], classes: u8) -> PlainShape {
    let may_be_base64 = if classes & NOT_BASE64 == 0 {
        text.len() >= MIN_VALUE_CHARS
            && (first_byte_may_be_text(text) || starts_like_binary_format(text))
    } else {
        classes & BLOCKING == 0 && text.len() > MIN_VALUE_CHARS && has_symbol_run(text)
    };
    let data_uri = text
        .get(..5)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case(b"data:"));
    if classes & BLOCKING != 0 || may_be_base64 || text.starts_with(b"eyJ") || data_uri {
        PlainShape::Other
    } else if classes & ANCHOR != 0 {
        PlainShape::Anchored
    } else {
        PlainShape::NoAnchor
    }
}

#[test]
fn shape_tests_in_any_order_agree() {
    // Values built from prefixes of layers, base64 characters, symbols,
    // anchors and blocking bytes, from a fixed-seed xorshift generator.
    let pieces: [&[u8]; 16] = [
        b"eyJ",
        b"ey",
        b"data:",
        b"DATA:",
        b"dat",
        b"QUJD",
        b"SGVsbG8gd29ybGQ",
        b"file: ",
        b"=",
        b"%",
        b"7",
        b"@",
        b" ",
        b"-_",
        "ü".as_bytes(),
        b"\x89PN",
    ];
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut text = Vec::new();
        for index in 0..(state % 7) {
            let piece = (state >> (8 * index + 3)) as usize % pieces.len();
            text.extend_from_slice(pieces[piece]);
        }
        let classes = text.iter().fold(0, |classes, &byte| {
            classes | BYTE_CLASSES[usize::from(byte)]
        });
        assert_eq!(
            shape_of(&text, classes),
            shape_of_reference(&text, classes),
            "{text:?}"
        );
        let without_blocking = classes & !BLOCKING;
        assert_eq!(
            shape_of(&text, without_blocking),
            shape_of_reference(&text, without_blocking),
            "{text:?}"
        );
    }
}
