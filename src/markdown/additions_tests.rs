//! Tests of what plansite adds to CommonMark (issue #21): alt text, footnote anchors, Japanese
//! line joining across inline markup, duplicate anchors, literal-emphasis findings and the six
//! heading levels. Each failed before its fix.

use super::*;
use crate::config::RawHtml;
use crate::source::SourceFile;
use scraper::{Html, Selector};

struct Ctx {
    terms: TermMatcher,
    raw: RawHtml,
}

impl Context for Ctx {
    fn raw_html(&self) -> RawHtml {
        self.raw
    }
    fn resolve(&self, id: &str, lang: &str) -> Option<Resolved> {
        (id == "BP1-GA-P1").then(|| Resolved {
            href: format!("{lang}/bp/s/#BP1-GA-P1"),
            title: "統一基準".into(),
        })
    }
    fn is_item(&self, id: &str) -> bool {
        id.starts_with("BP1-GA")
    }
    fn terms(&self, _: &str) -> Option<&TermMatcher> {
        Some(&self.terms)
    }
}

fn md(src: &str) -> Rendered {
    md_with(src, RawHtml::default())
}

fn md_with(src: &str, raw: RawHtml) -> Rendered {
    let ctx = Ctx {
        raw,
        terms: TermMatcher::new(vec![TermPattern {
            pattern: "重要インフラ".into(),
            id: "T-CI".into(),
            href: "ja/glossary/#T-CI".into(),
            definition: "定義".into(),
        }]),
    };
    let file = SourceFile::new("s.ja.md", src);
    let html = render(&file, 0, "ja", &ctx);
    // Findings are the same with and without HTML.
    let scan = render_with(&file, 0, "ja", &ctx, false);
    assert_eq!(
        format!("{:?}", html.diagnostics),
        format!("{:?}", scan.diagnostics)
    );
    html
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn image_alt_text_is_plain_text_escaped_once() {
    // `<d>` is an inline tag: the alt text shows it as written when raw HTML is allowed, and
    // the sanitiser drops it by default.
    for (raw, alt) in [
        (RawHtml::Allow, "a & b \"c\" <d>"),
        (RawHtml::Sanitize, "a & b \"c\" "),
    ] {
        let r = md_with("![a & b \"c\" <d>](/x.png)", raw);
        assert!(!r.html.contains("&amp;amp;"), "{}", r.html);
        let doc = Html::parse_fragment(&r.html);
        let img = select(&doc, "img");
        assert_eq!(img[0].value().attr("alt"), Some(alt), "{raw:?}");
    }
    let r = md("![5 < 6 & 7 > 3](/x.png)");
    let doc = Html::parse_fragment(&r.html);
    assert_eq!(
        select(&doc, "img")[0].value().attr("alt"),
        Some("5 < 6 & 7 > 3")
    );
}

#[test]
fn a_term_in_alt_text_is_not_linked_and_the_prose_mention_is() {
    let r = md("![重要インフラ & 図](/x.png)\n\n重要インフラの防護。");
    let doc = Html::parse_fragment(&r.html);
    assert_eq!(
        select(&doc, "img")[0].value().attr("alt"),
        Some("重要インフラ & 図")
    );
    let links = select(&doc, "p a.term-link");
    assert_eq!(links.len(), 1, "{}", r.html);
    assert_eq!(links[0].text().collect::<String>(), "重要インフラ");
}

#[test]
fn non_ascii_footnote_labels_get_distinct_anchors() {
    let r = md("本文[^注]と[^脚]。\n\n[^注]: 一\n[^脚]: 二\n");
    let doc = Html::parse_fragment(&r.html);
    let ids: Vec<&str> = select(&doc, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    assert!(ids.iter().all(|id| id.is_ascii()), "{ids:?}");
    // Each reference leads to its own note, and each note back to its reference.
    for a in select(&doc, "a[href^='#']") {
        let target = &a.value().attr("href").unwrap()[1..];
        assert!(ids.contains(&target), "{target} in {ids:?}");
    }
    let notes = select(&doc, "li[id^='fn-']");
    assert_eq!(
        notes[0].text().collect::<String>().trim_end_matches(" ↩"),
        "一"
    );
    assert_eq!(
        notes[1].text().collect::<String>().trim_end_matches(" ↩"),
        "二"
    );
}

#[test]
fn footnote_anchors_never_collide_even_when_labels_look_alike() {
    // `[^a]` twice gives `fnref-a-2`, which `[^a-2]`'s own reference would also be.
    let r = md("x[^a] y[^a] z[^a-2]\n\n[^a]: A\n[^a-2]: B\n");
    let doc = Html::parse_fragment(&r.html);
    let mut ids: Vec<&str> = select(&doc, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "{}", r.html);
}

#[test]
fn footnote_labels_match_regardless_of_case_as_the_parser_matches_them() {
    let r = md("a[^Note] b[^note]\n\n[^NOTE]: x\n");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let doc = Html::parse_fragment(&r.html);
    let ids: Vec<&str> = select(&doc, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    for a in select(&doc, "a[href^='#']") {
        let target = &a.value().attr("href").unwrap()[1..];
        assert!(ids.contains(&target), "{target} in {ids:?}");
    }
    assert_eq!(select(&doc, "a.fn-back").len(), 2, "{}", r.html);
}

#[test]
fn japanese_lines_join_after_emphasis_and_links() {
    assert_eq!(
        md("語と**強調**\nです。").html,
        "<p id=\"p1\">語と<strong>強調</strong>です。</p>\n"
    );
    assert_eq!(
        md("[第2章](https://example.org/)\nです。").html,
        "<p id=\"p1\"><a href=\"https://example.org/\">第2章</a>です。</p>\n"
    );
    assert_eq!(
        md("本文\n*注記*の").html,
        "<p id=\"p1\">本文<em>注記</em>の</p>\n"
    );
    // A Latin word on either side keeps the space.
    assert_eq!(
        md("**CSIRT**\nです").html,
        "<p id=\"p1\"><strong>CSIRT</strong>\nです</p>\n"
    );
}

#[test]
fn a_duplicate_explicit_anchor_is_an_error_at_the_second_heading() {
    let r = md("## 概要 {#a}\n\n本文\n\n## 再掲 {#a}\n");
    let d: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.code == "MD003").collect();
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert!(d[0].is_error());
    assert_eq!(d[0].span.as_ref().unwrap().to_string(), "s.ja.md:5:1");
    assert_eq!(d[0].related[0].to_string(), "s.ja.md:1:1");
    assert!(d[0].hint.as_deref().unwrap().contains("s.ja.md:1:1"));
}

#[test]
fn a_heading_cannot_take_the_footnotes_anchors() {
    let r = md("## 脚注 {#footnotes}\n\n本文[^1]\n\n## 注 {#fn-1}\n\n[^1]: 注\n");
    let d: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "MD003")
        .map(|d| d.span.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(d, ["s.ja.md:1:1", "s.ja.md:5:1"]);
}

#[test]
fn a_heading_cannot_take_an_id_of_the_page_layout() {
    let r = md("## 本文 {#main}\n\n## 目次 {#sidebar-heading}\n\n## 可 {#mainly}\n");
    let d: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "MD003")
        .map(|d| d.span.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(d, ["s.ja.md:1:1", "s.ja.md:3:1"]);
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.message.contains("page layout"))
    );
}

#[test]
fn top_level_paragraphs_are_numbered_under_their_heading() {
    let r = md(
        "前文\n\n## A\n\n一\n\n- 項目\n\n  続き\n\n> 引用\n\n二\n\n## B {#b}\n\n三[^1]\n\n[^1]: 注\n",
    );
    let doc = Html::parse_fragment(&r.html);
    let ids: Vec<&str> = select(&doc, "p[id]")
        .iter()
        .filter_map(|p| p.value().attr("id"))
        .collect();
    // Paragraphs in lists, quotes and footnotes are not numbered; the count restarts at
    // each heading.
    assert_eq!(ids, ["p1", "h-1-p1", "h-1-p2", "b-p1"], "{}", r.html);
    assert_eq!(select(&doc, "#h-1-p2")[0].text().collect::<String>(), "二");
}

#[test]
fn paragraph_anchors_step_aside_for_explicit_ones() {
    let r = md("本文\n\n## 別 {#p1}\n\n続き\n");
    let doc = Html::parse_fragment(&r.html);
    let ids: Vec<&str> = select(&doc, "[id]")
        .iter()
        .filter_map(|p| p.value().attr("id"))
        .collect();
    assert_eq!(ids, ["p1-x2", "p1", "p1-p1"], "{}", r.html);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn generated_anchors_avoid_explicit_ones() {
    let r = md("# A\n\n# B {#h-1}\n\n# C\n");
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["h-1-2", "h-1", "h-3"]);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let doc = Html::parse_fragment(&r.html);
    assert_eq!(select(&doc, "[id='h-1']").len(), 1, "{}", r.html);
}

fn tr110(src: &str) -> usize {
    md(src)
        .diagnostics
        .iter()
        .filter(|d| d.code == "TR110")
        .count()
}

#[test]
fn tr110_fires_only_on_a_stranded_delimiter_run() {
    assert_eq!(tr110("これは**「重要」**です。"), 1);
    assert_eq!(tr110("「重要」*です。"), 1);
    // Escaped, an entity, arithmetic, and the escape its hint recommends: all silent.
    assert_eq!(tr110("これは\\*literal\\*です。"), 0);
    assert_eq!(tr110("星印&#42;です。"), 0);
    assert_eq!(tr110("2 * 3 = 6"), 0);
    assert_eq!(tr110("これは\\*\\*「重要」\\*\\*です。"), 0);
    assert_eq!(tr110("`a*「b」*`と書く。"), 0);
}

#[test]
fn tr110_points_at_the_asterisks() {
    let r = md("本文。\nこれは**「重要」**です。");
    assert_eq!(
        r.diagnostics[0].span.as_ref().unwrap().to_string(),
        "s.ja.md:2:4"
    );
}

#[test]
fn six_markdown_levels_stay_six_levels_under_the_page_title() {
    let r = md("# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6\n");
    assert_eq!(
        r.headings.iter().map(|h| h.level).collect::<Vec<_>>(),
        [2, 3, 4, 5, 6, 7]
    );
    let doc = Html::parse_fragment(&r.html);
    assert_eq!(select(&doc, "h6").len(), 1, "{}", r.html);
    let seventh = select(&doc, "p[role='heading'][aria-level='7']");
    assert_eq!(seventh.len(), 1, "{}", r.html);
    assert_eq!(seventh[0].value().attr("id"), Some("h-6"));
}

#[test]
fn a_seventh_level_becomes_a_real_heading_on_its_item_page() {
    let r = md(
        "# 1\n## 2\n### 3\n#### 4\n##### [1] 項目 {#BP1-GA-P1}\n\n本文\n\n###### 細目\n\n詳細\n",
    );
    let prose = r.prose("BP1-GA-P1").unwrap();
    assert!(prose.contains("<h2 id=\"h-6\">細目</h2>"), "{prose}");
}

#[test]
fn headings_inside_quotes_and_lists_are_shifted_too() {
    let r = md("# 題\n\n> # 引用\n");
    let doc = Html::parse_fragment(&r.html);
    assert_eq!(select(&doc, "h1").len(), 0, "{}", r.html);
    assert_eq!(select(&doc, "blockquote h2").len(), 1, "{}", r.html);
}

mod joining {
    //! Property: whatever inline markup and soft breaks Japanese text carries, the rendered
    //! text has no whitespace between two CJK characters.
    use super::md;
    use crate::markdown::is_cjk;
    use proptest::prelude::*;

    fn word() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "政府",
            "機関",
            "の",
            "対策",
            "を",
            "進める",
            "情報",
            "、",
            "。",
            "「基準」",
        ])
        .prop_map(str::to_string)
    }

    /// A piece of Japanese text with some inline markup around it.
    fn piece() -> impl Strategy<Value = String> {
        (word(), 0..7usize).prop_map(|(w, k)| match k {
            0 => format!("**{w}**"),
            1 => format!("*{w}*"),
            2 => format!("[{w}](https://example.org/)"),
            3 => format!("`{w}`"),
            4 => format!("~~{w}~~"),
            5 => format!("{w}[^1]"),
            _ => w,
        })
    }

    fn visible_text(html: &str) -> String {
        let doc = scraper::Html::parse_fragment(html);
        let p = scraper::Selector::parse("p").unwrap();
        doc.select(&p).flat_map(|e| e.text()).collect()
    }

    /// Whitespace whose nearest neighbours on both sides are CJK characters.
    fn cjk_gap(text: &str) -> Option<usize> {
        let chars: Vec<char> = text.chars().collect();
        (1..chars.len().saturating_sub(1)).find(|&i| {
            chars[i].is_whitespace()
                && chars[..i]
                    .iter()
                    .rev()
                    .find(|c| !c.is_whitespace())
                    .is_some_and(|c| is_cjk(*c))
                && chars[i + 1..]
                    .iter()
                    .find(|c| !c.is_whitespace())
                    .is_some_and(|c| is_cjk(*c))
        })
    }

    proptest! {
        #[test]
        fn no_whitespace_between_cjk_characters(
            parts in prop::collection::vec((piece(), any::<bool>()), 1..12)
        ) {
            let mut src = String::new();
            for (p, brk) in &parts {
                src.push_str(p);
                if *brk {
                    src.push('\n');
                }
            }
            src.push_str("\n\n[^1]: 注。\n");
            let r = md(&src);
            let text = visible_text(&r.html);
            prop_assert!(cjk_gap(&text).is_none(), "{src:?} → {text:?}");
        }
    }

    #[test]
    fn the_gap_detector_can_fail() {
        assert_eq!(cjk_gap("語と\nです"), Some(2));
        assert_eq!(cjk_gap("CSIRT\nです"), None);
    }
}

#[test]
fn placeholders_are_filled_in_one_pass_and_unknown_ones_stay() {
    let strings = |k: &str| match k {
        "footnotes" => Some("脚注"),
        "back" => Some("戻る <&>"),
        _ => None,
    };
    let html = format!(
        "<a href=\"{ROOT}ja/\">x</a><h2>{}</h2><a aria-label=\"{}\">↩</a>{}@@ @@t:BAD@@ @@root@@",
        ui("footnotes"),
        ui("back"),
        ui("missing_key"),
    );
    assert_eq!(
        fill_placeholders(&html, "../../", &strings),
        "<a href=\"../../ja/\">x</a><h2>脚注</h2><a aria-label=\"戻る &lt;&amp;&gt;\">↩</a>missing_key@@ @@t:BAD@@ @@root@@"
    );
}

#[test]
fn footnote_back_links_end_the_notes_last_line() {
    let r = md("本文[^1]と[^2]。\n\n[^1]: 注一\n\n[^2]: 注二\n\n    > [!NOTE]\n    > 編集上の注\n");
    let doc = Html::parse_fragment(&r.html);
    for (id, last) in [("fn-1", "注一"), ("fn-2", "編集上の注")] {
        let p = select(&doc, &format!("#{id} p:last-of-type"));
        let p = p.last().unwrap();
        assert!(p.text().collect::<String>().starts_with(last), "{}", r.html);
        assert_eq!(
            p.select(&Selector::parse("a.fn-back").unwrap()).count(),
            1,
            "{id}: {}",
            r.html
        );
    }
}
