//! Search text: the words of a rendered page (tags and tooltips removed, entities decoded,
//! whitespace collapsed) and their tokens (CJK bigrams, ASCII words and IDs). Both run over
//! every page of a build, so each is one pass without intermediate copies.

use crate::markdown::is_cjk;

/// Folds full-width ASCII to ASCII and ASCII to lower case (search keys only).
pub(super) fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Tokens of a text: bigrams of each CJK run (a single character alone), and ASCII words
/// (a dashed word such as an ID also yields its parts). Must match `tokenize` in search.js.
pub fn tokenize(text: &str) -> Vec<String> {
    let folded: String = text.chars().map(fold).collect();
    let mut out = Vec::new();
    for_each_token(&folded, |t| out.push(t.to_string()));
    out
}

fn is_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
        || c == '・'
}

fn is_word_char(c: char) -> bool {
    is_cjk(c) && !is_punct(c)
}

/// Calls `f` with every token of an already folded text (see [`tokenize`]).
pub(super) fn for_each_token<'a>(folded: &'a str, mut f: impl FnMut(&'a str)) {
    let mut chars = folded.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if is_word_char(c) {
            // Each pair of neighbours in the run; a run of one character is its own token.
            let mut prev = start;
            let mut single = true;
            while let Some(&(i, d)) = chars.peek() {
                if !is_word_char(d) {
                    break;
                }
                f(&folded[prev..i + d.len_utf8()]);
                prev = i;
                single = false;
                chars.next();
            }
            if single {
                f(&folded[start..start + c.len_utf8()]);
            }
        } else if c.is_ascii_alphanumeric() {
            // ASCII letters and digits, with single dashes between them (IDs such as BP1-GA-P1).
            let mut end = start + 1;
            while let Some(&(i, d)) = chars.peek() {
                let joins = d.is_ascii_alphanumeric()
                    || (d == '-'
                        && folded[i + 1..]
                            .chars()
                            .next()
                            .is_some_and(|n| n.is_ascii_alphanumeric()));
                if !joins {
                    break;
                }
                end = i + 1;
                chars.next();
            }
            let word = &folded[start..end];
            if word.contains('-') {
                word.split('-').filter(|p| !p.is_empty()).for_each(&mut f);
            }
            f(word);
        }
    }
}

/// Tags after which the text of the next block starts (a space in the search text).
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

/// The entities the renderer writes, decoded.
const ENTITIES: [(&str, char); 5] = [
    ("&amp;", '&'),
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&#39;", '\''),
];

/// Appends text with runs of whitespace collapsed to one space and none at the start.
struct Collapsed {
    out: String,
    space: bool,
}

impl Collapsed {
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space = !self.out.is_empty();
        } else {
            if self.space {
                self.out.push(' ');
                self.space = false;
            }
            self.out.push(c);
        }
    }

    /// Text between tags, with entities decoded.
    fn push_text(&mut self, mut text: &str) {
        while let Some(amp) = text.find('&') {
            text[..amp].chars().for_each(|c| self.push(c));
            let rest = &text[amp..];
            match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, c)) => {
                    self.push(*c);
                    text = &rest[e.len()..];
                }
                None => {
                    self.push('&');
                    text = &rest[1..];
                }
            }
        }
        text.chars().for_each(|c| self.push(c));
    }
}

/// Removes tags (and glossary tooltips, which repeat definitions) and decodes the few entities
/// the renderer writes. Inline tags join their text without a space, so Japanese words that
/// contain a link still form bigrams.
pub fn html_text(html: &str) -> String {
    let mut text = Collapsed {
        out: String::with_capacity(html.len() / 2),
        space: false,
    };
    let mut rest = html;
    let mut skip_depth = 0usize;
    while let Some(lt) = rest.find('<') {
        if skip_depth == 0 {
            text.push_text(&rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>') else {
            rest = &rest[lt..];
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name_len = tag
            .trim_start_matches('/')
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        let name = &tag.trim_start_matches('/')[..name_len];
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
        if skip_depth == 0 && BLOCK.contains(&name) {
            text.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    if skip_depth == 0 {
        text.push_text(rest);
    }
    text.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The tokenizer as first written (a vector of every character): the one-pass version must
    /// give the same tokens in the same order.
    fn reference_tokens(folded: &str) -> Vec<String> {
        let mut out = Vec::new();
        let idx: Vec<(usize, char)> = folded.char_indices().collect();
        let end_of = |k: usize| idx.get(k + 1).map_or(folded.len(), |(b, _)| *b);
        let mut i = 0;
        while i < idx.len() {
            let c = idx[i].1;
            if is_word_char(c) {
                let start = i;
                while i < idx.len() && is_word_char(idx[i].1) {
                    i += 1;
                }
                if i - start == 1 {
                    out.push(folded[idx[start].0..end_of(start)].to_string());
                }
                for k in start..i.saturating_sub(1) {
                    out.push(folded[idx[k].0..end_of(k + 1)].to_string());
                }
            } else if c.is_ascii_alphanumeric() {
                let start = i;
                while i < idx.len()
                    && (idx[i].1.is_ascii_alphanumeric()
                        || (idx[i].1 == '-'
                            && idx
                                .get(i + 1)
                                .is_some_and(|(_, n)| n.is_ascii_alphanumeric())))
                {
                    i += 1;
                }
                let word = &folded[idx[start].0..end_of(i - 1)];
                if word.contains('-') {
                    out.extend(word.split('-').filter(|p| !p.is_empty()).map(String::from));
                }
                out.push(word.to_string());
            } else {
                i += 1;
            }
        }
        out
    }

    proptest! {
        #[test]
        fn one_pass_tokens_equal_the_reference(s in "[a-c0-9\\- 情報セキ・、。ｱＡ]{0,24}") {
            let folded: String = s.chars().map(fold).collect();
            let mut got = Vec::new();
            for_each_token(&folded, |t| got.push(t.to_string()));
            prop_assert_eq!(got, reference_tokens(&folded));
        }
    }

    #[test]
    fn entities_are_decoded_once_and_whitespace_collapses() {
        assert_eq!(html_text("<p>a &amp;lt; b</p>"), "a &lt; b");
        assert_eq!(
            html_text("<p>x &quot;y&quot; &#39;z&#39; &gt;</p>"),
            "x \"y\" 'z' >"
        );
        assert_eq!(
            html_text("  <p>一\u{3000}\n 二</p><li>三</li>  "),
            "一 二 三"
        );
        assert_eq!(html_text("&unknown; & done"), "&unknown; & done");
        assert_eq!(html_text("text <unclosed"), "text <unclosed");
    }
}
