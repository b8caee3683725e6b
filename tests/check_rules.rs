//! One small change to the fixture per rule: each test asserts the finding's code, location and
//! hint, so a rule that stops firing (or fires in the wrong place) fails here.

mod common;
use common::SiteTest;
use serde_json::Value;

const ITEMS: &str = "content/plan/items.yaml";
const JA: &str = "content/plan/010-ch1.ja.md";

fn site() -> SiteTest {
    SiteTest::fixture("minimal")
}

fn at(f: &Value) -> String {
    format!(
        "{}:{}:{}",
        f["span"]["file"].as_str().unwrap(),
        f["span"]["line"],
        f["span"]["col"]
    )
}

#[test]
fn clean_fixture_has_no_errors() {
    let (code, v) = site().check_json();
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["errors"], 0);
}

#[test]
fn tr001_duplicate_id_shows_both_locations() {
    let s = site();
    s.edit(ITEMS, "- id: TP-P2", "- id: TP-P1");
    let f = &s.findings("TR001")[0];
    assert_eq!(at(f), "content/plan/items.yaml:11:7");
    assert_eq!(f["related"][0]["line"], 5);
}

#[test]
fn tr002_malformed_id_explains_full_width() {
    let s = site();
    s.edit(ITEMS, "- id: TP-P2", "- id: ＴＰ－Ｐ２");
    let f = &s.findings("TR002")[0];
    assert_eq!(f["hint"], "full-width characters in an ID; write `TP-P2`");
}

#[test]
fn tr003_dangling_link_suggests_nearest_ids() {
    let s = site();
    s.edit(ITEMS, "advances: [TP-G1]", "advances: [TP-G2]");
    let f = &s.findings("TR003")[0];
    assert_eq!(at(f), "content/plan/items.yaml:10:16");
    assert_eq!(f["hint"], "did you mean `TP-G1`?");
}

#[test]
fn tr003_unknown_cross_reference_in_japanese_prose_has_its_column() {
    let s = site();
    s.edit(JA, "[第2章](@TP-2)", "[第2章](@TP-9)");
    let f = &s.findings("TR003")[0];
    assert_eq!(at(f), "content/plan/010-ch1.ja.md:7:12");
}

#[test]
fn tr004_wrong_target_kind() {
    let s = site();
    s.edit(ITEMS, "advances: [TP-G1]", "advances: [TP-P2]");
    let f = &s.findings("TR004")[0];
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("`advances` must point to goal, but `TP-P2` is a policy"),
        "{f}"
    );
}

#[test]
fn tr005_policy_that_advances_no_goal() {
    let s = site();
    s.edit(ITEMS, "  links:\n    advances: [TP-G1]\n", "");
    let f = &s.findings("TR005")[0];
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("policy `TP-P1` needs at least 1 `advances`")
    );
    assert_eq!(at(f), "content/plan/items.yaml:5:7");
}

#[test]
fn tr006_cycle_prints_the_whole_cycle() {
    let s = site();
    s.edit(
        ITEMS,
        "advances: [TP-G1]",
        "advances: [TP-G1]\n    part_of: [TP-P2]",
    );
    s.edit(
        ITEMS,
        "    advances:\n      - { to: TP-G1",
        "    part_of: [TP-P1]\n    advances:\n      - { to: TP-G1",
    );
    let f = &s.findings("TR006")[0];
    assert_eq!(f["message"], "`part_of` cycle: TP-P1 → TP-P2 → TP-P1");
}

#[test]
fn tr007_missing_language_variant_of_a_title() {
    let s = site();
    s.edit(
        ITEMS,
        "title: { ja: 人材育成, en: Human-resource development }",
        "title: { ja: 人材育成 }",
    );
    let f = &s.findings("TR007")[0];
    assert_eq!(f["message"], "policy `TP-P2` has no `en` title");
}

#[test]
fn tr008_self_and_duplicate_links() {
    let s = site();
    s.edit(
        ITEMS,
        "advances: [TP-G1]",
        "advances: [TP-G1, TP-G1]\n    part_of: [TP-P1]",
    );
    let codes: Vec<String> = s
        .findings("TR008")
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        codes,
        [
            "duplicate `advances` link to `TP-G1`",
            "`TP-P1` links to itself"
        ]
    );
}

#[test]
fn tr101_goal_without_policy() {
    let s = site();
    s.write(
        "content/plan/items-extra.yaml",
        "- id: TP-G2\n  kind: goal\n  title: { ja: 目標二, en: Goal two }\n",
    );
    let f = &s.findings("TR101")[0];
    assert_eq!(at(f), "content/plan/items-extra.yaml:1:7");
}

#[test]
fn tr102_policy_without_measure_per_fiscal_year_and_waiver() {
    let s = site();
    s.write("content/fy/document.yaml", "id: FY2007\nkind: annual-plan\nslug: fy2007\nfiscal_year: 2007\ntitle: { ja: 年度計画2007, en: Annual plan 2007 }\n");
    s.write("content/fy/items.yaml", "- id: FY2007-M1\n  kind: measure\n  fiscal_year: 2007\n  title: { ja: 施策, en: Measure }\n  links: { implements: [TP-P1] }\n");
    let f = s.findings("TR102");
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0]["message"],
        "policy `TP-P2` has no recorded measure in FY2007"
    );
    s.edit(ITEMS, "  number: \"[2]\"\n", "  number: \"[2]\"\n  waivers:\n    - { code: TR102, reason: { ja: 対象外, en: out of scope }, until: 2008 }\n");
    let f = s.findings("TR102");
    assert_eq!(
        f[0]["waived"], "out of scope",
        "waived findings stay visible"
    );
    let (code, _) = s.check_json();
    assert_eq!(code, 0);
}

#[test]
fn tr106_stale_translation_gives_the_new_hash() {
    let s = site();
    s.edit(JA, "毎年見直す。", "毎年度見直す。");
    let f = s
        .findings("TR106")
        .into_iter()
        .find(|f| f["message"].as_str().unwrap().contains("stale"))
        .expect("stale finding");
    assert_eq!(at(&f), "content/plan/010-ch1.en.md:6:18");
    let hint = f["hint"].as_str().unwrap();
    let hash = s
        .run_bare(&["hash", &s.root().join(JA).to_string_lossy()])
        .stdout;
    assert!(
        hint.contains(&format!("`translated_from: {}`", hash.trim())),
        "{hint}"
    );
}

#[test]
fn tr107_unused_and_duplicate_glossary_terms() {
    let s = site();
    s.write(
        "content/glossary/terms.yaml",
        "- id: T-CI\n  ja: 重要インフラ\n  reading: じゅうようインフラ\n  en: critical infrastructures\n  definition: { ja: 基盤。, en: Base. }\n- id: T-CI2\n  ja: 重要インフラ\n  reading: じゅうようインフラ\n  en: CI\n  definition: { ja: 基盤。, en: Base. }\n- id: T-NEVER\n  ja: 未使用語\n  reading: みしようご\n  en: never used\n  definition: { ja: 無し。, en: None. }\n",
    );
    let msgs: Vec<String> = s
        .findings("TR107")
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        msgs.contains(&"`重要インフラ` is defined twice in the glossary".to_string()),
        "{msgs:?}"
    );
    assert!(
        msgs.contains(&"glossary term `T-NEVER` is never used in the documents".to_string()),
        "{msgs:?}"
    );
}

#[test]
fn tr110_literal_emphasis_next_to_japanese_punctuation() {
    let s = site();
    s.edit(JA, "毎年見直す。", "これは**「重要」**です。");
    assert_eq!(s.findings("TR110").len(), 1);
}

#[test]
fn yaml_error_reports_the_line_in_the_file_not_in_the_front_matter() {
    let s = site();
    s.edit(JA, "source: テスト基本計画 第1章", "source: [unclosed");
    let f = &s.findings("LD002")[0];
    assert_eq!(f["span"]["file"], "content/plan/010-ch1.ja.md");
    assert!(f["span"]["line"].as_u64().unwrap() >= 4, "{f}");
}

#[test]
fn unknown_field_suggests_the_nearest_known_field() {
    let s = site();
    s.edit(ITEMS, "  number: \"[2]\"", "  numbr: \"[2]\"");
    let f = &s.findings("LD002")[0];
    assert_eq!(f["hint"], "did you mean `number`?");
    assert_eq!(f["span"]["line"], 13);
}

#[test]
fn all_errors_of_a_run_are_collected() {
    let s = site();
    s.edit(ITEMS, "advances: [TP-G1]", "advances: [TP-GX]");
    s.edit(JA, "[第2章](@TP-2)", "[第2章](@TP-X)");
    s.write(
        "content/other/document.yaml",
        "id: bad id\nkind: page\nslug: Other\ntitle: { ja: 他 }\n",
    );
    let codes = s.codes();
    for c in ["TR003", "TR002", "LD005", "TR007"] {
        assert!(codes.iter().any(|x| x == c), "{c} missing from {codes:?}");
    }
    assert!(codes.iter().filter(|c| *c == "TR003").count() >= 2);
}

#[test]
fn hostile_files_never_panic() {
    let s = site();
    s.write(
        "content/plan/040-bom.ja.md",
        "\u{feff}---\r\nid: TP-4\r\ntitle: BOM\r\n---\r\n本文\r\n",
    );
    s.write("content/plan/050-empty.ja.md", "");
    s.write(
        "content/plan/060-latin1.ja.md",
        b"---\nid: TP-6\ntitle: x\n---\n\xff\xfe bad\n",
    );
    s.write("content/plan/070-nofm.ja.md", "# no front matter\n");
    s.write("content/plan/items-broken.yaml", "- id: [\n");
    let r = s.run(&["check", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let codes: Vec<String> = serde_json::from_str::<Value>(&r.stdout).unwrap()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().into())
        .collect();
    assert!(
        codes.contains(&"LD001".to_string()),
        "invalid UTF-8: {codes:?}"
    );
    assert!(
        codes.contains(&"LD003".to_string()),
        "missing front matter: {codes:?}"
    );
    assert!(
        codes.contains(&"LD002".to_string()),
        "broken YAML: {codes:?}"
    );
    let bom: Vec<String> = serde_json::from_str::<Value>(&r.stdout).unwrap()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["span"]["file"] == "content/plan/040-bom.ja.md")
        .map(|f| f["code"].as_str().unwrap().into())
        .collect();
    assert_eq!(
        bom,
        ["TR106"],
        "the BOM/CRLF file is valid; only its missing translation is reported"
    );
}

#[test]
fn severity_override_and_deny_warnings() {
    let s = site();
    assert_eq!(s.run(&["check", "--deny", "warnings"]).code, 1);
    s.edit(
        "plansite.toml",
        "[title]",
        "[severity]\nTR106 = \"off\"\n\n[title]",
    );
    assert_eq!(s.run(&["check", "--deny", "warnings"]).code, 0);
}

#[test]
fn github_and_sarif_formats_carry_the_same_findings() {
    let s = site();
    s.edit(ITEMS, "advances: [TP-G1]", "advances: [TP-G2]");
    let gh = s.run(&["check", "--format", "github"]);
    assert_eq!(gh.code, 1);
    assert!(gh.stdout.contains("::error file=content/plan/items.yaml,line=10,col=16,title=plansite TR003::`advances` target `TP-G2` does not exist"), "{}", gh.stdout);
    let sarif: Value =
        serde_json::from_str(&s.run(&["check", "--format", "sarif"]).stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let (_, json) = s.check_json();
    assert_eq!(results.len(), json["findings"].as_array().unwrap().len());
}

#[test]
fn a_link_kind_declared_in_the_config_works_without_code() {
    let s = site();
    s.edit(
        "plansite.toml",
        "[title]",
        "[[link_kinds]]\nname = \"supersedes\"\nfrom = [\"policy\"]\nto = [\"policy\"]\nmax = 1\nlabel = { ja = \"置き換える施策\", en = \"Supersedes\" }\nreverse = { ja = \"後継施策\", en = \"Superseded by\" }\n\n[title]",
    );
    s.edit(
        ITEMS,
        "advances: [TP-G1]",
        "advances: [TP-G1]\n    supersedes: [TP-P2]",
    );
    let (code, v) = s.check_json();
    assert_eq!(code, 0, "{v}");
    assert_eq!(s.build().code, 0);
    let page = s.page("en/items/TP-P2/index.html");
    let headings: Vec<String> = common::select(&page, "section.trace h3")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert!(
        headings.contains(&"Superseded by".to_string()),
        "{headings:?}"
    );
    // Its declared cardinality is enforced like a built-in kind's.
    s.edit(ITEMS, "supersedes: [TP-P2]", "supersedes: [TP-P2, TP-G1]");
    assert!(
        s.codes().contains(&"TR004".to_string()),
        "wrong target kind"
    );
}

/// A second document whose section cites `TP-P1` (explicitly, or marked inferred by the link
/// title) and whose concept, quoting that section, refers to `TP-P1` with `concept_inferred`.
fn proposal(s: &SiteTest, cite: &str, concept_inferred: bool) {
    s.write(
        "content/proposal/document.yaml",
        "id: PR\nkind: proposal\nslug: proposal\ntitle: { ja: 提言, en: Proposal }\nstatus: proposal\n",
    );
    s.write(
        "content/proposal/010-a.ja.md",
        format!("---\nid: PR-1\ntitle: 第1章\n---\n基本計画の[見直し]({cite})を続ける。\n"),
    );
    s.write(
        "content/proposal/items.yaml",
        format!(
            "- id: PR-C1\n  kind: concept\n  title: {{ ja: 継続, en: Continuity }}\n  source: {{ ref: PR-1, ja: 「続ける」, en: continue }}\n  links:\n    refers_to:\n      - {{ to: TP-P1, inferred: {concept_inferred}, note: {{ ja: 推定, en: inferred }} }}\n"
        ),
    );
}

#[test]
fn one_correspondence_marked_both_ways_is_reported_once() {
    let s = site();
    proposal(&s, "@TP-P1", true);
    let found = s.findings("TR111");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("`PR-1` → `TP-P1`"),
        "{found:#?}"
    );
    assert_eq!(at(&found[0]), "content/proposal/010-a.ja.md:5:6");
}

#[test]
fn one_correspondence_marked_the_same_way_is_clean() {
    let s = site();
    proposal(&s, "@TP-P1 \"inferred: 章は本文にない\"", true);
    assert!(s.findings("TR111").is_empty());
    let s = site();
    proposal(&s, "@TP-P1", false);
    assert!(s.findings("TR111").is_empty());
}
