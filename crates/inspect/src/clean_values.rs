//! A memo of field values in which nothing was found, per field name.
//!
//! ERP records repeat many values under the same key: statuses,
//! currencies, units, warehouse codes, product names. What the detectors
//! find in a value depends only on its text, its key's roles and the
//! request's date, which is fixed for one inspection. So a value that was
//! scanned without findings under a key is skipped when it comes again
//! under the same key.
//!
//! Only values under keys without field roles are remembered, because the
//! field rules for names and addresses count every value of a column. A key
//! whose values rarely repeat (order numbers, amounts, timestamps) stops
//! using the memo after [`TRIAL_VALUES`] lookups, so unique columns pay
//! for the lookup only at the start.

use crate::detect::key_cache::{CachedKey, to_words};

/// Maximum length of a remembered value, in bytes. Repeated codes and
/// labels are short, and longer values are mostly unique text.
pub(crate) const MAX_VALUE_BYTES: usize = 32;

/// Number of 8-byte words in a value of [`MAX_VALUE_BYTES`].
const VALUE_WORDS: usize = MAX_VALUE_BYTES / 8;

/// Entries of the memo, direct-mapped, so a collision replaces the older
/// value. An ERP export seldom has more than a few hundred repeated values,
/// and 1024 entries of 40 bytes stay within a core's L2 cache.
const VALUE_SLOTS: usize = 1024;

/// Values of a key looked up before its hit rate decides whether the memo
/// is still used for it.
const TRIAL_VALUES: u32 = 64;

/// Minimum share of a key's values, in percent, found in the memo for it
/// to be used after the trial.
const MIN_HIT_PERCENT: u32 = 25;

#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// The [`CachedKey::id`] of the key the value was sent under.
    key_id: u32,
    /// Length of the value plus one; zero marks an empty entry.
    length: u8,
    /// The value as little-endian words, zero-padded after its last byte.
    words: [u64; VALUE_WORDS],
}

/// The memo of one inspection. The table is allocated on the first insert,
/// so requests without repeated values do not pay for it.
#[derive(Debug, Default)]
pub(crate) struct CleanValues {
    entries: Vec<Entry>,
}

impl CleanValues {
    /// Returns whether the memo should be used for a value under `key`,
    /// given how many of its values were looked up and found so far.
    pub(crate) fn worth_using(lookups: u32, hits: u32) -> bool {
        lookups < TRIAL_VALUES
            || u64::from(hits) * 100 >= u64::from(lookups) * u64::from(MIN_HIT_PERCENT)
    }

    /// Returns whether `value` was remembered under `key`.
    #[inline]
    pub(crate) fn contains(&self, key: CachedKey, value: &[u8]) -> bool {
        if self.entries.is_empty() || value.len() > MAX_VALUE_BYTES {
            return false;
        }
        let (index, words) = locate(key, value);
        let entry = &self.entries[index];
        entry.key_id == key.id
            && usize::from(entry.length) == value.len() + 1
            && entry.words == words
    }

    /// Remembers that nothing was found in `value` under `key`.
    pub(crate) fn insert(&mut self, key: CachedKey, value: &[u8]) {
        if value.len() > MAX_VALUE_BYTES {
            return;
        }
        if self.entries.is_empty() {
            self.entries = vec![Entry::default(); VALUE_SLOTS];
        }
        let (index, words) = locate(key, value);
        self.entries[index] = Entry {
            key_id: key.id,
            length: (value.len() + 1) as u8,
            words,
        };
    }
}

/// Returns the entry index of `value` under `key` and the value's words.
#[inline]
fn locate(key: CachedKey, value: &[u8]) -> (usize, [u64; VALUE_WORDS]) {
    let mut words = [0; VALUE_WORDS];
    to_words(value, &mut words);
    // The words are folded with rotations and mixed by one multiplication,
    // so the hash is not a chain of dependent multiplications.
    let folded =
        words[0] ^ words[1].rotate_left(16) ^ words[2].rotate_left(32) ^ words[3].rotate_left(48);
    let hash = (folded ^ (u64::from(key.id) << 8 | value.len() as u64))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((hash >> 32) as usize % VALUE_SLOTS, words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::key_cache::KeyCache;

    #[test]
    fn values_are_remembered_per_key() {
        let mut keys = KeyCache::default();
        let status = keys.lookup(b"status").unwrap();
        let state = keys.lookup(b"state").unwrap();
        let mut memo = CleanValues::default();
        assert!(!memo.contains(status, b"open"));
        memo.insert(status, b"open");
        assert!(memo.contains(status, b"open"));
        assert!(!memo.contains(state, b"open"));
        assert!(!memo.contains(status, b"ope"));
        assert!(!memo.contains(status, b"open "));
    }

    #[test]
    fn long_values_are_not_remembered() {
        let mut keys = KeyCache::default();
        let note = keys.lookup(b"note").unwrap();
        let mut memo = CleanValues::default();
        let long = [b'a'; MAX_VALUE_BYTES + 1];
        memo.insert(note, &long);
        assert!(!memo.contains(note, &long));
        let longest = [b'a'; MAX_VALUE_BYTES];
        memo.insert(note, &longest);
        assert!(memo.contains(note, &longest));
    }

    #[test]
    fn keys_with_unique_values_stop_using_the_memo() {
        assert!(CleanValues::worth_using(TRIAL_VALUES - 1, 0));
        assert!(!CleanValues::worth_using(TRIAL_VALUES, 0));
        assert!(CleanValues::worth_using(1000, 250));
        assert!(!CleanValues::worth_using(1000, 249));
    }
}
