//! The CommonMark 0.31.2 examples and the GFM table and strikethrough examples, each rendered
//! through plansite's Markdown stage and compared with the spec's HTML.
//!
//! plansite adds to CommonMark on purpose; [`normalise`] undoes exactly these additions before
//! comparing, and nothing else:
//!
//! - headings: the outline moves so that the top heading is `<h2>` (the page title is the h1),
//!   levels past 6 become `<p role="heading" aria-level="N">`, and every heading has an `id`
//!   (and item headings a class). The test maps the levels back (the top heading to the
//!   spec's top level) and drops the attributes;
//! - top-level paragraphs: an `id` (`p1`, `h-2-p3`) to cite them by, dropped;
//! - code blocks: `<pre class="code" translate="no" tabindex="0">` and highlighting spans
//!   (`<span class="hl-…">`) are dropped;
//! - line breaks between tags are ignored, and `<br>`/`<hr>` spelled either way (pulldown-cmark's
//!   own spec harness does the same).
//!
//! Raw HTML: CommonMark passes it through, plansite cleans it by default (`raw_html =
//! "sanitize"`, docs/content-format.md). The examples run with `raw_html = "allow"`, which
//! passes it through as CommonMark does; a second run under the default policy lists the
//! examples the sanitiser changes ([`SANITISED`]).
//!
//! Examples that still differ are listed in [`DELIBERATE`] with the reason; the test fails when
//! any other example differs, and when a listed one starts to pass (so the list stays true).

use plansite::config::RawHtml;
use plansite::markdown::{Context, Resolved, TermMatcher, render};
use plansite::source::SourceFile;
use serde_json::Value;

/// CommonMark examples plansite renders differently on purpose: (number, reason).
const DELIBERATE: &[(u64, &str)] = &[];

/// The examples the default raw-HTML policy changes on purpose: raw HTML outside the
/// allow-list is dropped (HTML blocks, inline tags such as `<bar>` or a bare `<a>` left open),
/// an `<a>` is closed, and autolinks with schemes other than http(s)/mailto lose the link
/// (`<irc://…>`, `<made-up-scheme://…>`).
const SANITISED: &[u64] = &[
    21, 31, 148, 149, 150, 151, 152, 153, 155, 156, 157, 158, 160, 163, 165, 169, 170, 171, 172,
    173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 187, 190, 191, 201, 308, 309, 344,
    475, 476, 477, 491, 494, 524, 536, 596, 598, 599, 601, 613, 614, 615, 616, 617, 623, 625, 626,
    627, 628, 629, 630, 631, 642, 643,
];

/// GFM examples plansite renders differently on purpose: (name, reason).
const DELIBERATE_GFM: &[(&str, &str)] = &[];

/// A site where nothing resolves and there are no glossary terms: plain Markdown, under a
/// raw-HTML policy.
struct Plain(RawHtml);

impl Context for Plain {
    fn raw_html(&self) -> RawHtml {
        self.0
    }
    fn resolve(&self, _: &str, _: &str) -> Option<Resolved> {
        None
    }
    fn is_item(&self, _: &str) -> bool {
        false
    }
    fn terms(&self, _: &str) -> Option<&TermMatcher> {
        None
    }
}

fn to_html(markdown: &str, lang: &str, raw: RawHtml) -> String {
    render(&SourceFile::new("spec.md", markdown), 0, lang, &Plain(raw)).html
}

/// The heading level of a tag starting at `s`, its length up to `>`, and whether it closes.
fn heading_tag(s: &str) -> Option<(u8, usize, bool)> {
    let b = s.as_bytes();
    let close = b.get(1) == Some(&b'/');
    let at = if close { 2 } else { 1 };
    let end = s.find('>')? + 1;
    if b.get(at) == Some(&b'h') && b.get(at + 1).is_some_and(|c| (b'1'..=b'6').contains(c)) {
        let next = b.get(at + 2)?;
        if *next == b'>' || *next == b' ' {
            return Some((b[at + 1] - b'0', end, close));
        }
    }
    if !close && s.starts_with("<p role=\"heading\" aria-level=\"") {
        let digits: String = s[30..].chars().take_while(char::is_ascii_digit).collect();
        return Some((digits.parse().ok()?, end, false));
    }
    None
}

/// The length of a top-level paragraph's opening tag with its anchor (`<p id="p1">`,
/// `<p id="h-2-p3">`), which plansite adds.
fn paragraph_anchor(rest: &str) -> Option<usize> {
    let id = rest.strip_prefix("<p id=\"")?;
    let end = id.find("\">")?;
    let id = &id[..end];
    let n = id.rfind('p')?;
    (id[n + 1..].bytes().all(|b| b.is_ascii_digit()) && (n == 0 || id[..n].ends_with('-')))
        .then_some("<p id=\"".len() + end + 2)
}

/// Undoes plansite's deliberate additions (see the module comment). `top` is the spec's top
/// heading level for this example.
fn normalise(html: &str, top: u8) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // A `<p role="heading">` closes with `</p>`: remember the levels of open headings.
    let mut open: Vec<(u8, bool)> = Vec::new();
    let mut in_pre = false;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some((level, len, close)) = heading_tag(rest) {
            let n = level + top - 2;
            if close {
                open.pop();
                out.push_str(&format!("</h{n}>"));
            } else {
                open.push((n, rest.starts_with("<p")));
                out.push_str(&format!("<h{n}>"));
            }
            rest = &rest[len..];
        } else if rest.starts_with("</p>") && open.last().is_some_and(|(_, p)| *p) {
            let (n, _) = open.pop().unwrap_or_default();
            out.push_str(&format!("</h{n}>"));
            rest = &rest[4..];
        } else if let Some(len) = paragraph_anchor(rest) {
            out.push_str("<p>");
            rest = &rest[len..];
        } else if let Some(r) =
            rest.strip_prefix("<pre class=\"code\" translate=\"no\" tabindex=\"0\">")
        {
            out.push_str("<pre>");
            in_pre = true;
            rest = r;
        } else if in_pre && rest.starts_with("<span class=\"hl-") {
            rest = &rest[rest.find('>').map_or(rest.len(), |e| e + 1)..];
        } else if in_pre && rest.starts_with("</span>") {
            rest = &rest[7..];
        } else {
            if rest.starts_with("</pre>") {
                in_pre = false;
            }
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    standardise(&out)
}

/// What pulldown-cmark's own spec harness ignores (`<br>`/`<hr>` spellings, line breaks
/// between tags), and `&quot;` for `"` in text, where both mean the same (the spec's own
/// harness compares parsed HTML).
fn standardise(s: &str) -> String {
    let s = s
        .replace("<br>", "<br />")
        .replace("<br/>", "<br />")
        .replace("<hr>", "<hr />")
        .replace("<hr/>", "<hr />")
        .replace(">\n<", "><");
    let mut out = String::with_capacity(s.len());
    for (k, part) in s.split('<').enumerate() {
        if k > 0 {
            out.push('<');
        }
        match part.split_once('>') {
            Some((tag, text)) if k > 0 => {
                out.push_str(tag);
                out.push('>');
                out.push_str(&text.replace("&quot;", "\""));
            }
            _ => out.push_str(&part.replace("&quot;", "\"")),
        }
    }
    out
}

/// The spec's top heading level in `expected` (2 when it has none, which maps nothing).
fn top_level(expected: &str) -> u8 {
    (1..=6u8)
        .find(|n| expected.contains(&format!("<h{n}>")) || expected.contains(&format!("<h{n} ")))
        .unwrap_or(2)
}

struct Outcome {
    passed: usize,
    failed: Vec<(String, String)>,
}

fn run(examples: &[Value], lang: &str, raw: RawHtml) -> Outcome {
    let mut passed = 0;
    let mut failed = Vec::new();
    for e in examples {
        // The spec writes tabs as `→` (its own harness swaps them back).
        let markdown = e["markdown"].as_str().expect("markdown").replace('→', "\t");
        let expected = e["html"].as_str().expect("html").replace('→', "\t");
        let (markdown, expected) = (markdown.as_str(), expected.as_str());
        let name = match &e["example"] {
            Value::String(s) => s.clone(),
            n => n.to_string(),
        };
        let got = normalise(&to_html(markdown, lang, raw), top_level(expected));
        if got == standardise(expected) {
            passed += 1;
        } else {
            failed.push((
                name,
                format!(
                    "markdown: {markdown:?}\nexpected: {:?}\n     got: {got:?}",
                    standardise(expected)
                ),
            ));
        }
    }
    Outcome { passed, failed }
}

fn check(file: &str, deliberate: &[String], raw: RawHtml) -> Outcome {
    let text = std::fs::read_to_string(format!("{}/tests/spec/{file}", env!("CARGO_MANIFEST_DIR")))
        .expect("vendored spec");
    let examples: Vec<Value> = serde_json::from_str(&text).expect("spec JSON");
    let outcome = run(&examples, "en", raw);
    let unexpected: Vec<String> = outcome
        .failed
        .iter()
        .filter(|(n, _)| !deliberate.contains(n))
        .map(|(n, d)| format!("example {n}\n{d}"))
        .collect();
    let now_passing: Vec<&String> = deliberate
        .iter()
        .filter(|n| !outcome.failed.iter().any(|(f, _)| f == *n))
        .collect();
    println!(
        "{file} ({raw:?}): {} of {} pass ({} deliberate differences)",
        outcome.passed,
        examples.len(),
        deliberate.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} of {} examples differ:\n\n{}",
        unexpected.len(),
        examples.len(),
        unexpected.join("\n\n")
    );
    assert!(
        now_passing.is_empty(),
        "listed as deliberate but passing: {now_passing:?}"
    );
    outcome
}

#[test]
fn commonmark_0_31_2_examples_pass() {
    let deliberate: Vec<String> = DELIBERATE.iter().map(|(n, _)| n.to_string()).collect();
    let outcome = check("commonmark-0.31.2.json", &deliberate, RawHtml::Allow);
    assert_eq!(outcome.passed + outcome.failed.len(), 652);
}

#[test]
fn under_the_default_raw_html_policy_only_the_sanitised_examples_differ() {
    let mut deliberate: Vec<String> = DELIBERATE.iter().map(|(n, _)| n.to_string()).collect();
    deliberate.extend(SANITISED.iter().map(u64::to_string));
    let outcome = check("commonmark-0.31.2.json", &deliberate, RawHtml::Sanitize);
    assert_eq!(outcome.passed, 652 - SANITISED.len() - DELIBERATE.len());
}

#[test]
fn gfm_table_and_strikethrough_examples_pass() {
    let deliberate: Vec<String> = DELIBERATE_GFM.iter().map(|(n, _)| n.to_string()).collect();
    let outcome = check(
        "gfm-tables-strikethrough.json",
        &deliberate,
        RawHtml::Sanitize,
    );
    assert!(outcome.passed >= 11, "{}", outcome.passed);
}

#[test]
fn the_normalisation_undoes_only_the_heading_shift_paragraph_anchors_and_code_classes() {
    assert_eq!(
        normalise(
            "<h2 id=\"h-1\">a</h2>\n<p role=\"heading\" aria-level=\"7\" id=\"h-2\">b</p>\n<p>c</p>",
            1
        ),
        "<h1>a</h1><h6>b</h6><p>c</p>"
    );
    assert_eq!(
        normalise(
            "<pre class=\"code\" translate=\"no\" tabindex=\"0\"><code class=\"language-rust\"><span class=\"hl-source\">fn</span></code></pre>",
            2
        ),
        "<pre><code class=\"language-rust\">fn</code></pre>"
    );
    assert_eq!(
        normalise(
            "<p id=\"p1\">a</p><p id=\"h-2-p3\">b</p><p id=\"x\">c</p>",
            2
        ),
        "<p>a</p><p>b</p><p id=\"x\">c</p>"
    );
    // Text is never touched.
    assert_eq!(
        normalise("<p>&lt;h2&gt; <span>x</span></p>", 1),
        "<p>&lt;h2&gt; <span>x</span></p>"
    );
}

/// GFM footnotes and alerts have no examples in the GFM spec; plansite renders them in its own
/// form (the source's numbers, back-links, editorial notes), so these cases are hand-written.
/// Their interface words are the theme's, filled in when a page is written (`@@t:key@@`).
#[test]
fn gfm_footnotes_and_alerts_render_in_plansites_form() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "a[^1] b[^x]\n\n[^1]: one\n[^x]: ex\n",
            "en",
            "<p id=\"p1\">a<sup class=\"fnref\"><a id=\"fnref-1\" href=\"#fn-1\" role=\"doc-noteref\">1</a></sup> b<sup class=\"fnref\"><a id=\"fnref-x\" href=\"#fn-x\" role=\"doc-noteref\">2</a></sup></p>\n<section class=\"footnotes\" aria-labelledby=\"footnotes\">\n<h2 id=\"footnotes\">@@t:footnotes@@</h2>\n<ol class=\"footnote-list\">\n<li id=\"fn-1\" value=\"1\"><p>one <a class=\"fn-back\" href=\"#fnref-1\" aria-label=\"@@t:footnote_back@@\">↩</a></p></li>\n<li id=\"fn-x\" value=\"2\"><p>ex <a class=\"fn-back\" href=\"#fnref-x\" aria-label=\"@@t:footnote_back@@\">↩</a></p></li>\n</ol>\n</section>\n",
        ),
        (
            "> [!NOTE]\n> as written\n",
            "en",
            "<aside class=\"note note-note\"><p class=\"note-label\">@@t:note_editorial@@</p>\n<p>as written</p>\n</aside>\n",
        ),
        (
            "> [!WARNING]\n> 注意\n",
            "ja",
            "<aside class=\"note note-warning\"><p class=\"note-label\">@@t:note_caution@@</p>\n<p>注意</p>\n</aside>\n",
        ),
        // Not an alert: an ordinary quote.
        (
            "> [!NOPE]\n> x\n",
            "en",
            "<blockquote>\n<p>[!NOPE]\nx</p>\n</blockquote>\n",
        ),
    ];
    for (markdown, lang, html) in cases {
        assert_eq!(
            to_html(markdown, lang, RawHtml::Sanitize),
            *html,
            "{markdown:?}"
        );
    }
}
