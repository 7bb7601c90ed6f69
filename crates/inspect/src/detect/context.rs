//! The context of a segment: the key its value was sent under.
//!
//! Detectors receive the key with every segment. This version uses it only to
//! accept an unseparated `00`-prefixed phone number under a phone key. Later
//! versions can use it to accept weaker matches, such as a bare national
//! number under `phone`, or to reject matches under keys that name other
//! things.

use crate::Category;

/// Maximum length of a key that is compared with the known key names. Longer
/// keys are free text, not field names.
const MAX_KEY_BYTES: usize = 48;

/// Known field names per category, lower-case with separators removed, so
/// `e_mail`, `E-Mail` and `eMail` all match `email`.
const KNOWN_KEYS: &[(Category, &[&str])] = &[
    (
        Category::Email,
        &[
            "email",
            "mail",
            "emailid",
            "emailaddress",
            "mailaddress",
            "electronicmail",
            "useremail",
            "contactemail",
        ],
    ),
    (
        Category::Phone,
        &[
            "phone",
            "phonenumber",
            "phoneno",
            "mobile",
            "mobilephone",
            "mobilenumber",
            "mobileno",
            "tel",
            "telephone",
            "telephonenumber",
            "telno",
            "cell",
            "cellphone",
            "fax",
            "msisdn",
        ],
    ),
    (
        Category::CnResidentId,
        &[
            "idcard",
            "idcardno",
            "idcardnumber",
            "idnumber",
            "residentid",
            "citizenid",
            "sfz",
            "sfzh",
        ],
    ),
    (
        Category::PaymentCard,
        &[
            "card",
            "cardnumber",
            "cardno",
            "pan",
            "ccnumber",
            "creditcard",
            "creditcardnumber",
        ],
    ),
    (Category::Iban, &["iban", "ibannumber", "bankaccountiban"]),
];

/// The context that detectors receive with a segment.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context<'k> {
    /// The JSON object key, form key, header name or cookie name the value
    /// was sent under.
    #[expect(dead_code, reason = "no detector of this version reads the raw key")]
    pub key: Option<&'k [u8]>,
    /// The category whose known field names include `key`.
    pub key_category: Option<Category>,
    /// Whether to accept every match that some key would allow, as if the
    /// text had been sent under the known key of each category.
    pub every_key: bool,
}

impl<'k> Context<'k> {
    pub(crate) fn for_key(key: Option<&'k [u8]>) -> Self {
        Context {
            key,
            key_category: key.and_then(category_for_key),
            every_key: false,
        }
    }

    /// Returns the context for masking: a mask must hide whatever an
    /// inspection could find in the same text under any key, such as an
    /// unseparated `00`-prefixed phone number in `/lookup?phone=0049…`.
    pub(crate) fn for_masking() -> Self {
        Context {
            every_key: true,
            ..Context::default()
        }
    }

    /// Returns whether the value counts as sent under a known key of
    /// `category`.
    pub(crate) fn is_keyed_as(&self, category: Category) -> bool {
        self.every_key || self.key_category == Some(category)
    }
}

/// Returns the category whose known field names include `key`.
///
/// Only the last part of a qualified key counts (`contact.email`,
/// `cbc:ElectronicMail`), compared case-insensitively without `_`, `-` and
/// spaces.
pub(crate) fn category_for_key(key: &[u8]) -> Option<Category> {
    let last = key
        .rsplit(|&byte| byte == b'.' || byte == b':' || byte == b'/')
        .next()
        .unwrap_or(key);
    if last.len() > MAX_KEY_BYTES {
        return None;
    }
    let mut normalized = [0u8; MAX_KEY_BYTES];
    let mut length = 0;
    for &byte in last {
        if byte.is_ascii_alphanumeric() {
            normalized[length] = byte.to_ascii_lowercase();
            length += 1;
        } else if !matches!(byte, b'_' | b'-' | b' ') {
            return None;
        }
    }
    let normalized = &normalized[..length];
    KNOWN_KEYS
        .iter()
        .find(|(_, names)| names.iter().any(|name| name.as_bytes() == normalized))
        .map(|(category, _)| *category)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_map_to_categories() {
        let cases: [(&str, Option<Category>); 14] = [
            ("email", Some(Category::Email)),
            ("e_mail", Some(Category::Email)),
            ("E-Mail", Some(Category::Email)),
            ("mail", Some(Category::Email)),
            ("email_id", Some(Category::Email)),
            ("cbc:ElectronicMail", Some(Category::Email)),
            ("phone", Some(Category::Phone)),
            ("mobile", Some(Category::Phone)),
            ("tel", Some(Category::Phone)),
            ("contact.telephone", Some(Category::Phone)),
            ("IBAN", Some(Category::Iban)),
            ("emails sent today", None),
            ("name", None),
            ("", None),
        ];
        for (key, expected) in cases {
            assert_eq!(category_for_key(key.as_bytes()), expected, "{key}");
        }
    }
}
