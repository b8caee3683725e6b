//! Where a build may write: plansite replaces only a folder it wrote itself (one holding its
//! [`MARKER`]), an empty one, or one that does not exist yet; never the site's sources, the
//! site root or a folder around it, a file, or someone else's folder.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The file every build writes into its output folder: its presence is what allows the next
/// build to replace the folder.
pub const MARKER: &str = ".plansite-output";

/// The marker's text (constant, so builds stay byte-identical).
pub const MARKER_TEXT: &str =
    "This folder is the output of `plansite build`, which replaces it whole on every build.\n";

/// Source folders of a site: output inside them would be read back as content.
const SOURCE_FOLDERS: &[&str] = &["content", "themes", "templates", "static", ".git"];

/// Why an output folder was refused.
#[derive(Debug, thiserror::Error)]
pub enum UnsafeOutput {
    /// A file (or anything but a folder) is in the way.
    #[error("`{0}` exists and is not a folder")]
    NotAFolder(PathBuf),
    /// A symbolic link would be replaced, not the folder it points to.
    #[error("`{0}` is a symbolic link")]
    Symlink(PathBuf),
    /// The output would replace the site itself.
    #[error("`{0}` is the site root")]
    IsRoot(PathBuf),
    /// The output would replace a folder holding the site.
    #[error("`{0}` contains the site root `{1}`")]
    ContainsRoot(PathBuf, PathBuf),
    /// The output would land among the sources.
    #[error("`{0}` is among the site's sources (`{1}/`)")]
    InsideSources(PathBuf, String),
    /// A non-empty folder that plansite did not write.
    #[error("`{0}` is not empty and was not written by plansite (it has no `{MARKER}` file)")]
    Foreign(PathBuf),
    /// The folder could not be inspected.
    #[error("cannot inspect `{0}`: {1}")]
    Io(PathBuf, io::Error),
}

impl UnsafeOutput {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            UnsafeOutput::Foreign(_) => {
                "choose an empty or new folder with --output; if it is an older plansite build, delete it once by hand"
            }
            UnsafeOutput::Io(..) => "check the path and its permissions",
            _ => {
                "choose a new folder outside the sources with --output (the default is ROOT/public)"
            }
        }
    }
}

/// An output folder that passed every check, as an absolute path.
#[derive(Debug, Clone)]
pub struct Destination {
    path: PathBuf,
}

impl Destination {
    /// Checks that `dest` may be (re)placed by a build of the site at `root`.
    pub fn choose(root: &Path, dest: &Path) -> Result<Destination, UnsafeOutput> {
        let io_err = |p: &Path, e| UnsafeOutput::Io(p.to_path_buf(), e);
        let root = root.canonicalize().map_err(|e| io_err(root, e))?;
        let path = resolve(dest).map_err(|e| io_err(dest, e))?;
        if path == root {
            return Err(UnsafeOutput::IsRoot(dest.to_path_buf()));
        }
        if root.starts_with(&path) {
            return Err(UnsafeOutput::ContainsRoot(dest.to_path_buf(), root));
        }
        for folder in SOURCE_FOLDERS {
            if path.starts_with(root.join(folder)) {
                return Err(UnsafeOutput::InsideSources(
                    dest.to_path_buf(),
                    (*folder).to_string(),
                ));
            }
        }
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(dest, e)),
            Ok(m) if m.file_type().is_symlink() => {
                return Err(UnsafeOutput::Symlink(dest.to_path_buf()));
            }
            Ok(m) if !m.is_dir() => return Err(UnsafeOutput::NotAFolder(dest.to_path_buf())),
            Ok(_) => {
                if !is_ours_or_empty(&path).map_err(|e| io_err(dest, e))? {
                    return Err(UnsafeOutput::Foreign(dest.to_path_buf()));
                }
            }
        }
        Ok(Destination { path })
    }

    /// The absolute path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Whether a folder holds the marker (plansite wrote it) or nothing at all.
pub(super) fn is_ours_or_empty(dir: &Path) -> io::Result<bool> {
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    Ok(std::fs::read_dir(dir)?.next().is_none())
}

/// The absolute form of `p` with `.` and `..` resolved and every existing ancestor's
/// symbolic links followed (the last component itself is not followed, so a link there is
/// seen as a link).
fn resolve(p: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(p)?;
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let Some(name) = clean.file_name().map(ToOwned::to_owned) else {
        return Ok(clean); // the filesystem root
    };
    let parent = clean.parent().map(Path::to_path_buf).unwrap_or_default();
    // Follow links in the existing part of the parent; keep the missing rest as written.
    let mut existing = parent.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => rest.push(n.to_owned()),
            None => break,
        }
        existing.pop();
    }
    let mut out = existing.canonicalize()?;
    out.extend(rest.iter().rev());
    out.push(name);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        for d in ["content/doc", "themes/default", "static"] {
            std::fs::create_dir_all(t.path().join(d)).unwrap();
        }
        std::fs::write(t.path().join("plansite.toml"), "").unwrap();
        t
    }

    fn refused(root: &Path, dest: &Path) -> String {
        match Destination::choose(root, dest) {
            Ok(d) => panic!("{} was accepted", d.path().display()),
            Err(e) => format!("{e:?}"),
        }
    }

    #[test]
    fn refuses_sources_root_and_its_ancestors() {
        let t = site();
        let root = t.path();
        assert!(refused(root, root).starts_with("IsRoot"));
        assert!(refused(root, &root.join("content")).starts_with("InsideSources"));
        assert!(refused(root, &root.join("content/doc/new")).starts_with("InsideSources"));
        assert!(refused(root, &root.join("themes")).starts_with("InsideSources"));
        assert!(refused(root, &root.join("static/x")).starts_with("InsideSources"));
        assert!(refused(root, root.parent().unwrap()).starts_with("ContainsRoot"));
        assert!(refused(root, &root.join("public/../content")).starts_with("InsideSources"));
    }

    #[test]
    fn refuses_files_links_and_foreign_folders() {
        let t = site();
        let root = t.path();
        std::fs::write(root.join("notes.txt"), "x").unwrap();
        assert!(refused(root, &root.join("notes.txt")).starts_with("NotAFolder"));
        std::fs::create_dir(root.join("mine")).unwrap();
        std::fs::write(root.join("mine/a.txt"), "x").unwrap();
        assert!(refused(root, &root.join("mine")).starts_with("Foreign"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("mine"), root.join("link")).unwrap();
            assert!(refused(root, &root.join("link")).starts_with("Symlink"));
        }
    }

    #[test]
    fn accepts_new_empty_and_marked_folders() {
        let t = site();
        let root = t.path();
        assert!(Destination::choose(root, &root.join("public")).is_ok());
        assert!(Destination::choose(root, &root.join("a/b/c")).is_ok());
        std::fs::create_dir(root.join("empty")).unwrap();
        assert!(Destination::choose(root, &root.join("empty")).is_ok());
        std::fs::create_dir(root.join("old")).unwrap();
        std::fs::write(root.join("old/index.html"), "x").unwrap();
        std::fs::write(root.join("old").join(MARKER), MARKER_TEXT).unwrap();
        let d = Destination::choose(root, &root.join("old")).unwrap();
        assert!(d.path().is_absolute());
    }
}
