//! Ground types every stage may use, whatever its place in the pipeline: text in each site
//! language, a stable non-cryptographic hash for cache keys, and the one way a lock is taken.
//!
//! # Poisoned locks
//!
//! Every lock in the crate is taken through [`lock`] (or [`read`], [`write`], [`into_inner`]),
//! which recovers a poisoned lock instead of failing. That is right for what the locks guard
//! here, which a holder's panic cannot leave half-changed in a way anyone reads: caches hold
//! whole entries or none (parsed files, rendered Markdown, page hashes, each inserted in one
//! call), counters and lists are only added to (statistics, output files, findings, live-reload
//! clients), and the search index builders of a render are only read once every page rendered
//! (a page's panic reaches the caller through rayon and ends the build). Refusing the data
//! after a panic would only turn one failure into many, or quietly switch a `serve` session's
//! caches off, as the former `if let Ok(..)` on each lock did.

use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A string in each site language (language code → text).
pub type Localized = std::collections::BTreeMap<String, String>;

/// A short string many values repeat (an ID, a link kind, a language code), shared instead of
/// copied: a graph of 50,000 items holds hundreds of thousands of edges, and three copied
/// strings on each were tens of MB. Reads as a `str`; compares with strings.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(std::sync::Arc<str>);

impl Name {
    /// The string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name(s.into())
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name(s.into())
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

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
