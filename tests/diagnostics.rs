//! The terminal rendering of a finding, as a user sees it, including a Japanese source line.

mod common;
use common::SiteTest;

#[test]
fn human_output_with_excerpt_and_caret_under_japanese() {
    let s = SiteTest::fixture("minimal");
    s.edit(
        "plansite.toml",
        "[title]",
        "[severity]\nTR106 = \"off\"\n\n[title]",
    );
    s.edit(
        "content/plan/010-ch1.ja.md",
        "[第2章](@TP-2)",
        "[第2章](@TP-9)",
    );
    let r = s.run(&["check"]);
    assert_eq!(r.code, 1);
    // The caret starts after 対策を進める[^1]。 (6×2 + 4 + 2 = 18 columns) and spans
    // [第2章](@TP-9) (14 columns: 第 and 章 are double width).
    let expected = format!(
        "error[TR003]: cross-reference to unknown ID `TP-9`\n  --> content/plan/010-ch1.ja.md:7:12\n  |\n7 | 対策を進める[^1]。[第2章](@TP-9)を参照。\n  | {}{}\n  = help: did you mean `TP-1`, `TP-2`, `TP`?\n",
        " ".repeat(18),
        "^".repeat(14)
    );
    assert!(r.stderr.starts_with(&expected), "got:\n{}", r.stderr);
    assert!(
        r.stderr
            .trim_end()
            .ends_with("1 error(s), 0 warning(s), 0 info, 0 waived"),
        "{}",
        r.stderr
    );
}
