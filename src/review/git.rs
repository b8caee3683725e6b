//! Git access for `plansite diff`: finds the repository of a site root, resolves revisions, and
//! exports the site files of a revision (`plansite.toml` and `content/`) into a temporary folder
//! straight from the object database (`git ls-tree` + `git cat-file --batch`), so the working
//! tree and the index are never touched.

use super::ReviewError;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository holding a site root.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The top of the working tree (`git rev-parse --show-toplevel`).
    pub top: PathBuf,
    /// The site root relative to `top`, `/`-separated, without a trailing slash (`""` = top).
    pub prefix: String,
}

/// A folder under the system temp dir, deleted when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates a new, empty, uniquely named folder.
    pub fn new() -> std::io::Result<TempDir> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "plansite-diff-{}-{nanos:x}-{n}",
            std::process::id()
        ));
        std::fs::create_dir(&path)?;
        Ok(TempDir(path))
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir);
    // Never let a pager, a prompt or the user's locale change what we parse.
    cmd.env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C");
    cmd
}

fn output(mut cmd: Command) -> Result<(bool, String, String), ReviewError> {
    let out = cmd.stdin(Stdio::null()).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            ReviewError::Usage("`git` is not installed or not on PATH".into())
        } else {
            ReviewError::Io(format!("cannot run git: {e}"))
        }
    })?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).trim_end().to_string(),
        String::from_utf8_lossy(&out.stderr).trim().to_string(),
    ))
}

impl Repo {
    /// The repository that holds `root` (which must be a folder inside a git working tree).
    pub fn discover(root: &Path) -> Result<Repo, ReviewError> {
        if !root.is_dir() {
            return Err(ReviewError::Usage(format!(
                "site root `{}` is not a folder",
                root.display()
            )));
        }
        let mut cmd = git(root);
        cmd.args(["rev-parse", "--show-toplevel", "--show-prefix"]);
        let (ok, out, err) = output(cmd)?;
        if !ok {
            return Err(ReviewError::Usage(format!(
                "`{}` is not inside a git repository ({})",
                root.display(),
                err.lines().next().unwrap_or("git rev-parse failed")
            )));
        }
        let mut lines = out.lines();
        let top = PathBuf::from(lines.next().unwrap_or_default());
        let prefix = lines.next().unwrap_or("").trim_end_matches('/').to_string();
        Ok(Repo { top, prefix })
    }

    /// The full commit ID a revision names; a usage error when it names none.
    pub fn resolve(&self, rev: &str) -> Result<String, ReviewError> {
        if rev.starts_with('-') || rev.is_empty() {
            return Err(ReviewError::Usage(format!("invalid revision `{rev}`")));
        }
        let mut cmd = git(&self.top);
        cmd.args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
            .arg(format!("{rev}^{{commit}}"));
        let (ok, out, _) = output(cmd)?;
        if !ok || out.is_empty() {
            return Err(ReviewError::Usage(format!(
                "unknown revision `{rev}` in {} (for a pull request, fetch the base branch: \
                 `git fetch origin <branch>`, or check out with fetch-depth 0)",
                self.top.display()
            )));
        }
        Ok(out)
    }

    /// A path relative to the repository top for a site-relative path.
    pub fn repo_path(&self, site_rel: &str) -> String {
        if self.prefix.is_empty() {
            site_rel.to_string()
        } else {
            format!("{}/{site_rel}", self.prefix)
        }
    }

    /// Writes the site files of `commit` (`plansite.toml` and `content/`) into `dest`, laid out
    /// as the site root. Returns whether the revision has a `plansite.toml` there.
    pub fn export(&self, commit: &str, dest: &Path) -> Result<bool, ReviewError> {
        let specs = [self.repo_path("plansite.toml"), self.repo_path("content")];
        let mut cmd = git(&self.top);
        cmd.args(["ls-tree", "-r", "-z", "--full-tree", commit, "--"])
            .args(&specs);
        let (ok, listing, err) = output(cmd)?;
        if !ok {
            return Err(ReviewError::Io(format!("git ls-tree {commit}: {err}")));
        }
        // `<mode> SP <type> SP <object> TAB <path>` entries, NUL-terminated; regular files only.
        let mut blobs: Vec<(String, String)> = Vec::new();
        for entry in listing.split('\0').filter(|e| !e.is_empty()) {
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut parts = meta.split(' ');
            let (mode, kind, oid) = (parts.next(), parts.next(), parts.next());
            if kind != Some("blob") || !matches!(mode, Some("100644" | "100755")) {
                continue;
            }
            let rel = if self.prefix.is_empty() {
                path
            } else {
                match path.strip_prefix(&format!("{}/", self.prefix)) {
                    Some(r) => r,
                    None => continue,
                }
            };
            if rel.split('/').any(|seg| seg == ".." || seg.is_empty()) {
                continue;
            }
            blobs.push((oid.unwrap_or_default().to_string(), rel.to_string()));
        }
        let has_config = blobs.iter().any(|(_, p)| p == "plansite.toml");
        self.write_blobs(&blobs, dest)?;
        Ok(has_config)
    }

    /// Streams blobs through one `git cat-file --batch` and writes them under `dest`.
    fn write_blobs(&self, blobs: &[(String, String)], dest: &Path) -> Result<(), ReviewError> {
        if blobs.is_empty() {
            return Ok(());
        }
        let io = |e: std::io::Error| ReviewError::Io(format!("git cat-file: {e}"));
        let mut cmd = git(&self.top);
        cmd.args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().map_err(io)?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| io(std::io::Error::other("no stdin")))?;
        let requests: String = blobs.iter().map(|(oid, _)| format!("{oid}\n")).collect();
        // A writer thread, so a full stdout pipe can never deadlock against a full stdin pipe.
        let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io(std::io::Error::other("no stdout")))?;
        let mut reader = BufReader::new(stdout);
        let mut header = String::new();
        for (oid, rel) in blobs {
            header.clear();
            reader.read_line(&mut header).map_err(io)?;
            let size: usize = match header.trim_end().split(' ').collect::<Vec<_>>()[..] {
                [_, "blob", size] => size.parse().unwrap_or(0),
                _ => {
                    return Err(ReviewError::Io(format!(
                        "git cat-file: unexpected reply for {oid}: {}",
                        header.trim_end()
                    )));
                }
            };
            let mut data = vec![0; size + 1]; // the blob and its trailing LF
            reader.read_exact(&mut data).map_err(io)?;
            data.pop();
            let path = dest.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            std::fs::write(&path, &data).map_err(io)?;
        }
        writer
            .join()
            .map_err(|_| io(std::io::Error::other("writer thread panicked")))?
            .map_err(io)?;
        child.wait().map_err(io)?;
        Ok(())
    }
}
