//! A Chinese resident ID number and an e-mail address hidden by one
//! encoding each: every test asserts that both are found and where.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use inspect::{Category, Inspector, Report, Request};
use ruzstd::encoding::{CompressionLevel, compress_to_vec};

const EMAIL: &str = "jane@example.com";

/// Completes 17 digits with the GB 11643 (ISO 7064 MOD 11-2) check digit.
fn with_check_digit(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

/// A valid ID number, born 1949-12-31 in Beijing's Chaoyang district.
fn resident_id() -> String {
    let id = with_check_digit("11010519491231002");
    assert_eq!(id, "11010519491231002X");
    id
}

/// A valid ID number whose check digit is a digit, so that it can be a
/// JSON number.
fn numeric_resident_id() -> String {
    (0..1000)
        .map(|sequence| with_check_digit(&format!("110105194912310{sequence:02}")[..17]))
        .find(|id| id.bytes().all(|byte| byte.is_ascii_digit()))
        .unwrap()
}

fn inspect(request: &Request<'_>) -> Report {
    Inspector::default().inspect(request).unwrap()
}

fn body_request<'a>(content_type: &'a str, body: &'a [u8]) -> Request<'a> {
    Request {
        path: "/api/import",
        content_type: Some(content_type),
        body,
        ..Request::default()
    }
}

fn locations(report: &Report, category: Category) -> Vec<String> {
    report
        .finding(category)
        .map(|finding| finding.locations.clone())
        .unwrap_or_default()
}

/// Asserts that the ID number and the e-mail address were found at the
/// given locations.
fn assert_found(report: &Report, id_location: &str, email_location: &str) {
    assert_eq!(locations(report, Category::CnResidentId), [id_location]);
    assert_eq!(locations(report, Category::Email), [email_location]);
}

fn json_body() -> String {
    format!(r#"{{"id": "{}", "email": "{EMAIL}"}}"#, resident_id())
}

fn percent_encode_all(text: &str) -> String {
    text.bytes().map(|byte| format!("%{byte:02X}")).collect()
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let bytes = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let group = u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2]);
        for index in 0..4 {
            if index <= chunk.len() {
                out.push(ALPHABET[(group >> (18 - 6 * index) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn base64_inside_a_json_field() {
    let hidden = base64(format!("id {} mail {EMAIL}", resident_id()).as_bytes());
    let body = format!(r#"{{"note": "{hidden}"}}"#);
    let report = inspect(&body_request("application/json", body.as_bytes()));
    assert_found(&report, "$.note(base64)", "$.note(base64)");
}

/// Base64 after a label, a space or a quote, or between other words, is
/// decoded inside the value. One character before it is enough to make
/// the value as a whole no base64.
#[test]
fn base64_after_a_label_inside_a_json_field() {
    let hidden = base64(format!("id {} mail {EMAIL}", resident_id()).as_bytes());
    let unpadded = hidden.trim_end_matches('=');
    for note in [
        format!("file: {hidden}"),
        format!(" {hidden}"),
        format!("'{unpadded}'"),
        format!("see {unpadded} and call back"),
        format!("part one {hidden}\\npart two"),
    ] {
        let body = format!(r#"{{"note": "{note}"}}"#);
        let report = inspect(&body_request("application/json", body.as_bytes()));
        assert_found(&report, "$.note(base64)", "$.note(base64)");
    }
}

/// Two base64 runs in one value are each decoded.
#[test]
fn base64_runs_are_each_decoded() {
    let id = base64(format!("id {}", resident_id()).as_bytes());
    let email = base64(format!("mail {EMAIL}").as_bytes());
    let body = format!(r#"{{"note": "first {id}, second {email}"}}"#);
    let report = inspect(&body_request("application/json", body.as_bytes()));
    assert_found(&report, "$.note(base64)", "$.note(base64)");
}

/// A `data:` URI embeds a file in one field, the way browsers and ERP
/// attachments do. The base64 after its comma is decoded like a bare one.
#[test]
fn base64_in_a_data_uri() {
    let csv = format!("id,email\n{},{EMAIL}\n", resident_id());
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(csv.as_bytes()).unwrap();
    let gzip = encoder.finish().unwrap();
    for (uri, format) in [
        (
            format!("data:text/csv;base64,{}", base64(csv.as_bytes())),
            "base64",
        ),
        (
            format!(
                "DATA:text/csv;charset=utf-8;BASE64,{}",
                base64(csv.as_bytes())
            ),
            "base64",
        ),
        (
            format!("data:application/gzip;base64,{}", base64(&gzip)),
            "gzip",
        ),
    ] {
        let body = format!(r#"{{"attachment": "{uri}"}}"#);
        let report = inspect(&body_request("application/json", body.as_bytes()));
        // The file is a CSV table, read with its column names.
        let id = format!("$.attachment({format})(csv) csv:id row 2");
        let email = format!("$.attachment({format})(csv) csv:email row 2");
        assert_found(&report, &id, &email);
    }
}

/// A CSV file in a field keeps its column names, which mark the names and
/// birth dates that no pattern finds.
#[test]
fn base64_csv_keeps_columns() {
    let csv =
        "fullname,dob,note\nJohn Smith,1985-03-14,first\nJane Roe,1990-07-01,second\n".repeat(3);
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(csv.as_bytes()).unwrap();
    let gzip = encoder.finish().unwrap();
    for (value, coding) in [
        (base64(csv.as_bytes()), "base64"),
        (
            format!("data:text/csv;base64,{}", base64(csv.as_bytes())),
            "base64",
        ),
        (base64(&gzip), "gzip"),
        // Hex digits in either case, two per byte.
        (
            csv.bytes().map(|byte| format!("{byte:02x}")).collect(),
            "hex",
        ),
        (
            csv.bytes().map(|byte| format!("{byte:02X}")).collect(),
            "hex",
        ),
        // A `data:` URI of percent-encoded text, and of text as it is.
        (
            format!(
                "data:text/csv;charset=utf-8,{}",
                csv.replace(',', "%2C")
                    .replace('\n', "%0A")
                    .replace(' ', "%20")
            ),
            "percent",
        ),
        (
            format!("data:text/csv,{}", csv.replace('\n', "\\n")),
            "percent",
        ),
    ] {
        let body = format!(r#"{{"attachment": "{value}"}}"#);
        let report = inspect(&body_request("application/json", body.as_bytes()));
        let names = report
            .finding(Category::PersonName)
            .map_or(0, |found| found.count);
        let births = report
            .finding(Category::DateOfBirth)
            .map_or(0, |found| found.count);
        assert!(
            names >= 6 && births >= 6,
            "{coding}: {names} names, {births} dates"
        );
        let location = &locations(&report, Category::PersonName)[0];
        assert!(location.contains(&format!("({coding})(csv)")), "{location}");
        assert!(location.contains("fullname"), "{location}");
    }
}

#[test]
fn compressed_data_in_base64_inside_a_json_field() {
    // An attachment field that carries a gzip or zstd file of the record.
    let record = json_body();
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(record.as_bytes()).unwrap();
    let gzip = encoder.finish().unwrap();
    let zstd = compress_to_vec(record.as_bytes(), CompressionLevel::Fastest);
    for (compressed, format) in [(gzip, "gzip"), (zstd, "zstd")] {
        let body = format!(r#"{{"attachment": "{}"}}"#, base64(&compressed));
        let report = inspect(&body_request("application/json", body.as_bytes()));
        // The file is JSON, read as such inside the value.
        let location = format!("$.attachment({format})(json).id");
        let email = format!("$.attachment({format})(json).email");
        assert_found(&report, &location, &email);
    }
}

#[test]
fn url_encoding_in_a_form_body() {
    let body = format!(
        "id={}&email={}",
        percent_encode_all(&resident_id()),
        percent_encode_all(EMAIL)
    );
    let report = inspect(&body_request(
        "application/x-www-form-urlencoded",
        body.as_bytes(),
    ));
    assert_found(&report, "form:id", "form:email");
}

/// Servers that follow HTML 4 split form pairs at `;` as well as `&`, so
/// a name sent after one reaches them with its key.
#[test]
fn semicolons_between_form_pairs() {
    let body = format!(
        "ref=7;id={};email={};first_name=Zoe;last_name=Markerfrau",
        resident_id(),
        percent_encode_all(EMAIL)
    );
    let report = inspect(&body_request(
        "application/x-www-form-urlencoded",
        body.as_bytes(),
    ));
    assert_found(&report, "form:id", "form:email");
    assert_eq!(
        locations(&report, Category::PersonName),
        ["form:first_name", "form:last_name"]
    );
}

/// Web forms and HTML templates escape text as character references,
/// and the escaped value travels in JSON, CSV or plain text.
#[test]
fn character_references_in_values() {
    let escape = |text: &str| -> String {
        text.chars()
            .map(|character| match character {
                '@' => "&#64;".to_owned(),
                '1' => "&#x31;".to_owned(),
                other => other.to_string(),
            })
            .collect()
    };
    let (id, email) = (escape(&resident_id()), escape(EMAIL));
    let json = format!(r#"{{"id": "{id}", "email": "{email}"}}"#);
    let report = inspect(&body_request("application/json", json.as_bytes()));
    assert_found(&report, "$.id(html)", "$.email(html)");
    let text = format!("id {id} &amp; mail {email}\n");
    let report = inspect(&body_request("text/plain", text.as_bytes()));
    assert_found(&report, "line 1(html)", "line 1(html)");
}

#[test]
fn url_encoding_in_a_query_string() {
    let query = format!(
        "id={}&email={}",
        percent_encode_all(&resident_id()),
        percent_encode_all(EMAIL)
    );
    let request = Request {
        path: "/lookup",
        query: Some(&query),
        ..Request::default()
    };
    assert_found(&inspect(&request), "query:id", "query:email");
}

#[test]
fn json_unicode_escapes() {
    let escape = |text: &str| -> String {
        text.chars()
            .map(|c| format!("\\u{:04x}", u32::from(c)))
            .collect()
    };
    let body = format!(
        r#"{{"id": "{}", "email": "{}"}}"#,
        escape(&resident_id()),
        escape(EMAIL)
    );
    let report = inspect(&body_request("application/json", body.as_bytes()));
    assert_found(&report, "$.id", "$.email");
}

fn compressed_request(coding: &str, compressed: &[u8], check: impl Fn(&Report)) {
    let request = Request {
        content_encoding: Some(coding),
        ..body_request("application/json", compressed)
    };
    check(&inspect(&request));
}

#[test]
fn gzip_body() {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(json_body().as_bytes()).unwrap();
    let body = encoder.finish().unwrap();
    compressed_request("gzip", &body, |report| {
        assert_found(report, "$.id", "$.email");
    });
}

#[test]
fn br_body() {
    let body = inspect::fuzzing::brotli_stored(json_body().as_bytes());
    compressed_request("br", &body, |report| {
        assert_found(report, "$.id", "$.email");
    });
}

#[test]
fn zstd_body() {
    let body = compress_to_vec(json_body().as_bytes(), CompressionLevel::Fastest);
    compressed_request("zstd", &body, |report| {
        assert_found(report, "$.id", "$.email");
    });
}

#[test]
fn csv_file_in_a_multipart_upload() {
    let csv = format!("name,id,email\r\nJane Doe,{},{EMAIL}\r\n", resident_id());
    let body = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nimport\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"customers.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--XyZ--\r\n"
    );
    let report = inspect(&body_request(
        "multipart/form-data; boundary=XyZ",
        body.as_bytes(),
    ));
    assert_found(
        &report,
        "multipart:file(customers.csv) csv:id row 2",
        "multipart:file(customers.csv) csv:email row 2",
    );
}

#[test]
fn xml_cdata() {
    let body = format!(
        "<customer><id><![CDATA[{}]]></id><email><![CDATA[{EMAIL}]]></email></customer>",
        resident_id()
    );
    let report = inspect(&body_request("application/xml", body.as_bytes()));
    assert_found(&report, "/customer/id", "/customer/email");
}

#[test]
fn xml_character_references() {
    let references = |text: &str| -> String {
        text.chars()
            .map(|c| format!("&#{};", u32::from(c)))
            .collect()
    };
    let body = format!(
        "<customer id=\"{}\"><email>jane&#x40;example.com</email></customer>",
        references(&resident_id())
    );
    let report = inspect(&body_request("text/xml", body.as_bytes()));
    assert_found(&report, "/customer/@id", "/customer/email");
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn utf16_body_with_byte_order_mark() {
    let mut body = vec![0xff, 0xfe];
    body.extend(utf16le(&json_body()));
    let report = inspect(&body_request("application/json", &body));
    assert_found(&report, "$.id", "$.email");
}

#[test]
fn utf16_body_declared_in_content_type() {
    let body = utf16le(&json_body());
    let report = inspect(&body_request("application/json; charset=utf-16le", &body));
    assert_found(&report, "$.id", "$.email");
}

#[test]
fn gbk_body_with_chinese_keys() {
    let text = format!(r#"{{"身份证号": "{}", "邮箱": "{EMAIL}"}}"#, resident_id());
    let (body, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let report = inspect(&body_request("application/json; charset=GBK", &body));
    assert_found(&report, "$[\"身份证号\"]", "$[\"邮箱\"]");
}

#[test]
fn json_number_instead_of_a_string() {
    let body = format!(r#"{{"id_number": {}}}"#, numeric_resident_id());
    let report = inspect(&body_request("application/json", body.as_bytes()));
    assert_eq!(locations(&report, Category::CnResidentId), ["$.id_number"]);
}

/// Bodies whose byte order mark or charset label names UTF-16, UTF-32 or
/// ISO-2022-JP although the text after it is plain ASCII: transcoded, the
/// text turns into CJK characters, while a destination that ignores the
/// label reads the ASCII.
#[test]
fn false_charset_in_front_of_ascii() {
    let text = format!("id={}&email={EMAIL}", resident_id());
    let cases: [(&[u8], &str); 6] = [
        (b"\xff\xfe", "text/plain"),
        (b"\xfe\xff", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00\x00", "text/csv"),
        (b"\xff\xfe", "text/plain; charset=utf-8"),
        (b"\0", "text/plain; charset=utf-16"),
        (b"\x1b$B", "text/plain; charset=iso-2022-jp"),
    ];
    for (prefix, content_type) in cases {
        let mut body = prefix.to_vec();
        body.extend_from_slice(text.as_bytes());
        let report = inspect(&body_request(content_type, &body));
        for category in [Category::CnResidentId, Category::Email] {
            assert!(
                report.finding(category).is_some(),
                "{content_type} with {prefix:?}: {category} not found"
            );
        }
    }
}

/// Real UTF-16 text is found once, not again in its bytes as sent.
#[test]
fn utf16_text_is_counted_once() {
    let body = [b"\xff\xfe".as_slice(), &utf16le(&json_body())].concat();
    let report = inspect(&body_request("application/json", &body));
    assert_eq!(report.finding(Category::Email).unwrap().count, 1);
    assert_eq!(report.finding(Category::CnResidentId).unwrap().count, 1);
}

/// Exports from legacy Chinese and Japanese systems that name no charset:
/// full-width digits and Chinese keys are only readable once transcoded.
#[test]
fn legacy_charsets_without_a_label() {
    let full_width_id: String = resident_id()
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(u32::from(c) - u32::from('0') + 0xFF10).unwrap(),
            'X' => '\u{FF38}',
            other => other,
        })
        .collect();
    let json =
        format!(r#"{{"客户姓名": "张伟", "身份证号": "{full_width_id}", "邮箱": "{EMAIL}"}}"#);
    let (gbk, _, _) = encoding_rs::GBK.encode(&json);
    let report = inspect(&body_request("application/json", &gbk));
    assert_found(&report, "$[\"身份证号\"]", "$[\"邮箱\"]");
    assert!(report.finding(Category::PersonName).is_some());

    let csv = format!("氏名,マイナンバー,メール\n山田太郎,{full_width_id},{EMAIL}\n");
    let (shift_jis, _, _) = encoding_rs::SHIFT_JIS.encode(&csv);
    let report = inspect(&body_request("text/csv; charset=utf-8", &shift_jis));
    assert!(report.finding(Category::CnResidentId).is_some());
    assert!(report.finding(Category::Email).is_some());

    let text = format!("連絡先 {} ID {full_width_id}", EMAIL.replace('@', "＠"));
    let (iso_2022_jp, _, _) = encoding_rs::ISO_2022_JP.encode(&text);
    assert!(iso_2022_jp.contains(&0x1b));
    let report = inspect(&body_request("text/plain", &iso_2022_jp));
    assert!(report.finding(Category::CnResidentId).is_some());
    assert!(report.finding(Category::Email).is_some());
}

/// A query string percent-encoded in GBK, as legacy systems send it.
#[test]
fn gbk_escapes_in_a_query() {
    let percent = |text: &str| -> String {
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        bytes.iter().map(|byte| format!("%{byte:02X}")).collect()
    };
    let query = format!(
        "name={}&id={}",
        percent("张伟"),
        percent(&resident_id().replace('1', "１"))
    );
    let report = inspect(&Request {
        path: "/lookup",
        query: Some(&query),
        ..Request::default()
    });
    assert_eq!(locations(&report, Category::CnResidentId), ["query:id"]);
}

/// A comment or processing instruction inside an element's text does not
/// split its value.
#[test]
fn xml_comment_inside_a_value() {
    let id = resident_id();
    let body = format!(
        "<r><id>{}<!-- x -->{}</id><mail>jane<?pi?>@example.com</mail></r>",
        &id[..6],
        &id[6..]
    );
    let report = inspect(&body_request("application/xml", body.as_bytes()));
    assert_found(&report, "/r/id", "/r/mail");
}

/// A JSON document sent under another media type is read as JSON, so names
/// keep their keys.
#[test]
fn json_under_a_false_media_type() {
    let body = format!(
        r#"{{"customer_name": "Anna Schmidt", "id": "{}", "email": "{EMAIL}"}}"#,
        resident_id()
    );
    for content_type in [
        "application/x-www-form-urlencoded",
        "text/csv",
        "text/plain",
    ] {
        let report = inspect(&body_request(content_type, body.as_bytes()));
        assert_found(&report, "$.id", "$.email");
        assert_eq!(
            locations(&report, Category::PersonName),
            ["$.customer_name"],
            "{content_type}"
        );
    }
}

/// A card or ID number written as a JSON number with an exponent.
#[test]
fn json_number_with_an_exponent() {
    let body = format!(
        r#"{{"card": 4111111111111111e0, "id_number": {}0E-1}}"#,
        numeric_resident_id()
    );
    let report = inspect(&body_request("application/json", body.as_bytes()));
    assert_eq!(locations(&report, Category::PaymentCard), ["$.card"]);
    assert_eq!(locations(&report, Category::CnResidentId), ["$.id_number"]);
}

/// A JSON Web Token whose payload names a person, in a body field, a query
/// parameter and a cookie.
#[test]
fn json_web_token_payloads() {
    // header {"alg":"none"}, payload {"email":"jane@example.com"}
    let token = "eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImphbmVAZXhhbXBsZS5jb20ifQ.";
    let body = format!(r#"{{"id_token": "{token}"}}"#);
    let query = format!("access_token={token}");
    let cookie = format!("session=1; id_token={token}");
    let headers: [(&str, &[u8]); 1] = [("cookie", cookie.as_bytes())];
    let report = inspect(&Request {
        path: "/callback",
        query: Some(&query),
        headers: &headers,
        ..body_request("application/json", body.as_bytes())
    });
    assert_eq!(report.finding(Category::Email).unwrap().count, 3);
}

/// A JSON document percent-encoded as a whole form body keeps its keys.
#[test]
fn percent_encoded_json_as_a_form_body() {
    let json = format!(r#"{{"first_name": "Jane", "id": "{}"}}"#, resident_id());
    let body = percent_encode_all(&json);
    let report = inspect(&body_request(
        "application/x-www-form-urlencoded",
        body.as_bytes(),
    ));
    assert!(report.finding(Category::CnResidentId).is_some());
    assert!(report.finding(Category::PersonName).is_some());
}

/// The name of a multipart part is scanned like its file name.
#[test]
fn multipart_part_name() {
    let body = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"{EMAIL}\"\r\n\r\nyes\r\n--XyZ--\r\n"
    );
    let report = inspect(&body_request(
        "multipart/form-data; boundary=XyZ",
        body.as_bytes(),
    ));
    assert_eq!(locations(&report, Category::Email).len(), 1);
}

/// A path segment that names a field gives the next segment its context,
/// as a key does.
#[test]
fn path_segment_names_the_next_one() {
    let cases = [
        ("/patients/dob/1985-03-14", Category::DateOfBirth, "path[2]"),
        (
            "/api/customers/email/john@example.com",
            Category::Email,
            "path[3]",
        ),
        ("/users/by-ssn/536228726", Category::UsSsn, "path[2]"),
    ];
    for (path, category, location) in cases {
        let report = inspect(&Request {
            path,
            ..Request::default()
        });
        assert_eq!(locations(&report, category), [location], "{path}");
    }
}

/// Hex strings that encode no text, such as digests, keys and GUIDs without
/// dashes, are left as they are.
#[test]
fn hex_of_binary_stays_a_value() {
    for value in [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "005056A7004E1EDA9BAD8F3F1F0E8C6B",
        "12345678901234567890123456789012",
    ] {
        let body = format!(r#"{{"checksum": "{value}"}}"#);
        let report = inspect(&body_request("application/json", body.as_bytes()));
        assert!(report.findings.is_empty(), "{value}: {:?}", report.findings);
    }
}
