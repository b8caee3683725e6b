//! One changed field of an item, a section or a document, and the field-by-field comparison of
//! two field maps (shared by the item, section and document comparisons).

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One changed field; `before`/`after` are absent when the field is added or removed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldChange {
    /// `title.ja`, `links`, `fiscal_year`, `source`, `prose.en`, `body.ja`, …
    pub field: String,
    /// Old value.
    pub before: Option<String>,
    /// New value.
    pub after: Option<String>,
}

/// The fields whose values differ (or exist on one side only), sorted by name.
pub fn field_changes(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<FieldChange> {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: before.get(k).cloned(),
            after: after.get(k).cloned(),
        })
        .collect()
}
