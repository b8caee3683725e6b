//! Loads `items*.yaml` and `terms.yaml` into items.

use super::Loaded;
use super::raw::{RawCitation, RawItem, RawTerm};
use super::yaml::{self, span_of};
use crate::diagnostic::Span;
use crate::model::{Citation, Item, LinkRef, TermData, Waiver};
use crate::source::SourceFile;

pub(super) fn load_items(file: &SourceFile, doc: usize, out: &mut Loaded) {
    if file.text.trim().is_empty() {
        return;
    }
    let raws = match yaml::parse::<Vec<RawItem>>(&file.text, &file.path, 0) {
        Ok(r) => r,
        Err(d) => {
            let ids = crate::diagnostic::declared_yaml_ids(&file.text);
            return out.diagnostics.push(d.explains(ids));
        }
    };
    for raw in raws {
        let item = cook_item(raw, &file.path, doc);
        out.content.items.push(item);
    }
}

fn cook_citation(c: Option<RawCitation>, path: &str) -> Option<Citation> {
    c.map(|c| Citation {
        reference: c.reference.map(|r| (r.value.clone(), span_of(&r, path, 0))),
        text: c.text,
    })
}

fn cook_item(raw: RawItem, path: &str, doc: usize) -> Item {
    let mut links = Vec::new();
    for (kind, list) in raw.links {
        let list_span = span_of(&list, path, 0);
        if list.value.is_empty() {
            // Keep an empty list visible to the checker as a kind with no targets.
            links.push(LinkRef {
                kind,
                to: String::new(),
                inferred: false,
                note: None,
                span: list_span,
            });
            continue;
        }
        for t in list.value {
            let span = span_of(&t, path, 0).with_len(t.value.to.chars().count());
            links.push(LinkRef {
                kind: kind.clone(),
                to: t.value.to,
                inferred: t.value.inferred,
                note: t.value.note,
                span,
            });
        }
    }
    let waivers = raw
        .waivers
        .into_iter()
        .map(|w| {
            let span = span_of(&w, path, 0);
            Waiver {
                code: w.value.code,
                reason: w.value.reason,
                until: w.value.until,
                span,
            }
        })
        .collect();
    Item {
        span: span_of(&raw.id, path, 0).with_len(raw.id.value.chars().count()),
        id: raw.id.value,
        kind: raw.kind.value,
        number: raw.number,
        title: raw.title.value,
        title_en_official: raw.title_en_official,
        deadline: raw.deadline,
        fiscal_year: raw.fiscal_year,
        source: cook_citation(raw.source, path),
        links,
        waivers,
        renamed_from: raw.renamed_from,
        draft: raw.draft,
        doc,
        term: None,
    }
}

pub(super) fn load_terms(file: &SourceFile, doc: usize, out: &mut Loaded) {
    if file.text.trim().is_empty() {
        return;
    }
    let raws = match yaml::parse::<Vec<RawTerm>>(&file.text, &file.path, 0) {
        Ok(r) => r,
        Err(d) => {
            let ids = crate::diagnostic::declared_yaml_ids(&file.text);
            return out.diagnostics.push(d.explains(ids));
        }
    };
    for raw in raws {
        let span: Span = span_of(&raw.id, &file.path, 0).with_len(raw.id.value.chars().count());
        let title = [("ja".to_string(), raw.ja), ("en".to_string(), raw.en)]
            .into_iter()
            .collect();
        out.content.items.push(Item {
            id: raw.id.value,
            kind: "term".into(),
            number: None,
            title,
            title_en_official: raw.en_official,
            deadline: None,
            fiscal_year: None,
            source: cook_citation(raw.source, &file.path),
            links: Vec::new(),
            waivers: Vec::new(),
            renamed_from: Vec::new(),
            draft: raw.draft,
            doc,
            span,
            term: Some(TermData {
                reading: raw.reading,
                definition: raw.definition.value,
                aliases: raw.aliases,
            }),
        });
    }
}
