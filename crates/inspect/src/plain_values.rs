//! The shortcut for field values in which nothing can be found.
//!
//! Most values of an ERP export are amounts, dates, codes and words under
//! keys that do not mark them as personal data. For such a value the full
//! path (the search for encoded layers, normalisation, the pattern scan and
//! the field rules) is certain to find nothing, and one table pass over its
//! bytes shows it:
//!
//! - Every byte is ASCII or belongs to a two-byte Latin letter that
//!   normalisation keeps (`ü`, `ß`, `ł`, see [`non_ascii_is_plain`]). So
//!   normalisation changes nothing.
//! - No byte is `%`, `=`, `{`, `[`, `&`, `<` or a line feed, the value
//!   does not start like a JSON Web Token (`eyJ`), and it is shorter than
//!   [`base64::MIN_VALUE_CHARS`](crate::decode::base64::MIN_VALUE_CHARS),
//!   contains a byte outside the base64 alphabets, or its first characters
//!   decode to a byte that rules out text in a value of its length (an
//!   IBAN such as `DE89…` starts with a form feed). It does not start with
//!   `data:` either. So it contains no percent escape, character
//!   reference, form data, JSON, XML, CSV or base64 layer, and skips the
//!   search for one.
//! - The scan starts a candidate only at a digit, `@`, `+` or `:`. A value
//!   without them is certain to hold no match. A value with them holds none
//!   when [`crate::detect::value_shapes`] rules it out as a whole (a number,
//!   a date, a timestamp, a document code) under its key's roles.
//!
//! The key's roles decide the rest: the field rules for names, addresses,
//! health and biometric data judge every value of their keys, so values
//! under those keys are always scanned.

use crate::decode::base64::{MIN_VALUE_CHARS, has_symbol_run, is_value_byte};
use crate::decode::nested::{first_byte_may_be_text, starts_like_binary_format};
use crate::normalize_tables::{STABLE, in_ranges};

/// The class of a value that one pass over its bytes finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlainShape {
    /// The value may hold an encoded layer.
    Other,
    /// No byte of the value can start a match.
    NoAnchor,
    /// Bytes of the value can start a match, unless
    /// [`crate::detect::value_shapes`] rules the value out.
    Anchored,
}

/// Class bits of [`BYTE_CLASSES`]. A blocking byte is [`NON_ASCII`] or
/// [`LAYER`] too.
const BLOCKING: u8 = 1;
const ANCHOR: u8 = 2;
const NOT_BASE64: u8 = 4;
/// A byte outside ASCII, which [`non_ascii_shape`] judges.
const NON_ASCII: u8 = 8;
/// An ASCII byte that a layer needs.
const LAYER: u8 = 16;

/// The class bits of every byte value.
const BYTE_CLASSES: [u8; 256] = byte_classes!(|byte| {
    let not_base64 = if is_value_byte(byte) { 0 } else { NOT_BASE64 };
    let blocking = if byte >= 0x80 {
        BLOCKING | NON_ASCII
    } else if matches!(byte, b'%' | b'=' | b'{' | b'[' | b'&' | b'<' | b'\n') {
        BLOCKING | LAYER
    } else {
        0
    };
    let anchor = if byte.is_ascii_digit() || matches!(byte, b'@' | b'+' | b':') {
        ANCHOR
    } else {
        0
    };
    not_base64 | blocking | anchor
});

/// Maximum length of a value that [`plain_shape`] reads. Longer values are
/// mostly free text, which takes the full path anyway.
const MAX_PLAIN_BYTES: usize = 256;

/// Classifies `text` in one pass over its bytes. Inlined into the loops
/// of the decoders, which call it for nearly every value.
#[inline(always)]
pub(crate) fn plain_shape(text: &[u8]) -> PlainShape {
    #[cfg(test)]
    if SHORTCUT_OFF.with(std::cell::Cell::get) {
        return PlainShape::Other;
    }
    if text.len() > MAX_PLAIN_BYTES {
        return PlainShape::Other;
    }
    // Eight lookups per step, a loop of fixed length that the compiler
    // unrolls, so the loop branches once per eight bytes.
    let class_of = |classes: u8, &byte: &u8| classes | BYTE_CLASSES[usize::from(byte)];
    let mut chunks = text.chunks_exact(8);
    let mut classes = 0;
    for chunk in &mut chunks {
        classes = chunk.iter().fold(classes, class_of);
    }
    let classes = chunks.remainder().iter().fold(classes, class_of);
    let shape = shape_of(text, classes);
    // Values with bytes outside ASCII are rare in most bodies, so they are
    // judged after the ASCII checks, and only values of shape `Other` pay
    // for the test.
    if shape == PlainShape::Other && classes & (LAYER | NON_ASCII) == NON_ASCII {
        return non_ascii_shape(text, classes);
    }
    shape
}

/// Finishes [`plain_shape`] for `text`, whose bytes have the class bits
/// `classes`.
#[inline(always)]
fn shape_of(text: &[u8], classes: u8) -> PlainShape {
    // A blocking byte sends the value down the full path, whatever the
    // other tests find.
    if classes & BLOCKING != 0 {
        return PlainShape::Other;
    }
    let may_be_base64 = if classes & NOT_BASE64 == 0 {
        text.len() >= MIN_VALUE_CHARS
            && (first_byte_may_be_text(text) || starts_like_binary_format(text))
    } else {
        // Base64 after a label or a space, such as `file: SGFsbG8…`.
        text.len() > MIN_VALUE_CHARS && has_symbol_run(text)
    };
    // The first byte alone rules out most values, which is cheaper than
    // comparing the prefix of a JSON Web Token or a data URI.
    let layer_prefix = match text.first() {
        Some(b'e') => text.starts_with(b"eyJ"),
        Some(b'd' | b'D') => text
            .get(..5)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case(b"data:")),
        _ => false,
    };
    if may_be_base64 || layer_prefix {
        PlainShape::Other
    } else if classes & ANCHOR != 0 {
        PlainShape::Anchored
    } else {
        PlainShape::NoAnchor
    }
}

/// Classifies `text`, whose only blocking bytes are outside ASCII and whose
/// bytes have the class bits `classes`, like an ASCII value when those
/// bytes pass [`non_ascii_is_plain`].
#[cold]
#[inline(never)]
fn non_ascii_shape(text: &[u8], classes: u8) -> PlainShape {
    if non_ascii_is_plain(text) {
        shape_of(text, classes & !BLOCKING)
    } else {
        PlainShape::Other
    }
}

/// Returns whether `text`, which has bytes outside ASCII but no other
/// blocking byte, may take the shortcut: each byte outside ASCII belongs to a
/// two-byte letter of Latin-1 or Latin Extended-A (lead bytes `C3` to
/// `C5`) in [`STABLE`]. Normalisation keeps such a letter as it is, since
/// only Greek and Cyrillic letters become Latin ones. Bytes of another
/// script or charset, such as ISO-8859-1 text, take the full path.
///
/// NOTE: a value wrapped in double quotes may be a JSON string literal,
/// which the full path decodes and scans once more. ASCII values of that
/// form take the shortcut and are scanned once. Such values with letters
/// outside ASCII stay on the full path, so admitting the letters changes
/// no result.
fn non_ascii_is_plain(text: &[u8]) -> bool {
    if text.len() >= 2 && text[0] == b'"' && text[text.len() - 1] == b'"' {
        return false;
    }
    let mut index = 0;
    while let Some(&lead) = text.get(index) {
        if lead < 0x80 {
            index += ascii_prefix(&text[index..]);
            continue;
        }
        let Some(&trail) = text.get(index + 1) else {
            return false;
        };
        if !(0xC3..=0xC5).contains(&lead) || trail & 0xC0 != 0x80 {
            return false;
        }
        let code = u32::from(lead & 0x1F) << 6 | u32::from(trail & 0x3F);
        if !in_ranges(code, &STABLE) {
            return false;
        }
        index += 2;
    }
    true
}

/// Returns the number of ASCII bytes at the start of `text`, at least one
/// when `text` starts with one. Reads eight bytes per step, because the
/// letters outside ASCII of a name or an address lie far apart.
#[inline]
fn ascii_prefix(text: &[u8]) -> usize {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let mut length = 0;
    while let Some(word) = text.get(length..length + 8) {
        let high = u64::from_le_bytes(word.try_into().unwrap_or_default()) & HIGH_BITS;
        if high != 0 {
            return length + (high.trailing_zeros() / 8) as usize;
        }
        length += 8;
    }
    length
        + text[length..]
            .iter()
            .position(|&byte| byte >= 0x80)
            .unwrap_or(text.len() - length)
}

#[cfg(test)]
thread_local! {
    /// Set by [`without_shortcut`] on the thread of one test.
    static SHORTCUT_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every value taking the full path, on this thread only,
/// for tests that compare the results with and without the shortcut.
#[cfg(test)]
pub(crate) fn without_shortcut<T>(f: impl FnOnce() -> T) -> T {
    SHORTCUT_OFF.with(|off| off.set(true));
    let result = f();
    SHORTCUT_OFF.with(|off| off.set(false));
    result
}

#[cfg(test)]
#[path = "plain_values_tests.rs"]
mod tests;
