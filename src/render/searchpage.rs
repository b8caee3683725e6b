//! The search page per language and the search index files it loads.

use super::pages::{crumb_value, page_for, strings_of};
use super::theme::Theme;
use super::{OutputFile, PageJob};
use crate::search::{IndexBuilder, Record, html_text, snippet};
use crate::site::Site;
use serde_json::json;

/// Every searchable page of one language.
pub fn index(site: &Site, lang: &str) -> IndexBuilder {
    let mut out = IndexBuilder::default();
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
        out.add(Record {
            url: site.doc_href(di, lang),
            title: site.title(&d.id, lang).unwrap_or_default(),
            kind: kind.into(),
            snippet: snippet(&text, 120),
            text: format!("{} {text}", d.id),
        });
    }
    for (si, s) in site.content.sections.iter().enumerate() {
        let own = site.rendered.get(&(si, lang.to_string()));
        let r = own.or_else(|| {
            s.variants
                .first()
                .and_then(|v| site.rendered.get(&(si, v.lang.clone())))
        });
        let text = r.map(|r| html_text(&r.html)).unwrap_or_default();
        let doc = site
            .title(&site.content.documents[s.doc].id, lang)
            .unwrap_or_default();
        out.add(Record {
            url: site.section_href(si, lang),
            title: site.title(&s.id, lang).unwrap_or_default(),
            kind: doc,
            snippet: snippet(&text, 120),
            text,
        });
    }
    for it in site.content.items.iter() {
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
            .and_then(|si| site.rendered.get(&(si, lang.to_string())))
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
        out.add(Record {
            url: if it.kind == "term" {
                site.href(&it.id, lang).unwrap_or_default()
            } else {
                Site::item_page_href(&it.id, lang)
            },
            title: format!("{} {}", it.id, site.title(&it.id, lang).unwrap_or_default()),
            kind: site.kind_label(&it.kind, lang),
            snippet: snippet(&shown, 120),
            text,
        });
    }
    out
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
            bytes: index(site, l).to_json().into_bytes(),
        })?;
    }
    Ok(())
}
