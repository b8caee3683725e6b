//! The fast path of a `serve` rebuild: when only the prose of known section files changed, the
//! last good site is patched in place instead of compiled again. A file qualifies when its
//! front matter is byte for byte the same and its new Markdown has the same item headings and
//! glossary terms and no findings in its body (before or after). Its text, Markdown and body
//! hash are replaced, and its cross-references replace the old ones in the graph, where a
//! compile would put them. The findings are not touched here: the caller runs the compile's
//! own check on the patched site ([`crate::build::check_site`]). Then nothing outside its own
//! pages, the pages of the items whose prose it holds, the pages of the items it cites or
//! cited, the pages showing coverage figures and the generated data files can change.
//! Anything else takes the full cached rebuild: a new file, YAML, a template, an item's heading,
//! a title.

use super::cites;
use crate::diagnostic::Diagnostic;
use crate::graph::{Edge, Target};
use crate::load::{heading_ids, read_source};
use crate::markdown::{self, Rendered};
use crate::site::{LinkContext, Site};
use crate::source::{SourceFile, content_hash};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One section file's replacement, checked but not applied yet.
struct Change {
    section: usize,
    lang: String,
    file: SourceFile,
    rendered: Rendered,
    /// The IDs of its headings.
    heading_ids: Vec<String>,
    /// The file's `cites` edges as a compile makes them.
    cites: Vec<Edge>,
    /// Their targets changed (not only their positions): backlinks move.
    targets: Option<Vec<String>>,
    /// The new hash of the default-language body, when this is that body and it changed.
    base_hash: Option<String>,
}

/// What a patch changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patched {
    /// The sections whose pages (and whose items' pages) must be rendered again, sorted.
    pub sections: Vec<usize>,
    /// Items whose backlinks changed (a cross-reference to them came or went), sorted.
    pub items: Vec<usize>,
}

/// Applies the changed `paths` (absolute, as the watcher reports them) to `site` if all of them
/// qualify. `None` when a full rebuild is needed; the site may then be partly patched and must
/// be compiled again (the caller drops it). `found` holds the findings of the compile before its
/// check (loading, linking, Markdown): the ones a patch keeps as they are. The site's findings
/// are the caller's to check again.
pub(super) fn patch(
    site: &mut Site,
    found: &[Diagnostic],
    root: &Path,
    paths: &[PathBuf],
) -> Option<Patched> {
    let mut changes = Vec::new();
    for path in paths {
        let rel = relative(root, path)?;
        match find_variant(site, &rel) {
            Some((si, lang)) => changes.push(check(site, found, root, &rel, si, &lang)?),
            // A path that is gone and held no source: an editor's temporary file.
            None if !path.exists() && !site.sources.paths().any(|p| is_under(p, &rel)) => {}
            // A file the loader does not read (an editor's autosave such as `#010.ja.md#`).
            None if unread(&rel) && path.is_file() => {}
            None => return None,
        }
    }
    // Each change was checked against the site as it was: two changes to one section (both
    // languages, or a path reported twice) would each judge the other's old state. Rare enough
    // to compile.
    if changes.len() > 1 {
        let mut ids: Vec<usize> = changes.iter().map(|c| c.section).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
    }
    let (mut sections, mut items) = (Vec::new(), Vec::new());
    for c in changes {
        // Found again here: an earlier change of this patch may have moved the edges.
        let id = site.content.sections[c.section].id.clone();
        let range = cites::run_of(&site.graph, &id, &c.file.path)?;
        match &c.targets {
            None => {
                for (e, new) in site.graph.edges[range].iter_mut().zip(c.cites) {
                    e.span = new.span;
                }
            }
            Some(targets) => {
                cites::splice(&mut site.graph, range, c.cites);
                items.extend(
                    targets
                        .iter()
                        .filter_map(|t| match site.graph.index.get(t) {
                            Some(Target::Item(i)) => Some(*i),
                            _ => None,
                        }),
                );
            }
        }
        if let Some(hash) = c.base_hash {
            site.base_hashes[c.section] = Some(hash);
        }
        let section = &mut site.content.sections[c.section];
        if let Some(v) = section.variants.iter_mut().find(|v| v.lang == c.lang) {
            v.heading_ids = c.heading_ids;
        }
        site.rendered
            .insert((c.section, c.lang), Arc::new(c.rendered));
        site.sources.insert(c.file);
        sections.push(c.section);
    }
    sections.sort_unstable();
    sections.dedup();
    items.sort_unstable();
    items.dedup();
    Some(Patched { sections, items })
}

/// Whether the loader skips the content file `rel` (only Markdown and YAML are read).
fn unread(rel: &str) -> bool {
    rel.starts_with("content/") && ![".md", ".yaml", ".yml"].iter().any(|e| rel.ends_with(e))
}

/// Whether `path` (a source path) lies under `dir` (a root-relative path).
fn is_under(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// `path` relative to `root`, `/`-separated, if it is inside it and valid UTF-8.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// The section and language whose file is `rel`.
fn find_variant(site: &Site, rel: &str) -> Option<(usize, String)> {
    site.content
        .sections
        .iter()
        .enumerate()
        .find_map(|(si, s)| {
            s.variants
                .iter()
                .find(|v| v.file == rel)
                .map(|v| (si, v.lang.clone()))
        })
}

/// Reads the new text of section `si`'s `lang` file and checks that it changes nothing but
/// that variant's own output.
fn check(
    site: &Site,
    found: &[Diagnostic],
    root: &Path,
    rel: &str,
    si: usize,
    lang: &str,
) -> Option<Change> {
    let section = &site.content.sections[si];
    let variant = section.variant(lang)?;
    let old = site.rendered.get(&(si, lang.to_string()))?;
    let offset = variant.body_offset;
    let file = read_body_edit(site, found, root, rel, offset)?;
    let body = file.text.get(offset..)?;
    // Headings that are items' homes place their prose and anchor links site-wide; other
    // heading IDs only matter on this page.
    let ids = heading_ids(body);
    let homes = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .filter(|id| matches!(site.graph.index.get(*id), Some(Target::Item(_))))
            .cloned()
            .collect()
    };
    if homes(&ids) != homes(&variant.heading_ids) {
        return None;
    }
    let rendered = markdown::render_with(&file, offset, lang, &LinkContext { site }, true);
    if rendered.terms_used != old.terms_used
        || !rendered.diagnostics.is_empty()
        || !old.diagnostics.is_empty()
    {
        return None;
    }
    let range = cites::run_of(&site.graph, &section.id, rel)?;
    let cites = crate::graph::cite_edges(
        &section.id,
        lang,
        rendered
            .cites
            .iter()
            .map(|c| (c.to.clone(), c.span.clone(), c.inferred.clone())),
    );
    let targets = changed_targets(&site.graph.edges[range], &cites);
    let base_hash = if lang == site.config.default_language {
        let new = content_hash(body);
        let old = site.base_hashes.get(si)?.as_ref()?;
        (new != *old).then_some(new)
    } else {
        None
    };
    Some(Change {
        section: si,
        lang: lang.to_string(),
        heading_ids: ids,
        cites,
        targets,
        file,
        rendered,
        base_hash,
    })
}

/// The new text of section file `rel` when only its body (after `offset`) changed and no
/// finding made before the check is in the body; `None` when the patch cannot take it.
fn read_body_edit(
    site: &Site,
    found: &[Diagnostic],
    root: &Path,
    rel: &str,
    offset: usize,
) -> Option<SourceFile> {
    let old_file = site.sources.get(rel)?;
    let file = read_source(root, rel, site.config.max_file_bytes()).ok()?;
    if file.first_nul.is_some() {
        return None; // its warning comes from a full load
    }
    let front = old_file.text.get(..offset)?;
    if file.text.get(..offset)? != front {
        return None;
    }
    // Findings in the front matter stay where they are; one in the body may move or go. Only
    // the findings made before the check are kept by a patch: the check's own (a stale
    // translation's changed line) are made again from the patched site.
    let front_lines = front.matches('\n').count() + 1;
    let in_body = |s: &crate::diagnostic::Span| s.file == rel && s.line > front_lines;
    if found
        .iter()
        .any(|d| d.span.as_ref().is_some_and(in_body) || d.related.iter().any(in_body))
    {
        return None;
    }
    Some(file)
}

/// The items whose backlinks ("cited by") change when a file's `cites` edges go from `before`
/// to `after`: every target of both, or `None` when the edges are the same.
fn changed_targets(before: &[Edge], after: &[Edge]) -> Option<Vec<String>> {
    let same = before.len() == after.len()
        && before
            .iter()
            .zip(after)
            .all(|(a, b)| a.to == b.to && a.inferred == b.inferred && a.note == b.note);
    (!same).then(|| {
        let mut t: Vec<String> = before.iter().chain(after).map(|e| e.to.clone()).collect();
        t.sort_unstable();
        t.dedup();
        t
    })
}
