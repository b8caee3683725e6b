//! Output stage — the only code that writes the site: everything goes to a fresh temporary
//! directory next to the destination, which is swapped into place only when complete, so a
//! failed build never leaves a half-written site.

use crate::render::OutputFile;
use std::io;
use std::path::{Path, PathBuf};

/// A staging folder next to the destination: files are written into it as they are rendered,
/// and [`Staging::commit`] swaps it into place. Dropped without a commit, it deletes itself,
/// leaving the previous output untouched.
pub struct Staging {
    dir: PathBuf,
    dest: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder for `dest`.
    pub fn new(dest: &Path) -> io::Result<Staging> {
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = unique(parent, &format!(".{name}.plansite-new"));
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            dest: dest.to_path_buf(),
            committed: false,
        })
    }

    /// Writes one file (callable from many threads at once).
    pub fn write(&self, file: &OutputFile) -> io::Result<()> {
        // Output paths come from IDs and slugs; refuse anything that could leave the folder.
        if file.path.starts_with('/') || file.path.split('/').any(|seg| seg == "..") {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe output path {}", file.path),
            ));
        }
        let path = self.dir.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, &file.bytes)
    }

    /// Swaps the staged site into place.
    pub fn commit(mut self) -> io::Result<()> {
        swap_in(&self.dir, &self.dest)?;
        self.committed = true;
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

/// Writes `files` to `dest` atomically (as far as the filesystem allows: two renames).
pub fn write_site(dest: &Path, files: &[OutputFile]) -> io::Result<()> {
    let staging = Staging::new(dest)?;
    for f in files {
        staging.write(f)?;
    }
    staging.commit()
}

fn unique(parent: &Path, base: &str) -> PathBuf {
    let pid = std::process::id();
    let mut n = 0;
    loop {
        let p = parent.join(format!("{base}-{pid}-{n}"));
        if !p.exists() {
            return p;
        }
        n += 1;
    }
}

fn swap_in(staging: &Path, dest: &Path) -> io::Result<()> {
    if dest.exists() {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = unique(
            dest.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
            &format!(".{name}.plansite-old"),
        );
        std::fs::rename(dest, &old)?;
        if let Err(e) = std::fs::rename(staging, dest) {
            let _ = std::fs::rename(&old, dest);
            return Err(e);
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    } else {
        std::fs::rename(staging, dest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_previous_output_completely() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("public");
        write_site(
            &dest,
            &[OutputFile {
                path: "a/index.html".into(),
                bytes: b"1".to_vec(),
            }],
        )
        .unwrap();
        write_site(
            &dest,
            &[OutputFile {
                path: "b.txt".into(),
                bytes: b"2".to_vec(),
            }],
        )
        .unwrap();
        assert!(!dest.join("a/index.html").exists());
        assert_eq!(std::fs::read(dest.join("b.txt")).unwrap(), b"2");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
