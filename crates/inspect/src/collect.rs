//! The detection driver: normalises every decoded segment, runs the scan
//! and the field rules over it, and builds the report.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;

use chrono::NaiveDate;

use crate::clean_values::{CleanValues, MAX_VALUE_BYTES};
use crate::detect::columns::{Coordinates, NameColumns, findings, key_hash};
use crate::detect::fields::{self, Field, NameKey};
use crate::detect::key_cache::{CachedKey, KeyCache};
use crate::detect::{self, Context, Match, Roles, ShapeMemo, is_role_mailbox, x12};
use crate::identities::KeyedIdentities;
use crate::mask::mask_value;
use crate::normalize::normalize;
use crate::plain_values::PlainShape;
use crate::record_context::{self, Deferred, RecordContext};
use crate::segment::{REQUEST_RECORD, RecordId, Role, Segment, SegmentSink};
use crate::subjects::{ColumnTag, IdentifierKey, SubjectGraph, UNTAGGED, column_tag, value_hash};
use crate::words::contains_byte;
use crate::{Category, Report};

/// Distinct identifiers, names or birth dates of one category that one
/// record may contain and still count as one person, such as a contact with
/// a mobile, a landline, a fax and a home number. Each further distinct one
/// counts as a person of its own (see [`Collector::subject_record`] and
/// [`Collector::described_record`]).
const MAX_IDENTIFIERS_PER_RECORD: usize = 4;

/// Distinct masked samples kept per category.
pub const MAX_SAMPLES: usize = 3;

/// Distinct locations kept per category, in first-seen order.
pub const MAX_LOCATIONS: usize = 10;

/// Matches per category whose mask is computed while looking for distinct
/// samples. Masks keep little of a value, so many values share one mask
/// (every `u…@example.com` is `u***@e***.com`). Past this many matches, a new
/// distinct mask is rare and not worth building a string per match.
const MAX_SAMPLE_ATTEMPTS: u64 = 64;

/// The matches of one category so far.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub count: u64,
    pub samples: Vec<String>,
    pub locations: Vec<String>,
    /// Whether a date of birth of a minor was among the matches.
    pub minor: bool,
}

impl Tally {
    /// Keeps `sample` when it is new and there is room.
    pub(crate) fn add_sample(&mut self, sample: String) {
        if self.samples.len() < MAX_SAMPLES && !self.samples.contains(&sample) {
            self.samples.push(sample);
        }
    }

    /// Keeps `location` when it is new and there is room.
    pub(crate) fn add_location(&mut self, location: &str) {
        if self.locations.len() < MAX_LOCATIONS
            && !self.locations.iter().any(|seen| seen == location)
        {
            self.locations.push(location.to_owned());
        }
    }

    /// Returns whether the next match's mask may still be a new sample.
    fn wants_sample(&self) -> bool {
        self.samples.len() < MAX_SAMPLES && self.count <= MAX_SAMPLE_ATTEMPTS
    }
}

/// One value to count.
struct Found<'v> {
    category: Category,
    /// The matched text after normalisation, or the whole field value.
    value: &'v [u8],
    minor: bool,
}

/// Receives segments from the decoders and accumulates the report.
///
/// A category's masks are computed for at most its first
/// [`MAX_SAMPLE_ATTEMPTS`] matches, and its locations only until it has
/// [`MAX_LOCATIONS`]. So a body with millions of matches pays for building
/// strings mostly at its start.
#[derive(Debug)]
pub(crate) struct Collector<'k> {
    subject_key: &'k RandomState,
    /// The key of identifier hashes, drawn from `subject_key` at the first
    /// identifier, so that a body without one does not pay for it.
    identifier_key: Option<IdentifierKey>,
    today: Option<NaiveDate>,
    next_record: RecordId,
    tallies: [Tally; Category::ALL.len()],
    subjects: SubjectGraph,
    keys: KeyCache,
    clean_values: CleanValues,
    names: NameColumns,
    coordinates: Coordinates,
    /// Findings that wait for what their record describes.
    context: RecordContext,
    /// The record and column of the previous segment when it held biometric
    /// data, so that a feature vector sent as an array counts once.
    previous_biometric: Option<(RecordId, u64)>,
    /// The identifiers counted in the current and the previous segment, and
    /// the record and key hash of that previous segment. A decoder may emit
    /// two readings of one value (a cookie with `+` read as a space and as a
    /// plus), and an identifier that repeats the previous segment's under
    /// the same key in the same record is counted once.
    current_identifiers: Vec<(Category, u64)>,
    previous_identifiers: Vec<(Category, u64)>,
    current_owner: Option<(RecordId, u64)>,
    previous_owner: Option<(RecordId, u64)>,
    /// The number of segments started so far. Most segments count no
    /// identifier, so starting one only counts it, and the lists above move
    /// when the next identifier is counted (see
    /// [`Collector::catch_up_segments`]).
    segments_started: u64,
    /// The value of `segments_started` for which `current_identifiers` and
    /// `current_owner` were filled.
    current_segment: u64,
    /// The [`key_hash`] of the key of the segment being scanned, taken from
    /// the key cache so that the key is not hashed per value. Every scan
    /// sets it, and only scans count values.
    scan_column: Option<u64>,
    /// The record whose values the fields below count.
    counted_record: RecordId,
    /// The first [`MAX_IDENTIFIERS_PER_RECORD`] distinct identifiers of
    /// each category in `counted_record`: keyed hashes of identifiers, and
    /// [`value_hash`]es of names and birth dates.
    record_identifiers: [[u64; MAX_IDENTIFIERS_PER_RECORD]; Category::ALL.len()],
    /// The column tags of those identifiers, in the same order.
    record_tags: [[ColumnTag; MAX_IDENTIFIERS_PER_RECORD]; Category::ALL.len()],
    /// How many identifiers, names or birth dates of each category
    /// `counted_record` kept, up to [`MAX_IDENTIFIERS_PER_RECORD`]. Kept
    /// apart from the hashes, so that a new record clears one small array.
    record_counts: [u8; Category::ALL.len()],
    /// How many values of each category of `counted_record` went to
    /// records of their own.
    record_overflow: [u32; Category::ALL.len()],
    /// The records of those values. The n-th such value of every category
    /// goes to the n-th record, so that a table sent by column (lists of
    /// names, birth dates and e-mail addresses in one record) counts each
    /// row once.
    overflow_records: Vec<RecordId>,
    /// The record that each name or birth date beyond the first
    /// [`MAX_IDENTIFIERS_PER_RECORD`] of a record went to, by its
    /// [`value_hash`] mixed with its category, so that a repeat of it goes
    /// there too. It is cleared when the next record overflows, so that a
    /// record without overflowing values costs nothing here.
    overflow_values: HashMap<u64, RecordId>,
    /// The record whose values `overflow_values` contains.
    overflow_values_record: RecordId,
    matches: Vec<Match>,
    fields: Vec<Field>,
    x12_names: Vec<(usize, usize)>,
    normalized: Vec<u8>,
    identifier: Vec<u8>,
    /// Keyed hashes of the individuals' identifiers, when the request asks
    /// for them.
    identities: Option<KeyedIdentities>,
    /// The column names of the open table, if any.
    table_keys: Option<TableKeys>,
    /// The cache entry of each column of the open table, in order, for the
    /// keys that the key cache held when the table began.
    column_keys: Vec<Option<CachedKey>>,
    /// The shapes of values that the shape checks ruled out under each key.
    member_shapes: ShapeMemo,
    #[cfg(feature = "evaluation")]
    evaluation: Option<Vec<crate::EvaluatedMatch>>,
}

impl<'k> Collector<'k> {
    /// Creates a collector that hashes identifiers with `subject_key` and
    /// computes ages on `today`.
    pub(crate) fn new(subject_key: &'k RandomState, today: Option<NaiveDate>) -> Self {
        Collector {
            subject_key,
            identifier_key: None,
            today,
            next_record: REQUEST_RECORD,
            tallies: Default::default(),
            subjects: SubjectGraph::default(),
            keys: KeyCache::default(),
            clean_values: CleanValues::default(),
            names: NameColumns::default(),
            coordinates: Coordinates::default(),
            context: RecordContext::default(),
            previous_biometric: None,
            current_identifiers: Vec::new(),
            previous_identifiers: Vec::new(),
            current_owner: None,
            previous_owner: None,
            segments_started: 0,
            current_segment: 0,
            scan_column: None,
            counted_record: REQUEST_RECORD,
            record_identifiers: Default::default(),
            record_tags: Default::default(),
            record_counts: Default::default(),
            record_overflow: Default::default(),
            overflow_records: Vec::new(),
            overflow_values: HashMap::new(),
            overflow_values_record: REQUEST_RECORD,
            matches: Vec::new(),
            fields: Vec::new(),
            x12_names: Vec::new(),
            normalized: Vec::new(),
            identifier: Vec::new(),
            identities: None,
            table_keys: None,
            column_keys: Vec::new(),
            member_shapes: ShapeMemo::default(),
            #[cfg(feature = "evaluation")]
            evaluation: None,
        }
    }

    /// Also computes keyed identities of the individuals, with `key`.
    pub(crate) fn with_identity_key(mut self, key: Option<&[u8; 32]>) -> Self {
        self.identities = key.map(KeyedIdentities::new);
        self
    }

    /// Makes the collector keep every match with its raw value, for
    /// [`crate::Inspector::evaluate`].
    #[cfg(feature = "evaluation")]
    pub(crate) fn keep_matches(&mut self) {
        self.evaluation = Some(Vec::new());
    }

    /// Returns the kept matches in the order found, without the names of
    /// columns that turned out not to hold names.
    #[cfg(feature = "evaluation")]
    pub(crate) fn finish_with_matches(mut self) -> Vec<crate::EvaluatedMatch> {
        let mut evaluation = self.evaluation.take().unwrap_or_default();
        self.note_people_record();
        let mut named = Vec::new();
        let name_tally = &mut self.tallies[Category::PersonName as usize];
        let rejected = self.names.settle(
            name_tally,
            &mut self.subjects,
            self.context.wants_named(&mut named),
        );
        let mut index = 0;
        evaluation.retain(|_| {
            index += 1;
            rejected.binary_search(&(index - 1)).is_err()
        });
        self.evaluation = Some(evaluation);
        self.settle_context(named);
        self.evaluation.take().unwrap_or_default()
    }

    /// Builds the report; `decoded_bytes` is the size of the decoded body.
    pub(crate) fn finish(mut self, decoded_bytes: u64) -> Report {
        self.note_people_record();
        let mut named = Vec::new();
        let name_tally = &mut self.tallies[Category::PersonName as usize];
        self.names.settle(
            name_tally,
            &mut self.subjects,
            self.context.wants_named(&mut named),
        );
        self.settle_context(named);
        let findings = findings(self.tallies);
        let subjects = self.subjects.count();
        let subject_keys = match self.identities {
            Some(identities) => identities.finish(&self.subjects.roots()),
            None => Vec::new(),
        };
        Report {
            personal_data: !findings.is_empty(),
            sensitive: findings.iter().any(|finding| finding.sensitive),
            subjects,
            findings,
            decoded_bytes,
            subject_keys,
        }
    }

    /// Returns the key of identifier hashes, drawing it first if needed.
    #[inline(always)]
    fn identifier_key(&mut self) -> IdentifierKey {
        match self.identifier_key {
            Some(key) => key,
            None => self.draw_identifier_key(),
        }
    }

    #[cold]
    #[inline(never)]
    fn draw_identifier_key(&mut self) -> IdentifierKey {
        let key = IdentifierKey::from_state(self.subject_key);
        self.identifier_key = Some(key);
        key
    }

    /// Counts one value found in `segment`.
    fn record(&mut self, segment: &Segment<'_>, found: Found<'_>, location: &mut Option<String>) {
        // A role mailbox (`info@`, `rechnungen@`) reaches a business's team,
        // and a business's phone number and address are its own, so they
        // are reported but do not count toward the people the request
        // describes.
        let business_contact = (found.category == Category::Email && is_role_mailbox(found.value))
            || (self.context.is_business(segment.record)
                && matches!(found.category, Category::Phone | Category::PostalAddress));
        if business_contact {
            self.record_business_contact(segment, found, location);
            return;
        }
        self.identifier.clear();
        let identifier = detect::identifier(found.category, found.value, &mut self.identifier)
            .then(|| {
                // The category byte goes after the identifier, so that equal
                // bytes of two categories (a card and an account number)
                // stay apart.
                self.identifier_key()
                    .hash_with_suffix(&self.identifier, found.category as u8)
            });
        if let Some(hash) = identifier {
            if self.repeats_previous_segment(segment, found.category, hash) {
                return;
            }
        }
        let (subject_record, tag) = match identifier {
            Some(hash) => self.subject_record(segment.record, found.category, hash),
            None => (segment.record, UNTAGGED),
        };

        self.tally_found(segment, &found, location);
        match identifier {
            Some(hash) => self.subjects.add(subject_record, hash, tag),
            None if found.category == Category::DateOfBirth => {
                let hash = value_hash(found.value);
                let described = self.described_record(segment.record, found.category, hash);
                self.subjects.touch(described);
                let (_, key_hash) = self.owner(segment);
                let tag = column_tag(found.category as u8, key_hash);
                self.subjects.add_value(described, tag, hash);
            }
            None => self.subjects.touch(segment.record),
        }
        if let Some(identities) = &mut self.identities {
            if identifier.is_some() {
                identities.add_strong(subject_record, found.category, &self.identifier);
            } else {
                identities.add_weak(segment.record, found.category, found.value);
            }
            if found.category.is_sensitive() || found.minor {
                identities.mark_sensitive(segment.record);
            }
        }
    }

    /// Adds `found` to the report: its count, sample and location.
    #[inline(always)]
    fn tally_found(
        &mut self,
        segment: &Segment<'_>,
        found: &Found<'_>,
        location: &mut Option<String>,
    ) {
        // Discriminants follow the order of `Category::ALL`, as a test checks.
        let tally = &mut self.tallies[found.category as usize];
        tally.count += 1;
        tally.minor |= found.minor;
        if tally.wants_sample() {
            tally.add_sample(mask_value(found.category, found.value, self.today));
        }
        if tally.locations.len() < MAX_LOCATIONS {
            tally.add_location(location.get_or_insert_with(|| segment.location.render()));
        }
        #[cfg(feature = "evaluation")]
        self.keep(segment, found, location);
    }

    /// Counts a role mailbox, or a phone number or postal address found in
    /// a record of a business, which are reported but are the business's.
    /// Such an address makes its record a subject only if the record turns
    /// out to contain a person. A phone number or mailbox never does: a
    /// contact person counts by the name, personal e-mail address or birth
    /// date, and the business's phone number then merges no records.
    #[cold]
    #[inline(never)]
    fn record_business_contact(
        &mut self,
        segment: &Segment<'_>,
        found: Found<'_>,
        location: &mut Option<String>,
    ) {
        self.tally_found(segment, &found, location);
        if found.category == Category::PostalAddress {
            let identity = self.identities.as_ref().map(|_| found.value.to_vec());
            self.context
                .defer(segment.record, Deferred::Address { identity });
        }
    }

    /// Returns the record that the identifier `hash` of `category`, found
    /// in `record`, describes for counting subjects, and its column tag.
    ///
    /// The record is `record` itself, or a record of its own once `record`
    /// contains more than [`MAX_IDENTIFIERS_PER_RECORD`] distinct
    /// identifiers of that category. A record of thousands of e-mail
    /// addresses (a list in one field, one line of text) lists as many
    /// people. The tag is [`UNTAGGED`] unless the identifier is the
    /// first of its category under the current segment's key in the
    /// record (see [`SubjectGraph`]).
    fn subject_record(
        &mut self,
        record: RecordId,
        category: Category,
        hash: u64,
    ) -> (RecordId, ColumnTag) {
        self.enter_record(record);
        let key_hash = self.current_owner.map_or(0, |(_, key_hash)| key_hash);
        let tag = column_tag(category as u8, key_hash);
        let seen = &mut self.record_identifiers[category as usize];
        let tags = &mut self.record_tags[category as usize];
        let count = &mut self.record_counts[category as usize];
        let count_now = usize::from(*count);
        if seen[..count_now].contains(&hash) {
            return (record, UNTAGGED);
        }
        if count_now < MAX_IDENTIFIERS_PER_RECORD {
            let first_of_column = !tags[..count_now].contains(&tag);
            seen[count_now] = hash;
            tags[count_now] = tag;
            *count += 1;
            return (record, if first_of_column { tag } else { UNTAGGED });
        }
        // Identical identifiers still meet in the subject graph, which
        // merges records by their hashes.
        (self.overflow_record(category), tag)
    }

    /// Starts counting the values of `record` when the values counted so
    /// far were another record's.
    #[inline(always)]
    fn enter_record(&mut self, record: RecordId) {
        if record != self.counted_record {
            self.change_record(record);
        }
    }

    /// Does the work of [`Collector::enter_record`] out of line. It runs
    /// once per record, and apart from its callers, which run once per
    /// value, it leaves them fewer registers to save.
    #[inline(never)]
    fn change_record(&mut self, record: RecordId) {
        if self.names.awaits_people() || !self.context.is_idle() {
            self.note_finished_record();
        }
        self.counted_record = record;
        self.record_counts = Default::default();
        self.record_overflow = Default::default();
        self.overflow_records.clear();
    }

    /// Tells the name columns whether `counted_record` contains a name beside
    /// an e-mail address, phone number or birth date, while that may still
    /// decide whether a column counts (see [`NameColumns`]).
    fn note_people_record(&mut self) {
        if !self.names.awaits_people() {
            return;
        }
        let counted = |category: Category| self.record_counts[category as usize] > 0;
        let identified =
            counted(Category::Email) || counted(Category::Phone) || counted(Category::DateOfBirth);
        if counted(Category::PersonName) && identified {
            self.names.add_people_record(self.counted_record);
        }
    }

    /// Tells the name columns and the record context what `counted_record`
    /// contains, before the collector counts another record's values.
    #[cold]
    #[inline(never)]
    fn note_finished_record(&mut self) {
        self.note_people_record();
        self.note_context_person();
    }

    /// Tells the record context whether `counted_record` contains a person,
    /// while findings wait for that (see [`RecordContext`]). Names count
    /// later, by their columns.
    fn note_context_person(&mut self) {
        if self.context.is_idle() {
            return;
        }
        let record = self.counted_record;
        let business = self.context.was_business(record);
        let person = Category::ALL.into_iter().any(|category| {
            let counted = self.record_counts[category as usize] > 0;
            let proves = match category {
                Category::PersonName => false,
                Category::Phone => !business,
                _ => true,
            };
            counted && proves
        });
        if person {
            self.context.mark_person(record);
        }
    }

    /// Decides the findings that waited for their records, given the
    /// records of the names that count, and counts those that hold.
    fn settle_context(&mut self, mut named: Vec<RecordId>) {
        if self.context.is_idle() {
            return;
        }
        self.note_context_person();
        named.sort_unstable();
        for (record, deferred) in self.context.settle(&named) {
            match deferred {
                Deferred::Health { value, location } => {
                    self.count_settled(record, Category::Health, value, &location);
                }
                Deferred::Coordinate { value, location } => {
                    self.count_settled(record, Category::PreciseLocation, value, &location);
                }
                Deferred::Address { identity } => {
                    self.subjects.touch(record);
                    if let (Some(identities), Some(identity)) = (&mut self.identities, identity) {
                        identities.add_weak(record, Category::PostalAddress, &identity);
                    }
                }
            }
        }
    }

    /// Counts a settled finding of `category`, `value` at `location` in
    /// `record`, as [`Collector::record`] counts one that is no identifier.
    fn count_settled(
        &mut self,
        record: RecordId,
        category: Category,
        value: String,
        location: &str,
    ) {
        let tally = &mut self.tallies[category as usize];
        tally.count += 1;
        if tally.wants_sample() {
            tally.add_sample(mask_value(category, value.as_bytes(), self.today));
        }
        if tally.locations.len() < MAX_LOCATIONS {
            tally.add_location(location);
        }
        self.subjects.touch(record);
        if let Some(identities) = &mut self.identities {
            identities.add_weak(record, category, value.as_bytes());
            if category.is_sensitive() {
                identities.mark_sensitive(record);
            }
        }
        #[cfg(feature = "evaluation")]
        if let Some(evaluation) = &mut self.evaluation {
            evaluation.push(crate::EvaluatedMatch {
                category,
                value,
                location: location.to_owned(),
                minor: false,
            });
        }
    }

    /// Returns the record for the next value of `category` of the current
    /// record that counts as a person of its own (see `record_overflow`).
    fn overflow_record(&mut self, category: Category) -> RecordId {
        let index = self.record_overflow[category as usize] as usize;
        self.record_overflow[category as usize] += 1;
        if let Some(&record) = self.overflow_records.get(index) {
            return record;
        }
        self.next_record += 1;
        self.overflow_records.push(self.next_record);
        self.next_record
    }

    /// Returns the record that a name or birth date of `category`, with the
    /// [`value_hash`] `hash`, found in `record` describes for counting
    /// subjects. That is `record` itself for its first
    /// [`MAX_IDENTIFIERS_PER_RECORD`] distinct values of that category, and
    /// a record of its own for each further distinct one, because a table
    /// sent by column (`{"name": [2,000 names]}`) is one record that lists
    /// people. Values compare as sent, so an order that repeats its
    /// customer's name in the customer, billing and shipping blocks names
    /// one person. Addresses do not go through here, because an invoice
    /// names several, in parts.
    fn described_record(&mut self, record: RecordId, category: Category, hash: u64) -> RecordId {
        self.enter_record(record);
        let seen = &mut self.record_identifiers[category as usize];
        let count = &mut self.record_counts[category as usize];
        let count_now = usize::from(*count);
        if seen[..count_now].contains(&hash) {
            return record;
        }
        if count_now < MAX_IDENTIFIERS_PER_RECORD {
            seen[count_now] = hash;
            *count += 1;
            return record;
        }
        self.overflow_value_record(category, hash)
    }

    /// Returns the record of a name or birth date of `category`, with the
    /// [`value_hash`] `hash`, that did not fit among the first ones of the
    /// current record. An equal value that came before chose the record,
    /// else it is the next one of [`Collector::overflow_record`].
    #[cold]
    #[inline(never)]
    fn overflow_value_record(&mut self, category: Category, hash: u64) -> RecordId {
        if self.overflow_values_record != self.counted_record {
            self.overflow_values_record = self.counted_record;
            self.overflow_values.clear();
        }
        let key = hash ^ (category as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        if let Some(&record) = self.overflow_values.get(&key) {
            return record;
        }
        let record = self.overflow_record(category);
        self.overflow_values.insert(key, record);
        record
    }

    /// Returns whether the identifier `hash` of `category` was already
    /// counted in the previous segment under the same key and record, and
    /// notes it for the next segment.
    fn repeats_previous_segment(
        &mut self,
        segment: &Segment<'_>,
        category: Category,
        hash: u64,
    ) -> bool {
        let owner = self.owner(segment);
        let repeated = self.previous_owner == Some(owner)
            && self.previous_identifiers.contains(&(category, hash));
        self.current_identifiers.push((category, hash));
        repeated
    }

    /// Adds a match to the evaluation list, when one is kept, and returns
    /// its index there.
    #[cfg(feature = "evaluation")]
    fn keep(
        &mut self,
        segment: &Segment<'_>,
        found: &Found<'_>,
        location: &mut Option<String>,
    ) -> Option<usize> {
        let evaluation = self.evaluation.as_mut()?;
        let rendered = location.get_or_insert_with(|| segment.location.render());
        evaluation.push(crate::EvaluatedMatch {
            category: found.category,
            value: String::from_utf8_lossy(found.value).into_owned(),
            location: rendered.clone(),
            minor: found.minor,
        });
        Some(evaluation.len() - 1)
    }

    fn record_whole(
        &mut self,
        segment: &Segment<'_>,
        category: Category,
        value: &[u8],
        location: &mut Option<String>,
    ) {
        let found = Found {
            category,
            value,
            minor: false,
        };
        self.record(segment, found, location);
    }

    /// Handles the field-level findings of one segment, left in
    /// `self.fields`. Their value is the field as sent, not its normalised
    /// form, so masks and evaluation show the text the client sent (the
    /// ideographic space between a Japanese family and given name included).
    fn record_fields(&mut self, segment: &Segment<'_>, location: &mut Option<String>) {
        let previous_biometric = self.previous_biometric.take();
        let value = segment.text.trim_ascii();
        let column = self.column_of(segment);
        // Indexing keeps the list in place, because recording never changes it.
        for index in 0..self.fields.len() {
            let field = self.fields[index];
            match field {
                Field::Name { key } => {
                    self.record_name(segment, column, value, key, location);
                }
                Field::NotName => self.names.column(column).others += 1,
                Field::Blank => {}
                Field::Organisation => {
                    self.context
                        .flag(segment.record, record_context::ORGANISATION);
                }
                Field::Place => self.context.flag(segment.record, record_context::PLACE),
                Field::Equipment => {
                    self.context.flag(segment.record, record_context::EQUIPMENT);
                }
                Field::UncertainHealth => {
                    let rendered = location.get_or_insert_with(|| segment.location.render());
                    let deferred = Deferred::Health {
                        value: String::from_utf8_lossy(value).into_owned(),
                        location: rendered.clone(),
                    };
                    self.context.defer(segment.record, deferred);
                }
                Field::Address => {
                    self.record_whole(segment, Category::PostalAddress, value, location);
                }
                Field::Health => self.record_whole(segment, Category::Health, value, location),
                Field::Biometric => {
                    let current = (segment.record, column);
                    if previous_biometric != Some(current) {
                        self.record_whole(segment, Category::Biometric, value, location);
                    }
                    self.previous_biometric = Some(current);
                }
                Field::Latitude(_) | Field::Longitude(_) | Field::Coordinate(_) => {
                    let rendered = location.get_or_insert_with(|| segment.location.render());
                    let partner =
                        self.coordinates
                            .add(segment.record, column, field, value, rendered);
                    if let Some((partner_value, partner_location)) = partner {
                        let partner = Deferred::Coordinate {
                            value: partner_value,
                            location: partner_location,
                        };
                        let this = Deferred::Coordinate {
                            value: String::from_utf8_lossy(value).into_owned(),
                            location: rendered.clone(),
                        };
                        self.context.defer(segment.record, partner);
                        self.context.defer(segment.record, this);
                    }
                }
            }
        }
    }

    /// Counts a name in its column, which decides at the end whether its
    /// names count.
    fn record_name(
        &mut self,
        segment: &Segment<'_>,
        column: u64,
        value: &[u8],
        key: NameKey,
        location: &mut Option<String>,
    ) {
        #[cfg(feature = "evaluation")]
        let evaluation_index = {
            let found = Found {
                category: Category::PersonName,
                value,
                minor: false,
            };
            self.keep(segment, &found, location)
        };
        let today = self.today;
        let hash = value_hash(value);
        let described = self.described_record(segment.record, Category::PersonName, hash);
        let names = self
            .names
            .add_hashed_name(column, described, value, hash, key);
        if names.tally.wants_sample() {
            names
                .tally
                .add_sample(mask_value(Category::PersonName, value, today));
        }
        if names.tally.locations.len() < MAX_LOCATIONS {
            let rendered = location.get_or_insert_with(|| segment.location.render());
            names.tally.add_location(rendered);
        }
        #[cfg(feature = "evaluation")]
        names.evaluation.extend(evaluation_index);
    }

    fn record_x12_names(
        &mut self,
        segment: &Segment<'_>,
        text: &[u8],
        location: &mut Option<String>,
    ) {
        if text.len() < 4 || !contains_byte(text, b'*') {
            return;
        }
        let mut names = std::mem::take(&mut self.x12_names);
        names.clear();
        x12::person_names(text, &mut names);
        for &(start, end) in &names {
            self.record_whole(segment, Category::PersonName, &text[start..end], location);
        }
        self.x12_names = names;
    }

    /// Counts the pattern matches of one segment, except those that a
    /// whole-field finding of the same category covers.
    fn record_matches(
        &mut self,
        segment: &Segment<'_>,
        text: &[u8],
        location: &mut Option<String>,
    ) {
        // Health text that waits for its record may still be dropped, so an
        // NHS number inside it counts on its own.
        let whole_health = self.fields.contains(&Field::Health);
        let whole_address = self.fields.contains(&Field::Address);
        // Indexing keeps the list in place, because recording never changes it.
        for index in 0..self.matches.len() {
            let found = self.matches[index];
            let covered = (found.category == Category::Health && whole_health)
                || (found.category == Category::PostalAddress && whole_address);
            if covered {
                continue;
            }
            let found = Found {
                category: found.category,
                value: &text[found.start..found.end],
                minor: found.minor,
            };
            self.record(segment, found, location);
        }
    }
}

impl SegmentSink for Collector<'_> {
    fn begin_record(&mut self) -> RecordId {
        self.next_record += 1;
        self.next_record
    }

    fn begin_table(&mut self, columns: &[&[u8]]) {
        let mut table = TableKeys::default();
        self.column_keys.clear();
        for column in columns {
            let key = self.keys.lookup(column);
            if let Some(key) = key {
                table.insert(column, key);
            }
            self.column_keys.push(key);
        }
        self.table_keys = Some(table);
    }

    fn end_table(&mut self) {
        self.table_keys = None;
        self.column_keys.clear();
    }

    /// Decides from the roles of the cell's column alone whether the value
    /// is plain, which spares finding the column's key. A cell that is not
    /// plain is scanned under that key, as [`SegmentSink::plain_value`]
    /// would, found by the column's number while the cache still contains it.
    // Inlined into the cell loop of the CSV decoder, which calls it for
    // nearly every cell. As a call, with its register saves, it cost about
    // 25 more instructions per cell (callgrind, dense CSV benchmark).
    #[inline(always)]
    fn plain_cell(&mut self, segment: &Segment<'_>, column: usize, shape: PlainShape) -> bool {
        let key = match self.column_keys.get(column) {
            Some(&Some(key)) if segment.key.is_some() => key,
            _ => {
                self.plain_value(segment, shape);
                return false;
            }
        };
        if segment.text.is_empty() {
            return false;
        }
        self.start_segment();
        if self.is_plain(segment.text, key.roles, shape) {
            self.previous_biometric = None;
            // A plain anchored value was ruled out by its shape, so the
            // decoder may rule out later values of that shape in the column.
            return shape == PlainShape::Anchored;
        }
        let key = if self.keys.holds(key) {
            Some(key)
        } else {
            segment.key.and_then(|key| self.key_of(key))
        };
        self.scan(segment, key, Some(shape));
        false
    }

    fn repeat_plain_cell(&mut self) {
        self.start_segment();
        self.previous_biometric = None;
    }

    fn segment(&mut self, segment: &Segment<'_>) {
        // An empty cell or value contains nothing and does not vote in a
        // name column, the same as a blank one.
        if segment.text.is_empty() {
            return;
        }
        self.start_segment();
        // A field name (a JSON key, a column header) repeats in every
        // record. Its scan depends only on its text, so a name in which
        // nothing was found is skipped from then on.
        let cacheable_name = segment.role == Role::Name && segment.key.is_none();
        if cacheable_name && self.keys.is_clean_name(segment.text) {
            self.previous_biometric = None;
            return;
        }
        let key = segment.key.and_then(|key| self.key_of(key));
        self.scan(segment, key, None);
    }

    /// Skips the values that [`crate::plain_values`] describes, which the
    /// scan would pass without a finding, a vote in a name column or an
    /// entry in the clean-value memo.
    fn plain_value(&mut self, segment: &Segment<'_>, shape: PlainShape) {
        if segment.text.is_empty() {
            return;
        }
        self.start_segment();
        let key = segment.key.and_then(|key| self.key_of(key));
        self.plain_value_under(segment, key, shape);
    }

    /// Handles a member like a call of `segment` for its name and one of
    /// `plain_value` for its value, with one lookup of the key when the
    /// name is a clean one.
    fn plain_member(&mut self, value: &Segment<'_>, shape: PlainShape) {
        let looked_up = match value.key {
            Some(name) if !name.is_empty() => self.keys.lookup_name(name),
            _ => None,
        };
        let Some((key, true)) = looked_up else {
            self.segment(&value.member_name());
            self.plain_value(value, shape);
            return;
        };
        self.start_segment();
        self.previous_biometric = None;
        if !value.text.is_empty() {
            self.start_segment();
            self.plain_value_under(value, Some(key), shape);
        }
    }
}

impl Collector<'_> {
    /// Finishes [`SegmentSink::plain_value`] once the key of the non-empty
    /// `segment` was looked up.
    #[inline(always)]
    fn plain_value_under(
        &mut self,
        segment: &Segment<'_>,
        key: Option<CachedKey>,
        shape: PlainShape,
    ) {
        if let Some(key) = key
            && self.is_plain_under(segment.text, key, shape)
        {
            self.previous_biometric = None;
            return;
        }
        // Without a key, the shape checks did not run.
        self.scan_inline(segment, key, key.and(Some(shape)));
    }

    /// Returns whether a value `text` of the plain-value `shape` under a
    /// key with `roles` is certain to hold nothing the scan would find or
    /// count (see [`crate::plain_values`]).
    #[inline(always)]
    fn is_plain(&self, text: &[u8], roles: Roles, shape: PlainShape) -> bool {
        if roles.intersects(Roles::FIELD_ROLES) {
            return false;
        }
        match shape {
            PlainShape::Other => false,
            PlainShape::NoAnchor => true,
            PlainShape::Anchored => {
                detect::rules_out_patterns(text, &Context::new(roles, self.today))
            }
        }
    }
}

impl Collector<'_> {
    /// Does what [`Collector::is_plain`] does for a value under `key`. An
    /// anchored value is first tested against the shapes of values that
    /// the checks ruled out under the key before.
    #[inline(always)]
    fn is_plain_under(&mut self, text: &[u8], key: CachedKey, shape: PlainShape) -> bool {
        if shape != PlainShape::Anchored || key.roles.intersects(Roles::FIELD_ROLES) {
            return self.is_plain(text, key.roles, shape);
        }
        if self.member_shapes.rules_out(key.id, text) {
            return true;
        }
        let context = Context::new(key.roles, self.today);
        let ruled_out = detect::rules_out_patterns(text, &context);
        if ruled_out {
            self.member_shapes.remember(key.id, text);
        }
        ruled_out
    }
}

/// Number of entries of [`TableKeys`]; most exports have fewer columns.
const TABLE_KEY_SLOTS: usize = 64;
const _: () = assert!(TABLE_KEY_SLOTS.is_power_of_two());

/// The column names of an open table (see [`SegmentSink::begin_table`])
/// by the address and length of their slice, in an open-addressed table
/// with linear probing. The columns beyond [`TABLE_KEY_SLOTS`] are looked
/// up by their bytes instead.
#[derive(Debug)]
struct TableKeys([Option<(usize, usize, CachedKey)>; TABLE_KEY_SLOTS]);

impl Default for TableKeys {
    fn default() -> Self {
        TableKeys([None; TABLE_KEY_SLOTS])
    }
}

impl TableKeys {
    /// Returns the address and length of `column` and the order in which
    /// it probes the slots. The header cells lie side by side in memory,
    /// so their addresses are spread by a multiplicative hash.
    fn probes(column: &[u8]) -> (usize, usize, impl Iterator<Item = usize>) {
        let (address, length) = (column.as_ptr().addr(), column.len());
        let bits = TABLE_KEY_SLOTS.trailing_zeros();
        let hash = (address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits);
        // `hash` has as many bits as a slot index.
        let first = hash as usize;
        let order = (0..TABLE_KEY_SLOTS).map(move |step| (first + step) % TABLE_KEY_SLOTS);
        (address, length, order)
    }

    fn insert(&mut self, column: &[u8], key: CachedKey) {
        let (address, length, mut probes) = Self::probes(column);
        let free = probes.find(|&index| match self.0[index] {
            None => true,
            Some((cached_address, cached_length, _)) => {
                cached_address == address && cached_length == length
            }
        });
        if let Some(index) = free {
            self.0[index] = Some((address, length, key));
        }
    }

    #[inline]
    fn get(&self, column: &[u8]) -> Option<CachedKey> {
        let (address, length, probes) = Self::probes(column);
        for index in probes {
            match self.0[index] {
                Some((cached_address, cached_length, key))
                    if cached_address == address && cached_length == length =>
                {
                    return Some(key);
                }
                Some(_) => {}
                None => return None,
            }
        }
        None
    }
}

impl Collector<'_> {
    /// Returns the cached entry of `key`. Inside a table, a column name is
    /// found by the address of its slice, which costs less than comparing
    /// its bytes.
    fn key_of(&mut self, key: &[u8]) -> Option<CachedKey> {
        if let Some(cached) = self.table_keys.as_ref().and_then(|table| table.get(key))
            && self.keys.holds(cached)
        {
            return Some(cached);
        }
        self.keys.lookup(key)
    }

    /// Returns the [`key_hash`] of `segment`'s key, 0 for a segment without
    /// one.
    fn column_of(&self, segment: &Segment<'_>) -> u64 {
        self.scan_column
            .unwrap_or_else(|| segment.key.map_or(0, key_hash))
    }

    /// Returns the record and column hash of the current segment, which
    /// own the identifiers counted in it.
    fn owner(&mut self, segment: &Segment<'_>) -> (RecordId, u64) {
        self.catch_up_segments();
        if let Some(owner) = self.current_owner {
            return owner;
        }
        let owner = (segment.record, self.column_of(segment));
        self.current_owner = Some(owner);
        owner
    }

    /// Counts the start of a segment. Its identifiers are moved aside by
    /// [`Collector::catch_up_segments`] when the next identifier is counted.
    fn start_segment(&mut self) {
        self.segments_started = self.segments_started.wrapping_add(1);
    }

    /// Makes `current_identifiers` and `current_owner` those of the segment
    /// started last, and the previous ones those of the segment before it.
    /// Lists filled two or more segments ago are emptied, because only an
    /// identifier of the segment just before is a repeat.
    fn catch_up_segments(&mut self) {
        if self.current_segment == self.segments_started {
            return;
        }
        if self.current_segment.wrapping_add(1) == self.segments_started {
            std::mem::swap(
                &mut self.previous_identifiers,
                &mut self.current_identifiers,
            );
            self.previous_owner = self.current_owner.take();
        } else {
            self.previous_identifiers.clear();
            self.previous_owner = None;
            self.current_owner = None;
        }
        self.current_identifiers.clear();
        self.current_segment = self.segments_started;
    }

    /// Scans a non-empty segment whose key is `key`.
    ///
    /// `shape` is given for a value that [`Collector::is_plain`] found not
    /// plain under `key` and whose plain shape is not [`PlainShape::Other`].
    /// Normalisation leaves such a value as it is, so it is skipped. The
    /// shape checks already failed under its roles, so the scan skips them
    /// too. A value without an anchor byte contains no pattern match.
    fn scan(&mut self, segment: &Segment<'_>, key: Option<CachedKey>, shape: Option<PlainShape>) {
        self.scan_inline(segment, key, shape);
    }

    /// Does what [`Collector::scan`] does, inlined into
    /// [`Collector::plain_value_under`], which the JSON decoder reaches for
    /// nearly every member. Inlined into every caller, it made the CSV
    /// path slower, so the other callers call `scan`.
    #[inline(always)]
    fn scan_inline(
        &mut self,
        segment: &Segment<'_>,
        key: Option<CachedKey>,
        shape: Option<PlainShape>,
    ) {
        let plain_shaped = shape.is_some();
        debug_assert!(
            !plain_shaped || !normalize(segment.text, &mut Vec::new(), None),
            "a plain-shaped value is already normalised"
        );
        let cacheable_name = segment.role == Role::Name && segment.key.is_none();
        let roles = key.map_or(Roles::NONE, |key| key.roles);
        self.scan_column = key.map(|key| self.keys.column(key));
        let remembered_key = key.filter(|&key| self.may_remember(segment, key));
        if let Some(key) = remembered_key {
            let found = self.clean_values.contains(key, segment.text);
            self.keys.count_value(key, found);
            if found {
                self.previous_biometric = None;
                return;
            }
        }
        // The buffer leaves the collector only when it contains normalised
        // text, so that `self` stays free to borrow while that is scanned.
        let normalized = (!plain_shaped && normalize(segment.text, &mut self.normalized, None))
            .then(|| std::mem::take(&mut self.normalized));
        let text = normalized.as_deref().unwrap_or(segment.text);
        let context = Context::new(roles, self.today);
        match shape {
            Some(PlainShape::NoAnchor) => self.matches.clear(),
            Some(_) => {
                debug_assert!(!detect::rules_out_patterns(text, &context));
                detect::find_all_not_ruled_out(text, &context, &mut self.matches);
            }
            None => detect::find_all(text, &context, &mut self.matches),
        }

        self.fields.clear();
        if roles.intersects(Roles::FIELD_ROLES) {
            fields::detect(text, roles, &mut self.fields);
        } else {
            self.previous_biometric = None;
        }

        // Every match of a segment shares its location, rendered at most once.
        let mut location = None;
        if !self.matches.is_empty() {
            self.record_matches(segment, text, &mut location);
        }
        if !self.fields.is_empty() {
            self.record_fields(segment, &mut location);
        }
        if segment.key.is_none() {
            self.record_x12_names(segment, text, &mut location);
        }
        // Text without `*` contains no X12 segment, so it recorded nothing.
        if cacheable_name && self.matches.is_empty() && !contains_byte(text, b'*') {
            self.keys.mark_clean_name(segment.text);
        }
        // A remembered key has no field roles and a value has no X12 scan,
        // so a value without matches recorded nothing.
        if let Some(key) = remembered_key
            && self.matches.is_empty()
        {
            self.clean_values.insert(key, segment.text);
        }
        if let Some(buffer) = normalized {
            self.normalized = buffer;
        }
    }
}

impl Collector<'_> {
    /// Returns whether `segment` is a value whose scan can be remembered
    /// under `key` (see [`crate::clean_values`]).
    fn may_remember(&self, segment: &Segment<'_>, key: CachedKey) -> bool {
        segment.role == Role::Value
            && segment.text.len() <= MAX_VALUE_BYTES
            && self.keys.uses_value_memo(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Location;

    #[test]
    fn category_discriminants_follow_the_report_order() {
        for (index, category) in Category::ALL.into_iter().enumerate() {
            assert_eq!(category as usize, index, "{category}");
        }
    }

    /// The repeat check with the identifier lists moved at every segment
    /// start, the move that [`Collector::catch_up_segments`] defers.
    #[derive(Default)]
    struct EagerRepeats {
        current: Vec<(Category, u64)>,
        previous: Vec<(Category, u64)>,
        current_owner: Option<(RecordId, u64)>,
        previous_owner: Option<(RecordId, u64)>,
    }

    impl EagerRepeats {
        fn start_segment(&mut self) {
            self.previous = std::mem::take(&mut self.current);
            self.previous_owner = self.current_owner.take();
        }

        fn repeats(&mut self, owner: (RecordId, u64), category: Category, hash: u64) -> bool {
            self.current_owner = Some(owner);
            let repeated =
                self.previous_owner == Some(owner) && self.previous.contains(&(category, hash));
            self.current.push((category, hash));
            repeated
        }
    }

    #[test]
    fn deferred_segment_lists_match_eager_ones() {
        let subject_key = RandomState::new();
        let mut collector = Collector::new(&subject_key, None);
        let mut eager = EagerRepeats::default();
        let keys: [&[u8]; 2] = [b"email", b"contact"];
        let categories = [Category::Email, Category::Phone];
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut repeats = 0;
        // Every segment has one record and key, drawn at its start.
        let mut owner = None;
        for step in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // A third of the steps start a segment, so segments with no,
            // one or several identifiers follow each other.
            if owner.is_none() || state % 3 == 0 {
                collector.start_segment();
                eager.start_segment();
                owner = Some(((state >> 8) % 2, keys[(state >> 12) as usize % keys.len()]));
                continue;
            }
            let Some((record, key)) = owner else {
                continue;
            };
            let category = categories[(state >> 16) as usize % categories.len()];
            let hash = (state >> 20) % 3;
            let segment = Segment {
                text: b"value",
                key: Some(key),
                location: Location::Form { key },
                record,
                role: Role::Value,
            };
            let repeated = collector.repeats_previous_segment(&segment, category, hash);
            let expected = eager.repeats((record, key_hash(key)), category, hash);
            assert_eq!(repeated, expected, "step {step}");
            repeats += usize::from(expected);
        }
        assert!(repeats > 100, "only {repeats} repeats were checked");
    }
}
