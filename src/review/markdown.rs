//! The Markdown review report (PR comment and `$GITHUB_STEP_SUMMARY`): verdict, coverage table,
//! then one block per section, long blocks folded in `<details>`, the whole report kept under
//! GitHub's comment limit (blocks are cut fairly, and the report says so).

use super::lines::{findings, impact, items, links, translation, uncovered};
use super::textdiff::escape;
use super::{MARKER, Review};
use std::fmt::Write as _;

/// The report's size cap in characters (GitHub comments stop at 65,536).
pub const CAP: usize = 60_000;
/// Blocks longer than this many lines are folded.
const FOLD: usize = 12;
/// A rendered line longer than this is replaced by a note.
const LONG_LINE: usize = 4_000;

struct Block {
    title: String,
    lines: Vec<String>,
}

fn sign(x: f64) -> String {
    if x > 0.0 {
        format!("+{x:.1}")
    } else if x < 0.0 {
        format!("−{:.1}", -x)
    } else {
        "±0".into()
    }
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

fn verdict(r: &Review) -> String {
    let v = &r.verdict;
    let mut parts: Vec<String> = r
        .head
        .error
        .iter()
        .map(|_| "❌ head cannot be loaded".to_string())
        .collect();
    parts.push(if v.new_errors > 0 {
        format!("❌ {}", plural(v.new_errors, "new error"))
    } else if r.head.error.is_some() {
        "no new errors".to_string()
    } else {
        "✅ no new errors".to_string()
    });
    parts.push(if v.new_warnings > 0 {
        format!("⚠️ {}", plural(v.new_warnings, "new warning"))
    } else {
        "no new warnings".to_string()
    });
    parts.push(format!("{} fixed", v.fixed));
    if v.changed > 0 {
        parts.push(format!("{} changed", v.changed));
    }
    let changed: Vec<String> = r
        .coverage
        .iter()
        .filter(|c| v.coverage_changed.contains(&c.key))
        .map(|c| match (c.base, c.head) {
            (None, Some(h)) => format!("{} new at {:.1}%", c.label, h.percent),
            (Some(b), None) => format!("{} gone (was {:.1}%)", c.label, b.percent),
            _ => format!("{} {} pt", c.label, sign(c.delta_pt.unwrap_or(0.0))),
        })
        .collect();
    parts.push(if r.head.error.is_some() {
        "coverage not compared".into()
    } else if changed.is_empty() {
        "coverage unchanged".into()
    } else {
        format!("coverage: {}", changed.join(", "))
    });
    let gate = if r.gate.failed {
        "**failed**"
    } else {
        "passed"
    };
    format!(
        "**{}** · gate `{}`: {gate}",
        parts.join(" · "),
        r.gate.fail_on.join(",")
    )
}

fn coverage(r: &Review) -> Vec<String> {
    if r.coverage.is_empty() {
        return vec!["not compared (the head could not be loaded)".into()];
    }
    let mut out = vec![
        "| metric | base | head | Δ |".into(),
        "|---|--:|--:|--:|".into(),
    ];
    let cell = |c: &Option<super::Count>| {
        c.map_or("—".into(), |c| {
            format!("{}/{} ({:.1}%)", c.n, c.total, c.percent)
        })
    };
    for row in &r.coverage {
        let delta = match (row.base, row.head, row.delta_pt) {
            (Some(b), Some(h), Some(d)) if d != 0.0 || b.n != h.n => {
                let dn = h.n as i64 - b.n as i64;
                let dn = if dn > 0 {
                    format!("+{dn}")
                } else {
                    format!("{dn}").replace('-', "−")
                };
                format!("{dn} · **{} pt**", sign(d))
            }
            (Some(_), Some(_), _) => "=".into(),
            (None, Some(_), _) => "**new**".into(),
            (Some(_), None, _) => "**gone**".into(),
            _ => "—".into(),
        };
        out.push(format!(
            "| {} | {} | {} | {delta} |",
            row.label,
            cell(&row.base),
            cell(&row.head)
        ));
    }
    out
}

fn chars(lines: &[String]) -> usize {
    lines.iter().map(|l| l.chars().count() + 1).sum()
}

fn render_block(b: &Block) -> String {
    let mut s = format!("#### {}\n\n", b.title);
    if b.lines.is_empty() {
        s.push_str("none\n\n");
    } else if b.lines.len() > FOLD {
        let _ = write!(
            s,
            "<details><summary>Show all ({} lines)</summary>\n\n{}\n\n</details>\n\n",
            b.lines.len(),
            b.lines.join("\n")
        );
    } else {
        let _ = write!(s, "{}\n\n", b.lines.join("\n"));
    }
    s
}

/// Cuts blocks so their total fits `budget` characters: small blocks stay whole, the large ones
/// share the rest equally. Returns whether anything was cut.
fn fit(blocks: &mut [Block], budget: usize) -> bool {
    let sizes: Vec<usize> = blocks
        .iter()
        .map(|b| render_block(b).chars().count())
        .collect();
    if sizes.iter().sum::<usize>() <= budget {
        return false;
    }
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    order.sort_by_key(|&i| sizes[i]);
    let mut left = budget;
    for (k, &i) in order.iter().enumerate() {
        let share = left / (order.len() - k);
        if sizes[i] <= share {
            left -= sizes[i];
            continue;
        }
        let note_len = 120;
        let room = share.saturating_sub(b_overhead(&blocks[i]) + note_len);
        let mut kept = Vec::new();
        for l in &blocks[i].lines {
            if chars(&kept) + l.chars().count() + 1 > room {
                break;
            }
            kept.push(l.clone());
        }
        let cut = blocks[i].lines.len() - kept.len();
        kept.push(format!(
            "- … {cut} more line(s) left out to fit GitHub's comment limit (see `--format json`)"
        ));
        blocks[i].lines = kept;
        left -= render_block(&blocks[i]).chars().count().min(left);
    }
    true
}

fn b_overhead(b: &Block) -> usize {
    b.title.chars().count() + 80
}

/// The report's heading (revisions, site), verdict, gate failures and notes.
fn report_head(r: &Review) -> String {
    let mut head = format!("{MARKER}\n### plansite diff: `{}`", r.base.rev);
    if let Some(c) = &r.base.commit {
        let _ = write!(head, " (`{}`)", &c[..c.len().min(10)]);
    }
    match &r.head.commit {
        Some(c) => {
            let _ = write!(head, " → `{}` (`{}`)", r.head.rev, &c[..c.len().min(10)]);
        }
        None => head.push_str(" → working tree"),
    }
    if r.root != "." {
        let _ = write!(head, " · site `{}`", r.root);
    }
    let _ = write!(head, "\n\n{}\n\n", verdict(r));
    for reason in &r.gate.reasons {
        let _ = writeln!(head, "> gate failed: {}", escape(reason));
    }
    for n in &r.notes {
        let _ = writeln!(head, "> note: {}", escape(n));
    }
    head
}

/// A line too long for a comment is replaced by a note of its length.
fn clean(v: Vec<String>) -> Vec<String> {
    v.into_iter()
        .map(|l| {
            if l.chars().count() > LONG_LINE {
                format!(
                    "    > (a long line changed: {} characters)",
                    l.chars().count()
                )
            } else {
                l
            }
        })
        .collect()
}

/// The report's sections after the coverage table, each with its title.
fn blocks(r: &Review) -> Vec<Block> {
    let c = &r.items;
    vec![
        Block {
            title: format!("Newly uncovered or orphaned ({})", r.uncovered.len()),
            lines: clean(uncovered(r)),
        },
        Block {
            title: format!("Link changes ({})", r.links.len()),
            lines: clean(links(r)),
        },
        Block {
            title: format!(
                "Item changes: {} document(s) · {} added · {} removed · {} renamed · {} modified · \
                 {} section(s)",
                r.documents.len(),
                c.added.len(),
                c.removed.len(),
                c.renamed.len(),
                c.modified.len(),
                r.sections.len()
            ),
            lines: clean(items(r)),
        },
        Block {
            title: format!(
                "Impact: re-check what links to changed goals and policies ({})",
                r.impact.len()
            ),
            lines: clean(impact(r)),
        },
        Block {
            title: format!("Translation impact ({})", r.translation.len()),
            lines: clean(translation(r)),
        },
        Block {
            title: format!(
                "Findings: {} new, {} fixed, {} changed",
                r.findings.new.len(),
                r.findings.fixed.len(),
                r.findings.changed.len()
            ),
            lines: clean(findings(r)),
        },
    ]
}

/// Renders the whole report.
pub fn render(r: &Review) -> String {
    let head = report_head(r);
    let mut blocks = blocks(r);
    let cov = format!("#### Coverage\n\n{}\n\n", coverage(r).join("\n"));
    let notice = "> ⚠️ This report was shortened to stay under GitHub's 65,536-character comment \
                  limit; `plansite diff --format json` has everything.\n";
    let fixed = head.chars().count() + cov.chars().count() + notice.chars().count() + 64;
    let truncated = fit(&mut blocks, CAP.saturating_sub(fixed));
    let mut out = head;
    if truncated {
        out.push_str(notice);
    }
    out.push('\n');
    out.push_str(&cov);
    for b in &blocks {
        out.push_str(&render_block(b));
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
