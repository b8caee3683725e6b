//! The traceability graph: every ID in one index, typed edges in both directions, and the
//! structural rules that need the whole graph (duplicates, dangling links, kinds, cardinality,
//! cycles).

use crate::diagnostic::{Diagnostic, Span, nearest};
use crate::ground::Name;
use crate::model::{Content, Localized};
use crate::schema::Schema;
mod cycles;
mod links;
pub use cycles::find_cycles;

use rustc_hash::FxHashMap as HashMap;

/// What an ID names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A document (index into `Content::documents`).
    Document(usize),
    /// A section (index into `Content::sections`).
    Section(usize),
    /// An item (index into `Content::items`).
    Item(usize),
}

/// A resolved typed link.
#[derive(Debug, Clone)]
pub struct Edge {
    /// Source ID (item or section).
    pub from: Name,
    /// Target ID.
    pub to: String,
    /// Link kind name.
    pub kind: Name,
    /// The link is not stated explicitly in the source text.
    pub inferred: bool,
    /// Reviewer note.
    pub note: Option<Localized>,
    /// Where the link is written.
    pub span: Span,
    /// For `cites`: the language of the prose it was found in.
    pub lang: Option<Name>,
}

/// The `cites` edges of one section file's cross-references `(target, span, inferred
/// reason)`, in the order the graph holds them: by position, ties by target. The compile and
/// `serve`'s patch both make them here, so a patched graph equals a compiled one. A reason
/// (`Some`, possibly empty) marks the edge inferred; a non-empty one is its note in `lang`.
pub fn cite_edges(
    section: &str,
    lang: &str,
    cites: impl IntoIterator<Item = (String, Span, Option<String>)>,
) -> Vec<Edge> {
    // One copy of each string for the whole file, shared by its edges.
    let (from, kind, lang_name) = (Name::from(section), Name::from("cites"), Name::from(lang));
    let mut edges: Vec<Edge> = cites
        .into_iter()
        .map(|(to, span, reason)| Edge {
            from: from.clone(),
            to,
            kind: kind.clone(),
            inferred: reason.is_some(),
            note: reason
                .filter(|r| !r.is_empty())
                .map(|r| Localized::from([(lang.to_string(), r)])),
            span,
            lang: Some(lang_name.clone()),
        })
        .collect();
    edges.sort_by(|a, b| (&a.span, &a.to).cmp(&(&b.span, &b.to)));
    edges
}

/// The index and edges of a site.
#[derive(Debug, Default, Clone)]
pub struct Graph {
    /// Every ID → what it names.
    pub index: HashMap<String, Target>,
    /// All valid edges, in a deterministic order.
    pub edges: Vec<Edge>,
    /// Edge indices by source ID.
    pub outgoing: HashMap<String, Vec<usize>>,
    /// Edge indices by target ID.
    pub incoming: HashMap<String, Vec<usize>>,
}

/// Checks the ID grammar: ASCII upper case, digits and single dashes.
pub fn valid_id(id: &str) -> bool {
    let mut prev_dash = true;
    let ok = id.bytes().all(|b| {
        let dash = b == b'-';
        let good = b.is_ascii_uppercase() || b.is_ascii_digit() || (dash && !prev_dash);
        prev_dash = dash;
        good
    });
    ok && id.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && !id.ends_with('-')
}

/// Folds full-width ASCII and dash variants to ASCII, to explain a malformed ID.
pub fn fold_width(id: &str) -> String {
    id.chars()
        .map(|c| match c {
            '－' => '-',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
            _ => c,
        })
        .collect()
}

impl Graph {
    /// Builds the index and item edges; returns every structural finding.
    pub fn build<'a>(content: &'a Content, schema: &Schema) -> (Graph, Vec<Diagnostic>) {
        let mut g = Graph::default();
        let mut diags = Vec::new();
        // Borrowed from `content`: no copy of each ID and span just to find duplicates.
        let mut first_span: HashMap<&str, &Span> = HashMap::default();
        // Every document, section and item registers once: no rehashing as the maps grow.
        let ids = content.documents.len() + content.sections.len() + content.items.len();
        g.index.reserve(ids);
        first_span.reserve(ids);
        let mut register = |id: &'a str,
                            target: Target,
                            span: &'a Span,
                            g: &mut Graph,
                            diags: &mut Vec<Diagnostic>| {
            if !valid_id(id) {
                let folded = fold_width(id);
                let hint = if folded != id && valid_id(&folded) {
                    format!("full-width characters in an ID; write `{folded}`")
                } else {
                    "IDs are ASCII upper case, digits and dashes, e.g. BP1-GA-P1".to_string()
                };
                diags.push(
                    Diagnostic::error("TR002", format!("malformed ID `{id}`"))
                        .at(span.clone())
                        .hint(hint)
                        .ids([id]),
                );
            }
            if let Some(first) = first_span.get(id) {
                diags.push(
                    Diagnostic::error("TR001", format!("duplicate ID `{id}`"))
                        .at(span.clone())
                        .related((*first).clone())
                        .hint("IDs are unique across the whole corpus; rename one of them")
                        .ids([id]),
                );
                return;
            }
            first_span.insert(id, span);
            g.index.insert(id.to_string(), target);
        };
        for (i, d) in content.documents.iter().enumerate() {
            register(&d.id, Target::Document(i), &d.span, &mut g, &mut diags);
        }
        for (i, s) in content.sections.iter().enumerate() {
            if let Some(v) = s.variants.first() {
                register(&s.id, Target::Section(i), &v.span, &mut g, &mut diags);
            }
        }
        for (i, it) in content.items.iter().enumerate() {
            register(&it.id, Target::Item(i), &it.span, &mut g, &mut diags);
            if schema.item(&it.kind).is_none() {
                let known: Vec<&str> = schema.item_kinds.iter().map(|k| k.name.as_str()).collect();
                let mut d = Diagnostic::error("TR004", format!("unknown item kind `{}`", it.kind))
                    .at(it.span.clone())
                    .ids([it.id.clone()]);
                d = d.hint(match nearest(&it.kind, known.iter().copied()).first() {
                    Some(b) => format!("did you mean `{b}`?"),
                    None => format!("known kinds: {}", known.join(", ")),
                });
                diags.push(d);
            }
        }
        g.check_sections(content, &mut diags);
        g.add_item_edges(content, schema, &mut diags);
        g.check_cycles(schema, &mut diags);
        (g, diags)
    }

    /// The kind name of a target, as link kinds name them.
    pub fn kind_of<'a>(&self, content: &'a Content, id: &str) -> Option<&'a str> {
        match self.index.get(id)? {
            Target::Document(_) => Some("document"),
            Target::Section(_) => Some("section"),
            Target::Item(i) => Some(content.items[*i].kind.as_str()),
        }
    }

    fn dangling(&self, id: &str, span: &Span, what: &str) -> Diagnostic {
        self.dangling_of(id, span, what, |_| true)
    }

    /// A dangling-reference finding whose suggestions are limited to IDs `allowed` accepts.
    fn dangling_of(
        &self,
        id: &str,
        span: &Span,
        what: &str,
        allowed: impl Fn(&str) -> bool,
    ) -> Diagnostic {
        let mut all: Vec<&str> = self
            .index
            .keys()
            .map(String::as_str)
            .filter(|k| allowed(k))
            .collect();
        all.sort_unstable();
        let near = nearest(id, all.iter().copied());
        let hint = crate::diagnostic::did_you_mean(&near)
            .unwrap_or_else(|| "check the ID; `plansite trace` lists what exists".to_string());
        Diagnostic::error("TR003", format!("{what} `{id}` does not exist"))
            .at(span.clone())
            .hint(hint)
            .ids([id])
    }

    fn check_sections(&self, content: &Content, diags: &mut Vec<Diagnostic>) {
        for s in &content.sections {
            if let Some((p, span)) = &s.parent {
                match self.index.get(p) {
                    Some(Target::Section(j)) if content.sections[*j].doc == s.doc => {}
                    Some(_) => diags.push(
                        Diagnostic::error(
                            "TR004",
                            format!("parent `{p}` is not a section of the same document"),
                        )
                        .at(span.clone()),
                    ),
                    None => diags.push(self.dangling(p, span, "parent section")),
                }
            }
        }
        for it in &content.items {
            if let Some((r, span)) = it.source.as_ref().and_then(|c| c.reference.as_ref())
                && !self.index.contains_key(r)
            {
                diags.push(self.dangling(r, span, "cited source"));
            }
        }
    }

    /// Adds an edge and indexes it both ways.
    pub fn push_edge(&mut self, e: Edge) {
        let i = self.edges.len();
        // Look up before inserting: most IDs are already keys, and `entry` needs an owned key.
        match self.outgoing.get_mut(e.from.as_str()) {
            Some(v) => v.push(i),
            None => {
                self.outgoing.insert(e.from.to_string(), vec![i]);
            }
        }
        match self.incoming.get_mut(&e.to) {
            Some(v) => v.push(i),
            None => {
                self.incoming.insert(e.to.clone(), vec![i]);
            }
        }
        self.edges.push(e);
    }

    /// Makes room for `n` more edges.
    pub fn reserve_edges(&mut self, n: usize) {
        self.edges.reserve(n);
    }

    /// Adds edges in order, like [`Graph::push_edge`] one by one; the two indexes are updated
    /// in parallel (tens of thousands of `cites` edges come at once).
    pub fn extend_edges(&mut self, edges: impl IntoIterator<Item = Edge>) {
        let first = self.edges.len();
        self.edges.extend(edges);
        let new = &self.edges[first..];
        let index = |map: &mut HashMap<String, Vec<usize>>, key: fn(&Edge) -> &str| {
            for (i, e) in new.iter().enumerate() {
                // Look up before inserting: most IDs are already keys.
                match map.get_mut(key(e)) {
                    Some(v) => v.push(first + i),
                    None => {
                        map.insert(key(e).to_string(), vec![first + i]);
                    }
                }
            }
        };
        let (outgoing, incoming) = (&mut self.outgoing, &mut self.incoming);
        rayon::join(
            || index(outgoing, |e| e.from.as_str()),
            || index(incoming, |e| &e.to),
        );
    }

    /// Edges into `id`, optionally of one kind.
    pub fn into_of<'a>(
        &'a self,
        id: &str,
        kind: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Edge> + 'a {
        self.incoming
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.edges[i])
            .filter(move |e| kind.is_none_or(|k| e.kind == k))
    }

    /// Edges out of `id`, optionally of one kind.
    pub fn out_of<'a>(
        &'a self,
        id: &str,
        kind: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Edge> + 'a {
        self.outgoing
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.edges[i])
            .filter(move |e| kind.is_none_or(|k| e.kind == k))
    }

    fn check_cycles(&self, schema: &Schema, diags: &mut Vec<Diagnostic>) {
        for def in schema.link_kinds.iter().filter(|k| k.hierarchical) {
            for cycle in find_cycles(self, &def.name) {
                let first = cycle[0].clone();
                let span = self
                    .out_of(&first, Some(&def.name))
                    .next()
                    .map(|e| e.span.clone());
                let path = cycle
                    .iter()
                    .chain(std::iter::once(&first))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" → ");
                let mut d = Diagnostic::error("TR006", format!("`{}` cycle: {path}", def.name))
                    .hint("a hierarchy cannot loop; remove one link")
                    .ids(cycle.clone());
                if let Some(s) = span {
                    d = d.at(s);
                }
                diags.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_grammar() {
        for ok in ["BP1", "BP1-GA-P1", "T-CEPTOAR", "FP1-OI-29"] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in ["bp1", "BP1--X", "BP1-", "-BP1", "ＢＰ１", "BP1_X", ""] {
            assert!(!valid_id(bad), "{bad}");
        }
        assert_eq!(fold_width("ＢＰ１－ＧＡ"), "BP1-GA");
    }

    fn edge(from: &str, to: &str) -> Edge {
        Edge {
            from: from.into(),
            to: to.into(),
            kind: "part_of".into(),
            inferred: false,
            note: None,
            span: Span::file("x"),
            lang: None,
        }
    }

    #[test]
    fn cycles_are_found_whole() {
        let mut g = Graph::default();
        for (a, b) in [
            ("C", "A"),
            ("A", "B"),
            ("B", "C"),
            ("D", "A"),
            ("E", "E2"),
            ("E2", "E"),
        ] {
            g.push_edge(edge(a, b));
        }
        let cycles = find_cycles(&g, "part_of");
        assert_eq!(cycles, vec![vec!["A", "B", "C"], vec!["E", "E2"]]);
    }
}
