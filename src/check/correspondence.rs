//! TR111: a correspondence between two documents is either stated by the source or inferred
//! by the site, never both. A correspondence is a section of one document (the prose that
//! cites, or the passage an item quotes as its `source`) and a target in another document:
//! every cross-reference and typed link that joins the two must carry the same verdict, or
//! the graph would call the same link explicit in one place and inferred in another.
//! Links inside one document (a policy advancing its goal, a chapter naming its sections)
//! are each their own statement and are not compared.

use crate::diagnostic::{Diagnostic, Span};
use crate::graph::{Edge, Target};
use crate::site::Site;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The first explicit and the first inferred link of one correspondence.
#[derive(Default)]
struct Verdicts<'a> {
    explicit: Option<&'a Edge>,
    inferred: Option<&'a Edge>,
}

/// Reports every correspondence marked explicit in one place and inferred in another.
pub fn rules(site: &Site, out: &mut Vec<Diagnostic>) {
    // Borrowed keys: most edges join sections of one document and are skipped, so nothing
    // is copied for them.
    // The lookups per edge run in parallel (the graph has an edge per cross-reference); the
    // verdicts are then gathered in edge order, so the first of each kind is kept as before.
    let joined: Vec<(&str, &Edge)> = site
        .graph
        .edges
        .par_iter()
        .filter_map(|e| {
            let passage = grounding(site, e)?;
            (doc_of(site, passage) != doc_of(site, &e.to)).then_some((passage, e))
        })
        .collect();
    let mut seen: BTreeMap<(&str, &str), Verdicts<'_>> = BTreeMap::new();
    for (passage, e) in joined {
        let v = seen.entry((passage, e.to.as_str())).or_default();
        let slot = if e.inferred {
            &mut v.inferred
        } else {
            &mut v.explicit
        };
        slot.get_or_insert(e);
    }
    for ((passage, to), v) in seen {
        if let (Some(x), Some(i)) = (v.explicit, v.inferred) {
            out.push(finding(passage, to, x, &i.span));
        }
    }
}

fn finding(passage: &str, to: &str, explicit: &Edge, inferred: &Span) -> Diagnostic {
    Diagnostic::warning(
        "TR111",
        format!(
            "`{passage}` → `{to}` is marked explicit here (`{}` from `{}`) and inferred elsewhere",
            explicit.kind, explicit.from
        ),
    )
    .at(explicit.span.clone())
    .related(inferred.clone())
    .hint(
        "the source either names the target or it does not: mark every link of this \
         correspondence the same way (`inferred: true` with a note, or `(@ID \"inferred: reason\")`)",
    )
    .ids([explicit.from.to_string(), to.to_string()])
}

/// The section whose text grounds a link: the citing section itself, or the section an
/// item's `source` quotes.
fn grounding<'a>(site: &'a Site, e: &'a Edge) -> Option<&'a str> {
    match site.graph.index.get(e.from.as_str())? {
        Target::Section(_) => Some(&e.from),
        Target::Item(i) => {
            let (reference, _) = site.content.items[*i].source.as_ref()?.reference.as_ref()?;
            matches!(site.graph.index.get(reference), Some(Target::Section(_)))
                .then_some(reference.as_str())
        }
        Target::Document(_) => None,
    }
}

/// The document an ID belongs to.
fn doc_of(site: &Site, id: &str) -> Option<usize> {
    Some(match site.graph.index.get(id)? {
        Target::Document(d) => *d,
        Target::Section(s) => site.content.sections[*s].doc,
        Target::Item(i) => site.content.items[*i].doc,
    })
}
