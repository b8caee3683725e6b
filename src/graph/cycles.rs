//! Cycle detection along hierarchical link kinds: every cycle is reported whole, once, starting
//! at its smallest ID.

use super::Graph;
use std::collections::{BTreeMap, HashMap};

/// Every elementary cycle along `kind`, each reported once, starting at its smallest ID.
pub fn find_cycles(g: &Graph, kind: &str) -> Vec<Vec<String>> {
    let mut adj: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in g.edges.iter().filter(|e| e.kind == kind) {
        adj.entry(e.from.as_str()).or_default().push(e.to.as_str());
    }
    for v in adj.values_mut() {
        v.sort_unstable();
    }
    let mut found: Vec<Vec<String>> = Vec::new();
    // Colour-based DFS; every back edge yields the cycle on the current path.
    let mut state: HashMap<&str, u8> = HashMap::new();
    let nodes: Vec<&str> = adj.keys().copied().collect();
    for start in nodes {
        if state.get(start).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut path: Vec<&str> = vec![start];
        let mut iters: Vec<usize> = vec![0];
        state.insert(start, 1);
        while let Some(&node) = path.last() {
            let idx = *iters.last().unwrap_or(&0);
            let next = adj.get(node).and_then(|v| v.get(idx)).copied();
            if let Some(n) = iters.last_mut() {
                *n += 1;
            }
            match next {
                Some(n) if state.get(n).copied().unwrap_or(0) == 1 => {
                    let pos = path.iter().position(|p| *p == n).unwrap_or(0);
                    let mut cyc: Vec<String> = path[pos..].iter().map(|s| s.to_string()).collect();
                    let min = cyc
                        .iter()
                        .enumerate()
                        .min_by(|a, b| a.1.cmp(b.1))
                        .map_or(0, |(i, _)| i);
                    cyc.rotate_left(min);
                    if !found.contains(&cyc) {
                        found.push(cyc);
                    }
                }
                Some(n) if state.get(n).copied().unwrap_or(0) == 0 => {
                    state.insert(n, 1);
                    path.push(n);
                    iters.push(0);
                }
                Some(_) => {}
                None => {
                    state.insert(node, 2);
                    path.pop();
                    iters.pop();
                }
            }
        }
    }
    found.sort();
    found
}
