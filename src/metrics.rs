//! Coverage metrics of the traceability graph (goals covered, policies with measures per
//! fiscal year, English freshness, glossary use) and the `graph.json` / CSV exports. The same
//! numbers feed the dashboard, `check`, and the review report.

use crate::graph::Target;
use crate::markdown::ROOT;
use crate::site::Site;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Coverage numbers of one site.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metrics {
    /// Goal ID → policies advancing it (ID, inferred).
    pub goals: BTreeMap<String, Vec<(String, bool)>>,
    /// Policy ID → fiscal year → measures implementing it that year.
    pub policies: BTreeMap<String, BTreeMap<i32, Vec<String>>>,
    /// Policy ID → measures with no stated fiscal year.
    pub undated: BTreeMap<String, Vec<String>>,
    /// Fiscal years of the annual plans.
    pub years: Vec<i32>,
    /// Sections with a translation / with a fresh translation / total.
    pub translations: (usize, usize, usize),
    /// Glossary terms used / total.
    pub terms: (usize, usize),
}

/// Most policies shown as matrix rows on the dashboard page.
pub const MAX_MATRIX_ROWS: usize = 400;
/// Most goal diagrams drawn on the dashboard page.
pub const MAX_DIAGRAMS: usize = 60;

/// A percentage with one decimal, 100 when the total is zero.
pub fn pct(n: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        (n as f64 * 1000.0 / total as f64).round() / 10.0
    }
}

impl Metrics {
    /// Computes the metrics of a linked site.
    pub fn of(site: &Site) -> Metrics {
        let years = site.content.fiscal_years();
        let mut goals = BTreeMap::new();
        let mut policies = BTreeMap::new();
        let mut undated = BTreeMap::new();
        for it in &site.content.items {
            match it.kind.as_str() {
                "goal" => {
                    let mut ps: Vec<(String, bool)> = site
                        .graph
                        .into_of(&it.id, Some("advances"))
                        .map(|e| (e.from.to_string(), e.inferred))
                        .collect();
                    ps.sort();
                    goals.insert(it.id.clone(), ps);
                }
                "policy" => {
                    let mut by_year: BTreeMap<i32, Vec<String>> =
                        years.iter().map(|y| (*y, Vec::new())).collect();
                    let mut none = Vec::new();
                    for e in site.graph.into_of(&it.id, Some("implements")) {
                        let fy = match site.graph.index.get(e.from.as_str()) {
                            Some(Target::Item(i)) => site.content.items[*i].fiscal_year,
                            _ => None,
                        };
                        match fy {
                            Some(y) => by_year.entry(y).or_default().push(e.from.to_string()),
                            None => none.push(e.from.to_string()),
                        }
                    }
                    for v in by_year.values_mut() {
                        v.sort();
                    }
                    none.sort();
                    policies.insert(it.id.clone(), by_year);
                    undated.insert(it.id.clone(), none);
                }
                _ => {}
            }
        }
        let default = &site.config.default_language;
        let (mut translated, mut fresh, mut total) = (0, 0, 0);
        for (s, hash) in site.content.sections.iter().zip(&site.base_hashes) {
            if s.variant(default).is_none() {
                continue;
            }
            for lang in site.languages().iter().filter(|l| *l != default) {
                total += 1;
                if let Some(v) = s.variant(lang) {
                    translated += 1;
                    if v.translated_from.as_ref().map(|(h, _)| h) == hash.as_ref() {
                        fresh += 1;
                    }
                }
            }
        }
        let used = &site.terms_used;
        let all_terms: Vec<&str> = site
            .content
            .items
            .iter()
            .filter(|i| i.kind == "term")
            .map(|i| i.id.as_str())
            .collect();
        let terms = (
            all_terms.iter().filter(|t| used.contains(**t)).count(),
            all_terms.len(),
        );
        Metrics {
            goals,
            policies,
            undated,
            years,
            translations: (translated, fresh, total),
            terms,
        }
    }

    /// Goals with at least one policy.
    pub fn goals_covered(&self) -> usize {
        self.goals.values().filter(|p| !p.is_empty()).count()
    }

    /// Policies with at least one measure in `year`.
    pub fn policies_with_measures(&self, year: i32) -> usize {
        self.policies
            .values()
            .filter(|m| m.get(&year).is_some_and(|v| !v.is_empty()))
            .count()
    }

    /// Summary rows: (key, label ja, label en, n, total, percent).
    pub fn summary(&self) -> Vec<(String, String, String, usize, usize, f64)> {
        let mut rows = vec![(
            "goals_covered".to_string(),
            "施策のある目標".to_string(),
            "Goals with a policy".to_string(),
            self.goals_covered(),
            self.goals.len(),
            pct(self.goals_covered(), self.goals.len()),
        )];
        for y in &self.years {
            let n = self.policies_with_measures(*y);
            rows.push((
                format!("policies_fy{y}"),
                format!("{y}年度の具体的施策が記録された施策"),
                format!("Policies with a recorded FY{y} measure"),
                n,
                self.policies.len(),
                pct(n, self.policies.len()),
            ));
        }
        let (_, fresh, total) = self.translations;
        rows.push((
            "english_fresh".into(),
            "最新の英訳".into(),
            "English translations up to date".into(),
            fresh,
            total,
            pct(fresh, total),
        ));
        rows.push((
            "glossary_used".into(),
            "本文で使われている用語".into(),
            "Glossary terms used in the text".into(),
            self.terms.0,
            self.terms.1,
            pct(self.terms.0, self.terms.1),
        ));
        rows
    }

    /// The dashboard's template data in `lang`.
    pub fn view(&self, site: &Site, lang: &str) -> Value {
        let link = |id: &str| json!({ "id": id, "title": site.title(id, lang), "href": format!("{ROOT}{}", site.href(id, lang).unwrap_or_default()) });
        let summary: Vec<Value> = self
            .summary()
            .into_iter()
            .map(|(k, ja, en, n, total, p)| json!({ "key": k, "label": if lang == "ja" { ja } else { en }, "n": n, "total": total, "pct": format!("{p:.1}") }))
            .collect();
        // Past a readable size the matrices live in the CSV exports, not in one huge page.
        let large = self.policies.len() > MAX_MATRIX_ROWS;
        let goal_ids: Vec<&String> = self.goals.keys().collect();
        // Not even built past that size: at 20,000 items the cells alone took 220 MB.
        let policies: Vec<_> = if large {
            Vec::new()
        } else {
            self.policies.iter().collect()
        };
        let matrix_rows: Vec<Value> = (policies.iter())
            .map(|&(p, _)| {
                let cells: Vec<Value> = goal_ids
                    .iter()
                    .map(|g| match self.goals[*g].iter().find(|(x, _)| x == p) {
                        Some((_, true)) => json!("inferred"),
                        Some((_, false)) => json!("explicit"),
                        None => json!(""),
                    })
                    .collect();
                json!({ "policy": link(p), "cells": cells })
            })
            .collect();
        let year_rows: Vec<Value> = (policies.iter())
            .map(|&(p, by_year)| {
                let cells: Vec<Value> = self.years.iter().map(|y| Value::Array(by_year.get(y).into_iter().flatten().map(|m| link(m)).collect())).collect();
                json!({ "policy": link(p), "cells": cells, "undated": self.undated.get(p).into_iter().flatten().map(|m| link(m)).collect::<Vec<_>>() })
            })
            .collect();
        let uncovered: Vec<Value> = self
            .goals
            .iter()
            .filter(|(_, p)| p.is_empty())
            .map(|(g, _)| link(g))
            .collect();
        let no_measures: Vec<Value> = self
            .policies
            .iter()
            .filter(|(p, by)| {
                by.values().all(Vec::is_empty) && self.undated.get(*p).is_none_or(Vec::is_empty)
            })
            .map(|(p, _)| link(p))
            .collect();
        json!({
            "summary": summary,
            "goals": goal_ids.iter().map(|g| link(g)).collect::<Vec<_>>(),
            "goal_matrix": matrix_rows,
            "years": self.years.iter().map(|y| if lang == "ja" { format!("{y}年度") } else { format!("FY{y}") }).collect::<Vec<_>>(),
            "year_matrix": year_rows,
            "too_large": large,
            "uncovered_goals": uncovered,
            "policies_without_measures": no_measures,
        })
    }

    /// Goals × policies as CSV (`explicit`, `inferred` or empty).
    pub fn goal_policy_csv(&self, _site: &Site) -> String {
        let goals: Vec<&String> = self.goals.keys().collect();
        let mut out = format!(
            "policy,{}\n",
            goals
                .iter()
                .map(|g| g.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        for p in self.policies.keys() {
            let cells: Vec<&str> = goals
                .iter()
                .map(|g| match self.goals[*g].iter().find(|(x, _)| x == p) {
                    Some((_, true)) => "inferred",
                    Some((_, false)) => "explicit",
                    None => "",
                })
                .collect();
            out.push_str(&format!("{p},{}\n", cells.join(",")));
        }
        out
    }

    /// Policies × fiscal years as CSV (measure IDs joined by spaces).
    pub fn policy_year_csv(&self, _site: &Site) -> String {
        let mut out = format!(
            "policy,{},undated\n",
            self.years
                .iter()
                .map(|y| format!("FY{y}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        for (p, by) in &self.policies {
            let cells: Vec<String> = self
                .years
                .iter()
                .map(|y| by.get(y).map(|v| v.join(" ")).unwrap_or_default())
                .collect();
            out.push_str(&format!(
                "{p},{},{}\n",
                cells.join(","),
                self.undated.get(p).map(|v| v.join(" ")).unwrap_or_default()
            ));
        }
        out
    }
}

/// `graph.json`: nodes, edges, findings and metrics; sorted and deterministic. Its schema is
/// `docs/graph.schema.json`. Typed records serialised straight to text: no intermediate JSON
/// tree for large graphs.
pub fn graph_json(site: &Site, m: &Metrics) -> String {
    let nodes = graph_nodes(site);
    let edges = graph_edges(site);
    let metrics = m
        .summary()
        .into_iter()
        .map(|(key, _, label, n, total, percent)| JsonMetric {
            key,
            label,
            n,
            total,
            percent,
        })
        .collect();
    let doc = JsonGraph {
        schema: "https://plansite.invalid/graph.schema.json",
        version: 1,
        generator: format!("plansite {}", env!("CARGO_PKG_VERSION")),
        nodes,
        edges,
        findings: &site.findings,
        metrics,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The items, by ID.
fn graph_nodes(site: &Site) -> Vec<JsonNode<'_>> {
    let mut nodes: Vec<JsonNode<'_>> = site
        .content
        .items
        .iter()
        .map(|i| JsonNode {
            id: &i.id,
            kind: &i.kind,
            title: &i.title,
            document: &site.content.documents[i.doc].id,
            fiscal_year: i.fiscal_year,
            file: &i.span.file,
            line: i.span.line,
        })
        .collect();
    nodes.sort_by(|a, b| a.id.cmp(b.id));
    nodes
}

/// The typed links, `cites` of the default language only, in (from, kind, to, file, line)
/// order.
fn graph_edges(site: &Site) -> Vec<JsonEdge<'_>> {
    let default = site.config.default_language.as_str();
    let mut edges: Vec<JsonEdge<'_>> = site
        .graph
        .edges
        .iter()
        .filter(|e| e.kind != "cites" || e.lang.as_deref() == Some(default))
        .map(|e| JsonEdge {
            from: &e.from,
            to: &e.to,
            kind: &e.kind,
            inferred: e.inferred,
            note: e.note.as_ref(),
            file: &e.span.file,
            line: e.span.line,
        })
        .collect();
    edges.sort_by(|a, b| {
        (a.from, a.kind, a.to, a.file, a.line).cmp(&(b.from, b.kind, b.to, b.file, b.line))
    });
    edges
}

/// A `graph.json` node: an item.
#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    kind: &'a str,
    title: &'a crate::config::Localized,
    document: &'a str,
    fiscal_year: Option<i32>,
    file: &'a str,
    line: usize,
}

/// A `graph.json` edge: a typed link (`cites` of the default language only).
#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'a str,
    inferred: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a crate::config::Localized>,
    file: &'a str,
    line: usize,
}

/// A `graph.json` coverage metric.
#[derive(Serialize)]
struct JsonMetric {
    key: String,
    label: String,
    n: usize,
    total: usize,
    percent: f64,
}

/// The whole `graph.json`.
#[derive(Serialize)]
struct JsonGraph<'a> {
    schema: &'static str,
    version: u32,
    generator: String,
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
    findings: &'a [crate::diagnostic::Diagnostic],
    metrics: Vec<JsonMetric>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrices_are_shown_up_to_their_readable_size_and_not_made_past_it() {
        let opts = crate::build::Options {
            root: env!("CARGO_MANIFEST_DIR").into(),
            drafts: false,
            base_url: None,
            html: crate::build::Html::Never,
        };
        let (site, _) = crate::build::compile(&opts).unwrap();
        let mut m = Metrics::of(&site);
        let shown = m.view(&site, "ja");
        assert_eq!(shown["too_large"], false);
        let rows = |v: &Value, key: &str| v[key].as_array().map_or(0, Vec::len);
        assert_eq!(rows(&shown, "goal_matrix"), m.policies.len());
        assert_eq!(rows(&shown, "year_matrix"), m.policies.len());
        assert!(!m.policies.is_empty());
        // One policy past the limit: both matrices give way to the CSV exports.
        for n in m.policies.len()..=MAX_MATRIX_ROWS {
            m.policies.insert(format!("X-{n}"), BTreeMap::new());
        }
        let large = m.view(&site, "ja");
        assert_eq!(large["too_large"], true);
        assert_eq!(rows(&large, "goal_matrix"), 0);
        assert_eq!(rows(&large, "year_matrix"), 0);
    }
}
