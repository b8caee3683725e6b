//! The YAML shapes authors write, exactly as parsed (with spans); `load` turns them into the
//! model.

use super::yaml::Spanned;
use crate::config::Localized;
use crate::model::Fact;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// `document.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDocument {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    pub slug: Spanned<String>,
    #[serde(default)]
    pub order: i64,
    pub title: Spanned<Localized>,
    #[serde(default)]
    pub title_en_official: bool,
    #[serde(default)]
    pub subtitle: Option<Localized>,
    #[serde(default)]
    pub decided: Option<Spanned<String>>,
    #[serde(default)]
    pub decided_by: Option<Localized>,
    #[serde(default)]
    pub period: Option<RawPeriod>,
    #[serde(default)]
    pub fiscal_year: Option<i32>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub source: Option<Localized>,
    #[serde(default)]
    pub facts: Vec<Fact>,
    #[serde(default)]
    pub draft: bool,
}

/// `period: { from, to }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub from: String,
    pub to: String,
}

/// Section front matter.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub translation: Option<Spanned<String>>,
    #[serde(default)]
    pub translated_from: Option<Spanned<String>>,
    #[serde(default)]
    pub draft: bool,
}

/// One entry of an items file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    #[serde(default)]
    pub number: Option<String>,
    pub title: Spanned<Localized>,
    #[serde(default)]
    pub title_en_official: bool,
    #[serde(default)]
    pub deadline: Option<Localized>,
    #[serde(default)]
    pub fiscal_year: Option<i32>,
    #[serde(default)]
    pub source: Option<RawCitation>,
    #[serde(default)]
    pub links: BTreeMap<String, Spanned<Vec<Spanned<RawLinkTarget>>>>,
    #[serde(default)]
    pub waivers: Vec<Spanned<RawWaiver>>,
    #[serde(default)]
    pub renamed_from: Vec<String>,
    #[serde(default)]
    pub draft: bool,
}

/// One glossary entry of `terms.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub id: Spanned<String>,
    pub ja: String,
    pub reading: String,
    pub en: String,
    #[serde(default)]
    pub en_official: bool,
    pub definition: Spanned<Localized>,
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub source: Option<RawCitation>,
    #[serde(default)]
    pub draft: bool,
}

/// `source: { ref, ja, en }`.
#[derive(Debug, Deserialize)]
pub struct RawCitation {
    #[serde(default, rename = "ref")]
    pub reference: Option<Spanned<String>>,
    #[serde(flatten)]
    pub text: Localized,
}

/// A waiver entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWaiver {
    pub code: String,
    pub reason: Localized,
    #[serde(default)]
    pub until: Option<i32>,
}

/// A link target: a bare ID or `{ to, inferred, note }`.
#[derive(Debug)]
pub struct RawLinkTarget {
    pub to: String,
    pub inferred: bool,
    pub note: Option<Localized>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FullTarget {
    to: String,
    #[serde(default)]
    inferred: bool,
    #[serde(default)]
    note: Option<Localized>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum EitherTarget {
    Id(String),
    Full(FullTarget),
}

impl<'de> Deserialize<'de> for RawLinkTarget {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match EitherTarget::deserialize(d)? {
            EitherTarget::Id(to) => RawLinkTarget {
                to,
                inferred: false,
                note: None,
            },
            EitherTarget::Full(f) => RawLinkTarget {
                to: f.to,
                inferred: f.inferred,
                note: f.note,
            },
        })
    }
}
