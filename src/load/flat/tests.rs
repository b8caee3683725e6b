use super::*;
use crate::load::yaml;
use proptest::prelude::*;

/// The full parser's reading, or `None` if it rejects the text.
fn full(yaml: &str) -> Option<RawFrontMatter> {
    yaml::parse::<RawFrontMatter>(yaml, "t.md", 0).ok()
}

/// Whenever the fast path answers, the full parser gives exactly the same value and spans.
fn agrees(yaml: &str) -> Result<(), TestCaseError> {
    if let Some(fast) = front_matter(yaml) {
        prop_assert_eq!(Some(fast), full(yaml), "input:\n{}", yaml);
    }
    Ok(())
}

#[test]
fn takes_the_common_shapes() {
    let y = "id: BP1-3-1\ntitle: \"第1節 情報セキュリティ: 問題\"\nparent: BP1-C3\nslug: '3-1'\nsource: 第1次情報セキュリティ基本計画\ntranslation: site\ntranslated_from: 832932fa0c4e7dfa\ndraft: true\n";
    let fm = front_matter(y).expect("fast path");
    assert_eq!(fm.id.value, "BP1-3-1");
    assert_eq!((fm.id.line, fm.id.column), (1, 5));
    assert_eq!(fm.title.value, "第1節 情報セキュリティ: 問題");
    assert_eq!((fm.title.line, fm.title.column), (2, 8));
    assert_eq!(fm.slug.as_ref().map(|s| s.value.as_str()), Some("3-1"));
    assert!(fm.draft);
    assert_eq!(Some(fm), full(y));
}

#[test]
fn leaves_everything_else_to_the_full_parser() {
    for y in [
        "id: A\n",                       // no title
        "id: A\ntitle: x\nid: B\n",      // duplicate key
        "id: A\ntitle: x\ntitel: y\n",   // unknown key (full parser suggests `title`)
        "id: ~\ntitle: x\n",             // null
        "id: - A\ntitle: x\n",           // a sequence entry
        "id: A\ntitle: x # comment\n",   // comment
        "id: A\ntitle: \"a\\tb\"\n",     // escape
        "id: A\ntitle: >\n  folded\n",   // block scalar
        "id: A\ntitle: x\ndraft: yes\n", // YAML 1.1 boolean
        "id: A\ntitle: [a, b]\n",        // flow sequence
        "id: A\ntitle:\n  ja: x\n",      // nested
        "id: &a A\ntitle: *a\n",         // anchors
        "id: A\ntitle: null\n",          // null
        "id:A\ntitle: x\n",              // not a key
        "id: A\n  title: x\n",           // indented
    ] {
        assert!(front_matter(y).is_none(), "{y}");
    }
}

#[test]
fn the_real_content_mostly_takes_the_fast_path_and_agrees() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let (mut n, mut taken) = (0, 0);
    for e in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let split = crate::load::frontmatter::split(&text).unwrap();
        n += 1;
        if let Some(fast) = front_matter(split.yaml) {
            taken += 1;
            assert_eq!(Some(fast), full(split.yaml), "{}", e.path().display());
        }
    }
    // A title with escaped quotes goes to the full parser; nearly all others are flat.
    assert!(n > 50 && taken * 10 >= n * 9, "{taken} of {n}");
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("id"),
        Just("title"),
        Just("parent"),
        Just("slug"),
        Just("status"),
        Just("source"),
        Just("translation"),
        Just("translated_from"),
        Just("draft"),
        Just("titel"),
    ]
    .prop_map(str::to_string)
}

fn value() -> impl Strategy<Value = String> {
    // Pieces chosen to hit YAML's special cases: indicators, quotes, comments, keywords.
    let piece = prop_oneof![
        Just("A"),
        Just("bp1-3"),
        Just("情報"),
        Just("：問題"),
        Just(" "),
        Just(":"),
        Just(": "),
        Just("#"),
        Just(" #"),
        Just("\""),
        Just("'"),
        Just("\\"),
        Just("-"),
        Just("["),
        Just("]"),
        Just("{"),
        Just("}"),
        Just(","),
        Just("&"),
        Just("*"),
        Just("!"),
        Just("|"),
        Just(">"),
        Just("%"),
        Just("@"),
        Just("`"),
        Just("~"),
        Just("1"),
        Just("0x1"),
        Just(".5"),
        Just("true"),
        Just("False"),
        Just("null"),
        Just("yes"),
        Just("\t"),
        Just("?"),
        Just("é"),
        Just("- "),
        Just("832932fa"),
        Just("+"),
        Just("."),
        Just("1e3"),
        Just("2006-02-02"),
        Just("~"),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn fast_path_never_disagrees(
        id in value(),
        title in value(),
        more in prop::collection::vec((key(), " {1,2}", value()), 0..5),
    ) {
        // Most cases carry the two required keys, so the fast path answers often.
        let mut lines = vec![("id".to_string(), " ".to_string(), id), ("title".to_string(), "  ".to_string(), title)];
        lines.extend(more);
        let yaml: String = lines.iter().map(|(k, sp, v)| format!("{k}:{sp}{v}\n")).collect();
        agrees(&yaml)?;
        // The same lines with a quoted value.
        let quoted: String = lines.iter().map(|(k, _, v)| format!("{k}: \"{v}\"\n")).collect();
        agrees(&quoted)?;
    }
}
