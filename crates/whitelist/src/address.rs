//! Whether an IP address is globally reachable.
//!
//! A whitelisted host name may resolve to a private, loopback or otherwise
//! special address, by mistake or through DNS rebinding. The gateway
//! connects to such an address only when the destination lists it in
//! `allow_addresses`, so this module decides which addresses are "global".
//!
//! The ranges come from the IANA IPv4 and IPv6 Special-Purpose Address
//! Registries (the "Globally Reachable" column) and, for IPv6 space outside
//! 2000::/3, the IANA IPv6 Address Space registry, where that space is
//! "Reserved by IETF" or assigned to local or multicast use.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

use Reach::{EmbeddedIpv4, Global, NotGlobal, SixToFour};

/// How a special-purpose range decides reachability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    NotGlobal,
    /// A globally reachable sub-range of a larger non-global range.
    Global,
    /// The low 32 bits carry an IPv4 address, which decides.
    EmbeddedIpv4,
    /// A 6to4 address (RFC 3056): bits 16 to 47 carry the IPv4 address.
    SixToFour,
}

#[derive(Debug, Clone, Copy)]
enum Prefix {
    V4(Ipv4Addr, u8),
    V6(Ipv6Addr, u8),
}

#[derive(Debug, Clone, Copy)]
struct SpecialRange {
    prefix: Prefix,
    reach: Reach,
}

const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8, reach: Reach) -> SpecialRange {
    SpecialRange {
        prefix: Prefix::V4(Ipv4Addr::new(a, b, c, d), len),
        reach,
    }
}

const fn v6(segments: [u16; 8], len: u8, reach: Reach) -> SpecialRange {
    let [a, b, c, d, e, f, g, h] = segments;
    SpecialRange {
        prefix: Prefix::V6(Ipv6Addr::new(a, b, c, d, e, f, g, h), len),
        reach,
    }
}

/// The special-purpose ranges. The first entry that contains an address
/// decides, so each globally reachable exception precedes its enclosing range.
#[rustfmt::skip]
const SPECIAL_RANGES: &[SpecialRange] = &[
    // IANA IPv4 Special-Purpose Address Registry.
    v4(0, 0, 0, 0, 8, NotGlobal),         // "this network" (RFC 791)
    v4(10, 0, 0, 0, 8, NotGlobal),        // private use (RFC 1918)
    v4(100, 64, 0, 0, 10, NotGlobal),     // shared address space, carrier NAT (RFC 6598)
    v4(127, 0, 0, 0, 8, NotGlobal),       // loopback (RFC 1122)
    v4(169, 254, 0, 0, 16, NotGlobal),    // link local (RFC 3927)
    v4(172, 16, 0, 0, 12, NotGlobal),     // private use (RFC 1918)
    v4(192, 0, 0, 9, 32, Global),         // port control protocol anycast (RFC 7723)
    v4(192, 0, 0, 10, 32, Global),        // TURN anycast (RFC 8155)
    v4(192, 0, 0, 0, 24, NotGlobal),      // IETF protocol assignments (RFC 6890)
    v4(192, 0, 2, 0, 24, NotGlobal),      // documentation, TEST-NET-1 (RFC 5737)
    v4(192, 88, 99, 0, 24, NotGlobal),    // deprecated 6to4 relay anycast (RFC 7526)
    v4(192, 168, 0, 0, 16, NotGlobal),    // private use (RFC 1918)
    v4(198, 18, 0, 0, 15, NotGlobal),     // benchmarking (RFC 2544)
    v4(198, 51, 100, 0, 24, NotGlobal),   // documentation, TEST-NET-2 (RFC 5737)
    v4(203, 0, 113, 0, 24, NotGlobal),    // documentation, TEST-NET-3 (RFC 5737)
    v4(224, 0, 0, 0, 4, NotGlobal),       // multicast (IANA IPv4 address space registry)
    v4(255, 255, 255, 255, 32, NotGlobal), // limited broadcast (RFC 919)
    v4(240, 0, 0, 0, 4, NotGlobal),       // reserved (RFC 1112)
    // IANA IPv6 Special-Purpose Address Registry.
    v6([0, 0, 0, 0, 0, 0, 0, 0], 128, NotGlobal),          // unspecified (RFC 4291)
    v6([0, 0, 0, 0, 0, 0, 0, 1], 128, NotGlobal),          // loopback (RFC 4291)
    v6([0, 0, 0, 0, 0, 0xffff, 0, 0], 96, EmbeddedIpv4),   // IPv4-mapped (RFC 4291)
    v6([0, 0, 0, 0, 0, 0, 0, 0], 96, EmbeddedIpv4),        // deprecated IPv4-compatible (RFC 4291)
    v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96, EmbeddedIpv4), // NAT64 well-known prefix (RFC 6052)
    v6([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48, NotGlobal),   // local-use NAT64 (RFC 8215)
    v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64, NotGlobal),       // discard only (RFC 6666)
    v6([0x2001, 1, 0, 0, 0, 0, 0, 1], 128, Global),        // port control protocol anycast (RFC 7723)
    v6([0x2001, 1, 0, 0, 0, 0, 0, 2], 128, Global),        // TURN anycast (RFC 8155)
    v6([0x2001, 1, 0, 0, 0, 0, 0, 3], 128, Global),        // DNS-SD service registration anycast (RFC 9665)
    v6([0x2001, 3, 0, 0, 0, 0, 0, 0], 32, Global),         // automatic multicast tunneling (RFC 7450)
    v6([0x2001, 4, 0x112, 0, 0, 0, 0, 0], 48, Global),     // AS112-v6 (RFC 7535)
    v6([0x2001, 0x20, 0, 0, 0, 0, 0, 0], 28, Global),      // ORCHIDv2 (RFC 7343)
    v6([0x2001, 0x30, 0, 0, 0, 0, 0, 0], 28, Global),      // drone remote ID tags (RFC 9374)
    v6([0x2001, 0, 0, 0, 0, 0, 0, 0], 23, NotGlobal),      // IETF protocol assignments, Teredo (RFC 2928)
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32, NotGlobal),  // documentation (RFC 3849)
    v6([0x2002, 0, 0, 0, 0, 0, 0, 0], 16, SixToFour),      // 6to4 (RFC 3056)
    v6([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20, NotGlobal),      // documentation (RFC 9637)
    v6([0x5f00, 0, 0, 0, 0, 0, 0, 0], 16, NotGlobal),      // segment routing SIDs (RFC 9602)
    v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, NotGlobal),       // unique local (RFC 4193)
    v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, NotGlobal),      // link local unicast (RFC 4291)
    v6([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, NotGlobal),       // multicast (RFC 4291)
];

/// IPv6 global unicast space (IANA IPv6 Address Space registry). Addresses
/// outside it that match no special-purpose range are unallocated.
const GLOBAL_UNICAST: Bits = Bits {
    family: Family::V6,
    value: 0x2000 << 112,
    len: 3,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    V4,
    V6,
}

impl Family {
    fn width(self) -> u8 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }
}

/// A prefix as an integer: `value` has its host bits cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bits {
    family: Family,
    value: u128,
    len: u8,
}

impl Bits {
    fn new(family: Family, value: u128, len: u8) -> Bits {
        Bits {
            family,
            value: value & mask(family, len),
            len,
        }
    }

    fn of_address(address: IpAddr) -> Bits {
        match address {
            IpAddr::V4(v4) => Bits::new(Family::V4, u32::from(v4).into(), 32),
            IpAddr::V6(v6) => Bits::new(Family::V6, u128::from(v6), 128),
        }
    }

    fn of_prefix(prefix: Prefix) -> Bits {
        match prefix {
            Prefix::V4(address, len) => Bits::new(Family::V4, u32::from(address).into(), len),
            Prefix::V6(address, len) => Bits::new(Family::V6, u128::from(address), len),
        }
    }

    fn of_net(net: IpNet) -> Bits {
        let address = Bits::of_address(net.network());
        Bits::new(address.family, address.value, net.prefix_len())
    }

    /// Whether every address of `inner` is inside `self`.
    fn contains(self, inner: Bits) -> bool {
        self.family == inner.family
            && self.len <= inner.len
            && inner.value & mask(self.family, self.len) == self.value
    }

    fn overlaps(self, other: Bits) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// The IPv4 prefix carried in the low 32 bits of an IPv6 prefix that is
    /// at least 96 bits long.
    fn embedded_low32(self) -> Option<Bits> {
        let len = self.len.checked_sub(96)?;
        Some(Bits::new(Family::V4, self.value & 0xffff_ffff, len))
    }

    /// The IPv4 prefix carried in bits 16 to 47 of a 6to4 prefix. Bits past
    /// 47 (the site's subnet and interface) do not change the IPv4 part.
    fn embedded_six_to_four(self) -> Option<Bits> {
        let len = self.len.checked_sub(16)?.min(32);
        Some(Bits::new(Family::V4, (self.value >> 80) & 0xffff_ffff, len))
    }
}

fn mask(family: Family, len: u8) -> u128 {
    let width = family.width();
    let all = u128::MAX >> (128 - u32::from(width));
    if len == 0 {
        0
    } else {
        (u128::MAX << (width - len)) & all
    }
}

fn special_ranges() -> impl Iterator<Item = (Bits, Reach)> {
    SPECIAL_RANGES
        .iter()
        .map(|range| (Bits::of_prefix(range.prefix), range.reach))
}

/// Whether `address` is globally reachable: false for every special-purpose
/// range that IANA does not mark globally reachable, for IPv6 outside
/// 2000::/3, and for IPv6 forms that embed a non-global IPv4 address.
pub fn is_global(address: IpAddr) -> bool {
    is_global_bits(Bits::of_address(address))
}

fn is_global_bits(address: Bits) -> bool {
    let decider = special_ranges().find(|(range, _)| range.contains(address));
    match decider {
        Some((_, Reach::NotGlobal)) => false,
        Some((_, Reach::Global)) => true,
        Some((_, Reach::EmbeddedIpv4)) => address.embedded_low32().is_some_and(is_global_bits),
        Some((_, Reach::SixToFour)) => address.embedded_six_to_four().is_some_and(is_global_bits),
        None => address.family == Family::V4 || GLOBAL_UNICAST.contains(address),
    }
}

/// Whether every address in `net` is non-global, so that listing it in
/// `allow_addresses` cannot open a path to a globally reachable address.
///
/// A range that mixes global and non-global addresses returns false.
pub fn is_non_global_range(net: IpNet) -> bool {
    is_non_global_bits(Bits::of_net(net))
}

fn is_non_global_bits(net: Bits) -> bool {
    for (range, reach) in special_ranges() {
        if net.contains(range) && range.len > net.len {
            // A smaller range inside `net` with another verdict makes `net` mixed.
            if reach != Reach::NotGlobal {
                return false;
            }
            continue;
        }
        if range.contains(net) {
            return match reach {
                Reach::NotGlobal => true,
                Reach::Global => false,
                Reach::EmbeddedIpv4 => net.embedded_low32().is_some_and(is_non_global_bits),
                Reach::SixToFour => net.embedded_six_to_four().is_some_and(is_non_global_bits),
            };
        }
    }
    net.family == Family::V6 && !GLOBAL_UNICAST.overlaps(net)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(text: &str) -> IpNet {
        text.parse().unwrap()
    }

    #[test]
    fn non_global_ranges() {
        let cases = [
            ("10.0.0.0/8", true),
            ("10.1.0.0/16", true),
            ("10.0.0.0/7", false),
            ("0.0.0.0/0", false),
            ("192.0.0.0/24", false),
            ("192.0.0.0/29", true),
            ("127.0.0.1/32", true),
            ("8.8.8.0/24", false),
            ("fc00::/7", true),
            ("fd12:3456::/32", true),
            ("::/0", false),
            ("::ffff:10.0.0.0/104", true),
            ("::ffff:8.8.8.0/120", false),
            ("::ffff:0:0/96", false),
            ("2002:0a00::/24", true),
            ("2002::/16", false),
            ("2001:db8::/32", true),
            ("2001::/23", false),
            ("2001::/32", true),
            ("fec0::/10", true),
            ("2000::/3", false),
            ("4000::/3", true),
        ];
        for (text, expected) in cases {
            assert_eq!(is_non_global_range(net(text)), expected, "{text}");
        }
    }

    #[test]
    fn mask_handles_extremes() {
        assert_eq!(mask(Family::V4, 0), 0);
        assert_eq!(mask(Family::V4, 32), 0xffff_ffff);
        assert_eq!(mask(Family::V6, 128), u128::MAX);
        assert_eq!(mask(Family::V6, 1), 1 << 127);
    }
}
