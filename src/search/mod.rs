//! The client-side search index: per language, every page cut into passages at its anchored
//! headings, normalised (NFKC, case, katakana variants) and tokenised into CJK bigrams and
//! lightly stemmed English words and IDs, each token weighted by the field it is in (title,
//! keywords, heading, body) for BM25 ranking. Written as split static files (a meta file,
//! token shards, one fragment per page) that `static/search.js` queries offline, fetching only
//! the shards of the query's tokens and the fragments of the results it shows.

mod html;
mod index;
mod postings;
mod text;

pub use html::{Passage, html_passages, html_text};
pub use index::{IndexBuilder, Labels, Record, each_file_of, files_of, shard_of};
pub use text::{normalize, stem, tokenize};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeMap;

    fn record(i: usize) -> Record {
        let words = ["情報セキュリティ", "重要インフラ", "incident", "BP1-GA-P1"];
        let text = (0..=i % 4)
            .map(|k| words[(i + k) % 4])
            .collect::<Vec<_>>()
            .join(" ");
        Record {
            url: format!("p{i}/"),
            title: format!("page {i}"),
            group: ["a", "b"][i % 2].into(),
            kind: "section".into(),
            passages: vec![Passage {
                anchor: "h".into(),
                heading: "見出し".into(),
                text,
            }],
            ..Record::default()
        }
    }

    fn files(parts: Vec<IndexBuilder>) -> BTreeMap<String, String> {
        let labels = Labels {
            groups: vec![("b".into(), "B".into())],
            kinds: vec![],
        };
        files_of(parts, "ja", &labels).into_iter().collect()
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
        let whole = files(vec![one]);
        assert_eq!(files(vec![b, a]), whole);
        let meta: Value = serde_json::from_str(&whole["search/ja.json"]).unwrap();
        assert_eq!(meta["n"], 300);
        assert_eq!(meta["groups"], serde_json::json!([["b", "B"], ["a", "a"]]));
        assert_eq!(meta["g"][0], 1);
        let f7: Value = serde_json::from_str(&whole["search/ja/f/7.json"]).unwrap();
        assert_eq!(f7["u"], "p7/");
        assert_eq!(f7["p"][0][0], "h");
        // Gaps decode to the pages holding the token, ascending, each with its weight.
        let shards = meta["shards"].as_u64().unwrap() as u32;
        let shard = format!("search/ja/s/{}.json", shard_of("incident", shards));
        let s: Value = serde_json::from_str(&whole[&shard]).unwrap();
        let flat: Vec<u64> = s["incident"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect();
        let pages: Vec<u64> = flat
            .chunks(2)
            .scan(0, |n, g| {
                *n += g[0];
                Some(*n)
            })
            .collect();
        let want: Vec<u64> = (0..300u64)
            .filter(|&i| (0..=i % 4).any(|k| (i + k) % 4 == 2))
            .collect();
        assert_eq!(pages, want);
        assert!(flat.chunks(2).all(|g| g[1] == 2));
    }

    #[test]
    fn title_hits_weigh_more_than_body_hits() {
        let mut b = IndexBuilder::default();
        b.add(Record {
            title: "Incidents".into(),
            passages: vec![Passage {
                text: "incident response".into(),
                ..Passage::default()
            }],
            ..Record::default()
        });
        let all = files(vec![b]);
        let shard = all
            .iter()
            .find(|(k, v)| k.contains("/s/") && v.contains("\"incident\""));
        assert!(shard.unwrap().1.contains("\"incident\":[0,23]"));
    }
}
