//! Loads `plansite.toml`: site titles, base URL, languages, theme, severity overrides, schema
//! extensions.

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::schema::{ItemKindDef, LinkKindDef};
use serde::Deserialize;
use std::collections::BTreeMap;

pub use crate::ground::Localized;

/// The site configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Absolute base URL, without a trailing slash once loaded.
    pub base_url: String,
    /// The first language; target of `x-default`.
    #[serde(default = "default_language")]
    pub default_language: String,
    /// Site languages, default first.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    /// Theme folder name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Site title per language.
    pub title: Localized,
    /// Severity overrides per finding code (`error`, `warning`, `info`, `off`).
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Extra or replacement link kinds.
    #[serde(default)]
    pub link_kinds: Vec<LinkKindDef>,
    /// Extra or replacement item kinds.
    #[serde(default)]
    pub item_kinds: Vec<ItemKindDef>,
    /// Largest content file read, in MiB: a bigger one is refused with a finding (a plan's
    /// largest file is about 0.1 MiB; a runaway file would otherwise cost memory many times
    /// its size).
    #[serde(default = "default_max_file_mib")]
    pub max_file_mib: u64,
    /// What happens to raw HTML in Markdown (see [`RawHtml`]).
    #[serde(default)]
    pub raw_html: RawHtml,
}

impl Config {
    /// [`Config::max_file_mib`] in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        self.max_file_mib.saturating_mul(1024 * 1024)
    }
}

/// The default of [`Config::max_file_mib`].
pub const DEFAULT_MAX_FILE_MIB: u64 = 4;

fn default_max_file_mib() -> u64 {
    DEFAULT_MAX_FILE_MIB
}

/// The policy for raw HTML written in Markdown: content comes from pull requests, so by
/// default it is cleaned with an allow-list before it is published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Keep what the allow-list permits, drop the rest (with a warning per removal), and drop
    /// links and images with a dangerous URL scheme.
    #[default]
    Sanitize,
    /// Publish raw HTML and every link as written: only for a site whose authors are trusted.
    Allow,
    /// Raw HTML is an error (and is still cleaned, for `serve`'s last good site).
    Deny,
}

impl RawHtml {
    /// The value as written in `plansite.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            RawHtml::Sanitize => "sanitize",
            RawHtml::Allow => "allow",
            RawHtml::Deny => "deny",
        }
    }
}

fn default_language() -> String {
    "ja".into()
}
fn default_languages() -> Vec<String> {
    vec!["ja".into(), "en".into()]
}
fn default_theme() -> String {
    "default".into()
}

/// The configuration file name.
pub const CONFIG_FILE: &str = "plansite.toml";

/// Field names of `plansite.toml`, for "did you mean" hints.
const FIELDS: &[&str] = &[
    "base_url",
    "default_language",
    "languages",
    "theme",
    "title",
    "severity",
    "link_kinds",
    "item_kinds",
    "max_file_mib",
    "raw_html",
];

impl Config {
    /// Parses the configuration text; problems come back as diagnostics at their line.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let (line, col) = e
                .span()
                .map(|r| {
                    let before = &text[..r.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    (line, col)
                })
                .unwrap_or((1, 1));
            let msg = e.message().to_string();
            let mut d = Diagnostic::error("CF001", format!("invalid {CONFIG_FILE}: {msg}"))
                .at(Span::new(CONFIG_FILE, line, col));
            if let Some(field) = msg
                .strip_prefix("unknown field `")
                .and_then(|r| r.split('`').next())
                && let Some(best) =
                    crate::diagnostic::nearest(field, FIELDS.iter().copied()).first()
            {
                d = d.hint(format!("did you mean `{best}`?"));
            }
            vec![d]
        })?;
        let mut errs = Vec::new();
        cfg.base_url = cfg.base_url.trim_end_matches('/').to_string();
        if !(cfg.base_url.starts_with("http://") || cfg.base_url.starts_with("https://")) {
            errs.push(
                Diagnostic::error("CF002", "`base_url` must be an absolute http(s) URL")
                    .at(Span::file(CONFIG_FILE))
                    .hint("hreflang alternates and the sitemap need absolute URLs, e.g. https://example.org/plans"),
            );
        }
        if !cfg.languages.contains(&cfg.default_language) {
            errs.push(
                Diagnostic::error(
                    "CF003",
                    format!(
                        "default_language `{}` is not in `languages`",
                        cfg.default_language
                    ),
                )
                .at(Span::file(CONFIG_FILE)),
            );
        } else {
            // The default language always comes first.
            cfg.languages.retain(|l| *l != cfg.default_language);
            cfg.languages.insert(0, cfg.default_language.clone());
        }
        for lang in &cfg.languages {
            if !cfg.title.contains_key(lang) {
                errs.push(
                    Diagnostic::error("CF004", format!("`title` has no `{lang}` entry"))
                        .at(Span::file(CONFIG_FILE))
                        .hint(format!("add `{lang} = \"…\"` under [title]")),
                );
            }
        }
        for (code, sev) in &cfg.severity {
            if sev != "off" && Severity::parse(sev).is_none() {
                errs.push(
                    Diagnostic::error("CF005", format!("unknown severity `{sev}` for {code}"))
                        .at(Span::file(CONFIG_FILE))
                        .hint("use error, warning, info or off"),
                );
            }
        }
        if errs.is_empty() { Ok(cfg) } else { Err(errs) }
    }

    /// The site title in `lang` (falls back to the default language).
    pub fn title(&self, lang: &str) -> &str {
        self.title
            .get(lang)
            .or_else(|| self.title.get(&self.default_language))
            .map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_loads_with_defaults() {
        let c = Config::parse(
            "base_url = \"https://x.org/p/\"\n[title]\nja = \"計画\"\nen = \"Plans\"\n",
        )
        .unwrap();
        assert_eq!(c.base_url, "https://x.org/p");
        assert_eq!(c.languages, ["ja", "en"]);
        assert_eq!(c.raw_html, RawHtml::Sanitize);
    }

    #[test]
    fn raw_html_policy_is_read_and_checked() {
        let base = "base_url = \"https://x.org\"\n[title]\nja = \"a\"\nen = \"b\"\n";
        for (v, want) in [("allow", RawHtml::Allow), ("deny", RawHtml::Deny)] {
            let c = Config::parse(&format!("raw_html = \"{v}\"\n{base}")).unwrap();
            assert_eq!(c.raw_html, want);
        }
        let errs = Config::parse(&format!("raw_html = \"off\"\n{base}")).unwrap_err();
        assert_eq!(errs[0].code, "CF001");
        assert_eq!(errs[0].span.as_ref().unwrap().line, 1);
    }

    #[test]
    fn unknown_field_is_reported_with_its_line_and_a_suggestion() {
        let errs = Config::parse(
            "base_url = \"https://x.org\"\nthem = \"x\"\n[title]\nja = \"a\"\nen = \"b\"\n",
        )
        .unwrap_err();
        assert_eq!(errs[0].span.as_ref().unwrap().line, 2);
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `theme`?"));
    }
}
