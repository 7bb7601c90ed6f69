//! The memo of classified keys that one inspection keeps: each key's
//! roles, whether the key as a field name held nothing, and how often
//! values under it repeat (see [`crate::clean_values`]).

use super::columns::key_hash;
use super::keys::{MAX_KEY_BYTES, classify};
use super::roles::Roles;
use crate::clean_values::CleanValues;

/// Slots of [`KeyCache`]. Requests repeat a few dozen field names many
/// times, so a small direct-mapped table hits nearly always.
const CACHE_SLOTS: usize = 256;

/// Number of 8-byte words in a key of [`MAX_KEY_BYTES`].
const KEY_WORDS: usize = MAX_KEY_BYTES / 8;

/// A memo of classified keys for one inspection.
///
/// Records repeat their keys in the same order, so each slot also stores
/// the slot looked up after it. A lookup first tries the slot that followed
/// the last one and then the last slot, which finds the key without
/// hashing it.
#[derive(Debug)]
pub(crate) struct KeyCache {
    slots: Vec<CacheSlot>,
    /// The [`key_hash`] of the key in each slot, which names its column in
    /// the subject counts and the name votes. It is computed once per key,
    /// and kept apart from the slots that every value's lookup reads.
    columns: Vec<u64>,
    /// The slot of the last key looked up.
    last: usize,
    /// The slot that was looked up after `last` the previous time. It is
    /// kept here so that a lookup does not first read it from `last`'s slot.
    predicted: usize,
    /// The number of keys stored so far, which gives each its id.
    stored: u32,
}

#[derive(Debug, Clone, Copy)]
struct CacheSlot {
    /// Length of the key plus one; zero marks an empty slot.
    length: u8,
    /// The key as little-endian words, zero-padded after its last byte.
    key: [u64; KEY_WORDS],
    roles: Roles,
    /// Whether scanning the key as a field name found nothing.
    clean_name: bool,
    /// The slot looked up after this one the last time it was left.
    next: u16,
    /// Identifies the key for as long as it stays in this slot; a new key
    /// in the slot gets a new one.
    id: u32,
    /// Values under the key looked up in the clean-value memo, and how
    /// many of them were found there.
    value_lookups: u32,
    value_hits: u32,
    /// Whether values under the key still use the clean-value memo. It
    /// starts false for keys with field roles and turns false for good
    /// when the key's hit rate fails [`CleanValues::worth_using`], because
    /// the counts stop changing once the memo is no longer used.
    uses_value_memo: bool,
}

/// A key found or stored in the cache.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CachedKey {
    pub index: usize,
    /// See [`CacheSlot::id`].
    pub id: u32,
    pub roles: Roles,
}

impl CacheSlot {
    fn holds(&self, length: usize, words: &[u64]) -> bool {
        usize::from(self.length) == length + 1
            && self
                .key
                .iter()
                .zip(words)
                .all(|(cached, word)| cached == word)
    }
}

impl Default for KeyCache {
    fn default() -> Self {
        let empty = CacheSlot {
            length: 0,
            key: [0; KEY_WORDS],
            roles: Roles::NONE,
            clean_name: false,
            next: 0,
            id: 0,
            value_lookups: 0,
            value_hits: 0,
            uses_value_memo: false,
        };
        KeyCache {
            slots: vec![empty; CACHE_SLOTS],
            columns: vec![0; CACHE_SLOTS],
            last: 0,
            predicted: 0,
            stored: 0,
        }
    }
}

impl KeyCache {
    /// Returns the roles of `key`, classifying it on first sight.
    #[cfg(test)]
    pub(crate) fn roles(&mut self, key: &[u8]) -> Roles {
        self.lookup(key).map_or(Roles::NONE, |key| key.roles)
    }

    /// Returns the cached entry of `key`, classifying it on first sight, or
    /// `None` for keys that are not cached (see [`KeyCache::slot`]).
    #[inline]
    pub(crate) fn lookup(&mut self, key: &[u8]) -> Option<CachedKey> {
        let index = self.slot(key)?;
        let slot = &self.slots[index];
        Some(CachedKey {
            index,
            id: slot.id,
            roles: slot.roles,
        })
    }

    /// Returns whether `key` is still in the slot it was found in, which a
    /// later key may have taken.
    pub(crate) fn holds(&self, key: CachedKey) -> bool {
        self.slots[key.index].id == key.id
    }

    /// Returns the [`key_hash`] of `key`, which must still be held.
    pub(crate) fn column(&self, key: CachedKey) -> u64 {
        self.columns[key.index]
    }

    /// Returns whether values under `key` should use the clean-value memo:
    /// the key has no field roles and its counts pass
    /// [`CleanValues::worth_using`].
    #[inline]
    pub(crate) fn uses_value_memo(&self, key: CachedKey) -> bool {
        self.slots[key.index].uses_value_memo
    }

    /// Counts a lookup of a value under `key` in the clean-value memo.
    pub(crate) fn count_value(&mut self, key: CachedKey, found: bool) {
        let slot = &mut self.slots[key.index];
        slot.value_lookups = slot.value_lookups.saturating_add(1);
        slot.value_hits = slot.value_hits.saturating_add(u32::from(found));
        slot.uses_value_memo = CleanValues::worth_using(slot.value_lookups, slot.value_hits);
    }

    /// Returns whether `name` was scanned before as a field name (a JSON
    /// key, a column header) and nothing was found in it. Such a scan
    /// depends only on the name's text, so it need not run again.
    pub(crate) fn is_clean_name(&mut self, name: &[u8]) -> bool {
        self.slot(name)
            .is_some_and(|index| self.slots[index].clean_name)
    }

    /// Looks up `name` like [`KeyCache::lookup`] and returns as well
    /// whether it is a clean field name (see [`KeyCache::is_clean_name`]).
    #[inline]
    pub(crate) fn lookup_name(&mut self, name: &[u8]) -> Option<(CachedKey, bool)> {
        let index = self.slot(name)?;
        let slot = &self.slots[index];
        let key = CachedKey {
            index,
            id: slot.id,
            roles: slot.roles,
        };
        Some((key, slot.clean_name))
    }

    /// Notes that scanning `name` as a field name found nothing.
    pub(crate) fn mark_clean_name(&mut self, name: &[u8]) {
        if let Some(index) = self.slot(name) {
            self.slots[index].clean_name = true;
        }
    }

    /// Returns the index of the slot of `key`, classifying the key on first
    /// sight, or `None` for an empty key and keys longer than
    /// [`MAX_KEY_BYTES`], which are not cached.
    ///
    /// The check of the predicted slots for short keys is inlined into the
    /// callers, which look up a key for nearly every segment.
    #[inline(always)]
    fn slot(&mut self, key: &[u8]) -> Option<usize> {
        if key.is_empty() || key.len() > MAX_KEY_BYTES {
            return None;
        }
        if key.len() <= 16 {
            // Short field names in the order of the last record hit a
            // predicted slot after two loads and two compares.
            let words = if key.len() > 8 {
                [load_u64(key), load_tail(key, key.len() - 8)]
            } else {
                [load_tail(key, key.len()), 0]
            };
            // The key after the last one comes first: a record's members
            // each look their key up once.
            for index in [self.predicted, self.last] {
                let slot = &self.slots[index];
                let same = usize::from(slot.length) == key.len() + 1
                    && slot.key[0] == words[0]
                    && slot.key[1] == words[1];
                if same {
                    self.follow(index);
                    return Some(index);
                }
            }
        }

        Some(self.find_or_insert(key))
    }

    /// Returns the slot of `key`, which is not empty and at most
    /// [`MAX_KEY_BYTES`] long, storing the key on first sight.
    ///
    /// The cache is two-way set associative: a key may sit in either slot
    /// of its pair, so two frequent keys whose hashes collide do not evict
    /// each other on every record.
    fn find_or_insert(&mut self, key: &[u8]) -> usize {
        // The key is read once into words, which both the hash and the
        // comparison use instead of a call to `memcmp`.
        let mut words = [0u64; KEY_WORDS];
        let used = to_words(key, &mut words);
        let words = &words[..used];
        let predicted = [self.predicted, self.last];
        if let Some(index) = predicted
            .into_iter()
            .find(|&index| self.slots[index].holds(key.len(), words))
        {
            self.follow(index);
            return index;
        }

        let first = slot_index(key.len(), words) & !1;
        let index = match [first, first + 1]
            .into_iter()
            .find(|&index| self.slots[index].holds(key.len(), words))
        {
            Some(index) => index,
            None => self.insert(key, words, first),
        };
        self.follow(index);
        index
    }

    /// Stores `key` in the pair of slots from `first` and returns its slot.
    fn insert(&mut self, key: &[u8], words: &[u64], first: usize) -> usize {
        // Fill an empty slot of the pair, else replace the second one, so
        // the first key of a pair stays.
        let index = if self.slots[first].length == 0 {
            first
        } else {
            first + 1
        };
        let mut stored = [0; KEY_WORDS];
        stored[..words.len()].copy_from_slice(words);
        self.stored += 1;
        let roles = classify(key);
        self.slots[index] = CacheSlot {
            length: (key.len() + 1) as u8,
            key: stored,
            roles,
            clean_name: false,
            next: index as u16,
            id: self.stored,
            value_lookups: 0,
            value_hits: 0,
            uses_value_memo: !roles.intersects(Roles::FIELD_ROLES),
        };
        self.columns[index] = key_hash(key);
        index
    }

    /// Notes that `index` was looked up after the last slot.
    fn follow(&mut self, index: usize) {
        if index != self.last {
            self.slots[self.last].next = index as u16;
            self.last = index;
            self.predicted = usize::from(self.slots[index].next);
        }
    }
}

/// Writes `bytes` into `words` as little-endian words, the last one padded
/// with zeros, and returns the number of words written. `words` must have
/// room for them.
// Inline across codegen units: the clean-value memo calls it per value.
#[inline]
pub(crate) fn to_words(bytes: &[u8], words: &mut [u64]) -> usize {
    let used = bytes.len().div_ceil(8);
    let full = bytes.len() / 8;
    for (index, word) in words[..full].iter_mut().enumerate() {
        *word = load_u64(&bytes[index * 8..]);
    }
    if full < used {
        words[used - 1] = load_tail(bytes, bytes.len() % 8);
    }
    used
}

/// Returns the first eight bytes of `bytes`, which has at least eight, as
/// a little-endian word.
fn load_u64(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(word)
}

/// Returns the last `length` bytes of `key`, 1 to 8, as a little-endian
/// word padded with zeros.
fn load_tail(key: &[u8], length: usize) -> u64 {
    let end = key.len();
    if end >= 8 {
        // The last eight bytes end with the wanted ones; the shift drops
        // the bytes before them.
        return load_u64(&key[end - 8..]) >> (8 * (8 - length));
    }
    if length >= 4 {
        // Two overlapping 4-byte loads cover 4 to 7 bytes; the bytes they
        // share are equal, so OR joins them.
        let mut low = [0u8; 4];
        low.copy_from_slice(&key[..4]);
        let mut high = [0u8; 4];
        high.copy_from_slice(&key[end - 4..]);
        let (low, high) = (u32::from_le_bytes(low), u32::from_le_bytes(high));
        return u64::from(low) | u64::from(high) << (8 * (length - 4));
    }
    key.iter()
        .rev()
        .fold(0, |word, &byte| word << 8 | u64::from(byte))
}

/// Picks a cache slot from a multiply-rotate hash over the key's 8-byte
/// words.
fn slot_index(length: usize, words: &[u64]) -> usize {
    let mut hash = length as u64;
    for &word in words {
        hash = (hash ^ word)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
    (hash >> 32) as usize % CACHE_SLOTS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small linear congruential generator, so the test needs no crate.
    fn next_random(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *state >> 33
    }

    #[test]
    fn value_memo_flag_follows_hit_counts() {
        let names: [&[u8]; 6] = [
            b"status",
            b"order_id",
            b"first_name",
            b"street",
            b"currency",
            b"amount",
        ];
        let mut state = 7;
        let mut with_field_roles = 0;
        // Each round gives every key a different hit rate, from none to all.
        for round in 0..40u64 {
            let mut keys = KeyCache::default();
            let mut counts = [(0u32, 0u32); 6];
            for step in 0..400 {
                let position = step % names.len();
                let key = keys.lookup(names[position]).unwrap();
                let field_roles = key.roles.intersects(Roles::FIELD_ROLES);
                let (lookups, hits) = counts[position];
                let expected = !field_roles && CleanValues::worth_using(lookups, hits);
                assert_eq!(
                    keys.uses_value_memo(key),
                    expected,
                    "key {:?} after {lookups} lookups and {hits} hits",
                    String::from_utf8_lossy(names[position]),
                );
                with_field_roles += usize::from(field_roles);
                if expected {
                    let rate = (round + position as u64) % 11;
                    let found = next_random(&mut state) % 10 < rate;
                    keys.count_value(key, found);
                    counts[position] = (lookups + 1, hits + u32::from(found));
                }
            }
        }
        assert!(with_field_roles > 0, "no key with field roles was tested");
    }
}
