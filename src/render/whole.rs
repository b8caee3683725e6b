//! Pages that are not one section: each document on a single page (to read through, cite and
//! print: every section in order with its footnotes under the source's own numbers) and the
//! about page of each language.

use super::PageJob;
use super::bodies::Bodies;
use super::context::{crumb as crumb_value, page_for, strings as strings_of};
use super::fragments::{PermalinkLabels, Strings, add_permalinks, s};
use super::theme::Theme;
use crate::markdown::{ROOT, escape_html};
use crate::site::Site;
use aho_corasick::{AhoCorasick, MatchKind};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Whether a document has a single-page version (every one but the glossary).
pub(super) fn has_whole(site: &Site, di: usize) -> bool {
    let d = &site.content.documents[di];
    !d.draft && d.kind != "glossary"
}

/// Root-relative URL of a document's single-page version (`all` is a reserved section slug).
pub(super) fn href(site: &Site, di: usize, lang: &str) -> String {
    format!("{}all/", site.doc_href(di, lang))
}

/// The single-page version of document `di`, its sections rendered now; `doc` is its cached
/// document value. (A full build assembles it from the parts its section pages made instead:
/// see [`super::assemble`].)
pub(super) fn whole(site: &Site, theme: &Theme, di: usize, lang: &str, doc: &Value) -> PageJob {
    let parts = (0..site.content.sections.len())
        .filter(|&i| site.content.sections[i].doc == di)
        .filter_map(|si| {
            let (mut value, html) = part_now(site, theme, si, lang)?;
            value["html"] = Value::String(html);
            Some(value)
        })
        .collect();
    whole_with(site, theme, di, lang, doc, parts)
}

/// Where a part's HTML goes in a single page whose parts are [`marked`]: the parts are put in
/// after the page is rendered, so the template engine never copies megabytes of section text
/// (see [`super::splice`] and [`super::assemble`]).
pub(super) const PART_MARKER: &str = "<!--plansite:part-->";

/// A part's template values with a marker in place of its HTML.
pub(super) fn marked(value: &Value) -> Value {
    let mut value = value.clone();
    value["html"] = Value::String(PART_MARKER.to_string());
    value
}

/// The language a section is shown in on a page in `lang` (its own, or its first variant's).
fn content_lang(site: &Site, si: usize, lang: &str) -> String {
    let sec = &site.content.sections[si];
    if sec.variant(lang).is_some() {
        lang.to_string()
    } else {
        sec.variants[0].lang.clone()
    }
}

/// A section's part of a single page: its template values and, apart, its HTML.
pub(super) type Part = (Value, String);

/// Section `si`'s part of its document's single page in `lang`: the template values and, apart,
/// the section's HTML (`None` for a draft).
pub(super) fn part(
    site: &Site,
    theme: &Theme,
    bodies: &Bodies,
    si: usize,
    lang: &str,
) -> Option<Part> {
    Some((
        part_value(site, si, lang)?,
        part_body(site, theme, bodies, si, lang)?,
    ))
}

/// A part's template values (`None` for a draft): they need no body, so a page can be laid
/// out before its sections are rendered.
pub(super) fn part_value(site: &Site, si: usize, lang: &str) -> Option<Value> {
    let sec = &site.content.sections[si];
    if sec.draft {
        return None;
    }
    let base = &site.config.base_url;
    let section_url = site.section_href(si, lang);
    Some(json!({
        "anchor": format!("s-{}", sec.slug),
        "title": site.title(&sec.id, lang).unwrap_or_default(),
        "href": format!("{ROOT}{section_url}"),
        "abs": format!("{base}/{section_url}"),
        "content_lang": content_lang(site, si, lang),
        "not_included": sec.status.as_deref() == Some("not-included"),
    }))
}

/// A part's HTML (`None` for a draft): the section body made fit for the single page.
pub(super) fn part_body(
    site: &Site,
    theme: &Theme,
    bodies: &Bodies,
    si: usize,
    lang: &str,
) -> Option<String> {
    let sec = &site.content.sections[si];
    if sec.draft {
        return None;
    }
    let t = strings_of(theme, lang);
    let labels = PermalinkLabels {
        heading: s(t, "permalink"),
        paragraph: s(t, "permalink_paragraph"),
    };
    let html = bodies
        .get(si, &content_lang(site, si, lang))
        .map(|r| {
            part_html(
                &add_permalinks(&r.html, &labels),
                &sec.slug,
                &site.config.base_url,
            )
        })
        .unwrap_or_default();
    Some(html)
}

/// Section `si`'s part of its document's single page in `lang`, its body rendered now if the
/// compile kept none. Only `serve`, whose compile keeps every source, and documents without
/// sections come here: a full build assembles its single pages from the parts its section runs
/// make, which report a section file that could not be read again.
fn part_now(site: &Site, theme: &Theme, si: usize, lang: &str) -> Option<Part> {
    let bodies = Bodies::of_variant(site, si, &content_lang(site, si, lang), None);
    part(site, theme, &bodies, si, lang)
}

/// A section's part as [`PartMemo`] keeps it, with the hash of its bytes (a rebuild compares
/// page hashes, and hashing a whole document's HTML per edit was a third of the edit's cost).
#[derive(Debug)]
pub(super) struct KeptPart {
    /// The section's ID: a kept part is used for no other section.
    id: String,
    pub(super) part: Option<Part>,
    pub(super) hash: u64,
}

/// The parts of the single-page documents, kept between `serve` rebuilds: an edit makes the
/// parts of the sections it changed again, and each page is assembled from the rest as they
/// were (rendering a document's every section per keystroke made a prose edit four times
/// slower).
#[derive(Debug, Default)]
pub struct PartMemo {
    /// (section, language index) → its part.
    parts: Mutex<HashMap<(usize, usize), Arc<KeptPart>>>,
}

impl PartMemo {
    /// Forgets the parts of the sections marked in `changed`, or every part (`None`: anything
    /// the parts show may have changed).
    pub(super) fn forget(&self, changed: Option<&[bool]>) {
        let mut parts = crate::ground::lock(&self.parts);
        match changed {
            Some(changed) => {
                parts.retain(|(si, _), _| !changed.get(*si).copied().unwrap_or(true));
            }
            None => parts.clear(),
        }
    }

    /// Section `si`'s part in language `l`: the kept one, or made now and kept.
    pub(super) fn part(&self, site: &Site, theme: &Theme, si: usize, l: usize) -> Arc<KeptPart> {
        let id = &site.content.sections[si].id;
        let kept = crate::ground::lock(&self.parts).get(&(si, l)).cloned();
        if let Some(k) = kept.filter(|k| &k.id == id) {
            return k;
        }
        let part = part_now(site, theme, si, &site.languages()[l]);
        let hash = part.as_ref().map_or(0, |(value, html)| {
            let value = serde_json::to_vec(value).unwrap_or_default();
            crate::ground::hash_bytes(&[&value, html.as_bytes()])
        });
        let made = Arc::new(KeptPart {
            id: id.clone(),
            part,
            hash,
        });
        crate::ground::lock(&self.parts).insert((si, l), Arc::clone(&made));
        made
    }
}

/// The single-page version of document `di` from its sections' parts, in order.
pub(super) fn whole_with(
    site: &Site,
    theme: &Theme,
    di: usize,
    lang: &str,
    doc: &Value,
    parts: Vec<Value>,
) -> PageJob {
    let t = strings_of(theme, lang);
    let d = &site.content.documents[di];
    let doc_title = site.title(&d.id, lang).unwrap_or_default();
    let title = format!("{doc_title}{}", s(t, "whole_suffix"));
    // The page's last update: the newest change to the document or a section shown on it.
    let mut files = vec![d.span.file.as_str()];
    for sec in site
        .content
        .sections
        .iter()
        .filter(|x| x.doc == di && !x.draft)
    {
        files.extend(
            sec.variant(lang)
                .or_else(|| sec.variants.first())
                .map(|v| v.file.as_str()),
        );
    }
    let crumbs = json!([
        crumb_value(s(t, "home"), Some(format!("{lang}/"))),
        crumb_value(&doc_title, Some(site.doc_href(di, lang))),
        crumb_value(s(t, "whole_link"), None),
    ]);
    let mut page = page_for(site, theme, &|l| href(site, di, l), lang, &title, crumbs);
    page["description"] = json!(format!("{title} — {}", s(t, "whole_intro")));
    super::context::set_updated(site, &mut page, &files, lang);
    // Every printed page names the document, its date and where it is: the margin boxes of
    // `@page` (a style sheet of this page, since their text is the document's).
    let date = d
        .decided
        .as_deref()
        .and_then(crate::dates::Date::parse)
        .map(|x| x.display(lang))
        .or_else(|| page["updated"].as_str().map(str::to_string))
        .unwrap_or_default();
    let url = page["canonical"].as_str().unwrap_or_default().to_string();
    let print_css = format!(
        "@media print {{ @page {{ @top-left {{ content: {}; font-size: 8.5pt; color: #333; }} @top-right {{ content: {}; font-size: 8.5pt; color: #333; }} @bottom-left {{ content: {}; font-size: 8pt; color: #333; }} }} }}",
        css_string(&doc_title),
        css_string(&date),
        css_string(&url),
    );
    PageJob {
        template: "whole.html",
        url: href(site, di, lang),
        lang: lang.to_string(),
        // Moved in, not through `json!`, which copies every value it is given.
        context: Value::Object(serde_json::Map::from_iter([
            ("page".to_string(), page),
            ("doc".to_string(), doc.clone()),
            ("parts".to_string(), Value::Array(parts)),
            ("print_css".to_string(), Value::String(print_css)),
        ])),
    }
}

/// `text` as a CSS string literal that is safe inside a `<style>` element: quotes, backslashes
/// and line breaks escaped, `<` and `>` written as escapes (no `</style>` can close it).
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            '&' => out.push_str("\\26 "),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A section body made fit for a page of many sections: IDs and in-page links get the
/// section's slug in front (two sections may both have footnote 1), headings move one level
/// down under the section title, and links into the site carry their absolute URL for print.
/// One pass over the HTML (single pages hold whole documents: a pass per rule was a tenth of
/// their cost).
fn part_html(html: &str, slug: &str, base: &str) -> String {
    let prefix = format!("{}--", escape_html(slug));
    // Fixed patterns always build; without them the body is kept as it is.
    let Some(rules) = part_rules() else {
        return html.to_string();
    };
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut last = 0;
    for m in rules.find_iter(html) {
        out.push_str(&html[last..m.start()]);
        let found = &html[m.start()..m.end()];
        match m.pattern().as_usize() {
            // `id="`, `href="#`, `aria-describedby="`, `aria-labelledby="`: the value's prefix.
            0..=3 => {
                out.push_str(found);
                out.push_str(&prefix);
            }
            // `<hN` and `</hN>`: one level down.
            4..=11 => {
                let at = found.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
                let level = found.as_bytes()[at] - b'0';
                out.push_str(&found[..at]);
                out.push(char::from(b'0' + level + 1));
                out.push_str(&found[at + 1..]);
            }
            // A link into the site: its absolute URL first, for print.
            _ => {
                let after = &html[m.end()..];
                if let Some(end) = after.find('"') {
                    // The path is already escaped HTML; copying it keeps it escaped.
                    out.push_str(&format!(
                        "data-abs=\"{}/{}\" ",
                        escape_html(base),
                        &after[..end]
                    ));
                }
                out.push_str(found);
            }
        }
        last = m.end();
    }
    out.push_str(&html[last..]);
    out
}

/// The patterns [`part_html`] rewrites, in the order its `match` reads them.
fn part_rules() -> Option<&'static AhoCorasick> {
    static RULES: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    RULES
        .get_or_init(|| {
            let mut patterns: Vec<String> = [
                "id=\"",
                "href=\"#",
                "aria-describedby=\"",
                "aria-labelledby=\"",
            ]
            .map(String::from)
            .to_vec();
            patterns.extend((2..=5).map(|n| format!("<h{n}")));
            patterns.extend((2..=5).map(|n| format!("</h{n}>")));
            patterns.push(format!("href=\"{ROOT}"));
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(patterns)
                .ok()
        })
        .as_ref()
}

/// Adds `data-abs="BASE/path"` to every link into the site, for the print style sheet.
pub(super) fn absolute_for_print(html: &str, base: &str) -> String {
    let needle = format!("href=\"{ROOT}");
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        let after = &rest[at + needle.len()..];
        let Some(end) = after.find('"') else { break };
        // The path is already escaped HTML; copying it keeps it escaped.
        out.push_str(&rest[..at]);
        out.push_str(&format!(
            "data-abs=\"{}/{}\" ",
            escape_html(base),
            &after[..end]
        ));
        out.push_str(&needle);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The about page of one language.
pub(super) fn about(site: &Site, theme: &Theme, lang: &str) -> PageJob {
    let t: &Strings = strings_of(theme, lang);
    let title = s(t, "about_title").to_string();
    let crumbs = json!([
        crumb_value(s(t, "home"), Some(format!("{lang}/"))),
        crumb_value(&title, None)
    ]);
    let documents: Vec<Value> = site
        .content
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.draft)
        .map(|(di, d)| {
            let text = d
                .source
                .as_ref()
                .and_then(|m| m.get(lang).or_else(|| m.values().next()))
                .map_or("", String::as_str);
            json!({
                "title": site.title(&d.id, lang),
                "href": format!("{ROOT}{}", site.doc_href(di, lang)),
                "source_html": super::fragments::linkify(text),
            })
        })
        .collect();
    let mut pg = page_for(
        site,
        theme,
        &|l| format!("{l}/about/"),
        lang,
        &title,
        crumbs,
    );
    super::context::set_site_updated(site, &mut pg, lang);
    PageJob {
        template: "about.html",
        url: format!("{lang}/about/"),
        lang: lang.to_string(),
        context: json!({
            "page": pg,
            "documents": documents,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_leave_their_quotes_or_the_style_element() {
        assert_eq!(css_string("基本計画"), "\"基本計画\"");
        assert_eq!(
            css_string("a\"b\\c</style>&\n"),
            "\"a\\\"b\\\\c\\3c /style\\3e \\26 \\a \""
        );
    }

    #[test]
    fn parts_get_their_own_ids_and_absolute_urls() {
        let html = format!(
            "<h2 id=\"a\">A</h2><p>x<sup class=\"fnref\"><a id=\"fnref-1\" href=\"#fn-1\">1</a></sup> <a href=\"{ROOT}ja/d/s/#X\">y</a></p>"
        );
        let h = part_html(&html, "3-1", "https://e.org");
        assert!(h.contains("<h3 id=\"3-1--a\">A</h3>"), "{h}");
        assert!(h.contains("id=\"3-1--fnref-1\" href=\"#3-1--fn-1\""), "{h}");
        assert!(
            h.contains(&format!(
                "data-abs=\"https://e.org/ja/d/s/#X\" href=\"{ROOT}ja/d/s/#X\""
            )),
            "{h}"
        );
    }
}
