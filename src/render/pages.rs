//! Page contexts: documents, sections, glossary, language chooser, 404; the page list and URLs.

use super::PageJob;
use super::bodies::Bodies;
use super::context::{crumb, page, set_updated, strings};
use super::fragments::{self, Strings, s};
use super::theme::Theme;
use crate::graph::Target;
use crate::markdown::{ROOT, escape_html};
use crate::model::Section;
use crate::site::Site;
use serde_json::{Value, json};

/// One HTML page of the site, identified cheaply; its context is built only when it is
/// rendered, so the whole site never sits in memory at once.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PageKey {
    /// The root language chooser.
    Chooser,
    /// Home page of language `l` (index into the site languages).
    Home(usize),
    /// Document `d` in language `l`.
    Doc(usize, usize),
    /// Section `s` in language `l`.
    Section(usize, usize),
    /// Item `i` in language `l`.
    Item(usize, usize),
    /// Traceability dashboard.
    Trace(usize),
    /// Search page.
    Search(usize),
    /// The 404 page.
    NotFound,
    /// About page of language `l`.
    About(usize),
    /// Document `d` on a single page in language `l`.
    Whole(usize, usize),
}

/// Data shared by many pages, computed once per build.
pub(crate) struct Shared {
    /// Per language and document, built on first use: a `serve` rebuild that renders one
    /// page builds one document's, not all of them.
    caches: Vec<Vec<std::sync::OnceLock<DocCache>>>,
    /// Section indices of each document.
    by_doc: Vec<Vec<usize>>,
    pub(crate) metrics: crate::metrics::Metrics,
}

impl Shared {
    /// The sections of each document, in order.
    pub(super) fn by_doc(&self) -> &[Vec<usize>] {
        &self.by_doc
    }

    /// The single page of document `d` in language `l`, from its sections' parts.
    pub(super) fn whole_job(
        &self,
        site: &Site,
        theme: &Theme,
        d: usize,
        l: usize,
        parts: Vec<Value>,
    ) -> PageJob {
        let lang = &site.languages()[l];
        let doc = &self.doc(site, theme, l, d).value;
        super::whole::whole_with(site, theme, d, lang, doc, parts)
    }

    fn doc(&self, site: &Site, theme: &Theme, l: usize, d: usize) -> &DocCache {
        self.caches[l][d].get_or_init(|| {
            let lang = &site.languages()[l];
            doc_cache(site, d, &self.by_doc[d], lang, strings(theme, lang))
        })
    }
}

pub(crate) fn shared(site: &Site, _theme: &Theme) -> Shared {
    let mut by_doc: Vec<Vec<usize>> = vec![Vec::new(); site.content.documents.len()];
    for (i, s) in site.content.sections.iter().enumerate() {
        by_doc[s.doc].push(i);
    }
    let caches = site
        .languages()
        .iter()
        .map(|_| {
            (0..site.content.documents.len())
                .map(|_| std::sync::OnceLock::new())
                .collect()
        })
        .collect();
    Shared {
        caches,
        by_doc,
        metrics: crate::metrics::Metrics::of(site),
    }
}

/// Every page of the site, in a stable order.
pub(crate) fn keys(site: &Site) -> Vec<PageKey> {
    let mut keys = vec![PageKey::Chooser];
    for l in 0..site.languages().len() {
        keys.push(PageKey::Home(l));
        keys.extend(
            site.content
                .documents
                .iter()
                .enumerate()
                .filter(|(_, d)| !d.draft)
                .map(|(d, _)| PageKey::Doc(d, l)),
        );
        keys.extend((0..site.content.sections.len()).map(|s| PageKey::Section(s, l)));
        keys.extend((0..site.content.items.len()).map(|i| PageKey::Item(i, l)));
        keys.extend(
            site.content
                .documents
                .iter()
                .enumerate()
                .filter(|(d, _)| super::whole::has_whole(site, *d))
                .map(|(d, _)| PageKey::Whole(d, l)),
        );
        keys.push(PageKey::Trace(l));
        keys.push(PageKey::Search(l));
        keys.push(PageKey::About(l));
    }
    keys.push(PageKey::NotFound);
    keys
}

/// The root-relative URL of a page (`None` for the 404 page, which has no URL of its own).
pub(crate) fn url(site: &Site, key: PageKey) -> Option<String> {
    let lang = |l: usize| site.languages()[l].as_str();
    Some(match key {
        PageKey::Chooser => String::new(),
        PageKey::Home(l) => format!("{}/", lang(l)),
        PageKey::Doc(d, l) => site.doc_href(d, lang(l)),
        PageKey::Section(s, l) => site.section_href(s, lang(l)),
        PageKey::Item(i, l) => Site::item_page_href(&site.content.items[i].id, lang(l)),
        PageKey::Trace(l) => format!("{}/trace/", lang(l)),
        PageKey::Search(l) => format!("{}/search/", lang(l)),
        PageKey::About(l) => format!("{}/about/", lang(l)),
        PageKey::Whole(d, l) => super::whole::href(site, d, lang(l)),
        PageKey::NotFound => return None,
    })
}

/// Builds the template context of one page.
pub(crate) fn job(
    site: &Site,
    theme: &Theme,
    shared: &Shared,
    bodies: &Bodies,
    key: PageKey,
) -> PageJob {
    let langs = site.languages();
    match key {
        PageKey::Chooser => chooser(site, theme),
        PageKey::Home(l) => super::home::home(site, theme, &langs[l]),
        PageKey::Doc(d, l) => document(site, theme, d, &langs[l], shared.doc(site, theme, l, d)),
        PageKey::Section(s, l) => section(
            site,
            theme,
            bodies,
            s,
            &langs[l],
            shared.doc(site, theme, l, site.content.sections[s].doc),
        ),
        PageKey::Item(i, l) => {
            let it = &site.content.items[i];
            let menu = shared.doc(site, theme, l, it.doc);
            // The branch down to the item's home section: the whole tree of a document of
            // 1,000 sections would be most of the page's bytes, and marks no place.
            let home = site.home_section(&it.id, &langs[l]);
            super::traceview::item_page(
                site,
                theme,
                bodies,
                it,
                &langs[l],
                doc_value(menu, home.map(|h| (h, "location"))),
            )
        }
        PageKey::About(l) => super::whole::about(site, theme, &langs[l]),
        PageKey::Whole(d, l) => super::whole::whole(
            site,
            theme,
            d,
            &langs[l],
            &shared.doc(site, theme, l, d).value,
        ),
        PageKey::Trace(l) => super::traceview::trace_job(site, theme, &shared.metrics, &langs[l]),
        PageKey::Search(l) => super::searchpage::search_job(site, theme, &langs[l]),
        PageKey::NotFound => not_found(site, theme),
    }
}

fn chooser(site: &Site, theme: &Theme) -> PageJob {
    let default = site.config.default_language.clone();
    let choices: Vec<Value> = site
        .languages()
        .iter()
        .map(|l| json!({ "lang": l, "href": format!("{l}/"), "title": site.config.title(l), "action": s(strings(theme, l), "switch_to") }))
        .collect();
    PageJob {
        template: "chooser.html",
        url: String::new(),
        lang: default.clone(),
        context: json!({ "page": page(site, theme, &|l| format!("{l}/"), &default, site.config.title(&default), json!([]), false), "choices": choices }),
    }
}

fn not_found(site: &Site, theme: &Theme) -> PageJob {
    let default = site.config.default_language.clone();
    let t = strings(theme, &default);
    PageJob {
        template: "404.html",
        url: String::new(),
        lang: default.clone(),
        context: json!({ "page": page(site, theme, &|l| format!("{l}/"), &default, s(t, "not_found_title"), json!([]), false) }),
    }
}

fn document(site: &Site, theme: &Theme, di: usize, lang: &str, cache: &DocCache) -> PageJob {
    let t = strings(theme, lang);
    let d = &site.content.documents[di];
    let title = site.title(&d.id, lang).unwrap_or_default();
    let crumbs = json!([
        crumb(s(t, "home"), Some(format!("{lang}/"))),
        crumb(&title, None)
    ]);
    let mut pg = page(
        site,
        theme,
        &|l| site.doc_href(di, l),
        lang,
        &title,
        crumbs,
        d.draft,
    );
    let files: Vec<&str> = std::iter::once(d.span.file.as_str())
        .chain(cache.sections.iter().flat_map(|&si| {
            site.content.sections[si]
                .variant(lang)
                .map(|v| v.file.as_str())
        }))
        .collect();
    set_updated(site, &mut pg, &files, lang);
    let mut ctx = json!({
        "page": pg,
        "doc": doc_value(cache, None),
    });
    let template = if d.kind == "glossary" {
        ctx["groups"] = Value::Array(glossary_groups(
            glossary_terms(site, di, lang),
            lang,
            s(t, "glossary_other"),
        ));
        "glossary.html"
    } else {
        "document.html"
    };
    PageJob {
        template,
        url: site.doc_href(di, lang),
        lang: lang.to_string(),
        context: ctx,
    }
}

/// Per-document data shared by all its pages in one language, built once.
pub(super) struct DocCache {
    /// Everything but `toc_html`, which differs per page (and is big: copying the full table
    /// of contents into every section page's context only to replace it was a third of the
    /// bytes a large build copied).
    pub(super) value: Value,
    toc: fragments::Toc,
    sections: Vec<usize>,
}

fn doc_cache(site: &Site, di: usize, sections: &[usize], lang: &str, t: &Strings) -> DocCache {
    let d = &site.content.documents[di];
    let toc = fragments::Toc::build(site, di, sections, lang, t);
    let value = json!({
        "id": d.id,
        "kind": d.kind,
        "title": site.title(&d.id, lang),
        "title_html": fragments::keep_units(&site.title(&d.id, lang).unwrap_or_default()),
        "subtitle": d.subtitle.as_ref().and_then(|m| m.get(lang)),
        "href": format!("{ROOT}{}", site.doc_href(di, lang)),
        "meta_html": fragments::doc_meta(site, di, lang, t),
        "whole_href": super::whole::has_whole(site, di).then(|| format!("{ROOT}{}", super::whole::href(site, di, lang))),
        "sources": d.source.as_ref().map(|m| fragments::urls(m.get(lang).or_else(|| m.values().next()).map_or("", String::as_str))).unwrap_or_default(),
    });
    DocCache {
        value,
        toc,
        sections: sections.to_vec(),
    }
}

fn doc_value(cache: &DocCache, current: Option<(usize, &str)>) -> Value {
    let mut v = cache.value.clone();
    v["toc_html"] = Value::String(match current {
        Some((si, mark)) => cache.toc.branch(si, mark),
        None => cache.toc.full(),
    });
    v
}

fn section(
    site: &Site,
    theme: &Theme,
    bodies: &Bodies,
    si: usize,
    lang: &str,
    cache: &DocCache,
) -> PageJob {
    let t = strings(theme, lang);
    let sec = &site.content.sections[si];
    let own = sec.variant(lang);
    let (content_lang, variant) = match own {
        Some(v) => (lang.to_string(), v),
        None => (sec.variants[0].lang.clone(), &sec.variants[0]),
    };
    let rendered = bodies.get(si, &content_lang);
    let notice = own.is_none().then(|| s(t, "not_translated").to_string());
    let translation = match (
        lang == site.config.default_language,
        variant.translation.as_deref(),
    ) {
        (false, Some("official")) => Some(s(t, "translation_official").to_string()),
        (false, _) if own.is_some() => Some(s(t, "translation_site").to_string()),
        _ => None,
    };
    let siblings = &cache.sections;
    let pos = siblings.iter().position(|&j| j == si).unwrap_or(0);
    let nav = |j: Option<&usize>| {
        j.map(|&j| json!({ "href": format!("{ROOT}{}", site.section_href(j, lang)), "title": site.title(&site.content.sections[j].id, lang) }))
    };
    let title = variant.title.clone();
    let crumbs = section_crumbs(site, t, sec, lang, &title);
    let headings: Vec<Value> = rendered
        .map(|r| {
            r.headings
                .iter()
                .filter(|h| h.level <= 3)
                .map(|h| json!({ "level": h.level, "id": h.id, "text": h.text }))
                .collect()
        })
        .unwrap_or_default();
    let mut pg = page(
        site,
        theme,
        &|l| site.section_href(si, l),
        lang,
        &title,
        Value::Array(crumbs),
        sec.draft,
    );
    set_updated(site, &mut pg, &[variant.file.as_str()], lang);
    let html = rendered.map(|r| {
        let labels = fragments::PermalinkLabels {
            heading: s(t, "permalink"),
            paragraph: s(t, "permalink_paragraph"),
        };
        let html = fragments::add_permalinks(&r.html, &labels);
        super::whole::absolute_for_print(&html, &site.config.base_url)
    });
    let mut context = json!({
        "section": {
            "id": sec.id,
            "title": title,
            "title_html": fragments::keep_units(&title),
            "headings": headings,
            "source": variant.source,
            "translation": translation,
            "notice": notice,
            "not_included": sec.status.as_deref() == Some("not-included"),
            "content_lang": content_lang,
        },
        "prev": nav(pos.checked_sub(1).and_then(|p| siblings.get(p))),
        "next": nav(siblings.get(pos + 1)),
    });
    // Moved in, not through `json!`, which copies every value it is given (the page's HTML
    // and menu were copied once more per page).
    context["section"]["html"] = Value::String(html.unwrap_or_default());
    context["page"] = pg;
    context["doc"] = doc_value(cache, Some((si, "page")));
    PageJob {
        template: "section.html",
        url: site.section_href(si, lang),
        lang: lang.to_string(),
        context,
    }
}

/// Home › document › the parent sections (outermost first, at most 9) › the section.
fn section_crumbs(site: &Site, t: &Strings, sec: &Section, lang: &str, title: &str) -> Vec<Value> {
    let doc = &site.content.documents[sec.doc];
    let mut crumbs = vec![
        crumb(s(t, "home"), Some(format!("{lang}/"))),
        crumb(
            &site.title(&doc.id, lang).unwrap_or_default(),
            Some(site.doc_href(sec.doc, lang)),
        ),
    ];
    let mut chain = Vec::new();
    let mut p = sec.parent.as_ref().map(|(p, _)| p.clone());
    while let Some(pid) = p.take() {
        if chain.contains(&pid) || chain.len() > 8 {
            break;
        }
        if let Some(Target::Section(j)) = site.graph.index.get(&pid) {
            chain.push(pid.clone());
            p = site.content.sections[*j]
                .parent
                .as_ref()
                .map(|(x, _)| x.clone());
        }
    }
    for pid in chain.iter().rev() {
        if let Some(Target::Section(j)) = site.graph.index.get(pid) {
            crumbs.push(crumb(
                &site.title(pid, lang).unwrap_or_default(),
                Some(site.section_href(*j, lang)),
            ));
        }
    }
    crumbs.push(crumb(title, None));
    crumbs
}

/// The kana rows of the Japanese index (あかさたなはまやらわ), with dakuten and small kana.
const KANA_ROWS: [(&str, &str, &str); 10] = [
    ("a", "あ", "あいうえおぁぃぅぇぉゔ"),
    ("ka", "か", "かきくけこがぎぐげご"),
    ("sa", "さ", "さしすせそざじずぜぞ"),
    ("ta", "た", "たちつてとだぢづでどっ"),
    ("na", "な", "なにぬねの"),
    ("ha", "は", "はひふへほばびぶべぼぱぴぷぺぽ"),
    ("ma", "ま", "まみむめも"),
    ("ya", "や", "やゆよゃゅょ"),
    ("ra", "ら", "らりるれろ"),
    ("wa", "わ", "わをん"),
];

/// The index group (anchor, label) of a sorted glossary entry: its kana row in Japanese (by
/// reading; katakana read as hiragana), its first letter otherwise.
fn index_group(term: &Value, lang: &str, other: &str) -> (String, String) {
    if lang == "ja" {
        let first = term["reading"].as_str().and_then(|r| r.chars().next());
        let first = first.map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            c => c,
        });
        if let Some(row) = first.and_then(|c| KANA_ROWS.iter().find(|r| r.2.contains(c))) {
            return (format!("idx-{}", row.0), row.1.to_string());
        }
        return ("idx-other".into(), other.into());
    }
    let c = term["headword"]
        .as_str()
        .and_then(|h| h.chars().find(|c| c.is_alphanumeric()))
        .map(|c| c.to_ascii_uppercase())
        .filter(char::is_ascii_alphabetic);
    match c {
        Some(c) => (format!("idx-{}", c.to_ascii_lowercase()), c.to_string()),
        None => ("idx-other".into(), other.into()),
    }
}

/// Sorted glossary entries split into index groups, with the full index (a group with no
/// entry is listed without a link).
fn glossary_groups(terms: Vec<Value>, lang: &str, other: &str) -> Vec<Value> {
    let mut groups: Vec<(String, String, Vec<Value>)> = Vec::new();
    for t in terms {
        let (id, label) = index_group(&t, lang, other);
        match groups.iter_mut().find(|g| g.0 == id) {
            Some(g) => g.2.push(t),
            None => groups.push((id, label, vec![t])),
        }
    }
    let all: Vec<(String, String)> = if lang == "ja" {
        KANA_ROWS
            .iter()
            .map(|r| (format!("idx-{}", r.0), r.1.to_string()))
            .collect()
    } else {
        ('A'..='Z')
            .map(|c| (format!("idx-{}", c.to_ascii_lowercase()), c.to_string()))
            .collect()
    };
    let index: Vec<Value> = all
        .iter()
        .chain(groups.iter().filter(|g| g.0 == "idx-other").map(|g| (g.0.clone(), g.1.clone())).collect::<Vec<_>>().iter())
        .map(|(id, label)| json!({ "id": id, "label": label, "present": groups.iter().any(|g| &g.0 == id) }))
        .collect();
    // Japanese readings sort in gojūon order already; English headwords alphabetically.
    groups
        .into_iter()
        .map(|(id, label, terms)| json!({ "id": id, "label": label, "terms": terms, "index": index }))
        .collect()
}

fn glossary_terms(site: &Site, di: usize, lang: &str) -> Vec<Value> {
    let other = site.other_language(lang);
    let mut terms: Vec<&crate::model::Item> = site
        .content
        .items
        .iter()
        .filter(|i| i.doc == di && i.kind == "term")
        .collect();
    // Japanese pages sort by reading (よみ), others by the headword.
    terms.sort_by_cached_key(|t| {
        let key = if lang == "ja" {
            t.term
                .as_ref()
                .map(|d| d.reading.clone())
                .unwrap_or_default()
        } else {
            t.title(lang).to_lowercase()
        };
        (key, t.id.clone())
    });
    terms
        .into_iter()
        .map(|it| {
            let term = it.term.clone().unwrap_or_default();
            let source_html =
                it.source
                    .as_ref()
                    .and_then(|c| c.reference.as_ref())
                    .map(|(r, _)| {
                        format!(
                            "<a href=\"{ROOT}{}\">{}</a>",
                            escape_html(&site.href(r, lang).unwrap_or_default()),
                            escape_html(&site.title(r, lang).unwrap_or_default())
                        )
                    });
            json!({
                "id": it.id,
                "headword": it.title(lang),
                "other": it.title.get(&other),
                "other_lang": other,
                "official": lang != "ja" && it.title_en_official,
                "reading": term.reading,
                "definition": term.definition.get(lang).or_else(|| term.definition.values().next()),
                "page": format!("{ROOT}{}", Site::item_page_href(&it.id, lang)),
                "source_html": source_html,
            })
        })
        .collect()
}
