//! A small LCS text diff for the review report: Japanese by character, other languages by word,
//! multi-line text first by line; rendered inline as `~~removed~~ **added**` (or `<del>`/`<ins>`
//! where Markdown emphasis would not parse next to punctuation), with Markdown escaped.

/// What a piece of a diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// In both texts.
    Same,
    /// Only in the old text.
    Del,
    /// Only in the new text.
    Ins,
}

/// Above this many DP cells a changed chunk is shown as a whole replacement (bounded time and
/// memory whatever the input).
const MAX_CELLS: usize = 4_000_000;

/// Splits text into diff tokens: every character for Japanese (`by_char`), otherwise runs of
/// letters/digits, runs of whitespace, and single other characters.
pub fn tokens(s: &str, by_char: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let class = |c: char| {
        if by_char {
            0
        } else if c.is_alphanumeric() {
            1
        } else if c.is_whitespace() {
            2
        } else {
            0
        }
    };
    let mut prev: Option<u8> = None;
    for (i, c) in s.char_indices() {
        let k = class(c);
        if i > start && (k == 0 || prev != Some(k)) {
            out.push(&s[start..i]);
            start = i;
        }
        prev = Some(k);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The LCS alignment of two token lists, as (op, token) pairs in order.
pub fn diff<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(Op, &'a str)> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut out: Vec<(Op, &str)> = a[..pre].iter().map(|t| (Op::Same, *t)).collect();
    let (n, m) = (ma.len(), mb.len());
    if n == 0 || m == 0 || (n + 1) * (m + 1) > MAX_CELLS {
        out.extend(ma.iter().map(|t| (Op::Del, *t)));
        out.extend(mb.iter().map(|t| (Op::Ins, *t)));
    } else {
        // lcs[i][j] = LCS length of ma[i..] and mb[j..].
        let w = m + 1;
        let mut lcs = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ma[i] == mb[j] {
                out.push((Op::Same, ma[i]));
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j]) {
                out.push((Op::Ins, mb[j]));
                j += 1;
            } else {
                out.push((Op::Del, ma[i]));
                i += 1;
            }
        }
        // Deletions before insertions inside each changed run, for readability.
        let mut k = pre;
        while k < out.len() {
            let end = (k..out.len())
                .find(|&x| out[x].0 == Op::Same)
                .unwrap_or(out.len());
            out[k..end].sort_by_key(|(op, _)| *op == Op::Ins);
            k = end + 1;
        }
    }
    out.extend(a[a.len() - suf..].iter().map(|t| (Op::Same, *t)));
    out
}

/// Merges adjacent tokens of the same kind into pieces.
pub fn pieces(ops: &[(Op, &str)]) -> Vec<(Op, String)> {
    let mut out: Vec<(Op, String)> = Vec::new();
    for (op, t) in ops {
        match out.last_mut() {
            Some((o, s)) if o == op => s.push_str(t),
            _ => out.push((*op, (*t).to_string())),
        }
    }
    out
}

/// Whether Japanese-style character diffing applies to a language.
pub fn by_char(lang: &str) -> bool {
    matches!(lang, "ja" | "zh" | "ko")
}

/// Escapes text so GitHub Markdown shows it literally (and `@name` pings nobody). Characters
/// that only matter at the start of a line (`-`, `+`, `=`, `1.`) are escaped there only.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let lead_digits = s.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in s.chars().enumerate() {
        let at_start = i == 0 || (i == lead_digits && matches!(c, '.' | ')'));
        match c {
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '<' | '>' | '|' | '#' | '$' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '=' | '.' | ')' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@<!-- -->"),
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn wrap(op: Op, text: &str) -> String {
    if text.trim().is_empty() {
        // A whitespace-only change: make it visible.
        let shown = text.replace('\n', "↵").replace(' ', "␣");
        return match op {
            Op::Del => format!("<del>{shown}</del>"),
            _ => format!("<ins>{shown}</ins>"),
        };
    }
    // Surrounding spaces stay outside the markers (`**x **` is not emphasis).
    let core = text.trim();
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    let body = escape(core);
    let edges_alnum = core.chars().next().is_some_and(char::is_alphanumeric)
        && core.chars().last().is_some_and(char::is_alphanumeric);
    let wrapped = match (op, edges_alnum) {
        (Op::Del, true) => format!("~~{body}~~"),
        (Op::Ins, true) => format!("**{body}**"),
        // `~~「x」~~` after a letter is not strikethrough in GFM: use HTML there.
        (Op::Del, false) => format!("<del>{body}</del>"),
        _ => format!("<ins>{body}</ins>"),
    };
    format!("{}{wrapped}{}", escape(lead), escape(trail))
}

/// A one-line inline diff of `old` → `new` in Markdown.
pub fn inline(old: &str, new: &str, lang: &str) -> String {
    let (a, b) = (tokens(old, by_char(lang)), tokens(new, by_char(lang)));
    let mut out = String::new();
    for (op, text) in pieces(&diff(&a, &b)) {
        match op {
            Op::Same => out.push_str(&escape(&text)),
            _ => out.push_str(&wrap(op, &text)),
        }
    }
    out
}

/// A multi-line diff: only changed lines, each as an inline diff (paired old/new lines), with
/// `…` between distant hunks. At most `max` lines; the count of lines left out is returned.
pub fn lines(old: &str, new: &str, lang: &str, max: usize) -> (Vec<String>, usize) {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let ops = diff(&a, &b);
    let mut out = Vec::new();
    let mut total = 0;
    let mut k = 0;
    let mut last_change_end = None;
    while k < ops.len() {
        if ops[k].0 == Op::Same {
            k += 1;
            continue;
        }
        let end = (k..ops.len())
            .find(|&x| ops[x].0 == Op::Same)
            .unwrap_or(ops.len());
        let dels: Vec<&str> = ops[k..end]
            .iter()
            .filter(|o| o.0 == Op::Del && !o.1.trim().is_empty())
            .map(|o| o.1)
            .collect();
        let ins: Vec<&str> = ops[k..end]
            .iter()
            .filter(|o| o.0 == Op::Ins && !o.1.trim().is_empty())
            .map(|o| o.1)
            .collect();
        let mut hunk = Vec::new();
        for i in 0..dels.len().max(ins.len()) {
            hunk.push(match (dels.get(i), ins.get(i)) {
                (Some(d), Some(n)) => inline(d, n, lang),
                (Some(d), None) => wrap(Op::Del, d),
                (None, Some(n)) => wrap(Op::Ins, n),
                (None, None) => continue,
            });
        }
        if !hunk.is_empty() {
            if last_change_end.is_some_and(|e| e < k) && out.len() < max {
                out.push("…".to_string());
            }
            total += hunk.len();
            for h in hunk {
                if out.len() < max {
                    out.push(h);
                }
            }
        }
        last_change_end = Some(end);
        k = end;
    }
    let shown = out.iter().filter(|l| *l != "…").count();
    (out, total - shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_is_diffed_by_character() {
        assert_eq!(
            inline("統一基準の見直し", "統一基準の改定", "ja"),
            "統一基準の~~見直し~~**改定**"
        );
    }

    #[test]
    fn english_is_diffed_by_word() {
        assert_eq!(
            inline(
                "Review of the standards",
                "Review of the unified standards",
                "en"
            ),
            "Review of the **unified** standards"
        );
    }

    #[test]
    fn punctuation_edges_use_html() {
        assert_eq!(
            inline("です", "です「重要」", "ja"),
            "です<ins>「重要」</ins>"
        );
        assert_eq!(escape("[x](@TP-1)"), "\\[x\\](@<!-- -->TP-1)");
        assert_eq!(escape("- a-b"), "\\- a-b");
        assert_eq!(escape("12. x."), "12\\. x.");
    }

    #[test]
    fn multi_line_shows_changed_lines_only() {
        let (l, left) = lines("a\nb\nc\nd\ne", "a\nB\nc\nd\nE", "en", 10);
        assert_eq!(l, ["~~b~~**B**", "…", "~~e~~**E**"]);
        assert_eq!(left, 0);
        let (l, left) = lines("a\nb\nc", "x\ny\nz", "en", 2);
        assert_eq!(l.len(), 2);
        assert_eq!(left, 1);
    }
}
