//! Content arrives in pull requests: hostile values in YAML, slugs, raw HTML and link URLs must
//! never publish a script, an event handler or a `javascript:`/`data:`/`vbscript:` URL, and
//! every removal is reported at its `file:line:col`.

mod common;

use common::{SiteTest, select, tree};
use plansite::build::{Html, Options, compile};
use plansite::render::render_site;

const HOSTILE: &str = "\"><img src=x onerror=alert(1)><script>alert(2)</script>";

/// Everything in `html` that could run a script: script elements other than the theme's own
/// scripts (search, reader aids), frames and style elements, `on*` attributes, script-capable URLs.
fn unsafe_markup(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let mut found = Vec::new();
    for el in select(&doc, "*") {
        let v = el.value();
        let name = v.name();
        let theme_script = name == "script"
            && v.attr("src")
                .is_some_and(|s| s.ends_with("static/search.js") || s.ends_with("static/site.js"));
        let theme_style = name == "style"
            && v.attr("data-print-margins").is_some()
            && print_margins_are_inert(&el.text().collect::<String>());
        if matches!(name, "script" | "iframe" | "style" | "object" | "embed")
            && !theme_script
            && !theme_style
        {
            found.push(format!("<{name}>"));
        }
        for (a, value) in v.attrs() {
            let url: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            let script_url = ["javascript:", "data:", "vbscript:"]
                .iter()
                .any(|s| url.starts_with(s));
            if a.starts_with("on") || (matches!(a, "href" | "src") && script_url) {
                found.push(format!("<{name} {a}={value:?}>"));
            }
        }
    }
    found
}

/// The single-page documents' print margins (`<style data-print-margins>`): content reaches
/// them only as CSS strings; once those are taken out, nothing but `@media print { @page {
/// @top-left { content: ; font-size: 8.5pt; … } } }` may be left (no `url(`, no `<`, no
/// escape, no quote).
fn print_margins_are_inert(css: &str) -> bool {
    let mut rest = String::new();
    let mut chars = css.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            rest.push(c);
            continue;
        }
        // A CSS string: skip it, escapes included, up to its closing quote.
        loop {
            match chars.next() {
                Some('\\') => {
                    chars.next();
                }
                Some('"') => break,
                Some('\n') | None => return false,
                Some(_) => {}
            }
        }
    }
    rest.starts_with("@media print { @page {")
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " @{}:;.#-".contains(c))
}

fn unsafe_pages<'a>(files: impl IntoIterator<Item = (&'a String, &'a Vec<u8>)>) -> Vec<String> {
    files
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .flat_map(|(p, b)| {
            unsafe_markup(&String::from_utf8_lossy(b))
                .into_iter()
                .map(move |m| format!("{p}: {m}"))
        })
        .collect()
}

#[test]
fn hostile_values_in_yaml_come_out_escaped() {
    let t = SiteTest::fixture("minimal");
    let h = HOSTILE.replace('"', "\\\"");
    t.edit(
        "content/plan/document.yaml",
        "title: { ja: テスト基本計画, en: Test Basic Plan }",
        &format!(
            "title: {{ ja: \"テスト{h}\", en: \"Test{h}\" }}\nsubtitle: {{ ja: \"{h}\", en: \"{h}\" }}\nsource: {{ ja: \"{h}\", en: \"{h}\" }}\nfacts:\n  - label: {{ ja: \"{h}\", en: \"{h}\" }}\n    value: {{ ja: \"{h}\", en: \"{h}\" }}\n    source: {{ ja: \"{h}\", en: \"{h}\" }}"
        ),
    )
    .edit(
        "content/plan/document.yaml",
        "decided_by: { ja: 政策会議, en: Policy Council }",
        &format!("decided_by: {{ ja: \"{h}\", en: \"{h}\" }}"),
    )
    .edit(
        "content/plan/010-ch1.ja.md",
        "title: 第1章 重点政策",
        &format!("title: \"第1章{h}\""),
    )
    .edit(
        "content/plan/items.yaml",
        "title: { ja: 統一基準の見直し, en: Review of the Unified Standards }",
        &format!("title: {{ ja: \"統一{h}\", en: \"Review{h}\" }}"),
    )
    .edit(
        "content/plan/items.yaml",
        "note: { ja: 推定, en: inferred by the editors }",
        &format!("note: {{ ja: \"{h}\", en: \"{h}\" }}"),
    )
    .edit(
        "content/plan/items.yaml",
        "source: { ref: TP-1, ja: 「2009年度初めには」, en: by the start of FY2009 }",
        &format!("source: {{ ref: TP-1, ja: \"{h}\", en: \"{h}\" }}"),
    )
    .edit(
        "content/glossary/terms.yaml",
        "definition: { ja: 国民生活を支える基盤。, en: The infrastructure that supports citizens' lives. }",
        &format!("definition: {{ ja: \"{h}\", en: \"{h}\" }}"),
    );
    let r = t.build();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let files = tree(&t.out());
    assert_eq!(unsafe_pages(&files), Vec::<String>::new());
    // The values are there, as text.
    let doc = t.page("en/test-plan/index.html");
    let h1 = select(&doc, "h1")[0].text().collect::<String>();
    assert!(h1.contains("onerror=alert(1)"), "{h1}");
}

/// Slugs are validated by the loader; the renderer must not depend on it.
#[test]
fn a_hostile_slug_given_to_the_renderer_comes_out_escaped() {
    let t = SiteTest::fixture("minimal");
    let opts = Options {
        html: Html::Kept,
        ..Options::new(t.root())
    };
    let (mut site, _) = compile(&opts).expect("compiles");
    let doc = site
        .content
        .documents
        .iter()
        .position(|d| d.id == "TP")
        .unwrap();
    site.content.documents[doc].slug = HOSTILE.replace('/', "_");
    for s in site.content.sections.iter_mut().filter(|s| s.doc == doc) {
        s.slug = HOSTILE.replace('/', "_");
    }
    let files: Vec<(String, Vec<u8>)> = render_site(&site, t.root())
        .expect("renders")
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect();
    assert_eq!(
        unsafe_pages(files.iter().map(|(p, b)| (p, b))),
        Vec::<String>::new()
    );
    // The side menu still links the section, with the slug kept inside its href.
    let (_, page) = files
        .iter()
        .find(|(p, _)| p.starts_with("ja/") && p.ends_with("index.html") && p.contains("onerror"))
        .expect("a section page");
    let html = scraper::Html::parse_document(&String::from_utf8_lossy(page));
    let menu = select(&html, "nav.sidebar a[href*=onerror]");
    assert!(!menu.is_empty());
}

const SECTION: &str = "---
id: TP-H
title: 敵対的な入力
---
本文 <img src=x onerror=alert(1)> です。

<script>alert(1)</script>

[リンク](javascript:alert(1)) と ![画像](data:text/html,x) と [v](vbscript:msgbox)

<iframe src=\"https://example.org\"></iframe><style>body{display:none}</style>

<a href=\"https://example.org\">重要インフラ</a>を守る。<span onmouseover=\"x()\">*強調*</span>

<p onclick=\"x()\">段落</p>

a <td>セル</td> b
";

#[test]
fn raw_html_and_dangerous_urls_are_removed_and_reported_where_written() {
    let t = SiteTest::fixture("minimal");
    t.write("content/plan/030-hostile.ja.md", SECTION);
    let file = "content/plan/030-hostile.ja.md";
    let mut found: Vec<(String, u64, u64, String)> = ["MD010", "MD011"]
        .iter()
        .flat_map(|c| t.findings(c))
        .map(|f| {
            assert_eq!(f["span"]["file"], file);
            assert_eq!(f["severity"], "warning");
            (
                f["code"].as_str().unwrap().to_string(),
                f["span"]["line"].as_u64().unwrap(),
                f["span"]["col"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    let want = [
        (
            "MD010",
            5,
            15,
            "attribute `onerror` removed from raw `<img>`",
        ),
        (
            "MD010",
            7,
            1,
            "raw HTML `<script>` removed with its content",
        ),
        (
            "MD010",
            11,
            1,
            "raw HTML `<iframe>` removed with its content",
        ),
        (
            "MD010",
            11,
            44,
            "raw HTML `<style>` removed with its content",
        ),
        (
            "MD010",
            13,
            51,
            "attribute `onmouseover` removed from raw `<span>`",
        ),
        ("MD010", 15, 4, "attribute `onclick` removed from raw `<p>`"),
        (
            "MD010",
            17,
            3,
            "raw HTML `<td>` dropped: not valid where it is written",
        ),
        (
            "MD011",
            9,
            1,
            "link to a `javascript:` URL removed (its text is kept)",
        ),
        (
            "MD011",
            9,
            30,
            "image to a `data:` URL removed (its text is kept)",
        ),
        (
            "MD011",
            9,
            56,
            "link to a `vbscript:` URL removed (its text is kept)",
        ),
    ]
    .map(|(c, l, col, m)| (c.to_string(), l, col, m.to_string()));
    assert_eq!(found, want);
    // Warnings: `check` passes, and says so in its human output.
    let r = t.run(&["check"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let human = format!("{}{}", r.stdout, r.stderr);
    assert!(
        human.contains("MD010") && human.contains("030-hostile.ja.md:5:15"),
        "{human}"
    );

    let r = t.build();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(unsafe_pages(&tree(&t.out())), Vec::<String>::new());
    let doc = t.page("ja/test-plan/tp-h/index.html");
    let prose = select(&doc, ".prose")[0].html();
    assert!(
        !prose.contains("alert") && !prose.contains("display:none"),
        "{prose}"
    );
    // What is allowed stays: the image without its handler, the texts of dropped links, the
    // raw link and the emphasis inside the span.
    assert_eq!(select(&doc, ".prose img[src=x]").len(), 1);
    let text = select(&doc, ".prose")[0].text().collect::<String>();
    assert!(text.contains("リンク と 画像 と v"), "{text}");
    assert_eq!(select(&doc, ".prose span em").len(), 1);
    let para = select(&doc, ".prose p");
    let raw_p = para.iter().find(|p| p.text().collect::<String>() == "段落");
    assert_eq!(raw_p.map(|p| p.value().attrs().count()), Some(0));
}

#[test]
fn the_glossary_does_not_link_inside_a_raw_link() {
    let t = SiteTest::fixture("minimal");
    t.write("content/plan/030-hostile.ja.md", SECTION);
    t.build();
    let doc = t.page("ja/test-plan/tp-h/index.html");
    assert_eq!(select(&doc, "a a").len(), 0);
    let raw = select(&doc, ".prose a[href='https://example.org']");
    assert_eq!(raw.len(), 1);
    assert_eq!(raw[0].text().collect::<String>(), "重要インフラ");
}

#[test]
fn deny_makes_raw_html_an_error_and_allow_publishes_it() {
    let t = SiteTest::fixture("minimal");
    t.write("content/plan/030-hostile.ja.md", SECTION);
    t.edit("plansite.toml", "[title]", "raw_html = \"deny\"\n[title]");
    let (code, v) = t.check_json();
    assert_eq!(code, 1);
    let denied: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "MD012")
        .map(|f| {
            (
                f["severity"].clone(),
                f["span"]["line"].clone(),
                f["span"]["col"].clone(),
            )
        })
        .collect();
    assert_eq!(denied.len(), 7, "{denied:?}");
    assert_eq!(denied[0], ("error".into(), 5.into(), 4.into()));

    t.edit(
        "plansite.toml",
        "raw_html = \"deny\"",
        "raw_html = \"allow\"",
    );
    assert!(t.findings("MD010").is_empty() && t.findings("MD011").is_empty());
    assert_eq!(t.build().code, 0);
    let doc = t.page("ja/test-plan/tp-h/index.html");
    assert_eq!(select(&doc, ".prose img[onerror]").len(), 1);
}

#[test]
fn the_print_margins_check_refuses_anything_outside_strings() {
    let ok = "@media print { @page { @top-left { content: \"a\\\"b \\3c /style\\3e \"; font-size: 8.5pt; color: #333; } } }";
    assert!(print_margins_are_inert(ok));
    for bad in [
        "@media print { @page { @top-left { content: \"a\"; background: url(x); } } }",
        "@media print { @page { @top-left { content: \"a\" } } } </style><script>",
        "@import \"x\"; @media print { @page { } }",
        "@media print { @page { @top-left { content: \"unclosed } } }",
    ] {
        assert!(!print_margins_are_inert(bad), "{bad}");
    }
}
