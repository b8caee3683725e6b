//! The client-side search index: per language, the pages' titles and text tokenised into CJK
//! bigrams and ASCII words (so 事故前提社会, 重要インフラ, "incident" and IDs such as BP1-GA-P1
//! all match), written as static JSON that `static/search.js` queries offline.

use crate::markdown::is_cjk;
use serde::Serialize;
use std::collections::BTreeMap;

/// One searchable page.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// Root-relative URL.
    pub url: String,
    /// Page title.
    pub title: String,
    /// Kind label (document, section, item kind, term).
    pub kind: String,
    /// The text to index (not shipped whole).
    #[serde(skip)]
    pub text: String,
    /// The first characters of the text, shown under a hit.
    pub snippet: String,
}

/// Folds full-width ASCII to ASCII and ASCII to lower case (search keys only).
fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Tokens of a text: bigrams of each CJK run (a single character alone), and ASCII words
/// (a dashed word such as an ID also yields its parts). Must match `tokenize` in search.js.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().map(fold).collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) && !is_punct(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) && !is_punct(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            if run.len() == 1 {
                out.push(run[0].to_string());
            }
            for w in run.windows(2) {
                out.push(w.iter().collect());
            }
        } else if c.is_ascii_alphanumeric() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || (chars[i] == '-'
                        && chars.get(i + 1).is_some_and(char::is_ascii_alphanumeric)))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word.contains('-') {
                out.extend(
                    word.split('-')
                        .filter(|p| !p.is_empty())
                        .map(str::to_string),
                );
            }
            out.push(word);
        } else {
            i += 1;
        }
    }
    out
}

fn is_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
        || c == '・'
}

/// Removes tags (and glossary tooltips, which repeat definitions) and decodes the few entities
/// the renderer writes. Inline tags join their text without a space, so Japanese words that
/// contain a link still form bigrams.
pub fn html_text(html: &str) -> String {
    const BLOCK: &[&str] = &[
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "div",
        "br",
        "dt",
        "dd",
        "section",
        "blockquote",
        "aside",
        "tr",
        "figcaption",
    ];
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skip_depth = 0usize;
    while let Some(lt) = rest.find('<') {
        if skip_depth == 0 {
            out.push_str(&rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name == "span" {
            if skip_depth > 0 {
                if tag.starts_with('/') {
                    skip_depth -= 1;
                } else {
                    skip_depth += 1;
                }
            } else if tag.contains("class=\"term-def\"") {
                skip_depth = 1;
            }
        }
        if skip_depth == 0 && BLOCK.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    if skip_depth == 0 {
        out.push_str(rest);
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The index of one language as JSON: `{ "docs": [...], "index": { token: [doc numbers] } }`.
pub fn index_json(records: &[Record]) -> String {
    let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (n, r) in records.iter().enumerate() {
        let mut tokens = tokenize(&r.title);
        tokens.extend(tokenize(&r.text));
        tokens.sort();
        tokens.dedup();
        for t in tokens {
            index.entry(t).or_default().push(n);
        }
    }
    let value = serde_json::json!({ "version": 1, "docs": records, "index": index });
    let mut s = serde_json::to_string(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// A snippet: the first `n` characters of the text.
pub fn snippet(text: &str, n: usize) -> String {
    let mut s: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_is_bigrammed_and_ids_and_words_are_kept() {
        assert_eq!(
            tokenize("事故前提社会"),
            ["事故", "故前", "前提", "提社", "社会"]
        );
        assert_eq!(
            tokenize("重要インフラ、個人"),
            ["重要", "要イ", "イン", "ンフ", "フラ", "個人"]
        );
        assert_eq!(
            tokenize("See BP1-GA-P1."),
            ["see", "bp1", "ga", "p1", "bp1-ga-p1"]
        );
        assert_eq!(tokenize("ＣＥＰＴＯＡＲ"), ["ceptoar"]);
    }

    #[test]
    fn html_text_strips_tags() {
        assert_eq!(
            html_text("<p>政府は<a href=\"x\">基準</a>を&amp;</p><p>次</p>"),
            "政府は基準を& 次"
        );
        let term = "<span class=\"term\"><a>重要インフラ</a><span class=\"term-def\" role=\"tooltip\">定義<span lang=\"ja\">語</span></span></span>の";
        assert_eq!(html_text(term), "重要インフラの");
    }
}
