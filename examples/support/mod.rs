//! What the timing examples share: the file they edit.

use std::path::{Path, PathBuf};

/// The first Japanese section file in path order: the file `serve_latency` and `rebuild` edit,
/// so their figures are about the same edit.
pub fn first_japanese_section(root: &Path) -> PathBuf {
    walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| p.to_string_lossy().ends_with(".ja.md"))
        .expect("a Japanese section file")
}
