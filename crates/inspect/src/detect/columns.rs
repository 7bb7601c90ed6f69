//! State that spans segments: the vote of each name column, and the
//! pairing of latitude and longitude sent as separate fields.

use std::collections::HashMap;

use super::fields::Field;
use crate::collect::Tally;
use crate::segment::RecordId;
use crate::subjects::{SubjectGraph, value_hash};
use crate::{Category, Finding};

/// Returns a hash of a field name that identifies its column within one
/// inspection (FNV-1a).
pub(crate) fn key_hash(key: &[u8]) -> u64 {
    key.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The names found under one field name (a CSV column, a JSON key).
#[derive(Debug, Default)]
pub(crate) struct NameColumn {
    /// The names found, with their samples and locations.
    pub tally: Tally,
    /// Values that are no name at all (numbers, codes, e-mail addresses).
    /// Blank values, fillers and organisations' names do not vote.
    pub others: u64,
    /// Whether the field name names a person (`first_name`, `Nachname`),
    /// not anything with a name (`name`).
    pub person_key: bool,
    /// The record of every name, without repeats in a row.
    pub records: Vec<RecordId>,
    /// The hash of the first name of each of those records (see
    /// [`crate::subjects::value_hash`]).
    pub name_hashes: Vec<u64>,
    /// Indices of the names in the evaluation list, when one is kept.
    pub evaluation: Vec<usize>,
}

impl NameColumn {
    /// Counts one name, `value`, of `record`, found under a person key or
    /// not.
    pub(crate) fn add_name(&mut self, record: RecordId, value: &[u8], person_key: bool) {
        self.tally.count += 1;
        self.person_key |= person_key;
        if self.records.last() != Some(&record) {
            self.records.push(record);
            self.name_hashes.push(value_hash(value));
        }
    }

    fn is_name_column(&self) -> bool {
        self.person_key || self.tally.count > self.others
    }
}

/// Every name column of one inspection, in first-seen order.
///
/// A column under a key that may name anything (`name`) counts only when
/// its people's names outnumber its values that are no name at all. So a
/// `name` column of product codes or numbers contributes nothing, even
/// where a few of its values have the shape of a name. Organisations' names
/// and fillers abstain, so persons in a customer list that mixes companies
/// and people still count. This holds for a single JSON object too: its
/// one `name` value is a column of one.
///
/// A column under a person's key (`first_name`, `fullname`) counts every
/// name without a vote: there, numbers or codes added beside the names
/// would hide every one of them.
#[derive(Debug, Default)]
pub(crate) struct NameColumns {
    index: HashMap<u64, usize>,
    columns: Vec<NameColumn>,
    /// The hash and index of the column looked up last. Records usually
    /// hold one name column, so this spares most lookups in `index`.
    last: Option<(u64, usize)>,
}

impl NameColumns {
    /// Returns the column of the field name with hash `column`.
    pub(crate) fn column(&mut self, column: u64) -> &mut NameColumn {
        if let Some((hash, index)) = self.last
            && hash == column
        {
            return &mut self.columns[index];
        }
        let next = self.columns.len();
        let index = *self.index.entry(column).or_insert(next);
        if index == next {
            self.columns.push(NameColumn::default());
        }
        self.last = Some((column, index));
        &mut self.columns[index]
    }

    /// Adds the names of every name column to `tally` and its records to
    /// `subjects`. Returns the sorted evaluation indices of the names in
    /// columns that are not name columns.
    pub(crate) fn settle(&mut self, tally: &mut Tally, subjects: &mut SubjectGraph) -> Vec<usize> {
        let mut rejected = Vec::new();
        self.last = None;
        for column in self.columns.drain(..) {
            if !column.is_name_column() {
                rejected.extend(column.evaluation);
                continue;
            }
            tally.count += column.tally.count;
            for sample in column.tally.samples {
                tally.add_sample(sample);
            }
            for location in &column.tally.locations {
                tally.add_location(location);
            }
            for record in column.records {
                subjects.touch(record);
            }
            // Products and teams also fill a column under a key that may
            // name anything (`name`), so only a person's key bounds the
            // number of people by its distinct names.
            if column.person_key {
                subjects.add_name_column(column.name_hashes);
            }
        }
        rejected.sort_unstable();
        rejected
    }
}

/// The kind of a pending coordinate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Axis {
    Latitude,
    Longitude,
    /// One of two numbers under a coordinate key, order unknown.
    Either,
}

#[derive(Debug)]
struct PendingCoordinate {
    record: RecordId,
    column: u64,
    axis: Axis,
    value: String,
    location: String,
}

/// Pairs coordinates sent as separate fields of one record. Each field of a
/// pair is a match of its own, so both values are counted and masked where
/// they were sent; a coordinate without its partner is not precise
/// location.
#[derive(Debug, Default)]
pub(crate) struct Coordinates {
    pending: Option<PendingCoordinate>,
}

impl Coordinates {
    /// Adds one coordinate field found at `location`. When it completes a
    /// pair, returns the value and location of the field it pairs with: a
    /// latitude with a longitude, or two numbers under one coordinate key.
    pub(crate) fn add(
        &mut self,
        record: RecordId,
        column: u64,
        field: Field,
        value: &[u8],
        location: &str,
    ) -> Option<(String, String)> {
        let axis = match field {
            Field::Latitude(_) => Axis::Latitude,
            Field::Longitude(_) => Axis::Longitude,
            Field::Coordinate(_) => Axis::Either,
            _ => return None,
        };
        if let Some(pending) = self.pending.take() {
            let pairs = match (pending.axis, axis) {
                (Axis::Latitude, Axis::Longitude) | (Axis::Longitude, Axis::Latitude) => true,
                (Axis::Either, Axis::Either) => pending.column == column,
                _ => false,
            };
            if pairs && pending.record == record {
                return Some((pending.value, pending.location));
            }
        }
        self.pending = Some(PendingCoordinate {
            record,
            column,
            axis,
            value: String::from_utf8_lossy(value).into_owned(),
            location: location.to_owned(),
        });
        None
    }
}

/// Returns the finding of every tallied category, in report order.
pub(crate) fn findings(tallies: [Tally; Category::ALL.len()]) -> Vec<Finding> {
    Category::ALL
        .into_iter()
        .zip(tallies)
        .filter(|(_, tally)| tally.count > 0)
        .map(|(category, tally)| Finding {
            category,
            count: tally.count,
            sensitive: category.is_sensitive() || tally.minor,
            samples: tally.samples,
            minor: tally.minor,
            locations: tally.locations,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latitude_and_longitude_of_one_record_pair_up() {
        let mut coordinates = Coordinates::default();
        let latitude = Field::Latitude(48.8584);
        let longitude = Field::Longitude(2.2945);
        assert_eq!(coordinates.add(1, 1, latitude, b"48.8584", "$.lat"), None);
        assert_eq!(
            coordinates.add(1, 2, longitude, b"2.2945", "$.lng"),
            Some(("48.8584".to_owned(), "$.lat".to_owned()))
        );
        assert_eq!(coordinates.add(2, 2, longitude, b"2.2945", "a"), None);
        assert!(coordinates.add(2, 1, latitude, b"48.8584", "b").is_some());
    }

    #[test]
    fn coordinates_of_different_records_do_not_pair() {
        let mut coordinates = Coordinates::default();
        assert_eq!(
            coordinates.add(1, 1, Field::Latitude(48.8584), b"48.8584", "a"),
            None
        );
        assert_eq!(
            coordinates.add(2, 2, Field::Longitude(2.2945), b"2.2945", "b"),
            None
        );
    }

    #[test]
    fn two_numbers_under_one_coordinate_key_pair_up() {
        let mut coordinates = Coordinates::default();
        let first = Field::Coordinate(2.2945);
        let second = Field::Coordinate(48.8584);
        assert_eq!(coordinates.add(1, 7, first, b"2.2945", "a"), None);
        assert_eq!(
            coordinates.add(1, 7, second, b"48.8584", "b"),
            Some(("2.2945".to_owned(), "a".to_owned()))
        );
    }

    #[test]
    fn columns_of_mostly_names_count() {
        let mut columns = NameColumns::default();
        let names = columns.column(1);
        names.add_name(1, b"Jane Roe", false);
        names.add_name(2, b"John Doe", false);
        names.others += 1;
        let codes = columns.column(2);
        codes.add_name(3, b"X1-77", false);
        codes.others += 2;
        codes.evaluation.push(5);
        // Under a person's key, codes beside the names do not outvote them.
        let people = columns.column(3);
        people.add_name(4, b"Zoe Roe", true);
        people.others += 5;
        let mut tally = Tally::default();
        let mut subjects = SubjectGraph::default();
        let rejected = columns.settle(&mut tally, &mut subjects);
        assert_eq!(tally.count, 3);
        assert_eq!(subjects.count(), 3);
        assert_eq!(rejected, [5]);
    }
}
