//! Reading one source file: size limit, UTF-8 check, normalisation (see [`SourceFile`]).

use super::guard::Guard;
use crate::diagnostic::{Diagnostic, Span};
use crate::source::SourceFile;
use std::path::Path;

/// Reads a file as UTF-8 text, reporting I/O and encoding problems, and a file larger than
/// `max_bytes`, as diagnostics.
pub fn read_source(root: &Path, rel: &str, max_bytes: u64) -> Result<SourceFile, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::error("LD001", format!("cannot read file: {e}")).at(Span::file(rel))
    };
    let file = std::fs::File::open(root.join(rel)).map_err(cannot)?;
    let bytes = read_capped(file, max_bytes).map_err(cannot)?;
    if bytes.len() as u64 > max_bytes {
        // The finding names the size on disk (not the bytes read) when it can still be had.
        let size = std::fs::metadata(root.join(rel)).map_or(0, |m| m.len());
        return Err(too_large(rel, size.max(bytes.len() as u64), max_bytes));
    }
    // SIMD validation first (Japanese text is slow for the standard check); the standard one
    // only runs on invalid files, to say where the problem is.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: just validated as UTF-8.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return Ok(SourceFile::from_string(rel, text));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::from_string(rel, text)),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let line = text.matches('\n').count() + 1;
            let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Diagnostic::error("LD001", "file is not valid UTF-8")
                .at(Span::new(rel, line, col))
                .hint("save the file as UTF-8 (plansite reads no other encoding)"))
        }
    }
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
