//! `plansite diff`: the pull-request review of a plan change. Both revisions are read straight
//! from git (no checkout), compiled with [`crate::build::compile`], matched by ID (and explicit
//! `renamed_from`, never by title), and compared: coverage deltas, newly uncovered items with
//! the reason, link changes from both ends, field-level item changes, the impact list,
//! translation impact, and new/fixed findings. Rendered as Markdown (PR comment), JSON or GitHub
//! annotations; [`Review::gate_failed`] is the exit status `main` uses.

mod compare;
mod coverage;
mod documents;
mod fields;
mod findings;
mod gate;
mod git;
mod lines;
mod markdown;
mod snapshot;
pub mod textdiff;

pub use compare::{
    Impact, ItemChange, ItemChanges, ItemRef, LinkChange, Rename, SectionChange, TranslationImpact,
};
pub use coverage::{Cause, Count, CoverageRow, Uncovered};
pub use documents::DocumentChange;
pub use fields::FieldChange;
pub use findings::ChangedFinding;
pub use gate::Gate;
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
    /// Why it could not be loaded (no `plansite.toml`, an invalid one); a head that cannot be
    /// loaded fails the review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
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
    /// Findings on both sides whose message changed (same code, IDs and file).
    pub changed: usize,
    /// Keys of the coverage rows whose percentage changed, or that appeared or disappeared
    /// (a fiscal year added or removed).
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
    /// In head, not in base (matched by code + IDs + file, see [`findings`]).
    pub new: Vec<Diagnostic>,
    /// In base, not in head (locations are base locations).
    pub fixed: Vec<Diagnostic>,
    /// On both sides with a different message.
    pub changed: Vec<ChangedFinding>,
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
    /// Documents added, removed or modified.
    pub documents: Vec<DocumentChange>,
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

    /// GitHub workflow annotations for the new findings only, then one error annotation per
    /// failed gate that no finding shows (a head that cannot be loaded, a coverage drop).
    pub fn to_github(&self) -> String {
        use std::fmt::Write as _;
        let mut s = crate::diagnostic::render_github(&self.findings.new);
        let own = |r: &&String| r.starts_with(HEAD_FAILED) || r.starts_with("coverage-drop");
        for r in self.gate.reasons.iter().filter(own) {
            let text = r
                .replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A");
            let _ = writeln!(s, "::error title=plansite diff::{text}");
        }
        s
    }

    /// The Markdown report (PR comment / step summary), at most 60,000 characters (below
    /// GitHub's comment limit).
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }
}

/// The marker that identifies the report's PR comment (the workflow updates that comment).
pub const MARKER: &str = "<!-- plansite-review -->";

/// The gate reason of a head that cannot be loaded starts with this.
pub(crate) const HEAD_FAILED: &str = "head cannot be loaded";

/// One compiled side; `problem` says why it could not be loaded at all.
struct Side {
    snap: Snapshot,
    problem: Option<String>,
}

fn compile_side(
    repo: &Repo,
    root: &std::path::Path,
    commit: Option<&str>,
    label: &str,
) -> Result<Side, ReviewError> {
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
                return Ok(Side {
                    snap: Snapshot::empty(Vec::new(), false),
                    problem: Some(format!(
                        "{label} has no plansite.toml at `{at}` (is --root the site root?)"
                    )),
                });
            }
            tmp.path().to_path_buf()
        }
        None => root.to_path_buf(),
    };
    // A site without content compiles to "everything removed": that is a broken revision, not
    // a change that fixes every finding.
    if dir.join("plansite.toml").is_file() && !dir.join("content").is_dir() {
        return Ok(Side {
            snap: Snapshot::empty(Vec::new(), false),
            problem: Some(format!(
                "{label} has no content/ folder next to plansite.toml"
            )),
        });
    }
    // Findings and the graph are all the review needs, not HTML.
    let opts = Options {
        html: crate::build::Html::Never,
        ..Options::new(&dir)
    };
    match compile(&opts) {
        Ok((site, diags)) => Ok(Side {
            snap: Snapshot::of(&site, diags),
            problem: None,
        }),
        Err(CompileError::Invalid(diags, _)) => {
            let why: Vec<String> = diags.iter().take(3).map(|d| d.message.clone()).collect();
            Ok(Side {
                snap: Snapshot::empty(diags, false),
                problem: Some(format!(
                    "{label} could not be compiled (invalid plansite.toml: {})",
                    why.join("; ")
                )),
            })
        }
        Err(CompileError::NoConfig(_)) => Ok(Side {
            snap: Snapshot::empty(Vec::new(), false),
            problem: Some(format!(
                "{label} has no plansite.toml at `{}` (is --root the site root?)",
                root.display()
            )),
        }),
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
    let (b, h) = (b?, h?);
    // A base that cannot be loaded leaves nothing to compare against: a usage error (exit 2).
    if let Some(p) = b.problem {
        return Err(ReviewError::Usage(format!(
            "the base cannot be loaded: {p}; nothing to compare against"
        )));
    }
    let (mut base, head) = (b.snap, h.snap);
    let renames = snapshot::renames(&base, &head);
    base.apply_renames(&renames);
    let findings = compare_findings(&repo, &base, &head, h.problem.is_some());
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
            error: None,
        },
        head: Revision {
            rev: opts.head.clone().unwrap_or_else(|| "WORKTREE".into()),
            commit: head_commit,
            compiled: head.compiled,
            error: h.problem.clone(),
        },
        verdict: Verdict::default(),
        gate: GateResult {
            fail_on: opts.fail_on.iter().map(ToString::to_string).collect(),
            failed: false,
            reasons: Vec::new(),
        },
        coverage: Vec::new(),
        uncovered: Vec::new(),
        links: Vec::new(),
        items: ItemChanges::default(),
        documents: Vec::new(),
        sections: Vec::new(),
        impact: Vec::new(),
        translation: Vec::new(),
        findings,
        notes: Vec::new(),
        default_language: head.default_language.clone(),
    };
    if base.compiled && head.compiled {
        compare_structure(&mut review, &base, &head, &renames);
    }
    review.verdict = verdict(&review);
    gate::evaluate(&mut review, &head.findings, &opts.fail_on);
    Ok(review)
}

/// New, fixed and changed findings, with repository-relative paths. A head that cannot be
/// loaded (`head_failed`) fixes nothing: its own findings (if any) are all new.
fn compare_findings(repo: &Repo, base: &Snapshot, head: &Snapshot, head_failed: bool) -> Findings {
    let m = if head_failed {
        findings::Matched {
            new: head.findings.clone(),
            ..findings::Matched::default()
        }
    } else {
        findings::matched(&base.findings, &head.findings)
    };
    let rel = |v: Vec<Diagnostic>| -> Vec<Diagnostic> {
        v.into_iter().map(|d| repo_relative(repo, d)).collect()
    };
    let changed = m
        .changed
        .into_iter()
        .map(|c| ChangedFinding {
            before: repo_relative(repo, c.before),
            after: repo_relative(repo, c.after),
        })
        .collect();
    Findings {
        new: rel(m.new),
        fixed: rel(m.fixed),
        changed,
    }
}

/// The structural comparison of two compiled sides.
fn compare_structure(
    r: &mut Review,
    base: &Snapshot,
    head: &Snapshot,
    renames: &std::collections::BTreeMap<String, String>,
) {
    r.coverage = coverage::rows(base, head);
    r.uncovered = coverage::uncovered(base, head);
    r.links = compare::links(base, head);
    r.items = compare::items(base, head, renames);
    r.documents = documents::compare(&base.documents, &head.documents, &head.default_language);
    r.sections = compare::sections(base, head);
    r.impact = compare::impact(head, &r.items.modified);
    r.translation = compare::translation(base, head);
}

/// The verdict counts, from the same lists the JSON carries (so they always agree).
fn verdict(r: &Review) -> Verdict {
    let new = &r.findings.new;
    Verdict {
        new_errors: findings::count(new, Severity::Error),
        new_warnings: findings::count(new, Severity::Warning),
        new_infos: findings::count(new, Severity::Info),
        new_waived: new.iter().filter(|d| d.waived.is_some()).count(),
        fixed: r.findings.fixed.len(),
        changed: r.findings.changed.len(),
        // A metric that appears or disappears (a fiscal year added or removed) changed too.
        coverage_changed: r
            .coverage
            .iter()
            .filter(|c| c.base.is_none() || c.head.is_none() || c.delta_pt != Some(0.0))
            .map(|c| c.key.clone())
            .collect(),
    }
}
