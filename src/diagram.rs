//! One SVG per goal (goal → policies → measures), generated at build time with no JavaScript
//! and no external tool; every diagram carries a text alternative. The SVG holds links, so it
//! is a `group` labelled by its title and description (an `img` role would hide the links).
//!
//! The layout is a narrow tree (goal on top, policies indented below it, measures below their
//! policy) 340 units wide, so that it is drawn about 1:1 both in a phone's column and in the
//! dashboard's grid of diagrams: labels are wrapped, never cut, at the body text size. An
//! inferred link is dashed and its box has a dashed border and a marker, so it does not depend
//! on colour.

use crate::markdown::{ROOT, escape_html, is_cjk};
use crate::metrics::Metrics;
use crate::site::Site;
use serde_json::{Value, json};

/// Width of the drawing in SVG units (≈ CSS pixels at the intended size).
const W: usize = 340;
/// Font size and line height of the labels.
const FONT: usize = 16;
const LINE: usize = 22;
/// Indent per tree level and the gap between boxes.
const INDENT: usize = 26;
const GAP: usize = 10;

/// Width of one character in SVG units at 16 units a line, on the wide side of common
/// sans-serif fonts (DejaVu Sans is among the widest): a full-width character 16 (1em), a
/// capital 12, a space 5, other ASCII 10.
fn char_w(c: char) -> usize {
    if is_cjk(c) || !c.is_ascii() {
        FONT
    } else if c.is_ascii_uppercase() {
        12
    } else if c == ' ' {
        5
    } else {
        10
    }
}

/// Greedy line wrapping within `max` units: Japanese may break between any two characters,
/// other text at spaces (a word longer than a line is split).
pub(crate) fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for c in text.chars() {
        let joins = !is_cjk(c)
            && c != ' '
            && tokens
                .last()
                .and_then(|t| t.chars().last())
                .is_some_and(|p| !is_cjk(p) && p != ' ');
        match tokens.last_mut() {
            Some(t) if joins => t.push(c),
            _ => tokens.push(c.to_string()),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut used = 0;
    for tok in tokens {
        let w: usize = tok.chars().map(char_w).sum();
        if used + w > max && !cur.trim().is_empty() {
            lines.push(cur.trim_end().to_string());
            cur.clear();
            used = 0;
        }
        if tok == " " && cur.is_empty() {
            continue;
        }
        for c in tok.chars() {
            // Kinsoku: closing brackets and punctuation never start a line.
            let closing = "）)」』、。・，．：；！？ー".contains(c);
            if used + char_w(c) > max && !cur.is_empty() && !closing {
                lines.push(std::mem::take(&mut cur));
                used = 0;
            }
            cur.push(c);
            used += char_w(c);
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim_end().to_string());
    }
    lines
}

/// One linked box with a wrapped label at (x, y); returns its markup and height.
fn node(x: usize, y: usize, label: &str, tip: &str, href: &str, class: &str) -> (String, usize) {
    let width = W - x - 2;
    let lines = wrap(label, width - 16);
    let h = lines.len() * LINE + 12;
    let mut text = format!("<text x=\"{}\" y=\"{}\">", x + 8, y + 6 + FONT);
    for (k, l) in lines.iter().enumerate() {
        let dy = if k == 0 { 0 } else { LINE };
        text.push_str(&format!(
            "<tspan x=\"{}\" dy=\"{dy}\">{}</tspan>",
            x + 8,
            escape_html(l)
        ));
    }
    text.push_str("</text>");
    let svg = format!(
        "<a href=\"{ROOT}{}\"><title>{}</title><rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{h}\" rx=\"4\"/>{text}</a>",
        escape_html(href),
        escape_html(tip),
    );
    (svg, h)
}

/// The connector from a parent's trunk at `x` down to the middle of a child box: the part of
/// the trunk since the previous child and the stub, dashed when the link is inferred.
fn elbow(x: usize, from_y: usize, to_y: usize, inferred: bool) -> String {
    let class = if inferred { "link inferred" } else { "link" };
    format!(
        "<path class=\"{class}\" d=\"M{x} {from_y}V{to_y}H{}\"/>",
        x + INDENT - 2
    )
}

/// The policies of a goal with their measures (sorted, deduplicated).
fn rows(m: &Metrics, goal: &str) -> Vec<(String, bool, Vec<String>)> {
    let policies = m.goals.get(goal).cloned().unwrap_or_default();
    policies
        .into_iter()
        .map(|(p, inferred)| {
            let mut measures: Vec<String> = m
                .policies
                .get(&p)
                .into_iter()
                .flat_map(|by| by.values().flatten().cloned())
                .collect();
            measures.extend(m.undated.get(&p).into_iter().flatten().cloned());
            measures.sort();
            measures.dedup();
            (p, inferred, measures)
        })
        .collect()
}

/// The words a diagram shows besides the items' titles (the theme's, in the page language).
pub struct Labels<'a> {
    /// Appended to the label of a policy the source does not link to the goal (`（推定）`).
    pub inferred: &'a str,
    /// Said of a policy without a recorded measure, in the text alternative.
    pub no_measure: &'a str,
}

/// The diagram of one goal, with its text alternative.
pub fn goal_svg(site: &Site, m: &Metrics, goal: &str, lang: &str, words: &Labels<'_>) -> Value {
    let title = site.title(goal, lang).unwrap_or_default();
    let page = |id: &str| Site::item_page_href(id, lang);
    let tip = |id: &str, t: &str| format!("{t} ({id})");
    let (mut body, gh) = node(0, 0, &title, &tip(goal, &title), &page(goal), "goal");
    let (inf_mark, none) = (words.inferred, words.no_measure);
    let mut desc = Vec::new();
    let mut y = gh + GAP;
    let mut trunk = gh;
    for (p, inferred, measures) in rows(m, goal) {
        let pt = site.title(&p, lang).unwrap_or_default();
        let label = if inferred {
            format!("{pt}{inf_mark}")
        } else {
            pt.clone()
        };
        let class = if inferred {
            "policy inferred"
        } else {
            "policy"
        };
        let (svg, ph) = node(INDENT, y, &label, &tip(&p, &label), &page(&p), class);
        body.push_str(&elbow(INDENT / 2, trunk, y + LINE / 2 + 6, inferred));
        body.push_str(&svg);
        trunk = y + LINE / 2 + 6;
        let mut my = y + ph + GAP;
        let mut mtrunk = y + ph;
        let mut ms = Vec::new();
        for mid in &measures {
            let mt = site.title(mid, lang).unwrap_or_default();
            let (svg, mh) = node(2 * INDENT, my, &mt, &tip(mid, &mt), &page(mid), "measure");
            body.push_str(&elbow(
                INDENT + INDENT / 2,
                mtrunk,
                my + LINE / 2 + 6,
                false,
            ));
            body.push_str(&svg);
            mtrunk = my + LINE / 2 + 6;
            my += mh + GAP;
            ms.push(mt);
        }
        desc.push(format!(
            "{label}: {}",
            if ms.is_empty() {
                none.to_string()
            } else {
                ms.join("; ")
            }
        ));
        y = my;
    }
    let height = y.max(gh + GAP);
    let id = escape_html(&format!("diagram-{goal}"));
    let svg = format!(
        "<svg class=\"trace-diagram\" role=\"group\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"-1 -1 {w} {h}\" width=\"{w}\" height=\"{h}\" font-size=\"{FONT}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{t}</title><desc id=\"{id}-d\">{d}</desc>{body}</svg>",
        w = W + 2,
        h = height + 2,
        t = escape_html(&title),
        d = escape_html(&desc.join(" / ")),
    );
    json!({
        "id": goal,
        "title": title,
        "href": format!("{ROOT}{}", page(goal)),
        "svg": svg,
        "text": desc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_character_and_fits() {
        let ja = "政府機関・地方公共団体における情報セキュリティ対策の強化";
        let lines = wrap(ja, 160);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), ja);
        assert!(
            lines
                .iter()
                .all(|l| l.chars().map(char_w).sum::<usize>() <= 160)
        );
        let en = "Strengthening information security measures of government agencies";
        let lines = wrap(en, 160);
        assert_eq!(lines.join(" "), en);
        assert!(lines.iter().all(|l| !l.starts_with(' ')));
    }
}
