//! What a reader who is not an engineer needs, on the real site: the site navigation and the
//! dashboard link on every page, breadcrumbs by title, an about page, and a single-page version
//! of each document with every section and footnote.

use plansite::build::{Options, compile};
use plansite::render::{OutputFile, render_site};
use scraper::{Html, Selector};
use std::path::Path;

fn site_files() -> (plansite::site::Site, Vec<OutputFile>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, _) = compile(&Options::new(root)).unwrap();
    let files = render_site(&site, root).unwrap();
    (site, files)
}

fn html(f: &OutputFile) -> Html {
    Html::parse_document(std::str::from_utf8(&f.bytes).unwrap())
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn page<'a>(files: &'a [OutputFile], path: &str) -> &'a OutputFile {
    files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no page {path}"))
}

#[test]
fn every_page_has_the_navigation_and_reaches_the_dashboard() {
    let (_, files) = site_files();
    let mut pages = 0;
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        if f.path == "index.html" || f.path == "404.html" {
            continue; // the language chooser and the 404 page have no language of their own
        }
        let doc = html(f);
        let lang = &f.path[..2];
        let nav: Vec<String> = doc
            .select(&sel("header .site-nav a"))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        for want in [
            "/#documents",
            "/trace/",
            "/glossary/",
            "/search/",
            "/about/",
        ] {
            assert!(
                nav.iter().any(|h| h.ends_with(&format!("{lang}{want}"))),
                "{}: navigation lacks {want}: {nav:?}",
                f.path
            );
        }
        for a in doc.select(&sel("header .site-nav a")) {
            assert!(
                !a.text().collect::<String>().trim().is_empty(),
                "{}",
                f.path
            );
        }
        pages += 1;
    }
    assert!(pages > 400, "only {pages} pages");
    // The dashboard is also linked from the body of the home, document and item pages.
    for path in [
        "ja/index.html",
        "en/index.html",
        "ja/basic-plan-1/index.html",
        "en/items/BP1-GA-P1/index.html",
    ] {
        let doc = html(page(&files, path));
        let n = doc.select(&sel("main a[href$='/trace/']")).count();
        assert!(n >= 1, "{path}: no dashboard link in the page body");
    }
}

#[test]
fn breadcrumbs_name_pages_by_title_never_by_id() {
    let (site, files) = site_files();
    for f in files.iter().filter(|f| f.path.ends_with("index.html")) {
        let doc = html(f);
        for li in doc.select(&sel(".breadcrumb li")) {
            let text = li.text().collect::<String>();
            assert!(
                !site.graph.index.contains_key(text.trim()),
                "{}: breadcrumb entry {text} is an ID",
                f.path
            );
        }
    }
}

#[test]
fn about_pages_exist_and_explain_inferred_links_and_reporting() {
    let (_, files) = site_files();
    for lang in ["ja", "en"] {
        let doc = html(page(&files, &format!("{lang}/about/index.html")));
        for id in [
            "what", "who", "english", "checked", "inferred", "sources", "report",
        ] {
            let h = doc.select(&sel(&format!("h2#{id}"))).count();
            assert_eq!(h, 1, "{lang}/about: section {id}");
        }
        let sources = doc.select(&sel(".about-sources a.source-url")).count();
        assert!(sources >= 1, "{lang}/about: no clickable source URL");
    }
}

#[test]
fn single_page_documents_hold_every_section_and_footnote() {
    let (site, files) = site_files();
    let mut docs = 0;
    for (di, d) in site.content.documents.iter().enumerate() {
        if d.kind == "glossary" || d.draft {
            continue;
        }
        for lang in ["ja", "en"] {
            let doc_url = site.doc_href(di, lang);
            let whole = html(page(&files, &format!("{doc_url}all/index.html")));
            let sections: Vec<usize> = (0..site.content.sections.len())
                .filter(|&s| site.content.sections[s].doc == di && !site.content.sections[s].draft)
                .collect();
            let parts = whole.select(&sel("section.whole-part")).count();
            assert_eq!(parts, sections.len(), "{doc_url}all/: sections");
            let toc = whole.select(&sel(".whole-toc li a")).count();
            assert_eq!(toc, sections.len(), "{doc_url}all/: table of contents");
            let mut notes = 0;
            for &s in &sections {
                let sec = html(page(
                    &files,
                    &format!("{}index.html", site.section_href(s, lang)),
                ));
                notes += sec.select(&sel(".footnote-list > li")).count();
            }
            let whole_notes: Vec<_> = whole.select(&sel(".footnote-list > li")).collect();
            assert_eq!(whole_notes.len(), notes, "{doc_url}all/: footnotes");
            // IDs stay unique although two sections may both have a footnote 1.
            let mut ids: Vec<&str> = whole
                .select(&sel("[id]"))
                .filter_map(|e| e.value().attr("id"))
                .collect();
            let n = ids.len();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), n, "{doc_url}all/: duplicate IDs");
            // The document page links to it.
            let docpage = html(page(&files, &format!("{doc_url}index.html")));
            let linked = docpage
                .select(&sel(".doc-actions a[href$='/all/']"))
                .count();
            assert_eq!(linked, 1, "{doc_url}: no link to the single page");
            docs += 1;
        }
    }
    assert!(docs >= 10, "{docs} single-page documents");
}

/// A small well-formedness check (no XML parser among the dependencies; the browser stage
/// parses the feed with the browser's own XML parser too): every element closes in order, every
/// `&` starts an entity.
fn well_formed(xml: &str) -> Result<usize, String> {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
        .ok_or("no XML declaration")?;
    let mut stack: Vec<String> = Vec::new();
    let mut elements = 0;
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        for (i, _) in text.match_indices('&') {
            let ent = &text[i..];
            if !["&amp;", "&lt;", "&gt;", "&quot;", "&#"]
                .iter()
                .any(|e| ent.starts_with(e))
            {
                return Err(format!("bare & in {text}"));
            }
        }
        let gt = rest[lt..].find('>').ok_or("unclosed tag")? + lt;
        let tag = &rest[lt + 1..gt];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().ok_or("close without open")?;
            if open != name {
                return Err(format!("</{name}> closes <{open}>"));
            }
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or("").to_string());
            elements += 1;
        } else {
            elements += 1;
        }
        rest = &rest[gt + 1..];
    }
    if stack.is_empty() && rest.trim().is_empty() {
        Ok(elements)
    } else {
        Err(format!("unclosed: {stack:?}"))
    }
}

#[test]
fn the_changelog_is_on_the_home_page_and_in_a_well_formed_feed() {
    let (site, files) = site_files();
    assert!(
        !site.changelog.is_empty(),
        "content/changes.yaml has entries"
    );
    for lang in ["ja", "en"] {
        let feed = std::str::from_utf8(&page(&files, &format!("{lang}/feed.xml")).bytes)
            .unwrap()
            .to_string();
        well_formed(&feed).unwrap_or_else(|e| panic!("{lang}/feed.xml: {e}"));
        assert_eq!(feed.matches("<entry>").count(), site.changelog.len());
        assert!(feed.contains(&format!("xml:lang=\"{lang}\"")));
        let home = html(page(&files, &format!("{lang}/index.html")));
        let items: Vec<String> = home
            .select(&sel(".changes li"))
            .map(|li| li.text().collect())
            .collect();
        assert_eq!(items.len(), site.changelog.len().min(10), "{lang} home");
        for (li, e) in items.iter().zip(&site.changelog) {
            assert!(li.contains(&e.text[lang]), "{lang}: {li}");
        }
        // Developer commit hashes are gone from the page.
        assert_eq!(home.select(&sel(".changes code")).count(), 0);
    }
    assert!(well_formed("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<a><b></a></b>").is_err());
    assert!(well_formed("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<a>x & y</a>").is_err());
}
