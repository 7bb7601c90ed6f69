//! Proxy behaviour end to end: CONNECT refusals before TLS, interception,
//! plain `http://` forwarding, body limits, hop-by-hop headers, malformed
//! requests and the records each of them leaves.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use tollgate_e2e::{Tollgate, Upstream, client, files_containing, today_utc};

fn config(upstream: &Upstream, plain: &Upstream, max_body_bytes: u64) -> Vec<(String, String)> {
    let today = today_utc();
    let tollgate = format!(
        r#"
[proxy]
listen = "127.0.0.1:0"
max_body_bytes = {max_body_bytes}

[admin]
listen = "127.0.0.1:0"

[exporter]
country = "CN"

[upstream]
extra_roots = ["upstream-ca.pem"]
resolve = {{ "api.partner.example" = "{tls}", "plain.partner.example" = "{plain}", "unlisted.example" = "{tls}", "private.partner.example" = "{tls}" }}

[whitelist]
file = "whitelist.toml"

[mechanisms]
file = "mechanisms.toml"
"#,
        tls = upstream.address,
        plain = plain.address,
    );
    let whitelist = format!(
        r#"
[[destination]]
id = "partner"
hosts = ["api.partner.example", "plain.partner.example"]
country = "DE"
recipient = "Partner GmbH"
purpose = "order fulfilment"
mechanism = "pipl-sc-partner"
reviewed_on = {today}
reviewed_by = "dpo"
allow_addresses = ["127.0.0.1/32"]

[[destination]]
id = "private"
hosts = ["private.partner.example"]
country = "DE"
recipient = "Partner GmbH"
purpose = "order fulfilment"
mechanism = "pipl-sc-partner"
reviewed_on = {today}
reviewed_by = "dpo"
"#
    );
    let mechanisms = r#"
[[mechanism]]
id = "pipl-sc-partner"
kind = "pipl_standard_contract"
filed_on = 2025-01-10
reference = "CAC filing 2025-0001"
signed_on = 2025-01-01
covers = ["email", "phone"]
"#;
    vec![
        ("tollgate.toml".into(), tollgate),
        ("whitelist.toml".into(), whitelist),
        ("mechanisms.toml".into(), mechanisms.into()),
        ("upstream-ca.pem".into(), upstream.ca_pem.clone().unwrap()),
    ]
}

/// A gateway with an HTTPS and a plain HTTP destination, and a client that
/// goes through the gateway and trusts its CA.
struct Fixture {
    upstream: Upstream,
    plain: Upstream,
    gateway: Tollgate,
    client: reqwest::Client,
}

impl Fixture {
    async fn start(max_body_bytes: u64) -> Fixture {
        let upstream = Upstream::start_tls(&[
            "api.partner.example",
            "private.partner.example",
            "unlisted.example",
        ])
        .await;
        let plain = Upstream::start_plain().await;
        let files = config(&upstream, &plain, max_body_bytes);
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(name, content)| (name.as_str(), content.as_str()))
            .collect();
        let gateway = Tollgate::start(&files);
        let client = client(gateway.proxy, &gateway.ca_pem());
        Fixture {
            upstream,
            plain,
            gateway,
            client,
        }
    }
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .to_str()
        .unwrap()
}

/// Sends raw bytes to the proxy and returns everything it answers until it
/// closes the connection or a second passes without data.
fn raw_exchange(gateway: &Tollgate, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(gateway.proxy).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => answer.extend_from_slice(&buffer[..read]),
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn allowed_body_arrives_unchanged() {
    let fixture = Fixture::start(1024 * 1024).await;

    let body = br#"{"order": "SO-2024-0042", "sku": "A-1001", "quantity": 3}"#;
    let response = fixture
        .client
        .post("https://api.partner.example/v1/orders?page=2")
        .header("content-type", "application/json")
        .header("x-erp-batch", "42")
        .body(body.to_vec())
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "tollgate-decision"), "allowed");
    assert_eq!(header(&response, "x-test-upstream"), "yes");
    assert!(response.headers().get("tollgate-reason").is_none());
    let transfer_id = header(&response, "tollgate-transfer-id").to_owned();
    assert_eq!(
        response.text().await.unwrap(),
        format!("{{\"received_bytes\":{}}}", body.len())
    );

    let requests = fixture.upstream.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body.as_ref(), body);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/v1/orders?page=2");
    assert_eq!(requests[0].headers["host"], "api.partner.example");
    assert_eq!(requests[0].headers["x-erp-batch"], "42");
    assert_eq!(requests[0].headers["via"], "1.1 tollgate");

    let records = fixture.gateway.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["transfer_id"], transfer_id.as_str());
    assert_eq!(records[0]["decision"], "allowed");
    assert_eq!(records[0]["destination_id"], "partner");
    assert_eq!(records[0]["scheme"], "https");
    assert_eq!(records[0]["body_bytes"], body.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn unlisted_connect_is_refused_before_tls() {
    let fixture = Fixture::start(1024 * 1024).await;

    let answer = raw_exchange(
        &fixture.gateway,
        b"CONNECT unlisted.example:443 HTTP/1.1\r\nHost: unlisted.example:443\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.contains("tollgate-decision: blocked"), "{answer}");
    assert!(
        answer.contains("tollgate-reason: destination unlisted.example is not on the whitelist"),
        "{answer}"
    );
    assert!(answer.contains("tollgate-transfer-id: "), "{answer}");

    let error = fixture
        .client
        .post("https://unlisted.example/upload")
        .body("email=anna@example.com")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");

    assert_eq!(fixture.upstream.connections(), 0);
    let records = fixture.gateway.records();
    assert_eq!(records.len(), 2);
    for record in &records {
        assert_eq!(record["method"], "CONNECT");
        assert_eq!(record["decision"], "blocked");
        assert_eq!(record["status"], 403);
        assert_eq!(record["host"], "unlisted.example");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn private_address_is_refused_without_allow_entry() {
    let fixture = Fixture::start(1024 * 1024).await;

    let answer = raw_exchange(
        &fixture.gateway,
        b"CONNECT private.partner.example:443 HTTP/1.1\r\nHost: private.partner.example:443\r\n\
          Connection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(
        answer.contains("not a globally reachable address"),
        "{answer}"
    );
    assert_eq!(fixture.upstream.connections(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_is_forwarded_and_recorded() {
    let fixture = Fixture::start(1024 * 1024).await;

    let response = fixture
        .client
        .get("http://plain.partner.example/status")
        .header("proxy-authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "tollgate-decision"), "allowed");

    let requests = fixture.plain.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/status");
    assert!(!requests[0].headers.contains_key("proxy-authorization"));
    let raw = String::from_utf8_lossy(&fixture.plain.received_bytes()).to_ascii_lowercase();
    assert!(!raw.contains("proxy-authorization"), "{raw}");

    let records = fixture.gateway.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["scheme"], "http");
    assert_eq!(records[0]["port"], 80);
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_body_gets_413_and_record() {
    let fixture = Fixture::start(1000).await;

    let response = fixture
        .client
        .post("https://api.partner.example/upload")
        .body(vec![b'a'; 5000])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(header(&response, "tollgate-decision"), "blocked");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["decision"], "blocked");
    assert_eq!(
        body["reason"],
        "request body exceeds max_body_bytes (1000 bytes)"
    );

    assert!(fixture.upstream.requests().is_empty());
    let records = fixture.gateway.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["status"], 413);
    assert_eq!(records[0]["transfer_id"], body["transfer_id"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn chunked_body_over_limit_gets_413() {
    let fixture = Fixture::start(1000).await;

    let mut request = b"POST http://plain.partner.example/upload HTTP/1.1\r\n\
        Host: plain.partner.example\r\nTransfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    for _ in 0..3 {
        request.extend_from_slice(b"200\r\n");
        request.extend_from_slice(&[b'x'; 0x200]);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let answer = raw_exchange(&fixture.gateway, &request);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(fixture.plain.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn conflicting_framing_is_normalised() {
    let fixture = Fixture::start(1024 * 1024).await;

    // Content-Length 5 would make a naive proxy forward "0\r\n\r\n" as a
    // body and read "GET /smuggled" as a second request.
    let answer = raw_exchange(
        &fixture.gateway,
        b"POST http://plain.partner.example/upload HTTP/1.1\r\nHost: plain.partner.example\r\n\
          Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n\
          GET /smuggled HTTP/1.1\r\nHost: plain.partner.example\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(answer.matches("HTTP/1.1 ").count(), 1, "{answer}");

    let requests = fixture.plain.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/upload");
    assert!(requests[0].body.is_empty());
    assert_eq!(requests[0].headers["content-length"], "0");
    assert!(!requests[0].headers.contains_key("transfer-encoding"));
}

#[tokio::test(flavor = "multi_thread")]
async fn origin_form_request_is_explained() {
    let fixture = Fixture::start(1024 * 1024).await;

    let answer = raw_exchange(
        &fixture.gateway,
        b"GET /status HTTP/1.1\r\nHost: plain.partner.example\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("forward proxy"), "{answer}");
    assert!(answer.contains("tollgate-decision: blocked"), "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn host_mismatch_inside_tunnel_is_blocked() {
    let fixture = Fixture::start(1024 * 1024).await;

    let response = fixture
        .client
        .get("https://api.partner.example/")
        .header("host", "plain.partner.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let reason = header(&response, "tollgate-reason");
    assert!(reason.contains("not the CONNECT host"), "{reason}");
    assert!(fixture.upstream.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn non_tls_bytes_in_tunnel_are_refused() {
    let fixture = Fixture::start(1024 * 1024).await;

    let answer = raw_exchange(
        &fixture.gateway,
        b"CONNECT api.partner.example:443 HTTP/1.1\r\nHost: api.partner.example:443\r\n\r\n\
          POST /upload HTTP/1.1\r\nHost: api.partner.example\r\nContent-Length: 2\r\n\r\nhi",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("HTTP/1.1 403 Forbidden"), "{answer}");
    assert!(
        answer.contains("plain HTTP inside a CONNECT tunnel"),
        "{answer}"
    );
    assert!(fixture.upstream.requests().is_empty());
    assert_eq!(fixture.upstream.connections(), 0);

    let records = fixture.gateway.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["decision"], "blocked");
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_decisions() {
    let fixture = Fixture::start(1024 * 1024).await;

    fixture
        .client
        .post("https://api.partner.example/upload")
        .header("content-type", "application/json")
        .body(r#"{"email": "li.wei@example.cn"}"#)
        .send()
        .await
        .unwrap();
    let metrics = tollgate_e2e::admin_get(fixture.gateway.admin, "/metrics").await;
    assert!(
        metrics.contains("tollgate_requests_total{decision=\"allowed\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("tollgate_findings_total{category=\"email\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("tollgate_inspect_bytes_total"),
        "{metrics}"
    );
    assert!(
        metrics.contains("tollgate_inspect_duration_seconds_bucket"),
        "{metrics}"
    );
    assert!(
        metrics.contains("tollgate_upstream_duration_seconds_bucket"),
        "{metrics}"
    );

    assert!(files_containing(&fixture.gateway.data_dir(), b"li.wei@example.cn").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn host_header_is_replaced_by_decided_host() {
    let fixture = Fixture::start(1024 * 1024).await;

    let answer = raw_exchange(
        &fixture.gateway,
        b"GET http://plain.partner.example/front HTTP/1.1\r\nHost: evil.attacker.example\r\n\
          Connection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let requests = fixture.plain.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers["host"], "plain.partner.example");
    assert_eq!(requests[0].headers.get_all("host").iter().count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_or_unusual_framing_is_rejected() {
    let fixture = Fixture::start(1024 * 1024).await;
    let cases: [(&[u8], &str); 6] = [
        (
            b"GET http://plain.partner.example/ HTTP/1.1\r\nHost: plain.partner.example\r\n\
              Host: other.example\r\nConnection: close\r\n\r\n",
            "2 Host headers",
        ),
        (
            b"POST http://plain.partner.example/ HTTP/1.1\r\nContent-Length: 2\r\n\
              Connection: close\r\n\r\n{}",
            "HTTP/1.1 request has no Host header",
        ),
        (
            b"POST http://plain.partner.example/ HTTP/1.1\r\nHost: plain.partner.example\r\n\
              Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
            "Transfer-Encoding \"gzip\" is not supported",
        ),
        (
            b"POST http://plain.partner.example/ HTTP/1.1\r\nHost: plain.partner.example\r\n\
              Content-Type: text/plain\r\nContent-Type: application/json\r\n\
              Content-Length: 2\r\nConnection: close\r\n\r\n{}",
            "2 Content-Type headers",
        ),
        (
            b"CONNECT user@api.partner.example:443 HTTP/1.1\r\nHost: api.partner.example:443\r\n\
              Connection: close\r\n\r\n",
            "user information",
        ),
        (
            b"POST http://plain.partner.example/ HTTP/1.1\r\nHost: plain.partner.example\r\n\
              Content-Type: application/json\r\nConnection: close, content-type\r\n\
              Content-Length: 2\r\n\r\n{}",
            "Connection header names content-type",
        ),
    ];
    for (request, reason) in cases {
        let answer = raw_exchange(&fixture.gateway, request);
        assert!(answer.starts_with("HTTP/1.1 400"), "{reason}: {answer}");
        assert!(answer.contains(reason), "{reason}: {answer}");
        assert!(
            answer.contains("tollgate-decision: blocked"),
            "{reason}: {answer}"
        );
    }
    assert!(fixture.plain.requests().is_empty());
    assert_eq!(fixture.upstream.connections(), 0);
    assert_eq!(fixture.gateway.records().len(), cases.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn client_input_in_reasons_is_masked() {
    let fixture = Fixture::start(1024 * 1024).await;

    let answer = raw_exchange(
        &fixture.gateway,
        b"GET /lookup?email=carol.secret@example.com HTTP/1.1\r\n\
          Host: carol.secret@example.com\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(!answer.contains("carol.secret"), "{answer}");

    let records = fixture.gateway.records();
    assert_eq!(records.len(), 1);
    let found = files_containing(&fixture.gateway.data_dir(), b"carol.secret");
    assert!(found.is_empty(), "raw value written to {found:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn store_failure_blocks_and_fails_health() {
    let fixture = Fixture::start(1024 * 1024).await;
    assert_eq!(
        tollgate_e2e::admin_get(fixture.gateway.admin, "/healthz").await,
        "ok\n"
    );

    // Another process holds the write lock for longer than the gateway's
    // busy timeout, so the record cannot be written.
    let database = fixture.gateway.data_dir().join("tollgate.db");
    let blocker = rusqlite::Connection::open(&database).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();

    let response = fixture
        .client
        .get("http://plain.partner.example/status")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(header(&response, "tollgate-decision"), "blocked");
    let reason = header(&response, "tollgate-reason").to_owned();
    assert!(reason.contains("record could not be written"), "{reason}");
    assert!(fixture.plain.requests().is_empty());

    let (status, body) = tollgate_e2e::admin_status(fixture.gateway.admin, "/healthz").await;
    assert_eq!(status, 503, "{body}");
    assert!(
        body.contains("transfer records cannot be written"),
        "{body}"
    );

    blocker.execute_batch("ROLLBACK").unwrap();
    let response = fixture
        .client
        .get("http://plain.partner.example/status")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        tollgate_e2e::admin_get(fixture.gateway.admin, "/healthz").await,
        "ok\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn uninspectable_and_header_data_are_blocked() {
    let fixture = Fixture::start(1024 * 1024).await;

    // A zip archive: binary, so nothing in it can be checked.
    let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00customers.csv\x00\x00anna@example.com";
    let response = fixture
        .client
        .post("https://api.partner.example/upload")
        .header("content-type", "application/zip")
        .body(zip.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(header(&response, "tollgate-decision"), "blocked");
    let reason = header(&response, "tollgate-reason");
    assert!(
        reason
            .starts_with("body cannot be fully inspected: body of type application/zip is binary"),
        "{reason}"
    );

    // An IBAN in a custom header; the partner's contract covers only e-mail
    // and phone numbers.
    let response = fixture
        .client
        .get("https://api.partner.example/accounts")
        .header("x-customer-iban", "DE89 3704 0044 0532 0130 00")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let reason = header(&response, "tollgate-reason");
    assert!(reason.contains("does not cover iban"), "{reason}");

    // An e-mail address in a cookie is found and covered.
    let response = fixture
        .client
        .get("https://api.partner.example/profile")
        .header("cookie", "session=abc; user=li.wei%40example.cn")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    assert_eq!(fixture.upstream.requests().len(), 1);
    let records = fixture.gateway.records();
    assert_eq!(records.len(), 3);
    assert_eq!(records[2]["findings"][0]["category"], "email");
    assert_eq!(records[2]["findings"][0]["locations"][0], "cookie:user");
}

#[tokio::test(flavor = "multi_thread")]
async fn large_bodies_are_inspected_side_by_side() {
    // Bodies above 64 KiB are inspected off the async workers, as many at
    // once as the machine has cores. Four of them and a small request sent
    // together are each inspected whole, decided and recorded.
    let fixture = Fixture::start(4 * 1024 * 1024).await;
    // Below the destination's bulk threshold of 1,000 individuals, so no
    // approval is needed.
    let (rows, emails) = (3_000, 300);
    let mut csv = String::from("order_id,sku,description,customer_email\n");
    for row in 0..rows {
        let email = if row % 10 == 0 {
            format!("buyer.{row}@example.com")
        } else {
            String::new()
        };
        csv.push_str(&format!(
            "SO-{row:06},SKU-{row:05}-B,Hex bolt M8 x 40 zinc plated,{email}\n"
        ));
    }
    assert!(csv.len() > 64 * 1024);

    let mut sends = Vec::new();
    for _ in 0..4 {
        let request = fixture
            .client
            .post("https://api.partner.example/v1/import")
            .header("content-type", "text/csv")
            .body(csv.clone());
        sends.push(tokio::spawn(request.send()));
    }
    let small = fixture
        .client
        .post("https://api.partner.example/v1/orders")
        .header("content-type", "application/json")
        .body(r#"{"order": "SO-2024-0042"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(small.status(), 200);
    for send in sends {
        let response = send.await.unwrap().unwrap();
        assert_eq!(
            response.status(),
            200,
            "{:?}",
            response.headers().get("tollgate-reason")
        );
        assert_eq!(header(&response, "tollgate-decision"), "allowed");
    }

    let records = fixture.gateway.records();
    assert_eq!(records.len(), 5);
    let large: Vec<_> = records
        .iter()
        .filter(|record| record["body_bytes"] == csv.len())
        .collect();
    assert_eq!(large.len(), 4);
    for record in large {
        let findings = record["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 1, "{record}");
        assert_eq!(findings[0]["category"], "email");
        assert_eq!(findings[0]["count"], emails, "{record}");
    }
    assert_eq!(fixture.upstream.requests().len(), 5);
}
