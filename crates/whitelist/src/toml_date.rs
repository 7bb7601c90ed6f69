//! Deserialisation of TOML local dates (`reviewed_on = 2026-10-01`) into
//! [`NaiveDate`].
//!
//! chrono's own `Deserialize` reads dates from strings, which would accept
//! `"2026-10-01"` in quotes and reject the unquoted TOML date. Review and
//! signing dates are calendar days without a time zone, so only the TOML
//! local date form is accepted, and the error names that form.

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::value::Datetime;

/// Deserialises a TOML local date such as `2026-10-01`.
pub(crate) fn local_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<NaiveDate, D::Error> {
    deserializer.deserialize_any(LocalDateVisitor)
}

/// Deserialises an optional TOML local date; use with `#[serde(default)]`.
pub(crate) fn optional_local_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    local_date(deserializer).map(Some)
}

struct LocalDateVisitor;

const EXPECTED: &str = "a TOML local date such as 2026-10-01, written without quotes";

impl<'de> Visitor<'de> for LocalDateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(EXPECTED)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        Err(E::custom(format!(
            "expected {EXPECTED}, found the string {text:?}"
        )))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NaiveDate, A::Error> {
        // The TOML deserialiser presents datetimes as a one-entry map, which
        // `Datetime::deserialize` reads.
        let datetime = Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        date_only(&datetime).ok_or_else(|| {
            de::Error::custom(format!(
                "expected {EXPECTED}, found {datetime}, which has a time or offset"
            ))
        })
    }
}

fn date_only(datetime: &Datetime) -> Option<NaiveDate> {
    if datetime.time.is_some() || datetime.offset.is_some() {
        return None;
    }
    let date = datetime.date?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
}
