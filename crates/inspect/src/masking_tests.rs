use std::io::Write as _;

use super::*;

fn today() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 12, 4)
}

fn request<'a>(content_type: &'a str, body: &'a [u8]) -> Request<'a> {
    Request {
        path: "/api/customers",
        content_type: Some(content_type),
        body,
        today: today(),
        ..Request::default()
    }
}

fn masked_body(content_type: &str, body: &[u8]) -> String {
    let masked = Inspector::default()
        .mask_request(&request(content_type, body))
        .unwrap_or_else(|error| panic!("{content_type}: {error}"));
    String::from_utf8(masked.body).expect("masked bodies are UTF-8")
}

const RAW_VALUES: [&str; 7] = [
    "jane.doe@example.com",
    "Jane Doe",
    "1234567",
    "DE89370400440532013000",
    "4111111111111111",
    "1990-01-31",
    "Hauptstrasse",
];

fn assert_no_raw_values(masked: &str) {
    for raw in RAW_VALUES {
        assert!(!masked.contains(raw), "{raw} is still in {masked}");
    }
}

#[test]
fn json_keeps_structure_masks_values() {
    let body = br#"{"orders":[{"order_no":"SO-2024-00017","sku":"AB-1234","customer_name":"Jane Doe","email":"jane.doe@example.com","phone":"+49 30 1234567","street":"Hauptstrasse 5, 10115 Berlin","iban":"DE89370400440532013000","card":4111111111111111,"birth_date":"1990-01-31","qty":2}]}"#;
    let masked = masked_body("application/json", body);
    assert_eq!(
        masked,
        r#"{"orders":[{"order_no":"SO-2024-00017","sku":"AB-1234","customer_name":"J*** D***","email":"j***@e***.com","phone":"+*******4567","street":"[address: 4 words]","iban":"DE****************3000","card":"************1111","birth_date":"age 35-39","qty":2}]}"#
    );
}

#[test]
fn json_escapes_and_numbers_are_rewritten_as_strings() {
    let body = br#"{"contact":"jane.doe\u0040example.com","note":"say \"hi\"","card_no":4111111111111111}"#;
    let masked = masked_body("application/json; charset=utf-8", body);
    assert_eq!(
        masked,
        r#"{"contact":"j***@e***.com","note":"say \"hi\"","card_no":"************1111"}"#
    );
}

#[test]
fn csv_cells_are_masked_by_their_column() {
    let body = b"name,email,phone,amount\r\nJane Doe,jane.doe@example.com,+44 20 7946 0958,12.50\r\n\"Doe, John\",john@example.com,+44 20 7946 0959,3.00\r\n";
    let masked = masked_body("text/csv", body);
    assert_eq!(
        masked,
        "name,email,phone,amount\r\nJ*** D***,j***@e***.com,+*******0958,12.50\r\n\
         D*** J***,j***@e***.com,+*******0959,3.00\r\n"
    );
}

#[test]
fn xml_text_cdata_and_attributes_are_masked() {
    let body = br#"<?xml version="1.0"?><customers><customer id="7" email="jane.doe@example.com"><Name>Jane Doe</Name><Phone><![CDATA[+49 30 1234567]]></Phone><field name="street">Hauptstrasse 5</field><Card>&#52;111111111111111</Card></customer></customers>"#;
    let masked = masked_body("application/xml", body);
    assert_eq!(
        masked,
        r#"<?xml version="1.0"?><customers><customer id="7" email="j***@e***.com"><Name>J*** D***</Name><Phone>+*******4567</Phone><field name="street">[address: 2 words]</field><Card>************1111</Card></customer></customers>"#
    );
}

#[test]
fn form_values_keep_their_encoding() {
    let body = b"name=Jane+Doe&email=jane.doe%40example.com&qty=2";
    let masked = masked_body("application/x-www-form-urlencoded", body);
    assert_eq!(masked, "name=J***%20D***&email=j***%40e***.com&qty=2");
}

#[test]
fn text_is_masked_in_place() {
    let masked = masked_body(
        "text/plain",
        b"Call Jane at +49 30 1234567 or write to jane.doe@example.com.\n",
    );
    assert_eq!(
        masked,
        "Call Jane at +*******4567 or write to j***@e***.com.\n"
    );
}

#[test]
fn compressed_bodies_are_masked_without_their_coding() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(br#"{"email":"jane.doe@example.com"}"#)
        .unwrap();
    let gzipped = encoder.finish().unwrap();
    let masked = Inspector::default()
        .mask_request(&Request {
            content_encoding: Some("gzip"),
            ..request("application/json", &gzipped)
        })
        .unwrap();
    assert_eq!(masked.body, br#"{"email":"j***@e***.com"}"#);
}

#[test]
fn path_query_and_headers_are_masked() {
    let headers: [(&str, &[u8]); 3] = [
        ("x-customer-email", b"jane.doe@example.com"),
        ("content-type", b"application/json"),
        ("cookie", b"session=abc; email=jane.doe%40example.com"),
    ];
    let masked = Inspector::default()
        .mask_request(&Request {
            path: "/customers/jane.doe@example.com/orders",
            query: Some("name=Jane+Doe&page=2"),
            headers: &headers,
            ..request("application/json", b"{}")
        })
        .unwrap();
    assert_eq!(masked.path, "/customers/j***%40e***.com/orders");
    assert_eq!(masked.query.as_deref(), Some("name=J***%20D***&page=2"));
    assert_eq!(masked.headers[0].1, b"j***%40e***.com");
    assert_eq!(masked.headers[1].1, b"application/json");
    assert_eq!(masked.headers[2].1, b"session=abc; email=j***%40e***.com");
    assert_eq!(masked.masked_values, 4);
}

#[test]
fn unreachable_values_fail_the_check() {
    // base64 of {"email":"jane.doe@example.com"}
    let body = br#"{"payload":"eyJlbWFpbCI6ImphbmUuZG9lQGV4YW1wbGUuY29tIn0="}"#;
    let error = Inspector::default()
        .mask_request(&request("application/json", body))
        .unwrap_err();
    assert_eq!(
        error,
        MaskError::Residual {
            categories: vec![Category::Email]
        }
    );
    assert!(
        error
            .to_string()
            .contains("still contains personal data (email)")
    );
}

#[test]
fn multipart_parts_are_masked_in_place() {
    let inspector = Inspector::default();
    let multipart =
        b"pre jane.doe@example.com\r\n--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\
                      X-Owner: john.roe@example.com\r\n\r\njane.doe@example.com\r\n\
                      --b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"c.json\"\r\n\
                      Content-Type: application/json\r\n\r\n{\"name\": \"Jane Doe\"}\r\n--b--\r\n";
    let masked = inspector
        .mask_request(&request("multipart/form-data; boundary=b", multipart))
        .unwrap();
    assert_eq!(
        String::from_utf8(masked.body).unwrap(),
        "pre j***@e***.com\r\n--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\
         X-Owner: j***@e***.com\r\n\r\nj***@e***.com\r\n\
         --b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"c.json\"\r\n\
         Content-Type: application/json\r\n\r\n{\"name\": \"J*** D***\"}\r\n--b--\r\n"
    );
    assert_eq!(masked.masked_values, 4);
}

#[test]
fn multipart_parts_under_codings_are_checked_not_rewritten() {
    // The base64 part keeps its bytes, and the inspection of the copy
    // finds the address in it.
    let multipart = b"--b\r\nContent-Transfer-Encoding: base64\r\n\r\n\
                      amFuZS5kb2VAZXhhbXBsZS5jb20=\r\n--b--\r\n";
    let error = Inspector::default()
        .mask_request(&request("multipart/mixed; boundary=b", multipart))
        .unwrap_err();
    assert!(matches!(error, MaskError::Residual { .. }), "{error}");
}

#[test]
fn other_charsets_are_not_rewritten() {
    let inspector = Inspector::default();
    let utf16: Vec<u8> = "jane.doe@example.com"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let error = inspector
        .mask_request(&request("text/plain; charset=utf-16le", &utf16))
        .unwrap_err();
    assert!(matches!(error, MaskError::NotUtf8 { .. }), "{error}");
}

#[test]
fn masks_are_not_found_again() {
    let body = br#"{"customer_name":"J*** D***","street":"[address: 4 words]","diagnosis":"[health]","email":"j***@e***.com","phone":"+*******4567","birth_date":"age 35-39"}"#;
    let report = Inspector::default()
        .inspect(&request("application/json", body))
        .unwrap();
    assert!(!report.personal_data, "{:?}", report.findings);
}

#[test]
fn bodies_without_findings_are_unchanged() {
    let body = br#"{ "order_no": "SO-2024-00017",
  "lines": [ {"sku": "AB-1234", "qty": 2, "price": 19.99} ] }"#;
    let masked = Inspector::default()
        .mask_request(&request("application/json", body))
        .unwrap();
    assert_eq!(masked.body, body);
    assert_eq!(masked.masked_values, 0);
    assert_no_raw_values(&String::from_utf8(masked.body).unwrap());
}

#[test]
fn xml_split_by_comment_masked_whole() {
    let masked = masked_body(
        "application/xml",
        b"<r><card>4111<!-- x -->111111111111</card><note><!-- jane.doe@example.com --></note></r>",
    );
    assert_eq!(
        masked,
        "<r><card>************1111</card><note><!-- j***@e***.com --></note></r>"
    );
}

#[test]
fn json_sent_as_form_is_masked_as_json() {
    let masked = masked_body(
        "application/x-www-form-urlencoded",
        br#"{"name":"Jane Doe","birth_date":"1990-01-31","phone":"+49 30 1234567"}"#,
    );
    assert_eq!(
        masked,
        r#"{"name":"J*** D***","birth_date":"age 35-39","phone":"+*******4567"}"#
    );
}
