//! Dates of birth: a real date with a plausible age under birth-date
//! context.
//!
//! Business records are full of dates, so a date counts as a date of birth
//! only under a key or label such as `dob`, `birthDate`, `出生日期`,
//! `生年月日`, `Geburtsdatum` or `date_de_naissance`, or as the date of an
//! X12 demographic segment (`DMG*D8*19670330`). Accepted forms: ISO
//! `1990-01-31` (also with `/` or `.`, and with a time after `T`),
//! `31/01/1990`, `01/31/1990`, `31.01.1990`, `31-01-1990`, `19900131`,
//! `1990年1月31日`, the OData form `/Date(633744000000)/` (milliseconds
//! since 1970, as SAP sends dates), a whole value of epoch seconds or
//! milliseconds under a birth-date key (`479606400000`, as Jackson writes a
//! `java.util.Date`), and dates with a month name such as
//! `14 March 1985` or `March 14, 1985` ([`month_names`]). A day-first
//! reading wins when both orders are real dates. Under a birth-date key,
//! not after a label, `14.03.85` and `03/14/85` are read too, with the
//! century that puts the date closest before today. Japanese era dates
//! (`昭和60年3月14日`, `S60.3.14`) are read by [`japanese_eras`]. The
//! common forms are
//! tried first, since nearly every birth date is sent in one of them.
//!
//! The age on the request's date (or on [`REFERENCE_DATE`] when the request
//! has none) must be 0 to [`MAX_AGE`] years. A person under
//! [`MINOR_AGE`] on the request's date is a minor, and the match says so.

use chrono::{DateTime, Datelike, NaiveDate};

use super::Match;
use super::context::Context;
use super::dates::{age_on, age_on_ymd, is_real_date, ymd};
use super::roles::Roles;
use super::scan::{alphanumeric_at, digit_at, digit_run_end, number};
use super::{japanese_eras, month_names};
use crate::Category;

/// Oldest plausible age in years.
pub(crate) const MAX_AGE: u32 = 120;

/// Age below which a person is a minor whose data PIPL Art. 28 treats as
/// sensitive.
pub(crate) const MINOR_AGE: u32 = 14;

/// The date that ages are checked against when the request carries no
/// date: birth dates after it are rejected.
pub(crate) const REFERENCE_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2026, 1, 1) {
    Some(date) => date,
    None => panic!("invalid reference date"),
};

/// Longest run of digits read as OData milliseconds: enough for any date
/// up to the year 2286.
const MAX_EPOCH_MILLIS_DIGITS: usize = 13;

/// Minimum digits of a bare epoch value read as a date of birth. Eight
/// digits are `YYYYMMDD`, and shorter values are more often counts or
/// codes than seconds around 1970.
const MIN_EPOCH_DIGITS: usize = 9;

/// Maximum digits of a bare epoch value read as seconds. Ten digits of
/// seconds reach the year 2286, and eleven or more digits are read as
/// milliseconds, because as seconds they would be centuries ahead.
const MAX_EPOCH_SECONDS_DIGITS: usize = 10;

/// Returns the date of birth that starts with the digit run
/// `start..run_end`, with its minor flag.
///
/// Business records are full of dates with no label before them. Without
/// a birth-date key, a label or an X12 segment such a date is rejected
/// before it is parsed, in this inlined part, so that the scan pays no call
/// for it.
#[inline]
pub(crate) fn at_digit_run(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<Match> {
    let length = run_end - start;
    if !matches!(length, 1 | 2 | 4 | 8..=MAX_EPOCH_MILLIS_DIGITS) {
        return None;
    }
    if !context.may_allow(Roles::DATE_OF_BIRTH, text, start) && !after_x12_qualifier(text, start) {
        // A label ends before the era name of `昭和60年`, not before its
        // digits.
        if context.labels && start > 0 && text[start - 1] >= 0x80 {
            return kanji_era_at_digit_run(text, start, context);
        }
        return None;
    }
    parsed_at_digit_run(text, start, run_end, context)
}

/// Returns the date of birth with a letter for its Japanese era
/// (`S60.3.14`) whose letter starts the token `start..token_end`.
#[inline]
pub(crate) fn at_era_letter(
    text: &[u8],
    start: usize,
    token_end: usize,
    context: &Context,
) -> Option<Match> {
    if !matches!(token_end - start, 2 | 3) || !context.may_allow(Roles::DATE_OF_BIRTH, text, start)
    {
        return None;
    }
    era_date_at(text, start, context)
}

/// Returns the date of birth in a Japanese era whose name ends just before
/// the digit run at `start`.
#[cold]
#[inline(never)]
fn kanji_era_at_digit_run(text: &[u8], start: usize, context: &Context) -> Option<Match> {
    era_date_at(text, japanese_eras::kanji_era_start(text, start)?, context)
}

/// Returns the date of birth in a Japanese era that starts at `start`.
#[cold]
#[inline(never)]
fn era_date_at(text: &[u8], start: usize, context: &Context) -> Option<Match> {
    let (date, end) = japanese_eras::parse(text, start)?;
    if alphanumeric_at(text, end) || !context.allows(Roles::DATE_OF_BIRTH, text, start) {
        return None;
    }
    birth_date_match(date, start, end, context)
}

/// Returns whether the digit run at `start` follows the qualifier of an X12
/// demographic segment, which makes a date a date of birth without a key.
fn after_x12_qualifier(text: &[u8], start: usize) -> bool {
    text[..start].ends_with(b"DMG*D8*")
}

/// Parses the date at the digit run `start..run_end` and checks its
/// context and age, for [`at_digit_run`].
fn parsed_at_digit_run(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<Match> {
    // The date is parsed before the label is looked up: most digit runs
    // fail here.
    let Some((date, end)) = parse(text, start, run_end) else {
        return other_forms_at_digit_run(text, start, run_end, context);
    };
    let allowed =
        context.allows(Roles::DATE_OF_BIRTH, text, start) || after_x12_qualifier(text, start);
    if !allowed {
        return None;
    }
    let match_start = if odata_prefix(text, start) && text[start - 1] == b'-' {
        start - 1
    } else {
        start
    };
    birth_date_match(date, match_start, end, context)
}

/// Returns the date of birth in one of the less common forms that contains
/// the digit run `start..run_end`, for [`parsed_at_digit_run`] once the
/// common forms failed: a two-digit year under a birth-date key, a
/// Japanese era, or a month name. Kept out of line, because nearly every birth date is sent
/// in a common form.
#[cold]
#[inline(never)]
fn other_forms_at_digit_run(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<Match> {
    // A two-digit year is read only under a key, because in free text
    // `14.03.85` is as likely a version, a score or a measurement.
    let two_digit_year = if context.roles.contains(Roles::DATE_OF_BIRTH) {
        if let Some(found) = whole_epoch_value(text, start, run_end, context) {
            return Some(found);
        }
        let today = context.today.unwrap_or(REFERENCE_DATE);
        two_digit_year(text, start, run_end, today)
    } else {
        None
    };
    if two_digit_year.is_none() && start > 0 && text[start - 1] >= 0x80 {
        if let Some(found) = kanji_era_at_digit_run(text, start, context) {
            return Some(found);
        }
    }
    let (match_start, (date, end)) = match two_digit_year {
        Some(parsed) => (start, parsed),
        None => with_month_name(text, start, run_end)?,
    };
    if alphanumeric_at(text, end) || !context.allows(Roles::DATE_OF_BIRTH, text, match_start) {
        return None;
    }
    birth_date_match(date, match_start, end, context)
}

/// Returns the date of birth of a whole value that is epoch seconds or
/// milliseconds with an optional minus sign (`479606400000`,
/// `-157766400000`), under a birth-date key. Only a whole value counts: in
/// text, such a number is as likely any other count.
///
/// NOTE: a value whose first eight digits are a plausible `YYYYMMDD` birth
/// date (`199001311`) is read as that date with a stray digit and
/// rejected, so epoch values of some days in 1976 are missed.
fn whole_epoch_value(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<Match> {
    let negative = match start {
        0 => false,
        1 if text[0] == b'-' => true,
        _ => return None,
    };
    if run_end != text.len() {
        return None;
    }
    let digits = &text[start..run_end];
    if !negative && starts_with_birth_date(digits, context) {
        return None;
    }
    let date = epoch_date(negative, digits)?;
    birth_date_match(date, 0, run_end, context)
}

/// Returns whether the first eight of `digits` are a plausible birth date
/// written as `YYYYMMDD`.
fn starts_with_birth_date(digits: &[u8], context: &Context) -> bool {
    let Some(date) = digits.get(..8).and_then(|first| {
        ymd(
            number(&first[..4]),
            number(&first[4..6]),
            number(&first[6..]),
        )
    }) else {
        return false;
    };
    birth_date_match(date, 0, 8, context).is_some()
}

/// Returns the date of epoch seconds (nine or ten digits) or milliseconds
/// (eleven to thirteen digits) since 1970-01-01 UTC.
fn epoch_date(negative: bool, digits: &[u8]) -> Option<NaiveDate> {
    if !(MIN_EPOCH_DIGITS..=MAX_EPOCH_MILLIS_DIGITS).contains(&digits.len()) {
        return None;
    }
    let magnitude = i64::try_from(parse_u64(digits)?).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    let time = if digits.len() <= MAX_EPOCH_SECONDS_DIGITS {
        DateTime::from_timestamp(value, 0)?
    } else {
        DateTime::from_timestamp_millis(value)?
    };
    Some(time.date_naive())
}

/// Parses a date with a month name that contains the digit run
/// `start..run_end` as its day, and returns where the date starts, the
/// date and the end of its text.
fn with_month_name(
    text: &[u8],
    start: usize,
    run_end: usize,
) -> Option<(usize, (NaiveDate, usize))> {
    if let Some(parsed) = month_names::day_first(text, start, run_end) {
        return Some((start, parsed));
    }
    let word_start = month_names::month_first_start(text, start)?;
    Some((word_start, month_names::month_first(text, word_start)?))
}

/// Reads `DD.MM.YY`, `DD/MM/YY` or `MM/DD/YY` at the digit run
/// `start..run_end`, day first when both orders are real dates, as
/// [`day_or_month_first`] does with four-digit years. `YY-MM-DD` is not
/// read, because it cannot be distinguished from `DD-MM-YY`.
///
/// The year is the latest one that ends in the two digits and whose date
/// is not after `today`: on 2025-06-15, `15.06.25` is 2025-06-15 and
/// `16.06.25` is 1925-06-16.
fn two_digit_year(
    text: &[u8],
    start: usize,
    run_end: usize,
    today: NaiveDate,
) -> Option<(NaiveDate, usize)> {
    let separator = *text.get(run_end)?;
    if !matches!(separator, b'/' | b'.') || run_end - start > 2 {
        return None;
    }
    let second_end = short_number_end(text, run_end + 1)?;
    if text.get(second_end) != Some(&separator) {
        return None;
    }
    let year_start = second_end + 1;
    let year_end = year_start + 2;
    if digit_run_end(text, year_start) != year_end {
        return None;
    }
    let first = number(&text[start..run_end]);
    let second = number(&text[run_end + 1..second_end]);
    let year = number(&text[year_start..year_end]);
    let date = latest_date(year, second, first, today)
        .or_else(|| latest_date(year, first, second, today))?;
    Some((date, year_end))
}

/// Returns the latest real date `month`-`day` in a year that ends in the
/// two digits `year` and is not after `today`. Two centuries are tried,
/// which reaches back further than [`MAX_AGE`].
fn latest_date(year: u32, month: u32, day: u32, today: NaiveDate) -> Option<NaiveDate> {
    let century = u32::try_from(today.year()).ok()? / 100 * 100;
    [century, century.checked_sub(100)?]
        .into_iter()
        .filter_map(|century| ymd(century + year, month, day))
        .find(|date| *date <= today)
}

/// Returns the match of `text`, a whole `YYYY-MM-DD` date, under a key with
/// the date-of-birth role: the match that [`at_digit_run`] reads at its
/// first digit, without the search for the fields and the label. The
/// caller checks that the fields are digits.
pub(crate) fn whole_iso_date(text: &[u8], context: &Context) -> Option<Match> {
    debug_assert!(context.roles.contains(Roles::DATE_OF_BIRTH));
    if text.len() != 10 || text[4] != b'-' || text[7] != b'-' {
        return None;
    }
    let [year, month, day] = [&text[..4], &text[5..7], &text[8..]];
    debug_assert!(year.iter().chain(month).chain(day).all(u8::is_ascii_digit));
    let (year, month, day) = (number(year), number(month), number(day));
    if !is_real_date(year, month, day) {
        return None;
    }
    // The age is read from the numbers of the real date, which spares
    // building a `NaiveDate` as `birth_date_match` takes it.
    let today = context.today.unwrap_or(REFERENCE_DATE);
    let age = age_on_ymd((i32::try_from(year).ok()?, month, day), today)?;
    age_match(age, 0, text.len(), context)
}

/// Returns the match of a date of birth `date` written at `start..end`,
/// when the age it gives is plausible.
fn birth_date_match(date: NaiveDate, start: usize, end: usize, context: &Context) -> Option<Match> {
    let today = context.today.unwrap_or(REFERENCE_DATE);
    age_match(age_on(date, today)?, start, end, context)
}

/// Returns the match of a date of birth written at `start..end` whose age
/// is `age`, when that age is plausible.
fn age_match(age: u32, start: usize, end: usize, context: &Context) -> Option<Match> {
    if age > MAX_AGE {
        return None;
    }
    Some(Match {
        category: Category::DateOfBirth,
        start,
        end,
        minor: context.today.is_some() && age < MINOR_AGE,
    })
}

/// Parses a date of birth written in one of the accepted forms, starting at
/// `start`, and returns it with the end of its text.
pub(crate) fn parse(text: &[u8], start: usize, run_end: usize) -> Option<(NaiveDate, usize)> {
    let run = &text[start..run_end];
    let (date, end) = match run.len() {
        4 => year_first(text, start, run_end)?,
        1 | 2 => day_or_month_first(text, start, run_end)?,
        8 if !odata_prefix(text, start) => {
            let date = ymd(number(&run[..4]), number(&run[4..6]), number(&run[6..]))?;
            (date, run_end)
        }
        _ => odata(text, start, run_end)?,
    };
    let time_follows = text.get(end) == Some(&b'T') && digit_at(text, end + 1);
    (time_follows || !alphanumeric_at(text, end)).then_some((date, end))
}

/// Parses a matched date of birth on its own: a date in one of the
/// accepted forms, or epoch seconds or milliseconds. A two-digit year is
/// placed in its century by `today`, as the scan placed it.
///
/// NOTE: nine or ten digits are read as seconds, so the milliseconds of an
/// OData date between 1970-01-02 and 1970-04-26 give a wrong date here.
pub(crate) fn parse_value(value: &[u8], today: NaiveDate) -> Option<NaiveDate> {
    let (negative, digits) = match value.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if digits.len() > 8 && digits.iter().all(u8::is_ascii_digit) {
        return epoch_date(negative, digits);
    }
    let run_end = digit_run_end(value, 0);
    if run_end == 0 {
        return japanese_eras::parse(value, 0)
            .or_else(|| month_names::month_first(value, 0))
            .map(|(date, _)| date);
    }
    parse(value, 0, run_end)
        .or_else(|| two_digit_year(value, 0, run_end, today))
        .or_else(|| month_names::day_first(value, 0, run_end))
        .map(|(date, _)| date)
}

/// Reads `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` or `YYYY年M月D日`.
fn year_first(text: &[u8], start: usize, run_end: usize) -> Option<(NaiveDate, usize)> {
    let year = number(&text[start..run_end]);
    if text[run_end..].starts_with("年".as_bytes()) {
        let month_start = run_end + "年".len();
        let month_end = short_number_end(text, month_start)?;
        if !text[month_end..].starts_with("月".as_bytes()) {
            return None;
        }
        let day_start = month_end + "月".len();
        let day_end = short_number_end(text, day_start)?;
        let month = number(&text[month_start..month_end]);
        let date = ymd(year, month, number(&text[day_start..day_end]))?;
        let end = if text[day_end..].starts_with("日".as_bytes()) {
            day_end + "日".len()
        } else {
            day_end
        };
        return Some((date, end));
    }
    let separator = *text.get(run_end)?;
    if !matches!(separator, b'-' | b'/' | b'.') {
        return None;
    }
    let month_end = short_number_end(text, run_end + 1)?;
    if text.get(month_end) != Some(&separator) {
        return None;
    }
    let day_end = short_number_end(text, month_end + 1)?;
    let month = number(&text[run_end + 1..month_end]);
    let date = ymd(year, month, number(&text[month_end + 1..day_end]))?;
    Some((date, day_end))
}

/// Reads `DD/MM/YYYY`, `MM/DD/YYYY`, `DD.MM.YYYY` or `DD-MM-YYYY`, day first
/// when both readings are real dates.
fn day_or_month_first(text: &[u8], start: usize, run_end: usize) -> Option<(NaiveDate, usize)> {
    let separator = *text.get(run_end)?;
    if !matches!(separator, b'-' | b'/' | b'.') {
        return None;
    }
    let second_end = short_number_end(text, run_end + 1)?;
    if text.get(second_end) != Some(&separator) {
        return None;
    }
    let year_start = second_end + 1;
    let year_end = year_start + 4;
    if year_end > text.len() || digit_run_end(text, year_start) != year_end {
        return None;
    }
    let first = number(&text[start..run_end]);
    let second = number(&text[run_end + 1..second_end]);
    let year = number(&text[year_start..year_end]);
    let date = ymd(year, second, first).or_else(|| ymd(year, first, second))?;
    Some((date, year_end))
}

/// Returns the end of a run of one or two digits at `start`.
fn short_number_end(text: &[u8], start: usize) -> Option<usize> {
    let end = digit_run_end(text, start);
    (1..=2).contains(&(end - start)).then_some(end)
}

/// Returns whether the digits at `start` follow `/Date(` (with an optional
/// minus sign), the OData JSON date form.
fn odata_prefix(text: &[u8], start: usize) -> bool {
    let before = &text[..start];
    before.ends_with(b"/Date(") || before.ends_with(b"/Date(-")
}

/// Reads the milliseconds of `/Date(…)/`, with an optional `+hhmm` offset.
fn odata(text: &[u8], start: usize, run_end: usize) -> Option<(NaiveDate, usize)> {
    if !odata_prefix(text, start) {
        return None;
    }
    let magnitude = i64::try_from(parse_u64(&text[start..run_end])?).ok()?;
    let millis = if text[start - 1] == b'-' {
        -magnitude
    } else {
        magnitude
    };
    let date = DateTime::from_timestamp_millis(millis)?.date_naive();
    Some((date, run_end))
}

fn parse_u64(digits: &[u8]) -> Option<u64> {
    std::str::from_utf8(digits).ok()?.parse().ok()
}

#[cfg(test)]
#[path = "date_of_birth_tests.rs"]
mod tests;
