//! Temporary git repositories holding a copy of the minimal fixture (plus an annual plan
//! written here), for the `plansite diff` tests: commit a change (or leave it in the working
//! tree) and run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A git repository holding a fixture site at `site` (the repo top or a subfolder).
pub struct GitSite {
    pub dir: tempfile::TempDir,
    pub site: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub const ANNUAL_DOC: &str = "id: SJ2008
kind: annual-plan
slug: sj2008
order: 5
title: { ja: セキュア・ジャパン2008, en: Secure Japan 2008 }
fiscal_year: 2008
";

pub const ANNUAL_ITEMS: &str = "- id: SJ2008-M1
  kind: measure
  fiscal_year: 2008
  title: { ja: 統一基準を改定する, en: Revise the Unified Standards }
  links:
    implements: [TP-P1]
- id: SJ2008-M2
  kind: measure
  fiscal_year: 2008
  title: { ja: 専門人材を育成する, en: Train specialists }
  links:
    implements: [TP-P2]
";

/// A second goal advanced by TP-P2 only, so removing that link uncovers it.
pub const GOAL2: &str = "- id: TP-G2
  kind: goal
  title: { ja: 人材を確保する, en: Secure human resources }
";

pub fn git_available() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}

pub fn git_cmd(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir);
    for v in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_CEILING_DIRECTORIES",
    ] {
        c.env_remove(v);
    }
    c
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

impl GitSite {
    /// The minimal fixture plus an FY2008 annual plan and goal TP-G2, committed as the base.
    pub fn new(sub: &str) -> GitSite {
        let dir = tempfile::tempdir().unwrap();
        let site = if sub.is_empty() {
            dir.path().to_path_buf()
        } else {
            dir.path().join(sub)
        };
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
            &site,
        );
        let s = GitSite { dir, site };
        s.write("content/sj2008/document.yaml", ANNUAL_DOC);
        s.write("content/sj2008/items.yaml", ANNUAL_ITEMS);
        s.edit(
            "content/plan/items.yaml",
            "- id: TP-P1",
            &format!("{GOAL2}- id: TP-P1"),
        );
        s.edit(
            "content/plan/items.yaml",
            "note: { ja: 推定, en: inferred by the editors } }",
            "note: { ja: 推定, en: inferred by the editors } }\n      - TP-G2",
        );
        s.git(&["init", "-q"]);
        s.git(&["config", "user.name", "Test"]);
        s.git(&["config", "user.email", "test@example.org"]);
        s.git(&["config", "commit.gpgsign", "false"]);
        s.commit("base");
        s
    }

    pub fn git(&self, args: &[&str]) -> String {
        let o = git_cmd(self.dir.path()).args(args).output().unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn commit(&self, msg: &str) -> &Self {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
        self
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.site.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let p = self.site.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(p, text.replacen(from, to, 1)).unwrap();
        self
    }

    /// `plansite diff --root SITE ARGS`.
    pub fn diff(&self, args: &[&str]) -> Run {
        let o = Command::new(env!("CARGO_BIN_EXE_plansite"))
            .arg("diff")
            .arg("--root")
            .arg(&self.site)
            .args(args)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .output()
            .unwrap();
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// The Markdown report of HEAD~1 → HEAD; asserts the exit status.
    pub fn report(&self, code: i32, extra: &[&str]) -> String {
        let mut args = vec!["--base", "HEAD~1", "--head", "HEAD"];
        args.extend_from_slice(extra);
        let r = self.diff(&args);
        assert_eq!(r.code, code, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
        r.stdout
    }

    pub fn json(&self, extra: &[&str]) -> serde_json::Value {
        let mut args = vec!["--base", "HEAD~1", "--head", "HEAD", "--format", "json"];
        args.extend_from_slice(extra);
        let r = self.diff(&args);
        serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("bad JSON ({e}): {}\n{}", r.stdout, r.stderr))
    }
}

/// Skips a test when `git` is missing, except in CI (`CI=true`), where a missing tool is a
/// failure: a suite that silently skips its review tests must not pass.
macro_rules! need_git {
    () => {
        if !$crate::gitsite::git_available() {
            assert!(
                !$crate::gitsite::in_ci(),
                "`git` is not installed, and CI=true: the diff tests must run in CI"
            );
            eprintln!("SKIP: `git` is not installed");
            return;
        }
    };
}

/// Whether this run is in CI (`CI` set to anything but `false`/`0`/empty).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"))
}
