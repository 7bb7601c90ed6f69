//! GraphQL requests: arguments written inline in the document are judged
//! by their argument names, each call's arguments are a record, and the
//! masked copy keeps a document the destination can parse.

use chrono::NaiveDate;
use inspect::{Category, Inspector, Report, Request};

/// A Shopify-style mutation with the customer written inline.
const CREATE_CUSTOMER: &str = r#"mutation {
  customerCreate(input: {
    firstName: "Brigitte", lastName: "Hoffmann",
    phone: "030 1234567", note: "VIP since 2019",
    addresses: [{address1: "Lindenstrasse 12", city: "Berlin", zip: "10115"}]
  }) { customer { id } userErrors { field message } }
}"#;

fn request<'a>(content_type: &'a str, body: &'a [u8]) -> Request<'a> {
    Request {
        path: "/admin/api/2024-01/graphql.json",
        content_type: Some(content_type),
        body,
        today: NaiveDate::from_ymd_opt(2026, 12, 5),
        ..Request::default()
    }
}

fn inspect(content_type: &str, body: &str) -> Report {
    Inspector::default()
        .inspect(&request(content_type, body.as_bytes()))
        .unwrap()
}

fn count(report: &Report, category: Category) -> u64 {
    report.finding(category).map_or(0, |finding| finding.count)
}

/// Wraps `document` as the `query` member of a GraphQL request.
fn json_request(document: &str) -> String {
    serde_json::json!({ "query": document, "variables": {} }).to_string()
}

#[test]
fn inline_arguments_are_read_by_their_names() {
    let report = inspect("application/json", &json_request(CREATE_CUSTOMER));
    assert_eq!(count(&report, Category::PersonName), 2, "{report:?}");
    assert_eq!(count(&report, Category::Phone), 1, "{report:?}");
    assert!(count(&report, Category::PostalAddress) >= 1, "{report:?}");
    assert_eq!(report.subjects, 1, "{report:?}");
    let name = report.finding(Category::PersonName).unwrap();
    assert!(
        name.locations
            .iter()
            .any(|location| location == "$.query(graphql:firstName)"),
        "{name:?}"
    );
}

#[test]
fn national_number_in_prose_has_no_key() {
    // The same phone number in prose has no key, which is why the
    // document is read by its arguments.
    let report = inspect("text/plain", "call 030 1234567 about Brigitte Hoffmann");
    assert_eq!(count(&report, Category::Phone), 0, "{report:?}");
}

#[test]
fn graphql_body_is_read_by_its_arguments() {
    for content_type in ["application/graphql", "text/plain"] {
        let report = inspect(content_type, CREATE_CUSTOMER);
        assert_eq!(
            count(&report, Category::PersonName),
            2,
            "{content_type}: {report:?}"
        );
        assert_eq!(
            count(&report, Category::Phone),
            1,
            "{content_type}: {report:?}"
        );
    }
}

#[test]
fn calls_and_listed_objects_are_records() {
    let aliased = r#"mutation {
      a: customerCreate(input: {email: "jan.kowalski@example.pl", firstName: "Jan"}) { id }
      b: customerCreate(input: {email: "eva.novak@example.cz", firstName: "Eva"}) { id }
    }"#;
    let report = inspect("application/json", &json_request(aliased));
    assert_eq!(count(&report, Category::Email), 2, "{report:?}");
    assert_eq!(report.subjects, 2, "{report:?}");

    let listed = r#"mutation { importContacts(contacts: [
      {name: "Jan Kowalski", phone: "+48 601 234 567"},
      {name: "Eva Novak", phone: "+420 601 234 567"},
      {name: "Luca Rossi", phone: "+39 312 345 6789"}
    ]) { count } }"#;
    let report = inspect("application/json", &json_request(listed));
    assert_eq!(count(&report, Category::Phone), 3, "{report:?}");
    assert_eq!(count(&report, Category::PersonName), 3, "{report:?}");
    assert_eq!(report.subjects, 3, "{report:?}");
}

#[test]
fn strings_of_every_form_are_read() {
    let document = r#"query Find($email: String = "max.muster@example.de") {
      # asked for by hans.weber@example.de
      customers(query: """birthday: 1985-03-14""", phone: "\u0030\u0033\u0030 1234567") { id }
    }"#;
    let report = inspect("application/graphql", document);
    assert_eq!(count(&report, Category::Email), 2, "{report:?}");
    assert_eq!(count(&report, Category::Phone), 1, "{report:?}");
}

#[test]
fn card_number_written_as_an_integer_is_found() {
    let document = "mutation { pay(cardNumber: 4111111111111111, amount: 12.5) { ok } }";
    let report = inspect("application/json", &json_request(document));
    assert_eq!(count(&report, Category::PaymentCard), 1, "{report:?}");
}

#[test]
fn numbers_hidden_in_field_names_are_found() {
    let document = r#"{ customer(id: 7) { _4111111111111111: id } }"#;
    let report = inspect("application/json", &json_request(document));
    assert_eq!(count(&report, Category::PaymentCard), 1, "{report:?}");
}

#[test]
fn documents_without_personal_data_find_nothing() {
    let document = r#"query Orders($first: Int = 50) {
      orders(first: $first, query: "status:open created_at:>2024-01-01", sortKey: CREATED_AT) {
        edges { node { id name totalPriceSet { shopMoney { amount } } } }
      }
    }"#;
    let report = inspect("application/json", &json_request(document));
    assert!(report.findings.is_empty(), "{report:?}");
}

#[test]
fn prose_like_a_document_is_text() {
    // Prose that starts with `query` lexes as names and numbers, and an
    // unquoted address is no token at all: both are read as text.
    for body in [
        "query about Brigitte Hoffmann born 1985-03-14 at jane.doe@example.com",
        "mutation { customerCreate(input: {email: jane.doe@example.com}) { id } }",
        "{ customer(id: 1) { name } ",
    ] {
        let report = inspect("text/plain", body);
        let email = count(&report, Category::Email);
        assert_eq!(email, u64::from(body.contains('@')), "{body}: {report:?}");
    }
}

#[test]
fn masked_copy_keeps_the_document() {
    let body = json_request(CREATE_CUSTOMER);
    let inspector = Inspector::default();
    let masked = inspector
        .mask_request(&request("application/json", body.as_bytes()))
        .unwrap();
    let text = String::from_utf8(masked.body.clone()).unwrap();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let query = document["query"].as_str().unwrap();
    assert!(!query.contains("Hoffmann"), "{query}");
    assert!(!query.contains("030 1234567"), "{query}");
    assert!(query.contains("customerCreate(input: {"), "{query}");
    assert!(query.contains("userErrors { field message }"), "{query}");

    let graphql = inspector
        .mask_request(&request("application/graphql", CREATE_CUSTOMER.as_bytes()))
        .unwrap();
    let text = String::from_utf8(graphql.body).unwrap();
    assert!(!text.contains("Brigitte"), "{text}");
    assert!(
        text.starts_with("mutation {\n  customerCreate(input: {"),
        "{text}"
    );
}

#[test]
fn braced_escapes_are_read_and_masked() {
    // `\u{…}` escapes, valid since the 2021 edition of the language, keep
    // the document a document: its values stay under their arguments.
    let document = r#"mutation {
  customerCreate(input: {lastName: "M\u{fc}ller", phone: "\u{30}30 1234567"}) { id }
}"#;
    let report = inspect("application/graphql", document);
    assert_eq!(count(&report, Category::PersonName), 1, "{report:?}");
    let phone = report.finding(Category::Phone).expect("phone found");
    assert_eq!(phone.locations, ["graphql:phone"], "{phone:?}");

    let masked = Inspector::default()
        .mask_request(&request("application/graphql", document.as_bytes()))
        .unwrap();
    let text = String::from_utf8(masked.body).unwrap();
    assert!(!text.contains("1234567"), "{text}");
    assert!(!text.contains("ller"), "{text}");
    assert!(
        text.contains("customerCreate(input: {lastName: \""),
        "{text}"
    );
}

#[test]
fn tabs_and_invalid_escapes_keep_the_arguments() {
    // A raw tab is valid in a string, and an invalid escape is rejected
    // only by the server, after the bytes have left: neither may turn the
    // document into text, where a national number has no key.
    for note in ["a\tb", "\\q", "\\u{D800}", "\\uD800"] {
        let document = format!(
            "mutation {{ customerCreate(input: {{lastName: \"Doe\", phone: \"030 1234567\", \
             note: \"{note}\"}}) {{ id }} }}"
        );
        let report = inspect("application/graphql", &document);
        assert_eq!(count(&report, Category::Phone), 1, "{note}: {report:?}");
        assert_eq!(
            count(&report, Category::PersonName),
            1,
            "{note}: {report:?}"
        );

        let masked = Inspector::default()
            .mask_request(&request("application/graphql", document.as_bytes()))
            .unwrap();
        let text = String::from_utf8(masked.body).unwrap();
        assert!(!text.contains("1234567"), "{note}: {text}");
    }
}
