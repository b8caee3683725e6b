//! Whole-site build tests on the small bilingual fixture: languages, hreflang, links,
//! fallbacks, determinism and atomic output.

mod common;
use common::{SiteTest, broken_links, select, tree};

#[test]
fn every_page_has_lang_and_reciprocal_absolute_hreflang() {
    let site = SiteTest::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let files = tree(&site.out());
    let base = "https://example.org/plans/";
    let mut checked = 0;
    for path in files
        .keys()
        .filter(|p| p.ends_with("index.html") && (p.starts_with("ja/") || p.starts_with("en/")))
    {
        let doc = site.page(path);
        let lang = &path[..2];
        assert_eq!(
            select(&doc, "html")[0].value().attr("lang"),
            Some(lang),
            "{path}"
        );
        let alts: Vec<(String, String)> = select(&doc, "link[rel=alternate][hreflang]")
            .iter()
            .map(|e| {
                (
                    e.value().attr("hreflang").unwrap().to_string(),
                    e.value().attr("href").unwrap().to_string(),
                )
            })
            .collect();
        let own = format!("{base}{path}").replace("index.html", "");
        assert!(
            alts.contains(&(lang.to_string(), own.clone())),
            "{path} lacks a self alternate: {alts:?}"
        );
        assert!(alts.iter().any(|(l, _)| l == "x-default"), "{path}");
        for (l, href) in alts.iter().filter(|(l, _)| l != "x-default") {
            assert!(href.starts_with(base), "{path}: relative hreflang {href}");
            // The other page must point back at this one.
            let other = href.trim_start_matches(base).to_string() + "index.html";
            let back = site.page(&other);
            let returns = select(&back, "link[rel=alternate][hreflang]")
                .iter()
                .any(|e| e.value().attr("href") == Some(own.as_str()));
            assert!(returns, "{other} ({l}) does not link back to {own}");
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} pages checked");
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    let site = SiteTest::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let broken = broken_links(&site.out());
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn cross_reference_goes_to_the_item_heading_in_the_same_language() {
    let site = SiteTest::fixture("minimal");
    site.build();
    let en = site.page("en/test-plan/tp-1/index.html");
    let link = select(&en, ".prose a[href$='#TP-P1']:not(.permalink)");
    assert_eq!(link.len(), 1);
    assert_eq!(
        link[0].value().attr("href"),
        Some("../../../en/test-plan/tp-1/#TP-P1")
    );
    assert_eq!(
        link[0].text().collect::<String>(),
        "[1] Review of the Unified Standards"
    );
}

#[test]
fn language_switch_goes_to_the_same_page() {
    let site = SiteTest::fixture("minimal");
    site.build();
    let ja = site.page("ja/items/TP-P2/index.html");
    let switch = select(&ja, ".lang-switch a");
    assert_eq!(switch.len(), 1);
    assert_eq!(
        switch[0].value().attr("href"),
        Some("../../../en/items/TP-P2/")
    );
    assert_eq!(switch[0].value().attr("lang"), Some("en"));
}

#[test]
fn untranslated_page_falls_back_with_a_notice() {
    let site = SiteTest::fixture("minimal");
    site.build();
    let en = site.page("en/test-plan/tp-2/index.html");
    assert_eq!(
        select(&en, "p.notice[role=note]:not(.not-included)").len(),
        1
    );
    let prose = select(&en, "div.prose");
    assert_eq!(
        prose[0].value().attr("lang"),
        Some("ja"),
        "fallback text must carry its own lang"
    );
    assert!(
        prose[0]
            .text()
            .collect::<String>()
            .contains("この版には含まれていません")
    );
}

#[test]
fn japanese_date_shows_wareki_and_english_does_not() {
    let site = SiteTest::fixture("minimal");
    site.build();
    let ja = site.page("ja/test-plan/index.html");
    let t = select(&ja, "time[datetime='2006-02-02']");
    assert_eq!(
        t[0].text().collect::<String>(),
        "2006年2月2日（平成18年2月2日）"
    );
    let en = site.page("en/test-plan/index.html");
    assert_eq!(
        select(&en, "time[datetime='2006-02-02']")[0]
            .text()
            .collect::<String>(),
        "February 2, 2006"
    );
}

#[test]
fn item_page_shows_its_chain_with_inferred_links_marked() {
    let site = SiteTest::fixture("minimal");
    site.build();
    let p2 = site.page("en/items/TP-P2/index.html");
    let up = select(&p2, "section.trace ul.chain li");
    let text: String = up[0].text().collect();
    assert!(text.contains("TP-G1"), "{text}");
    assert_eq!(
        select(&p2, "section.trace ul.chain .badge-inferred").len(),
        1
    );
    let goal = site.page("ja/items/TP-G1/index.html");
    let down: Vec<String> = select(&goal, "section.trace ul.chain > li code")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(down, ["TP-P1", "TP-P2"]);
}

#[test]
fn sitemap_lists_translation_alternates_and_robots_points_to_it() {
    let site = SiteTest::fixture("minimal");
    site.build();
    let sm = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(sm.contains("<loc>https://example.org/plans/ja/test-plan/tp-1/</loc><xhtml:link rel=\"alternate\" hreflang=\"ja\" href=\"https://example.org/plans/ja/test-plan/tp-1/\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/plans/en/test-plan/tp-1/\"/>"), "{sm}");
    let robots = std::fs::read_to_string(site.out().join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/plans/sitemap.xml"));
    assert!(site.out().join("404.html").is_file());
    let root = site.page("index.html");
    assert_eq!(select(&root, ".language-choice a").len(), 2);
}

#[test]
fn two_builds_are_byte_identical() {
    let a = SiteTest::fixture("minimal");
    let b = SiteTest::fixture("minimal");
    assert_eq!(a.build().code, 0);
    assert_eq!(b.build().code, 0);
    let (ta, tb) = (tree(&a.out()), tree(&b.out()));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between builds");
    }
}

#[test]
fn failed_build_leaves_the_previous_output_intact() {
    let site = SiteTest::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let before = tree(&site.out());
    site.edit(
        "content/plan/010-ch1.ja.md",
        "毎年見直す。",
        "毎年見直す。[壊れた参照](@TP-P9)",
    );
    let r = site.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("TR003"), "{}", r.stderr);
    assert_eq!(
        tree(&site.out()),
        before,
        "output changed after a failed build"
    );
    let stray: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("plansite-"))
        .collect();
    assert!(stray.is_empty(), "staging left behind: {stray:?}");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "content/plan/030-draft.ja.md",
        "---\nid: TP-3\ntitle: 下書き\ndraft: true\n---\n本文\n",
    );
    site.build();
    assert!(!site.out().join("ja/test-plan/tp-3/index.html").exists());
    site.run(&["build", "--drafts"]);
    let page = site.page("ja/test-plan/tp-3/index.html");
    assert_eq!(select(&page, "body.is-draft").len(), 1);
}

#[test]
fn exit_codes_distinguish_content_errors_from_usage_errors() {
    let site = SiteTest::fixture("minimal");
    assert_eq!(site.run(&["check"]).code, 0, "warnings alone pass");
    assert_eq!(site.run(&["check", "--deny", "warnings"]).code, 1);
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["check", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no plansite.toml"));
}

#[test]
fn the_real_site_builds_with_every_link_resolving() {
    let out = common::build_real_site();
    let dest = out.path().join("site");
    let broken = broken_links(&dest);
    assert!(
        broken.is_empty(),
        "{} broken links, e.g. {:#?}",
        broken.len(),
        &broken[..broken.len().min(10)]
    );
}

#[test]
fn graph_json_matches_its_schema_shape_and_counts_coverage() {
    let site = SiteTest::fixture("minimal");
    site.build();
    let g: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.out().join("graph.json")).unwrap()).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../docs/graph.schema.json")).unwrap();
    for key in schema["required"].as_array().unwrap() {
        assert!(
            g.get(key.as_str().unwrap()).is_some(),
            "graph.json lacks {key}"
        );
    }
    let ids: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["T-CI", "TP-G1", "TP-P1", "TP-P2"]);
    let inferred: Vec<bool> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "advances")
        .map(|e| e["inferred"].as_bool().unwrap())
        .collect();
    assert_eq!(inferred, [false, true]);
    let goals = g["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "goals_covered")
        .unwrap();
    assert_eq!(
        (goals["n"].as_u64(), goals["total"].as_u64()),
        (Some(1), Some(1))
    );
    let csv = std::fs::read_to_string(site.out().join("goals-policies.csv")).unwrap();
    assert_eq!(csv, "policy,TP-G1\nTP-P1,explicit\nTP-P2,inferred\n");
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>迷子</h1>{% endblock content %}",
    );
    site.write("static/style.css", "body { color: red; }");
    assert_eq!(site.build().code, 0);
    let nf = site.page("404.html");
    assert_eq!(select(&nf, "h1")[0].text().collect::<String>(), "迷子");
    assert_eq!(
        std::fs::read_to_string(site.out().join("static/style.css")).unwrap(),
        "body { color: red; }"
    );
}

#[test]
fn a_broken_template_is_a_clear_error_not_a_panic() {
    let site = SiteTest::fixture("minimal");
    site.write("templates/404.html", "{% if %}");
    let r = site.build();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("TH002") && r.stderr.contains("template error"),
        "{}",
        r.stderr
    );
    assert!(!site.out().exists(), "nothing written");
}

#[test]
fn a_single_page_template_failing_at_render_is_reported_once_per_language() {
    // The single pages are written in pieces while their sections are rendered: a frame that
    // cannot be rendered must stop the build with its finding, never half a page.
    let site = SiteTest::fixture("minimal");
    site.write("templates/whole.html", "{{ no_such_value.field }}");
    let r = site.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    let failures: Vec<&str> = (r.stderr.lines())
        .filter(|l| l.contains("TH004") && l.contains("whole.html"))
        .collect();
    assert_eq!(failures.len(), 2, "one per language: {}", r.stderr);
    assert!(!site.out().exists(), "nothing written");
}

#[test]
fn side_menu_marks_exactly_the_current_section() {
    let site = SiteTest::fixture("minimal");
    site.build();
    for (page, current) in [
        (
            "ja/test-plan/tp-1/index.html",
            "../../../ja/test-plan/tp-1/",
        ),
        (
            "en/test-plan/tp-2/index.html",
            "../../../en/test-plan/tp-2/",
        ),
    ] {
        let doc = site.page(page);
        let marked = select(&doc, ".sidebar a[aria-current=page]");
        assert_eq!(marked.len(), 1, "{page}");
        assert_eq!(marked[0].value().attr("href"), Some(current));
    }
}

#[test]
fn side_menu_expands_only_the_current_branch_and_the_document_page_shows_all() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "content/plan/011-s1.ja.md",
        "---\nid: TP-1-1\ntitle: 第1節\nparent: TP-1\n---\n本文\n",
    );
    site.write(
        "content/plan/021-s2.ja.md",
        "---\nid: TP-2-1\ntitle: 第2章第1節\nparent: TP-2\n---\n本文\n",
    );
    assert_eq!(site.build().code, 0);
    let menu = |page: &str| -> Vec<String> {
        let doc = site.page(page);
        select(&doc, ".sidebar .toc a")
            .iter()
            .map(|a| a.text().collect())
            .collect()
    };
    assert_eq!(
        menu("ja/test-plan/tp-1-1/index.html"),
        ["第1章 重点政策", "第1節", "第2章 役割"]
    );
    assert_eq!(
        menu("ja/test-plan/tp-2/index.html"),
        ["第1章 重点政策", "第2章 役割", "第2章第1節"]
    );
    let doc = site.page("ja/test-plan/index.html");
    assert_eq!(
        select(&doc, ".doc-toc .toc a").len(),
        4,
        "the document page lists every section"
    );
    let nested = select(&doc, ".doc-toc .toc > li > ul > li > a");
    assert_eq!(nested.len(), 2);
}

#[test]
fn trace_prints_the_chain_up_and_down() {
    let site = SiteTest::fixture("minimal");
    let text = site.run(&["trace", "TP-G1", "--lang", "en"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert_eq!(
        text.stdout,
        "TP-G1 Implement measures by the start of FY2009\nupstream:\ndownstream:\n  advances TP-P1 [policy] [1] Review of the Unified Standards\n  advances TP-P2 [policy] [2] Human-resource development (inferred)\n"
    );
    let json = site.run(&["trace", "TP-P2", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["upstream"][0]["id"], "TP-G1");
    assert_eq!(v["upstream"][0]["inferred"], true);
    let unknown = site.run(&["trace", "TP-P9"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn a_long_menu_shows_the_entries_around_the_page_and_links_the_rest() {
    let site = SiteTest::fixture("minimal");
    // 40 more chapters: the document's top level now has 42 entries.
    for n in 3..=42 {
        site.write(
            &format!("content/plan/{:03}-x{n}.ja.md", 100 + n),
            format!("---\nid: TP-X{n}\ntitle: 第{n}章\n---\n本文{n}。\n"),
        );
    }
    // And 30 sections under the 30th chapter.
    for n in 1..=30 {
        site.write(
            &format!("content/plan/130-x30-{n:02}.ja.md"),
            format!("---\nid: TP-X30-{n}\ntitle: 第30章第{n}節\nparent: TP-X30\n---\n本文。\n"),
        );
    }
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entries = |page: &scraper::Html| -> Vec<String> {
        select(page, ".sidebar .toc > li > a")
            .iter()
            .map(|a| a.text().collect())
            .collect()
    };
    // The 20th chapter's page: five chapters on each side, and one link each way for the rest.
    let page = site.page("ja/test-plan/tp-x20/index.html");
    let shown = entries(&page);
    assert_eq!(shown.len(), 13, "{shown:?}");
    assert_eq!(shown[0], "…ほか14項目（目次）");
    assert_eq!(
        shown[1..12],
        (15..=25).map(|n| format!("第{n}章")).collect::<Vec<_>>()
    );
    assert_eq!(shown[12], "…ほか17項目（目次）");
    let current = select(&page, ".sidebar a[aria-current='page']");
    assert_eq!(current[0].text().collect::<String>(), "第20章");
    for more in select(&page, ".sidebar .toc-more a") {
        assert_eq!(
            more.value().attr("href"),
            Some("../../../ja/test-plan/#toc-heading")
        );
    }
    // At the start of the list: the first eleven, and the rest behind one link.
    let first = entries(&site.page("en/test-plan/tp-1/index.html"));
    assert_eq!(first.len(), 12, "{first:?}");
    assert_eq!(first[11], "… 31 more (contents)");
    // On the 30th chapter's own page, its 30 sections: the first eleven and a link.
    let chapter = site.page("ja/test-plan/tp-x30/index.html");
    let under: Vec<String> = select(&chapter, ".sidebar .toc > li > ul > li > a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(under.len(), 12, "{under:?}");
    assert_eq!(under[0], "第30章第1節");
    assert_eq!(under[11], "…ほか19項目（目次）");
    // The document page's contents list every entry, and the link's target exists there.
    let doc = site.page("ja/test-plan/index.html");
    assert_eq!(select(&doc, ".doc-toc .toc > li").len(), 42);
    assert_eq!(select(&doc, "#toc-heading").len(), 1);
    assert!(broken_links(&site.out()).is_empty());
}
