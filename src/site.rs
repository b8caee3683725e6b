//! The linked site: content + graph + every section rendered in every language, with the URL
//! of everything. Built by [`crate::build::compile`]; read by render, check, trace and review.

use crate::config::Config;
use crate::graph::{Graph, Target};
use crate::markdown::{self, Rendered, Resolved, TermMatcher, TermPattern};
use crate::model::Content;
use crate::schema::Schema;
use crate::source::SourceMap;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Everything later stages need, immutable once built.
#[derive(Debug)]
pub struct Site {
    /// Configuration.
    pub config: Config,
    /// Item and link kinds.
    pub schema: Schema,
    /// Loaded content.
    pub content: Content,
    /// Index and edges (including prose `cites`).
    pub graph: Graph,
    /// Source files for excerpts and hashes.
    pub sources: SourceMap,
    /// (section index, language) → rendered Markdown; only for existing variants.
    pub rendered: HashMap<(usize, String), std::sync::Arc<Rendered>>,
    /// Glossary term IDs linked anywhere in the text.
    pub terms_used: std::collections::BTreeSet<String>,
    /// Item ID → (section index, language) of the heading that is its home, per language.
    pub homes: HashMap<String, Vec<(usize, String)>>,
    /// Glossary patterns per language, longest first.
    pub terms: BTreeMap<String, TermMatcher>,
    /// Every finding of the compile (for `graph.json` and the dashboard).
    pub findings: Vec<crate::diagnostic::Diagnostic>,
    /// Per section: the hash of its default-language body (what `translated_from` must equal).
    pub base_hashes: Vec<Option<String>>,
    /// Latest commits touching `content/` (empty outside a git checkout).
    pub changes: Vec<crate::load::history::Change>,
    /// The site root (for looking up the Japanese text a stale translation was made from).
    pub root: std::path::PathBuf,
    /// The editors' changelog, newest first.
    pub changelog: Vec<crate::load::changelog::Entry>,
}

impl Site {
    /// Root-relative URL of a document's page.
    pub fn doc_href(&self, doc: usize, lang: &str) -> String {
        format!("{lang}/{}/", self.content.documents[doc].slug)
    }

    /// Root-relative URL of a section's page.
    pub fn section_href(&self, s: usize, lang: &str) -> String {
        let sec = &self.content.sections[s];
        format!(
            "{lang}/{}/{}/",
            self.content.documents[sec.doc].slug, sec.slug
        )
    }

    /// Root-relative URL of an item's own permalink page.
    pub fn item_page_href(id: &str, lang: &str) -> String {
        format!("{lang}/items/{id}/")
    }

    /// Where a link to `id` goes in `lang`: an item's heading in its section when it has one,
    /// a term's glossary entry, else the item page.
    pub fn href(&self, id: &str, lang: &str) -> Option<String> {
        Some(match self.graph.index.get(id)? {
            Target::Document(d) => self.doc_href(*d, lang),
            Target::Section(s) => self.section_href(*s, lang),
            Target::Item(i) => {
                let item = &self.content.items[*i];
                if item.kind == "term" {
                    format!("{}#{id}", self.doc_href(item.doc, lang))
                } else if let Some(s) = self.home_section(id, lang) {
                    format!("{}#{id}", self.section_href(s, lang))
                } else {
                    Self::item_page_href(id, lang)
                }
            }
        })
    }

    /// The section holding an item's heading (preferring the page language).
    pub fn home_section(&self, id: &str, lang: &str) -> Option<usize> {
        let homes = self.homes.get(id)?;
        homes
            .iter()
            .find(|(_, l)| l == lang)
            .or_else(|| homes.first())
            .map(|(s, _)| *s)
    }

    /// Title of anything with an ID, in `lang`.
    pub fn title(&self, id: &str, lang: &str) -> Option<String> {
        let pick = |m: &BTreeMap<String, String>| {
            m.get(lang)
                .or_else(|| m.values().next())
                .cloned()
                .unwrap_or_default()
        };
        Some(match self.graph.index.get(id)? {
            Target::Document(d) => pick(&self.content.documents[*d].title),
            Target::Section(s) => {
                let sec = &self.content.sections[*s];
                sec.variant(lang)
                    .or_else(|| sec.variants.first())
                    .map(|v| v.title.clone())
                    .unwrap_or_default()
            }
            Target::Item(i) => {
                let it = &self.content.items[*i];
                match &it.number {
                    Some(n) if it.kind != "term" => {
                        format!("{} {}", display_number(n, lang), pick(&it.title))
                    }
                    _ => pick(&it.title),
                }
            }
        })
    }

    /// The kind label of an item kind in `lang`.
    pub fn kind_label(&self, kind: &str, lang: &str) -> String {
        self.schema
            .item(kind)
            .and_then(|k| k.label.get(lang).cloned())
            .unwrap_or_else(|| kind.to_string())
    }

    /// The site's languages, default first.
    pub fn languages(&self) -> &[String] {
        &self.config.languages
    }

    /// The first site language other than `lang` (the counterpart shown beside it).
    pub fn other_language(&self, lang: &str) -> String {
        self.languages()
            .iter()
            .find(|l| *l != lang)
            .cloned()
            .unwrap_or_default()
    }
}

/// The source's enumerators shown in another language: katakana (ア)(イ)… become (a)(b)… on
/// non-Japanese pages, as English documents write them.
pub fn display_number(n: &str, lang: &str) -> String {
    if lang == "ja" {
        return n.to_string();
    }
    const KANA: &[(char, char)] = &[
        ('ア', 'a'),
        ('イ', 'b'),
        ('ウ', 'c'),
        ('エ', 'd'),
        ('オ', 'e'),
        ('カ', 'f'),
        ('キ', 'g'),
        ('ク', 'h'),
    ];
    n.chars()
        .map(|c| KANA.iter().find(|(k, _)| *k == c).map_or(c, |(_, l)| *l))
        .collect()
}

/// The Markdown stage's view of the site while it is being linked (before rendering).
pub struct LinkContext<'a> {
    /// The partially built site (index, homes, terms known; nothing rendered yet).
    pub site: &'a Site,
}

impl markdown::Context for LinkContext<'_> {
    fn resolve(&self, id: &str, lang: &str) -> Option<Resolved> {
        Some(Resolved {
            href: self.site.href(id, lang)?,
            title: self.site.title(id, lang)?,
        })
    }

    fn exists(&self, id: &str) -> bool {
        self.site.graph.index.contains_key(id)
    }

    fn is_item(&self, id: &str) -> bool {
        matches!(self.site.graph.index.get(id), Some(Target::Item(_)))
    }

    fn terms(&self, lang: &str) -> Option<&TermMatcher> {
        self.site.terms.get(lang)
    }

    fn raw_html(&self) -> crate::config::RawHtml {
        self.site.config.raw_html
    }
}

/// Where each item's heading (`{#ID}`, found by the loader) is, so links can point at an
/// item's home before anything is rendered.
pub fn scan_homes(content: &Content, graph: &Graph) -> HashMap<String, Vec<(usize, String)>> {
    let mut homes: HashMap<String, Vec<(usize, String)>> = HashMap::default();
    for (si, s) in content.sections.iter().enumerate() {
        for v in &s.variants {
            for id in &v.heading_ids {
                if matches!(graph.index.get(id), Some(Target::Item(_))) {
                    homes
                        .entry(id.clone())
                        .or_default()
                        .push((si, v.lang.clone()));
                }
            }
        }
    }
    homes
}

/// Builds glossary patterns per language from `term` items (headword, aliases, and the English
/// name before a parenthesised expansion), longest first so longer terms win.
pub fn term_patterns(site: &Site) -> BTreeMap<String, TermMatcher> {
    let mut out: BTreeMap<String, TermMatcher> = BTreeMap::new();
    for lang in &site.config.languages {
        let mut pats = Vec::new();
        for it in site
            .content
            .items
            .iter()
            .filter(|i| i.kind == "term" && !i.draft)
        {
            let Some(term) = &it.term else { continue };
            let href = format!("{}#{}", site.doc_href(it.doc, lang), it.id);
            let definition = term.definition.get(lang).cloned().unwrap_or_default();
            let id: std::sync::Arc<str> = it.id.as_str().into();
            let mut words: Vec<String> = Vec::new();
            if let Some(t) = it.title.get(lang) {
                words.push(t.clone());
                if let Some((short, _)) = t.split_once(" (") {
                    words.push(short.to_string());
                }
            }
            words.extend(term.aliases.get(lang).cloned().unwrap_or_default());
            words.sort();
            words.dedup();
            for w in words.into_iter().filter(|w| w.chars().count() >= 2) {
                pats.push(TermPattern {
                    pattern: w,
                    id: id.clone(),
                    href: href.clone(),
                    definition: definition.clone(),
                });
            }
        }
        pats.sort_by(|a, b| {
            b.pattern
                .len()
                .cmp(&a.pattern.len())
                .then_with(|| a.pattern.cmp(&b.pattern))
        });
        out.insert(lang.clone(), TermMatcher::new(pats));
    }
    out
}
