//! Load stage: walks `content/`, reads every file, and returns the content model plus all
//! findings (never stopping at the first).

pub mod changelog;
mod flat;
pub mod frontmatter;
pub mod guard;
pub mod history;
mod items;
pub mod previous;
pub mod raw;
mod read;
pub use read::{read_again, read_batch, read_source};
mod sections;
pub mod slugs;
pub(crate) use sections::heading_ids;
pub mod yaml;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span};
use crate::ground::lock;
use crate::model::{Content, Document, Item};
use crate::source::{SourceFile, SourceMap};
use raw::RawDocument;
use rayon::prelude::*;
use std::path::Path;

/// The result of loading: the model, every source file (for excerpts), and findings.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The content model.
    pub content: Content,
    /// Every text file read.
    pub sources: SourceMap,
    /// Everything wrong that loading found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Path → (text, items with document index 0, findings).
type ItemsMemo =
    std::collections::HashMap<String, (crate::source::Text, Vec<Item>, Vec<Diagnostic>)>;

/// Parse results of items and glossary files, kept between `serve` rebuilds: a file whose text
/// is unchanged is not parsed again (YAML parsing is most of the load time of a rebuild).
///
/// Section files are also kept: one whose size and modification time are unchanged is not even
/// read again (its [`SourceFile`] is shared, so later caches recognise it by pointer).
#[derive(Debug, Default)]
pub struct Memo {
    items: std::sync::Mutex<ItemsMemo>,
    sections: std::sync::Mutex<std::collections::HashMap<String, sections::Kept>>,
    /// The languages the kept files were read with (a file's language comes from its name).
    languages: std::sync::Mutex<Vec<String>>,
}

impl Memo {
    /// Drops what is kept of files that are gone (deleted or renamed since the last load).
    fn forget_missing(&self, sources: &crate::source::SourceMap) {
        lock(&self.sections).retain(|path, _| sources.get(path).is_some());
        lock(&self.items).retain(|path, _| sources.get(path).is_some());
    }

    /// Loads an items or terms file through the memo.
    fn load(&self, file: &SourceFile, terms: bool, out: &mut Loaded) {
        let hit = lock(&self.items)
            .get(&file.path)
            .filter(|(t, _, _)| crate::source::same_text(t, &file.text))
            .map(|(_, items, diags)| (items.clone(), diags.clone()));
        if let Some((items, diags)) = hit {
            out.content.items.extend(items);
            out.diagnostics.extend(diags);
            return;
        }
        let mut part = Loaded::default();
        if terms {
            items::load_terms(file, 0, &mut part);
        } else {
            items::load_items(file, 0, &mut part);
        }
        lock(&self.items).insert(
            file.path.clone(),
            (
                file.text.clone(),
                part.content.items.clone(),
                part.diagnostics.clone(),
            ),
        );
        out.content.items.extend(part.content.items);
        out.diagnostics.extend(part.diagnostics);
    }
}

fn hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('_')
}

/// A warning for every file whose text had NUL bytes (replaced by U+FFFD when read).
fn nul_findings(sources: &SourceMap) -> Vec<Diagnostic> {
    sources
        .files()
        .filter_map(|f| {
            let at = f.first_nul?;
            Some(
                Diagnostic::warning("LD011", "NUL byte in the text (shown as �)")
                    .at(f.span(at, '\u{fffd}'.len_utf8()))
                    .hint(
                        "remove the NUL bytes; they usually come from a binary file or a bad copy",
                    ),
            )
        })
        .collect()
}

/// Loads everything under `root/content`.
pub fn load(root: &Path, config: &Config) -> Loaded {
    load_with(root, config, None)
}

/// Orders the documents for the home page (by `order`, then ID) and the sections by document
/// and file name; sections and items follow their document to its new index.
fn order_documents(content: &mut Content) {
    let mut order: Vec<usize> = (0..content.documents.len()).collect();
    order.sort_by(|&a, &b| {
        let (da, db) = (&content.documents[a], &content.documents[b]);
        (da.order, &da.id).cmp(&(db.order, &db.id))
    });
    let remap: Vec<usize> = {
        let mut r = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            r[old] = new;
        }
        r
    };
    let old_docs = std::mem::take(&mut content.documents);
    let mut slots: Vec<Option<Document>> = old_docs.into_iter().map(Some).collect();
    content.documents = order.iter().filter_map(|&i| slots[i].take()).collect();
    for s in &mut content.sections {
        s.doc = remap[s.doc];
    }
    for i in &mut content.items {
        i.doc = remap[i.doc];
    }
    content
        .sections
        .sort_by(|a, b| (a.doc, &a.sort_key).cmp(&(b.doc, &b.sort_key)));
}

/// Like [`load`], reusing the parse of unchanged YAML files from `memo`.
pub fn load_with(root: &Path, config: &Config, memo: Option<&Memo>) -> Loaded {
    if let Some(m) = memo {
        let mut langs = lock(&m.languages);
        if *langs != config.languages {
            langs.clone_from(&config.languages);
            lock(&m.sections).clear();
        }
    }
    let mut out = Loaded::default();
    let guard = guard::Guard::new(root);
    let folders = match document_folders(root, &guard) {
        Ok((folders, refused)) => {
            out.diagnostics.extend(refused);
            folders
        }
        Err(d) => {
            out.diagnostics.push(d);
            return out;
        }
    };
    // Documents are independent: load them in parallel, then append in folder order (indices
    // into the documents list are rebased) so the result never depends on scheduling.
    let parts: Vec<Loaded> = folders
        .par_iter()
        .map(|folder| {
            let mut part = Loaded::default();
            load_document(&guard, folder, config, memo, &mut part);
            part
        })
        .collect();
    for part in parts {
        let base = out.content.documents.len();
        out.content.documents.extend(part.content.documents);
        out.content
            .sections
            .extend(part.content.sections.into_iter().map(|mut s| {
                s.doc += base;
                s
            }));
        out.content
            .items
            .extend(part.content.items.into_iter().map(|mut i| {
                i.doc += base;
                i
            }));
        out.diagnostics.extend(part.diagnostics);
        out.sources.extend(part.sources);
    }
    order_documents(&mut out.content);
    out.diagnostics.extend(slugs::collisions(&out.content));
    out.diagnostics.extend(nul_findings(&out.sources));
    if let Some(m) = memo {
        m.forget_missing(&out.sources);
    }
    out
}

/// The document folders under `content/`, in name order, and the symbolic links refused.
fn document_folders(
    root: &Path,
    guard: &guard::Guard,
) -> Result<(Vec<std::path::PathBuf>, Vec<Diagnostic>), Diagnostic> {
    let content_dir = root.join("content");
    guard.check(&content_dir)?;
    let Ok(entries) = std::fs::read_dir(&content_dir) else {
        return Err(Diagnostic::error("LD001", "no `content/` folder")
            .at(Span::file("content"))
            .hint("create content/<document>/document.yaml"));
    };
    let mut refused = Vec::new();
    let mut folders: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|e| !hidden(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .filter(|p| match guard.check(p) {
            Ok(()) => p.is_dir(),
            Err(d) => {
                refused.push(d);
                false
            }
        })
        .collect();
    folders.sort();
    Ok((folders, refused))
}

fn load_document(
    guard: &guard::Guard,
    folder: &Path,
    config: &Config,
    memo: Option<&Memo>,
    out: &mut Loaded,
) {
    let root = guard.root();
    let folder_rel = guard.rel(folder);
    let meta_rel = format!("{folder_rel}/document.yaml");
    if let Err(d) = guard.check(&folder.join("document.yaml")) {
        return out.diagnostics.push(d);
    }
    if !folder.join("document.yaml").is_file() {
        out.diagnostics.push(
            Diagnostic::error("LD003", "document folder has no document.yaml")
                .at(Span::file(folder_rel.clone()))
                .hint("add document.yaml with id, kind, slug and title (docs/content-format.md)"),
        );
        return;
    }
    let file = match read_source(root, &meta_rel, config.max_file_bytes()) {
        Ok(f) => f,
        Err(d) => return out.diagnostics.push(d),
    };
    let parsed = yaml::parse::<RawDocument>(&file.text, &meta_rel, 0);
    out.sources.insert(file);
    let raw = match parsed {
        Ok(r) => r,
        Err(d) => return out.diagnostics.push(d.explains(folder_ids(guard, folder))),
    };
    let doc_index = out.content.documents.len();
    let doc = cook_document(raw, &meta_rel, &folder_rel, config, &mut out.diagnostics);
    out.content.documents.push(doc);

    // (relative path, file name), in path order: compared component by component, like paths,
    // but on strings (comparing `Path`s re-parses them on every comparison).
    let (mut files, refused) = guard.walk(folder, true);
    out.diagnostics.extend(refused);
    files.sort_unstable_by(|a, b| a.0.split('/').cmp(b.0.split('/')));
    let (section_files, other_files): (Vec<_>, Vec<_>) = files
        .into_iter()
        .filter(|(_, name)| name != "document.yaml")
        .partition(|(_, name)| name.ends_with(".md"));
    let section_files: Vec<String> = section_files.into_iter().map(|(rel, _)| rel).collect();
    // The items files parse while the section files are read (both take long for a large
    // document); the results join in the order they always had.
    let (yaml, sections) = rayon::join(
        || {
            let mut part = Loaded::default();
            for (rel, name) in other_files {
                load_yaml_file(root, rel, &name, doc_index, config, memo, &mut part);
            }
            part
        },
        || {
            let mut part = Loaded::default();
            sections::load_sections(root, &section_files, doc_index, config, memo, &mut part);
            part
        },
    );
    for part in [yaml, sections] {
        out.content.items.extend(part.content.items);
        out.content.sections.extend(part.content.sections);
        out.diagnostics.extend(part.diagnostics);
        out.sources.extend(part.sources);
    }
}

/// A YAML file of a document folder other than `document.yaml`: items, glossary terms, or
/// an unrecognised file (a warning).
fn load_yaml_file(
    root: &Path,
    rel: String,
    name: &str,
    doc_index: usize,
    config: &Config,
    memo: Option<&Memo>,
    out: &mut Loaded,
) {
    let is_items = name.ends_with(".yaml") && (name == "items.yaml" || name.starts_with("items-"));
    if is_items || name == "terms.yaml" {
        match read_source(root, &rel, config.max_file_bytes()) {
            Ok(f) => {
                let terms = name == "terms.yaml";
                match memo {
                    // A document part holds one document: its index is 0 here.
                    Some(m) if doc_index == 0 => m.load(&f, terms, out),
                    _ if terms => items::load_terms(&f, doc_index, out),
                    _ => items::load_items(&f, doc_index, out),
                }
                out.sources.insert(f);
            }
            Err(d) => out.diagnostics.push(d),
        }
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        out.diagnostics.push(
            Diagnostic::warning(
                "LD004",
                format!("unrecognised YAML file `{name}` is ignored"),
            )
            .at(Span::file(rel))
            .hint("items go in items.yaml or items-*.yaml, glossary entries in terms.yaml"),
        );
    }
}

/// Every ID declared in a document folder (read line by line, best effort): they are all lost
/// when its document.yaml fails.
fn folder_ids(guard: &guard::Guard, folder: &Path) -> Vec<String> {
    let (files, _) = guard.walk(folder, true);
    let mut ids = Vec::new();
    for (rel, _) in files {
        if let Ok(text) = std::fs::read_to_string(guard.root().join(&rel)) {
            ids.extend(crate::diagnostic::declared_yaml_ids(&text));
            if rel.ends_with(".md") {
                ids.extend(heading_ids(&text));
            }
        }
    }
    ids
}

fn cook_document(
    raw: RawDocument,
    file: &str,
    folder: &str,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Document {
    let span = yaml::span_of(&raw.id, file, 0);
    for lang in &config.languages {
        if !raw.title.value.contains_key(lang) {
            diags.push(
                Diagnostic::error(
                    "TR007",
                    format!("document `{}` has no `{lang}` title", raw.id.value),
                )
                .at(yaml::span_of(&raw.title, file, 0))
                .ids([raw.id.value.clone()]),
            );
        }
    }
    let slug = raw.slug.value.clone();
    let slug_span = yaml::span_of(&raw.slug, file, 0);
    if let Some(why) = slugs::problem(&slug, raw.kind.value == "glossary") {
        diags.push(slugs::finding(why, slug_span.clone()));
    }
    if let Some(d) = &raw.decided
        && crate::dates::Date::parse(&d.value).is_none()
    {
        diags.push(
            Diagnostic::error("LD006", format!("`decided: {}` is not a date", d.value))
                .at(yaml::span_of(d, file, 0))
                .hint("write an ISO date: 2006-02-02"),
        );
    }
    Document {
        id: raw.id.value,
        kind: raw.kind.value,
        slug,
        slug_span,
        order: raw.order,
        title: raw.title.value,
        title_en_official: raw.title_en_official,
        subtitle: raw.subtitle,
        subtitle_en_official: raw.subtitle_en_official,
        decided: raw.decided.map(|d| d.value),
        decided_by: raw.decided_by,
        period: raw.period.map(|p| (p.from, p.to)),
        fiscal_year: raw.fiscal_year,
        status: raw.status,
        source: raw.source,
        facts: raw.facts,
        draft: raw.draft,
        folder: folder.to_string(),
        span,
    }
}
