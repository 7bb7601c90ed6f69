//! Destinations that may receive only masked data, end to end: the
//! destination gets a masked copy that still parses, the client sees the
//! decision `masked`, and a body that cannot be masked completely is
//! blocked before any byte leaves.

use std::io::Write as _;

use tollgate_e2e::{Tollgate, Upstream, client, contains, header, samples_dir};

const WHITELIST: &str = r#"
[[destination]]
id = "analytics"
hosts = ["analytics.example"]
country = "US"
recipient = "Analytics Inc."
purpose = "sales statistics from de-identified records"
reviewed_on = REVIEWED
reviewed_by = "dpo"
data = "masked"
allow_addresses = ["127.0.0.1/32"]
"#;

fn start(upstream: &Upstream) -> Tollgate {
    let tollgate = format!(
        r#"
[proxy]
listen = "127.0.0.1:0"
[admin]
listen = "127.0.0.1:0"
[exporter]
country = "DE"
[upstream]
extra_roots = ["upstream-ca.pem"]
resolve = {{ "analytics.example" = "{}" }}
[whitelist]
file = "whitelist.toml"
[mechanisms]
file = "mechanisms.toml"
"#,
        upstream.address
    );
    let whitelist = WHITELIST.replace("REVIEWED", &tollgate_e2e::today_utc());
    let ca = upstream.ca_pem.clone().unwrap();
    Tollgate::start(&[
        ("tollgate.toml", &tollgate),
        ("whitelist.toml", &whitelist),
        ("mechanisms.toml", ""),
        ("upstream-ca.pem", &ca),
    ])
}

#[tokio::test(flavor = "multi_thread")]
async fn masked_destination_receives_a_masked_copy() {
    let upstream = Upstream::start_tls(&["analytics.example"]).await;
    let gateway = start(&upstream);
    let client = client(gateway.proxy, &gateway.ca_pem());

    // A real ERPNext contact export, gzip-compressed as a client may send it.
    let sample = std::fs::read(samples_dir().join("erpnext-demo-contact.json")).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&sample).unwrap();
    let response = client
        .post("https://analytics.example/contacts?owner=JanVaclavik%40example.com")
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .header("x-requested-by", "JanaKubanova@example.com")
        .body(encoder.finish().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "tollgate-decision"), "masked");

    let requests = upstream.requests();
    assert_eq!(requests.len(), 1);
    let received = &requests[0];
    assert_eq!(received.path, "/contacts?owner=J***%40e***.com");
    assert_eq!(received.headers["x-requested-by"], "J***%40e***.com");
    assert!(received.headers.get("content-encoding").is_none());
    assert_eq!(
        received.headers["content-length"],
        received.body.len().to_string()
    );
    let copy: serde_json::Value = serde_json::from_slice(&received.body).unwrap();
    let original: serde_json::Value = serde_json::from_slice(&sample).unwrap();
    assert_eq!(
        copy.as_array().unwrap().len(),
        original.as_array().unwrap().len()
    );
    assert_eq!(copy[0]["email_id"], "J***@e***.com");
    assert_eq!(copy[0]["doctype"], original[0]["doctype"]);
    for raw in [
        "JanVaclavik@example.com",
        "ChidumagaTobeolisa@example.com",
        "JanaKubanova@example.com",
    ] {
        assert!(
            !contains(&upstream.received_bytes(), raw.as_bytes()),
            "{raw}"
        );
    }

    let records = gateway.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["decision"], "masked");
    let reason = records[0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("personal data (email, person_name) masked before forwarding ("),
        "{reason}"
    );
    assert!(reason.ends_with("because destination analytics may receive only masked data"));
}

#[tokio::test(flavor = "multi_thread")]
async fn odata_batch_is_forwarded_masked() {
    let upstream = Upstream::start_tls(&["analytics.example"]).await;
    let gateway = start(&upstream);
    let client = client(gateway.proxy, &gateway.ca_pem());

    let batch = "--batch_1\r\n\
                 Content-Type: multipart/mixed; boundary=changeset_1\r\n\r\n\
                 --changeset_1\r\n\
                 Content-Type: application/http\r\n\
                 Content-Transfer-Encoding: binary\r\n\r\n\
                 POST A_BusinessPartner HTTP/1.1\r\n\
                 Content-Type: application/json\r\n\r\n\
                 {\"FirstName\":\"Hans\",\"LastName\":\"Mueller\",\"BirthDate\":\"1985-03-14\"}\r\n\
                 --changeset_1--\r\n\r\n\
                 --batch_1--\r\n";
    let response = client
        .post("https://analytics.example/sap/opu/odata/sap/API_BUSINESS_PARTNER/$batch")
        .header("content-type", "multipart/mixed; boundary=batch_1")
        .body(batch)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "tollgate-decision"), "masked");
    let requests = upstream.requests();
    assert_eq!(requests.len(), 1);
    let body = String::from_utf8(requests[0].body.to_vec()).unwrap();
    for raw in ["Hans", "Mueller", "1985-03-14"] {
        assert!(!body.contains(raw), "{raw} in {body}");
    }
    assert!(
        body.contains("POST A_BusinessPartner HTTP/1.1\r\n"),
        "{body}"
    );
    assert!(
        body.ends_with("--changeset_1--\r\n\r\n--batch_1--\r\n"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn graphql_mutation_is_forwarded_masked() {
    let upstream = Upstream::start_tls(&["analytics.example"]).await;
    let gateway = start(&upstream);
    let client = client(gateway.proxy, &gateway.ca_pem());

    let document = "mutation { customerCreate(input: {firstName: \"Brigitte\", \
                    lastName: \"Hoffmann\", phone: \"030 1234567\"}) { customer { id } } }";
    let body = serde_json::json!({ "query": document, "variables": {} }).to_string();
    let response = client
        .post("https://analytics.example/admin/api/graphql.json")
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "tollgate-decision"), "masked");

    let requests = upstream.requests();
    assert_eq!(requests.len(), 1);
    let forwarded: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    let query = forwarded["query"].as_str().unwrap();
    for raw in ["Brigitte", "Hoffmann", "030 1234567"] {
        assert!(!query.contains(raw), "{raw} in {query}");
    }
    assert!(
        query.starts_with("mutation { customerCreate(input: {firstName: \""),
        "{query}"
    );
    assert!(query.ends_with("}) { customer { id } } }"), "{query}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unmaskable_body_is_blocked() {
    let upstream = Upstream::start_tls(&["analytics.example"]).await;
    let gateway = start(&upstream);
    let client = client(gateway.proxy, &gateway.ca_pem());

    // A part in base64, which masking keeps as sent.
    let multipart = "--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\
                     Content-Transfer-Encoding: base64\r\n\r\n\
                     amFuZS5kb2VAZXhhbXBsZS5jb20=\r\n--b--\r\n";
    // base64 of {"email":"jane.doe@example.com"}, which masking cannot
    // rewrite inside the field.
    let nested = r#"{"payload":"eyJlbWFpbCI6ImphbmUuZG9lQGV4YW1wbGUuY29tIn0="}"#;
    let cases = [
        (
            "multipart/form-data; boundary=b",
            multipart,
            "the masked copy still contains personal data (email)",
        ),
        (
            "application/json",
            nested,
            "the masked copy still contains personal data (email)",
        ),
    ];
    for (content_type, body, reason) in cases {
        let response = client
            .post("https://analytics.example/upload")
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(header(&response, "tollgate-decision"), "blocked");
        let stated = header(&response, "tollgate-reason");
        assert!(
            stated.starts_with(
                "destination analytics may receive only masked data, and personal data (email) \
                 could not be masked: "
            ),
            "{stated}"
        );
        assert!(stated.contains(reason), "{stated}");
    }
    assert!(upstream.requests().is_empty());
    assert!(!contains(&upstream.received_bytes(), b"jane.doe"));
}
