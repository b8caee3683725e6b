//! Publishing one rebuild of the served site: each result of the [`Rebuilder`] (pages, then the
//! generated data files, or the errors) is merged into what the server serves, reported on the
//! terminal, and turned into reload events for the open browsers. The rebuild itself — patch or
//! cached compile, which pages to render — is [`crate::incremental`]'s.

use super::snapshot::{Outcome, State};
use crate::incremental::Rebuilder;
use std::path::PathBuf;
use std::time::Instant;

/// Rebuilds after the files `changed` and publishes each result as soon as it exists (the
/// reload is not kept waiting for the search index).
pub(super) fn rebuild(
    rebuilder: &mut Rebuilder,
    state: &State,
    changed: &[PathBuf],
    full: bool,
    started: Instant,
) {
    rebuilder.rebuild_with(changed, full, &mut |o| publish(state, o, started));
}

/// Applies a build result, tells the browsers what to reload and says so on stderr.
pub(super) fn publish(state: &State, outcome: Outcome, started: Instant) {
    let ms = started.elapsed().as_millis();
    match &outcome {
        Outcome::Pages {
            delta,
            warnings,
            stats: st,
            ..
        } => {
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
        Outcome::Later { files } => {
            eprintln!("  + {} single-page document(s) at {ms} ms", files.len());
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
