//! Small HTML fragments built in Rust (trees and link lists that templates cannot recurse
//! over), escaped here and passed to templates as safe strings.

use crate::dates::Date;
use crate::markdown::{ROOT, escape_html};
use crate::site::Site;
use crate::trace::ChainNode;
use std::collections::BTreeMap;

/// Interface strings of one language.
pub type Strings = BTreeMap<String, String>;

pub(super) fn s<'a>(t: &'a Strings, key: &str) -> &'a str {
    t.get(key).map_or("", String::as_str)
}

/// The nested table of contents of a document (every section, placeholders marked). Built once
/// per document and language; [`mark_current`] highlights a page's own entry.
pub fn toc(site: &Site, sections: &[usize], lang: &str, t: &Strings) -> String {
    let ids: std::collections::HashSet<&str> = sections
        .iter()
        .map(|&i| site.content.sections[i].id.as_str())
        .collect();
    let mut children: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    let mut roots = Vec::new();
    for &i in sections {
        match site.content.sections[i]
            .parent
            .as_ref()
            .filter(|(p, _)| ids.contains(p.as_str()))
        {
            Some((p, _)) => children.entry(p.as_str()).or_default().push(i),
            None => roots.push(i),
        }
    }
    let mut html = String::from("<ul class=\"toc\">");
    for r in roots {
        toc_node(site, r, &children, lang, t, &mut html, 0);
    }
    html.push_str("</ul>");
    html
}

/// Marks the entry linking to `href` as the current page.
pub fn mark_current(toc: &str, href: &str) -> String {
    let link = format!("<a href=\"{ROOT}{href}\">");
    toc.replacen(
        &link,
        &format!("<a href=\"{ROOT}{href}\" aria-current=\"page\">"),
        1,
    )
}

fn toc_node(
    site: &Site,
    i: usize,
    children: &std::collections::HashMap<&str, Vec<usize>>,
    lang: &str,
    t: &Strings,
    html: &mut String,
    depth: usize,
) {
    let sec = &site.content.sections[i];
    let title = site.title(&sec.id, lang).unwrap_or_default();
    let placeholder = if sec.status.as_deref() == Some("not-included") {
        format!(
            " <span class=\"badge badge-muted\">{}</span>",
            escape_html(s(t, "not_included"))
        )
    } else {
        String::new()
    };
    html.push_str(&format!(
        "<li><a href=\"{ROOT}{}\">{}</a>{placeholder}",
        site.section_href(i, lang),
        escape_html(&title)
    ));
    if let Some(kids) = children.get(sec.id.as_str()).filter(|_| depth < 8) {
        html.push_str("<ul>");
        for &c in kids {
            toc_node(site, c, children, lang, t, html, depth + 1);
        }
        html.push_str("</ul>");
    }
    html.push_str("</li>");
}

/// The metadata box of a document: decision date (with 和暦 on ja pages), body, period, facts.
pub fn doc_meta(site: &Site, doc: usize, lang: &str, t: &Strings) -> String {
    let d = &site.content.documents[doc];
    let pick = |m: &BTreeMap<String, String>| {
        m.get(lang)
            .or_else(|| m.values().next())
            .cloned()
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    if let Some(date) = d.decided.as_deref().and_then(Date::parse) {
        rows.push((
            s(t, "decided").to_string(),
            format!(
                "<time datetime=\"{}\">{}</time>",
                date.iso(),
                escape_html(&date.display(lang))
            ),
        ));
    }
    if let Some(by) = &d.decided_by {
        rows.push((s(t, "decided_by").to_string(), escape_html(&pick(by))));
    }
    if let Some((from, to)) = &d.period {
        rows.push((
            s(t, "period").to_string(),
            format!("{} – {}", escape_html(from), escape_html(to)),
        ));
    }
    if let Some(st) = &d.status {
        let label = t
            .get(&format!("status_{st}"))
            .cloned()
            .unwrap_or_else(|| st.clone());
        rows.push((s(t, "status").to_string(), escape_html(&label)));
    }
    for f in &d.facts {
        let mut v = escape_html(&pick(&f.value));
        if let Some(src) = &f.source {
            v.push_str(&format!(
                " <span class=\"fact-source\">（{}: {}）</span>",
                escape_html(s(t, "source")),
                escape_html(&pick(src))
            ));
        }
        rows.push((pick(&f.label), v));
    }
    if let Some(src) = &d.source {
        rows.push((s(t, "source").to_string(), escape_html(&pick(src))));
    }
    if lang != "ja" {
        let which = if d.title_en_official {
            "translation_official"
        } else {
            "translation_site"
        };
        rows.push(("English title".to_string(), escape_html(s(t, which))));
    }
    let mut html = String::from("<dl class=\"doc-meta\">");
    for (k, v) in rows {
        html.push_str(&format!(
            "<div><dt>{}</dt><dd>{v}</dd></div>",
            escape_html(&k)
        ));
    }
    html.push_str("</dl>");
    html
}

/// A chain tree as nested lists.
pub fn chain(site: &Site, nodes: &[ChainNode], lang: &str, t: &Strings) -> String {
    if nodes.is_empty() {
        return format!("<p class=\"empty\">{}</p>", escape_html(s(t, "none")));
    }
    let mut html = String::from("<ul class=\"chain\">");
    for n in nodes {
        let href = site.href(&n.id, lang).unwrap_or_default();
        html.push_str(&format!(
            "<li><span class=\"badge badge-kind\">{}</span> <a href=\"{ROOT}{}\">{}</a> <code>{}</code>{}",
            escape_html(&site.kind_label(&n.kind, lang)),
            href,
            escape_html(&n.title),
            escape_html(&n.id),
            inferred_badge(n.inferred, t)
        ));
        if !n.children.is_empty() {
            html.push_str(&chain(site, &n.children, lang, t));
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html
}

/// The "inferred" marker with its explanation, or nothing.
pub fn inferred_badge(inferred: bool, t: &Strings) -> String {
    if inferred {
        format!(
            " <span class=\"badge badge-inferred\" title=\"{}\">{}</span>",
            escape_html(s(t, "inferred_explain")),
            escape_html(s(t, "inferred"))
        )
    } else {
        String::new()
    }
}

/// A linked ID: (ID, inferred, note).
pub type LinkEntry = (String, bool, Option<String>);

/// A list of linked IDs with optional notes.
pub fn link_list(site: &Site, entries: &[LinkEntry], lang: &str, t: &Strings) -> String {
    let mut html = String::from("<ul class=\"links\">");
    for (id, inferred, note) in entries {
        let href = site.href(id, lang).unwrap_or_default();
        let title = site.title(id, lang).unwrap_or_default();
        html.push_str(&format!(
            "<li><a href=\"{ROOT}{href}\">{}</a> <code>{}</code>{}",
            escape_html(&title),
            escape_html(id),
            inferred_badge(*inferred, t)
        ));
        if let Some(n) = note {
            html.push_str(&format!(
                "<br><span class=\"link-note\">{}</span>",
                escape_html(n)
            ));
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html
}
