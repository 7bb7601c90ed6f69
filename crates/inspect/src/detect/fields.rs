//! Categories judged from a whole field value and its key: names,
//! addresses, health text, biometric data and coordinates sent as
//! separate latitude and longitude fields.

use super::biometric::is_biometric_value;
use super::health::{HealthEvidence, is_health_value, value_evidence};
use super::location::single_value;
use super::name_words::listed_words;
use super::person_name::{NameShape, field_name_shape, mentions_company};
use super::postal_address::is_address_value;
use super::roles::Roles;
use crate::mask::is_field_mask;
use crate::words::contains_either_byte;

/// A field-level finding in one segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Field {
    /// The value has the shape of a person's name under a key of the kind
    /// `key`, which decides what else it takes to count.
    Name {
        key: NameKey,
    },
    Address,
    /// Health text with clinical words or an ICD-10 code.
    Health,
    /// Health text without clinical or technical words (`"allergies":
    /// "peanuts"`), which counts only in a record about a person.
    UncertainHealth,
    Biometric,
    /// One coordinate of a pair sent in two fields.
    Latitude(f64),
    Longitude(f64),
    /// One number of a pair sent as two array elements under a coordinate
    /// key (`"coordinates": [2.2945, 48.8584]`).
    Coordinate(f64),
    /// The value is blank or a filler, which is no evidence about whether
    /// its column contains people's names.
    Blank,
    /// An organisation's name under a name key (`ACME GmbH`), beside the
    /// vote of the value in its column. It marks its record as one that
    /// may describe a business.
    Organisation,
    /// A value under a key that names a place of business (`store_id`).
    Place,
    /// A value under a key that names a machine or a device (`equipment`).
    Equipment,
    /// The value is no name at all (a number, a code, an e-mail address)
    /// under a name key.
    NotName,
}

/// The kind of a name key, which decides what its names need to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameKey {
    /// A key that names a person (`first_name`, `Nachname`, `姓名`): every
    /// name counts, even one that looks like a company's.
    Person,
    /// A key that names a person or an organisation (`customer_name`,
    /// `created_by`): a name counts when its column's names outnumber its
    /// values that are no name.
    Any,
    /// A key that may name anything (`name`, `contact`): a name counts
    /// only when its column also shows evidence of people (see
    /// [`super::columns::NameColumns`]).
    Generic,
}

impl NameKey {
    /// Returns the kind of a key with `roles`, which include
    /// [`Roles::PERSON_NAME`] or [`Roles::ANY_NAME`].
    fn of(roles: Roles) -> NameKey {
        if roles.contains(Roles::PERSON_NAME) {
            NameKey::Person
        } else if roles.contains(Roles::GENERIC_NAME) {
            NameKey::Generic
        } else {
            NameKey::Any
        }
    }
}

/// Appends the field-level findings of `value` sent under a key with
/// `roles`.
pub(crate) fn detect(value: &[u8], roles: Roles, out: &mut Vec<Field>) {
    if is_blank(value) {
        if roles.intersects(Roles::PERSON_NAME | Roles::ANY_NAME) {
            out.push(Field::Blank);
        }
        return;
    }
    // Every mask starts with `[` or contains `*`, and few values have either.
    if contains_either_byte(value, b'[', b'*') && is_field_mask(value) {
        // A mask contains nothing of the value it replaced, so a masked copy
        // inspected again finds nothing here.
        if roles.intersects(Roles::PERSON_NAME | Roles::ANY_NAME) {
            out.push(Field::Blank);
        }
        return;
    }
    if roles.intersects(Roles::PERSON_NAME | Roles::ANY_NAME) {
        let person_key = roles.contains(Roles::PERSON_NAME);
        match field_name_shape(value, person_key) {
            NameShape::Person => out.push(Field::Name {
                key: NameKey::of(roles),
            }),
            // An organisation's name in a column of names neither confirms
            // nor rejects the column, and neither does a filler: a decoy
            // `n/a` beside every name would otherwise outvote the names.
            NameShape::Placeholder => out.push(Field::Blank),
            NameShape::Organisation => {
                out.push(Field::Blank);
                organisation(value, true, out);
            }
            NameShape::Other => {
                out.push(Field::NotName);
                // A company's name with a number (`Schrauben Handel 1
                // GmbH`) has no name's shape, but it names a business all
                // the same.
                organisation(value, !person_key && mentions_company(value), out);
            }
        }
    }
    if roles.intersects(Roles::ADDRESS | Roles::STREET) && is_address_value(value, roles) {
        out.push(Field::Address);
    }
    if roles.contains(Roles::HEALTH) && is_health_value(value) {
        match value_evidence(value) {
            HealthEvidence::Clinical => out.push(Field::Health),
            HealthEvidence::Unknown => out.push(Field::UncertainHealth),
            // A machine's fault under `diagnosis` or `symptoms`.
            HealthEvidence::Technical => {}
        }
    }
    if roles.intersects(Roles::BIOMETRIC | Roles::BIOMETRIC_BLOB)
        && is_biometric_value(value, roles)
    {
        out.push(Field::Biometric);
    }
    rare_fields(value, roles, out);
}

/// Returns whether `value` is empty or only whitespace by
/// [`u8::is_ascii_whitespace`], which `trim_ascii` removes.
#[inline(always)]
fn is_blank(value: &[u8]) -> bool {
    // Most values start with a byte above the space, which no whitespace is.
    match value.first() {
        Some(&first) if first > b' ' => false,
        _ => value.trim_ascii().is_empty(),
    }
}

/// Appends [`Field::Organisation`] when `value` names a company that is
/// not named after its owner.
#[cold]
fn organisation(value: &[u8], company: bool, out: &mut Vec<Field>) {
    if company && !names_owner(value) {
        out.push(Field::Organisation);
    }
}

/// Returns whether an organisation's name contains a given name and a
/// family name (`Hans Müller e.K.`, `Hans Müller Bau GmbH`), as a sole
/// trader's business name does. One listed word is not enough, because
/// family names are also words of trade (`Schrauben Handel GmbH`).
fn names_owner(value: &[u8]) -> bool {
    listed_words(value).is_some_and(|listed| listed >= 2)
}

/// Appends the fields that mark a record about a place or a machine, for a
/// key with `roles`.
#[cold]
fn record_subject(roles: Roles, out: &mut Vec<Field>) {
    if roles.contains(Roles::PLACE) {
        out.push(Field::Place);
    }
    if roles.contains(Roles::EQUIPMENT) {
        out.push(Field::Equipment);
    }
}

/// Roles of coordinates.
const COORDINATE_ROLES: Roles = Roles::LATITUDE
    .union(Roles::LONGITUDE)
    .union(Roles::COORDINATES);

/// Appends the fields of the rarest roles, after one test for all of them.
fn rare_fields(value: &[u8], roles: Roles, out: &mut Vec<Field>) {
    if !roles.intersects(COORDINATE_ROLES | Roles::PLACE | Roles::EQUIPMENT) {
        return;
    }
    if roles.intersects(Roles::PLACE | Roles::EQUIPMENT) {
        record_subject(roles, out);
    }
    if roles.intersects(COORDINATE_ROLES) {
        coordinates(value, roles, out);
    }
}

fn coordinates(value: &[u8], roles: Roles, out: &mut Vec<Field>) {
    let Some(number) = single_value(value) else {
        return;
    };
    if roles.contains(Roles::LATITUDE) && number.abs() <= 90.0 {
        out.push(Field::Latitude(number));
    } else if roles.contains(Roles::LONGITUDE) {
        out.push(Field::Longitude(number));
    } else if roles.contains(Roles::COORDINATES) {
        out.push(Field::Coordinate(number));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(value: &str, roles: Roles) -> Vec<Field> {
        let mut out = Vec::new();
        detect(value.as_bytes(), roles, &mut out);
        out
    }

    #[test]
    fn blank_shortcut_matches_trim() {
        // Every byte at every position of values of up to three bytes, and
        // runs of whitespace with one other byte anywhere.
        let mut values: Vec<Vec<u8>> = vec![Vec::new()];
        for first in 0..=255u8 {
            values.push(vec![first]);
            for second in [
                b' ', b'\t', b'\n', 0x0B, 0x0C, b'\r', b'a', 0x21, 0x80, 0xFF,
            ] {
                values.push(vec![first, second]);
                values.push(vec![second, first]);
                values.push(vec![second, first, second]);
            }
        }
        for length in 1..40 {
            for other in [b'x', 0x0B, 0x00, 0xA0] {
                for position in 0..length {
                    let mut value = vec![b' '; length];
                    value[position] = other;
                    values.push(value);
                }
            }
        }
        for value in &values {
            assert_eq!(is_blank(value), value.trim_ascii().is_empty(), "{value:?}");
        }
    }

    #[test]
    fn values_give_the_fields_of_their_key() {
        let cases = [
            (
                "Jane Doe",
                Roles::PERSON_NAME,
                vec![Field::Name {
                    key: NameKey::Person,
                }],
            ),
            (
                "Jane Doe",
                Roles::ANY_NAME,
                vec![Field::Name { key: NameKey::Any }],
            ),
            (
                "Standing Desk",
                Roles::ANY_NAME | Roles::GENERIC_NAME,
                vec![Field::Name {
                    key: NameKey::Generic,
                }],
            ),
            (
                "ACME GmbH",
                Roles::ANY_NAME,
                vec![Field::Blank, Field::Organisation],
            ),
            ("Hans Müller Bau GmbH", Roles::ANY_NAME, vec![Field::Blank]),
            ("Hans Müller e.K.", Roles::ANY_NAME, vec![Field::NotName]),
            (
                "Schrauben Handel 1 GmbH",
                Roles::ANY_NAME,
                vec![Field::NotName, Field::Organisation],
            ),
            ("1004155", Roles::ANY_NAME, vec![Field::NotName]),
            ("", Roles::ANY_NAME, vec![Field::Blank]),
            (
                "Hauptstraße 5, Berlin",
                Roles::ADDRESS,
                vec![Field::Address],
            ),
            ("Type 2 diabetes", Roles::HEALTH, vec![Field::Health]),
            ("peanuts", Roles::HEALTH, vec![Field::UncertainHealth]),
            ("Bearing worn, seal leaking", Roles::HEALTH, vec![]),
            ("S0001", Roles::PLACE, vec![Field::Place]),
            ("Pump P-101", Roles::EQUIPMENT, vec![Field::Equipment]),
            ("AAEC", Roles::BIOMETRIC, vec![Field::Biometric]),
            ("48.8584", Roles::LATITUDE, vec![Field::Latitude(48.8584)]),
            ("2.2945", Roles::LONGITUDE, vec![Field::Longitude(2.2945)]),
            (
                "2.2945",
                Roles::COORDINATES,
                vec![Field::Coordinate(2.2945)],
            ),
            ("48.85", Roles::LATITUDE, vec![]),
            ("new", Roles::HEALTH_CODE, vec![]),
            ("Jane Doe", Roles::NONE, vec![]),
        ];
        for (value, roles, expected) in cases {
            assert_eq!(fields(value, roles), expected, "{value}");
        }
    }
}
