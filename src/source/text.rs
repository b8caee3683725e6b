//! A source file's text as a range of a buffer several files may share.

use std::fmt;
use std::sync::Arc;

/// A file's normalised text: a range of a buffer that other files' texts may share. A build
/// reads a run of section files into one buffer, so that letting go of them after its check
/// (see [`SourceMap::release`]) hands that memory back at once; read one by one, each text
/// left a hole between allocations that stay, which later work could not fill (at 50,000
/// items the build's peak memory was 260 MB higher). Cloning shares the buffer.
#[derive(Clone)]
pub struct Text {
    pub(super) buf: Arc<String>,
    start: usize,
    end: usize,
}

impl Text {
    /// A text with a buffer of its own.
    pub fn new(text: String) -> Text {
        let end = text.len();
        Text {
            buf: Arc::new(text),
            start: 0,
            end,
        }
    }

    /// `range` of `buf` (empty unless it falls on character boundaries).
    pub fn shared(buf: &Arc<String>, range: std::ops::Range<usize>) -> Text {
        let range = if buf.get(range.clone()).is_some() {
            range
        } else {
            0..0
        };
        Text {
            buf: Arc::clone(buf),
            start: range.start,
            end: range.end,
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self.buf.get(self.start..self.end).unwrap_or("")
    }

    /// Whether both are the same range of the same buffer (a kept file, not a re-read one).
    pub fn is_same(&self, other: &Text) -> bool {
        Arc::ptr_eq(&self.buf, &other.buf) && (self.start, self.end) == (other.start, other.end)
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}
