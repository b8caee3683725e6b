//! The client-side search index: per language, the pages' titles and text tokenised into CJK
//! bigrams and ASCII words (so 事故前提社会, 重要インフラ, "incident" and IDs such as BP1-GA-P1
//! all match), written as static JSON that `static/search.js` queries offline.

mod postings;
mod text;

use postings::Postings;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use text::{fold, for_each_token};
pub use text::{html_text, tokenize};

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

/// Builds one language's index incrementally: each page is tokenised once into slices of a
/// folded copy of its text, and only new tokens are allocated. Pages may be added in any
/// order, under the numbers they are to have, and by several builders (one per thread) that
/// [`json_of`] writes as one index.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    /// Page number and its entry in `docs`, already as JSON (one allocation, not four).
    docs: Vec<(u32, String)>,
    postings: HashMap<String, Postings>,
}

impl IndexBuilder {
    /// Adds a page as the next number; `record.text` is indexed with the title, then dropped.
    pub fn add(&mut self, record: Record) {
        self.add_numbered(self.docs.len() as u32, record);
    }

    /// Adds a page as number `n`.
    pub fn add_numbered(&mut self, n: u32, record: Record) {
        let folded: String = record
            .title
            .chars()
            .chain(std::iter::once(' '))
            .chain(record.text.chars())
            .map(fold)
            .collect();
        // A token repeated in the page finds its list ending in `n` already (see Postings::add).
        for_each_token(&folded, |t| match self.postings.get_mut(t) {
            Some(p) => p.add(n),
            None => {
                self.postings.insert(t.to_string(), Postings::one(n));
            }
        });
        let json = serde_json::to_string(&record).unwrap_or_else(|_| "{}".into());
        self.docs.push((n, json));
    }

    /// The index as JSON (see [`json_of`]).
    pub fn into_json(self) -> String {
        json_of(vec![self])
    }
}

/// One index built in parts (by several threads, each with the pages it added) as JSON:
/// `{ "version": 2, "docs": [...], "index": { token: [doc numbers] } }`, docs in number
/// order, tokens sorted (so the file is deterministic), and each posting list sorted and
/// gap-encoded (the first number, then differences: mostly one digit). The parts are
/// consumed as they are written, never merged into one copy.
pub fn json_of(parts: Vec<IndexBuilder>) -> String {
    let mut docs: Vec<(u32, String)> = Vec::new();
    let mut maps = Vec::with_capacity(parts.len());
    for p in parts {
        docs.extend(p.docs);
        maps.push(p.postings);
    }
    docs.sort_unstable_by_key(|(n, _)| *n);
    debug_assert!(docs.iter().enumerate().all(|(i, (n, _))| i as u32 == *n));
    let mut keys: Vec<String> = maps.iter().flat_map(|m| m.keys().cloned()).collect();
    keys.sort_unstable();
    keys.dedup();
    let docs_len: usize = docs.iter().map(|(_, d)| d.len() + 1).sum();
    let mut out = String::with_capacity(docs_len + 64 * keys.len());
    out.push_str("{\"version\":2,\"docs\":[");
    for (i, (_, d)) in docs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(d);
    }
    drop(docs);
    out.push_str("],\"index\":{");
    let mut list: Vec<u32> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(k).unwrap_or_default());
        out.push_str(":[");
        list.clear();
        for m in &mut maps {
            if let Some(part) = m.remove(k) {
                part.drain_into(&mut list);
            }
        }
        list.sort_unstable();
        let mut previous = 0;
        for (j, d) in list.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(itoa(d - previous, &mut [0; 10]));
            previous = *d;
        }
        out.push(']');
    }
    out.push_str("}}\n");
    out
}

/// A number in decimal without allocating.
fn itoa(mut n: u32, buf: &mut [u8; 10]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
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

    fn record(i: usize) -> Record {
        let words = ["情報セキュリティ", "重要インフラ", "incident", "BP1-GA-P1"];
        Record {
            url: format!("p{i}/"),
            title: format!("page {i}"),
            kind: "k".into(),
            text: (0..=i % 4)
                .map(|k| words[(i + k) % 4])
                .collect::<Vec<_>>()
                .join(" "),
            snippet: String::new(),
        }
    }

    #[test]
    fn parts_added_out_of_order_write_the_same_index_as_one_builder() {
        let mut one = IndexBuilder::default();
        for i in 0..300 {
            one.add(record(i));
        }
        // Two threads' parts, each adding its pages in a scrambled order.
        let (mut a, mut b) = (IndexBuilder::default(), IndexBuilder::default());
        for i in (0..300).rev() {
            let part = if (i * 7) % 3 == 0 { &mut a } else { &mut b };
            part.add_numbered(i as u32, record(i));
        }
        let whole = one.into_json();
        assert_eq!(json_of(vec![b, a]), whole);
        let v: serde_json::Value = serde_json::from_str(&whole).unwrap();
        assert_eq!(v["version"], 2);
        assert_eq!(v["docs"][7]["url"], "p7/");
        // Gaps decode to the pages holding the token, ascending.
        let gaps: Vec<u64> = v["index"]["incident"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect();
        let pages: Vec<u64> = gaps
            .iter()
            .scan(0, |n, g| {
                *n += g;
                Some(*n)
            })
            .collect();
        let want: Vec<u64> = (0..300u64)
            .filter(|&i| (0..=i % 4).any(|k| (i + k) % 4 == 2))
            .collect();
        assert_eq!(pages, want);
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
