//! Source files as read from disk, and byte-offset → line:col conversion.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

mod text;
pub use text::Text;

/// One text file of the site, decoded and normalised (BOM dropped, CRLF → LF).
///
/// Cloning is cheap (the text is shared): `serve` keeps unchanged files between rebuilds, and
/// its caches recognise them by pointer.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    /// The normalised text.
    pub text: Text,
    /// Byte offset of each line's start (`u32`: a 4 GiB file is not a plan document, and the
    /// table is kept for every file of a build).
    line_starts: Arc<Vec<u32>>,
    /// Byte offset of the first NUL the raw text had (each is replaced by U+FFFD: NUL is no
    /// text, and browsers and terminals treat it unpredictably).
    pub first_nul: Option<usize>,
}

impl SourceFile {
    /// Normalises raw text: strips a UTF-8 BOM and turns CRLF/CR into LF.
    pub fn new(path: impl Into<String>, raw: &str) -> SourceFile {
        SourceFile::from_string(path, raw.to_string())
    }

    /// Like [`SourceFile::new`], taking the text it was read into (no copy unless it has a BOM
    /// or carriage returns).
    pub fn from_string(path: impl Into<String>, mut text: String) -> SourceFile {
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        if text.contains('\r') {
            text = text.replace("\r\n", "\n").replace('\r', "\n");
        }
        let first_nul = memchr::memchr(0, text.as_bytes());
        if first_nul.is_some() {
            text = text.replace('\0', "\u{fffd}");
        }
        SourceFile::with_text(path.into(), Text::new(text), first_nul)
    }

    /// The file whose raw text is `range` of `buf`, a buffer other files' texts share (see
    /// [`Text`]); one that needs normalising gets a buffer of its own.
    pub fn from_shared(
        path: impl Into<String>,
        buf: &Arc<String>,
        range: std::ops::Range<usize>,
    ) -> SourceFile {
        let raw = buf.get(range.clone()).unwrap_or("");
        let clean =
            !raw.starts_with('\u{feff}') && memchr::memchr2(b'\r', 0, raw.as_bytes()).is_none();
        if !clean {
            return SourceFile::from_string(path, raw.to_string());
        }
        SourceFile::with_text(path.into(), Text::shared(buf, range), None)
    }

    fn with_text(path: String, text: Text, first_nul: Option<usize>) -> SourceFile {
        // Two SIMD passes (count, then positions) beat one scalar pass and a growing vector.
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes());
        let mut line_starts = Vec::with_capacity(1 + newlines.count());
        line_starts.push(0);
        line_starts.extend(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        SourceFile {
            path,
            text,
            line_starts: Arc::new(line_starts),
            first_nul,
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&s| s as usize <= offset)
            .max(1);
        let start = self.line_starts[line - 1] as usize;
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// The text of 1-based line `n`, without its newline.
    pub fn line(&self, n: usize) -> Option<&str> {
        let start = *self.line_starts.get(n.checked_sub(1)?)? as usize;
        let end = self
            .line_starts
            .get(n)
            .map_or(self.text.len(), |&e| e as usize - 1);
        self.text.get(start..end.max(start))
    }

    /// A span at a byte offset, `len` bytes long.
    pub fn span(&self, offset: usize, len: usize) -> Span {
        let (line, col) = self.line_col(offset);
        let end = (offset + len).min(self.text.len());
        let chars = self
            .text
            .get(offset..end)
            .map_or(0, |s| s.chars().take_while(|c| *c != '\n').count());
        Span::new(self.path.clone(), line, col).with_len(chars)
    }
}

/// A 1-based position in a source file; `col` counts characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    /// Length of the highlighted text in characters (at least 1 when shown).
    #[serde(skip_serializing_if = "is_zero")]
    pub len: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Span {
    /// A span at `line:col` of `file`.
    pub fn new(file: impl Into<String>, line: usize, col: usize) -> Span {
        Span {
            file: file.into(),
            line: line.max(1),
            col: col.max(1),
            len: 0,
        }
    }

    /// A span pointing at a whole file (line 1, column 1).
    pub fn file(file: impl Into<String>) -> Span {
        Span::new(file, 1, 1)
    }

    /// The same span with a highlighted length.
    pub fn with_len(mut self, len: usize) -> Span {
        self.len = len;
        self
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// All source files of a run, by path, for diagnostics excerpts.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: BTreeMap<String, SourceFile>,
    /// Files whose text was let go ([`SourceMap::release`]), with the FNV-1a hash of that text.
    released: BTreeMap<String, u64>,
}

impl SourceMap {
    /// Adds (or replaces) a file.
    pub fn insert(&mut self, file: SourceFile) {
        self.released.remove(&file.path);
        self.files.insert(file.path.clone(), file);
    }

    /// Lets go of the texts of the files at `paths`, keeping a hash of each: a build does this
    /// to its section files after the check, and its render stage reads each file again when
    /// it renders the section (at 50,000 items these texts were a fifth of the build's peak
    /// memory). [`SourceMap::released`] then tells the text that was checked.
    pub fn release<'a>(&mut self, paths: impl IntoIterator<Item = &'a str>) {
        use rayon::prelude::*;
        let files: Vec<SourceFile> = (paths.into_iter())
            .filter_map(|p| self.files.remove(p))
            .collect();
        let hashed: Vec<(String, u64)> = files
            .into_par_iter()
            .map(|f| {
                let hash = fnv1a(f.text.as_bytes());
                (f.path, hash)
            })
            .collect();
        self.released.extend(hashed);
    }

    /// The hash of the text a released file had ([`SourceMap::release`]).
    pub fn released(&self, path: &str) -> Option<u64> {
        self.released.get(path).copied()
    }

    /// Moves every file of `other` into this map.
    pub fn extend(&mut self, mut other: SourceMap) {
        // One search per file of the smaller map (merging two trees costs both their sizes,
        // and a document's thousands of files often join a map of one).
        self.released.extend(other.released);
        if other.files.len() <= self.files.len() {
            self.files.extend(other.files);
        } else {
            std::mem::swap(&mut self.files, &mut other.files);
            for (path, file) in other.files {
                // `other`'s file wins, as with `insert`.
                self.files.entry(path).or_insert(file);
            }
        }
    }

    /// Looks a file up by its site-relative path.
    pub fn get(&self, path: &str) -> Option<&SourceFile> {
        self.files.get(path)
    }

    /// Every file, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.values()
    }

    /// Every file's site-relative path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// Whether two shared texts are equal; a file the loader kept between `serve` rebuilds is the
/// same allocation, which is the common case and needs no comparison.
pub fn same_text(a: &Text, b: &Text) -> bool {
    a.is_same(b) || a == b
}

/// FNV-1a 64-bit hash of `bytes`: stable across platforms and releases.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// FNV-1a 64-bit hash as 16 hex digits of what a text means, used for translation freshness
/// (`translated_from`). Only what cannot change the rendered text is normalised: line endings
/// (`\r\n`, `\r` → `\n`), blank lines before the first line and after the last, and
/// whitespace at the end of each line — except that two or more trailing spaces (a Markdown
/// hard line break) stay as exactly two. Leading whitespace is kept: indentation changes
/// meaning (a code block, a list's nesting).
pub fn content_hash(text: &str) -> String {
    // Loaded text is normalised already: copy only text that still has carriage returns.
    let text: std::borrow::Cow<'_, str> = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    };
    let mut normal = String::with_capacity(text.len());
    for line in text.split('\n') {
        let trimmed = line.trim_end();
        let spaces = line.len() - line.trim_end_matches(' ').len();
        normal.push_str(trimmed);
        if spaces >= 2 && !trimmed.is_empty() {
            normal.push_str("  ");
        }
        normal.push('\n');
    }
    let body = normal.trim_end().trim_start_matches('\n');
    format!("{:016x}", fnv1a(body.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_one_buffer_share_it_and_a_file_to_normalise_gets_its_own() {
        let buf = Arc::new("一\nb\r\nc".to_string());
        let a = SourceFile::from_shared("a.md", &buf, 0..4);
        let b = SourceFile::from_shared("b.md", &buf, 4..buf.len());
        assert_eq!((&*a.text, &*b.text), ("一\n", "b\nc"));
        assert!(Arc::ptr_eq(&a.text.buf, &buf));
        assert!(
            !Arc::ptr_eq(&b.text.buf, &buf),
            "normalised into a buffer of its own"
        );
        assert!(a.text.is_same(&a.clone().text) && !a.text.is_same(&b.text));
        assert_eq!(a.line(1), Some("一"));
        // A range that cuts a character is no text, not a panic.
        assert_eq!(&*Text::shared(&buf, 1..4), "");
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("a.md", "一行目\n政府機関 X\n");
        let off = f.text.find('X').unwrap();
        assert_eq!(f.line_col(off), (2, 6));
        assert_eq!(f.line(2), Some("政府機関 X"));
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let f = SourceFile::new("a.md", "\u{feff}a\r\nb\rc");
        assert_eq!(&*f.text, "a\nb\nc");
        assert_eq!(f.line(3), Some("c"));
    }

    #[test]
    fn nul_bytes_become_replacement_characters() {
        let f = SourceFile::new("a.md", "ab\r\nc\0d\0");
        assert_eq!(&*f.text, "ab\nc\u{fffd}d\u{fffd}");
        assert_eq!(f.first_nul.map(|o| f.line_col(o)), Some((2, 2)));
        assert_eq!(SourceFile::new("b.md", "x").first_nul, None);
    }

    #[test]
    fn hash_is_stable_and_ignores_surrounding_whitespace() {
        assert_eq!(content_hash("abc"), content_hash("\nabc\n"));
        assert_eq!(content_hash(""), "cbf29ce484222325");
        assert_ne!(content_hash("年"), content_hash("年度"));
    }

    #[test]
    fn hash_sees_indentation_but_not_trailing_whitespace_or_line_endings() {
        // Indentation changes meaning: an indented code block, a nested list item.
        assert_ne!(content_hash("    code"), content_hash("code"));
        assert_ne!(content_hash("- a\n- b"), content_hash("- a\n  - b"));
        assert_ne!(
            content_hash("本文\n\n    本文"),
            content_hash("本文\n\n本文")
        );
        // Trailing whitespace and line endings do not.
        assert_eq!(content_hash("a \nb\t\n"), content_hash("a\r\nb"));
        assert_eq!(content_hash("\n\n a"), content_hash(" a\n\n"));
        // A hard line break (two or more trailing spaces) is meaning, however many spaces.
        assert_ne!(content_hash("a  \nb"), content_hash("a\nb"));
        assert_eq!(content_hash("a   \nb"), content_hash("a  \nb"));
    }
}
