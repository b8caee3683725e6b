//! Incremental rendering for `serve`: only the pages whose bytes may have changed since the
//! previous rebuild are rendered and returned; unchanged ones are named, not copied. The
//! generated data files ([`Plan::generated_files`]) are left to the caller, which can publish
//! them after the pages (the search index takes longer than the edited page).

use super::{OutputFile, PageJob, Plan, job_path, key_path, pages, render_job};
use crate::diagnostic::Diagnostic;
use crate::incremental::Cache;
use rayon::prelude::*;

/// A page's path, with its bytes and context hash when it was rendered again.
type PageOutcome = (String, Option<(OutputFile, u64)>);

/// The pages and small files of one incremental rebuild.
#[derive(Debug, Default)]
pub struct Delta {
    /// Pages rendered again, and the small site-wide files (sitemap, robots, static assets).
    pub files: Vec<OutputFile>,
    /// The path of every page and small file of this build (generated files excluded).
    pub paths: Vec<String>,
}

impl Plan<'_> {
    /// Renders the pages whose context changed since `cache` last saw them. With `full`, every
    /// page is rendered and handed over (the first build, or after a failed render, when the
    /// cache may know pages the server never received).
    pub fn render_delta(&self, cache: &Cache, full: bool) -> Result<Delta, Vec<Diagnostic>> {
        let reuse = if full {
            // Still records the fingerprint the next rebuild compares with.
            let _ = self.reusable_pages(Some(cache));
            None
        } else {
            self.reusable_pages(Some(cache))
        };
        self.render_changed(cache, full, reuse)
    }

    /// Renders the pages a patch ([`crate::incremental::patch`]) changed: those of its sections
    /// and of the items whose prose they hold, and the dashboard if its figures moved.
    pub fn render_patched(
        &self,
        cache: &Cache,
        patched: &crate::incremental::Patched,
    ) -> Result<Delta, Vec<Diagnostic>> {
        let site = self.site;
        let sections = &patched.sections;
        let dashboard = patched.metrics_changed;
        let changed: Vec<bool> = (0..site.content.sections.len())
            .map(|si| sections.binary_search(&si).is_ok())
            .collect();
        let item_changed = items_homed_in(site, &changed);
        let reuse: Box<dyn Fn(pages::PageKey) -> bool + Sync + '_> =
            Box::new(move |key| match key {
                pages::PageKey::Section(si, _) => !changed[si],
                pages::PageKey::Item(i, _) => {
                    !item_changed[i] && patched.items.binary_search(&i).is_err()
                }
                pages::PageKey::Trace(_) => !dashboard,
                // A single-page document holds the bodies of all its sections.
                pages::PageKey::Whole(d, _) => !doc_changed(site, d, &changed),
                _ => true,
            });
        self.render_changed(cache, false, Some(reuse))
    }

    /// Renders every page `reuse` does not rule out whose context changed.
    fn render_changed(
        &self,
        cache: &Cache,
        full: bool,
        reuse: Option<Box<dyn Fn(pages::PageKey) -> bool + Sync + '_>>,
    ) -> Result<Delta, Vec<Diagnostic>> {
        let site = self.site;
        // One lock for the whole render instead of one per page (rayon threads would contend).
        let guard = cache.known_pages();
        let known: &std::collections::HashMap<String, u64> = &guard;
        let bodies = super::bodies::Bodies::kept(site);
        let results: Vec<Result<PageOutcome, Diagnostic>> = self
            .keys
            .par_iter()
            .map(|key| {
                if let Some(reuse) = &reuse
                    && reuse(*key)
                {
                    let path = key_path(site, *key);
                    if known.contains_key(&path) {
                        return Ok((path, None));
                    }
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
        let mut delta = Delta::default();
        let mut errors = Vec::new();
        let mut stored = Vec::new();
        for r in results {
            match r {
                Ok((path, Some((file, hash)))) => {
                    stored.push((file.path.clone(), hash));
                    delta.files.push(file);
                    delta.paths.push(path);
                }
                Ok((path, None)) => delta.paths.push(path),
                Err(d) => errors.push(d),
            }
        }
        let reused = delta.paths.len() - stored.len();
        drop(guard);
        cache.record_pages(stored, reused);
        if !errors.is_empty() {
            errors.sort_by(|a, b| a.message.cmp(&b.message));
            errors.truncate(20);
            return Err(errors);
        }
        if reuse.is_some() && !full {
            // Nothing site-wide changed: the sitemap, robots.txt and assets are as they were.
            delta.paths.extend(self.small_file_paths());
        } else {
            let files = self.small_files();
            debug_assert!(
                files
                    .iter()
                    .map(|f| &f.path)
                    .eq(self.small_file_paths().iter())
            );
            for f in files {
                delta.paths.push(f.path.clone());
                delta.files.push(f);
            }
        }
        cache.pages_rendered();
        Ok(delta)
    }

    /// When nothing site-wide changed since the cached rebuild, the pages that can be reused
    /// without looking at them: all but the sections whose Markdown was re-rendered and the
    /// items whose prose lives in them.
    pub(super) fn reusable_pages(
        &self,
        cache: Option<&crate::incremental::Cache>,
    ) -> Option<Box<dyn Fn(pages::PageKey) -> bool + Sync + '_>> {
        let c = cache?;
        let site = self.site;
        if !c.same_global(crate::incremental::global_fingerprint(
            site,
            &self.shared.metrics,
            self.theme.fingerprint,
            c.environment(site),
        )) {
            return None;
        }
        let changed_files = c.changed_files();
        let changed: Vec<bool> = site
            .content
            .sections
            .iter()
            .map(|s| s.variants.iter().any(|v| changed_files.contains(&v.file)))
            .collect();
        let item_changed = items_homed_in(site, &changed);
        Some(Box::new(move |key| match key {
            pages::PageKey::Section(si, _) => !changed[si],
            pages::PageKey::Item(i, _) => !item_changed[i],
            pages::PageKey::Whole(d, _) => !doc_changed(site, d, &changed),
            _ => true,
        }))
    }

    /// Hash of everything a page's bytes depend on: theme, template, URL, language, context.
    pub(super) fn context_hash(&self, job: &PageJob) -> u64 {
        let ctx = serde_json::to_vec(&job.context).unwrap_or_default();
        crate::incremental::hash_bytes(&[
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
            site.homes
                .get(&it.id)
                .is_some_and(|h| h.iter().any(|(si, _)| changed[*si]))
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
