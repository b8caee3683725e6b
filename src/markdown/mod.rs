//! Markdown → HTML for one section in one language: `@ID` cross-references, item headings
//! and their prose, footnotes that keep the source's numbers, glossary links, code
//! highlighting, and Japanese-aware line joining.
//!
//! Links are written relative to the site root behind [`ROOT`]; the page writer replaces the
//! marker with the page's own `../` prefix, so a fragment renders once and works on any page.

mod footnotes;
mod headings;
mod highlight;
mod renderer;
use renderer::Renderer;
mod sanitize;
mod text;

use crate::config::RawHtml;
use crate::diagnostic::{Diagnostic, Span};
use crate::source::SourceFile;
pub use highlight::code_block;
use pulldown_cmark::{Event, Options, Parser, Tag};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;
pub use text::{TermMatcher, escape_html, is_cjk};

/// Placeholder for the page's path to the site root (replaced when the page is written).
pub const ROOT: &str = "@@root@@/";

/// Start of the placeholder of an interface string of the theme (`@@t:footnotes@@`), which the
/// page writer replaces with the string in the page's language: the Markdown stage writes the
/// structure, the theme's `i18n.toml` the words ("脚注", "Editorial note", …).
pub const UI: &str = "@@t:";

/// The placeholder of the theme's interface string `key` (see [`UI`]).
pub fn ui(key: &str) -> String {
    format!("{UI}{key}@@")
}

/// `html` with every placeholder filled: [`ROOT`] with `root`, each [`ui`] string with
/// `text(key)` (HTML-escaped; the key itself when the theme has no such string). One pass.
pub fn fill_placeholders<'a>(
    html: &str,
    root: &str,
    text: &dyn Fn(&str) -> Option<&'a str>,
) -> String {
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for i in memchr::memmem::find_iter(html.as_bytes(), b"@@") {
        if i < last {
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with(ROOT) {
            out.push_str(&html[last..i]);
            out.push_str(root);
            last = i + ROOT.len();
        } else if let Some(key) = rest.strip_prefix(UI).and_then(|r| {
            // Keys are short: a stray `@@t:` in the text costs no search to the end.
            let end = memchr::memmem::find(&r.as_bytes()[..r.len().min(64)], b"@@")?;
            let key = &r[..end];
            (!key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
                .then_some(key)
        }) {
            out.push_str(&html[last..i]);
            out.push_str(&escape_html(text(key).unwrap_or(key)));
            last = i + UI.len() + key.len() + 2;
        }
    }
    out.push_str(&html[last..]);
    out
}

/// A resolved cross-reference target.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Root-relative href (`ja/basic-plan-1/bp1-3-1/#BP1-GA-P1`).
    pub href: String,
    /// Title in the page language.
    pub title: String,
}

/// A glossary term pattern for one language.
#[derive(Debug, Clone)]
pub struct TermPattern {
    /// Text to find.
    pub pattern: String,
    /// Term ID (shared by every page that uses the term).
    pub id: std::sync::Arc<str>,
    /// Root-relative href of the term entry.
    pub href: String,
    /// One-line definition shown on hover/focus.
    pub definition: String,
}

/// What the Markdown stage needs from the rest of the site.
pub trait Context: Sync {
    /// Resolves an ID (document, section or item) in `lang`.
    fn resolve(&self, id: &str, lang: &str) -> Option<Resolved>;
    /// Whether `id` resolves at all (what a scan needs, without building href and title).
    fn exists(&self, id: &str) -> bool {
        self.resolve(id, "").is_some()
    }
    /// Whether `id` is a declared item (its heading becomes the item's home).
    fn is_item(&self, id: &str) -> bool;
    /// Glossary terms of `lang`.
    fn terms(&self, lang: &str) -> Option<&TermMatcher>;
    /// The raw-HTML policy (`raw_html` in `plansite.toml`).
    fn raw_html(&self) -> RawHtml {
        RawHtml::default()
    }
}

/// A heading of the rendered section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The level shown: 2 (under the page title) to 7 (past h6: `<p role="heading">`).
    pub level: u8,
    /// Anchor.
    pub id: String,
    /// Plain text.
    pub text: String,
}

/// A `@ID` reference found in the prose.
#[derive(Debug, Clone)]
pub struct Cite {
    /// Target ID.
    pub to: String,
    /// Where it is written.
    pub span: Span,
    /// `Some(reason)` when the link title marks it inferred (`"inferred: reason"`): the source
    /// does not name this target, the site chose it.
    pub inferred: Option<String>,
}

/// The output of rendering one section variant.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    /// Body HTML including the footnotes list.
    pub html: String,
    /// Headings in order (for the in-page TOC); none when only scanned.
    pub headings: Vec<Heading>,
    /// Item ID → where its prose (the text under its heading) is in `html`.
    pub item_prose: BTreeMap<String, ProseSpan>,
    /// Cross-references, in order.
    pub cites: Vec<Cite>,
    /// Glossary term IDs linked on this page.
    pub terms_used: Vec<std::sync::Arc<str>>,
    /// Number of footnotes.
    pub footnotes: usize,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Where an item's prose lies in its section's HTML, and how far its headings move up on the
/// item's own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProseSpan {
    start: usize,
    end: usize,
    shift: u8,
}

impl Rendered {
    /// The prose HTML of item `id` as shown on its own page (sub-headings start at h2).
    pub fn prose(&self, id: &str) -> Option<String> {
        let p = self.item_prose.get(id)?;
        Some(headings::shift_headings(
            self.html.get(p.start..p.end)?,
            p.shift,
        ))
    }
}

/// Parser options: tables, footnotes, strikethrough, heading attributes, GFM alerts.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

struct Chunk {
    heading: Option<(Heading, String)>,
    body: Vec<Event<'static>>,
    /// Top-level paragraphs so far.
    paragraphs: usize,
}

/// Renders `file`'s body (starting at `body_offset`) in `lang`.
pub fn render(file: &SourceFile, body_offset: usize, lang: &str, ctx: &dyn Context) -> Rendered {
    render_with(file, body_offset, lang, ctx, true)
}

/// Like [`render`]; `html: false` only scans: cross-references, headings, footnotes, term
/// use and findings are collected, no HTML is produced (for `check` and `diff`).
pub fn render_with(
    file: &SourceFile,
    body_offset: usize,
    lang: &str,
    ctx: &dyn Context,
    html: bool,
) -> Rendered {
    let body = file.text.get(body_offset..).unwrap_or("");
    // Sized from the text (about one event per 16 bytes of prose) so the list is not grown
    // and copied several times; it lives only while this section is scanned.
    let mut raw: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Vec::with_capacity(body.len() / 16 + 16);
    raw.extend(Parser::new_ext(body, options()).into_offset_iter());
    // Line joining only changes HTML, not findings.
    let raw = if html {
        text::join_cjk_soft_breaks(raw)
    } else {
        raw
    };
    // Raw HTML and link URLs under the site's policy, before anything reads the events.
    let mut html_findings = Vec::new();
    let span = |offset: usize, len: usize| file.span(body_offset + offset, len);
    let raw = sanitize::apply(raw, body, ctx.raw_html(), html, &span, &mut html_findings);
    // The page's title is its h1, so the fragment's top heading level becomes h2 (a page for
    // "(3)" may start at ####), keeping the outline without skipped levels.
    let top = top_heading_level(&raw);
    let (fn_keys, fn_anchors) = footnotes::keys(&raw);
    let mut r = Renderer {
        level_shift: i16::from(top) - 2,
        file,
        body_offset,
        lang,
        ctx,
        out: Rendered::default(),
        linked_terms: HashSet::default(),
        fn_refs: BTreeMap::new(),
        fn_order: Vec::new(),
        fn_keys,
        fn_anchors,
        heading_count: 0,
        explicit_ids: headings::explicit_ids(&raw),
        anchors: HashMap::default(),
        paragraph_ids: HashSet::default(),
        scan: !html,
    };
    r.out.diagnostics = html_findings;
    let (chunks, footnote_defs) = r.chunks(&raw);
    if r.scan {
        // Only the findings of the footnote list matter (unreferenced notes).
        r.footnotes(footnote_defs);
        return r.out;
    }
    let mut html = join_chunks(chunks, ctx, &mut r.out.item_prose);
    html.push_str(&r.footnotes(footnote_defs));
    // Kept for the whole build: give back the growth slack.
    html.shrink_to_fit();
    r.out.html = html;
    r.out
}

/// A footnote definition: its label, its rendered events and where it is.
type FootnoteDef = (String, Vec<Event<'static>>, Span);

/// The level of the body's top heading (2 when it has none).
fn top_heading_level(raw: &[(Event<'_>, std::ops::Range<usize>)]) -> u8 {
    raw.iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(2)
}

impl Renderer<'_> {
    /// Walks the events once: the body split into chunks at each heading (the first chunk is
    /// what comes before any heading), and the footnote definitions set apart.
    fn chunks(
        &mut self,
        raw: &[(Event<'_>, std::ops::Range<usize>)],
    ) -> (Vec<Chunk>, Vec<FootnoteDef>) {
        let mut chunks = vec![Chunk {
            heading: None,
            body: Vec::new(),
            paragraphs: 0,
        }];
        let mut footnote_defs: Vec<FootnoteDef> = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            let (ev, range) = &raw[i];
            match ev {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let end = find_end(raw, i);
                    let (h, html) =
                        self.heading(*level, id.as_deref(), &raw[i + 1..end], range.start);
                    chunks.push(Chunk {
                        heading: Some((h, html)),
                        body: Vec::new(),
                        paragraphs: 0,
                    });
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let end = find_end(raw, i);
                    let evs = self.inline(&raw[i + 1..end], true);
                    footnote_defs.push((label.to_string(), evs, self.span(range.start, 0)));
                    i = end + 1;
                    continue;
                }
                _ => {}
            }
            let end = if matches!(ev, Event::Start(_)) {
                find_end(raw, i)
            } else {
                i
            };
            let mut evs = self.inline(&raw[i..=end], true);
            if let Some(c) = chunks.last_mut() {
                // A top-level paragraph gets an anchor to cite it by: its number under the
                // heading it follows (`h-2-p3`, `BP1-GA-P1-p1`; `p1` before any heading).
                if !self.scan && matches!(ev, Event::Start(Tag::Paragraph)) {
                    c.paragraphs += 1;
                    let under = c.heading.as_ref().map(|(h, _)| h.id.as_str());
                    let id = self.paragraph_anchor(under, c.paragraphs);
                    if let Some(first) = evs.first_mut() {
                        *first = Event::Html(format!("<p id=\"{}\">", escape_html(&id)).into());
                    }
                }
                c.body.extend(evs);
            }
            i = end + 1;
        }
        (chunks, footnote_defs)
    }
}

/// The page's HTML: every chunk rendered, heading then body, into one string. Each body's
/// offsets are remembered so an item's prose (`item_prose`) is a range of it, not a copy.
fn join_chunks(
    chunks: Vec<Chunk>,
    ctx: &dyn Context,
    item_prose: &mut BTreeMap<String, ProseSpan>,
) -> String {
    let mut rendered_chunks: Vec<(Option<(Heading, String)>, String)> =
        Vec::with_capacity(chunks.len());
    for c in chunks {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, c.body.into_iter());
        rendered_chunks.push((c.heading, html));
    }
    let mut html = String::new();
    let mut bounds: Vec<(usize, usize)> = Vec::with_capacity(rendered_chunks.len());
    for (h, body) in &rendered_chunks {
        if let Some((_, hh)) = h {
            html.push_str(hh);
        }
        let body_start = html.len();
        html.push_str(body);
        bounds.push((body_start, html.len()));
    }
    for (k, (h, _)) in rendered_chunks.iter().enumerate() {
        let Some((h, _)) = h else { continue };
        if !ctx.is_item(&h.id) {
            continue;
        }
        let mut end = bounds[k].1;
        for (j, (next, _)) in rendered_chunks.iter().enumerate().skip(k + 1) {
            match next {
                Some((n, _)) if n.level > h.level => end = bounds[j].1,
                _ => break,
            }
        }
        // On the item's own page the prose sits under its h1: its sub-headings start at h2.
        item_prose.insert(
            h.id.clone(),
            ProseSpan {
                start: bounds[k].0,
                end,
                shift: h.level - 1,
            },
        );
    }
    html
}

/// `text` with every `from` replaced by `to` (std's `replace` with a SIMD substring search:
/// it runs over every page of a build).
pub fn replace_all(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for i in memchr::memmem::find_iter(text.as_bytes(), from.as_bytes()) {
        out.push_str(&text[last..i]);
        out.push_str(to);
        last = i + from.len();
    }
    out.push_str(&text[last..]);
    out
}

/// Index of the `End` matching the `Start` at `i`.
fn find_end(events: &[(Event<'_>, std::ops::Range<usize>)], i: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(i) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

#[cfg(test)]
mod additions_tests;
#[cfg(test)]
mod tests;
