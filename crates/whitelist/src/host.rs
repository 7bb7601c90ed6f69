//! Host names and the host patterns of the whitelist.
//!
//! Every host that Tollgate compares, whether it comes from a client's
//! request or from `whitelist.toml`, goes through [`HostName::parse`] first.
//! Comparison is then plain string equality, because internationalised names
//! are in their punycode (A-label) form, letters are lowercase, the root dot
//! is gone and IP literals are in their canonical text form.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text_value;

/// Maximum length of one label in bytes (RFC 1035, section 2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// Maximum length of a host name in bytes, without the root dot. DNS allows
/// 255 octets on the wire, which leaves 253 characters of dotted text.
pub const MAX_NAME_LEN: usize = 253;

/// ASCII characters rejected in host names, applied after UTS 46 mapping.
///
/// This leaves letters, digits, hyphen, dot and underscore. The underscore
/// is outside the strict STD3 rule, but names such as `my_service.internal`
/// occur in practice and clients send them, so rejecting it would block
/// requests rather than protect anything.
const DENIED_ASCII: AsciiDenyList = AsciiDenyList::new(true, "!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~");

/// A host name or IP literal that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    #[error("host name is empty")]
    Empty,

    #[error(
        "invalid host name {host:?}: it contains a character that host names do not allow, or an \
         invalid internationalised label; use letters, digits, \"-\", \"_\" and \".\", or a valid \
         internationalised name"
    )]
    InvalidCharacters { host: String },

    #[error(
        "invalid host name {host:?}: it has an empty label (a leading dot or two dots in a row)"
    )]
    EmptyLabel { host: String },

    #[error(
        "invalid host name {host:?}: label {label:?} is {len} bytes long, \
         over the DNS limit of {MAX_LABEL_LEN}"
    )]
    LabelTooLong {
        host: String,
        label: String,
        len: usize,
    },

    #[error(
        "invalid host name {host:?}: it is {len} bytes long, over the DNS limit of {MAX_NAME_LEN}"
    )]
    TooLong { host: String, len: usize },

    #[error(
        "invalid host name {host:?}: its last label is a number, so resolvers may read it as an \
         IPv4 address; write IPv4 addresses as four decimal numbers such as 192.0.2.1"
    )]
    NumericLastLabel { host: String },

    #[error("invalid IPv6 address {host:?}: the text inside the brackets is not an IPv6 address")]
    InvalidIpv6 { host: String },
}

/// A normalised host name or IP literal.
///
/// Domain names are stored in their ASCII form after UTS 46 processing
/// (nontransitional, hyphens allowed anywhere), lowercase and without the
/// root dot. IP literals are stored in the canonical text of [`IpAddr`],
/// without brackets for IPv6.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostName {
    text: String,
    ip: Option<IpAddr>,
}

impl HostName {
    /// Parses and normalises a host as it appears in a URL authority, a
    /// CONNECT request or a configuration file (without a port).
    pub fn parse(input: &str) -> Result<HostName, HostError> {
        if input.is_empty() {
            return Err(HostError::Empty);
        }
        if let Some(inner) = input.strip_prefix('[') {
            let address = inner
                .strip_suffix(']')
                .and_then(|inner| inner.parse::<Ipv6Addr>().ok())
                .ok_or_else(|| HostError::InvalidIpv6 {
                    host: input.to_owned(),
                })?;
            return Ok(HostName::from_ip(IpAddr::V6(address)));
        }
        if let Ok(address) = input.parse::<IpAddr>() {
            return Ok(HostName::from_ip(address));
        }
        parse_domain(input)
    }

    /// Wraps an IP address.
    pub fn from_ip(address: IpAddr) -> HostName {
        HostName {
            text: address.to_string(),
            ip: Some(address),
        }
    }

    /// Returns the normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Returns the address when the host is an IP literal.
    pub fn ip(&self) -> Option<IpAddr> {
        self.ip
    }

    /// Counts the dot-separated labels, returning 1 for an IP literal.
    pub fn label_count(&self) -> usize {
        match self.ip {
            Some(_) => 1,
            None => self.text.split('.').count(),
        }
    }
}

fn parse_domain(input: &str) -> Result<HostName, HostError> {
    let ascii = Uts46::new()
        .to_ascii(
            input.as_bytes(),
            DENIED_ASCII,
            Hyphens::Allow,
            DnsLength::Ignore,
        )
        .map_err(|_| HostError::InvalidCharacters {
            host: input.to_owned(),
        })?;
    let name = ascii.strip_suffix('.').unwrap_or(&ascii);

    for label in name.split('.') {
        if label.is_empty() {
            return Err(HostError::EmptyLabel {
                host: input.to_owned(),
            });
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(HostError::LabelTooLong {
                host: input.to_owned(),
                label: label.to_owned(),
                len: label.len(),
            });
        }
    }
    if name.len() > MAX_NAME_LEN {
        return Err(HostError::TooLong {
            host: input.to_owned(),
            len: name.len(),
        });
    }

    // The root dot is gone, so a dotted quad such as "10.0.0.1." lands here.
    if let Ok(address) = name.parse::<Ipv4Addr>() {
        return Ok(HostName::from_ip(IpAddr::V4(address)));
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    if is_numeric_label(last) {
        return Err(HostError::NumericLastLabel {
            host: input.to_owned(),
        });
    }
    Ok(HostName {
        text: name.to_owned(),
        ip: None,
    })
}

/// Checks whether a label reads as a number in the IPv4 forms that `inet_aton` and
/// the WHATWG URL parser accept (decimal, octal with a leading 0, or hex
/// with 0x). A host ending in such a label, like `127.1` or `0x7f.1`, can
/// resolve to an address that differs from what its text suggests.
fn is_numeric_label(label: &str) -> bool {
    let hex = label
        .strip_prefix("0x")
        .or_else(|| label.strip_prefix("0X"));
    match hex {
        Some(digits) => digits.bytes().all(|byte| byte.is_ascii_hexdigit()),
        None => label.bytes().all(|byte| byte.is_ascii_digit()),
    }
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for HostName {
    type Err = HostError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        HostName::parse(input)
    }
}

impl Serialize for HostName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for HostName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        text_value::deserialize_with(deserializer, "a host name", HostName::parse)
    }
}

/// A host pattern that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostPatternError {
    #[error(
        "invalid host pattern \"*\": it would match every host; list the hosts, \
         or use a suffix wildcard such as \"*.example.com\""
    )]
    BareWildcard,

    #[error(
        "invalid host pattern {pattern:?}: \"*\" is allowed only as the whole first label, \
         as in \"*.example.com\""
    )]
    MisplacedWildcard { pattern: String },

    #[error(
        "invalid host pattern {pattern:?}: a wildcard over a single label would match a whole \
         top-level domain; give at least two labels after \"*.\", as in \"*.example.com\""
    )]
    SingleLabelSuffix { pattern: String },

    #[error(
        "invalid host pattern {pattern:?}: a wildcard cannot precede an IP address; \
         list the address as an exact host"
    )]
    IpSuffix { pattern: String },

    #[error(transparent)]
    Host(#[from] HostError),
}

/// A whitelist host entry: one exact host, or every subdomain of a suffix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HostPattern {
    /// Matches exactly this host.
    Exact(HostName),
    /// Written `*.suffix`. Matches every host with at least one label in
    /// front of `suffix`, but not `suffix` itself.
    Wildcard(HostName),
}

impl HostPattern {
    /// Parses and normalises a pattern such as `api.example.com` or
    /// `*.example.com`.
    pub fn parse(input: &str) -> Result<HostPattern, HostPatternError> {
        if input == "*" {
            return Err(HostPatternError::BareWildcard);
        }
        let Some(suffix) = input.strip_prefix("*.") else {
            if input.contains('*') {
                return Err(HostPatternError::MisplacedWildcard {
                    pattern: input.to_owned(),
                });
            }
            return Ok(HostPattern::Exact(HostName::parse(input)?));
        };
        if suffix.contains('*') {
            return Err(HostPatternError::MisplacedWildcard {
                pattern: input.to_owned(),
            });
        }
        let suffix = HostName::parse(suffix)?;
        if suffix.ip().is_some() {
            return Err(HostPatternError::IpSuffix {
                pattern: input.to_owned(),
            });
        }
        if suffix.label_count() < 2 {
            return Err(HostPatternError::SingleLabelSuffix {
                pattern: input.to_owned(),
            });
        }
        Ok(HostPattern::Wildcard(suffix))
    }

    /// Checks whether this pattern covers `host`.
    pub fn matches(&self, host: &HostName) -> bool {
        match self {
            HostPattern::Exact(exact) => exact == host,
            HostPattern::Wildcard(suffix) => {
                host.ip().is_none()
                    && host
                        .as_str()
                        .strip_suffix(suffix.as_str())
                        .is_some_and(|front| front.len() > 1 && front.ends_with('.'))
            }
        }
    }
}

impl fmt::Display for HostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostPattern::Exact(host) => write!(f, "{host}"),
            HostPattern::Wildcard(suffix) => write!(f, "*.{suffix}"),
        }
    }
}

impl FromStr for HostPattern {
    type Err = HostPatternError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        HostPattern::parse(input)
    }
}

impl Serialize for HostPattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HostPattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        text_value::deserialize_with(deserializer, "a host pattern", HostPattern::parse)
    }
}
