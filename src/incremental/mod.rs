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
//! - Fast path: when nothing site-wide changed (IDs, titles, URLs, YAML, front matter, typed
//!   and prose links, coverage, theme — see [`global_fingerprint`]), only the pages built from
//!   re-rendered Markdown (their sections and the items whose prose lives there) are visited;
//!   every other page is reused without even building its context.
//!
//! The caches key on the full inputs of pure functions, so the output equals a full build
//! (`tests/incremental.rs` checks it after every kind of edit).

mod cites;
mod patch;

pub use patch::{Patched, patch};

use crate::markdown::Rendered;
use crate::site::Site;
use crate::source::{SourceFile, content_hash, same_text};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
    /// The last site was patched instead of compiled again ([`patch`]).
    pub patched: bool,
}

/// (file, language) → (file text, environment hash, result). The text itself is the key, not
/// a hash of it: comparing is exact and faster than hashing every file on every rebuild.
type MarkdownCache = HashMap<(String, String), (Arc<String>, u64, Arc<Rendered>)>;

/// A file's text, the offset of its body and the [`content_hash`] of that body.
type BodyHash = (Arc<String>, usize, String);

/// The caches of one `serve` session.
#[derive(Debug, Default)]
pub struct Cache {
    markdown: Mutex<MarkdownCache>,
    /// Output path → (context hash, bytes).
    /// Output path → context hash of the page as last handed over. Only the hash: the bytes
    /// live in what `serve` serves, and a full rebuild renders every page anyway.
    pages: Mutex<HashMap<String, u64>>,
    stats: Mutex<Stats>,
    /// Files whose Markdown was re-rendered since the last successful render.
    changed: Mutex<std::collections::HashSet<String>>,
    /// The previous rebuild's global fingerprint.
    global: Mutex<Option<u64>>,
    /// This rebuild's link environment hash (set by the compile, read by the render).
    env: Mutex<Option<u64>>,
    /// Parsed YAML files.
    pub load: crate::load::Memo,
    /// File → (its text, body offset, [`content_hash`] of the body), for translation checks.
    hashes: Mutex<HashMap<String, BodyHash>>,
}

impl Cache {
    /// Statistics of the last rebuild (reset by [`Cache::begin`]).
    pub fn stats(&self) -> Stats {
        self.stats.lock().map(|s| *s).unwrap_or_default()
    }

    /// Counts `files` patched into the last site (see [`patch`]) as re-rendered Markdown.
    pub fn patched(&self, files: usize) {
        if let Ok(mut s) = self.stats.lock() {
            s.markdown_rendered += files;
            s.patched = true;
        }
    }

    /// Starts a rebuild.
    pub fn begin(&self) {
        if let Ok(mut s) = self.stats.lock() {
            *s = Stats::default();
        }
        if let Ok(mut e) = self.env.lock() {
            *e = None;
        }
    }

    /// Marks the pages as caught up with every Markdown change so far. Until a render succeeds,
    /// re-rendered files stay "changed": a build that fails after rendering a file must not hide
    /// that file from the next successful one.
    pub fn pages_rendered(&self) {
        if let Ok(mut c) = self.changed.lock() {
            c.clear();
        }
    }

    /// The files whose Markdown was re-rendered since the last successful render.
    pub fn changed_files(&self) -> std::collections::HashSet<String> {
        self.changed.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Drops the cached results of files that are gone (deleted or renamed).
    pub fn forget_missing(&self, sources: &crate::source::SourceMap) {
        if let Ok(mut m) = self.markdown.lock() {
            m.retain(|(file, _), _| sources.get(file).is_some());
        }
        if let Ok(mut m) = self.hashes.lock() {
            m.retain(|file, _| sources.get(file).is_some());
        }
    }

    /// Computes and remembers the link environment of a freshly compiled `site`.
    pub fn set_environment(&self, site: &Site) -> u64 {
        let env = environment_hash(site);
        if let Ok(mut e) = self.env.lock() {
            *e = Some(env);
        }
        env
    }

    /// The link environment remembered by the compile of this rebuild (computed if none).
    pub fn environment(&self, site: &Site) -> u64 {
        let known = self.env.lock().ok().and_then(|e| *e);
        known.unwrap_or_else(|| environment_hash(site))
    }

    /// Records this rebuild's global fingerprint; returns whether it equals the previous one.
    pub fn same_global(&self, fingerprint: u64) -> bool {
        self.global
            .lock()
            .map(|mut g| g.replace(fingerprint) == Some(fingerprint))
            .unwrap_or(false)
    }

    /// The context hash of every page handed over so far, locked for one render (which must not
    /// record anything meanwhile; [`Cache::record_pages`] does that afterwards).
    pub fn known_pages(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.pages.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records one render: the pages rendered (with their context hashes) and how many were
    /// reused.
    pub fn record_pages(&self, rendered: Vec<(String, u64)>, reused: usize) {
        if let Ok(mut s) = self.stats.lock() {
            s.pages_rendered += rendered.len();
            s.pages_reused += reused;
        }
        if let Ok(mut m) = self.pages.lock() {
            m.extend(rendered);
        }
    }

    /// [`content_hash`] of `file`'s body, remembered between rebuilds.
    pub fn content_hash(&self, file: &SourceFile, body_offset: usize) -> String {
        let key = (Arc::clone(&file.text), body_offset);
        let known = self.hashes.lock().ok().and_then(|m| {
            m.get(&file.path)
                .filter(|(t, off, _)| *off == body_offset && same_text(t, &key.0))
                .map(|(_, _, h)| h.clone())
        });
        known.unwrap_or_else(|| {
            let h = content_hash(file.text.get(body_offset..).unwrap_or(""));
            if let Ok(mut m) = self.hashes.lock() {
                m.insert(file.path.clone(), (key.0, key.1, h.clone()));
            }
            h
        })
    }

    /// A cached Markdown result for this exact file text and environment.
    pub fn markdown(&self, file: &SourceFile, lang: &str, env: u64) -> Option<Arc<Rendered>> {
        let hit = self.markdown.lock().ok().and_then(|m| {
            m.get(&(file.path.clone(), lang.to_string()))
                .filter(|(t, e, _)| *e == env && same_text(t, &file.text))
                .map(|(_, _, r)| r.clone())
        });
        if let Ok(mut s) = self.stats.lock() {
            if hit.is_some() {
                s.markdown_reused += 1;
            } else {
                s.markdown_rendered += 1;
            }
        }
        hit
    }

    /// Remembers a Markdown result.
    pub fn store_markdown(&self, file: &SourceFile, lang: &str, env: u64, r: &Arc<Rendered>) {
        if let Ok(mut c) = self.changed.lock() {
            c.insert(file.path.clone());
        }
        if let Ok(mut m) = self.markdown.lock() {
            m.insert(
                (file.path.clone(), lang.to_string()),
                (Arc::clone(&file.text), env, r.clone()),
            );
        }
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

/// Everything outside a section's own Markdown output that some page shows: configuration,
/// documents, sections' front matter, items, every typed and prose link, glossary use,
/// coverage, the link environment (`env`, see [`environment_hash`]) and the theme. (Findings
/// appear only in `graph.json`, which is always rebuilt.) Equal fingerprints mean a Markdown
/// change can only affect the pages built from that Markdown. Hashed, not formatted: this
/// runs on every `serve` rebuild.
pub fn global_fingerprint(
    site: &Site,
    metrics: &crate::metrics::Metrics,
    theme: u64,
    env: u64,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    let c = &site.content;
    (&site.config.base_url, &site.config.title).hash(&mut h);
    (&c.documents, &c.sections, &c.items).hash(&mut h);
    for e in &site.graph.edges {
        (&e.from, &e.to, &e.kind, e.inferred, &e.lang).hash(&mut h);
    }
    site.terms_used.hash(&mut h);
    // The summary holds percentages (floats): its text stands for it.
    format!("{:?}", metrics.summary()).hash(&mut h);
    (&site.changes, &site.changelog, theme, env).hash(&mut h);
    h.finish()
}

/// Everything a section's Markdown rendering reads besides its own file: the URL and title of
/// every ID in every language, which items have headings, and the glossary patterns.
pub fn environment_hash(site: &Site) -> u64 {
    let mut ids: Vec<&String> = site.graph.index.keys().collect();
    ids.sort_unstable();
    let mut buf = String::new();
    for id in ids {
        buf.push_str(id);
        for lang in site.languages() {
            buf.push('\u{1}');
            buf.push_str(&site.href(id, lang).unwrap_or_default());
            buf.push('\u{1}');
            buf.push_str(&site.title(id, lang).unwrap_or_default());
        }
        buf.push('\u{2}');
    }
    for (lang, m) in &site.terms {
        buf.push_str(lang);
        for p in &m.patterns {
            buf.push_str(&p.pattern);
            buf.push('\u{1}');
            buf.push_str(&p.id);
            buf.push('\u{1}');
            buf.push_str(&p.href);
            buf.push('\u{1}');
            buf.push_str(&p.definition);
        }
    }
    // The raw-HTML policy changes what every section's Markdown becomes.
    buf.push_str(site.config.raw_html.as_str());
    hash_bytes(&[buf.as_bytes()])
}
