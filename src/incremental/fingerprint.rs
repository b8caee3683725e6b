//! What pages are built from, hashed, so a rebuild can tell what changed without comparing
//! every page: the link environment of the Markdown ([`environment`]) and everything outside a
//! section's own Markdown that some page shows ([`global`]). Cache keys, never persisted.

use crate::graph::Edge;
use crate::site::Site;
use std::hash::{Hash, Hasher};

/// Everything outside the sections' own Markdown that a page is built from. Equal
/// fingerprints mean a Markdown change can only affect the pages built from that Markdown.
///
/// Derived from the site, not listed field by field: `Site` is taken apart without `..`, so
/// a field added to it does not compile until it is hashed here or said why no page shows it,
/// and the configuration and the schema are hashed whole (a link label, a severity, a new
/// option). Besides the site: the coverage figures (`metrics`, the one view of the
/// translation hashes), the theme and the link environment (`env`, see [`environment`]).
/// Hashed, not formatted where it is large: this runs on every compile of `serve`.
pub(super) fn global(site: &Site, metrics: &crate::metrics::Metrics, theme: u64, env: u64) -> u64 {
    let Site {
        config,
        schema,
        content,
        graph,
        terms_used,
        homes,
        changes,
        changelog,
        // The sections' own Markdown and text: the pages built from a changed one are looked
        // at anyway (`Unchanged::sections`).
        sources: _,
        rendered: _,
        // Shown only through the coverage figures, hashed below.
        base_hashes: _,
        // Only in graph.json, which every rebuild writes again.
        findings: _,
        // The glossary patterns are part of the link environment.
        terms: _,
        // Where the site is read from, shown nowhere.
        root: _,
    } = site;
    let mut h = rustc_hash::FxHasher::default();
    // Neither derives `Hash`; their (deterministic) debug text stands for them whole.
    format!("{config:?}\u{1}{schema:?}").hash(&mut h);
    content.hash(&mut h);
    for e in &graph.edges {
        // Where a link is written shows only in graph.json; everything else of it on pages.
        let Edge {
            from,
            to,
            kind,
            inferred,
            note,
            span: _,
            lang,
        } = e;
        (from, to, kind, inferred, note, lang).hash(&mut h);
    }
    terms_used.hash(&mut h);
    let mut homes: Vec<_> = homes.iter().collect();
    homes.sort_unstable();
    homes.hash(&mut h);
    changes.hash(&mut h);
    changelog.hash(&mut h);
    serde_json::to_vec(metrics).unwrap_or_default().hash(&mut h);
    (theme, env).hash(&mut h);
    h.finish()
}

/// Everything a section's Markdown rendering reads besides its own file: the URL and title of
/// every ID in every language, which items have headings, and the glossary patterns.
pub(super) fn environment(site: &Site) -> u64 {
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
    crate::ground::hash_bytes(&[buf.as_bytes()])
}
