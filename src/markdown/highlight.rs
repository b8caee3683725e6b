//! Code highlighting with syntect's pure-Rust regex engine, emitting CSS classes (the theme's
//! stylesheet colours them for light and dark schemes).

use super::escape_html;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlighted blocks already rendered, by (language, code): the ja and en files of a section
/// usually share their code blocks, and highlighting is the slowest part of rendering.
fn cache() -> &'static Mutex<HashMap<(String, String), String>> {
    static CACHE: OnceLock<Mutex<HashMap<(String, String), String>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// A `<pre>` block; highlighted when the language is known, escaped text otherwise.
pub fn code_block(lang: &str, code: &str) -> String {
    let key = (lang.to_string(), code.to_string());
    if let Some(hit) = cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let html = render_block(lang, code);
    if let Ok(mut c) = cache().lock() {
        // Bounded so a long `serve` session cannot grow it without limit.
        if c.len() > 4096 {
            c.clear();
        }
        c.insert(key, html.clone());
    }
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
