//! Keyed identities of the individuals in a request, for counting them
//! across requests (PIPL's yearly volume thresholds).
//!
//! Each individual (a group of records merged by shared identifiers, see
//! [`crate::subjects`]) is described by HMAC-SHA-256 hashes of its
//! identifiers under a key the caller supplies, never by the identifiers.
//! An individual without any strong identifier (only a name, an address or a
//! date of birth) gets one hash over all its weak values together, so the
//! same record sent twice is recognised without letting two people who
//! share a name merge. This work runs only when a key is supplied.

use ring::hmac;

use crate::Category;
use crate::segment::RecordId;
use crate::subjects::record_index;

/// One individual of a request, as counted across requests.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubjectKey {
    /// Keyed hashes of the individual's identifiers; two requests describe
    /// the same individual when they share one.
    pub identifiers: Vec<[u8; 32]>,
    /// Whether sensitive information about the individual was found.
    pub sensitive: bool,
}

/// The keyed hashes collected while a request is scanned.
#[derive(Debug)]
pub(crate) struct KeyedIdentities {
    key: hmac::Key,
    strong: Vec<(RecordId, [u8; 32])>,
    weak: Vec<(RecordId, [u8; 32])>,
    sensitive: Vec<RecordId>,
}

impl KeyedIdentities {
    pub(crate) fn new(key: &[u8; 32]) -> KeyedIdentities {
        KeyedIdentities {
            key: hmac::Key::new(hmac::HMAC_SHA256, key),
            strong: Vec::new(),
            weak: Vec::new(),
            sensitive: Vec::new(),
        }
    }

    /// Notes a strong identifier (already in canonical form) of `record`.
    pub(crate) fn add_strong(&mut self, record: RecordId, category: Category, identifier: &[u8]) {
        let hash = self.sign(category, identifier);
        self.strong.push((record, hash));
    }

    /// Notes a weak value (a name, an address, a date) of `record`.
    pub(crate) fn add_weak(&mut self, record: RecordId, category: Category, value: &[u8]) {
        let folded: Vec<u8> = value
            .iter()
            .filter(|byte| !byte.is_ascii_whitespace())
            .map(u8::to_ascii_lowercase)
            .collect();
        let hash = self.sign(category, &folded);
        self.weak.push((record, hash));
    }

    pub(crate) fn mark_sensitive(&mut self, record: RecordId) {
        self.sensitive.push(record);
    }

    fn sign(&self, category: Category, value: &[u8]) -> [u8; 32] {
        let mut context = hmac::Context::with_key(&self.key);
        context.update(category.as_str().as_bytes());
        context.update(&[0]);
        context.update(value);
        let mut hash = [0; 32];
        hash.copy_from_slice(context.sign().as_ref());
        hash
    }

    /// Builds one [`SubjectKey`] per group, given each record's group
    /// representative from the subject graph.
    pub(crate) fn finish(self, roots: &[Option<usize>]) -> Vec<SubjectKey> {
        let mut groups: Vec<(usize, SubjectKey, Vec<[u8; 32]>)> = Vec::new();
        let mut slot = vec![usize::MAX; roots.len()];
        for (record, root) in roots.iter().enumerate() {
            let Some(root) = *root else { continue };
            if slot[root] == usize::MAX {
                slot[root] = groups.len();
                let key = SubjectKey {
                    identifiers: Vec::new(),
                    sensitive: false,
                };
                groups.push((root, key, Vec::new()));
            }
            slot[record] = slot[root];
        }
        let group_of = |record: RecordId| {
            let index = record_index(record);
            slot.get(index).copied().filter(|&slot| slot != usize::MAX)
        };
        for (record, hash) in &self.strong {
            if let Some(group) = group_of(*record) {
                groups[group].1.identifiers.push(*hash);
            }
        }
        for (record, hash) in &self.weak {
            if let Some(group) = group_of(*record) {
                groups[group].2.push(*hash);
            }
        }
        for record in &self.sensitive {
            if let Some(group) = group_of(*record) {
                groups[group].1.sensitive = true;
            }
        }
        groups
            .into_iter()
            .map(|(_, mut key, mut weak)| {
                key.identifiers.sort_unstable();
                key.identifiers.dedup();
                if key.identifiers.is_empty() && !weak.is_empty() {
                    weak.sort_unstable();
                    weak.dedup();
                    let mut context = hmac::Context::with_key(&self.key);
                    for hash in &weak {
                        context.update(hash);
                    }
                    let mut combined = [0; 32];
                    combined.copy_from_slice(context.sign().as_ref());
                    key.identifiers.push(combined);
                }
                key
            })
            .collect()
    }
}
