//! New, fixed and changed findings across two revisions. A finding's identity is its code, the
//! IDs it concerns and its file — not its message and not its line: a TR102 that gains
//! ", FY2009" when a fiscal year is added is the same finding, reported as *changed*, not as one
//! new and one fixed. A finding that names no ID falls back to its message.

use crate::diagnostic::{Diagnostic, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// A finding present on both sides whose message (or severity) changed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChangedFinding {
    /// The base finding (base location).
    pub before: Diagnostic,
    /// The head finding (head location).
    pub after: Diagnostic,
}

/// The outcome of matching base findings with head findings.
#[derive(Debug, Default)]
pub struct Matched {
    /// In head only.
    pub new: Vec<Diagnostic>,
    /// In base only.
    pub fixed: Vec<Diagnostic>,
    /// Same identity, different message.
    pub changed: Vec<ChangedFinding>,
}

type Identity<'a> = (&'a str, Option<&'a str>, Vec<&'a str>, Option<&'a str>);

/// Code, file, sorted IDs (and the message when there is no ID).
fn identity(d: &Diagnostic) -> Identity<'_> {
    let mut ids: Vec<&str> = d.ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    let msg = ids.is_empty().then_some(d.message.as_str());
    (&d.code, d.span.as_ref().map(|s| s.file.as_str()), ids, msg)
}

/// How much a finding counts against a gate: an unwaived error > warning > info > waived.
fn weight(d: &Diagnostic) -> u8 {
    match (d.waived.is_some(), d.severity) {
        (true, _) => 0,
        (false, Severity::Info) => 1,
        (false, Severity::Warning) => 2,
        (false, Severity::Error) => 3,
    }
}

/// Matches findings as multisets: first identical identity and message (unchanged), then
/// identity alone (changed). A changed finding that got worse for the gates (a warning that
/// became an error, a waiver that no longer applies) stays new + fixed, so gates see it.
pub fn matched(base: &[Diagnostic], head: &[Diagnostic]) -> Matched {
    // Base findings by exact key and by identity, as queues of indices (first come first).
    let mut exact: BTreeMap<(Identity<'_>, &str, u8), Vec<usize>> = BTreeMap::new();
    let mut by_id: BTreeMap<Identity<'_>, Vec<usize>> = BTreeMap::new();
    for (i, b) in base.iter().enumerate().rev() {
        exact
            .entry((identity(b), b.message.as_str(), weight(b)))
            .or_default()
            .push(i);
        by_id.entry(identity(b)).or_default().push(i);
    }
    let mut used = vec![false; base.len()];
    let mut rest = Vec::new();
    for h in head {
        let key = (identity(h), h.message.as_str(), weight(h));
        match exact.get_mut(&key).and_then(Vec::pop) {
            Some(i) => used[i] = true,
            None => rest.push(h),
        }
    }
    let mut out = Matched::default();
    for h in rest {
        let queue = by_id.get_mut(&identity(h));
        let pick = queue.and_then(|q| {
            let at = q
                .iter()
                .rposition(|&i| !used[i] && weight(h) <= weight(&base[i]))?;
            Some(q.remove(at))
        });
        match pick {
            Some(i) => {
                used[i] = true;
                out.changed.push(ChangedFinding {
                    before: base[i].clone(),
                    after: h.clone(),
                });
            }
            None => out.new.push(h.clone()),
        }
    }
    out.fixed = base
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(d, _)| d.clone())
        .collect();
    out
}

/// Unwaived findings of a severity.
pub fn count(diags: &[Diagnostic], sev: Severity) -> usize {
    diags
        .iter()
        .filter(|d| d.severity == sev && d.waived.is_none())
        .count()
}
