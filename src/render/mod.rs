//! Render stage: turns the linked [`Site`] into output files (HTML pages, sitemap, robots,
//! static assets). Pure: returns the files; [`crate::output`] writes them.

mod fragments;
mod pages;
mod searchpage;
pub mod theme;
mod traceview;

use crate::diagnostic::{Diagnostic, Span};
use crate::markdown::ROOT;
use crate::site::Site;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::path::Path;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// Bytes.
    pub bytes: Vec<u8>,
}

/// A page to render: template, output path (root-relative directory URL) and context.
pub(crate) struct PageJob {
    pub template: &'static str,
    /// Root-relative URL (`ja/basic-plan-1/`); `index.html` is appended. Empty for the root.
    pub url: String,
    pub lang: String,
    pub context: Value,
}

/// Renders every page and asset of the site.
pub fn render_site(site: &Site, root: &Path) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let theme = theme::load(root, &site.config.theme)?;
    let mut jobs = pages::jobs(site, &theme);
    jobs.extend(traceview::jobs(site, &theme));
    jobs.extend(searchpage::jobs(site, &theme));
    let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_job(site, &theme, job))
        .collect();
    let mut files = Vec::with_capacity(rendered.len() + 8);
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        errors.truncate(20);
        return Err(errors);
    }
    files.push(OutputFile {
        path: "sitemap.xml".into(),
        bytes: pages::sitemap(site, &jobs).into_bytes(),
    });
    files.push(OutputFile {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
            site.config.base_url
        )
        .into_bytes(),
    });
    for (name, bytes) in &theme.statics {
        files.push(OutputFile {
            path: format!("static/{name}"),
            bytes: bytes.clone(),
        });
    }
    files.extend(traceview::exports(site));
    files.extend(searchpage::indexes(site));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `../` repeated once per directory level of a root-relative URL.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.split('/').filter(|s| !s.is_empty()).count())
}

fn render_job(site: &Site, theme: &theme::Theme, job: &PageJob) -> Result<OutputFile, Diagnostic> {
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
    ctx.insert(
        "t",
        theme.strings.get(&job.lang).unwrap_or(&Default::default()),
    );
    for (k, v) in job.context.as_object().into_iter().flatten() {
        ctx.insert(k.clone(), v);
    }
    let page = json!({
        "lang": job.lang,
        "root": prefix,
    });
    if let Some(Value::Object(mut p)) = job.context.get("page").cloned() {
        if let Value::Object(extra) = page {
            p.extend(extra);
        }
        ctx.insert("page", &Value::Object(p));
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
    let html = html.replace(ROOT, &prefix);
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
