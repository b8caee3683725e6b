//! Text-level helpers: HTML escaping, CJK detection, soft-break joining, glossary links and
//! `lang` marking of Japanese runs inside English pages.

use super::{ROOT, TermPattern};
use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{Event, Tag, TagEnd};
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

/// Whether `c` is Japanese punctuation: the CJK symbols block, the katakana middle dot and the
/// full-width forms of ASCII punctuation (what keeps a `*` run next to it from opening or
/// closing emphasis).
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F
        | 0x30FB
        | 0xFF01..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65)
}

/// What the reader sees of an event next to a soft break: a character of text, markup that
/// shows no text of its own (looked through), or a boundary.
enum Side {
    Char(Option<char>),
    Through,
    Boundary,
}

fn side(e: &Event<'_>, last: bool) -> Side {
    match e {
        Event::Text(t) | Event::Code(t) if t.is_empty() => Side::Through,
        Event::Text(t) | Event::Code(t) => Side::Char(if last {
            t.chars().next_back()
        } else {
            t.chars().next()
        }),
        // Inline markup wraps text without adding any; a footnote reference is a superscript
        // number the line runs past; raw inline tags are markup too.
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
        | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link)
        | Event::FootnoteReference(_)
        | Event::InlineHtml(_) => Side::Through,
        _ => Side::Boundary,
    }
}

/// The first visible character met walking `events` (already in walking order).
fn visible<'e, 'a: 'e>(
    events: impl Iterator<Item = &'e (Event<'a>, Range<usize>)>,
    last: bool,
) -> Option<char> {
    for (e, _) in events {
        match side(e, last) {
            Side::Char(c) => return c,
            Side::Through => {}
            Side::Boundary => return None,
        }
    }
    None
}

/// Drops a soft line break that falls between two Japanese characters: in Japanese a source
/// line break is not a word boundary, so it must not become a space. The characters are the
/// last one shown before the break and the first one after it, looking through emphasis,
/// links, footnote references and inline tags (`語と**強調**⏎です。` joins too).
pub fn join_cjk_soft_breaks<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let drop: Vec<bool> = (0..events.len())
        .map(|i| {
            matches!(events[i].0, Event::SoftBreak)
                && visible(events[..i].iter().rev(), true).is_some_and(is_cjk)
                && visible(events[i + 1..].iter(), false).is_some_and(is_cjk)
        })
        .collect();
    events
        .into_iter()
        .zip(drop)
        .filter_map(|(e, d)| (!d).then_some(e))
        .collect()
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
    linked: &mut HashSet<std::sync::Arc<str>>,
    used: &mut Vec<std::sync::Arc<str>>,
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
    linked: &mut HashSet<std::sync::Arc<str>>,
    used: &mut Vec<std::sync::Arc<str>>,
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

/// The body offset of the first `*` run in a text node's source `src` (which starts at
/// `start` in `body`) that is a real delimiter run — not escaped (`\*`), not an entity
/// (`&#42;` has no `*` in the source) — standing next to Japanese punctuation. Such a run is
/// only text because the punctuation kept it from opening or closing emphasis
/// (`これは**「重要」**です`); a `*` between spaces (`2 * 3`) is not reported.
pub fn stranded_emphasis(body: &str, start: usize, src: &str) -> Option<usize> {
    let all = body.as_bytes();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'*', &src.as_bytes()[i..]) {
        // The whole run as written: the parser may split one run over two text nodes.
        let star = start + i + k;
        let run_start = star - all[..star].iter().rev().take_while(|b| **b == b'*').count();
        let run_end = star + all[star..].iter().take_while(|b| **b == b'*').count();
        i = (run_end - start).min(src.len());
        let backslashes = all[..run_start]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        if backslashes % 2 == 1 {
            continue;
        }
        let before = body[..run_start].chars().next_back();
        let after = body[run_end..].chars().next();
        if before.is_some_and(is_cjk_punct) || after.is_some_and(is_cjk_punct) {
            return Some(run_start);
        }
    }
    None
}
