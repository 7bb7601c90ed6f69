//! Countries of the SWIFT IBAN registry and their IBAN lengths.
//!
//! Source: the IBAN registry that SWIFT maintains for ISO 13616, as
//! published in 2025 (89 countries). A country joins the registry only by a
//! new release, so a missing country means the table needs updating, not that
//! its IBANs are invalid. Territories that use another country's prefix
//! (French overseas departments use `FR`, Jersey uses `GB`) have no entry of
//! their own.

/// Every registry country as (ISO 3166-1 alpha-2 code, IBAN length).
pub(crate) const IBAN_COUNTRIES: [([u8; 2], u8); 89] = [
    (*b"AD", 24), // Andorra
    (*b"AE", 23), // United Arab Emirates
    (*b"AL", 28), // Albania
    (*b"AT", 20), // Austria
    (*b"AZ", 28), // Azerbaijan
    (*b"BA", 20), // Bosnia and Herzegovina
    (*b"BE", 16), // Belgium
    (*b"BG", 22), // Bulgaria
    (*b"BH", 22), // Bahrain
    (*b"BI", 27), // Burundi
    (*b"BR", 29), // Brazil
    (*b"BY", 28), // Belarus
    (*b"CH", 21), // Switzerland
    (*b"CR", 22), // Costa Rica
    (*b"CY", 28), // Cyprus
    (*b"CZ", 24), // Czechia
    (*b"DE", 22), // Germany
    (*b"DJ", 27), // Djibouti
    (*b"DK", 18), // Denmark
    (*b"DO", 28), // Dominican Republic
    (*b"EE", 20), // Estonia
    (*b"EG", 29), // Egypt
    (*b"ES", 24), // Spain
    (*b"FI", 18), // Finland
    (*b"FK", 18), // Falkland Islands
    (*b"FO", 18), // Faroe Islands
    (*b"FR", 27), // France
    (*b"GB", 22), // United Kingdom
    (*b"GE", 22), // Georgia
    (*b"GI", 23), // Gibraltar
    (*b"GL", 18), // Greenland
    (*b"GR", 27), // Greece
    (*b"GT", 28), // Guatemala
    (*b"HN", 28), // Honduras
    (*b"HR", 21), // Croatia
    (*b"HU", 28), // Hungary
    (*b"IE", 22), // Ireland
    (*b"IL", 23), // Israel
    (*b"IQ", 23), // Iraq
    (*b"IS", 26), // Iceland
    (*b"IT", 27), // Italy
    (*b"JO", 30), // Jordan
    (*b"KW", 30), // Kuwait
    (*b"KZ", 20), // Kazakhstan
    (*b"LB", 28), // Lebanon
    (*b"LC", 32), // Saint Lucia
    (*b"LI", 21), // Liechtenstein
    (*b"LT", 20), // Lithuania
    (*b"LU", 20), // Luxembourg
    (*b"LV", 21), // Latvia
    (*b"LY", 25), // Libya
    (*b"MC", 27), // Monaco
    (*b"MD", 24), // Moldova
    (*b"ME", 22), // Montenegro
    (*b"MK", 19), // North Macedonia
    (*b"MN", 20), // Mongolia
    (*b"MR", 27), // Mauritania
    (*b"MT", 31), // Malta
    (*b"MU", 30), // Mauritius
    (*b"NI", 28), // Nicaragua
    (*b"NL", 18), // Netherlands
    (*b"NO", 15), // Norway
    (*b"OM", 23), // Oman
    (*b"PK", 24), // Pakistan
    (*b"PL", 28), // Poland
    (*b"PS", 29), // Palestine
    (*b"PT", 25), // Portugal
    (*b"QA", 29), // Qatar
    (*b"RO", 24), // Romania
    (*b"RS", 22), // Serbia
    (*b"RU", 33), // Russia
    (*b"SA", 24), // Saudi Arabia
    (*b"SC", 31), // Seychelles
    (*b"SD", 18), // Sudan
    (*b"SE", 24), // Sweden
    (*b"SI", 19), // Slovenia
    (*b"SK", 24), // Slovakia
    (*b"SM", 27), // San Marino
    (*b"SO", 23), // Somalia
    (*b"ST", 25), // Sao Tome and Principe
    (*b"SV", 28), // El Salvador
    (*b"TL", 23), // Timor-Leste
    (*b"TN", 24), // Tunisia
    (*b"TR", 26), // Turkey
    (*b"UA", 29), // Ukraine
    (*b"VA", 22), // Vatican City
    (*b"VG", 24), // British Virgin Islands
    (*b"XK", 20), // Kosovo
    (*b"YE", 30), // Yemen
];

/// IBAN length per country, indexed by the two letters' positions in the
/// alphabet; 0 for countries outside the registry.
static LENGTHS: [u8; 26 * 26] = build_lengths();

const fn build_lengths() -> [u8; 26 * 26] {
    let mut lengths = [0u8; 26 * 26];
    let mut index = 0;
    while index < IBAN_COUNTRIES.len() {
        let ([first, second], length) = IBAN_COUNTRIES[index];
        lengths[(first - b'A') as usize * 26 + (second - b'A') as usize] = length;
        index += 1;
    }
    lengths
}

/// Returns the IBAN length of a registry country given as two upper-case
/// ASCII letters.
pub(crate) fn iban_length(first: u8, second: u8) -> Option<usize> {
    if !first.is_ascii_uppercase() || !second.is_ascii_uppercase() {
        return None;
    }
    let length = LENGTHS[(first - b'A') as usize * 26 + (second - b'A') as usize];
    (length != 0).then_some(usize::from(length))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_looked_up_by_country() {
        let cases = [
            (*b"DE", Some(22)),
            (*b"NL", Some(18)),
            (*b"NO", Some(15)),
            (*b"RU", Some(33)),
            (*b"FR", Some(27)),
            (*b"US", None),
            (*b"CA", None),
            (*b"IB", None),
            (*b"de", None),
        ];
        for ([first, second], expected) in cases {
            assert_eq!(iban_length(first, second), expected);
        }
    }

    #[test]
    fn registry_lengths_are_within_iso_13616_bounds() {
        for (country, length) in IBAN_COUNTRIES {
            assert!((15..=34).contains(&length), "{country:?}");
        }
    }

    #[test]
    fn registry_is_sorted_without_duplicates() {
        assert!(IBAN_COUNTRIES.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }
}
