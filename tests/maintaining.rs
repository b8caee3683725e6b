//! The "Add an annual plan" recipe of docs/maintaining.md, executed: a copy of the real content
//! in a temporary git repository, the recipe's files written and edits applied exactly as the
//! guide shows them, its `plansite` commands run; then a clean `check`, the new fiscal year on
//! the dashboard and an accurate `diff` report.

#[macro_use]
mod gitsite;

use std::path::Path;
use std::process::Command;

/// The fenced blocks of one `## ` section of the guide: (info string, lines). Headings inside
/// blocks (the Markdown files the recipe writes) do not end the section.
fn blocks(guide: &str, heading: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut current: Option<(String, Vec<String>)> = None;
    for line in guide.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_string(), Vec::new())),
            (Some(_), Some("")) => {
                let b = current.take().unwrap();
                if inside {
                    out.push(b);
                }
            }
            (Some((_, lines)), _) => lines.push(line.to_string()),
            (None, None) if line.starts_with("## ") => inside = line[3..] == *heading,
            (None, None) => {}
        }
    }
    assert!(
        !out.is_empty(),
        "no blocks under `## {heading}` in docs/maintaining.md"
    );
    out
}

fn plansite(site: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(args)
        .current_dir(site)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Writes `# new file:` blocks, applies `# edit:` blocks, runs the `plansite` lines of `sh`
/// blocks (except `diff`, which the test runs itself against its own base).
fn apply(site: &Path, blocks: &[(String, Vec<String>)]) -> usize {
    let mut steps = 0;
    for (info, lines) in blocks {
        let first = lines.first().map_or("", String::as_str);
        if let Some(path) = first.strip_prefix("# new file: ") {
            let p = site.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, lines[1..].join("\n") + "\n").unwrap();
            steps += 1;
        } else if let Some(path) = first.strip_prefix("# edit: ") {
            let p = site.join(path);
            let mut text = std::fs::read_to_string(&p).unwrap();
            let mut i = 1;
            while i < lines.len() {
                let old = lines[i]
                    .strip_prefix('-')
                    .expect("an edit starts with a `-` line");
                let mut new = Vec::new();
                i += 1;
                while i < lines.len() && lines[i].starts_with('+') {
                    new.push(&lines[i][1..]);
                    i += 1;
                }
                assert!(text.contains(old), "{path} has no line {old:?}");
                text = text.replacen(old, &new.join("\n"), 1);
            }
            std::fs::write(p, text).unwrap();
            steps += 1;
        } else if info == "sh" {
            for cmd in lines.iter().filter_map(|l| l.strip_prefix("plansite ")) {
                let args: Vec<&str> = cmd.split_whitespace().collect();
                if args[0] == "diff" {
                    continue;
                }
                let (code, out, err) = plansite(site, &args);
                assert_eq!(code, 0, "plansite {cmd}:\n{out}\n{err}");
                steps += 1;
            }
        }
    }
    steps
}

#[test]
fn the_add_an_annual_plan_recipe_works_on_the_real_content() {
    need_git!();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    gitsite::copy_dir(&root.join("content"), &site.join("content"));
    std::fs::copy(root.join("plansite.toml"), site.join("plansite.toml")).unwrap();
    let git = |args: &[&str]| {
        let o = gitsite::git_cmd(site).args(args).output().unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["config", "user.name", "Test"]);
    git(&["config", "user.email", "test@example.org"]);
    git(&["config", "commit.gpgsign", "false"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);

    let guide = std::fs::read_to_string(root.join("docs/maintaining.md")).unwrap();
    let steps = apply(site, &blocks(&guide, "Add an annual plan"));
    // 4 new files, 1 edit, `hash --write` and `check`.
    assert_eq!(steps, 7, "the recipe's blocks changed shape");

    // A clean check: no error, and no warning but the TR102 gaps main already has.
    let (code, json, err) = plansite(site, &["check", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.iter().all(|c| *c == "TR102"), "{codes:?}");
    assert_eq!(codes.len(), 27, "{codes:?}");

    // The dashboard has an FY2009 column.
    let out = dir.path().join("out");
    let (code, _, err) = plansite(site, &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let dash = std::fs::read_to_string(out.join("en/trace/index.html")).unwrap();
    let matrix = &dash[dash.find("id=\"year-matrix\"").expect("year matrix")..];
    let header = &matrix[..matrix.find("</thead>").unwrap()];
    assert!(
        header.contains(">2009<") || header.contains("FY2009"),
        "{header}"
    );

    // The review: the new document, the new fiscal year, its gaps, no new warnings.
    let (code, md, err) = plansite(
        site,
        &["diff", "--base", "HEAD", "--fail-on", "new-warnings"],
    );
    assert_eq!(code, 0, "{md}\n{err}");
    for want in [
        "no new warnings · 0 fixed · 24 changed · coverage: Policies with a recorded FY2009 \
         measure new at 11.1%",
        "gate `new-warnings`: passed",
        "| Policies with a recorded FY2009 measure | — | 3/27 (11.1%) | **new** |",
        "- FY2009 is a new fiscal year: 24 policies have no FY2009 measure",
        "- 📚 added document annual-plan `SJ2009` (FY2009) セキュア・ジャパン2009",
        "- 📝 modified document annual-plans `SJ`",
        "- ➕ added measure `SJ2009-M1`",
        "- \\+ `SJ2009-M2` implements `BP1-CI-P1` · policy `BP1-CI-P1` gained measure `SJ2009-M2`",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
}
