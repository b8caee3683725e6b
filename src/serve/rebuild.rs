//! One rebuild of the served site: compile with the session's caches, render the pages whose
//! inputs changed, and publish in two steps (pages, then the generated data files), telling the
//! open browsers what to reload.

use super::snapshot::{Outcome, State};
use crate::build::{CompileError, Options, compile_with};
use crate::diagnostic::{Diagnostic, Severity, render_human};
use crate::incremental::Cache;
use std::time::Instant;

/// Compiles and renders the site, handing each result to `publish` as soon as it exists: the
/// pages first, then the generated data files (search indexes, exports), which take longer
/// and are not what the edited page waits for. A panic in the pipeline counts as a failed
/// build, so the rebuilder survives it. `full` hands over every page (not only changed ones).
pub(super) fn build(opts: &Options, cache: &Cache, full: bool, publish: &mut dyn FnMut(Outcome)) {
    let mut published_pages = false;
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        build_unguarded(opts, cache, full, &mut |o: Outcome| {
            published_pages |= matches!(o, Outcome::Pages { .. });
            publish(o);
        })
    }));
    if ran.is_err() && !published_pages {
        publish(Outcome::Failed {
            diagnostics: "internal error: the build panicked (see the message above)\n".into(),
            in_render: true,
        });
    }
}

fn build_unguarded(opts: &Options, cache: &Cache, full: bool, publish: &mut dyn FnMut(Outcome)) {
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
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.waived.is_none())
        .count();
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
                "built {} pages in {ms} ms ({} re-rendered, {} reused; Markdown {} re-rendered, \
                 {} reused; {warnings} warning(s), `plansite check` lists them)",
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
