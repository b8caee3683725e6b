//! Loads a theme: Tera 2 templates, interface strings and static files, with the site's own
//! `templates/` and `static/` taking precedence. The default theme is embedded in the binary so
//! a site needs no copy of it.

use crate::diagnostic::{Diagnostic, Span};
use crate::load::guard::Guard;
use std::collections::BTreeMap;
use std::path::Path;

/// Embeds files of the built-in default theme as (name, contents) pairs.
macro_rules! embed {
    ($mac:ident, $dir:literal, [$($name:literal),* $(,)?]) => {
        &[$(($name, $mac!(concat!("../../themes/default/", $dir, "/", $name)))),*]
    };
}

/// Templates of the built-in default theme (every file in themes/default/templates).
const DEFAULT_TEMPLATES: &[(&str, &str)] = embed!(
    include_str,
    "templates",
    [
        "base.html",
        "chooser.html",
        "home.html",
        "document.html",
        "glossary.html",
        "section.html",
        "item.html",
        "trace.html",
        "search.html",
        "404.html",
        "about.html",
        "whole.html"
    ]
);
const DEFAULT_I18N: &str = include_str!("../../themes/default/i18n.toml");
/// Static files of the built-in default theme (every file in themes/default/static).
const DEFAULT_STATIC: &[(&str, &[u8])] = embed!(
    include_bytes,
    "static",
    ["style.css", "search.js", "site.js", "favicon.svg"]
);

/// A loaded theme.
pub struct Theme {
    /// Compiled templates.
    pub tera: tera::Tera,
    /// Interface strings per language.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// The same as template values, converted once (every page gets them as `t`).
    pub string_values: BTreeMap<String, tera::Value>,
    /// Static files: output path under `static/` → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Hash of the templates and strings, so cached pages are dropped when the theme changes.
    pub fingerprint: u64,
}

/// The files under `dir` (relative to it) with their bytes; a symbolic link leaving the site
/// is an error.
fn read_dir_files(guard: &Guard, dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let (files, refused) = guard.walk(dir, false);
    if !refused.is_empty() {
        return Err(refused);
    }
    let prefix = format!("{}/", guard.rel(dir));
    Ok(files
        .into_iter()
        .filter_map(|(rel, _)| {
            let bytes = std::fs::read(guard.root().join(&rel)).ok()?;
            Some((rel.strip_prefix(&prefix).unwrap_or(&rel).to_string(), bytes))
        })
        .collect())
}

/// Interface strings by language → key → text: the theme's `i18n.toml` over the default one
/// (a theme without the file gets the default), with the text read (for the fingerprint).
fn read_i18n(
    guard: &Guard,
    theme_dir: &Path,
    name: &str,
) -> Result<(String, I18n), Vec<Diagnostic>> {
    guard
        .check(&theme_dir.join("i18n.toml"))
        .map_err(|d| vec![d])?;
    let i18n_text = std::fs::read_to_string(theme_dir.join("i18n.toml"))
        .unwrap_or_else(|_| DEFAULT_I18N.to_string());
    let mut strings: I18n = toml::from_str(DEFAULT_I18N).unwrap_or_default();
    match toml::from_str::<I18n>(&i18n_text) {
        Ok(custom) => {
            for (lang, map) in custom {
                strings.entry(lang).or_default().extend(map);
            }
        }
        Err(e) => {
            return Err(vec![
                Diagnostic::error("TH003", format!("invalid i18n.toml: {}", e.message()))
                    .at(Span::file(format!("themes/{name}/i18n.toml"))),
            ]);
        }
    }
    Ok((i18n_text, strings))
}

/// Language → key → text.
type I18n = BTreeMap<String, BTreeMap<String, String>>;

/// Template name → text: the site's `templates/` over the theme's over the embedded default
/// ones; TH001 when a theme other than `default` has no folder.
fn read_templates(
    root: &Path,
    guard: &Guard,
    theme_dir: &Path,
    name: &str,
) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let mut templates: BTreeMap<String, String> = BTreeMap::new();
    if theme_dir.is_dir() {
        for (rel, bytes) in read_dir_files(guard, &theme_dir.join("templates"))? {
            templates.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
        }
    } else if name != "default" {
        return Err(vec![
            Diagnostic::error("TH001", format!("theme `{name}` not found"))
                .at(Span::file(crate::config::CONFIG_FILE))
                .hint(format!(
                    "create themes/{name}/templates/ or use theme = \"default\""
                )),
        ]);
    }
    for (n, t) in DEFAULT_TEMPLATES {
        templates
            .entry((*n).to_string())
            .or_insert_with(|| (*t).to_string());
    }
    for (rel, bytes) in read_dir_files(guard, &root.join("templates"))? {
        templates.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok(templates)
}

/// Loads the theme named in the config from `root/themes/<name>` (or the embedded default).
pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(vec![
            Diagnostic::error("TH001", format!("theme name `{name}` is not a folder name"))
                .at(Span::file(crate::config::CONFIG_FILE))
                .hint("name a folder under themes/ with letters, digits, `-` and `_`"),
        ]);
    }
    let guard = Guard::new(root);
    let theme_dir = root.join("themes").join(name);
    guard.check(&theme_dir).map_err(|d| vec![d])?;
    let templates = read_templates(root, &guard, &theme_dir, name)?;
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    if let Err(e) = tera.add_raw_templates(templates.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    {
        let where_ = if theme_dir.is_dir() {
            format!("themes/{name}/templates")
        } else {
            "templates".into()
        };
        return Err(vec![
            Diagnostic::error("TH002", format!("template error: {e}"))
                .at(Span::file(where_))
                .hint("fix the template syntax (Tera 2)"),
        ]);
    }
    let (i18n_text, strings) = read_i18n(&guard, &theme_dir, name)?;
    let mut statics: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|(n, b)| ((*n).to_string(), b.to_vec()))
        .collect();
    if theme_dir.is_dir() {
        statics.extend(read_dir_files(&guard, &theme_dir.join("static"))?);
    }
    statics.extend(read_dir_files(&guard, &root.join("static"))?);
    let fingerprint = {
        let mut parts: Vec<&[u8]> = Vec::new();
        for (k, v) in &templates {
            parts.push(k.as_bytes());
            parts.push(v.as_bytes());
        }
        parts.push(i18n_text.as_bytes());
        crate::ground::hash_bytes(&parts)
    };
    let string_values = strings
        .iter()
        .map(|(lang, map)| (lang.clone(), tera::Value::from_serializable(map)))
        .collect();
    Ok(Theme {
        tera,
        strings,
        string_values,
        statics,
        fingerprint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded lists must name every file of the theme folder, or sites without their own
    /// theme copy would miss a template.
    #[test]
    fn every_theme_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        for (sub, names) in [
            (
                "templates",
                DEFAULT_TEMPLATES
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>(),
            ),
            (
                "static",
                DEFAULT_STATIC.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ),
        ] {
            let mut on_disk: Vec<String> = read_dir_files(&Guard::new(&dir), &dir.join(sub))
                .unwrap()
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            on_disk.sort();
            let mut embedded: Vec<String> = names.iter().map(|s| s.to_string()).collect();
            embedded.sort();
            assert_eq!(embedded, on_disk, "themes/default/{sub}");
        }
    }
}
