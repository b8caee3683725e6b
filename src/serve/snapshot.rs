//! The site as the server holds it: the files of the last good build (shared, so a rebuild
//! that changes one page copies pointers, not bytes), the errors of a failed build, and how
//! each build's results are merged in and turned into reload paths.

use super::reload::{self, Hub};
pub(super) use crate::incremental::Outcome;
use crate::render::{Delta, OutputFile};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock};

/// Output path → bytes.
pub(super) type Files = HashMap<String, Arc<Vec<u8>>>;

/// What the server currently serves.
#[derive(Default)]
pub(super) struct Snapshot {
    /// Output path → bytes of the last good build (empty before the first one).
    pub files: Arc<Files>,
    /// Which of `files` are generated data files (search indexes, exports), published after
    /// the pages of a build.
    generated: Arc<BTreeSet<String>>,
    /// Whether any build has succeeded yet.
    pub good: bool,
    /// The errors of the latest build, when it failed.
    pub errors: Option<String>,
    /// A render failed since the last good build: the page cache may hold pages this snapshot
    /// does not, so the next build must hand over every page.
    pub needs_full: bool,
}

/// Shared by the connection threads and the rebuilder.
#[derive(Default)]
pub(super) struct State {
    current: RwLock<Arc<Snapshot>>,
    pub hub: Hub,
}

impl State {
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&crate::ground::read(&self.current))
    }

    fn swap(&self, next: Snapshot) {
        *crate::ground::write(&self.current) = Arc::new(next);
    }

    /// Makes `outcome` current and returns the URL paths browsers should reload.
    pub fn apply(&self, outcome: Outcome) -> Vec<String> {
        let outcome = match outcome {
            Outcome::Pages {
                mut delta,
                full: false,
                warnings,
                stats,
            } if delta.same_paths => match self.merge_in_place(delta.files) {
                Ok(paths) => return paths,
                Err(files) => {
                    delta.files = files;
                    Outcome::Pages {
                        delta,
                        full: false,
                        warnings,
                        stats,
                    }
                }
            },
            Outcome::Later { files } => match self.merge_in_place(files) {
                Ok(paths) => return paths,
                Err(files) => Outcome::Later { files },
            },
            other => other,
        };
        let old = self.snapshot();
        match outcome {
            Outcome::Pages { delta, full, .. } => self.apply_pages(&old, delta, full),
            Outcome::Later { files } => self.apply_later(&old, files),
            Outcome::Generated { files } => self.apply_generated(&old, files),
            Outcome::Failed {
                diagnostics,
                in_render,
            } => self.apply_failed(&old, diagnostics, in_render),
        }
    }

    /// Puts pages of the current page set (a delta with the same paths, or pages rendered
    /// later) into the current snapshot in place: an edit then costs the pages it changed, not
    /// a copy of every path (a third of a prose edit's latency at 2,000 items). `Err` when the
    /// snapshot is shared (a request is being answered from it) or shows errors: the caller
    /// makes a new one.
    fn merge_in_place(&self, new: Vec<OutputFile>) -> Result<Vec<String>, Vec<OutputFile>> {
        let mut current = crate::ground::write(&self.current);
        let Some(snap) = Arc::get_mut(&mut current).filter(|s| s.good && s.errors.is_none()) else {
            return Err(new);
        };
        let Some(files) = Arc::get_mut(&mut snap.files) else {
            return Err(new);
        };
        snap.needs_full = false;
        Ok(merge(files, new))
    }

    /// Pages rendered later (see [`Outcome::Later`]), over a copy of `old`'s files.
    fn apply_later(&self, old: &Snapshot, new: Vec<OutputFile>) -> Vec<String> {
        let mut files = (*old.files).clone();
        let paths = merge(&mut files, new);
        self.swap(Snapshot {
            files: Arc::new(files),
            generated: Arc::clone(&old.generated),
            good: old.good,
            errors: old.errors.clone(),
            needs_full: old.needs_full,
        });
        paths
    }

    /// Rendered pages (all of them when `full`, else the changed ones over `old`'s).
    fn apply_pages(&self, old: &Snapshot, delta: Delta, full: bool) -> Vec<String> {
        let mut files = Files::with_capacity(delta.paths.len() + old.generated.len());
        if !full {
            // Unchanged pages keep their bytes; generated files stay until replaced.
            for p in delta.paths.iter().chain(old.generated.iter()) {
                if let Some(b) = old.files.get(p) {
                    files.insert(p.clone(), Arc::clone(b));
                }
            }
        } else {
            for p in old.generated.iter() {
                if let Some(b) = old.files.get(p) {
                    files.insert(p.clone(), Arc::clone(b));
                }
            }
        }
        let mut changed = Vec::new();
        for f in delta.files {
            if old.files.get(&f.path).is_none_or(|b| **b != f.bytes) {
                changed.push(f.path.clone());
            }
            files.insert(f.path, Arc::new(f.bytes));
        }
        changed.extend(
            old.files
                .keys()
                .filter(|k| !files.contains_key(*k))
                .cloned(),
        );
        let paths = if old.errors.is_some() || !old.good {
            vec!["*".to_string()]
        } else {
            reload::paths_of(changed)
        };
        self.swap(Snapshot {
            files: Arc::new(files),
            generated: Arc::clone(&old.generated),
            good: true,
            errors: None,
            needs_full: false,
        });
        paths
    }

    /// New generated files (search index, exports): they replace the ones of `old`.
    fn apply_generated(&self, old: &Snapshot, generated: Vec<OutputFile>) -> Vec<String> {
        let mut files: Files = (*old.files).clone();
        let mut changed: Vec<String> = old
            .generated
            .iter()
            .filter(|p| !generated.iter().any(|f| &f.path == *p))
            .cloned()
            .collect();
        for p in &changed {
            files.remove(p);
        }
        let mut names = BTreeSet::new();
        for f in generated {
            if old.files.get(&f.path).is_none_or(|b| **b != f.bytes) {
                changed.push(f.path.clone());
            }
            names.insert(f.path.clone());
            files.insert(f.path, Arc::new(f.bytes));
        }
        self.swap(Snapshot {
            files: Arc::new(files),
            generated: Arc::new(names),
            good: old.good,
            errors: old.errors.clone(),
            needs_full: old.needs_full,
        });
        reload::paths_of(changed)
    }

    /// A failed rebuild: `old`'s files stay, with the error overlay.
    fn apply_failed(&self, old: &Snapshot, diagnostics: String, in_render: bool) -> Vec<String> {
        let needs_full = old.needs_full || in_render;
        if old.errors.as_deref() == Some(diagnostics.as_str()) && needs_full == old.needs_full {
            return Vec::new();
        }
        self.swap(Snapshot {
            files: Arc::clone(&old.files),
            generated: Arc::clone(&old.generated),
            good: old.good,
            errors: Some(diagnostics),
            needs_full,
        });
        vec!["*".to_string()]
    }
}

/// Puts `new` into `files` and returns the URL paths to reload (the pages whose bytes changed).
fn merge(files: &mut Files, new: Vec<OutputFile>) -> Vec<String> {
    let mut changed = Vec::new();
    for f in new {
        if files.get(&f.path).is_none_or(|b| **b != f.bytes) {
            changed.push(f.path.clone());
            files.insert(f.path, Arc::new(f.bytes));
        }
    }
    reload::paths_of(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Delta, OutputFile};

    fn file(path: &str, body: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: body.as_bytes().to_vec(),
        }
    }

    fn pages(files: Vec<OutputFile>, paths: &[&str], full: bool) -> Outcome {
        Outcome::Pages {
            delta: Delta {
                files,
                paths: paths.iter().map(|p| p.to_string()).collect(),
                same_paths: false,
            },
            full,
            warnings: 0,
            stats: Default::default(),
        }
    }

    fn body(state: &State, path: &str) -> Option<String> {
        let snap = state.snapshot();
        snap.files
            .get(path)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    #[test]
    fn deltas_merge_into_the_site_and_name_what_changed() {
        let state = State::default();
        let all = ["index.html", "ja/a/index.html", "ja/b/index.html"];
        let first = all.iter().map(|p| file(p, "v1")).collect();
        assert_eq!(state.apply(pages(first, &all, true)), ["*"]);
        let data = || vec![file("search/ja.json", "s1"), file("graph.json", "g1")];
        assert_eq!(
            state.apply(Outcome::Generated { files: data() }),
            ["/graph.json", "/search/ja.json"]
        );
        // One page re-rendered, one removed; the others and the data files are kept as they were.
        let paths = ["index.html", "ja/a/index.html"];
        let changed = state.apply(pages(vec![file("ja/a/index.html", "v2")], &paths, false));
        assert_eq!(changed, ["/ja/a/", "/ja/b/"]);
        assert_eq!(body(&state, "ja/a/index.html").as_deref(), Some("v2"));
        assert_eq!(body(&state, "index.html").as_deref(), Some("v1"));
        assert_eq!(body(&state, "ja/b/index.html"), None);
        assert_eq!(body(&state, "graph.json").as_deref(), Some("g1"));
        // Re-rendered with the same bytes: nothing to reload.
        let same = state.apply(pages(vec![file("ja/a/index.html", "v2")], &paths, false));
        assert!(same.is_empty(), "{same:?}");
        // Data files are replaced as a set: a file no longer generated goes away.
        let fewer = vec![file("search/ja.json", "s2")];
        assert_eq!(
            state.apply(Outcome::Generated { files: fewer }),
            ["/graph.json", "/search/ja.json"]
        );
        assert_eq!(body(&state, "graph.json"), None);
        assert_eq!(body(&state, "index.html").as_deref(), Some("v1"));
    }

    #[test]
    fn a_delta_with_the_same_pages_merges_in_place_or_by_copy_alike() {
        let state = State::default();
        let all = ["index.html", "ja/a/index.html"];
        state.apply(pages(
            all.iter().map(|p| file(p, "v1")).collect(),
            &all,
            true,
        ));
        state.apply(Outcome::Generated {
            files: vec![file("graph.json", "g1")],
        });
        let same = |files| {
            let Outcome::Pages { mut delta, .. } = pages(files, &all, false) else {
                unreachable!()
            };
            delta.same_paths = true;
            Outcome::Pages {
                delta,
                full: false,
                warnings: 0,
                stats: Default::default(),
            }
        };
        // Nobody holds the snapshot: merged in place.
        let before = Arc::as_ptr(&state.snapshot().files);
        assert_eq!(
            state.apply(same(vec![file("ja/a/index.html", "v2")])),
            ["/ja/a/"]
        );
        assert_eq!(Arc::as_ptr(&state.snapshot().files), before);
        // A request holds it: a new snapshot, and the held one is left as it was.
        let held = state.snapshot();
        assert_eq!(
            state.apply(same(vec![file("ja/a/index.html", "v3")])),
            ["/ja/a/"]
        );
        assert_eq!(body(&state, "ja/a/index.html").as_deref(), Some("v3"));
        assert_eq!(
            held.files.get("ja/a/index.html").map(|b| b.as_slice()),
            Some(&b"v2"[..])
        );
        drop(held);
        for (path, want) in [("index.html", "v1"), ("graph.json", "g1")] {
            assert_eq!(body(&state, path).as_deref(), Some(want), "{path}");
        }
        assert!(
            state
                .apply(same(vec![file("ja/a/index.html", "v3")]))
                .is_empty()
        );
        // Pages rendered later merge the same way, in place or (held) over a copy.
        let later = |body: &str| Outcome::Later {
            files: vec![file("index.html", body)],
        };
        assert_eq!(state.apply(later("v2")), ["/"]);
        let held = state.snapshot();
        assert_eq!(state.apply(later("v3")), ["/"]);
        assert_eq!(body(&state, "index.html").as_deref(), Some("v3"));
        assert_eq!(
            held.files.get("index.html").map(|b| b.as_slice()),
            Some(&b"v2"[..])
        );
        assert_eq!(body(&state, "ja/a/index.html").as_deref(), Some("v3"));
    }

    #[test]
    fn a_failed_render_asks_for_a_full_build_next() {
        let state = State::default();
        let all = ["index.html"];
        state.apply(pages(vec![file("index.html", "v1")], &all, true));
        let failed = |in_render| Outcome::Failed {
            diagnostics: "error[TH004]\n".into(),
            in_render,
        };
        state.apply(failed(false));
        assert!(
            !state.snapshot().needs_full,
            "a content error caches no page"
        );
        state.apply(failed(true));
        assert!(state.snapshot().needs_full);
        assert_eq!(body(&state, "index.html").as_deref(), Some("v1"));
        state.apply(pages(vec![file("index.html", "v2")], &all, true));
        assert!(!state.snapshot().needs_full);
        assert!(state.snapshot().errors.is_none());
    }
}
