//! One language's index, built page by page (by several threads, each with its own builder)
//! and written as split static files, so that a query fetches only what it needs:
//!
//! - `search/<lang>.json`, the meta file: page count, shard count, average length and per
//!   page its length, document group and kind (for BM25 and the filter counts), and the
//!   group and kind labels;
//! - `search/<lang>/s/<k>.json`, the token shards: `{token: [page gap, weight, …]}`. A token
//!   goes to the shard of the hash of its first two characters (ASCII) or first character
//!   (CJK), so the words that start with what is being typed share one shard;
//! - `search/<lang>/f/<n>.json`, one fragment per page: URL, title, ID and the passages, read
//!   only for the results shown.
//!
//! Tokens and pages are sorted and numbers written in one way, so the files are identical
//! from one build to the next whatever the threads did.

use super::html::Passage;
use super::postings::Postings;
use super::text::{for_each_token, normalize};
use rustc_hash::FxHashMap as HashMap;
use serde_json::json;

/// Weights of a token by the field it is in: a title hit counts ten body hits.
const W_TITLE: u32 = 10;
const W_KEYWORD: u32 = 6;
const W_HEADING: u32 = 3;
const W_BODY: u32 = 1;

/// Bytes of postings a shard is aimed at (a few KB once compressed).
const SHARD_BYTES: usize = 12_000;

/// One searchable page.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Root-relative URL.
    pub url: String,
    /// Title in words.
    pub title: String,
    /// The ID of an item (shown small beside the title), else "".
    pub id: String,
    /// Key of the document group (filter), e.g. `basic-plan`.
    pub group: String,
    /// Key of the kind (filter): `document`, `section` or an item kind.
    pub kind: String,
    /// Searchable text weighted almost like the title but not shown (ID, reading, titles in
    /// the other languages).
    pub keywords: String,
    /// The text, cut at anchored headings.
    pub passages: Vec<Passage>,
}

/// Per page: number, fragment JSON, length in tokens, distinct title words (numbers such as
/// "(2)" left out), group and kind keys.
type Page = (u32, String, u32, u32, String, String);

/// Builds one language's index (see the module comment). Pages may be added in any order,
/// under the numbers they are to have, and by several builders that [`files_of`] writes as
/// one index.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    pages: Vec<Page>,
    postings: HashMap<String, Postings>,
}

impl IndexBuilder {
    /// Adds a page as the next number.
    pub fn add(&mut self, record: Record) {
        self.add_numbered(self.pages.len() as u32, record);
    }

    /// Adds a page as number `n`.
    pub fn add_numbered(&mut self, n: u32, record: Record) {
        let mut length = 0u32;
        let mut title_words: Vec<String> = Vec::new();
        for_each_token(&normalize(&record.title), |t| {
            if !t.bytes().all(|b| b.is_ascii_digit()) && !title_words.iter().any(|w| w == t) {
                title_words.push(t.to_string());
            }
        });
        let postings = &mut self.postings;
        let mut index = |text: &str, w: u32, counted: bool| {
            for_each_token(&normalize(text), |t| {
                if counted {
                    length += 1;
                }
                match postings.get_mut(t) {
                    Some(p) => p.add(n, w, w == W_TITLE),
                    None => {
                        postings.insert(t.to_string(), Postings::one(n, w, w == W_TITLE));
                    }
                }
            });
        };
        index(&record.title, W_TITLE, true);
        index(&record.keywords, W_KEYWORD, false);
        for p in &record.passages {
            index(&p.heading, W_HEADING, true);
            index(&p.text, W_BODY, true);
        }
        let passages: Vec<[&str; 3]> = record
            .passages
            .iter()
            .map(|p| [p.anchor.as_str(), p.heading.as_str(), p.text.as_str()])
            .collect();
        let fragment = json!({ "u": record.url, "t": record.title, "i": record.id, "p": passages });
        self.pages.push((
            n,
            fragment.to_string(),
            length,
            title_words.len() as u32,
            record.group,
            record.kind,
        ));
    }
}

impl IndexBuilder {
    /// The fragment files of the pages added so far that are not yet taken (path, content),
    /// so that a build can write them at once instead of holding every page's text.
    pub fn take_fragments(&mut self, lang: &str) -> Vec<(String, String)> {
        self.pages
            .iter_mut()
            .filter(|p| !p.1.is_empty())
            .map(|p| {
                (
                    format!("search/{lang}/f/{}.json", p.0),
                    std::mem::take(&mut p.1),
                )
            })
            .collect()
    }
}

/// The shard of a token: FNV-1a of its first two characters (ASCII) or first one (CJK), over
/// code points. Must match `shardOf` in search.js.
pub fn shard_of(token: &str, shards: u32) -> u32 {
    let take = if token.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        2
    } else {
        1
    };
    let mut h: u32 = 0x811c_9dc5;
    for c in token.chars().take(take) {
        h = (h ^ c as u32).wrapping_mul(16_777_619);
    }
    h % shards.max(1)
}

/// Group and kind labels (key, label) in the order the filters list them.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// Document groups.
    pub groups: Vec<(String, String)>,
    /// Kinds.
    pub kinds: Vec<(String, String)>,
}

/// Index of `key` in `list`, appended (labelled by itself) when missing.
fn slot(list: &mut Vec<(String, String)>, key: &str) -> usize {
    match list.iter().position(|(k, _)| k == key) {
        Some(i) => i,
        None => {
            list.push((key.to_string(), key.to_string()));
            list.len() - 1
        }
    }
}

/// One index built in parts as its files (path under the output folder, content): the meta
/// file, the shards and the fragments not taken yet (see the module comment). The parts are
/// consumed.
pub fn files_of(parts: Vec<IndexBuilder>, lang: &str, labels: &Labels) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let _ = each_file_of::<()>(parts, lang, labels, &mut |path, text| {
        out.push((path, text));
        Ok(())
    });
    out
}

/// Like [`files_of`], handing each file to `sink` as soon as it is made: a shard's postings
/// are freed as it is written, so the index never exists twice. Returns the number of files.
pub fn each_file_of<E>(
    parts: Vec<IndexBuilder>,
    lang: &str,
    labels: &Labels,
    sink: &mut dyn FnMut(String, String) -> Result<(), E>,
) -> Result<usize, E> {
    let mut files = 0;
    let mut pages: Vec<Page> = Vec::new();
    let mut maps = Vec::with_capacity(parts.len());
    for p in parts {
        pages.extend(p.pages);
        maps.push(p.postings);
    }
    pages.sort_unstable_by_key(|p| p.0);
    let mut keys: Vec<String> = maps.iter().flat_map(|m| m.keys().cloned()).collect();
    keys.sort_unstable();
    keys.dedup();
    let entries: usize = maps
        .iter()
        .flat_map(|m| m.values())
        .map(Postings::len)
        .sum();
    let estimate = entries * 6 + keys.len() * 10;
    let shards = estimate
        .div_ceil(SHARD_BYTES)
        .clamp(1, 4096)
        .next_power_of_two() as u32;
    let mut labels = labels.clone();
    let (mut lens, mut titles, mut groups, mut kinds) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (n, _, len, tl, g, k) in &pages {
        debug_assert_eq!(*n as usize, lens.len());
        lens.push(*len);
        titles.push(*tl);
        groups.push(slot(&mut labels.groups, g));
        kinds.push(slot(&mut labels.kinds, k));
    }
    let total: u64 = lens.iter().map(|&l| u64::from(l)).sum();
    let avg = (total as f64 / lens.len().max(1) as f64 * 10.0).round() / 10.0;
    let meta = json!({
        "v": 3, "n": pages.len(), "shards": shards, "avg": avg, "len": lens, "tl": titles, "g": groups,
        "k": kinds, "groups": labels.groups, "kinds": labels.kinds,
    });
    sink(format!("search/{lang}.json"), meta.to_string() + "\n")?;
    files += 1;
    for (n, fragment, ..) in pages {
        if !fragment.is_empty() {
            sink(format!("search/{lang}/f/{n}.json"), fragment)?;
            files += 1;
        }
    }
    let mut by_shard: Vec<Vec<&String>> = vec![Vec::new(); shards as usize];
    for k in &keys {
        by_shard[shard_of(k, shards) as usize].push(k);
    }
    let mut list = Vec::new();
    for (s, tokens) in by_shard.iter().enumerate() {
        let mut text = String::from("{");
        for (i, k) in tokens.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push_str(&serde_json::to_string(k).unwrap_or_default());
            text.push_str(":[");
            list.clear();
            for m in &mut maps {
                if let Some(part) = m.remove(*k) {
                    part.drain_into(&mut list);
                }
            }
            list.sort_unstable();
            write_gaps(&list, &mut text);
            text.push(']');
        }
        text.push_str("}\n");
        sink(format!("search/{lang}/s/{s}.json"), text)?;
        files += 1;
    }
    Ok(files)
}

/// `page gap, value, …` (the first page, then differences: mostly one digit). The value is
/// the weight times two, plus one when the token is in the title (which the ranking needs
/// apart: a title that is the query is the best answer).
fn write_gaps(list: &[(u32, u32)], text: &mut String) {
    use std::fmt::Write;
    let mut previous = 0;
    for (j, (d, w)) in list.iter().enumerate() {
        if j > 0 {
            text.push(',');
        }
        let _ = write!(text, "{},{}", d - previous, w);
        previous = *d;
    }
}
