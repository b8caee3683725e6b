//! The one owner of incremental rebuilds: `serve` runs a [`Rebuilder`], and so do the tests
//! that compare each of its results with a full build. One rebuild patches the last good site
//! when only prose changed, else compiles with the session's caches; renders the pages whose
//! inputs changed; and hands its results over in two steps (pages, then the generated data
//! files), so the edited page does not wait for the search index.

use super::{Cache, Stats, fingerprint, patch};
use crate::build::{CompileError, Options, check_site, compile_unchecked};
use crate::diagnostic::{Diagnostic, Severity, render_human};
use crate::metrics::Metrics;
use crate::render::theme::Theme;
use crate::render::{Delta, OutputFile, Plan, Unchanged};
use crate::site::Site;
use std::path::PathBuf;
use std::sync::Arc;

/// One result of a rebuild, in the order a rebuild hands them over.
#[derive(Debug)]
pub enum Outcome {
    /// Pages and small files: all of them (`full`), or those that changed (see [`Delta`]).
    Pages {
        /// What to merge into the served site.
        delta: Delta,
        /// `delta` holds every page.
        full: bool,
        /// Unwaived warnings of the site.
        warnings: usize,
        /// Work done and avoided.
        stats: Stats,
    },
    /// Pages left out of [`Outcome::Pages`] so as not to hold up the edited page's reload
    /// (single-page documents holding an edited section), rendered after it; merged like pages.
    Later {
        /// The pages rendered again.
        files: Vec<OutputFile>,
    },
    /// The generated data files of the same rebuild (search indexes, exports).
    Generated {
        /// Every generated file.
        files: Vec<OutputFile>,
    },
    /// The rebuild failed; the findings or errors, rendered for a terminal.
    Failed {
        /// What went wrong.
        diagnostics: String,
        /// The theme failed after pages were recorded: the next rebuild must be `full`.
        in_render: bool,
    },
}

/// The last good site, kept between rebuilds so that a prose edit can patch it.
struct Last {
    site: Site,
    theme: Arc<Theme>,
    /// The findings of loading, linking and Markdown, before the check (which a patch runs
    /// again on them).
    found: Vec<Diagnostic>,
    /// The coverage figures its pages show.
    metrics: Metrics,
}

/// The incremental rebuilds of one site.
pub struct Rebuilder {
    opts: Options,
    cache: Cache,
    last: Option<Last>,
    /// The [`fingerprint::global`] of the site the caller's pages were rendered from.
    fingerprint: Option<u64>,
}

impl Rebuilder {
    /// A rebuilder of the site `opts` describes, with empty caches.
    pub fn new(opts: Options) -> Rebuilder {
        Rebuilder {
            opts,
            cache: Cache::default(),
            last: None,
            fingerprint: None,
        }
    }

    /// Statistics of the last rebuild.
    pub fn stats(&self) -> Stats {
        self.cache.stats()
    }

    /// The last good site (what the next patch starts from), if any.
    pub fn site(&self) -> Option<&Site> {
        self.last.as_ref().map(|l| &l.site)
    }

    /// Rebuilds after the files `changed` (absolute paths, as a watcher reports them; empty
    /// when unknown) and returns the outcomes in order (see [`Rebuilder::rebuild_with`]).
    pub fn rebuild(&mut self, changed: &[PathBuf], full: bool) -> Vec<Outcome> {
        let mut out = Vec::new();
        self.rebuild_with(changed, full, &mut |o| out.push(o));
        out
    }

    /// Rebuilds, handing each result to `publish` as soon as it exists. `full` hands over every
    /// page (the first build, or after a failed render); otherwise `changed` may allow a patch.
    /// A panic in the pipeline counts as a failed build, so the rebuilder survives it.
    pub fn rebuild_with(
        &mut self,
        changed: &[PathBuf],
        full: bool,
        publish: &mut dyn FnMut(Outcome),
    ) {
        let mut published_pages = false;
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut publish = |o: Outcome| {
                published_pages |= matches!(o, Outcome::Pages { .. });
                publish(o);
            };
            if full || !self.patch(changed, &mut publish) {
                self.compile(full, &mut publish);
            }
        }));
        if ran.is_err() {
            self.last = None;
            self.fingerprint = None;
            if !published_pages {
                publish(Outcome::Failed {
                    diagnostics: "internal error: the build panicked (see the message above)\n"
                        .into(),
                    in_render: true,
                });
            }
        }
    }

    /// The fast path: patches the kept site with the changed files, checks it as a compile
    /// does, and renders the pages built from what changed. `false` when the files do not
    /// qualify (nothing was published or changed).
    fn patch(&mut self, changed: &[PathBuf], publish: &mut dyn FnMut(Outcome)) -> bool {
        let Some(last) = self.last.as_mut() else {
            return false;
        };
        if changed.is_empty() {
            return false;
        }
        let Some(patched) = patch::patch(&mut last.site, &last.found, &self.opts.root, changed)
        else {
            return false;
        };
        self.cache.begin();
        self.cache.patched(changed.len());
        check_site(&mut last.site, last.found.clone());
        let site = &last.site;
        let plan = crate::render::plan_with_theme(site, Arc::clone(&last.theme));
        let mut sections = vec![false; site.content.sections.len()];
        for si in &patched.sections {
            sections[*si] = true;
        }
        let unchanged = Unchanged {
            sections,
            items: patched.items,
            metrics: *plan.metrics() != last.metrics,
        };
        let ok = match render(&self.cache, &plan, false, Some(&unchanged)) {
            Ok((delta, later)) => {
                publish(pages(delta, false, site, self.cache.stats()));
                if !render_later(&self.cache, site, &plan, &later, publish) {
                    self.last = None;
                    self.fingerprint = None;
                    return true;
                }
                publish(Outcome::Generated {
                    files: plan.generated_files(),
                });
                // After the reload: what the next compile compares with.
                let env = self.cache.link_environment(site);
                let now = fingerprint::global(site, plan.metrics(), plan.theme().fingerprint, env);
                self.fingerprint = Some(now);
                last.metrics = plan.metrics().clone();
                true
            }
            Err(d) => {
                publish(failed(render_human(&d, &site.sources), true));
                false
            }
        };
        drop(plan);
        if !ok {
            self.last = None;
            self.fingerprint = None;
        }
        true
    }

    /// The compile path, with the session's caches.
    fn compile(&mut self, full: bool, publish: &mut dyn FnMut(Outcome)) {
        // Whatever happens below, the kept site no longer matches the files. Freeing a large
        // site takes milliseconds the reload should not wait for: another thread does it.
        if let Some(old) = self.last.take() {
            let dropped = std::thread::Builder::new()
                .name("plansite-free".into())
                .spawn(move || drop(old));
            // Without a thread the site is simply freed here (the closure went with the error).
            drop(dropped);
        }
        self.cache.begin();
        let (mut site, found) = match compile_unchecked(&self.opts, Some(&self.cache)) {
            Ok(x) => x,
            Err(CompileError::Invalid(diags, sources)) => {
                return publish(failed(render_human(&diags, &sources), false));
            }
            Err(e) => return publish(failed(format!("error: {e}\n"), false)),
        };
        let diags = check_site(&mut site, found.clone());
        let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
        if !errors.is_empty() {
            return publish(failed(render_human(&errors, &site.sources), false));
        }
        let plan = match crate::render::plan(&site, &self.opts.root) {
            Ok(p) => p,
            Err(d) => return publish(failed(render_human(&d, &site.sources), true)),
        };
        let env = self.cache.link_environment(&site);
        let now = fingerprint::global(&site, plan.metrics(), plan.theme().fingerprint, env);
        // Nothing site-wide changed since the pages held were rendered: only the pages built
        // from re-rendered Markdown are looked at.
        let unchanged = (self.fingerprint == Some(now)).then(|| {
            let files = self.cache.changed_files();
            Unchanged {
                sections: (site.content.sections.iter())
                    .map(|s| s.variants.iter().any(|v| files.contains(&v.file)))
                    .collect(),
                ..Unchanged::default()
            }
        });
        match render(&self.cache, &plan, full, unchanged.as_ref()) {
            Ok((delta, later)) => {
                publish(pages(delta, full, &site, self.cache.stats()));
                if !render_later(&self.cache, &site, &plan, &later, publish) {
                    self.fingerprint = None;
                    return;
                }
            }
            Err(d) => {
                self.fingerprint = None;
                return publish(failed(render_human(&d, &site.sources), true));
            }
        }
        self.fingerprint = Some(now);
        publish(Outcome::Generated {
            files: plan.generated_files(),
        });
        let (theme, metrics) = (plan.theme(), plan.metrics().clone());
        drop(plan);
        self.last = Some(Last {
            site,
            theme,
            found,
            metrics,
        });
    }
}

/// Single-page documents left for [`render_later`]: (document, language).
type Later = Vec<(usize, usize)>;

/// Renders the pages `cache` does not hold as they are now, and records them; returns them
/// and the single-page documents left for [`render_later`].
fn render(
    cache: &Cache,
    plan: &Plan<'_>,
    full: bool,
    unchanged: Option<&Unchanged>,
) -> Result<(Delta, Later), Vec<Diagnostic>> {
    let done = {
        // One lock for the whole render instead of one per page (rayon threads would contend).
        let known = cache.known_pages();
        plan.render_delta(&known, full, unchanged, &cache.parts)
    };
    match done {
        Ok(r) => {
            cache.record_pages(r.hashes, r.reused);
            cache.pages_rendered();
            Ok((r.delta, r.later))
        }
        Err(d) => Err(d),
    }
}

/// Renders the single-page documents [`render`] left for later and publishes them; `false`
/// (with the failure published) when the theme failed on one.
fn render_later(
    cache: &Cache,
    site: &Site,
    plan: &Plan<'_>,
    later: &[(usize, usize)],
    publish: &mut dyn FnMut(Outcome),
) -> bool {
    if later.is_empty() {
        return true;
    }
    let done = {
        let known = cache.known_pages();
        plan.render_later(later, &known, &cache.parts)
    };
    match done {
        Ok(r) => {
            cache.record_pages(r.hashes, r.reused);
            publish(Outcome::Later {
                files: r.delta.files,
            });
            true
        }
        Err(d) => {
            publish(failed(render_human(&d, &site.sources), true));
            false
        }
    }
}

fn pages(delta: Delta, full: bool, site: &Site, stats: Stats) -> Outcome {
    // Unwaived warnings (a patch may add or remove one: a translation turning stale or fresh).
    let warnings = (site.findings.iter())
        .filter(|d| d.severity == Severity::Warning && d.waived.is_none())
        .count();
    Outcome::Pages {
        delta,
        full,
        warnings,
        stats,
    }
}

fn failed(diagnostics: String, in_render: bool) -> Outcome {
    Outcome::Failed {
        diagnostics,
        in_render,
    }
}
