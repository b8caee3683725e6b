//! The Japanese text a translation was made from, found again in git history by its hash
//! (`translated_from`), so a stale translation can point at the Japanese line that changed.
//! Outside a git checkout, without git, or when no recent version has that hash, there is none.
//! Lookups are cached for the life of the process (a dev server asks again on every rebuild).

use crate::ground::lock;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

/// How many commits of the file's history are searched.
const DEPTH: usize = 30;

type Key = (PathBuf, String, String);

fn cache() -> &'static Mutex<HashMap<Key, Option<Arc<String>>>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Option<Arc<String>>>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env("GIT_PAGER", "cat")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The body (after the front matter, LF line endings) of the latest committed version of
/// `file` (site-relative) whose translation hash is `hash`.
pub fn body_with_hash(root: &Path, file: &str, hash: &str) -> Option<Arc<String>> {
    let key = (root.to_path_buf(), file.to_string(), hash.to_string());
    if let Some(hit) = lock(cache()).get(&key) {
        return hit.clone();
    }
    let found = search(root, file, hash).map(Arc::new);
    lock(cache()).insert(key, found.clone());
    found
}

fn search(root: &Path, file: &str, hash: &str) -> Option<String> {
    let log = git(
        root,
        &["log", &format!("-{DEPTH}"), "--format=%H", "--", file],
    )?;
    for commit in log.lines().filter(|l| !l.is_empty()) {
        let Some(text) = git(root, &["show", &format!("{commit}:./{file}")]) else {
            continue;
        };
        let f = crate::source::SourceFile::new(file, &text);
        let Ok(split) = super::frontmatter::split(&f.text) else {
            continue;
        };
        let body = &f.text[split.body_offset..];
        if crate::source::content_hash(body) == hash {
            return Some(body.to_string());
        }
    }
    None
}

/// The 0-based index of the first line of `new` that differs from `old` (clamped to the last
/// line of `new`).
pub fn first_changed_line(old: &str, new: &str) -> usize {
    let (o, n): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let i = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    i.min(n.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_changed_line_finds_the_edit() {
        assert_eq!(first_changed_line("a\nb\nc\n", "a\nB\nc\n"), 1);
        assert_eq!(first_changed_line("a\nb\n", "a\nb\nc\n"), 2);
        assert_eq!(first_changed_line("a\nb\nc\n", "a\nb\n"), 1);
        assert_eq!(first_changed_line("", "x\n"), 0);
    }

    #[test]
    fn outside_git_there_is_no_previous_text() {
        let dir = std::env::temp_dir();
        assert!(body_with_hash(&dir, "content/none.ja.md", "0000").is_none());
    }
}
