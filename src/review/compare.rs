//! The review model and the structural comparison of two snapshots: item changes (added,
//! removed, renamed, modified field by field), section changes, link changes seen from both
//! ends, the impact list and translation impact. Everything is sorted, so outputs are stable.

use super::fields::{FieldChange, field_changes};
use super::snapshot::Snapshot;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// An item as the report names it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ItemRef {
    /// ID (the head ID for renamed items).
    pub id: String,
    /// Item kind.
    pub kind: String,
    /// Title in the default language.
    pub title: String,
}

/// A renamed item.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rename {
    /// The base ID.
    pub from: String,
    /// The head ID (whose `renamed_from` names `from`).
    pub to: String,
    /// Item kind.
    pub kind: String,
    /// Title in the default language.
    pub title: String,
}

/// A modified item.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ItemChange {
    /// The item.
    #[serde(flatten)]
    pub item: ItemRef,
    /// Its base ID when it was renamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Changed fields, sorted by name.
    pub fields: Vec<FieldChange>,
}

/// Items added, removed, renamed and modified.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ItemChanges {
    /// Only in head.
    pub added: Vec<ItemRef>,
    /// Only in base.
    pub removed: Vec<ItemRef>,
    /// Matched through `renamed_from`.
    pub renamed: Vec<Rename>,
    /// Matched, with changed fields.
    pub modified: Vec<ItemChange>,
}

/// An added, removed or modified section; `fields` are `title.<lang>` and `body.<lang>`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SectionChange {
    /// Section ID.
    pub id: String,
    /// `added`, `removed` or `modified`.
    pub change: String,
    /// Site-relative files of the section (head, else base).
    pub files: Vec<String>,
    /// Changed fields.
    pub fields: Vec<FieldChange>,
}

/// A typed link added, removed or retargeted.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LinkChange {
    /// Link kind.
    pub kind: String,
    /// `added`, `removed` or `retargeted`.
    pub change: String,
    /// Source ID.
    pub from: String,
    /// Kind of the source.
    pub from_kind: String,
    /// Target ID (the new target when retargeted).
    pub to: String,
    /// Kind of the target.
    pub to_kind: String,
    /// The old target when retargeted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_to: Option<String>,
    /// Kind of the old target when retargeted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_to_kind: Option<String>,
}

/// A goal or policy whose text changed, with what links to it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Impact {
    /// The changed item.
    #[serde(flatten)]
    pub item: ItemRef,
    /// Which text fields changed (`title.ja`, `prose.en`, …).
    pub changed: Vec<String>,
    /// Items and sections linking to it in head: (source ID, source kind, link kind).
    pub recheck: Vec<(String, String, String)>,
}

/// One language's text changed while another's did not.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TranslationImpact {
    /// `section`, `title` or `definition`.
    pub what: String,
    /// Section or item ID.
    pub id: String,
    /// The language whose text changed.
    pub changed: String,
    /// The language whose text did not.
    pub unchanged: String,
    /// The file to update (sections: the unchanged language's file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

fn item_ref(s: &Snapshot, id: &str) -> ItemRef {
    let it = &s.items[id];
    ItemRef {
        id: id.to_string(),
        kind: it.kind.clone(),
        title: it.title(&s.default_language).to_string(),
    }
}

/// Item changes; `renames` maps base IDs to head IDs and `base` is already renamed.
pub fn items(base: &Snapshot, head: &Snapshot, renames: &BTreeMap<String, String>) -> ItemChanges {
    let mut out = ItemChanges::default();
    let renamed_to: BTreeMap<&String, &String> = renames.iter().map(|(o, n)| (n, o)).collect();
    for id in head.items.keys().filter(|id| !base.items.contains_key(*id)) {
        out.added.push(item_ref(head, id));
    }
    for id in base.items.keys().filter(|id| !head.items.contains_key(*id)) {
        out.removed.push(item_ref(base, id));
    }
    for (id, h) in &head.items {
        let Some(b) = base.items.get(id) else {
            continue;
        };
        let old = renamed_to.get(id).map(|s| s.to_string());
        if let Some(o) = &old {
            out.renamed.push(Rename {
                from: o.clone(),
                to: id.clone(),
                kind: h.kind.clone(),
                title: h.title(&head.default_language).to_string(),
            });
        }
        let mut fields = field_changes(&b.fields, &h.fields);
        if b.kind != h.kind {
            fields.insert(0, change("kind", &b.kind, &h.kind));
        }
        if b.document != h.document {
            fields.insert(0, change("document", &b.document, &h.document));
        }
        if !fields.is_empty() {
            out.modified.push(ItemChange {
                item: item_ref(head, id),
                renamed_from: old,
                fields,
            });
        }
    }
    out
}

fn change(field: &str, before: &str, after: &str) -> FieldChange {
    FieldChange {
        field: field.into(),
        before: Some(before.into()),
        after: Some(after.into()),
    }
}

/// Section changes (added, removed, or a title or body changed in some language).
pub fn sections(base: &Snapshot, head: &Snapshot) -> Vec<SectionChange> {
    let ids: BTreeSet<&String> = base.sections.keys().chain(head.sections.keys()).collect();
    let mut out = Vec::new();
    for id in ids {
        let (b, h) = (base.sections.get(id), head.sections.get(id));
        let flat = |s: Option<&BTreeMap<String, super::snapshot::SectionSnap>>| {
            let mut m = BTreeMap::new();
            for (lang, v) in s.into_iter().flatten() {
                m.insert(format!("title.{lang}"), v.title.clone());
                m.insert(format!("body.{lang}"), v.body.clone());
            }
            m
        };
        let fields = field_changes(&flat(b), &flat(h));
        if fields.is_empty() {
            continue;
        }
        let change = match (b, h) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "modified",
        };
        out.push(SectionChange {
            id: id.clone(),
            change: change.into(),
            files: h
                .or(b)
                .into_iter()
                .flatten()
                .map(|(_, v)| v.file.clone())
                .collect(),
            fields,
        });
    }
    out
}

/// Link changes by kind, then source; one add and one removal of the same (source, kind) pair
/// make a retarget.
pub fn links(base: &Snapshot, head: &Snapshot) -> Vec<LinkChange> {
    let removed: Vec<_> = base
        .links
        .keys()
        .filter(|l| !head.links.contains_key(*l))
        .collect();
    let added: Vec<_> = head
        .links
        .keys()
        .filter(|l| !base.links.contains_key(*l))
        .collect();
    // (kind, source) → (targets gone, targets new)
    type Targets<'a> = (Vec<&'a str>, Vec<&'a str>);
    let mut by_pair: BTreeMap<(&str, &str), Targets> = BTreeMap::new();
    for (f, k, t) in &removed {
        by_pair.entry((k, f)).or_default().0.push(t);
    }
    for (f, k, t) in &added {
        by_pair.entry((k, f)).or_default().1.push(t);
    }
    let mut out = Vec::new();
    for ((kind, from), (gone, new)) in by_pair {
        let from_kind = if head.items.contains_key(from) || head.sections.contains_key(from) {
            head.kind_of(from)
        } else {
            base.kind_of(from)
        };
        let mk = |change: &str, to: &str, side: &Snapshot| LinkChange {
            kind: kind.into(),
            change: change.into(),
            from: from.into(),
            from_kind: from_kind.into(),
            to: to.into(),
            to_kind: side.kind_of(to).into(),
            old_to: None,
            old_to_kind: None,
        };
        if gone.len() == 1 && new.len() == 1 && kind != "cites" {
            let mut c = mk("retargeted", new[0], head);
            c.old_to = Some(gone[0].into());
            c.old_to_kind = Some(base.kind_of(gone[0]).into());
            out.push(c);
            continue;
        }
        out.extend(gone.iter().map(|t| mk("removed", t, base)));
        out.extend(new.iter().map(|t| mk("added", t, head)));
    }
    out
}

/// Goals and policies whose title or prose changed, with what links to them in head.
pub fn impact(head: &Snapshot, modified: &[ItemChange]) -> Vec<Impact> {
    let mut out = Vec::new();
    for m in modified
        .iter()
        .filter(|m| matches!(m.item.kind.as_str(), "goal" | "policy"))
    {
        let changed: Vec<String> = m
            .fields
            .iter()
            .filter(|f| f.field.starts_with("title.") || f.field.starts_with("prose."))
            .map(|f| f.field.clone())
            .collect();
        if changed.is_empty() {
            continue;
        }
        let recheck = head
            .links
            .keys()
            .filter(|(_, _, to)| *to == m.item.id)
            .map(|(from, kind, _)| (from.clone(), head.kind_of(from).to_string(), kind.clone()))
            .collect();
        out.push(Impact {
            item: m.item.clone(),
            changed,
            recheck,
        });
    }
    out
}

/// Texts changed in one language but not in another: section bodies (by translation hash),
/// item titles and glossary definitions.
pub fn translation(base: &Snapshot, head: &Snapshot) -> Vec<TranslationImpact> {
    let mut out = Vec::new();
    let mut push = |what: &str, id: &str, changed: &str, unchanged: &str, file: Option<String>| {
        out.push(TranslationImpact {
            what: what.into(),
            id: id.into(),
            changed: changed.into(),
            unchanged: unchanged.into(),
            file,
        });
    };
    for (id, h) in &head.sections {
        let Some(b) = base.sections.get(id) else {
            continue;
        };
        let changed = |l: &String| b.get(l).map(|v| &v.hash) != h.get(l).map(|v| &v.hash);
        let langs: Vec<&String> = h.keys().filter(|l| b.contains_key(*l)).collect();
        for l in &langs {
            for other in langs.iter().filter(|o| o != &l) {
                if changed(l) && !changed(other) {
                    push(
                        "section",
                        id,
                        l,
                        other,
                        h.get(*other).map(|v| v.file.clone()),
                    );
                }
            }
        }
    }
    for (id, h) in &head.items {
        let Some(b) = base.items.get(id) else {
            continue;
        };
        for what in ["title", "definition"] {
            let langs: Vec<String> = h
                .fields
                .keys()
                .filter_map(|k| k.strip_prefix(&format!("{what}.")).map(str::to_string))
                .filter(|l| b.fields.contains_key(&format!("{what}.{l}")))
                .collect();
            let changed = |l: &str| {
                let k = format!("{what}.{l}");
                b.fields.get(&k) != h.fields.get(&k)
            };
            for l in &langs {
                for other in langs.iter().filter(|o| *o != l) {
                    if changed(l) && !changed(other) {
                        push(what, id, l, other, None);
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (&a.changed, &a.what, &a.id, &a.unchanged).cmp(&(&b.changed, &b.what, &b.id, &b.unchanged))
    });
    out
}
