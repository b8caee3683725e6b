//! The `cites` edges of one section file in the graph, found and replaced in place: a patch
//! keeps the graph exactly as a full compile would build it (each file's cross-references in
//! one run, files in path order, after the typed links).

use crate::graph::{Edge, Graph, Target};

/// The index range of the `cites` edges written in `file`, or where they would go. `None` when
/// the graph does not hold them in one run (then only a compile knows the order).
pub(super) fn run_of(graph: &Graph, section: &str, file: &str) -> Option<std::ops::Range<usize>> {
    if !matches!(graph.index.get(section), Some(Target::Section(_))) {
        return None;
    }
    let is_ours = |e: &Edge| e.kind == "cites" && e.lang.is_some() && e.span.file == file;
    let first = graph.edges.iter().position(is_ours);
    match first {
        Some(start) => {
            let len = graph.edges[start..]
                .iter()
                .take_while(|e| is_ours(e))
                .count();
            let end = start + len;
            // Every edge of the file must be in this run.
            if graph.edges[end..].iter().any(is_ours) {
                return None;
            }
            Some(start..end)
        }
        None => {
            // Prose edges (they carry a language) follow the typed links, ordered by file.
            let prose = graph
                .edges
                .iter()
                .position(|e| e.lang.is_some())
                .unwrap_or(graph.edges.len());
            let at = graph.edges[prose..]
                .iter()
                .position(|e| e.span.file.as_str() > file)
                .map_or(graph.edges.len(), |k| prose + k);
            Some(at..at)
        }
    }
}

/// Replaces the edges in `range` by `edges` and indexes the graph again.
pub(super) fn splice(graph: &mut Graph, range: std::ops::Range<usize>, edges: Vec<Edge>) {
    graph.edges.splice(range, edges);
    graph.outgoing.clear();
    graph.incoming.clear();
    let all = std::mem::take(&mut graph.edges);
    graph.reserve_edges(all.len());
    for e in all {
        graph.push_edge(e);
    }
}
