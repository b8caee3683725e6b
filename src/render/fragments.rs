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

/// A document's table of contents, built once per language: the full tree for the document
/// page, and for each section page the top level plus the branch leading to that section, so a
/// page's menu stays small however long the document is.
pub struct Toc {
    links: Vec<String>,
    section: Vec<usize>,
    roots: Vec<usize>,
    children: Vec<Vec<usize>>,
    parent: Vec<Option<usize>>,
    /// The link to the full contents that stands for the entries a long list leaves out:
    /// `href` and the text, with `{n}` for their number.
    more: (String, String),
}

/// A list of more entries than this shows, on a section's menu, only [`NEIGHBOURS`] on each
/// side of the open one, and a link to the full contents for the rest: a menu of a thousand
/// chapters on every page is unusable on a phone, and was most of a large site's bytes.
const LONG_LIST: usize = 25;
/// Entries shown on each side of the open one in a long list.
const NEIGHBOURS: usize = 5;

impl Toc {
    /// Builds the tree of `sections` (indices into the site's sections, in reading order) of
    /// document `di`.
    pub fn build(site: &Site, di: usize, sections: &[usize], lang: &str, t: &Strings) -> Toc {
        let pos: std::collections::HashMap<&str, usize> = sections
            .iter()
            .enumerate()
            .map(|(k, &i)| (site.content.sections[i].id.as_str(), k))
            .collect();
        let mut toc = Toc {
            links: Vec::new(),
            section: sections.to_vec(),
            roots: Vec::new(),
            children: vec![Vec::new(); sections.len()],
            parent: vec![None; sections.len()],
            more: (
                format!(
                    "{ROOT}{}#toc-heading",
                    escape_html(&site.doc_href(di, lang))
                ),
                escape_html(s(t, "toc_more")),
            ),
        };
        for (k, &i) in sections.iter().enumerate() {
            let sec = &site.content.sections[i];
            let placeholder = if sec.status.as_deref() == Some("not-included") {
                format!(
                    " <span class=\"badge badge-muted\">{}</span>",
                    escape_html(s(t, "not_included"))
                )
            } else {
                String::new()
            };
            let title = site.title(&sec.id, lang).unwrap_or_default();
            toc.links.push(format!(
                "<a href=\"{ROOT}{}\">{}</a>{placeholder}",
                escape_html(&site.section_href(i, lang)),
                keep_units(&title)
            ));
            match sec
                .parent
                .as_ref()
                .and_then(|(p, _)| pos.get(p.as_str()))
                .filter(|&&p| p != k)
            {
                Some(&p) => {
                    toc.children[p].push(k);
                    toc.parent[k] = Some(p);
                }
                None => toc.roots.push(k),
            }
        }
        toc
    }

    /// The whole tree.
    pub fn full(&self) -> String {
        self.render(&|_| true, None)
    }

    /// The top level and the branch down to section `current`, marked as the current page
    /// (`aria-current="page"`) or, on an item page, as where the item is (`"location"`).
    pub fn branch(&self, current: usize, mark: &str) -> String {
        let Some(k) = self.section.iter().position(|&i| i == current) else {
            return self.full();
        };
        let mut open = vec![k];
        let mut p = self.parent[k];
        while let Some(x) = p.filter(|x| !open.contains(x)) {
            open.push(x);
            p = self.parent[x];
        }
        self.render(&|n| open.contains(&n), Some((k, mark)))
    }

    fn render(&self, expand: &dyn Fn(usize) -> bool, current: Option<(usize, &str)>) -> String {
        let mut html = String::new();
        self.list(&self.roots, expand, current, 0, &mut html);
        html.replacen("<ul>", "<ul class=\"toc\">", 1)
    }

    fn list(
        &self,
        nodes: &[usize],
        expand: &dyn Fn(usize) -> bool,
        current: Option<(usize, &str)>,
        depth: usize,
        html: &mut String,
    ) {
        html.push_str("<ul>");
        let (from, to) = if current.is_some() && nodes.len() > LONG_LIST {
            // Around the open entry; the first ones under the current page itself.
            let open = nodes.iter().position(|&n| expand(n)).unwrap_or(0);
            let from = open
                .saturating_sub(NEIGHBOURS)
                .min(nodes.len() - 2 * NEIGHBOURS - 1);
            (from, from + 2 * NEIGHBOURS + 1)
        } else {
            (0, nodes.len())
        };
        self.more_item(from, html);
        for &n in &nodes[from..to] {
            html.push_str("<li>");
            if let Some((_, mark)) = current.filter(|c| c.0 == n) {
                let attr = format!("\" aria-current=\"{mark}\">");
                html.push_str(&self.links[n].replacen("\">", &attr, 1));
            } else {
                html.push_str(&self.links[n]);
            }
            if !self.children[n].is_empty() && expand(n) && depth < 8 {
                self.list(&self.children[n], expand, current, depth + 1, html);
            }
            html.push_str("</li>");
        }
        self.more_item(nodes.len() - to, html);
        html.push_str("</ul>");
    }

    /// The entry that stands for `hidden` entries a long list leaves out (none if none).
    fn more_item(&self, hidden: usize, html: &mut String) {
        if hidden > 0 {
            let (href, text) = &self.more;
            let text = text.replace("{n}", &hidden.to_string());
            html.push_str(&format!(
                "<li class=\"toc-more\"><a href=\"{href}\">{text}</a></li>"
            ));
        }
    }
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
                linkify(&pick(src))
            ));
        }
        rows.push((pick(&f.label), v));
    }
    if let Some(src) = &d.source {
        rows.push((s(t, "source").to_string(), linkify(&pick(src))));
    }
    if lang != "ja" {
        let which = if d.title_en_official {
            "translation_official"
        } else {
            "translation_site"
        };
        rows.push((s(t, "english_title").to_string(), escape_html(s(t, which))));
        if d.subtitle.is_some() {
            let which = if d.subtitle_en_official {
                "translation_official"
            } else {
                "translation_site"
            };
            rows.push((
                s(t, "english_subtitle").to_string(),
                escape_html(s(t, which)),
            ));
        }
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
            "<li><span class=\"badge badge-kind\">{}</span> <a href=\"{ROOT}{}\">{}</a> <code class=\"item-id\">{}</code>{}",
            escape_html(&site.kind_label(&n.kind, lang)),
            escape_html(&href),
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
        let href = escape_html(&site.href(id, lang).unwrap_or_default());
        let title = site.title(id, lang).unwrap_or_default();
        html.push_str(&format!(
            "<li><a href=\"{ROOT}{href}\">{}</a> <code class=\"item-id\">{}</code>{}",
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

/// Where each `http://` or `https://` URL of a plain text starts and ends: it runs to the first
/// space, quote, bracket or Japanese punctuation (sources write `（http://…）` and `URL ；`).
fn url_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(at) = ["http://", "https://"]
        .iter()
        .filter_map(|p| text[from..].find(p))
        .min()
    {
        let start = from + at;
        let end = text[start..]
            .char_indices()
            .find(|(_, c)| {
                c.is_whitespace() || "\"'<>()（）「」『』、。；;，".contains(*c) || !c.is_ascii()
            })
            .map_or(text.len(), |(i, _)| start + i);
        let end = start + text[start..end].trim_end_matches(['.', ',']).len();
        spans.push((start, end));
        from = end.max(start + 1);
    }
    spans
}

/// The URLs of a plain text (a document's `source`), in order, without repeats.
pub fn urls(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (a, b) in url_spans(text) {
        if !out.iter().any(|u| u == &text[a..b]) {
            out.push(text[a..b].to_string());
        }
    }
    out
}

/// A plain text as HTML, escaped, with its URLs as links.
pub fn linkify(text: &str) -> String {
    let mut html = String::new();
    let mut at = 0;
    for (a, b) in url_spans(text) {
        html.push_str(&escape_html(&text[at..a]));
        let u = escape_html(&text[a..b]);
        html.push_str(&format!("<a class=\"source-url\" href=\"{u}\">{u}</a>"));
        at = b;
    }
    html.push_str(&escape_html(&text[at..]));
    html
}

#[cfg(test)]
mod url_tests {
    use super::*;

    #[test]
    fn urls_end_at_japanese_punctuation_and_are_escaped() {
        let t = "NISC（http://www.nisc.go.jp/a/b.html）。 x https://e.org/?a=1&b=<2> ；";
        assert_eq!(
            urls(t),
            ["http://www.nisc.go.jp/a/b.html", "https://e.org/?a=1&b="]
        );
        let h = linkify(t);
        assert!(
            h.contains("<a class=\"source-url\" href=\"https://e.org/?a=1&amp;b=\">"),
            "{h}"
        );
        assert!(h.contains("&lt;2&gt;"), "{h}");
    }
}

/// Escaped HTML of a title in which Japanese numbered units (第１次, 第2章, 第３節, 第1条) stay
/// on one line: `word-break: auto-phrase` alone splits them as 第 / １次… on a phone.
pub fn keep_units(text: &str) -> String {
    let digit = |c: char| {
        c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十".contains(c)
    };
    let mut html = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut k = 0;
    let mut plain = String::new();
    while k < chars.len() {
        let n = chars[k + 1..].iter().take_while(|c| digit(**c)).count();
        let unit = chars
            .get(k + 1 + n)
            .filter(|c| "次章節条項部編".contains(**c));
        if chars[k] == '第' && n > 0 && unit.is_some() {
            html.push_str(&escape_html(&std::mem::take(&mut plain)));
            let word: String = chars[k..k + 2 + n].iter().collect();
            html.push_str(&format!("<span class=\"nw\">{word}</span>"));
            k += 2 + n;
        } else {
            plain.push(chars[k]);
            k += 1;
        }
    }
    html.push_str(&escape_html(&plain));
    html
}

#[cfg(test)]
mod unit_tests {
    #[test]
    fn numbered_units_stay_together_and_the_rest_is_escaped() {
        assert_eq!(
            super::keep_units("第１章 第１次<情報>第3節"),
            "<span class=\"nw\">第１章</span> <span class=\"nw\">第１次</span>&lt;情報&gt;<span class=\"nw\">第3節</span>"
        );
        assert_eq!(super::keep_units("次第に"), "次第に");
    }
}

/// The accessible names of the permalinks [`add_permalinks`] writes (theme strings).
pub struct PermalinkLabels<'a> {
    /// Of a heading's `#`.
    pub heading: &'a str,
    /// Of a paragraph's `¶`.
    pub paragraph: &'a str,
}

/// Adds a visible permalink to each heading (`#`) and paragraph (`¶`) of a section body that
/// has an ID, at the end of its line, so a reader can copy a link to the passage. The IDs are
/// the Markdown stage's (`{#id}`, `h-N`, `h-N-pM`), the same in both languages when the
/// structure is; they are already escaped in `html`. One pass over the body.
pub fn add_permalinks(html: &str, labels: &PermalinkLabels<'_>) -> String {
    const OPENERS: [(&str, &str); 7] = [
        ("<h2 id=\"", "</h2>"),
        ("<h3 id=\"", "</h3>"),
        ("<h4 id=\"", "</h4>"),
        ("<h5 id=\"", "</h5>"),
        ("<h6 id=\"", "</h6>"),
        ("<p role=\"heading\" aria-level=\"7\" id=\"", "</p>"),
        ("<p id=\"", "</p>"),
    ];
    let heading = escape_html(labels.heading);
    let paragraph = escape_html(labels.paragraph);
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let bytes = html.as_bytes();
    let mut last = 0;
    for at in memchr::memchr_iter(b'<', bytes) {
        if at < last {
            continue;
        }
        let rest = &html[at..];
        let Some((open, close)) = OPENERS.iter().find(|(o, _)| rest.starts_with(o)) else {
            continue;
        };
        let id_start = at + open.len();
        let Some(id_len) = html[id_start..].find('"') else {
            break;
        };
        let id = &html[id_start..id_start + id_len];
        let Some(end) = html[id_start..].find(close).map(|e| id_start + e) else {
            break;
        };
        out.push_str(&html[last..end]);
        if id != "footnotes" {
            // A paragraph's mark takes no space character (Japanese text has none before
            // it); the style sheet spaces it.
            let (space, class, label, mark) = if open.starts_with("<p id") {
                ("", "permalink para", &paragraph, "¶")
            } else {
                (" ", "permalink", &heading, "#")
            };
            out.push_str(&format!(
                "{space}<a class=\"{class}\" href=\"#{id}\" aria-label=\"{label}\">{mark}</a>"
            ));
        }
        out.push_str(close);
        last = end + close.len();
    }
    out.push_str(&html[last..]);
    out
}

#[cfg(test)]
mod permalink_tests {
    #[test]
    fn headings_and_paragraphs_with_ids_get_a_permalink() {
        let labels = super::PermalinkLabels {
            heading: "Link",
            paragraph: "Para & link",
        };
        let h = super::add_permalinks(
            "<h2 id=\"a-b\">A</h2><p id=\"a-b-p1\">x<em>y</em></p><ul><li><p>in list</p></li></ul><h3>no id</h3>\
             <p role=\"heading\" aria-level=\"7\" id=\"h-9\">deep</p><h2 id=\"footnotes\">N</h2>",
            &labels,
        );
        assert_eq!(
            h,
            "<h2 id=\"a-b\">A <a class=\"permalink\" href=\"#a-b\" aria-label=\"Link\">#</a></h2>\
             <p id=\"a-b-p1\">x<em>y</em><a class=\"permalink para\" href=\"#a-b-p1\" aria-label=\"Para &amp; link\">¶</a></p>\
             <ul><li><p>in list</p></li></ul><h3>no id</h3>\
             <p role=\"heading\" aria-level=\"7\" id=\"h-9\">deep <a class=\"permalink\" href=\"#h-9\" aria-label=\"Link\">#</a></p>\
             <h2 id=\"footnotes\">N</h2>"
        );
    }
}
