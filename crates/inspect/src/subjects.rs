//! Estimation of the number of distinct people in a request.
//!
//! Each record (a JSON element, a CSV row, a line, the request itself) that
//! contains findings contributes the set of its identifiers: e-mail
//! addresses, phone numbers, ID, social security, national insurance and
//! passport numbers, IBANs, card and account numbers. Records that share an
//! identifier are taken to describe the same person and merged with a
//! union-find, and the estimate is the number of merged groups. An
//! identifier in very many records may be shared, such as an account
//! manager's address in every row, or one customer's, as in an order
//! history (see [`MIN_SHARED_RECORDS`]). Such an identifier merges only
//! records that show no other difference (see [`alike`]). The collector
//! gives each identifier of one
//! category beyond the fourth in a record a record of its own, because
//! such a record lists people. A record whose findings contain no
//! identifier (only a name, an address or a date of birth) still describes
//! someone, so it counts as one person of its own.
//!
//! Merging alone undercounts records that link to each other: in an export
//! of employees that names each one's manager by e-mail address, every
//! employee shares an address with the manager's own record, and the whole
//! company merges into one group. So the estimate is never below the number
//! of distinct identifiers in one column, which is one category under one
//! key, such as the e-mail addresses under `email`. Only the first value of
//! a column in each record counts, and in that export the `email` column
//! names every employee once. [`ColumnTag`] names a column. Two columns
//! whose 24-bit tags collide count as one, which can only raise the
//! estimate.
//!
//! Names and birth dates merge no records, because two people may share
//! them, but one person has one of each. So the distinct birth dates of a
//! birth-date column are a lower bound too (see [`ValueColumns`]), and so
//! are the distinct names of a column under a person's key (`patient_name`,
//! not `name`, which names products as well). Then 1,000 patients whose
//! records share their doctor's phone number in groups of 50 are not 20
//! people.
//!
//! Identifiers are stored only as keyed 64-bit hashes, never as raw values.
//! Names and birth dates are kept as unkeyed hashes until the count.
//!
//! The identifiers are collected as (hash, record) pairs and grouped once
//! the request is read. A hash table of all identifiers would cost a cache
//! miss per identifier on a large body. Instead the pairs are appended to
//! one of 256 vectors chosen by the top byte of the hash: appending writes
//! to 256 places at a time, which stay in the cache. Each vector is small
//! enough for a hash table of its own to stay in the cache while the
//! duplicates in it are found.
//!
//! NOTE: memory grows with the number of identifiers, by 16 bytes each
//! and up to twice that while the buckets grow by doubling, plus 9 bytes
//! per record. A body at `max_decoded_bytes` full of e-mail
//! addresses could cost a few hundred MiB here.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::segment::RecordId;

mod alike;
mod identifier_key;

pub(crate) use identifier_key::IdentifierKey;

/// The column an identifier was the first value of in its record: a
/// 24-bit hash of its category and key, never 0. Identifiers that are not
/// the first of their column in a record carry [`UNTAGGED`].
pub(crate) type ColumnTag = u32;

/// The tag of an identifier that does not count for its column.
pub(crate) const UNTAGGED: ColumnTag = 0;

/// Returns the tag of the column of `category` under the key whose
/// [`crate::detect::columns::key_hash`] is `key_hash`.
pub(crate) fn column_tag(category: u8, key_hash: u64) -> ColumnTag {
    let mixed = (key_hash ^ u64::from(category).wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_mul(0xBF58_476D_1CE4_E5B9);
    ((mixed >> (u64::BITS - TAG_BITS)) as ColumnTag) | 1
}

/// Bits of a [`ColumnTag`]. The tag shares a `u64` with the record id in
/// each bucket entry, which keeps an entry at 16 bytes.
const TAG_BITS: u32 = 24;

/// Bits left for the record id in a bucket entry. A body would need more
/// than 2^40 records to overflow them, and the `present` vector of such a
/// body could not be allocated.
const RECORD_BITS: u32 = u64::BITS - TAG_BITS;

const RECORD_MASK: u64 = (1 << RECORD_BITS) - 1;

/// The identifiers seen so far and the records that hold findings.
#[derive(Debug, Default)]
pub(crate) struct SubjectGraph {
    /// Every identifier hash with the record it was found in and its
    /// column tag in the top [`TAG_BITS`], by the top [`BUCKET_BITS`] of
    /// the hash. Empty until the first identifier, so a request without
    /// one allocates nothing here.
    buckets: Vec<Vec<(u64, u64)>>,
    /// Whether each record, indexed by id, has a finding. Decoders number
    /// records from 1 upwards, so a vector is denser than a set.
    present: Vec<bool>,
    /// The tagged identifiers of each column, repeats included.
    columns: ColumnCounter,
    /// The birth dates of each column.
    values: ValueColumns,
    /// The names of each accepted name column, the first of each record.
    name_columns: Vec<NameValues>,
}

/// The names of one accepted name column.
#[derive(Debug)]
struct NameValues {
    values: RecordValues,
    /// Whether the column's key names a person (`patient_name`), so that
    /// its distinct names bound the estimate.
    person_key: bool,
}

/// Values of one column that merge no records, each with its record, as
/// [`value_hash`]es.
#[derive(Debug, Default)]
struct RecordValues {
    records: Vec<RecordId>,
    hashes: Vec<u64>,
}

impl SubjectGraph {
    /// Adds the identifier hash `identifier` found in `record`, counting
    /// it for the column `tag` unless that is [`UNTAGGED`].
    pub(crate) fn add(&mut self, record: RecordId, identifier: u64, tag: ColumnTag) {
        self.touch(record);
        if self.buckets.is_empty() {
            self.buckets.resize_with(1 << BUCKET_BITS, Vec::new);
        }
        let bucket = usize::from((identifier >> (u64::BITS - BUCKET_BITS)) as u8);
        let entry = (record & RECORD_MASK) | (u64::from(tag) << RECORD_BITS);
        self.buckets[bucket].push((identifier, entry));
        if tag != UNTAGGED {
            self.columns.add(tag);
        }
    }

    /// Adds a birth date that `record` describes, the [`value_hash`] of it
    /// as sent, to the column `tag`. Only the first value of a column in a
    /// record counts.
    pub(crate) fn add_value(&mut self, record: RecordId, tag: ColumnTag, hash: u64) {
        self.values.add(record, tag, hash);
    }

    /// Adds a column of people's names, as the [`value_hash`] of the first
    /// name of each of `records`. They tell records of a shared identifier
    /// apart. Under a person's key (`person_key`), the estimate is not
    /// below the column's distinct names either.
    pub(crate) fn add_name_column(
        &mut self,
        records: Vec<RecordId>,
        hashes: Vec<u64>,
        person_key: bool,
    ) {
        debug_assert_eq!(records.len(), hashes.len());
        self.name_columns.push(NameValues {
            values: RecordValues { records, hashes },
            person_key,
        });
    }

    /// Marks `record` as describing someone even without an identifier.
    pub(crate) fn touch(&mut self, record: RecordId) {
        let index = record_index(record);
        if index >= self.present.len() {
            self.present.resize(index + 1, false);
        }
        self.present[index] = true;
    }

    /// Returns the number of merged groups, or the number of distinct
    /// identifiers, names or birth dates of the fullest column where that
    /// is larger.
    pub(crate) fn count(&mut self) -> u64 {
        // Counting the records that are their group's representative needs
        // no per-record vector of roots, which is the largest allocation
        // here on a body of many records.
        let mut repeats = ColumnRepeats::default();
        let mut parents = self.merged(Some(&mut repeats));
        let groups = (0..self.present.len())
            .filter(|&record| self.present[record] && find(&mut parents, record) == record)
            .count();
        let mut estimate = (groups as u64).max(self.columns.fullest(&repeats.counter));
        // A column of names or dates has one value per record, so it can
        // only raise the estimate when it has more values than that. Only
        // such columns are sorted, as copies, because the merging of
        // another call needs them as they came.
        let value_columns = self.values.columns.iter().map(|column| &column.values);
        let name_columns = self
            .name_columns
            .iter()
            .filter(|column| column.person_key)
            .map(|column| &column.values);
        let mut sorted = Vec::new();
        for values in value_columns.chain(name_columns) {
            if values.hashes.len() as u64 > estimate {
                sorted.clear();
                sorted.extend_from_slice(&values.hashes);
                estimate = estimate.max(distinct(&mut sorted));
            }
        }
        estimate
    }

    /// Merges records that share an identifier and returns, for each record
    /// index, the index of its group's representative, or `None` for a
    /// record without findings.
    pub(crate) fn roots(&mut self) -> Vec<Option<usize>> {
        let mut parents = self.merged(None);
        (0..self.present.len())
            .map(|record| self.present[record].then(|| find(&mut parents, record)))
            .collect()
    }

    /// Returns the union-find parents of all records after merging those
    /// that share an identifier, and counts in `repeats`, when given, the
    /// tagged identifiers that repeat an earlier one of their column.
    fn merged(&self, mut repeats: Option<&mut ColumnRepeats>) -> Vec<usize> {
        let mut parents: Vec<usize> = (0..self.present.len()).collect();
        let records = self.present.iter().filter(|&&present| present).count();
        let max_records = MIN_SHARED_RECORDS.max(records / SHARED_RECORDS_DIVISOR);
        let mut table = RepeatTable::default();
        let mut shared = Vec::new();
        for bucket in &self.buckets {
            for (first, record) in table.repeats(bucket, max_records, repeats.as_deref_mut()) {
                union(&mut parents, record_index(first), record_index(record));
            }
            table.add_shared(bucket, &mut shared);
        }
        if !shared.is_empty() {
            alike::merge_alike(self, &shared, &mut parents);
        }
        parents
    }
}

/// Bits of the hash that choose an identifier's bucket.
const BUCKET_BITS: u32 = 8;

/// Records above which an identifier merges them only where they show no
/// other difference (see [`alike`]), unless [`SHARED_RECORDS_DIVISOR`]
/// allows more. Such an identifier may be shared, not one person's, as an
/// account manager's e-mail address or a hotline number in every row of an
/// export is. A customer with up to 64 orders in an export, or half of its
/// lines, counts once whatever else the orders contain: an order export of
/// five customers is five people. Records that merge through an identifier
/// that is shared after all still count by their own columns.
const MIN_SHARED_RECORDS: usize = 64;

/// Divisor of the number of records that gives the share above which an
/// identifier merges no records: one in two (see [`MIN_SHARED_RECORDS`]).
const SHARED_RECORDS_DIVISOR: usize = 2;

/// A count for each column tag.
#[derive(Debug)]
struct ColumnCounter {
    /// Counts of the tags seen last, by the low bits of the tag. A body has
    /// few columns, so most counts stay in this array and the map below is
    /// updated once per run of a tag.
    recent: [(ColumnTag, u64); RECENT_TAGS],
    counts: HashMap<ColumnTag, u64, BuildHasherDefault<TagHasher>>,
}

/// Slots of [`ColumnCounter::recent`].
const RECENT_TAGS: usize = 16;

impl Default for ColumnCounter {
    fn default() -> Self {
        ColumnCounter {
            recent: [(UNTAGGED, 0); RECENT_TAGS],
            counts: HashMap::default(),
        }
    }
}

impl ColumnCounter {
    // Inlined into `SubjectGraph::add`, which runs once per identifier.
    #[inline(always)]
    fn add(&mut self, tag: ColumnTag) {
        let slot = &mut self.recent[tag as usize % RECENT_TAGS];
        if slot.0 != tag {
            if slot.0 != UNTAGGED {
                *self.counts.entry(slot.0).or_insert(0) += slot.1;
            }
            *slot = (tag, 0);
        }
        slot.1 += 1;
    }

    /// Returns the counts of all tags.
    fn totals(&self) -> HashMap<ColumnTag, u64, BuildHasherDefault<TagHasher>> {
        let mut totals = self.counts.clone();
        for &(tag, count) in &self.recent {
            if tag != UNTAGGED {
                *totals.entry(tag).or_insert(0) += count;
            }
        }
        totals
    }

    /// Returns the largest count of a tag less its count in `repeats`.
    fn fullest(&self, repeats: &ColumnCounter) -> u64 {
        let repeats = repeats.totals();
        self.totals()
            .into_iter()
            .map(|(tag, count)| count - repeats.get(&tag).copied().unwrap_or(0))
            .max()
            .unwrap_or(0)
    }
}

/// The tagged identifiers that repeat an earlier one of their column.
#[derive(Default)]
struct ColumnRepeats {
    counter: ColumnCounter,
    /// The (hash, tag) pairs, mixed into one word, of identifiers under a
    /// tag other than the one of the first entry with their hash.
    other_tags: HashSet<u64, BuildHasherDefault<TagHasher>>,
}

impl ColumnRepeats {
    /// Counts a repeated identifier `hash` under `tag` if an earlier entry
    /// had the same tag; `first_tag` is the tag of the first entry.
    fn add(&mut self, hash: u64, tag: ColumnTag, first_tag: ColumnTag) {
        if tag == UNTAGGED {
            return;
        }
        let pair = hash ^ u64::from(tag).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        if tag == first_tag || !self.other_tags.insert(pair) {
            self.counter.add(tag);
        }
    }
}

/// Spreads a [`ColumnTag`] or an identifier hash, already hashes, over the
/// bits that a hash map uses.
#[derive(Default)]
struct TagHasher(u64);

impl Hasher for TagHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u32(u32::from(byte));
        }
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0 ^ value).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The values of the columns of one category that merges no records (birth
/// dates), by column tag, as unkeyed hashes that stay in memory.
#[derive(Debug, Default)]
struct ValueColumns {
    index: HashMap<ColumnTag, usize, BuildHasherDefault<TagHasher>>,
    columns: Vec<ValueColumn>,
    /// The tag and index of the column used last, which spares most lookups
    /// in `index`.
    last: Option<(ColumnTag, usize)>,
}

#[derive(Debug, Default)]
struct ValueColumn {
    /// The record of the last value added, so that a record's further
    /// values of the column are left out.
    last_record: Option<RecordId>,
    values: RecordValues,
}

impl ValueColumns {
    fn add(&mut self, record: RecordId, tag: ColumnTag, hash: u64) {
        let index = match self.last {
            Some((last_tag, index)) if last_tag == tag => index,
            _ => {
                let next = self.columns.len();
                let index = *self.index.entry(tag).or_insert(next);
                if index == next {
                    self.columns.push(ValueColumn::default());
                }
                self.last = Some((tag, index));
                index
            }
        };
        let column = &mut self.columns[index];
        if column.last_record != Some(record) {
            column.last_record = Some(record);
            column.values.records.push(record);
            column.values.hashes.push(hash);
        }
    }
}

/// Returns the number of distinct hashes in `hashes`, which it sorts and
/// leaves without repeats.
fn distinct(hashes: &mut Vec<u64>) -> u64 {
    hashes.sort_unstable();
    hashes.dedup();
    hashes.len() as u64
}

/// Returns a hash of `value` for counting distinct values in memory, eight
/// bytes per step. It is not keyed: a client that wants its names or
/// dates to count as one can send them alike, so collisions it could
/// choose would gain it nothing.
pub(crate) fn value_hash(value: &[u8]) -> u64 {
    let length = value.len();
    let mut hash = (length as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    if length >= 8 {
        let word = |offset: usize| {
            let bytes: [u8; 8] = value[offset..offset + 8].try_into().unwrap_or_default();
            u64::from_le_bytes(bytes)
        };
        let mut offset = 0;
        while offset + 8 < length {
            hash = mix(hash, word(offset));
            offset += 8;
        }
        // The last eight bytes, which may overlap the word before, so that
        // no tail is copied.
        hash = mix(hash, word(length - 8));
    } else {
        let word = value.iter().enumerate().fold(0, |word, (index, &byte)| {
            word | u64::from(byte) << (8 * index)
        });
        hash = mix(hash, word);
    }
    hash ^ (hash >> 31)
}

fn mix(hash: u64, word: u64) -> u64 {
    (hash ^ word)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(29)
}

/// The open-addressed table that finds repeated hashes in a bucket, kept
/// between buckets so that its memory is allocated once.
///
/// Each entry of a bucket has a stamp: `base` plus one plus its index in
/// the bucket. A slot whose stamp is not above `base` is free. So the
/// slots that earlier buckets took are free for the next bucket without
/// clearing the table, which would write every slot once per bucket.
#[derive(Default)]
struct RepeatTable {
    /// For each slot: the stamp of the first entry with the slot's hash,
    /// and how many entries have that hash, or the first column tag they
    /// had when counting columns.
    slots: Vec<(u32, u32)>,
    /// The stamps of the current bucket's entries are above this.
    base: u32,
    /// The largest stamp of the current bucket.
    end: u32,
    /// The number of slots that the current bucket uses, a power of two,
    /// less one. The bucket uses the first slots of the table.
    mask: usize,
    /// The slot and record of every entry whose hash an earlier one has.
    repeats: Vec<(usize, RecordId)>,
    /// The slots of the hashes that more than `max_records` entries of the
    /// bucket have.
    shared: Vec<usize>,
}

impl RepeatTable {
    /// Returns, for every entry of `bucket` whose hash an earlier entry has,
    /// the record of that earlier entry and the entry's own record, leaving
    /// out hashes that more than `max_records` entries have. Counts in
    /// `column_repeats`, when given, the entries whose hash and column tag
    /// an earlier entry has.
    fn repeats<'t>(
        &'t mut self,
        bucket: &'t [(u64, u64)],
        max_records: usize,
        mut column_repeats: Option<&mut ColumnRepeats>,
    ) -> impl Iterator<Item = (RecordId, RecordId)> + 't {
        self.repeats.clear();
        self.shared.clear();
        self.start_bucket(bucket.len());
        let (base, mask) = (self.base, self.mask);
        // The bucket's slots, `mask + 1` of them, so that every position
        // masked with `mask` is in bounds.
        let slots = &mut self.slots[..=mask];
        for (index, &(hash, entry)) in bucket.iter().enumerate() {
            let stamp = base + index as u32 + 1;
            let position = find_or_insert(slots, base, mask, bucket, stamp, hash);
            let slot = &mut slots[position];
            if slot.0 == stamp {
                slot.1 = 1;
                continue;
            }
            slot.1 += 1;
            if slot.1 as usize - 1 == max_records {
                self.shared.push(position);
            }
            self.repeats.push((position, entry & RECORD_MASK));
            let tag = (entry >> RECORD_BITS) as ColumnTag;
            if let Some(column_repeats) = column_repeats.as_deref_mut() {
                let first_index = (slot.0 - base) as usize - 1;
                let first_tag = (bucket[first_index].1 >> RECORD_BITS) as ColumnTag;
                column_repeats.add(hash, tag, first_tag);
            }
        }
        let table = &*self;
        table
            .repeats
            .iter()
            .filter(move |&&(position, _)| table.slots[position].1 as usize <= max_records)
            .map(move |&(position, record)| {
                let first = bucket[table.first_index(position)].1 & RECORD_MASK;
                (first, record)
            })
    }

    /// Frees the slots of the previous bucket and sizes the table for one
    /// of `length` entries, at most half full.
    fn start_bucket(&mut self, length: usize) {
        // A bucket's entries, 16 bytes each in memory, are fewer than a
        // `u32` counts. The stamps of all buckets together may not be, and
        // then the table is cleared and the stamps start over.
        let length = length as u32;
        if self.end.checked_add(length).is_none() {
            self.slots.fill((0, 0));
            self.end = 0;
        }
        self.base = self.end;
        self.end += length;
        let size = (length as usize * 2).next_power_of_two();
        if self.slots.len() < size {
            self.slots.resize(size, (0, 0));
        }
        self.mask = size - 1;
    }

    /// Returns the index in the current bucket of the first entry with the
    /// hash of the slot at `position`, which that bucket took.
    fn first_index(&self, position: usize) -> usize {
        (self.slots[position].0 - self.base) as usize - 1
    }

    /// Adds to `shared` each hash of `bucket` that the last call of
    /// [`RepeatTable::repeats`] left out, with the records of its entries.
    fn add_shared(&self, bucket: &[(u64, u64)], shared: &mut Vec<alike::SharedIdentifier>) {
        for &position in &self.shared {
            let hash = bucket[self.first_index(position)].0;
            let records = bucket
                .iter()
                .filter(|&&(other, _)| other == hash)
                .map(|&(_, entry)| entry & RECORD_MASK)
                .collect();
            shared.push(alike::SharedIdentifier { hash, records });
        }
    }
}

/// Returns the position in `slots` of `hash`, taking a free slot for the
/// entry of `bucket` with `stamp` when no earlier entry has that hash.
/// `slots` has `mask + 1` slots, and a stamp not above `base` marks a free
/// one (see [`RepeatTable`]).
///
/// The table is at most half full, and the keyed hashes are uniformly
/// spread, so most entries find their place at the first probe.
fn find_or_insert(
    slots: &mut [(u32, u32)],
    base: u32,
    mask: usize,
    bucket: &[(u64, u64)],
    stamp: u32,
    hash: u64,
) -> usize {
    // The low bits of the hash, since the top ones chose the bucket.
    let mut position = hash as usize & mask;
    loop {
        let first = slots[position].0;
        if first <= base {
            slots[position].0 = stamp;
            return position;
        }
        if bucket[(first - base) as usize - 1].0 == hash {
            return position;
        }
        position = (position + 1) & mask;
    }
}

pub(crate) fn record_index(record: RecordId) -> usize {
    // Record ids count the records of one body, which fit in memory.
    usize::try_from(record).unwrap_or(usize::MAX)
}

fn find(parents: &mut [usize], mut node: usize) -> usize {
    while parents[node] != node {
        // Path halving keeps the trees shallow without recursion.
        parents[node] = parents[parents[node]];
        node = parents[node];
    }
    node
}

fn union(parents: &mut [usize], first: usize, second: usize) {
    let (first, second) = (find(parents, first), find(parents, second));
    if first != second {
        parents[second] = first;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_sharing_an_identifier_merge() {
        let mut graph = SubjectGraph::default();
        graph.add(1, 10, UNTAGGED);
        graph.add(1, 11, UNTAGGED);
        graph.add(2, 11, UNTAGGED);
        graph.add(2, 12, UNTAGGED);
        graph.add(3, 13, UNTAGGED);
        assert_eq!(graph.count(), 2);
    }

    #[test]
    fn repeated_identifiers_in_separate_records_are_one_subject() {
        let mut graph = SubjectGraph::default();
        for record in 0..5 {
            graph.add(record, 42, UNTAGGED);
        }
        assert_eq!(graph.count(), 1);
    }

    #[test]
    fn chains_of_shared_identifiers_merge_transitively() {
        let mut graph = SubjectGraph::default();
        graph.add(1, 1, UNTAGGED);
        graph.add(1, 2, UNTAGGED);
        graph.add(2, 3, UNTAGGED);
        graph.add(2, 4, UNTAGGED);
        graph.add(3, 2, UNTAGGED);
        graph.add(3, 3, UNTAGGED);
        assert_eq!(graph.count(), 1);
    }

    #[test]
    fn records_without_identifiers_count_once_each() {
        let mut graph = SubjectGraph::default();
        graph.touch(1);
        graph.touch(1);
        graph.touch(2);
        assert_eq!(graph.count(), 2);
    }

    #[test]
    fn touched_records_merge_through_later_identifiers() {
        let mut graph = SubjectGraph::default();
        graph.touch(1);
        graph.add(1, 10, UNTAGGED);
        graph.add(2, 10, UNTAGGED);
        graph.touch(3);
        assert_eq!(graph.count(), 2);
    }

    #[test]
    fn records_without_findings_are_not_counted() {
        let mut graph = SubjectGraph::default();
        graph.add(7, 1, UNTAGGED);
        assert_eq!(graph.count(), 1);
    }

    /// Hashes that share their low bits probe past each other, and the
    /// probes wrap around the end of the table.
    #[test]
    fn repeats_pair_later_entries_with_first() {
        let mut table = RepeatTable::default();
        for length in [0, 1, 2, 3, 7, 8, 9, 100] {
            for low in [0, 5, u64::MAX] {
                let bucket: Vec<(u64, u64)> = (0..length)
                    .map(|index: u64| (((index % 5) << 40) | (low & 0xFF), index))
                    .collect();
                let found: Vec<_> = table.repeats(&bucket, usize::MAX, None).collect();
                let expected: Vec<_> = (5..length).map(|index| (index % 5, index)).collect();
                assert_eq!(found, expected, "{length} {low}");
            }
        }
    }

    /// A bucket after a larger one finds the slots that the larger one took
    /// free, also when the stamps run out of `u32` and start over.
    #[test]
    fn repeats_ignore_earlier_buckets() {
        for first_end in [0, u32::MAX - 150] {
            let mut table = RepeatTable {
                end: first_end,
                ..RepeatTable::default()
            };
            for length in [100, 9, 3, 100, 0, 7, 64] {
                let bucket: Vec<(u64, u64)> = (0..length)
                    .map(|index: u64| ((index % 5) << 40, index))
                    .collect();
                let found: Vec<_> = table.repeats(&bucket, usize::MAX, None).collect();
                let expected: Vec<_> = (5..length).map(|index| (index % 5, index)).collect();
                assert_eq!(found, expected, "{first_end} {length}");
            }
        }
    }

    /// Records that share identifiers across buckets and within one bucket
    /// merge into the same groups as a plain union-find over a hash map
    /// builds.
    #[test]
    fn count_matches_a_map_of_identifiers() {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        };
        let mut graph = SubjectGraph::default();
        let mut pairs = Vec::new();
        // Identifiers drawn from a pool, so that records share some; the
        // pool mixes spread hashes with ones that share their top bytes.
        let pool: Vec<u64> = (0..3000)
            .map(|index| {
                if index % 4 == 0 {
                    next() & 0xFFFF
                } else {
                    next()
                }
            })
            .collect();
        for record in 1..=5000u64 {
            let draws = next() % 4;
            for _ in 0..draws {
                let identifier = pool[(next() % pool.len() as u64) as usize];
                graph.add(record, identifier, UNTAGGED);
                pairs.push((Some(identifier), record));
            }
            if draws == 0 && record % 3 == 0 {
                graph.touch(record);
                pairs.push((None, record));
            }
        }
        let mut parents: Vec<usize> = (0..=5000).collect();
        let mut first_record = std::collections::HashMap::new();
        let mut present = vec![false; 5001];
        for &(identifier, record) in &pairs {
            let record = record_index(record);
            present[record] = true;
            let Some(identifier) = identifier else {
                continue;
            };
            let first = *first_record.entry(identifier).or_insert(record);
            union(&mut parents, first, record);
        }
        let expected = (0..=5000)
            .filter(|&record| present[record] && find(&mut parents, record) == record)
            .count();
        assert!(expected > 100, "{expected}");
        assert!(expected < 4000, "{expected}");
        assert_eq!(graph.count(), expected as u64);
    }

    #[test]
    fn shared_identifier_merges_no_records() {
        // 70 records that share one hash: above the bound of 64, so each
        // stays a person of its own; 10 records that share another merge.
        let mut graph = SubjectGraph::default();
        for record in 1..=70 {
            graph.add(record, 0xAAAA, UNTAGGED);
            graph.add(record, 1000 + record, UNTAGGED);
        }
        for record in 71..=80 {
            graph.add(record, 0xBBBB, UNTAGGED);
        }
        assert_eq!(graph.count(), 71);
    }

    /// An identifier in 100 records of 100 merges those with equal other
    /// values, and none when most of them differ.
    #[test]
    fn shared_identifier_merges_alike_records() {
        let name = |graph: &mut SubjectGraph, names: &[u64]| {
            let records = (1..=names.len() as RecordId).collect();
            graph.add_name_column(records, names.to_vec(), false);
        };
        let mut graph = SubjectGraph::default();
        for record in 1..=100 {
            graph.add(record, 0xAAAA, UNTAGGED);
        }
        name(&mut graph, &[7; 100]);
        assert_eq!(graph.count(), 1);

        // Three names: three people.
        let mut graph = SubjectGraph::default();
        for record in 1..=100 {
            graph.add(record, 0xAAAA, UNTAGGED);
        }
        let names: Vec<u64> = (0..100).map(|index| index % 3).collect();
        name(&mut graph, &names);
        assert_eq!(graph.count(), 3);

        // Sixty names among 100 records are more than half: no merging.
        let mut graph = SubjectGraph::default();
        for record in 1..=100 {
            graph.add(record, 0xAAAA, UNTAGGED);
        }
        let names: Vec<u64> = (0..100).map(|index| index % 60).collect();
        name(&mut graph, &names);
        assert_eq!(graph.count(), 100);

        // Birth dates tell records apart as names do.
        let mut graph = SubjectGraph::default();
        let dates = column_tag(9, 1);
        for record in 1..=100 {
            graph.add(record, 0xAAAA, UNTAGGED);
            let date = format!("1980-01-{:02}", record % 28 + 1);
            graph.add_value(record, dates, value_hash(date.as_bytes()));
        }
        assert_eq!(graph.count(), 28);
        assert_eq!(graph.count(), 28, "a second count merges alike");
        assert_eq!(
            graph.roots().iter().flatten().collect::<HashSet<_>>().len(),
            28
        );
    }

    /// Employees that each name their manager's address: every record
    /// shares an identifier with another, and all merge into one group,
    /// but the column of their own addresses names each of them.
    #[test]
    fn linked_records_count_their_fullest_column() {
        let own = column_tag(5, 1);
        let manager = column_tag(5, 2);
        let mut graph = SubjectGraph::default();
        for record in 1..=1000 {
            graph.add(record, record, own);
            graph.add(record, record / 8, manager);
        }
        assert_eq!(graph.roots().iter().flatten().max(), Some(&1));
        assert_eq!(graph.count(), 1000);
    }

    /// A customer's repeated orders count once in the column as well.
    #[test]
    fn column_counts_distinct_identifiers() {
        let tag = column_tag(5, 1);
        let mut graph = SubjectGraph::default();
        for record in 1..=300 {
            graph.add(record, 7_000 + record % 30, tag);
        }
        assert_eq!(graph.count(), 30);
    }

    #[test]
    fn untagged_identifiers_do_not_count_for_columns() {
        let mut graph = SubjectGraph::default();
        for record in 1..=50 {
            graph.add(record, record, UNTAGGED);
            graph.add(record, 0, UNTAGGED);
        }
        assert_eq!(graph.count(), 1);
    }

    /// Identifiers drawn from a small pool under a few tags, some first
    /// seen untagged or under another tag: the fullest column is the one
    /// with the most distinct hashes, as sets of them count.
    #[test]
    fn fullest_column_matches_sets_of_identifiers() {
        let mut random = crate::test_random::Xorshift::new(0x9E37_79B9_7F4A_7C15);
        let mut next = move || random.next_u64();
        let tags = [
            UNTAGGED,
            column_tag(5, 1),
            column_tag(5, 2),
            column_tag(6, 1),
        ];
        let pool: Vec<u64> = (0..700).map(|_| next()).collect();
        let mut graph = SubjectGraph::default();
        let mut sets: HashMap<ColumnTag, HashSet<u64>> = HashMap::new();
        for record in 1..=3000 {
            let hash = pool[(next() % pool.len() as u64) as usize];
            let tag = tags[(next() % 4) as usize];
            graph.add(record, hash, tag);
            if tag != UNTAGGED {
                sets.entry(tag).or_default().insert(hash);
            }
        }
        let expected = sets.values().map(HashSet::len).max().unwrap() as u64;
        let mut repeats = ColumnRepeats::default();
        graph.merged(Some(&mut repeats));
        assert_eq!(graph.columns.fullest(&repeats.counter), expected);
    }

    /// A column's birth dates count once each, only the first of a record,
    /// and the fullest column sets the floor.
    #[test]
    fn value_columns_count_distinct_values() {
        let dates = column_tag(9, 1);
        let other = column_tag(9, 2);
        let mut graph = SubjectGraph::default();
        // The shared identifier merges all 60 records into one group.
        for record in 1..=60 {
            let date = format!("1980-01-{:02}", record % 30 + 1);
            graph.touch(record);
            graph.add_value(record, dates, value_hash(date.as_bytes()));
            graph.add_value(record, dates, value_hash(b"2000-01-01"));
            graph.add_value(record, other, value_hash(b"1990-05-05"));
            graph.add(record, 0xAAAA, UNTAGGED);
        }
        assert_eq!(graph.count(), 30);
    }

    #[test]
    fn value_hash_tells_lengths_and_tails_apart() {
        let values: [&[u8]; 7] = [
            b"",
            b"\0",
            b"Jane Doe",
            b"Jane Doe\0",
            b"Jane Doe ",
            b"John Doe",
            b"1985-03-14",
        ];
        let mut hashes: Vec<u64> = values.iter().map(|value| value_hash(value)).collect();
        assert_eq!(distinct(&mut hashes), values.len() as u64);
        assert_eq!(value_hash(b"Jane Doe"), value_hash(b"Jane Doe"));
    }

    #[test]
    fn column_tags_are_never_untagged() {
        for category in 0..20 {
            for key_hash in [0, 1, u64::MAX, 0xcbf2_9ce4_8422_2325] {
                assert_ne!(column_tag(category, key_hash), UNTAGGED);
            }
        }
        assert_ne!(column_tag(5, 1), column_tag(5, 2));
        assert_ne!(column_tag(5, 1), column_tag(6, 1));
    }

    #[test]
    fn empty_graph_has_no_subjects() {
        assert_eq!(SubjectGraph::default().count(), 0);
    }
}
