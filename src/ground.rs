//! Ground types every stage may use, whatever its place in the pipeline: text in each site
//! language, a stable non-cryptographic hash for cache keys, and the one way a lock is taken.
//!
//! # Poisoned locks
//!
//! Every lock in the crate is taken through [`lock`] (or [`read`], [`write`], [`into_inner`]),
//! which recovers a poisoned lock instead of failing. That is right for what the locks guard
//! here: caches of results that are complete or absent (parsed files, rendered Markdown, page
//! hashes), counters, lists that output files and findings are pushed onto, and the connected
//! live-reload clients. Each critical section is one insert, push, clear or read that calls no
//! code that can panic half-way, so the data is consistent even when another thread panicked
//! elsewhere while holding the guard. A panic in a build is reported on its own (rayon passes
//! it on to the caller); refusing the data afterwards would only turn one failure into many,
//! or silently switch a `serve` session's caches off.

use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A string in each site language (language code → text).
pub type Localized = std::collections::BTreeMap<String, String>;

/// FNV-1a over a byte stream, for cache keys (not persisted, not security relevant).
pub fn hash_bytes(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Locks `m`, recovering the data of a poisoned lock (see the module comment for why).
pub fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Takes the data out of `m`, recovering it from a poisoned lock (see [`lock`]).
pub fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// Read-locks `l`, recovering the data of a poisoned lock (see [`lock`]).
pub fn read<T: ?Sized>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(PoisonError::into_inner)
}

/// Write-locks `l`, recovering the data of a poisoned lock (see [`lock`]).
pub fn write<T: ?Sized>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(PoisonError::into_inner)
}
