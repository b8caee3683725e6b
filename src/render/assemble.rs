//! A full build's single-page documents, written while their sections are rendered: a page's
//! frame (its template rendered with a marker where each section goes) is made when its first
//! section is done, and each section's part goes to the output as soon as the parts before it
//! are there. A document of thousands of sections is never held whole, nor its parts beside
//! its page; the bytes are those [`super::splice`] makes from the same frame and parts.

use super::whole::{self, PART_MARKER};
use super::{OutputFile, Sink, fill, theme::Theme};
use crate::diagnostic::Diagnostic;
use crate::ground::lock;
use crate::site::Site;
use std::sync::Mutex;

/// The single pages of a full build, by document (see the module comment).
pub(super) struct Assembler {
    /// Per document: `None` if it has no single page made of parts.
    docs: Vec<Option<Mutex<Vec<Stream>>>>,
    /// Each section's document and position in it.
    place: Vec<(usize, usize)>,
}

/// One language's single page of one document, being written.
#[derive(Default)]
struct Stream {
    /// The frame, once the first part has come (`None` again when the page is done).
    frame: Option<Frame>,
    /// Per section position: its part once it has come (`Some(None)` for a draft), until
    /// written.
    waiting: Vec<Option<Option<String>>>,
    /// The position of the next part to write.
    next: usize,
    /// The frame has been asked for (by the first part to come): it is rendered once.
    requested: bool,
}

/// A page rendered with markers, written up to `cursor`.
struct Frame {
    file: OutputFile,
    lang: String,
    prefix: String,
    cursor: usize,
    /// Whether anything has been written yet (the first piece starts the file).
    started: bool,
}

/// A document's frame in one language (document, language index), rendered on demand.
pub(super) type MakeFrame<'f> = &'f (dyn Fn(usize, usize) -> Result<FrameJob, Diagnostic> + Sync);

/// Fills a part's HTML for its page: (language, link prefix, HTML).
type Filler<'f> = dyn Fn(&str, &str, &str) -> String + 'f;

/// A rendered frame with its language and link prefix.
pub(super) struct FrameJob {
    pub file: OutputFile,
    pub lang: String,
    pub prefix: String,
}

impl Assembler {
    /// An assembler for every document with a single page and at least one section.
    pub(super) fn new(site: &Site, by_doc: &[Vec<usize>]) -> Assembler {
        let langs = site.languages().len();
        let mut place = vec![(0, 0); site.content.sections.len()];
        let docs = by_doc
            .iter()
            .enumerate()
            .map(|(di, sections)| {
                for (k, &si) in sections.iter().enumerate() {
                    place[si] = (di, k);
                }
                (whole::has_whole(site, di) && !sections.is_empty()).then(|| {
                    let streams = (0..langs)
                        .map(|_| Stream {
                            waiting: vec![None; sections.len()],
                            ..Stream::default()
                        })
                        .collect();
                    Mutex::new(streams)
                })
            })
            .collect();
        Assembler { docs, place }
    }

    /// Whether document `di`'s single page is assembled here (not rendered as a page alone).
    pub(super) fn collects(&self, di: usize) -> bool {
        self.docs.get(di).is_some_and(Option::is_some)
    }

    /// Takes section `si`'s parts (one per language, `None` for a draft) and writes to `sink`
    /// every part now in order. A frame that fails to render is reported in `errors`.
    pub(super) fn add<E>(
        &self,
        theme: &Theme,
        si: usize,
        parts: Vec<Option<String>>,
        frame: MakeFrame<'_>,
        sink: &dyn Sink<E>,
        errors: &Mutex<Vec<Diagnostic>>,
    ) -> Result<(), E> {
        let (di, position) = self.place[si];
        let Some(slot) = self.docs.get(di).and_then(Option::as_ref) else {
            return Ok(());
        };
        // The first part of a page asks for its frame, which is rendered without the lock:
        // rendering may wait on other rayon work, which could run another section of this
        // document on this thread and take the lock again. Parts that come meanwhile wait,
        // and are written once the frame is in.
        let wanted: Vec<usize> = {
            let mut streams = lock(slot);
            let mut wanted = Vec::new();
            for (l, (stream, part)) in streams.iter_mut().zip(parts).enumerate() {
                stream.waiting[position] = Some(part);
                if !stream.requested {
                    stream.requested = true;
                    wanted.push(l);
                }
            }
            wanted
        };
        let frames: Vec<(usize, Result<FrameJob, Diagnostic>)> =
            wanted.into_iter().map(|l| (l, frame(di, l))).collect();
        let mut streams = lock(slot);
        for (l, made) in frames {
            match made {
                Ok(job) => {
                    streams[l].frame = Some(Frame {
                        file: job.file,
                        lang: job.lang,
                        prefix: job.prefix,
                        cursor: 0,
                        started: false,
                    });
                }
                // Reported once; the page's parts are dropped with it.
                Err(d) => lock(errors).push(d),
            }
        }
        for stream in streams.iter_mut() {
            stream.write_ready(&|lang, prefix, html| fill(theme, lang, prefix, html), sink)?;
        }
        Ok(())
    }
}

impl Stream {
    /// Writes the parts that have come in order since the last write (and, after the last
    /// part, the rest of the frame).
    /// `fill` makes a part's HTML final (language, link prefix, HTML), as for any page.
    fn write_ready<E>(&mut self, fill: &Filler<'_>, sink: &dyn Sink<E>) -> Result<(), E> {
        let Some(frame) = self.frame.as_mut() else {
            return Ok(());
        };
        let marker = PART_MARKER.as_bytes();
        let bytes = &frame.file.bytes;
        let mut chunk = Vec::new();
        while let Some(Some(part)) = self.waiting.get_mut(self.next).map(Option::take) {
            self.next += 1;
            let Some(html) = part else { continue };
            // A frame without a marker left (a theme that shows fewer parts) drops the part,
            // as `splice` does.
            let Some(at) = memchr::memmem::find(&bytes[frame.cursor..], marker) else {
                continue;
            };
            chunk.extend_from_slice(&bytes[frame.cursor..frame.cursor + at]);
            chunk.extend_from_slice(fill(&frame.lang, &frame.prefix, &html).as_bytes());
            frame.cursor += at + marker.len();
        }
        let done = self.next == self.waiting.len();
        if done {
            // Markers left without a part are dropped, as `splice` does.
            let rest = &bytes[frame.cursor..];
            let mut last = 0;
            for at in memchr::memmem::find_iter(rest, marker) {
                chunk.extend_from_slice(&rest[last..at]);
                last = at + marker.len();
            }
            chunk.extend_from_slice(&rest[last..]);
        }
        if !chunk.is_empty() || (done && !frame.started) {
            sink.piece(&frame.file.path, &chunk, !frame.started)?;
            frame.started = true;
        }
        if done {
            self.frame = None;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what a stream writes: (path, bytes, first) per piece.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<(String, String, bool)>>);

    impl Sink<()> for Recorder {
        fn file(&self, _: OutputFile) -> Result<(), ()> {
            unreachable!("a stream writes pieces only")
        }
        fn piece(&self, path: &str, bytes: &[u8], first: bool) -> Result<(), ()> {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            lock(&self.0).push((path.into(), text, first));
            Ok(())
        }
    }

    /// A stream of `n` sections over a frame of `markers` markers ("F0<m>F1<m>…").
    fn stream(n: usize, markers: usize) -> Stream {
        let text: String = (0..=markers)
            .map(|i| format!("F{i}"))
            .collect::<Vec<_>>()
            .join(PART_MARKER);
        Stream {
            frame: Some(Frame {
                file: OutputFile {
                    path: "ja/d/all/index.html".into(),
                    bytes: text.into_bytes(),
                },
                lang: "ja".into(),
                prefix: "../".into(),
                cursor: 0,
                started: false,
            }),
            waiting: vec![None; n],
            ..Stream::default()
        }
    }

    /// Feeds the parts in `order` (position, part) and returns the pieces written.
    fn feed(mut s: Stream, order: &[(usize, Option<&str>)]) -> Vec<(String, String, bool)> {
        let sink = Recorder::default();
        let fill = |lang: &str, prefix: &str, html: &str| format!("[{lang}{prefix}{html}]");
        for &(at, part) in order {
            s.waiting[at] = Some(part.map(str::to_string));
            s.write_ready(&fill, &sink).unwrap();
        }
        assert!(
            s.frame.is_none(),
            "the page is finished after its last part"
        );
        sink.0.into_inner().unwrap()
    }

    fn joined(pieces: &[(String, String, bool)]) -> String {
        pieces.iter().map(|p| p.1.as_str()).collect()
    }

    #[test]
    fn parts_in_any_order_are_written_in_document_order_once_each() {
        let pieces = feed(
            stream(4, 3),
            &[(2, Some("c")), (0, Some("a")), (3, Some("d")), (1, None)],
        );
        // The draft (position 1) has no marker: a, c and d take the three in order.
        assert_eq!(joined(&pieces), "F0[ja../a]F1[ja../c]F2[ja../d]F3");
        // Nothing is written before the first part; only the first piece starts the file.
        let firsts: Vec<bool> = pieces.iter().map(|p| p.2).collect();
        assert_eq!(firsts, [true, false]);
        assert!(pieces.iter().all(|p| p.0 == "ja/d/all/index.html"));
    }

    #[test]
    fn markers_and_parts_that_do_not_match_are_dropped_as_splice_drops_them() {
        // More markers than parts: the extra marker goes.
        let pieces = feed(stream(1, 2), &[(0, Some("a"))]);
        assert_eq!(joined(&pieces), "F0[ja../a]F1F2");
        // More parts than markers: the extra part goes.
        let pieces = feed(stream(2, 1), &[(1, Some("b")), (0, Some("a"))]);
        assert_eq!(joined(&pieces), "F0[ja../a]F1");
        // Only drafts: the frame alone, still written once.
        let pieces = feed(stream(1, 0), &[(0, None)]);
        assert_eq!(pieces, [("ja/d/all/index.html".into(), "F0".into(), true)]);
    }
}
