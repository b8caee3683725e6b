//! `plansite diff` tells the truth about a change: a head that cannot be loaded fails, a base
//! that cannot be loaded is a usage error, a new fiscal year is a coverage change with its gaps
//! listed, reworded findings are "changed" (not new + fixed), documents are reported as such,
//! and the verdict line, the gates and the JSON agree.

#[macro_use]
mod gitsite;

use gitsite::*;

/// An FY2009 annual plan with one measure, implementing TP-P1 only.
const SJ2009_DOC: &str = "id: SJ2009
kind: annual-plan
slug: sj2009
order: 6
title: { ja: セキュア・ジャパン2009, en: Secure Japan 2009 }
decided: 2009-06-22
fiscal_year: 2009
";

const SJ2009_ITEMS: &str = "- id: SJ2009-M1
  kind: measure
  fiscal_year: 2009
  title: { ja: 統一基準を再改定する, en: Revise the Unified Standards again }
  links:
    implements: [TP-P1]
";

/// The base fixture without SJ2008-M2, so TP-P2 already has a TR102 ("no measure in FY2008").
fn site_with_a_gap() -> GitSite {
    let s = GitSite::new("");
    let m1 = ANNUAL_ITEMS.split("- id: SJ2008-M2").next().unwrap();
    s.write("content/sj2008/items.yaml", m1)
        .commit("TP-P2 has no measure");
    s
}

/// The three formats agree with each other for HEAD~1 → HEAD under `gates`: the same exit
/// status, the verdict line made of the JSON's counts, the gate's outcome and reasons.
fn assert_formats_agree(s: &GitSite, gates: &[&str]) {
    let run = |format: &str| {
        let mut args = vec!["--base", "HEAD~1", "--head", "HEAD", "--format", format];
        args.extend_from_slice(gates);
        s.diff(&args)
    };
    let (md, json, gh) = (run("markdown"), run("json"), run("github"));
    assert_eq!(md.code, json.code, "{}", md.stdout);
    assert_eq!(md.code, gh.code, "{}", gh.stdout);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let failed = v["gate"]["failed"].as_bool().unwrap();
    assert_eq!(failed, md.code == 1, "{v}");
    let line = md.stdout.lines().find(|l| l.starts_with("**")).unwrap();
    assert_eq!(line.ends_with(": **failed**"), failed, "{line}");
    let n = |k: &str| v["verdict"][k].as_u64().unwrap();
    let errors = match n("new_errors") {
        0 => "no new errors".to_string(),
        1 => "❌ 1 new error".to_string(),
        k => format!("❌ {k} new errors"),
    };
    assert!(line.contains(&errors), "{line} vs {v}");
    let warnings = match n("new_warnings") {
        0 => "no new warnings".to_string(),
        1 => "⚠️ 1 new warning".to_string(),
        k => format!("⚠️ {k} new warnings"),
    };
    assert!(line.contains(&warnings), "{line} vs {v}");
    assert!(
        line.contains(&format!(" {} fixed", n("fixed"))),
        "{line} vs {v}"
    );
    if n("changed") > 0 {
        assert!(
            line.contains(&format!(" {} changed", n("changed"))),
            "{line}"
        );
    }
    let cov = v["verdict"]["coverage_changed"].as_array().unwrap();
    assert_eq!(
        cov.is_empty(),
        line.contains("coverage unchanged") || line.contains("coverage not compared"),
        "{line}"
    );
    for r in v["gate"]["reasons"].as_array().unwrap() {
        let r = r.as_str().unwrap();
        assert!(md.stdout.contains("> gate failed: "), "{}", md.stdout);
        if r.starts_with("head cannot") || r.starts_with("coverage-drop") {
            assert!(
                gh.stdout.contains("::error title=plansite diff::"),
                "{}",
                gh.stdout
            );
        }
    }
}

fn add_sj2009(s: &GitSite) {
    s.write("content/sj2009/document.yaml", SJ2009_DOC)
        .write("content/sj2009/items.yaml", SJ2009_ITEMS)
        .commit("add Secure Japan 2009");
}

#[test]
fn head_without_plansite_toml_fails_in_every_format() {
    need_git!();
    let s = GitSite::new("");
    s.git(&["rm", "-q", "plansite.toml"]);
    s.commit("remove the config");
    let gates = ["--fail-on", "errors,new-errors,coverage-drop:1"];
    let md = s.report(1, &gates);
    assert!(
        md.contains("gate `errors,new-errors,coverage-drop:1`: **failed**"),
        "{md}"
    );
    assert!(
        md.contains("> gate failed: head cannot be loaded: HEAD has no plansite.toml at \\`.\\`"),
        "{md}"
    );
    assert!(
        md.contains(
            "**❌ head cannot be loaded · no new errors · no new warnings · 0 fixed · \
             coverage not compared** · gate"
        ),
        "nothing is fixed by a broken head: {md}"
    );
    let v = s.json(&gates);
    assert_eq!(v["gate"]["failed"], true, "{v}");
    assert_eq!(v["head"]["compiled"], false, "{v}");
    assert!(
        v["head"]["error"]
            .as_str()
            .unwrap()
            .contains("no plansite.toml"),
        "{v}"
    );
    assert_eq!(v["verdict"]["fixed"], 0, "{v}");
    let gh = s.diff(&["--base", "HEAD~1", "--head", "HEAD", "--format", "github"]);
    assert_eq!(gh.code, 1, "{}", gh.stderr);
    assert!(
        gh.stdout
            .contains("::error title=plansite diff::head cannot be loaded: "),
        "{}",
        gh.stdout
    );
}

#[test]
fn head_without_content_fails_instead_of_fixing_everything() {
    need_git!();
    let s = GitSite::new("");
    s.git(&["rm", "-q", "-r", "content"]);
    s.commit("remove the content");
    let md = s.report(1, &["--fail-on", "coverage-drop:1"]);
    assert!(
        md.contains("head cannot be loaded: HEAD has no content/ folder next to plansite.toml"),
        "{md}"
    );
    assert!(md.contains(" 0 fixed"), "{md}");
    assert_formats_agree(&s, &["--fail-on", "coverage-drop:1"]);
}

#[test]
fn head_with_an_invalid_plansite_toml_fails() {
    need_git!();
    let s = GitSite::new("");
    s.write("plansite.toml", "base_url = [\n")
        .commit("break the config");
    let md = s.report(1, &["--fail-on", "coverage-drop:50"]);
    assert!(
        md.contains("head cannot be loaded: HEAD could not be compiled"),
        "{md}"
    );
}

#[test]
fn base_that_cannot_be_loaded_is_a_usage_error() {
    need_git!();
    let s = GitSite::new("");
    s.git(&["rm", "-q", "plansite.toml"]);
    s.commit("no config");
    // Backwards: the base is the broken revision.
    let r = s.diff(&["--base", "HEAD", "--head", "HEAD~1"]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("the base cannot be loaded"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn a_folder_that_is_not_a_site_is_not_a_passed_gate() {
    need_git!();
    let s = GitSite::new("");
    s.write("notes/readme.txt", "not a site\n").commit("notes");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["diff", "--base", "HEAD~1", "--head", "HEAD", "--root"])
        .arg(s.site.join("notes"))
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    // Neither side has a site there: the base cannot be loaded, a usage error.
    assert_eq!(o.status.code(), Some(2), "{out}\n{err}");
    assert!(!out.contains("passed"), "{out}");
    assert!(err.contains("no plansite.toml at `notes`"), "{err}");
}

#[test]
fn a_new_fiscal_year_is_a_coverage_change_with_its_gaps_listed() {
    need_git!();
    let s = site_with_a_gap();
    add_sj2009(&s);
    // TP-P2's TR102 gains ", FY2009": the same finding, changed — so new-warnings passes.
    let md = s.report(0, &["--fail-on", "new-warnings"]);
    assert!(
        md.contains(
            "**✅ no new errors · no new warnings · 0 fixed · 1 changed · coverage: Policies \
             with a recorded FY2009 measure new at 50.0%** · gate `new-warnings`: passed"
        ),
        "{md}"
    );
    assert!(
        md.contains("| Policies with a recorded FY2009 measure | — | 1/2 (50.0%) | **new** |"),
        "{md}"
    );
    assert!(
        md.contains("- FY2009 is a new fiscal year: 1 policy has no FY2009 measure: `TP-P2`"),
        "{md}"
    );
    assert!(
        md.contains(
            "- 📚 added document annual-plan `SJ2009` (FY2009) セキュア・ジャパン2009 \
             (`content/sj2009`)"
        ),
        "{md}"
    );
    assert!(md.contains("**Changed (1)**"), "{md}");
    assert!(
        md.contains("policy `TP-P2` has no recorded measure in FY2008, FY2009 (was: policy `TP-P2` has no recorded measure in FY2008)"),
        "{md}"
    );
    let v = s.json(&["--fail-on", "new-warnings"]);
    assert_eq!(
        v["verdict"]["coverage_changed"],
        serde_json::json!(["policies_fy2009"])
    );
    assert_eq!(v["verdict"]["new_warnings"], 0, "{v}");
    assert_eq!(v["verdict"]["changed"], 1, "{v}");
    assert_eq!(v["verdict"]["fixed"], 0, "{v}");
    assert_eq!(v["gate"]["failed"], false, "{v}");
    assert_eq!(v["documents"][0]["id"], "SJ2009", "{v}");
    assert_eq!(v["documents"][0]["change"], "added", "{v}");
    assert_eq!(v["documents"][0]["kind"], "annual-plan", "{v}");
    assert_eq!(v["documents"][0]["fiscal_year"], 2009, "{v}");
    let gaps: Vec<&str> = v["uncovered"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["new_fiscal_year"] == true)
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(gaps, ["TP-P2"], "{v}");
    for gates in [
        &["--fail-on", "new-warnings"][..],
        &["--fail-on", "coverage-drop:0"],
        &["--fail-on", "errors,new-errors"],
    ] {
        assert_formats_agree(&s, gates);
    }
}

#[test]
fn a_removed_fiscal_year_is_reported_and_its_document_too() {
    need_git!();
    let s = site_with_a_gap();
    add_sj2009(&s);
    s.git(&["rm", "-q", "-r", "content/sj2009"]);
    s.commit("remove it again");
    let md = s.report(0, &[]);
    assert!(
        md.contains("coverage: Policies with a recorded FY2009 measure gone (was 50.0%)"),
        "{md}"
    );
    assert!(md.contains("| **gone** |"), "{md}");
    assert!(
        md.contains("- 🗑️ removed document annual-plan `SJ2009` (FY2009)"),
        "{md}"
    );
    let v = s.json(&[]);
    assert_eq!(
        v["verdict"]["coverage_changed"],
        serde_json::json!(["policies_fy2009"])
    );
}

#[test]
fn a_finding_that_gets_worse_is_new_not_changed() {
    need_git!();
    let s = site_with_a_gap();
    s.write(
        "plansite.toml",
        &format!(
            "{}\n[severity]\nTR102 = \"error\"\n",
            std::fs::read_to_string(s.site.join("plansite.toml")).unwrap()
        ),
    )
    .commit("TR102 is an error now");
    let v = s.json(&[]);
    assert_eq!(v["verdict"]["new_errors"], 1, "{v}");
    assert_eq!(v["verdict"]["changed"], 0, "{v}");
    assert_eq!(v["gate"]["failed"], true, "{v}");
    let md = s.report(1, &[]);
    assert!(
        md.contains("❌ 1 new error · no new warnings · 1 fixed"),
        "{md}"
    );
}

#[test]
fn a_policy_that_lost_its_last_goal_is_newly_uncovered() {
    need_git!();
    let s = GitSite::new("");
    s.edit(
        "content/plan/items.yaml",
        "advances: [TP-G1]",
        "advances: []",
    )
    .commit("TP-P1 advances nothing");
    let md = s.report(1, &[]);
    assert!(
        md.contains("- policy `TP-P1` lost its last goal: `TP-P1 advances TP-G1` removed"),
        "{md}"
    );
    let v = s.json(&[]);
    let u: Vec<&serde_json::Value> = v["uncovered"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["problem"] == "policy-without-goal")
        .collect();
    assert_eq!(u.len(), 1, "{v}");
    assert_eq!(u[0]["id"], "TP-P1");
    // The verdict line and the JSON count the same new errors (TR005).
    let n = v["verdict"]["new_errors"].as_u64().unwrap();
    assert!(n >= 1, "{v}");
    assert!(md.contains(&format!("❌ {n} new error")), "{md}");
    assert_formats_agree(&s, &["--fail-on", "new-warnings,coverage-drop:0"]);
}
