//! Raw HTML and link URLs in Markdown, under the site's `raw_html` policy (content arrives in
//! pull requests, so by default it is cleaned before it is published).
//!
//! pulldown-cmark hands raw HTML over in pieces: an HTML block line by line, an inline
//! `<span>…</span>` as two events with the Markdown between them. Each *region* — raw pieces
//! up to where their elements close, with the Markdown runs between them — is cleaned as one
//! fragment by ammonia: the runs stand in as placeholders, and after cleaning the Markdown
//! events go back in where their placeholders survived. Markdown outside raw HTML is not
//! touched, so a page without raw HTML is byte for byte what it was.
//!
//! Every removal is a finding at its `file:line:col` (MD010); a Markdown link or image with a
//! dangerous URL scheme loses its link (MD011); under `raw_html = "deny"` raw HTML is an
//! error (MD012).

mod policy;
mod tags;
mod unforeseen;

use crate::config::RawHtml;
use crate::diagnostic::{Diagnostic, Span};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::ops::Range;

type Ev<'a> = (Event<'a>, Range<usize>);

/// Where a finding points: (body offset, length) → span.
pub(super) type SpanOf<'s> = &'s dyn Fn(usize, usize) -> Span;

/// Applies `mode` to the events of one section body. `html: false` (a scan) only reports.
pub(super) fn apply<'a>(
    events: Vec<Ev<'a>>,
    body: &str,
    mode: RawHtml,
    html: bool,
    span: SpanOf<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Ev<'a>> {
    if mode == RawHtml::Allow {
        return events;
    }
    let events = drop_unsafe_links(events, span, diags);
    if !events.iter().any(|(e, _)| is_raw(e)) {
        return events;
    }
    // An HTML block's start and end write nothing; without them a figure that wraps a Markdown
    // table (three blocks) is one run of raw pieces at the same level.
    let events: Vec<Ev<'a>> = events
        .into_iter()
        .filter(|(e, _)| {
            !matches!(
                e,
                Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock)
            )
        })
        .collect();
    let mut walk = Walk {
        body,
        mode,
        html,
        span,
        diags,
    };
    let mut out = Vec::with_capacity(events.len());
    walk.events(&events, &mut out);
    out
}

/// One pass over a section's events.
struct Walk<'w, 's> {
    body: &'w str,
    mode: RawHtml,
    html: bool,
    span: SpanOf<'s>,
    diags: &'w mut Vec<Diagnostic>,
}

impl Walk<'_, '_> {
    /// Copies `events` to `out`, each raw HTML region reported and (when writing HTML) cleaned.
    fn events<'a>(&mut self, events: &[Ev<'a>], out: &mut Vec<Ev<'a>>) {
        let mut i = 0;
        while i < events.len() {
            if !is_raw(&events[i].0) {
                out.push(events[i].clone());
                i += 1;
                continue;
            }
            let region = Region::at(events, i);
            let cleaned = policy::cleaner()
                .clean(&region.fragment(events))
                .to_string();
            region.report(events, &cleaned, self);
            if self.html {
                region.clean_into(events, &cleaned, self, out);
            } else {
                // Raw HTML nested in the Markdown between the pieces is reported too.
                for run in region.runs() {
                    self.events(&events[run], &mut Vec::new());
                }
                out.extend(events[i..region.end].iter().cloned());
            }
            i = region.end;
        }
    }
}

/// How many raw `<a>` elements `html` opens (positive) or closes (negative): text inside a
/// raw link gets no glossary link.
pub(super) fn anchor_change(html: &str) -> isize {
    tags::tags(html)
        .iter()
        .filter(|t| t.name == "a")
        .map(|t| if t.end { -1 } else { 1 })
        .sum()
}

fn is_raw(e: &Event<'_>) -> bool {
    matches!(e, Event::Html(_) | Event::InlineHtml(_))
}

fn raw_text<'e>(e: &'e Event<'_>) -> &'e str {
    match e {
        Event::Html(t) | Event::InlineHtml(t) => t,
        _ => "",
    }
}

/// Removes the link of a Markdown link or image whose URL has a dangerous scheme (its text,
/// or the image's alt text, stays as plain text).
fn drop_unsafe_links<'a>(
    events: Vec<Ev<'a>>,
    span: SpanOf<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Ev<'a>> {
    let unsafe_link = |e: &Event<'_>| match e {
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            !dest_url.starts_with('@') && !policy::url_allowed(dest_url)
        }
        _ => false,
    };
    // Nearly every section has none: keep its events as they are.
    if !events.iter().any(|(e, _)| unsafe_link(e)) {
        return events;
    }
    let mut drop_end: Vec<bool> = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    for (e, r) in events {
        match &e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let bad = unsafe_link(&e);
                drop_end.push(bad);
                if bad {
                    let what = if matches!(e, Event::Start(Tag::Image { .. })) {
                        "image"
                    } else {
                        "link"
                    };
                    let scheme = policy::scheme(dest_url).unwrap_or_default();
                    diags.push(
                        Diagnostic::warning(
                            "MD011",
                            format!("{what} to a `{scheme}:` URL removed (its text is kept)"),
                        )
                        .at(span(r.start, r.len()))
                        .hint("links and images may use http, https, mailto and tel URLs, relative ones, or @ID"),
                    );
                    continue;
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) if drop_end.pop().unwrap_or(false) => {
                continue;
            }
            _ => {}
        }
        out.push((e, r));
    }
    out
}

/// A run of raw HTML pieces and the Markdown between them, cleaned as one fragment.
struct Region {
    /// Indices of the raw events.
    raw: Vec<usize>,
    /// Index after the region's last raw event.
    end: usize,
}

impl Region {
    /// The region starting at the raw event `start`: raw pieces at this level up to where their
    /// elements are closed, never beyond the container the region starts in.
    fn at(events: &[Ev<'_>], start: usize) -> Region {
        let mut raw = Vec::new();
        let (mut depth, mut level) = (0isize, 0usize);
        let mut end = start;
        for (j, (e, _)) in events.iter().enumerate().skip(start) {
            if level == 0 && is_raw(e) {
                raw.push(j);
                depth += tags::tags(raw_text(e))
                    .iter()
                    .map(tags::Tag::depth_change)
                    .sum::<isize>();
                end = j + 1;
                continue;
            }
            if level == 0 && depth <= 0 {
                break;
            }
            match e {
                Event::Start(_) => level += 1,
                Event::End(_) if level == 0 => break,
                Event::End(_) => level -= 1,
                _ => {}
            }
        }
        Region { raw, end }
    }

    /// The raw text of the region (pieces joined) and where each piece starts in it and in the
    /// body.
    fn text(&self, events: &[Ev<'_>], body: &str) -> (String, Vec<(usize, usize)>) {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(self.raw.len());
        for &j in &self.raw {
            let (e, r) = &events[j];
            let piece = raw_text(e);
            // The event's text is normally the source slice; inside a container (`> <div>`)
            // it is found within it.
            let src = body.get(r.clone()).unwrap_or("");
            let base =
                r.start + memchr::memmem::find(src.as_bytes(), piece.as_bytes()).unwrap_or(0);
            starts.push((text.len(), base));
            text.push_str(piece);
        }
        (text, starts)
    }

    /// The gaps between the raw pieces: Markdown runs, each balanced.
    fn runs(&self) -> Vec<Range<usize>> {
        self.raw
            .windows(2)
            .filter(|w| w[0] + 1 < w[1])
            .map(|w| w[0] + 1..w[1])
            .collect()
    }

    fn report(&self, events: &[Ev<'_>], cleaned: &str, w: &mut Walk<'_, '_>) {
        let (text, starts) = self.text(events, w.body);
        let span = w.span;
        let at = |p: usize| {
            let k = starts.partition_point(|(s, _)| *s <= p).saturating_sub(1);
            starts.get(k).map_or(p, |(s, base)| base + (p - s))
        };
        let all = tags::tags(&text);
        if w.mode == RawHtml::Deny {
            if let Some(t) = all.iter().find(|t| !t.end) {
                w.diags.push(
                    Diagnostic::error(
                        "MD012",
                        format!("raw HTML `<{}>` is not allowed on this site", t.name),
                    )
                    .at(span(at(t.at), t.len))
                    .hint("plansite.toml sets raw_html = \"deny\": write it in Markdown"),
                );
            }
            return;
        }
        for t in &all {
            for (off, len, what, hint) in policy::removals(t) {
                w.diags.push(
                    Diagnostic::warning("MD010", what)
                        .at(span(at(off), len))
                        .hint(hint),
                );
            }
        }
        for (off, len, what) in unforeseen::dropped(&all, cleaned) {
            w.diags.push(
                Diagnostic::warning("MD010", what)
                    .at(span(at(off), len))
                    .hint("HTML parsing rules drop it there: check the nesting and write each attribute once"),
            );
        }
    }

    /// Pushes the cleaned region: cleaned raw HTML, with the Markdown runs between the raw
    /// pieces back where they were (or gone, when the cleaner dropped their place).
    fn clean_into<'a>(
        &self,
        events: &[Ev<'a>],
        cleaned: &str,
        w: &mut Walk<'_, '_>,
        out: &mut Vec<Ev<'a>>,
    ) {
        let first = &events[self.raw[0]];
        let block = matches!(first.0, Event::Html(_));
        let runs = self.runs();
        let mut used = vec![false; runs.len()];
        let mut rest = cleaned;
        loop {
            let found = find_placeholder(rest);
            let piece = found.map_or(rest, |(at, _, _)| &rest[..at]);
            push_raw(out, strip_placeholders(piece), block, first.1.clone());
            let Some((_, k, next)) = found else { break };
            if let Some(run) = runs.get(k).filter(|_| !used[k]) {
                used[k] = true;
                w.events(&events[run.clone()], out);
            }
            rest = &rest[next..];
        }
    }

    /// The fragment to clean: raw pieces, with [`placeholder`] `k` for Markdown run k.
    fn fragment(&self, events: &[Ev<'_>]) -> String {
        let mut s = String::new();
        let mut runs = 0;
        for (n, &j) in self.raw.iter().enumerate() {
            if n > 0 && self.raw[n - 1] + 1 < j {
                s.push_str(&placeholder(runs));
                runs += 1;
            }
            // Markers written by the author are not placeholders.
            s.push_str(&raw_text(&events[j].0).replace(['\u{E000}', '\u{E001}'], "\u{FFFD}"));
        }
        s
    }
}

/// Where Markdown run `k` goes in a fragment: `&lt;\u{E000}k\u{E001}"&gt;`, text the cleaner
/// writes back exactly so only where it stays text. In an attribute value its `"` comes back
/// as `&quot;` (or ends the value), so a run never lands inside an attribute (the serialiser
/// escapes `<` and `>` in attribute values too, so those alone would not tell).
fn placeholder(k: usize) -> String {
    format!("&lt;\u{E000}{k}\u{E001}\"&gt;")
}

/// The next placeholder left as text in `s`: (offset, run number, offset after it).
fn find_placeholder(s: &str) -> Option<(usize, usize, usize)> {
    const HEAD: &str = "&lt;\u{E000}";
    const TAIL: &str = "\u{E001}\"&gt;";
    let mut from = 0;
    while let Some(k) = s[from..].find(HEAD) {
        let at = from + k;
        let digits = &s[at + HEAD.len()..];
        let n = digits.bytes().take_while(u8::is_ascii_digit).count();
        if n > 0 && digits[n..].starts_with(TAIL) {
            let k = digits[..n].parse().unwrap_or(usize::MAX);
            return Some((at, k, at + HEAD.len() + n + TAIL.len()));
        }
        from = at + 1;
    }
    None
}

/// `s` without what is left of placeholders the cleaner moved into an attribute value (or
/// cut there): every `\u{E000}` is one of ours (the author's are replaced), removed with the
/// `&lt;` (or `<`) before it, its number, `\u{E001}` and an escaped `"&gt;` after it. None of
/// these is markup: removing them cannot open or close anything.
fn strip_placeholders(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(k) = rest.find('\u{E000}') {
        let before = &rest[..k];
        let before = (before.strip_suffix("&lt;"))
            .or_else(|| before.strip_suffix('<'))
            .unwrap_or(before);
        out.push_str(before);
        let after = &rest[k + '\u{E000}'.len_utf8()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let tail = &after[digits..];
        let tail = tail.strip_prefix('\u{E001}').unwrap_or(tail);
        // Only the escaped form is inside the value: a bare `"` after the number is the
        // serialiser's own, closing a value our `"` cut short, and stays.
        rest = tail.strip_prefix("&quot;&gt;").unwrap_or(tail);
    }
    out.push_str(rest);
    out
}

fn push_raw<'a>(out: &mut Vec<Ev<'a>>, html: String, block: bool, range: Range<usize>) {
    if html.is_empty() {
        return;
    }
    let html = CowStr::from(html);
    out.push(if block {
        (Event::Html(html), range)
    } else {
        (Event::InlineHtml(html), range)
    });
}

#[cfg(test)]
mod tests;
