//! Incremental rendering for `serve`: only the pages whose bytes may have changed since the
//! previous rebuild are rendered and returned; unchanged ones are named, not copied. The caller
//! says what it holds (each page's context hash) and what it knows did not change; this module
//! keeps no state of its own. The generated data files ([`Plan::generated_files`]) are left to
//! the caller, which can publish them after the pages (the search index takes longer than the
//! edited page).

use super::whole::{self, PartMemo};
use super::{OutputFile, PageJob, Plan, job_path, key_path, pages, render_job};
use crate::diagnostic::Diagnostic;
use rayon::prelude::*;
use std::collections::HashMap;

/// A page's path, with its bytes and context hash when it was rendered again.
type PageOutcome = (String, Option<(OutputFile, u64)>);

/// The pages and small files of one incremental rebuild.
#[derive(Debug, Default)]
pub struct Delta {
    /// Pages rendered again, and the small site-wide files (sitemap, robots, static assets).
    pub files: Vec<OutputFile>,
    /// The path of every page and small file of this build (generated files excluded).
    pub paths: Vec<String>,
    /// `paths` are those of the build before (nothing site-wide changed, so no page came or
    /// went).
    pub same_paths: bool,
}

/// What [`Plan::render_delta`] did.
#[derive(Debug, Default)]
pub struct Rendering {
    /// What the server merges in.
    pub delta: Delta,
    /// Path and context hash of each page rendered again (for the caller's record).
    pub hashes: Vec<(String, u64)>,
    /// Pages kept as the caller holds them.
    pub reused: usize,
    /// Single-page documents whose sections changed, left for [`Plan::render_later`] as
    /// (document, language): each holds a whole document, and the edited page's reload should
    /// not wait for them (they are named in `delta.paths`, as held for now).
    pub later: Vec<(usize, usize)>,
}

/// What the caller knows did not change since the pages it holds were rendered: nothing
/// site-wide, except what is named here. The pages built from the named data are looked at
/// (their context compared); every other page is kept without building its context.
#[derive(Debug, Clone, Default)]
pub struct Unchanged {
    /// Per section: whether its Markdown changed (its pages and the pages of the items whose
    /// prose it holds are looked at).
    pub sections: Vec<bool>,
    /// Items whose links changed (a cross-reference to them came or went), sorted.
    pub items: Vec<usize>,
    /// The coverage figures changed (the pages that show them are looked at).
    pub metrics: bool,
}

impl Plan<'_> {
    /// The coverage figures of this site (what the dashboard shows).
    pub fn metrics(&self) -> &crate::metrics::Metrics {
        &self.shared.metrics
    }

    /// Renders the pages whose context hash differs from `known` (path → context hash of the
    /// page the caller holds). With `full`, every page is rendered and handed over (the first
    /// build, or after a failed render, when `known` may name pages the caller never received).
    /// With `unchanged`, only the pages it names are looked at.
    pub fn render_delta(
        &self,
        known: &HashMap<String, u64>,
        full: bool,
        unchanged: Option<&Unchanged>,
        parts: &PartMemo,
    ) -> Result<Rendering, Vec<Diagnostic>> {
        let site = self.site;
        parts.forget(unchanged.filter(|_| !full).map(|u| u.sections.as_slice()));
        let reuse = unchanged.filter(|_| !full).map(|u| {
            let homed = items_homed_in(site, &u.sections);
            move |key: pages::PageKey| match key {
                pages::PageKey::Section(si, _) => !u.sections.get(si).copied().unwrap_or(true),
                pages::PageKey::Item(i, _) => !homed[i] && u.items.binary_search(&i).is_err(),
                pages::PageKey::Trace(_) => !u.metrics,
                // A single-page document holds the bodies of all its sections.
                pages::PageKey::Whole(d, _) => !doc_changed(site, d, &u.sections),
                _ => true,
            }
        });
        let bodies = super::bodies::Bodies::kept(site);
        let later: Vec<(usize, usize)> = match &reuse {
            Some(reuse) => (self.keys.iter())
                .filter_map(|&key| match key {
                    pages::PageKey::Whole(d, l) if !reuse(key) => Some((d, l)),
                    _ => None,
                })
                .filter(|&(d, l)| known.contains_key(&key_path(site, pages::PageKey::Whole(d, l))))
                .collect(),
            None => Vec::new(),
        };
        let results: Vec<Result<PageOutcome, Diagnostic>> = self
            .keys
            .par_iter()
            .map(|key| {
                let deferred =
                    matches!(*key, pages::PageKey::Whole(d, l) if later.contains(&(d, l)));
                if let Some(reuse) = &reuse
                    && (deferred || reuse(*key))
                {
                    let path = key_path(site, *key);
                    if known.contains_key(&path) {
                        return Ok((path, None));
                    }
                }
                if let pages::PageKey::Whole(d, l) = *key {
                    return self.whole_outcome(d, l, parts, known, full);
                }
                let job = pages::job(site, &self.theme, &self.shared, &bodies, *key);
                let hash = self.context_hash(&job);
                let path = job_path(&job);
                if !full && known.get(&path) == Some(&hash) {
                    return Ok((path, None));
                }
                let file = render_job(site, &self.theme, job)?;
                Ok((path, Some((file, hash))))
            })
            .collect();
        let mut out = Rendering {
            later,
            ..Rendering::default()
        };
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok((path, Some((file, hash)))) => {
                    out.hashes.push((file.path.clone(), hash));
                    out.delta.files.push(file);
                    out.delta.paths.push(path);
                }
                Ok((path, None)) => out.delta.paths.push(path),
                Err(d) => errors.push(d),
            }
        }
        out.reused = out.delta.paths.len() - out.hashes.len() - out.later.len();
        if !errors.is_empty() {
            errors.sort_by(|a, b| a.message.cmp(&b.message));
            errors.truncate(20);
            return Err(errors);
        }
        if reuse.is_some() {
            // Nothing site-wide changed: the sitemap, robots.txt and assets are as they were.
            out.delta.paths.extend(self.small_file_paths());
            out.delta.same_paths = true;
        } else {
            let files = self.small_files();
            debug_assert!(
                files
                    .iter()
                    .map(|f| &f.path)
                    .eq(self.small_file_paths().iter())
            );
            for f in files {
                out.delta.paths.push(f.path.clone());
                out.delta.files.push(f);
            }
        }
        Ok(out)
    }

    /// The single-page documents [`Plan::render_delta`] left for later, rendered now (those
    /// whose hash is the one `known` holds are left out).
    pub fn render_later(
        &self,
        later: &[(usize, usize)],
        known: &HashMap<String, u64>,
        parts: &PartMemo,
    ) -> Result<Rendering, Vec<Diagnostic>> {
        let results: Vec<Result<PageOutcome, Diagnostic>> = later
            .par_iter()
            .map(|&(d, l)| self.whole_outcome(d, l, parts, known, false))
            .collect();
        let mut out = Rendering::default();
        out.delta.same_paths = true;
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok((_, Some((file, hash)))) => {
                    out.hashes.push((file.path.clone(), hash));
                    out.delta.files.push(file);
                }
                Ok((_, None)) => out.reused += 1,
                Err(d) => errors.push(d),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// Document `d`'s single page in language `l`, assembled as a full build assembles it
    /// (see [`super::groups`]) from the parts `memo` keeps; rendered only if its hash (the
    /// frame's context and the parts' kept hashes) differs from the one the caller holds.
    fn whole_outcome(
        &self,
        d: usize,
        l: usize,
        memo: &PartMemo,
        known: &HashMap<String, u64>,
        full: bool,
    ) -> Result<PageOutcome, Diagnostic> {
        let site = self.site;
        let kept: Vec<_> = (self.shared.by_doc()[d].iter())
            .map(|&si| memo.part(site, &self.theme, si, l))
            .collect();
        let values = (kept.iter())
            .filter_map(|k| k.part.as_ref().map(|(value, _)| whole::marked(value)))
            .collect();
        let job = self.shared.whole_job(site, &self.theme, d, l, values);
        let hashes: Vec<u8> = (kept.iter()).flat_map(|k| k.hash.to_le_bytes()).collect();
        let hash = self.context_hash(&job) ^ crate::ground::hash_bytes(&[&hashes]);
        let path = job_path(&job);
        if !full && known.get(&path) == Some(&hash) {
            return Ok((path, None));
        }
        let (prefix, lang) = (super::root_prefix(&job.url), job.lang.clone());
        let frame = render_job(site, &self.theme, job)?;
        let pieces = (kept.iter()).filter_map(|k| k.part.as_ref().map(|(_, html)| html.as_str()));
        let total = pieces.clone().map(str::len).sum();
        let file = super::splice(&self.theme, &lang, &prefix, frame, pieces, total);
        Ok((path, Some((file, hash))))
    }

    /// Hash of everything a page's bytes depend on: theme, template, URL, language, context.
    pub(super) fn context_hash(&self, job: &PageJob) -> u64 {
        let ctx = serde_json::to_vec(&job.context).unwrap_or_default();
        crate::ground::hash_bytes(&[
            &self.theme.fingerprint.to_le_bytes(),
            job.template.as_bytes(),
            job.url.as_bytes(),
            job.lang.as_bytes(),
            &ctx,
        ])
    }
}

/// Per item: whether its prose lives (in some language) in a section marked in `changed`.
fn items_homed_in(site: &crate::site::Site, changed: &[bool]) -> Vec<bool> {
    site.content
        .items
        .iter()
        .map(|it| {
            site.homes.get(&it.id).is_some_and(|h| {
                h.iter()
                    .any(|(si, _)| changed.get(*si).copied().unwrap_or(true))
            })
        })
        .collect()
}

/// Whether any section of document `d` changed.
fn doc_changed(site: &crate::site::Site, d: usize, changed: &[bool]) -> bool {
    site.content
        .sections
        .iter()
        .zip(changed)
        .any(|(s, c)| *c && s.doc == d)
}
