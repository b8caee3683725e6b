//! A full build, section by section: each section's Markdown bodies are rendered (or taken
//! from the compile) once, used for its pages, the pages of the items whose prose lives there
//! and their search records, and dropped before the next section. Memory holds the search
//! indexes being built and the sections in flight, never every section's HTML.

use super::assemble::{Assembler, FrameJob};
use super::bodies::Bodies;
use super::pages::{self, PageKey};
use super::searchpage::{self, Numbering};
use super::whole;
use super::{OutputFile, Plan, RenderError, Sink, render_job, traceview};
use crate::diagnostic::Diagnostic;
use crate::ground::{into_inner, lock};
use crate::search::{IndexBuilder, Record};
use rayon::prelude::*;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// One piece of parallel work.
#[derive(Debug, Clone, Copy)]
enum Unit {
    /// A page that needs no section body (or an item without a home section).
    Page(PageKey),
    /// A run of sections: their pages in every language, the pages of the items they are home
    /// to, and their search records.
    Sections(usize, usize),
}

/// Sections per unit of work.
const RUN: usize = 32;

impl Plan<'_> {
    /// Renders every page (in parallel) and every other file, handing each to `sink` as soon as
    /// it is ready. Returns the number of files.
    pub fn render_each<E: Send>(&self, sink: &dyn Sink<E>) -> Result<usize, RenderError<E>> {
        let site = self.site;
        let langs = site.languages().len();
        let assembler = Assembler::new(site, self.shared.by_doc());
        let (units, homed) = self.units(&assembler);
        let errors = Mutex::new(Vec::new());
        let numbering = Numbering::of(site);
        let fragment_files = std::sync::atomic::AtomicUsize::new(0);
        // One index builder per thread and language (a fold would start hundreds of builders,
        // each allocating the common tokens again).
        let threads = rayon::current_num_threads().max(1);
        let builders: Vec<Mutex<Vec<IndexBuilder>>> = (0..threads)
            .map(|_| Mutex::new((0..langs).map(|_| IndexBuilder::default()).collect()))
            .collect();
        let work = Work {
            homed: &homed,
            numbering: &numbering,
            assembler: &assembler,
            sink,
            errors: &errors,
        };
        // The trace exports need no bodies: they are built alongside the pages.
        let (pages, exports) = rayon::join(
            || {
                in_order(&units, threads, |unit| {
                    let records = self.unit(*unit, &work)?;
                    // Locked only to add: rendering may wait on other rayon work, which could
                    // run another unit on this thread.
                    let t = rayon::current_thread_index().unwrap_or(0) % threads;
                    let mut own = lock(&builders[t]);
                    for (l, n, record) in records {
                        own[l].add_numbered(n, record);
                    }
                    // The pages' search fragments are written now, not held to the end.
                    let fragments: Vec<_> = (own.iter_mut().zip(site.languages()))
                        .flat_map(|(b, lang)| b.take_fragments(lang))
                        .collect();
                    drop(own);
                    fragment_files.fetch_add(fragments.len(), std::sync::atomic::Ordering::Relaxed);
                    for (path, text) in fragments {
                        sink.file(OutputFile {
                            path,
                            bytes: text.into_bytes(),
                        })?;
                    }
                    Ok(())
                })
            },
            || {
                let mut n = 0;
                traceview::exports(site, &self.shared.metrics, &mut |f| {
                    n += 1;
                    sink.file(f)
                })
                .map(|()| n)
            },
        );
        pages.map_err(RenderError::Sink)?;
        let exports = exports.map_err(RenderError::Sink)?;
        let mut errors = into_inner(errors);
        if !errors.is_empty() {
            // Threads add them in any order: sorted by message, then place (many LD013 share
            // one message), the list is the same on every run.
            errors.sort_by(|a, b| (&a.message, &a.span).cmp(&(&b.message, &b.span)));
            errors.truncate(20);
            return Err(RenderError::Template(errors));
        }
        let index_files = fragment_files.into_inner()
            + self
                .write_indexes(builders, sink)
                .map_err(RenderError::Sink)?;
        let extra = self.small_files();
        let n = self.keys.len() + extra.len() + exports + index_files;
        for f in extra {
            sink.file(f).map_err(RenderError::Sink)?;
        }
        Ok(n)
    }

    /// Writes the search index files, one language at a time: the parts each thread built,
    /// and the documents. Returns how many files.
    fn write_indexes<E: Send>(
        &self,
        builders: Vec<Mutex<Vec<IndexBuilder>>>,
        sink: &dyn Sink<E>,
    ) -> Result<usize, E> {
        let site = self.site;
        // Per language, the parts each thread built.
        let mut parts: Vec<Vec<IndexBuilder>> =
            (0..site.languages().len()).map(|_| Vec::new()).collect();
        for b in builders {
            let b = into_inner(b);
            for (p, y) in parts.iter_mut().zip(b) {
                p.push(y);
            }
        }
        // The languages at once: their postings are all held already, and each shard is
        // written and freed as it is made.
        let per_language: Vec<Result<usize, E>> = (site.languages().par_iter())
            .zip(parts.into_par_iter())
            .map(|(lang, mut part)| {
                let mut documents = IndexBuilder::default();
                for (n, record) in searchpage::document_records(site, lang)
                    .into_iter()
                    .enumerate()
                {
                    documents.add_numbered(n as u32, record);
                }
                part.push(documents);
                searchpage::each_index_file(site, lang, part, &mut |f| sink.file(f))
            })
            .collect();
        per_language.into_iter().sum()
    }

    /// The work units, pages without a body first (the dashboard and the document pages are
    /// the slowest: started early they do not finish last), and per section the (item,
    /// language) pages whose prose it holds.
    fn units(&self, assembler: &Assembler) -> (Vec<Unit>, Vec<Vec<(usize, usize)>>) {
        let site = self.site;
        let langs = site.languages();
        let mut homed = vec![Vec::new(); site.content.sections.len()];
        let mut units = Vec::new();
        for key in &self.keys {
            match *key {
                PageKey::Section(..) => {}
                // Assembled from its sections' parts when the last is done.
                PageKey::Whole(d, _) if assembler.collects(d) => {}
                PageKey::Item(i, l) => {
                    match site.home_section(&site.content.items[i].id, &langs[l]) {
                        Some(si) => homed[si].push((i, l)),
                        None => units.push(Unit::Page(*key)),
                    }
                }
                k => units.push(Unit::Page(k)),
            }
        }
        let n = site.content.sections.len();
        units.extend(
            (0..n)
                .step_by(RUN)
                .map(|s| Unit::Sections(s, (s + RUN).min(n))),
        );
        (units, homed)
    }

    /// Renders one unit's pages into `sink` and returns its search records (language index,
    /// record number, record).
    fn unit<E: Send>(
        &self,
        unit: Unit,
        w: &Work<'_, '_, E>,
    ) -> Result<Vec<(usize, u32, Record)>, E> {
        let site = self.site;
        let langs = site.languages();
        let items = &site.content.items;
        let mut records = Vec::new();
        match unit {
            Unit::Page(key) => {
                let bodies = Bodies::kept(site);
                self.page(key, &bodies, w)?;
                if let PageKey::Item(i, l) = key {
                    let record = searchpage::item_record(site, &bodies, &items[i], &langs[l]);
                    records.push((l, w.numbering.item(i), record));
                }
            }
            Unit::Sections(start, end) => {
                // All bodies of the run first, then all pages: each stage's code and tables
                // stay in the cache while it works (interleaving them per section was 15–20%
                // slower).
                let mut bodies: Vec<Bodies> = (start..end)
                    .map(|si| Bodies::of_section(site, si, Some(&self.guard)))
                    .collect();
                for b in &mut bodies {
                    let problems = b.take_problems();
                    if !problems.is_empty() {
                        lock(w.errors).extend(problems);
                    }
                }
                for (si, bodies) in (start..end).zip(&bodies) {
                    for l in 0..langs.len() {
                        self.page(PageKey::Section(si, l), bodies, w)?;
                    }
                    for &(i, l) in &w.homed[si] {
                        self.page(PageKey::Item(i, l), bodies, w)?;
                    }
                }
                for (si, bodies) in (start..end).zip(&bodies) {
                    for (l, lang) in langs.iter().enumerate() {
                        let record = searchpage::section_record(site, bodies, si, lang);
                        records.push((l, w.numbering.section(si), record));
                    }
                    for &(i, l) in &w.homed[si] {
                        let record = searchpage::item_record(site, bodies, &items[i], &langs[l]);
                        records.push((l, w.numbering.item(i), record));
                    }
                    self.collect_parts(si, bodies, w)?;
                }
            }
        }
        Ok(records)
    }

    /// Hands section `si`'s parts of its document's single page to the assembler, which
    /// writes them as soon as the parts before them are written.
    fn collect_parts<E: Send>(
        &self,
        si: usize,
        bodies: &Bodies,
        w: &Work<'_, '_, E>,
    ) -> Result<(), E> {
        let site = self.site;
        if !w.assembler.collects(site.content.sections[si].doc) {
            return Ok(());
        }
        let parts = (site.languages().iter())
            .map(|lang| whole::part_body(site, &self.theme, bodies, si, lang))
            .collect();
        let frame = |d: usize, l: usize| {
            let values = (self.shared.by_doc()[d].iter())
                .filter_map(|&s| whole::part_value(site, s, &site.languages()[l]))
                .map(|v| whole::marked(&v))
                .collect();
            let job = self.shared.whole_job(site, &self.theme, d, l, values);
            let prefix = super::root_prefix(&job.url);
            let lang = job.lang.clone();
            let file = render_job(site, &self.theme, job)?;
            Ok(FrameJob { file, lang, prefix })
        };
        (w.assembler).add(&self.theme, si, parts, &frame, w.sink, w.errors)
    }

    /// Renders one page into `sink`; a template error is collected, not returned, so that every
    /// page is tried.
    fn page<E>(&self, key: PageKey, bodies: &Bodies, w: &Work<'_, '_, E>) -> Result<(), E> {
        self.emit(
            pages::job(self.site, &self.theme, &self.shared, bodies, key),
            w,
        )
    }

    fn emit<E>(&self, job: super::PageJob, w: &Work<'_, '_, E>) -> Result<(), E> {
        match render_job(self.site, &self.theme, job) {
            Ok(file) => w.sink.file(file),
            Err(d) => {
                lock(w.errors).push(d);
                Ok(())
            }
        }
    }
}

/// What every unit of a full build shares.
struct Work<'a, 's, E> {
    homed: &'a [Vec<(usize, usize)>],
    numbering: &'a Numbering,
    assembler: &'a Assembler,
    sink: &'s dyn Sink<E>,
    errors: &'a Mutex<Vec<Diagnostic>>,
}

/// Runs `f` on every unit with `threads` workers that take the units in order, so that a
/// document's sections finish close together (its single page is assembled, and its parts
/// freed, soon after its first section) and the slow pages listed first start first. Stops
/// at the first error.
fn in_order<U: Sync, E: Send>(
    units: &[U],
    threads: usize,
    f: impl Fn(&U) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let next = AtomicUsize::new(0);
    let failed: Mutex<Option<E>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    rayon::scope(|s| {
        for _ in 0..threads {
            s.spawn(|_| {
                while !stop.load(Ordering::Relaxed) {
                    let Some(unit) = units.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    if let Err(e) = f(unit) {
                        stop.store(true, Ordering::Relaxed);
                        lock(&failed).get_or_insert(e);
                    }
                }
            });
        }
    });
    match failed
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
