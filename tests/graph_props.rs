//! Property tests: random link graphs never panic, and every cycle is reported.

use plansite::diagnostic::Span;
use plansite::graph::{Edge, Graph, find_cycles};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn nodes_on_cycles(parent: &[Option<usize>]) -> BTreeSet<usize> {
    // In a graph where each node has at most one parent, walking up from every node either
    // ends or enters exactly one cycle.
    let mut on = BTreeSet::new();
    for start in 0..parent.len() {
        let mut seen = vec![];
        let mut cur = Some(start);
        while let Some(c) = cur {
            if let Some(pos) = seen.iter().position(|x| *x == c) {
                on.extend(seen[pos..].iter().copied());
                break;
            }
            seen.push(c);
            cur = parent[c];
        }
    }
    on
}

proptest! {
    #[test]
    fn every_cycle_of_a_random_hierarchy_is_reported(parent in prop::collection::vec(prop::option::of(0usize..12), 1..12)) {
        let n = parent.len();
        let parent: Vec<Option<usize>> = parent.into_iter().map(|p| p.map(|x| x % n)).collect();
        let mut g = Graph::default();
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                g.push_edge(Edge { from: format!("P{i}").into(), to: format!("P{p}"), kind: "part_of".into(), inferred: false, note: None, span: Span::file("x"), lang: None });
            }
        }
        let cycles = find_cycles(&g, "part_of");
        let reported: BTreeSet<usize> = cycles.iter().flatten().map(|id| id[1..].parse().unwrap()).collect();
        prop_assert_eq!(reported, nodes_on_cycles(&parent));
        for c in &cycles {
            // each reported cycle is a real closed path
            for (k, id) in c.iter().enumerate() {
                let next = &c[(k + 1) % c.len()];
                let i: usize = id[1..].parse().unwrap();
                prop_assert_eq!(parent[i].map(|p| format!("P{p}")), Some(next.clone()));
            }
        }
    }

    #[test]
    fn arbitrary_yaml_and_markdown_never_panic(yaml in "\\PC{0,200}", md in "\\PC{0,300}") {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("plansite.toml"), "base_url = \"https://x.org\"\n[title]\nja = \"a\"\nen = \"b\"\n").unwrap();
        std::fs::create_dir_all(root.join("content/d")).unwrap();
        std::fs::write(root.join("content/d/document.yaml"), "id: D\nkind: page\nslug: d\ntitle: { ja: a, en: b }\n").unwrap();
        std::fs::write(root.join("content/d/items.yaml"), &yaml).unwrap();
        std::fs::write(root.join("content/d/010-a.ja.md"), format!("---\nid: D-1\ntitle: t\n---\n{md}")).unwrap();
        let _ = plansite::build::compile(&plansite::build::Options::new(root));
    }
}
