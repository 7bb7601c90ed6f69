//! Clients that reach the proxy over TLS with client certificates: the
//! certificate's subject maps a client to its exporter, and a client
//! without a certificate from the configured CA gets no service at all.

use std::time::Duration;

use certs::CertificateAuthority;
use tollgate_e2e::{Tollgate, Upstream, client_with_certificate, contains, header, today_utc};

const MECHANISMS: &str = r#"
[[mechanism]]
id = "scc-partner"
kind = "scc"
module = 2
signed_on = 2025-01-01
covers = ["email"]
"#;

fn start(upstream: &Upstream, clients_ca: &CertificateAuthority) -> Tollgate {
    let tollgate = format!(
        r#"
[proxy]
listen = "127.0.0.1:0"
client_ca = "clients-ca.pem"
[admin]
listen = "127.0.0.1:0"

[[exporter]]
name = "Example GmbH"
country = "DE"
default = true

[[exporter]]
name = "Example (Shanghai) Co., Ltd."
country = "CN"
client_subjects = ["erp-shanghai"]

[upstream]
extra_roots = ["upstream-ca.pem"]
resolve = {{ "api.partner.example" = "{}" }}
[whitelist]
file = "whitelist.toml"
[mechanisms]
file = "mechanisms.toml"
"#,
        upstream.address
    );
    let whitelist = format!(
        r#"
[[destination]]
id = "partner"
hosts = ["api.partner.example"]
country = "US"
recipient = "Partner Inc."
purpose = "order fulfilment"
mechanism = "scc-partner"
reviewed_on = {}
reviewed_by = "dpo"
allow_addresses = ["127.0.0.1/32"]
"#,
        today_utc()
    );
    let upstream_ca = upstream.ca_pem.clone().unwrap();
    Tollgate::start(&[
        ("tollgate.toml", &tollgate),
        ("whitelist.toml", &whitelist),
        ("mechanisms.toml", MECHANISMS),
        ("upstream-ca.pem", &upstream_ca),
        ("clients-ca.pem", clients_ca.certificate_pem()),
    ])
}

async fn send(client: &reqwest::Client) -> Result<reqwest::Response, reqwest::Error> {
    client
        .post("https://api.partner.example/orders")
        .header("content-type", "application/json")
        .body(r#"{"contact": "li.wei@example.cn"}"#)
        .send()
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn certificate_subject_selects_the_exporter() {
    let upstream = Upstream::start_tls(&["api.partner.example"]).await;
    let clients_ca = CertificateAuthority::generate("Example Clients CA").unwrap();
    let gateway = start(&upstream, &clients_ca);
    let validity = Duration::from_secs(3600);

    // An unmapped subject belongs to the default exporter, whose SCC holds.
    let berlin = clients_ca.issue_client("erp-berlin", validity).unwrap();
    let client = client_with_certificate(gateway.proxy, &gateway.ca_pem(), &berlin);
    let response = send(&client).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "tollgate-decision"), "allowed");

    // The Shanghai entity is under PIPL, which does not recognise an SCC.
    let shanghai = clients_ca.issue_client("erp-shanghai", validity).unwrap();
    let client = client_with_certificate(gateway.proxy, &gateway.ca_pem(), &shanghai);
    let response = send(&client).await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(
        header(&response, "tollgate-reason"),
        "mechanism scc-partner (scc) is not recognised under PIPL"
    );

    // A reload that would leave the next start without a usable client CA
    // is rejected, and the running listener keeps serving.
    std::fs::write(gateway.dir.path().join("clients-ca.pem"), "garbage\n").unwrap();
    let (status, body) =
        tollgate_e2e::admin_request(gateway.admin, reqwest::Method::POST, "/api/reload").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("[proxy] client_ca = "), "{body}");
    let client = client_with_certificate(gateway.proxy, &gateway.ca_pem(), &berlin);
    assert_eq!(send(&client).await.unwrap().status(), 200);

    let records = gateway.records();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["exporter_name"], "Example GmbH");
    assert_eq!(records[1]["exporter"], "CN");
    assert_eq!(records[1]["exporter_name"], "Example (Shanghai) Co., Ltd.");
    assert_eq!(upstream.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn client_without_a_trusted_certificate_is_refused() {
    let upstream = Upstream::start_tls(&["api.partner.example"]).await;
    let clients_ca = CertificateAuthority::generate("Example Clients CA").unwrap();
    let gateway = start(&upstream, &clients_ca);

    // A certificate from another CA fails the handshake.
    let stranger_ca = CertificateAuthority::generate("Someone Else's CA").unwrap();
    let stranger = stranger_ca
        .issue_client("erp-shanghai", Duration::from_secs(3600))
        .unwrap();
    let client = client_with_certificate(gateway.proxy, &gateway.ca_pem(), &stranger);
    let error = send(&client).await.unwrap_err();
    assert!(error.is_connect() || error.is_request(), "{error:?}");

    // A plain-HTTP client is not served either.
    let plain = tollgate_e2e::client(gateway.proxy, &gateway.ca_pem());
    assert!(send(&plain).await.is_err());

    assert!(gateway.records().is_empty());
    assert!(upstream.requests().is_empty());
    assert!(!contains(&upstream.received_bytes(), b"li.wei"));

    // Each refusal is logged with its reason.
    let log_path = gateway.data_dir().join("tollgate.log");
    let mut rejections = 0;
    for _ in 0..50 {
        let log = std::fs::read_to_string(&log_path).unwrap();
        rejections = log.matches("proxy client rejected").count();
        if rejections >= 2 {
            assert!(log.contains("TLS handshake failed"), "{log}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(rejections >= 2, "{rejections} rejections logged");
    let metrics = tollgate_e2e::admin_get(gateway.admin, "/metrics").await;
    assert!(
        metrics.contains("tollgate_proxy_clients_rejected_total 2"),
        "{metrics}"
    );
}
