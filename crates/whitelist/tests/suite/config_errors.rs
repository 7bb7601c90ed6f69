//! Every configuration error is checked in full, including `file:line:col`.

use std::path::Path;

use chrono::NaiveDate;
use whitelist::{MechanismRegistry, Whitelist};

const DESTINATION: &str = r#"[[destination]]
id = "acme-crm"
hosts = ["api.acme.example"]
country = "US"
recipient = "Acme Inc."
purpose = "customer support tickets"
mechanism = "scc-acme"
reviewed_on = 2026-10-01
reviewed_by = "dpo@example.com"
"#;

const MECHANISM: &str = r#"[[mechanism]]
id = "scc-acme"
kind = "scc"
module = 2
signed_on = 2025-03-01
covers = ["email", "person_name"]
"#;

/// `DESTINATION` with the line starting `key =` replaced by `line`, or
/// removed when `line` is empty.
fn destination_with(key: &str, line: &str) -> String {
    replace_line(DESTINATION, key, line)
}

fn mechanism_with(key: &str, line: &str) -> String {
    replace_line(MECHANISM, key, line)
}

fn replace_line(text: &str, key: &str, line: &str) -> String {
    let prefix = format!("{key} =");
    let mut found = false;
    let mut out = String::new();
    for current in text.lines() {
        if current.starts_with(&prefix) {
            found = true;
            if !line.is_empty() {
                out.push_str(line);
                out.push('\n');
            }
        } else {
            out.push_str(current);
            out.push('\n');
        }
    }
    assert!(found, "no line starts with {prefix}");
    out
}

fn whitelist_error(text: &str) -> String {
    match Whitelist::parse(text, Path::new("whitelist.toml")) {
        Ok(_) => panic!("whitelist was accepted:\n{text}"),
        Err(error) => error.to_string(),
    }
}

fn mechanism_error(text: &str) -> String {
    match MechanismRegistry::parse(text, Path::new("mechanisms.toml")) {
        Ok(_) => panic!("registry was accepted:\n{text}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn base_texts_are_valid() {
    let whitelist = Whitelist::parse(DESTINATION, Path::new("whitelist.toml")).unwrap();
    let registry = MechanismRegistry::parse(MECHANISM, Path::new("mechanisms.toml")).unwrap();
    assert_eq!(whitelist.destinations().len(), 1);
    assert_eq!(registry.len(), 1);
    assert!(whitelist.check_mechanisms(&registry).is_ok());
}

#[test]
fn unknown_field_is_named() {
    let text = destination_with("reviewed_by", "recieved_by = \"dpo@example.com\"");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:9:1: unknown field `recieved_by`, expected one of `id`, `hosts`, `ports`, \
         `country`, `recipient`, `purpose`, `mechanism`, `reviewed_on`, `reviewed_by`, \
         `allow_addresses`, `approval`, `bulk_threshold`, `data`, `review_interval_months`, \
         `pipl_exemption`, `dpf_certified`, `pipeda_covered`, `appi_covered`, `pipa_covered`"
    );
}

#[test]
fn review_interval_over_a_quarter() {
    let text = destination_with(
        "reviewed_by",
        "reviewed_by = \"dpo\"\nreview_interval_months = 6",
    );
    let message = whitelist_error(&text);
    assert!(
        message.ends_with(
            "review_interval_months = 6 is not allowed; reviews are due at least every 3 \
             months, so use 1 to 3"
        ),
        "{message}"
    );
}

#[test]
fn missing_field_is_named() {
    let text = destination_with("country", "");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:1:1: missing field `country`"
    );
}

#[test]
fn unknown_country_code() {
    let text = destination_with("country", "country = \"XX\"");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:4:11: unknown country code \"XX\"; use an ISO 3166-1 alpha-2 code such \
         as \"DE\""
    );
}

#[test]
fn bad_host_pattern() {
    let text = destination_with("hosts", "hosts = [\"api.acme.example\", \"*.com\"]");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:3:30: invalid host pattern \"*.com\": a wildcard over a single label \
         would match a whole top-level domain; give at least two labels after \"*.\", as in \
         \"*.example.com\""
    );
}

#[test]
fn empty_hosts() {
    let text = destination_with("hosts", "hosts = []");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:3:9: hosts is empty; list at least one host such as \"api.example.com\""
    );
}

#[test]
fn reviewed_on_as_string() {
    let text = destination_with("reviewed_on", "reviewed_on = \"2026-10-01\"");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:8:15: expected a TOML local date such as 2026-10-01, written without \
         quotes, found the string \"2026-10-01\""
    );
}

#[test]
fn reviewed_on_with_time() {
    let text = destination_with("reviewed_on", "reviewed_on = 2026-10-01T09:30:00");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:8:15: expected a TOML local date such as 2026-10-01, written without \
         quotes, found 2026-10-01T09:30:00, which has a time or offset"
    );
}

#[test]
fn duplicate_destination_id() {
    let second = destination_with("hosts", "hosts = [\"other.example\"]");
    let text = format!("{DESTINATION}\n{second}");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:12:6: duplicate destination id \"acme-crm\"; it is already used on line 2"
    );
}

#[test]
fn duplicate_exact_host() {
    let second = destination_with("id", "id = \"acme-billing\"");
    let second = replace_line(
        &second,
        "hosts",
        "hosts = [\"billing.example\", \"API.acme.example.\"]",
    );
    let text = format!("{DESTINATION}\n{second}");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:13:29: host \"api.acme.example\" is already listed in destination \
         \"acme-crm\" on line 3; list each host in one destination only"
    );
}

#[test]
fn duplicate_wildcard() {
    let first = destination_with("hosts", "hosts = [\"*.acme.example\"]");
    let second = replace_line(&first, "id", "id = \"acme-billing\"");
    let text = format!("{first}\n{second}");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:13:10: host \"*.acme.example\" is already listed in destination \
         \"acme-crm\" on line 3; list each host in one destination only"
    );
}

#[test]
fn duplicate_host_within_one_destination() {
    let text = destination_with("hosts", "hosts = [\"a.example\", \"A.example\"]");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:3:23: host \"a.example\" is already listed in this destination on line \
         3; list each host in one destination only"
    );
}

#[test]
fn unknown_mechanism_reference() {
    let text = destination_with("mechanism", "mechanism = \"scc-acmee\"");
    let whitelist = Whitelist::parse(&text, Path::new("whitelist.toml")).unwrap();
    let registry = MechanismRegistry::parse(MECHANISM, Path::new("mechanisms.toml")).unwrap();
    let error = whitelist.check_mechanisms(&registry).unwrap_err();
    assert_eq!(
        error.to_string(),
        "whitelist.toml:7:13: destination \"acme-crm\" refers to unknown mechanism \"scc-acmee\"; \
         define it in mechanisms.toml or use one of: scc-acme"
    );
}

#[test]
fn unknown_mechanism_with_empty_registry() {
    let whitelist = Whitelist::parse(DESTINATION, Path::new("whitelist.toml")).unwrap();
    let error = whitelist
        .check_mechanisms(&MechanismRegistry::empty())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "whitelist.toml:7:13: destination \"acme-crm\" refers to unknown mechanism \"scc-acme\"; \
         the mechanism registry defines no mechanisms; add one there"
    );
}

#[test]
fn global_range_in_allow_addresses() {
    let text = format!("{DESTINATION}allow_addresses = [\"10.0.0.0/8\", \"8.8.8.0/24\"]\n");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:10:34: allow_addresses entry \"8.8.8.0/24\" contains globally reachable \
         addresses, which every destination may use already; list only private, loopback or \
         other non-global ranges"
    );
}

#[test]
fn malformed_allow_addresses_entry() {
    let text = format!("{DESTINATION}allow_addresses = [\"10.0.0.0/33\"]\n");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:10:20: invalid address range \"10.0.0.0/33\"; write a CIDR range such as \
         \"10.20.0.0/16\" or one address"
    );
}

#[test]
fn empty_ports() {
    let text = format!("{DESTINATION}ports = []\n");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:10:9: ports is empty; list at least one port, or remove the line to \
         allow 443 and 80"
    );
}

#[test]
fn invalid_id() {
    let text = destination_with("id", "id = \"acme crm\"");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:2:6: id \"acme crm\" contains ' '; use only ASCII letters, digits, \"-\", \
         \"_\" and \".\""
    );
}

#[test]
fn malformed_toml() {
    let text = DESTINATION.replace("recipient = \"Acme Inc.\"", "recipient = \"Acme Inc.");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:5:23: invalid basic string, expected `\"`"
    );
}

#[test]
fn unreadable_file_names_path_and_os_error() {
    let error = Whitelist::load(Path::new("/nonexistent/whitelist.toml")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "failed to read /nonexistent/whitelist.toml: No such file or directory (os error 2)"
    );
}

#[test]
fn review_date_in_future() {
    let whitelist = Whitelist::parse(DESTINATION, Path::new("whitelist.toml")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let error = whitelist.validate_dates(today).unwrap_err();
    assert_eq!(
        error.to_string(),
        "whitelist.toml:8:15: reviewed_on 2026-10-01 of destination \"acme-crm\" is in the future \
         (today is 2026-09-30); set it to the day of the last review"
    );
}

#[test]
fn review_date_today_is_valid() {
    let whitelist = Whitelist::parse(DESTINATION, Path::new("whitelist.toml")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    assert!(whitelist.validate_dates(today).is_ok());
}

#[test]
fn module_on_non_scc_kind() {
    let text = mechanism_with("kind", "kind = \"idta\"");
    assert_eq!(
        mechanism_error(&text),
        "mechanisms.toml:4:10: module applies only to kind \"scc\", but mechanism \"scc-acme\" \
         has kind \"idta\"; remove the module line"
    );
}

#[test]
fn missing_module_on_scc() {
    let text = mechanism_with("module", "");
    assert_eq!(
        mechanism_error(&text),
        "mechanisms.toml:3:8: mechanism \"scc-acme\" has kind \"scc\" but no module; add module = \
         1, 2, 3 or 4 (1 controller to controller, 2 controller to processor, 3 processor to \
         processor, 4 processor to controller)"
    );
}

#[test]
fn module_out_of_range() {
    let text = mechanism_with("module", "module = 5");
    assert_eq!(
        mechanism_error(&text),
        "mechanisms.toml:4:10: module 5 of mechanism \"scc-acme\" is not an SCC module; use 1, 2, \
         3 or 4"
    );
}

#[test]
fn unknown_category_lists_valid_ones() {
    let text = mechanism_with("covers", "covers = [\"email\", \"emial\"]");
    assert_eq!(
        mechanism_error(&text),
        "mechanisms.toml:6:20: unknown personal-data category \"emial\"; expected one of email, \
         phone, person_name, postal_address, date_of_birth, ip_address, cn_resident_id, us_ssn, \
         uk_nino, passport, payment_card, iban, bank_account, health, biometric, precise_location"
    );
}

#[test]
fn expires_before_signed() {
    let text = format!("{MECHANISM}expires_on = 2025-02-28\n");
    assert_eq!(
        mechanism_error(&text),
        "mechanisms.toml:7:14: expires_on 2025-02-28 of mechanism \"scc-acme\" is not after \
         signed_on 2025-03-01; check both dates"
    );
}

#[test]
fn suspended_without_reason() {
    let text = format!("{MECHANISM}suspended = true\n");
    assert_eq!(
        mechanism_error(&text),
        "mechanisms.toml:7:13: mechanism \"scc-acme\" is suspended but has no suspended_reason; \
         add suspended_reason = \"...\" saying why"
    );
}

#[test]
fn duplicate_mechanism_id() {
    let text = format!("{MECHANISM}\n{MECHANISM}");
    assert_eq!(
        mechanism_error(&text),
        "mechanisms.toml:9:6: duplicate mechanism id \"scc-acme\"; it is already used on line 2"
    );
}

#[test]
fn unknown_mechanism_kind() {
    let text = mechanism_with("kind", "kind = \"sccs\"");
    assert_eq!(
        mechanism_error(&text),
        "mechanisms.toml:3:8: unknown variant `sccs`, expected one of `adequacy`, `scc`, `idta`, \
         `bcr`, `pipl_standard_contract`, `pipl_certification`, `cac_assessment`, `consent`, \
         `derogation`"
    );
}

#[test]
fn unknown_top_level_table() {
    let text = DESTINATION.replace("[[destination]]", "[[destinations]]");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:1:3: unknown field `destinations`, expected `destination`"
    );
}

#[test]
fn blank_recipient() {
    let text = destination_with("recipient", "recipient = \"  \"");
    assert_eq!(
        whitelist_error(&text),
        "whitelist.toml:5:13: value is empty; fill it in"
    );
}

#[test]
fn empty_covers() {
    let text = mechanism_with("covers", "covers = []");
    assert_eq!(
        mechanism_error(&text),
        "mechanisms.toml:6:10: covers is empty; list the personal-data categories the mechanism \
         covers, such as [\"email\", \"person_name\"]"
    );
}

#[test]
fn load_toml_returns_value_and_text() {
    #[derive(serde::Deserialize)]
    struct Listen {
        port: u16,
    }
    let directory =
        std::env::temp_dir().join(format!("whitelist-load-toml-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("tollgate.toml");
    std::fs::write(&path, "port = 8080\n").unwrap();
    let (listen, text) = whitelist::error::load_toml::<Listen>(&path).unwrap();
    std::fs::remove_dir_all(&directory).unwrap();
    assert_eq!(listen.port, 8080);
    assert_eq!(text, "port = 8080\n");
}

#[test]
fn from_toml_reports_type_errors_on_one_line() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Listen {
        port: u16,
    }
    let text = "\nport = \"eighty\"\n";
    let error = toml::from_str::<Listen>(text).unwrap_err();
    let error = whitelist::ConfigError::from_toml(Path::new("tollgate.toml"), text, &error);
    assert_eq!(
        error.to_string(),
        "tollgate.toml:2:8: invalid type: string \"eighty\", expected u16"
    );
}

/// `MECHANISM` turned into a mechanism of `kind` without a module, with
/// `extra` lines appended.
fn mechanism_of_kind(kind: &str, extra: &str) -> String {
    let text = mechanism_with("kind", &format!("kind = \"{kind}\""));
    let mut text = replace_line(&text, "module", "");
    text.push_str(extra);
    text
}

#[test]
fn kind_specific_fields() {
    let cases = [
        (
            mechanism_of_kind("pipl_standard_contract", "reference = \"F-1\"\n"),
            "mechanisms.toml:3:8: mechanism \"scc-acme\" is a PIPL standard contract but has no \
             filed_on; add the day it was filed with the provincial CAC office",
        ),
        (
            mechanism_of_kind("pipl_standard_contract", "filed_on = 2025-03-05\n"),
            "mechanisms.toml:3:8: mechanism \"scc-acme\" of kind \"pipl_standard_contract\" needs \
             reference = \"...\" with the CAC filing number",
        ),
        (
            mechanism_of_kind(
                "pipl_standard_contract",
                "reference = \"F-1\"\nfiled_on = 2025-02-01\n",
            ),
            "mechanisms.toml:7:12: filed_on 2025-02-01 of mechanism \"scc-acme\" is before \
             signed_on 2025-03-01; a standard contract is filed after it takes effect",
        ),
        (
            mechanism_of_kind("bcr", "filed_on = 2025-03-05\n"),
            "mechanisms.toml:6:12: filed_on applies only to kind \"pipl_standard_contract\", but \
             mechanism \"scc-acme\" has kind \"bcr\"; remove the filed_on line",
        ),
        (
            mechanism_of_kind(
                "cac_assessment",
                "reference = \"A-1\"\nexpires_on = 2028-03-01\n",
            ),
            "mechanisms.toml:7:14: expires_on 2028-03-01 of CAC assessment \"scc-acme\" is more \
             than 3 years after signed_on 2025-03-01; an assessment is valid for 3 years, so \
             renew it",
        ),
        (
            mechanism_of_kind("consent", ""),
            "mechanisms.toml:3:8: mechanism \"scc-acme\" of kind \"consent\" needs reference = \
             \"...\" with where the separate-consent records are kept",
        ),
        (
            mechanism_of_kind("derogation", ""),
            "mechanisms.toml:3:8: mechanism \"scc-acme\" is a derogation but has no ground; add \
             ground = one of explicit_consent, contract_with_subject, \
             contract_in_subject_interest, public_interest, legal_claims, vital_interests, \
             public_register, compelling_legitimate_interests (GDPR Art. 49)",
        ),
        (
            mechanism_of_kind("bcr", "ground = \"legal_claims\"\n"),
            "mechanisms.toml:6:10: ground applies only to kind \"derogation\", but mechanism \
             \"scc-acme\" has kind \"bcr\"; remove the ground line",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(mechanism_error(&text), expected, "{text}");
    }
}

#[test]
fn cac_assessment_expires_after_three_years() {
    let text = mechanism_of_kind("cac_assessment", "reference = \"A-1\"\n");
    let registry = MechanismRegistry::parse(&text, Path::new("mechanisms.toml")).unwrap();
    let mechanism = registry.get("scc-acme").unwrap();
    assert_eq!(
        mechanism.effective_expiry(),
        NaiveDate::from_ymd_opt(2028, 2, 29)
    );
}
