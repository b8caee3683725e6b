//! Coverage deltas (the `Metrics::summary()` rows, base → head), newly uncovered and orphaned
//! items with the reason (a new fiscal year's gaps included).

use super::snapshot::Snapshot;
use serde::Serialize;
use std::collections::BTreeMap;

/// A count with its total and percentage.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Count {
    /// Covered.
    pub n: usize,
    /// Out of.
    pub total: usize,
    /// `n / total` in percent, one decimal.
    pub percent: f64,
}

/// One coverage metric, base → head.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CoverageRow {
    /// Stable key (`goals_covered`, `policies_fy2008`, `english_fresh`, `glossary_used`).
    pub key: String,
    /// English label.
    pub label: String,
    /// In base (absent when the metric does not exist there, e.g. a new fiscal year).
    pub base: Option<Count>,
    /// In head.
    pub head: Option<Count>,
    /// Change in percentage points, one decimal (when both exist).
    pub delta_pt: Option<f64>,
}

/// Why an item lost coverage: one former link and what happened to it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cause {
    /// The item that used to provide the coverage (policy of a goal, measure of a policy).
    pub id: String,
    /// `removed`, `link-removed`, `retargeted` or `fiscal-year-changed`.
    pub what: String,
    /// The new target or fiscal year, for `retargeted` / `fiscal-year-changed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A newly uncovered or orphaned item.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Uncovered {
    /// Item ID.
    pub id: String,
    /// Item kind.
    pub kind: String,
    /// `goal-without-policy`, `policy-without-measure` (per fiscal year) or `orphaned`.
    pub problem: String,
    /// For `policy-without-measure`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fiscal_year: Option<i32>,
    /// The item is new in head (so nothing was lost; it arrives uncovered).
    pub new_item: bool,
    /// The fiscal year is new in head (its first annual plan arrived without this policy).
    pub new_fiscal_year: bool,
    /// The lost links.
    pub causes: Vec<Cause>,
    /// One readable sentence.
    pub reason: String,
}

/// Summary rows joined by key, in head order (then base-only rows).
pub fn rows(base: &Snapshot, head: &Snapshot) -> Vec<CoverageRow> {
    let count = |r: &(String, String, usize, usize, f64)| Count {
        n: r.2,
        total: r.3,
        percent: r.4,
    };
    let b: BTreeMap<&str, &(String, String, usize, usize, f64)> =
        base.summary.iter().map(|r| (r.0.as_str(), r)).collect();
    let mut out: Vec<CoverageRow> = Vec::new();
    for r in &head.summary {
        let bc = b.get(r.0.as_str()).map(|x| count(x));
        let hc = count(r);
        out.push(CoverageRow {
            key: r.0.clone(),
            label: r.1.clone(),
            base: bc,
            head: Some(hc),
            delta_pt: bc.map(|bc| ((hc.percent - bc.percent) * 10.0).round() / 10.0),
        });
    }
    let head_keys: Vec<&str> = head.summary.iter().map(|r| r.0.as_str()).collect();
    for r in base
        .summary
        .iter()
        .filter(|r| !head_keys.contains(&r.0.as_str()))
    {
        out.push(CoverageRow {
            key: r.0.clone(),
            label: r.1.clone(),
            base: Some(count(r)),
            head: None,
            delta_pt: None,
        });
    }
    out
}

fn cause_of_policy(base: &Snapshot, head: &Snapshot, policy: &str, goal: &str) -> Cause {
    let (what, detail) = if !head.items.contains_key(policy) {
        ("removed", None)
    } else {
        let now: Vec<&str> = head
            .links
            .keys()
            .filter(|(f, k, _)| f == policy && k == "advances")
            .map(|(_, _, t)| t.as_str())
            .filter(|t| {
                *t != goal
                    && !base
                        .links
                        .contains_key(&(policy.into(), "advances".into(), t.to_string()))
            })
            .collect();
        match now.first() {
            Some(t) => ("retargeted", Some(t.to_string())),
            None => ("link-removed", None),
        }
    };
    Cause {
        id: policy.into(),
        what: what.into(),
        detail,
    }
}

fn cause_of_measure(head: &Snapshot, measure: &str, policy: &str, year: i32) -> Cause {
    let (what, detail) = match head.items.get(measure) {
        None => ("removed", None),
        Some(m) if m.fiscal_year != Some(year) => (
            "fiscal-year-changed",
            Some(m.fiscal_year.map_or("none".into(), |y| format!("FY{y}"))),
        ),
        Some(_) => {
            let to: Vec<&str> = head
                .links
                .keys()
                .filter(|(f, k, _)| f == measure && k == "implements")
                .map(|(_, _, t)| t.as_str())
                .filter(|t| *t != policy)
                .collect();
            match to.first() {
                Some(t) => ("retargeted", Some(t.to_string())),
                None => ("link-removed", None),
            }
        }
    };
    Cause {
        id: measure.into(),
        what: what.into(),
        detail,
    }
}

/// Renders causes as "`P1` removed; `P2` link removed".
pub fn describe(causes: &[Cause], target: &str) -> String {
    causes
        .iter()
        .map(|c| match (c.what.as_str(), &c.detail) {
            ("removed", _) => format!("{} removed", c.id),
            ("retargeted", Some(d)) => format!("{} now links to {d} instead", c.id),
            ("fiscal-year-changed", Some(d)) => format!("{} moved to {d}", c.id),
            _ => format!("link from {} to {target} removed", c.id),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Policies that advanced a goal in base and advance none in head (TR005 reports the error;
/// this says which links went and why).
fn policies_without_goal(base: &Snapshot, head: &Snapshot, out: &mut Vec<Uncovered>) {
    let advances = |s: &Snapshot, p: &str| -> Vec<String> {
        s.links
            .keys()
            .filter(|(f, k, _)| f == p && k == "advances")
            .map(|(_, _, t)| t.clone())
            .collect()
    };
    for (p, _) in head.items.iter().filter(|(_, i)| i.kind == "policy") {
        let had = advances(base, p);
        if had.is_empty() || !advances(head, p).is_empty() {
            continue;
        }
        let causes: Vec<Cause> = had
            .iter()
            .map(|g| Cause {
                id: g.clone(),
                what: if head.items.contains_key(g) {
                    "link-removed"
                } else {
                    "removed"
                }
                .into(),
                detail: Some(format!("{p} advances {g}")),
            })
            .collect();
        let lost: Vec<String> = causes
            .iter()
            .map(|c| match c.what.as_str() {
                "removed" => format!("goal {} removed", c.id),
                _ => format!("link to {} removed", c.id),
            })
            .collect();
        out.push(Uncovered {
            id: p.clone(),
            kind: "policy".into(),
            problem: "policy-without-goal".into(),
            fiscal_year: None,
            new_item: false,
            new_fiscal_year: false,
            reason: format!("policy {p} lost its last goal: {}", lost.join("; ")),
            causes,
        });
    }
}

/// Goals that lost their last policy, policies that lost their last goal or their last measure
/// of a fiscal year (or have none in a new fiscal year), new goals and policies that arrive uncovered, and items that lost every typed link.
pub fn uncovered(base: &Snapshot, head: &Snapshot) -> Vec<Uncovered> {
    let mut out = Vec::new();
    goals_without_policy(base, head, &mut out);
    policies_without_goal(base, head, &mut out);
    policies_without_measure(base, head, &mut out);
    orphaned(base, head, &mut out);
    out
}

/// Goals that lost their last policy, and new goals that have none.
fn goals_without_policy(base: &Snapshot, head: &Snapshot, out: &mut Vec<Uncovered>) {
    for (g, _) in head.goals.iter().filter(|(_, ps)| ps.is_empty()) {
        let before = base.goals.get(g);
        if before.is_some_and(Vec::is_empty) {
            continue;
        }
        let causes: Vec<Cause> = before
            .into_iter()
            .flatten()
            .map(|p| cause_of_policy(base, head, p, g))
            .collect();
        let reason = if before.is_none() {
            format!("new goal {g} has no policy")
        } else {
            format!("goal {g} lost its last policy: {}", describe(&causes, g))
        };
        out.push(Uncovered {
            id: g.clone(),
            kind: "goal".into(),
            problem: "goal-without-policy".into(),
            fiscal_year: None,
            new_item: before.is_none(),
            new_fiscal_year: false,
            causes,
            reason,
        });
    }
}

/// Policies with no measure in a fiscal year of the head that had one before, and new
/// policies or new fiscal years without one.
fn policies_without_measure(base: &Snapshot, head: &Snapshot, out: &mut Vec<Uncovered>) {
    for (p, by) in &head.policies {
        let before = base.policies.get(p);
        for y in &head.years {
            if by.get(y).is_some_and(|v| !v.is_empty()) {
                continue;
            }
            let had: Vec<&String> = before
                .and_then(|b| b.get(y))
                .into_iter()
                .flatten()
                .collect();
            let new_year = !base.years.contains(y);
            if before.is_some() && had.is_empty() && !new_year {
                continue; // no change: it had none before either
            }
            let causes: Vec<Cause> = had
                .iter()
                .map(|m| cause_of_measure(head, m, p, *y))
                .collect();
            let reason = if before.is_none() {
                format!("new policy {p} has no FY{y} measure")
            } else if new_year {
                format!("{p} has no measure in the new fiscal year FY{y}")
            } else {
                format!(
                    "{p} has no FY{y} measure any more: {}",
                    describe(&causes, p)
                )
            };
            out.push(Uncovered {
                id: p.clone(),
                kind: "policy".into(),
                problem: "policy-without-measure".into(),
                fiscal_year: Some(*y),
                new_item: before.is_none(),
                new_fiscal_year: new_year,
                causes,
                reason,
            });
        }
    }
}

/// Items of both revisions, not already reported, that lost every typed link (terms aside).
fn orphaned(base: &Snapshot, head: &Snapshot, out: &mut Vec<Uncovered>) {
    let linked = |s: &Snapshot, id: &str| {
        s.links
            .keys()
            .any(|(f, k, t)| k != "cites" && (f == id || t == id))
    };
    for (id, it) in &head.items {
        if out.iter().any(|u| u.id == *id) || !base.items.contains_key(id) {
            continue;
        }
        if linked(base, id) && !linked(head, id) && it.kind != "term" {
            let causes: Vec<Cause> = base
                .links
                .keys()
                .filter(|(f, k, t)| k != "cites" && (f == id || t == id))
                .map(|(f, k, t)| Cause {
                    id: if f == id { t.clone() } else { f.clone() },
                    what: "link-removed".into(),
                    detail: Some(format!("{f} {k} {t}")),
                })
                .collect();
            let lost: Vec<&str> = causes.iter().filter_map(|c| c.detail.as_deref()).collect();
            out.push(Uncovered {
                id: id.clone(),
                kind: it.kind.clone(),
                problem: "orphaned".into(),
                fiscal_year: None,
                new_item: false,
                new_fiscal_year: false,
                reason: format!("{id} lost every typed link: {} removed", lost.join(", ")),
                causes,
            });
        }
    }
}
