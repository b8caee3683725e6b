//! One SVG per goal (goal → policies → measures), generated at build time with no JavaScript
//! and no external tool; every diagram carries a text alternative. The SVG holds links, so it
//! is a `group` labelled by its title and description (an `img` role would hide the links).

use crate::markdown::{ROOT, escape_html, is_cjk};
use crate::metrics::Metrics;
use crate::site::Site;
use serde_json::{Value, json};

const ROW: usize = 34;
const COL_W: usize = 250;

fn clip(s: &str, width_units: usize) -> String {
    // CJK characters take two units, others one; keep labels inside their boxes.
    let mut used = 0;
    let mut out = String::new();
    for c in s.chars() {
        let w = if is_cjk(c) { 2 } else { 1 };
        if used + w > width_units {
            out.push('…');
            return out;
        }
        used += w;
        out.push(c);
    }
    out
}

fn node(x: usize, y: usize, id: &str, title: &str, href: &str, class: &str) -> String {
    format!(
        "<a href=\"{ROOT}{href}\"><rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"26\" rx=\"4\"/><text x=\"{tx}\" y=\"{ty}\">{label}</text><title>{full}</title></a>",
        w = COL_W - 20,
        href = escape_html(href),
        tx = x + 6,
        ty = y + 17,
        label = escape_html(&clip(&format!("{id} {title}"), 34)),
        full = escape_html(&format!("{id} {title}")),
    )
}

/// The diagram of one goal, with its text alternative.
pub fn goal_svg(site: &Site, m: &Metrics, goal: &str, lang: &str) -> Value {
    let policies = m.goals.get(goal).cloned().unwrap_or_default();
    let mut rows: Vec<(String, bool, Vec<String>)> = Vec::new();
    for (p, inferred) in &policies {
        let mut measures: Vec<String> = m
            .policies
            .get(p)
            .into_iter()
            .flat_map(|by| by.values().flatten().cloned())
            .collect();
        measures.extend(m.undated.get(p).into_iter().flatten().cloned());
        measures.sort();
        measures.dedup();
        rows.push((p.clone(), *inferred, measures));
    }
    let height = rows
        .iter()
        .map(|(_, _, ms)| ms.len().max(1))
        .sum::<usize>()
        .max(1)
        * ROW
        + 10;
    let title = site.title(goal, lang).unwrap_or_default();
    let href = |id: &str| site.href(id, lang).unwrap_or_default();
    let mut body = node(5, 5, goal, &title, &href(goal), "goal");
    let mut desc = Vec::new();
    let mut y = 5;
    for (p, inferred, measures) in &rows {
        let pt = site.title(p, lang).unwrap_or_default();
        let dash = if *inferred {
            " stroke-dasharray=\"5 4\""
        } else {
            ""
        };
        body.push_str(&format!(
            "<line x1=\"{}\" y1=\"18\" x2=\"{}\" y2=\"{}\"{dash}/>",
            COL_W - 15,
            COL_W + 5,
            y + 13
        ));
        body.push_str(&node(COL_W + 5, y, p, &pt, &href(p), "policy"));
        let ms: Vec<String> = measures
            .iter()
            .map(|x| format!("{x} {}", site.title(x, lang).unwrap_or_default()))
            .collect();
        let mut my = y;
        for mid in measures {
            body.push_str(&format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                2 * COL_W - 15,
                y + 13,
                2 * COL_W + 5,
                my + 13
            ));
            body.push_str(&node(
                2 * COL_W + 5,
                my,
                mid,
                &site.title(mid, lang).unwrap_or_default(),
                &href(mid),
                "measure",
            ));
            my += ROW;
        }
        let inf = if *inferred {
            if lang == "ja" {
                "（推定）"
            } else {
                " (inferred)"
            }
        } else {
            ""
        };
        let none = if lang == "ja" {
            "記録された具体的施策なし"
        } else {
            "no recorded measure"
        };
        desc.push(format!(
            "{p} {pt}{inf}: {}",
            if ms.is_empty() {
                none.to_string()
            } else {
                ms.join("; ")
            }
        ));
        y += measures.len().max(1) * ROW;
    }
    let id = escape_html(&format!("diagram-{goal}"));
    let svg = format!(
        "<svg class=\"trace-diagram\" role=\"group\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{t}</title><desc id=\"{id}-d\">{d}</desc>{body}</svg>",
        w = 3 * COL_W,
        t = escape_html(&format!("{goal} {title}")),
        d = escape_html(&desc.join(" / ")),
    );
    json!({ "id": goal, "title": title, "svg": svg, "text": desc })
}
