//! `plansite diff`: temp git repositories holding a copy of the minimal fixture (plus an annual
//! plan written here), a change committed (or left in the working tree), and assertions on the
//! report's content, the JSON and the exit status.

#[macro_use]
mod gitsite;

use gitsite::*;
use std::path::Path;
use std::process::Command;

#[test]
fn base_fixture_is_clean_and_an_empty_change_reports_nothing() {
    need_git!();
    let s = GitSite::new("");
    s.commit("nothing");
    let md = s.report(0, &[]);
    assert!(md.starts_with("<!-- plansite-review -->"), "{md}");
    assert!(
        md.contains("✅ no new errors · no new warnings · 0 fixed · coverage unchanged"),
        "{md}"
    );
    assert!(
        md.contains("| Goals with a policy | 2/2 (100.0%) | 2/2 (100.0%) | = |"),
        "{md}"
    );
    assert!(
        md.contains("| Policies with a recorded FY2008 measure | 2/2 (100.0%)"),
        "{md}"
    );
    let v = s.json(&[]);
    assert_eq!(v["findings"]["new"].as_array().unwrap().len(), 0, "{v}");
}

#[test]
fn added_link_is_shown_from_both_ends() {
    need_git!();
    let s = GitSite::new("");
    s.edit(
        "content/plan/items.yaml",
        "advances: [TP-G1]",
        "advances: [TP-G1, TP-G2]",
    )
    .commit("add link");
    let md = s.report(0, &[]);
    assert!(md.contains("#### Link changes (1)"), "{md}");
    assert!(md.contains("**advances** (+1 −0 ↪0)"), "{md}");
    assert!(
        md.contains("- \\+ `TP-P1` advances `TP-G2` · goal `TP-G2` gained policy `TP-P1`"),
        "{md}"
    );
    assert!(md.contains("  - links:\n    > **advances TP-G2**"), "{md}");
}

#[test]
fn removed_last_link_uncovers_the_goal_with_the_reason() {
    need_git!();
    let s = GitSite::new("");
    s.edit("content/plan/items.yaml", "\n      - TP-G2", "")
        .commit("remove link");
    let md = s.report(0, &[]);
    assert!(
        md.contains("- goal `TP-G2` lost its last policy: link from `TP-P2` removed"),
        "{md}"
    );
    assert!(
        md.contains("- − `TP-P2` advances `TP-G2` · goal `TP-G2` lost policy `TP-P2`"),
        "{md}"
    );
    assert!(md.contains("⚠️ 1 new warning"), "{md}");
    assert!(
        md.contains("coverage: Goals with a policy −50.0 pt"),
        "{md}"
    );
    assert!(
        md.contains("| Goals with a policy | 2/2 (100.0%) | 1/2 (50.0%) | −1 · **−50.0 pt** |"),
        "{md}"
    );
    assert!(
        md.contains("warning[TR101] `content/plan/items.yaml:"),
        "{md}"
    );
    // The same change under stricter gates.
    let md = s.report(1, &["--fail-on", "new-warnings"]);
    assert!(md.contains("gate `new-warnings`: **failed**"), "{md}");
    let md = s.report(1, &["--fail-on", "coverage-drop:5"]);
    assert!(
        md.contains("coverage-drop:5: Goals with a policy fell by 50.0 points"),
        "{md}"
    );
    s.report(0, &["--fail-on", "coverage-drop:60"]);
    let v = s.json(&["--fail-on", "new-errors,coverage-drop:5"]);
    assert_eq!(v["gate"]["failed"], true);
    assert_eq!(
        v["gate"]["fail_on"],
        serde_json::json!(["new-errors", "coverage-drop:5"])
    );
    let u = &v["uncovered"][0];
    assert_eq!(
        (u["id"].as_str(), u["problem"].as_str()),
        (Some("TP-G2"), Some("goal-without-policy"))
    );
    assert_eq!(u["causes"][0]["what"], "link-removed");
}

#[test]
fn retargeted_link_is_one_change() {
    need_git!();
    let s = GitSite::new("");
    s.edit(
        "content/plan/items.yaml",
        "advances: [TP-G1]",
        "advances: [TP-G2]",
    )
    .commit("retarget");
    let md = s.report(0, &[]);
    assert!(md.contains("**advances** (+0 −0 ↪1)"), "{md}");
    assert!(
        md.contains("- ↪ `TP-P1` advances: `TP-G1` → `TP-G2` · goal `TP-G1` lost policy `TP-P1`; goal `TP-G2` gained it"),
        "{md}"
    );
    let v = s.json(&[]);
    let l = &v["links"][0];
    assert_eq!(l["change"], "retargeted");
    assert_eq!(
        (l["old_to"].as_str(), l["to"].as_str()),
        (Some("TP-G1"), Some("TP-G2"))
    );
}

#[test]
fn rename_with_renamed_from_is_a_rename() {
    need_git!();
    let s = GitSite::new("");
    s.edit(
        "content/plan/items.yaml",
        "- id: TP-P2\n",
        "- id: TP-P5\n  renamed_from: [TP-P2]\n",
    )
    .edit(
        "content/sj2008/items.yaml",
        "implements: [TP-P2]",
        "implements: [TP-P5]",
    )
    .edit("content/plan/010-ch1.ja.md", "{#TP-P2}", "{#TP-P5}")
    .edit("content/plan/010-ch1.en.md", "{#TP-P2}", "{#TP-P5}")
    .commit("rename");
    let md = s.report(0, &[]);
    assert!(
        md.contains("- 🔀 renamed policy `TP-P2` → `TP-P5` 人材育成 (`renamed_from`)"),
        "{md}"
    );
    assert!(!md.contains("added policy"), "{md}");
    assert!(!md.contains("removed policy"), "{md}");
    assert!(md.contains("#### Link changes (0)"), "{md}");
    let v = s.json(&[]);
    assert_eq!(v["items"]["renamed"][0]["from"], "TP-P2");
    assert_eq!(v["items"]["renamed"][0]["to"], "TP-P5");
    assert_eq!(v["items"]["added"], serde_json::json!([]));
    assert_eq!(v["items"]["removed"], serde_json::json!([]));
    assert_eq!(v["uncovered"], serde_json::json!([]));
}

#[test]
fn deleted_measure_uncovers_the_policy_for_its_fiscal_year() {
    need_git!();
    let s = GitSite::new("");
    let items = ANNUAL_ITEMS.split("- id: SJ2008-M2").nth(1).unwrap();
    s.write(
        "content/sj2008/items.yaml",
        &format!("- id: SJ2008-M2{items}"),
    )
    .commit("delete measure");
    let md = s.report(0, &[]);
    assert!(
        md.contains("- policy `TP-P1` has no FY2008 measure any more: `SJ2008-M1` removed"),
        "{md}"
    );
    assert!(
        md.contains("- ➖ removed measure `SJ2008-M1` 統一基準を改定する"),
        "{md}"
    );
    assert!(
        md.contains("- − `SJ2008-M1` implements `TP-P1` · policy `TP-P1` lost measure `SJ2008-M1`"),
        "{md}"
    );
    assert!(
        md.contains("| Policies with a recorded FY2008 measure | 2/2 (100.0%) | 1/2 (50.0%)"),
        "{md}"
    );
    assert!(md.contains("warning[TR102]"), "{md}");
}

#[test]
fn japanese_only_change_is_a_translation_impact_with_a_character_diff() {
    need_git!();
    let s = GitSite::new("");
    s.edit(
        "content/plan/010-ch1.ja.md",
        "毎年見直す。",
        "毎年度見直す。",
    )
    .edit(
        "content/plan/items.yaml",
        "統一基準の見直し",
        "統一基準の改定",
    )
    .commit("ja only");
    let md = s.report(0, &[]);
    assert!(md.contains("**Japanese changed, English not**"), "{md}");
    assert!(
        md.contains("- section `TP-1` → `content/plan/010-ch1.en.md`"),
        "{md}"
    );
    assert!(md.contains("- title of `TP-P1`"), "{md}");
    // Character-level: only 度 is new, and only 見直し → 改定 in the title.
    assert!(md.contains("  - prose.ja: 毎年**度**見直す。"), "{md}");
    assert!(
        md.contains("  - body.ja:\n    > 毎年**度**見直す。"),
        "{md}"
    );
    assert!(
        md.contains("  - title.ja: 統一基準の~~見直し~~**改定**"),
        "{md}"
    );
    // The policy's text changed: what links to it must be re-checked.
    assert!(
        md.contains("- policy `TP-P1` (prose.ja, title.ja changed) — re-check: "),
        "{md}"
    );
    assert!(md.contains("measure `SJ2008-M1` (implements)"), "{md}");
    assert!(md.contains("warning[TR106]"), "{md}");
    let v = s.json(&[]);
    let t = v["translation"].as_array().unwrap();
    assert!(
        t.iter()
            .any(|t| t["what"] == "section" && t["id"] == "TP-1" && t["changed"] == "ja"),
        "{v}"
    );
}

#[test]
fn new_error_fails_by_default_and_shows_where() {
    need_git!();
    let s = GitSite::new("");
    s.edit(
        "content/plan/items.yaml",
        "advances: [TP-G1]",
        "advances: [TP-G1, TP-G9]",
    )
    .commit("dangling");
    let md = s.report(1, &[]);
    assert!(md.contains("❌ 1 new error"), "{md}");
    assert!(md.contains("gate `new-errors`: **failed**"), "{md}");
    assert!(
        md.contains("- ❌ error[TR003] `content/plan/items.yaml:"),
        "{md}"
    );
    let gh = s.diff(&["--base", "HEAD~1", "--head", "HEAD", "--format", "github"]);
    assert_eq!(gh.code, 1);
    assert_eq!(gh.stdout.lines().count(), 1, "{}", gh.stdout);
    assert!(
        gh.stdout
            .starts_with("::error file=content/plan/items.yaml,line="),
        "{}",
        gh.stdout
    );
    // Backwards, the error is fixed.
    let r = s.diff(&["--base", "HEAD", "--head", "HEAD~1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1 fixed"), "{}", r.stdout);
    assert!(r.stdout.contains("**Fixed (1)**"), "{}", r.stdout);
    assert!(
        r.stdout.contains("error[TR003] `content/plan/items.yaml:"),
        "{}",
        r.stdout
    );
    // `errors` fails on any error in head, new or not.
    s.commit("unrelated");
    s.report(0, &[]);
    s.report(1, &["--fail-on", "errors"]);
}

#[test]
fn worktree_is_the_default_head_and_paths_are_repo_relative() {
    need_git!();
    let s = GitSite::new("site");
    s.edit(
        "content/plan/items.yaml",
        "advances: [TP-G1]",
        "advances: [TP-G1, TP-G9]",
    );
    let r = s.diff(&["--base", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("→ working tree · site `site`"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("error[TR003] `site/content/plan/items.yaml:"),
        "{}",
        r.stdout
    );
    let r2 = s.diff(&["--base", "HEAD", "--worktree"]);
    assert_eq!(r2.stdout, r.stdout);
    // The working tree is untouched by the export of the base revision.
    let status = s.git(&["status", "--porcelain"]);
    assert_eq!(status.trim(), "M site/content/plan/items.yaml");
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    need_git!();
    let s = GitSite::new("");
    let r = s.diff(&["--base", "no-such-rev"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown revision `no-such-rev`"),
        "{}",
        r.stderr
    );
    let r = s.diff(&["--base", "HEAD", "--fail-on", "sometimes"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown gate `sometimes`"),
        "{}",
        r.stderr
    );
    let r = s.diff(&["--base", "HEAD", "--head", "HEAD", "--worktree"]);
    assert_eq!(r.code, 2, "{}", r.stderr);

    let plain = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
        plain.path(),
    );
    let o = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["diff", "--base", "HEAD", "--root"])
        .arg(plain.path())
        .env("GIT_CEILING_DIRECTORIES", plain.path().parent().unwrap())
        .env_remove("GIT_DIR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("is not inside a git repository"),
        "{stderr}"
    );
}

#[test]
fn json_is_deterministic() {
    need_git!();
    let s = GitSite::new("");
    s.edit("content/plan/items.yaml", "\n      - TP-G2", "")
        .edit(
            "content/plan/010-ch1.ja.md",
            "毎年見直す。",
            "毎年度見直す。",
        )
        .commit("change");
    let args = ["--base", "HEAD~1", "--head", "HEAD", "--format", "json"];
    let (a, b) = (s.diff(&args), s.diff(&args));
    assert_eq!(a.stdout, b.stdout);
    let v: serde_json::Value = serde_json::from_str(&a.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["verdict"]["new_warnings"], 2, "{v}");
    let keys: Vec<&str> = v["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "goals_covered",
            "policies_fy2008",
            "english_fresh",
            "glossary_used"
        ]
    );
    assert_eq!(v["coverage"][0]["delta_pt"], -50.0);
}

#[test]
fn a_huge_change_stays_under_the_comment_limit() {
    need_git!();
    let s = GitSite::new("");
    let mut items = String::new();
    for i in 0..1000 {
        items.push_str(&format!(
            "- id: TP-C{i}\n  kind: concept\n  title: {{ ja: {}, en: {} }}\n",
            "長い題名".repeat(20),
            "long title ".repeat(10)
        ));
    }
    s.write("content/plan/items-concepts.yaml", &items)
        .commit("many");
    let md = s.report(0, &[]);
    assert!(md.chars().count() <= 60_000, "{}", md.chars().count());
    let top: String = md.chars().take(1500).collect();
    assert!(md.contains("This report was shortened"), "{top}");
    assert!(md.contains("more line(s) left out"), "report");
    assert!(
        md.contains("#### Findings"),
        "the last section is still there"
    );
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count()
    );
}
