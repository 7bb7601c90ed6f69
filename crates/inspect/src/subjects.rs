//! Estimation of the number of distinct people in a request.
//!
//! Each record (a JSON element, a CSV row, a line, the request itself) that
//! contains findings contributes the set of its identifiers: e-mail
//! addresses, phone numbers, ID, social security, national insurance and
//! passport numbers, IBANs, card and account numbers. Records that share an
//! identifier are taken to describe the same person and merged with a
//! union-find, and the estimate is the number of merged groups. An
//! identifier in very many records is shared, such as an account manager's
//! address in every row, so it merges none of them (see
//! [`MIN_SHARED_RECORDS`]). The collector gives each identifier of one
//! category beyond the fourth in a record a record of its own, because
//! such a record lists people. A record whose findings contain no
//! identifier (only a name, an address or a date of birth) still describes
//! someone, so it counts as one person of its own.
//! Identifiers are stored only as keyed 64-bit hashes, never as raw values.
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

use crate::segment::RecordId;

/// The identifiers seen so far and the records that hold findings.
#[derive(Debug, Default)]
pub(crate) struct SubjectGraph {
    /// Every identifier hash with the record it was found in, by the top
    /// [`BUCKET_BITS`] of the hash. Empty until the first identifier, so a
    /// request without one allocates nothing here.
    buckets: Vec<Vec<(u64, RecordId)>>,
    /// Whether each record, indexed by id, has a finding. Decoders number
    /// records from 1 upwards, so a vector is denser than a set.
    present: Vec<bool>,
}

impl SubjectGraph {
    /// Adds the identifier hash `identifier` found in `record`.
    pub(crate) fn add(&mut self, record: RecordId, identifier: u64) {
        self.touch(record);
        if self.buckets.is_empty() {
            self.buckets.resize_with(1 << BUCKET_BITS, Vec::new);
        }
        let bucket = usize::from((identifier >> (u64::BITS - BUCKET_BITS)) as u8);
        self.buckets[bucket].push((identifier, record));
    }

    /// Marks `record` as describing someone even without an identifier.
    pub(crate) fn touch(&mut self, record: RecordId) {
        let index = record_index(record);
        if index >= self.present.len() {
            self.present.resize(index + 1, false);
        }
        self.present[index] = true;
    }

    /// Returns the number of merged groups.
    pub(crate) fn count(&mut self) -> u64 {
        // Counting the records that are their group's representative needs
        // no per-record vector of roots, which is the largest allocation
        // here on a body of many records.
        let mut parents = self.merged();
        let groups = (0..self.present.len())
            .filter(|&record| self.present[record] && find(&mut parents, record) == record)
            .count();
        groups as u64
    }

    /// Merges records that share an identifier and returns, for each record
    /// index, the index of its group's representative, or `None` for a
    /// record without findings.
    pub(crate) fn roots(&mut self) -> Vec<Option<usize>> {
        let mut parents = self.merged();
        (0..self.present.len())
            .map(|record| self.present[record].then(|| find(&mut parents, record)))
            .collect()
    }

    /// Returns the union-find parents of all records after merging those
    /// that share an identifier.
    fn merged(&mut self) -> Vec<usize> {
        let mut parents: Vec<usize> = (0..self.present.len()).collect();
        let records = self.present.iter().filter(|&&present| present).count();
        let max_records = MIN_SHARED_RECORDS.max(records / SHARED_RECORDS_DIVISOR);
        let mut table = RepeatTable::default();
        for bucket in &self.buckets {
            for (first, record) in table.repeats(bucket, max_records) {
                union(&mut parents, record_index(first), record_index(record));
            }
        }
        parents
    }
}

/// Bits of the hash that choose an identifier's bucket.
const BUCKET_BITS: u32 = 8;

/// Records above which an identifier merges none of them, unless
/// [`SHARED_RECORDS_DIVISOR`] allows more. Such an identifier is shared,
/// not one person's, as an account manager's e-mail address or a hotline
/// number in every row of an export is. A customer with up to 64 orders in
/// an export, or 1% of its lines, still counts once.
///
/// NOTE: the bound applies to one identifier at a time. Records linked in a
/// chain, each sharing a different identifier with the next, still merge
/// into one group.
const MIN_SHARED_RECORDS: usize = 64;

/// Divisor of the number of records that gives the share above which an
/// identifier merges no records: one in 100 (see [`MIN_SHARED_RECORDS`]).
const SHARED_RECORDS_DIVISOR: usize = 100;

/// The open-addressed table that finds repeated hashes in a bucket, kept
/// between buckets so that its memory is allocated once.
#[derive(Default)]
struct RepeatTable {
    /// For each slot: one plus the index in the bucket of the first entry
    /// with the slot's hash (0 for a free slot), and how many entries have
    /// that hash.
    slots: Vec<(u32, u32)>,
    /// The slot and record of every entry whose hash an earlier one has.
    repeats: Vec<(usize, RecordId)>,
}

impl RepeatTable {
    /// Returns, for every entry of `bucket` whose hash an earlier entry has,
    /// the record of that earlier entry and the entry's own record, leaving
    /// out hashes that more than `max_records` entries have.
    ///
    /// The table is at most half full, and the keyed hashes are uniformly
    /// spread, so most entries find their place at the first probe.
    fn repeats<'t>(
        &'t mut self,
        bucket: &'t [(u64, RecordId)],
        max_records: usize,
    ) -> impl Iterator<Item = (RecordId, RecordId)> + 't {
        let size = (bucket.len() * 2).next_power_of_two();
        self.slots.clear();
        self.slots.resize(size, (0, 0));
        self.repeats.clear();
        let mask = size - 1;
        for (index, &(hash, record)) in bucket.iter().enumerate() {
            // The low bits of the hash, since the top ones chose the bucket.
            let mut slot = hash as usize & mask;
            loop {
                match self.slots[slot] {
                    (0, _) => {
                        // A bucket's entries, 16 bytes each in memory, are
                        // fewer than a `u32` counts.
                        self.slots[slot] = (index as u32 + 1, 1);
                        break;
                    }
                    (first, count) if bucket[first as usize - 1].0 == hash => {
                        self.slots[slot].1 = count + 1;
                        self.repeats.push((slot, record));
                        break;
                    }
                    _ => slot = (slot + 1) & mask,
                }
            }
        }
        let slots = &self.slots;
        self.repeats
            .iter()
            .filter(move |&&(slot, _)| slots[slot].1 as usize <= max_records)
            .map(move |&(slot, record)| (bucket[slots[slot].0 as usize - 1].1, record))
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
        graph.add(1, 10);
        graph.add(1, 11);
        graph.add(2, 11);
        graph.add(2, 12);
        graph.add(3, 13);
        assert_eq!(graph.count(), 2);
    }

    #[test]
    fn repeated_identifiers_in_separate_records_are_one_subject() {
        let mut graph = SubjectGraph::default();
        for record in 0..5 {
            graph.add(record, 42);
        }
        assert_eq!(graph.count(), 1);
    }

    #[test]
    fn chains_of_shared_identifiers_merge_transitively() {
        let mut graph = SubjectGraph::default();
        graph.add(1, 1);
        graph.add(1, 2);
        graph.add(2, 3);
        graph.add(2, 4);
        graph.add(3, 2);
        graph.add(3, 3);
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
        graph.add(1, 10);
        graph.add(2, 10);
        graph.touch(3);
        assert_eq!(graph.count(), 2);
    }

    #[test]
    fn records_without_findings_are_not_counted() {
        let mut graph = SubjectGraph::default();
        graph.add(7, 1);
        assert_eq!(graph.count(), 1);
    }

    /// Hashes that share their low bits probe past each other, and the
    /// probes wrap around the end of the table.
    #[test]
    fn repeats_pair_later_entries_with_first() {
        let mut table = RepeatTable::default();
        for length in [0, 1, 2, 3, 7, 8, 9, 100] {
            for low in [0, 5, u64::MAX] {
                let bucket: Vec<(u64, RecordId)> = (0..length)
                    .map(|index: u64| (((index % 5) << 40) | (low & 0xFF), index))
                    .collect();
                let found: Vec<_> = table.repeats(&bucket, usize::MAX).collect();
                let expected: Vec<_> = (5..length).map(|index| (index % 5, index)).collect();
                assert_eq!(found, expected, "{length} {low}");
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
                graph.add(record, identifier);
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
            graph.add(record, 0xAAAA);
            graph.add(record, 1000 + record);
        }
        for record in 71..=80 {
            graph.add(record, 0xBBBB);
        }
        assert_eq!(graph.count(), 71);
    }

    #[test]
    fn empty_graph_has_no_subjects() {
        assert_eq!(SubjectGraph::default().count(), 0);
    }
}
