//! Output stage — the only code that writes the site: everything goes to a fresh temporary
//! directory next to the destination, which is swapped into place only when complete, so a
//! failed build never leaves a half-written site.

use crate::render::OutputFile;
use std::io;
use std::path::{Path, PathBuf};

/// Writes `files` to `dest` atomically (as far as the filesystem allows: two renames).
pub fn write_site(dest: &Path, files: &[OutputFile]) -> io::Result<()> {
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = unique(parent, &format!(".{name}.plansite-new"));
    let result = (|| {
        std::fs::create_dir_all(&staging)?;
        for f in files {
            let path = staging.join(&f.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, &f.bytes)?;
        }
        swap_in(&staging, dest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
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
