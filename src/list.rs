//! `plansite list`: the IDs a maintainer writes into YAML (policies to implement, goals to
//! advance, documents, sections), filtered by kind and document, as text or JSON; also what
//! `plansite trace` prints for a document or section ID (the items in it).

use crate::graph::Target;
use crate::site::Site;
use serde::Serialize;

/// One listed item, document or section.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    /// Its ID.
    pub id: String,
    /// Item kind, or `document` / `section`.
    pub kind: String,
    /// ID of the document it belongs to (itself for a document).
    pub document: String,
    /// Fiscal year (measures, annual plans).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fiscal_year: Option<i32>,
    /// Title in the requested language.
    pub title: String,
    /// Where it is declared, `file:line`.
    pub at: String,
}

/// Why a listing cannot be made (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// `--kind` names no item kind.
    #[error("unknown kind `{0}`: expected one of {1}")]
    Kind(String, String),
    /// `--document` names no document.
    #[error("unknown document `{0}`: the documents are {1}")]
    Document(String, String),
}

/// Every kind `--kind` accepts: the schema's item kinds, then `document` and `section`.
pub fn kinds(site: &Site) -> Vec<String> {
    let mut k: Vec<String> = site
        .schema
        .item_kinds
        .iter()
        .map(|d| d.name.clone())
        .collect();
    k.extend(["document".to_string(), "section".to_string()]);
    k
}

/// Items, documents and sections, in content order, filtered by kind and document.
pub fn entries(
    site: &Site,
    kind: Option<&str>,
    document: Option<&str>,
    lang: &str,
) -> Result<Vec<Entry>, ListError> {
    let c = &site.content;
    if let Some(k) = kind.filter(|k| !kinds(site).iter().any(|x| x == k)) {
        return Err(ListError::Kind(k.into(), kinds(site).join(", ")));
    }
    let doc = match document {
        None => None,
        Some(d) => Some(c.documents.iter().position(|x| x.id == d).ok_or_else(|| {
            let all: Vec<&str> = c.documents.iter().map(|x| x.id.as_str()).collect();
            ListError::Document(d.into(), all.join(", "))
        })?),
    };
    let keep = |k: &str, d: usize| kind.is_none_or(|x| x == k) && doc.is_none_or(|x| x == d);
    let mut out = Vec::new();
    for (i, d) in c
        .documents
        .iter()
        .enumerate()
        .filter(|(i, _)| keep("document", *i))
    {
        out.push(entry(
            site,
            &d.id,
            "document",
            i,
            d.fiscal_year,
            &d.span,
            lang,
        ));
    }
    for s in c.sections.iter().filter(|s| keep("section", s.doc)) {
        if let Some(v) = s.variant(lang).or(s.variants.first()) {
            out.push(entry(site, &s.id, "section", s.doc, None, &v.span, lang));
        }
    }
    for it in c.items.iter().filter(|i| keep(&i.kind, i.doc)) {
        out.push(entry(
            site,
            &it.id,
            &it.kind,
            it.doc,
            it.fiscal_year,
            &it.span,
            lang,
        ));
    }
    Ok(out)
}

fn entry(
    site: &Site,
    id: &str,
    kind: &str,
    doc: usize,
    fiscal_year: Option<i32>,
    span: &crate::diagnostic::Span,
    lang: &str,
) -> Entry {
    Entry {
        id: id.into(),
        kind: kind.into(),
        document: site.content.documents[doc].id.clone(),
        fiscal_year,
        title: site.title(id, lang).unwrap_or_default(),
        at: format!("{}:{}", span.file, span.line),
    }
}

/// The items a document or section holds: a document's items, or the items whose home heading
/// is in the section (or its subsections). `None` when `id` is an item (trace it instead).
pub fn contained(site: &Site, id: &str, lang: &str) -> Option<Vec<Entry>> {
    let c = &site.content;
    match site.graph.index.get(id)? {
        Target::Item(_) => None,
        Target::Document(d) => Some(
            entries(site, None, Some(&c.documents[*d].id), lang)
                .unwrap_or_default()
                .into_iter()
                .filter(|e| !matches!(e.kind.as_str(), "document" | "section"))
                .collect(),
        ),
        Target::Section(s) => {
            let within = |mut si: usize| loop {
                if si == *s {
                    return true;
                }
                let parent = c.sections[si].parent.as_ref().map(|(p, _)| p);
                match parent.and_then(|p| c.sections.iter().position(|x| &x.id == p)) {
                    Some(p) if p != si => si = p,
                    _ => return false,
                }
            };
            let items = c.items.iter().filter(|it| {
                site.homes
                    .get(&it.id)
                    .is_some_and(|h| h.iter().any(|(si, _)| within(*si)))
            });
            Some(
                items
                    .map(|it| {
                        entry(
                            site,
                            &it.id,
                            &it.kind,
                            it.doc,
                            it.fiscal_year,
                            &it.span,
                            lang,
                        )
                    })
                    .collect(),
            )
        }
    }
}

/// One line per entry: `ID  kind  [FYyyyy]  title  (file:line)`, columns aligned.
pub fn render_text(entries: &[Entry]) -> String {
    let w = entries.iter().map(|e| e.id.len()).max().unwrap_or(0);
    let k = entries.iter().map(|e| e.kind.len()).max().unwrap_or(0);
    let mut out = String::new();
    for e in entries {
        let fy = e.fiscal_year.map_or(String::new(), |y| format!("FY{y}  "));
        out.push_str(&format!(
            "{:<w$}  {:<k$}  {fy}{}  ({})\n",
            e.id, e.kind, e.title, e.at
        ));
    }
    out
}
