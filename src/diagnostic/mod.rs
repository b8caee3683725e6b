//! The one `Diagnostic` type every stage reports with, and the source positions it points at.
//!
//! Renderers for terminals, JSON, GitHub annotations and SARIF live in the submodules; the
//! review report reuses the same values.

mod fold;
mod render;
pub use fold::{declared_yaml_ids, fold_follow_ons};
pub use render::{render_github, render_human, render_json, render_sarif};

use serde::Serialize;
use std::fmt;

/// How serious a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: shown, never fails a run.
    Info,
    /// Fails only under `--deny warnings`.
    Warning,
    /// Fails the run (exit status 1).
    Error,
}

impl Severity {
    /// Parses `error`, `warning`, `info` (as written in `plansite.toml`).
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "note" => Some(Severity::Info),
            _ => None,
        }
    }

    /// The lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

pub use crate::source::Span;

/// One finding: what is wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Severity after configuration overrides.
    pub severity: Severity,
    /// Stable code such as `TR003`.
    pub code: String,
    /// What is wrong, one sentence.
    pub message: String,
    /// Where; `None` only for findings about the whole site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Other places involved (e.g. the first definition of a duplicate ID).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Span>,
    /// IDs the finding is about, for reports and waivers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// Set when a waiver in the content accepts this finding; it stays visible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<String>,
    /// IDs whose absence this finding explains (those a file that failed to load declares).
    #[serde(skip)]
    pub explains: Vec<String>,
    /// Findings that follow from this one and are hidden under it (see [`fold_follow_ons`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub follow_ons: Vec<Diagnostic>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, message)
    }

    /// A new warning.
    pub fn warning(code: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, message)
    }

    /// A new finding of any severity.
    pub fn new(severity: Severity, code: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            span: None,
            hint: None,
            related: Vec::new(),
            ids: Vec::new(),
            waived: None,
            explains: Vec::new(),
            follow_ons: Vec::new(),
        }
    }

    /// Attaches the primary location.
    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    /// Attaches a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a related location.
    pub fn related(mut self, span: Span) -> Diagnostic {
        self.related.push(span);
        self
    }

    /// Records the IDs involved.
    pub fn ids<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Diagnostic {
        self.ids.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Records the IDs whose absence this finding explains.
    pub fn explains<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Diagnostic {
        self.explains.extend(ids.into_iter().map(Into::into));
        self
    }

    /// The note shown under a root cause, if findings were folded under it.
    pub fn follow_on_note(&self) -> Option<String> {
        (!self.follow_ons.is_empty()).then(|| {
            format!(
                "{} follow-on finding(s) hidden: they come from this one; fix this first",
                self.follow_ons.len()
            )
        })
    }

    /// Whether this finding fails a run (an unwaived error).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error && self.waived.is_none()
    }

    /// Sort key: file, line, column, code, message — so every output is deterministic.
    fn sort_key(&self) -> (Option<&Span>, &str, &str) {
        (self.span.as_ref(), &self.code, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(span) = &self.span {
            write!(f, "{span}: ")?;
        }
        write!(
            f,
            "{}[{}]: {}",
            self.severity.as_str(),
            self.code,
            self.message
        )
    }
}

/// Sorts findings into their canonical order and drops exact duplicates.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

/// Counts of findings by severity (waived findings are counted apart).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Unwaived errors.
    pub errors: usize,
    /// Unwaived warnings.
    pub warnings: usize,
    /// Informational findings.
    pub infos: usize,
    /// Findings accepted by a waiver.
    pub waived: usize,
}

impl Summary {
    /// Tallies a list of findings.
    pub fn of(diags: &[Diagnostic]) -> Summary {
        let mut s = Summary::default();
        for d in diags {
            if d.waived.is_some() {
                s.waived += 1;
                continue;
            }
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

/// The hint of a cross-reference to an unknown ID until a "did you mean" replaces it.
pub const CROSS_REF_HINT: &str = "cross-references name a document, section or item ID";

/// How many unknown cross-references get a "did you mean" (the first ones in report order).
pub const SUGGESTED: usize = 100;

/// Replaces the generic hint of the first [`SUGGESTED`] shown unknown cross-references with
/// the nearest of `ids` (a fixed number, in report order, so the output stays deterministic
/// and the cost bounded however many references dangle).
pub fn suggest_names<'a>(diags: &mut [Diagnostic], ids: impl Fn() -> Vec<&'a str>) {
    let wanted = diags
        .iter_mut()
        .filter(|d| d.code == "TR003" && d.hint.as_deref() == Some(CROSS_REF_HINT))
        .take(SUGGESTED);
    let mut all: Option<Vec<&str>> = None;
    for d in wanted {
        let Some(target) = d.ids.first() else {
            continue;
        };
        let all = all.get_or_insert_with(&ids);
        if let Some(hint) = did_you_mean(&nearest(target, all.iter().copied())) {
            d.hint = Some(hint);
        }
    }
}

/// Edit distance, for "did you mean" hints.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The edit distance of `a` and `b` if it is at most `limit` (stops at the first row that
/// cannot get back under it).
fn within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        if cur.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= limit)
}

/// The candidates nearest to `word` (at most three, closest first), if any is close enough.
/// Cheap per candidate (a length check, then a distance that stops once it is too far), since
/// a site with many dangling references asks this of every ID many times.
pub fn nearest<'a, I: IntoIterator<Item = &'a str>>(word: &str, candidates: I) -> Vec<&'a str> {
    let word: Vec<char> = word.to_ascii_lowercase().chars().collect();
    let limit = (word.len() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(word.len()) <= limit)
        .filter_map(|c| {
            let other: Vec<char> = c.to_ascii_lowercase().chars().collect();
            within(&word, &other, limit).map(|d| (d, c))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// "did you mean `A`, `B`?" for the nearest candidates, or `None` when none is close.
pub fn did_you_mean<S: AsRef<str>>(near: &[S]) -> Option<String> {
    if near.is_empty() {
        return None;
    }
    let list: Vec<String> = near.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    Some(format!("did you mean {}?", list.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_unknown_references_get_a_suggestion_and_each_its_own() {
        let unknown = |id: &str| {
            let mut d = Diagnostic::error("TR003", "x").hint(CROSS_REF_HINT);
            d.ids = vec![id.to_string()];
            d
        };
        let mut diags: Vec<Diagnostic> = (0..SUGGESTED + 5).map(|_| unknown("BP1-GA-P9")).collect();
        diags[0] = unknown("FP1-C9");
        suggest_names(&mut diags, || vec!["BP1-GA-P1", "FP1-C1"]);
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `FP1-C1`?"));
        assert_eq!(diags[1].hint.as_deref(), Some("did you mean `BP1-GA-P1`?"));
        assert_eq!(
            diags[SUGGESTED - 1].hint.as_deref(),
            Some("did you mean `BP1-GA-P1`?")
        );
        assert_eq!(diags[SUGGESTED].hint.as_deref(), Some(CROSS_REF_HINT));
    }

    #[test]
    fn nearest_suggests_close_names_only() {
        assert_eq!(nearest("titel", ["title", "slug", "status"]), vec!["title"]);
        assert!(nearest("zzzzzz", ["title", "slug"]).is_empty());
        assert_eq!(
            nearest("BP1-GA-P6", ["BP1-GA-P5", "BP1-LG-P1", "FP1-C1"])[0],
            "BP1-GA-P5"
        );
    }

    #[test]
    fn sorting_is_by_location_then_code() {
        let mut v = vec![
            Diagnostic::error("TR003", "b").at(Span::new("b.md", 1, 1)),
            Diagnostic::error("TR001", "a").at(Span::new("a.md", 9, 1)),
            Diagnostic::error("TR001", "a").at(Span::new("a.md", 2, 5)),
            Diagnostic::error("TR001", "a").at(Span::new("a.md", 2, 5)),
        ];
        sort_and_dedup(&mut v);
        let order: Vec<String> = v
            .iter()
            .map(|d| d.span.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(order, ["a.md:2:5", "a.md:9:1", "b.md:1:1"]);
    }
}
