//! Transfer rules end to end: overdue reviews, `whitelist review`, reloads
//! by signal and by the admin API, and decisions that keep coming during
//! reloads.

use std::time::Duration;

use tollgate_e2e::{Tollgate, Upstream, client};

const MECHANISMS: &str = r#"
[[mechanism]]
id = "scc-partner"
kind = "scc"
module = 2
signed_on = 2025-01-01
covers = ["email"]
"#;

fn whitelist(reviewed_on: &str) -> String {
    format!(
        r#"# Partner destinations, reviewed every quarter.

[[destination]]
id = "partner"   # the order system
hosts = ["api.partner.example"]
country = "US"
recipient = "Partner Inc."
purpose = "order fulfilment"
mechanism = "scc-partner"
reviewed_on = {reviewed_on}   # last review
reviewed_by = "dpo"
allow_addresses = ["127.0.0.1/32"]
"#
    )
}

fn start(upstream: &Upstream, reviewed_on: &str) -> Tollgate {
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
resolve = {{ "api.partner.example" = "{}" }}
[whitelist]
file = "whitelist.toml"
[mechanisms]
file = "mechanisms.toml"
"#,
        upstream.address
    );
    let ca = upstream.ca_pem.clone().unwrap();
    Tollgate::start(&[
        ("tollgate.toml", &tollgate),
        ("whitelist.toml", &whitelist(reviewed_on)),
        ("mechanisms.toml", MECHANISMS),
        ("upstream-ca.pem", &ca),
    ])
}

/// Sends one request and returns its status, decision and reason. A
/// refused CONNECT never reaches reqwest's caller with headers, so its
/// decision and reason come from the newest record instead.
async fn decide(client: &reqwest::Client, gateway: &Tollgate) -> (u16, String, String) {
    match try_send(client).await {
        Ok(result) => result,
        Err(error) => {
            assert!(error.is_connect(), "{error:?}");
            let record = gateway.records().pop().unwrap();
            assert_eq!(record["method"], "CONNECT");
            let text = |key: &str| record[key].as_str().unwrap().to_owned();
            (403, text("decision"), text("reason"))
        }
    }
}

async fn send(client: &reqwest::Client) -> (u16, String, String) {
    try_send(client).await.unwrap()
}

async fn try_send(client: &reqwest::Client) -> Result<(u16, String, String), reqwest::Error> {
    let response = client
        .post("https://api.partner.example/orders")
        .header("content-type", "application/json")
        .body(r#"{"contact": "li.wei@example.cn"}"#)
        .send()
        .await?;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    Ok((
        response.status().as_u16(),
        header("tollgate-decision"),
        header("tollgate-reason"),
    ))
}

async fn admin_post(gateway: &Tollgate, path: &str) -> (u16, String) {
    tollgate_e2e::admin_request(gateway.admin, reqwest::Method::POST, path).await
}

#[tokio::test(flavor = "multi_thread")]
async fn overdue_review_blocks_until_reviewed_and_reloaded() {
    let upstream = Upstream::start_tls(&["api.partner.example"]).await;
    let gateway = start(&upstream, "2025-01-15");
    let client = client(gateway.proxy, &gateway.ca_pem());

    let (status, decision, reason) = decide(&client, &gateway).await;
    assert_eq!(status, 403);
    assert_eq!(decision, "blocked");
    assert!(
        reason.starts_with("whitelist review overdue since 2025-04-15"),
        "{reason}"
    );

    // The review rewrites the two fields and keeps the comments.
    let output = gateway.cli(&[
        "whitelist",
        "review",
        "partner",
        "--by",
        "Anna Schmidt",
        "--note",
        "SCC and DPF status checked",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(gateway.dir.path().join("whitelist.toml")).unwrap();
    let today = tollgate_e2e::today_utc();
    let expected =
        whitelist(&today).replace("reviewed_by = \"dpo\"", "reviewed_by = \"Anna Schmidt\"");
    assert_eq!(text, expected);

    // Not in force until the gateway reloads.
    assert_eq!(decide(&client, &gateway).await.1, "blocked");
    gateway.reload();
    let mut decision = String::new();
    for _ in 0..50 {
        decision = decide(&client, &gateway).await.1;
        if decision == "allowed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(decision, "allowed");

    // The review and the reload are in the event log.
    let output = gateway.cli(&["audit", "events"]);
    let events: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(events[0]["kind"], "whitelist_review");
    assert_eq!(events[0]["actor"], "Anna Schmidt");
    assert_eq!(events[0]["subject"], "partner");
    assert_eq!(events[0]["detail"], "SCC and DPF status checked");
    assert_eq!(events[1]["kind"], "config_reload");
    assert_eq!(events[1]["actor"], "signal");
    let verify = gateway.cli(&["audit", "verify"]);
    assert!(verify.status.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_reload_changes_nothing() {
    let upstream = Upstream::start_tls(&["api.partner.example"]).await;
    let gateway = start(&upstream, &tollgate_e2e::today_utc());
    let client = client(gateway.proxy, &gateway.ca_pem());
    assert_eq!(send(&client).await.1, "allowed");

    std::fs::write(
        gateway.dir.path().join("whitelist.toml"),
        whitelist("2026-13-45"),
    )
    .unwrap();
    let (status, body) = admin_post(&gateway, "/api/reload").await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.starts_with("reload rejected; the previous configuration keeps serving:"),
        "{body}"
    );
    assert!(body.contains("whitelist.toml:10:"), "{body}");
    assert_eq!(send(&client).await.1, "allowed");

    let output = gateway.cli(&["audit", "events"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("\"kind\":\"config_reload_rejected\""),
        "{text}"
    );
    assert!(text.contains("\"actor\":\"api\""), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_keep_getting_decisions_during_reloads() {
    let upstream = Upstream::start_tls(&["api.partner.example"]).await;
    let gateway = start(&upstream, &tollgate_e2e::today_utc());
    let client = client(gateway.proxy, &gateway.ca_pem());

    let sender = {
        let client = client.clone();
        tokio::spawn(async move {
            let mut decisions = Vec::new();
            for _ in 0..200 {
                decisions.push(send(&client).await);
            }
            decisions
        })
    };
    for round in 0..20 {
        let (status, body) = admin_post(&gateway, "/api/reload").await;
        assert_eq!(status, 200, "reload {round}: {body}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let decisions = sender.await.unwrap();
    assert_eq!(decisions.len(), 200);
    for (status, decision, reason) in &decisions {
        assert_eq!(*status, 200, "{decision}: {reason}");
        assert_eq!(decision, "allowed");
    }
    assert_eq!(gateway.records().len(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn exporter_of_the_client_decides_the_law() {
    let upstream = Upstream::start_tls(&["api.partner.example"]).await;
    let gateway = start(&upstream, &tollgate_e2e::today_utc());
    let config = gateway.dir.path().join("tollgate.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "[exporter]\ncountry = \"DE\"",
        "[[exporter]]\nname = \"Example GmbH\"\ncountry = \"DE\"\ndefault = true\n\n\
         [[exporter]]\nname = \"Example (Shanghai) Co., Ltd.\"\ncountry = \"CN\"\n\
         proxy_users = [\"erp-cn\"]",
    );
    std::fs::write(&config, text).unwrap();
    let (status, body) = admin_post(&gateway, "/api/reload").await;
    assert_eq!(status, 200, "{body}");

    // The German entity may use its SCC; PIPL does not recognise an SCC.
    let german = client(gateway.proxy, &gateway.ca_pem());
    assert_eq!(send(&german).await.1, "allowed");
    let chinese = tollgate_e2e::client_as(gateway.proxy, &gateway.ca_pem(), Some("erp-cn"));
    let (status, decision, reason) = send(&chinese).await;
    assert_eq!(status, 403);
    assert_eq!(decision, "blocked");
    assert_eq!(
        reason,
        "mechanism scc-partner (scc) is not recognised under PIPL"
    );

    let records = gateway.records();
    assert_eq!(records[0]["exporter"], "DE");
    assert_eq!(records[0]["exporter_name"], "Example GmbH");
    assert_eq!(records[1]["exporter"], "CN");
    assert_eq!(records[1]["exporter_name"], "Example (Shanghai) Co., Ltd.");
}

#[tokio::test(flavor = "multi_thread")]
async fn self_inspection_exports_due_reviews() {
    let upstream = Upstream::start_tls(&["api.partner.example"]).await;
    // Reviewed 80 days ago: due in about ten days.
    let reviewed_on = (chrono::Utc::now().date_naive() - chrono::Duration::days(80)).to_string();
    let gateway = start(&upstream, &reviewed_on);

    let metrics = tollgate_e2e::admin_get(gateway.admin, "/metrics").await;
    assert!(metrics.contains("tollgate_reviews_due_soon 1"), "{metrics}");
    assert!(metrics.contains("tollgate_reviews_overdue 0"), "{metrics}");
    assert!(
        metrics.contains("tollgate_selfcheck_items{severity=\"warning\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("tollgate_ca_expiry_seconds"), "{metrics}");

    let output = gateway.cli(&["check", "--format", "json"]);
    let items: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let messages: Vec<&str> = items
        .iter()
        .map(|item| item["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("whitelist review due on")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("no transfer impact assessment date")),
        "{messages:?}"
    );
    assert!(output.status.success(), "only warnings: {messages:?}");
}

/// Posts a reload to the admin listener with `headers` a browser adds.
async fn reload_with(gateway: &Tollgate, headers: &[(&str, &str)]) -> (u16, String) {
    tollgate_e2e::admin_request_with_headers(
        gateway.admin,
        reqwest::Method::POST,
        "/api/reload",
        headers,
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn cross_origin_reload_is_rejected() {
    // A web page the administrator visits could make the browser POST to
    // the admin listener; the browser marks such a request.
    let upstream = Upstream::start_tls(&["api.partner.example"]).await;
    let gateway = start(&upstream, &tollgate_e2e::today_utc());

    let (status, body) = reload_with(&gateway, &[("origin", "http://evil.example")]).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("Origin \"http://evil.example\""), "{body}");
    let (status, body) = reload_with(&gateway, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(status, 403, "{body}");
    // A page on a name rebound to 127.0.0.1 is same-origin to the browser.
    let port = gateway.admin.port();
    let rebound_host = format!("evil.example:{port}");
    let rebound_origin = format!("http://evil.example:{port}");
    let rebound = [
        ("host", rebound_host.as_str()),
        ("origin", rebound_origin.as_str()),
        ("sec-fetch-site", "same-origin"),
    ];
    let (status, body) = reload_with(&gateway, &rebound).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("evil.example"), "{body}");
    let events = String::from_utf8(gateway.cli(&["audit", "events"]).stdout).unwrap();
    assert!(!events.contains("config_reload"), "{events}");

    let own = format!("http://{}", gateway.admin);
    let (status, body) = reload_with(&gateway, &[("origin", &own)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = reload_with(&gateway, &[]).await;
    assert_eq!(status, 200, "{body}");
}
