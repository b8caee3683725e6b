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
