//! Caching, eviction and renewal of leaves in `LeafCache`.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use certs::{CertificateAuthority, LEAF_RENEW_BEFORE, LEAF_VALIDITY, LeafCache};

fn authority() -> Arc<CertificateAuthority> {
    Arc::new(CertificateAuthority::generate("Test CA").unwrap())
}

#[test]
fn cache_returns_same_key_for_same_host() {
    let cache = LeafCache::new(authority(), 8);

    let first = cache.certified_key("api.partner.example").unwrap();
    let second = cache.certified_key("api.partner.example").unwrap();

    assert!(Arc::ptr_eq(&first, &second));
    assert_eq!(cache.len(), 1);
}

#[test]
fn cache_mints_distinct_keys_per_host() {
    let cache = LeafCache::new(authority(), 8);

    let first = cache.certified_key("a.example").unwrap();
    let second = cache.certified_key("b.example").unwrap();

    assert!(!Arc::ptr_eq(&first, &second));
    assert_ne!(first.cert[0], second.cert[0]);
    assert_eq!(cache.len(), 2);
}

#[test]
fn cache_evicts_least_recently_used_beyond_capacity() {
    let cache = LeafCache::new(authority(), 2);
    let first_a = cache.certified_key("a.example").unwrap();
    let first_b = cache.certified_key("b.example").unwrap();
    // Touch "a" so that "b" is the least recently used entry.
    cache.certified_key("a.example").unwrap();

    cache.certified_key("c.example").unwrap();

    assert_eq!(cache.len(), 2);
    let second_a = cache.certified_key("a.example").unwrap();
    assert!(Arc::ptr_eq(&first_a, &second_a), "a was evicted");
    let second_b = cache.certified_key("b.example").unwrap();
    assert!(!Arc::ptr_eq(&first_b, &second_b), "b was kept");
}

#[test]
fn cache_with_zero_capacity_keeps_one_leaf() {
    let cache = LeafCache::new(authority(), 0);

    cache.certified_key("a.example").unwrap();
    cache.certified_key("b.example").unwrap();

    assert_eq!(cache.len(), 1);
}

#[test]
fn cache_remints_leaf_close_to_expiry() {
    // Every leaf expires within the renewal margin as soon as it is minted.
    let validity = Duration::from_secs(60 * 60);
    let cache = LeafCache::with_validity(authority(), 8, validity, LEAF_RENEW_BEFORE);

    let first = cache.certified_key("api.partner.example").unwrap();
    let second = cache.certified_key("api.partner.example").unwrap();

    assert!(!Arc::ptr_eq(&first, &second));
    assert_ne!(first.cert[0], second.cert[0]);
    assert_eq!(cache.len(), 1);
}

#[test]
fn cache_keeps_leaf_outside_renewal_margin() {
    let cache = LeafCache::with_validity(authority(), 8, LEAF_VALIDITY, Duration::ZERO);

    let first = cache.certified_key("api.partner.example").unwrap();
    let second = cache.certified_key("api.partner.example").unwrap();

    assert!(Arc::ptr_eq(&first, &second));
}

#[test]
fn cache_propagates_invalid_host() {
    let cache = LeafCache::new(authority(), 8);

    let result = cache.certified_key("bad host");

    assert!(result.is_err());
    assert!(cache.is_empty());
}

#[test]
fn cache_serves_concurrent_threads() {
    const THREADS: usize = 4;
    let cache = Arc::new(LeafCache::new(authority(), 8));

    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let cache = Arc::clone(&cache);
            thread::spawn(move || cache.certified_key("api.partner.example").unwrap())
        })
        .collect();
    let keys: Vec<_> = handles
        .into_iter()
        .map(|handle| handle.join().unwrap())
        .collect();

    assert_eq!(cache.len(), 1);
    let cached = cache.certified_key("api.partner.example").unwrap();
    // Threads that raced may have used their own leaf, but all later
    // lookups see the single stored one.
    assert!(keys.iter().any(|key| Arc::ptr_eq(key, &cached)));
}
