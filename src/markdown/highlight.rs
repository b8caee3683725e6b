//! Code highlighting with syntect's pure-Rust regex engine, emitting CSS classes (the theme's
//! stylesheet colours them for light and dark schemes).

use super::escape_html;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
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
            let mut generator = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                set,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            for line in LinesWithEndings::from(code) {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .ok()?;
            }
            Some(generator.finalize())
        })
        .flatten()
        .unwrap_or_else(|| escape_html(code));
    format!(
        "<pre class=\"code\" translate=\"no\" tabindex=\"0\"><code{class}>{body}</code></pre>\n"
    )
}
