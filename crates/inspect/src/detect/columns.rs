//! State that spans segments: the vote of each name column, and the
//! pairing of latitude and longitude sent as separate fields.

use std::collections::HashMap;

use super::fields::{Field, NameKey};
use super::name_words::{WordEvidence, word_evidence};
use crate::collect::Tally;
use crate::segment::RecordId;
use crate::subjects::SubjectGraph;
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
    /// The word evidence of the column's first names, under a key that may
    /// name anything (`name`). Nothing is sampled under other keys.
    evidence: Evidence,
    /// The record of every name, without repeats in a row.
    pub records: Vec<RecordId>,
    /// The hash of the first name of each of those records (see
    /// [`crate::subjects::value_hash`]).
    pub name_hashes: Vec<u64>,
    /// Indices of the names in the evaluation list, when one is kept.
    pub evaluation: Vec<usize>,
}

impl NameColumn {
    /// Counts one name of `record`, whose
    /// [`crate::subjects::value_hash`] is `hash`, found
    /// under a key of the kind `key`.
    fn add_name(&mut self, record: RecordId, hash: u64, key: NameKey) {
        self.tally.count += 1;
        self.person_key |= key == NameKey::Person;
        if self.records.last() != Some(&record) {
            self.records.push(record);
            self.name_hashes.push(hash);
        }
    }

    /// Returns whether the names count. `people` are the records that hold
    /// a name beside an e-mail address, phone number or birth date, sorted.
    fn is_name_column(&self, people: &[RecordId]) -> bool {
        if self.person_key {
            return true;
        }
        if self.tally.count <= self.others {
            return false;
        }
        let evidence = &self.evidence;
        if evidence.sampled == 0 || evidence.words_confirm() {
            return true;
        }
        // A team or a service sends its e-mail address and phone number too
        // (`{"contact": "Support Desk", "email": …}`), so neighbours confirm
        // only a column whose words do not speak against people.
        let sampled = &self.records[..self.records.len().min(usize::from(SAMPLED_NAMES))];
        let with_people = sampled
            .iter()
            .filter(|record| people.binary_search(record).is_ok())
            .count();
        evidence.neighbours_may_confirm() && with_people * 2 >= sampled.len()
    }
}

/// Names whose words are looked up, at the start of a column under a key
/// that may name anything. The lookups stop there, so a long column costs
/// no more than a short one.
const SAMPLED_NAMES: u8 = 32;

/// Listed names after which a column under a key that may name anything
/// is confirmed without looking up more: a quarter of [`SAMPLED_NAMES`].
const LISTED_NAMES: u8 = SAMPLED_NAMES / 4;

/// The word evidence of the first [`SAMPLED_NAMES`] names of a column (see
/// [`super::name_words`]).
#[derive(Debug, Default)]
struct Evidence {
    /// Names looked up.
    sampled: u8,
    /// Of them, names with a listed given name or family name.
    listed: u8,
    /// Of them, names with a word of a product, a unit, a service or a
    /// place.
    not_person: u8,
    /// Whether the sample is complete: [`SAMPLED_NAMES`] names, or fewer
    /// once [`LISTED_NAMES`] of them confirmed the column.
    sampled_all: bool,
}

impl Evidence {
    fn is_confirmed_early(&self) -> bool {
        self.listed >= LISTED_NAMES && self.words_confirm()
    }

    fn add(&mut self, value: &[u8]) {
        self.sampled += 1;
        match word_evidence(value) {
            WordEvidence::Person => self.listed += 1,
            WordEvidence::NotPerson => self.not_person += 1,
            WordEvidence::Unknown => {}
        }
    }

    /// Returns whether at least a quarter of the sampled names are listed,
    /// and more of them than have a word of a product, a unit, a service or
    /// a place. A quarter, because the lists hold common names only, so a
    /// column of people with rarer names has fewer listed, while the words
    /// of a catalogue or a list of teams are rarely names at all.
    fn words_confirm(&self) -> bool {
        self.listed > self.not_person && usize::from(self.listed) * 4 >= usize::from(self.sampled)
    }

    /// Returns whether fewer than half of the sampled names have a word of
    /// a product, a unit, a service or a place.
    fn neighbours_may_confirm(&self) -> bool {
        self.not_person * 2 < self.sampled
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
/// A column under a key that may name anything (`name`, `contact`) also
/// needs evidence that it contains people, because products, teams, places and
/// services have the shape of a name too. Its first [`SAMPLED_NAMES`] names
/// are looked up in word lists ([`super::name_words`]), or fewer once
/// [`LISTED_NAMES`] of them confirm the column. The column counts when at
/// least a quarter of them contain a common given name or family name
/// (`Jane Doe`, `王小明`), and more of them than contain a word of a
/// product, a unit, a service or a place. Otherwise it counts when at
/// least half of the records of those names also contain an e-mail
/// address, phone number or birth date. That does not apply when half of
/// the names contain a word of a product, a unit, a service or a place
/// (`Office Chair`, `Sales Team`, `New York`).
/// So a lone `{"name": "Jane Doe"}` counts, and a catalogue of
/// `{"name": "Standing Desk"}` does not.
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
    /// Columns under a key that may name anything whose sampled names have
    /// not yet confirmed them. While there are any, records with people's
    /// identifiers are kept in `people`.
    unconfirmed: usize,
    /// The records that contain a name beside an e-mail address, phone number
    /// or birth date, in the order they ended.
    people: Vec<RecordId>,
}

impl NameColumns {
    /// Counts the name `value` of `record`, found under a key of the kind
    /// `key`, in the column of the field name with hash `column`. Returns
    /// that column.
    #[cfg(test)]
    pub(crate) fn add_name(
        &mut self,
        column: u64,
        record: RecordId,
        value: &[u8],
        key: NameKey,
    ) -> &mut NameColumn {
        let hash = crate::subjects::value_hash(value);
        self.add_hashed_name(column, record, value, hash, key)
    }

    /// Counts the name `value` of `record`, whose
    /// [`crate::subjects::value_hash`] is `hash`, found under a key of the
    /// kind `key`, in the column of the field name with hash `column`.
    /// Returns that column.
    #[inline(always)]
    pub(crate) fn add_hashed_name(
        &mut self,
        column: u64,
        record: RecordId,
        value: &[u8],
        hash: u64,
        key: NameKey,
    ) -> &mut NameColumn {
        // Most names fall in the column of the previous name, after its
        // sample is complete.
        if let Some((last, index)) = self.last
            && last == column
            && (key != NameKey::Generic || self.columns[index].evidence.sampled_all)
        {
            let names = &mut self.columns[index];
            names.add_name(record, hash, key);
            return names;
        }
        self.add_hashed_name_slowly(column, record, value, hash, key)
    }

    /// Counts a name like [`NameColumns::add_hashed_name`] in any column,
    /// sampling it when its column needs samples.
    #[cold]
    #[inline(never)]
    fn add_hashed_name_slowly(
        &mut self,
        column: u64,
        record: RecordId,
        value: &[u8],
        hash: u64,
        key: NameKey,
    ) -> &mut NameColumn {
        let index = self.index_of(column);
        let names = &mut self.columns[index];
        names.add_name(record, hash, key);
        if key == NameKey::Generic && !names.evidence.sampled_all {
            self.sample_name(index, value);
        }
        &mut self.columns[index]
    }

    /// Adds the generic name `value` to the sample of the column at `index`.
    /// Out of line, because it runs for the first names of a column only.
    #[cold]
    #[inline(never)]
    fn sample_name(&mut self, index: usize, value: &[u8]) {
        let evidence = &mut self.columns[index].evidence;
        if evidence.sampled == 0 {
            self.unconfirmed += 1;
        }
        evidence.add(value);
        if evidence.is_confirmed_early() {
            self.unconfirmed -= 1;
        }
        evidence.sampled_all = evidence.sampled == SAMPLED_NAMES || evidence.is_confirmed_early();
    }

    /// Returns whether [`NameColumns::add_people_record`] may still change
    /// what counts.
    pub(crate) fn awaits_people(&self) -> bool {
        self.unconfirmed > 0
    }

    /// Notes that `record` contains a name beside an e-mail address, phone
    /// number or birth date.
    pub(crate) fn add_people_record(&mut self, record: RecordId) {
        if self.people.last() != Some(&record) {
            self.people.push(record);
        }
    }

    /// Returns the column of the field name with hash `column`.
    pub(crate) fn column(&mut self, column: u64) -> &mut NameColumn {
        let index = self.index_of(column);
        &mut self.columns[index]
    }

    #[inline(always)]
    fn index_of(&mut self, column: u64) -> usize {
        if let Some((hash, index)) = self.last
            && hash == column
        {
            return index;
        }
        let next = self.columns.len();
        let index = *self.index.entry(column).or_insert(next);
        if index == next {
            self.columns.push(NameColumn::default());
        }
        self.last = Some((column, index));
        index
    }

    /// Adds the names of every name column to `tally` and its records to
    /// `subjects`, and to `named` when given. Returns the sorted evaluation
    /// indices of the names in columns that are not name columns.
    pub(crate) fn settle(
        &mut self,
        tally: &mut Tally,
        subjects: &mut SubjectGraph,
        mut named: Option<&mut Vec<RecordId>>,
    ) -> Vec<usize> {
        let mut rejected = Vec::new();
        self.last = None;
        self.people.sort_unstable();
        for column in self.columns.drain(..) {
            if !column.is_name_column(&self.people) {
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
            if let Some(named) = named.as_deref_mut() {
                named.extend_from_slice(&column.records);
            }
            for &record in &column.records {
                subjects.touch(record);
            }
            // Products and teams also fill a column under a key that may
            // name anything (`name`), so only a person's key bounds the
            // number of people by its distinct names. Every accepted
            // column distinguishes the records of a shared identifier.
            subjects.add_name_column(column.records, column.name_hashes, column.person_key);
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
    fn name_shortcut_matches_general_path() {
        let values = [
            b"Jane Doe".as_slice(),
            b"Aurora Stool",
            b"Nino Kvaratskhelia",
            b"X1-77",
            b"",
        ];
        let keys = [NameKey::Person, NameKey::Any, NameKey::Generic];
        let mut fast = NameColumns::default();
        let mut general = NameColumns::default();
        // A xorshift64 generator, so that every run adds the same names.
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        let mut record = 0;
        for _ in 0..5_000 {
            // Runs of names in one column, as a CSV file sends them, and
            // names of the same record in a row.
            let column = next(4);
            let key = keys[next(3) as usize];
            for _ in 0..1 + next(60) {
                record += next(2);
                let value = values[next(5) as usize];
                let hash = next(1 << 20);
                let fast_count = fast
                    .add_hashed_name(column, record, value, hash, key)
                    .tally
                    .count;
                let general_count = general
                    .add_hashed_name_slowly(column, record, value, hash, key)
                    .tally
                    .count;
                assert_eq!(fast_count, general_count);
            }
        }
        assert_eq!(fast.unconfirmed, general.unconfirmed);
        assert_eq!(fast.last, general.last);
        assert_eq!(fast.columns.len(), general.columns.len());
        for (fast, general) in fast.columns.iter().zip(&general.columns) {
            assert_eq!(format!("{fast:?}"), format!("{general:?}"));
        }
    }

    #[test]
    fn columns_of_mostly_names_count() {
        let mut columns = NameColumns::default();
        columns.add_name(1, 1, b"Jane Roe", NameKey::Any);
        columns.add_name(1, 2, b"John Doe", NameKey::Any).others += 1;
        let codes = columns.add_name(2, 3, b"X1-77", NameKey::Any);
        codes.others += 2;
        codes.evaluation.push(5);
        // Under a person's key, codes beside the names do not outvote them.
        columns.add_name(3, 4, b"Zoe Roe", NameKey::Person).others += 5;
        let mut tally = Tally::default();
        let mut subjects = SubjectGraph::default();
        let rejected = columns.settle(&mut tally, &mut subjects, None);
        assert_eq!(tally.count, 3);
        assert_eq!(subjects.count(), 3);
        assert_eq!(rejected, [5]);
    }

    /// Settles `columns` and returns the number of names that count.
    fn settled_names(mut columns: NameColumns) -> u64 {
        let mut tally = Tally::default();
        columns.settle(&mut tally, &mut SubjectGraph::default(), None);
        tally.count
    }

    #[test]
    fn generic_columns_need_listed_names() {
        let mut catalogue = NameColumns::default();
        for (record, product) in [b"Aurora Stool".as_slice(), b"Nordic Lamp", b"Oak Cube"]
            .into_iter()
            .enumerate()
        {
            catalogue.add_name(1, record as RecordId, product, NameKey::Generic);
        }
        assert!(catalogue.awaits_people());
        assert_eq!(settled_names(catalogue), 0);

        // A quarter of the names listed confirm the others.
        let mut customers = NameColumns::default();
        let names = [
            b"Jane Doe".as_slice(),
            b"Dikman Shervashidze",
            b"Zurab Tsereteli",
            b"Nino Kvaratskhelia",
        ];
        for (record, name) in names.into_iter().enumerate() {
            customers.add_name(1, record as RecordId, name, NameKey::Generic);
        }
        assert_eq!(settled_names(customers), 4);
    }

    #[test]
    fn generic_columns_stop_looking_up_once_confirmed() {
        let mut columns = NameColumns::default();
        for record in 0..u64::from(LISTED_NAMES) {
            columns.add_name(1, record, b"Jane Doe", NameKey::Generic);
        }
        assert!(!columns.awaits_people());
        for record in 100..200 {
            columns.add_name(1, record, b"Aurora Stool", NameKey::Generic);
        }
        assert_eq!(settled_names(columns), 108);
    }

    #[test]
    fn people_records_confirm_unlisted_names() {
        let mut columns = NameColumns::default();
        columns.add_name(1, 1, b"Dikman Shervashidze", NameKey::Generic);
        columns.add_name(1, 2, b"Zurab Tsereteli", NameKey::Generic);
        columns.add_people_record(2);
        columns.add_people_record(1);
        assert_eq!(settled_names(columns), 2);

        // Teams send e-mail addresses too.
        let mut columns = NameColumns::default();
        columns.add_name(1, 1, b"Support Desk", NameKey::Generic);
        columns.add_people_record(1);
        assert_eq!(settled_names(columns), 0);

        // One record of three with an e-mail address is less than half.
        let mut columns = NameColumns::default();
        columns.add_name(1, 1, b"Dikman Shervashidze", NameKey::Generic);
        columns.add_name(1, 2, b"Aurora Stool", NameKey::Generic);
        columns.add_name(1, 3, b"Nordic Lamp", NameKey::Generic);
        columns.add_people_record(1);
        assert_eq!(settled_names(columns), 0);
    }
}
