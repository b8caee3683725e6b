//! The home page of each language: the documents, the goal → policy overview and the latest
//! changes to the content.

use super::PageJob;
use super::context::{page, strings};
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
                .map(|e| (e.from.to_string(), e.inferred))
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
    let mut pg = page(
        site,
        theme,
        &|l| format!("{l}/"),
        lang,
        site.config.title(lang),
        json!([]),
        false,
    );
    super::context::set_site_updated(site, &mut pg, lang);
    PageJob {
        template: "home.html",
        url: format!("{lang}/"),
        lang: lang.to_string(),
        context: json!({
            "page": pg,
            "documents": documents,
            "goals": goals,
            "changes": site.changelog.iter().take(10).filter_map(|c| {
                let text = c.text.get(lang)?;
                let date = Date::parse(&c.date);
                Some(json!({
                    "date": date.map_or_else(|| c.date.clone(), |d| d.display(lang)),
                    "iso": c.date,
                    "text": text,
                }))
            }).collect::<Vec<_>>(),
        }),
    }
}

/// The Atom feed of the changelog in `lang` (`ja/feed.xml`), valid with no entry too.
pub(super) fn feed(site: &Site, theme: &Theme, lang: &str) -> String {
    use crate::markdown::escape_html as x;
    let t = strings(theme, lang);
    let base = &site.config.base_url;
    let home = format!("{base}/{lang}/");
    let stamp = |d: &str| format!("{d}T00:00:00Z");
    let entries: Vec<(&String, &String)> = site
        .changelog
        .iter()
        .filter_map(|c| c.text.get(lang).map(|t| (&c.date, t)))
        .collect();
    let updated = entries
        .first()
        .map_or_else(|| stamp("2006-02-02"), |(d, _)| stamp(d));
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{l}\">\n<title>{title}</title>\n<subtitle>{sub}</subtitle>\n<id>{home}</id>\n<link rel=\"alternate\" href=\"{home}\"/>\n<link rel=\"self\" href=\"{home}feed.xml\"/>\n<updated>{updated}</updated>\n<author><name>{title}</name></author>\n",
        l = x(lang),
        title = x(site.config.title(lang)),
        sub = x(fragments_s(t, "recent_changes")),
        home = x(&home),
    );
    let n = entries.len();
    for (k, (date, text)) in entries.into_iter().enumerate() {
        // Numbered from the oldest, so an entry's ID stays when newer ones are added.
        out.push_str(&format!(
            "<entry>\n<id>{id}</id>\n<title>{text}</title>\n<updated>{u}</updated>\n<link rel=\"alternate\" href=\"{home}#recent-changes\"/>\n<content type=\"text\">{text}</content>\n</entry>\n",
            id = x(&format!("{home}#change-{}", n - k)),
            text = x(text),
            u = stamp(date),
            home = x(&home),
        ));
    }
    out.push_str("</feed>\n");
    out
}

fn fragments_s<'a>(t: &'a super::fragments::Strings, key: &str) -> &'a str {
    super::fragments::s(t, key)
}
