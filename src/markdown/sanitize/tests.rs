//! Raw HTML regions, cleaning and findings, on whole section bodies.

use super::*;
use pulldown_cmark::Parser;

/// Cleans `md` as a section body: (HTML, findings as "CODE line:col message").
fn run(md: &str, mode: RawHtml) -> (String, Vec<String>) {
    let events: Vec<Ev<'_>> = Parser::new_ext(md, crate::markdown::options())
        .into_offset_iter()
        .collect();
    let file = crate::source::SourceFile::new("t.md", md);
    let span = |o: usize, l: usize| file.span(o, l);
    let mut diags = Vec::new();
    let events = apply(events, md, mode, true, &span, &mut diags);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    let found = diags
        .iter()
        .map(|d| {
            let s = d.span.as_ref().unwrap();
            format!("{} {}:{} {}", d.code, s.line, s.col, d.message)
        })
        .collect();
    (html, found)
}

#[test]
fn allowed_html_is_kept_as_written() {
    let md = "<figure class=\"f\" aria-labelledby=\"c\">\n<figcaption id=\"c\">図</figcaption>\n<p><strong>計画</strong><br>(2006)</p>\n</figure>\n\n| a | b<br>c |\n|---|---|\n| <ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp></ruby> | <abbr title=\"x\">X</abbr> |\n";
    let (html, found) = run(md, RawHtml::Sanitize);
    assert!(found.is_empty(), "{found:?}");
    let (plain, _) = run(md, RawHtml::Allow);
    assert_eq!(html, plain);
}

#[test]
fn scripts_handlers_and_bad_urls_are_removed_and_reported_where_written() {
    let md = "Text <img src=x onerror=alert(1)> and <a href=\"javascript:alert(1)\">x</a>.\n\n<script>alert(1)</script>\n\n[y](javascript:alert(2)) ![z](data:image/svg+xml,x)\n";
    let (html, found) = run(md, RawHtml::Sanitize);
    assert!(
        !html.contains("onerror")
            && !html.contains("script")
            && !html.contains("javascript")
            && !html.contains("data:"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"x\">") && html.contains("<a>x</a>"),
        "{html}"
    );
    assert!(html.contains(">y z</p>") || html.contains("y z"), "{html}");
    assert_eq!(
        found,
        [
            "MD011 5:1 link to a `javascript:` URL removed (its text is kept)",
            "MD011 5:26 image to a `data:` URL removed (its text is kept)",
            "MD010 1:17 attribute `onerror` removed from raw `<img>`",
            "MD010 1:42 `href` with a `javascript:` URL removed from raw `<a>`",
            "MD010 3:1 raw HTML `<script>` removed with its content",
        ]
    );
}

#[test]
fn an_inline_span_pair_is_one_fragment_with_its_markdown_inside() {
    let (html, found) = run(
        "a <span lang=\"en\" onclick=\"x()\">*b* [c](https://x.org)</span> d\n",
        RawHtml::Sanitize,
    );
    assert_eq!(
        html,
        "<p>a <span lang=\"en\"><em>b</em> <a href=\"https://x.org\">c</a></span> d</p>\n"
    );
    assert_eq!(
        found,
        ["MD010 1:19 attribute `onclick` removed from raw `<span>`"]
    );
}

#[test]
fn a_figure_around_a_markdown_table_keeps_the_table() {
    let md = "<figure>\n\n| a |\n|---|\n| <iframe src=\"https://x.org\"></iframe>b |\n\n<figcaption>c</figcaption>\n</figure>\n";
    let (html, found) = run(md, RawHtml::Sanitize);
    assert!(html.starts_with("<figure>\n<table>"), "{html}");
    assert!(
        html.contains("<td>b</td>") && html.ends_with("<figcaption>c</figcaption>\n</figure>\n"),
        "{html}"
    );
    assert_eq!(
        found,
        ["MD010 5:3 raw HTML `<iframe>` removed with its content"]
    );
}

#[test]
fn text_inside_a_dropped_element_goes_with_it() {
    let (html, _) = run(
        "a <script>*b*</script> c <style>x</style>\n",
        RawHtml::Sanitize,
    );
    assert_eq!(html, "<p>a  c </p>\n");
}

#[test]
fn deny_reports_each_raw_region_once_as_an_error() {
    let (_, found) = run(
        "x\n\n<div>\n<p>a</p>\n</div>\n\nb <b>c</b>\n",
        RawHtml::Deny,
    );
    assert_eq!(
        found,
        [
            "MD012 3:1 raw HTML `<div>` is not allowed on this site",
            "MD012 7:3 raw HTML `<b>` is not allowed on this site",
        ]
    );
}

#[test]
fn allow_passes_everything_through() {
    let md = "<img src=x onerror=alert(1)> [y](javascript:z)\n";
    let (html, found) = run(md, RawHtml::Allow);
    assert!(found.is_empty());
    assert!(html.contains("onerror=alert(1)") && html.contains("javascript:z"));
}

#[test]
fn forged_placeholders_are_not_placeholders() {
    let (html, _) = run(
        "<b>&lt;\u{E000}0\u{E001}\"&gt;</b> *x* <i>y</i>\n",
        RawHtml::Sanitize,
    );
    assert_eq!(html.matches("<em>x</em>").count(), 1, "{html}");
}

#[test]
fn markdown_between_raw_pieces_never_lands_in_an_attribute() {
    // An unclosed attribute swallows the Markdown run's place: the cleaner writes `<` and `>`
    // in attribute values as `&lt;` and `&gt;`, as in text, so the place must not be found
    // there (the run's own HTML would then open a handler attribute).
    let md = "<script></script>> <p title=\"\n\n> <p title=\"<span onclick=\"x()\">\n<span onclick=\"x()\">";
    // The same with the place's quote ending the value early: what is left of the place goes,
    // the value's closing quote stays.
    let cut = "<div>> <p title=\"\n\n| a | b |\n|---|---|\n| c | d |\n<div>> <p title=\"<span onclick=\"x()\">\n";
    for md in [md, cut] {
        let (html, _) = run(md, RawHtml::Sanitize);
        assert!(scripts_in(&html).is_empty(), "{html}");
        assert!(
            !html.contains('\u{E000}') && !html.contains("&quot;&gt;"),
            "{html}"
        );
    }
    // Where the place stays text, the Markdown between the pieces comes back.
    let (html, found) = run("<div>\n\n*a*\n\n</div>\n", RawHtml::Sanitize);
    assert_eq!(html, "<div>\n<p><em>a</em></p>\n</div>\n");
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn styles_keep_layout_and_lose_the_rest() {
    let (html, found) = run(
        "<div style=\"display:flex;position:fixed;background:url(https://x.org/t)\">a</div>\n",
        RawHtml::Sanitize,
    );
    assert_eq!(html, "<div style=\"display:flex\">a</div>\n");
    assert_eq!(
        found,
        ["MD010 1:6 style `position`, `background` removed from raw `<div>`"]
    );
}

/// Script-capable markup left in `html`, as a browser would parse it.
fn scripts_in(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(html);
    let all = scraper::Selector::parse("*").unwrap();
    let mut found = Vec::new();
    for el in doc.select(&all) {
        let v = el.value();
        if matches!(v.name(), "script" | "style" | "iframe") {
            found.push(v.name().to_string());
        }
        for (a, value) in v.attrs() {
            let value = value.trim().to_ascii_lowercase();
            if a.starts_with("on") || value.starts_with("javascript:") {
                found.push(format!("{a}={value}"));
            }
        }
    }
    found
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Any mix of raw pieces, Markdown and forged placeholders: no panic, nothing that runs.
    #[test]
    fn nothing_that_runs_survives_any_mix(parts in proptest::collection::vec(0usize..22, 0..24)) {
        const PIECES: &[&str] = &[
            "<div>", "</div>", "<span onclick=\"x()\">", "</span>", "*a*", "\n\n", "<script>",
            "</script>", "[x](javascript:y)", "| a | b |\n|---|---|\n| c | d |\n", "<a href=\"javascript:z\">",
            "</a>", "重要インフラ", "\u{E000}", "&lt;\u{E000}0\u{E001}\"&gt;", "<!--", "-->", "<table>",
            "<img src=x onerror=y>", "\n", "<details><summary>s</summary>", "> <p title=\"",
        ];
        let md: String = parts.iter().map(|&k| PIECES[k]).collect();
        for mode in [RawHtml::Sanitize, RawHtml::Deny] {
            let (html, _) = run(&md, mode);
            proptest::prop_assert!(scripts_in(&html).is_empty(), "{md:?} -> {html}");
        }
    }
}
