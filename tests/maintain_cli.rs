//! The commands a maintainer uses while editing: `list` (IDs by kind and document), `trace` on
//! a document or section (the items in it), `hash` (refuses a translation file; `--write`
//! stamps it), and the fiscal-year rules TR103/TR104 and TR106's secondary location.

mod common;
use common::SiteTest;
use std::process::Command;

const JA_FILE: &str = "content/plan/010-ch1.ja.md";

const SJ: &str = "id: SJ2008
kind: annual-plan
slug: sj2008
order: 5
title: { ja: セキュア・ジャパン2008, en: Secure Japan 2008 }
fiscal_year: 2008
";

const SJ_ITEMS: &str = "- id: SJ2008-M1
  kind: measure
  fiscal_year: 2008
  title: { ja: 統一基準を改定する, en: Revise the Unified Standards }
  links:
    implements: [TP-P1]
";

fn site_with_plan() -> SiteTest {
    let s = SiteTest::fixture("minimal");
    s.write("content/sj2008/document.yaml", SJ)
        .write("content/sj2008/items.yaml", SJ_ITEMS);
    s
}

#[test]
fn list_filters_by_kind_and_document() {
    let s = site_with_plan();
    let r = s.run(&["list", "--kind", "policy"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(ids, ["TP-P1", "TP-P2"], "{}", r.stdout);
    assert!(
        r.stdout.contains("(content/plan/items.yaml:5)"),
        "{}",
        r.stdout
    );
    let r = s.run(&["list", "--document", "SJ2008", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let got: Vec<(&str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap(), e["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [("SJ2008", "document"), ("SJ2008-M1", "measure")]);
    assert_eq!(v[1]["fiscal_year"], 2008);
    let r = s.run(&["list", "--kind", "polcy"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("unknown kind `polcy`: expected one of goal"),
        "{}",
        r.stderr
    );
    let r = s.run(&["list", "--lang", "fr"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown language `fr`"), "{}", r.stderr);
    let r = s.run(&["list", "--document", "NOPE"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown document `NOPE`"), "{}", r.stderr);
}

#[test]
fn trace_on_a_document_or_section_lists_its_items() {
    let s = site_with_plan();
    let r = s.run(&["trace", "TP"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("TP テスト基本計画\nitems (3;"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("\nTP-P1 "), "{}", r.stdout);
    assert!(!r.stdout.contains("upstream"), "{}", r.stdout);
    let r = s.run(&["trace", "TP-1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"TP-P1"), "{v}");
}

#[test]
fn hash_refuses_a_translation_and_write_stamps_it() {
    let s = SiteTest::fixture("minimal");
    let en = s.root().join("content/plan/010-ch1.en.md");
    let ja = s.root().join("content/plan/010-ch1.ja.md");
    let r = s.run_bare(&["hash", en.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("is not a Japanese section file"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    // Change the Japanese: the translation turns stale, with the Japanese file as a second place.
    s.edit(
        "content/plan/010-ch1.ja.md",
        "毎年見直す。",
        "毎年度見直す。",
    );
    let stale = |s: &SiteTest| -> Vec<serde_json::Value> {
        s.findings("TR106")
            .into_iter()
            .filter(|f| f["message"].as_str().unwrap().contains("stale"))
            .collect()
    };
    let f = &stale(&s)[0];
    assert_eq!(f["span"]["file"], "content/plan/010-ch1.en.md");
    assert_eq!(f["related"][0]["file"], "content/plan/010-ch1.ja.md");
    assert!(f["related"][0]["line"].as_u64().unwrap() > 1, "{f}");
    let new = s.run_bare(&["hash", ja.to_str().unwrap()]).stdout;
    let r = s.run_bare(&["hash", "--write", en.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&en).unwrap();
    assert!(
        text.contains(&format!("translated_from: {}", new.trim())),
        "{text}"
    );
    assert!(stale(&s).is_empty());
    // Given the Japanese file, --write stamps its translations.
    s.edit(
        "content/plan/010-ch1.ja.md",
        "毎年度見直す。",
        "毎年見直す。",
    );
    let r = s.run_bare(&["hash", "--write", ja.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("010-ch1.en.md: translated_from: fec4dc54255a5f09"),
        "{}",
        r.stdout
    );
}

#[test]
fn tr106_points_at_the_japanese_line_that_changed_when_git_has_the_old_text() {
    let s = SiteTest::fixture("minimal");
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(s.root())
            .args(args)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .output()
    };
    match git(&["init", "-q"]) {
        Ok(o) if o.status.success() => {}
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
            assert!(!ci, "`git` is missing and CI=true");
            eprintln!("SKIP: `git` is not installed");
            return;
        }
    }
    for args in [
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.org",
            "add",
            "-A",
        ][..],
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-qm",
            "base",
        ],
    ] {
        assert!(git(args).unwrap().status.success());
    }
    // Line 13 of the Japanese file changes (uncommitted): the English is stale, and the finding
    // points at line 13, found by comparing with the committed text its hash names.
    s.edit(JA_FILE, "毎年見直す。", "毎年度見直す。");
    let f = s
        .findings("TR106")
        .into_iter()
        .find(|f| f["message"].as_str().unwrap().contains("stale"))
        .unwrap();
    assert_eq!(f["related"][0]["file"], JA_FILE);
    assert_eq!(f["related"][0]["line"], 13, "{f}");
}

#[test]
fn tr103_measure_fiscal_year_must_match_its_plan() {
    let s = site_with_plan();
    s.edit(
        "content/sj2008/items.yaml",
        "fiscal_year: 2008",
        "fiscal_year: 2019",
    );
    let f = &s.findings("TR103")[0];
    assert_eq!(f["span"]["file"], "content/sj2008/items.yaml");
    assert_eq!(f["span"]["line"], 1);
    assert_eq!(
        f["message"],
        "measure `SJ2008-M1` has `fiscal_year: 2019`, but its annual plan `SJ2008` plans FY2008"
    );
    // A measure outside an annual plan whose year no plan plans.
    let s = site_with_plan();
    s.write(
        "content/plan/items-m.yaml",
        SJ_ITEMS
            .replace("SJ2008-M1", "TP-M9")
            .replace("2008", "2019"),
    );
    let f = &s.findings("TR103")[0];
    assert_eq!(
        f["message"],
        "measure `TP-M9` has `fiscal_year: 2019`, but no annual plan plans FY2019"
    );
    assert_eq!(
        f["hint"],
        "the annual plans plan FY2008; fix `fiscal_year` or add the FY2019 plan"
    );
}

#[test]
fn tr104_annual_plan_outside_the_index_period() {
    let s = site_with_plan();
    s.write(
        "content/index/document.yaml",
        "id: SJ\nkind: annual-plans\nslug: annual-plans\ntitle: { ja: 年度計画, en: Annual plans }\nperiod: { from: FY2006, to: FY2007 }\n",
    );
    let f = &s.findings("TR104")[0];
    assert_eq!(
        f["message"],
        "annual plan `SJ2008` plans FY2008, outside the period FY2006–FY2007 of `SJ`"
    );
    assert_eq!(f["span"]["file"], "content/sj2008/document.yaml");
    s.edit("content/index/document.yaml", "FY2007", "FY2008");
    assert!(s.findings("TR104").is_empty());
}
