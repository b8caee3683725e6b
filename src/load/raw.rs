//! The YAML shapes authors write, exactly as parsed (with spans); `load` turns them into the
//! model.

use super::yaml::Spanned;
use crate::config::Localized;
use crate::model::Fact;
use serde::de::{self, MapAccess, Visitor};
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
    pub subtitle_en_official: bool,
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

/// `source: { ref, ja, en }`: an optional reference ID and the citation text per language.
#[derive(Debug)]
pub struct RawCitation {
    pub reference: Option<Spanned<String>>,
    pub text: Localized,
}

impl<'de> Deserialize<'de> for RawCitation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A hand-written visitor: `#[serde(flatten)]` would buffer every value first.
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCitation;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of `ref` and text per language (`ja`, `en`)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCitation, A::Error> {
                let mut c = RawCitation {
                    reference: None,
                    text: Localized::new(),
                };
                while let Some(key) = map.next_key::<String>()? {
                    if key == "ref" {
                        if c.reference.is_some() {
                            return Err(de::Error::duplicate_field("ref"));
                        }
                        c.reference = Some(map.next_value()?);
                    } else {
                        let v: String = map.next_value()?;
                        if let Some(_old) = c.text.insert(key.clone(), v) {
                            return Err(de::Error::custom(format!("duplicate field `{key}`")));
                        }
                    }
                }
                Ok(c)
            }
        }
        d.deserialize_map(V)
    }
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

impl<'de> Deserialize<'de> for RawLinkTarget {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A hand-written visitor: an untagged enum would buffer every value and report only
        // "did not match any variant".
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawLinkTarget;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an ID, or a map with `to` (and `inferred`, `note`)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawLinkTarget, E> {
                Ok(RawLinkTarget {
                    to: v.to_string(),
                    inferred: false,
                    note: None,
                })
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawLinkTarget, E> {
                Ok(RawLinkTarget {
                    to: v,
                    inferred: false,
                    note: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawLinkTarget, A::Error> {
                const FIELDS: &[&str] = &["to", "inferred", "note"];
                let (mut to, mut inferred, mut note) = (None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "to" if to.is_none() => to = Some(map.next_value::<String>()?),
                        "inferred" if inferred.is_none() => {
                            inferred = Some(map.next_value::<bool>()?)
                        }
                        "note" if note.is_none() => note = Some(map.next_value::<Localized>()?),
                        "to" | "inferred" | "note" => {
                            return Err(de::Error::custom(format!("duplicate field `{key}`")));
                        }
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                Ok(RawLinkTarget {
                    to: to.ok_or_else(|| de::Error::missing_field("to"))?,
                    inferred: inferred.unwrap_or(false),
                    note,
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse;

    #[derive(Debug, Deserialize)]
    struct Links {
        links: Vec<RawLinkTarget>,
        source: RawCitation,
    }

    #[test]
    fn link_targets_are_ids_or_maps() {
        let y = "links:\n  - BP1-G1\n  - {to: BP1-G2, inferred: true, note: {ja: 注, en: note}}\nsource: {ref: FP1-3, ja: 第3章, en: Chapter 3}\n";
        let l: Links = parse(y, "items.yaml", 0).unwrap();
        assert_eq!(
            (l.links[0].to.as_str(), l.links[0].inferred),
            ("BP1-G1", false)
        );
        assert_eq!(
            (l.links[1].to.as_str(), l.links[1].inferred),
            ("BP1-G2", true)
        );
        assert_eq!(l.links[1].note.as_ref().unwrap()["en"], "note");
        assert_eq!(l.source.reference.unwrap().value, "FP1-3");
        assert_eq!(l.source.text["ja"], "第3章");
    }

    #[test]
    fn link_target_errors_say_what_is_wrong_and_where() {
        let bad = "links:\n  - {to: BP1-G2, infered: true}\nsource: {}\n";
        let e = parse::<Links>(bad, "items.yaml", 0).unwrap_err();
        assert!(e.message.contains("unknown field `infered`"), "{e:?}");
        assert_eq!(e.hint.as_deref(), Some("did you mean `inferred`?"));
        assert_eq!(e.span.as_ref().map(|s| s.line), Some(2), "{e:?}");
        let missing = "links:\n  - {inferred: true}\nsource: {}\n";
        let e = parse::<Links>(missing, "items.yaml", 0).unwrap_err();
        assert!(e.message.contains("missing field `to`"), "{e:?}");
        let twice = "links: []\nsource: {ja: a, ja: b}\n";
        assert!(parse::<Links>(twice, "items.yaml", 0).is_err());
    }
}
