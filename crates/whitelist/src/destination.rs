//! Whitelisted destinations: where data may go, for what purpose, under
//! which transfer mechanism, and who reviewed that decision when.
//!
//! A [`Destination`] is one `[[destination]]` table of `whitelist.toml`, and
//! [`Whitelist`] is the whole file with its cross-entry rules (unique ids,
//! each host in at most one destination) and host lookup.

mod policy;
mod whitelist;

use std::net::IpAddr;

use crate::mechanism::Found;
use chrono::{Months, NaiveDate};
use ipnet::IpNet;
use serde::{Deserialize, Deserializer};

use crate::address;
use crate::country::CountryCode;
use crate::host::HostPattern;
use crate::id;
use crate::jurisdiction::RecipientAttribute;
use crate::text_value;
use crate::toml_date;

pub use policy::{Approval, DataPolicy, HoldCause, PiplExemption};
pub use whitelist::Whitelist;

/// Longest and default time between reviews of a destination, in months. A
/// quarterly review keeps the recorded recipient, purpose and mechanism
/// close to the current contracts; an entry may ask for a shorter interval.
pub const REVIEW_INTERVAL_MONTHS: u32 = 3;

/// Data subjects in one request from which the `bulk` approval rule holds
/// it, when the entry sets no `bulk_threshold`.
pub const DEFAULT_BULK_THRESHOLD: u64 = 1000;

/// Ports used when a destination lists none: HTTPS first, then HTTP.
pub const DEFAULT_PORTS: [u16; 2] = [443, 80];

/// One whitelisted destination.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Destination {
    /// Short unique name, used in transfer records.
    #[serde(deserialize_with = "id::deserialize")]
    pub id: String,
    /// Hosts served by this destination; never empty.
    #[serde(deserialize_with = "deserialize_hosts")]
    pub hosts: Vec<HostPattern>,
    /// Ports the gateway may connect to; never empty.
    #[serde(default = "default_ports", deserialize_with = "deserialize_ports")]
    pub ports: Vec<u16>,
    /// Country where the recipient processes the data.
    pub country: CountryCode,
    /// Legal name of the organisation that receives the data.
    #[serde(deserialize_with = "id::non_blank")]
    pub recipient: String,
    /// Reason the data is sent there, as in the records of processing.
    #[serde(deserialize_with = "id::non_blank")]
    pub purpose: String,
    /// Id of the transfer mechanism in `mechanisms.toml`. May be absent when
    /// the destination receives no personal data or stays within the
    /// exporter's jurisdiction; the gateway enforces that at request time.
    #[serde(default)]
    pub mechanism: Option<String>,
    /// Day of the last review.
    #[serde(deserialize_with = "toml_date::local_date")]
    pub reviewed_on: NaiveDate,
    /// Person or team that did the last review.
    #[serde(deserialize_with = "id::non_blank")]
    pub reviewed_by: String,
    /// Non-global ranges that this destination's hosts may resolve to, for
    /// destinations on an internal network.
    #[serde(default, deserialize_with = "deserialize_allow_addresses")]
    pub allow_addresses: Vec<IpNet>,
    /// Rule for holding requests for approval.
    #[serde(default)]
    pub approval: Approval,
    /// Data subjects in one request from which `approval = "bulk"` holds it.
    #[serde(default = "default_bulk_threshold")]
    pub bulk_threshold: u64,
    /// Whether the destination receives the data as sent or only a masked
    /// copy.
    #[serde(default)]
    pub data: DataPolicy,
    /// Months between reviews, at most [`REVIEW_INTERVAL_MONTHS`].
    #[serde(
        default = "default_review_interval",
        deserialize_with = "deserialize_review_interval"
    )]
    pub review_interval_months: u32,
    /// A PIPL ground that exempts transfers to this destination from the
    /// annual volume thresholds; shown in every record.
    #[serde(default)]
    pub pipl_exemption: Option<PiplExemption>,
    /// Recipient attributes that partial adequacy decisions depend on, set
    /// by the administrator after checking the public list each refers to.
    #[serde(default)]
    pub dpf_certified: bool,
    #[serde(default)]
    pub pipeda_covered: bool,
    #[serde(default)]
    pub appi_covered: bool,
    #[serde(default)]
    pub pipa_covered: bool,
}

/// A resolved address that a destination may not use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "destination {destination:?} resolved to {address}, which is not a globally reachable \
     address; if the destination really is on that network, add it to allow_addresses"
)]
pub struct AddressError {
    pub destination: String,
    pub address: IpAddr,
}

impl Destination {
    /// Computes the last day on which the current review is valid: `reviewed_on`
    /// plus `review_interval_months` calendar months (three by default),
    /// clamped to the end of a shorter month (2026-11-30 gives 2027-02-28).
    pub fn review_due(&self) -> NaiveDate {
        self.reviewed_on
            .checked_add_months(Months::new(self.review_interval_months))
            // Only dates near the end of chrono's range (year 262142) overflow.
            .unwrap_or(NaiveDate::MAX)
    }

    /// Checks whether the review is overdue on `today`.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        today > self.review_due()
    }

    /// Checks an address that one of this destination's hosts resolved to.
    ///
    /// Global addresses pass. Others pass only when inside
    /// `allow_addresses`, which blocks DNS answers that point a public name
    /// at an internal service. An IPv4-mapped IPv6 address is judged as
    /// its IPv4 address.
    pub fn check_address(&self, address: IpAddr) -> Result<(), AddressError> {
        let canonical = address.to_canonical();
        if address::is_global(canonical) {
            return Ok(());
        }
        let allowed = self
            .allow_addresses
            .iter()
            .any(|net| net.contains(&canonical) || net.contains(&address));
        if allowed {
            return Ok(());
        }
        Err(AddressError {
            destination: self.id.clone(),
            address: canonical,
        })
    }

    /// Checks whether the gateway may connect to `port` for this destination.
    pub fn allows_port(&self, port: u16) -> bool {
        self.ports.contains(&port)
    }

    /// Whether the entry records `attribute` as true for its recipient.
    pub fn has_attribute(&self, attribute: RecipientAttribute) -> bool {
        match attribute {
            RecipientAttribute::DpfCertified => self.dpf_certified,
            RecipientAttribute::PipedaCovered => self.pipeda_covered,
            RecipientAttribute::AppiCovered => self.appi_covered,
            RecipientAttribute::PipaCovered => self.pipa_covered,
        }
    }

    /// Why the entry's approval rule holds a request carrying `found` about
    /// `subjects` individuals, if it does.
    pub fn hold_cause(&self, found: &[Found], subjects: u64) -> Option<HoldCause> {
        self.approval
            .hold_cause(found, subjects, self.bulk_threshold)
    }
}

fn default_ports() -> Vec<u16> {
    DEFAULT_PORTS.to_vec()
}

fn default_bulk_threshold() -> u64 {
    DEFAULT_BULK_THRESHOLD
}

fn default_review_interval() -> u32 {
    REVIEW_INTERVAL_MONTHS
}

fn deserialize_review_interval<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<u32, D::Error> {
    let months = u32::deserialize(deserializer)?;
    if !(1..=REVIEW_INTERVAL_MONTHS).contains(&months) {
        return Err(serde::de::Error::custom(format!(
            "review_interval_months = {months} is not allowed; reviews are due at least every \
             {REVIEW_INTERVAL_MONTHS} months, so use 1 to {REVIEW_INTERVAL_MONTHS}"
        )));
    }
    Ok(months)
}

fn deserialize_hosts<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<HostPattern>, D::Error> {
    let hosts = Vec::<HostPattern>::deserialize(deserializer)?;
    if hosts.is_empty() {
        return Err(serde::de::Error::custom(
            "hosts is empty; list at least one host such as \"api.example.com\"",
        ));
    }
    Ok(hosts)
}

fn deserialize_ports<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u16>, D::Error> {
    let ports = Vec::<u16>::deserialize(deserializer)?;
    if ports.is_empty() {
        return Err(serde::de::Error::custom(
            "ports is empty; list at least one port, or remove the line to allow 443 and 80",
        ));
    }
    if ports.contains(&0) {
        return Err(serde::de::Error::custom(
            "port 0 is not a valid port; use 1 to 65535",
        ));
    }
    Ok(ports)
}

fn deserialize_allow_addresses<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<IpNet>, D::Error> {
    let nets = Vec::<AllowedNet>::deserialize(deserializer)?;
    Ok(nets.into_iter().map(|net| net.0).collect())
}

/// One `allow_addresses` entry; a separate type so that an error points at
/// the entry rather than at the whole list.
struct AllowedNet(IpNet);

impl<'de> Deserialize<'de> for AllowedNet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        text_value::deserialize_with(deserializer, "an address range", parse_allowed_net)
    }
}

fn parse_allowed_net(text: &str) -> Result<AllowedNet, String> {
    let net = parse_net(text)?;
    if !address::is_non_global_range(net) {
        return Err(format!(
            "allow_addresses entry {text:?} contains globally reachable addresses, which every \
             destination may use already; list only private, loopback or other non-global ranges"
        ));
    }
    Ok(AllowedNet(net.trunc()))
}

/// Parses `10.0.0.0/8` or a single address such as `10.1.2.3`, which means
/// that address alone.
fn parse_net(text: &str) -> Result<IpNet, String> {
    if let Ok(net) = text.parse::<IpNet>() {
        return Ok(net);
    }
    text.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
        format!("invalid address range {text:?}; write a CIDR range such as \"10.20.0.0/16\" or one address")
    })
}
