//! E-mail addresses.
//!
//! Every `@` is a candidate. The local part is read backwards from it and the
//! domain forwards, each as far as its characters go. The pair counts only
//! when the domain is a host name with a real top-level domain, so
//! `pkg@1.2.3` (numeric TLD) and `git@host` (no dot) are rejected.
//!
//! The local part accepts the characters that real mailboxes use (letters,
//! digits, `.`, `_`, `%`, `+`, `-`) and non-ASCII letters in UTF-8, so
//! internationalised addresses such as `даниил@example.com` are found. Rarer
//! RFC 5322 characters (`'`, `/`, `=`, `?`, …) are left out because they
//! usually delimit an address in URLs and query strings rather than belong
//! to it. Chinese, Japanese and Korean characters before an ASCII local part
//! are a boundary, because text in those scripts puts no space before an
//! address; a local part made only of such characters is accepted.
//!
//! Two kinds of text look like addresses but name no mailbox. A MIME
//! message identifier after `cid:` or `mid:` (RFC 2392), or in the `start`
//! parameter of `multipart/related` (RFC 2387), is not a match. In an
//! EDIFACT segment (`COM+jane@example.com:EM'`), the segment tag and every
//! element before the last unreleased `+` are left out of the local part,
//! because EDIFACT writes a `+` in data as `?+`.

use super::scan::push_lowercase;
use crate::words::{find_byte, vector_in_range};
use wide::u8x16;

/// Maximum length of the local part in characters (RFC 5321 §4.5.3.1.1).
const MAX_LOCAL_CHARS: usize = 64;

/// Maximum bytes read backwards for the local part: 64 characters of at most
/// 4 UTF-8 bytes each. A longer run is not a local part.
const MAX_LOCAL_BYTES: usize = MAX_LOCAL_CHARS * 4;

/// Maximum length of a domain name (RFC 1035 §2.3.4, without the root dot).
const MAX_DOMAIN_BYTES: usize = 253;

/// Maximum length of one domain label (RFC 1035 §2.3.4).
const MAX_LABEL_BYTES: usize = 63;

/// Maximum length of a whole address (RFC 5321 path limit of 256 minus the
/// angle brackets).
const MAX_ADDRESS_BYTES: usize = 254;

/// Image file extensions that look like top-level domains in asset names
/// such as `logo@2x.png`. None of them is a delegated TLD.
const FILE_EXTENSIONS: [&str; 10] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff",
];

/// Writes the canonical form of an address for counting subjects: lower
/// case, since mailbox providers ignore case in practice.
pub(crate) fn normalize(value: &[u8], out: &mut Vec<u8>) {
    push_lowercase(value, out);
}

/// Local parts of role mailboxes, which a team or a business reads, in
/// lower case.
const ROLE_LOCAL_PARTS: &[&str] = &[
    "accounting",
    "accounts",
    "bestellung",
    "billing",
    "buchhaltung",
    "contact",
    "einkauf",
    "info",
    "invoice",
    "invoices",
    "kontakt",
    "no-reply",
    "noreply",
    "office",
    "order",
    "orders",
    "rechnung",
    "rechnungen",
    "sales",
    "service",
    "support",
    "vertrieb",
];

/// Returns whether the address `value` is a role mailbox such as
/// `info@example.com` or `Rechnungen@lieferant.de`, which names a function
/// of a business rather than a person.
///
/// It runs for every address found, so it first looks up a hash of the
/// first four bytes, folded to lower case, in a table of those of the
/// roles. Few other addresses pass that test.
#[inline(always)]
pub(crate) fn is_role_mailbox(value: &[u8]) -> bool {
    let Some(&head) = value.first_chunk::<4>() else {
        return false;
    };
    let slot = role_head_slot(u32::from_le_bytes(head));
    let may_match = ROLE_HEAD_SLOTS[slot / 64] & (1 << (slot % 64)) != 0;
    may_match && has_role_local_part(value)
}

/// Bits of the slot of [`role_head_slot`].
const ROLE_SLOT_BITS: u32 = 10;

/// Returns the slot in [`ROLE_HEAD_SLOTS`] of the first four bytes of an
/// address, read little-endian, with the ASCII lower-case bit set in each.
const fn role_head_slot(head: u32) -> usize {
    ((head | 0x2020_2020).wrapping_mul(0x9E37_79B1) >> (u32::BITS - ROLE_SLOT_BITS)) as usize
}

/// A bit for each slot that the first four bytes of a local part in
/// [`ROLE_LOCAL_PARTS`] take.
const ROLE_HEAD_SLOTS: [u64; 1 << (ROLE_SLOT_BITS - 6)] = role_head_slots();

const fn role_head_slots() -> [u64; 1 << (ROLE_SLOT_BITS - 6)] {
    let mut slots = [0u64; 1 << (ROLE_SLOT_BITS - 6)];
    let mut index = 0;
    while index < ROLE_LOCAL_PARTS.len() {
        let role = ROLE_LOCAL_PARTS[index].as_bytes();
        let slot = role_head_slot(u32::from_le_bytes([role[0], role[1], role[2], role[3]]));
        slots[slot / 64] |= 1 << (slot % 64);
        index += 1;
    }
    slots
}

/// Returns whether `value` starts with one of [`ROLE_LOCAL_PARTS`], in any
/// case, followed by its `@`.
#[cold]
#[inline(never)]
fn has_role_local_part(value: &[u8]) -> bool {
    ROLE_LOCAL_PARTS.iter().any(|role| {
        let length = role.len();
        value.get(length) == Some(&b'@') && role.as_bytes().eq_ignore_ascii_case(&value[..length])
    })
}

/// Returns the span of the address around the `@` at `at`, if valid.
pub(crate) fn match_at(text: &[u8], at: usize) -> Option<(usize, usize)> {
    let start = local_part_start(text, at)?;
    if is_message_id(&text[..start]) {
        return None;
    }
    let end = domain_end(text, at + 1)?;
    (end - start <= MAX_ADDRESS_BYTES).then_some((start, end))
}

/// Prefixes after which an address-like token is a MIME message or part
/// identifier: `cid:` and `mid:` URLs (RFC 2392) and the `start` parameter
/// of `multipart/related` (RFC 2387), quoted or not.
const MESSAGE_ID_PREFIXES: [&[u8]; 4] = [b"cid:", b"mid:", b"start=\"<", b"start=<"];

/// Returns whether the text `before` a local part ends with one of
/// [`MESSAGE_ID_PREFIXES`] that starts a word.
fn is_message_id(before: &[u8]) -> bool {
    MESSAGE_ID_PREFIXES.iter().any(|prefix| {
        before.len() >= prefix.len()
            && before[before.len() - prefix.len()..].eq_ignore_ascii_case(prefix)
            && !before[..before.len() - prefix.len()]
                .last()
                .is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// Returns the offset in `local` after its last unreleased `+` when
/// `local` begins with an EDIFACT segment tag (three capital letters and
/// `+`) at the start of a segment. `local` starts at `start` in `text`, and
/// a segment starts at the start of the text, after the segment terminator
/// `'` or after a line break.
fn after_edifact_elements(text: &[u8], start: usize, local: &[u8]) -> Option<usize> {
    let segment_start = start == 0 || matches!(text[start - 1], b'\'' | b'\n' | b'\r');
    if !(segment_start && starts_with_segment_tag(local)) {
        return None;
    }
    // `?` is no local-part byte, so a released `?+` ends the local part
    // before it is read here, and every `+` in `local` separates elements.
    memchr::memrchr(b'+', local).map(|plus| plus + 1)
}

/// Returns whether `local` starts with an EDIFACT segment tag and its
/// element separator, such as `COM+`.
fn starts_with_segment_tag(local: &[u8]) -> bool {
    matches!(local, [a, b, c, b'+', ..] if [a, b, c].iter().all(|byte| byte.is_ascii_uppercase()))
}

/// Returns whether ASCII `text`, whose only `@` is at `at`, is one address
/// from its first byte to its last, as [`match_at`] would find it. Returns
/// `None` for text with a byte outside ASCII, which the general reading of
/// other scripts judges.
///
/// A column of addresses contains little else, and reading such a value
/// forwards, with the rules that apply to ASCII alone, costs less than the
/// general reading. Under those rules an ASCII address spans the whole text
/// when its local part is 1 to [`MAX_LOCAL_CHARS`] local bytes without a dot
/// at either end or two dots in a row. Its domain must be a host name of
/// domain bytes, which cannot end with a dot.
pub(crate) fn whole_ascii_address(text: &[u8], at: usize) -> Option<bool> {
    let (local, domain) = (&text[..at], &text[at + 1..]);
    if !has_address_bytes(text, at) {
        return text.is_ascii().then_some(false);
    }
    let whole = (1..=MAX_LOCAL_CHARS).contains(&local.len())
        && text.len() <= MAX_ADDRESS_BYTES
        && local[0] != b'.'
        && local[local.len() - 1] != b'.'
        && !has_double_dot(local)
        && !starts_with_segment_tag(local)
        && is_host_name(domain);
    Some(whole)
}

/// Lengths of text that [`has_address_bytes`] tests in vectors: at least
/// one vector, and at most one bit per byte of a `u64`.
const VECTOR_TEST_BYTES: std::ops::RangeInclusive<usize> = 16..=64;

/// Returns whether every byte of `text` before `at` may be part of a local
/// part and every byte after it part of a domain, by the rules of
/// [`EMAIL_BYTES`]. Text of [`VECTOR_TEST_BYTES`] is tested sixteen bytes
/// per step, in fewer instructions than a table lookup per byte takes.
fn has_address_bytes(text: &[u8], at: usize) -> bool {
    if !VECTOR_TEST_BYTES.contains(&text.len()) {
        let (local, domain) = (&text[..at], &text[at + 1..]);
        return local
            .iter()
            .all(|&byte| EMAIL_BYTES[usize::from(byte)] & LOCAL != 0)
            && domain
                .iter()
                .all(|&byte| EMAIL_BYTES[usize::from(byte)] & DOMAIN != 0);
    }
    AddressBits::of(text).has_address_bytes(at)
}

/// The bytes of a text of [`VECTOR_TEST_BYTES`] in each class that the
/// reading of a whole address tests, one bit per byte at its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AddressBits {
    /// One bit for every byte of the text.
    all: u64,
    /// Bytes that [`is_local_ascii`] accepts.
    local: u64,
    /// Bytes that [`is_domain_byte`] accepts.
    domain: u64,
    /// ASCII letters in either case.
    letter: u64,
    dot: u64,
    hyphen: u64,
    /// Bytes outside ASCII.
    non_ascii: u64,
}

impl AddressBits {
    /// Classifies the bytes of `text`, whose length must be in
    /// [`VECTOR_TEST_BYTES`], sixteen per step.
    fn of(text: &[u8]) -> AddressBits {
        let length = text.len();
        debug_assert!(VECTOR_TEST_BYTES.contains(&length));
        let splat = u8x16::splat;
        let classes_at = |offset: usize| {
            let bytes = u8x16::new(text[offset..offset + 16].try_into().unwrap_or_default());
            // Setting bit 5 lowers an upper-case letter and moves no other
            // byte into `a..=z`.
            let letter = vector_in_range(bytes | splat(0x20), b'a', b'z');
            let alphanumeric = letter | vector_in_range(bytes, b'0', b'9');
            let dot = bytes.simd_eq(splat(b'.'));
            let hyphen = bytes.simd_eq(splat(b'-'));
            let domain = alphanumeric | dot | hyphen;
            let local = domain
                | bytes.simd_eq(splat(b'_'))
                | bytes.simd_eq(splat(b'%'))
                | bytes.simd_eq(splat(b'+'));
            let bits = |vector: u8x16| u64::from(vector.to_bitmask()) << offset;
            AddressBits {
                all: 0,
                local: bits(local),
                domain: bits(domain),
                letter: bits(letter),
                dot: bits(dot),
                hyphen: bits(hyphen),
                // The top bit of each byte is set outside ASCII.
                non_ascii: bits(bytes),
            }
        };
        // The last step reads the last sixteen bytes, which may overlap the
        // step before. A byte read twice gets the same bits.
        let mut found = classes_at(length - 16);
        let mut offset = 0;
        while offset + 16 < length {
            let step = classes_at(offset);
            found.local |= step.local;
            found.domain |= step.domain;
            found.letter |= step.letter;
            found.dot |= step.dot;
            found.hyphen |= step.hyphen;
            found.non_ascii |= step.non_ascii;
            offset += 16;
        }
        found.all = u64::MAX >> (64 - length);
        found
    }

    /// Returns the bits of the bytes after offset `at` up to the end.
    fn after(&self, at: usize) -> u64 {
        // For `at` 63, `2 << at` is zero and subtracting one sets every
        // bit, so no bit remains after it.
        self.all & !((2u64 << at).wrapping_sub(1))
    }

    /// Returns whether every byte before `at` may be part of a local part
    /// and every byte after it part of a domain.
    fn has_address_bytes(&self, at: usize) -> bool {
        let before_at = (1u64 << at) - 1;
        let after_at = self.after(at);
        self.local & before_at == before_at && self.domain & after_at == after_at
    }
}

/// The verdict of [`whole_address_by_bits`] on a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WholeAddress {
    /// The whole text is one address.
    Address,
    /// The text is not one address from its first byte to its last.
    NotAddress,
    /// The text has bytes outside ASCII or a top-level domain of other
    /// bytes than letters, which the general reading judges.
    Undecided,
}

/// Judges whether the whole of `text`, whose only `@` is at `at`, is one
/// e-mail address, as [`whole_ascii_address`] would, for text of
/// [`VECTOR_TEST_BYTES`]. Returns `None` for text of other lengths.
///
/// The byte classes of the text, taken once sixteen bytes per step, decide
/// the tests of the local part and of the host name in
/// a few word operations each, where the general reading walks the bytes
/// once per test. A text of at most 64 bytes has a domain under
/// [`MAX_DOMAIN_BYTES`] and labels under [`MAX_LABEL_BYTES`], and a local
/// part under [`MAX_LOCAL_CHARS`], so those limits need no test here.
pub(crate) fn whole_address_by_bits(text: &[u8], at: usize) -> Option<WholeAddress> {
    if !VECTOR_TEST_BYTES.contains(&text.len()) {
        return None;
    }
    let bits = AddressBits::of(text);
    if !bits.has_address_bytes(at) {
        let verdict = match bits.non_ascii {
            0 => WholeAddress::NotAddress,
            _ => WholeAddress::Undecided,
        };
        return Some(verdict);
    }
    // Every byte is now ASCII, a local-part byte, the `@` or a domain byte.
    let before_at = (1u64 << at) - 1;
    let after_at = bits.after(at);
    let dot = bits.dot;
    let local_valid = at > 0
        && dot & 1 == 0
        && dot & (1 << (at - 1)) == 0
        && dot & (dot >> 1) & before_at == 0
        && !starts_with_segment_tag(&text[..at]);
    if !local_valid {
        return Some(WholeAddress::NotAddress);
    }

    // The host name: the last dot of the domain starts its top-level
    // domain of at least two letters.
    let domain_dots = dot & after_at;
    if domain_dots == 0 {
        return Some(WholeAddress::NotAddress);
    }
    let last_dot = (u64::BITS - 1 - domain_dots.leading_zeros()) as usize;
    if text.len() - last_dot - 1 < 2 {
        return Some(WholeAddress::NotAddress);
    }
    let top_level = bits.after(last_dot);
    if bits.letter & top_level != top_level {
        return Some(WholeAddress::Undecided);
    }
    // Each label before the top-level domain is not empty and neither
    // starts nor ends with `-`. A top-level domain of letters contains
    // no `-`, so the tests may span the whole domain.
    let first = 1u64 << (at + 1);
    let hyphen = bits.hyphen & after_at;
    let labels_valid = (dot | bits.hyphen) & first == 0
        && domain_dots & (domain_dots >> 1) == 0
        && hyphen & (domain_dots << 1) == 0
        && hyphen & (domain_dots >> 1) == 0;
    let whole = labels_valid && !is_file_extension(&text[last_dot + 1..]);
    Some(match whole {
        true => WholeAddress::Address,
        false => WholeAddress::NotAddress,
    })
}

/// Class bits of [`EMAIL_BYTES`].
const LOCAL: u8 = 1;
const DOMAIN: u8 = 2;

/// Whether each byte value may be part of a local part ([`is_local_ascii`])
/// or of a domain ([`is_domain_byte`]), so that the loops over addresses
/// test a byte with one lookup.
const EMAIL_BYTES: [u8; 256] = byte_classes!(|byte| {
    let local = if is_local_ascii(byte) { LOCAL } else { 0 };
    let domain = if is_domain_byte(byte) { DOMAIN } else { 0 };
    local | domain
});

/// Returns the start of a valid local part that ends at `at`.
fn local_part_start(text: &[u8], at: usize) -> Option<usize> {
    // ASCII local parts, nearly all of them, are read by table lookups. The
    // general loop below takes over at the first other byte, and at the
    // length limit it returns `None` as it would have.
    let floor = at.saturating_sub(MAX_LOCAL_BYTES + 1);
    let ascii_length = text[floor..at]
        .iter()
        .rev()
        .position(|&byte| EMAIL_BYTES[usize::from(byte)] & LOCAL == 0)
        .unwrap_or(at - floor);
    let mut start = at - ascii_length;
    let ascii_start = start;
    while start > 0 {
        if at - start > MAX_LOCAL_BYTES {
            return None;
        }
        let byte = text[start - 1];
        if byte.is_ascii() {
            if !is_local_ascii(byte) {
                break;
            }
            start -= 1;
            continue;
        }
        match char_ending_at(text, start) {
            Some((character, width)) if is_local_letter(character) => start -= width,
            _ => break,
        }
    }
    if start == at {
        start = cjk_local_part_start(text, at)?;
    }
    if let Some(skipped) = after_edifact_elements(text, start, &text[start..at]) {
        start += skipped;
    }
    // Dots before the address are punctuation ("see…jane@example.com").
    while start < at && text[start] == b'.' {
        start += 1;
    }
    let local = &text[start..at];
    // A local part that the table loop read whole is ASCII, one character
    // per byte.
    let characters = if start >= ascii_start {
        local.len()
    } else {
        char_count(local)
    };
    let valid = !local.is_empty()
        && local.last() != Some(&b'.')
        && !has_double_dot(local)
        && characters <= MAX_LOCAL_CHARS
        && !(start > 0 && text[start - 1] == b'@');
    valid.then_some(start)
}

/// Returns the start of a local part made only of Chinese, Japanese or
/// Korean characters (`丁桂英@foxmail.com`, valid under RFC 6531), which must
/// not follow an ASCII letter or digit.
///
/// NOTE: such a local part cannot be told from the CJK text before it, so in
/// prose (`请联系丁桂英@foxmail.com`) the match starts too early. The address
/// is still found and masked as a whole.
fn cjk_local_part_start(text: &[u8], at: usize) -> Option<usize> {
    let mut start = at;
    while start > 0 && at - start < MAX_LOCAL_BYTES {
        match char_ending_at(text, start) {
            Some((character, width)) if is_cjk(character) && !is_full_width_form(character) => {
                start -= width;
            }
            _ => break,
        }
    }
    let bounded = start == 0 || !text[start - 1].is_ascii_alphanumeric();
    (start < at && bounded).then_some(start)
}

/// Returns whether `character` is CJK punctuation or a full-width form,
/// which ends a CJK local part. The iteration and closing marks `々`, `〆`,
/// `〇` and `〻` are written inside names (`佐々木`), so they do not.
fn is_full_width_form(character: char) -> bool {
    matches!(
        u32::from(character),
        0x3000..=0x3004 | 0x3008..=0x303A | 0x303C..=0x303F | 0xFF00..=0xFFEF
    )
}

/// Returns the end of a valid domain that starts at `from`.
fn domain_end(text: &[u8], from: usize) -> Option<usize> {
    // A domain read this far is too long, even without a final dot.
    let too_long = MAX_DOMAIN_BYTES + 2;
    let mut end = from;
    loop {
        // ASCII runs, nearly every domain, are read by table lookups, never
        // further than the length that rejects the domain.
        let run = &text[end..text.len().min(from + too_long)];
        end += run
            .iter()
            .position(|&byte| EMAIL_BYTES[usize::from(byte)] & DOMAIN == 0)
            .unwrap_or(run.len());
        if end - from >= too_long {
            return None;
        }
        // An internationalised label (`exämple.de`), as users type it.
        let letter = text
            .get(end)
            .filter(|byte| !byte.is_ascii())
            .and_then(|_| char_starting_at(text, end))
            .filter(|&character| is_local_letter(character));
        match letter {
            Some(character) => end += character.len_utf8(),
            None => break,
        }
        if end - from >= too_long {
            return None;
        }
    }
    // A dot after the domain ends the sentence, it is not part of the name.
    while end > from && text[end - 1] == b'.' {
        end -= 1;
    }
    if !is_host_name(&text[from..end]) || extends_address(text, end) {
        return None;
    }
    Some(end)
}

/// Returns whether `domain` is at least two valid labels ending in a
/// top-level domain of two or more letters.
fn is_host_name(domain: &[u8]) -> bool {
    if domain.len() > MAX_DOMAIN_BYTES {
        return false;
    }
    let Some(last_dot) = domain.iter().rposition(|&byte| byte == b'.') else {
        return false;
    };
    let top_level = &domain[last_dot + 1..];
    (2..=MAX_LABEL_BYTES).contains(&top_level.len())
        && (top_level.iter().all(u8::is_ascii_alphabetic) || is_international_top_level(top_level))
        && !is_file_extension(top_level)
        && domain[..last_dot].split(|&byte| byte == b'.').all(is_label)
}

/// Returns whether `label` is an internationalised top-level domain: in
/// its ASCII form, `xn--` and letters, digits or hyphens (`xn--p1ai`), or
/// as users type it, letters outside ASCII only (`рф`).
#[cold]
fn is_international_top_level(label: &[u8]) -> bool {
    if let Some(encoded) = label
        .get(..4)
        .filter(|prefix| prefix.eq_ignore_ascii_case(b"xn--"))
        .map(|_| &label[4..])
    {
        return !encoded.is_empty()
            && encoded.last() != Some(&b'-')
            && encoded
                .iter()
                .all(|&byte| byte.is_ascii_alphanumeric() || byte == b'-');
    }
    std::str::from_utf8(label).is_ok_and(|text| {
        text.chars()
            .all(|character| !character.is_ascii() && character.is_alphabetic())
    })
}

/// Returns whether `bytes` contains two dots in a row, which no local part
/// may. Local parts have a dot or two, so the search jumps from dot to dot.
fn has_double_dot(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(dot) = find_byte(rest, b'.') {
        if rest.get(dot + 1) == Some(&b'.') {
            return true;
        }
        rest = &rest[dot + 1..];
    }
    false
}

const _: () = {
    let mut index = 0;
    while index < FILE_EXTENSIONS.len() {
        assert!(matches!(FILE_EXTENSIONS[index].len(), 3 | 4));
        index += 1;
    }
};

/// Returns whether `top_level` is one of [`FILE_EXTENSIONS`] in any case.
#[inline]
fn is_file_extension(top_level: &[u8]) -> bool {
    // Every extension has three or four letters, which the check at compile
    // time above enforces.
    let word = match *top_level {
        [a, b, c] => u32::from_le_bytes([a, b, c, 0]) | 0x0020_2020,
        [a, b, c, d] => u32::from_le_bytes([a, b, c, d]) | 0x2020_2020,
        _ => return false,
    };
    // Most top-level domains start with a letter that starts no extension.
    FILE_EXTENSION_HEADS & (1 << (word & 63)) != 0 && FILE_EXTENSION_WORDS.contains(&word)
}

/// One bit for the low six bits of the first byte of each of
/// [`FILE_EXTENSIONS`]. Other bytes may share those bits, so a set bit only
/// means that the words must be compared.
const FILE_EXTENSION_HEADS: u64 = {
    let mut heads = 0;
    let mut index = 0;
    while index < FILE_EXTENSIONS.len() {
        heads |= 1 << (FILE_EXTENSIONS[index].as_bytes()[0] & 63);
        index += 1;
    }
    heads
};

/// [`FILE_EXTENSIONS`], each as the little-endian word of its bytes with
/// zero after a three-letter one. Setting bit 5 of a byte turns an
/// upper-case letter into its lower-case form and no other byte into a
/// lower-case letter. So a top-level domain with bit 5 set in each byte is
/// one of these words exactly when it is that extension in any case. A
/// zero byte sets a three-letter word apart from a four-letter one.
const FILE_EXTENSION_WORDS: [u32; FILE_EXTENSIONS.len()] = {
    let mut words = [0; FILE_EXTENSIONS.len()];
    let mut index = 0;
    while index < FILE_EXTENSIONS.len() {
        let bytes = FILE_EXTENSIONS[index].as_bytes();
        let mut word = [0u8; 4];
        let mut position = 0;
        while position < bytes.len() {
            word[position] = bytes[position];
            position += 1;
        }
        words[index] = u32::from_le_bytes(word);
        index += 1;
    }
    words
};

fn is_label(label: &[u8]) -> bool {
    !label.is_empty()
        && label.len() <= MAX_LABEL_BYTES
        && label[0] != b'-'
        && label[label.len() - 1] != b'-'
}

/// Returns whether the character at `end` would continue the address, so
/// that what was read is only part of a longer token.
fn extends_address(text: &[u8], end: usize) -> bool {
    match text.get(end) {
        None => false,
        Some(b'_' | b'@') => true,
        Some(byte) if byte.is_ascii() => false,
        Some(_) => char_starting_at(text, end).is_some_and(is_local_letter),
    }
}

const fn is_local_ascii(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'%' | b'+' | b'-')
}

const fn is_domain_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-')
}

/// Returns whether a non-ASCII character may be part of a local part: a
/// letter or digit outside the Chinese, Japanese and Korean blocks.
fn is_local_letter(character: char) -> bool {
    character.is_alphanumeric() && !is_cjk(character)
}

fn is_cjk(character: char) -> bool {
    matches!(
        u32::from(character),
        0x1100..=0x11FF       // Hangul Jamo
            | 0x2E80..=0x9FFF // CJK radicals, punctuation, kana, ideographs
            | 0xAC00..=0xD7AF // Hangul syllables
            | 0xF900..=0xFAFF // CJK compatibility ideographs
            | 0xFF00..=0xFFEF // full-width and half-width forms
            | 0x20000..=0x3FFFF // CJK extensions B and later
    )
}

/// Decodes the UTF-8 character that ends just before `end`.
fn char_ending_at(text: &[u8], end: usize) -> Option<(char, usize)> {
    let earliest = end.saturating_sub(4);
    let start = (earliest..end)
        .rev()
        .find(|&index| !is_continuation(text[index]))?;
    let character = std::str::from_utf8(&text[start..end])
        .ok()?
        .chars()
        .next()?;
    (character.len_utf8() == end - start).then_some((character, end - start))
}

/// Decodes the UTF-8 character that starts at `start`.
fn char_starting_at(text: &[u8], start: usize) -> Option<char> {
    let end = (start + 4).min(text.len());
    let prefix = &text[start..end];
    let valid = match std::str::from_utf8(prefix) {
        Ok(valid) => valid,
        Err(error) => std::str::from_utf8(&prefix[..error.valid_up_to()]).ok()?,
    };
    valid.chars().next()
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| !is_continuation(byte)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_mailboxes_are_recognised() {
        for (address, expected) in [
            ("info@example.com", true),
            ("Rechnungen@lieferant1.de", true),
            ("buchhaltung@firma.de", true),
            ("no-reply@shop.example", true),
            ("hans.mueller@firma.de", false),
            ("info2@example.com", false),
            ("information@example.com", false),
            ("jane@example.com", false),
            ("infoexample.com", false),
            ("INFO@EXAMPLE.COM", true),
            ("info", false),
            ("inf", false),
        ] {
            assert_eq!(is_role_mailbox(address.as_bytes()), expected, "{address}");
        }
    }

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut resume = 0;
        for at in memchr::memchr_iter(b'@', text.as_bytes()) {
            if at < resume {
                continue;
            }
            if let Some((start, end)) = match_at(text.as_bytes(), at) {
                out.push(&text[start..end]);
                resume = end;
            }
        }
        out
    }

    #[test]
    fn addresses_are_found_with_their_exact_extent() {
        let cases = [
            ("jane@example.com", "jane@example.com"),
            (
                "Mail: jane.doe+tag@mail.example.co.uk.",
                "jane.doe+tag@mail.example.co.uk",
            ),
            ("<Lom-AliBataev@example.com>", "Lom-AliBataev@example.com"),
            ("\"info@10100001.com\"", "info@10100001.com"),
            ("INFO@10100001.COM", "INFO@10100001.COM"),
            ("to=jane@example.com&x=1", "jane@example.com"),
            ("mailto:jane@example.com", "jane@example.com"),
            ("...jane@example.com", "jane@example.com"),
            ("13812345678@163.com", "13812345678@163.com"),
        ];
        for (text, expected) in cases {
            assert_eq!(found(text), [expected], "{text}");
        }
    }

    #[test]
    fn internationalised_domains_are_found() {
        assert_eq!(found("mail anna@exämple.de now"), ["anna@exämple.de"]);
        assert_eq!(
            found("jürgen@bücher.example.de"),
            ["jürgen@bücher.example.de"]
        );
        assert_eq!(found("写信给anna@example.com联系"), ["anna@example.com"]);
        // Internationalised top-level domains, as typed and in ASCII form.
        assert_eq!(found("mail zoe@сайт.рф now"), ["zoe@сайт.рф"]);
        assert_eq!(
            found("zoe@xn--80aswg.xn--p1ai, ZOE@EXAMPLE.XN--P1AI"),
            ["zoe@xn--80aswg.xn--p1ai", "ZOE@EXAMPLE.XN--P1AI"]
        );
        // A top level of mixed scripts, or a bare or broken `xn--`, is no
        // top-level domain.
        for text in [
            "zoe@example.рфa",
            "zoe@example.xn--",
            "zoe@example.xn--p1ai-",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn non_ascii_local_parts_are_found() {
        assert_eq!(found("даниил@example.com"), ["даниил@example.com"]);
        assert_eq!(
            found("Pétursdóttir@example.is"),
            ["Pétursdóttir@example.is"]
        );
    }

    #[test]
    fn chinese_text_around_an_address_is_a_boundary() {
        assert_eq!(found("请联系jane@example.com获取"), ["jane@example.com"]);
        assert_eq!(found("邮箱：jane@example.com"), ["jane@example.com"]);
    }

    #[test]
    fn cjk_local_parts_are_found() {
        assert_eq!(found("丁桂英@foxmail.com"), ["丁桂英@foxmail.com"]);
        assert_eq!(found("佐々木洋介@gmail.com"), ["佐々木洋介@gmail.com"]);
        assert_eq!(
            found("mail: 斎藤洋介@ezweb.ne.jp"),
            ["斎藤洋介@ezweb.ne.jp"]
        );
        assert!(found("x丁桂英@foxmail.com").is_empty());
    }

    #[test]
    fn non_addresses_are_rejected() {
        for text in [
            "pkg@1.2.3",
            "npm install @scope/pkg@1.2.3",
            "git@host",
            "user@localhost",
            "jane@example.c",
            "jane@example.123",
            "logo@2x.png",
            "@example.com",
            "jane@",
            "jane@.com",
            "jane@example..com",
            "jane@-example.com",
            "jane..doe@example.com",
            "jane.@example.com",
            "a@b@example.com",
            "jane@example.com_x",
            "jane@example.comé",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn overlong_parts_are_rejected() {
        let local = "a".repeat(65);
        assert!(found(&format!("{local}@example.com")).is_empty());
        let label = "a".repeat(64);
        assert!(found(&format!("jane@{label}.com")).is_empty());
        let long_domain = format!("{}com", "abcdefghi.".repeat(26));
        assert!(found(&format!("jane@{long_domain}")).is_empty());
        let at_limit = format!("{}@example.com", "a".repeat(64));
        assert_eq!(found(&at_limit), [at_limit.as_str()]);
        // Runs around the byte limit of the backward read, in ASCII and in
        // two-byte letters, and ASCII after letters outside ASCII.
        for length in [255, 256, 257, 258, 300] {
            assert!(found(&format!("{}@example.com", "a".repeat(length))).is_empty());
        }
        let letters = format!("{}@example.com", "д".repeat(64));
        assert_eq!(found(&letters), [letters.as_str()]);
        assert!(found(&format!("{}@example.com", "д".repeat(65))).is_empty());
        let mixed = format!("{}.{}@example.com", "д".repeat(31), "a".repeat(32));
        assert_eq!(found(&mixed), [mixed.as_str()]);
        assert!(found(&format!("д{}@example.com", "a".repeat(64))).is_empty());
        assert_eq!(found("..jane@example.com"), ["jane@example.com"]);
        assert!(found("jane..doe@example.com").is_empty());
    }

    #[test]
    fn invalid_utf8_bounds_local_part() {
        let text = b"Jos\xe9jane@example.com";
        let (start, end) = match_at(text, 8).unwrap();
        assert_eq!(&text[start..end], b"jane@example.com");
    }

    #[test]
    fn file_extensions_are_told_in_any_case() {
        for extension in FILE_EXTENSIONS {
            for form in [extension.to_owned(), extension.to_uppercase()] {
                assert!(is_file_extension(form.as_bytes()), "{form}");
            }
            let mixed: String = extension
                .chars()
                .enumerate()
                .map(|(index, letter)| match index % 2 {
                    0 => letter.to_ascii_uppercase(),
                    _ => letter,
                })
                .collect();
            assert!(is_file_extension(mixed.as_bytes()), "{mixed}");
        }
        for other in [
            "com", "de", "pn", "jpe", "pngs", "tiffs", "icon", "gifts", "bmpx",
        ] {
            assert!(!is_file_extension(other.as_bytes()), "{other}");
        }
    }

    #[test]
    fn address_bytes_agree_with_the_byte_table() {
        let class = |byte: u8| EMAIL_BYTES[usize::from(byte)];
        for byte in 0..=u8::MAX {
            for length in [2, 15, 16, 17, 40, 64, 65] {
                for at in [0, length / 2, length - 1] {
                    for position in (0..length).filter(|&position| position != at) {
                        let mut text = vec![b'a'; length];
                        text[at] = b'@';
                        text[position] = byte;
                        let expected = text[..at].iter().all(|&other| class(other) & LOCAL != 0)
                            && text[at + 1..]
                                .iter()
                                .all(|&other| class(other) & DOMAIN != 0);
                        let found = has_address_bytes(&text, at);
                        assert_eq!(found, expected, "{byte:#x} {length} {at} {position}");
                    }
                }
            }
        }
    }

    #[test]
    fn file_extension_words_agree_with_case_folding() {
        // Every byte at every position of each extension, and of each
        // extension cut to three bytes or extended by one.
        let reference = |top_level: &[u8]| {
            FILE_EXTENSIONS
                .iter()
                .any(|extension| extension.as_bytes().eq_ignore_ascii_case(top_level))
        };
        for extension in FILE_EXTENSIONS {
            let bytes = extension.as_bytes();
            let mut forms = vec![bytes.to_vec(), bytes[..3].to_vec()];
            forms.push([bytes, b"x"].concat());
            forms.push(bytes[..2].to_vec());
            for form in forms {
                assert_eq!(is_file_extension(&form), reference(&form), "{form:?}");
                for position in 0..form.len() {
                    for byte in 0..=u8::MAX {
                        let mut changed = form.clone();
                        changed[position] = byte;
                        assert_eq!(
                            is_file_extension(&changed),
                            reference(&changed),
                            "{changed:?}"
                        );
                    }
                }
            }
        }
    }

    /// Returns the offset of the only `@` of `text` when the general
    /// reading finds one address spanning all of it.
    fn general_whole_address(text: &[u8]) -> Option<usize> {
        let mut at_signs = text.iter().enumerate().filter(|(_, byte)| **byte == b'@');
        let (at, _) = at_signs.next()?;
        if at_signs.next().is_some() {
            return None;
        }
        (match_at(text, at) == Some((0, text.len()))).then_some(at)
    }

    /// Asserts that [`whole_address_by_bits`] agrees with the general
    /// reading of `text`, and returns its verdict, or `None` for text
    /// without exactly one `@`.
    fn assert_bits_agree(text: &[u8]) -> Option<WholeAddress> {
        let general = general_whole_address(text);
        let mut at_signs = (0..text.len()).filter(|&index| text[index] == b'@');
        let (Some(at), None) = (at_signs.next(), at_signs.next()) else {
            return None;
        };
        let verdict = whole_address_by_bits(text, at);
        match verdict {
            None => assert!(!VECTOR_TEST_BYTES.contains(&text.len()), "{text:?}"),
            Some(WholeAddress::Address) => assert_eq!(general, Some(at), "{text:?}"),
            Some(WholeAddress::NotAddress) => assert_eq!(general, None, "{text:?}"),
            Some(WholeAddress::Undecided) => {}
        }
        verdict
    }

    #[test]
    fn vector_address_check_matches_general() {
        // Generated texts from pieces that matter to either reading, with
        // zero to two `@`, then every byte at every position of a few
        // addresses of each length.
        let long_local = "l".repeat(40);
        let pieces: [&str; 24] = [
            "a",
            "Z",
            "0",
            ".",
            "..",
            "-",
            "_",
            "+",
            "%",
            " ",
            "com",
            "png",
            "example",
            ".de",
            "x-",
            "-y",
            "ä",
            "丁",
            "'",
            &long_local,
            "\u{7f}",
            "xn--p1ai",
            "COM+",
            "@",
        ];
        let mut random = crate::test_random::Xorshift::new(0x9E37_79B9_7F4A_7C15u64);
        let mut next = |bound: usize| random.below(bound as u64) as usize;
        let mut counts = [0usize; 3];
        for _ in 0..300_000 {
            let mut text = String::new();
            for _ in 0..next(6) {
                text.push_str(pieces[next(pieces.len())]);
            }
            text.push('@');
            for _ in 0..next(4) {
                text.push_str(pieces[next(pieces.len())]);
                text.push('.');
            }
            for _ in 0..next(3) {
                text.push_str(pieces[next(pieces.len())]);
            }
            text.push_str(["com", "de", "png", "c", "", "com.", "9", "Jpeg"][next(8)]);
            match assert_bits_agree(text.as_bytes()) {
                Some(WholeAddress::Address) => counts[0] += 1,
                Some(WholeAddress::NotAddress) => counts[1] += 1,
                _ => counts[2] += 1,
            }
        }
        assert!(counts[0] > 500, "{counts:?}");
        assert!(counts[1] > 1_000, "{counts:?}");

        let edge_bytes = [
            b'a', b'Z', b'0', b'9', b'.', b'-', b'_', b'%', b'+', b'@', b' ', b'`', b'{', b'/',
            b':', b'[', 0x00, 0x7F, 0x80, 0xC3, 0xFF,
        ];
        for length in 14..=66usize {
            let domain = "ab-c.example.com";
            let local = "x".repeat(length.saturating_sub(domain.len() + 1).max(1));
            let text = format!("{local}@{domain}");
            for position in 0..text.len() {
                for byte in edge_bytes {
                    let mut changed = text.clone().into_bytes();
                    changed[position] = byte;
                    assert_bits_agree(&changed);
                }
            }
        }
    }

    #[test]
    fn whole_ascii_addresses_agree_with_the_general_reading() {
        // Generated texts with one `@`, from pieces that matter to either
        // reading: dots, dashes, the limits of local parts and domains,
        // file extensions, and bytes outside ASCII.
        let long_local = "l".repeat(64);
        let long_domain = "d".repeat(60) + ".";
        let pieces: [&str; 22] = [
            "a",
            "Z",
            "0",
            ".",
            "..",
            "-",
            "_",
            "+",
            "%",
            " ",
            "com",
            "png",
            "example",
            ".de",
            "x-",
            "-y",
            "ä",
            "丁",
            "'",
            &long_local,
            &long_domain,
            "\u{7f}",
        ];
        let mut random = crate::test_random::Xorshift::new(0x2545_F491_4F6C_DD1Du64);
        let mut next = |bound: usize| random.below(bound as u64) as usize;
        let mut wholes = 0;
        for _ in 0..200_000 {
            let mut text = String::new();
            for _ in 0..next(5) {
                text.push_str(pieces[next(pieces.len())]);
            }
            let at = text.len();
            text.push('@');
            // Half the domains are labels and a top-level domain, the
            // others any pieces.
            if next(2) == 0 {
                for _ in 0..1 + next(3) {
                    text.push_str(pieces[next(pieces.len())]);
                    text.push('.');
                }
                text.push_str(["com", "de", "png", "c", "", "com.", "9"][next(7)]);
            } else {
                for _ in 0..1 + next(6) {
                    text.push_str(pieces[next(pieces.len())]);
                }
            }
            let bytes = text.as_bytes();
            let general = match_at(bytes, at) == Some((0, bytes.len()));
            let expected = text.is_ascii().then_some(general);
            assert_eq!(whole_ascii_address(bytes, at), expected, "{text:?}");
            wholes += usize::from(general);
        }
        assert!(wholes > 1_000, "{wholes}");
    }

    #[test]
    fn several_addresses_in_one_text_are_all_found() {
        assert_eq!(
            found("a@example.com, b@example.org;c@example.net"),
            ["a@example.com", "b@example.org", "c@example.net"]
        );
    }

    #[test]
    fn message_identifiers_are_not_addresses() {
        let identifiers = [
            "href=\"cid:4f1ac5e3-7b0d-1@cxf.apache.org\"",
            "CID:part1.abc@example.com",
            "mid:960830.1639@XIson.com",
            "start=\"<root.message@cxf.apache.org>\"",
            "type=text/xml; START=<root@example.com>",
        ];
        for text in identifiers {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn words_ending_in_identifier_prefixes_keep_addresses() {
        assert_eq!(found("placid:jane@example.com"), ["jane@example.com"]);
        assert_eq!(found("restart=<jane@example.com>"), ["jane@example.com"]);
    }

    #[test]
    fn edifact_addresses_start_after_the_element_separator() {
        let cases = [
            ("COM+hans.mueller@web.de:EM'", "hans.mueller@web.de"),
            ("UNH+1'COM+hans.mueller@web.de:EM'", "hans.mueller@web.de"),
            ("\nNAD+DP+jane+news@example.com'", "news@example.com"),
            ("note COM+jane@example.com", "COM+jane@example.com"),
            ("Com+jane@example.com", "Com+jane@example.com"),
        ];
        for (text, expected) in cases {
            assert_eq!(found(text), [expected], "{text}");
        }
        let whole = "COM+jane@example.com";
        assert_eq!(whole_ascii_address(whole.as_bytes(), 8), Some(false));
        assert_eq!(found(whole), ["jane@example.com"]);
    }
}
