//! Caches that survive between rebuilds in `plansite serve`, so a one-file edit re-does only
//! the work that depends on it:
//!
//! - Files ([`crate::load::Memo`]): a section file whose size and modification time are
//!   unchanged is not read again, and an items file whose text is unchanged is not parsed
//!   again. Kept files share their text, so the caches below recognise them by pointer.
//! - Markdown: a section file is re-rendered only when its text or the *link environment*
//!   (every ID's URL and title in every language, item homes, glossary terms) changed; a title
//!   edit therefore re-renders the pages that cite it, a typo fix in prose re-renders one file.
//!   Translation hashes are remembered per file the same way.
//! - Pages: a page is re-rendered only when its template context changed — the context holds
//!   everything the page shows (its chain, backlinks, aggregate views). Only the context hash
//!   is kept here; the bytes of unchanged pages stay where `serve` serves them from.
//! - Fast path: when nothing site-wide changed (the fingerprint of everything pages are built
//!   from besides section Markdown, see [`fingerprint::global`]), only the pages built from
//!   re-rendered Markdown (their sections and the items whose prose lives there) are visited;
//!   every other page is reused without even building its context.
//! - Patch: when only the prose of section files changed, the last good site is patched in
//!   place instead of compiled again ([`patch`]), and checked again as a compile checks it.
//!
//! [`Rebuilder`] is the one owner of all this: `serve` and the tests call it. The stages know
//! nothing of it: the compile asks a [`crate::build::Memo`] (which [`Cache`] is) and the render
//! is told which pages the caller holds. The caches key on the full inputs of pure functions,
//! so the output equals a full build (`tests/incremental.rs` checks it after every kind of
//! edit, with the rebuilder `serve` runs).

mod cites;
mod fingerprint;
mod patch;
mod rebuilder;

pub use rebuilder::{Outcome, Rebuilder};

use crate::ground::lock;
use crate::markdown::Rendered;
use crate::site::Site;
use crate::source::{SourceFile, Text, content_hash, same_text};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Re-exported: the cache keys' hash lives in the ground module.
pub use crate::ground::hash_bytes;

/// Work avoided and done by the last rebuild.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Section variants whose Markdown was reused.
    pub markdown_reused: usize,
    /// Section variants rendered again.
    pub markdown_rendered: usize,
    /// Pages reused unchanged.
    pub pages_reused: usize,
    /// Pages rendered again.
    pub pages_rendered: usize,
    /// The last site was patched instead of compiled again (see [`Rebuilder`]).
    pub patched: bool,
}

/// (file, language) → (file text, environment hash, result). The text itself is the key, not
/// a hash of it: comparing is exact and faster than hashing every file on every rebuild.
type MarkdownCache = HashMap<(String, String), (Text, u64, Arc<Rendered>)>;

/// A file's text, the offset of its body and the [`content_hash`] of that body.
type BodyHash = (Text, usize, String);

/// The caches of one `serve` session.
#[derive(Debug, Default)]
pub struct Cache {
    markdown: Mutex<MarkdownCache>,
    /// Output path → context hash of the page as last handed over. Only the hash: the bytes
    /// live in what `serve` serves, and a full rebuild renders every page anyway.
    pages: Mutex<HashMap<String, u64>>,
    stats: Mutex<Stats>,
    /// Files whose Markdown was re-rendered since the last successful render.
    changed: Mutex<std::collections::HashSet<String>>,
    /// This rebuild's link environment hash (set by the compile, read by the render).
    env: Mutex<Option<u64>>,
    /// Parsed YAML files.
    load: crate::load::Memo,
    /// File → (its text, body offset, [`content_hash`] of the body), for translation checks.
    hashes: Mutex<HashMap<String, BodyHash>>,
    /// The sections' parts of the single-page documents.
    parts: crate::render::PartMemo,
}

impl Cache {
    /// Statistics of the last rebuild (reset by [`Cache::begin`]).
    pub fn stats(&self) -> Stats {
        *lock(&self.stats)
    }

    /// Counts `files` patched into the last site (see [`patch`]) as re-rendered Markdown.
    pub(crate) fn patched(&self, files: usize) {
        let mut s = lock(&self.stats);
        s.markdown_rendered += files;
        s.patched = true;
    }

    /// Starts a rebuild.
    pub(crate) fn begin(&self) {
        *lock(&self.stats) = Stats::default();
        *lock(&self.env) = None;
    }

    /// Marks the pages as caught up with every Markdown change so far. Until a render succeeds,
    /// re-rendered files stay "changed": a build that fails after rendering a file must not hide
    /// that file from the next successful one.
    pub(crate) fn pages_rendered(&self) {
        lock(&self.changed).clear();
    }

    /// The files whose Markdown was re-rendered since the last successful render.
    pub(crate) fn changed_files(&self) -> std::collections::HashSet<String> {
        lock(&self.changed).clone()
    }

    /// Drops the cached results of files that are gone (deleted or renamed).
    fn forget_missing(&self, sources: &crate::source::SourceMap) {
        lock(&self.markdown).retain(|(file, _), _| sources.get(file).is_some());
        lock(&self.hashes).retain(|file, _| sources.get(file).is_some());
    }

    /// Computes and remembers the link environment of a freshly compiled `site`.
    fn set_environment(&self, site: &Site) -> u64 {
        let env = fingerprint::environment(site);
        *lock(&self.env) = Some(env);
        env
    }

    /// The link environment remembered by the compile of this rebuild (computed if none).
    pub(crate) fn link_environment(&self, site: &Site) -> u64 {
        let known = *lock(&self.env);
        known.unwrap_or_else(|| fingerprint::environment(site))
    }

    /// The context hash of every page handed over so far, locked for one render (which must not
    /// record anything meanwhile; [`Cache::record_pages`] does that afterwards).
    pub(crate) fn known_pages(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        lock(&self.pages)
    }

    /// Records one render: the pages rendered (with their context hashes) and how many were
    /// reused.
    pub(crate) fn record_pages(&self, rendered: Vec<(String, u64)>, reused: usize) {
        let mut s = lock(&self.stats);
        s.pages_rendered += rendered.len();
        s.pages_reused += reused;
        drop(s);
        lock(&self.pages).extend(rendered);
    }

    /// [`content_hash`] of `file`'s body, remembered between rebuilds.
    fn content_hash(&self, file: &SourceFile, body_offset: usize) -> String {
        let key = (file.text.clone(), body_offset);
        let known = lock(&self.hashes)
            .get(&file.path)
            .filter(|(t, off, _)| *off == body_offset && same_text(t, &key.0))
            .map(|(_, _, h)| h.clone());
        known.unwrap_or_else(|| {
            let h = content_hash(file.text.get(body_offset..).unwrap_or(""));
            lock(&self.hashes).insert(file.path.clone(), (key.0, key.1, h.clone()));
            h
        })
    }

    /// A cached Markdown result for this exact file text and environment.
    fn markdown(&self, file: &SourceFile, lang: &str, env: u64) -> Option<Arc<Rendered>> {
        let hit = lock(&self.markdown)
            .get(&(file.path.clone(), lang.to_string()))
            .filter(|(t, e, _)| *e == env && same_text(t, &file.text))
            .map(|(_, _, r)| r.clone());
        let mut s = lock(&self.stats);
        if hit.is_some() {
            s.markdown_reused += 1;
        } else {
            s.markdown_rendered += 1;
        }
        drop(s);
        hit
    }

    /// Remembers a Markdown result.
    fn store_markdown(&self, file: &SourceFile, lang: &str, env: u64, r: &Arc<Rendered>) {
        lock(&self.changed).insert(file.path.clone());
        lock(&self.markdown).insert(
            (file.path.clone(), lang.to_string()),
            (file.text.clone(), env, r.clone()),
        );
    }
}

impl crate::build::Memo for Cache {
    fn files(&self) -> &crate::load::Memo {
        &self.load
    }

    fn environment(&self, site: &Site) -> u64 {
        self.set_environment(site)
    }

    fn markdown(&self, file: &SourceFile, lang: &str, env: u64) -> Option<Arc<Rendered>> {
        Cache::markdown(self, file, lang, env)
    }

    fn store_markdown(&self, file: &SourceFile, lang: &str, env: u64, r: &Arc<Rendered>) {
        Cache::store_markdown(self, file, lang, env, r)
    }

    fn content_hash(&self, file: &SourceFile, body_offset: usize) -> String {
        Cache::content_hash(self, file, body_offset)
    }

    fn forget_missing(&self, sources: &crate::source::SourceMap) {
        Cache::forget_missing(self, sources)
    }
}
