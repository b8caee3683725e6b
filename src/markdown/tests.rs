//! Small Markdown cases, one behaviour each.

use super::*;
use crate::source::SourceFile;

struct Ctx {
    terms: TermMatcher,
}

impl Context for Ctx {
    fn resolve(&self, id: &str, lang: &str) -> Option<Resolved> {
        match id {
            "BP1-GA-P1" => Some(Resolved {
                href: format!("{lang}/bp/s/#BP1-GA-P1"),
                title: "統一基準".into(),
            }),
            "BP1-2-1" => Some(Resolved {
                href: format!("{lang}/bp/bp1-2-1/"),
                title: "第2章第1節".into(),
            }),
            _ => None,
        }
    }
    fn is_item(&self, id: &str) -> bool {
        id.starts_with("BP1-GA")
    }
    fn terms(&self, _: &str) -> Option<&TermMatcher> {
        Some(&self.terms)
    }
}

fn md(src: &str, lang: &str) -> Rendered {
    let ctx = Ctx {
        terms: TermMatcher::new(vec![TermPattern {
            pattern: "重要インフラ".into(),
            id: "T-CI".into(),
            href: "ja/glossary/#T-CI".into(),
            definition: "定義".into(),
        }]),
    };
    render(&SourceFile::new("s.ja.md", src), 0, lang, &ctx)
}

#[test]
fn line_break_between_japanese_characters_is_dropped() {
    assert_eq!(
        md("政府機関の\n対策を", "ja").html,
        "<p id=\"p1\">政府機関の対策を</p>\n"
    );
    assert_eq!(
        md("an\nEnglish line", "en").html,
        "<p id=\"p1\">an\nEnglish line</p>\n"
    );
}

#[test]
fn cross_reference_resolves_and_fills_empty_text() {
    let r = md("[第2章第1節](@BP1-2-1)で示した。[](@BP1-GA-P1)", "ja");
    assert!(
        r.html
            .contains("<a href=\"@@root@@/ja/bp/bp1-2-1/\">第2章第1節</a>"),
        "{}",
        r.html
    );
    assert!(r.html.contains(">統一基準</a>"), "{}", r.html);
    assert_eq!(r.cites.len(), 2);
    assert!(r.diagnostics.is_empty());
}

#[test]
fn cross_reference_marked_inferred_by_its_title() {
    let r = md(
        "[第１次基本計画](@BP1-2-1 \"inferred: 章は本文にない\")と[基準](@BP1-GA-P1 \"a title\")",
        "ja",
    );
    assert_eq!(r.cites[0].inferred.as_deref(), Some("章は本文にない"));
    assert_eq!(r.cites[1].inferred, None);
    assert!(
        r.html.contains(
            "<span class=\"ref-inferred\"><a href=\"@@root@@/ja/bp/bp1-2-1/\" title=\"章は本文にない\">第１次基本計画</a></span>"
        ),
        "{}",
        r.html
    );
    assert!(r.html.contains("title=\"a title\">基準</a>"), "{}", r.html);
}

#[test]
fn inferred_title_needs_the_keyword_alone() {
    use super::renderer::inferred_reason;
    assert_eq!(inferred_reason("inferred"), Some(""));
    assert_eq!(inferred_reason(" inferred:  why "), Some("why"));
    assert_eq!(inferred_reason("inferredness"), None);
    assert_eq!(inferred_reason("not inferred"), None);
}

#[test]
fn unknown_reference_is_an_error_at_its_position() {
    let r = md("本文\n\n政府は[基準](@BP1-GA-P9)を", "ja");
    let d = &r.diagnostics[0];
    assert_eq!(d.code, "TR003");
    assert_eq!(d.span.as_ref().unwrap().to_string(), "s.ja.md:3:4");
    // The "did you mean" comes after the check (`diagnostic::suggest_names`).
    assert_eq!(d.hint.as_deref(), Some(crate::diagnostic::CROSS_REF_HINT));
    assert_eq!(d.ids, ["BP1-GA-P9"]);
    assert!(r.html.contains("broken-ref"));
}

#[test]
fn item_heading_captures_prose_until_next_peer_heading() {
    let r = md(
        "## 政府 {#gov}\n\n### [1] 基準 {#BP1-GA-P1}\n\n本文A\n\n#### 細目\n\n本文B\n\n### [2] 次\n\n本文C\n",
        "ja",
    );
    let prose = &r.prose("BP1-GA-P1").unwrap();
    assert!(
        prose.contains("本文A") && prose.contains("本文B") && !prose.contains("本文C"),
        "{prose}"
    );
    assert_eq!(
        r.headings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["gov", "BP1-GA-P1", "h-3", "h-4"]
    );
}

#[test]
fn footnotes_keep_source_numbers_and_link_back() {
    let r = md("本文[^5]と[^7]。\n\n[^5]: 注五\n[^7]: 注七\n", "ja");
    assert!(
        r.html
            .contains("<a id=\"fnref-5\" href=\"#fn-5\" role=\"doc-noteref\">5</a>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<li id=\"fn-7\" value=\"7\">"),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"#fnref-7\""));
    assert_eq!(r.footnotes, 2);
}

#[test]
fn glossary_term_linked_once_per_page() {
    let r = md("重要インフラと重要インフラ", "ja");
    assert_eq!(r.html.matches("term-link").count(), 1);
    assert_eq!(r.terms_used, [std::sync::Arc::from("T-CI")]);
}

#[test]
fn japanese_runs_in_english_pages_get_lang() {
    let r = md("the incident-assumed society (事故前提社会)", "en");
    assert!(
        r.html.contains("(<span lang=\"ja\">事故前提社会</span>)"),
        "{}",
        r.html
    );
}

#[test]
fn literal_emphasis_next_to_japanese_punctuation_is_flagged() {
    let r = md("これは**「重要」**です。", "ja");
    assert_eq!(r.diagnostics[0].code, "TR110");
}

#[test]
fn editorial_note_is_marked() {
    let r = md("> [!NOTE]\n> 原文ママ\n", "ja");
    assert!(
        r.html.contains(
            "<aside class=\"note note-note\"><p class=\"note-label\">@@t:note_editorial@@</p>"
        ),
        "{}",
        r.html
    );
}

#[test]
fn code_is_highlighted_with_classes() {
    let r = md("```rust\nfn main() {}\n```\n", "en");
    assert!(r.html.contains("hl-"), "{}", r.html);
    assert!(r.html.contains("translate=\"no\""));
}

#[test]
fn fragment_headings_start_at_h2_and_item_prose_is_shifted_under_its_page_title() {
    let r = md(
        "#### (a) 節 {#a}\n\n##### [1] 基準 {#BP1-GA-P1}\n\n本文\n\n###### 細目\n\n詳細\n",
        "ja",
    );
    assert!(r.html.contains("<h2 id=\"a\">"), "{}", r.html);
    assert!(
        r.html
            .contains("<h3 id=\"BP1-GA-P1\" class=\"item-heading\">"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h4 id=\"h-3\">細目</h4>"), "{}", r.html);
    assert_eq!(
        r.headings.iter().map(|h| h.level).collect::<Vec<_>>(),
        [2, 3, 4]
    );
    assert!(
        r.prose("BP1-GA-P1")
            .unwrap()
            .contains("<h2 id=\"h-3\">細目</h2>"),
        "{}",
        r.prose("BP1-GA-P1").unwrap()
    );
}

#[test]
fn shifting_moves_each_heading_once_and_never_above_h2() {
    let html = "<h3 id=\"a\">A</h3><h4 id=\"b\">B</h4><h6 id=\"c\">C</h6><hr><p>h3</p>";
    assert_eq!(
        super::headings::shift_headings(html, 1),
        "<h2 id=\"a\">A</h2><h3 id=\"b\">B</h3><h5 id=\"c\">C</h5><hr><p>h3</p>"
    );
    assert_eq!(
        super::headings::shift_headings(html, 2),
        "<h2 id=\"a\">A</h2><h2 id=\"b\">B</h2><h4 id=\"c\">C</h4><hr><p>h3</p>"
    );
    assert_eq!(super::headings::shift_headings(html, 0), html);
}

#[test]
fn replace_all_replaces_every_occurrence() {
    assert_eq!(super::replace_all("@r/a @r/b", "@r/", "../"), "../a ../b");
    assert_eq!(super::replace_all("日本語@r/", "@r/", ""), "日本語");
    assert_eq!(super::replace_all("none", "@r/", "x"), "none");
}

#[test]
fn escape_html_escapes_the_four_markup_bytes_and_keeps_the_rest() {
    assert_eq!(
        escape_html(r#"「A&B」<b> "x" it's 情報"#),
        "「A&amp;B」&lt;b&gt; &quot;x&quot; it's 情報"
    );
    assert_eq!(escape_html(""), "");
    assert_eq!(escape_html("<"), "&lt;");
    assert_eq!(escape_html("計画&"), "計画&amp;");
}
