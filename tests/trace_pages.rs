//! Every item page of the real site shows exactly the chain and the typed links the graph
//! holds: upstream to goals, downstream to measures, and each link kind from both ends.

use plansite::build::{Options, compile};
use plansite::render::render_site;
use plansite::trace::{ChainNode, downstream, upstream};
use scraper::{Html, Selector};
use std::collections::BTreeSet;
use std::path::Path;

fn ids(nodes: &[ChainNode], out: &mut BTreeSet<String>) {
    for n in nodes {
        out.insert(n.id.clone());
        ids(&n.children, out);
    }
}

fn codes_in(doc: &Html, css: &str) -> BTreeSet<String> {
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[test]
fn item_pages_match_the_graph() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, _) = compile(&Options::new(root)).unwrap();
    let files = render_site(&site, root).unwrap();
    let mut checked = 0;
    for it in &site.content.items {
        for lang in ["ja", "en"] {
            let path = format!("{lang}/items/{}/index.html", it.id);
            let file = files
                .iter()
                .find(|f| f.path == path)
                .unwrap_or_else(|| panic!("no page {path}"));
            let doc = Html::parse_document(std::str::from_utf8(&file.bytes).unwrap());
            // The first two chain blocks are upstream and downstream.
            let trace =
                Selector::parse("section.trace > ul.chain, section.trace > p.empty").unwrap();
            let blocks: Vec<_> = doc.select(&trace).collect();
            assert!(blocks.len() >= 2, "{path}: chain blocks missing");
            let code = Selector::parse("code").unwrap();
            let shown = |i: usize| -> BTreeSet<String> {
                blocks[i]
                    .select(&code)
                    .map(|e| e.text().collect())
                    .collect()
            };
            let (mut up, mut down) = (BTreeSet::new(), BTreeSet::new());
            ids(&upstream(&site, &it.id, lang), &mut up);
            ids(&downstream(&site, &it.id, lang), &mut down);
            assert_eq!(shown(0), up, "{path}: upstream");
            assert_eq!(shown(1), down, "{path}: downstream");
            // Every typed link, outgoing and incoming, appears in the link lists.
            let listed = codes_in(&doc, "section.trace ul.links code");
            for e in site
                .graph
                .out_of(&it.id, None)
                .chain(site.graph.into_of(&it.id, None))
            {
                let other = if e.from == it.id { &e.to } else { &e.from };
                assert!(
                    listed.contains(other),
                    "{path}: {} link with {other} not shown",
                    e.kind
                );
            }
            let inferred_edges = site
                .graph
                .out_of(&it.id, None)
                .chain(site.graph.into_of(&it.id, None))
                .filter(|e| e.inferred)
                .count();
            let badges = doc
                .select(&Selector::parse("section.trace ul.links .badge-inferred").unwrap())
                .count();
            assert_eq!(
                badges > 0,
                inferred_edges > 0,
                "{path}: inferred links must be marked"
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} item pages");
}
