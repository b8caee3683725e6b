//! Item kinds and typed link kinds, declared as data (`default-schema.toml`, extendable in
//! `plansite.toml`), so adding a kind needs no new code.

use crate::ground::Localized;
use serde::Deserialize;

/// An item kind such as `goal` or `policy`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemKindDef {
    /// Kind name used in YAML `kind:`.
    pub name: String,
    /// Singular label per language.
    pub label: Localized,
    /// Plural label per language.
    pub plural: Localized,
}

/// A typed, directional link kind stored on the child side.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkKindDef {
    /// Key used under an item's `links:`.
    pub name: String,
    /// Source item kinds (`section` for prose cross-references).
    pub from: Vec<String>,
    /// Target kinds; `*` allows any item, section or document.
    pub to: Vec<String>,
    /// Minimum number of links each source item must have.
    #[serde(default)]
    pub min: usize,
    /// Maximum number of links (none when absent).
    #[serde(default)]
    pub max: Option<usize>,
    /// Whether the link counts for coverage metrics.
    #[serde(default)]
    pub coverage: bool,
    /// Whether cycles along this kind are errors.
    #[serde(default)]
    pub hierarchical: bool,
    /// Forward label per language (shown on the source item).
    pub label: Localized,
    /// Reverse label per language (shown on the target item).
    pub reverse: Localized,
}

impl LinkKindDef {
    /// Whether an item of `kind` may be the source of this link.
    pub fn allows_from(&self, kind: &str) -> bool {
        self.from.iter().any(|k| k == kind || k == "*")
    }

    /// Whether a target of `kind` is allowed.
    pub fn allows_to(&self, kind: &str) -> bool {
        self.to.iter().any(|k| k == kind || k == "*")
    }
}

/// The full schema in force for a site.
#[derive(Debug, Clone, Deserialize)]
pub struct Schema {
    /// Item kinds, in display order.
    pub item_kinds: Vec<ItemKindDef>,
    /// Link kinds, in display order.
    pub link_kinds: Vec<LinkKindDef>,
}

impl Schema {
    /// The built-in schema merged with a site's additions (same name replaces).
    pub fn with_overrides(items: &[ItemKindDef], links: &[LinkKindDef]) -> Schema {
        let mut s: Schema =
            toml::from_str(include_str!("default-schema.toml")).expect("built-in schema is valid");
        for k in items {
            match s.item_kinds.iter_mut().find(|x| x.name == k.name) {
                Some(slot) => *slot = k.clone(),
                None => s.item_kinds.push(k.clone()),
            }
        }
        for k in links {
            match s.link_kinds.iter_mut().find(|x| x.name == k.name) {
                Some(slot) => *slot = k.clone(),
                None => s.link_kinds.push(k.clone()),
            }
        }
        s
    }

    /// Looks up a link kind.
    pub fn link(&self, name: &str) -> Option<&LinkKindDef> {
        self.link_kinds.iter().find(|k| k.name == name)
    }

    /// Looks up an item kind.
    pub fn item(&self, name: &str) -> Option<&ItemKindDef> {
        self.item_kinds.iter().find(|k| k.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_schema_declares_the_backbone_links() {
        let s = Schema::with_overrides(&[], &[]);
        let adv = s.link("advances").unwrap();
        assert!(adv.allows_from("policy") && adv.allows_to("goal") && !adv.allows_to("measure"));
        assert_eq!(adv.min, 1);
        assert!(s.link("part_of").unwrap().hierarchical);
        assert!(s.item("open-issue").is_some());
    }
}
