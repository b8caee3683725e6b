//! The editors' changelog, `content/changes.yaml`: what changed for readers, written in each
//! language, shown on the home page and as an Atom feed per language. Git may date a change
//! but never supplies its words (commit subjects are for developers).

use super::yaml;
use crate::diagnostic::{Diagnostic, Span};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Where the changelog lives, relative to the site root.
pub const FILE: &str = "content/changes.yaml";

/// One entry of the changelog.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// ISO date `YYYY-MM-DD`.
    pub date: String,
    /// The change, per language.
    pub text: BTreeMap<String, String>,
}

/// Reads the changelog, newest first; none when the file does not exist.
pub fn load(root: &Path, max_bytes: u64) -> (Vec<Entry>, Vec<Diagnostic>) {
    let path = root.join(FILE);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return (Vec::new(), Vec::new());
    };
    if !meta.is_file() || meta.len() > max_bytes {
        let d = Diagnostic::error(
            "LD012",
            "the changelog is not a regular file of a sane size",
        )
        .at(Span::file(FILE))
        .hint("make content/changes.yaml a plain YAML file");
        return (Vec::new(), vec![d]);
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::error("LD001", format!("cannot read the changelog: {e}"))
                .at(Span::file(FILE));
            return (Vec::new(), vec![d]);
        }
    };
    match yaml::parse::<Vec<Entry>>(&text, FILE, 0) {
        Ok(mut entries) => {
            let mut diags = Vec::new();
            entries.retain(|e| {
                let ok = crate::dates::Date::parse(&e.date).is_some();
                if !ok {
                    diags.push(
                        Diagnostic::error("LD006", format!("`date: {}` is not a date", e.date))
                            .at(Span::file(FILE))
                            .hint("write dates as YYYY-MM-DD"),
                    );
                }
                ok
            });
            // Newest first; entries of one day keep their written order.
            entries.sort_by(|a, b| b.date.cmp(&a.date));
            (entries, diags)
        }
        Err(d) => (Vec::new(), vec![d]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_load_newest_first_and_bad_dates_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path(), 1 << 20).0.is_empty());
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "- date: 2026-01-02\n  text: { ja: 古い, en: old }\n- date: 2026-03-04\n  text: { ja: 新しい, en: new }\n- date: 2026-13-40\n  text: { ja: x }\n",
        )
        .unwrap();
        let (entries, diags) = load(dir.path(), 1 << 20);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].text["en"], "new");
        assert_eq!(diags.len(), 1, "{diags:?}");
    }
}
