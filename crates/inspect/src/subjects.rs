//! Estimation of the number of distinct people in a request.
//!
//! Each record (a JSON element, a line, the request itself) that contains
//! findings contributes the set of its identifiers. Records that share an
//! identifier are taken to describe the same person and merged with a
//! union-find, and the estimate is the number of merged groups. Identifiers
//! are stored only as keyed 64-bit hashes, never as raw values.
//!
//! NOTE: memory grows with the number of distinct identifiers, by an
//! estimated 40 bytes each. A body at `max_decoded_bytes` full of distinct
//! e-mail addresses could cost a few hundred MiB here.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::segment::RecordId;

/// The identifiers seen so far and which of them belong together.
#[derive(Debug, Default)]
pub(crate) struct SubjectGraph {
    /// Node index of every identifier hash.
    nodes: HashMap<u64, usize, BuildHasherDefault<MixHasher>>,
    /// Union-find parent of every node.
    parents: Vec<usize>,
    /// The first identifier seen in each record; later ones are merged with it.
    record_roots: HashMap<RecordId, usize, BuildHasherDefault<MixHasher>>,
}

/// A hasher for `u64` keys that are keyed hashes or sequential record ids.
/// Neither is chosen by the client in a way that can collide on purpose (the
/// identifier hashes are keyed with a random key), so one multiply replaces
/// SipHash on this hot path.
#[derive(Debug, Default)]
struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, value: u64) {
        // Fibonacci hashing: the high bits of the product depend on every
        // input bit, and hashbrown takes its control bits from the top.
        self.0 = value.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl SubjectGraph {
    /// Adds the identifier hash `identifier` found in `record`.
    pub(crate) fn add(&mut self, record: RecordId, identifier: u64) {
        let next = self.parents.len();
        let node = *self.nodes.entry(identifier).or_insert(next);
        if node == next {
            self.parents.push(node);
        }
        match self.record_roots.get(&record) {
            Some(&first) => self.union(first, node),
            None => {
                self.record_roots.insert(record, node);
            }
        }
    }

    /// Returns the number of merged groups.
    pub(crate) fn count(&mut self) -> u64 {
        let mut groups = 0;
        for node in 0..self.parents.len() {
            if self.find(node) == node {
                groups += 1;
            }
        }
        groups
    }

    fn find(&mut self, mut node: usize) -> usize {
        while self.parents[node] != node {
            // Path halving keeps the trees shallow without recursion.
            self.parents[node] = self.parents[self.parents[node]];
            node = self.parents[node];
        }
        node
    }

    fn union(&mut self, first: usize, second: usize) {
        let (first, second) = (self.find(first), self.find(second));
        if first != second {
            self.parents[second] = first;
        }
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
    fn empty_graph_has_no_subjects() {
        assert_eq!(SubjectGraph::default().count(), 0);
    }
}
