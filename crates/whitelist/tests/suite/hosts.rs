//! Host name normalisation and pattern matching.

use std::net::IpAddr;

use whitelist::{HostName, HostPattern};

fn host(text: &str) -> HostName {
    HostName::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

fn pattern(text: &str) -> HostPattern {
    HostPattern::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

#[test]
fn pattern_matching_table() {
    let cases = [
        ("api.example.com", "api.example.com", true),
        ("api.example.com", "API.Example.COM", true),
        ("api.example.com", "api.example.com.", true),
        ("api.example.com.", "api.example.com", true),
        ("api.example.com", "www.example.com", false),
        ("api.example.com", "x.api.example.com", false),
        ("*.example.com", "a.example.com", true),
        ("*.example.com", "a.b.example.com", true),
        ("*.example.com", "A.EXAMPLE.COM.", true),
        ("*.example.com", "example.com", false),
        ("*.example.com", "badexample.com", false),
        ("*.example.com", "a.badexample.com", false),
        ("*.example.com", "example.com.evil.net", false),
        ("*.Example.COM.", "a.example.com", true),
        ("*.bücher.example", "shop.xn--bcher-kva.example", true),
        ("*.bücher.example", "shop.bücher.example", true),
        ("*.bücher.example", "SHOP.BÜCHER.EXAMPLE", true),
        ("*.xn--bcher-kva.example", "shop.bücher.example", true),
        ("*.bücher.example", "bücher.example", false),
        ("bücher.example", "xn--bcher-kva.example", true),
        ("10.1.2.3", "10.1.2.3", true),
        ("10.1.2.3", "10.1.2.4", false),
        ("2001:db8::1", "[2001:DB8:0::1]", true),
        ("[2001:db8::1]", "2001:db8::1", true),
        ("*.example.com", "10.1.2.3", false),
    ];
    for (pattern_text, host_text, expected) in cases {
        let matched = pattern(pattern_text).matches(&host(host_text));
        assert_eq!(
            matched, expected,
            "pattern {pattern_text} against host {host_text}"
        );
    }
}

#[test]
fn host_normalisation_table() {
    let cases = [
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("ＥＸＡＭＰＬＥ.com", "example.com"),
        ("a。b。example", "a.b.example"),
        ("my_service.internal", "my_service.internal"),
        ("localhost", "localhost"),
        ("192.0.2.1", "192.0.2.1"),
        ("192.0.2.1.", "192.0.2.1"),
        ("[::1]", "::1"),
        ("::1", "::1"),
        ("[2001:DB8:0:0::1]", "2001:db8::1"),
        ("::FFFF:10.0.0.1", "::ffff:10.0.0.1"),
    ];
    for (input, expected) in cases {
        assert_eq!(host(input).as_str(), expected, "{input}");
    }
}

#[test]
fn ip_literals_report_their_address() {
    let cases: [(&str, Option<IpAddr>); 4] = [
        ("192.0.2.1", Some("192.0.2.1".parse().unwrap())),
        ("[2001:db8::1]", Some("2001:db8::1".parse().unwrap())),
        ("2001:db8::1", Some("2001:db8::1".parse().unwrap())),
        ("example.com", None),
    ];
    for (input, expected) in cases {
        assert_eq!(host(input).ip(), expected, "{input}");
    }
}

#[test]
fn display_is_normalised_text() {
    assert_eq!(host("[2001:DB8::1]").to_string(), "2001:db8::1");
    assert_eq!(
        pattern("*.Bücher.example").to_string(),
        "*.xn--bcher-kva.example"
    );
}

#[test]
fn invalid_hosts_name_the_value() {
    let long_label = "a".repeat(64);
    let long_name = format!("{}.info", ["abcdefghi"; 25].join("."));
    let cases = [
        ("", "host name is empty".to_owned()),
        (
            "exa mple.com",
            "invalid host name \"exa mple.com\": it contains a character that host names do not \
             allow, or an invalid internationalised label; use letters, digits, \"-\", \"_\" and \
             \".\", or a valid internationalised name"
                .to_owned(),
        ),
        (
            "a..example.com",
            "invalid host name \"a..example.com\": it has an empty label (a leading dot or two \
             dots in a row)"
                .to_owned(),
        ),
        (
            ".example.com",
            "invalid host name \".example.com\": it has an empty label (a leading dot or two dots \
             in a row)"
                .to_owned(),
        ),
        (
            "example.com..",
            "invalid host name \"example.com..\": it has an empty label (a leading dot or two \
             dots in a row)"
                .to_owned(),
        ),
        (
            &format!("{long_label}.com"),
            format!(
                "invalid host name \"{long_label}.com\": label \"{long_label}\" is 64 bytes long, \
                 over the DNS limit of 63"
            ),
        ),
        (
            &long_name,
            format!(
                "invalid host name \"{long_name}\": it is 254 bytes long, over the DNS limit of 253"
            ),
        ),
        (
            "127.1",
            "invalid host name \"127.1\": its last label is a number, so resolvers may read it as \
             an IPv4 address; write IPv4 addresses as four decimal numbers such as 192.0.2.1"
                .to_owned(),
        ),
        (
            "[192.0.2.1]",
            "invalid IPv6 address \"[192.0.2.1]\": the text inside the brackets is not an IPv6 \
             address"
                .to_owned(),
        ),
    ];
    for (input, expected) in cases {
        let error = HostName::parse(input).expect_err(input);
        assert_eq!(error.to_string(), expected, "{input}");
    }
}

#[test]
fn invalid_host_characters_are_rejected() {
    let inputs = [
        "example.com/path",
        "user@example.com",
        "example.com:443",
        "exa%6dple.com",
        "tab\there.com",
        "star*.example.com",
        "[::1",
        "0x7f.1",
        "xn--a.example",
        "xn--.example",
        "1.2.3.4.5",
        "010.0.0.1",
    ];
    for input in inputs {
        assert!(HostName::parse(input).is_err(), "{input} was accepted");
    }
}

#[test]
fn invalid_patterns_explain_why() {
    let cases = [
        (
            "*",
            "invalid host pattern \"*\": it would match every host; list the hosts, or use a \
             suffix wildcard such as \"*.example.com\"",
        ),
        (
            "api.*.example.com",
            "invalid host pattern \"api.*.example.com\": \"*\" is allowed only as the whole first \
             label, as in \"*.example.com\"",
        ),
        (
            "*api.example.com",
            "invalid host pattern \"*api.example.com\": \"*\" is allowed only as the whole first \
             label, as in \"*.example.com\"",
        ),
        (
            "*.*.example.com",
            "invalid host pattern \"*.*.example.com\": \"*\" is allowed only as the whole first \
             label, as in \"*.example.com\"",
        ),
        (
            "*.com",
            "invalid host pattern \"*.com\": a wildcard over a single label would match a whole \
             top-level domain; give at least two labels after \"*.\", as in \"*.example.com\"",
        ),
        (
            "*.com.",
            "invalid host pattern \"*.com.\": a wildcard over a single label would match a whole \
             top-level domain; give at least two labels after \"*.\", as in \"*.example.com\"",
        ),
        (
            "*.192.0.2.1",
            "invalid host pattern \"*.192.0.2.1\": a wildcard cannot precede an IP address; list \
             the address as an exact host",
        ),
        (
            "*.exa mple.com",
            "invalid host name \"exa mple.com\": it contains a character that host names do not \
             allow, or an invalid internationalised label; use letters, digits, \"-\", \"_\" and \
             \".\", or a valid internationalised name",
        ),
    ];
    for (input, expected) in cases {
        let error = HostPattern::parse(input).expect_err(input);
        assert_eq!(error.to_string(), expected, "{input}");
    }
}

/// A small deterministic generator (xorshift64*), so the property test
/// needs no extra dependency and fails the same way on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: u64) -> usize {
        (self.next() % bound) as usize
    }

    fn label(&mut self) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
        let len = 1 + self.below(10);
        let mut label: String = (0..len)
            .map(|_| char::from(ALPHABET[self.below(ALPHABET.len() as u64)]))
            .collect();
        // A leading letter keeps the last label from reading as IPv4, and
        // "q" cannot start the "xn--" prefix of a punycode label.
        label.insert(0, 'q');
        label
    }

    fn name(&mut self, labels: usize) -> String {
        let parts: Vec<String> = (0..labels).map(|_| self.label()).collect();
        parts.join(".")
    }
}

#[test]
fn wildcard_matches_exactly_the_proper_subdomains() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..2000 {
        let suffix_labels = 2 + rng.below(3);
        let suffix = rng.name(suffix_labels);
        let wildcard = pattern(&format!("*.{suffix}"));
        let exact = pattern(&suffix);

        let front_labels = 1 + rng.below(3);
        let subdomain = host(&format!("{}.{suffix}", rng.name(front_labels)));
        assert!(wildcard.matches(&subdomain), "{wildcard} vs {subdomain}");
        assert!(!exact.matches(&subdomain), "{exact} vs {subdomain}");

        let bare = host(&suffix);
        assert!(!wildcard.matches(&bare), "{wildcard} vs {bare}");
        assert!(exact.matches(&bare), "{exact} vs {bare}");

        // Glue a label onto the first label of the suffix without a dot.
        let glued = host(&format!("{}{suffix}", rng.label()));
        assert!(!wildcard.matches(&glued), "{wildcard} vs {glued}");

        let upper = host(&subdomain.as_str().to_uppercase());
        assert!(wildcard.matches(&upper), "{wildcard} vs {upper}");
    }
}
