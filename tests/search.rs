//! Runs the shipped search engine (themes/default/static/search.js) under Node against the index
//! the build writes for the real site: Japanese, English, full-width and ID queries.

use std::process::Command;

fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn japanese_english_and_id_queries_find_the_right_pages() {
    if !node_available() {
        eprintln!("SKIP: node is not installed; the search engine test needs it");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(&site)
        .status()
        .unwrap();
    assert!(status.success());
    let script = format!(
        r#"const s = require({js:?}); const fs = require("fs");
const q = JSON.parse(process.argv[1]); const res = {{}};
for (const [lang, query] of q) {{
  const idx = JSON.parse(fs.readFileSync({dir:?} + "/search/" + lang + ".json"));
  res[lang + ":" + query] = s.search(idx, query).map(d => d.url);
}}
console.log(JSON.stringify(res));"#,
        js = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/search.js"
        ),
        dir = site.to_string_lossy(),
    );
    let queries = r#"[["ja","事故前提社会"],["ja","重要インフラ"],["en","incident-premised society"],["en","bp1-ga-p1"],["ja","ＣＥＰＴＯＡＲ"],["ja","存在しない語句です"]]"#;
    let o = Command::new("node")
        .args(["-e", &script, queries])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let urls = |k: &str| -> Vec<String> {
        r[k].as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(urls("ja:事故前提社会")[0], "ja/items/FP1-C1/");
    assert!(urls("ja:事故前提社会").iter().all(|u| u.starts_with("ja/")));
    assert!(urls("ja:重要インフラ").contains(&"ja/basic-plan-1/3-1-2/".to_string()));
    assert!(
        urls("en:incident-premised society")
            .contains(&"en/glossary/#T-INCIDENT-PREMISED-SOCIETY".to_string())
    );
    assert_eq!(urls("en:bp1-ga-p1"), ["en/items/BP1-GA-P1/"]);
    assert!(
        urls("ja:ＣＥＰＴＯＡＲ").contains(&"ja/items/BP1-CI-P2-B/".to_string()),
        "full-width query matches half-width text"
    );
    assert!(urls("ja:存在しない語句です").is_empty());
}
