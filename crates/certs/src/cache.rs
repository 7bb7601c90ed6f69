//! A bounded cache of leaf certificates, one per intercepted host, so that
//! the gateway signs a new leaf only for a new host or one whose leaf is
//! about to expire.

use std::fmt;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use lru::LruCache;
use rustls::sign::CertifiedKey;

use crate::authority::CertificateAuthority;
use crate::error::CertError;

/// Validity of a minted leaf: 7 days. Short, because a leaf key leaked from
/// the gateway's memory should stop working soon, and minting is cheap.
pub const LEAF_VALIDITY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// A cached leaf with less validity left than this is minted again, so a
/// client never receives a leaf that expires during a long connection.
pub const LEAF_RENEW_BEFORE: Duration = Duration::from_secs(24 * 60 * 60);

/// Default number of hosts whose leaves are kept. Each entry contains a P-256
/// key and a chain of two DER certificates (about 500 and 450 bytes), so an
/// entry takes an estimated 1 to 2 KiB and a full cache at most a few MiB.
pub const DEFAULT_LEAF_CACHE_CAPACITY: usize = 1024;

/// A leaf stored in the cache.
struct CachedLeaf {
    key: Arc<CertifiedKey>,
    not_after: SystemTime,
}

/// Leaf certificates keyed by host, minted on demand by a
/// [`CertificateAuthority`] and evicted least recently used first.
///
/// Safe to share between tasks: the mutex is held only for map operations,
/// never while a leaf is signed. Two tasks that miss on the same host at the
/// same time may both mint a leaf. The first one stored stays in the cache,
/// and the other task uses its own leaf for its own connection only.
pub struct LeafCache {
    authority: Arc<CertificateAuthority>,
    validity: Duration,
    renew_before: Duration,
    entries: Mutex<LruCache<String, CachedLeaf>>,
}

impl LeafCache {
    /// Creates a cache of at most `capacity` leaves, each valid for
    /// [`LEAF_VALIDITY`] and renewed [`LEAF_RENEW_BEFORE`] before it expires.
    /// A capacity of 0 is treated as 1.
    pub fn new(authority: Arc<CertificateAuthority>, capacity: usize) -> Self {
        Self::with_validity(authority, capacity, LEAF_VALIDITY, LEAF_RENEW_BEFORE)
    }

    /// Creates a cache with a custom leaf validity and renewal margin.
    ///
    /// When `validity` is not longer than `renew_before`, every lookup mints
    /// a new leaf; tests use that to exercise renewal without waiting.
    pub fn with_validity(
        authority: Arc<CertificateAuthority>,
        capacity: usize,
        validity: Duration,
        renew_before: Duration,
    ) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Self {
            authority,
            validity,
            renew_before,
            entries: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// Returns the cached leaf for `host`, or mints and caches a new one when
    /// there is none or the cached one expires within the renewal margin.
    ///
    /// `host` is the cache key as given, so the caller normalises it (lower
    /// case, no trailing dot, IP literals without brackets).
    pub fn certified_key(&self, host: &str) -> Result<Arc<CertifiedKey>, CertError> {
        if let Some(key) = self.fresh_entry(host, SystemTime::now()) {
            return Ok(key);
        }

        let leaf = self.authority.issue_leaf(host, self.validity)?;
        let key = leaf.certified_key()?;
        tracing::debug!(host, "minted leaf certificate");

        let mut entries = self.lock();
        let now = SystemTime::now();
        if let Some(existing) = entries.get(host).filter(|entry| self.is_fresh(entry, now)) {
            return Ok(Arc::clone(&existing.key));
        }
        let cached = CachedLeaf {
            key: Arc::clone(&key),
            not_after: leaf.not_after,
        };
        entries.put(host.to_owned(), cached);
        Ok(key)
    }

    /// Returns the number of cached leaves.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Returns whether no leaf is cached.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Returns the authority that signs this cache's leaves.
    pub fn authority(&self) -> &Arc<CertificateAuthority> {
        &self.authority
    }

    fn fresh_entry(&self, host: &str, now: SystemTime) -> Option<Arc<CertifiedKey>> {
        let mut entries = self.lock();
        let entry = entries.get(host)?;
        self.is_fresh(entry, now).then(|| Arc::clone(&entry.key))
    }

    fn is_fresh(&self, entry: &CachedLeaf, now: SystemTime) -> bool {
        now.checked_add(self.renew_before)
            .is_some_and(|renew_at| renew_at < entry.not_after)
    }

    /// Locks the map. A panic while the lock was held cannot leave the map
    /// half-updated (each operation is a single `LruCache` call), so a
    /// poisoned lock is used as is.
    fn lock(&self) -> MutexGuard<'_, LruCache<String, CachedLeaf>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for LeafCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeafCache")
            .field("authority", &self.authority)
            .field("validity", &self.validity)
            .field("renew_before", &self.renew_before)
            .field("len", &self.len())
            .finish()
    }
}
