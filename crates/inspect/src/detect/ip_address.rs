//! IP addresses: IPv4 dotted quads and IPv6 in full or compressed form.
//!
//! An IPv4 address is four decimal octets of 0-255 without leading zeros,
//! separated by dots. Version numbers and object identifiers have the same
//! shape, so a quad is rejected when a letter touches it (`v1.2.3.4`), when
//! it is part of a longer dotted run (`1.3.6.1.4.1`), and when its key or
//! label names a version. `0.0.0.0` and `255.255.255.255` name no host.
//!
//! An IPv6 candidate is a run of hex digits, colons and dots that contains
//! `::` or seven colons and at least one decimal digit; the standard
//! library's parser decides. The digit rule keeps words such as
//! `Abc::Def` (a path in source code) out, and the unspecified address `::`
//! is rejected.

use std::net::Ipv6Addr;

use super::context::{Context, label_roles};
use super::roles::Roles;
use super::scan::{alphanumeric_at, digit_at, digit_run_end};

/// Longest text form of an IPv6 address: eight groups of four hex digits
/// and seven colons, or an IPv4-mapped tail.
const MAX_IPV6_BYTES: usize = 45;

/// Returns the end of an IPv4 address that starts with the digit run
/// `start..run_end`.
pub(crate) fn v4_at(text: &[u8], start: usize, run_end: usize, context: &Context) -> Option<usize> {
    if run_end - start > 3 || text.get(run_end) != Some(&b'.') {
        return None;
    }
    if start > 0 && (text[start - 1].is_ascii_alphanumeric() || text[start - 1] == b'.') {
        return None;
    }
    let mut octets = [0u8; 4];
    let mut position = start;
    for (index, octet) in octets.iter_mut().enumerate() {
        if index > 0 {
            if text.get(position) != Some(&b'.') {
                return None;
            }
            position += 1;
        }
        *octet = read_octet(text, position)?;
        position = digit_run_end(text, position);
    }
    let end = position;
    let longer = text.get(end) == Some(&b'.') && digit_at(text, end + 1);
    if longer || alphanumeric_at(text, end) {
        return None;
    }
    if octets == [0, 0, 0, 0] || octets == [255, 255, 255, 255] {
        return None;
    }
    let version = context.roles.contains(Roles::VERSION)
        || (context.labels && label_roles(text, start).contains(Roles::VERSION));
    (!version).then_some(end)
}

/// Reads one octet of 1-3 digits at `start`, rejecting leading zeros.
fn read_octet(text: &[u8], start: usize) -> Option<u8> {
    if !digit_at(text, start) {
        return None;
    }
    let end = digit_run_end(text, start);
    let digits = &text[start..end];
    if digits.len() > 3 || (digits.len() > 1 && digits[0] == b'0') {
        return None;
    }
    let value = digits
        .iter()
        .fold(0u32, |value, digit| value * 10 + u32::from(digit - b'0'));
    u8::try_from(value).ok()
}

/// Returns the end of an IPv6 address that starts at `start`.
pub(crate) fn v6_at(text: &[u8], start: usize) -> Option<usize> {
    if start > 0
        && (text[start - 1].is_ascii_alphanumeric() || matches!(text[start - 1], b':' | b'.'))
    {
        return None;
    }
    let mut end = start;
    while end < text.len()
        && end - start < MAX_IPV6_BYTES
        && (text[end].is_ascii_hexdigit() || matches!(text[end], b':' | b'.'))
    {
        end += 1;
    }
    // Punctuation after the address (`fe80::1.` at the end of a sentence).
    while end > start && matches!(text[end - 1], b'.' | b':') && !text[..end].ends_with(b"::") {
        end -= 1;
    }
    if alphanumeric_at(text, end) || matches!(text.get(end), Some(b':' | b'.')) {
        return None;
    }
    let candidate = &text[start..end];
    let colons = candidate.iter().filter(|&&byte| byte == b':').count();
    let compressed = candidate.windows(2).any(|pair| pair == b"::");
    if !(compressed || colons == 7) || !candidate.iter().any(u8::is_ascii_digit) {
        return None;
    }
    let address: Ipv6Addr = std::str::from_utf8(candidate).ok()?.parse().ok()?;
    (!address.is_unspecified()).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;
    use crate::detect::found_texts;

    fn found_with(text: &str, roles: Roles) -> Vec<&str> {
        found_texts(text, roles, Category::IpAddress)
    }

    fn found(text: &str) -> Vec<&str> {
        found_with(text, Roles::NONE)
    }

    #[test]
    fn ipv4_addresses_are_found() {
        for (text, expected) in [
            ("192.168.1.10", "192.168.1.10"),
            ("client 203.0.113.7, port 443", "203.0.113.7"),
            ("10.0.0.1.", "10.0.0.1"),
            ("[8.8.8.8]", "8.8.8.8"),
            ("ip=0.0.0.1", "0.0.0.1"),
        ] {
            assert_eq!(found(text), [expected], "{text}");
        }
    }

    #[test]
    fn ipv4_look_alikes_are_rejected() {
        for text in [
            "256.1.1.1",
            "1.2.3",
            "01.2.3.4",
            "1.2.3.04",
            "1.2.3.4.5",
            "1.3.6.1.4.1",
            "v1.2.3.4",
            "V1.2.3.4",
            "version 1.2.3.4",
            "version: 1.2.3.4",
            "ver=1.2.3.4",
            "1.2.3.4a",
            "0.0.0.0",
            "255.255.255.255",
            "x.1.2.3.4",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
        assert!(found_with("1.2.3.4", Roles::VERSION).is_empty());
    }

    #[test]
    fn ipv6_addresses_are_found() {
        for (text, expected) in [
            ("2001:db8::1", "2001:db8::1"),
            (
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            ),
            ("fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"),
            ("from ::ffff:192.0.2.1 today", "::ffff:192.0.2.1"),
            ("[2001:db8::8a2e:370:7334]:443", "2001:db8::8a2e:370:7334"),
            ("::1", "::1"),
        ] {
            assert_eq!(found(text), [expected], "{text}");
        }
    }

    #[test]
    fn ipv6_look_alikes_are_rejected() {
        for text in [
            "::",
            "std::io",
            "Abc::Def",
            "10:30",
            "12:30:45",
            "00:1A:2B:3C:4D:5E",
            "2001:db8::1::2",
            "2001:db8::g",
            "dead:beef",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
