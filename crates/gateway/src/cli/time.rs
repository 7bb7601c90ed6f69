//! Times on the command line: RFC 3339, a UTC date, or an age such as `7d`.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Parses `text` relative to `now`: `2026-12-01T08:00:00Z`, `2026-12-01`
/// (midnight UTC), or an age `N` followed by `s`, `m`, `h` or `d` meaning
/// that long before `now`.
pub fn parse_time(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc());
    }
    let age = parse_age(text).ok_or_else(|| {
        format!("invalid time {text:?}; use RFC 3339 (2026-12-01T08:00:00Z), a date (2026-12-01) or an age (24h, 7d)")
    })?;
    Ok(now - age)
}

fn parse_age(text: &str) -> Option<Duration> {
    let unit = text.chars().last()?;
    let amount: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    match unit {
        's' => Duration::try_seconds(amount),
        'm' => Duration::try_minutes(amount),
        'h' => Duration::try_hours(amount),
        'd' => Duration::try_days(amount),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-04T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn accepts_rfc3339_date_and_age() {
        let cases = [
            ("2026-12-01T08:00:00Z", "2026-12-01T08:00:00+00:00"),
            ("2026-12-01T09:00:00+01:00", "2026-12-01T08:00:00+00:00"),
            ("2026-12-01", "2026-12-01T00:00:00+00:00"),
            ("90s", "2026-12-04T11:58:30+00:00"),
            ("30m", "2026-12-04T11:30:00+00:00"),
            ("24h", "2026-12-03T12:00:00+00:00"),
            ("7d", "2026-11-27T12:00:00+00:00"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_time(input, now()).unwrap().to_rfc3339(),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn rejects_other_forms() {
        for input in ["yesterday", "7w", "", "d", "2026-13-01"] {
            let error = parse_time(input, now()).unwrap_err();
            assert!(error.starts_with("invalid time"), "{input}: {error}");
        }
    }
}
