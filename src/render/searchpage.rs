//! The search page per language and the search index files it loads.

use super::bodies::Bodies;
use super::context::{crumb as crumb_value, page_for, strings as strings_of};
use super::theme::Theme;
use super::{OutputFile, PageJob};
use crate::model::Item;
use crate::search::{IndexBuilder, Labels, Passage, Record, each_file_of, html_passages};
use crate::site::Site;
use serde_json::json;

/// Every searchable page of one language, from the kept bodies (`serve`). A full build adds
/// the same records group by group instead (see [`super::groups`]); the numbering below is
/// what makes the two equal.
pub fn index(site: &Site, lang: &str) -> IndexBuilder {
    let mut out = IndexBuilder::default();
    let bodies = Bodies::kept(site);
    for record in document_records(site, lang) {
        out.add(record);
    }
    for si in 0..site.content.sections.len() {
        out.add(section_record(site, &bodies, si, lang));
    }
    for it in &site.content.items {
        out.add(item_record(site, &bodies, it, lang));
    }
    out
}

/// The search record numbers of one language: documents first, then sections, then items.
pub(super) struct Numbering {
    documents: u32,
    sections: u32,
}

impl Numbering {
    pub(super) fn of(site: &Site) -> Numbering {
        let documents = site.content.documents.iter().filter(|d| !d.draft).count();
        Numbering {
            documents: documents as u32,
            sections: site.content.sections.len() as u32,
        }
    }

    pub(super) fn section(&self, si: usize) -> u32 {
        self.documents + si as u32
    }

    pub(super) fn item(&self, ii: usize) -> u32 {
        self.documents + self.sections + ii as u32
    }
}

/// The filter group of a document kind: the annual plans and their overview are one group.
fn group_key(kind: &str) -> String {
    kind.strip_suffix('s').unwrap_or(kind).to_string()
}

/// The document groups and kinds, with their labels, in the order the filters show them: a
/// group is named by its only document, else by its collection document (`annual-plans`),
/// else by its first; `document` and `section` are labelled by the page (i18n).
pub(super) fn labels(site: &Site, lang: &str) -> Labels {
    let mut groups: Vec<(String, String)> = Vec::new();
    let docs = site.content.documents.iter().filter(|d| !d.draft);
    for d in docs.clone() {
        let key = group_key(&d.kind);
        if groups.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let members: Vec<_> = docs.clone().filter(|e| group_key(&e.kind) == key).collect();
        let named = members
            .iter()
            .find(|e| members.len() == 1 || e.kind.ends_with('s'))
            .unwrap_or(&members[0]);
        groups.push((key, site.title(&named.id, lang).unwrap_or_default()));
    }
    let mut kinds = vec![
        ("document".to_string(), "document".to_string()),
        ("section".to_string(), "section".to_string()),
    ];
    for it in &site.content.items {
        if !kinds.iter().any(|(k, _)| *k == it.kind) {
            kinds.push((it.kind.clone(), site.kind_label(&it.kind, lang)));
        }
    }
    Labels { groups, kinds }
}

/// One passage of plain text (no heading, no anchor).
fn plain(text: String) -> Passage {
    Passage {
        text,
        ..Passage::default()
    }
}

/// The records of the (published) documents, in order.
pub(super) fn document_records(site: &Site, lang: &str) -> Vec<Record> {
    let mut out = Vec::new();
    for (di, d) in site
        .content
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.draft)
    {
        let text = [
            d.subtitle.as_ref(),
            d.decided_by.as_ref(),
            d.source.as_ref(),
        ]
        .into_iter()
        .flatten()
        .filter_map(|m| m.get(lang))
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
        out.push(Record {
            url: site.doc_href(di, lang),
            title: site.title(&d.id, lang).unwrap_or_default(),
            group: group_key(&d.kind),
            kind: "document".into(),
            keywords: d.id.clone(),
            passages: vec![plain(text)],
            ..Record::default()
        });
    }
    out
}

/// The record of section `si` (its text in `lang`, else in its first language).
pub(super) fn section_record(site: &Site, bodies: &Bodies, si: usize, lang: &str) -> Record {
    let s = &site.content.sections[si];
    let r = bodies
        .get(si, lang)
        .or_else(|| s.variants.first().and_then(|v| bodies.get(si, &v.lang)));
    Record {
        url: site.section_href(si, lang),
        title: site.title(&s.id, lang).unwrap_or_default(),
        group: group_key(&site.content.documents[s.doc].kind),
        kind: "section".into(),
        keywords: s.id.clone(),
        passages: r.map(|r| html_passages(&r.html)).unwrap_or_default(),
        ..Record::default()
    }
}

/// The record of one item: its title, ID, reading, definition, citation and prose.
pub(super) fn item_record(site: &Site, bodies: &Bodies, it: &Item, lang: &str) -> Record {
    let mut keywords = it.id.clone();
    let mut passages = Vec::new();
    if let Some(t) = &it.term {
        keywords.push(' ');
        keywords.push_str(&t.reading);
        for alias in t.aliases.get(lang).into_iter().flatten() {
            keywords.push(' ');
            keywords.push_str(alias);
        }
        passages.extend(t.definition.get(lang).cloned().map(plain));
    }
    let prose = site
        .home_section(&it.id, lang)
        .and_then(|si| bodies.get(si, lang))
        .and_then(|r| r.prose(&it.id))
        .map(|p| html_passages(&p))
        .unwrap_or_default();
    passages.extend(prose);
    if let Some(src) = it.source.as_ref().and_then(|c| c.text.get(lang)) {
        passages.push(plain(src.clone()));
    }
    Record {
        url: if it.kind == "term" {
            site.href(&it.id, lang).unwrap_or_default()
        } else {
            Site::item_page_href(&it.id, lang)
        },
        title: site.title(&it.id, lang).unwrap_or_default(),
        id: it.id.clone(),
        group: group_key(&site.content.documents[it.doc].kind),
        kind: it.kind.clone(),
        keywords,
        passages,
    }
}

/// The search page of one language.
pub(super) fn search_job(site: &Site, theme: &Theme, lang: &str) -> PageJob {
    let t = strings_of(theme, lang);
    let title = t.get("search").cloned().unwrap_or_else(|| "Search".into());
    let crumbs = json!([
        crumb_value(
            t.get("home").map_or("", String::as_str),
            Some(format!("{lang}/"))
        ),
        crumb_value(&title, None)
    ]);
    let mut pg = page_for(
        site,
        theme,
        &|l| format!("{l}/search/"),
        lang,
        &title,
        crumbs,
    );
    super::context::set_site_updated(site, &mut pg, lang);
    PageJob {
        template: "search.html",
        url: format!("{lang}/search/"),
        lang: lang.to_string(),
        context: json!({ "page": pg }),
    }
}

/// The index files of one language built from `parts`, handed to `sink` as they are made.
pub(super) fn each_index_file<E>(
    site: &Site,
    lang: &str,
    parts: Vec<IndexBuilder>,
    sink: &mut dyn FnMut(OutputFile) -> Result<(), E>,
) -> Result<usize, E> {
    each_file_of(parts, lang, &labels(site, lang), &mut |path, text| {
        sink(OutputFile {
            path,
            bytes: text.into_bytes(),
        })
    })
}

/// The index files of every language (see [`crate::search`]), handed to `sink` one by one.
pub(super) fn indexes<E>(
    site: &Site,
    sink: &mut dyn FnMut(OutputFile) -> Result<(), E>,
) -> Result<(), E> {
    // One language after the other: the index is built beside the pages already, and two at
    // once would double its peak memory.
    for l in site.languages() {
        each_index_file(site, l, vec![index(site, l)], sink)?;
    }
    Ok(())
}
