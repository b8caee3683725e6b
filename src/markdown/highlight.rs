//! Code highlighting with syntect's pure-Rust regex engine, emitting CSS classes (the theme's
//! stylesheet colours them for light and dark schemes).

use super::escape_html;
use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// How many highlighted blocks each thread remembers.
const CACHED: usize = 16;

thread_local! {
    /// The blocks this thread highlighted last, by (language, code): the ja and en files of a
    /// section usually share their code blocks and are rendered one after the other, and
    /// highlighting is the slowest part of rendering. A few suffice; a site-wide cache held
    /// megabytes for no more hits.
    static RECENT: RefCell<VecDeque<(String, String, String)>> = const { RefCell::new(VecDeque::new()) };
}

/// A `<pre>` block; highlighted when the language is known, escaped text otherwise.
pub fn code_block(lang: &str, code: &str) -> String {
    let hit = RECENT.with_borrow(|r| {
        r.iter()
            .find(|(l, c, _)| l == lang && c == code)
            .map(|(_, _, html)| html.clone())
    });
    if let Some(html) = hit {
        return html;
    }
    let html = render_block(lang, code);
    RECENT.with_borrow_mut(|r| {
        if r.len() == CACHED {
            r.pop_front();
        }
        r.push_back((lang.to_string(), code.to_string(), html.clone()));
    });
    html
}

fn render_block(lang: &str, code: &str) -> String {
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_html(lang))
    };
    let body = (!lang.is_empty())
        .then(|| {
            let set = syntaxes();
            let syntax = set.find_syntax_by_token(lang)?;
            highlight_lines(set, ParseState::new(syntax), code)
        })
        .flatten()
        .unwrap_or_else(|| escape_html(code));
    format!(
        "<pre class=\"code\" translate=\"no\" tabindex=\"0\"><code{class}>{body}</code></pre>\n"
    )
}

/// The parser's and the HTML writer's state between two lines.
type LineState = (ParseState, ScopeStack);

/// One highlighted line: the state it starts in and ends in, its HTML and the `<span>`s it
/// leaves open.
struct Line {
    before: LineState,
    after: LineState,
    html: String,
    spans: isize,
}

/// Lines this thread remembers before it starts again.
const LINES: usize = 4_096;

thread_local! {
    /// Highlighted lines by text: code in documentation repeats its lines (imports, common
    /// calls, the same snippet with one word changed), and a line starting in the same state
    /// gives the same HTML and the same next state, so a repeat is looked up, not parsed.
    static SEEN: RefCell<(usize, HashMap<String, Vec<Line>>)> = RefCell::new((0, HashMap::new()));
}

/// Highlights `code` line by line (lines end with their newline, as the syntaxes expect),
/// as syntect's `ClassedHTMLGenerator` does, reusing lines seen in the same state.
fn highlight_lines(set: &SyntaxSet, parse: ParseState, code: &str) -> Option<String> {
    let mut state: LineState = (parse, ScopeStack::new());
    let mut html = String::with_capacity(code.len() * 4);
    let mut open: isize = 0;
    for line in LinesWithEndings::from(code) {
        let hit = SEEN.with_borrow(|(_, seen)| {
            let same = seen.get(line)?.iter().find(|l| l.before == state)?;
            Some((same.after.clone(), same.html.clone(), same.spans))
        });
        let (after, text, spans) = match hit {
            Some(h) => h,
            None => {
                let mut next = state.clone();
                let ops = next.0.parse_line(line, set).ok()?;
                let (text, spans) = line_tokens_to_classed_spans(
                    line,
                    &ops,
                    ClassStyle::SpacedPrefixed { prefix: "hl-" },
                    &mut next.1,
                )
                .ok()?;
                remember(line, &state, &next, &text, spans);
                (next, text, spans)
            }
        };
        html.push_str(&text);
        open += spans;
        state = after;
    }
    for _ in 0..open {
        html.push_str("</span>");
    }
    Some(html)
}

fn remember(line: &str, before: &LineState, after: &LineState, html: &str, spans: isize) {
    SEEN.with_borrow_mut(|(count, seen)| {
        if *count >= LINES {
            seen.clear();
            *count = 0;
        }
        *count += 1;
        seen.entry(line.to_string()).or_default().push(Line {
            before: before.clone(),
            after: after.clone(),
            html: html.to_string(),
            spans,
        });
    });
}
