//! What the cleaner dropped although the allow-list keeps it: an element the HTML parser
//! throws away where it is written (a `<td>` outside a table, a repeated attribute), or any
//! case where the tag reader and ammonia disagree. Elements and attributes are counted by
//! name before and after cleaning, so every removal is reported, whatever its cause.

use super::policy::{self, DROPPED_WITH_CONTENT, TAGS};
use super::tags::{self, Tag};
use std::collections::BTreeMap;

/// What the cleaner drops from `input` beyond [`policy::removals`]: (where, length, what).
pub(super) fn dropped(input: &[Tag], cleaned: &str) -> Vec<(usize, usize, String)> {
    let mut after: BTreeMap<(String, String), usize> = BTreeMap::new();
    for t in tags::tags(cleaned).into_iter().filter(|t| !t.end) {
        for a in &t.attrs {
            *after.entry((t.name.clone(), a.name.clone())).or_default() += 1;
        }
        *after.entry((t.name.clone(), String::new())).or_default() += 1;
    }
    // Expected survivors, each with its first occurrence.
    let mut before: BTreeMap<(String, String), (usize, usize, usize)> = BTreeMap::new();
    let mut inside_dropped: Vec<&str> = Vec::new();
    for t in input {
        if let Some(top) = inside_dropped.last() {
            if t.end && t.name == *top {
                inside_dropped.pop();
            } else if !t.end && DROPPED_WITH_CONTENT.contains(&t.name.as_str()) {
                inside_dropped.push(&t.name);
            }
            continue;
        }
        let name = t.name.as_str();
        if t.end || !TAGS.contains(&name) {
            if !t.end && DROPPED_WITH_CONTENT.contains(&name) && t.depth_change() > 0 {
                inside_dropped.push(name);
            }
            continue;
        }
        let e = before.entry((t.name.clone(), String::new()));
        e.or_insert((0, t.at, t.len)).0 += 1;
        for a in t
            .attrs
            .iter()
            .filter(|a| policy::attr_removal(name, a).is_none())
        {
            let e = before.entry((t.name.clone(), a.name.clone()));
            e.or_insert((0, a.at, a.name.len())).0 += 1;
        }
    }
    before
        .into_iter()
        .filter(|(k, (n, _, _))| after.get(k).copied().unwrap_or(0) < *n)
        .map(|((tag, attr), (_, at, len))| {
            let what = if attr.is_empty() {
                format!("raw HTML `<{tag}>` dropped: not valid where it is written")
            } else {
                format!("attribute `{attr}` dropped from raw `<{tag}>` (repeated or not valid)")
            };
            (at, len, what)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(html: &str) -> Vec<String> {
        let cleaned = policy::cleaner().clean(html).to_string();
        dropped(&tags::tags(html), &cleaned)
            .into_iter()
            .map(|(at, _, w)| format!("{at} {w}"))
            .collect()
    }

    #[test]
    fn parser_drops_are_found() {
        assert_eq!(
            run("<td>a</td> <img src=a src=b>"),
            [
                "16 attribute `src` dropped from raw `<img>` (repeated or not valid)",
                "0 raw HTML `<td>` dropped: not valid where it is written",
            ]
        );
    }

    #[test]
    fn kept_markup_and_content_of_dropped_elements_are_not_reported() {
        let ok = "<table><tr><td colspan=2>a</td></tr></table><p>b<br>c</p><svg><b>x</b></svg>";
        assert!(run(ok).is_empty(), "{:?}", run(ok));
    }
}
