//! `plansite diff`: the pull-request review of a plan change. Both revisions are read straight
//! from git (no checkout), compiled with [`crate::build::compile`], matched by ID (and explicit
//! `renamed_from`, never by title), and compared: coverage deltas, newly uncovered items with
//! the reason, link changes from both ends, field-level item changes, the impact list,
//! translation impact, and new/fixed findings. Rendered as Markdown (PR comment), JSON or GitHub
//! annotations; [`Review::gate_failed`] is the exit status `main` uses.

mod compare;
mod coverage;
mod git;
mod lines;
mod markdown;
mod snapshot;
pub mod textdiff;

pub use compare::{
    FieldChange, Impact, ItemChange, ItemChanges, ItemRef, LinkChange, Rename, SectionChange,
    TranslationImpact,
};
pub use coverage::{Cause, Count, CoverageRow, Uncovered};
pub use git::Repo;

use crate::build::{CompileError, Options, compile};
use crate::diagnostic::{Diagnostic, Severity};
use serde::Serialize;
use snapshot::Snapshot;
use std::path::PathBuf;

/// Why no review could be made. Both are usage-level failures (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// Not a git repository, unknown revision, no site at the root, …
    #[error("{0}")]
    Usage(String),
    /// Git or the file system failed.
    #[error("{0}")]
    Io(String),
}

/// A `--fail-on` gate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gate {
    /// Any unwaived error in head.
    Errors,
    /// Any unwaived error new in head (the default).
    NewErrors,
    /// Any unwaived error or warning new in head.
    NewWarnings,
    /// Any coverage percentage falling by more than this many points.
    CoverageDrop(f64),
}

impl std::str::FromStr for Gate {
    type Err = String;

    fn from_str(s: &str) -> Result<Gate, String> {
        match s {
            "errors" => Ok(Gate::Errors),
            "new-errors" => Ok(Gate::NewErrors),
            "new-warnings" => Ok(Gate::NewWarnings),
            _ => match s.strip_prefix("coverage-drop:").map(str::parse::<f64>) {
                Some(Ok(n)) if n.is_finite() && n >= 0.0 => Ok(Gate::CoverageDrop(n)),
                _ => Err(format!(
                    "unknown gate `{s}`: expected errors, new-errors, new-warnings or \
                     coverage-drop:N (N = percentage points, e.g. coverage-drop:5)"
                )),
            },
        }
    }
}

impl std::fmt::Display for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Gate::Errors => f.write_str("errors"),
            Gate::NewErrors => f.write_str("new-errors"),
            Gate::NewWarnings => f.write_str("new-warnings"),
            Gate::CoverageDrop(n) => write!(f, "coverage-drop:{n}"),
        }
    }
}

/// What to compare.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// Site root (inside a git working tree).
    pub root: PathBuf,
    /// Base revision.
    pub base: String,
    /// Head revision; `None` compares the working tree (uncommitted files included).
    pub head: Option<String>,
    /// Gates; the run fails when any fails.
    pub fail_on: Vec<Gate>,
}

/// One compared revision.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    /// As given (`origin/main`), or `WORKTREE`.
    pub rev: String,
    /// The full commit ID (none for the working tree).
    pub commit: Option<String>,
    /// Whether it compiled (when false, only its findings are compared).
    pub compiled: bool,
}

/// The counts of the verdict line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verdict {
    /// Unwaived errors new in head.
    pub new_errors: usize,
    /// Unwaived warnings new in head.
    pub new_warnings: usize,
    /// Informational findings new in head.
    pub new_infos: usize,
    /// New findings accepted by a waiver.
    pub new_waived: usize,
    /// Base findings gone in head.
    pub fixed: usize,
    /// Keys of the coverage rows whose percentage changed.
    pub coverage_changed: Vec<String>,
}

/// The outcome of the `--fail-on` gates.
#[derive(Debug, Clone, Serialize)]
pub struct GateResult {
    /// The gates, as written.
    pub fail_on: Vec<String>,
    /// Whether any gate failed (exit status 1).
    pub failed: bool,
    /// One sentence per failed gate.
    pub reasons: Vec<String>,
}

/// New and fixed findings, paths relative to the repository top.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Findings {
    /// In head, not in base (matched by code + message + file).
    pub new: Vec<Diagnostic>,
    /// In base, not in head (locations are base locations).
    pub fixed: Vec<Diagnostic>,
}

/// The whole review; its JSON form is the stable schema (`version` 1).
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// Schema version.
    pub version: u32,
    /// The site root inside the repository (`.` for the top).
    pub root: String,
    /// Base revision.
    pub base: Revision,
    /// Head revision.
    pub head: Revision,
    /// The verdict counts.
    pub verdict: Verdict,
    /// Gate outcome.
    pub gate: GateResult,
    /// Coverage metrics base → head.
    pub coverage: Vec<CoverageRow>,
    /// Newly uncovered or orphaned items.
    pub uncovered: Vec<Uncovered>,
    /// Typed link changes, by kind then source.
    pub links: Vec<LinkChange>,
    /// Item changes.
    pub items: ItemChanges,
    /// Section changes.
    pub sections: Vec<SectionChange>,
    /// Changed goals and policies with what links to them.
    pub impact: Vec<Impact>,
    /// Texts changed in one language only.
    pub translation: Vec<TranslationImpact>,
    /// New and fixed findings.
    pub findings: Findings,
    /// Remarks about the comparison itself (a side without a site, a side that did not compile).
    pub notes: Vec<String>,
    /// The site's default language.
    pub default_language: String,
}

impl Review {
    /// Whether the run fails (exit status 1).
    pub fn gate_failed(&self) -> bool {
        self.gate.failed
    }

    /// Stable, sorted, pretty JSON.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// GitHub workflow annotations for the new findings only.
    pub fn to_github(&self) -> String {
        crate::diagnostic::render_github(&self.findings.new)
    }

    /// The Markdown report (PR comment / step summary), at most 60,000 characters (below
    /// GitHub's comment limit).
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }
}

/// The marker that identifies the report's PR comment (the workflow updates that comment).
pub const MARKER: &str = "<!-- plansite-review -->";

fn compile_side(
    repo: &Repo,
    root: &std::path::Path,
    commit: Option<&str>,
    label: &str,
) -> Result<(Snapshot, Option<String>), ReviewError> {
    let tmp;
    let dir = match commit {
        Some(c) => {
            tmp = git::TempDir::new()
                .map_err(|e| ReviewError::Io(format!("cannot create a temporary folder: {e}")))?;
            if !repo.export(c, tmp.path())? {
                let at = if repo.prefix.is_empty() {
                    "."
                } else {
                    &repo.prefix
                };
                return Ok((
                    Snapshot::empty(Vec::new(), true),
                    Some(format!(
                        "{label} has no plansite.toml at `{at}`: everything is new"
                    )),
                ));
            }
            tmp.path().to_path_buf()
        }
        None => root.to_path_buf(),
    };
    // Findings and the graph are all the review needs, not HTML.
    let opts = Options {
        html: crate::build::Html::Never,
        ..Options::new(&dir)
    };
    match compile(&opts) {
        Ok((site, diags)) => Ok((Snapshot::of(&site, diags), None)),
        Err(CompileError::Invalid(diags, _)) => Ok((
            Snapshot::empty(diags, false),
            Some(format!(
                "{label} could not be compiled (invalid plansite.toml): only findings are compared"
            )),
        )),
        Err(CompileError::NoConfig(_)) => Err(ReviewError::Usage(format!(
            "no plansite.toml in {label} at `{}`: is --root the site root?",
            root.display()
        ))),
        Err(CompileError::Io(p, e)) => Err(ReviewError::Io(format!(
            "{label}: cannot read {}: {e}",
            p.display()
        ))),
    }
}

fn repo_relative(repo: &Repo, mut d: Diagnostic) -> Diagnostic {
    if let Some(s) = d.span.as_mut() {
        s.file = repo.repo_path(&s.file);
    }
    for s in &mut d.related {
        s.file = repo.repo_path(&s.file);
    }
    d
}

/// Compares `opts.base` with `opts.head` (or the working tree) and evaluates the gates.
pub fn diff(opts: &DiffOptions) -> Result<Review, ReviewError> {
    let repo = Repo::discover(&opts.root)?;
    let base_commit = repo.resolve(&opts.base)?;
    let head_commit = opts.head.as_deref().map(|h| repo.resolve(h)).transpose()?;
    let head_label = opts.head.as_deref().unwrap_or("the working tree");
    let (b, h) = rayon::join(
        || compile_side(&repo, &opts.root, Some(&base_commit), &opts.base),
        || compile_side(&repo, &opts.root, head_commit.as_deref(), head_label),
    );
    let ((mut base, base_note), (head, head_note)) = (b?, h?);
    let notes: Vec<String> = base_note.into_iter().chain(head_note).collect();
    let structural = base.compiled && head.compiled;
    let renames = snapshot::renames(&base, &head);
    base.apply_renames(&renames);
    let (new, fixed) = coverage::findings(&base.findings, &head.findings);
    let mut review = Review {
        version: 1,
        root: if repo.prefix.is_empty() {
            ".".into()
        } else {
            repo.prefix.clone()
        },
        base: Revision {
            rev: opts.base.clone(),
            commit: Some(base_commit),
            compiled: base.compiled,
        },
        head: Revision {
            rev: opts.head.clone().unwrap_or_else(|| "WORKTREE".into()),
            commit: head_commit,
            compiled: head.compiled,
        },
        verdict: Verdict {
            new_errors: coverage::count(&new, Severity::Error),
            new_warnings: coverage::count(&new, Severity::Warning),
            new_infos: coverage::count(&new, Severity::Info),
            new_waived: new.iter().filter(|d| d.waived.is_some()).count(),
            fixed: fixed.len(),
            coverage_changed: Vec::new(),
        },
        gate: GateResult {
            fail_on: opts.fail_on.iter().map(ToString::to_string).collect(),
            failed: false,
            reasons: Vec::new(),
        },
        coverage: Vec::new(),
        uncovered: Vec::new(),
        links: Vec::new(),
        items: ItemChanges::default(),
        sections: Vec::new(),
        impact: Vec::new(),
        translation: Vec::new(),
        findings: Findings {
            new: new.into_iter().map(|d| repo_relative(&repo, d)).collect(),
            fixed: fixed.into_iter().map(|d| repo_relative(&repo, d)).collect(),
        },
        notes,
        default_language: head.default_language.clone(),
    };
    if structural {
        review.coverage = coverage::rows(&base, &head);
        review.uncovered = coverage::uncovered(&base, &head);
        review.links = compare::links(&base, &head);
        review.items = compare::items(&base, &head, &renames);
        review.sections = compare::sections(&base, &head);
        review.impact = compare::impact(&head, &review.items.modified);
        review.translation = compare::translation(&base, &head);
        review.verdict.coverage_changed = review
            .coverage
            .iter()
            .filter(|r| r.delta_pt.is_some_and(|d| d != 0.0))
            .map(|r| r.key.clone())
            .collect();
    }
    evaluate(&mut review, &head.findings, &opts.fail_on);
    Ok(review)
}

fn evaluate(r: &mut Review, head_findings: &[Diagnostic], gates: &[Gate]) {
    let mut reasons = Vec::new();
    let v = &r.verdict;
    for g in gates {
        match g {
            Gate::Errors => {
                let n = coverage::count(head_findings, Severity::Error);
                if n > 0 {
                    reasons.push(format!("errors: head has {n} error(s)"));
                }
            }
            Gate::NewErrors if v.new_errors > 0 => {
                reasons.push(format!("new-errors: {} new error(s)", v.new_errors));
            }
            Gate::NewWarnings if v.new_errors + v.new_warnings > 0 => reasons.push(format!(
                "new-warnings: {} new error(s), {} new warning(s)",
                v.new_errors, v.new_warnings
            )),
            Gate::CoverageDrop(n) => {
                for row in &r.coverage {
                    if let Some(d) = row.delta_pt.filter(|d| -d > *n) {
                        reasons.push(format!(
                            "coverage-drop:{n}: {} fell by {:.1} points",
                            row.label, -d
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    r.gate.failed = !reasons.is_empty();
    r.gate.reasons = reasons;
}
