//! The event-level work of rendering one section: headings, cross-references, glossary links,
//! code blocks, editorial notes and footnotes (with the source's own numbers and back-links).

use super::{Cite, Context, Heading, ROOT, Rendered, escape_html, highlight, text};
use crate::diagnostic::{Diagnostic, Span};
use crate::source::SourceFile;
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};
use rustc_hash::FxHashSet as HashSet;
use std::collections::BTreeMap;

pub(super) struct Renderer<'a> {
    pub(super) file: &'a SourceFile,
    pub(super) body_offset: usize,
    pub(super) lang: &'a str,
    pub(super) ctx: &'a dyn Context,
    pub(super) out: Rendered,
    pub(super) linked_terms: HashSet<String>,
    pub(super) fn_refs: BTreeMap<String, usize>,
    pub(super) fn_order: Vec<String>,
    pub(super) heading_count: usize,
    pub(super) scan: bool,
    pub(super) level_shift: i16,
}

impl Renderer<'_> {
    pub(super) fn span(&self, offset: usize, len: usize) -> Span {
        self.file.span(self.body_offset + offset, len)
    }

    pub(super) fn heading(
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
        if !self.scan {
            pulldown_cmark::html::push_html(&mut inner_html, evs.into_iter());
        }
        let n = (i16::from(level as u8) - self.level_shift).clamp(2, 6) as u8;
        let html = if self.scan {
            String::new()
        } else {
            let class = if self.ctx.is_item(&id) {
                " class=\"item-heading\""
            } else {
                ""
            };
            format!(
                "<h{n} id=\"{}\"{class}>{inner_html}</h{n}>\n",
                escape_html(&id)
            )
        };
        let h = Heading {
            level: n,
            id,
            text: text.trim().to_string(),
        };
        self.out.headings.push(h.clone());
        (h, html)
    }

    /// Transforms a run of events; `terms` enables glossary linking.
    pub(super) fn inline(
        &mut self,
        evs: &[(Event<'_>, std::ops::Range<usize>)],
        terms: bool,
    ) -> Vec<Event<'static>> {
        // A scan produces no events: nothing is allocated for them.
        let mut out: Vec<Event<'static>> = if self.scan {
            Vec::new()
        } else {
            Vec::with_capacity(evs.len())
        };
        let mut link_depth = 0usize;
        // Raw `<a>` elements open here: their text is a link already.
        let mut raw_links = 0isize;
        let mut skip_link_end: Vec<LinkEnd> = Vec::new();
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
                    let inferred = inferred_reason(title);
                    if self.scan && self.ctx.exists(target) {
                        self.out.cites.push(Cite {
                            to: target.to_string(),
                            span: self.span(range.start, range.len()),
                            inferred: inferred.map(str::to_string),
                        });
                        link_depth += 1;
                        skip_link_end.push(LinkEnd::Plain);
                        continue;
                    }
                    match self.ctx.resolve(target, self.lang) {
                        Some(res) => {
                            self.out.cites.push(Cite {
                                to: target.to_string(),
                                span: self.span(range.start, range.len()),
                                inferred: inferred.map(str::to_string),
                            });
                            let href = match frag {
                                Some(f) => format!(
                                    "{ROOT}{}#{f}",
                                    res.href.split('#').next().unwrap_or("")
                                ),
                                None => format!("{ROOT}{}", res.href),
                            };
                            link_depth += 1;
                            // An inferred reference is wrapped so readers see it is the site's
                            // reading, not the source's; its reason is the tooltip.
                            let title = match inferred {
                                Some(reason) => {
                                    out.push(Event::Html("<span class=\"ref-inferred\">".into()));
                                    skip_link_end.push(LinkEnd::Inferred);
                                    reason.to_string()
                                }
                                None => {
                                    skip_link_end.push(LinkEnd::Plain);
                                    title.to_string()
                                }
                            };
                            out.push(Event::Start(Tag::Link {
                                link_type: *link_type,
                                dest_url: href.into(),
                                title: title.into(),
                                id: id.to_string().into(),
                            }));
                            if empty {
                                out.push(Event::Text(res.title.into()));
                            }
                        }
                        None => {
                            let near = self.ctx.suggest(target);
                            let hint =
                                crate::diagnostic::did_you_mean(&near).unwrap_or_else(|| {
                                    "cross-references name a document, section or item ID"
                                        .to_string()
                                });
                            self.out.diagnostics.push(
                                Diagnostic::error(
                                    "TR003",
                                    format!("cross-reference to unknown ID `{target}`"),
                                )
                                .at(self.span(range.start, range.len()))
                                .hint(hint)
                                .ids([target.to_string()]),
                            );
                            skip_link_end.push(LinkEnd::Broken);
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
                    skip_link_end.push(LinkEnd::Plain);
                    if !self.scan {
                        out.push(e.clone().into_static());
                    }
                }
                Event::End(TagEnd::Link) => {
                    link_depth = link_depth.saturating_sub(1);
                    let end = skip_link_end.pop().unwrap_or(LinkEnd::Plain);
                    if !self.scan {
                        match end {
                            LinkEnd::Plain => out.push(Event::End(TagEnd::Link)),
                            LinkEnd::Broken => out.push(Event::Html("</span>".into())),
                            LinkEnd::Inferred => {
                                out.push(Event::End(TagEnd::Link));
                                out.push(Event::Html("</span>".into()));
                            }
                        }
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
                    let html = self.footnote_ref(label);
                    if !self.scan {
                        out.push(Event::InlineHtml(html.into()));
                    }
                }
                Event::Text(t) => {
                    // One TR110 per line; the line is only looked up for text with a `*`.
                    let reported = || {
                        let line = self.file.line_col(self.body_offset + range.start).0;
                        self.out.diagnostics.iter().any(|d| {
                            d.code == "TR110" && d.span.as_ref().is_some_and(|s| s.line == line)
                        })
                    };
                    if t.contains('*') && !reported() {
                        self.out.diagnostics.push(
                            Diagnostic::warning("TR110", "literal `*` left in the text: emphasis next to Japanese punctuation is not recognised")
                                .at(self.span(range.start, range.len()))
                                .hint("write <strong>「…」</strong> (or put a space outside the **), or escape a literal asterisk as \\*"),
                        );
                    }
                    let matcher = if terms && link_depth == 0 && raw_links <= 0 {
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
                Event::Html(h) | Event::InlineHtml(h) => {
                    raw_links += super::sanitize::anchor_change(h);
                    if !self.scan {
                        out.push(e.clone().into_static());
                    }
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
        if self.scan {
            return String::new();
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

    pub(super) fn footnotes(&mut self, defs: Vec<(String, Vec<Event<'static>>, Span)>) -> String {
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
            self.out.footnotes += 1;
            if self.scan {
                continue;
            }
            let num = self.fn_number(&label);
            let mut body = String::new();
            if !self.scan {
                pulldown_cmark::html::push_html(&mut body, evs.into_iter());
            }
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
