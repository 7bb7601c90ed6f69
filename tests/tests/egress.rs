//! The egress path end to end on the real ERP samples: each file goes
//! through the gateway to a whitelisted HTTPS destination and gets the
//! decision its content calls for; stopped requests never reach the
//! destination; every request leaves exactly one record; and no raw personal
//! value is written anywhere in the data directory.

use std::collections::HashMap;
use std::process::Command;

use tollgate_e2e::{
    Tollgate, Upstream, client, contains, files_containing, samples_dir, today_utc,
};

/// Exporter in mainland China (PIPL); the partner in Germany has a PIPL
/// standard contract that covers sensitive data, so sensitive findings are
/// held; the HR processor in Singapore has one that covers e-mail only.
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

[upstream]
extra_roots = ["upstream-ca.pem"]
resolve = {{ "api.partner.example" = "{0}", "hr.partner.example" = "{0}", "unlisted.example" = "{0}" }}

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
id = "partner-de"
hosts = ["api.partner.example"]
country = "DE"
recipient = "Partner GmbH"
purpose = "order fulfilment and invoicing"
mechanism = "pipl-sc-partner"
reviewed_on = {today}
reviewed_by = "dpo"
allow_addresses = ["127.0.0.1/32"]

[[destination]]
id = "hr-sg"
hosts = ["hr.partner.example"]
country = "SG"
recipient = "HR Services Pte. Ltd."
purpose = "payroll"
mechanism = "pipl-sc-hr"
reviewed_on = {today}
reviewed_by = "dpo"
allow_addresses = ["127.0.0.1/32"]
"#
    );
    let mechanisms = r#"
[[mechanism]]
id = "pipl-sc-partner"
kind = "pipl_standard_contract"
filed_on = 2025-01-10
signed_on = 2025-01-01
covers = ["email", "phone", "person_name", "postal_address", "date_of_birth", "iban", "cn_resident_id", "payment_card"]
sensitive = true
reference = "CAC filing 2025-SH-0001"

[[mechanism]]
id = "pipl-sc-hr"
kind = "pipl_standard_contract"
filed_on = 2025-01-10
reference = "CAC filing 2025-0001"
signed_on = 2025-01-01
covers = ["email"]
"#;
    let ca = upstream.ca_pem.clone().unwrap();
    Tollgate::start(&[
        ("tollgate.toml", &tollgate),
        ("whitelist.toml", &whitelist),
        ("mechanisms.toml", mechanisms),
        ("upstream-ca.pem", &ca),
    ])
}

/// What the gateway must decide for each sample, and the categories the
/// inspector must report, worked out by reading each file.
#[rustfmt::skip]
const SAMPLES: [(&str, &str, &str, &[&str]); 15] = [
    // ISO 20022 statement: account holders' IBANs and street addresses.
    // IBANs are financial accounts, which are sensitive, so the export is
    // held for approval even though the contract covers them.
    ("camt053-bank-statement.xml", "application/xml", "held", &["postal_address", "iban"]),
    // Frappe Contact records: 27 e-mail addresses (one with a Cyrillic
    // local part written as \u escapes) and first and last names.
    ("erpnext-demo-contact.json", "application/json", "allowed", &["email", "person_name"]),
    // Employees: names, e-mail addresses and adults' dates of birth.
    ("erpnext-demo-employee.json", "application/json", "allowed", &["email", "person_name", "date_of_birth"]),
    ("erpnext-demo-lead.json", "application/json", "allowed", &["email", "person_name"]),
    // Fixed-width ACH: only the street lines of the IAT addenda are found;
    // the names and account numbers in fixed columns have no key to go by.
    ("nacha-ach-ppd-batch.ach", "text/plain", "allowed", &["postal_address"]),
    ("odoo-facturx-cii-invoice-partner.xml", "application/xml", "allowed", &["email", "phone", "postal_address"]),
    // Array of arrays without keys: street lines are found by their shape.
    ("odoo-impex-contacts-export.json", "application/json", "allowed", &["postal_address"]),
    ("odoo-res-partner-demo.xml", "application/xml", "allowed", &["email", "phone", "person_name", "postal_address"]),
    ("peppol-bis3-ubl-invoice-base-example.xml", "application/xml", "allowed", &["email", "postal_address"]),
    // US phone numbers under "Phone" headers, contacts' names and e-mails.
    ("salesforce-accounts-contacts-export.csv", "text/csv", "allowed", &["email", "phone", "person_name"]),
    ("sap-cap-incident-customers.csv", "text/csv", "allowed", &["email", "phone", "person_name"]),
    ("sap-s4hana-business-partner-odata-v2.json", "application/json", "allowed", &["email", "postal_address"]),
    // Payment files carry IBANs: held.
    ("sepa-pain001-credit-transfer.xml", "application/xml", "held", &["person_name", "postal_address", "iban"]),
    ("sepa-pain008-direct-debit-es-iso8859-1.xml", "application/xml", "held", &["person_name", "iban"]),
    // X12 834: the member's name, address and date of birth. Its
    // identification number 999999999 is no SSN: area 9xx is never issued.
    ("x12-834-benefit-enrollment-5010.txt", "text/plain", "allowed", &["person_name", "postal_address", "date_of_birth"]),
];

/// Completes 17 digits with the GB 11643 (ISO 7064 MOD 11-2) check digit.
fn resident_id(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

/// Tokens of `text` that look like e-mail addresses.
fn emails_in(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "\"'<>,;()[]{}:".contains(c))
        .filter(|token| {
            let Some((local, domain)) = token.split_once('@') else {
                return false;
            };
            !local.is_empty() && domain.contains('.') && !local.contains('\\')
        })
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn samples_decisions_records_and_no_raw_values() {
    let upstream = Upstream::start_tls(&["api.partner.example", "hr.partner.example"]).await;
    let gateway = start(&upstream);
    let client = client(gateway.proxy, &gateway.ca_pem());
    let mut expected: HashMap<String, &str> = HashMap::new();
    let mut raw_values: Vec<String> = Vec::new();

    // Every sample to the whitelisted partner.
    for (file, content_type, decision, categories) in SAMPLES {
        let body = std::fs::read(samples_dir().join(file)).unwrap();
        raw_values.extend(emails_in(&String::from_utf8_lossy(&body)));
        let before = upstream.requests().len();

        let response = client
            .post("https://api.partner.example/v1/import")
            .header("content-type", content_type)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        assert_eq!(headers["tollgate-decision"], decision, "{file}: {text}");
        expected.insert(
            headers["tollgate-transfer-id"].to_str().unwrap().into(),
            decision,
        );

        let received = upstream.requests();
        if decision == "allowed" {
            assert_eq!(status, 200, "{file}");
            assert_eq!(received.len(), before + 1, "{file}");
            assert_eq!(
                received.last().unwrap().body.as_ref(),
                body.as_slice(),
                "{file}"
            );
        } else {
            assert_eq!(status, 403, "{file}");
            assert_eq!(received.len(), before, "{file} reached the destination");
            let refusal: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(refusal["decision"], decision, "{file}");
            assert!(refusal["hold_id"].is_string(), "{file}: {text}");
            let notice = &refusal["notice"];
            assert!(
                notice["en"].as_str().unwrap().contains("Partner GmbH"),
                "{file}"
            );
            assert!(
                notice["zh"].as_str().unwrap().contains("Partner GmbH"),
                "{file}"
            );
            assert!(
                notice["zh"]
                    .as_str()
                    .unwrap()
                    .contains("《中华人民共和国个人信息保护法》")
            );
        }

        let records = gateway.records();
        let record = records.last().unwrap();
        let found: Vec<&str> = record["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|finding| finding["category"].as_str().unwrap())
            .collect();
        assert_eq!(found, categories, "{file}");
        assert_eq!(record["decision"], decision, "{file}");
    }

    // A body without personal data arrives byte for byte.
    let plain = br#"{"order":"SO-0042","lines":[{"sku":"A-1001","qty":3,"price":"12.50"}]}"#;
    let response = client
        .post("https://api.partner.example/v1/orders")
        .header("content-type", "application/json")
        .body(plain.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["tollgate-decision"], "allowed");
    expected.insert(
        response.headers()["tollgate-transfer-id"]
            .to_str()
            .unwrap()
            .into(),
        "allowed",
    );
    assert_eq!(upstream.requests().last().unwrap().body.as_ref(), plain);
    assert!(contains(&upstream.received_bytes(), plain));

    // Chinese resident ID numbers: held for the partner, whose contract
    // covers them; blocked for the HR processor, whose contract does not.
    let ids = [
        resident_id("11010519491231002"),
        resident_id("44030419900307235"),
    ];
    raw_values.extend(ids.iter().cloned());
    let body = format!(
        r#"[{{"name":"Li Wei","id_number":"{}","email":"li.wei@example.cn"}},{{"name":"Wang Fang","id_number":"{}"}}]"#,
        ids[0], ids[1]
    );
    raw_values.push("li.wei@example.cn".into());
    for (host, decision) in [
        ("api.partner.example", "held"),
        ("hr.partner.example", "blocked"),
    ] {
        let before = upstream.requests().len();
        let response = client
            .post(format!("https://{host}/v1/people"))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{host}");
        assert_eq!(response.headers()["tollgate-decision"], decision, "{host}");
        expected.insert(
            response.headers()["tollgate-transfer-id"]
                .to_str()
                .unwrap()
                .into(),
            decision,
        );
        let reason = response.headers()["tollgate-reason"]
            .to_str()
            .unwrap()
            .to_owned();
        let refusal: serde_json::Value = response.json().await.unwrap();
        assert_eq!(refusal["reason"], reason.as_str(), "{host}");
        if decision == "blocked" {
            assert_eq!(
                reason, "mechanism pipl-sc-hr does not cover person_name, cn_resident_id",
                "{host}"
            );
        }
        assert_eq!(
            upstream.requests().len(),
            before,
            "{host} received the ID numbers"
        );
    }
    for id in &ids {
        assert!(!contains(&upstream.received_bytes(), id.as_bytes()));
    }

    // A destination that is not whitelisted: the CONNECT is refused.
    let before = upstream.connections();
    let error = client
        .post("https://unlisted.example/upload")
        .body("email=li.wei@example.cn")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert_eq!(upstream.connections(), before);

    // One record per request, each with the decision its response carried.
    let records = gateway.records();
    assert_eq!(records.len(), expected.len() + 1);
    for record in &records {
        let id = record["transfer_id"].as_str().unwrap();
        match expected.get(id) {
            Some(decision) => assert_eq!(record["decision"], *decision, "{id}"),
            None => {
                assert_eq!(record["host"], "unlisted.example");
                assert_eq!(record["decision"], "blocked");
                assert_eq!(
                    record["reason"],
                    "destination unlisted.example is not on the whitelist"
                );
            }
        }
    }
    let verify = gateway.cli(&["audit", "verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );

    // No raw value anywhere: database, WAL, CA directory and the log.
    assert!(
        raw_values.len() > 100,
        "only {} raw values collected",
        raw_values.len()
    );
    let data = gateway.data_dir();
    assert!(data.join("tollgate.log").exists());
    for value in &raw_values {
        let found = files_containing(&data, value.as_bytes());
        assert!(found.is_empty(), "{value} found in {found:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn curl_through_proxy() {
    let upstream = Upstream::start_tls(&["api.partner.example", "hr.partner.example"]).await;
    let gateway = start(&upstream);
    let sample = samples_dir().join("sap-cap-incident-customers.csv");
    let proxy = format!("http://{}", gateway.proxy);
    let ca = gateway.ca_path();

    let curl = |url: &'static str| {
        let sample = sample.clone();
        let proxy = proxy.clone();
        let ca = ca.clone();
        tokio::task::spawn_blocking(move || {
            Command::new("curl")
                .args([
                    "--silent",
                    "--show-error",
                    "--dump-header",
                    "-",
                    "--max-time",
                    "30",
                ])
                .args(["--proxy", &proxy, "--cacert"])
                .arg(&ca)
                .args(["--header", "content-type: text/csv", "--data-binary"])
                .arg(format!("@{}", sample.display()))
                .arg(url)
                .env_remove("HTTPS_PROXY")
                .env_remove("https_proxy")
                .output()
                .expect("curl is installed")
        })
    };

    let output = curl("https://api.partner.example/v1/customers")
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_ascii_lowercase();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("http/1.1 200"), "{text}");
    assert!(text.contains("tollgate-decision: allowed"), "{text}");
    assert!(text.contains("tollgate-transfer-id: "), "{text}");
    let requests = upstream.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].body.as_ref(),
        std::fs::read(&sample).unwrap().as_slice()
    );

    // The HR contract covers e-mail but not phone numbers or names.
    let output = curl("https://hr.partner.example/v1/customers")
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_ascii_lowercase();
    assert!(text.contains("http/1.1 403"), "{text}");
    assert!(text.contains("tollgate-decision: blocked"), "{text}");
    assert!(
        text.contains("tollgate-reason: mechanism pipl-sc-hr does not cover phone, person_name"),
        "{text}"
    );
    assert_eq!(upstream.requests().len(), 1);

    let records = gateway.records();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["decision"], "allowed");
    assert_eq!(records[1]["decision"], "blocked");
}

#[tokio::test(flavor = "multi_thread")]
async fn id_number_split_across_chunks_is_found() {
    use std::io::{Read, Write};

    let upstream = Upstream::start_tls(&["api.partner.example", "hr.partner.example"]).await;
    let gateway = start(&upstream);
    let id = resident_id("11010519491231002");
    let body = format!(r#"{{"name":"Li Wei","id_number":"{id}"}}"#);

    // Chunk boundaries fall inside the ID number, so a scanner that looked
    // at each chunk alone would see only fragments.
    let split = body.find(&id).unwrap() + 7;
    let (first, second) = body.split_at(split);
    let (second, third) = second.split_at(6);
    let mut request = String::from(
        "POST http://api.partner.example/v1/people HTTP/1.1\r\n\
         Host: api.partner.example\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    );
    for chunk in [first, second, third] {
        request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    request.push_str("0\r\n\r\n");

    let answer = tokio::task::spawn_blocking({
        let proxy = gateway.proxy;
        move || {
            let mut stream = std::net::TcpStream::connect(proxy).unwrap();
            stream.write_all(request.as_bytes()).unwrap();
            let mut answer = String::new();
            stream.read_to_string(&mut answer).unwrap();
            answer
        }
    })
    .await
    .unwrap();

    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.contains("tollgate-decision: held"), "{answer}");
    assert!(answer.contains("cn_resident_id"), "{answer}");
    assert_eq!(upstream.connections(), 0);
    assert!(files_containing(&gateway.data_dir(), id.as_bytes()).is_empty());
}
