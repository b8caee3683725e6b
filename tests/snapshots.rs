//! Snapshots of what a reviewer should see change: representative pages of the fixture site
//! and every diagnostic format for one broken input. A change in output shows as a diff of the
//! `.snap` files in `tests/snapshots/` (review with `cargo insta review`, or accept all with
//! `INSTA_UPDATE=always cargo test --test snapshots`). Under `CI=true` a missing or changed
//! snapshot fails.

mod common;
use common::SiteTest;

/// The page's `<main>`: what the reader reads, without the navigation every page repeats.
fn main_of(t: &SiteTest, rel: &str) -> String {
    let html = std::fs::read_to_string(t.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let start = html
        .find("<main")
        .unwrap_or_else(|| panic!("{rel}: no <main>"));
    let end = html
        .find("</main>")
        .map_or(html.len(), |e| e + "</main>".len());
    html[start..end].to_string()
}

#[test]
fn fixture_pages() {
    let t = SiteTest::fixture("minimal");
    let r = t.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (name, rel) in [
        ("section_ja", "ja/test-plan/tp-1/index.html"),
        ("section_en", "en/test-plan/tp-1/index.html"),
        ("document_ja", "ja/test-plan/index.html"),
        ("item_policy_en", "en/items/TP-P1/index.html"),
        ("item_goal_ja", "ja/items/TP-G1/index.html"),
        ("dashboard_ja", "ja/trace/index.html"),
        ("glossary_en", "en/glossary/index.html"),
    ] {
        insta::assert_snapshot!(name, main_of(&t, rel));
    }
}

/// One input with a finding of each kind of place: a dangling cross-reference in Japanese
/// prose, a dangling typed link in YAML, and a missing translation.
fn broken() -> SiteTest {
    let t = SiteTest::fixture("minimal");
    t.edit(
        "content/plan/010-ch1.ja.md",
        "毎年見直す。",
        "毎年見直す。[基準](@TP-P9)を参照。",
    );
    t.edit(
        "content/plan/items.yaml",
        "advances: [TP-G1]",
        "advances: [TP-G7]",
    );
    t
}

#[test]
fn diagnostics_in_every_format() {
    let t = broken();
    let human = t.run(&["check"]);
    assert_eq!(human.code, 1);
    insta::assert_snapshot!("check_human", human.stderr);
    for format in ["json", "github", "sarif"] {
        let r = t.run(&["check", "--format", format]);
        assert_eq!(r.code, 1, "{format}");
        insta::assert_snapshot!(format!("check_{format}"), r.stdout);
    }
}
