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

/// The candidates nearest to `word` (at most three, closest first), if any is close enough.
pub fn nearest<'a, I: IntoIterator<Item = &'a str>>(word: &str, candidates: I) -> Vec<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| {
            (
                levenshtein(&word.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
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
