//! Citing and filing the real site (#15, points 7, 8 and 11): a permalink beside every heading
//! and paragraph of a section, under an ID both languages share; no ID twice on a page; the
//! last content update on every page with a language; each single-page document naming its
//! title, date and address on every printed page.

use plansite::build::{Options, compile};
use plansite::render::{OutputFile, render_site};
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

struct Built {
    /// Whether the site was read from a git checkout (it has a content history).
    history: bool,
    pages: BTreeMap<String, String>,
}

fn built() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _) = compile(&Options::new(root)).unwrap();
        let files: Vec<OutputFile> = render_site(&site, root).unwrap();
        Built {
            history: !site.changes.is_empty(),
            pages: files
                .into_iter()
                .filter(|f| f.path.ends_with(".html"))
                .map(|f| (f.path, String::from_utf8(f.bytes).unwrap()))
                .collect(),
        }
    })
}

fn doc(path: &str) -> Html {
    let text = built()
        .pages
        .get(path)
        .unwrap_or_else(|| panic!("no page {path}"));
    Html::parse_document(text)
}

fn all<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// The section pages of the real site (a document's sections, not its single page).
fn section_pages() -> Vec<&'static str> {
    built()
        .pages
        .keys()
        .map(String::as_str)
        .filter(|p| {
            let parts: Vec<&str> = p.split('/').collect();
            parts.len() == 4
                && parts[2] != "all"
                && !["items", "trace", "search", "about", "glossary"].contains(&parts[1])
        })
        .collect()
}

#[test]
fn every_heading_and_paragraph_of_a_section_has_a_permalink_with_a_name() {
    let pages = section_pages();
    assert!(pages.len() > 50, "{}", pages.len());
    let mut paragraphs = 0;
    for path in pages {
        let d = doc(path);
        let (heading_label, paragraph_label) = if path.starts_with("ja/") {
            ("この見出しへのリンク", "この段落へのリンク")
        } else {
            ("Link to this heading", "Link to this paragraph")
        };
        for p in all(&d, ".prose > p[id]") {
            let id = p.value().attr("id").unwrap();
            assert!(id.is_ascii(), "{path}: {id}");
            let links = all(&d, &format!(".prose > p[id='{id}'] > a.permalink.para"));
            assert_eq!(links.len(), 1, "{path}: paragraph {id}");
            let a = links[0].value();
            assert_eq!(a.attr("href"), Some(format!("#{id}").as_str()), "{path}");
            assert_eq!(a.attr("aria-label"), Some(paragraph_label), "{path}");
            paragraphs += 1;
        }
        for h in all(
            &d,
            ".prose > h2[id], .prose > h3[id], .prose > h4[id], .prose > h5[id], .prose > h6[id]",
        ) {
            let id = h.value().attr("id").unwrap();
            if id == "footnotes" {
                continue;
            }
            let a = all(&d, &format!(".prose [id='{id}'] > a.permalink"));
            assert_eq!(a.len(), 1, "{path}: heading {id}");
            assert_eq!(a[0].value().attr("aria-label"), Some(heading_label));
        }
        // A paragraph in a list or a note is not numbered.
        assert!(
            all(&d, ".prose li > p[id], .prose aside > p[id]").is_empty(),
            "{path}"
        );
    }
    assert!(paragraphs > 200, "{paragraphs}");
}

/// The language switch keeps the `#fragment`: it only helps when the other language has the
/// same anchors, which holds where both versions have the same headings and paragraphs.
#[test]
fn both_languages_of_a_section_share_their_anchors() {
    let ids = |path: &str| -> Vec<String> {
        all(&doc(path), ".prose [id]")
            .iter()
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .filter(|id| !id.starts_with("tt-"))
            .collect()
    };
    let (mut same, mut pairs) = (0, 0);
    for ja in section_pages().into_iter().filter(|p| p.starts_with("ja/")) {
        let en = format!("en/{}", &ja[3..]);
        if !built().pages.contains_key(&en) {
            continue;
        }
        pairs += 1;
        if ids(ja) == ids(&en) {
            same += 1;
        }
    }
    assert!(pairs > 20, "{pairs}");
    // Today every section; a translation may one day split a paragraph, so not "all".
    assert!(
        same * 10 >= pairs * 9,
        "{same} of {pairs} sections share their anchors"
    );
}

#[test]
fn no_page_has_an_id_twice() {
    for (path, text) in &built().pages {
        let d = Html::parse_document(text);
        let mut seen = BTreeMap::new();
        for e in all(&d, "[id]") {
            *seen.entry(e.value().attr("id").unwrap()).or_insert(0) += 1;
        }
        let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "{path}: {twice:?}");
    }
}

#[test]
fn every_page_with_a_language_shows_its_last_content_update() {
    if !built().history {
        return; // not a git checkout: no history to date pages by
    }
    for (path, text) in &built().pages {
        if path == "index.html" || path == "404.html" {
            continue; // the language chooser and the 404 page show no content
        }
        let d = Html::parse_document(text);
        let time = all(&d, "footer .updated time[datetime]");
        assert_eq!(time.len(), 1, "{path}");
        let shown: String = time[0].text().collect();
        if path.starts_with("ja/") {
            // 2026年12月4日（令和8年12月4日）: the Western date and the 和暦.
            assert!(
                shown.contains("令和") && shown.ends_with("日）"),
                "{path}: {shown}"
            );
        } else {
            assert!(shown.contains(", 20"), "{path}: {shown}");
            assert!(!shown.contains('年'), "{path}: {shown}");
        }
    }
}

#[test]
fn single_page_documents_name_title_date_and_address_on_every_printed_page() {
    for (lang, date) in [("ja", "2006年2月2日"), ("en", "February 2, 2006")] {
        let path = format!("{lang}/basic-plan-1/all/index.html");
        let d = doc(&path);
        let title: String = all(&d, ".print-head h1")[0].text().collect();
        let canonical = all(&d, "link[rel=canonical]")[0]
            .value()
            .attr("href")
            .unwrap()
            .to_string();
        let style: String = all(&d, "head style")
            .iter()
            .map(|s| s.text().collect::<String>())
            .collect();
        assert!(style.contains("@page"), "{style}");
        assert!(
            style.contains(&format!("@top-left {{ content: \"{}\"", title.trim())),
            "{style}"
        );
        assert!(style.contains(date), "{style}");
        assert!(
            style.contains(&format!("@bottom-left {{ content: \"{canonical}\"")),
            "{style}"
        );
        // The first page also carries them in the text, with the source's own address.
        assert_eq!(
            all(&d, ".print-head .print-url")[0]
                .text()
                .collect::<String>(),
            canonical
        );
        // Permalinks are for the screen; links into the site print their absolute address.
        assert!(!all(&d, ".whole-part a.permalink").is_empty());
        for a in all(&d, ".whole-part .prose a[href^='../']") {
            let abs = a.value().attr("data-abs").unwrap_or_default();
            assert!(abs.starts_with("https://"), "{path}: {:?}", a.value());
        }
    }
}

/// The interface words the Markdown stage writes (footnotes heading, back-links, note labels)
/// are the theme's, filled in when a page is written: none is left as a placeholder.
#[test]
fn no_placeholder_is_left_and_the_words_are_the_themes() {
    for (path, text) in &built().pages {
        assert!(!text.contains("@@t:"), "{path}: interface placeholder left");
        assert!(!text.contains("@@root@@"), "{path}: root placeholder left");
    }
    for (lang, footnotes, back, note) in [
        ("ja", "脚注", "本文へ戻る", "編集注"),
        ("en", "Footnotes", "Back to text", "Editorial note"),
    ] {
        let d = doc(&format!("{lang}/first-proposal/all/index.html"));
        let h: Vec<String> = all(&d, ".footnotes h3")
            .iter()
            .map(|h| h.text().collect())
            .collect();
        assert!(!h.is_empty() && h.iter().all(|t| t == footnotes), "{h:?}");
        let backs = all(&d, "a.fn-back");
        assert!(!backs.is_empty());
        assert!(
            backs
                .iter()
                .all(|a| a.value().attr("aria-label") == Some(back))
        );
        let d = doc(&format!("{lang}/basic-plan-1/all/index.html"));
        let labels: Vec<String> = all(&d, ".note-label")
            .iter()
            .map(|p| p.text().collect())
            .collect();
        assert!(
            !labels.is_empty() && labels.iter().all(|t| t == note),
            "{labels:?}"
        );
    }
}

#[test]
fn an_item_page_menu_marks_the_section_its_text_is_in() {
    for lang in ["ja", "en"] {
        let d = doc(&format!("{lang}/items/BP1-GA-P1/index.html"));
        let marked = all(&d, ".sidebar a[aria-current]");
        assert_eq!(marked.len(), 1, "{lang}");
        assert_eq!(marked[0].value().attr("aria-current"), Some("location"));
        let href = marked[0].value().attr("href").unwrap();
        assert!(
            href.ends_with(&format!("{lang}/basic-plan-1/3-1-1/")),
            "{href}"
        );
        // The item's own heading in that section is where its "home" link goes.
        assert!(
            !all(&d, "a[href$='3-1-1/#BP1-GA-P1']").is_empty(),
            "{lang}: no link to the item in its section"
        );
    }
}
