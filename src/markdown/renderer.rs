//! The event-level work of rendering one section: cross-references, glossary links, image alt
//! text, code blocks, editorial notes and literal-emphasis findings (headings and footnotes
//! are in their own modules).

use super::{Cite, Context, ROOT, Rendered, escape_html, highlight, text};
use crate::diagnostic::{Diagnostic, Span};
use crate::source::SourceFile;
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

pub(super) struct Renderer<'a> {
    pub(super) file: &'a SourceFile,
    pub(super) body_offset: usize,
    pub(super) lang: &'a str,
    pub(super) ctx: &'a dyn Context,
    pub(super) out: Rendered,
    pub(super) linked_terms: HashSet<std::sync::Arc<str>>,
    pub(super) fn_refs: BTreeMap<String, usize>,
    pub(super) fn_order: Vec<String>,
    /// Footnote label → its unique anchor key (see `footnotes::keys`).
    pub(super) fn_keys: BTreeMap<String, String>,
    /// The anchors the footnotes put on the page.
    pub(super) fn_anchors: BTreeSet<String>,
    pub(super) heading_count: usize,
    /// Every explicit heading ID of the page.
    pub(super) explicit_ids: HashSet<String>,
    /// Anchors given so far → the body offset of their heading.
    pub(super) anchors: HashMap<String, usize>,
    /// Paragraph anchors given so far.
    pub(super) paragraph_ids: HashSet<String>,
    pub(super) scan: bool,
    pub(super) level_shift: i16,
}

type Spanned<'e> = (Event<'e>, Range<usize>);

/// What one run of [`Renderer::inline`] keeps between events.
#[derive(Default)]
pub(super) struct Run {
    pub(super) out: Vec<Event<'static>>,
    /// Per open link: how its end is written.
    links: Vec<LinkEnd>,
    /// An open code block: its language and text so far.
    code: Option<(String, String)>,
    /// Shown levels of open headings nested in blocks (quotes, lists).
    pub(super) headings: Vec<u8>,
    /// Raw `<a>` elements open here: their text is a link already.
    raw_links: isize,
}

impl Renderer<'_> {
    pub(super) fn span(&self, offset: usize, len: usize) -> Span {
        self.file.span(self.body_offset + offset, len)
    }

    /// Transforms a run of events; `terms` enables glossary linking.
    pub(super) fn inline(&mut self, evs: &[Spanned<'_>], terms: bool) -> Vec<Event<'static>> {
        let mut run = Run::default();
        if !self.scan {
            // A scan produces no events: nothing is allocated for them.
            run.out.reserve(evs.len());
        }
        let mut i = 0;
        while i < evs.len() {
            let (e, range) = &evs[i];
            i += 1;
            if run.code.is_some() {
                self.code_text(e, &mut run);
                continue;
            }
            match e {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(l) => l.split_whitespace().next().unwrap_or(""),
                        CodeBlockKind::Indented => "",
                    };
                    run.code = Some((lang.to_string(), String::new()));
                }
                Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('@') => {
                    let empty = matches!(evs.get(i), Some((Event::End(TagEnd::Link), _)));
                    self.cross_ref(e, range, empty, &mut run);
                }
                Event::Start(Tag::Link { .. }) => {
                    run.links.push(LinkEnd::Plain);
                    self.keep(e, &mut run);
                }
                Event::End(TagEnd::Link) => {
                    let end = run.links.pop().unwrap_or(LinkEnd::Plain);
                    if !self.scan {
                        match end {
                            LinkEnd::Plain => run.out.push(Event::End(TagEnd::Link)),
                            LinkEnd::Broken => run.out.push(Event::Html("</span>".into())),
                            LinkEnd::Inferred => {
                                run.out.push(Event::End(TagEnd::Link));
                                run.out.push(Event::Html("</span>".into()));
                            }
                        }
                    }
                }
                Event::Start(Tag::Image { .. }) => i = self.image(evs, i, &mut run),
                Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_)) => {
                    self.nested_heading(e, range, &mut run)
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let label = super::ui(note_label(*kind));
                    run.out.push(Event::Html(
                        format!(
                            "<aside class=\"note note-{}\"><p class=\"note-label\">{label}</p>\n",
                            kind_name(*kind)
                        )
                        .into(),
                    ));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    run.out.push(Event::Html("</aside>\n".into()))
                }
                Event::FootnoteReference(label) => {
                    let html = self.footnote_ref(label);
                    if !self.scan {
                        run.out.push(Event::InlineHtml(html.into()));
                    }
                }
                Event::Text(t) => {
                    let terms = terms && run.links.is_empty() && run.raw_links <= 0;
                    self.text(t, range, terms, &mut run)
                }
                Event::Html(_) | Event::InlineHtml(_) => self.raw_html(e, &mut run),
                _ => self.keep(e, &mut run),
            }
        }
        if self.scan {
            run.out.clear();
        }
        run.out
    }

    /// Passes an event through unchanged.
    fn keep(&self, e: &Event<'_>, run: &mut Run) {
        if !self.scan {
            run.out.push(e.clone().into_static());
        }
    }

    /// Raw HTML blocks and inline HTML (already cleaned by `sanitize`).
    fn raw_html(&self, e: &Event<'_>, run: &mut Run) {
        if let Event::Html(h) | Event::InlineHtml(h) = e {
            run.raw_links += super::sanitize::anchor_change(h);
        }
        self.keep(e, run);
    }

    /// Inside a code block: collects its text and writes it highlighted at its end.
    fn code_text(&self, e: &Event<'_>, run: &mut Run) {
        match e {
            Event::Text(t) => {
                if let Some((_, buf)) = run.code.as_mut() {
                    buf.push_str(t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, buf) = run.code.take().unwrap_or_default();
                if !self.scan {
                    run.out
                        .push(Event::Html(highlight::code_block(&lang, &buf).into()));
                }
            }
            _ => {}
        }
    }

    /// An image: its alt text is the plain text of its description, escaped once by the HTML
    /// writer. Glossary links, cross-references and footnote numbers never go into the
    /// attribute (nor count as a term's first use). Returns the index after the image.
    fn image(&self, evs: &[Spanned<'_>], start: usize, run: &mut Run) -> usize {
        let mut depth = 1usize;
        let mut alt = String::new();
        let mut i = start;
        while i < evs.len() && depth > 0 {
            match &evs[i].0 {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            i += 1;
        }
        if !self.scan {
            run.out.push(evs[start - 1].0.clone().into_static());
            run.out.push(Event::Text(alt.into()));
            run.out.push(Event::End(TagEnd::Image));
        }
        i
    }

    /// A text node: literal-emphasis findings, glossary links, `lang` on Japanese runs.
    fn text(&mut self, t: &str, range: &Range<usize>, terms: bool, run: &mut Run) {
        self.literal_emphasis(range);
        let matcher = if terms {
            self.ctx.terms(self.lang)
        } else {
            None
        };
        if self.scan {
            text::scan_terms(
                t,
                self.lang,
                matcher,
                &mut self.linked_terms,
                &mut self.out.terms_used,
            );
            return;
        }
        let html = text::text_html(
            t,
            self.lang,
            matcher,
            &mut self.linked_terms,
            &mut self.out.terms_used,
        );
        run.out.push(Event::InlineHtml(CowStr::from(html)));
    }

    /// TR110: a `*` or `**` written in the source (not escaped `\*`, not `&#42;`) that is left
    /// as text because Japanese punctuation next to it keeps it from opening or closing
    /// emphasis. One finding per line.
    fn literal_emphasis(&mut self, range: &Range<usize>) {
        let body = self.file.text.get(self.body_offset..).unwrap_or("");
        let Some(src) = body.get(range.clone()) else {
            return;
        };
        let Some(at) = text::stranded_emphasis(body, range.start, src) else {
            return;
        };
        let line = self.file.line_col(self.body_offset + at).0;
        let reported = self
            .out
            .diagnostics
            .iter()
            .any(|d| d.code == "TR110" && d.span.as_ref().is_some_and(|s| s.line == line));
        if !reported {
            self.out.diagnostics.push(
                Diagnostic::warning("TR110", "literal `*` left in the text: emphasis next to Japanese punctuation is not recognised")
                    .at(self.span(at, 1))
                    .hint("write <strong>「…」</strong> (or put a space outside the **), or escape a literal asterisk as \\*"),
            );
        }
    }

    /// A `[text](@ID)` cross-reference: resolved to a link (its title filling empty text), or
    /// a TR003 error and a marked span.
    fn cross_ref(&mut self, e: &Event<'_>, range: &Range<usize>, empty: bool, run: &mut Run) {
        let Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) = e
        else {
            return;
        };
        let (target, frag) = dest_url[1..]
            .split_once('#')
            .map_or((&dest_url[1..], None), |(a, b)| (a, Some(b)));
        let inferred = inferred_reason(title);
        let cite = Cite {
            to: target.to_string(),
            span: self.span(range.start, range.len()),
            inferred: inferred.map(str::to_string),
        };
        if self.scan && self.ctx.exists(target) {
            self.out.cites.push(cite);
            run.links.push(LinkEnd::Plain);
            return;
        }
        let Some(res) = self.ctx.resolve(target, self.lang) else {
            self.broken_ref(target, range, run);
            return;
        };
        self.out.cites.push(cite);
        let href = match frag {
            Some(f) => format!("{ROOT}{}#{f}", res.href.split('#').next().unwrap_or("")),
            None => format!("{ROOT}{}", res.href),
        };
        // An inferred reference is wrapped so readers see it is the site's reading, not the
        // source's; its reason is the tooltip.
        let title = match inferred {
            Some(reason) => {
                run.out
                    .push(Event::Html("<span class=\"ref-inferred\">".into()));
                run.links.push(LinkEnd::Inferred);
                reason.to_string()
            }
            None => {
                run.links.push(LinkEnd::Plain);
                title.to_string()
            }
        };
        run.out.push(Event::Start(Tag::Link {
            link_type: *link_type,
            dest_url: href.into(),
            title: title.into(),
            id: id.to_string().into(),
        }));
        if empty {
            run.out.push(Event::Text(res.title.into()));
        }
    }

    fn broken_ref(&mut self, target: &str, range: &Range<usize>, run: &mut Run) {
        // The "did you mean" is added once the findings are sorted and folded (see
        // `crate::build::check_site`): a file that failed to load can leave thousands of
        // references dangling, and each suggestion reads every ID.
        self.out.diagnostics.push(
            Diagnostic::error("TR003", format!("cross-reference to unknown ID `{target}`"))
                .at(self.span(range.start, range.len()))
                .hint(crate::diagnostic::CROSS_REF_HINT)
                .ids([target.to_string()]),
        );
        run.links.push(LinkEnd::Broken);
        run.out.push(Event::Html(
            format!(
                "<span class=\"broken-ref\" data-ref=\"{}\">",
                escape_html(target)
            )
            .into(),
        ));
    }
}

fn kind_name(k: BlockQuoteKind) -> &'static str {
    match k {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

/// The theme string naming a kind of note: an editorial note, or a caution for the others.
fn note_label(k: BlockQuoteKind) -> &'static str {
    match k {
        BlockQuoteKind::Note => "note_editorial",
        _ => "note_caution",
    }
}

/// How a link's end is written: as a link, as the `</span>` of a broken reference, or as a
/// link closing the `ref-inferred` wrapper.
#[derive(Clone, Copy)]
enum LinkEnd {
    Plain,
    Broken,
    Inferred,
}

/// The reason of a cross-reference marked inferred by its link title, `"inferred: reason"`
/// (or a bare `"inferred"`); `None` for an explicit one. The title is CommonMark's own, so
/// the source stays a plain link for any other Markdown reader.
pub(super) fn inferred_reason(title: &str) -> Option<&str> {
    let rest = title.trim().strip_prefix("inferred")?;
    if rest.is_empty() {
        return Some("");
    }
    rest.strip_prefix(':').map(str::trim)
}
