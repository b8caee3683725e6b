//! `serve`'s incremental rebuilds: after each edit the output equals a full build byte for
//! byte, and only the work that depends on the edit is redone.

mod common;
use common::SiteTest;
use plansite::build::{Options, compile, compile_with};
use plansite::incremental::Cache;
use plansite::render::{OutputFile, render_site, render_site_cached};

fn full(site: &SiteTest) -> Vec<OutputFile> {
    let (s, _) = compile(&Options::new(site.root())).unwrap();
    render_site(&s, site.root()).unwrap()
}

fn incremental(site: &SiteTest, cache: &Cache) -> Vec<OutputFile> {
    cache.begin();
    let (s, _) = compile_with(&Options::new(site.root()), Some(cache)).unwrap();
    render_site_cached(&s, site.root(), Some(cache)).unwrap()
}

fn assert_same(a: &[OutputFile], b: &[OutputFile]) {
    assert_eq!(
        a.iter().map(|f| &f.path).collect::<Vec<_>>(),
        b.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    for (x, y) in a.iter().zip(b) {
        assert!(x.bytes == y.bytes, "{} differs from a full build", x.path);
    }
}

#[test]
fn edits_rebuild_only_what_depends_on_them_and_match_a_full_build() {
    let site = SiteTest::fixture("minimal");
    let cache = Cache::default();
    assert_same(&incremental(&site, &cache), &full(&site));
    let first = cache.stats();
    assert_eq!(first.markdown_reused, 0);
    assert_eq!(first.pages_reused, 0);

    // Nothing changed: everything is reused.
    assert_same(&incremental(&site, &cache), &full(&site));
    let same = cache.stats();
    assert_eq!(
        (same.markdown_rendered, same.pages_rendered),
        (0, 0),
        "{same:?}"
    );

    // A prose edit in one Japanese file: that file alone is re-rendered; the pages showing it
    // (its section, the English page's "other language" links are unaffected) change.
    site.edit(
        "content/plan/010-ch1.ja.md",
        "毎年見直す。",
        "毎年度見直す。",
    );
    assert_same(&incremental(&site, &cache), &full(&site));
    let prose = cache.stats();
    assert_eq!(prose.markdown_rendered, 1, "{prose:?}");
    assert!(
        prose.pages_rendered > 0 && prose.pages_reused > prose.pages_rendered,
        "{prose:?}"
    );

    // A second prose edit: nothing site-wide changes, so only that section's pages are visited.
    site.edit(
        "content/plan/010-ch1.ja.md",
        "毎年度見直す。",
        "毎年度、見直す。",
    );
    assert_same(&incremental(&site, &cache), &full(&site));
    let again = cache.stats();
    assert_eq!(again.markdown_rendered, 1, "{again:?}");
    assert!(
        again.pages_rendered <= 4,
        "only the section and its items' pages: {again:?}"
    );

    // A new cross-reference adds a backlink on another page; a removed glossary word changes
    // the glossary's use: both reach beyond the edited page, and still match a full build.
    site.edit(
        "content/plan/010-ch1.ja.md",
        "専門的職員を育成する。",
        "専門的職員を育成する。[目標](@TP-G1)参照。",
    );
    assert_same(&incremental(&site, &cache), &full(&site));
    site.edit(
        "content/plan/010-ch1.ja.md",
        "政府は、重要インフラの",
        "政府は、基盤の",
    );
    assert_same(&incremental(&site, &cache), &full(&site));

    // A title edit changes the link environment: every page that shows the title follows.
    site.edit(
        "content/plan/items.yaml",
        "en: Human-resource development",
        "en: Developing human resources",
    );
    assert_same(&incremental(&site, &cache), &full(&site));
    assert!(cache.stats().markdown_rendered >= 2);

    // A template edit drops every cached page.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>404!</h1>{% endblock content %}",
    );
    assert_same(&incremental(&site, &cache), &full(&site));
    let theme = cache.stats();
    assert_eq!(theme.pages_reused, 0, "{theme:?}");
}

/// What `serve` does: compile, and render only when there are no errors.
fn serve_rebuild(site: &SiteTest, cache: &Cache) -> Option<Vec<OutputFile>> {
    cache.begin();
    let (s, diags) = compile_with(&Options::new(site.root()), Some(cache)).unwrap();
    if diags.iter().any(|d| d.is_error()) {
        return None;
    }
    Some(render_site_cached(&s, site.root(), Some(cache)).unwrap())
}

#[test]
fn an_edit_made_during_a_failed_build_still_reaches_the_page() {
    let site = SiteTest::fixture("minimal");
    let cache = Cache::default();
    assert!(serve_rebuild(&site, &cache).is_some());
    // Prose edited while items.yaml is broken (a policy advances no goal): the build fails,
    // but the new prose was rendered and cached.
    let items = std::fs::read_to_string(site.root().join("content/plan/items.yaml")).unwrap();
    site.edit(
        "content/plan/010-ch1.en.md",
        "Reviewed every year.",
        "Reviewed every single year.",
    );
    site.edit(
        "content/plan/items.yaml",
        "  links:\n    advances: [TP-G1]\n",
        "",
    );
    assert!(serve_rebuild(&site, &cache).is_none());
    // Restoring items.yaml byte for byte restores everything site-wide: the edited page must
    // still be the new one.
    site.write("content/plan/items.yaml", items);
    let files = serve_rebuild(&site, &cache).unwrap();
    assert_same(&files, &full(&site));
}
