//! Reading one source file: size limit, UTF-8 check, normalisation (see [`SourceFile`]).

use super::guard::Guard;
use crate::diagnostic::{Diagnostic, Span};
use crate::source::SourceFile;
use std::path::Path;

/// Reads a file as UTF-8 text, reporting I/O and encoding problems, and a file larger than
/// `max_bytes`, as diagnostics.
pub fn read_source(root: &Path, rel: &str, max_bytes: u64) -> Result<SourceFile, Diagnostic> {
    let file = std::fs::File::open(root.join(rel)).map_err(|e| cannot(rel, e))?;
    let bytes = read_capped(file, max_bytes).map_err(|e| cannot(rel, e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(over_limit(root, rel, bytes.len(), max_bytes));
    }
    match utf8(bytes) {
        Ok(text) => Ok(SourceFile::from_string(rel, text)),
        Err(bytes) => Err(not_utf8(rel, &bytes)),
    }
}

/// Reads the files at `rels` one after another into one buffer that their texts share (see
/// [`crate::source::Text`]), each with the finding [`read_source`] gives when it cannot be
/// read. The buffer keeps no slack.
pub fn read_batch(
    root: &Path,
    rels: &[&str],
    max_bytes: u64,
) -> Vec<Result<SourceFile, Diagnostic>> {
    use std::io::Read;
    let mut buf: Vec<u8> = Vec::with_capacity(rels.len() * 4096);
    let mut ranges = Vec::with_capacity(rels.len());
    for rel in rels {
        let start = buf.len();
        let read = std::fs::File::open(root.join(rel))
            .and_then(|f| f.take(max_bytes + 1).read_to_end(&mut buf));
        let range = match read {
            Err(e) => Err(cannot(rel, e)),
            Ok(n) if n as u64 > max_bytes => Err(over_limit(root, rel, n, max_bytes)),
            Ok(_) if simdutf8::basic::from_utf8(&buf[start..]).is_err() => {
                Err(not_utf8(rel, &buf[start..]))
            }
            Ok(_) => Ok(start..buf.len()),
        };
        if range.is_err() {
            buf.truncate(start);
        }
        ranges.push(range);
    }
    buf.shrink_to_fit();
    // Every range kept is UTF-8, so the buffer, their concatenation, is too.
    let buf = std::sync::Arc::new(utf8(buf).unwrap_or_default());
    (rels.iter().zip(ranges))
        .map(|(rel, range)| range.map(|r| SourceFile::from_shared(*rel, &buf, r)))
        .collect()
}

/// `bytes` as text when they are UTF-8. SIMD validation: the standard check is slow on
/// Japanese text.
fn utf8(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(bytes);
    }
    // SAFETY: just validated as UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

fn cannot(rel: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("LD001", format!("cannot read file: {e}")).at(Span::file(rel))
}

/// LD012 for a file of which `read` bytes were read; it names the size on disk (not the bytes
/// read) when that can still be had.
fn over_limit(root: &Path, rel: &str, read: usize, max_bytes: u64) -> Diagnostic {
    let size = std::fs::metadata(root.join(rel)).map_or(0, |m| m.len());
    too_large(rel, size.max(read as u64), max_bytes)
}

/// LD001 at the first byte of `bytes` that is not UTF-8 (the standard check says where).
fn not_utf8(rel: &str, bytes: &[u8]) -> Diagnostic {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => bytes,
        Err(e) => &bytes[..e.valid_up_to()],
    };
    let text = String::from_utf8_lossy(valid);
    let line = text.matches('\n').count() + 1;
    let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Diagnostic::error("LD001", "file is not valid UTF-8")
        .at(Span::new(rel, line, col))
        .hint("save the file as UTF-8 (plansite reads no other encoding)")
}

/// Reads again a file whose text the build let go of after its check
/// ([`crate::source::SourceMap::release`]), through the same guard as the first read, and
/// confirms it is the text that was checked (`hash`): a page must never show text the check
/// did not see, nor anything a link swapped in since points to.
pub fn read_again(
    guard: &Guard,
    rel: &str,
    max_bytes: u64,
    hash: u64,
) -> Result<SourceFile, Diagnostic> {
    let changed = || {
        Diagnostic::error("LD013", "file changed while the site was being built")
            .at(Span::file(rel))
            .hint("build again: the pages must show the text that was checked")
    };
    guard.check(&guard.root().join(rel))?;
    let file = read_source(guard.root(), rel, max_bytes).map_err(|_| changed())?;
    if crate::source::fnv1a(file.text.as_bytes()) != hash {
        return Err(changed());
    }
    Ok(file)
}

/// The scratch buffer a thread keeps for reading: section files are a few KiB.
const SCRATCH: usize = 64 * 1024;

thread_local! {
    static READ_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The bytes of `file`, at most one past `max_bytes` (so a file over the limit, or growing
/// past it, is caught). Read through a per-thread buffer, then copied at their exact size:
/// no `fstat` for the size (one system call fewer per file) and no slack kept per file.
fn read_capped(file: std::fs::File, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    READ_BUF.with_borrow_mut(|buf| {
        buf.clear();
        buf.reserve(SCRATCH);
        let read = file.take(max_bytes + 1).read_to_end(buf);
        let bytes = buf.as_slice().to_vec();
        if buf.capacity() > SCRATCH {
            // A large file (items.yaml): its buffer is not kept.
            *buf = Vec::new();
        }
        read.map(|_| bytes)
    })
}

fn too_large(rel: &str, size: u64, max: u64) -> Diagnostic {
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    Diagnostic::error(
        "LD012",
        format!(
            "file is {:.1} MiB, over the limit of {:.1} MiB",
            mib(size),
            mib(max)
        ),
    )
    .at(Span::file(rel))
    .hint("split it into several section files, or raise `max_file_mib` in plansite.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each file of a batch is what reading it alone gives: the same text, or the same finding,
    /// whatever comes before or after it in the buffer.
    #[test]
    fn a_batch_reads_each_file_as_reading_it_alone_would() {
        let dir = tempfile::tempdir().unwrap();
        let files: [(&str, &[u8]); 7] = [
            ("a.md", "一行目\n二行目\n".as_bytes()),
            ("bom.md", b"\xEF\xBB\xBFbom\r\nline"),
            ("bad.md", b"ok\n\xFF\xFE"),
            ("big.md", &[b'x'; 40]),
            ("nul.md", b"a\0b"),
            ("empty.md", b""),
            ("z.md", "最後\n".as_bytes()),
        ];
        for (name, bytes) in files {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let mut rels: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
        rels.insert(3, "missing.md");
        let batch = read_batch(dir.path(), &rels, 32);
        assert_eq!(batch.len(), rels.len());
        for (rel, got) in rels.iter().zip(batch) {
            let alone = read_source(dir.path(), rel, 32);
            match (got, alone) {
                (Ok(g), Ok(a)) => {
                    assert_eq!(g.text, a.text, "{rel}");
                    assert_eq!(g.first_nul, a.first_nul, "{rel}");
                    assert_eq!(g.line(2), a.line(2), "{rel}");
                }
                (Err(g), Err(a)) => assert_eq!(g, a, "{rel}"),
                (g, a) => panic!("{rel}: batch {g:?}, alone {a:?}"),
            }
        }
        let texts: Vec<String> = read_batch(dir.path(), &["a.md", "z.md"], 32)
            .into_iter()
            .map(|f| f.unwrap().text.to_string())
            .collect();
        assert_eq!(texts, ["一行目\n二行目\n", "最後\n"]);
    }
}
