//! Text-level helpers: HTML escaping, CJK detection, soft-break joining, glossary links and
//! `lang` marking of Japanese runs inside English pages.

use super::{ROOT, TermPattern};
use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::Event;
use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

/// Escapes `&`, `<`, `>` and `"`.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Copies the runs between the four ASCII bytes whole (they never occur inside a UTF-8
    // sequence, so every cut is on a character boundary).
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(escaped);
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out
}

/// Whether `c` is a Japanese/CJK character or full-width punctuation (text that is written
/// without spaces between words).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F   // CJK punctuation
        | 0x3040..=0x30FF // hiragana, katakana
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF) // full-width forms
}

/// Drops a soft line break that falls between two Japanese characters: in Japanese a source
/// line break is not a word boundary, so it must not become a space.
pub fn join_cjk_soft_breaks<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let last_char = |e: &Event<'_>| match e {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        _ => None,
    };
    let first_char = |e: &Event<'_>| match e {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    };
    let mut out: Vec<(Event<'a>, Range<usize>)> = Vec::with_capacity(events.len());
    for i in 0..events.len() {
        if matches!(events[i].0, Event::SoftBreak) {
            let before = out.last().and_then(|(e, _)| last_char(e));
            let after = events.get(i + 1).and_then(|(e, _)| first_char(e));
            if before.is_some_and(is_cjk) && after.is_some_and(is_cjk) {
                continue;
            }
        }
        out.push(events[i].clone());
    }
    out
}

/// All glossary patterns of one language in one automaton, so a text node is scanned once
/// however many terms there are (leftmost-longest: longer terms win).
#[derive(Debug, Default)]
pub struct TermMatcher {
    /// The patterns, indexed like the automaton's pattern IDs.
    pub patterns: Vec<TermPattern>,
    automaton: Option<AhoCorasick>,
}

impl TermMatcher {
    /// Builds the automaton (patterns shorter than two characters are ignored).
    pub fn new(patterns: Vec<TermPattern>) -> TermMatcher {
        let patterns: Vec<TermPattern> = patterns
            .into_iter()
            .filter(|p| p.pattern.chars().count() >= 2)
            .collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|p| p.pattern.as_str()))
            .ok();
        TermMatcher {
            patterns,
            automaton,
        }
    }

    /// Term matches in `text`: (start, end, pattern).
    pub fn find<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, usize, &'a TermPattern)> + 'a {
        self.automaton.iter().flat_map(move |ac| {
            ac.find_iter(text)
                .map(|m| (m.start(), m.end(), &self.patterns[m.pattern().as_usize()]))
        })
    }
}

/// Renders a text node: escaped, with the first occurrence of each glossary term on the page
/// linked (with its definition as an accessible tooltip), and — on non-Japanese pages —
/// Japanese runs wrapped in `<span lang="ja">`.
pub fn text_html(
    text: &str,
    lang: &str,
    terms: Option<&TermMatcher>,
    linked: &mut HashSet<String>,
    used: &mut Vec<String>,
) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for (start, end, t) in terms.into_iter().flat_map(|m| m.find(text)) {
        if linked.contains(&t.id) || (lang != "ja" && !word_boundary(text, start, end - start)) {
            continue;
        }
        push_plain(&mut out, &text[last..start], lang);
        let tip = escape_html(&format!("tt-{}", t.id));
        out.push_str(&format!(
            "<span class=\"term\"><a class=\"term-link\" href=\"{ROOT}{}\" aria-describedby=\"{tip}\">",
            escape_html(&t.href)
        ));
        push_plain(&mut out, &text[start..end], lang);
        out.push_str(&format!(
            "</a><span class=\"term-def\" role=\"tooltip\" id=\"{tip}\">"
        ));
        push_plain(&mut out, &t.definition, lang);
        out.push_str("</span></span>");
        linked.insert(t.id.clone());
        used.push(t.id.clone());
        last = end;
    }
    push_plain(&mut out, &text[last..], lang);
    out
}

/// Records the terms `text` would link (the scan-only counterpart of [`text_html`]).
pub fn scan_terms(
    text: &str,
    lang: &str,
    terms: Option<&TermMatcher>,
    linked: &mut HashSet<String>,
    used: &mut Vec<String>,
) {
    for (start, end, t) in terms.into_iter().flat_map(|m| m.find(text)) {
        if linked.contains(&t.id) || (lang != "ja" && !word_boundary(text, start, end - start)) {
            continue;
        }
        linked.insert(t.id.clone());
        used.push(t.id.clone());
    }
}

fn word_boundary(s: &str, pos: usize, len: usize) -> bool {
    let before = s[..pos].chars().next_back();
    let after = s[pos + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

fn push_plain(out: &mut String, s: &str, lang: &str) {
    if lang == "ja" || !s.chars().any(is_cjk) {
        out.push_str(&escape_html(s));
        return;
    }
    let mut in_ja = false;
    let mut run = String::new();
    for c in s.chars() {
        let ja = is_cjk(c) && !matches!(c, '\u{3000}');
        if ja != in_ja && !run.is_empty() {
            flush(out, &run, in_ja);
            run.clear();
        }
        in_ja = ja;
        run.push(c);
    }
    flush(out, &run, in_ja);
}

fn flush(out: &mut String, run: &str, ja: bool) {
    if ja {
        out.push_str("<span lang=\"ja\">");
        out.push_str(&escape_html(run));
        out.push_str("</span>");
    } else {
        out.push_str(&escape_html(run));
    }
}
