//! The edges of items' typed links: each checked against the schema (known kind, allowed
//! source and target kinds, no link to itself, no repeat) and counted (cardinality).

use super::{Edge, Graph};
use crate::diagnostic::{Diagnostic, nearest};
use crate::ground::Name;
use crate::model::{Content, Item, LinkRef};
use crate::schema::{LinkKindDef, Schema};
use std::collections::BTreeMap;

impl Graph {
    pub(super) fn add_item_edges(
        &mut self,
        content: &Content,
        schema: &Schema,
        diags: &mut Vec<Diagnostic>,
    ) {
        // Each link kind's name once for the whole graph.
        let kinds: BTreeMap<&str, Name> = (schema.link_kinds.iter())
            .map(|k| (k.name.as_str(), Name::from(k.name.as_str())))
            .collect();
        for it in &content.items {
            let from = Name::from(it.id.as_str());
            let mut per_kind: BTreeMap<&str, usize> = BTreeMap::new();
            let mut seen: Vec<(&str, &str)> = Vec::new();
            for l in &it.links {
                let Some(def) = schema.link(&l.kind) else {
                    diags.push(unknown_link_kind(schema, it, l));
                    continue;
                };
                if !def.allows_from(&it.kind) {
                    diags.push(
                        Diagnostic::error(
                            "TR004",
                            format!("a {} cannot have `{}` links", it.kind, l.kind),
                        )
                        .at(l.span.clone())
                        .hint(format!(
                            "`{}` links go from {}",
                            l.kind,
                            def.from.join(", ")
                        ))
                        .ids([it.id.clone()]),
                    );
                    continue;
                }
                *per_kind.entry(def.name.as_str()).or_default() += usize::from(!l.to.is_empty());
                if l.to.is_empty() {
                    continue;
                }
                if let Err(d) = self.check_link(content, it, l, def, &mut seen) {
                    diags.push(d);
                    continue;
                }
                let kind = (kinds.get(l.kind.as_str()).cloned())
                    .unwrap_or_else(|| Name::from(l.kind.as_str()));
                self.push_edge(Edge {
                    from: from.clone(),
                    to: l.to.clone(),
                    kind,
                    inferred: l.inferred,
                    note: l.note.clone(),
                    span: l.span.clone(),
                    lang: None,
                });
            }
            link_counts(schema, it, &per_kind, diags);
        }
    }

    /// Whether link `l` of `it` (a known kind it may have) makes an edge, or why not: a link to
    /// itself, a repeated link (remembered in `seen`), a dangling target or one of a kind the
    /// link cannot point to.
    fn check_link<'c>(
        &self,
        content: &Content,
        it: &Item,
        l: &'c LinkRef,
        def: &LinkKindDef,
        seen: &mut Vec<(&'c str, &'c str)>,
    ) -> Result<(), Diagnostic> {
        if l.to == it.id {
            return Err(
                Diagnostic::error("TR008", format!("`{}` links to itself", it.id))
                    .at(l.span.clone())
                    .ids([it.id.clone()]),
            );
        }
        if seen.contains(&(l.kind.as_str(), l.to.as_str())) {
            return Err(Diagnostic::error(
                "TR008",
                format!("duplicate `{}` link to `{}`", l.kind, l.to),
            )
            .at(l.span.clone())
            .hint("remove the repeated entry")
            .ids([it.id.clone(), l.to.clone()]));
        }
        seen.push((l.kind.as_str(), l.to.as_str()));
        let Some(target_kind) = self.kind_of(content, &l.to) else {
            let fits = |k: &str| {
                self.kind_of(content, k)
                    .is_some_and(|kind| def.allows_to(kind))
            };
            return Err(self.dangling_of(&l.to, &l.span, &format!("`{}` target", l.kind), fits));
        };
        if !def.allows_to(target_kind) {
            return Err(Diagnostic::error(
                "TR004",
                format!(
                    "`{}` must point to {}, but `{}` is a {target_kind}",
                    l.kind,
                    def.to.join(" or "),
                    l.to
                ),
            )
            .at(l.span.clone())
            .ids([it.id.clone(), l.to.clone()]));
        }
        Ok(())
    }
}

/// TR005: `it` has fewer or more links of a kind than the schema allows (`per_kind` counts
/// them; drafts and kinds open to every item are not counted).
fn link_counts(
    schema: &Schema,
    it: &Item,
    per_kind: &BTreeMap<&str, usize>,
    diags: &mut Vec<Diagnostic>,
) {
    for def in &schema.link_kinds {
        if !def.allows_from(&it.kind) || def.from.iter().any(|f| f == "*") || it.draft {
            continue;
        }
        let n = per_kind.get(def.name.as_str()).copied().unwrap_or(0);
        if n < def.min {
            diags.push(
                Diagnostic::error(
                    "TR005",
                    format!(
                        "{} `{}` needs at least {} `{}` link(s), has {n}",
                        it.kind, it.id, def.min, def.name
                    ),
                )
                .at(it.span.clone())
                .hint(format!(
                    "add `links: {{ {}: [<{} ID>] }}`",
                    def.name,
                    def.to.join("|")
                ))
                .ids([it.id.clone()]),
            );
        }
        if let Some(max) = def.max.filter(|m| n > *m) {
            diags.push(
                Diagnostic::error(
                    "TR005",
                    format!(
                        "{} `{}` may have at most {max} `{}` link(s), has {n}",
                        it.kind, it.id, def.name
                    ),
                )
                .at(it.span.clone())
                .ids([it.id.clone()]),
            );
        }
    }
}

/// TR004: link kind `l.kind` is not in the schema.
fn unknown_link_kind(schema: &Schema, it: &Item, l: &LinkRef) -> Diagnostic {
    let known: Vec<&str> = schema.link_kinds.iter().map(|k| k.name.as_str()).collect();
    let hint = match nearest(&l.kind, known.iter().copied()).first() {
        Some(b) => format!("did you mean `{b}`?"),
        None => format!("known link kinds: {}", known.join(", ")),
    };
    Diagnostic::error("TR004", format!("unknown link kind `{}`", l.kind))
        .at(l.span.clone())
        .hint(hint)
        .ids([it.id.clone()])
}
