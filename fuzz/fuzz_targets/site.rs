//! Fuzz target: one input becomes a small site (the parts split at 0xFF bytes, never valid
//! UTF-8: items YAML, a section's front matter, its Markdown body, glossary terms, a second
//! section), which is checked and, when it has no errors, built and written. A panic or a
//! crash is a bug; findings are the expected outcome.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const CONFIG: &str = "base_url = \"https://example.org\"\n[title]\nja = \"計画\"\nen = \"Plan\"\n";
const DOC: &str = "id: D\nkind: basic-plan\nslug: d\ntitle: { ja: 計画, en: Plan }\n";
const GLOSSARY: &str = "id: G\nkind: glossary\nslug: glossary\ntitle: { ja: 用語, en: Terms }\n";

fn site() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        std::fs::create_dir_all(dir.join("content/d")).expect("mkdir");
        std::fs::create_dir_all(dir.join("content/glossary")).expect("mkdir");
        std::fs::write(dir.join("plansite.toml"), CONFIG).expect("write");
        std::fs::write(dir.join("content/d/document.yaml"), DOC).expect("write");
        std::fs::write(dir.join("content/glossary/document.yaml"), GLOSSARY).expect("write");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let root = site();
    let mut parts = data.split(|&b| b == 0xFF);
    let mut next = || parts.next().unwrap_or_default().to_vec();
    let (items, front, body, terms, second) = (next(), next(), next(), next(), next());
    let mut section = b"---\nid: D-1\ntitle: t\n".to_vec();
    section.extend(front);
    section.extend(b"\n---\n");
    section.extend(body);
    let files = [
        ("content/d/items.yaml", items),
        ("content/d/010-a.ja.md", section),
        ("content/glossary/terms.yaml", terms),
        ("content/d/020-b.en.md", second),
    ];
    for (rel, bytes) in files {
        std::fs::write(root.join(rel), bytes).expect("write");
    }
    let opts = plansite::build::Options::new(root);
    let Ok((site, diags)) = plansite::build::compile(&opts) else {
        return;
    };
    if diags.iter().any(|d| d.is_error()) {
        return;
    }
    let Ok(plan) = plansite::render::plan(&site, root) else {
        return;
    };
    let out = root.join("public");
    let dest = plansite::output::Destination::choose(root, &out).expect("own output folder");
    let _ = plansite::output::publish(&plan, &dest, None);
});
