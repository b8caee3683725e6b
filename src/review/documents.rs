//! Documents as the review sees them: added, removed or modified documents with their kind and
//! fiscal year, so "a new annual plan" reads as one, not as a list of sections.

use crate::site::Site;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The comparable fields of a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocSnap {
    /// Document kind (`annual-plan`, `basic-plan`, …).
    pub kind: String,
    /// The fiscal year an annual plan plans.
    pub fiscal_year: Option<i32>,
    /// Site-relative folder.
    pub folder: String,
    /// Comparable fields: `title.ja`, `period`, `decided`, `status`, `order`, `draft`, ….
    pub fields: BTreeMap<String, String>,
}

/// Every document of a compiled site by ID.
pub fn snapshot(site: &Site) -> BTreeMap<String, DocSnap> {
    let mut out = BTreeMap::new();
    for d in &site.content.documents {
        let mut f = BTreeMap::new();
        for (lang, t) in &d.title {
            f.insert(format!("title.{lang}"), t.clone());
        }
        f.insert("kind".into(), d.kind.clone());
        f.insert("order".into(), d.order.to_string());
        if let Some(y) = d.fiscal_year {
            f.insert("fiscal_year".into(), y.to_string());
        }
        if let Some((from, to)) = &d.period {
            f.insert("period".into(), format!("{from}–{to}"));
        }
        if let Some(x) = &d.decided {
            f.insert("decided".into(), x.clone());
        }
        if let Some(x) = &d.status {
            f.insert("status".into(), x.clone());
        }
        if d.draft {
            f.insert("draft".into(), "true".into());
        }
        out.insert(
            d.id.clone(),
            DocSnap {
                kind: d.kind.clone(),
                fiscal_year: d.fiscal_year,
                folder: d.folder.clone(),
                fields: f,
            },
        );
    }
    out
}

/// An added, removed or modified document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocumentChange {
    /// Document ID.
    pub id: String,
    /// `added`, `removed` or `modified`.
    pub change: String,
    /// Document kind (head, else base).
    pub kind: String,
    /// Fiscal year of an annual plan (head, else base).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fiscal_year: Option<i32>,
    /// Title in the default language.
    pub title: String,
    /// Site-relative folder.
    pub folder: String,
    /// Changed fields (modified documents only).
    pub fields: Vec<super::fields::FieldChange>,
}

/// Documents added, removed, or with a changed `document.yaml` field, sorted by ID.
pub fn compare(
    base: &BTreeMap<String, DocSnap>,
    head: &BTreeMap<String, DocSnap>,
    lang: &str,
) -> Vec<DocumentChange> {
    let ids: BTreeSet<&String> = base.keys().chain(head.keys()).collect();
    let mut out = Vec::new();
    for id in ids {
        let (b, h) = (base.get(id), head.get(id));
        let (change, fields) = match (b, h) {
            (None, _) => ("added", Vec::new()),
            (_, None) => ("removed", Vec::new()),
            (Some(b), Some(h)) => {
                let f = super::fields::field_changes(&b.fields, &h.fields);
                if f.is_empty() {
                    continue;
                }
                ("modified", f)
            }
        };
        let Some(d) = h.or(b) else { continue };
        out.push(DocumentChange {
            id: id.clone(),
            change: change.into(),
            kind: d.kind.clone(),
            fiscal_year: d.fiscal_year,
            title: d
                .fields
                .get(&format!("title.{lang}"))
                .cloned()
                .unwrap_or_default(),
            folder: d.folder.clone(),
            fields,
        });
    }
    out
}
