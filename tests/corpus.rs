//! Guards the real corpus in `content/`: the counts the sources fix, no errors, and no
//! untranslated Japanese body text on English pages.

use plansite::build::{Options, compile};
use plansite::markdown::is_cjk;
use std::path::Path;

fn site() -> (plansite::site::Site, Vec<plansite::diagnostic::Diagnostic>) {
    compile(&Options::new(env!("CARGO_MANIFEST_DIR"))).expect("content/ compiles")
}

#[test]
fn real_content_has_no_errors() {
    let (_, diags) = site();
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The counts the sources fix, per document that comes from them (BP1, FP1, the glossary, the
/// three seeded annual plans). What maintainers are meant to extend — more annual plans, more
/// documents, more policies in another document — is not pinned: a new plan must not fail
/// this test.
#[test]
fn counts_fixed_by_the_sources_hold() {
    let (site, _) = site();
    let items = &site.content.items;
    let doc_of = |i: &plansite::model::Item| site.content.documents[i.doc].id.as_str();
    let count = |kind: &str, doc: &str| {
        items
            .iter()
            .filter(|i| i.kind == kind && doc_of(i) == doc)
            .count()
    };
    assert_eq!(count("goal", "BP1"), 7, "goals");
    let sub = items
        .iter()
        .filter(|i| i.kind == "policy" && doc_of(i) == "BP1")
        .filter(|i| i.links.iter().any(|l| l.kind == "part_of"))
        .count();
    assert_eq!(count("policy", "BP1") - sub, 20, "key policies");
    assert_eq!(sub, 7, "sub-items");
    assert_eq!(count("open-issue", "FP1"), 29, "open issues");
    assert!(count("term", "GLOSSARY") >= 60, "glossary terms");
    let annual: Vec<(&str, Option<i32>)> = site
        .content
        .documents
        .iter()
        .filter(|d| d.kind == "annual-plan")
        .map(|d| (d.id.as_str(), d.fiscal_year))
        .collect();
    for seed in [("SJ2006", 2006), ("SJ2007", 2007), ("SJ2008", 2008)] {
        assert!(
            annual.contains(&(seed.0, Some(seed.1))),
            "seeded annual plan {seed:?} missing: {annual:?}"
        );
    }
    assert!(
        site.content
            .documents
            .iter()
            .any(|d| d.id == "SJ" && d.kind == "annual-plans"),
        "the annual-plans index SJ"
    );
    for policy in items.iter().filter(|i| i.kind == "policy") {
        assert!(
            site.graph
                .out_of(&policy.id, Some("advances"))
                .next()
                .is_some(),
            "{} advances no goal",
            policy.id
        );
    }
}

#[test]
fn the_proposal_has_forty_footnotes_in_both_languages() {
    let (site, _) = site();
    for lang in ["ja", "en"] {
        let n: usize = site
            .rendered
            .iter()
            .filter(|((s, l), _)| {
                l == lang && site.content.documents[site.content.sections[*s].doc].id == "FP1"
            })
            .map(|(_, r)| r.footnotes)
            .sum();
        assert_eq!(n, 40, "{lang}");
    }
}

/// Japanese characters left in an English paragraph once quoted originals — in parentheses,
/// 「」 or code — and editorial notes and tables are set aside.
fn untranslated(block: &str) -> usize {
    let mut depth = 0i32;
    let mut n = 0;
    for c in block.chars() {
        match c {
            '(' | '（' | '「' | '『' | '`' | '【' => depth += 1,
            ')' | '）' | '」' | '』' | '】' => depth -= 1,
            _ if depth <= 0
                && is_cjk(c)
                && !matches!(c, '　' | '・' | '、' | '。' | '～' | '－' | '，') =>
            {
                n += 1
            }
            _ => {}
        }
    }
    n
}

#[test]
fn english_pages_have_no_untranslated_japanese_body_text() {
    let mut offenders = Vec::new();
    for e in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = e.path();
        if !p.to_string_lossy().ends_with(".en.md") {
            continue;
        }
        let text = std::fs::read_to_string(p).unwrap();
        let body = text.split("\n---\n").nth(1).unwrap_or("");
        for block in body.split("\n\n") {
            let b = block.trim_start();
            if b.starts_with('>') || b.starts_with('|') || b.starts_with('<') {
                continue;
            }
            if untranslated(b) > 6 {
                offenders.push(format!(
                    "{}: {}",
                    p.display(),
                    b.chars().take(80).collect::<String>()
                ));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "{} English blocks look untranslated:\n{}",
        offenders.len(),
        offenders.join("\n")
    );
}

#[test]
fn the_untranslated_detector_can_fail() {
    assert_eq!(
        untranslated("the incident-assumed society (事故前提社会)"),
        0
    );
    assert!(untranslated("政府は対策を進める。 This line was left in Japanese.") > 6);
}

#[test]
fn check_mode_without_html_reports_exactly_what_a_full_build_reports() {
    let root = env!("CARGO_MANIFEST_DIR");
    let (_, full) = compile(&Options::new(root)).unwrap();
    let (scan_site, scan) = compile(&Options {
        html: plansite::build::Html::Never,
        ..Options::new(root)
    })
    .unwrap();
    assert_eq!(full, scan);
    assert!(
        scan_site.rendered.values().all(|r| r.html.is_empty()),
        "scan mode must not build HTML"
    );
    let terms: usize = scan_site
        .rendered
        .values()
        .map(|r| r.terms_used.len())
        .sum();
    assert!(
        terms > 100,
        "scan mode still records glossary use ({terms})"
    );
}
