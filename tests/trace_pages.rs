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
            // One chain: upstream above the item, downstream below, each ID once.
            let (mut up, mut down) = (BTreeSet::new(), BTreeSet::new());
            ids(&upstream(&site, &it.id, lang), &mut up);
            ids(&downstream(&site, &it.id, lang), &mut down);
            assert_eq!(
                codes_in(&doc, ".chain-up ul.chain code"),
                up,
                "{path}: upstream"
            );
            assert_eq!(
                codes_in(&doc, ".chain-down ul.chain code"),
                down,
                "{path}: downstream"
            );
            for block in [".chain-up", ".chain-down", "#trace-heading"] {
                let n = doc.select(&Selector::parse(block).unwrap()).count();
                assert!(n <= 1, "{path}: {block} shown {n} times");
            }
            // Every other typed link appears in the link lists, and no chain link again there.
            let listed = codes_in(&doc, "section.other-links ul.links code");
            for e in site
                .graph
                .out_of(&it.id, None)
                .chain(site.graph.into_of(&it.id, None))
            {
                let other: &str = if e.from == it.id { &e.to } else { &e.from };
                let chained = ["advances", "implements", "part_of"].contains(&e.kind.as_str());
                let shown = if chained {
                    up.contains(other) || down.contains(other)
                } else {
                    listed.contains(other)
                };
                assert!(shown, "{path}: {} link with {other} not shown", e.kind);
            }
            let inferred_edges = site
                .graph
                .out_of(&it.id, None)
                .chain(site.graph.into_of(&it.id, None))
                .filter(|e| e.inferred)
                .count();
            let badges = doc
                .select(&Selector::parse("section.trace ul .badge-inferred").unwrap())
                .count();
            assert_eq!(
                badges > 0,
                inferred_edges > 0,
                "{path}: inferred links must be marked"
            );
            // The breadcrumb names pages by title: its last entry is the item's title, not its ID.
            let crumbs = codes_in(&doc, ".breadcrumb li");
            assert!(!crumbs.contains(&it.id), "{path}: ID-only breadcrumb");
            if badges > 0 {
                let why = Selector::parse(".inferred-note a[href$='about/#inferred']").unwrap();
                assert_eq!(
                    doc.select(&why).count(),
                    1,
                    "{path}: inferred not explained"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} item pages");
}
