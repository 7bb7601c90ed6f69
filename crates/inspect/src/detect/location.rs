//! Precise locations: latitude and longitude with at least four decimals
//! (about 11 m at the equator).
//!
//! A pair in one value (`31.230416, 121.473701`) is found anywhere when a
//! comma separates the two numbers, and also with only spaces or a
//! semicolon under coordinate context (`gps`, `coordinates`, `location`,
//! `定位`, `行踪`). The first number is the latitude (within ±90), the
//! second the longitude (within ±180). A number that belongs to a longer
//! comma-separated list is not a pair. Separate latitude and longitude
//! fields of one record (`"lat": 48.8584, "lng": 2.2945`) are paired by the
//! collector from [`single_value`].

use super::context::Context;
use super::roles::Roles;
use super::scan::{alphanumeric_at, digit_at, digit_run_end};

/// Decimals needed for a coordinate to be precise.
const MIN_DECIMALS: usize = 4;

/// Most integer digits of a coordinate (`-179`).
const MAX_INTEGER_DIGITS: usize = 3;

/// Most spaces allowed around the separator of a pair.
const MAX_PAIR_SPACES: usize = 2;

/// A parsed decimal number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Coordinate {
    pub value: f64,
    pub start: usize,
    pub end: usize,
}

/// Returns the span of a coordinate pair whose first number's digits start
/// at `start`.
pub(crate) fn pair_at(
    text: &[u8],
    start: usize,
    run_end: usize,
    context: &Context,
) -> Option<(usize, usize)> {
    if run_end - start > MAX_INTEGER_DIGITS || text.get(run_end) != Some(&b'.') {
        return None;
    }
    let latitude = decimal_at(text, start)?;
    if in_list_before(text, latitude.start) {
        return None;
    }
    let (comma, second_start) = separator_end(text, latitude.end)?;
    if !comma && !context.allows(Roles::COORDINATES, text, latitude.start) {
        return None;
    }
    let sign = usize::from(text.get(second_start) == Some(&b'-'));
    let longitude = decimal_at(text, second_start + sign)?;
    let after_list =
        text.get(longitude.end) == Some(&b',') && number_follows(text, longitude.end + 1);
    let valid = latitude.value.abs() <= 90.0 && longitude.value.abs() <= 180.0 && !after_list;
    valid.then_some((latitude.start, longitude.end))
}

/// Reads a decimal with at least [`MIN_DECIMALS`] decimals whose integer
/// digits start at `digits_start`, with a minus sign just before them.
fn decimal_at(text: &[u8], digits_start: usize) -> Option<Coordinate> {
    let integer_end = digit_run_end(text, digits_start);
    let integer = integer_end - digits_start;
    if integer == 0 || integer > MAX_INTEGER_DIGITS || text.get(integer_end) != Some(&b'.') {
        return None;
    }
    let end = digit_run_end(text, integer_end + 1);
    if end - integer_end - 1 < MIN_DECIMALS
        || alphanumeric_at(text, end)
        || text.get(end) == Some(&b'.')
    {
        return None;
    }
    let negative = digits_start > 0 && text[digits_start - 1] == b'-';
    let start = if negative {
        digits_start - 1
    } else {
        digits_start
    };
    if start > 0 && (text[start - 1].is_ascii_alphanumeric() || text[start - 1] == b'.') {
        return None;
    }
    let value: f64 = std::str::from_utf8(&text[start..end]).ok()?.parse().ok()?;
    Some(Coordinate { value, start, end })
}

/// Returns whether the pair separator after a number follows at `from`: a
/// comma or semicolon with optional spaces, or spaces alone. Returns
/// whether it is a comma and where the second number starts.
fn separator_end(text: &[u8], from: usize) -> Option<(bool, usize)> {
    let mut position = from;
    let mut spaces = 0;
    let mut separator = None;
    while let Some(&byte) = text.get(position) {
        match byte {
            b' ' if spaces < MAX_PAIR_SPACES => spaces += 1,
            b',' | b';' if separator.is_none() => separator = Some(byte),
            _ => break,
        }
        position += 1;
    }
    if position == from || !(digit_at(text, position) || text.get(position) == Some(&b'-')) {
        return None;
    }
    Some((separator == Some(b','), position))
}

/// Returns whether a number and a comma come just before `start`, so the
/// number at `start` continues a list.
fn in_list_before(text: &[u8], start: usize) -> bool {
    let mut index = start;
    while index > 0 && text[index - 1] == b' ' {
        index -= 1;
    }
    index > 1 && text[index - 1] == b',' && text[index - 2].is_ascii_digit()
}

fn number_follows(text: &[u8], from: usize) -> bool {
    let mut index = from;
    while text.get(index) == Some(&b' ') {
        index += 1;
    }
    digit_at(text, index) || (text.get(index) == Some(&b'-') && digit_at(text, index + 1))
}

/// Parses a whole field value that is one precise coordinate, such as the
/// value of a `lat` key.
pub(crate) fn single_value(value: &[u8]) -> Option<f64> {
    let trimmed = value.trim_ascii();
    let digits_start = usize::from(trimmed.first() == Some(&b'-'));
    let coordinate = decimal_at(trimmed, digits_start)?;
    (coordinate.start == 0 && coordinate.end == trimmed.len() && coordinate.value.abs() <= 180.0)
        .then_some(coordinate.value)
}

/// Formats a coordinate pair rounded to one decimal (about 11 km), the
/// mask of a precise location.
pub(crate) fn rounded_pair(latitude: f64, longitude: f64) -> String {
    format!("{latitude:.1}, {longitude:.1}")
}

/// Parses a matched pair back into its two numbers.
pub(crate) fn parse_pair(value: &[u8]) -> Option<(f64, f64)> {
    let text = std::str::from_utf8(value).ok()?;
    let mut numbers = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .map(str::parse::<f64>);
    let latitude = numbers.next()?.ok()?;
    let longitude = numbers.next()?.ok()?;
    Some((latitude, longitude))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;
    use crate::detect::found_texts;

    fn found_with(text: &str, roles: Roles) -> Vec<&str> {
        found_texts(text, roles, Category::PreciseLocation)
    }

    #[test]
    fn comma_separated_pairs_are_found() {
        for (text, expected) in [
            ("31.230416, 121.473701", "31.230416, 121.473701"),
            ("at 48.8584,2.2945 today", "48.8584,2.2945"),
            ("-33.8688, 151.2093", "-33.8688, 151.2093"),
            ("40.7128, -74.0060", "40.7128, -74.0060"),
        ] {
            assert_eq!(found_with(text, Roles::NONE), [expected], "{text}");
        }
    }

    #[test]
    fn space_separated_pairs_need_coordinate_context() {
        assert!(found_with("31.230416 121.473701", Roles::NONE).is_empty());
        assert_eq!(
            found_with("31.230416 121.473701", Roles::COORDINATES),
            ["31.230416 121.473701"]
        );
        assert_eq!(
            found_with("gps: 31.2304;121.4737", Roles::NONE),
            ["31.2304;121.4737"]
        );
    }

    #[test]
    fn imprecise_or_out_of_range_pairs_are_rejected() {
        for text in [
            "31.23, 121.47",
            "31.2304, 121.47",
            "91.0000, 10.0000",
            "45.0000, 181.0000",
            "1.2345, 6.7890, 2.3456",
            "7.0, 1.2345, 6.7890",
            "v1.2345, 6.7890",
            "1234.5678, 12.3456",
        ] {
            assert!(found_with(text, Roles::NONE).is_empty(), "{text}");
        }
    }

    #[test]
    fn single_values_parse_whole_fields() {
        assert_eq!(single_value(b" 48.8584 "), Some(48.8584));
        assert_eq!(single_value(b"-2.2945"), Some(-2.2945));
        assert_eq!(single_value(b"48.85"), None);
        assert_eq!(single_value(b"48.8584 N"), None);
        assert_eq!(single_value(b"200.0000"), None);
    }

    #[test]
    fn masks_round_to_one_decimal() {
        assert_eq!(rounded_pair(31.230416, 121.473701), "31.2, 121.5");
        let pair = parse_pair(b"-33.8688, 151.2093").unwrap();
        assert_eq!(rounded_pair(pair.0, pair.1), "-33.9, 151.2");
    }
}
