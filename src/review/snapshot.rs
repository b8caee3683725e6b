//! What `plansite diff` compares: a plain, owned snapshot of one compiled revision (items with
//! their fields and raw prose, sections with their bodies, typed links, coverage, findings),
//! with former IDs mapped to current ones through `renamed_from`.

use crate::diagnostic::Diagnostic;
use crate::graph::Target;
use crate::metrics::Metrics;
use crate::model::Item;
use crate::site::Site;
use crate::source::content_hash;
use std::collections::{BTreeMap, BTreeSet};

/// The comparable fields of an item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemSnap {
    /// Item kind.
    pub kind: String,
    /// ID of the document it belongs to.
    pub document: String,
    /// Ordered comparable fields: name (`title.ja`, `links`, `prose.en`, …) → value.
    pub fields: BTreeMap<String, String>,
    /// Former IDs it declares.
    pub renamed_from: Vec<String>,
    /// Fiscal year (measures).
    pub fiscal_year: Option<i32>,
}

impl ItemSnap {
    /// The title in `lang` (or any language).
    pub fn title(&self, lang: &str) -> &str {
        self.fields
            .get(&format!("title.{lang}"))
            .or_else(|| {
                self.fields
                    .iter()
                    .find(|(k, _)| k.starts_with("title."))
                    .map(|(_, v)| v)
            })
            .map_or("", String::as_str)
    }
}

/// One language file of a section.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionSnap {
    /// Title in this language.
    pub title: String,
    /// Site-relative file path.
    pub file: String,
    /// The Markdown body, trimmed.
    pub body: String,
    /// The translation hash of the body.
    pub hash: String,
}

/// A typed link `(from, kind, to)`.
pub type Link = (String, String, String);

/// One compiled revision.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// False when the revision could not be compiled at all (only its findings are known).
    pub compiled: bool,
    /// The default language (`ja`).
    pub default_language: String,
    /// Items by ID.
    pub items: BTreeMap<String, ItemSnap>,
    /// Sections by ID, then language.
    pub sections: BTreeMap<String, BTreeMap<String, SectionSnap>>,
    /// Every valid typed link (prose `cites` merged over languages) → whether it is inferred.
    pub links: BTreeMap<Link, bool>,
    /// Coverage summary rows: key → (label, n, total, percent).
    pub summary: Vec<(String, String, usize, usize, f64)>,
    /// Goal → policies advancing it.
    pub goals: BTreeMap<String, Vec<String>>,
    /// Policy → fiscal year → measures.
    pub policies: BTreeMap<String, BTreeMap<i32, Vec<String>>>,
    /// Fiscal years of the annual plans.
    pub years: Vec<i32>,
    /// Every finding, sorted.
    pub findings: Vec<Diagnostic>,
    /// Documents by ID.
    pub documents: BTreeMap<String, super::documents::DocSnap>,
}

fn join_localized(m: &BTreeMap<String, String>) -> String {
    m.iter()
        .map(|(l, t)| format!("{l}: {t}"))
        .collect::<Vec<_>>()
        .join(" / ")
}

impl Snapshot {
    /// A revision that has no site, or whose configuration could not be read.
    pub fn empty(findings: Vec<Diagnostic>, compiled: bool) -> Snapshot {
        Snapshot {
            compiled,
            default_language: "ja".into(),
            findings,
            ..Snapshot::default()
        }
    }

    /// Extracts the snapshot of a compiled site.
    pub fn of(site: &Site, findings: Vec<Diagnostic>) -> Snapshot {
        let mut items = BTreeMap::new();
        for it in &site.content.items {
            items.insert(
                it.id.clone(),
                ItemSnap {
                    kind: it.kind.clone(),
                    document: site.content.documents[it.doc].id.clone(),
                    fields: item_fields(site, it),
                    renamed_from: it.renamed_from.clone(),
                    fiscal_year: it.fiscal_year,
                },
            );
        }
        let sections = section_snaps(site);
        let links = typed_links(site);
        let m = Metrics::of(site);
        let summary = m
            .summary()
            .into_iter()
            .map(|(k, _, en, n, total, p)| (k, en, n, total, p))
            .collect();
        Snapshot {
            compiled: true,
            default_language: site.config.default_language.clone(),
            items,
            sections,
            links,
            summary,
            goals: m
                .goals
                .into_iter()
                .map(|(g, ps)| (g, ps.into_iter().map(|(p, _)| p).collect()))
                .collect(),
            policies: m.policies,
            years: m.years,
            findings,
            documents: super::documents::snapshot(site),
        }
    }

    /// Kind of an item, section or document ID (items only are known; others are `section`).
    pub fn kind_of(&self, id: &str) -> &str {
        match self.items.get(id) {
            Some(i) => &i.kind,
            None if self.sections.contains_key(id) => "section",
            None => "document",
        }
    }

    /// Renames base IDs to head IDs everywhere (items, links, coverage maps).
    pub fn apply_renames(&mut self, renames: &BTreeMap<String, String>) {
        if renames.is_empty() {
            return;
        }
        let c = |id: &String| renames.get(id).cloned().unwrap_or_else(|| id.clone());
        self.items = std::mem::take(&mut self.items)
            .into_iter()
            .map(|(k, v)| (c(&k), v))
            .collect();
        self.links = std::mem::take(&mut self.links)
            .into_iter()
            .map(|((f, k, t), i)| ((c(&f), k, c(&t)), i))
            .collect();
        self.goals = std::mem::take(&mut self.goals)
            .into_iter()
            .map(|(g, ps)| (c(&g), ps.iter().map(c).collect()))
            .collect();
        self.policies = std::mem::take(&mut self.policies)
            .into_iter()
            .map(|(p, by)| {
                let by = by
                    .into_iter()
                    .map(|(y, ms)| (y, ms.iter().map(c).collect()))
                    .collect();
                (c(&p), by)
            })
            .collect();
        for it in self.items.values_mut() {
            if let Some(l) = it.fields.get_mut("links") {
                let mut lines: Vec<String> = l
                    .lines()
                    .map(|line| {
                        let mut parts: Vec<String> = line.split(' ').map(str::to_string).collect();
                        if let Some(to) = parts.get_mut(1) {
                            *to = c(to);
                        }
                        parts.join(" ")
                    })
                    .collect();
                lines.sort();
                *l = lines.join("\n");
            }
        }
    }
}

/// Base ID → head ID for every head item whose `renamed_from` names an ID that exists only in
/// the base (explicit renames only; titles are never compared to guess one).
pub fn renames(base: &Snapshot, head: &Snapshot) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for (id, it) in &head.items {
        if base.items.contains_key(id) {
            continue;
        }
        for old in &it.renamed_from {
            if base.items.contains_key(old) && !head.items.contains_key(old) && taken.insert(old) {
                out.insert(old.clone(), id.clone());
                break;
            }
        }
    }
    out
}

/// The raw Markdown under an item's `{#ID}` heading, up to the next heading of the same or a
/// higher level (fenced code skipped), trimmed.
fn prose(site: &Site, si: usize, lang: &str, id: &str) -> Option<String> {
    if !matches!(site.graph.index.get(id), Some(Target::Item(_))) {
        return None;
    }
    let v = site.content.sections.get(si)?.variant(lang)?;
    let file = site.sources.get(&v.file)?;
    let body = file.text.get(v.body_offset..)?;
    let anchor = format!("{{#{id}}}");
    let mut level = None;
    let mut out = Vec::new();
    let mut fence = false;
    for line in body.lines() {
        let t = line.trim_start();
        let is_fence = t.starts_with("```") || t.starts_with("~~~");
        let heading = (!fence && t.starts_with('#'))
            .then(|| t.chars().take_while(|c| *c == '#').count())
            .filter(|n| *n <= 6 && t[*n..].starts_with([' ', '\t']));
        if is_fence {
            fence = !fence;
        }
        match (level, heading) {
            (None, Some(n)) if t.contains(&anchor) => level = Some(n),
            (Some(l), Some(n)) if n <= l => break,
            (Some(_), _) => out.push(line),
            _ => {}
        }
    }
    level.map(|_| out.join("\n").trim().to_string())
}

/// The fields of an item a review compares, by name (`title.ja`, `links`, `prose.en`, …).
fn item_fields(site: &Site, it: &Item) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    for (lang, t) in &it.title {
        f.insert(format!("title.{lang}"), t.clone());
    }
    if let Some(n) = &it.number {
        f.insert("number".into(), n.clone());
    }
    if let Some(y) = it.fiscal_year {
        f.insert("fiscal_year".into(), y.to_string());
    }
    if let Some(d) = &it.deadline {
        f.insert("deadline".into(), join_localized(d));
    }
    if let Some(c) = &it.source {
        let r = c.reference.as_ref().map(|(r, _)| format!("ref: {r}"));
        let text = join_localized(&c.text);
        let all: Vec<String> = r
            .into_iter()
            .chain([text])
            .filter(|s| !s.is_empty())
            .collect();
        f.insert("source".into(), all.join(" / "));
    }
    let links = item_links(it);
    if !links.is_empty() {
        f.insert("links".into(), links.join("\n"));
    }
    let waivers = item_waivers(it);
    if !waivers.is_empty() {
        f.insert("waivers".into(), waivers.join(", "));
    }
    if let Some(t) = &it.term {
        for (lang, d) in &t.definition {
            f.insert(format!("definition.{lang}"), d.clone());
        }
    }
    for (si, lang) in site.homes.get(&it.id).into_iter().flatten() {
        let key = format!("prose.{lang}");
        if f.contains_key(&key) {
            continue;
        }
        if let Some(p) = prose(site, *si, lang, &it.id) {
            f.insert(key, p);
        }
    }
    f
}

/// An item's links as `kind target`, sorted.
fn item_links(it: &Item) -> Vec<String> {
    let mut links: Vec<String> = it
        .links
        .iter()
        .map(|l| {
            let inferred = if l.inferred { " (inferred)" } else { "" };
            format!("{} {}{inferred}", l.kind, l.to)
        })
        .collect();
    links.sort();
    links
}

/// An item's waivers as `code` or `code until FYyyyy`, sorted.
fn item_waivers(it: &Item) -> Vec<String> {
    let mut waivers: Vec<String> = it
        .waivers
        .iter()
        .map(|w| match w.until {
            Some(u) => format!("{} until FY{u}", w.code),
            None => w.code.clone(),
        })
        .collect();
    waivers.sort();
    waivers
}

/// Every section variant: section ID → language → title, file, body and its hash.
fn section_snaps(site: &Site) -> BTreeMap<String, BTreeMap<String, SectionSnap>> {
    let mut sections: BTreeMap<String, BTreeMap<String, SectionSnap>> = BTreeMap::new();
    for s in &site.content.sections {
        for v in &s.variants {
            let body = site
                .sources
                .get(&v.file)
                .and_then(|f| f.text.get(v.body_offset..))
                .unwrap_or("");
            sections.entry(s.id.clone()).or_default().insert(
                v.lang.clone(),
                SectionSnap {
                    title: v.title.clone(),
                    file: v.file.clone(),
                    body: body.trim().to_string(),
                    hash: content_hash(body),
                },
            );
        }
    }
    sections
}

/// Every edge of the graph, those of several languages merged: inferred only when every one is.
fn typed_links(site: &Site) -> BTreeMap<Link, bool> {
    let mut links = BTreeMap::new();
    for e in &site.graph.edges {
        let inferred = links
            .entry((e.from.to_string(), e.kind.to_string(), e.to.clone()))
            .or_insert(e.inferred);
        *inferred &= e.inferred;
    }
    links
}
