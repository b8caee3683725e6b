//! The loaded content model: documents, sections (one variant per language) and items.

pub use crate::config::Localized;
use crate::diagnostic::Span;

/// A document: one folder under `content/`.
#[derive(Debug, Clone, Hash)]
pub struct Document {
    /// Global ID, e.g. `BP1`.
    pub id: String,
    /// Document kind (`basic-plan`, `proposal`, `annual-plan`, `annual-plans`, `glossary`, `page`).
    pub kind: String,
    /// URL segment.
    pub slug: String,
    /// Where the slug is given.
    pub slug_span: Span,
    /// Position on the home page.
    pub order: i64,
    /// Title per language.
    pub title: Localized,
    /// Whether the English title is an official one.
    pub title_en_official: bool,
    /// Optional subtitle per language.
    pub subtitle: Option<Localized>,
    /// Whether the English subtitle is an official one (it may be, when the title is not).
    pub subtitle_en_official: bool,
    /// Decision date, ISO `YYYY-MM-DD`.
    pub decided: Option<String>,
    /// Deciding body per language.
    pub decided_by: Option<Localized>,
    /// Period (e.g. `FY2006`..`FY2008`).
    pub period: Option<(String, String)>,
    /// The fiscal year an annual plan plans.
    pub fiscal_year: Option<i32>,
    /// `in-force`, `superseded`, `proposal`, `reference`.
    pub status: Option<String>,
    /// Provenance per language.
    pub source: Option<Localized>,
    /// Key facts for the metadata box.
    pub facts: Vec<Fact>,
    /// Whether the document is a draft.
    pub draft: bool,
    /// Folder path relative to the site root.
    pub folder: String,
    /// Where `id` is defined.
    pub span: Span,
}

/// A labelled fact with its source.
#[derive(Debug, Clone, Hash, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Label per language.
    pub label: Localized,
    /// Value per language.
    pub value: Localized,
    /// Where the fact comes from, per language.
    #[serde(default)]
    pub source: Option<Localized>,
}

/// A section: an ID shared by one Markdown file per language.
#[derive(Debug, Clone, Hash)]
pub struct Section {
    /// Global ID.
    pub id: String,
    /// Index into `Site::documents`.
    pub doc: usize,
    /// URL segment.
    pub slug: String,
    /// Where the slug was given (or the ID it was derived from).
    pub slug_span: Span,
    /// Parent section ID in the TOC.
    pub parent: Option<(String, Span)>,
    /// Sort key: the smallest file name among the variants.
    pub sort_key: String,
    /// `not-included` marks a placeholder.
    pub status: Option<String>,
    /// Whether any variant is marked draft.
    pub draft: bool,
    /// One variant per language present, in site language order.
    pub variants: Vec<Variant>,
}

impl Section {
    /// The variant in `lang`, if that file exists.
    pub fn variant(&self, lang: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.lang == lang)
    }
}

/// One language file of a section.
#[derive(Debug, Clone, Hash)]
pub struct Variant {
    /// Language code.
    pub lang: String,
    /// Title in this language.
    pub title: String,
    /// File path relative to the site root.
    pub file: String,
    /// Byte offset of the Markdown body in the file.
    pub body_offset: usize,
    /// Provenance text.
    pub source: Option<String>,
    /// `official` or `site` (English files).
    pub translation: Option<String>,
    /// Hash of the Japanese body this translation was made from, with its location.
    pub translated_from: Option<(String, Span)>,
    /// Where the front matter `id` is.
    pub span: Span,
    /// The IDs given to headings with `{#ID}`, in order (an item's heading is its home).
    pub heading_ids: Vec<String>,
}

/// A typed link stored on its source item.
#[derive(Debug, Clone, Hash)]
pub struct LinkRef {
    /// Link kind name.
    pub kind: String,
    /// Target ID as written.
    pub to: String,
    /// The source text does not state the link explicitly.
    pub inferred: bool,
    /// Reviewer note per language.
    pub note: Option<Localized>,
    /// Where the target is written.
    pub span: Span,
}

/// A citation of the source text.
#[derive(Debug, Clone, Default, Hash)]
pub struct Citation {
    /// Section or item ID the quote comes from.
    pub reference: Option<(String, Span)>,
    /// The quote / its translation per language.
    pub text: Localized,
}

/// An accepted gap: a finding code waived with a reason.
#[derive(Debug, Clone, Hash)]
pub struct Waiver {
    /// Waived finding code.
    pub code: String,
    /// Reason per language.
    pub reason: Localized,
    /// Last fiscal year the waiver holds.
    pub until: Option<i32>,
    /// Where it is written.
    pub span: Span,
}

/// Glossary data of a `term` item.
#[derive(Debug, Clone, Default, Hash)]
pub struct TermData {
    /// よみ.
    pub reading: String,
    /// Definition per language.
    pub definition: Localized,
    /// Other spellings per language, auto-linked too.
    pub aliases: std::collections::BTreeMap<String, Vec<String>>,
}

/// A traceable item.
#[derive(Debug, Clone, Hash)]
pub struct Item {
    /// Global ID.
    pub id: String,
    /// Item kind name.
    pub kind: String,
    /// Display number from the source (`[1]`, `(ア)`).
    pub number: Option<String>,
    /// Title per language.
    pub title: Localized,
    /// Whether the English title is official.
    pub title_en_official: bool,
    /// Deadline wording per language (goals).
    pub deadline: Option<Localized>,
    /// Fiscal year (measures).
    pub fiscal_year: Option<i32>,
    /// Source citation.
    pub source: Option<Citation>,
    /// Outgoing typed links.
    pub links: Vec<LinkRef>,
    /// Accepted gaps.
    pub waivers: Vec<Waiver>,
    /// Former IDs.
    pub renamed_from: Vec<String>,
    /// Whether the item is a draft.
    pub draft: bool,
    /// Index into `Site::documents`.
    pub doc: usize,
    /// Where `id` is written.
    pub span: Span,
    /// Glossary data for `term` items.
    pub term: Option<TermData>,
}

impl Item {
    /// The title in `lang`, falling back to any language.
    pub fn title(&self, lang: &str) -> &str {
        self.title
            .get(lang)
            .or_else(|| self.title.values().next())
            .map_or("", String::as_str)
    }
}

/// Everything loaded from a site root.
#[derive(Debug, Clone, Default, Hash)]
pub struct Content {
    /// Documents, sorted by `order` then ID.
    pub documents: Vec<Document>,
    /// Sections, grouped by document and in reading order.
    pub sections: Vec<Section>,
    /// Items, in file order.
    pub items: Vec<Item>,
}

impl Content {
    /// The fiscal years the annual plans cover, ascending (drafts left out).
    pub fn fiscal_years(&self) -> Vec<i32> {
        let set: std::collections::BTreeSet<i32> = self
            .documents
            .iter()
            .filter(|d| d.kind == "annual-plan" && !d.draft)
            .filter_map(|d| d.fiscal_year)
            .collect();
        set.into_iter().collect()
    }
}
