//! Dates of birth written with a month name: `14 March 1985`,
//! `March 14, 1985`, `14-Mar-1985`, `14. März 1985`, `14 de marzo de 1985`.
//!
//! The table of month names is explicit and small: the full names and
//! common abbreviations of English, German, French, Spanish, Italian and
//! Dutch, the languages of most birth-date keys in the key tables. A full
//! locale table such as CLDR's would need a dependency and bring hundreds
//! of abbreviations, some of them ordinary words in another language, for
//! dates that count only under a birth-date key or label anyway. Names are
//! compared without case, for ASCII letters and the accented Latin-1
//! letters (`MÄRZ`, `DÉCEMBRE`).
//!
//! NOTE: month names in other languages are not read, Portuguese
//! (`março`) among them, although `data_nascimento` is a birth-date key.

use chrono::NaiveDate;

use super::dates::ymd;
use super::scan::{digit_run_end, number};

/// Month names in lowercase with their month number. Each name is listed
/// once, under the first language that uses it. Any name may be followed
/// by a dot, as abbreviations are (`Mar.`, `févr.`).
const MONTH_NAMES: &[(&str, u32)] = &[
    // English.
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // German.
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("mär", 3),
    ("mrz", 3),
    ("okt", 10),
    ("dez", 12),
    // French, also without accents as some systems write it.
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("janv", 1),
    ("fév", 2),
    ("févr", 2),
    ("fevr", 2),
    ("avr", 4),
    ("juil", 7),
    ("déc", 12),
    // Spanish.
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("ene", 1),
    ("abr", 4),
    ("ago", 8),
    ("set", 9),
    ("dic", 12),
    // Italian.
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("gen", 1),
    ("mag", 5),
    ("giu", 6),
    ("lug", 7),
    ("ott", 10),
    // Dutch.
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    ("mrt", 3),
];

/// Maximum length of a month name in bytes (`septiembre`).
const MAX_NAME_BYTES: usize = 10;

/// The Spanish word between day, month and year
/// (`14 de marzo de 1985`).
const SPANISH_GAP: &[u8] = b" de ";

/// Parses a date written day first at the digit run `start..run_end`:
/// `14 March 1985`, `14-Mar-1985`, `14. März 1985`, `14th March 1985`,
/// `14 de marzo de 1985`. Returns the date and the end of its text.
pub(crate) fn day_first(text: &[u8], start: usize, run_end: usize) -> Option<(NaiveDate, usize)> {
    if !(1..=2).contains(&(run_end - start)) {
        return None;
    }
    let day = number(&text[start..run_end]);
    let month_start = gap_end(text, ordinal_end(text, run_end))?;
    let (month, month_end) = month_at(text, month_start)?;
    let year_start = gap_end(text, month_end)?;
    let (year, end) = year_at(text, year_start)?;
    Some((ymd(year, month, day)?, end))
}

/// Parses a date written month first at `start`: `March 14, 1985`,
/// `Mar 14 1985`, `Mar. 14, 1985`. Returns the date and the end of its
/// text.
pub(crate) fn month_first(text: &[u8], start: usize) -> Option<(NaiveDate, usize)> {
    let (month, month_end) = month_at(text, start)?;
    let day_start = spaces_end(text, month_end)?;
    let day_end = digit_run_end(text, day_start);
    if !(1..=2).contains(&(day_end - day_start)) {
        return None;
    }
    let day = number(&text[day_start..day_end]);
    let day_end = ordinal_end(text, day_end);
    let year_start = if text.get(day_end) == Some(&b',') {
        spaces_end(text, day_end + 1).unwrap_or(day_end + 1)
    } else {
        spaces_end(text, day_end)?
    };
    let (year, end) = year_at(text, year_start)?;
    Some((ymd(year, month, day)?, end))
}

/// Returns where a month-first date would start whose day is the digit run
/// at `day_start`: the start of the word before it and its spaces. The
/// caller parses the date there with [`month_first`].
pub(crate) fn month_first_start(text: &[u8], day_start: usize) -> Option<usize> {
    let mut index = day_start;
    while index > 0 && day_start - index < 2 && text[index - 1] == b' ' {
        index -= 1;
    }
    if index == day_start {
        return None;
    }
    if index > 0 && text[index - 1] == b'.' {
        index -= 1;
    }
    let word_end = index;
    while index > 0 && word_end - index <= MAX_NAME_BYTES && is_letter_byte(text[index - 1]) {
        index -= 1;
    }
    let whole_word = index == 0 || !is_letter_byte(text[index - 1]);
    (index < word_end && whole_word).then_some(index)
}

/// Reads the month name at `start`, with an optional dot after it, and
/// returns its number and the end of the name and dot.
fn month_at(text: &[u8], start: usize) -> Option<(u32, usize)> {
    let mut end = start;
    while end < text.len() && end - start <= MAX_NAME_BYTES && is_letter_byte(text[end]) {
        end += 1;
    }
    let month = month_number(&text[start..end])?;
    if text.get(end) == Some(&b'.') {
        end += 1;
    }
    Some((month, end))
}

/// Returns the number of the month named `word`, in any case.
fn month_number(word: &[u8]) -> Option<u32> {
    if !(3..=MAX_NAME_BYTES).contains(&word.len()) {
        return None;
    }
    let mut folded = [0u8; MAX_NAME_BYTES];
    let folded = &mut folded[..word.len()];
    fold_case(word, folded);
    MONTH_NAMES
        .iter()
        .find(|(name, _)| name.as_bytes() == folded)
        .map(|&(_, month)| month)
}

/// Writes `word` to `out` (of the same length) with ASCII letters and the
/// accented capitals `À` to `Þ` in lowercase. In UTF-8 those capitals are
/// `C3 80` to `C3 9E` (but `×`, `C3 97`), and their lowercase letters are
/// 0x20 above them in the second byte.
fn fold_case(word: &[u8], out: &mut [u8]) {
    let mut after_c3 = false;
    for (slot, &byte) in out.iter_mut().zip(word) {
        *slot = if after_c3 && (0x80..=0x9E).contains(&byte) && byte != 0x97 {
            byte + 0x20
        } else {
            byte.to_ascii_lowercase()
        };
        after_c3 = byte == 0xC3;
    }
}

/// Returns whether `byte` may be part of a month name: an ASCII letter or a
/// byte of a UTF-8 character beyond ASCII.
fn is_letter_byte(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte >= 0x80
}

/// Returns the end of the English or French ordinal suffix (`14th`, `1er`)
/// or the German ordinal dot (`14.`) after a day that ends at `day_end`,
/// or `day_end` when there is none.
fn ordinal_end(text: &[u8], day_end: usize) -> usize {
    if text.get(day_end) == Some(&b'.') {
        return day_end + 1;
    }
    let Some(suffix) = text.get(day_end..day_end + 2) else {
        return day_end;
    };
    let ordinal = [b"st", b"nd", b"rd", b"th", b"er"]
        .iter()
        .any(|ordinal| suffix.eq_ignore_ascii_case(*ordinal));
    if ordinal && !text.get(day_end + 2).is_some_and(u8::is_ascii_alphabetic) {
        day_end + 2
    } else {
        day_end
    }
}

/// Returns the end of the gap between the parts of a day-first date at
/// `start`: one or two spaces, `-`, `/` or ` de `.
fn gap_end(text: &[u8], start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    if rest.len() >= SPANISH_GAP.len()
        && rest[..SPANISH_GAP.len()].eq_ignore_ascii_case(SPANISH_GAP)
    {
        return Some(start + SPANISH_GAP.len());
    }
    match rest.first()? {
        b'-' | b'/' => Some(start + 1),
        _ => spaces_end(text, start),
    }
}

/// Returns the end of one or two spaces at `start`.
fn spaces_end(text: &[u8], start: usize) -> Option<usize> {
    let mut end = start;
    while end < text.len() && end - start < 2 && text[end] == b' ' {
        end += 1;
    }
    (end > start).then_some(end)
}

/// Reads a four-digit year at `start` and returns it with its end.
fn year_at(text: &[u8], start: usize) -> Option<(u32, usize)> {
    let end = start + 4;
    (digit_run_end(text, start) == end).then(|| (number(&text[start..end]), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn month_names_are_unique_lowercase_and_short() {
        for (index, (name, month)) in MONTH_NAMES.iter().enumerate() {
            assert_eq!(name.to_lowercase(), *name);
            assert!((3..=MAX_NAME_BYTES).contains(&name.len()), "{name}");
            assert!((1..=12).contains(month), "{name}");
            let repeated = MONTH_NAMES[index + 1..]
                .iter()
                .any(|(other, _)| other == name);
            assert!(!repeated, "{name}");
        }
    }

    #[test]
    fn month_names_are_read_in_any_case() {
        for (word, month) in [
            ("March", Some(3)),
            ("MÄRZ", Some(3)),
            ("märz", Some(3)),
            ("DÉCEMBRE", Some(12)),
            ("Août", Some(8)),
            ("MEI", Some(5)),
            ("Marsch", None),
            ("ma", None),
            ("items", None),
        ] {
            assert_eq!(month_number(word.as_bytes()), month, "{word}");
        }
    }

    #[test]
    fn day_first_dates_are_read() {
        for (text, expected) in [
            ("14 March 1985", date(1985, 3, 14)),
            ("14-Mar-1985", date(1985, 3, 14)),
            ("14/mar./1985", date(1985, 3, 14)),
            ("14. März 1985", date(1985, 3, 14)),
            ("1er mars 1985", date(1985, 3, 1)),
            ("2nd Feb 1985", date(1985, 2, 2)),
            ("14 DE MARZO DE 1985", date(1985, 3, 14)),
        ] {
            let run_end = digit_run_end(text.as_bytes(), 0);
            let parsed = day_first(text.as_bytes(), 0, run_end);
            assert_eq!(parsed, Some((expected, text.len())), "{text}");
        }
        for text in ["14 March 85", "14March 1985", "31 April 1985"] {
            let run_end = digit_run_end(text.as_bytes(), 0);
            assert_eq!(day_first(text.as_bytes(), 0, run_end), None, "{text}");
        }
    }

    #[test]
    fn month_first_dates_are_read() {
        for text in [
            "March 14, 1985",
            "Mar 14 1985",
            "mar. 14th, 1985",
            "MARCH 14,1985",
        ] {
            let parsed = month_first(text.as_bytes(), 0);
            assert_eq!(parsed, Some((date(1985, 3, 14), text.len())), "{text}");
        }
        for text in ["March14, 1985", "March 14, 85", "Marching 14 1985"] {
            assert_eq!(month_first(text.as_bytes(), 0), None, "{text}");
        }
    }

    #[test]
    fn month_first_start_finds_word() {
        let text = b"DOB: Mar. 14, 1985";
        assert_eq!(month_first_start(text, 10), Some(5));
        assert_eq!(month_first_start(b"x14", 1), None);
        assert_eq!(month_first_start(b"- 14", 2), None);
    }
}
