//! The context of a segment: the roles its key gives it, today's date, and
//! inline labels such as `DOB: 1990-01-31` inside free text.

use chrono::NaiveDate;

use super::keys::{MAX_KEY_BYTES, classify};
use super::roles::Roles;

/// Maximum bytes between a label and its value: `": "`, `" = "`, `"# "`.
const MAX_LABEL_GAP: usize = 4;

/// The colon of Chinese and Japanese text.
const FULL_WIDTH_COLON: &str = "\u{ff1a}";

/// The context that detectors receive with a segment.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context {
    /// The roles of the key the value was sent under.
    pub roles: Roles,
    /// Today's date, for ages and for rejecting birth dates in the future.
    pub today: Option<NaiveDate>,
    /// Whether a label written just before a value in the same text (`Tel:
    /// 030 1234567`, `出生日期：1990年1月31日`) gives it context.
    pub labels: bool,
}

impl Context {
    /// Returns the context of a value sent under a key with `roles`.
    ///
    /// Labels count only in values whose key gives no role, such as free
    /// text, `notes` or a line of a text body. A key that names the field's
    /// content decides it, and skipping the label lookup keeps the scan of
    /// structured records fast.
    pub(crate) fn new(roles: Roles, today: Option<NaiveDate>) -> Self {
        Context {
            roles,
            today,
            labels: roles == Roles::NONE,
        }
    }

    /// Returns the context for masking free text (paths, reasons, host
    /// names), which has no key. Besides inline labels, it accepts the
    /// key-only forms that are distinctive enough to mask wherever they
    /// appear: bare national phone numbers, unseparated social security
    /// numbers and 15-digit Chinese ID numbers. Passport and account numbers
    /// are masked only behind a label, because their shape alone (six to
    /// nine characters, any run of digits) would hide every order number.
    pub(crate) fn for_masking() -> Self {
        Context {
            roles: Roles::PHONE | Roles::CN_ID | Roles::SSN,
            today: None,
            labels: true,
        }
    }

    /// Returns whether a candidate that starts at `start` in `text` has the
    /// context `role`, from its key or from a label just before it.
    pub(crate) fn allows(&self, role: Roles, text: &[u8], start: usize) -> bool {
        self.roles.contains(role) || (self.labels && label_roles(text, start).contains(role))
    }

    /// Returns whether a label just before `start` gives `role`, whatever
    /// the roles of the key.
    pub(crate) fn labelled(&self, role: Roles, text: &[u8], start: usize) -> bool {
        self.labels && label_roles(text, start).contains(role)
    }

    /// Returns false when [`Context::allows`] is certain to: the key lacks
    /// `role` and no label can end just before `start`. It costs a byte
    /// compare, so a validator can call it before parsing its candidate.
    #[inline]
    pub(crate) fn may_allow(&self, role: Roles, text: &[u8], start: usize) -> bool {
        self.roles.contains(role) || (self.labels && may_end_label(text, start))
    }
}

/// Returns whether a label may end just before `start`: a label is set off
/// from its value by a space, `:`, `=`, `#` or a full-width colon, as
/// [`label_roles`] requires.
#[inline]
fn may_end_label(text: &[u8], start: usize) -> bool {
    let colon = FULL_WIDTH_COLON.as_bytes();
    match start.checked_sub(1).map(|before| text[before]) {
        Some(b' ' | b':' | b'=' | b'#') => true,
        // The last byte of the colon is compared first.
        Some(byte) if byte == colon[colon.len() - 1] => text[..start].ends_with(colon),
        _ => false,
    }
}

/// Returns the roles of the label that ends just before `start`: a run of
/// words (letters, digits, spaces, `_`, `-`, `.` and non-ASCII characters)
/// followed by at most [`MAX_LABEL_GAP`] bytes of spaces, `:`, `=` or `#`.
/// The label is classified like a key, so its last words must name the
/// role: `Customer phone: …` is a phone, `Please call …` is not.
pub(crate) fn label_roles(text: &[u8], start: usize) -> Roles {
    let mut end = start;
    while end > 0
        && start - end < MAX_LABEL_GAP
        && matches!(text[end - 1], b' ' | b':' | b'=' | b'#')
    {
        end -= 1;
    }
    // A full-width colon, in case the text was not normalised.
    if let Some(before) = text[..end].strip_suffix(FULL_WIDTH_COLON.as_bytes()) {
        end = before.len();
    }
    // A label is set off from its value; a word that touches the value
    // (`jane.5100005@…`) is part of the same token.
    if end == start {
        return Roles::NONE;
    }
    // A label ends with a word (`Tel`, `No.`, `出生日期`), never with a digit
    // or a dash: what precedes a value inside a date, a code or a list is
    // no label, and rejecting it here spares classifying it.
    let ends_with_word = end > 0 && {
        let last = text[end - 1];
        last.is_ascii_alphabetic()
            || last >= 0x80
            || (last == b'.' && end > 1 && text[end - 2].is_ascii_alphabetic())
    };
    if !ends_with_word {
        return Roles::NONE;
    }
    let mut begin = end;
    while begin > 0 && end - begin < MAX_KEY_BYTES && is_label_byte(text[begin - 1]) {
        begin -= 1;
    }
    // A label cut at the length limit starts at a character boundary.
    while begin < end && text[begin] & 0xC0 == 0x80 {
        begin += 1;
    }
    if begin == end {
        return Roles::NONE;
    }
    classify(&text[begin..end])
}

fn is_label_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b' ' | b'_' | b'-' | b'.') || byte >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str) -> Roles {
        label_roles(text.as_bytes(), text.len())
    }

    #[test]
    fn labels_before_values_give_roles() {
        let cases = [
            ("Tel: ", Roles::PHONE),
            ("phone ", Roles::PHONE),
            ("Customer phone = ", Roles::PHONE),
            ("DOB: ", Roles::DATE_OF_BIRTH),
            ("Date of birth ", Roles::DATE_OF_BIRTH),
            ("出生日期:", Roles::DATE_OF_BIRTH),
            ("name=Jane, SSN: ", Roles::SSN),
            ("Passport No. ", Roles::PASSPORT),
            ("Please call ", Roles::NONE),
            ("public ", Roles::NONE),
            ("", Roles::NONE),
            ("id;", Roles::NONE),
            ("SO-2024-", Roles::NONE),
            ("2024-", Roles::NONE),
            ("jane.", Roles::NONE),
        ];
        for (text, expected) in cases {
            assert_eq!(label(text), expected, "{text:?}");
        }
    }

    #[test]
    fn may_allow_holds_wherever_allows_holds() {
        let texts = [
            "Tel: 4152568563",
            "phone 4152568563",
            "电话：4152568563",
            "DOB=1990",
        ];
        let context = Context::new(Roles::NONE, None);
        for text in texts {
            for start in 0..=text.len() {
                for role in [Roles::PHONE, Roles::DATE_OF_BIRTH] {
                    if context.allows(role, text.as_bytes(), start) {
                        assert!(
                            context.may_allow(role, text.as_bytes(), start),
                            "{text} {start}"
                        );
                    }
                }
            }
        }
        assert!(!context.may_allow(Roles::PHONE, b"SO-2024", 3));
        assert!(!context.may_allow(Roles::PHONE, b"4152568563", 0));
        assert!(Context::new(Roles::PHONE, None).may_allow(Roles::PHONE, b"4152568563", 0));
    }

    #[test]
    fn key_roles_and_labels_both_allow() {
        let keyed = Context::new(Roles::PHONE, None);
        assert!(keyed.allows(Roles::PHONE, b"4152568563", 0));
        let other_key = Context::new(Roles::ADDRESS, None);
        assert!(!other_key.allows(Roles::PHONE, b"tel 4152568563", 4));
        let unkeyed = Context::new(Roles::NONE, None);
        assert!(!unkeyed.allows(Roles::PHONE, b"4152568563", 0));
        assert!(unkeyed.allows(Roles::PHONE, b"tel 4152568563", 4));
        let no_labels = Context {
            labels: false,
            ..Context::default()
        };
        assert!(!no_labels.allows(Roles::PHONE, b"tel 4152568563", 4));
    }
}
