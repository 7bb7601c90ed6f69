//! Findings whose meaning depends on what their record describes: a
//! person, a place of business, a company or a machine.
//!
//! Keys alone do not tell. `diagnosis` and `symptoms` describe pumps in a
//! maintenance work order, `lat` and `lng` locate stores in a branch list,
//! and the phone number and street of a supplier are its company's. The
//! collector reads a record's fields one after another, so what decides
//! may come after the finding. Such findings wait here until the body is
//! read:
//!
//! - health text under a health key without clinical words counts when
//!   its record is about a person and not about a machine;
//! - coordinates count unless their record describes a place of business
//!   and no person;
//! - a postal address found after an organisation's name or a place key
//!   in the same record is reported at once, but makes its record a
//!   subject only when the record also turns out to contain a person. A
//!   phone number there is reported and never makes its record a subject
//!   (see `Collector::defer_business_contact`).
//!
//! A record is about a person when it contains a person's name (in a
//! column of names that counts), a birth date or an identifier other than
//! a role mailbox. In a record of a business, a phone number is the
//! business's and proves no person. A parent key on the path
//! (`patients[3].diagnosis`) also counts for health, and a place key on
//! the nearest parent (`stores[3].lat`) for coordinates.

use crate::segment::RecordId;

/// The kinds of fields seen in one record, as bits.
pub(crate) type RecordFlags = u8;

/// A key that names a place of business (`store_id`).
pub(crate) const PLACE: RecordFlags = 1;
/// A key that names a machine or a device (`equipment`).
pub(crate) const EQUIPMENT: RecordFlags = 1 << 1;
/// An organisation's name under a name key (`ACME GmbH`).
pub(crate) const ORGANISATION: RecordFlags = 1 << 2;

/// The record id that no decoder assigns, for "no record yet".
const NO_RECORD: RecordId = RecordId::MAX;

/// Path words of parents that hold people's records.
const PERSON_PATH_WORDS: &[&str] = &[
    "employee",
    "employees",
    "member",
    "members",
    "mitarbeiter",
    "paciente",
    "pacientes",
    "patient",
    "patienten",
    "patients",
    "people",
    "person",
    "persons",
    "personnel",
    "staff",
];

/// Path words of parents that hold machines.
const EQUIPMENT_PATH_WORDS: &[&str] = &[
    "asset",
    "assets",
    "equipment",
    "equipments",
    "machine",
    "machines",
    "printer",
    "printers",
];

/// Path words of parents that hold places of business.
const PLACE_PATH_WORDS: &[&str] = &[
    "branch",
    "branches",
    "depot",
    "depots",
    "filialen",
    "parcelshops",
    "pickuppoints",
    "plant",
    "plants",
    "site",
    "sites",
    "standorte",
    "store",
    "stores",
    "warehouse",
    "warehouses",
];

/// Path words that name a coordinate or its container rather than the
/// record (`stores[3].geo.lat`), skipped when looking for the nearest
/// parent of coordinates.
const COORDINATE_PATH_WORDS: &[&str] = &[
    "coordinates",
    "geo",
    "geolocation",
    "gps",
    "lat",
    "latitude",
    "lng",
    "location",
    "lon",
    "long",
    "longitude",
    "position",
];

/// Splits a rendered location into its lower-case ASCII words that are not
/// numbers, innermost last.
fn path_words(location: &str) -> Vec<String> {
    location
        .split(|character: char| !character.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty() && !word.bytes().all(|byte| byte.is_ascii_digit()))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Returns the flags that the parents of a health value at `location`
/// give it: [`EQUIPMENT`], and [`PERSON_FLAG`] for a person's parent.
fn health_path_flags(location: &str) -> RecordFlags {
    let mut flags = 0;
    for word in path_words(location) {
        if PERSON_PATH_WORDS.contains(&word.as_str()) {
            flags |= PERSON_FLAG;
        }
        if EQUIPMENT_PATH_WORDS.contains(&word.as_str()) {
            flags |= EQUIPMENT;
        }
    }
    flags
}

/// Returns [`PLACE`] when the nearest parent of coordinates at `location`
/// that is no coordinate container names places of business.
fn coordinate_path_flags(location: &str) -> RecordFlags {
    let words = path_words(location);
    // The last word is the coordinate's own key.
    let parent = words
        .iter()
        .rev()
        .skip(1)
        .find(|word| !COORDINATE_PATH_WORDS.contains(&word.as_str()));
    match parent {
        Some(word) if PLACE_PATH_WORDS.contains(&word.as_str()) => PLACE,
        _ => 0,
    }
}

/// A bit beside [`RecordFlags`] for evidence of a person, kept apart from
/// them because records get it from identifiers, not keys.
const PERSON_FLAG: RecordFlags = 1 << 7;

/// A finding that waits for its record, with the rule that decides it.
#[derive(Debug)]
pub(crate) enum Deferred {
    /// Health text without clinical words: counted as health in a record
    /// about a person and not about a machine.
    Health { value: String, location: String },
    /// One value of a coordinate pair: counted as precise location unless
    /// its record describes a place of business and no person.
    Coordinate { value: String, location: String },
    /// A postal address in a record of a business: makes its record a
    /// subject only in a record about a person. `identity` is its text
    /// for keyed identities, kept only when those are computed.
    Address { identity: Option<Vec<u8>> },
}

/// One deferred item of one record.
#[derive(Debug)]
struct Item {
    record: RecordId,
    /// The flags of its path, and [`PERSON_FLAG`] once its record showed a
    /// person.
    flags: RecordFlags,
    deferred: Deferred,
}

/// The deferred items of one inspection and what their records contain.
#[derive(Debug)]
pub(crate) struct RecordContext {
    items: Vec<Item>,
    /// Records with flags, in the order the flags were seen. A record may
    /// appear more than once.
    flagged: Vec<(RecordId, RecordFlags)>,
    /// The last record flagged as a place or an organisation. Its addresses
    /// wait, and its phone numbers make no subject.
    business_record: RecordId,
}

impl Default for RecordContext {
    fn default() -> Self {
        RecordContext {
            items: Vec::new(),
            flagged: Vec::new(),
            business_record: NO_RECORD,
        }
    }
}

impl RecordContext {
    /// Notes that `record` contains a field with `flags`.
    #[cold]
    pub(crate) fn flag(&mut self, record: RecordId, flags: RecordFlags) {
        if flags & (PLACE | ORGANISATION) != 0 {
            self.business_record = record;
        }
        match self.flagged.last_mut() {
            Some((last, last_flags)) if *last == record => *last_flags |= flags,
            _ => self.flagged.push((record, flags)),
        }
    }

    /// Returns whether `record` was flagged as a place or an organisation
    /// before any later record was.
    #[inline(always)]
    pub(crate) fn is_business(&self, record: RecordId) -> bool {
        record == self.business_record
    }

    /// Returns whether `record` was flagged as a place or an organisation
    /// at all, also after later records were. Looks back only over the
    /// flags of `record` and of records nested in it, whose ids are larger.
    pub(crate) fn was_business(&self, record: RecordId) -> bool {
        self.flagged
            .iter()
            .rev()
            .take_while(|&&(flagged, _)| flagged >= record)
            .any(|&(flagged, flags)| flagged == record && flags & (PLACE | ORGANISATION) != 0)
    }

    /// Returns whether no item waits, so that no record needs marking.
    #[inline(always)]
    pub(crate) fn is_idle(&self) -> bool {
        self.items.is_empty()
    }

    /// Defers `deferred`, found in `record` at `location` when that is
    /// known.
    #[cold]
    pub(crate) fn defer(&mut self, record: RecordId, deferred: Deferred) {
        let flags = match &deferred {
            Deferred::Health { location, .. } => health_path_flags(location),
            Deferred::Coordinate { location, .. } => coordinate_path_flags(location),
            Deferred::Address { .. } => 0,
        };
        self.items.push(Item {
            record,
            flags,
            deferred,
        });
    }

    /// Notes that `record`, whose values the collector has finished
    /// counting, contains a person. Marks its items, which are the last
    /// ones apart from those of records nested in it, whose ids are larger.
    #[cold]
    pub(crate) fn mark_person(&mut self, record: RecordId) {
        for item in self.items.iter_mut().rev() {
            if item.record < record {
                break;
            }
            if item.record == record {
                item.flags |= PERSON_FLAG;
            }
        }
    }

    /// Returns `named` when items wait, to be filled with the records of
    /// the names that count (see [`RecordContext::settle`]).
    pub(crate) fn wants_named<'n>(
        &self,
        named: &'n mut Vec<RecordId>,
    ) -> Option<&'n mut Vec<RecordId>> {
        (!self.is_idle()).then_some(named)
    }

    /// Decides every item. `named` are the sorted records of the names that
    /// count. Returns the items that count, with their records.
    pub(crate) fn settle(&mut self, named: &[RecordId]) -> Vec<(RecordId, Deferred)> {
        self.flagged.sort_unstable_by_key(|&(record, _)| record);
        let flagged = &self.flagged;
        let record_flags = |record: RecordId| {
            let start = flagged.partition_point(|&(flagged, _)| flagged < record);
            flagged[start..]
                .iter()
                .take_while(|&&(flagged, _)| flagged == record)
                .fold(0, |flags, &(_, more)| flags | more)
        };
        let mut counted = Vec::new();
        for item in self.items.drain(..) {
            let mut flags = item.flags | record_flags(item.record);
            if named.binary_search(&item.record).is_ok() {
                flags |= PERSON_FLAG;
            }
            let person = flags & PERSON_FLAG != 0;
            let counts = match item.deferred {
                Deferred::Health { .. } => person && flags & EQUIPMENT == 0,
                Deferred::Coordinate { .. } => person || flags & PLACE == 0,
                Deferred::Address { .. } => person,
            };
            if counts {
                counted.push((item.record, item.deferred));
            }
        }
        counted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn health(location: &str) -> Deferred {
        Deferred::Health {
            value: "peanuts".to_owned(),
            location: location.to_owned(),
        }
    }

    fn coordinate(location: &str) -> Deferred {
        Deferred::Coordinate {
            value: "48.919824".to_owned(),
            location: location.to_owned(),
        }
    }

    fn address() -> Deferred {
        Deferred::Address { identity: None }
    }

    fn counted_records(context: &mut RecordContext, named: &[RecordId]) -> Vec<RecordId> {
        let counted = context.settle(named);
        counted.into_iter().map(|(record, _)| record).collect()
    }

    #[test]
    fn health_needs_a_person_and_no_machine() {
        let mut context = RecordContext::default();
        context.defer(1, health("$[0].allergies"));
        context.defer(2, health("$[1].allergies"));
        context.mark_person(2);
        context.defer(3, health("$.patients[0].visits[1].symptoms"));
        context.defer(4, health("$[3].symptoms"));
        context.flag(4, EQUIPMENT);
        context.mark_person(4);
        context.defer(5, health("$[4].allergies"));
        assert_eq!(counted_records(&mut context, &[5]), [2, 3, 5]);
    }

    #[test]
    fn coordinates_of_places_without_people_do_not_count() {
        let mut context = RecordContext::default();
        context.defer(1, coordinate("$.stores[0].lat"));
        context.defer(2, coordinate("$[1].lat"));
        context.flag(2, PLACE);
        context.defer(3, coordinate("$[2].lat"));
        context.defer(4, coordinate("$.stores[3].geo.lat"));
        context.defer(5, coordinate("$[4].lat"));
        context.flag(5, PLACE);
        context.mark_person(5);
        context.defer(6, coordinate("$.store.customers[0].lat"));
        assert_eq!(counted_records(&mut context, &[]), [3, 5, 6]);
    }

    #[test]
    fn business_records_count_only_with_people() {
        let mut context = RecordContext::default();
        context.flag(1, ORGANISATION);
        assert!(context.is_business(1));
        context.defer(1, address());
        context.flag(2, ORGANISATION);
        assert!(!context.is_business(1));
        assert!(context.was_business(1));
        context.defer(2, address());
        context.mark_person(2);
        context.flag(3, ORGANISATION);
        context.defer(3, address());
        assert_eq!(counted_records(&mut context, &[3]), [2, 3]);
    }
}
