//! Calendar checks shared by the detectors that read dates.

use chrono::{Datelike, NaiveDate};

/// Returns whether `year`, `month` and `day` form a real Gregorian date.
pub(crate) fn is_real_date(year: u32, month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day)
}

/// Returns the Gregorian date `year`-`month`-`day`, if it is a real one.
pub(crate) fn ymd(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    if !is_real_date(year, month, day) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Returns the age in whole years on `today` of a person born on `birth`,
/// or `None` when `birth` is after `today`.
pub(crate) fn age_on(birth: NaiveDate, today: NaiveDate) -> Option<u32> {
    age_on_ymd((birth.year(), birth.month(), birth.day()), today)
}

/// Returns [`age_on`] for the real date `birth`, given as year, month and
/// day, without building a [`NaiveDate`] for it.
pub(crate) fn age_on_ymd(birth: (i32, u32, u32), today: NaiveDate) -> Option<u32> {
    let today = (today.year(), today.month(), today.day());
    if birth > today {
        return None;
    }
    let mut years = today.0 - birth.0;
    if (today.1, today.2) < (birth.1, birth.2) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn real_dates_follow_the_gregorian_calendar() {
        let cases = [
            ((2000, 2, 29), true),
            ((1900, 2, 29), false),
            ((2024, 2, 29), true),
            ((2023, 2, 29), false),
            ((2023, 4, 31), false),
            ((2023, 12, 31), true),
            ((2023, 13, 1), false),
            ((2023, 0, 1), false),
            ((2023, 1, 0), false),
        ];
        for ((year, month, day), expected) in cases {
            assert_eq!(
                is_real_date(year, month, day),
                expected,
                "{year}-{month}-{day}"
            );
        }
    }

    #[test]
    fn age_counts_completed_years() {
        let today = date(2025, 6, 15);
        assert_eq!(age_on(date(1990, 6, 15), today), Some(35));
        assert_eq!(age_on(date(1990, 6, 16), today), Some(34));
        assert_eq!(age_on(date(2025, 6, 15), today), Some(0));
        assert_eq!(age_on(date(2025, 6, 16), today), None);
    }
}
