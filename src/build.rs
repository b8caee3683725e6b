//! The compile pipeline: config → load → graph → Markdown (in parallel) → checks. Pure: it
//! reads the site root and returns the linked [`Site`] plus every finding; nothing is written.

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::{Diagnostic, sort_and_dedup};
use crate::graph::{Edge, Graph, cite_edges};
use crate::load;
use crate::markdown;
use crate::schema::Schema;
use crate::site::{LinkContext, Site, scan_homes, term_patterns};
use crate::source::{SourceFile, SourceMap};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What to compile.
#[derive(Debug, Clone)]
pub struct Options {
    /// Site root (holds `plansite.toml` and `content/`).
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Override of `base_url`.
    pub base_url: Option<String>,
    /// Whether and when the Markdown becomes HTML.
    pub html: Html,
}

/// When section Markdown is rendered to HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Html {
    /// Never (`check`, `diff`): the Markdown is only scanned for cross-references, headings,
    /// terms and findings, which is several times faster.
    Never,
    /// Scanned now and rendered by the render stage one section at a time, so a full build
    /// never holds every section's HTML (`build`); the section files' texts are let go after
    /// the check and read again as each section is rendered.
    OnDemand,
    /// Rendered now and kept in [`Site::rendered`] (`serve`, whose caches reuse it; tests).
    Kept,
}

impl Options {
    /// Options for `root` with defaults.
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            drafts: false,
            base_url: None,
            html: Html::Kept,
        }
    }
}

/// Why no site could be compiled at all.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// The root has no configuration file (a usage error).
    #[error("no {CONFIG_FILE} in `{0}`: is this a plansite site root? (use --root DIR)")]
    NoConfig(PathBuf),
    /// The configuration file cannot be read.
    #[error("cannot read {0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// The configuration is invalid (content errors).
    #[error("invalid configuration")]
    Invalid(Vec<Diagnostic>, crate::source::SourceMap),
}

/// What a caller may keep between compiles so that a compile repeats only the work whose
/// inputs changed (`serve`'s caches, [`crate::incremental::Cache`]). The compile asks; it does
/// not know what answers, so the caches can live beside the pipeline rather than inside it.
pub trait Memo: Sync {
    /// Parsed YAML files kept between loads.
    fn files(&self) -> &load::Memo;
    /// Called once per compile with the linked site, before any Markdown is rendered: the key
    /// under which this compile's Markdown results are remembered (the link environment).
    fn environment(&self, site: &Site) -> u64;
    /// A remembered Markdown result for this exact file text and environment.
    fn markdown(&self, file: &SourceFile, lang: &str, env: u64) -> Option<Arc<markdown::Rendered>>;
    /// Remembers a Markdown result.
    fn store_markdown(&self, file: &SourceFile, lang: &str, env: u64, r: &Arc<markdown::Rendered>);
    /// The translation hash of `file`'s body ([`crate::source::content_hash`]).
    fn content_hash(&self, file: &SourceFile, body_offset: usize) -> String;
    /// Forgets the files that are no longer sources.
    fn forget_missing(&self, sources: &SourceMap);
}

/// Compiles the site at `opts.root`.
pub fn compile(opts: &Options) -> Result<(Site, Vec<Diagnostic>), CompileError> {
    compile_with(opts, None)
}

/// Like [`compile`], reusing (and refreshing) what `memo` remembers of a previous run where
/// nothing it depends on changed.
pub fn compile_with(
    opts: &Options,
    memo: Option<&dyn Memo>,
) -> Result<(Site, Vec<Diagnostic>), CompileError> {
    let (mut site, found) = compile_unchecked(opts, memo)?;
    let mut timer = Timer::new();
    let diags = check_site(&mut site, found);
    timer.lap("check");
    if opts.html == Html::OnDemand {
        // Only scans: the render stage renders the bodies it needs, from their files read
        // again (checked to be the text checked here).
        site.rendered = HashMap::default();
        // Every section file, drafts left out of the site too (the load takes every `.md` file
        // of a document folder for one): a run's buffer is given back only when all its
        // files are let go of.
        let files: Vec<String> = (site.sources.paths())
            .filter(|p| p.ends_with(".md"))
            .map(str::to_string)
            .collect();
        site.sources.release(files.iter().map(String::as_str));
    }
    Ok((site, diags))
}

/// The check that ends every compile: the site-wide rules on the linked `site`, then waivers,
/// severities, order and folding, over those findings and the ones found before (`found`:
/// loading, linking, Markdown). The result is also kept in [`Site::findings`]. `serve`'s patch
/// of the last site runs it again, so a patched site's findings are a compile's.
pub fn check_site(site: &mut Site, mut found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    found.extend(crate::check::rules(site));
    crate::check::finalize(site, &mut found);
    sort_and_dedup(&mut found);
    crate::diagnostic::fold_follow_ons(&mut found);
    let index = &site.graph.index;
    crate::diagnostic::suggest_names(&mut found, || index.keys().map(String::as_str).collect());
    site.findings = found.clone();
    found
}

/// A compile up to the check ([`check_site`]): the linked site and the findings of loading,
/// linking and Markdown. Every section's Markdown result is in [`Site::rendered`] (scanned only
/// under [`Html::OnDemand`], whose results [`compile_with`] then drops).
pub fn compile_unchecked(
    opts: &Options,
    cache: Option<&dyn Memo>,
) -> Result<(Site, Vec<Diagnostic>), CompileError> {
    let mut timer = Timer::new();
    let config = read_config(&opts.root, opts.base_url.as_deref())?;
    let schema = Schema::with_overrides(&config.item_kinds, &config.link_kinds);
    // git runs while the files load.
    let history = (opts.html != Html::Never).then(|| load::history::start(&opts.root, 10_000));
    let html_now = opts.html == Html::Kept;
    let loaded = load::load_with(&opts.root, &config, cache.map(|c| c.files()));
    timer.lap("load");
    let mut diags = loaded.diagnostics;
    let (changelog, changelog_diags) =
        load::changelog::load(&opts.root, config.max_file_mib.saturating_mul(1 << 20));
    diags.extend(changelog_diags);
    let mut content = loaded.content;
    if !opts.drafts {
        drop_drafts(&mut content);
    }
    let (graph, graph_diags) = Graph::build(&content, &schema);
    diags.extend(graph_diags);
    timer.lap("graph");
    let homes = scan_homes(&content, &graph);
    let mut site = Site {
        config,
        schema,
        content,
        graph,
        sources: loaded.sources,
        rendered: HashMap::default(),
        terms_used: Default::default(),
        homes,
        terms: Default::default(),
        findings: Vec::new(),
        base_hashes: Vec::new(),
        changes: history
            .map(load::history::Pending::finish)
            .unwrap_or_default(),
        root: opts.root.clone(),
        changelog,
    };
    site.terms = term_patterns(&site);
    let results = markdown_jobs(&site, cache, html_now);
    if let Some(c) = cache {
        c.forget_missing(&site.sources);
    }
    timer.lap("markdown");
    link(&mut site, results, cache, &mut diags);
    timer.lap("link");
    Ok((site, diags))
}

/// One section variant's Markdown result and the `cites` edges of its cross-references.
type MarkdownJob = (
    (usize, String),
    std::sync::Arc<markdown::Rendered>,
    Vec<Edge>,
);

/// Renders (or, with `html_now` false, scans) every section variant's Markdown in parallel,
/// through the cache when there is one.
fn markdown_jobs(site: &Site, cache: Option<&dyn Memo>, html_now: bool) -> Vec<MarkdownJob> {
    let jobs: Vec<(usize, String)> = site
        .content
        .sections
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.variants.iter().map(move |v| (i, v.lang.clone())))
        .collect();
    let ctx = LinkContext { site };
    let env = cache.map(|c| c.environment(site) ^ u64::from(html_now));
    // Each job also turns its cross-references into `cites` edges, so that work is parallel too.
    jobs.into_par_iter()
        .filter_map(|(i, lang)| {
            let v = site.content.sections[i].variant(&lang)?;
            let file = site.sources.get(&v.file)?;
            let render = || markdown::render_with(file, v.body_offset, &lang, &ctx, html_now);
            let from = &site.content.sections[i].id;
            let (rendered, edges): (std::sync::Arc<markdown::Rendered>, Vec<Edge>) =
                match (cache, env) {
                    (Some(c), Some(env)) => {
                        let r = c.markdown(file, &lang, env).unwrap_or_else(|| {
                            let r = std::sync::Arc::new(render());
                            c.store_markdown(file, &lang, env, &r);
                            r
                        });
                        let cites = r
                            .cites
                            .iter()
                            .map(|c| (c.to.clone(), c.span.clone(), c.inferred.clone()));
                        let edges = cite_edges(from, &lang, cites);
                        (r, edges)
                    }
                    _ => {
                        // Nothing else reads the cross-references: move them into the edges.
                        let mut r = render();
                        let cites = std::mem::take(&mut r.cites);
                        let cites = cites.into_iter().map(|c| (c.to, c.span, c.inferred));
                        let edges = cite_edges(from, &lang, cites);
                        (std::sync::Arc::new(r), edges)
                    }
                };
            Some(((i, lang), rendered, edges))
        })
        .collect()
}

/// Links the Markdown results into `site`: their findings into `diags`, the results into
/// [`Site::rendered`], their `cites` edges into the graph, then the translation hashes and the
/// terms used.
fn link(
    site: &mut Site,
    results: Vec<MarkdownJob>,
    cache: Option<&dyn Memo>,
    diags: &mut Vec<Diagnostic>,
) {
    // Edges go into the graph in source order (file, line, column): each job's edges are one
    // file's, already sorted, so ordering the jobs by their file orders them all.
    // The translation hashes (parallel) are computed while the edges go into the graph (one
    // thread): the two touch different parts of the site.
    let (content, sources, default) = (&site.content, &site.sources, &site.config.default_language);
    let (graph, rendered) = (&mut site.graph, &mut site.rendered);
    let (hashes, ()) = rayon::join(
        || match cache {
            Some(c) => {
                crate::check::base_hashes(content, sources, default, &|f, at| c.content_hash(f, at))
            }
            None => crate::check::base_hashes(content, sources, default, &|f, at| {
                crate::source::content_hash(f.text.get(at..).unwrap_or(""))
            }),
        },
        || {
            let mut per_file: Vec<Vec<Edge>> = Vec::with_capacity(results.len());
            rendered.reserve(results.len());
            for ((i, lang), r, edges) in results {
                diags.extend(r.diagnostics.iter().cloned());
                if !edges.is_empty() {
                    per_file.push(edges);
                }
                rendered.insert((i, lang), r);
            }
            per_file.sort_by(|a, b| a[0].span.file.cmp(&b[0].span.file));
            graph.reserve_edges(per_file.iter().map(Vec::len).sum());
            graph.extend_edges(per_file.into_iter().flatten());
        },
    );
    site.base_hashes = hashes;
    // Each term is used on many pages: dedupe borrowed IDs, then copy each once.
    let used: rustc_hash::FxHashSet<&str> = site
        .rendered
        .values()
        .flat_map(|r| r.terms_used.iter().map(|id| &**id))
        .collect();
    site.terms_used = used.into_iter().map(str::to_string).collect();
}

/// Reads and validates `plansite.toml`.
pub fn read_config(root: &Path, base_url: Option<&str>) -> Result<Config, CompileError> {
    let path = root.join(CONFIG_FILE);
    if !path.is_file() {
        return Err(CompileError::NoConfig(root.to_path_buf()));
    }
    if let Err(d) = load::guard::Guard::new(root).check(&path) {
        return Err(CompileError::Invalid(vec![d], Default::default()));
    }
    let max = crate::config::DEFAULT_MAX_FILE_MIB * 1024 * 1024;
    let file = load::read_source(root, CONFIG_FILE, max).map_err(|d| {
        let mut sources = crate::source::SourceMap::default();
        if let Ok(text) = std::fs::read_to_string(&path) {
            sources.insert(crate::source::SourceFile::new(CONFIG_FILE, &text));
        }
        CompileError::Invalid(vec![d], sources)
    })?;
    let mut config = Config::parse(&file.text).map_err(|d| {
        let mut sources = crate::source::SourceMap::default();
        sources.insert(file.clone());
        CompileError::Invalid(d, sources)
    })?;
    if let Some(url) = base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    Ok(config)
}

fn drop_drafts(content: &mut crate::model::Content) {
    let draft_docs: Vec<usize> = content
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.draft)
        .map(|(i, _)| i)
        .collect();
    content
        .sections
        .retain(|s| !s.draft && !draft_docs.contains(&s.doc));
    content
        .items
        .retain(|i| !i.draft && !draft_docs.contains(&i.doc));
    // Draft documents stay in the list (indices must not move) but are marked; render skips them.
}

/// Stage timings on stderr when `PLANSITE_TIMINGS` is set (for profiling, never in output).
pub struct Timer {
    on: bool,
    last: std::time::Instant,
    cpu: u64,
}

/// CPU time used by the process so far, in clock ticks (Linux; 0 elsewhere).
fn cpu_ticks() -> u64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|st| {
            // Fields after the command name (which may contain spaces) start after ") ".
            let rest = st.rsplit_once(") ")?.1;
            let f: Vec<&str> = rest.split(' ').collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0)
}

impl Timer {
    /// Starts timing if `PLANSITE_TIMINGS` is set.
    pub fn new() -> Timer {
        let on = std::env::var_os("PLANSITE_TIMINGS").is_some();
        Timer {
            on,
            last: std::time::Instant::now(),
            cpu: if on { cpu_ticks() } else { 0 },
        }
    }

    /// Prints the time since the previous lap.
    pub fn lap(&mut self, stage: &str) {
        if self.on {
            // Peak and current memory on Linux, to see which stage holds what.
            let mem = std::fs::read_to_string("/proc/self/status")
                .map(|st| {
                    st.lines()
                        .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
                        .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            // CPU time next to wall time shows how well a stage uses the cores (10 ms ticks).
            let cpu = cpu_ticks();
            eprintln!(
                "timing: {stage:<10} {:>8.1} ms  cpu {:>4} ms  {mem}",
                self.last.elapsed().as_secs_f64() * 1000.0,
                cpu.saturating_sub(self.cpu) * 10
            );
            self.cpu = cpu;
        }
        self.last = std::time::Instant::now();
    }
}

impl Default for Timer {
    fn default() -> Timer {
        Timer::new()
    }
}
