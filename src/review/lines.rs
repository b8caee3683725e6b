//! The lines of each report section after the coverage table (uncovered items, link changes,
//! item and section changes with inline diffs, impact, translation impact, findings), as
//! Markdown list lines; `markdown` folds and fits them.

use super::Review;
use super::compare::LinkChange;
use super::fields::FieldChange;
use super::textdiff::{self, escape};
use crate::diagnostic::{Diagnostic, Severity};

/// Changed lines shown per multi-line field.
const FIELD_LINES: usize = 12;

fn id(s: &str) -> String {
    format!("`{s}`")
}

fn lang_name(l: &str) -> String {
    match l {
        "ja" => "Japanese".into(),
        "en" => "English".into(),
        _ => format!("`{l}`"),
    }
}

fn title(t: &str) -> String {
    let short: String = t.chars().take(60).collect();
    let more = if t.chars().count() > 60 { "…" } else { "" };
    escape(&format!("{short}{more}"))
}

/// Policies listed inline before a new fiscal year's gaps fold into `<details>`.
const INLINE_IDS: usize = 8;

/// One line per new fiscal year: the policies without a measure in it (folded when long).
fn new_year_gaps(r: &Review) -> Vec<String> {
    let mut years: Vec<i32> = r
        .uncovered
        .iter()
        .filter(|u| u.new_fiscal_year)
        .filter_map(|u| u.fiscal_year)
        .collect();
    years.dedup();
    years
        .into_iter()
        .map(|y| {
            let ids: Vec<String> = r
                .uncovered
                .iter()
                .filter(|u| u.new_fiscal_year && u.fiscal_year == Some(y))
                .map(|u| id(&u.id))
                .collect();
            let head = format!(
                "- FY{y} is a new fiscal year: {} {} no FY{y} measure",
                ids.len(),
                if ids.len() == 1 {
                    "policy has"
                } else {
                    "policies have"
                }
            );
            if ids.len() <= INLINE_IDS {
                format!("{head}: {}", ids.join(", "))
            } else {
                format!(
                    "{head} <details><summary>show the {} policies</summary>{}</details>",
                    ids.len(),
                    ids.join(", ")
                )
            }
        })
        .collect()
}

/// Section 3: newly uncovered or orphaned items, each with its reason; a new fiscal year's
/// gaps are grouped into one line per year.
pub fn uncovered(r: &Review) -> Vec<String> {
    let mut out = new_year_gaps(r);
    out.extend(r.uncovered.iter().filter(|u| !u.new_fiscal_year).map(|u| {
        let what = match u.problem.as_str() {
            "goal-without-policy" if u.new_item => {
                format!("new goal {} has no policy", id(&u.id))
            }
            "goal-without-policy" => format!("goal {} lost its last policy", id(&u.id)),
            "policy-without-goal" => format!("policy {} lost its last goal", id(&u.id)),
            "policy-without-measure" if u.new_item => format!(
                "new policy {} has no FY{} measure",
                id(&u.id),
                u.fiscal_year.unwrap_or_default()
            ),
            "policy-without-measure" => format!(
                "{} {} has no FY{} measure any more",
                u.kind,
                id(&u.id),
                u.fiscal_year.unwrap_or_default()
            ),
            _ => format!("{} {} is orphaned", u.kind, id(&u.id)),
        };
        let why = u
            .causes
            .iter()
            .map(|c| match (c.what.as_str(), &c.detail) {
                ("removed", _) => format!("{} removed", id(&c.id)),
                ("retargeted", Some(d)) => {
                    format!("{} now links to {} instead", id(&c.id), id(d))
                }
                ("fiscal-year-changed", Some(d)) => format!("{} moved to {d}", id(&c.id)),
                ("link-removed", Some(d)) => format!("{} removed", id(d)),
                _ => format!("link from {} removed", id(&c.id)),
            })
            .collect::<Vec<_>>()
            .join("; ");
        if why.is_empty() {
            format!("- {what}")
        } else {
            format!("- {what}: {why}")
        }
    }));
    out
}

fn link_line(l: &LinkChange) -> String {
    let (f, k, t) = (id(&l.from), &l.kind, id(&l.to));
    match (l.change.as_str(), &l.old_to) {
        ("retargeted", Some(old)) => format!(
            "- ↪ {f} {k}: {} → {t} · {} {} lost {} {f}; {} {t} gained it",
            id(old),
            l.old_to_kind.as_deref().unwrap_or(""),
            id(old),
            l.from_kind,
            l.to_kind
        ),
        ("added", _) => format!(
            "- \\+ {f} {k} {t} · {} {t} gained {} {f}",
            l.to_kind, l.from_kind
        ),
        _ => format!(
            "- − {f} {k} {t} · {} {t} lost {} {f}",
            l.to_kind, l.from_kind
        ),
    }
}

/// Section 4: link changes grouped by kind, each shown from both ends.
pub fn links(r: &Review) -> Vec<String> {
    let mut out = Vec::new();
    let mut kinds: Vec<&str> = r.links.iter().map(|l| l.kind.as_str()).collect();
    kinds.dedup();
    for k in kinds {
        let of: Vec<&LinkChange> = r.links.iter().filter(|l| l.kind == k).collect();
        let n = |c: &str| of.iter().filter(|l| l.change == c).count();
        out.push(format!(
            "**{k}** (+{} −{} ↪{})",
            n("added"),
            n("removed"),
            n("retargeted")
        ));
        out.push(String::new());
        out.extend(of.iter().map(|l| link_line(l)));
        out.push(String::new());
    }
    out.pop();
    out
}

fn field_lines(f: &FieldChange, default_lang: &str, out: &mut Vec<String>) {
    let lang = f.field.rsplit_once('.').map_or_else(
        || {
            let text = f.after.as_deref().or(f.before.as_deref()).unwrap_or("");
            if text.chars().any(crate::markdown::is_cjk) {
                default_lang
            } else {
                "en"
            }
        },
        |(_, l)| l,
    );
    let (b, a) = (
        f.before.as_deref().unwrap_or(""),
        f.after.as_deref().unwrap_or(""),
    );
    if !b.contains('\n') && !a.contains('\n') {
        out.push(format!("  - {}: {}", f.field, textdiff::inline(b, a, lang)));
        return;
    }
    out.push(format!("  - {}:", f.field));
    let (lines, left) = textdiff::lines(b, a, lang, FIELD_LINES);
    out.extend(lines.into_iter().map(|l| format!("    > {l}")));
    if left > 0 {
        out.push(format!("    > … {left} more changed line(s)"));
    }
}

/// Section 5: items added, removed, renamed and modified (field-level inline diffs), then
/// changed sections.
pub fn items(r: &Review) -> Vec<String> {
    let c = &r.items;
    let mut out = Vec::new();
    for d in &r.documents {
        let (icon, what) = match d.change.as_str() {
            "added" => ("📚", "added"),
            "removed" => ("🗑️", "removed"),
            _ => ("📝", "modified"),
        };
        let fy = d.fiscal_year.map_or(String::new(), |y| format!(" (FY{y})"));
        out.push(format!(
            "- {icon} {what} document {} {}{fy} {} (`{}`)",
            d.kind,
            id(&d.id),
            title(&d.title),
            d.folder
        ));
        for f in &d.fields {
            field_lines(f, &r.default_language, &mut out);
        }
    }
    for i in &c.added {
        out.push(format!(
            "- ➕ added {} {} {}",
            i.kind,
            id(&i.id),
            title(&i.title)
        ));
    }
    for i in &c.removed {
        out.push(format!(
            "- ➖ removed {} {} {}",
            i.kind,
            id(&i.id),
            title(&i.title)
        ));
    }
    for i in &c.renamed {
        out.push(format!(
            "- 🔀 renamed {} {} → {} {} (`renamed_from`)",
            i.kind,
            id(&i.from),
            id(&i.to),
            title(&i.title)
        ));
    }
    for m in &c.modified {
        out.push(format!(
            "- ✏️ modified {} {} {}",
            m.item.kind,
            id(&m.item.id),
            title(&m.item.title)
        ));
        for f in &m.fields {
            field_lines(f, &r.default_language, &mut out);
        }
    }
    for s in &r.sections {
        let files: Vec<String> = s.files.iter().map(|f| id(f)).collect();
        out.push(format!(
            "- 📄 {} section {} ({})",
            s.change,
            id(&s.id),
            files.join(", ")
        ));
        if s.change == "modified" {
            for f in &s.fields {
                field_lines(f, &r.default_language, &mut out);
            }
        }
    }
    out
}

/// Section 6: changed goals and policies with what links to them.
pub fn impact(r: &Review) -> Vec<String> {
    r.impact
        .iter()
        .map(|i| {
            let recheck = if i.recheck.is_empty() {
                "nothing links to it".to_string()
            } else {
                i.recheck
                    .iter()
                    .map(|(from, kind, link)| format!("{kind} {} ({link})", id(from)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "- {} {} ({} changed) — re-check: {recheck}",
                i.item.kind,
                id(&i.item.id),
                i.changed.join(", ")
            )
        })
        .collect()
}

/// Section 7: texts changed in one language only, grouped by language pair.
pub fn translation(r: &Review) -> Vec<String> {
    let mut out = Vec::new();
    let mut groups: Vec<(&str, &str)> = r
        .translation
        .iter()
        .map(|t| (t.changed.as_str(), t.unchanged.as_str()))
        .collect();
    groups.sort_by_key(|(c, u)| (*c != r.default_language, *c, *u));
    groups.dedup();
    for (changed, unchanged) in groups {
        let advice = if changed == r.default_language {
            "update the translation (and `translated_from` for sections)"
        } else {
            "check it still matches the source text"
        };
        out.push(format!(
            "**{} changed, {} not** — {advice}:",
            lang_name(changed),
            lang_name(unchanged)
        ));
        out.push(String::new());
        for t in r
            .translation
            .iter()
            .filter(|t| t.changed == changed && t.unchanged == unchanged)
        {
            out.push(match &t.file {
                Some(f) => format!("- {} {} → {}", t.what, id(&t.id), id(f)),
                None => format!("- {} of {}", t.what, id(&t.id)),
            });
        }
        out.push(String::new());
    }
    out.pop();
    out
}

fn finding(d: &Diagnostic, side: &str) -> String {
    let icon = match (d.severity, d.waived.is_some()) {
        (_, true) => "💤",
        (Severity::Error, _) => "❌",
        (Severity::Warning, _) => "⚠️",
        (Severity::Info, _) => "ℹ️",
    };
    let at = d
        .span
        .as_ref()
        .map_or(String::new(), |s| format!(" `{}:{}`{side}", s.file, s.line));
    let waived = d
        .waived
        .as_ref()
        .map_or(String::new(), |w| format!(" (waived: {})", escape(w)));
    let msg = d.message.replace('\n', " ");
    format!(
        "- {icon} {}[{}]{at} — {msg}{waived}",
        d.severity.as_str(),
        d.code
    )
}

/// Section 8: new and fixed findings with `path:line`, unwaived errors first.
pub fn findings(r: &Review) -> Vec<String> {
    let mut new: Vec<&Diagnostic> = r.findings.new.iter().collect();
    new.sort_by_key(|d| std::cmp::Reverse((d.waived.is_none(), d.severity)));
    let mut out = vec![format!("**New ({})**", new.len()), String::new()];
    out.extend(new.into_iter().map(|d| finding(d, "")));
    out.extend([
        String::new(),
        format!("**Fixed ({})**", r.findings.fixed.len()),
        String::new(),
    ]);
    out.extend(r.findings.fixed.iter().map(|d| finding(d, " (base)")));
    if !r.findings.changed.is_empty() {
        out.extend([
            String::new(),
            format!(
                "**Changed ({})** — the same finding (code, IDs, file), reworded",
                r.findings.changed.len()
            ),
            String::new(),
        ]);
        out.extend(r.findings.changed.iter().map(|c| {
            let was = c.before.message.replace('\n', " ");
            format!("{} (was: {was})", finding(&c.after, ""))
        }));
    }
    out
}
