//! Findings that depend on what their record describes: machine faults
//! under health keys, coordinates of stores, and the contact data of
//! companies.

use inspect::{Category, Inspector, Report, Request};

const JSON: &str = "application/json";

fn inspect_body(content_type: &str, body: &str) -> Report {
    let request = Request {
        path: "/",
        content_type: Some(content_type),
        body: body.as_bytes(),
        ..Request::default()
    };
    Inspector::default().inspect(&request).unwrap()
}

fn count(report: &Report, category: Category) -> u64 {
    report.finding(category).map_or(0, |finding| finding.count)
}

#[test]
fn machine_diagnoses_are_not_health() {
    let body = r#"{"work_orders":[
        {"order":"WO-2024-00812","equipment":"Pump P-101","plant":"1000",
         "diagnosis":"Bearing worn, mechanical seal leaking","symptoms":"Vibration above 7 mm/s"},
        {"order":"WO-2024-00813","equipment":"Compressor C-7","plant":"1000",
         "diagnosis":"Overheating due to clogged intake filter","symptoms":"High discharge temperature"}],
        "devices":[{"serial":"SN-88123","model":"Label printer LP-200","diagnostic":"self-test passed"}]}"#;
    let report = inspect_body(JSON, body);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.subjects, 0);
}

#[test]
fn machine_context_outweighs_a_technician() {
    // The technician is a person, but the symptoms are the machine's.
    let body = r#"[{"technician_email":"hans.mueller@firma.de","equipment":"Pump P-101",
        "symptoms":"noise at start-up"},
        {"technician_email":"hans.mueller@firma.de","diagnosis":"firmware outdated"}]"#;
    let report = inspect_body(JSON, body);
    assert_eq!(count(&report, Category::Health), 0);
    assert_eq!(count(&report, Category::Email), 2);
}

#[test]
fn clinical_words_are_health_alone() {
    for body in [
        r#"{"diagnosis": "Type 2 diabetes"}"#,
        r#"{"diagnosis": "E11.9"}"#,
        r#"{"symptoms": "fever and cough"}"#,
    ] {
        let report = inspect_body(JSON, body);
        assert_eq!(count(&report, Category::Health), 1, "{body}");
        assert!(report.sensitive, "{body}");
    }
}

#[test]
fn other_health_text_needs_a_person() {
    // A name, an identifier or a birth date in the record, before or after
    // the value, or a parent key of people.
    for body in [
        r#"[{"name":"Jane Doe","allergies":"peanuts"}]"#,
        r#"[{"allergies":"peanuts","email":"jane.doe@example.com"}]"#,
        r#"[{"allergies":"peanuts","birth_date":"1985-03-14"}]"#,
        r#"{"patients":[{"id":7,"visits":[{"symptoms":"tired all day"}]}]}"#,
        r#"{"employee":{"no":"4711","allergies":"peanuts"}}"#,
    ] {
        let report = inspect_body(JSON, body);
        assert_eq!(count(&report, Category::Health), 1, "{body}");
    }
    // NOTE: this is the recall given up for machine diagnoses: text that
    // has no clinical word, in a record without a person, is not health.
    let report = inspect_body(JSON, r#"{"allergies":"peanuts"}"#);
    assert_eq!(count(&report, Category::Health), 0);
}

#[test]
fn health_in_csv_rows_with_names_counts() {
    let body = "name,birth_date,allergies\nJohn Smith,1985-03-14,peanuts\n";
    let report = inspect_body("text/csv", body);
    assert_eq!(count(&report, Category::Health), 1);
    let health = report.finding(Category::Health).unwrap();
    assert_eq!(health.locations, ["csv:allergies row 2"]);
}

#[test]
fn store_coordinates_are_not_personal() {
    let nested = r#"{"stores": [
        {"store_id": "S0001", "store_name": "Filiale 1", "street": "Industriestrasse 1", "lat": 48.919824, "lng": 11.753653},
        {"store_id": "S0002", "store_name": "Filiale 2", "street": "Industriestrasse 2", "lat": 48.739238, "lng": 12.484055}]}"#;
    let flat = r#"[{"lat": 48.919824, "lng": 11.753653, "warehouse_id": "WH-01"},
        {"lat": 48.739238, "lng": 12.484055, "warehouse_id": "WH-02"}]"#;
    let csv = "location_id,lat,lng\nL1,48.919824,11.753653\nL2,48.739238,12.484055\n";
    for (content_type, body) in [(JSON, nested), (JSON, flat), ("text/csv", csv)] {
        let report = inspect_body(content_type, body);
        assert_eq!(count(&report, Category::PreciseLocation), 0, "{body}");
        assert!(!report.sensitive, "{body}");
        assert_eq!(report.subjects, 0, "{body}");
    }
}

#[test]
fn coordinates_of_people_stay_sensitive() {
    for body in [
        // A customer's delivery location.
        r#"[{"customer_email":"jane.doe@example.com","lat":48.919824,"lng":11.753653}]"#,
        // A device's position, with no key that marks it as a place.
        r#"{"device_id":"d-17","lat":48.919824,"lng":11.753653}"#,
        // A store record that also names a person.
        r#"[{"store_id":"S1","manager_email":"anna.schmidt@firma.de","lat":48.919824,"lng":11.753653}]"#,
        r#"{"stores":[{"contact_name":"Anna Schmidt","lat":48.919824,"lng":11.753653}]}"#,
    ] {
        let report = inspect_body(JSON, body);
        assert_eq!(count(&report, Category::PreciseLocation), 2, "{body}");
        assert!(report.sensitive, "{body}");
    }
}

#[test]
fn vendor_master_data_has_no_subjects() {
    let body = r#"{"d":{"results":[
        {"LIFNR":"0000300001","NAME1":"Schrauben Handel 1 GmbH","STRAS":"Industriestrasse 1",
         "ORT01":"Stuttgart","PSTLZ":"70173","TELF1":"+49 711 6433012","SMTP_ADDR":"rechnungen@lieferant1.de"},
        {"LIFNR":"0000300002","NAME1":"Schrauben Handel 2 GmbH","STRAS":"Industriestrasse 2",
         "ORT01":"Stuttgart","PSTLZ":"70173","TELF1":"+49 711 3530829","SMTP_ADDR":"rechnungen@lieferant2.de"}]}}"#;
    let report = inspect_body(JSON, body);
    // Everything is still reported, so masking and transfer rules apply.
    assert_eq!(count(&report, Category::Email), 2);
    assert_eq!(count(&report, Category::Phone), 2);
    assert_eq!(count(&report, Category::PostalAddress), 2);
    assert_eq!(report.subjects, 0);

    let accounts = r#"[{"Name":"Acme Corp","Phone":"+1 415 555 0100","BillingStreet":"1 Market Street"},
        {"Name":"Globex Inc.","Phone":"+1 415 555 0101","BillingStreet":"2 Market Street"}]"#;
    let report = inspect_body(JSON, accounts);
    assert_eq!(count(&report, Category::Phone), 2);
    assert_eq!(report.subjects, 0);
}

#[test]
fn contact_people_of_companies_count() {
    let body = r#"[{"NAME1":"Schrauben Handel GmbH","TELF1":"+49 711 6433012","SMTP_ADDR":"hans.mueller@firma.de"},
        {"NAME1":"Muttern Handel GmbH","TELF1":"+49 711 3530829","SMTP_ADDR":"petra.schmidt@firma.de"}]"#;
    let report = inspect_body(JSON, body);
    assert_eq!(report.subjects, 2);

    let named = r#"[{"company":"Schrauben Handel GmbH","street":"Industriestrasse 1","contact_name":"Hans Mueller"}]"#;
    let report = inspect_body(JSON, named);
    assert_eq!(report.subjects, 1);
}

#[test]
fn sole_traders_count() {
    let body = r#"[{"name":"Hans Müller e.K.","street":"Lindenstrasse 12","phone":"+49 711 1234567"},
        {"name":"Petra Schmidt Bau GmbH","street":"Lindenstrasse 14","phone":"+49 711 7654321"}]"#;
    let report = inspect_body(JSON, body);
    assert_eq!(report.subjects, 2);
}

#[test]
fn role_mailboxes_are_reported_but_no_subjects() {
    let report = inspect_body(JSON, r#"{"email":"info@example.com"}"#);
    assert_eq!(count(&report, Category::Email), 1);
    assert!(report.personal_data);
    assert_eq!(report.subjects, 0);

    let report = inspect_body(JSON, r#"{"email":"jane.doe@example.com"}"#);
    assert_eq!(report.subjects, 1);
}
