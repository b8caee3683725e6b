//! Hostile and careless input: each case ends with a finding at its exact location (or exit 2),
//! never with a panic, unsafe output, or a silently overwritten page.

mod common;
use common::SiteTest;

/// (code, "file:line:col") of every finding of `check`.
fn located(t: &SiteTest) -> Vec<(String, String)> {
    let (_, v) = t.check_json();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = &f["span"];
            let at = format!(
                "{}:{}:{}",
                s["file"].as_str().unwrap_or(""),
                s["line"],
                s["col"]
            );
            (f["code"].as_str().unwrap().to_string(), at)
        })
        .collect()
}

fn has(t: &SiteTest, code: &str, at: &str) -> bool {
    located(t).iter().any(|(c, a)| c == code && a == at)
}

const CH1: &str = "content/plan/010-ch1.ja.md";

fn with_slug(slug: &str) -> SiteTest {
    let t = SiteTest::fixture("minimal");
    t.edit(
        CH1,
        "title: 第1章 重点政策\n",
        &format!("title: 第1章 重点政策\nslug: {slug}\n"),
    );
    t
}

#[test]
fn a_hostile_section_slug_is_an_error_in_check_and_build() {
    for slug in [
        r#"'"><img src=x onerror=alert(1)>'"#,
        "'.'",
        "''",
        "../x",
        "Intro",
        "items",
    ] {
        let t = with_slug(slug);
        assert!(
            has(&t, "LD005", &format!("{CH1}:4:7")),
            "{slug}: {:?}",
            located(&t)
        );
        let r = t.build();
        assert_eq!(r.code, 1, "{slug}: {}", r.stderr);
        assert!(r.stderr.contains("LD005"), "{slug}: {}", r.stderr);
        assert!(!t.out().exists(), "{slug}: a site was written");
    }
}

#[test]
fn two_sections_or_documents_at_one_url_are_an_error_with_both_places() {
    let t = with_slug("same");
    t.edit(
        "content/plan/020-ch2.ja.md",
        "title: 第2章 役割\n",
        "title: 第2章 役割\nslug: SAME\n",
    );
    let (_, v) = t.check_json();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "LD009")
        .unwrap_or_else(|| panic!("no LD009: {v}"));
    assert_eq!(f["span"]["file"], "content/plan/020-ch2.ja.md");
    assert_eq!(f["related"][0]["file"], CH1);

    let t = SiteTest::fixture("minimal");
    t.edit(
        "content/glossary/document.yaml",
        "slug: glossary",
        "slug: test-plan",
    );
    let (code, v) = t.check_json();
    assert_eq!(code, 1);
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "LD009"),
        "{v}"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused_and_nothing_outside_is_published() {
    let t = SiteTest::fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    let doc = outside.path().join("doc");
    std::fs::create_dir(&doc).unwrap();
    std::fs::write(
        doc.join("document.yaml"),
        "id: OUT\nkind: page\nslug: outside\ntitle: { ja: 外部, en: Outside }\n",
    )
    .unwrap();
    std::fs::write(
        doc.join("010-x.ja.md"),
        "---\nid: OUT-1\ntitle: 秘密\n---\n秘密の本文\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&doc, t.root().join("content/zz")).unwrap();
    std::os::unix::fs::symlink(
        doc.join("010-x.ja.md"),
        t.root().join("content/plan/030-x.ja.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink("loop", t.root().join("content/plan/loop")).unwrap();
    std::os::unix::fs::symlink("..", t.root().join("content/plan/up")).unwrap();
    let found = located(&t);
    for (at, why) in [
        ("content/zz:1:1", "outside"),
        ("content/plan/030-x.ja.md:1:1", "outside"),
        ("content/plan/loop:1:1", "loop"),
        ("content/plan/up:1:1", "loop"),
    ] {
        assert!(
            found.iter().any(|(c, a)| c == "LD010" && a == at),
            "{at} ({why}): {found:?}"
        );
    }
    assert_eq!(t.build().code, 1);
    assert!(!t.out().exists());
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_site_is_followed() {
    let t = SiteTest::fixture("minimal");
    std::fs::create_dir(t.root().join("shared")).unwrap();
    std::fs::rename(
        t.root().join("content/plan/020-ch2.ja.md"),
        t.root().join("shared/020-ch2.ja.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "../../shared/020-ch2.ja.md",
        t.root().join("content/plan/020-ch2.ja.md"),
    )
    .unwrap();
    let r = t.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(t.out().join("ja/test-plan/tp-2/index.html").is_file());
}

#[test]
fn a_broken_yaml_file_comes_first_with_its_follow_on_findings_folded() {
    let t = SiteTest::fixture("minimal");
    t.edit(
        "content/plan/items.yaml",
        "  kind: policy\n  number: \"[1]\"",
        "  kind: policy : [\n  number: \"[1]\"",
    );
    let (code, v) = t.check_json();
    assert_eq!(code, 1);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings[0]["code"], "LD002", "{v}");
    let hidden = findings[0]["follow_ons"]
        .as_array()
        .expect("folded findings");
    assert!(
        !hidden.is_empty() && hidden.iter().all(|f| f["code"] == "TR003"),
        "{v}"
    );
    assert!(findings.iter().skip(1).all(|f| f["code"] != "TR003"), "{v}");

    let human = t.run(&["check"]).stderr;
    assert!(human.starts_with("error[LD002]"), "{human}");
    assert!(human.contains("follow-on finding(s) hidden"), "{human}");
    let github = t.run(&["check", "--format", "github"]).stdout;
    assert_eq!(
        github.lines().filter(|l| l.starts_with("::error")).count(),
        1,
        "{github}"
    );
    assert!(github.contains("follow-on"), "{github}");
}

#[test]
fn a_pathological_line_is_not_echoed_whole() {
    let t = SiteTest::fixture("minimal");
    t.edit(
        CH1,
        "毎年見直す。",
        &format!("毎年見直す。[](@{})", "[".repeat(100_000)),
    );
    let r = t.run(&["check"]);
    assert_eq!(r.code, 1, "{}", &r.stderr[..r.stderr.len().min(500)]);
    assert!(
        r.stderr.len() < 20_000,
        "{} bytes of findings",
        r.stderr.len()
    );
}

#[test]
fn nul_bytes_are_replaced_and_reported() {
    let t = SiteTest::fixture("minimal");
    t.edit(CH1, "毎年見直す。", "毎年\0見直す。");
    assert!(
        has(&t, "LD011", &format!("{CH1}:13:3")),
        "{:?}",
        located(&t)
    );
    assert_eq!(t.build().code, 0);
    let html = std::fs::read(t.out().join("ja/test-plan/tp-1/index.html")).unwrap();
    assert!(!html.contains(&0), "NUL written into the page");
    assert!(
        String::from_utf8(html)
            .unwrap()
            .contains("毎年\u{fffd}見直す")
    );
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let t = SiteTest::fixture("minimal");
    let big = format!(
        "---\nid: BIG\ntitle: 大\n---\n{}",
        "あ".repeat(2 * 1024 * 1024)
    );
    t.write("content/plan/090-big.ja.md", big);
    assert!(
        has(&t, "LD012", "content/plan/090-big.ja.md:1:1"),
        "{:?}",
        located(&t)
    );
    t.edit("plansite.toml", "base_url", "max_file_mib = 8\nbase_url");
    assert!(!located(&t).iter().any(|(c, _)| c == "LD012"));
}

#[test]
fn closed_sets_of_values_are_rejected_with_exit_2() {
    let t = SiteTest::fixture("minimal");
    let r = t.run(&["trace", "TP-P1", "--lang", "xx"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("ja, en"), "{}", r.stderr);
    for args in [
        &["check", "--format", "xml"][..],
        &["check", "--deny", "errors"],
        &["trace", "TP-P1", "--format", "yaml"],
    ] {
        let r = t.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("possible values"),
            "{args:?}: {}",
            r.stderr
        );
    }
    let r = t.run_bare(&["diff", "--base", "HEAD", "--fail-on", "everything"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn a_reader_that_closes_the_pipe_early_causes_no_panic() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let t = SiteTest::fixture("minimal");
    // Enough findings that the output is far larger than a pipe's buffer.
    let refs: String = (0..3000).map(|i| format!("[](@NOPE-{i})\n")).collect();
    t.write(
        "content/plan/090-refs.ja.md",
        format!("---\nid: REFS\ntitle: 参照\n---\n{refs}"),
    );
    for args in [
        &["check", "--format", "json"][..],
        &["check", "--format", "github"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plansite"))
            .args(args)
            .arg("--root")
            .arg(t.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe's read end is closed here (dropped), like `plansite check | head -c 1`.
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
    }
}
