//! Recent changes of the content, read from git history when the site is in a git checkout
//! (the same commit always yields the same list, so builds stay deterministic).

use serde::Serialize;
use std::path::Path;
use std::process::Command;

/// One commit that touched `content/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Change {
    /// Commit date, ISO `YYYY-MM-DD` (committer date, UTC).
    pub date: String,
    /// First line of the commit message.
    pub subject: String,
    /// Abbreviated commit hash.
    pub commit: String,
}

/// The latest `limit` commits touching `root/content`, newest first; empty when `root` is not
/// in a git checkout or git is not installed.
pub fn recent_changes(root: &Path, limit: usize) -> Vec<Change> {
    start(root, limit).finish()
}

/// A `git log` running in the background, so it overlaps the load.
pub struct Pending(Option<std::process::Child>);

/// Starts reading the latest `limit` commits touching `root/content`.
pub fn start(root: &Path, limit: usize) -> Pending {
    let child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            &format!("-{limit}"),
            "--date=short",
            "--format=%cd%x09%h%x09%s",
            "--",
            "content",
        ])
        .env("TZ", "UTC")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn();
    Pending(child.ok())
}

impl Pending {
    /// Waits for the commits (empty outside a git checkout, or without git).
    pub fn finish(mut self) -> Vec<Change> {
        let Some(out) = self.0.take().and_then(|c| c.wait_with_output().ok()) else {
            return Vec::new();
        };
        if !out.status.success() {
            return Vec::new();
        }
        parse(&out.stdout)
    }
}

impl Drop for Pending {
    /// A build that stops early still reaps its git process (no zombies in `serve`).
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn parse(stdout: &[u8]) -> Vec<Change> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            Some(Change {
                date: parts.next()?.to_string(),
                commit: parts.next()?.to_string(),
                subject: parts.next()?.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_git_there_are_no_changes() {
        let dir = tempfile::tempdir().unwrap();
        assert!(recent_changes(dir.path(), 5).is_empty());
    }

    #[test]
    fn commits_touching_content_are_listed_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(args)
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false)
        };
        if !git(&["init", "-q"]) {
            return; // git is not installed
        }
        git(&["config", "user.email", "t@example.org"]);
        git(&["config", "user.name", "t"]);
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "a").unwrap();
        git(&["add", "."]);
        git(&["commit", "-qm", "第1版を追加"]);
        std::fs::write(dir.path().join("README"), "x").unwrap();
        git(&["add", "."]);
        git(&["commit", "-qm", "not content"]);
        std::fs::write(dir.path().join("content/a.md"), "b").unwrap();
        git(&["commit", "-qam", "Fix a typo"]);
        let subjects: Vec<String> = recent_changes(dir.path(), 5)
            .into_iter()
            .map(|c| c.subject)
            .collect();
        assert_eq!(subjects, ["Fix a typo", "第1版を追加"]);
    }
}
