//! Traceability views: item permalink pages (chain, typed links both ways, backlinks), the
//! coverage dashboard with its matrices, and machine exports (`graph.json`, CSV).

use super::bodies::Bodies;
use super::context::{crumb as crumb_value, page_for, strings as strings_of};
use super::fragments::{self, Strings, s};
use super::theme::Theme;
use super::{OutputFile, PageJob};
use crate::graph::Target;
use crate::markdown::{ROOT, escape_html, replace_all};
use crate::metrics::Metrics;
use crate::model::Item;
use crate::site::Site;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The permalink page of one item in one language.
pub(super) fn item_page(
    site: &Site,
    theme: &Theme,
    bodies: &Bodies,
    it: &Item,
    lang: &str,
    doc: Value,
) -> PageJob {
    let t = strings_of(theme, lang);
    let other = site.other_language(lang);
    let title = site.title(&it.id, lang).unwrap_or_default();
    let home = site.home_section(&it.id, lang);
    let (prose, prose_lang) = item_prose(site, bodies, it, home, lang);
    let home_value = home.map(|si| json!({ "href": format!("{ROOT}{}#{}", site.section_href(si, lang), it.id), "title": site.title(&site.content.sections[si].id, lang) }));
    let source_html = source_html(site, it, lang, t);
    let definition = it
        .term
        .as_ref()
        .and_then(|d| d.definition.get(lang))
        .map(|d| format!("<p>{}</p>", escape_html(d)));
    let up = crate::trace::upstream(site, &it.id, lang);
    let down = crate::trace::downstream(site, &it.id, lang);
    let crumbs = item_crumbs(site, it, home, &title, lang, t);
    let any_inferred = has_inferred(&up)
        || has_inferred(&down)
        || site
            .graph
            .out_of(&it.id, None)
            .chain(site.graph.into_of(&it.id, None))
            .any(|e| e.inferred);
    let by_year = by_fiscal_year(site, &down, lang, t);
    let mut pg = page_for(
        site,
        theme,
        &|l| Site::item_page_href(&it.id, l),
        lang,
        &title,
        Value::Array(crumbs),
    );
    super::context::set_updated(site, &mut pg, &[it.span.file.as_str()], lang);
    let mut context = json!({
            "item": {
                "id": it.id,
                "kind": it.kind,
                "kind_label": site.kind_label(&it.kind, lang),
                "title": title,
                "title_other": site.title(&it.id, &other),
                "other_lang": other,
                "deadline": it.deadline.as_ref().and_then(|d| d.get(lang)),
                "fiscal_year": it.fiscal_year.map(|y| fiscal_year(t, y)),
                "home": home_value,
                "source_html": source_html,
                "prose": prose.or(definition),
                "prose_lang": prose_lang,
                "upstream_html": fragments::chain(site, &up, lang, t),
                "has_upstream": !up.is_empty(),
                "has_downstream": !down.is_empty(),
                "downstream_by_year": by_year,
                "any_inferred": any_inferred,
                "no_measures_recorded": it.kind == "policy" && down.iter().all(|n| n.kind != "measure"),
                "annual_plans_href": annual_plans_href(site, lang),
                "links_out": link_groups(site, it, lang, t, true),
                "links_in": link_groups(site, it, lang, t, false),
            },
    });
    // Moved in, not through `json!`, which copies every value it is given.
    context["page"] = pg;
    context["doc"] = doc;
    PageJob {
        template: "item.html",
        url: Site::item_page_href(&it.id, lang),
        lang: lang.to_string(),
        context,
    }
}

/// The prose of `it` (from its home section) in the page language, else in the first language
/// that has it, with the language it is in. Its in-page anchors (footnotes, headings) point to
/// the home section page, where they live.
fn item_prose(
    site: &Site,
    bodies: &Bodies,
    it: &Item,
    home: Option<usize>,
    lang: &str,
) -> (Option<String>, String) {
    let (prose, prose_lang) = home
        .and_then(|si| {
            std::iter::once(lang)
                .chain(site.languages().iter().map(String::as_str))
                .find_map(|l| {
                    bodies
                        .get(si, l)
                        .and_then(|r| r.prose(&it.id))
                        .map(|p| (Some(p), l.to_string()))
                })
        })
        .unwrap_or((None, lang.to_string()));
    let prose = match (prose, home) {
        (Some(p), Some(si)) => {
            let to = format!(
                "href=\"{ROOT}{}#",
                escape_html(&site.section_href(si, &prose_lang))
            );
            let p = replace_all(&p, "href=\"#", &to);
            Some(replace_all(&p, " id=\"fnref-", " data-fnref=\""))
        }
        (p, _) => p,
    };
    (prose, prose_lang)
}

/// The quoted source text of `it` (in the page language if it has it) with its reference.
fn source_html(site: &Site, it: &Item, lang: &str, t: &Strings) -> Option<String> {
    it.source.as_ref().map(|c| {
        let text = c
            .text
            .get(lang)
            .or_else(|| c.text.values().next())
            .cloned()
            .unwrap_or_default();
        let text_lang = if c.text.contains_key(lang) {
            lang.to_string()
        } else {
            c.text.keys().next().cloned().unwrap_or_default()
        };
        let mut h = format!(
            "<p lang=\"{}\">{}</p>",
            escape_html(&text_lang),
            escape_html(&text)
        );
        if let Some((r, _)) = &c.reference {
            h.push_str(&format!(
                "<footer>{}: <a href=\"{ROOT}{}\">{}</a></footer>",
                escape_html(s(t, "source")),
                escape_html(&site.href(r, lang).unwrap_or_default()),
                escape_html(&site.title(r, lang).unwrap_or_default())
            ));
        }
        h
    })
}

/// Home › document › home section (if any) › the item.
fn item_crumbs(
    site: &Site,
    it: &Item,
    home: Option<usize>,
    title: &str,
    lang: &str,
    t: &Strings,
) -> Vec<Value> {
    let mut crumbs = vec![
        crumb_value(s(t, "home"), Some(format!("{lang}/"))),
        crumb_value(
            &site
                .title(&site.content.documents[it.doc].id, lang)
                .unwrap_or_default(),
            Some(site.doc_href(it.doc, lang)),
        ),
    ];
    if let Some(si) = home {
        let sec = &site.content.sections[si];
        crumbs.push(crumb_value(
            &site.title(&sec.id, lang).unwrap_or_default(),
            Some(site.section_href(si, lang)),
        ));
    }
    crumbs.push(crumb_value(title, None));
    crumbs
}

fn link_groups(site: &Site, it: &Item, lang: &str, t: &Strings, outgoing: bool) -> Vec<Value> {
    let mut groups: BTreeMap<usize, (String, Vec<fragments::LinkEntry>)> = BTreeMap::new();
    let edges: Vec<_> = if outgoing {
        site.graph.out_of(&it.id, None).collect()
    } else {
        site.graph.into_of(&it.id, None).collect()
    };
    for e in edges {
        // Coverage links are the chain at the top of the page; listing them again confused.
        if crate::trace::CHAIN_KINDS.contains(&e.kind.as_str()) {
            continue;
        }
        if e.kind == "cites" && e.lang.as_deref().is_some_and(|l| l != lang) && site.graph.index.get(e.from.as_str()).is_some_and(|tg| matches!(tg, Target::Section(si) if site.content.sections[*si].variant(lang).is_some())) {
            continue; // show each citing section once, from the page language's text
        }
        let pos = site
            .schema
            .link_kinds
            .iter()
            .position(|k| e.kind == k.name)
            .unwrap_or(usize::MAX);
        let def = site.schema.link(&e.kind);
        let label = def
            .and_then(|d| {
                if outgoing {
                    d.label.get(lang)
                } else {
                    d.reverse.get(lang)
                }
            })
            .cloned()
            .unwrap_or_else(|| e.kind.to_string());
        let other: &str = if outgoing { &e.to } else { &e.from };
        let note = e.note.as_ref().and_then(|n| n.get(lang)).cloned();
        let entry = groups.entry(pos).or_insert_with(|| (label, Vec::new()));
        // A section that cites the item in several places is listed once: explicit when any
        // of its references is (the source states the link there), inferred otherwise.
        match entry.1.iter_mut().find(|(id, _, _)| id == other) {
            Some(seen) if seen.1 && !e.inferred => *seen = (other.to_string(), false, note),
            Some(_) => {}
            None => entry.1.push((other.to_string(), e.inferred, note)),
        }
    }
    groups
        .into_values()
        .map(|(label, mut entries)| {
            entries.sort();
            json!({ "label": label, "html": fragments::link_list(site, &entries, lang, t) })
        })
        .collect()
}

fn has_inferred(nodes: &[crate::trace::ChainNode]) -> bool {
    nodes
        .iter()
        .any(|n| n.inferred || has_inferred(&n.children))
}

/// The downstream chain grouped by the fiscal year of its first level (measures of the annual
/// plans carry one; sub-items do not and come first, under no year).
fn by_fiscal_year(
    site: &Site,
    down: &[crate::trace::ChainNode],
    lang: &str,
    t: &Strings,
) -> Vec<Value> {
    let mut groups: BTreeMap<Option<i32>, Vec<crate::trace::ChainNode>> = BTreeMap::new();
    for n in down {
        let fy = match site.graph.index.get(&n.id) {
            Some(Target::Item(i)) => site.content.items[*i].fiscal_year,
            _ => None,
        };
        groups.entry(fy).or_default().push(n.clone());
    }
    groups
        .into_iter()
        .map(|(fy, nodes)| {
            let year = fy.map(|y| fiscal_year(t, y));
            json!({ "year": year, "html": fragments::chain(site, &nodes, lang, t) })
        })
        .collect()
}

/// Where the site explains why the annual plans' measures are missing: the annual plans'
/// overview, when the site has one.
pub(super) fn annual_plans_href(site: &Site, lang: &str) -> Value {
    match site.href("SJ-OVERVIEW", lang) {
        Some(h) => json!(format!(
            "{ROOT}{}#measures",
            h.split('#').next().unwrap_or("")
        )),
        None => json!(format!("{ROOT}{lang}/about/#sources")),
    }
}

/// The coverage dashboard page of one language.
pub(super) fn trace_job(site: &Site, theme: &Theme, metrics: &Metrics, lang: &str) -> PageJob {
    let t = strings_of(theme, lang);
    let title = s(t, "trace_title").to_string();
    let crumbs = json!([
        crumb_value(s(t, "home"), Some(format!("{lang}/"))),
        crumb_value(&title, None)
    ]);
    let mut pg = page_for(
        site,
        theme,
        &|l| format!("{l}/trace/"),
        lang,
        &title,
        crumbs,
    );
    super::context::set_site_updated(site, &mut pg, lang);
    PageJob {
        template: "trace.html",
        url: format!("{lang}/trace/"),
        lang: lang.to_string(),
        context: json!({
            "page": pg,
            "metrics": plain_labels(with_diagrams(metrics.view(site, lang), site, metrics, lang, t), t),
            "annual_plans_href": annual_plans_href(site, lang),
        }),
    }
}

/// The view with one SVG diagram per goal (none past [`MAX_DIAGRAMS`] goals): metrics
/// computes, render draws.
///
/// [`MAX_DIAGRAMS`]: crate::metrics::MAX_DIAGRAMS
fn with_diagrams(
    mut view: Value,
    site: &Site,
    metrics: &crate::metrics::Metrics,
    lang: &str,
    t: &Strings,
) -> Value {
    let words = crate::diagram::Labels {
        inferred: s(t, "diagram_inferred"),
        no_measure: s(t, "diagram_no_measure"),
    };
    let diagrams: Vec<Value> = if metrics.goals.len() > crate::metrics::MAX_DIAGRAMS {
        Vec::new()
    } else {
        metrics
            .goals
            .keys()
            .map(|g| crate::diagram::goal_svg(site, metrics, g, lang, &words))
            .collect()
    };
    view["diagrams"] = json!(diagrams);
    view["years"] = json!(
        metrics
            .years
            .iter()
            .map(|y| fiscal_year(t, *y))
            .collect::<Vec<_>>()
    );
    view
}

/// A fiscal year as the theme writes it (`2006年度`, `FY2006`).
fn fiscal_year(t: &Strings, year: i32) -> String {
    s(t, "fiscal_year_label").replace("{year}", &year.to_string())
}

/// The dashboard's summary rows labelled in words from the theme, each zero of a fiscal year
/// marked as a gap of the sources rather than of the government.
fn plain_labels(mut view: Value, t: &Strings) -> Value {
    if let Some(rows) = view["summary"].as_array_mut() {
        for r in rows {
            let key = r["key"].as_str().unwrap_or("").to_string();
            let label = match key.strip_prefix("policies_fy") {
                Some(y) => Some(s(t, "metric_policies_fy").replace("{year}", y)),
                None => t.get(&format!("metric_{key}")).cloned(),
            };
            if let Some(l) = label.filter(|l| !l.is_empty()) {
                r["label"] = json!(l);
            }
            r["gap"] = json!(key.starts_with("policies_fy") && r["n"] == json!(0));
        }
    }
    view
}

/// `graph.json` and the CSV matrices.
pub(super) fn exports<E>(
    site: &Site,
    m: &Metrics,
    sink: &mut dyn FnMut(OutputFile) -> Result<(), E>,
) -> Result<(), E> {
    // One at a time, each handed over as soon as it exists (graph.json is megabytes).
    sink(OutputFile {
        path: "graph.json".into(),
        bytes: crate::metrics::graph_json(site, m).into_bytes(),
    })?;
    sink(OutputFile {
        path: "goals-policies.csv".into(),
        bytes: m.goal_policy_csv(site).into_bytes(),
    })?;
    sink(OutputFile {
        path: "policies-fiscal-years.csv".into(),
        bytes: m.policy_year_csv(site).into_bytes(),
    })
}
