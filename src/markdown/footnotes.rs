//! Footnotes: references that keep the source's numbers, the list at the end of the page with
//! back-links, and the ASCII anchors of their labels.

use super::renderer::Renderer;
use crate::diagnostic::{Diagnostic, Span};
use pulldown_cmark::{Event, Tag};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// The anchor key of every footnote label on the page (`fn-KEY`, `fnref-KEY`, `fnref-KEY-2`
/// for a second reference). A label of ASCII letters, digits, `-` and `_` is its own key
/// (`[^5]` → `fn-5`); any other (`[^注]`) gets `u` and a stable hash of the label. Should a
/// label's anchors still meet an earlier label's (`[^a]` referenced twice and `[^a-2]`, or two
/// hashes alike), the later label's key gets `-x2`, `-x3`, …: no two notes ever share an anchor.
/// Also returns every anchor the footnotes put on the page (the list's own `footnotes`
/// included), which no heading may take.
pub(super) fn keys(
    events: &[(Event<'_>, Range<usize>)],
) -> (BTreeMap<String, String>, BTreeSet<String>) {
    // Labels in order of first appearance, with their number of references, and how each
    // was first spelled (its anchor keeps that spelling).
    let mut order: Vec<(String, usize)> = Vec::new();
    let mut spelling: BTreeMap<String, String> = BTreeMap::new();
    for (e, _) in events {
        let (label, is_ref) = match e {
            Event::Start(Tag::FootnoteDefinition(l)) => (l, false),
            Event::FootnoteReference(l) => (l, true),
            _ => continue,
        };
        let k = match order.iter().position(|(l, _)| *l == ident(label)) {
            Some(k) => k,
            None => {
                order.push((ident(label), 0));
                order.len() - 1
            }
        };
        order[k].1 += usize::from(is_ref);
        spelling
            .entry(ident(label))
            .or_insert_with(|| label.to_string());
    }
    let mut keys = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for (label, refs) in order {
        let base = key_of(spelling.get(&label).unwrap_or(&label));
        let mut key = base.clone();
        let mut n = 1;
        loop {
            let ids = anchors(&key, refs);
            if ids.iter().all(|id| !taken.contains(id)) {
                taken.extend(ids);
                break;
            }
            n += 1;
            key = format!("{base}-x{n}");
        }
        keys.insert(label, key);
    }
    if !keys.is_empty() {
        taken.insert("footnotes".to_string());
    }
    (keys, taken)
}

/// The anchors a note with `key` and `refs` references puts on the page.
fn anchors(key: &str, refs: usize) -> Vec<String> {
    let mut ids = vec![format!("fn-{key}"), format!("fnref-{key}")];
    ids.extend((2..=refs).map(|k| format!("fnref-{key}-{k}")));
    ids
}

/// A label's identity: the parser matches labels regardless of case (`[^Note]` refers to
/// `[^NOTE]:`), so references, numbers and anchors do too.
fn ident(label: &str) -> String {
    label.to_lowercase()
}

fn key_of(label: &str) -> String {
    if !label.is_empty()
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return label.to_string();
    }
    format!("u{:08x}", crate::source::fnv1a(label.as_bytes()) as u32)
}

impl Renderer<'_> {
    fn fn_key(&self, label: &str) -> String {
        self.fn_keys
            .get(&ident(label))
            .cloned()
            .unwrap_or_else(|| key_of(label))
    }

    pub(super) fn footnote_ref(&mut self, label: &str) -> String {
        let n = self.fn_refs.entry(ident(label)).or_insert(0);
        *n += 1;
        let n = *n;
        if n == 1 {
            self.fn_order.push(ident(label));
        }
        if self.scan {
            return String::new();
        }
        let key = self.fn_key(label);
        let id = if n == 1 {
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
            let id = ident(label);
            (self.fn_order.iter().position(|l| *l == id).unwrap_or(0) + 1).to_string()
        }
    }

    pub(super) fn footnotes(&mut self, defs: Vec<(String, Vec<Event<'static>>, Span)>) -> String {
        if defs.is_empty() {
            return String::new();
        }
        let (heading, back) = (super::ui("footnotes"), super::ui("footnote_back"));
        let mut html = format!(
            "<section class=\"footnotes\" aria-labelledby=\"footnotes\">\n<h2 id=\"footnotes\">{heading}</h2>\n<ol class=\"footnote-list\">\n"
        );
        let mut defs = defs;
        defs.sort_by_key(|(l, _, _)| {
            (
                l.parse::<u64>().unwrap_or(u64::MAX),
                self.fn_order.iter().position(|x| *x == ident(l)),
            )
        });
        for (label, evs, span) in defs {
            let refs = self.fn_refs.get(&ident(&label)).copied().unwrap_or(0);
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
            html.push_str(&self.footnote_item(&label, evs, refs, &back));
        }
        html.push_str("</ol>\n</section>\n");
        html
    }

    fn footnote_item(
        &self,
        label: &str,
        evs: Vec<Event<'static>>,
        refs: usize,
        back: &str,
    ) -> String {
        let key = self.fn_key(label);
        let num = self.fn_number(label);
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
        // The back-links end the note's last line: inside its last paragraph, also when the
        // note ends with an editorial note (a block of its own would put them on a line alone).
        let body = body.trim_end();
        let at = ["</p>", "</p>\n</aside>"]
            .iter()
            .find(|end| body.ends_with(*end))
            .map_or(body.len(), |end| body.len() - end.len());
        format!(
            "<li id=\"fn-{key}\" value=\"{num}\">{}{backs}{}</li>\n",
            &body[..at],
            &body[at..]
        )
    }
}
