//! Classification of field names (JSON keys, form keys, CSV headers, XML
//! element names, inline labels) into the [`Roles`] they give their values.
//!
//! A key is split into lower-case word tokens at separators, at camelCase
//! humps (`BusinessPartnerFullName` is `business partner full name`), at
//! acronym ends (`IBANNumber` is `iban number`) and between letters and
//! digits (`address1` is `address 1`). Runs of Chinese, Japanese or Korean
//! characters are tokens of their own. The known names of
//! [`super::key_tables`] then match whole tokens at the end of the key, so
//! context never comes from a substring: `public` contains no `lic`, `filename`
//! and `username` are not `name`, `nominal` is not `nom`.

#[cfg(test)]
use super::key_cache::KeyCache;
use super::key_tables::{
    ACCOUNT_QUALIFIERS, ADDRESS_QUALIFIERS, ANY_NAME_QUALIFIERS, CJK_NAMES, CJK_WHOLE_NAMES, NAMES,
    NUMBER_WORDS, PERSON_QUALIFIERS, Qualifier, REFERENCE_PARTY_WORDS, REFERENCE_PERSON_WORDS,
};
use super::roles::Roles;

/// Maximum length of a key that is classified. Longer keys are free text or
/// data (a JSON object keyed by a document), not field names.
pub(crate) const MAX_KEY_BYTES: usize = 64;

/// Maximum tokens kept from one key; a key of 64 bytes rarely has more.
const MAX_TOKENS: usize = 16;

/// Maximum tokens at the end of a key that are joined and looked up, enough
/// for `date of birth` and `national insurance number`.
const MAX_SUFFIX_TOKENS: usize = 4;

/// Bytes for the lower-cased tokens: lower-casing a non-ASCII character can
/// grow it, at most to three times its width for the characters that
/// Unicode 14 lower-cases.
const TOKEN_BUFFER_BYTES: usize = MAX_KEY_BYTES * 3;

/// Returns the roles that `key` gives its value. A plural key without
/// roles of its own (`phones`, `phoneNumbers`, `addresses`) gives those of
/// its singular.
pub(crate) fn classify(key: &[u8]) -> Roles {
    let roles = classify_word(key);
    if roles != Roles::NONE {
        return roles;
    }
    singular(key).map_or(Roles::NONE, |singular| classify_word(&singular))
}

/// Returns `key` with the plural ending of its last word removed: `-ies`
/// becomes `-y`, `-sses` and `-xes` lose `-es`, and another `-s` after a
/// letter is dropped (`-ss` stays). Returns `None` for other keys.
fn singular(key: &[u8]) -> Option<Vec<u8>> {
    let lower = |index: usize| key.get(index).map(u8::to_ascii_lowercase);
    let length = key.len();
    if length < 4 || lower(length - 1)? != b's' {
        return None;
    }
    let before = lower(length - 2)?;
    let mut singular = key.to_vec();
    if before == b'e' && lower(length - 3) == Some(b'i') {
        singular.truncate(length - 3);
        singular.push(if key[length - 1] == b'S' { b'Y' } else { b'y' });
    } else if before == b'e' && matches!(lower(length - 3), Some(b's' | b'x')) {
        singular.truncate(length - 2);
    } else if before.is_ascii_alphabetic() && before != b's' {
        singular.truncate(length - 1);
    } else {
        return None;
    }
    Some(singular)
}

fn classify_word(key: &[u8]) -> Roles {
    if key.is_empty() || key.len() > MAX_KEY_BYTES {
        return Roles::NONE;
    }
    let tokens = Tokens::split(key);
    let mut count = tokens.count;
    while count > 0 && is_number(tokens.get(count - 1)) {
        count -= 1;
    }
    // A number inside a key separates a container from its field
    // (`contacts[0][adresse]`, `items.3.name`): only the field part counts.
    let first = (0..count)
        .rev()
        .find(|&index| is_number(tokens.get(index)))
        .map_or(0, |index| index + 1);
    let mut roles = suffix_roles(&tokens, first, count);
    let ends_with_number_word = NUMBER_WORDS
        .iter()
        .any(|word| count > first && word.as_bytes() == tokens.get(count - 1));
    if ends_with_number_word && count - first >= 2 {
        roles |= suffix_roles(&tokens, first, count - 1);
    }
    roles | cjk_roles(&tokens, first, count)
}

/// Returns the key under which the display name of a reference to a
/// record is judged, for a key such as Odoo's `partner_id` or `user_id`
/// whose value is `[26, "Brandon Freeman"]`. A reference to a user or an
/// employee names a person (`person_name`), and so does Odoo's `uid` of the
/// user who created or wrote a record (`create_uid`). A reference to a
/// partner or a customer names a person or an organisation
/// (`partner_name`). Other references (`product_id`, `company_id`) return
/// `None`.
pub(crate) fn reference_name_key(key: &[u8]) -> Option<&'static [u8]> {
    if key.is_empty() || key.len() > MAX_KEY_BYTES {
        return None;
    }
    let tokens = Tokens::split(key);
    let last = tokens.count.checked_sub(1)?;
    let mut before = (0..last).map(|index| tokens.get(index));
    match tokens.get(last) {
        b"uid" => Some(b"person_name"),
        b"id"
            if before
                .clone()
                .any(|token| contains(REFERENCE_PERSON_WORDS, token)) =>
        {
            Some(b"person_name")
        }
        b"id" if before.any(|token| contains(REFERENCE_PARTY_WORDS, token)) => {
            Some(b"partner_name")
        }
        _ => None,
    }
}

fn is_number(token: &[u8]) -> bool {
    token.iter().all(u8::is_ascii_digit)
}

/// Returns the roles of the known names that end the tokens `first..count`.
fn suffix_roles(tokens: &Tokens, first: usize, count: usize) -> Roles {
    let mut roles = Roles::NONE;
    let mut joined = [0u8; TOKEN_BUFFER_BYTES];
    let mut length = 0;
    for taken in 1..=(count - first).min(MAX_SUFFIX_TOKENS) {
        let index = count - taken;
        if tokens.cjk[index] {
            break;
        }
        // Prepend the next token to the left.
        let token = tokens.get(index);
        if length + token.len() > joined.len() {
            break;
        }
        joined.copy_within(..length, token.len());
        joined[..token.len()].copy_from_slice(token);
        length += token.len();

        let Ok(found) =
            NAMES.binary_search_by(|(name, _, _)| name.as_bytes().cmp(&joined[..length]))
        else {
            continue;
        };
        let (_, found_roles, qualifier) = NAMES[found];
        let previous = (index > first).then(|| tokens.get(index - 1));
        roles |= qualified(found_roles, qualifier, previous);
    }
    roles
}

/// Applies the rule of `qualifier` to the token before a matched name.
fn qualified(roles: Roles, qualifier: Qualifier, previous: Option<&[u8]>) -> Roles {
    let listed = |list: &[&str]| previous.is_some_and(|token| contains(list, token));
    let allowed = match qualifier {
        Qualifier::Any => true,
        Qualifier::Alone => previous.is_none(),
        Qualifier::Address => previous.is_none() || listed(ADDRESS_QUALIFIERS),
        Qualifier::Account => previous.is_none() || listed(ACCOUNT_QUALIFIERS),
        Qualifier::Name => {
            return if listed(PERSON_QUALIFIERS) {
                Roles::PERSON_NAME
            } else if previous.is_none() {
                Roles::ANY_NAME | Roles::GENERIC_NAME
            } else if listed(ANY_NAME_QUALIFIERS) {
                Roles::ANY_NAME
            } else {
                Roles::NONE
            };
        }
    };
    if allowed { roles } else { Roles::NONE }
}

fn contains(list: &[&str], token: &[u8]) -> bool {
    list.iter().any(|entry| entry.as_bytes() == token)
}

/// Tokens before a CJK `地址` that make it a network or e-mail address.
const NON_POSTAL_PREFIXES: &[&str] = &["ip", "mac", "email", "mail", "e", "web", "url"];

/// Returns the roles of the CJK names inside the CJK tokens among
/// `first..count`.
fn cjk_roles(tokens: &Tokens, first: usize, count: usize) -> Roles {
    let mut roles = Roles::NONE;
    for index in (first..count).filter(|&index| tokens.cjk[index]) {
        let token = tokens.get(index);
        for (name, name_roles, cancels) in CJK_NAMES {
            let cancelled = cancels.iter().any(|cancel| find(token, cancel.as_bytes()));
            if find(token, name.as_bytes()) && !cancelled {
                roles |= *name_roles;
            }
        }
        for (name, name_roles) in CJK_WHOLE_NAMES {
            if token == name.as_bytes() {
                roles |= *name_roles;
            }
        }
        let network = index > first && contains(NON_POSTAL_PREFIXES, tokens.get(index - 1));
        if network && roles.contains(Roles::ADDRESS) {
            roles = roles.without(Roles::ADDRESS);
        }
    }
    roles
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The kind of one character of a key, for splitting it into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharKind {
    Separator,
    Upper,
    Lower,
    Digit,
    Cjk,
}

/// The lower-cased tokens of one key.
struct Tokens {
    buffer: [u8; TOKEN_BUFFER_BYTES],
    spans: [(u16, u16); MAX_TOKENS],
    cjk: [bool; MAX_TOKENS],
    count: usize,
}

impl Tokens {
    fn split(key: &[u8]) -> Tokens {
        let mut characters = [(' ', CharKind::Separator); MAX_KEY_BYTES];
        let mut length = 0;
        for character in String::from_utf8_lossy(key).chars() {
            characters[length] = (character, char_kind(character));
            length += 1;
        }
        let mut tokens = Tokens {
            buffer: [0; TOKEN_BUFFER_BYTES],
            spans: [(0, 0); MAX_TOKENS],
            cjk: [false; MAX_TOKENS],
            count: 0,
        };
        let mut start: Option<usize> = None;
        for index in 0..length {
            let kind = characters[index].1;
            if kind == CharKind::Separator {
                if let Some(first) = start.take() {
                    tokens.push(&characters[first..index]);
                }
                continue;
            }
            let Some(first) = start else {
                start = Some(index);
                continue;
            };
            let previous = characters[index - 1].1;
            let acronym_end = previous == CharKind::Upper
                && kind == CharKind::Lower
                && index - first >= 2
                && characters[index - 2].1 == CharKind::Upper;
            if acronym_end {
                tokens.push(&characters[first..index - 1]);
                start = Some(index - 1);
            } else if splits(previous, kind) {
                tokens.push(&characters[first..index]);
                start = Some(index);
            }
        }
        if let Some(first) = start {
            tokens.push(&characters[first..length]);
        }
        tokens
    }

    fn push(&mut self, characters: &[(char, CharKind)]) {
        if self.count == MAX_TOKENS {
            return;
        }
        let start = self.spans[..self.count].last().map_or(0, |span| span.1) as usize;
        let mut end = start;
        for &(character, _) in characters {
            for lower in character.to_lowercase() {
                let width = lower.len_utf8();
                if end + width > self.buffer.len() {
                    return;
                }
                lower.encode_utf8(&mut self.buffer[end..end + width]);
                end += width;
            }
        }
        self.spans[self.count] = (start as u16, end as u16);
        self.cjk[self.count] = characters[0].1 == CharKind::Cjk;
        self.count += 1;
    }

    fn get(&self, index: usize) -> &[u8] {
        let (start, end) = self.spans[index];
        &self.buffer[start as usize..end as usize]
    }
}

fn splits(previous: CharKind, kind: CharKind) -> bool {
    match (previous, kind) {
        (CharKind::Lower, CharKind::Upper) => true,
        (CharKind::Digit, CharKind::Digit) | (CharKind::Cjk, CharKind::Cjk) => false,
        (CharKind::Digit | CharKind::Cjk, _) | (_, CharKind::Digit | CharKind::Cjk) => true,
        _ => false,
    }
}

fn char_kind(character: char) -> CharKind {
    if character.is_ascii_uppercase() {
        CharKind::Upper
    } else if character.is_ascii_lowercase() {
        CharKind::Lower
    } else if character.is_ascii_digit() {
        CharKind::Digit
    } else if character.is_ascii() || !character.is_alphanumeric() {
        CharKind::Separator
    } else if is_cjk(character) {
        CharKind::Cjk
    } else if character.is_uppercase() {
        CharKind::Upper
    } else {
        CharKind::Lower
    }
}

/// Returns whether `character` is a Han ideograph, kana or Hangul.
pub(crate) fn is_cjk(character: char) -> bool {
    matches!(
        u32::from(character),
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
            | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF
    )
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
