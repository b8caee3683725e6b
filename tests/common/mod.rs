//! Test harness: copies a fixture site into a temp dir, lets a test change files, runs the
//! real binary, and parses the HTML it writes.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixture site in a temporary directory.
pub struct SiteTest {
    pub dir: tempfile::TempDir,
}

/// What one run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            dir.path(),
        );
        SiteTest { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    /// Writes (or replaces) a file relative to the site root.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Replaces `from` by `to` in a file (the text must be there).
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let p = self.dir.path().join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(p, text.replacen(from, to, 1)).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.dir.path().join(rel)).unwrap();
        self
    }

    /// Runs `plansite ARGS` with `--root` set to this site.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_plansite"));
        cmd.args(args)
            .arg("--root")
            .arg(self.dir.path())
            .env_remove("PLANSITE_VERBOSE");
        to_run(cmd.output().unwrap())
    }

    /// Runs `plansite ARGS` without `--root`.
    pub fn run_bare(&self, args: &[&str]) -> Run {
        to_run(
            Command::new(env!("CARGO_BIN_EXE_plansite"))
                .args(args)
                .output()
                .unwrap(),
        )
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// `check --format json`, parsed.
    pub fn check_json(&self) -> (i32, serde_json::Value) {
        let r = self.run(&["check", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("bad JSON ({e}): {}\n{}", r.stdout, r.stderr));
        (r.code, v)
    }

    /// Codes of all findings of `check`.
    pub fn codes(&self) -> Vec<String> {
        let (_, v) = self.check_json();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    }

    /// The findings with `code`.
    pub fn findings(&self, code: &str) -> Vec<serde_json::Value> {
        let (_, v) = self.check_json();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .cloned()
            .collect()
    }

    /// A built page, parsed.
    pub fn page(&self, rel: &str) -> scraper::Html {
        let text =
            std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        scraper::Html::parse_document(&text)
    }
}

fn to_run(o: Output) -> Run {
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// The real site (this repository's content) built into a temporary folder; the site is in
/// `DIR/site`.
pub fn build_real_site() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(out.path().join("site"))
        .status()
        .unwrap();
    assert!(status.success(), "the real site does not build");
    out
}

/// Every file of an output tree, relative path → bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

/// Checks that every internal `href`/`src` of every HTML page resolves to a file and every
/// `#fragment` to an element id in it. Returns the broken ones.
pub fn broken_links(out: &Path) -> Vec<String> {
    let files = tree(out);
    let mut ids: std::collections::HashMap<String, std::collections::HashSet<String>> =
        Default::default();
    let mut docs = Vec::new();
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let doc = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
            let set = select(&doc, "[id]")
                .iter()
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect();
            ids.insert(path.clone(), set);
            docs.push((path.clone(), doc));
        }
    }
    let mut broken = Vec::new();
    for (path, doc) in &docs {
        if path == "404.html" {
            continue; // uses absolute paths from the base URL
        }
        let base_dir = Path::new(path)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for el in select(
            doc,
            "a[href], link[rel=stylesheet][href], script[src], img[src]",
        ) {
            let url = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap();
            if url.starts_with("http://")
                || url.starts_with("https://")
                || url.starts_with("mailto:")
            {
                continue;
            }
            let (file_part, frag) = url
                .split_once('#')
                .map_or((url, None), |(a, b)| (a, Some(b)));
            let target = if file_part.is_empty() {
                path.clone()
            } else {
                let mut p = base_dir.clone();
                for seg in file_part.split('/') {
                    match seg {
                        ".." => {
                            p.pop();
                        }
                        "." | "" => {}
                        s => p.push(s),
                    }
                }
                let mut s = p.to_string_lossy().replace('\\', "/");
                if file_part.ends_with('/') || s.is_empty() {
                    s = if s.is_empty() {
                        "index.html".into()
                    } else {
                        format!("{s}/index.html")
                    };
                }
                s
            };
            if !files.contains_key(&target) {
                broken.push(format!("{path}: {url} (no file {target})"));
                continue;
            }
            if let Some(f) = frag
                && !f.is_empty()
                && !ids.get(&target).is_some_and(|s| s.contains(f))
            {
                broken.push(format!("{path}: {url} (no #{f} in {target})"));
            }
        }
    }
    broken
}
