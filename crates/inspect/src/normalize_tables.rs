//! Character tables for [`crate::normalize`].
//!
//! Derived from the Unicode Character Database 14.0 (general categories `Nd`
//! and `Cf`). Later Unicode versions add digit blocks and format characters,
//! which these tables then miss until updated.

/// The code point of the digit zero of every `Nd` block outside ASCII. Each
/// block holds the digits 0-9 at consecutive code points.
pub(crate) const DECIMAL_ZEROS: [u32; 65] = [
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// Invisible characters removed before detection, as inclusive ranges: the
/// format characters (`Cf`: soft hyphen, zero-width space and joiners, word
/// joiner, byte order mark, bidirectional controls, tags), the combining
/// grapheme joiner and the variation selectors. None of them changes how a
/// number or address reads, so they only ever split a value.
pub(crate) const INVISIBLE: [(u32, u32); 23] = [
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE01EF),
];

/// Space characters that become an ASCII space: no-break spaces, the
/// typographic spaces of General Punctuation and the ideographic space.
pub(crate) const SPACES: [(u32, u32); 5] = [
    (0x00A0, 0x00A0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
];

/// The ideographic space that Chinese and Japanese input methods type.
pub(crate) const IDEOGRAPHIC_SPACE: u32 = 0x3000;

/// Dashes and minus signs that become `-`. NFKC leaves most of them as they
/// are, but people and word processors put them between digit groups.
pub(crate) const DASHES: [(u32, u32); 4] = [
    (0x2010, 0x2015),
    (0x2212, 0x2212),
    (0xFE58, 0xFE58),
    (0xFE63, 0xFE63),
];

/// Blocks whose characters NFKC leaves unchanged, checked first so that
/// text in these scripts costs one comparison per character: Latin-1 and
/// Latin Extended-A letters, Greek, Cyrillic, Hebrew and Arabic letters, CJK
/// ideographs and Hangul syllables.
pub(crate) const STABLE: [(u32, u32); 10] = [
    (0x00C0, 0x0131),
    (0x0134, 0x013E),
    (0x0141, 0x0148),
    (0x014A, 0x017E),
    (0x0391, 0x03CE),
    (0x0400, 0x052F),
    (0x05D0, 0x05EA),
    (0x0621, 0x064A),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
];

/// Returns whether `code` lies in one of the inclusive `ranges`.
pub(crate) fn in_ranges(code: u32, ranges: &[(u32, u32)]) -> bool {
    ranges
        .iter()
        .any(|&(first, last)| (first..=last).contains(&code))
}
