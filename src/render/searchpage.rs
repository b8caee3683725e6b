//! The search page per language and the search index files it loads.

use super::bodies::Bodies;
use super::pages::{crumb_value, page_for, strings_of};
use super::theme::Theme;
use super::{OutputFile, PageJob};
use crate::model::Item;
use crate::search::{IndexBuilder, Record, html_text, snippet};
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
        let kind = if lang == "ja" { "文書" } else { "Document" };
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
            kind: kind.into(),
            snippet: snippet(&text, 120),
            text: format!("{} {text}", d.id),
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
    let text = r.map(|r| html_text(&r.html)).unwrap_or_default();
    let doc = site
        .title(&site.content.documents[s.doc].id, lang)
        .unwrap_or_default();
    Record {
        url: site.section_href(si, lang),
        title: site.title(&s.id, lang).unwrap_or_default(),
        kind: doc,
        snippet: snippet(&text, 120),
        text,
    }
}

/// The record of one item: its ID, titles, term data, citation and prose.
pub(super) fn item_record(site: &Site, bodies: &Bodies, it: &Item, lang: &str) -> Record {
    let mut text = format!("{} ", it.id);
    text.push_str(&it.title.values().cloned().collect::<Vec<_>>().join(" "));
    if let Some(t) = &it.term {
        text.push_str(&format!(
            " {} {}",
            t.reading,
            t.definition.get(lang).cloned().unwrap_or_default()
        ));
    }
    if let Some(src) = it.source.as_ref().and_then(|c| c.text.get(lang)) {
        text.push(' ');
        text.push_str(src);
    }
    let prose = site
        .home_section(&it.id, lang)
        .and_then(|si| bodies.get(si, lang))
        .and_then(|r| r.prose(&it.id))
        .map(|p| html_text(&p))
        .unwrap_or_default();
    // A term's snippet is its definition; an item's is its prose, else its citation.
    let definition = it
        .term
        .as_ref()
        .and_then(|t| t.definition.get(lang))
        .cloned();
    let shown = match (definition, prose.is_empty()) {
        (Some(d), _) => d,
        (None, false) => prose.clone(),
        (None, true) => text.clone(),
    };
    text.push(' ');
    text.push_str(&prose);
    Record {
        url: if it.kind == "term" {
            site.href(&it.id, lang).unwrap_or_default()
        } else {
            Site::item_page_href(&it.id, lang)
        },
        title: format!("{} {}", it.id, site.title(&it.id, lang).unwrap_or_default()),
        kind: site.kind_label(&it.kind, lang),
        snippet: snippet(&shown, 120),
        text,
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
    PageJob {
        template: "search.html",
        url: format!("{lang}/search/"),
        lang: lang.to_string(),
        context: json!({ "page": page_for(site, theme, &|l| format!("{l}/search/"), lang, &title, crumbs) }),
    }
}

/// `search/<lang>.json` for every language, each handed to `sink` as soon as it is built.
pub(super) fn indexes<E>(
    site: &Site,
    sink: &mut dyn FnMut(OutputFile) -> Result<(), E>,
) -> Result<(), E> {
    // One language after the other: the index is built beside the pages already, and two at
    // once would double its peak memory.
    for l in site.languages() {
        sink(OutputFile {
            path: format!("search/{l}.json"),
            bytes: index(site, l).into_json().into_bytes(),
        })?;
    }
    Ok(())
}
