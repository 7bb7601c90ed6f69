//! Estimation of the number of distinct people in a request.
//!
//! Each record (a JSON element, a CSV row, a line, the request itself) that
//! contains findings contributes the set of its identifiers: e-mail
//! addresses, phone numbers, ID, social security, national insurance and
//! passport numbers, IBANs, card and account numbers. Records that share an
//! identifier are taken to describe the same person and merged with a
//! union-find, and the estimate is the number of merged groups. A record
//! whose findings hold no identifier (only a name, an address or a date of
//! birth) still describes someone, so it counts as one person of its own.
//! Identifiers are stored only as keyed 64-bit hashes, never as raw values.
//!
//! The identifiers are collected as (hash, record) pairs and grouped by
//! sorting once the request is read. A hash table of identifiers would cost
//! a cache miss per identifier on a large body, so appending to a vector and
//! sorting it once is faster.
//!
//! NOTE: memory grows with the number of identifiers, by 16 bytes each,
//! plus 9 bytes per record. A body at `max_decoded_bytes` full of e-mail
//! addresses could cost a few hundred MiB here.

use crate::segment::RecordId;

/// The identifiers seen so far and the records that hold findings.
#[derive(Debug, Default)]
pub(crate) struct SubjectGraph {
    /// Every identifier hash with the record it was found in.
    identifiers: Vec<(u64, RecordId)>,
    /// Whether each record, indexed by id, has a finding. Decoders number
    /// records from 1 upwards, so a vector is denser than a set.
    present: Vec<bool>,
}

impl SubjectGraph {
    /// Adds the identifier hash `identifier` found in `record`.
    pub(crate) fn add(&mut self, record: RecordId, identifier: u64) {
        self.touch(record);
        self.identifiers.push((identifier, record));
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
        // Only equal hashes need to end up together, so the records are
        // left out of the comparison.
        self.identifiers
            .sort_unstable_by_key(|&(identifier, _)| identifier);
        for run in self
            .identifiers
            .chunk_by(|first, second| first.0 == second.0)
        {
            let first = record_index(run[0].1);
            for &(_, record) in &run[1..] {
                union(&mut parents, first, record_index(record));
            }
        }
        parents
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

    #[test]
    fn empty_graph_has_no_subjects() {
        assert_eq!(SubjectGraph::default().count(), 0);
    }
}
