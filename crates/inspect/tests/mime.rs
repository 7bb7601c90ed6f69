//! Multipart payloads of business systems: OData `$batch` requests, whose
//! parts hold whole HTTP requests, and SOAP MTOM messages, whose parts are
//! named by message identifiers.

use chrono::NaiveDate;
use inspect::{Category, InspectError, Inspector, Report, Request};

const BATCH_TYPE: &str = "multipart/mixed; boundary=batch_36522ad7";

/// Builds an OData V2 `$batch` as SAPUI5 sends it: one changeset whose
/// part is an `application/http` request with a JSON body, and one `GET`.
fn odata_batch(json: &str) -> String {
    format!(
        "--batch_36522ad7\r\n\
         Content-Type: multipart/mixed; boundary=changeset_77162fcd\r\n\
         \r\n\
         --changeset_77162fcd\r\n\
         Content-Type: application/http\r\n\
         Content-Transfer-Encoding: binary\r\n\
         Content-ID: 1\r\n\
         \r\n\
         POST A_BusinessPartner HTTP/1.1\r\n\
         Content-Type: application/json\r\n\
         Content-Length: {}\r\n\
         Accept: application/json\r\n\
         \r\n\
         {json}\r\n\
         --changeset_77162fcd--\r\n\
         \r\n\
         --batch_36522ad7\r\n\
         Content-Type: application/http\r\n\
         Content-Transfer-Encoding: binary\r\n\
         \r\n\
         GET A_BusinessPartner?$top=1 HTTP/1.1\r\n\
         Accept: application/json\r\n\
         \r\n\
         \r\n\
         --batch_36522ad7--\r\n",
        json.len()
    )
}

const PARTNER: &str = r#"{"BusinessPartnerCategory":"1","FirstName":"Hans","LastName":"Mueller","BirthDate":"1985-03-14","to_BusinessPartnerAddress":{"results":[{"StreetName":"Lindenstrasse","HouseNumber":"12","CityName":"Stuttgart","PostalCode":"70173","to_PhoneNumber":{"results":[{"PhoneNumber":"0711 1234567"}]}}]}}"#;

fn request<'a>(content_type: &'a str, body: &'a [u8]) -> Request<'a> {
    Request {
        path: "/sap/opu/odata/sap/API_BUSINESS_PARTNER/$batch",
        content_type: Some(content_type),
        body,
        today: NaiveDate::from_ymd_opt(2026, 12, 5),
        ..Request::default()
    }
}

fn inspect(content_type: &str, body: &[u8]) -> Report {
    Inspector::default()
        .inspect(&request(content_type, body))
        .unwrap()
}

fn count(report: &Report, category: Category) -> u64 {
    report.finding(category).map_or(0, |finding| finding.count)
}

#[test]
fn odata_batch_json_is_read_by_keys() {
    let body = odata_batch(PARTNER);
    let report = inspect(BATCH_TYPE, body.as_bytes());
    assert_eq!(count(&report, Category::PersonName), 2, "{report:?}");
    assert_eq!(count(&report, Category::DateOfBirth), 1, "{report:?}");
    assert_eq!(count(&report, Category::Phone), 1, "{report:?}");
    assert!(count(&report, Category::PostalAddress) >= 1, "{report:?}");
    let locations = &report.finding(Category::DateOfBirth).unwrap().locations;
    assert!(
        locations
            .iter()
            .any(|location| location.ends_with("$.BirthDate")),
        "{locations:?}"
    );
}

#[test]
fn odata_batch_request_lines_and_headers_are_scanned() {
    let body = odata_batch("{}").replace(
        "GET A_BusinessPartner?$top=1",
        "GET A_BusinessPartner?$filter=EmailAddress%20eq%20%27jane%40example.com%27",
    );
    let body = body.replacen(
        "Accept: application/json",
        "X-Requested-By: jane.roe@example.org",
        1,
    );
    let report = inspect(BATCH_TYPE, body.as_bytes());
    assert_eq!(count(&report, Category::Email), 2, "{report:?}");
}

#[test]
fn odata_batch_header_lines_are_all_scanned() {
    // A framing header and a line without a colon also reach the
    // destination inside the part.
    let body = odata_batch("{}").replacen(
        "Accept: application/json",
        "Content-Length: jane@example.com\r\njohn.roe@example.org",
        1,
    );
    let report = inspect(BATCH_TYPE, body.as_bytes());
    assert_eq!(count(&report, Category::Email), 2, "{report:?}");
}

#[test]
fn odata_batch_response_bodies_are_read() {
    let body = "--batchresponse_1\r\n\
                Content-Type: application/http; msgtype=response\r\n\
                \r\n\
                HTTP/1.1 200 OK\r\n\
                Content-Type: application/json;odata.metadata=minimal\r\n\
                \r\n\
                {\"value\":[{\"firstname\":\"Petra\",\"lastname\":\"Schmidt\"}]}\r\n\
                --batchresponse_1--\r\n";
    let report = inspect("multipart/mixed; boundary=batchresponse_1", body.as_bytes());
    assert_eq!(count(&report, Category::PersonName), 2, "{report:?}");
}

#[test]
fn odata_batch_masked_copy_masks_embedded_json() {
    let body = odata_batch(PARTNER);
    let masked = Inspector::default()
        .mask_request(&request(BATCH_TYPE, body.as_bytes()))
        .unwrap();
    let text = String::from_utf8(masked.body).unwrap();
    for value in [
        "Hans",
        "Mueller",
        "1985-03-14",
        "0711 1234567",
        "Lindenstrasse",
    ] {
        assert!(!text.contains(value), "{value} in {text}");
    }
    // The copy keeps its framing: both delimiters, the request line and a
    // Content-Length that matches the masked JSON.
    assert!(text.contains("--changeset_77162fcd--\r\n"), "{text}");
    assert!(
        text.contains("POST A_BusinessPartner HTTP/1.1\r\n"),
        "{text}"
    );
    let json_start = text.find("{\"BusinessPartnerCategory\"").unwrap();
    let json_end = text[json_start..].find("\r\n--changeset").unwrap() + json_start;
    let length = format!("Content-Length: {}\r\n", json_end - json_start);
    assert!(text.contains(&length), "{length} missing in {text}");
    assert!(
        serde_json::from_str::<serde_json::Value>(&text[json_start..json_end]).is_ok(),
        "{text}"
    );
}

const MTOM_TYPE: &str = "multipart/related; type=\"application/xop+xml\"; \
                         boundary=\"uuid:6b62cda1\"; start=\"<root.message@cxf.apache.org>\"; \
                         start-info=\"text/xml\"";

fn mtom(invoice_xml: &str) -> String {
    format!(
        "--uuid:6b62cda1\r\n\
         Content-Type: application/xop+xml; charset=UTF-8; type=\"text/xml\"\r\n\
         Content-Transfer-Encoding: binary\r\n\
         Content-ID: <root.message@cxf.apache.org>\r\n\
         \r\n\
         <soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>\
         <ns2:uploadInvoice xmlns:ns2=\"http://erp.example/ws\"><document>\
         <xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" \
         href=\"cid:4f1ac5e3-7b0d-4a8e-9c51-2d7e0b1f6a11-1@cxf.apache.org\"/>\
         </document></ns2:uploadInvoice></soap:Body></soap:Envelope>\r\n\
         --uuid:6b62cda1\r\n\
         Content-Type: application/xml\r\n\
         Content-Transfer-Encoding: binary\r\n\
         Content-ID: <4f1ac5e3-7b0d-4a8e-9c51-2d7e0b1f6a11-1@cxf.apache.org>\r\n\
         \r\n\
         {invoice_xml}\r\n\
         --uuid:6b62cda1--\r\n"
    )
}

#[test]
fn mtom_content_ids_are_not_addresses() {
    let body = mtom("<Invoice><ID>INV-2024-0042</ID><Total>1190.00</Total></Invoice>");
    let headers: [(&str, &[u8]); 1] = [("content-type", MTOM_TYPE.as_bytes())];
    let report = Inspector::default()
        .inspect(&Request {
            headers: &headers,
            ..request(MTOM_TYPE, body.as_bytes())
        })
        .unwrap();
    assert!(!report.personal_data, "{report:?}");
}

#[test]
fn mtom_addresses_outside_content_ids_are_found() {
    let body = mtom("<Invoice><Contact>jane.doe@example.com</Contact></Invoice>").replace(
        "Content-ID: <root",
        "X-Sender: ap@example.org\r\nContent-ID: <root",
    );
    let report = inspect(MTOM_TYPE, body.as_bytes());
    assert_eq!(count(&report, Category::Email), 2, "{report:?}");
}

#[test]
fn chunked_batch_request_is_rejected() {
    // Chunk sizes split the address, so only a reader that removes the
    // chunked coding reads it whole.
    let body = "--b\r\nContent-Type: application/http\r\n\r\n\
                POST People HTTP/1.1\r\nContent-Type: text/plain\r\n\
                Transfer-Encoding: chunked\r\n\r\n\
                d\r\njane.doe@exam\r\n7\r\nple.com\r\n0\r\n\r\n\r\n--b--\r\n";
    let request = request("multipart/mixed; boundary=b", body.as_bytes());
    let inspected = Inspector::default().inspect(&request);
    assert!(
        matches!(inspected, Err(InspectError::InvalidMultipart { .. })),
        "{inspected:?}"
    );
    assert!(Inspector::default().mask_request(&request).is_err());
}
