//! Scanning of request headers and cookies by `Inspector::inspect`.

use inspect::{Category, Inspector, Report, Request};

fn counts(report: &Report) -> Vec<(Category, u64)> {
    report
        .findings
        .iter()
        .map(|finding| (finding.category, finding.count))
        .collect()
}

fn inspect_headers(headers: &[(&str, &[u8])]) -> Report {
    let request = Request {
        path: "/",
        headers,
        ..Request::default()
    };
    Inspector::default().inspect(&request).unwrap()
}

#[test]
fn personal_data_in_a_header_alone_is_found() {
    let report = inspect_headers(&[
        ("user-agent", b"curl/8.5.0"),
        ("x-customer-email", b"jane@example.com"),
    ]);
    assert!(report.personal_data);
    assert_eq!(counts(&report), [(Category::Email, 1)]);
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.locations, ["header:x-customer-email"]);
    assert_eq!(email.samples, ["j***@e***.com"]);
}

#[test]
fn repeated_headers_are_all_scanned() {
    let report = inspect_headers(&[
        ("x-contact", b"+49 30 1234567"),
        ("x-contact", b"DE89 3704 0044 0532 0130 00"),
    ]);
    assert_eq!(counts(&report), [(Category::Phone, 1), (Category::Iban, 1)]);
}

#[test]
fn percent_encoded_referer_is_scanned() {
    let report = inspect_headers(&[(
        "referer",
        b"https://shop.example/account?email=jane%40example.com",
    )]);
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.locations, ["header:referer"]);
}

#[test]
fn headers_the_gateway_replaces_are_not_scanned() {
    let report = inspect_headers(&[
        ("host", b"jane@example.com"),
        ("content-length", b"13812345678"),
        ("proxy-authorization", b"Basic amFuZUBleGFtcGxlLmNvbTp4"),
        ("tollgate-approval", b"jane@example.com"),
    ]);
    assert!(!report.personal_data);
}

#[test]
fn negotiation_headers_are_scanned() {
    let report = inspect_headers(&[
        ("content-type", b"text/plain; name=jane@example.com"),
        ("accept-language", b"11010519491231002X"),
        ("accept", b"text/html, 4111111111111111"),
        ("via", b"1.1 jane@example.com"),
    ]);
    assert_eq!(
        counts(&report),
        [
            (Category::Email, 2),
            (Category::CnResidentId, 1),
            (Category::PaymentCard, 1)
        ]
    );
}

#[test]
fn ordinary_negotiation_values_are_clean() {
    let report = inspect_headers(&[
        (
            "content-type",
            b"multipart/form-data; boundary=---------------------------974767299852498929531610575",
        ),
        (
            "content-type",
            b"multipart/form-data; boundary=------------------------d74496d66958873e",
        ),
        ("accept-language", b"de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7"),
        (
            "accept",
            b"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        ),
        ("accept-encoding", b"gzip, deflate, br, zstd"),
        ("cache-control", b"max-age=0"),
        ("expect", b"100-continue"),
        ("via", b"1.1 proxy.example.com:3128 (squid/6.10)"),
    ]);
    assert!(!report.personal_data, "{:?}", report.findings);
}

#[test]
fn cookie_values_are_decoded_and_located_by_name() {
    let report = inspect_headers(&[(
        "cookie",
        b"session=abc123; user=jane%40example.com; tel=+4930123456",
    )]);
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.locations, ["cookie:user"]);
    let phone = report.finding(Category::Phone).unwrap();
    assert_eq!(phone.locations, ["cookie:tel"]);
    assert_eq!(phone.count, 1);
}

#[test]
fn header_and_cookie_names_are_masked() {
    let report = inspect_headers(&[
        ("x-jane@example.com", b"1"),
        ("cookie", b"john%40example.org=1"),
    ]);
    let email = report.finding(Category::Email).unwrap();
    assert_eq!(email.count, 2);
    assert_eq!(
        email.locations,
        ["header:x***@e***.com", "cookie:j***@e***.org"]
    );
}

#[test]
fn headers_belong_to_the_request_record() {
    let request = Request {
        path: "/",
        query: Some("email=jane%40example.com"),
        headers: &[("x-phone", b"+49 30 1234567")],
        ..Request::default()
    };
    assert_eq!(Inspector::default().inspect(&request).unwrap().subjects, 1);
}

#[test]
fn credentials_tokens_and_encoded_words_are_decoded() {
    // base64 of "anna.schmidt@example.com:pw"
    let basic = b"Basic YW5uYS5zY2htaWR0QGV4YW1wbGUuY29tOnB3";
    // header {"alg":"none"}, payload {"email":"jane@example.com"}
    let jwt = b"Bearer eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImphbmVAZXhhbXBsZS5jb20ifQ.";
    let report = inspect_headers(&[
        ("authorization", basic),
        ("x-api-token", jwt),
        ("x-e", b"=?UTF-8?B?am9obkBleGFtcGxlLmNvbQ==?="),
        ("x-q", b"=?UTF-8?Q?mary=40example.com?="),
    ]);
    assert_eq!(counts(&report), [(Category::Email, 4)]);
}

#[test]
fn browser_versions_are_not_addresses() {
    let report = inspect_headers(&[
        (
            "user-agent",
            b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
              Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        ),
        (
            "sec-ch-ua",
            b"\"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"",
        ),
        (
            "sec-ch-ua-full-version-list",
            b"\"Chromium\";v=\"131.0.6778.86\", \"Not_A Brand\";v=\"24.0.0.0\"",
        ),
        ("x-forwarded-for", b"203.0.113.7"),
    ]);
    assert_eq!(counts(&report), [(Category::IpAddress, 1)]);
}

#[test]
fn encoded_word_joined_to_text_is_text() {
    let report = inspect_headers(&[("x-phone", b"+49 711 1234567=?utf-8?B?QUFB?=")]);
    assert_eq!(counts(&report), [(Category::Phone, 1)]);
}

#[test]
fn encoded_word_in_utf16_is_scanned() {
    // The bytes are ASCII, which UTF-16 reads as other characters.
    for value in [
        &b"=?utf-16?B?amFuZS5kb2VAZXhhbXBsZS5jb20=?="[..],
        b"=?iso-2022-kr?Q?jane.doe=40example.com?=",
    ] {
        let report = inspect_headers(&[("x-contact", value)]);
        assert_eq!(
            counts(&report),
            [(Category::Email, 1)],
            "{}",
            String::from_utf8_lossy(value)
        );
    }
}
