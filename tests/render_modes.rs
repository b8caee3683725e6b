//! `build` renders section bodies on demand, one section at a time (`Html::OnDemand`); `serve`
//! and the tests keep every body from the compile (`Html::Kept`). Both must give the same site,
//! byte for byte: on a small fixture with fallbacks and code blocks, and on the real content.

mod common;

use common::SiteTest;
use plansite::build::{Html, Options, compile};
use plansite::render::render_site;
use std::path::Path;

fn site_with(root: &Path, html: Html) -> Vec<(String, Vec<u8>)> {
    let opts = Options {
        html,
        ..Options::new(root)
    };
    let (site, diags) = compile(&opts).expect("compiles");
    assert!(
        diags.iter().all(|d| !d.is_error()),
        "fixture has errors: {diags:?}"
    );
    if html == Html::OnDemand {
        assert!(site.rendered.is_empty(), "on demand keeps no bodies");
    } else {
        assert!(!site.rendered.is_empty());
    }
    render_site(&site, root)
        .expect("renders")
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

fn assert_same(root: &Path) {
    let kept = site_with(root, Html::Kept);
    let on_demand = site_with(root, Html::OnDemand);
    assert_eq!(
        kept.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        on_demand.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, a), (_, b)) in kept.iter().zip(&on_demand) {
        assert!(
            a == b,
            "{path} differs between kept and on-demand bodies:\n{}\n---\n{}",
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
    }
}

#[test]
fn on_demand_bodies_give_the_same_site_as_kept_ones() {
    let t = SiteTest::fixture("minimal");
    // A code block in an item's prose, shared by both languages (the highlighter remembers
    // recent blocks), and a third section in Japanese only (its English page falls back).
    let code = "\n\n```rust\nfn main() {}\n```\n";
    t.edit(
        "content/plan/010-ch1.ja.md",
        "毎年見直す。",
        &format!("毎年見直す。{code}"),
    );
    t.edit(
        "content/plan/010-ch1.en.md",
        "Reviewed every year.",
        &format!("Reviewed every year.{code}"),
    );
    t.write(
        "content/plan/030-ch3.ja.md",
        "---\nid: TP-3\ntitle: 第3章 補足\n---\n[人材育成](@TP-P2)を補う[^a]。\n\n[^a]: 補足の注。\n",
    );
    assert_same(t.root());
}

#[test]
fn the_real_site_is_the_same_with_on_demand_bodies() {
    assert_same(Path::new(env!("CARGO_MANIFEST_DIR")));
}

/// A build lets go of its section texts after the check and reads each file again to render
/// it; what it reads must be what was checked.
fn render_after(t: &SiteTest, change: impl FnOnce(&SiteTest)) -> Result<usize, Vec<String>> {
    let opts = Options {
        html: Html::OnDemand,
        ..Options::new(t.root())
    };
    let (site, diags) = compile(&opts).expect("compiles");
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    assert!(
        site.sources.get("content/plan/010-ch1.ja.md").is_none(),
        "a build keeps no section text past its check"
    );
    change(t);
    render_site(&site, t.root())
        .map(|files| files.len())
        .map_err(|d| {
            let at = |d: &plansite::diagnostic::Diagnostic| d.span.as_ref().map(|s| s.to_string());
            d.iter()
                .map(|d| format!("{} {}", d.code, at(d).unwrap_or_default()))
                .collect()
        })
}

#[test]
fn a_section_file_changed_after_the_check_fails_the_render_instead_of_showing_unchecked_text() {
    let t = SiteTest::fixture("minimal");
    assert!(render_after(&t, |_| {}).is_ok(), "unchanged files render");
    let t = SiteTest::fixture("minimal");
    let err = render_after(&t, |t| {
        t.edit(
            "content/plan/010-ch1.ja.md",
            "毎年見直す。",
            "[未確認](@NOPE)",
        );
    })
    .expect_err("a changed file is not rendered");
    assert_eq!(err, vec!["LD013 content/plan/010-ch1.ja.md:1:1"]);
    let t = SiteTest::fixture("minimal");
    let err = render_after(&t, |t| {
        t.remove("content/plan/010-ch1.en.md");
    })
    .expect_err("a removed file is not rendered");
    assert_eq!(err, vec!["LD013 content/plan/010-ch1.en.md:1:1"]);
    // Every changed file is named, in the same order on every run.
    let t = SiteTest::fixture("minimal");
    let err = render_after(&t, |t| {
        t.edit("content/plan/010-ch1.ja.md", "毎年見直す。", "毎年。");
        t.edit(
            "content/plan/010-ch1.en.md",
            "Reviewed every year.",
            "Yearly.",
        );
    })
    .expect_err("changed files are not rendered");
    assert_eq!(
        err,
        vec![
            "LD013 content/plan/010-ch1.en.md:1:1",
            "LD013 content/plan/010-ch1.ja.md:1:1"
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_section_file_swapped_for_a_link_out_of_the_site_after_the_check_is_not_read() {
    let t = SiteTest::fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "---\nid: TP-1\ntitle: x\n---\nSECRET\n").unwrap();
    let err = render_after(&t, |t| {
        let file = t.root().join("content/plan/010-ch1.ja.md");
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(&secret, &file).unwrap();
    })
    .expect_err("a link out of the site is not followed");
    assert_eq!(err, vec!["LD010 content/plan/010-ch1.ja.md:1:1"]);
}
