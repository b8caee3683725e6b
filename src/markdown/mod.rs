//! Markdown → HTML for one section in one language: `@ID` cross-references, item headings
//! and their prose, footnotes that keep the source's numbers, glossary links, code
//! highlighting, and Japanese-aware line joining.
//!
//! Links are written relative to the site root behind [`ROOT`]; the page writer replaces the
//! marker with the page's own `../` prefix, so a fragment renders once and works on any page.

mod highlight;
mod text;

use crate::diagnostic::{Diagnostic, Span};
use crate::source::SourceFile;
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use std::collections::{BTreeMap, HashSet};
pub use text::{TermMatcher, escape_html, is_cjk};

/// Placeholder for the page's path to the site root (replaced when the page is written).
pub const ROOT: &str = "@@root@@/";

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
    /// Term ID.
    pub id: String,
    /// Root-relative href of the term entry.
    pub href: String,
    /// One-line definition shown on hover/focus.
    pub definition: String,
}

/// What the Markdown stage needs from the rest of the site.
pub trait Context: Sync {
    /// Resolves an ID (document, section or item) in `lang`.
    fn resolve(&self, id: &str, lang: &str) -> Option<Resolved>;
    /// Whether `id` is a declared item (its heading becomes the item's home).
    fn is_item(&self, id: &str) -> bool;
    /// The nearest existing IDs, for hints.
    fn suggest(&self, id: &str) -> Vec<String>;
    /// Glossary terms of `lang`.
    fn terms(&self, lang: &str) -> Option<&TermMatcher>;
}

/// A heading of the rendered section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1–6.
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
}

/// The output of rendering one section variant.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    /// Body HTML including the footnotes list.
    pub html: String,
    /// Headings in order (for the in-page TOC).
    pub headings: Vec<Heading>,
    /// Item ID → where its prose (the text under its heading) is in `html`.
    pub item_prose: BTreeMap<String, ProseSpan>,
    /// Cross-references, in order.
    pub cites: Vec<Cite>,
    /// Glossary term IDs linked on this page.
    pub terms_used: Vec<String>,
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
        Some(shift_headings(self.html.get(p.start..p.end)?, p.shift))
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
    let raw: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let raw = text::join_cjk_soft_breaks(raw);
    // The page's title is its h1, so the fragment's top heading level becomes h2 (a page for
    // "(3)" may start at ####), keeping the outline without skipped levels.
    let top = raw
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let mut r = Renderer {
        level_shift: i16::from(top) - 2,
        file,
        body_offset,
        lang,
        ctx,
        out: Rendered::default(),
        linked_terms: HashSet::new(),
        fn_refs: BTreeMap::new(),
        fn_order: Vec::new(),
        heading_count: 0,
        scan: !html,
    };
    let mut chunks = vec![Chunk {
        heading: None,
        body: Vec::new(),
    }];
    let mut footnote_defs: Vec<(String, Vec<Event<'static>>, Span)> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let (ev, range) = &raw[i];
        match ev {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let end = find_end(&raw, i);
                let (h, html) = r.heading(*level, id.as_deref(), &raw[i + 1..end]);
                chunks.push(Chunk {
                    heading: Some((h, html)),
                    body: Vec::new(),
                });
                i = end + 1;
                continue;
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let end = find_end(&raw, i);
                let evs = r.inline(&raw[i + 1..end], true);
                footnote_defs.push((label.to_string(), evs, r.span(range.start, 0)));
                i = end + 1;
                continue;
            }
            _ => {}
        }
        let end = if matches!(ev, Event::Start(_)) {
            find_end(&raw, i)
        } else {
            i
        };
        let evs = r.inline(&raw[i..=end], true);
        if let Some(c) = chunks.last_mut() {
            c.body.extend(evs);
        }
        i = end + 1;
    }
    let mut rendered_chunks: Vec<(Option<(Heading, String)>, String)> =
        Vec::with_capacity(chunks.len());
    for c in chunks {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, c.body.into_iter());
        rendered_chunks.push((c.heading, html));
    }
    // One HTML string for the page; each chunk's body offsets are remembered so an item's prose
    // is a range of it, not a copy.
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
        r.out.item_prose.insert(
            h.id.clone(),
            ProseSpan {
                start: bounds[k].0,
                end,
                shift: h.level - 1,
            },
        );
    }
    html.push_str(&r.footnotes(footnote_defs));
    if r.scan {
        // Scan mode collects findings only; drop what little markup the shared path produced.
        r.out.item_prose.clear();
    } else {
        // Kept for the whole build: give back the growth slack.
        html.shrink_to_fit();
        r.out.html = html;
    }
    r.out
}

/// Moves every `<hN>` this renderer wrote up by `by` levels (not below h2).
fn shift_headings(html: &str, by: u8) -> String {
    if by == 0 {
        return html.to_string();
    }
    let mut out = html.to_string();
    for n in 3..=6u8 {
        let to = n.saturating_sub(by).max(2);
        out = out
            .replace(&format!("<h{n} id="), &format!("<h{to} id="))
            .replace(&format!("</h{n}>"), &format!("</h{to}>"));
    }
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

struct Renderer<'a> {
    file: &'a SourceFile,
    body_offset: usize,
    lang: &'a str,
    ctx: &'a dyn Context,
    out: Rendered,
    linked_terms: HashSet<String>,
    fn_refs: BTreeMap<String, usize>,
    fn_order: Vec<String>,
    heading_count: usize,
    scan: bool,
    level_shift: i16,
}

impl Renderer<'_> {
    fn span(&self, offset: usize, len: usize) -> Span {
        self.file.span(self.body_offset + offset, len)
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<&str>,
        inner: &[(Event<'_>, std::ops::Range<usize>)],
    ) -> (Heading, String) {
        self.heading_count += 1;
        let text: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = id.map_or_else(|| format!("h-{}", self.heading_count), str::to_string);
        // Headings are never auto-linked, but a term used in one counts as used.
        for (_, _, t) in self
            .ctx
            .terms(self.lang)
            .into_iter()
            .flat_map(|m| m.find(&text))
        {
            if !self.out.terms_used.contains(&t.id) {
                self.out.terms_used.push(t.id.clone());
            }
        }
        let evs = self.inline(inner, false);
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, evs.into_iter());
        let n = (i16::from(level as u8) - self.level_shift).clamp(2, 6) as u8;
        let class = if self.ctx.is_item(&id) {
            " class=\"item-heading\""
        } else {
            ""
        };
        let html = format!(
            "<h{n} id=\"{}\"{class}>{inner_html}</h{n}>\n",
            escape_html(&id)
        );
        let h = Heading {
            level: n,
            id,
            text: text.trim().to_string(),
        };
        self.out.headings.push(h.clone());
        (h, html)
    }

    /// Transforms a run of events; `terms` enables glossary linking.
    fn inline(
        &mut self,
        evs: &[(Event<'_>, std::ops::Range<usize>)],
        terms: bool,
    ) -> Vec<Event<'static>> {
        let mut out: Vec<Event<'static>> = Vec::with_capacity(evs.len());
        let mut link_depth = 0usize;
        let mut skip_link_end: Vec<bool> = Vec::new();
        let mut code: Option<(String, String)> = None;
        let mut i = 0;
        while i < evs.len() {
            let (e, range) = &evs[i];
            i += 1;
            if let Some((lang, buf)) = code.as_mut() {
                match e {
                    Event::Text(t) => buf.push_str(t),
                    Event::End(TagEnd::CodeBlock) => {
                        let html = if self.scan {
                            String::new()
                        } else {
                            highlight::code_block(lang, buf)
                        };
                        out.push(Event::Html(html.into()));
                        code = None;
                    }
                    _ => {}
                }
                continue;
            }
            match e {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(l) => {
                            l.split_whitespace().next().unwrap_or("").to_string()
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) if dest_url.starts_with('@') => {
                    let (target, frag) = dest_url[1..]
                        .split_once('#')
                        .map_or((&dest_url[1..], None), |(a, b)| (a, Some(b)));
                    let empty = matches!(evs.get(i), Some((Event::End(TagEnd::Link), _)));
                    match self.ctx.resolve(target, self.lang) {
                        Some(res) => {
                            self.out.cites.push(Cite {
                                to: target.to_string(),
                                span: self.span(range.start, range.len()),
                            });
                            let href = match frag {
                                Some(f) => format!(
                                    "{ROOT}{}#{f}",
                                    res.href.split('#').next().unwrap_or("")
                                ),
                                None => format!("{ROOT}{}", res.href),
                            };
                            link_depth += 1;
                            skip_link_end.push(false);
                            out.push(Event::Start(Tag::Link {
                                link_type: *link_type,
                                dest_url: href.into(),
                                title: title.to_string().into(),
                                id: id.to_string().into(),
                            }));
                            if empty {
                                out.push(Event::Text(res.title.into()));
                            }
                        }
                        None => {
                            let near = self.ctx.suggest(target);
                            let hint = if near.is_empty() {
                                "cross-references name a document, section or item ID".to_string()
                            } else {
                                format!(
                                    "did you mean {}?",
                                    near.iter()
                                        .map(|n| format!("`{n}`"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            };
                            self.out.diagnostics.push(
                                Diagnostic::error(
                                    "TR003",
                                    format!("cross-reference to unknown ID `{target}`"),
                                )
                                .at(self.span(range.start, range.len()))
                                .hint(hint)
                                .ids([target.to_string()]),
                            );
                            skip_link_end.push(true);
                            link_depth += 1;
                            out.push(Event::Html(
                                format!(
                                    "<span class=\"broken-ref\" data-ref=\"{}\">",
                                    escape_html(target)
                                )
                                .into(),
                            ));
                        }
                    }
                }
                Event::Start(Tag::Link { .. }) => {
                    link_depth += 1;
                    skip_link_end.push(false);
                    out.push(e.clone().into_static());
                }
                Event::End(TagEnd::Link) => {
                    link_depth = link_depth.saturating_sub(1);
                    if skip_link_end.pop().unwrap_or(false) {
                        out.push(Event::Html("</span>".into()));
                    } else {
                        out.push(Event::End(TagEnd::Link));
                    }
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let label = note_label(*kind, self.lang);
                    out.push(Event::Html(
                        format!(
                            "<aside class=\"note note-{}\"><p class=\"note-label\">{label}</p>\n",
                            kind_name(*kind)
                        )
                        .into(),
                    ));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    out.push(Event::Html("</aside>\n".into()))
                }
                Event::FootnoteReference(label) => {
                    out.push(Event::InlineHtml(self.footnote_ref(label).into()))
                }
                Event::Text(t) => {
                    let line = self.span(range.start, 0).line;
                    let reported = self.out.diagnostics.iter().any(|d| {
                        d.code == "TR110" && d.span.as_ref().is_some_and(|s| s.line == line)
                    });
                    if t.contains('*') && !reported {
                        self.out.diagnostics.push(
                            Diagnostic::warning("TR110", "literal `*` left in the text: emphasis next to Japanese punctuation is not recognised")
                                .at(self.span(range.start, range.len()))
                                .hint("write <strong>「…」</strong> (or put a space outside the **), or escape a literal asterisk as \\*"),
                        );
                    }
                    let matcher = if terms && link_depth == 0 {
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
                        continue;
                    }
                    let html = text::text_html(
                        t,
                        self.lang,
                        matcher,
                        &mut self.linked_terms,
                        &mut self.out.terms_used,
                    );
                    out.push(Event::InlineHtml(CowStr::from(html)));
                }
                _ if self.scan => {}
                other => out.push(other.clone().into_static()),
            }
        }
        out
    }

    fn footnote_ref(&mut self, label: &str) -> String {
        let n = self.fn_refs.entry(label.to_string()).or_insert(0);
        *n += 1;
        if *n == 1 {
            self.fn_order.push(label.to_string());
        }
        let key = fn_key(label);
        let id = if *n == 1 {
            format!("fnref-{key}")
        } else {
            format!("fnref-{key}-{n}")
        };
        let num = self.fn_number(label);
        format!(
            "<sup class=\"fnref\"><a id=\"{id}\" href=\"#fn-{key}\" role=\"doc-noteref\">{num}</a></sup>"
        )
    }

    fn fn_number(&self, label: &str) -> String {
        if label.chars().all(|c| c.is_ascii_digit()) {
            label.to_string()
        } else {
            (self.fn_order.iter().position(|l| l == label).unwrap_or(0) + 1).to_string()
        }
    }

    fn footnotes(&mut self, defs: Vec<(String, Vec<Event<'static>>, Span)>) -> String {
        if defs.is_empty() {
            return String::new();
        }
        let (heading, back) = if self.lang == "ja" {
            ("脚注", "本文へ戻る")
        } else {
            ("Footnotes", "Back to text")
        };
        let mut html = format!(
            "<section class=\"footnotes\" aria-labelledby=\"footnotes\">\n<h2 id=\"footnotes\">{heading}</h2>\n<ol class=\"footnote-list\">\n"
        );
        let mut defs = defs;
        defs.sort_by_key(|(l, _, _)| {
            (
                l.parse::<u64>().unwrap_or(u64::MAX),
                self.fn_order.iter().position(|x| x == l),
            )
        });
        for (label, evs, span) in defs {
            let key = fn_key(&label);
            let refs = self.fn_refs.get(&label).copied().unwrap_or(0);
            if refs == 0 {
                self.out.diagnostics.push(
                    Diagnostic::warning(
                        "MD002",
                        format!("footnote `[^{label}]` is defined but never referenced"),
                    )
                    .at(span)
                    .hint(format!("add [^{label}] where the note belongs")),
                );
            }
            let num = self.fn_number(&label);
            let mut body = String::new();
            pulldown_cmark::html::push_html(&mut body, evs.into_iter());
            let backs: String = (1..=refs)
                .map(|k| {
                    let id = if k == 1 {
                        format!("fnref-{key}")
                    } else {
                        format!("fnref-{key}-{k}")
                    };
                    format!(" <a class=\"fn-back\" href=\"#{id}\" aria-label=\"{back}\">↩</a>")
                })
                .collect();
            html.push_str(&format!(
                "<li id=\"fn-{key}\" value=\"{num}\">{}{backs}</li>\n",
                body.trim_end()
            ));
            self.out.footnotes += 1;
        }
        html.push_str("</ol>\n</section>\n");
        html
    }
}

fn fn_key(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
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

fn note_label(k: BlockQuoteKind, lang: &str) -> &'static str {
    match (k, lang == "ja") {
        (BlockQuoteKind::Note, true) => "編集注",
        (BlockQuoteKind::Note, false) => "Editorial note",
        (_, true) => "注意",
        (_, false) => "Caution",
    }
}

#[cfg(test)]
mod tests;
