//! One rebuild of the served site: patch the last good site when only prose changed
//! ([`crate::incremental::patch`]), else compile with the session's caches; render the pages
//! whose inputs changed, and publish in two steps (pages, then the generated data files),
//! telling the open browsers what to reload.

use super::snapshot::{Outcome, State};
use crate::build::{CompileError, Options, compile_with};
use crate::diagnostic::{Diagnostic, Severity, render_human};
use crate::incremental::Cache;
use crate::render::theme::Theme;
use crate::site::Site;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// The last good build, kept between rebuilds so that a prose edit can patch it.
#[derive(Default)]
pub(super) struct Keep {
    last: Option<Last>,
}

struct Last {
    site: Site,
    theme: Arc<Theme>,
}

/// Compiles and renders the site, handing each result to `publish` as soon as it exists: the
/// pages first, then the generated data files (search indexes, exports), which take longer
/// and are not what the edited page waits for. A panic in the pipeline counts as a failed
/// build, so the rebuilder survives it. `full` hands over every page (not only changed ones);
/// otherwise `changed` (the paths the watcher reported) may allow a patch.
pub(super) fn build(
    opts: &Options,
    cache: &Cache,
    keep: &mut Keep,
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
        if full || !patched(opts, cache, keep, changed, &mut publish) {
            build_unguarded(opts, cache, keep, full, &mut publish);
        }
    }));
    if ran.is_err() {
        keep.last = None;
        if !published_pages {
            publish(Outcome::Failed {
                diagnostics: "internal error: the build panicked (see the message above)\n".into(),
                in_render: true,
            });
        }
    }
}

/// The fast path: patches the kept site with the changed files and renders their pages.
/// `false` when they do not qualify (nothing was published or changed).
fn patched(
    opts: &Options,
    cache: &Cache,
    keep: &mut Keep,
    changed: &[PathBuf],
    publish: &mut dyn FnMut(Outcome),
) -> bool {
    let Some(last) = keep.last.as_mut() else {
        return false;
    };
    if changed.is_empty() {
        return false;
    }
    let Some(patched) = crate::incremental::patch(&mut last.site, &opts.root, changed) else {
        return false;
    };
    cache.begin();
    cache.patched(changed.len());
    let plan = crate::render::plan_with_theme(&last.site, Arc::clone(&last.theme));
    let ok = match plan.render_patched(cache, &patched) {
        Ok(delta) => {
            publish(Outcome::Pages {
                delta,
                full: false,
                warnings: warnings(&last.site.findings),
            });
            publish(Outcome::Generated {
                files: plan.generated_files(),
            });
            true
        }
        Err(d) => {
            publish(Outcome::Failed {
                diagnostics: render_human(&d, &last.site.sources),
                in_render: true,
            });
            false
        }
    };
    drop(plan);
    if !ok {
        keep.last = None;
    }
    true
}

fn build_unguarded(
    opts: &Options,
    cache: &Cache,
    keep: &mut Keep,
    full: bool,
    publish: &mut dyn FnMut(Outcome),
) {
    // Whatever happens below, the kept site no longer matches the files. Freeing a large site
    // takes milliseconds the reload should not wait for: another thread does it.
    if let Some(old) = keep.last.take() {
        let dropped = std::thread::Builder::new()
            .name("plansite-free".into())
            .spawn(move || drop(old));
        // Without a thread the site is simply freed here (the closure went with the error).
        drop(dropped);
    }
    cache.begin();
    let failed = |diagnostics: String, in_render: bool| Outcome::Failed {
        diagnostics,
        in_render,
    };
    let (site, diags) = match compile_with(opts, Some(cache)) {
        Ok(x) => x,
        Err(CompileError::Invalid(diags, sources)) => {
            return publish(failed(render_human(&diags, &sources), false));
        }
        Err(e) => return publish(failed(format!("error: {e}\n"), false)),
    };
    let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() {
        return publish(failed(render_human(&errors, &site.sources), false));
    }
    let plan = match crate::render::plan(&site, &opts.root) {
        Ok(p) => p,
        Err(d) => return publish(failed(render_human(&d, &site.sources), true)),
    };
    let warnings = warnings(&diags);
    match plan.render_delta(cache, full) {
        Ok(delta) => publish(Outcome::Pages {
            delta,
            full,
            warnings,
        }),
        Err(d) => return publish(failed(render_human(&d, &site.sources), true)),
    }
    publish(Outcome::Generated {
        files: plan.generated_files(),
    });
    let theme = plan.theme();
    drop(plan);
    keep.last = Some(Last { site, theme });
}

/// Unwaived warnings (a patch may add or remove one: a translation turning stale or fresh).
fn warnings(findings: &[Diagnostic]) -> usize {
    findings
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.waived.is_none())
        .count()
}

/// Applies a build result, tells the browsers what to reload and says so on stderr.
pub(super) fn publish(state: &State, cache: &Cache, outcome: Outcome, started: Instant) {
    let ms = started.elapsed().as_millis();
    match &outcome {
        Outcome::Pages {
            delta, warnings, ..
        } => {
            let st = cache.stats();
            eprintln!(
                "{} {} pages in {ms} ms ({} re-rendered, {} reused; Markdown {} re-rendered, \
                 {} reused; {warnings} warning(s), `plansite check` lists them)",
                if st.patched { "patched" } else { "built" },
                delta.paths.len(),
                st.pages_rendered,
                st.pages_reused,
                st.markdown_rendered,
                st.markdown_reused,
            );
        }
        Outcome::Generated { files } => {
            eprintln!(
                "  + {} data files (search, exports) at {ms} ms",
                files.len()
            );
        }
        Outcome::Failed { diagnostics, .. } => {
            eprint!("{diagnostics}");
            eprintln!("build failed in {ms} ms: serving the last good build with an error overlay");
        }
    }
    let paths = state.apply(outcome);
    let clients = state.hub.reload(&paths);
    if !paths.is_empty() && clients > 0 {
        eprintln!("reload ({clients} browser(s)): {}", paths.join(" "));
    }
}
