//! The staging folder a build writes into, its swap into place (an atomic exchange of the two
//! folders on Linux), and the removal of staging folders left by builds that were killed.

use super::destination::{Destination, MARKER, MARKER_TEXT, is_ours_or_empty};
use crate::ground::lock;
use crate::render::{OutputFile, Sink};
use rustc_hash::FxHashSet as HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A staging folder next to the destination: files are written into it as they are rendered,
/// and [`Staging::commit`] swaps it into place. Dropped without a commit (a failed or
/// interrupted build), it deletes itself, leaving the previous output untouched.
pub struct Staging {
    dir: PathBuf,
    dest: PathBuf,
    committed: bool,
    cancel: Option<Arc<AtomicBool>>,
    cleaned: Vec<PathBuf>,
    /// Folders (relative) already created: most files share their folder with others, and
    /// `create_dir_all` costs a `mkdir` and a `stat` per call even when the folder exists.
    made: Mutex<HashSet<String>>,
}

impl Staging {
    /// Creates an empty staging folder (holding only the marker) for `dest`, after removing
    /// the staging folders of earlier builds whose process no longer runs.
    pub fn new(dest: &Destination, cancel: Option<Arc<AtomicBool>>) -> io::Result<Staging> {
        let dest = dest.path();
        let parent = dest.parent().unwrap_or(Path::new("/"));
        std::fs::create_dir_all(parent)?;
        let prefix = temp_prefix(dest);
        let cleaned = remove_leftovers(parent, &prefix);
        let dir = unique(parent, &format!("{prefix}new"));
        std::fs::create_dir(&dir)?;
        let staging = Staging {
            dir,
            dest: dest.to_path_buf(),
            committed: false,
            cancel,
            cleaned,
            made: Mutex::new(HashSet::default()),
        };
        std::fs::write(staging.dir.join(MARKER), MARKER_TEXT)?;
        Ok(staging)
    }

    /// Writes one file (callable from many threads at once); refused once cancelled.
    pub fn write(&self, file: &OutputFile) -> io::Result<()> {
        let path = self.prepare(&file.path)?;
        std::fs::write(path, &file.bytes)
    }

    /// Writes a piece of a file: `first` creates it, the others go on its end.
    pub fn write_piece(&self, path: &str, bytes: &[u8], first: bool) -> io::Result<()> {
        use std::io::Write;
        let path = self.prepare(path)?;
        let mut file = std::fs::OpenOptions::new()
            .create(first)
            .truncate(first)
            .append(!first)
            .write(true)
            .open(path)?;
        file.write_all(bytes)
    }

    /// Where `path` goes in the staging folder, its folder created; refused once cancelled or
    /// when the path could leave the folder.
    fn prepare(&self, rel: &str) -> io::Result<PathBuf> {
        if self.cancelled() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "build interrupted",
            ));
        }
        // Output paths come from IDs and slugs; refuse anything that could leave the folder.
        if rel.is_empty()
            || rel.starts_with('/')
            || rel.contains('\\')
            || rel.split('/').any(|seg| seg == ".." || seg == ".")
            || rel == MARKER
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe output path {rel}"),
            ));
        }
        if let Some((folder, _)) = rel.rsplit_once('/') {
            let known = lock(&self.made).contains(folder);
            if !known {
                std::fs::create_dir_all(self.dir.join(folder))?;
                lock(&self.made).insert(folder.to_string());
            }
        }
        Ok(self.dir.join(rel))
    }

    /// Whether the build was asked to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// Leftover staging folders removed when this one was created.
    pub fn cleaned(&self) -> &[PathBuf] {
        &self.cleaned
    }

    /// Swaps the staged site into place, then removes the previous one.
    pub fn commit(mut self) -> io::Result<()> {
        if self.cancelled() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "build interrupted",
            ));
        }
        let previous = swap_in(&self.dir, &self.dest)?;
        self.committed = true;
        if let Some(old) = previous {
            let _ = std::fs::remove_dir_all(old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// `.NAME.plansite-`: the start of every temporary folder name for destination `NAME`.
fn temp_prefix(dest: &Path) -> String {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    format!(".{name}.plansite-")
}

fn unique(parent: &Path, base: &str) -> PathBuf {
    let pid = std::process::id();
    (0..)
        .map(|n| parent.join(format!("{base}-{pid}-{n}")))
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| parent.join(base))
}

/// Removes `PREFIX{new,old}-PID-N` folders whose process is gone (a build killed with
/// SIGKILL, or a crash) and that hold the marker or nothing; returns what was removed.
fn remove_leftovers(parent: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let pid = leftover_pid(name.strip_prefix(prefix)?)?;
            let path = e.path();
            let stale = pid != std::process::id()
                && !process_runs(pid)
                && is_ours_or_empty(&path).unwrap_or(false);
            (stale && std::fs::remove_dir_all(&path).is_ok()).then_some(path)
        })
        .collect();
    removed.sort();
    removed
}

/// The PID in `new-PID-N` or `old-PID-N`.
fn leftover_pid(rest: &str) -> Option<u32> {
    let rest = rest
        .strip_prefix("new-")
        .or_else(|| rest.strip_prefix("old-"))?;
    let (pid, n) = rest.split_once('-')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

#[cfg(unix)]
fn process_runs(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // EPERM means it exists but belongs to someone else.
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

#[cfg(not(unix))]
fn process_runs(_pid: u32) -> bool {
    true // unknown: never remove
}

/// Puts `staging` at `dest`; returns where the previous site now is (to be removed).
fn swap_in(staging: &Path, dest: &Path) -> io::Result<Option<PathBuf>> {
    if std::fs::symlink_metadata(dest).is_err() {
        std::fs::rename(staging, dest)?;
        return Ok(None);
    }
    // One atomic step where the system has it: a reader never finds `dest` missing.
    if exchange(staging, dest).is_ok() {
        return Ok(Some(staging.to_path_buf()));
    }
    let parent = dest.parent().unwrap_or(Path::new("/"));
    let old = unique(parent, &format!("{}old", temp_prefix(dest)));
    std::fs::rename(dest, &old)?;
    if let Err(e) = std::fs::rename(staging, dest) {
        let _ = std::fs::rename(&old, dest);
        return Err(e);
    }
    Ok(Some(old))
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// A full build renders straight into the staging folder.
impl Sink<io::Error> for Staging {
    fn file(&self, file: OutputFile) -> io::Result<()> {
        self.write(&file)
    }

    fn piece(&self, path: &str, bytes: &[u8], first: bool) -> io::Result<()> {
        self.write_piece(path, bytes, first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, bytes: &[u8]) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: bytes.to_vec(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_previous_output_completely_and_marks_it() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = Destination::choose(tmp.path(), &tmp.path().join("public")).unwrap();
        super::super::write_site(&dest, &[file("a/index.html", b"1")]).unwrap();
        super::super::write_site(&dest, &[file("b.txt", b"2")]).unwrap();
        let out = tmp.path().join("public");
        assert!(!out.join("a/index.html").exists());
        assert_eq!(std::fs::read(out.join("b.txt")).unwrap(), b"2");
        assert_eq!(
            std::fs::read_to_string(out.join(MARKER)).unwrap(),
            MARKER_TEXT
        );
        assert_eq!(names(tmp.path()), ["public"]);
    }

    #[test]
    fn removes_leftovers_of_dead_processes_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dead = tmp.path().join(".public.plansite-new-999999999-0");
        let alive = tmp
            .path()
            .join(format!(".public.plansite-old-{}-0", std::process::id()));
        let foreign = tmp.path().join(".public.plansite-new-999999998-0");
        for d in [&dead, &alive, &foreign] {
            std::fs::create_dir(d).unwrap();
        }
        std::fs::write(dead.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::write(dead.join("page.html"), "x").unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
        let dest = Destination::choose(tmp.path(), &tmp.path().join("public")).unwrap();
        let s = Staging::new(&dest, None).unwrap();
        assert_eq!(s.cleaned(), std::slice::from_ref(&dead));
        assert!(!dead.exists() && alive.exists() && foreign.exists());
    }

    #[test]
    fn cancelled_staging_writes_nothing_and_disappears() {
        let tmp = tempfile::tempdir().unwrap();
        let flag = Arc::new(AtomicBool::new(false));
        let dest = Destination::choose(tmp.path(), &tmp.path().join("public")).unwrap();
        let s = Staging::new(&dest, Some(Arc::clone(&flag))).unwrap();
        s.write(&file("a.html", b"1")).unwrap();
        flag.store(true, Ordering::Relaxed);
        let e = s.write(&file("b.html", b"2")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::Interrupted);
        assert!(s.commit().is_err());
        assert!(names(tmp.path()).is_empty());
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = Destination::choose(tmp.path(), &tmp.path().join("public")).unwrap();
        let s = Staging::new(&dest, None).unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "", "a\\..\\x", MARKER] {
            assert!(s.write(&file(bad, b"x")).is_err(), "{bad}");
            assert!(s.write_piece(bad, b"x", true).is_err(), "{bad}");
        }
    }

    #[test]
    fn pieces_make_one_file_in_order_and_a_first_piece_starts_it_again() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = Destination::choose(tmp.path(), &tmp.path().join("public")).unwrap();
        let s = Staging::new(&dest, None).unwrap();
        for (bytes, first) in [
            (&b"old"[..], true),
            (b"<a>", true),
            (b"b", false),
            (b"</a>", false),
        ] {
            s.piece("ja/d/all/index.html", bytes, first).unwrap();
        }
        s.commit().unwrap();
        let page = tmp.path().join("public/ja/d/all/index.html");
        assert_eq!(std::fs::read(page).unwrap(), b"<a>b</a>");
    }
}
