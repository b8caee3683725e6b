//! Guards the English of the real corpus: one name for each thing. The official English names
//! of the two plans ("The First/Second National Strategy on Information Security") and their
//! one short form ("the First/Second National Strategy", for the sources' own abbreviations
//! 第１次基本計画 / 第２次基本計画) are used everywhere; literal renderings and known slips are
//! forbidden. Also: the correspondence check (TR111) and the glossary check (TR107) are clean,
//! and inferred citations reach the graph.

use plansite::build::{Options, compile};
use std::path::{Path, PathBuf};

/// Forbidden English variant → what to write instead.
const FORBIDDEN: &[(&str, &str)] = &[
    (
        "Second Information Security Basic Plan",
        "The Second National Strategy on Information Security",
    ),
    (
        "First Information Security Basic Plan",
        "The First National Strategy on Information Security",
    ),
    ("Second Basic Plan", "the Second National Strategy"),
    ("First Basic Plan", "the First National Strategy"),
    ("Second Plan", "the Second National Strategy"),
    ("First Plan", "the First National Strategy"),
    (
        "beginning of FY2009",
        "by the start of FY2009 (2009年度初めには)",
    ),
    (
        "not so much mainly",
        "an ungrammatical rendering of 中心になって",
    ),
    ("unambiguous grounds", "一義的に is \"primarily\""),
    ("a mere cost", "「コストとならない」 has no \"mere\""),
];

fn english_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("content/ readable").flatten() {
        let p = e.path();
        if p.is_dir() {
            english_files(&p, out);
        } else {
            let name = p.to_string_lossy();
            if name.ends_with(".en.md") || name.ends_with(".yaml") {
                out.push(p);
            }
        }
    }
}

#[test]
fn english_uses_one_name_for_each_thing() {
    let mut files = Vec::new();
    english_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &mut files,
    );
    files.sort();
    assert!(files.len() > 50, "the corpus is found");
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("UTF-8");
        for (n, line) in text.lines().enumerate() {
            for (bad, instead) in FORBIDDEN {
                if line.contains(bad) {
                    found.push(format!(
                        "{}:{}: `{bad}` (write {instead})",
                        f.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn chapter_titles_use_the_official_name_where_the_japanese_has_the_full_name() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/first-proposal");
    let title = |p: &Path| -> String {
        let text = std::fs::read_to_string(p).expect("section");
        text.lines()
            .find_map(|l| l.strip_prefix("title: "))
            .unwrap_or_default()
            .to_string()
    };
    let mut checked = 0;
    for e in std::fs::read_dir(&dir).expect("first-proposal").flatten() {
        let ja = e.path();
        let Some(stem) = ja
            .to_string_lossy()
            .strip_suffix(".ja.md")
            .map(str::to_string)
        else {
            continue;
        };
        let (tja, ten) = (title(&ja), title(Path::new(&format!("{stem}.en.md"))));
        for (full, official) in [
            (
                "第１次情報セキュリティ基本計画",
                "First National Strategy on Information Security",
            ),
            (
                "第２次情報セキュリティ基本計画",
                "Second National Strategy on Information Security",
            ),
        ] {
            if tja.contains(full) {
                checked += 1;
                assert!(ten.contains(official), "{stem}: {ten} lacks {official}");
            }
        }
        if tja.starts_with("\"第") && tja.contains("章") {
            // Chapter titles are in sentence case: "Chapter N: On the policy framework …".
            let words: Vec<&str> = ten.split_whitespace().skip(3).collect();
            let capitals = words
                .iter()
                .filter(|w| ["Policy", "Promotion", "Framework", "Issues", "Requiring"].contains(w))
                .count();
            assert_eq!(capitals, 0, "{stem}: {ten} is not in sentence case");
        }
    }
    assert!(
        checked >= 6,
        "chapter titles with the plans' full names are checked"
    );
}

#[test]
fn correspondences_and_glossary_terms_are_consistent() {
    let (site, diags) = compile(&Options::new(env!("CARGO_MANIFEST_DIR"))).expect("compiles");
    let bad: Vec<String> = diags
        .iter()
        .filter(|d| d.code == "TR111" || d.code == "TR107")
        .map(|d| d.to_string())
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    // Footnote 6 links GSOC to government-agency policy [4] only by the site's inference.
    let gsoc = site
        .graph
        .edges
        .iter()
        .find(|e| e.kind == "cites" && e.from == "FP1-1-1" && e.to == "BP1-GA-P4")
        .expect("footnote 6 cites BP1-GA-P4");
    assert!(gsoc.inferred && gsoc.note.is_some(), "{gsoc:?}");
    let inferred = site
        .graph
        .edges
        .iter()
        .filter(|e| e.kind == "cites" && e.inferred && e.lang.as_deref() == Some("ja"))
        .count();
    assert!(inferred >= 25, "inferred cross-references: {inferred}");
}
