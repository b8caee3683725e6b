//! Upstream/downstream chains of an item along coverage links (policy → goal, measure →
//! policy, sub-item → policy), for item pages and `plansite trace`.

use crate::site::Site;
use serde::Serialize;

/// Link kinds followed when tracing a chain, upward from child to parent.
pub const CHAIN_KINDS: &[&str] = &["advances", "implements", "part_of"];

/// One node of a chain tree.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChainNode {
    /// Item ID.
    pub id: String,
    /// Item kind.
    pub kind: String,
    /// Title in the requested language.
    pub title: String,
    /// Link kind that leads here from the parent node.
    pub via: String,
    /// The link is inferred, not stated in the source.
    pub inferred: bool,
    /// Further nodes.
    pub children: Vec<ChainNode>,
}

fn walk(
    site: &Site,
    id: &str,
    lang: &str,
    up: bool,
    depth: usize,
    path: &mut Vec<String>,
) -> Vec<ChainNode> {
    if depth == 0 {
        return Vec::new();
    }
    let edges: Vec<_> = if up {
        site.graph
            .out_of(id, None)
            .filter(|e| CHAIN_KINDS.contains(&e.kind.as_str()))
            .collect()
    } else {
        site.graph
            .into_of(id, None)
            .filter(|e| CHAIN_KINDS.contains(&e.kind.as_str()))
            .collect()
    };
    let mut nodes: Vec<ChainNode> = edges
        .into_iter()
        .filter_map(|e| {
            let next: &str = if up { &e.to } else { &e.from };
            if path.iter().any(|p| p == next) {
                return None; // cycles are reported by check; never loop here
            }
            path.push(next.to_string());
            let children = walk(site, next, lang, up, depth - 1, path);
            path.pop();
            Some(ChainNode {
                id: next.to_string(),
                kind: site
                    .graph
                    .kind_of(&site.content, next)
                    .unwrap_or("")
                    .to_string(),
                title: site.title(next, lang).unwrap_or_default(),
                via: e.kind.to_string(),
                inferred: e.inferred,
                children,
            })
        })
        .collect();
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    nodes
}

/// Items `id` serves, up to its goals.
pub fn upstream(site: &Site, id: &str, lang: &str) -> Vec<ChainNode> {
    walk(site, id, lang, true, 6, &mut vec![id.to_string()])
}

/// Items that serve `id`, down to measures.
pub fn downstream(site: &Site, id: &str, lang: &str) -> Vec<ChainNode> {
    walk(site, id, lang, false, 6, &mut vec![id.to_string()])
}

/// Terminal rendering of a chain tree.
pub fn render_text(nodes: &[ChainNode], indent: usize, out: &mut String) {
    for n in nodes {
        let inferred = if n.inferred { " (inferred)" } else { "" };
        out.push_str(&format!(
            "{}{} {} [{}] {}{inferred}\n",
            "  ".repeat(indent),
            n.via,
            n.id,
            n.kind,
            n.title
        ));
        render_text(&n.children, indent + 1, out);
    }
}
