//! Global reachability of addresses and the per-destination address check.

use std::net::IpAddr;
use std::path::Path;

use whitelist::Whitelist;
use whitelist::address::is_global;

#[test]
fn is_global_table() {
    let cases = [
        // IPv4 special-purpose ranges, one address inside each.
        ("0.1.2.3", false),
        ("10.20.30.40", false),
        ("100.64.0.1", false),
        ("100.127.255.254", false),
        ("127.0.0.1", false),
        ("169.254.169.254", false),
        ("172.16.0.1", false),
        ("172.31.255.255", false),
        ("192.0.0.1", false),
        ("192.0.0.9", true),
        ("192.0.0.10", true),
        ("192.0.2.1", false),
        ("192.88.99.1", false),
        ("192.168.1.1", false),
        ("198.18.0.1", false),
        ("198.19.255.255", false),
        ("198.51.100.7", false),
        ("203.0.113.9", false),
        ("224.0.0.251", false),
        ("239.255.255.250", false),
        ("240.0.0.1", false),
        ("255.255.255.255", false),
        // IPv4 neighbours just outside those ranges, and public addresses.
        ("8.8.8.8", true),
        ("1.1.1.1", true),
        ("100.63.255.255", true),
        ("100.128.0.0", true),
        ("172.15.255.255", true),
        ("172.32.0.0", true),
        ("198.17.255.255", true),
        ("198.20.0.0", true),
        ("223.255.255.255", true),
        // IPv6 special-purpose ranges.
        ("::", false),
        ("::1", false),
        ("::ffff:10.0.0.1", false),
        ("::ffff:8.8.8.8", true),
        ("::10.0.0.1", false),
        ("::8.8.8.8", true),
        ("64:ff9b::10.0.0.1", false),
        ("64:ff9b::8.8.8.8", true),
        ("64:ff9b:1::8.8.8.8", false),
        ("100::1", false),
        ("2001::1", false),
        ("2001:2::1", false),
        ("2001:10::1", false),
        ("2001:1::1", true),
        ("2001:1::2", true),
        ("2001:1::3", true),
        ("2001:1::4", false),
        ("2001:3::1", true),
        ("2001:4:112::1", true),
        ("2001:20::1", true),
        ("2001:30::1", true),
        ("2001:db8::1", false),
        ("2002:0a00:0001::1", false),
        ("2002:0808:0808::1", true),
        ("2002:c0a8:0101:1::1", false),
        ("3fff::1", false),
        ("3fff:0fff::1", false),
        ("3fff:1000::1", true),
        ("5f00::1", false),
        ("fc00::1", false),
        ("fd12:3456::1", false),
        ("fe80::1", false),
        ("febf::1", false),
        ("ff02::1", false),
        ("fec0::1", false),
        ("4000::1", false),
        // Public IPv6 addresses.
        ("2606:4700::1", true),
        ("2a00:1450:4001::1", true),
        ("2001:200::1", true),
    ];
    for (text, expected) in cases {
        let address: IpAddr = text.parse().unwrap();
        assert_eq!(is_global(address), expected, "{text}");
    }
}

const INTERNAL: &str = r#"[[destination]]
id = "hr-system"
hosts = ["hr.corp.example"]
country = "DE"
recipient = "Example GmbH"
purpose = "payroll"
reviewed_on = 2026-01-15
reviewed_by = "it-security"
allow_addresses = ["10.20.0.0/16", "fd00:20::/32"]
"#;

#[test]
fn check_address_table() {
    let whitelist = Whitelist::parse(INTERNAL, Path::new("whitelist.toml")).unwrap();
    let destination = whitelist.get("hr-system").unwrap();
    let cases = [
        ("8.8.8.8", true),
        ("2606:4700::1", true),
        ("10.20.1.2", true),
        ("::ffff:10.20.1.2", true),
        ("fd00:20::5", true),
        ("10.21.0.1", false),
        ("127.0.0.1", false),
        ("::ffff:127.0.0.1", false),
        ("169.254.169.254", false),
        ("fd00:21::5", false),
    ];
    for (text, expected) in cases {
        let address: IpAddr = text.parse().unwrap();
        assert_eq!(
            destination.check_address(address).is_ok(),
            expected,
            "{text}"
        );
    }
}

#[test]
fn address_error_names_address_destination_and_fix() {
    let whitelist = Whitelist::parse(INTERNAL, Path::new("whitelist.toml")).unwrap();
    let destination = whitelist.get("hr-system").unwrap();
    let error = destination
        .check_address("::ffff:192.168.1.1".parse().unwrap())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "destination \"hr-system\" resolved to 192.168.1.1, which is not a globally reachable \
         address; if the destination really is on that network, add it to allow_addresses"
    );
}

#[test]
fn ports_default_to_https_and_http() {
    let whitelist = Whitelist::parse(INTERNAL, Path::new("whitelist.toml")).unwrap();
    let destination = whitelist.get("hr-system").unwrap();
    assert_eq!(destination.ports, vec![443, 80]);
    assert!(destination.allows_port(443));
    assert!(destination.allows_port(80));
    assert!(!destination.allows_port(8443));
}
