//! `serve`'s incremental rebuilds: after each edit the site `serve` holds (the previous files
//! with the rebuild's changed pages and data files merged in) equals a full build byte for
//! byte, and only the work that depends on the edit is redone.

mod common;
use common::SiteTest;
use plansite::build::{Options, compile};
use plansite::incremental::{Outcome, Rebuilder};
use plansite::render::{OutputFile, render_site};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn full(site: &SiteTest) -> Vec<OutputFile> {
    let (s, _) = compile(&Options::new(site.root())).unwrap();
    render_site(&s, site.root()).unwrap()
}

/// The site as `serve` holds it between rebuilds: what `serve`'s [`Rebuilder`] handed over,
/// merged as the server merges it (unchanged pages kept, generated files replaced as a set).
struct Served {
    rebuilder: Rebuilder,
    files: BTreeMap<String, Vec<u8>>,
    /// A render failed: the next rebuild hands over every page (as `serve` asks).
    needs_full: bool,
    /// Rebuilds that patched the last site instead of compiling.
    patched: usize,
    /// The page paths of the last pages handed over (what `same_paths` and pages rendered
    /// later are checked against: the server merges those in place, trusting them).
    pages: Vec<String>,
}

impl Served {
    fn new(site: &SiteTest) -> Served {
        Served {
            rebuilder: Rebuilder::new(Options::new(site.root())),
            files: BTreeMap::new(),
            needs_full: false,
            patched: 0,
            pages: Vec::new(),
        }
    }

    /// One rebuild as `serve` does it, not knowing which files changed. Returns the files
    /// held, or `None` when the build has errors.
    fn rebuild(&mut self, site: &SiteTest) -> Option<Vec<OutputFile>> {
        self.rebuild_after(site, &[])
    }

    /// One rebuild as `serve` does it after the files `changed` (root-relative) were saved: the
    /// last site is patched when only prose changed.
    fn rebuild_after(&mut self, site: &SiteTest, changed: &[&str]) -> Option<Vec<OutputFile>> {
        age_sources(site);
        let paths: Vec<PathBuf> = changed.iter().map(|r| site.root().join(r)).collect();
        let full = self.files.is_empty() || self.needs_full;
        let mut ok = true;
        for outcome in self.rebuilder.rebuild(&paths, full) {
            match outcome {
                Outcome::Pages { delta, stats, .. } => {
                    if delta.same_paths {
                        assert_eq!(
                            delta.paths, self.pages,
                            "a delta said its pages were the same"
                        );
                    }
                    self.pages = delta.paths.clone();
                    self.patched += usize::from(stats.patched);
                    self.needs_full = false;
                    let mut next = BTreeMap::new();
                    for p in &delta.paths {
                        if let Some(b) = self.files.get(p) {
                            next.insert(p.clone(), b.clone());
                        }
                    }
                    for f in delta.files {
                        next.insert(f.path, f.bytes);
                    }
                    self.files = next;
                }
                Outcome::Later { files } | Outcome::Generated { files } => {
                    for f in files {
                        assert!(
                            f.path.starts_with("search/")
                                || !f.path.ends_with(".html")
                                || self.pages.contains(&f.path),
                            "{} came later but is not a page of the site",
                            f.path
                        );
                        self.files.insert(f.path, f.bytes);
                    }
                }
                Outcome::Failed { in_render, .. } => {
                    self.needs_full |= in_render;
                    ok = false;
                }
            }
        }
        ok.then(|| self.files_now())
    }

    /// The files held now.
    fn files_now(&self) -> Vec<OutputFile> {
        self.files
            .iter()
            .map(|(p, b)| OutputFile {
                path: p.clone(),
                bytes: b.clone(),
            })
            .collect()
    }

    fn stats(&self) -> plansite::incremental::Stats {
        self.rebuilder.stats()
    }
}

/// Moves every source's modification time 10 s into the past, as if the last edit were older
/// than the 2 s in which the loader re-reads files anyway: rebuilds then rely on size and
/// time alone, and an edited file must be found by its new time.
fn age_sources(site: &SiteTest) {
    for e in walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let file = std::fs::File::options()
            .append(true)
            .open(e.path())
            .unwrap();
        let t = file.metadata().unwrap().modified().unwrap();
        file.set_modified(t - std::time::Duration::from_secs(10))
            .unwrap();
    }
}

fn incremental(site: &SiteTest, served: &mut Served) -> Vec<OutputFile> {
    served.rebuild(site).expect("the build has no errors")
}

fn assert_same(a: &[OutputFile], b: &[OutputFile]) {
    assert_eq!(
        a.iter().map(|f| &f.path).collect::<Vec<_>>(),
        b.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    for (x, y) in a.iter().zip(b) {
        if x.bytes != y.bytes {
            let (a, b) = (
                String::from_utf8_lossy(&x.bytes),
                String::from_utf8_lossy(&y.bytes),
            );
            let at = a.chars().zip(b.chars()).take_while(|(p, q)| p == q).count();
            let show = |t: &str| {
                t.chars()
                    .skip(at.saturating_sub(200))
                    .take(400)
                    .collect::<String>()
            };
            panic!(
                "{} differs from a full build:\n{}\n--- full build ---\n{}",
                x.path,
                show(&a),
                show(&b)
            );
        }
    }
}

/// Configurations every differential test runs under: the fixture's own, and one with
/// severities changed and a link kind of the schema replaced (both change what a full build
/// makes, so a rebuild that ignored them would differ).
const CONFIGS: [&str; 3] = [
    "",
    "[severity]\nTR106 = \"off\"",
    "[severity]\nTR106 = \"info\"\nTR107 = \"off\"\n\n[[link_kinds]]\nname = \"advances\"\n\
     from = [\"policy\"]\nto = [\"goal\"]\nmin = 1\ncoverage = true\n\
     label = { ja = \"目標\", en = \"Serves\" }\nreverse = { ja = \"推進する施策\", en = \"Served by\" }",
];

/// The fixture `minimal` with `config` appended to its `plansite.toml`.
fn fixture(config: &str) -> SiteTest {
    let site = SiteTest::fixture("minimal");
    if !config.is_empty() {
        configure(&site, config);
    }
    site
}

#[test]
fn edits_rebuild_only_what_depends_on_them_and_match_a_full_build() {
    for config in CONFIGS {
        edits_rebuild_only_what_depends_on_them(config);
    }
}

fn edits_rebuild_only_what_depends_on_them(config: &str) {
    let site = fixture(config);
    let mut served = Served::new(&site);
    assert_same(&incremental(&site, &mut served), &full(&site));
    let first = served.stats();
    assert_eq!(first.markdown_reused, 0);
    assert_eq!(first.pages_reused, 0);

    // Nothing changed: everything is reused.
    assert_same(&incremental(&site, &mut served), &full(&site));
    let same = served.stats();
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
    assert_same(&incremental(&site, &mut served), &full(&site));
    let prose = served.stats();
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
    assert_same(&incremental(&site, &mut served), &full(&site));
    let again = served.stats();
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
    assert_same(&incremental(&site, &mut served), &full(&site));
    site.edit(
        "content/plan/010-ch1.ja.md",
        "政府は、重要インフラの",
        "政府は、基盤の",
    );
    assert_same(&incremental(&site, &mut served), &full(&site));

    // A title edit changes the link environment: every page that shows the title follows.
    site.edit(
        "content/plan/items.yaml",
        "en: Human-resource development",
        "en: Developing human resources",
    );
    assert_same(&incremental(&site, &mut served), &full(&site));
    assert!(served.stats().markdown_rendered >= 2);

    // A template edit drops every cached page.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>404!</h1>{% endblock content %}",
    );
    assert_same(&incremental(&site, &mut served), &full(&site));
    let theme = served.stats();
    assert_eq!(theme.pages_reused, 0, "{theme:?}");
}

#[test]
fn an_edit_made_during_a_failed_build_still_reaches_the_page() {
    let site = SiteTest::fixture("minimal");
    let mut served = Served::new(&site);
    assert!(served.rebuild(&site).is_some());
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
    assert!(served.rebuild(&site).is_none());
    // Restoring items.yaml byte for byte restores everything site-wide: the edited page must
    // still be the new one.
    site.write("content/plan/items.yaml", items);
    let files = served.rebuild(&site).unwrap();
    assert_same(&files, &full(&site));
}

#[test]
fn added_and_removed_sections_appear_and_disappear() {
    let site = SiteTest::fixture("minimal");
    let mut served = Served::new(&site);
    assert_same(&incremental(&site, &mut served), &full(&site));
    let page = "ja/test-plan/tp-3/index.html";
    site.write(
        "content/plan/030-ch3.ja.md",
        "---\nid: TP-3\ntitle: 第3章 追加\n---\n新しい章。\n",
    );
    let with = incremental(&site, &mut served);
    assert_same(&with, &full(&site));
    assert!(
        with.iter().any(|f| f.path == page),
        "the new section has a page"
    );
    site.remove("content/plan/030-ch3.ja.md");
    let without = incremental(&site, &mut served);
    assert_same(&without, &full(&site));
    assert!(!without.iter().any(|f| f.path == page), "its page is gone");
}

#[test]
fn a_recent_edit_is_seen_even_when_size_and_time_look_unchanged() {
    // A coarse clock can give two quick edits of equal length the same modification time: the
    // loader reads files modified in the last two seconds whatever their stamp says.
    let site = SiteTest::fixture("minimal");
    let mut rebuilder = Rebuilder::new(Options::new(site.root()));
    let rel = "content/plan/010-ch1.ja.md";
    let path = site.root().join(rel);
    rebuilder.rebuild(&[], true);
    let stamp = std::fs::metadata(&path).unwrap().modified().unwrap();
    site.edit(rel, "毎年見直す。", "毎年見直し。");
    let file = std::fs::File::options().append(true).open(&path).unwrap();
    file.set_modified(stamp).unwrap();
    // Not told which file changed: the compile path, which relies on size and time.
    let delta = rebuilder
        .rebuild(&[], false)
        .into_iter()
        .find_map(|o| match o {
            Outcome::Pages { delta, .. } => Some(delta),
            _ => None,
        });
    let page = (delta.expect("pages").files.into_iter())
        .find(|f| f.path == "ja/test-plan/tp-1/index.html")
        .expect("the edited section's page is rendered again");
    assert!(String::from_utf8_lossy(&page.bytes).contains("毎年見直し。"));
}

#[test]
fn prose_edits_patch_the_last_site_and_match_a_full_build() {
    for config in CONFIGS {
        prose_edits_patch_the_last_site(config);
    }
}

fn prose_edits_patch_the_last_site(config: &str) {
    let site = fixture(config);
    let (ja, en) = ("content/plan/010-ch1.ja.md", "content/plan/010-ch1.en.md");
    // A Japanese-only section with no cross-references, sorted before the others.
    site.write(
        "content/plan/000-intro.ja.md",
        "---\nid: TP-0\ntitle: 序\n---\n序文。\n",
    );
    let mut served = Served::new(&site);
    assert_same(&incremental(&site, &mut served), &full(&site));
    let after = |served: &mut Served, file: &str, from: &str, to: &str| {
        site.edit(file, from, to);
        let files = served.rebuild_after(&site, &[file]).expect("no errors");
        assert_same(&files, &full(&site));
        // Beyond the files: the kept site's graph and findings are what a compile makes (the
        // next patch starts from them).
        let kept = served.rebuilder.site().unwrap();
        let (compiled, _) = compile(&Options::new(site.root())).unwrap();
        assert_eq!(
            format!("{:?}", kept.graph.edges),
            format!("{:?}", compiled.graph.edges)
        );
        assert_eq!(
            format!("{:?}", kept.findings),
            format!("{:?}", compiled.findings)
        );
        served.patched
    };

    // English prose: no hash involved, patched.
    assert_eq!(
        after(
            &mut served,
            en,
            "Reviewed every year.",
            "Reviewed each year."
        ),
        1
    );
    // The first Japanese edit makes the English translation stale (a finding, a dashboard
    // figure); the next one leaves it stale, with another hash to record: both patched.
    assert_eq!(after(&mut served, ja, "毎年見直す。", "毎年度見直す。"), 2);
    assert_eq!(
        after(&mut served, ja, "毎年度見直す。", "毎年度、見直す。"),
        3
    );
    // New lines above a cross-reference move its position (graph.json has it): patched, and
    // the exports follow.
    assert_eq!(
        after(
            &mut served,
            ja,
            "政府は、重要インフラの",
            "前置き。\n\n政府は、重要インフラの"
        ),
        4
    );
    // A vim-style probe file created and deleted meanwhile, or an Emacs autosave file the
    // loader does not read, is no reason to compile.
    site.write("content/plan/4913", "");
    site.remove("content/plan/4913");
    let autosave = "content/plan/#010-ch1.ja.md#";
    site.write(autosave, "---\nid: TP-1\n---\n下書き\n");
    site.edit(ja, "前置き。", "前置きの文。");
    served
        .rebuild_after(&site, &[ja, "content/plan/4913", autosave])
        .unwrap();
    assert_eq!(served.patched, 5);
    assert_same(&served.rebuild_after(&site, &[]).unwrap(), &full(&site));
    // Lost watcher events stand for the root: never patched.
    site.edit(ja, "前置きの文。", "前置き。");
    assert_same(&served.rebuild_after(&site, &[""]).unwrap(), &full(&site));
    assert_eq!(served.patched, 5);

    // Cross-references that come and go are patched too; the goal's page lists the section as
    // citing it, from each language's text.
    let goal_page = "en/items/TP-G1/index.html";
    let cited = |files: &[OutputFile]| {
        let page = files.iter().find(|f| f.path == goal_page).unwrap();
        String::from_utf8_lossy(&page.bytes).contains("Cited in")
    };
    assert!(!cited(&full(&site)), "no backlink yet");
    let add = "専門的職員を育成する。[目標](@TP-G1)参照。";
    assert_eq!(after(&mut served, ja, "専門的職員を育成する。", add), 6);
    let english = "Develop specialist staff ([the goal](@TP-G1))";
    assert_eq!(
        after(&mut served, en, "Develop specialist staff", english),
        7
    );
    assert!(cited(&served.files_now()), "the backlink appeared");
    // A footnote written mid-file is shown at the end, but its cross-reference keeps its place
    // in the source order; then a line above both moves them.
    let note = "毎年度、見直す[^n]。\n\n[^n]: 注で[](@TP-P2)を参照。\n\n後で[](@TP-P2)も参照。";
    assert_eq!(after(&mut served, ja, "毎年度、見直す。", note), 8);
    assert_eq!(after(&mut served, ja, "前置き。", "前置き。\n\n一行。"), 9);
    assert_eq!(after(&mut served, ja, "[目標](@TP-G1)参照。", ""), 10);
    assert_eq!(after(&mut served, en, " ([the goal](@TP-G1))", ""), 11);
    assert!(!cited(&served.files_now()), "the backlink went");
    // The first cross-reference of a file that had none goes where a compile puts it.
    let ch0 = "content/plan/000-intro.ja.md";
    assert_eq!(
        after(&mut served, ch0, "序文。", "序文。[目標](@TP-G1)"),
        12
    );
    assert!(cited(&served.files_now()));

    // A heading ID that is no item's only matters on its page: patched.
    assert_eq!(after(&mut served, ja, "{#key-policies}", "{#key}"), 13);
    assert_eq!(
        after(&mut served, ja, "後で", "## 追加 {#added}\n\n後で"),
        14
    );

    // What reaches beyond the file compiles again: a glossary word removed, an item's heading
    // (its prose moves), the front matter.
    let edits = [
        (ja, "重要インフラの", "基盤の"),
        (ja, "{#TP-P2}", "{#tp-p2-text}"),
        (ja, "title: 第1章 重点政策", "title: 第1章 重点施策"),
    ];
    for (file, from, to) in edits {
        assert_eq!(after(&mut served, file, from, to), 14, "{to} was patched");
    }
    // A broken edit fails; the fix after it is compiled, not patched onto the stale site.
    site.edit(ja, "後で", "後で[x](@NOPE)");
    assert!(served.rebuild_after(&site, &[ja]).is_none());
    site.edit(ja, "[x](@NOPE)", "");
    assert_same(&served.rebuild_after(&site, &[ja]).unwrap(), &full(&site));
    assert_eq!(served.patched, 14);
}

/// Appends `text` to the fixture's `plansite.toml`.
fn configure(site: &SiteTest, text: &str) {
    let config = std::fs::read_to_string(site.root().join("plansite.toml")).unwrap();
    site.write("plansite.toml", format!("{config}\n{text}\n"));
}

/// The graph and findings of the site `served` keeps equal a compile's (the next patch starts
/// from them).
fn assert_same_site(served: &Served, site: &SiteTest) {
    let kept = served.rebuilder.site().expect("a last good site");
    let (compiled, _) = compile(&Options::new(site.root())).unwrap();
    assert_eq!(
        format!("{:?}", kept.graph.edges),
        format!("{:?}", compiled.graph.edges)
    );
    assert_eq!(
        format!("{:?}", kept.findings),
        format!("{:?}", compiled.findings)
    );
}

#[test]
fn a_patch_applies_the_configured_severities_as_a_full_check_does() {
    let site = SiteTest::fixture("minimal");
    configure(&site, "[severity]\nTR106 = \"off\"");
    let mut served = Served::new(&site);
    assert_same(&incremental(&site, &mut served), &full(&site));
    // The first Japanese edit makes the English translation stale: a full check reports
    // nothing (TR106 is off), so neither may the patched site.
    let ja = "content/plan/010-ch1.ja.md";
    site.edit(ja, "毎年見直す。", "毎年度見直す。");
    let files = served.rebuild_after(&site, &[ja]).expect("no errors");
    assert_eq!(served.patched, 1, "a prose edit is patched");
    assert_same_site(&served, &site);
    assert_same(&files, &full(&site));
}

#[test]
fn a_link_label_changed_in_the_config_reaches_the_item_pages() {
    let site = SiteTest::fixture("minimal");
    let mut served = Served::new(&site);
    assert_same(&incremental(&site, &mut served), &full(&site));
    configure(
        &site,
        "[[link_kinds]]\nname = \"cites\"\nfrom = [\"section\"]\nto = [\"*\"]\n\
         label = { ja = \"引用\", en = \"Cites\" }\n\
         reverse = { ja = \"本文での言及\", en = \"Mentioned in\" }",
    );
    let files = incremental(&site, &mut served);
    let page = |files: &[OutputFile]| {
        let f = files.iter().find(|f| f.path == "en/items/TP-P1/index.html");
        String::from_utf8_lossy(&f.unwrap().bytes).into_owned()
    };
    assert!(
        page(&full(&site)).contains("Mentioned in"),
        "the label is shown"
    );
    assert_same(&files, &full(&site));
}

#[test]
fn a_compile_after_a_patch_does_not_reuse_pages_the_patch_changed() {
    let site = SiteTest::fixture("minimal");
    let ja = "content/plan/010-ch1.ja.md";
    let mut served = Served::new(&site);
    assert_same(&incremental(&site, &mut served), &full(&site));
    // A patch adds a backlink on the goal's page.
    site.edit(
        ja,
        "専門的職員を育成する。",
        "専門的職員を育成する。[目標](@TP-G1)",
    );
    assert_same(&served.rebuild_after(&site, &[ja]).unwrap(), &full(&site));
    assert_eq!(served.patched, 1);
    // The next rebuild removes it again together with an edit of the English file: two
    // languages of one section are never patched together, so this compiles, and finds
    // everything site-wide as it was before the patch.
    let en = "content/plan/010-ch1.en.md";
    site.edit(ja, "[目標](@TP-G1)", "");
    site.edit(en, "Reviewed every year.", "Reviewed each year.");
    let files = served.rebuild_after(&site, &[ja, en]).unwrap();
    assert_eq!(served.patched, 1, "compiled");
    assert_same(&files, &full(&site));
}

#[test]
fn a_stale_translation_does_not_stop_later_edits_from_being_patched() {
    for config in CONFIGS {
        let site = fixture(config);
        let ja = "content/plan/010-ch1.ja.md";
        let mut served = Served::new(&site);
        assert_same(&incremental(&site, &mut served), &full(&site));
        // A new first paragraph after a blank line makes the translation stale; outside git
        // the finding's second location is the first line with text, which now lies in the
        // body. The check makes that finding again after each patch, so it does not keep the
        // next edit from being patched.
        site.edit(ja, "---\n政府は", "---\n\n前書き。\n\n政府は");
        let files = served.rebuild_after(&site, &[ja]).expect("no errors");
        assert_eq!(served.patched, 1, "{config}: patched");
        assert_same(&files, &full(&site));
        site.edit(ja, "毎年見直す。", "毎年度見直す。");
        let files = served.rebuild_after(&site, &[ja]).expect("no errors");
        assert_eq!(served.patched, 2, "{config}: the next edit is patched too");
        assert_same_site(&served, &site);
        assert_same(&files, &full(&site));
    }
}

#[test]
fn the_single_page_document_comes_after_the_edited_page() {
    let site = fixture("");
    let mut rebuilder = Rebuilder::new(Options::new(site.root()));
    rebuilder.rebuild(&[], true);
    let rel = "content/plan/010-ch1.ja.md";
    site.edit(rel, "毎年見直す。", "毎年見直し。");
    let outcomes = rebuilder.rebuild(&[site.root().join(rel)], false);
    let whole = "ja/test-plan/all/index.html";
    let kinds: Vec<&str> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Pages { .. } => "pages",
            Outcome::Later { .. } => "later",
            Outcome::Generated { .. } => "generated",
            Outcome::Failed { .. } => "failed",
        })
        .collect();
    assert_eq!(kinds, ["pages", "later", "generated"]);
    let Outcome::Pages { delta, .. } = &outcomes[0] else {
        unreachable!()
    };
    assert!(
        delta
            .files
            .iter()
            .any(|f| f.path == "ja/test-plan/tp-1/index.html")
    );
    assert!(delta.files.iter().all(|f| f.path != whole));
    assert!(
        delta.paths.iter().any(|p| p == whole),
        "still held meanwhile"
    );
    let Outcome::Later { files } = &outcomes[1] else {
        unreachable!()
    };
    assert_eq!(
        files.len(),
        1,
        "the English single page shows no Japanese text"
    );
    assert_eq!(files[0].path, whole);
    assert!(String::from_utf8_lossy(&files[0].bytes).contains("毎年見直し。"));
}
