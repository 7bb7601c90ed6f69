//! Dates of birth in the Japanese era calendar: `昭和60年3月14日`,
//! `令和元年5月1日` (`元` is the first year of an era), and the one-letter
//! forms that Japanese paper and web forms use, `S60.3.14` and `H2.1.5`.
//!
//! An era's year 1 is the Gregorian year in which the era began, so an
//! era's first and last years are shorter than a calendar year. A date
//! outside its era, such as `昭和70年` (Shōwa ended in its 64th year) or
//! `平成1年1月7日` (a day before Heisei began), is rejected. Full-width
//! digits and letters reach this module as ASCII, because segments are
//! normalised (NFKC) before the scan.

use chrono::{Datelike, NaiveDate};

use super::dates::ymd;
use super::scan::{digit_run_end, number};

/// One era of the Japanese calendar since the Meiji restoration.
struct Era {
    /// The era name in kanji (`昭和`).
    kanji: &'static str,
    /// The capital letter of the romanised name, as forms abbreviate it.
    letter: u8,
    /// The Gregorian date of the era's first day.
    start: NaiveDate,
}

const fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid era start date"),
    }
}

/// The eras in order, each ending the day before the next one starts.
/// Meiji is dated from its proclamation (1868-10-23). Japan kept the
/// lunisolar calendar until 1873, but dates that old are beyond the
/// maximum age of a birth date anyway.
const ERAS: [Era; 5] = [
    Era {
        kanji: "明治",
        letter: b'M',
        start: date(1868, 10, 23),
    },
    Era {
        kanji: "大正",
        letter: b'T',
        start: date(1912, 7, 30),
    },
    Era {
        kanji: "昭和",
        letter: b'S',
        start: date(1926, 12, 25),
    },
    Era {
        kanji: "平成",
        letter: b'H',
        start: date(1989, 1, 8),
    },
    Era {
        kanji: "令和",
        letter: b'R',
        start: date(2019, 5, 1),
    },
];

/// `元`, the year 1 of an era.
const FIRST_YEAR: &str = "元";

/// Returns where a kanji era date starts whose year, or whose month after
/// `元年`, is the digit run at `digits`.
pub(crate) fn kanji_era_start(text: &[u8], digits: usize) -> Option<usize> {
    let before = &text[..digits];
    let before = match before.strip_suffix("元年".as_bytes()) {
        Some(rest) => rest,
        None => before,
    };
    ERAS.iter()
        .find(|era| before.ends_with(era.kanji.as_bytes()))
        .map(|era| before.len() - era.kanji.len())
}

/// Parses an era date at `start`, in kanji (`昭和60年3月14日`, the `日`
/// optional) or with the era's letter (`S60.3.14`, also with `/` or `-`,
/// the letter in either case). Returns the Gregorian date and the end of
/// its text.
pub(crate) fn parse(text: &[u8], start: usize) -> Option<(NaiveDate, usize)> {
    match ERAS
        .iter()
        .find(|era| text[start..].starts_with(era.kanji.as_bytes()))
    {
        Some(era) => kanji_date(text, start + era.kanji.len(), era),
        None => letter_date(text, start),
    }
}

/// Reads `60年3月14日` or `元年5月1日` at `year_start`, after the name of `era`.
fn kanji_date(text: &[u8], year_start: usize, era: &Era) -> Option<(NaiveDate, usize)> {
    let (year, year_end) = if text[year_start..].starts_with(FIRST_YEAR.as_bytes()) {
        (1, year_start + FIRST_YEAR.len())
    } else {
        let end = short_number_end(text, year_start)?;
        (number(&text[year_start..end]), end)
    };
    let month_start = after(text, year_end, "年")?;
    let month_end = short_number_end(text, month_start)?;
    let day_start = after(text, month_end, "月")?;
    let day_end = short_number_end(text, day_start)?;
    let month = number(&text[month_start..month_end]);
    let day = number(&text[day_start..day_end]);
    let end = after(text, day_end, "日").unwrap_or(day_end);
    Some((era_date(era, year, month, day)?, end))
}

/// Reads `S60.3.14` at `start`: the era letter, then year, month and day
/// with one separator between them.
fn letter_date(text: &[u8], start: usize) -> Option<(NaiveDate, usize)> {
    let letter = text.get(start)?.to_ascii_uppercase();
    let era = ERAS.iter().find(|era| era.letter == letter)?;
    let year_end = short_number_end(text, start + 1)?;
    let separator = *text.get(year_end)?;
    if !matches!(separator, b'.' | b'/' | b'-') {
        return None;
    }
    let month_end = short_number_end(text, year_end + 1)?;
    if text.get(month_end) != Some(&separator) {
        return None;
    }
    let day_end = short_number_end(text, month_end + 1)?;
    let year = number(&text[start + 1..year_end]);
    let month = number(&text[year_end + 1..month_end]);
    let day = number(&text[month_end + 1..day_end]);
    Some((era_date(era, year, month, day)?, day_end))
}

/// Returns the Gregorian date of `year`-`month`-`day` of `era`, if it is a
/// real date within the era.
fn era_date(era: &Era, year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    if year == 0 {
        return None;
    }
    let first_year = u32::try_from(era.start.year()).ok()?;
    let date = ymd(first_year + year - 1, month, day)?;
    let next = ERAS
        .iter()
        .position(|other| other.start == era.start)
        .and_then(|index| ERAS.get(index + 1));
    let within = date >= era.start && next.is_none_or(|next| date < next.start);
    within.then_some(date)
}

/// Returns the position after `marker` when it is written at `index`.
fn after(text: &[u8], index: usize, marker: &str) -> Option<usize> {
    text[index..]
        .starts_with(marker.as_bytes())
        .then_some(index + marker.len())
}

/// Returns the end of a run of one or two digits at `start`.
fn short_number_end(text: &[u8], start: usize) -> Option<usize> {
    let end = digit_run_end(text, start.min(text.len()));
    (1..=2).contains(&(end - start)).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Option<(NaiveDate, usize)> {
        parse(text.as_bytes(), 0)
    }

    #[test]
    fn eras_start_in_order() {
        for pair in ERAS.windows(2) {
            assert!(pair[0].start < pair[1].start, "{}", pair[1].kanji);
        }
    }

    #[test]
    fn era_dates_convert_to_gregorian() {
        for (text, expected) in [
            ("昭和60年3月14日", date(1985, 3, 14)),
            ("昭和64年1月7日", date(1989, 1, 7)),
            ("平成元年1月8日", date(1989, 1, 8)),
            ("平成2年1月5日", date(1990, 1, 5)),
            ("令和元年5月1日", date(2019, 5, 1)),
            ("大正元年7月30日", date(1912, 7, 30)),
            ("明治45年7月29日", date(1912, 7, 29)),
            ("S60.3.14", date(1985, 3, 14)),
            ("h2/1/5", date(1990, 1, 5)),
            ("R1-5-1", date(2019, 5, 1)),
        ] {
            assert_eq!(parsed(text), Some((expected, text.len())), "{text}");
        }
        let without_day_mark = "昭和60年3月14";
        assert_eq!(
            parsed(without_day_mark),
            Some((date(1985, 3, 14), without_day_mark.len()))
        );
    }

    #[test]
    fn dates_outside_their_era_are_rejected() {
        for text in [
            "昭和70年1月1日",
            "昭和64年1月8日",
            "平成1年1月7日",
            "平成31年5月1日",
            "大正元年7月29日",
            "昭和0年1月1日",
            "昭和60年2月30日",
            "S60.3/14",
            "X60.3.14",
            "S600.3.14",
        ] {
            assert_eq!(parsed(text), None, "{text}");
        }
    }

    #[test]
    fn kanji_era_start_precedes_digits() {
        let text = "生年月日:昭和60年3月14日";
        let digits = text.find("60").unwrap();
        assert_eq!(kanji_era_start(text.as_bytes(), digits), text.find("昭和"));
        let first_year = "令和元年5月1日";
        assert_eq!(
            kanji_era_start(first_year.as_bytes(), first_year.find('5').unwrap()),
            Some(0)
        );
        let order = "令和6年5月1日";
        assert_eq!(
            kanji_era_start(order.as_bytes(), order.find('5').unwrap()),
            None
        );
    }
}
