//! PIPL volume thresholds end to end, with small thresholds from the
//! configuration: exemption below them, de-duplication of individuals sent
//! again, a block without the mechanism the volume requires, and a hold for
//! the transfer that crosses a threshold.

use tollgate_e2e::{Tollgate, Upstream, client, today_utc};

fn start(upstream: &Upstream) -> Tollgate {
    let today = today_utc();
    let tollgate = format!(
        r#"
[proxy]
listen = "127.0.0.1:0"
[admin]
listen = "127.0.0.1:0"
[exporter]
country = "CN"
name = "Example (Shanghai) Co., Ltd."
[pipl]
contract_from = 3
assessment_from = 6
sensitive_assessment_from = 2
[upstream]
extra_roots = ["upstream-ca.pem"]
resolve = {{ "none.partner.example" = "{0}", "contract.partner.example" = "{0}", "assessed.partner.example" = "{0}" }}
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
id = "sg-none"
hosts = ["none.partner.example"]
country = "SG"
recipient = "Newsletter Pte. Ltd."
purpose = "newsletter"
reviewed_on = {today}
reviewed_by = "dpo"
allow_addresses = ["127.0.0.1/32"]
approval = "never"

[[destination]]
id = "sg-contract"
hosts = ["contract.partner.example"]
country = "SG"
recipient = "Analytics Pte. Ltd."
purpose = "analytics"
mechanism = "pipl-sc"
reviewed_on = {today}
reviewed_by = "dpo"
allow_addresses = ["127.0.0.1/32"]
approval = "never"

[[destination]]
id = "sg-assessed"
hosts = ["assessed.partner.example"]
country = "SG"
recipient = "Data Platform Pte. Ltd."
purpose = "data platform"
mechanism = "cac"
reviewed_on = {today}
reviewed_by = "dpo"
allow_addresses = ["127.0.0.1/32"]
approval = "never"
"#
    );
    let mechanisms = r#"
[[mechanism]]
id = "pipl-sc"
kind = "pipl_standard_contract"
signed_on = 2025-01-01
filed_on = 2025-01-08
reference = "CAC filing 2025-0042"
covers = ["email", "cn_resident_id"]
sensitive = true

[[mechanism]]
id = "cac"
kind = "cac_assessment"
signed_on = 2025-01-01
reference = "CAC approval 2025-007"
covers = ["email", "cn_resident_id"]
sensitive = true
"#;
    let ca = upstream.ca_pem.clone().unwrap();
    Tollgate::start(&[
        ("tollgate.toml", &tollgate),
        ("whitelist.toml", &whitelist),
        ("mechanisms.toml", mechanisms),
        ("upstream-ca.pem", &ca),
    ])
}

/// Sends a JSON array of people to `host` and returns the decision and the
/// reason of its record.
async fn send(
    gateway: &Tollgate,
    client: &reqwest::Client,
    host: &str,
    people: &[&str],
) -> (String, String) {
    let body: Vec<String> = people.iter().map(|person| person.to_string()).collect();
    let response = client
        .post(format!("https://{host}/v1/people"))
        .header("content-type", "application/json")
        .body(format!("[{}]", body.join(",")))
        .send()
        .await
        .unwrap();
    let decision = response.headers()["tollgate-decision"]
        .to_str()
        .unwrap()
        .to_owned();
    let record = gateway.records().pop().unwrap();
    assert_eq!(record["decision"], decision.as_str());
    (decision, record["reason"].as_str().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn volume_thresholds_decide_pipl_transfers() {
    let upstream = Upstream::start_tls(&[
        "none.partner.example",
        "contract.partner.example",
        "assessed.partner.example",
    ])
    .await;
    let gateway = start(&upstream);
    let client = client(gateway.proxy, &gateway.ca_pem());
    let anna = r#"{"email": "anna.li@example.cn"}"#;
    let bo = r#"{"email": "bo.wang@example.cn"}"#;
    let chen = r#"{"email": "chen.zhao@example.cn"}"#;
    let anna_id = r#"{"email": "anna.li@example.cn", "id_number": "11010519491231002X"}"#;

    // Two individuals: below the contract threshold of 3, so no mechanism
    // is needed.
    let (decision, reason) = send(&gateway, &client, "none.partner.example", &[anna, bo]).await;
    assert_eq!(decision, "allowed", "{reason}");
    assert!(
        reason.contains("exempt by volume under PIPL: 2 individual(s)"),
        "{reason}"
    );

    // The same two again are not counted twice.
    let (decision, reason) = send(&gateway, &client, "none.partner.example", &[bo, anna]).await;
    assert_eq!(decision, "allowed", "{reason}");
    assert!(reason.contains("2 individual(s)"), "{reason}");

    // A third individual reaches the threshold, and the destination has no
    // standard contract.
    let (decision, reason) = send(&gateway, &client, "none.partner.example", &[chen]).await;
    assert_eq!(decision, "blocked");
    assert!(
        reason.contains("brings the individuals sent abroad this year to 3"),
        "{reason}"
    );
    assert!(
        reason.contains("requires a PIPL standard contract or certification"),
        "{reason}"
    );

    // Sensitive information needs a contract whatever the volume.
    let (decision, reason) = send(&gateway, &client, "none.partner.example", &[anna_id]).await;
    assert_eq!(decision, "blocked");
    assert!(
        reason.contains("(1 with sensitive information)"),
        "{reason}"
    );

    // With the contract in place, the transfer that crosses the threshold
    // is held for approval.
    let (decision, reason) = send(&gateway, &client, "contract.partner.example", &[chen]).await;
    assert_eq!(decision, "held");
    assert!(reason.contains("crossing the threshold"), "{reason}");

    // Five new individuals at once reach the assessment threshold of 6: a
    // standard contract is not enough, and an assessment holds the first
    // transfer past the threshold.
    let crowd = [
        r#"{"email": "d1@example.cn"}"#,
        r#"{"email": "d2@example.cn"}"#,
        r#"{"email": "d3@example.cn"}"#,
        r#"{"email": "d4@example.cn"}"#,
        r#"{"email": "d5@example.cn"}"#,
    ];
    let (decision, reason) = send(&gateway, &client, "contract.partner.example", &crowd).await;
    assert_eq!(decision, "blocked");
    assert!(
        reason.contains("requires a CAC security assessment; mechanism pipl-sc"),
        "{reason}"
    );
    let (decision, reason) = send(&gateway, &client, "assessed.partner.example", &crowd).await;
    assert_eq!(decision, "held");
    assert!(
        reason
            .contains("crossing the threshold from which PIPL requires a CAC security assessment"),
        "{reason}"
    );

    // Only the two allowed transfers reached the destination.
    assert_eq!(upstream.requests().len(), 2);

    // The self-inspection, which a reload runs, exports the yearly count.
    let (status, body) =
        tollgate_e2e::admin_request(gateway.admin, reqwest::Method::POST, "/api/reload").await;
    assert_eq!(status, 200, "{body}");
    let metrics = tollgate_e2e::admin_get(gateway.admin, "/metrics").await;
    assert!(
        metrics.contains(
            "tollgate_pipl_individuals{exporter=\"Example (Shanghai) Co., Ltd.\",data=\"all\"} 2"
        ),
        "{metrics}"
    );
}
