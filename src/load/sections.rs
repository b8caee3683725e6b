//! Loads section Markdown files (`NNN-name.LANG.md`) and pairs the language variants by ID.

use super::Loaded;
use super::frontmatter;
use super::raw::RawFrontMatter;
use super::yaml::{self, span_of};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span};
use crate::ground::lock;
use crate::model::{Section, Variant};
use crate::source::SourceFile;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Section files read into one buffer by a full load: a few hundred KiB of text, so the buffer
/// has a mapping of its own that is given back whole when the build lets go of it.
const BATCH: usize = 128;

/// A section file as last read, with the size and modification time it had then.
#[derive(Debug)]
pub(super) struct Kept {
    stamp: (u64, Option<std::time::SystemTime>),
    parsed: Arc<Parsed>,
}

/// One section file, read and its front matter parsed (or the reason it could not be).
#[derive(Debug, Clone)]
enum Parsed {
    Ok {
        rel: String,
        base: String,
        lang: String,
        file: SourceFile,
        fm: Box<RawFrontMatter>,
        body_offset: usize,
        /// `{#ID}`s of the headings (found once per read, kept with the file).
        heading_ids: Vec<String>,
    },
    Failed(Diagnostic, Option<SourceFile>),
}

/// [`parse_file`] through the memo: an unchanged file (same size and modification time) is
/// taken from it without being read. A file modified in the last two seconds is read anyway,
/// since a coarse clock could give two quick edits of equal length the same stamp; if its text
/// is the kept one, the kept (shared) copy is still used.
fn parse_kept(root: &Path, rel: &str, config: &Config, memo: Option<&super::Memo>) -> Arc<Parsed> {
    let Some(memo) = memo else {
        return Arc::new(parse_file(root, rel, config));
    };
    // Stat before reading: a write in between leaves an older stamp, so it is read again.
    let stamp = std::fs::metadata(root.join(rel))
        .map(|m| (m.len(), m.modified().ok()))
        .ok();
    let settled = stamp
        .and_then(|(_, t)| t)
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > std::time::Duration::from_secs(2));
    let kept = lock(&memo.sections)
        .get(rel)
        .map(|k| (k.stamp, Arc::clone(&k.parsed)));
    if let (Some((kept_stamp, p)), Some(stamp)) = (&kept, stamp)
        && *kept_stamp == stamp
        && settled
    {
        return Arc::clone(p);
    }
    let mut parsed = Arc::new(parse_file(root, rel, config));
    if let (Some((_, old)), Parsed::Ok { file, .. }) = (&kept, &*parsed)
        && let Parsed::Ok {
            file: kept_file, ..
        } = &**old
        && kept_file.text == file.text
    {
        parsed = Arc::clone(old);
    }
    if let (Some(stamp), Parsed::Ok { .. }) = (stamp, &*parsed) {
        lock(&memo.sections).insert(
            rel.to_string(),
            Kept {
                stamp,
                parsed: Arc::clone(&parsed),
            },
        );
    }
    parsed
}

fn parse_file(root: &Path, rel: &str, config: &Config) -> Parsed {
    match name_parts(rel, config) {
        Ok((base, lang)) => {
            let file = super::read_source(root, rel, config.max_file_bytes());
            parse_read(rel, base, lang, file)
        }
        Err(failed) => failed,
    }
}

/// Like [`parse_file`] for a run of files, read into one buffer ([`super::read_batch`]). A file
/// without a language suffix is read too, and only its name reported (as [`parse_file`] does).
fn parse_batch(root: &Path, rels: &[String], config: &Config) -> Vec<Arc<Parsed>> {
    let paths: Vec<&str> = rels.iter().map(String::as_str).collect();
    let read = super::read_batch(root, &paths, config.max_file_bytes());
    (rels.iter().zip(read))
        .map(|(rel, file)| {
            Arc::new(match name_parts(rel, config) {
                Ok((base, lang)) => parse_read(rel, base, lang, file),
                Err(failed) => failed,
            })
        })
        .collect()
}

/// The base name and language of a section file, or why it has none (`NNN-name.LANG.md`).
fn name_parts<'r>(rel: &'r str, config: &Config) -> Result<(&'r str, &'r str), Parsed> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.trim_end_matches(".md");
    stem.rsplit_once('.')
        .filter(|(_, l)| config.languages.iter().any(|x| x == l))
        .ok_or_else(|| {
            Parsed::Failed(
                Diagnostic::error("LD007", format!("`{name}` has no language suffix"))
                    .at(Span::file(rel))
                    .hint(format!(
                        "name section files NNN-name.LANG.md with LANG one of: {}",
                        config.languages.join(", ")
                    )),
                None,
            )
        })
}

/// A section file's front matter and heading IDs, once the file is read.
fn parse_read(rel: &str, base: &str, lang: &str, file: Result<SourceFile, Diagnostic>) -> Parsed {
    let file = match file {
        Ok(f) => f,
        Err(d) => return Parsed::Failed(d, None),
    };
    let parsed = match frontmatter::split(&file.text) {
        Err(e) => Err(Diagnostic::error("LD003", e.to_string())
            .at(Span::file(rel))
            .hint("start the file with ---, then `id:` and `title:`, then ---")),
        Ok(split) => match super::flat::front_matter(split.yaml) {
            Some(fm) => Ok((fm, split.body_offset)),
            None => yaml::parse::<RawFrontMatter>(split.yaml, rel, split.yaml_line_offset)
                .map(|fm| (fm, split.body_offset)),
        },
    };
    match parsed {
        Ok((fm, body_offset)) => Parsed::Ok {
            rel: rel.to_string(),
            base: base.to_string(),
            lang: lang.to_string(),
            heading_ids: heading_ids(file.text.get(body_offset..).unwrap_or("")),
            file,
            fm: Box::new(fm),
            body_offset,
        },
        Err(d) => {
            // Its section ID and heading IDs are lost with it.
            let mut ids = crate::diagnostic::declared_yaml_ids(&file.text);
            ids.extend(heading_ids(&file.text));
            Parsed::Failed(d.explains(ids), Some(file))
        }
    }
}

pub(super) fn load_sections(
    root: &Path,
    files: &[String],
    doc: usize,
    config: &Config,
    memo: Option<&super::Memo>,
    out: &mut Loaded,
) {
    // Reading and parsing the files is independent per file: do it in parallel, then merge in
    // file order so the result does not depend on scheduling.
    let parsed: Vec<Arc<Parsed>> = match memo {
        Some(_) => files
            .par_iter()
            .map(|rel| parse_kept(root, rel, config, memo))
            .collect(),
        // A run of files shares one buffer (see `source::Text`).
        None => files
            .par_chunks(BATCH)
            .flat_map_iter(|run| parse_batch(root, run, config))
            .collect(),
    };
    let mut by_id: BTreeMap<String, Section> = BTreeMap::new();
    for mut p in parsed {
        // Unshared (no memo): move the heading IDs out instead of copying them.
        let owned_ids = match Arc::get_mut(&mut p) {
            Some(Parsed::Ok { heading_ids, .. }) => Some(std::mem::take(heading_ids)),
            _ => None,
        };
        let (rel, base, lang, file, fm, body_offset, heading_ids) = match &*p {
            Parsed::Failed(d, file) => {
                out.diagnostics.push(d.clone());
                if let Some(f) = file {
                    out.sources.insert(f.clone());
                }
                continue;
            }
            Parsed::Ok {
                rel,
                base,
                lang,
                file,
                fm,
                body_offset,
                heading_ids,
            } => (rel, base, lang, file, fm, *body_offset, heading_ids),
        };
        let (base, lang) = (base.as_str(), lang.as_str());
        out.sources.insert(file.clone());
        let span = span_of(&fm.id, rel, LINE_OFFSET).with_len(fm.id.value.chars().count());
        let heading_ids = owned_ids.unwrap_or_else(|| heading_ids.clone());
        let variant = variant_of(fm, rel, lang, body_offset, &span, heading_ids, out);
        let (slug, slug_span) = slug_of(fm, rel, &span, out);
        let entry = by_id.entry(fm.id.value.clone()).or_insert_with(|| Section {
            id: fm.id.value.clone(),
            doc,
            slug: slug.clone(),
            slug_span: slug_span.clone(),
            parent: None,
            sort_key: base.to_string(),
            status: None,
            draft: false,
            // One file per language: no regrowth of these large entries.
            variants: Vec::with_capacity(config.languages.len()),
        });
        if let Some(d) = second_file(entry, lang, span) {
            out.diagnostics.push(d);
            continue;
        }
        merge_file(entry, fm, rel, base, (slug, slug_span), variant);
    }
    for (_, mut s) in by_id {
        s.variants
            .sort_by_key(|v| config.languages.iter().position(|l| *l == v.lang));
        out.content.sections.push(s);
    }
}

/// Where a section file's front matter values are: one line below the line `span_of` counts
/// from (the opening `---`).
const LINE_OFFSET: usize = 1;

/// The variant a section file declares; LD008 when its `translation:` is neither `official`
/// nor `site`.
fn variant_of(
    fm: &RawFrontMatter,
    rel: &str,
    lang: &str,
    body_offset: usize,
    span: &Span,
    heading_ids: Vec<String>,
    out: &mut Loaded,
) -> Variant {
    let off = LINE_OFFSET;
    if let Some(t) = &fm.translation
        && t.value != "official"
        && t.value != "site"
    {
        out.diagnostics.push(
            Diagnostic::error(
                "LD008",
                format!("`translation: {}` must be `official` or `site`", t.value),
            )
            .at(span_of(t, rel, off)),
        );
    }
    Variant {
        lang: lang.to_string(),
        title: fm.title.value.clone(),
        file: rel.to_string(),
        body_offset,
        source: fm.source.clone(),
        translation: fm.translation.as_ref().map(|t| t.value.clone()),
        translated_from: fm
            .translated_from
            .as_ref()
            .map(|t| (t.value.clone(), span_of(t, rel, off))),
        span: span.clone(),
        heading_ids,
    }
}

/// The slug a section file sets, and where (else its ID in lower case, at the ID); a finding
/// when the slug is not usable in a URL.
fn slug_of(fm: &RawFrontMatter, rel: &str, span: &Span, out: &mut Loaded) -> (String, Span) {
    let (slug, slug_span) = match &fm.slug {
        Some(s) => (s.value.clone(), span_of(s, rel, LINE_OFFSET)),
        None => (fm.id.value.to_ascii_lowercase(), span.clone()),
    };
    if let Some(why) = super::slugs::problem(&slug, false) {
        out.diagnostics
            .push(super::slugs::finding(why, slug_span.clone()));
    }
    (slug, slug_span)
}

/// TR001 when `entry` already has a `lang` file (`span`: the second file's ID).
fn second_file(entry: &Section, lang: &str, span: Span) -> Option<Diagnostic> {
    let first = entry.variants.iter().find(|v| v.lang == lang)?.span.clone();
    Some(
        Diagnostic::error(
            "TR001",
            format!("section `{}` has two `{lang}` files", entry.id),
        )
        .at(span)
        .related(first)
        .hint("each section ID has exactly one file per language")
        .ids([entry.id.clone()]),
    )
}

/// Adds a file's variant to its section: the smallest file name orders the section, the first
/// file to set a parent or a status sets it, a file that sets a slug sets it, and one draft
/// file makes the section a draft.
fn merge_file(
    entry: &mut Section,
    fm: &RawFrontMatter,
    rel: &str,
    base: &str,
    (slug, slug_span): (String, Span),
    variant: Variant,
) {
    if entry.sort_key.as_str() > base {
        entry.sort_key = base.to_string();
    }
    if entry.parent.is_none() {
        entry.parent = fm
            .parent
            .as_ref()
            .map(|p| (p.value.clone(), span_of(p, rel, LINE_OFFSET)));
    }
    if entry.status.is_none() {
        entry.status = fm.status.clone();
    }
    if fm.slug.is_some() {
        entry.slug = slug;
        entry.slug_span = slug_span;
    }
    entry.draft |= fm.draft;
    entry.variants.push(variant);
}

/// The `{#ID}` of each ATX heading outside fenced code, in order.
pub(crate) fn heading_ids(body: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut in_fence = false;
    for line in body.lines() {
        // Markdown indents with spaces and tabs only (a full-width space starts a paragraph).
        let t = line.trim_start_matches([' ', '\t']);
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if in_fence || !t.starts_with('#') {
            continue;
        }
        let Some(open) = t.rfind("{#") else { continue };
        ids.push(
            t[open + 2..]
                .chars()
                .take_while(|c| *c != '}' && !c.is_whitespace())
                .collect(),
        );
    }
    ids
}
