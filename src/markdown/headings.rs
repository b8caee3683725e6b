//! Headings: levels under the page title, anchors (explicit `{#id}` or generated `h-N`, never
//! two alike on a page) and the in-page outline.
//!
//! The page title is the page's h1, so the section's top heading level becomes h2 and the rest
//! follow it down. Markdown has six levels and so does the shifted outline: a level past h6 is
//! written `<p role="heading" aria-level="7">`, which assistive technology reads as a heading
//! of that level (HTML has no `<h7>`).

use super::renderer::{Renderer, Run};
use super::{Heading, escape_html};
use crate::diagnostic::Diagnostic;
use pulldown_cmark::{Event, HeadingLevel, Tag};
use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

/// Every explicit `{#id}` of the page's headings, nested ones included: generated anchors
/// avoid them all, also those of later headings.
pub(super) fn explicit_ids(events: &[(Event<'_>, Range<usize>)]) -> HashSet<String> {
    events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

/// The IDs the page around a section's text gives its own elements (skip link target, menus,
/// the item page's chain): a heading may not take them, or a link to one would go elsewhere.
pub(super) const RESERVED: &[&str] = &[
    "main",
    "site-search-q",
    "sidebar-heading",
    "page-toc-heading",
    "toc-heading",
    "trace-heading",
    "chain-up",
    "chain-down",
    "other-links-heading",
];

/// The opening tag of a heading of (shifted) level `n`.
pub(super) fn open_tag(n: u8, id: Option<&str>, class: &str) -> String {
    let id = id.map_or_else(String::new, |id| format!(" id=\"{}\"", escape_html(id)));
    if n <= 6 {
        format!("<h{n}{id}{class}>")
    } else {
        format!("<p role=\"heading\" aria-level=\"{n}\"{id}{class}>")
    }
}

/// The closing tag matching [`open_tag`].
pub(super) fn close_tag(n: u8) -> String {
    if n <= 6 {
        format!("</h{n}>\n")
    } else {
        "</p>\n".to_string()
    }
}

impl Renderer<'_> {
    /// A heading inside a quote or list: shifted like the others, not in the outline.
    pub(super) fn nested_heading(&mut self, e: &Event<'_>, range: &Range<usize>, run: &mut Run) {
        let html = match e {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let id = id.as_deref().map(|id| self.anchor(Some(id), range.start));
                let n = self.shown_level(*level);
                run.headings.push(n);
                open_tag(n, id.as_deref(), "")
            }
            _ => close_tag(run.headings.pop().unwrap_or(2)),
        };
        if !self.scan {
            run.out.push(Event::Html(html.into()));
        }
    }

    /// The level a Markdown heading level is shown at (2 and down from the top heading).
    pub(super) fn shown_level(&self, level: HeadingLevel) -> u8 {
        (i16::from(level as u8) - self.level_shift).clamp(2, 7) as u8
    }

    /// The anchor of a heading at `offset`: its explicit ID, or `h-N` (N its position) moved
    /// aside (`h-N-2`, …) when an explicit ID on the page already is `h-N`. A second heading
    /// with an explicit ID the page already has is an error (MD003).
    pub(super) fn anchor(&mut self, id: Option<&str>, offset: usize) -> String {
        let Some(id) = id else {
            let base = format!("h-{}", self.heading_count);
            let mut id = base.clone();
            let mut n = 1;
            while self.explicit_ids.contains(&id) || self.anchors.contains_key(&id) {
                n += 1;
                id = format!("{base}-{n}");
            }
            self.anchors.insert(id.clone(), offset);
            return id;
        };
        if RESERVED.contains(&id) {
            self.out.diagnostics.push(
                Diagnostic::error(
                    "MD003",
                    format!("anchor `#{id}` is taken by the page layout"),
                )
                .at(self.span(offset, 0))
                .hint(format!(
                    "the page around the text uses `#{id}`; give the heading another {{#…}}"
                )),
            );
        } else if self.fn_anchors.contains(id) {
            self.out.diagnostics.push(
                Diagnostic::error("MD003", format!("duplicate anchor `#{id}` on this page"))
                    .at(self.span(offset, 0))
                    .hint("the footnotes already use it; give the heading another {#…}"),
            );
        } else if let Some(&first) = self.anchors.get(id) {
            let first = self.span(first, 0);
            self.out.diagnostics.push(
                Diagnostic::error("MD003", format!("duplicate anchor `#{id}` on this page"))
                    .at(self.span(offset, 0))
                    .hint(format!(
                        "the heading at {first} already has it; give one of them another {{#…}}"
                    ))
                    .related(first),
            );
        } else {
            self.anchors.insert(id.to_string(), offset);
        }
        id.to_string()
    }

    /// The anchor of the `n`th top-level paragraph under the heading with anchor `under`
    /// (`{under}-p{n}`, or `p{n}` before the first heading), moved aside (`-x2`, …) should it
    /// meet a heading's explicit ID, a footnote's anchor or another paragraph's. It depends
    /// only on the paragraph's place in its passage, so both languages of a section with the
    /// same structure give a paragraph the same anchor.
    pub(super) fn paragraph_anchor(&mut self, under: Option<&str>, n: usize) -> String {
        let base = match under {
            Some(h) => format!("{h}-p{n}"),
            None => format!("p{n}"),
        };
        let mut id = base.clone();
        let mut k = 1;
        while self.explicit_ids.contains(&id)
            || self.fn_anchors.contains(&id)
            || self.anchors.contains_key(&id)
            || self.paragraph_ids.contains(&id)
        {
            k += 1;
            id = format!("{base}-x{k}");
        }
        self.paragraph_ids.insert(id.clone());
        id
    }

    /// A top-level heading: its HTML and its outline entry.
    pub(super) fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<&str>,
        inner: &[(Event<'_>, Range<usize>)],
        offset: usize,
    ) -> (Heading, String) {
        self.heading_count += 1;
        let text: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = self.anchor(id, offset);
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
        let n = self.shown_level(level);
        let html = if self.scan {
            String::new()
        } else {
            let mut inner_html = String::new();
            pulldown_cmark::html::push_html(&mut inner_html, evs.into_iter());
            let class = if self.ctx.is_item(&id) {
                " class=\"item-heading\""
            } else {
                ""
            };
            format!(
                "{}{inner_html}{}",
                open_tag(n, Some(&id), class),
                close_tag(n)
            )
        };
        let h = Heading {
            level: n,
            id,
            text: text.trim().to_string(),
        };
        if !self.scan {
            // Only pages read them; a scan's result is kept for the whole check.
            self.out.headings.push(h.clone());
        }
        (h, html)
    }
}

/// Moves every heading this renderer wrote with an anchor up by `by` levels (not above h2),
/// for an item's prose under its own page's title. A `<p role="heading" aria-level="7">` that
/// comes within h6 becomes that `<hN>`.
pub(super) fn shift_headings(html: &str, by: u8) -> String {
    if by == 0 {
        return html.to_string();
    }
    const LEVEL7: &str = "<p role=\"heading\" aria-level=\"7\" id=";
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    // The level a `<p role="heading">` became, until its `</p>`.
    let mut open_p: Option<u8> = None;
    for i in memchr::memchr_iter(b'<', bytes) {
        if i < last {
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with(LEVEL7) {
            let n = 7u8.saturating_sub(by).max(2);
            out.push_str(&html[last..i]);
            out.push_str(&format!("<h{n} id="));
            last = i + LEVEL7.len();
            open_p = Some(n);
            continue;
        }
        if let (Some(n), true) = (open_p, rest.starts_with("</p>")) {
            out.push_str(&html[last..i]);
            out.push_str(&format!("</h{n}>"));
            last = i + 4;
            open_p = None;
            continue;
        }
        // `<hN id=` and `</hN>` with N in 3..=6 move up by `by`, never above h2 (headings
        // without an ID are the renderer's own and stay).
        let digit = match bytes.get(i + 1..i + 3) {
            Some([b'h', _]) if bytes[i + 3..].starts_with(b" id=") => i + 2,
            Some([b'/', b'h']) if bytes.get(i + 4) == Some(&b'>') => i + 3,
            _ => continue,
        };
        let n = bytes[digit];
        if !(b'3'..=b'6').contains(&n) {
            continue;
        }
        out.push_str(&html[last..digit]);
        out.push(char::from(b'0' + (n - b'0').saturating_sub(by).max(2)));
        last = digit + 1;
    }
    out.push_str(&html[last..]);
    out
}
