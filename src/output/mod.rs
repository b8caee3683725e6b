//! Output stage — the only code that writes the site. Everything goes to a fresh staging
//! folder next to the destination, which replaces the destination only when complete, so a
//! failed or interrupted build never leaves a half-written site; and only a folder that
//! plansite wrote itself is ever replaced ([`Destination`]).

mod destination;
mod staging;

pub use destination::{Destination, MARKER, MARKER_TEXT, UnsafeOutput};
pub use staging::Staging;

use crate::diagnostic::Diagnostic;
use crate::render::{OutputFile, Plan, RenderError};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// What a published build did.
#[derive(Debug)]
pub struct Published {
    /// Files written (the marker not counted).
    pub files: usize,
    /// Staging folders of earlier builds that were interrupted, removed before this one.
    pub cleaned: Vec<PathBuf>,
}

/// Why a site was not published; the previous output is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// A template failed on some page.
    #[error("a template failed")]
    Template(Vec<Diagnostic>),
    /// A signal asked the build to stop; the staging folder was removed.
    #[error("interrupted")]
    Interrupted,
    /// Writing failed.
    #[error("cannot write {0}: {1}")]
    Io(PathBuf, io::Error),
}

/// Renders every file of `plan` into a staging folder and swaps it into `dest`. When `cancel`
/// turns true, writing stops and the staging folder is removed.
pub fn publish(
    plan: &Plan<'_>,
    dest: &Destination,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<Published, PublishError> {
    let io_err = |e| PublishError::Io(dest.path().to_path_buf(), e);
    let staging = Staging::new(dest, cancel).map_err(io_err)?;
    let files = match plan.render_each(&staging) {
        Ok(n) => n,
        Err(RenderError::Template(d)) => return Err(PublishError::Template(d)),
        Err(RenderError::Sink(e)) if staging.cancelled() => {
            drop(e);
            return Err(PublishError::Interrupted);
        }
        Err(RenderError::Sink(e)) => return Err(io_err(e)),
    };
    let cleaned = staging.cleaned().to_vec();
    staging.commit().map_err(io_err)?;
    Ok(Published { files, cleaned })
}

/// Writes `files` to `dest` the same way (for tests and tools that have the files in hand).
pub fn write_site(dest: &Destination, files: &[OutputFile]) -> io::Result<()> {
    let staging = Staging::new(dest, None)?;
    for f in files {
        staging.write(f)?;
    }
    staging.commit()
}

/// Replaces one source file in place (written to a sibling temp file, then renamed, so a failed
/// write never leaves half a file): the only write to the content, for `plansite hash --write`.
pub fn replace_file(path: &std::path::Path, contents: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("not a file path"))?;
    let tmp = path.with_file_name(format!(".{}.plansite-tmp", name.to_string_lossy()));
    std::fs::write(&tmp, contents)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
