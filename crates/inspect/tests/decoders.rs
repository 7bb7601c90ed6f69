//! Body decoders seen through `Inspector::inspect`: XML, CSV, multipart,
//! the `br` and `zstd` codings, charsets, JSON numbers and nested values,
//! plus a seeded stand-in for the fuzz targets that runs on stable Rust.

use inspect::{Category, ContentCoding, InspectError, Inspector, Limits, Report, Request};

const EMAIL: &str = "jane@example.com";

fn request<'a>(content_type: &'a str, body: &'a [u8]) -> Request<'a> {
    Request {
        path: "/",
        content_type: Some(content_type),
        body,
        ..Request::default()
    }
}

fn inspect(content_type: &str, body: &[u8]) -> Result<Report, InspectError> {
    Inspector::default().inspect(&request(content_type, body))
}

fn email_locations(content_type: &str, body: &[u8]) -> Vec<String> {
    let report = inspect(content_type, body).unwrap();
    report
        .finding(Category::Email)
        .map(|finding| finding.locations.clone())
        .unwrap_or_default()
}

#[test]
fn xml_namespaces_are_dropped_from_keys_and_paths() {
    let body = br#"<?xml version="1.0"?>
        <a:Doc xmlns:a="urn:a" xmlns:b="urn:b"><b:Contact><b:Mail>jane@example.com</b:Mail></b:Contact></a:Doc>"#;
    assert_eq!(
        email_locations("application/xml", body),
        ["/Doc/Contact/Mail"]
    );
}

#[test]
fn xml_attributes_are_values_keyed_by_name() {
    let body = br#"<Party><Contact mail="jane@example.com" xmlns:x="urn:x" x:tel="1"/></Party>"#;
    assert_eq!(email_locations("text/xml", body), ["/Party/Contact/@mail"]);
}

#[test]
fn xml_cdata_and_text_join_into_one_value() {
    let body = b"<r><m>jane<![CDATA[@example]]>.com</m></r>";
    assert_eq!(email_locations("application/xml", body), ["/r/m"]);
}

#[test]
fn xml_repeated_records_count_people() {
    let body = b"<Batch><Tx><Nm>A</Nm><Mail>a@example.com</Mail></Tx>\
                 <Tx><Nm>B</Nm><Mail>b@example.com</Mail></Tx></Batch>";
    let report = inspect("application/xml", body).unwrap();
    assert_eq!(report.subjects, 2);
    assert_eq!(
        report.finding(Category::Email).unwrap().locations,
        ["/Batch/Tx[1]/Mail", "/Batch/Tx[2]/Mail"]
    );
}

/// Customers written as attributes, one element each, are one record each
/// like customers written as child elements.
#[test]
fn xml_attribute_records_count_people() {
    let first = ["Ursula", "Klaus", "Monika", "Peter", "Sabine", "Jürgen"];
    let last = ["Hoffmann", "Müller", "Schmidt", "Weber"];
    let mut body = String::from("<Customers>");
    for index in 0..600 {
        let (given, family) = (first[index % 6], last[index / 6 % 4]);
        body.push_str(&format!(
            r#"<Customer No="C{index}" FirstName="{given}" LastName="{family}" Email="c{index}@web.de" BirthDate="19{:02}-05-12"/>"#,
            40 + index % 60
        ));
    }
    body.push_str("</Customers>");
    let report = inspect("application/xml", body.as_bytes()).unwrap();
    assert_eq!(report.subjects, 600);
    let two = r#"<Customers><Customer No="C1" FirstName="Ursula" LastName="Hoffmann"/><Customer No="C2" FirstName="Klaus" LastName="Müller"/></Customers>"#;
    assert_eq!(
        inspect("application/xml", two.as_bytes()).unwrap().subjects,
        2
    );
}

#[test]
fn xml_billion_laughs_is_rejected() {
    let mut body =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for level in 1..10 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        body.push_str(&format!(
            "<!ENTITY lol{level} \"{}\">\n",
            format!("&{previous};").repeat(10)
        ));
    }
    body.push_str("]>\n<lolz>&lol9;</lolz>");
    let error = inspect("application/xml", body.as_bytes()).unwrap_err();
    assert!(
        matches!(&error, InspectError::XmlEntity { name, .. } if name == "[3 characters withheld]"),
        "{error:?}"
    );
}

#[test]
fn xml_external_entity_is_rejected() {
    let body = br#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]><r>&xxe;</r>"#;
    let error = inspect("application/xml", body).unwrap_err();
    assert!(
        matches!(&error, InspectError::XmlEntity { name, .. } if name == "[3 characters withheld]"),
        "{error:?}"
    );
}

#[test]
fn xml_undeclared_entity_is_rejected() {
    let error = inspect("application/xml", b"<r>jane&nbsp;doe</r>").unwrap_err();
    assert!(
        matches!(error, InspectError::XmlEntity { offset: 7, .. }),
        "{error:?}"
    );
}

#[test]
fn xml_doctype_without_entities_is_allowed() {
    let body = br#"<!DOCTYPE r SYSTEM "r.dtd"><r><m>jane@example.com</m></r>"#;
    assert_eq!(email_locations("application/xml", body), ["/r/m"]);
}

#[test]
fn malformed_xml_is_an_error_with_offset() {
    let cases: [(&[u8], usize); 3] = [
        (b"<a><b>x</a>", 7),
        (b"<a attr=\"x>y</a>", 0),
        (b"<a><b>text", 10),
    ];
    for (body, offset) in cases {
        let error = inspect("application/xml", body).unwrap_err();
        let found = match error {
            InspectError::InvalidXml { offset, .. } => offset,
            other => panic!("{body:?}: {other:?}"),
        };
        assert_eq!(found, offset, "{:?}", String::from_utf8_lossy(body));
    }
}

#[test]
fn xml_too_deep_is_an_error() {
    let body = "<a>".repeat(200);
    let error = inspect("application/xml", body.as_bytes()).unwrap_err();
    assert_eq!(
        error,
        InspectError::XmlTooDeep {
            offset: 128 * 3,
            limit: 128
        }
    );
}

#[test]
fn xml_declaration_marks_plain_text() {
    let body = b"<?xml version=\"1.0\"?><r><mail>jane@example.com</mail></r>";
    assert_eq!(email_locations("text/plain", body), ["/r/mail"]);
}

#[test]
fn csv_delimiters_are_sniffed() {
    for delimiter in [",", ";", "\t", "|"] {
        let body = ["name", "note", "email"].join(delimiter)
            + "\r\n"
            + &["Jane", "a,b", EMAIL].join(delimiter)
            + "\r\n";
        let body = if delimiter == "," {
            body.replace("a,b", "\"a,b\"")
        } else {
            body
        };
        assert_eq!(
            email_locations("text/csv", body.as_bytes()),
            ["csv:email row 2"],
            "{delimiter:?}"
        );
    }
}

/// A DATEV export opens with a metadata record above its column names,
/// and names the columns of a person's names by the type of addressee.
#[test]
fn csv_datev_export_keeps_its_header() {
    let body = "\"EXTF\";700;16;\"Debitoren/Kreditoren\";5;20240401120000000;;\"RE\";\"\";\"\";1001;10001\r\n\
        \"Konto\";\"Name (Adressattyp Unternehmen)\";\"Name (Adressattyp natürl. Person)\";\
        \"Vorname (Adressattyp natürl. Person)\";\"Telefon\";\"Geburtsdatum\"\r\n\
        10001;\"\";\"Mueller\";\"Hans\";\"0711 1234567\";\"14.03.1985\"\r\n\
        10002;\"\";\"Schmidt\";\"Petra\";\"089 7654321\";\"02.11.1979\"\r\n";
    let report = inspect("text/csv", body.as_bytes()).unwrap();
    let names = report.finding(Category::PersonName).unwrap();
    assert_eq!(names.count, 4);
    assert_eq!(
        names.locations[0],
        "csv:Name (Adressattyp natürl. Person) row 3"
    );
    assert_eq!(report.finding(Category::Phone).unwrap().count, 2);
    assert_eq!(report.finding(Category::DateOfBirth).unwrap().count, 2);
    assert_eq!(report.subjects, 2);
}

/// A first line that only starts like DATEV's record is no metadata record.
#[test]
fn csv_datev_record_needs_version_numbers() {
    let body = "\"EXTF\";\"Name\";\"Telefon\"\r\nx;Hans Mueller;0711 1234567\r\n";
    let report = inspect("text/csv", body.as_bytes()).unwrap();
    let phone = report.finding(Category::Phone).unwrap();
    assert_eq!(phone.locations, ["csv:Telefon row 2"]);
}

#[test]
fn csv_without_header_uses_column_numbers() {
    let body = b"1,Jane,jane@example.com\n2,John,john@example.com\n";
    assert_eq!(
        email_locations("text/csv", body),
        ["csv:column 3 row 1", "csv:column 3 row 2"]
    );
}

#[test]
fn csv_byte_order_mark_is_stripped() {
    let body = b"\xef\xbb\xbfemail,name\njane@example.com,Jane\n";
    assert_eq!(email_locations("text/csv", body), ["csv:email row 2"]);
}

#[test]
fn csv_multiline_cells_and_ragged_rows() {
    let body = b"id,note,email\n1,\"line one\nline two\",jane@example.com,extra\n2\n3,x,john@example.com\n";
    let report = inspect("text/csv", body).unwrap();
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.locations, ["csv:email row 2", "csv:email row 4"]);
    assert_eq!(report.subjects, 2);
}

#[test]
fn tsv_is_split_on_tabs() {
    let body = b"email\tname\njane@example.com\tJane, Doe\n";
    assert_eq!(
        email_locations("text/tab-separated-values", body),
        ["csv:email row 2"]
    );
}

fn multipart(parts: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for part in parts {
        body.push_str("--B0und\r\n");
        body.push_str(part);
        body.push_str("\r\n");
    }
    body.push_str("--B0und--\r\n");
    body.into_bytes()
}

const FORM_DATA: &str = "multipart/form-data; boundary=B0und";

#[test]
fn multipart_parts_use_their_own_type() {
    let body = multipart(&[
        "Content-Disposition: form-data; name=\"contact\"\r\n\r\njane@example.com",
        "Content-Disposition: form-data; name=\"data\"\r\nContent-Type: application/json\r\n\r\n\
         {\"email\": \"john@example.com\"}",
        "Content-Disposition: form-data; name=\"doc\"; filename=\"c.xml\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n<c><mail>ann@example.com</mail></c>",
    ]);
    assert_eq!(
        email_locations(FORM_DATA, &body),
        [
            "multipart:contact",
            "multipart:data $.email",
            "multipart:doc(c.xml) /c/mail"
        ]
    );
}

#[test]
fn multipart_mixed_inside_form_data_is_decoded() {
    let inner = "--Inner\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\
                 Content-Type: text/plain\r\n\r\nmail jane@example.com\r\n--Inner--";
    let outer = format!(
        "Content-Disposition: form-data; name=\"files\"\r\n\
         Content-Type: multipart/mixed; boundary=Inner\r\n\r\n{inner}"
    );
    let body = multipart(&[&outer]);
    assert_eq!(
        email_locations(FORM_DATA, &body),
        ["multipart:files multipart:(a.txt) line 1"]
    );
}

#[test]
fn multipart_base64_and_quoted_printable_parts_are_decoded() {
    let body = multipart(&[
        "Content-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
         amFuZUBleGFt\r\ncGxlLmNvbQ==",
        "Content-Disposition: form-data; name=\"b\"\r\n\
         Content-Transfer-Encoding: quoted-printable\r\n\r\njohn=40example.com",
    ]);
    assert_eq!(
        email_locations(FORM_DATA, &body),
        ["multipart:a", "multipart:b"]
    );
}

#[test]
fn multipart_binary_part_is_an_error() {
    let body = multipart(&[
        "Content-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\n\
         Content-Type: image/png\r\n\r\n\u{89}PNG\r\n\u{1a}\n\0\0\0\rIHDR",
    ]);
    let error = inspect(FORM_DATA, &body).unwrap_err();
    assert!(
        matches!(&error, InspectError::BinaryBody { media_type, .. } if media_type == "image/png"),
        "{error:?}"
    );
}

#[test]
fn multipart_without_a_valid_boundary_is_an_error() {
    let body = multipart(&["Content-Disposition: form-data; name=\"a\"\r\n\r\nx"]);
    for content_type in [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"a<b\"",
    ] {
        let error = inspect(content_type, &body).unwrap_err();
        assert!(
            matches!(error, InspectError::MultipartBoundary { .. }),
            "{content_type}: {error:?}"
        );
    }
    let error = inspect("multipart/form-data; boundary=Other", &body).unwrap_err();
    assert!(
        matches!(error, InspectError::InvalidMultipart { .. }),
        "{error:?}"
    );
}

#[test]
fn multipart_without_closing_delimiter_is_an_error() {
    let body = b"--B0und\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\njane@example.com";
    let error = inspect(FORM_DATA, body).unwrap_err();
    assert!(
        matches!(error, InspectError::InvalidMultipart { .. }),
        "{error:?}"
    );
}

#[test]
fn multipart_part_count_is_limited() {
    let part = "Content-Disposition: form-data; name=\"a\"\r\n\r\nx";
    let body = multipart(&[part; 11]);
    let limits = Limits {
        max_multipart_parts: 10,
        ..Limits::default()
    };
    let error = Inspector::new(limits)
        .inspect(&request(FORM_DATA, &body))
        .unwrap_err();
    assert_eq!(error, InspectError::TooManyParts { limit: 10 });
}

fn coded(coding: &str, body: &[u8], limits: Limits) -> Result<Report, InspectError> {
    let request = Request {
        content_encoding: Some(coding),
        ..request("text/plain", body)
    };
    Inspector::new(limits).inspect(&request)
}

/// 8 MiB of zeros compressed by a Brotli encoder at quality 11.
const BROTLI_ZERO_BOMB: [u8; 14] = [
    0xcb, 0xff, 0xff, 0x3f, 0xf8, 0x27, 0x00, 0xe2, 0xb1, 0x40, 0x20, 0xf7, 0xfe, 0x6f,
];

#[test]
fn brotli_bomb_stops_at_the_expansion_ratio() {
    let error = coded("br", &BROTLI_ZERO_BOMB, Limits::default()).unwrap_err();
    assert_eq!(
        error,
        InspectError::ExpansionRatioExceeded {
            encoding: ContentCoding::Brotli,
            ratio: 100,
            encoded_bytes: BROTLI_ZERO_BOMB.len()
        }
    );
}

#[test]
fn zstd_bomb_stops_at_the_decoded_size_limit() {
    let zeros = vec![0u8; 8 * 1024 * 1024];
    let bomb =
        ruzstd::encoding::compress_to_vec(&zeros[..], ruzstd::encoding::CompressionLevel::Fastest);
    let limits = Limits {
        max_decoded_bytes: 1024 * 1024,
        max_expansion_ratio: usize::MAX,
        ..Limits::default()
    };
    let error = coded("zstd", &bomb, limits).unwrap_err();
    assert_eq!(
        error,
        InspectError::DecodedTooLarge {
            encoding: ContentCoding::Zstd,
            limit: 1024 * 1024
        }
    );
}

#[test]
fn zstd_skippable_frame_with_data_is_rejected() {
    // A skippable frame (magic 0x184D2A5?, little-endian size) before a
    // normal frame: empty, it is passed over; with data, the data would
    // reach the destination unread.
    let text = format!("mail {EMAIL}\n");
    let frame = ruzstd::encoding::compress_to_vec(
        text.as_bytes(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let skippable = |data: &[u8]| {
        let mut body = vec![0x53, 0x2a, 0x4d, 0x18];
        body.extend(u32::try_from(data.len()).unwrap().to_le_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(&frame);
        body
    };
    let report = coded("zstd", &skippable(b""), Limits::default()).unwrap();
    assert!(report.personal_data);
    let error = coded("zstd", &skippable(EMAIL.as_bytes()), Limits::default()).unwrap_err();
    assert_eq!(
        error,
        InspectError::CodingMetadata {
            encoding: ContentCoding::Zstd,
            part: "a skippable frame with data",
        }
    );
}

#[test]
fn zstd_huge_window_is_rejected() {
    // Magic, a descriptor without single-segment flag, a window descriptor
    // of exponent 31 (2 TiB), and no blocks.
    let frame = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xf8, 0x00, 0x00, 0x00];
    let error = coded("zstd", &frame, Limits::default()).unwrap_err();
    assert!(
        matches!(
            error,
            InspectError::CorruptEncoding {
                encoding: ContentCoding::Zstd,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn truncated_br_and_zstd_streams_name_the_coding() {
    let text = format!("mail {EMAIL}\n").repeat(50);
    let brotli = inspect::fuzzing::brotli_stored(text.as_bytes());
    let zstd = ruzstd::encoding::compress_to_vec(
        text.as_bytes(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    for (coding, stream, encoding) in [
        ("br", brotli, ContentCoding::Brotli),
        ("zstd", zstd, ContentCoding::Zstd),
    ] {
        let cut = &stream[..stream.len() - 3];
        let error = coded(coding, cut, Limits::default()).unwrap_err();
        assert_eq!(
            error,
            InspectError::TruncatedEncoding { encoding },
            "{coding}"
        );
        let mut extra = stream.clone();
        extra.extend_from_slice(b"junk");
        let error = coded(coding, &extra, Limits::default()).unwrap_err();
        assert!(
            matches!(&error, InspectError::TrailingData { encoding: e, .. } | InspectError::CorruptEncoding { encoding: e, .. } if *e == encoding),
            "{coding}: {error:?}"
        );
    }
}

#[test]
fn charsets_are_transcoded_before_parsing() {
    let text = format!("姓名 {EMAIL}\n");
    let encode = |encoding: &'static encoding_rs::Encoding| encoding.encode(&text).0.into_owned();
    let utf32le: Vec<u8> = text
        .chars()
        .flat_map(|c| u32::from(c).to_le_bytes())
        .collect();
    let utf32be: Vec<u8> = text
        .chars()
        .flat_map(|c| u32::from(c).to_be_bytes())
        .collect();
    let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let with_bom = |bom: &[u8], body: &[u8]| [bom, body].concat();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("text/plain; charset=gbk", encode(encoding_rs::GBK)),
        ("text/plain; charset=gb18030", encode(encoding_rs::GB18030)),
        (
            "text/plain; charset=shift_jis",
            encode(encoding_rs::SHIFT_JIS),
        ),
        ("text/plain; charset=euc-jp", encode(encoding_rs::EUC_JP)),
        ("text/plain; charset=big5", encode(encoding_rs::BIG5)),
        ("text/plain; charset=utf-16be", utf16be.clone()),
        ("text/plain; charset=utf-16", utf16be.clone()),
        ("text/plain", with_bom(b"\xfe\xff", &utf16be)),
        ("text/plain; charset=utf-32", utf32le.clone()),
        ("text/plain; charset=utf-32be", utf32be.clone()),
        ("text/plain", with_bom(b"\xff\xfe\x00\x00", &utf32le)),
        ("text/plain", with_bom(b"\x00\x00\xfe\xff", &utf32be)),
        ("text/plain", with_bom(b"\xef\xbb\xbf", text.as_bytes())),
        (
            "text/plain; charset=windows-1251",
            format!("Имя {EMAIL}").into_bytes(),
        ),
    ];
    for (content_type, body) in cases {
        let body = if content_type.ends_with("1251") {
            encoding_rs::WINDOWS_1251
                .encode(std::str::from_utf8(&body).unwrap())
                .0
                .into_owned()
        } else {
            body
        };
        assert_eq!(
            email_locations(content_type, &body),
            ["line 1"],
            "{content_type} {body:?}"
        );
    }
}

#[test]
fn xml_declaration_names_the_charset() {
    let body = encoding_rs::SHIFT_JIS
        .encode("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><顧客><メール>jane@example.com</メール></顧客>")
        .0
        .into_owned();
    assert_eq!(email_locations("application/xml", &body), ["/顧客/メール"]);
}

#[test]
fn ascii_labelled_utf16_is_rejected() {
    let error = inspect("text/plain; charset=utf-16", EMAIL.as_bytes()).unwrap_err();
    assert_eq!(
        error,
        InspectError::CharsetMismatch {
            charset: "utf-16".to_owned()
        }
    );
}

#[test]
fn malformed_gbk_keeps_the_ascii_after_the_damage() {
    let body = b"\x81\xff bad \xfe jane@example.com\n";
    assert_eq!(email_locations("text/plain; charset=gbk", body), ["line 1"]);
}

#[test]
fn json_number_card_keeps_its_key() {
    let body = br#"{"pan": 4111111111111111110}"#;
    let report = inspect("application/json", body).unwrap();
    let card = report.finding(Category::PaymentCard).unwrap();
    assert_eq!(card.locations, ["$.pan"]);
}

/// Returns the locations of the person names found in a JSON `body`.
fn name_locations(body: &str) -> Vec<String> {
    let report = inspect("application/json", body.as_bytes()).unwrap();
    report
        .finding(Category::PersonName)
        .map(|finding| finding.locations.clone())
        .unwrap_or_default()
}

/// Odoo sends a many2one field as `[id, display name]`. Under a key that
/// references a person or a partner, the display name is judged as a name.
#[test]
fn json_reference_display_names_are_names() {
    let body = r#"{"result": [{"name": "S00017",
        "partner_id": [26, "Brandon Freeman"],
        "user_id": [2, "Mitchell Admin"],
        "salesman_id": [ 6 , "Marc Demo" ],
        "create_uid": [2, "Mitchell Admin"],
        "partner_invoice_id": [33, "Gemini Furniture, Edwin Hansen"]}]}"#;
    let mut locations = name_locations(body);
    locations.sort();
    assert_eq!(
        locations,
        [
            "$.result[0].create_uid[1]",
            "$.result[0].partner_id[1]",
            "$.result[0].partner_invoice_id[1]",
            "$.result[0].salesman_id[1]",
            "$.result[0].user_id[1]",
        ]
    );
    // One order is one record, counted as one person, however many
    // distinct names it holds up to four.
    let report = inspect("application/json", body.as_bytes()).unwrap();
    assert_eq!(report.subjects, 1);
}

/// Only an integer and one string under a key that references a person or
/// a partner are a reference with a display name.
#[test]
fn json_other_references_are_no_names() {
    for body in [
        r#"{"product_id": [12, "Office Chair"]}"#,
        r#"{"company_id": [1, "Jane Doe"]}"#,
        r#"{"partner_id": [26, "Brandon Freeman", 3]}"#,
        r#"{"partner_id": ["x", "Brandon Freeman"]}"#,
        r#"{"partner_id": [1.5, "Brandon Freeman"]}"#,
        r#"{"partner_id": [[26], "Brandon Freeman"]}"#,
        r#"{"partner_ids": [26, 27]}"#,
        r#"{"user": [2, "Mitchell Admin"]}"#,
    ] {
        assert_eq!(name_locations(body), Vec::<String>::new(), "{body}");
    }
}

/// Odoo's `load(fields, rows)` sends the header and the array of rows as
/// two elements of one array. The header keys the cells of every row, and
/// each row is a person.
#[test]
fn json_header_before_array_of_rows() {
    let rows = r#"[["name", "email"],
        [["Hans Mueller", "h.mueller@web.de"], ["Petra Schmidt", "p.schmidt@gmx.de"]]]"#;
    let body = format!(
        r#"{{"method": "call", "params": {{"args": ["db", 2, "secret", "res.partner", "load", {rows}]}}}}"#
    );
    for body in [body.as_str(), rows] {
        let report = inspect("application/json", body.as_bytes()).unwrap();
        let names = report.finding(Category::PersonName).unwrap();
        assert_eq!(names.count, 2, "{body}");
        assert_eq!(report.subjects, 2, "{body}");
    }
    assert_eq!(
        name_locations(&body),
        ["$.params.args[5][1][0][0]", "$.params.args[5][1][1][0]"]
    );
    // A header followed by rows keeps reading each row as a record.
    let table = r#"[["name", "email"], ["Hans Mueller", "h.mueller@web.de"],
        ["Petra Schmidt", "p.schmidt@gmx.de"]]"#;
    let report = inspect("application/json", table.as_bytes()).unwrap();
    assert_eq!(report.finding(Category::PersonName).unwrap().count, 2);
    assert_eq!(report.subjects, 2);
}

#[test]
fn nested_json_is_scanned_once() {
    let body = br#"{"payload": "{\"customer\": {\"email\": \"jane@example.com\"}}"}"#;
    let report = inspect("application/json", body).unwrap();
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.count, 1);
    assert_eq!(email.locations, ["$.payload(json).customer.email"]);
}

#[test]
fn nested_form_and_percent_decode() {
    let body = br#"{"a": "email=jane%40example.com&x=1", "b": "john%2540example.com"}"#;
    assert_eq!(
        email_locations("application/json", body),
        ["$.a(form:email)", "$.b(percent)(percent)"]
    );
    let form = b"a=john%252540example.com";
    assert_eq!(
        email_locations("application/x-www-form-urlencoded", form),
        ["form:a(percent)(percent)"]
    );
}

#[test]
fn base64_json_in_a_header_is_decoded_twice() {
    // {"email":"jane@example.com"} in URL-safe base64 without padding.
    let token = b"eyJlbWFpbCI6ImphbmVAZXhhbXBsZS5jb20ifQ";
    let request = Request {
        path: "/",
        headers: &[("x-context", token)],
        ..Request::default()
    };
    let report = Inspector::default().inspect(&request).unwrap();
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.locations, ["header:x-context(base64)(json).email"]);
}

#[test]
fn values_nested_too_deep_are_rejected() {
    let mut value = EMAIL.to_owned();
    for _ in 0..4 {
        value = value.replace('%', "%25").replace('@', "%40");
    }
    let body = format!("{{\"v\": \"{value}\"}}");
    let error = inspect("application/json", body.as_bytes()).unwrap_err();
    assert_eq!(error, InspectError::NestedTooDeep { limit: 3 });
}

#[test]
fn path_segments_are_scanned_one_by_one() {
    let request = Request {
        path: "/v1/customers/jane%40example.com/orders",
        ..Request::default()
    };
    let report = Inspector::default().inspect(&request).unwrap();
    assert_eq!(
        report.finding(Category::Email).unwrap().locations,
        ["path[2]"]
    );
}

#[test]
fn decoders_survive_seeded_random_and_mutated_inputs() {
    let runs = inspect::fuzzing::seeded::run_all(0x5eed_1234_abcd_ef01, 3000);
    assert!(runs >= 3000 * 10, "{runs}");
}

#[test]
fn gzip_base64_after_label_is_read() {
    // Gzip of "Contact jane.doe@example.com please", in base64.
    let encoded =
        "H4sIAAAAAAAA/wEjANz/Q29udGFjdCBqYW5lLmRvZUBleGFtcGxlLmNvbSBwbGVhc2Xz+sTlIwAAAA==";
    let body = format!("{{\"note\":\"attachment: {encoded}\"}}");
    assert_eq!(
        email_locations("application/json", body.as_bytes()),
        ["$.note(gzip)"]
    );
}
