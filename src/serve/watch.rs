//! Watching the site's sources and rebuilding: a burst of file events (an editor's
//! write-temp-and-rename, a `git checkout`) is coalesced into one rebuild by waiting for a
//! short quiet spell after the first event, new folders are picked up, and open pages are told
//! which paths changed.

use super::rebuild::rebuild;
use super::{MAX_WAIT, QUIET, State, WATCHED_DIRS};
use crate::incremental::Rebuilder;
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::Instant;

pub(super) type Watcher = RecommendedWatcher;

/// One raw file-system notification.
pub(super) type FileEvent = notify::Result<Event>;

/// Starts watching the site's sources; `None` (live reload off) if the platform refuses.
pub(super) fn start_watching(
    root: &Path,
    tx: mpsc::Sender<FileEvent>,
) -> Option<(Watcher, BTreeSet<PathBuf>)> {
    match notify::recommended_watcher(tx) {
        Ok(mut watcher) => {
            let mut watched = BTreeSet::new();
            watch_new_paths(&mut watcher, root, &mut watched);
            Some((watcher, watched))
        }
        Err(e) => {
            eprintln!("warning: cannot watch files ({e}); live reload is off");
            None
        }
    }
}

pub(super) fn spawn_rebuilder(
    watcher: Watcher,
    watched: BTreeSet<PathBuf>,
    rx: Receiver<FileEvent>,
    root: &Path,
    state: Arc<State>,
    mut rebuilder: Rebuilder,
) -> anyhow::Result<()> {
    let root = root.to_path_buf();
    std::thread::Builder::new()
        .name("plansite-rebuild".into())
        .spawn(move || rebuild_loop(watcher, watched, rx, &root, &state, &mut rebuilder))
        .map_err(|e| anyhow::anyhow!("cannot start the file watcher thread: {e}"))?;
    Ok(())
}

pub(super) fn rebuild_loop(
    mut watcher: Watcher,
    mut watched: BTreeSet<PathBuf>,
    rx: Receiver<FileEvent>,
    root: &Path,
    state: &State,
    rebuilder: &mut Rebuilder,
) {
    while let Ok(first) = rx.recv() {
        // The clock starts at the first event: the figure printed is event → pages published.
        let started = Instant::now();
        let mut changed = BTreeSet::new();
        relevant_changes(root, first, &mut changed);
        // Wait until the burst is over (no event for QUIET), but never longer than MAX_WAIT.
        while started.elapsed() < MAX_WAIT {
            match rx.recv_timeout(QUIET) {
                Ok(more) => relevant_changes(root, more, &mut changed),
                Err(_) => break,
            }
        }
        if changed.is_empty() {
            continue;
        }
        let changed: Vec<PathBuf> = changed.into_iter().collect();
        watch_new_paths(&mut watcher, root, &mut watched);
        let full = {
            let snap = state.snapshot();
            snap.needs_full || !snap.good
        };
        rebuild(rebuilder, state, &changed, full, started);
    }
}

/// Watches the root itself (for `plansite.toml` and folders created later) and each watched
/// folder that exists and is not watched yet.
pub(super) fn watch_new_paths(watcher: &mut Watcher, root: &Path, watched: &mut BTreeSet<PathBuf>) {
    let mut wanted = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
    for dir in WATCHED_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            wanted.push((path, RecursiveMode::Recursive));
        }
    }
    for (path, mode) in wanted {
        if watched.contains(&path) {
            continue;
        }
        match watcher.watch(&path, mode) {
            Ok(()) => {
                watched.insert(path);
            }
            Err(e) => eprintln!("warning: cannot watch {}: {e}", path.display()),
        }
    }
}

/// Adds the paths of an event that concern the site's sources to `into` (errors are printed).
pub(super) fn relevant_changes(root: &Path, event: FileEvent, into: &mut BTreeSet<PathBuf>) {
    match event {
        // Events were lost (the kernel's queue overflowed): the root stands for "anything",
        // which no patch accepts, so the whole site is compiled again.
        Ok(e) if e.need_rescan() => {
            into.insert(root.to_path_buf());
        }
        Ok(e) if matches!(e.kind, EventKind::Access(_)) => {}
        Ok(e) => into.extend(e.paths.into_iter().filter(|p| is_source_path(root, p))),
        Err(err) => eprintln!("warning: file watcher: {err}"),
    }
}

/// Whether a changed path is a site source: `plansite.toml` or anything under a watched folder,
/// but no dotfile (editor swap files, the output's staging folders) and no `~` backup.
pub(super) fn is_source_path(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let names: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(first) = names.first() else {
        return false;
    };
    if names.iter().any(|n| n.starts_with('.') || n.ends_with('~')) {
        return false;
    }
    (names.len() == 1 && first == crate::config::CONFIG_FILE)
        || WATCHED_DIRS.contains(&first.as_str())
}
