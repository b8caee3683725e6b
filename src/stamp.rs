//! `plansite hash`: the translation hash of a Japanese section file, and `--write`, which
//! stamps it into the translation's `translated_from` (the write itself goes through
//! [`crate::output`]). A translation file's own hash is refused: it is never what
//! `translated_from` records.

use std::path::{Path, PathBuf};

/// Why the command cannot do what was asked (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum StampError {
    /// Reading or writing a file failed.
    #[error("cannot {0} {1}: {2}")]
    Io(&'static str, PathBuf, std::io::Error),
    /// The file has no usable front matter.
    #[error("{0}: {1}")]
    FrontMatter(PathBuf, crate::load::frontmatter::FrontMatterError),
    /// A translation file was given without `--write`.
    #[error(
        "{0} is not a Japanese section file: `translated_from` records the hash of the Japanese \
         text. Run `plansite hash {1}`, or `plansite hash --write {0}` to stamp it"
    )]
    Translation(String, String),
    /// `--write` on a Japanese file with no translation next to it.
    #[error("{0} has no translation file next to it to stamp")]
    NoTranslation(String),
}

/// The language of a section file name: `010-x.en.md` → `en`.
fn file_lang(file: &Path) -> Option<&str> {
    let name = file.file_name()?.to_str()?.strip_suffix(".md")?;
    name.rsplit_once('.').map(|(_, l)| l)
}

/// The translation hash of a section file's body.
fn body_hash(file: &Path) -> Result<String, StampError> {
    let text = std::fs::read_to_string(file).map_err(|e| StampError::Io("read", file.into(), e))?;
    let f = crate::source::SourceFile::new(file.display().to_string(), &text);
    let split = crate::load::frontmatter::split(&f.text)
        .map_err(|e| StampError::FrontMatter(file.into(), e))?;
    Ok(crate::source::content_hash(&f.text[split.body_offset..]))
}

/// Sets `translated_from` in a translation file (keeping CRLF line endings if it has them).
fn stamp(translation: &Path, hash: &str) -> Result<String, StampError> {
    let raw = std::fs::read_to_string(translation)
        .map_err(|e| StampError::Io("read", translation.into(), e))?;
    let f = crate::source::SourceFile::new(translation.display().to_string(), &raw);
    let mut text = crate::load::frontmatter::set_field(&f.text, "translated_from", hash)
        .map_err(|e| StampError::FrontMatter(translation.into(), e))?;
    if raw.contains("\r\n") {
        text = text.replace('\n', "\r\n");
    }
    crate::output::replace_file(translation, text.as_bytes())
        .map_err(|e| StampError::Io("write", translation.into(), e))?;
    Ok(format!(
        "{}: translated_from: {hash}",
        translation.display()
    ))
}

/// The translations next to a Japanese file: `NAME.<lang>.md` for `NAME.ja.md`, sorted.
fn translations_of(ja: &Path) -> Result<Vec<PathBuf>, StampError> {
    let name = ja.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = name.strip_suffix(".ja.md").unwrap_or(name);
    let dir = match ja.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let entries = std::fs::read_dir(dir).map_err(|e| StampError::Io("read", dir.into(), e))?;
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n != name
                && n.strip_prefix(stem)
                    .and_then(|r| r.strip_prefix('.'))
                    .and_then(|r| r.strip_suffix(".md"))
                    .is_some_and(|l| !l.is_empty() && !l.contains('.'))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// `plansite hash [--write] FILE`: the lines to print.
pub fn run(file: &Path, write: bool) -> Result<Vec<String>, StampError> {
    let lang = file_lang(file).unwrap_or_default();
    if lang != "ja" {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ja = file.with_file_name(name.replace(&format!(".{lang}.md"), ".ja.md"));
        if !write {
            return Err(StampError::Translation(
                file.display().to_string(),
                ja.display().to_string(),
            ));
        }
        return Ok(vec![stamp(file, &body_hash(&ja)?)?]);
    }
    let hash = body_hash(file)?;
    if !write {
        return Ok(vec![hash]);
    }
    let targets = translations_of(file)?;
    if targets.is_empty() {
        return Err(StampError::NoTranslation(file.display().to_string()));
    }
    targets.iter().map(|t| stamp(t, &hash)).collect()
}
