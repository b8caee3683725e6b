//! Keeps every read inside the site: a symbolic link is followed only when it resolves inside
//! the site root; one that leaves the site, points to nothing or loops is a finding naming
//! the link (git carries symlinks, so a pull request can add one).

use crate::diagnostic::{Diagnostic, Span};
use std::path::{Path, PathBuf};

/// The site root, resolved once.
pub struct Guard {
    root: PathBuf,
    canonical: PathBuf,
}

impl Guard {
    /// A guard for the site at `root`.
    pub fn new(root: &Path) -> Guard {
        Guard {
            root: root.to_path_buf(),
            canonical: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// The site root as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of `path` relative to the site root, `/`-separated.
    pub fn rel(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    }

    /// `Ok` when `path` is no symbolic link, or one that resolves inside the site.
    pub fn check(&self, path: &Path) -> Result<(), Diagnostic> {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => self.check_link(path),
            _ => Ok(()),
        }
    }

    fn check_link(&self, link: &Path) -> Result<(), Diagnostic> {
        let rel = self.rel(link);
        let inside = |t: &Path| t.starts_with(&self.canonical);
        match link.canonicalize() {
            // A folder link to its own folder or above it is a loop, however deep it is.
            Ok(target) if inside(&target) && target.is_dir() && self.encloses(&target, link) => {
                Err(loop_finding(&rel))
            }
            Ok(target) if inside(&target) => Ok(()),
            Ok(target) => Err(finding(
                &rel,
                format!(
                    "symbolic link `{rel}` points outside the site, to `{}`",
                    target.display()
                ),
                "plansite reads nothing outside the site root: copy the files into the site instead",
            )),
            Err(e) if e.raw_os_error() == Some(LOOP) => Err(loop_finding(&rel)),
            Err(_) => Err(finding(
                &rel,
                format!("symbolic link `{rel}` points to nothing"),
                "remove the link or make it point to a file inside the site",
            )),
        }
    }

    /// Whether folder `target` holds `link` (so following the link comes back to it).
    fn encloses(&self, target: &Path, link: &Path) -> bool {
        link.parent()
            .and_then(|p| p.canonicalize().ok())
            .is_some_and(|p| p.starts_with(target))
    }

    /// Every file under `dir` (links inside the site followed), as (relative path, file
    /// name), in walk order; hidden entries (`.x`, `_x`) below `dir` skipped when asked.
    pub fn walk(&self, dir: &Path, skip_hidden: bool) -> (Vec<(String, String)>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut findings = Vec::new();
        if let Err(d) = self.check(dir) {
            return (files, vec![d]);
        }
        let hidden = |n: &str| skip_hidden && (n.starts_with('.') || n.starts_with('_'));
        let mut refused = Vec::new();
        let walker = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && hidden(&e.file_name().to_string_lossy()) {
                    return false;
                }
                if e.path_is_symlink()
                    && let Err(d) = self.check_link(e.path())
                {
                    refused.push(d);
                    return false;
                }
                true
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => files.push((
                    self.rel(e.path()),
                    e.file_name().to_string_lossy().into_owned(),
                )),
                Ok(_) => {}
                Err(e) => findings.push(self.walk_error(&e)),
            }
        }
        findings.append(&mut refused);
        (files, findings)
    }
}

impl Guard {
    /// The finding for an entry the walk could not visit: a loop, a broken link, or an
    /// unreadable folder.
    fn walk_error(&self, e: &walkdir::Error) -> Diagnostic {
        let Some(path) = e.path() else {
            return finding(
                "",
                format!("cannot read a folder: {e}"),
                "check permissions",
            );
        };
        let rel = self.rel(path);
        if e.loop_ancestor().is_some() {
            return loop_finding(&rel);
        }
        if let Err(d) = self.check(path) {
            return d;
        }
        finding(
            &rel,
            format!(
                "cannot read `{rel}`: {}",
                e.io_error().map_or(e.to_string(), ToString::to_string)
            ),
            "check the file's permissions",
        )
    }
}

/// ELOOP on Linux and the BSDs' value differ; both are "too many levels of links".
#[cfg(target_os = "linux")]
const LOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const LOOP: i32 = 62;

fn loop_finding(rel: &str) -> Diagnostic {
    finding(
        rel,
        format!("symbolic link `{rel}` leads back into itself (a loop)"),
        "remove the link, or point it at a folder that does not contain it",
    )
}

fn finding(rel: &str, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error("LD010", message)
        .at(Span::file(rel))
        .hint(hint)
}
