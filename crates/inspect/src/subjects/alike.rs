//! Merging the records of an identifier in very many records.
//!
//! An identifier in more than [`super::MIN_SHARED_RECORDS`] records and
//! half of them is either shared by many people (an account manager's
//! address, a doctor's phone number) or one person's (a customer's address
//! on every order of an order history). The other values of its records
//! tell the two apart. Each record gets a signature of its other
//! identifiers, its names in every accepted name column and its birth
//! dates. Records of one person repeat one signature, or a few where some
//! records lack a name. Records of different people differ in their names,
//! birth dates or own identifiers.
//!
//! So when the identifier's records have at most half as many distinct
//! signatures as records, the records with equal signatures merge, and
//! each signature counts as one person. Otherwise they merge none.
//! Records with nothing but the shared identifier have equal, empty
//! signatures. They merge into one person, the identifier's owner, and
//! into the others' person when all the others have one signature.
//!
//! NOTE: two people with the same name and no birth date or identifier
//! of their own, both beside a shared identifier, merge into one. The
//! distinct values of each column still bound the estimate.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::{RECORD_MASK, RecordValues, SubjectGraph, TagHasher, mix, record_index, union};
use crate::segment::RecordId;

/// An identifier hash in more records than may merge through it without
/// comparing them, with the record of each of its entries.
pub(super) struct SharedIdentifier {
    pub(super) hash: u64,
    pub(super) records: Vec<RecordId>,
}

/// The signature of a record with no values but its shared identifiers.
const EMPTY_SIGNATURE: u64 = 0;

/// Merges, in `parents`, the records of each identifier in `shared` whose
/// other values in `graph` are equal, when few enough of them differ.
pub(super) fn merge_alike(
    graph: &SubjectGraph,
    shared: &[SharedIdentifier],
    parents: &mut [usize],
) {
    // One plus the index of each record of a shared identifier among them,
    // by record index, and 0 for the other records.
    let mut members = vec![0u32; graph.present.len()];
    let mut count = 0u32;
    for record in shared.iter().flat_map(|identifier| &identifier.records) {
        let member = &mut members[record_index(*record)];
        if *member == 0 {
            count += 1;
            *member = count;
        }
    }
    let signatures = signatures(graph, shared, &members, count as usize);
    let mut alike = Vec::new();
    for identifier in shared {
        alike.clear();
        alike.extend(identifier.records.iter().map(|&record| {
            let index = record_index(record);
            (signatures[members[index] as usize], index)
        }));
        alike.sort_unstable();
        alike.dedup();
        let changes = alike
            .windows(2)
            .filter(|pair| pair[0].0 != pair[1].0)
            .count();
        let distinct = changes + 1;
        if distinct * 2 > alike.len() {
            continue;
        }
        // Records without values of their own may be the one person that
        // all the others are. The empty signature sorts first.
        let one_person = distinct == 1 || (distinct == 2 && alike[0].0 == EMPTY_SIGNATURE);
        for pair in alike.windows(2) {
            if one_person || pair[0].0 == pair[1].0 {
                union(parents, pair[0].1, pair[1].1);
            }
        }
    }
}

/// Returns the signature of each member record, by the member numbers in
/// `members`, 1 to `count`: a hash of its identifiers other than the
/// `shared` ones, and of its values in the name and birth-date columns.
fn signatures(
    graph: &SubjectGraph,
    shared: &[SharedIdentifier],
    members: &[u32],
    count: usize,
) -> Vec<u64> {
    let shared_hashes: HashSet<u64, BuildHasherDefault<TagHasher>> =
        shared.iter().map(|identifier| identifier.hash).collect();
    let member_of = |record: RecordId| {
        members
            .get(record_index(record))
            .copied()
            .filter(|&member| member != 0)
    };

    // Each value with its member, salted by its source, so that equal
    // hashes in two columns stay apart.
    let mut values: Vec<(u32, u64)> = Vec::new();
    for bucket in &graph.buckets {
        for &(hash, entry) in bucket {
            if let Some(member) = member_of(entry & RECORD_MASK)
                && !shared_hashes.contains(&hash)
            {
                values.push((member, hash));
            }
        }
    }
    let name_columns = graph.name_columns.iter().map(|column| &column.values);
    let date_columns = graph.values.columns.iter().map(|column| &column.values);
    for (source, column) in (1u64..).zip(name_columns.chain(date_columns)) {
        add_column(column, source, &member_of, &mut values);
    }

    values.sort_unstable();
    values.dedup();
    let mut signatures = vec![EMPTY_SIGNATURE; count + 1];
    for (member, value) in values {
        let signature = &mut signatures[member as usize];
        *signature = mix(*signature, value) | 1;
    }
    signatures
}

/// Adds the values of `column` whose records are members to `values`,
/// salted by `source`.
fn add_column(
    column: &RecordValues,
    source: u64,
    member_of: &impl Fn(RecordId) -> Option<u32>,
    values: &mut Vec<(u32, u64)>,
) {
    let salt = source.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for (&record, &hash) in column.records.iter().zip(&column.hashes) {
        if let Some(member) = member_of(record) {
            values.push((member, mix(hash, salt)));
        }
    }
}
