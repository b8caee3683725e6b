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
    /// Files under `content/` the commit touched, relative to the site root.
    pub files: Vec<String>,
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
            "--format=%x01%cd%x09%h%x09%s",
            "--name-only",
            "--relative",
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

/// Commits start with a `\x01` line (date, hash, subject); the names of their files follow.
fn parse(stdout: &[u8]) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for l in String::from_utf8_lossy(stdout).lines() {
        if let Some(head) = l.strip_prefix('\u{1}') {
            let mut parts = head.splitn(3, '\t');
            if let (Some(date), Some(commit), Some(subject)) =
                (parts.next(), parts.next(), parts.next())
            {
                out.push(Change {
                    date: date.to_string(),
                    commit: commit.to_string(),
                    subject: subject.to_string(),
                    files: Vec::new(),
                });
            }
        } else if let Some(c) = out.last_mut().filter(|_| !l.trim().is_empty()) {
            c.files.push(l.trim().to_string());
        }
    }
    out
}

/// The date of the newest commit that touched each file (history newest first).
pub fn file_dates(changes: &[Change]) -> std::collections::HashMap<&str, &str> {
    let mut dates = std::collections::HashMap::new();
    for c in changes {
        for f in &c.files {
            dates.entry(f.as_str()).or_insert(c.date.as_str());
        }
    }
    dates
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
