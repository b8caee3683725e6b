//! The home page of each language: the documents, the goal → policy overview and the latest
//! changes to the content.

use super::PageJob;
use super::pages::{page, strings};
use super::theme::Theme;
use crate::dates::Date;
use crate::markdown::ROOT;
use crate::site::Site;
use serde_json::{Value, json};

/// The home page of `lang`.
pub(super) fn home(site: &Site, theme: &Theme, lang: &str) -> PageJob {
    let t = strings(theme, lang);
    let documents: Vec<Value> = site
        .content
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.draft)
        .map(|(di, d)| {
            let date = d.decided.as_deref().and_then(Date::parse);
            json!({
                "title": site.title(&d.id, lang),
                "subtitle": d.subtitle.as_ref().and_then(|m| m.get(lang)),
                "href": format!("{ROOT}{}", site.doc_href(di, lang)),
                "decided": date.map(|x| x.display(lang)),
                "decided_iso": date.map(|x| x.iso()),
                "status": d.status.as_ref().map(|st| t.get(&format!("status_{st}")).cloned().unwrap_or_else(|| st.clone())),
            })
        })
        .collect();
    let goals: Vec<Value> = site
        .content
        .items
        .iter()
        .filter(|i| i.kind == "goal")
        .map(|g| {
            let mut policies: Vec<(String, bool)> = site
                .graph
                .into_of(&g.id, Some("advances"))
                .map(|e| (e.from.clone(), e.inferred))
                .collect();
            policies.sort();
            json!({
                "title": site.title(&g.id, lang),
                "href": format!("{ROOT}{}", crate::site::Site::item_page_href(&g.id, lang)),
                "policies": policies.iter().map(|(p, inf)| json!({
                    "title": site.title(p, lang),
                    "href": format!("{ROOT}{}", crate::site::Site::item_page_href(p, lang)),
                    "inferred": inf,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    PageJob {
        template: "home.html",
        url: format!("{lang}/"),
        lang: lang.to_string(),
        context: json!({
            "page": page(site, theme, &|l| format!("{l}/"), lang, site.config.title(lang), json!([]), false),
            "documents": documents,
            "goals": goals,
            "changes": site.changes.iter().take(10).map(|c| {
                let date = Date::parse(&c.date);
                let lang_of = if c.subject.chars().any(crate::markdown::is_cjk) { "ja" } else { "en" };
                json!({
                    "date": date.map_or_else(|| c.date.clone(), |d| d.display(lang)),
                    "iso": c.date,
                    "subject": c.subject,
                    "subject_lang": lang_of,
                    "commit": c.commit,
                })
            }).collect::<Vec<_>>(),
        }),
    }
}
