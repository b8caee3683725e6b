//! The parts of a page context every page kind shares: the theme's strings in a language, the
//! `page` object (title, alternates, canonical URL, breadcrumbs), breadcrumb entries and the
//! last content update. Each page kind's module builds on these; none imports another.

use super::fragments::{Strings, s};
use super::theme::Theme;
use crate::markdown::ROOT;
use crate::site::Site;
use serde_json::{Value, json};

pub(super) fn strings<'a>(theme: &'a Theme, lang: &str) -> &'a Strings {
    static EMPTY: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();
    theme
        .strings
        .get(lang)
        .unwrap_or_else(|| EMPTY.get_or_init(Strings::new))
}

/// The `page` object every template gets.
pub(super) fn page(
    site: &Site,
    theme: &Theme,
    url_of: &dyn Fn(&str) -> String,
    lang: &str,
    title: &str,
    crumbs: Value,
    draft: bool,
) -> Value {
    let base = &site.config.base_url;
    let alternates: Vec<Value> = site
        .languages()
        .iter()
        .map(|l| {
            let u = url_of(l);
            json!({ "lang": l, "href": format!("{ROOT}{u}"), "abs": format!("{base}/{u}"), "label": s(strings(theme, l), "switch_to") })
        })
        .collect();
    json!({
        "title": title,
        "site_title": site.config.title(lang),
        "canonical": format!("{base}/{}", url_of(lang)),
        "x_default": format!("{base}/{}", url_of(&site.config.default_language)),
        "alternates": alternates,
        "breadcrumbs": crumbs,
        "draft": draft,
        "description": s(strings(theme, lang), "site_description"),
        "updated": Value::Null,
        "updated_iso": Value::Null,
    })
}

/// Sets the page's last content update: the newest commit that touched any of `files`
/// (paths relative to the site root), shown in the page language (和暦 too in Japanese).
pub(super) fn set_updated(site: &Site, page: &mut Value, files: &[&str], lang: &str) {
    let change = site
        .changes
        .iter()
        .find(|c| c.files.iter().any(|f| files.contains(&f.as_str())));
    put_updated(page, change, lang);
}

/// Sets the last content update of a page drawn from the whole content (home, dashboard,
/// search, about): the newest commit that touched `content/`.
pub(super) fn set_site_updated(site: &Site, page: &mut Value, lang: &str) {
    put_updated(page, site.changes.first(), lang);
}

fn put_updated(page: &mut Value, change: Option<&crate::load::history::Change>, lang: &str) {
    if let Some(d) = change.and_then(|c| crate::dates::Date::parse(&c.date)) {
        page["updated"] = json!(d.display(lang));
        page["updated_iso"] = json!(d.iso());
    }
}

pub(super) fn crumb(title: &str, href: Option<String>) -> Value {
    json!({ "title": title, "href": href.map(|h| format!("{ROOT}{h}")) })
}

pub(super) fn page_for(
    site: &Site,
    theme: &Theme,
    url_of: &dyn Fn(&str) -> String,
    lang: &str,
    title: &str,
    crumbs: Value,
) -> Value {
    page(site, theme, url_of, lang, title, crumbs, false)
}
