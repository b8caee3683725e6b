//! Render stage: turns the linked [`Site`] into output files (HTML pages, sitemap, robots,
//! static assets). Pure: returns the files; [`crate::output`] writes them.

mod assemble;
mod bodies;
mod context;
mod delta;
mod fragments;
mod groups;
mod home;
mod pages;
mod searchpage;
mod sitemap;
pub mod theme;
mod traceview;
mod whole;

use crate::diagnostic::{Diagnostic, Span};
use crate::site::Site;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

pub use delta::{Delta, Rendering, Unchanged};
pub use whole::PartMemo;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// Bytes.
    pub bytes: Vec<u8>,
}

/// Where a full build hands its files ([`Plan::render_each`]), from several threads at once.
pub trait Sink<E>: Sync {
    /// One whole file.
    fn file(&self, file: OutputFile) -> Result<(), E>;
    /// A piece of a file written in order as it is made (a long document's single page, which
    /// is never held whole): `first` starts the file, each other piece goes on its end.
    fn piece(&self, path: &str, bytes: &[u8], first: bool) -> Result<(), E>;
}

/// The files of a build in memory (for tests and tools), and where each streamed file is.
#[derive(Default)]
struct Files(std::sync::Mutex<(Vec<OutputFile>, HashMap<String, usize>)>);

impl Sink<()> for Files {
    fn file(&self, file: OutputFile) -> Result<(), ()> {
        crate::ground::lock(&self.0).0.push(file);
        Ok(())
    }

    fn piece(&self, path: &str, bytes: &[u8], first: bool) -> Result<(), ()> {
        let (files, streamed) = &mut *crate::ground::lock(&self.0);
        match streamed.get(path) {
            Some(&i) if !first => files[i].bytes.extend_from_slice(bytes),
            _ => {
                streamed.insert(path.to_string(), files.len());
                files.push(OutputFile {
                    path: path.to_string(),
                    bytes: bytes.to_vec(),
                });
            }
        }
        Ok(())
    }
}

/// A page to render: template, output path (root-relative directory URL) and context.
pub(crate) struct PageJob {
    pub template: &'static str,
    /// Root-relative URL (`ja/basic-plan-1/`); `index.html` is appended. Empty for the root.
    pub url: String,
    pub lang: String,
    pub context: Value,
}

/// Everything needed to render the site, prepared once; pages are rendered on demand.
pub struct Plan<'a> {
    site: &'a Site,
    theme: std::sync::Arc<theme::Theme>,
    keys: Vec<pages::PageKey>,
    shared: pages::Shared,
    /// Keeps the files read again inside the site (see [`crate::source::SourceMap::release`]).
    guard: crate::load::guard::Guard,
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError<E> {
    /// Findings made while rendering: template errors (the content is fine, the theme is not),
    /// or a section file that is no longer the text the check saw (LD013).
    Template(Vec<Diagnostic>),
    /// The sink refused a file (e.g. an I/O error while writing).
    Sink(E),
}

/// Loads the theme and lists the pages.
pub fn plan<'a>(site: &'a Site, root: &Path) -> Result<Plan<'a>, Vec<Diagnostic>> {
    let theme = theme::load(root, &site.config.theme)?;
    Ok(plan_with_theme(site, std::sync::Arc::new(theme)))
}

/// Like [`plan`], with a theme loaded before (`serve` keeps it while no theme file changes).
pub fn plan_with_theme(site: &Site, theme: std::sync::Arc<theme::Theme>) -> Plan<'_> {
    let shared = pages::shared(site, &theme);
    Plan {
        site,
        keys: pages::keys(site),
        theme,
        shared,
        guard: crate::load::guard::Guard::new(&site.root),
    }
}

impl Plan<'_> {
    /// Number of HTML pages.
    pub fn page_count(&self) -> usize {
        self.keys.len()
    }

    /// The theme, to render a later site with (see [`plan_with_theme`]).
    pub fn theme(&self) -> std::sync::Arc<theme::Theme> {
        std::sync::Arc::clone(&self.theme)
    }
}

/// Renders the whole site into memory, sorted by path (for tests and tools).
pub fn render_site(site: &Site, root: &Path) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let plan = plan(site, root)?;
    let files = Files::default();
    match plan.render_each(&files) {
        Ok(_) => {}
        Err(RenderError::Template(d)) => return Err(d),
        Err(RenderError::Sink(())) => {}
    }
    let (mut files, _) = crate::ground::into_inner(files.0);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The output path of a page job.
fn job_path(job: &PageJob) -> String {
    if job.template == "404.html" {
        "404.html".to_string()
    } else {
        format!("{}index.html", job.url)
    }
}

/// The output path of a page, from its key alone.
fn key_path(site: &Site, key: pages::PageKey) -> String {
    pages::url(site, key).map_or_else(|| "404.html".to_string(), |u| format!("{u}index.html"))
}

impl Plan<'_> {
    /// The small site-wide files: sitemap, robots.txt and the theme's static assets.
    fn small_files(&self) -> Vec<OutputFile> {
        let site = self.site;
        let mut files = vec![
            OutputFile {
                path: "sitemap.xml".into(),
                bytes: sitemap::sitemap(site, &self.keys).into_bytes(),
            },
            OutputFile {
                path: "robots.txt".into(),
                bytes: format!(
                    "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
                    site.config.base_url
                )
                .into_bytes(),
            },
        ];
        for lang in site.languages() {
            files.push(OutputFile {
                path: format!("{lang}/feed.xml"),
                bytes: home::feed(site, &self.theme, lang).into_bytes(),
            });
        }
        for (name, bytes) in &self.theme.statics {
            files.push(OutputFile {
                path: format!("static/{name}"),
                bytes: bytes.clone(),
            });
        }
        files
    }

    /// The paths of [`Plan::small_files`], without building them (a rebuild that changed
    /// nothing site-wide keeps them as they were).
    pub(crate) fn small_file_paths(&self) -> Vec<String> {
        let mut paths = vec!["sitemap.xml".to_string(), "robots.txt".to_string()];
        paths.extend(
            self.site
                .languages()
                .iter()
                .map(|l| format!("{l}/feed.xml")),
        );
        paths.extend(self.theme.statics.keys().map(|n| format!("static/{n}")));
        paths
    }

    /// The generated data files: trace exports (graph.json, CSVs) and search indexes.
    pub fn generated_files(&self) -> Vec<OutputFile> {
        let mut files = Vec::new();
        let _ = self.each_generated::<()>(&mut |f| {
            files.push(f);
            Ok(())
        });
        files
    }

    /// Hands each generated data file to `sink` as soon as it is built, so only one is held.
    fn each_generated<E>(
        &self,
        sink: &mut dyn FnMut(OutputFile) -> Result<(), E>,
    ) -> Result<(), E> {
        traceview::exports(self.site, &self.shared.metrics, sink)?;
        searchpage::indexes(self.site, sink)
    }
}

/// A page context value as Tera's own, moved rather than serialised (the same values
/// `Context::insert` would make: positive integers as u64, negative as i64, null as none).
fn tera_value(v: Value) -> tera::Value {
    match v {
        Value::Null => tera::Value::none(),
        Value::Bool(b) => b.into(),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into(),
            (None, Some(i)) => i.into(),
            _ => n.as_f64().unwrap_or(0.0).into(),
        },
        Value::String(s) => s.as_str().into(),
        Value::Array(a) => a.into_iter().map(tera_value).collect::<Vec<_>>().into(),
        Value::Object(m) => m
            .into_iter()
            .map(|(k, v)| (tera::value::Key::from(k), tera_value(v)))
            .collect::<tera::Map>()
            .into(),
    }
}

/// `../` repeated once per directory level of a root-relative URL.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.split('/').filter(|s| !s.is_empty()).count())
}

fn render_job(site: &Site, theme: &theme::Theme, job: PageJob) -> Result<OutputFile, Diagnostic> {
    let is_404 = job.template == "404.html";
    let prefix = if is_404 {
        // The 404 page is served from any depth: use absolute paths from the base URL.
        let path = site.config.base_url.splitn(4, '/').nth(3).unwrap_or("");
        if path.is_empty() {
            "/".to_string()
        } else {
            format!("/{path}/")
        }
    } else {
        root_prefix(&job.url)
    };
    let mut ctx = tera::Context::new();
    match theme.string_values.get(&job.lang) {
        // Converted once per theme; a clone shares it.
        Some(t) => ctx.insert_value("t", t.clone()),
        None => ctx.insert("t", &std::collections::BTreeMap::<String, String>::new()),
    }
    let mut page = None;
    if let Value::Object(map) = job.context {
        for (k, v) in map {
            match (k.as_str(), v) {
                // `page` gets the page's language and root, and goes in last.
                ("page", Value::Object(mut p)) => {
                    p.insert("lang".into(), Value::String(job.lang.clone()));
                    p.insert("root".into(), Value::String(prefix.clone()));
                    page = Some(p);
                }
                ("page", _) => {}
                (_, v) => ctx.insert_value(k, tera_value(v)),
            }
        }
    }
    if let Some(p) = page {
        ctx.insert_value("page", tera_value(Value::Object(p)));
    }
    let html = theme.tera.render(job.template, &ctx).map_err(|e| {
        Diagnostic::error(
            "TH004",
            format!("rendering {} for /{} failed: {e}", job.template, job.url),
        )
        .at(Span::file(format!(
            "themes/{}/templates/{}",
            site.config.theme, job.template
        )))
    })?;
    let html = fill(theme, &job.lang, &prefix, &html);
    let path = if is_404 {
        "404.html".to_string()
    } else {
        format!("{}index.html", job.url)
    };
    Ok(OutputFile {
        path,
        bytes: html.into_bytes(),
    })
}

/// Rendered HTML with its root-relative links made relative with `prefix` and its interface
/// text placeholders filled from the theme's strings in `lang`.
fn fill(theme: &theme::Theme, lang: &str, prefix: &str, html: &str) -> String {
    let strings = theme.strings.get(lang);
    crate::markdown::fill_placeholders(html, prefix, &|key| {
        strings.and_then(|t| t.get(key)).map(String::as_str)
    })
}

/// A page rendered with [`whole::PART_MARKER`]s, with `pieces` put in their place in order
/// (filled as [`render_job`] fills the rest: see [`fill`]). `total` is their length, to size
/// the page once. Each piece is dropped as soon as it is copied: a large document's parts are
/// not held beside its whole page.
fn splice<S: AsRef<str>>(
    theme: &theme::Theme,
    lang: &str,
    prefix: &str,
    frame: OutputFile,
    pieces: impl IntoIterator<Item = S>,
    total: usize,
) -> OutputFile {
    let mut bytes = Vec::with_capacity(frame.bytes.len() + total + total / 16);
    let mut pieces = pieces.into_iter();
    let mut last = 0;
    let marker = whole::PART_MARKER.as_bytes();
    for at in memchr::memmem::find_iter(&frame.bytes, marker) {
        bytes.extend_from_slice(&frame.bytes[last..at]);
        if let Some(piece) = pieces.next() {
            bytes.extend_from_slice(fill(theme, lang, prefix, piece.as_ref()).as_bytes());
        }
        last = at + marker.len();
    }
    bytes.extend_from_slice(&frame.bytes[last..]);
    OutputFile {
        path: frame.path,
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tera_value_makes_what_serialising_makes() {
        let v = serde_json::json!({
            "title": "情報セキュリティ基本計画 & \"x\"",
            "n": 3, "neg": -2, "f": 0.5, "none": null, "yes": true,
            "list": [1, "a", {"k": []}],
            "nested": {"b": 1, "a": {"z": false}},
        });
        let want = tera::Value::from_serializable(&v);
        let got = tera_value(v);
        // Debug shows each variant (u64 or i64, none) and the map order, which `==` does not.
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
        assert!(format!("{got:?}").contains("U64(3)"), "{got:?}");
    }
}
