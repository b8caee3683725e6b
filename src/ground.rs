//! Ground types every stage may use, whatever its place in the pipeline: text in each site
//! language, and a stable non-cryptographic hash for cache keys.

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

/// Locks a mutex, recovering it if a thread panicked while holding it: every value plansite
/// guards (caches, collected files and findings) is whole after each single update, so the
/// data is still right and a build should report, not abort.
pub fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
