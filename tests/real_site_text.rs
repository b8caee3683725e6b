//! The real site's text after the Markdown stage's additions: no alt attribute escaped twice,
//! and in the Japanese pages' prose no source line break left between two CJK characters,
//! inside a text node or where inline markup meets text (the browser would show it as a
//! space). A space the author typed (`第１次提言 [第１章（１）](@FP1-1-1)`) is the text's own.

mod common;
use plansite::markdown::is_cjk;
use scraper::{ElementRef, Html, Node, Selector};
use std::path::Path;

/// Blocks whose text is one line of reading (no nested blocks to separate).
const BLOCKS: &str = ".prose :is(p, h2, h3, h4, h5, h6, td, th, li, dt, dd, figcaption)";

/// The text nodes of `block` in order, or `None` when it holds other blocks.
fn runs(block: ElementRef<'_>) -> Option<Vec<String>> {
    let nested = Selector::parse("p, ul, ol, table, div, blockquote, section").unwrap();
    if block.select(&nested).next().is_some() {
        return None;
    }
    Some(
        block
            .descendants()
            .filter_map(|n| match n.value() {
                Node::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect(),
    )
}

/// A line break whose nearest visible characters on both sides are CJK, across the text
/// nodes of one block: `語と<strong>強調</strong>\nです`.
fn gap_at_markup(runs: &[String]) -> Option<String> {
    let chars: Vec<char> = runs.iter().flat_map(|r| r.chars()).collect();
    (0..chars.len()).find_map(|i| {
        if chars[i] != '\n' {
            return None;
        }
        let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
        let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
        (before.is_some_and(|c| is_cjk(*c)) && after.is_some_and(|c| is_cjk(*c))).then(|| {
            let from = i.saturating_sub(12);
            chars[from..(i + 12).min(chars.len())].iter().collect()
        })
    })
}

fn pages(root: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect()
}

#[test]
fn the_real_sites_text_has_no_double_escaped_alt_and_no_gaps_in_japanese() {
    let out = common::build_real_site();
    let dest = out.path().join("site");
    let blocks = Selector::parse(BLOCKS).unwrap();
    let imgs = Selector::parse("img[alt]").unwrap();
    let mut offenders = Vec::new();
    let mut checked = 0;
    let all = pages(&dest);
    assert!(all.len() > 100, "{} pages", all.len());
    for page in &all {
        let html = std::fs::read_to_string(page).unwrap();
        assert!(!html.contains("&amp;amp;"), "{}", page.display());
        let doc = Html::parse_document(&html);
        for img in doc.select(&imgs) {
            let alt = img.value().attr("alt").unwrap_or("");
            assert!(
                !alt.contains("&amp;") && !alt.contains("&quot;"),
                "{}: {alt}",
                page.display()
            );
        }
        if !page.starts_with(dest.join("ja")) {
            continue;
        }
        for b in doc.select(&blocks) {
            checked += 1;
            if let Some(gap) = runs(b).as_deref().and_then(gap_at_markup) {
                offenders.push(format!("{}: {gap:?}", page.display()));
            }
        }
    }
    assert!(checked > 1000, "only {checked} prose blocks checked");
    assert!(
        offenders.is_empty(),
        "{} gaps:\n{}",
        offenders.len(),
        offenders.join("\n")
    );
}

#[test]
fn the_gap_detector_can_fail() {
    let doc =
        Html::parse_fragment("<p>語と<strong>強調</strong>\nです。</p><p>第1節 <a>対策</a></p>");
    let p = Selector::parse("p").unwrap();
    assert!(Selector::parse(BLOCKS).is_ok());
    let found: Vec<Option<String>> = doc
        .select(&p)
        .map(|b| runs(b).as_deref().and_then(gap_at_markup))
        .collect();
    assert!(found[0].is_some());
    // A space is the source's own (a title's 第1節 対策).
    assert_eq!(found[1], None);
}
