//! The `--fail-on` gates of `plansite diff` and their evaluation: every reason is one sentence
//! in the report, the JSON and (for what no finding shows) a GitHub annotation.

use super::{HEAD_FAILED, Review, findings};
use crate::diagnostic::{Diagnostic, Severity};

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

pub(super) fn evaluate(r: &mut Review, head_findings: &[Diagnostic], gates: &[Gate]) {
    let mut reasons = Vec::new();
    if let Some(e) = &r.head.error {
        reasons.push(format!("{HEAD_FAILED}: {e}"));
    }
    let v = &r.verdict;
    for g in gates {
        match g {
            Gate::Errors => {
                let n = findings::count(head_findings, Severity::Error);
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
                    // A metric that disappears (an annual plan removed) lost all it covered.
                    if let (Some(b), None) = (row.base, row.head)
                        && b.percent > *n
                    {
                        reasons.push(format!(
                            "coverage-drop:{n}: {} is gone (was {:.1}%)",
                            row.label, b.percent
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
